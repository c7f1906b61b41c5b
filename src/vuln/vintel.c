/*
 * vintel.c: what the three intelligence readers share: the kinds and how
 * a file's kind is told from its first bytes, CVE ids and dates, a source
 * of lines that reads a file in chunks through zlib (so a gzip EPSS file
 * and a plain one are read alike, without unpacking either to disk), and
 * CSV records over it.
 *
 * Memory: one chunk and the longest line (at most VI_LINE_MAX); a gzip
 * buffer (the fuzzer's, a test's) is unpacked whole, up to VI_FILE_MAX.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "vintel_int.h"

enum { CHUNK = 64 * 1024 };

static const char *const kind_names[] = {"auto", "cve", "kev", "epss"};

int vi_kind_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcasecmp(name, kind_names[i]) == 0)
			return i;
	return -1;
}

const char *vi_kind_name(vi_kind k)
{
	return (unsigned)k < 4 ? kind_names[k] : "?";
}

bool vi_cve_id(const char *s, size_t n, char out[32])
{
	if (n < 13 || n > 31 || strncasecmp(s, "CVE-", 4) != 0 || s[8] != '-')
		return false;
	for (size_t i = 4; i < n; i++)
		if (i != 8 && !isdigit((unsigned char)s[i]))
			return false;
	memcpy(out, "CVE-", 4);
	memcpy(out + 4, s + 4, n - 4);
	out[n] = '\0';
	return true;
}

bool vi_date_ok(const char *s)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

const char *vi_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

char *vi_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

const char *vi_shown(const char *s, char out[72])
{
	size_t i = 0;
	for (; s[i] && i < 60; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(out + i, s[i] ? "…" : "");
	return out;
}

/* The kind a file's first bytes say; VI_AUTO when they say none. */
static vi_kind sniff_bytes(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return VI_EPSS;
	size_t i = 0;
	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && isspace(b[i]))
		i++;
	const char *s = (const char *)b + i;
	size_t left = n - i;
	if (left >= 14 && memcmp(s, "#model_version", 14) == 0)
		return VI_EPSS;
	if (left >= 19 && memcmp(s, "cve,epss,percentile", 19) == 0)
		return VI_EPSS;
	if ((left >= 6 && memcmp(s, "cveID,", 6) == 0) || (left >= 8 && memcmp(s, "\"cveID\",", 8) == 0))
		return VI_KEV;
	if (left && s[0] == '{') {
		/* the first key of each: a KEV catalog begins with its title,
		 * version and count, a CVE record with dataType and cveMetadata */
		if (memmem(s, left, "\"cveMetadata\"", 13) || memmem(s, left, "\"CVE_RECORD\"", 12))
			return VI_CVE;
		if (memmem(s, left, "\"vulnerabilities\"", 17) || memmem(s, left, "\"catalogVersion\"", 16))
			return VI_KEV;
	}
	return VI_AUTO;
}

vi_kind vi_sniff(const char *path, diags *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diags_add(d, path, 0, 0, "%s", strerror(errno));
		return VI_AUTO;
	}
	if (S_ISDIR(st.st_mode))
		return VI_CVE;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return VI_AUTO;
	}
	unsigned char b[4096];
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	vi_kind k = sniff_bytes(b, n);
	if (k == VI_AUTO)
		diags_add(d, path, 0, 0,
		          "not a file sigap knows as vulnerability intelligence (a CVE JSON 5 record "
		          "has \"cveMetadata\", a KEV catalog \"vulnerabilities\" or a CSV header "
		          "beginning cveID, an EPSS file a #model_version line); name the kind with "
		          "--kind");
	return k;
}

/* ---- lines ---- */

int vi_src_file(vi_src *s, const char *path, bool *gzip, diags *d)
{
	memset(s, 0, sizeof *s);
	s->name = path;
	s->d = d;
	struct stat st;
	if (stat(path, &st) != 0) {
		diags_add(d, path, 0, 0, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		diags_add(d, path, 0, 0, "not a regular file");
		return -1;
	}
	s->gz = gzopen(path, "rb");
	if (s->gz == NULL) {
		diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	gzbuffer(s->gz, CHUNK);
	s->chunk = malloc(CHUNK);
	if (s->chunk == NULL)
		abort();
	/* gzdirect is known only once something is read */
	int ch = gzgetc(s->gz);
	if (ch != -1)
		gzungetc(ch, s->gz);
	if (gzip)
		*gzip = !gzdirect(s->gz);
	s->p = s->end = s->chunk;
	return 0;
}

int vi_src_buffer(vi_src *s, const char *data, size_t n, const char *name, bool *gzip,
                  diags *d)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->d = d;
	bool gz = n >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
	if (gzip)
		*gzip = gz;
	if (!gz) {
		s->p = data;
		s->end = data + n;
		return 0;
	}
	z_stream z = {0};
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		abort();
	size_t cap = n * 4 + 1024, len = 0;
	char *out = malloc(cap);
	if (out == NULL)
		abort();
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)n;
	int rc = Z_OK;
	while (rc == Z_OK) {
		if (len == cap) {
			if (cap >= VI_FILE_MAX) {
				rc = Z_MEM_ERROR;
				break;
			}
			cap *= 2;
			out = realloc(out, cap);
			if (out == NULL)
				abort();
		}
		z.next_out = (Bytef *)out + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			break;
		if (rc == Z_BUF_ERROR)
			rc = Z_OK;
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		diags_add(d, name, 0, 0, "a damaged or truncated gzip file%s",
		          rc == Z_MEM_ERROR ? " (or one larger than sigap reads)" : "");
		free(out);
		return -1;
	}
	s->inflated = out;
	s->p = out;
	s->end = out + len;
	return 0;
}

/* Refills the chunk from the file; false at the end or on an error. */
static bool refill(vi_src *s)
{
	if (s->gz == NULL)
		return false;
	int got = gzread(s->gz, s->chunk, CHUNK);
	if (got < 0) {
		int zerr;
		const char *msg = gzerror(s->gz, &zerr);
		diags_add(s->d, s->name, s->line_no + 1, 0, "cannot read on: %s",
		          zerr == Z_ERRNO ? strerror(errno) : msg);
		s->failed = true;
		return false;
	}
	if (got == 0) {
		/* zlib says a gzip stream that ends early with Z_BUF_ERROR:
		 * a file cut short, whose last lines are missing */
		int zerr;
		gzerror(s->gz, &zerr);
		if (zerr == Z_BUF_ERROR) {
			diags_add(s->d, s->name, s->line_no + 1, 0,
			          "a truncated gzip file (cut short in this line)");
			s->failed = true;
		} else if (zerr != Z_OK) {
			diags_add(s->d, s->name, s->line_no + 1, 0, "a damaged gzip file");
			s->failed = true;
		}
		return false;
	}
	s->p = s->chunk;
	s->end = s->chunk + got;
	return true;
}

static void line_room(vi_src *s, size_t n)
{
	if (n <= s->cap)
		return;
	size_t c = s->cap ? s->cap : 256;
	while (c < n)
		c *= 2;
	s->line = realloc(s->line, c);
	if (s->line == NULL)
		abort();
	s->cap = c;
}

ssize_t vi_src_next(vi_src *s, char **out)
{
	if (s->failed)
		return -1;
	size_t len = 0;
	bool any = false;
	for (;;) {
		if (s->p == s->end && !refill(s)) {
			if (s->failed || !any)
				return -1;
			break;
		}
		any = true;
		const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
		size_t k = nl ? (size_t)(nl - s->p) : (size_t)(s->end - s->p);
		if (len + k > VI_LINE_MAX) {
			diags_add(s->d, s->name, s->line_no + 1, 0, "a line longer than %d bytes",
			          VI_LINE_MAX);
			s->failed = true;
			return -1;
		}
		line_room(s, len + k + 1);
		memcpy(s->line + len, s->p, k);
		len += k;
		s->p += k;
		if (nl) {
			s->p++;
			break;
		}
	}
	if (len && s->line[len - 1] == '\r')
		len--;
	line_room(s, len + 1);
	s->line[len] = '\0';
	s->line_no++;
	*out = s->line;
	return (ssize_t)len;
}

void vi_src_close(vi_src *s)
{
	if (s->gz)
		gzclose(s->gz);
	free(s->chunk);
	free(s->inflated);
	free(s->line);
	memset(s, 0, sizeof *s);
}

/* ---- CSV ---- */

static void rec_room(vi_csv *c, size_t n)
{
	if (n <= c->cap)
		return;
	size_t cap = c->cap ? c->cap : 512;
	while (cap < n)
		cap *= 2;
	c->rec = realloc(c->rec, cap);
	if (c->rec == NULL)
		abort();
	c->cap = cap;
}

/* Splits rec in place: quotes removed, "" undone; spaces before an
 * opening quote dropped. */
static void split(vi_csv *c)
{
	char *p = c->rec, *end = c->rec + c->len;
	c->n = 0;
	for (;;) {
		char *out = p, *start = p;
		char *q = p;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '"') {
			p = q + 1;
			out = start;
			while (p < end) {
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						*out++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*out++ = *p++;
			}
			while (p < end && *p != ',')
				p++; /* after the closing quote: dropped */
		} else {
			/* spaces are the field's (RFC 4180): KEV's texts end in some */
			while (p < end && *p != ',')
				*out++ = *p++;
		}
		/* out never passes p: the NUL lands on text already read */
		char *field_end = out;
		bool more = p < end;
		*field_end = '\0';
		if (c->n < VI_CSV_COLS)
			c->f[c->n++] = start;
		if (!more)
			return;
		p++; /* the comma */
	}
}

int vi_csv_next(vi_csv *c, vi_src *s)
{
	char *line;
	ssize_t n;
	do {
		n = vi_src_next(s, &line);
		if (n < 0)
			return s->failed ? -1 : 0;
	} while (n == 0);
	c->line = s->line_no;
	c->len = 0;
	size_t quotes = 0;
	for (;;) {
		for (ssize_t i = 0; i < n; i++)
			quotes += line[i] == '"';
		if (c->len + (size_t)n + 2 > VI_LINE_MAX) {
			diags_add(s->d, s->name, c->line, 0, "a record longer than %d bytes",
			          VI_LINE_MAX);
			return -1;
		}
		rec_room(c, c->len + (size_t)n + 2);
		memcpy(c->rec + c->len, line, (size_t)n);
		c->len += (size_t)n;
		c->rec[c->len] = '\0';
		if (quotes % 2 == 0)
			break;
		n = vi_src_next(s, &line);
		if (n < 0) {
			if (!s->failed)
				diags_add(s->d, s->name, c->line, 0,
				          "a quote opened on this line is never closed");
			return -1;
		}
		c->rec[c->len++] = '\n';
	}
	split(c);
	return 1;
}

void vi_csv_free(vi_csv *c)
{
	free(c->rec);
	memset(c, 0, sizeof *c);
}
