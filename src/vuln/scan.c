/*
 * scan.c: the entry of the scanner parsers (scan.h): names of scanners and
 * severities, telling a report's format from its first bytes when the
 * caller asks for VULN_AUTO, the set of targets, and the hand-over of each
 * result to the caller's callback.
 *
 * Telling the format reads at most VULN_SNIFF bytes: XML by its root
 * element (OpenVAS <report> or <get_reports_response>, Nmap <nmaprun>,
 * after any comments, processing instructions and DOCTYPE), JSON by its
 * first line (a Nuclei record names its template) or its keys (WPScan's
 * target_url, banner, interesting_findings), a Greenbone CSV export by its
 * header. An empty file is Nuclei's: it is the one scanner that writes
 * nothing when it finds nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan_int.h"

static const char *const scanner_names[] = {"auto", "openvas", "nmap", "nuclei", "wpscan"};
static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};

const char *vuln_scanner_name(vuln_scanner s)
{
	return (unsigned)s < sizeof scanner_names / sizeof scanner_names[0] ? scanner_names[s] : "?";
}

int vuln_scanner_parse(const char *name, vuln_scanner *out)
{
	for (size_t i = 0; name && i < sizeof scanner_names / sizeof scanner_names[0]; i++)
		if (strcasecmp(name, scanner_names[i]) == 0) {
			*out = (vuln_scanner)i;
			return 0;
		}
	return -1;
}

const char *vuln_severity_name(vuln_severity s)
{
	return (unsigned)s < sizeof severity_names / sizeof severity_names[0] ? severity_names[s] : "?";
}

bool vuln_severity_word(const char *w, vuln_severity *out)
{
	static const struct {
		const char *w;
		vuln_severity s;
	} words[] = {{"info", VULN_INFO},     {"informational", VULN_INFO}, {"log", VULN_INFO},
	             {"low", VULN_LOW},       {"medium", VULN_MEDIUM},      {"high", VULN_HIGH},
	             {"critical", VULN_CRITICAL}};
	if (w == NULL)
		return false;
	while (isspace((unsigned char)*w))
		w++;
	size_t n = strlen(w);
	while (n > 0 && isspace((unsigned char)w[n - 1]))
		n--;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].w) == n && strncasecmp(w, words[i].w, n) == 0) {
			*out = words[i].s;
			return true;
		}
	return false;
}

static long port_num(const char **s);

bool vuln_url_origin(const char *url, char *out, size_t n)
{
	const char *sep = url ? strstr(url, "://") : NULL;
	if (sep == NULL || sep == url || (size_t)(sep - url) > 16 || n < 8)
		return false;
	char scheme[20];
	size_t sl = (size_t)(sep - url);
	for (size_t i = 0; i < sl; i++) {
		if (!isalnum((unsigned char)url[i]) && url[i] != '+' && url[i] != '-' && url[i] != '.')
			return false;
		scheme[i] = (char)tolower((unsigned char)url[i]);
	}
	scheme[sl] = '\0';
	const char *p = sep + 3, *end = p + strcspn(p, "/?#");
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1; /* user and password are no part of the origin */
	const char *host = p, *hend;
	if (*p == '[') {
		hend = memchr(p, ']', (size_t)(end - p));
		if (hend == NULL)
			return false;
		hend++;
	} else {
		hend = p;
		while (hend < end && *hend != ':')
			hend++;
	}
	size_t hl = (size_t)(hend - host);
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (hl == 0)
		return false;
	long port = -1;
	if (hend < end && *hend == ':' && hend + 1 < end) {
		const char *q = hend + 1;
		port = port_num(&q);
		if (port < 0 || q != end)
			return false;
	}
	if (port < 0)
		port = strcmp(scheme, "https") == 0 ? 443 : strcmp(scheme, "http") == 0 ? 80 : -1;
	int w = port >= 0 ? snprintf(out, n, "%s://%.*s:%ld", scheme, (int)hl, host, port)
	                  : snprintf(out, n, "%s://%.*s", scheme, (int)hl, host);
	if (w < 0 || (size_t)w >= n)
		return false;
	for (char *c = out + sl + 3; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return true;
}

void vuln_origin_add(vuln_report_info *info, const char *url)
{
	char o[512];
	if (!vuln_url_origin(url, o, sizeof o) || info->n_origins >= VULN_TARGETS_MAX)
		return;
	for (size_t i = 0; i < info->n_origins; i++)
		if (strcmp(info->origins[i], o) == 0)
			return;
	char **list = realloc(info->origins, (info->n_origins + 1) * sizeof *list);
	if (list == NULL || (list[info->n_origins] = strdup(o)) == NULL)
		abort();
	info->origins = list;
	info->n_origins++;
}

vuln_severity vuln_severity_of_score(double score)
{
	if (score >= 9.0)
		return VULN_CRITICAL;
	if (score >= 7.0)
		return VULN_HIGH;
	if (score >= 4.0)
		return VULN_MEDIUM;
	if (score > 0.0)
		return VULN_LOW;
	return VULN_INFO;
}

void vuln_report_info_free(vuln_report_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_targets; i++)
		free(info->targets[i]);
	free(info->targets);
	info->targets = NULL;
	info->n_targets = 0;
	free(info->ports);
	info->ports = NULL;
	for (size_t i = 0; i < info->n_origins; i++)
		free(info->origins[i]);
	free(info->origins);
	info->origins = NULL;
	info->n_origins = 0;
}

void vuln_ports_add(vuln_report_info *info, const char *proto, const char *services)
{
	if (!proto || !*proto || strchr(proto, ':') || strchr(proto, ';'))
		return;
	services = services ? services : "";
	size_t have = info->ports ? strlen(info->ports) : 0;
	size_t add = strlen(proto) + 1 + strlen(services) + 1;
	if (have + add > VULN_PORTS_MAX) {
		if (!info->ports && !(info->ports = strdup(""))) /* stated, listed in part */
			abort();
		return;
	}
	char *p = realloc(info->ports, have + add + 1);
	if (!p)
		abort();
	snprintf(p + have, add + 1, "%s%s:%s", have ? ";" : "", proto, services);
	info->ports = p;
}

/* The number at *s (advancing it past its digits); -1 when there is
 * none or it is no port (over 65535). */
static long port_num(const char **s)
{
	if (**s < '0' || **s > '9')
		return -1;
	long v = 0;
	for (; **s >= '0' && **s <= '9'; (*s)++)
		if (v <= 65535)
			v = v * 10 + (**s - '0');
	return v <= 65535 ? v : -1;
}

bool vuln_ports_cover(const char *ports, const char *endpoint)
{
	if (ports == NULL || endpoint == NULL)
		return true;
	const char *p = endpoint;
	long port = port_num(&p);
	if (p == endpoint || *p != '/' || p[1] == '\0')
		return true; /* not a port: the host's own */
	if (port < 0)
		return false;
	const char *proto = p + 1;
	size_t plen = strlen(proto);
	for (const char *seg = ports; *seg;) {
		const char *end = seg + strcspn(seg, ";");
		const char *colon = memchr(seg, ':', (size_t)(end - seg));
		if (colon && (size_t)(colon - seg) == plen && strncasecmp(seg, proto, plen) == 0) {
			const char *q = colon + 1;
			while (q < end) {
				long lo = port_num(&q), hi = lo;
				if (lo >= 0 && *q == '-') {
					q++;
					hi = port_num(&q);
				}
				if (lo >= 0 && hi >= lo && port >= lo && port <= hi)
					return true;
				q += strcspn(q, ",;");
				if (*q == ',')
					q++;
			}
		}
		seg = *end ? end + 1 : end;
	}
	return false;
}

/* ---- targets: an open-addressing set over info->targets (FNV-1a) */

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void slots_put(size_t *slots, size_t n_slots, const char *key, size_t idx)
{
	size_t i = fnv(key) & (n_slots - 1);
	while (slots[i])
		i = (i + 1) & (n_slots - 1);
	slots[i] = idx + 1;
}

void vuln_target_add(vuln_src *s, const char *host)
{
	vuln_report_info *info = s->info;
	if (!host || !*host || info->n_targets >= VULN_TARGETS_MAX)
		return;
	if (s->n_slots) {
		for (size_t i = fnv(host) & (s->n_slots - 1); s->slots[i]; i = (i + 1) & (s->n_slots - 1))
			if (strcmp(info->targets[s->slots[i] - 1], host) == 0)
				return;
	}
	if ((info->n_targets + 1) * 2 > s->n_slots) { /* keep the load under one half */
		size_t n = s->n_slots ? s->n_slots * 2 : 64;
		size_t *slots = calloc(n, sizeof *slots);
		char **t = realloc(info->targets, n / 2 * sizeof *t);
		if (!slots || !t)
			abort();
		info->targets = t;
		for (size_t i = 0; i < info->n_targets; i++)
			slots_put(slots, n, info->targets[i], i);
		free(s->slots);
		s->slots = slots;
		s->n_slots = n;
	}
	char *copy = strdup(host);
	if (!copy)
		abort();
	info->targets[info->n_targets] = copy;
	slots_put(s->slots, s->n_slots, copy, info->n_targets);
	info->n_targets++;
}

size_t vuln_utf8_fit(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--; /* s[max] continues a character: cut before its start */
	return max;
}

void vuln_result_init(vuln_result *r)
{
	memset(r, 0, sizeof *r);
	r->cvss3_score = -1;
	r->cvss4_score = -1;
}

/* The bytes a string takes in a copy (0 for NULL). */
static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* s copied to *at (NULL stays NULL), *at moved past it. */
static const char *str_put(char **at, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = memcpy(*at, s, n);
	*at += n;
	return d;
}

/* Where a result's single strings are, for its size and its copy. */
static const size_t string_fields[] = {
    offsetof(vuln_result, host),         offsetof(vuln_result, hostname),
    offsetof(vuln_result, port),         offsetof(vuln_result, url),
    offsetof(vuln_result, vuln_id),      offsetof(vuln_result, title),
    offsetof(vuln_result, cvss3_vector), offsetof(vuln_result, cvss4_vector),
    offsetof(vuln_result, cwe),          offsetof(vuln_result, description),
    offsetof(vuln_result, solution),     offsetof(vuln_result, evidence),
    offsetof(vuln_result, component),    offsetof(vuln_result, component_version)};

#define STRING_FIELD(r, i) (*(const char **)((char *)(r) + string_fields[i]))

size_t vuln_result_size(const vuln_result *r)
{
	size_t n = sizeof(vuln_result) + (r->n_cves + r->n_refs) * sizeof(char *);
	for (size_t i = 0; i < sizeof string_fields / sizeof string_fields[0]; i++)
		n += str_size(STRING_FIELD(r, i));
	for (size_t i = 0; i < r->n_cves; i++)
		n += str_size(r->cves[i]);
	for (size_t i = 0; i < r->n_refs; i++)
		n += str_size(r->refs[i]);
	return n;
}

vuln_result *vuln_result_dup(const vuln_result *r, size_t *size)
{
	size_t n = vuln_result_size(r);
	vuln_result *c = malloc(n);
	if (c == NULL)
		return NULL;
	if (size)
		*size = n;
	*c = *r;
	const char **cves = (const char **)(c + 1), **refs = cves + r->n_cves;
	char *at = (char *)(refs + r->n_refs);
	for (size_t i = 0; i < sizeof string_fields / sizeof string_fields[0]; i++)
		STRING_FIELD(c, i) = str_put(&at, STRING_FIELD(r, i));
	for (size_t i = 0; i < r->n_cves; i++)
		cves[i] = str_put(&at, r->cves[i]);
	for (size_t i = 0; i < r->n_refs; i++)
		refs[i] = str_put(&at, r->refs[i]);
	c->cves = r->n_cves ? cves : NULL;
	c->refs = r->n_refs ? refs : NULL;
	return c;
}

int vuln_emit(vuln_src *s, const vuln_result *r)
{
	if (!r->vuln_id || !r->title)
		abort(); /* a parser's bug: scan.h promises both */
	sg_err_clear(s->e);
	if (s->cb && s->cb(s->ctx, r, s->e) != 0) {
		if (s->e && s->e->code == SG_OK)
			sg_err_set(s->e, SG_EINVAL, "%s: import stopped at result %zu", s->name,
			           s->info->results + 1);
		return -1;
	}
	s->info->results++;
	return 0;
}

/* ---- telling the format */

typedef enum { FMT_NONE, FMT_OPENVAS_XML, FMT_NMAP_XML, FMT_OPENVAS_CSV, FMT_NUCLEI_JSONL,
	       FMT_NUCLEI_JSON, FMT_WPSCAN } fmt;

/* Each format's scanner and name (FMT_NONE: VULN_AUTO, no name). */
static const struct {
	vuln_scanner scanner;
	const char *format;
} formats[] = {[FMT_OPENVAS_XML] = {VULN_OPENVAS, "openvas-xml"},
               [FMT_NMAP_XML] = {VULN_NMAP, "nmap-xml"},
               [FMT_OPENVAS_CSV] = {VULN_OPENVAS, "openvas-csv"},
               [FMT_NUCLEI_JSONL] = {VULN_NUCLEI, "nuclei-jsonl"},
               [FMT_NUCLEI_JSON] = {VULN_NUCLEI, "nuclei-json"},
               [FMT_WPSCAN] = {VULN_WPSCAN, "wpscan-json"}};

/* The name of the XML root element in p[0..n) into root; false if it is
 * not within the bytes read. */
static bool xml_root(const char *p, size_t n, char *root, size_t rn)
{
	const char *end = p + n;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt || lt + 1 >= end)
			return false;
		p = lt + 1;
		const char *close = NULL;
		if (*p == '?')
			close = memmem(p, (size_t)(end - p), "?>", 2);
		else if (end - p >= 3 && memcmp(p, "!--", 3) == 0)
			close = memmem(p, (size_t)(end - p), "-->", 3);
		else if (*p == '!')
			close = memchr(p, '>', (size_t)(end - p));
		else {
			size_t i = 0;
			while (p + i < end && i + 1 < rn &&
			       (isalnum((unsigned char)p[i]) || strchr("_:-.", p[i])))
				i++;
			if (i == 0 || p + i >= end)
				return false;
			memcpy(root, p, i);
			root[i] = '\0';
			return true;
		}
		if (!close)
			return false;
		p = close + 1;
	}
	return false;
}

static bool line_has(const char *p, size_t n, const char *what)
{
	const char *nl = memchr(p, '\n', n);
	return memmem(p, nl ? (size_t)(nl - p) : n, what, strlen(what)) != NULL;
}

/* The format of a report's first bytes p[0..n) (not empty, leading
 * white space skipped), told from them alone; FMT_NONE with e set. */
static fmt detect(const char *name, const char *p, size_t n, sg_err *e)
{
	if (p[0] == '<') {
		char root[64];
		if (!xml_root(p, n, root, sizeof root)) {
			sg_err_set(e, SG_EINVAL,
			           "%s: XML without a root element in its first %d bytes; name the scanner "
			           "(--scanner openvas or nmap)", name, VULN_SNIFF);
			return FMT_NONE;
		}
		if (strcmp(root, "report") == 0 || strcmp(root, "get_reports_response") == 0)
			return FMT_OPENVAS_XML;
		if (strcmp(root, "nmaprun") == 0)
			return FMT_NMAP_XML;
		sg_err_set(e, SG_EINVAL,
		           "%s: XML with root element <%s> is no report sigap reads (Greenbone/OpenVAS "
		           "<report>, Nmap <nmaprun>)", name, root);
		return FMT_NONE;
	}
	if (p[0] == '[')
		return FMT_NUCLEI_JSON;
	if (p[0] == '{') {
		if (line_has(p, n, "\"template-id\"") || line_has(p, n, "\"templateID\""))
			return FMT_NUCLEI_JSONL;
		if (memmem(p, n, "\"target_url\"", 12) || memmem(p, n, "\"interesting_findings\"", 22) ||
		    memmem(p, n, "\"banner\"", 8))
			return FMT_WPSCAN;
		sg_err_set(e, SG_EINVAL,
		           "%s: JSON that is neither Nuclei's (a record a line with \"template-id\") nor "
		           "WPScan's (\"target_url\"); name the scanner with --scanner", name);
		return FMT_NONE;
	}
	if (line_has(p, n, "NVT OID") || (line_has(p, n, "IP") && line_has(p, n, "NVT Name")))
		return FMT_OPENVAS_CSV;
	sg_err_set(e, SG_EINVAL,
	           "%s: not a report sigap reads (Greenbone/OpenVAS XML or CSV, Nmap XML, Nuclei "
	           "JSON, WPScan JSON)", name);
	return FMT_NONE;
}

/* The format of the head p[0..n) (the report's first bytes, past a byte
 * order mark and blank space: parse_stream). */
static fmt sniff(vuln_src *s, vuln_scanner want, const char *p, size_t n)
{
	if (n >= 2 && ((p[0] == '\xFE' && p[1] == '\xFF') || (p[0] == '\xFF' && p[1] == '\xFE'))) {
		sg_err_set(s->e, SG_EINVAL, "%s: is UTF-16; sigap reads reports in UTF-8", s->name);
		return FMT_NONE;
	}
	size_t i = 0;
	while (i < n && isspace((unsigned char)p[i]))
		i++;
	if (i == n) { /* empty: only Nuclei writes an empty report */
		if (want == VULN_AUTO || want == VULN_NUCLEI)
			return FMT_NUCLEI_JSONL;
		sg_err_set(s->e, SG_EINVAL, "%s: the file is empty; a report of %s is never empty", s->name,
		           vuln_scanner_name(want));
		return FMT_NONE;
	}
	p += i, n -= i;
	if (want == VULN_AUTO)
		return detect(s->name, p, n, s->e);
	/* the scanner named: a report that is plainly another scanner's is
	 * refused as such, before its parser says it cannot read it */
	sg_err quiet = {0};
	vuln_scanner seen = formats[detect(s->name, p, n, &quiet)].scanner;
	if (seen != VULN_AUTO && seen != want) {
		sg_err_set(s->e, SG_EINVAL,
		           "%s is a report of %s, not of %s: import it as a report of %s, or "
		           "let sigap tell the scanner",
		           s->name, vuln_scanner_name(seen), vuln_scanner_name(want),
		           vuln_scanner_name(seen));
		return FMT_NONE;
	}
	switch (want) {
	case VULN_OPENVAS:
		return p[0] == '<' ? FMT_OPENVAS_XML : FMT_OPENVAS_CSV;
	case VULN_NMAP:
		return FMT_NMAP_XML;
	case VULN_NUCLEI:
		return p[0] == '[' ? FMT_NUCLEI_JSON : FMT_NUCLEI_JSONL;
	case VULN_WPSCAN:
		return FMT_WPSCAN;
	case VULN_AUTO:
		break;
	}
	return FMT_NONE;
}

static int parse_stream(vuln_src *s, vuln_scanner want)
{
	char head[VULN_SNIFF];
	size_t n = fread(head, 1, sizeof head, s->f);
	/* a UTF-8 byte order mark, then blank space (lines a script printed
	 * before the report), passed over up to VULN_BLANK_MAX, so that the
	 * head told from begins where the report does: s->lead bytes in */
	size_t i = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	long bom = (long)i;
	for (;;) {
		while (i < n && vuln_blank(head[i]))
			s->lead_lines += head[i++] == '\n';
		s->lead += (long)i;
		if (s->lead > VULN_BLANK_MAX)
			return sg_err_set(s->e, SG_EINVAL,
			                  "%s: more than %d KiB of blank space before anything; not a "
			                  "report sigap reads",
			                  s->name, VULN_BLANK_MAX >> 10);
		if (i < n) { /* the report's first byte: the head begins with it */
			memmove(head, head + i, n - i);
			n -= i;
			n += fread(head + n, 1, sizeof head - n, s->f);
			break;
		}
		i = 0;
		if ((n = fread(head, 1, sizeof head, s->f)) == 0)
			break; /* blank to its end: empty */
	}
	if (ferror(s->f))
		return sg_err_set(s->e, SG_EIO, "%s: %s", s->name, strerror(errno));
	/* the parsers read from past the mark (the JSON readers do not know
	 * it); the XML reader passes the blank space over itself */
	if (fseek(s->f, bom, SEEK_SET) != 0)
		return sg_err_set(s->e, SG_EIO, "%s: cannot be read twice (not a regular file?)", s->name);
	fmt f = sniff(s, want, head, n);
	if (f == FMT_NONE)
		return -1;
	s->info->scanner = formats[f].scanner;
	s->info->format = formats[f].format;
	switch (f) {
	case FMT_OPENVAS_XML:
		return vuln_openvas_xml(s);
	case FMT_NMAP_XML:
		return vuln_nmap_xml(s);
	case FMT_OPENVAS_CSV:
		return vuln_openvas_csv(s);
	case FMT_NUCLEI_JSONL:
		return vuln_nuclei(s, false);
	case FMT_NUCLEI_JSON:
		return vuln_nuclei(s, true);
	case FMT_WPSCAN:
		return vuln_wpscan(s);
	case FMT_NONE:
		break;
	}
	return -1;
}

static int run(FILE *f, const char *name, vuln_scanner want, vuln_result_cb cb, void *ctx,
	       vuln_report_info *info, sg_err *e)
{
	vuln_src s = {.f = f, .name = name, .cb = cb, .ctx = ctx, .info = info, .e = e};
	int rc = parse_stream(&s, want);
	free(s.slots);
	return rc;
}

static void info_init(vuln_report_info *info, vuln_scanner s)
{
	memset(info, 0, sizeof *info);
	info->scanner = s;
	info->format = "";
}

int vuln_parse_file(const char *path, vuln_scanner s, vuln_result_cb cb, void *ctx,
		    vuln_report_info *info, sg_err *e)
{
	info_init(info, s);
	FILE *f = fopen(path, "rb");
	if (!f)
		return sg_err_set(e, errno == ENOENT ? SG_ENOTFOUND : SG_EIO, "%s: %s", path,
		                  strerror(errno));
	int rc = run(f, path, s, cb, ctx, info, e);
	fclose(f);
	return rc;
}

int vuln_parse_stream(FILE *f, const char *name, vuln_scanner s, vuln_result_cb cb, void *ctx,
		      vuln_report_info *info, sg_err *e)
{
	info_init(info, s);
	return run(f, name, s, cb, ctx, info, e);
}

int vuln_parse_buffer(const char *data, size_t n, const char *name, vuln_scanner s,
		      vuln_result_cb cb, void *ctx, vuln_report_info *info, sg_err *e)
{
	info_init(info, s);
	/* fmemopen refuses a size of 0: an empty report is read from
	 * /dev/null instead. */
	FILE *f = n ? fmemopen((void *)data, n, "rb") : fopen("/dev/null", "rb");
	if (!f)
		return sg_err_set(e, SG_ENOMEM, "%s: %s", name, strerror(errno));
	int rc = run(f, name, s, cb, ctx, info, e);
	fclose(f);
	return rc;
}
