/*
 * lists.c: indicator lists in text: CSV with a header row, and plain
 * lists of one value a line.
 *
 * CSV (RFC 4180 quoting, spaces allowed before an opening quote) is told
 * by its header: a row naming a value column. The header is the first
 * row that is not a comment, or else, as abuse.ch writes its exports, the
 * last comment line before the first row, when it names a value column
 * and has as many columns as that row:
 *   URLhaus       # id,dateadded,url,url_status,last_online,threat,tags,
 *                   urlhaus_link,reporter
 *   ThreatFox     # "first_seen_utc","ioc_id","ioc_value","ioc_type",
 *                   "threat_type",…,"confidence_level",…,"tags",…,"reporter"
 *   Feodo Tracker "first_seen_utc","dst_ip","dst_port","c2_status",
 *                   "last_online","malware" (older files: in a comment)
 * The value column is the one --column names, else value, indicator, ioc,
 * observable or ioc_value, else url or dst_ip. The other columns known
 * (in any order, any case; the rest are ignored):
 *   type, ioc_type                    the value's type (ThreatFox's ip:port
 *                                     is the address, its port noted;
 *                                     md5_hash… the hash)
 *   source, feed, reporter            the source ("anonymous" is none)
 *   tlp, confidence, confidence_level
 *   first_seen, first_seen_utc, dateadded
 *   last_seen, last_seen_utc, last_online
 *   expires, valid_until, expiry
 *   description, comment
 *   threat, threat_type, malware, malware_printable, tags, and dst_port
 *                                     (or port): joined into the description
 * ThreatFox writes "None" for an empty cell; it is taken as empty. Without
 * a type each value's type is told from the value (or is --type).
 *
 * A plain list has a value at the start of each line; blank lines and
 * lines beginning with '#' or ';' are skipped, and so is anything after
 * the value (a comment).
 *
 * A file is read a line at a time (memory: the longest line, not the
 * file). A row is split in a copy: a diagnostic quotes the line as the
 * file has it. O(bytes) for the file, O(columns) a row.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intel_int.h"

enum { COLS_MAX = 64, DESC_MAX = 1024, SHOWN_MAX = 120 };

enum col {
	C_VALUE,
	C_TYPE,
	C_SOURCE,
	C_TLP,
	C_CONF,
	C_FIRST,
	C_LAST,
	C_EXPIRES,
	C_DESC,
	C_PORT,
	C_N,
	C_TAG = C_N /* several columns may be tags: kept apart from v[] */
};

/* A header name's column and, for value columns, its rank: a name that
 * says "the indicator" (0) wins over one that says what it holds (1). */
static int col_of(const char *name, size_t n, int *rank)
{
	static const struct {
		const char *name;
		int col, rank;
	} names[] = {{"value", C_VALUE, 0},        {"indicator", C_VALUE, 0},
	             {"ioc", C_VALUE, 0},          {"observable", C_VALUE, 0},
	             {"ioc_value", C_VALUE, 0},    {"url", C_VALUE, 1},
	             {"dst_ip", C_VALUE, 1},       {"type", C_TYPE, 0},
	             {"ioc_type", C_TYPE, 0},      {"source", C_SOURCE, 0},
	             {"feed", C_SOURCE, 0},        {"reporter", C_SOURCE, 0},
	             {"tlp", C_TLP, 0},            {"confidence", C_CONF, 0},
	             {"confidence_level", C_CONF, 0}, {"first_seen", C_FIRST, 0},
	             {"first_seen_utc", C_FIRST, 0}, {"dateadded", C_FIRST, 0},
	             {"last_seen", C_LAST, 0},     {"last_seen_utc", C_LAST, 0},
	             {"last_online", C_LAST, 0},   {"expires", C_EXPIRES, 0},
	             {"valid_until", C_EXPIRES, 0}, {"expiry", C_EXPIRES, 0},
	             {"description", C_DESC, 0},   {"comment", C_DESC, 0},
	             {"dst_port", C_PORT, 0},      {"port", C_PORT, 0},
	             {"threat", C_TAG, 0},         {"threat_type", C_TAG, 0},
	             {"malware", C_TAG, 0},        {"malware_printable", C_TAG, 0},
	             {"tags", C_TAG, 0}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && strncasecmp(names[i].name, name, n) == 0) {
			*rank = names[i].rank;
			return names[i].col;
		}
	return -1;
}

static char *trimmed(char *p, size_t *n)
{
	while (*n && isspace((unsigned char)*p))
		p++, (*n)--;
	while (*n && isspace((unsigned char)p[*n - 1]))
		(*n)--;
	p[*n] = '\0';
	return p;
}

/* Splits one CSV record in place (quotes removed, "" undone, each field
 * trimmed and ended by a NUL) into at most COLS_MAX fields; the number of
 * fields, or -1 on a quote left open. */
static int csv_split(char *line, size_t n, char **f, size_t *fn)
{
	int k = 0;
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < n && (line[j] == ' ' || line[j] == '\t'))
			j++;
		char *out = line + i, *start = out;
		if (j < n && line[j] == '"') {
			i = j + 1;
			for (;;) {
				if (i >= n)
					return -1;
				if (line[i] == '"') {
					if (i + 1 < n && line[i + 1] == '"') {
						*out++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				*out++ = line[i++];
			}
			while (i < n && line[i] != ',')
				i++; /* text after the closing quote is dropped */
		} else {
			while (i < n && line[i] != ',')
				*out++ = line[i++];
		}
		/* the field ends where the comma was at the earliest: a NUL there
		 * never lands on text not yet read */
		size_t len = (size_t)(out - start);
		if (k < COLS_MAX) {
			f[k] = trimmed(start, &len);
			fn[k] = len;
			k++;
		} else {
			start[len] = '\0';
		}
		if (i >= n)
			return k;
		i++; /* the comma */
	}
}

/* The line as the file has it, for a diagnostic: at most SHOWN_MAX bytes,
 * control bytes as '?'. */
static const char *shown(const char *line, size_t n, char *out)
{
	size_t k = n < SHOWN_MAX ? n : SHOWN_MAX;
	for (size_t i = 0; i < k; i++)
		out[i] = (unsigned char)line[i] < 0x20 || line[i] == 0x7f ? '?' : line[i];
	strcpy(out + k, n > SHOWN_MAX ? "…" : "");
	return out;
}

typedef struct header {
	int cols[COLS_MAX]; /* enum col of each column; -1: ignored */
	int k;              /* its columns */
} header;

/* Reads a header from text (split in buf); the column that holds values,
 * or -1 when the header names none (for --column NAME: no column NAME). */
static int header_read(header *h, const char *text, size_t n, const char *column, char *buf)
{
	char *f[COLS_MAX];
	size_t fn[COLS_MAX];
	memcpy(buf, text, n);
	buf[n] = '\0';
	h->k = 0;
	int k = csv_split(buf, n, f, fn);
	if (k < 0)
		return -1;
	int value_col = -1, best = 99;
	h->k = k;
	for (int i = 0; i < k; i++) {
		int rank = 0;
		h->cols[i] = col_of(f[i], fn[i], &rank);
		bool named = column && strlen(column) == fn[i] && strncasecmp(column, f[i], fn[i]) == 0;
		if (column ? named && value_col < 0 : h->cols[i] == C_VALUE && rank < best) {
			value_col = i;
			best = rank;
		}
	}
	for (int i = 0; i < k; i++)
		if (h->cols[i] == C_VALUE && i != value_col)
			h->cols[i] = -1; /* another value column: not read */
	if (value_col >= 0)
		h->cols[value_col] = C_VALUE;
	return value_col;
}

/* The type a type cell names: sigap's and MISP/STIX spellings, and
 * ThreatFox's ("ip:port", "md5_hash"…); *port_in_value for ip:port. */
static ioc_type cell_type(const char *s, bool *port_in_value)
{
	*port_in_value = false;
	if (strcasecmp(s, "ip:port") == 0) {
		*port_in_value = true;
		return IOC_IPV4; /* or IPv6: told from the value */
	}
	static const struct {
		const char *name;
		ioc_type type;
	} hashes[] = {{"md5_hash", IOC_MD5}, {"sha256_hash", IOC_SHA256}};
	for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
		if (strcasecmp(s, hashes[i].name) == 0)
			return hashes[i].type;
	return ioc_type_parse(s);
}

/* "192.0.2.7:443" or "[2001:db8::7]:443": the address in *v, *n, the port
 * in port (empty when none). */
static void split_port(const char **v, size_t *n, char *port, size_t port_max)
{
	const char *p = *v, *end = *v + *n, *colon = NULL;
	port[0] = '\0';
	if (*n && p[0] == '[') {
		const char *close = memchr(p, ']', *n);
		if (close == NULL)
			return;
		*v = p + 1;
		*n = (size_t)(close - p - 1);
		colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(p, ':', *n);
		if (colon == NULL || memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			return; /* no port, or a bare IPv6 address */
		*n = (size_t)(colon - p);
	}
	if (colon) {
		size_t pn = (size_t)(end - colon - 1);
		if (pn >= port_max)
			pn = port_max - 1;
		memcpy(port, colon + 1, pn);
		port[pn] = '\0';
	}
}

static bool empty(const char *s)
{
	return s == NULL || *s == '\0' || strcmp(s, "None") == 0;
}

/* Adds part to the description d, after "; "; a tag list's commas get a
 * space ("exe,Mozi" reads "exe, Mozi"). */
static void desc_add(char *d, const char *part, bool list)
{
	size_t k = strlen(d);
	if (empty(part))
		return;
	if (k && k + 2 < DESC_MAX) {
		memcpy(d + k, "; ", 2);
		k += 2;
	}
	for (const char *p = part; *p && k + 1 < DESC_MAX; p++) {
		d[k++] = *p;
		if (list && *p == ',' && p[1] != ' ' && k + 1 < DESC_MAX)
			d[k++] = ' ';
	}
	d[k] = '\0';
}

typedef struct row_state {
	intel_reader *r;
	const header *h;
	int line_no;
	const char *line; /* as the file has it */
	size_t len;
} row_state;

/* A fault of the row as a whole: the line is quoted as the file has it. */
static void row_fault(const row_state *s, const char *why)
{
	char buf[SHOWN_MAX + 4];
	s->r->c->invalid++;
	diags_add(s->r->d, s->r->name, s->line_no, 0, "%s: %s", why, shown(s->line, s->len, buf));
}

/* A fault of one cell: "<before>"<cell>"<after>", the cell as the file
 * has it. */
static void cell_fault(const row_state *s, const char *before, const char *cell,
                       const char *after)
{
	s->r->c->invalid++;
	diags_add(s->r->d, s->r->name, s->line_no, 0, "%s\"%.60s\"%s", before, cell, after);
}

/* One data row of a CSV list, split in row (a copy of the line). */
static void csv_row(const row_state *s, char *row)
{
	intel_reader *r = s->r;
	char *f[COLS_MAX];
	size_t fn[COLS_MAX];
	int k = csv_split(row, s->len, f, fn);
	if (k < 0) {
		row_fault(s, "a quote left open");
		return;
	}
	const char *v[C_N] = {0};
	size_t vlen[C_N] = {0};
	const char *tags[COLS_MAX];
	int ntags = 0;
	for (int i = 0; i < k && i < s->h->k; i++) {
		int c = s->h->cols[i];
		if (c == C_TAG)
			tags[ntags++] = f[i];
		else if (c >= 0 && !(c != C_VALUE && empty(f[i]))) {
			v[c] = f[i];
			vlen[c] = fn[i];
		}
	}
	if (v[C_VALUE] == NULL || vlen[C_VALUE] == 0) {
		row_fault(s, "no value");
		return;
	}
	ioc_type want = r->def->type;
	bool port_in_value = false;
	if (v[C_TYPE]) {
		want = cell_type(v[C_TYPE], &port_in_value);
		if (want == IOC_NONE) {
			r->c->read++;
			intel_left_out(r->c, "rows of type %.40s (a kind sigap does not look for)",
			               v[C_TYPE]);
			return;
		}
	}
	const char *value = v[C_VALUE];
	size_t value_len = vlen[C_VALUE];
	char port[16] = "";
	if (port_in_value) {
		split_port(&value, &value_len, port, sizeof port);
		if (memchr(value, ':', value_len))
			want = IOC_IPV6;
	}
	const char *source = v[C_SOURCE];
	if (source && strcasecmp(source, "anonymous") == 0)
		source = NULL; /* abuse.ch's reporter who gave no name */
	ioc meta = {.source = source, .tlp = intel_tlp(v[C_TLP]), .confidence = -1};
	if (v[C_CONF]) {
		char *e;
		long c = strtol(v[C_CONF], &e, 10);
		if (*e || c < 0 || c > 100) {
			cell_fault(s, "confidence ", v[C_CONF], " is not 0 to 100");
			return;
		}
		meta.confidence = (int)c;
	}
	if (v[C_TLP] && meta.tlp == NULL) {
		cell_fault(s, "", v[C_TLP], " is not a TLP label");
		return;
	}
	const int times[] = {C_FIRST, C_LAST, C_EXPIRES};
	int64_t *dst[] = {&meta.first_seen, &meta.last_seen, &meta.expires};
	for (int i = 0; i < 3; i++) {
		if (v[times[i]] == NULL)
			continue;
		json_t *t = json_string(v[times[i]]);
		*dst[i] = intel_time(t);
		json_decref(t);
		if (*dst[i] == 0) {
			cell_fault(s, "", v[times[i]], " is not a date or time");
			return;
		}
	}
	char desc[DESC_MAX] = "";
	desc_add(desc, v[C_DESC], false);
	for (int i = 0; i < ntags; i++)
		desc_add(desc, tags[i], true);
	const char *p = v[C_PORT] ? v[C_PORT] : port;
	if (!empty(p)) {
		char pd[32];
		snprintf(pd, sizeof pd, "port %.10s", p);
		desc_add(desc, pd, false);
	}
	meta.description = desc[0] ? desc : NULL;
	intel_emit(r, want, value, value_len, &meta, s->line_no);
}

/* The state of a list read a line at a time. */
typedef struct lines {
	intel_reader *r;
	const char *column;
	bool header_seen, csv;
	header h;
	char *comment; /* the last comment line before the first row, after its '#' */
	size_t comment_len, comment_cap;
	char *row; /* a line split in place */
	size_t row_cap;
	int line_no;
	int rc;
} lines;

static void lines_init(lines *l, intel_reader *r, intel_format fmt)
{
	memset(l, 0, sizeof *l);
	l->r = r;
	l->column = r->def->column;
	l->csv = fmt == INTEL_CSV || l->column != NULL;
}

static void lines_free(lines *l)
{
	free(l->comment);
	free(l->row);
}

static void *grown(void *p, size_t *cap, size_t n)
{
	if (n <= *cap)
		return p;
	size_t c = *cap ? *cap : 256;
	while (c < n)
		c *= 2;
	p = realloc(p, c);
	if (p == NULL)
		abort();
	*cap = c;
	return p;
}

/* One line (without its newline; changed in place). false: stop (the
 * header is missing, or the callback stopped). */
static bool lines_one(lines *l, char *line, size_t len)
{
	intel_reader *r = l->r;
	l->line_no++;
	if (l->line_no == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3, len -= 3;
	line = trimmed(line, &len);
	if (len == 0)
		return true;
	if (line[0] == '#' || line[0] == ';') {
		if (!l->header_seen) {
			l->comment = grown(l->comment, &l->comment_cap, len);
			memcpy(l->comment, line + 1, len - 1);
			l->comment_len = len - 1;
		}
		return true;
	}
	l->row = grown(l->row, &l->row_cap, len + 1);
	row_state s = {r, &l->h, l->line_no, line, len};
	if (!l->header_seen) {
		l->header_seen = true;
		/* this row names a value column: it is the header */
		if (header_read(&l->h, line, len, l->column, l->row) >= 0) {
			l->csv = true;
			r->c->format = INTEL_CSV;
			return true;
		}
		/* or the comment above it does, with as many columns */
		header data_h;
		header_read(&data_h, line, len, NULL, l->row);
		bool from_comment = false;
		if (l->comment && memchr(l->comment, ',', l->comment_len)) {
			l->row = grown(l->row, &l->row_cap, l->comment_len + 1);
			from_comment =
			    header_read(&l->h, l->comment, l->comment_len, l->column, l->row) >= 0 &&
			    l->h.k == data_h.k;
		}
		if (from_comment) {
			l->csv = true;
			r->c->format = INTEL_CSV;
		} else if (l->csv) {
			char buf[SHOWN_MAX + 4];
			if (l->column)
				diags_add(r->d, r->name, l->line_no, 0,
				          "no column \"%.60s\" in the header row: %s", l->column,
				          shown(line, len, buf));
			else
				diags_add(r->d, r->name, l->line_no, 0,
				          "a CSV list needs a header row naming its value column "
				          "(value, indicator, ioc, observable, ioc_value, url or "
				          "dst_ip; or name it with --column): %s",
				          shown(line, len, buf));
			l->rc = -1;
			return false;
		} else {
			r->c->format = INTEL_PLAIN;
		}
	}
	if (l->csv) {
		memcpy(l->row, line, len);
		l->row[len] = '\0';
		csv_row(&s, l->row);
		return !r->stopped;
	}
	size_t vn = 0;
	while (vn < len && !isspace((unsigned char)line[vn]) && line[vn] != ',')
		vn++;
	ioc meta = {.confidence = -1};
	intel_emit(r, r->def->type, line, vn, &meta, l->line_no);
	return !r->stopped;
}

int intel_lines(intel_reader *r, const char *data, size_t n, intel_format fmt)
{
	lines l;
	lines_init(&l, r, fmt);
	char *copy = NULL;
	size_t copy_cap = 0;
	const char *p = data, *end = data + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		copy = grown(copy, &copy_cap, len + 1);
		memcpy(copy, p, len);
		copy[len] = '\0';
		p = nl ? nl + 1 : end;
		if (!lines_one(&l, copy, len))
			break;
	}
	free(copy);
	lines_free(&l);
	return r->stopped ? -1 : l.rc;
}

int intel_lines_file(intel_reader *r, FILE *f, intel_format fmt)
{
	lines l;
	lines_init(&l, r, fmt);
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)got;
		if (line[len - 1] == '\n')
			len--;
		line[len] = '\0';
		if (!lines_one(&l, line, len))
			break;
	}
	bool failed = ferror(f) != 0;
	free(line);
	lines_free(&l);
	if (failed) {
		diags_add(r->d, r->name, l.line_no, 0, "cannot read the whole file");
		return -1;
	}
	return r->stopped ? -1 : l.rc;
}
