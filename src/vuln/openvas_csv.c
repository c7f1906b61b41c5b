/*
 * openvas_csv.c: Greenbone / OpenVAS CSV exports ("CSV Results"), one
 * result a row, read a record at a time.
 *
 * The columns are found by the header's names, never by position (the
 * export's columns changed between versions: QoD came in GVM 11, and a
 * report format can be edited): IP, Hostname, Port, Port Protocol, CVSS,
 * Severity, Solution Type, NVT Name, Summary, Specific Result, NVT OID,
 * CVEs, Timestamp, Impact, Solution, Affected Software/OS, Vulnerability
 * Insight, Vulnerability Detection Method, Other References. IP and NVT
 * OID are required. Fields follow RFC 4180: quoted fields hold commas,
 * doubled quotes and line breaks (Greenbone's summaries span lines).
 *
 * The export leaves Port empty for a host-level result that the XML calls
 * "general/tcp": the result then has no port (docs/vuln.md says what this
 * means for a CSV and an XML import of the same scan). Severity follows
 * the XML reader: the CVSS column on the rating scale, else the Severity
 * word; False Positive, Debug and Error rows are skipped and counted.
 *
 * Memory: one record (capped at VULN_JSON_MAX bytes), reused.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "scan_int.h"

enum { CSV_COLS = 128 };

enum col { C_IP, C_HOSTNAME, C_PORT, C_PROTO, C_CVSS, C_SEVERITY, C_NAME, C_SUMMARY, C_RESULT,
	   C_OID, C_CVES, C_TIME, C_IMPACT, C_SOLUTION, C_AFFECTED, C_INSIGHT, C_DETECTION, C_REFS,
	   C_N };
static const char *const col_names[C_N] = {
	"IP", "Hostname", "Port", "Port Protocol", "CVSS", "Severity", "NVT Name", "Summary",
	"Specific Result", "NVT OID", "CVEs", "Timestamp", "Impact", "Solution",
	"Affected Software/OS", "Vulnerability Insight", "Vulnerability Detection Method",
	"Other References"};

typedef struct csv {
	vuln_src *s;
	buf rec;             /* the record's fields, NUL-separated */
	size_t off[CSV_COLS];
	size_t n;            /* fields of the record */
	size_t line;         /* the line the next record starts on */
	size_t rec_line;     /* the line the current record started on */
	int col[C_N];        /* field index of each column, -1 if absent */
	buf port, desc;
	vuln_list cves, refs;
} csv;

/* Reads one record: 1, 0 at the end, -1 with s->e set. */
static int record(csv *c)
{
	FILE *f = c->s->f;
	buf_reset(&c->rec);
	c->n = 0;
	c->rec_line = c->line;
	int ch = getc_unlocked(f);
	if (ch == EOF)
		return ferror(f) ? sg_err_set(c->s->e, SG_EIO, "%s: read error", c->s->name) : 0;
	bool quoted = false, was_quoted = false;
	c->off[c->n++] = 0;
	for (;; ch = getc_unlocked(f)) {
		if (c->rec.len > VULN_JSON_MAX)
			return sg_err_set(c->s->e, SG_ETOOBIG, "%s:%zu: a CSV record of more than %d MiB",
			                  c->s->name, c->rec_line, VULN_JSON_MAX >> 20);
		if (ch == EOF) {
			if (quoted)
				return sg_err_set(c->s->e, SG_EINVAL,
				                  "%s:%zu: a quoted field opened here is never closed", c->s->name,
				                  c->rec_line);
			break;
		}
		if (ch == '\n')
			c->line++;
		if (quoted) {
			if (ch == '"') {
				int next = getc_unlocked(f);
				if (next == '"') {
					buf_putc(&c->rec, '"');
					continue;
				}
				quoted = false;
				if (next == EOF)
					break;
				ungetc(next, f);
				continue;
			}
			buf_putc(&c->rec, (char)ch);
			continue;
		}
		if (ch == '"' && !was_quoted && c->rec.len == c->off[c->n - 1]) {
			quoted = was_quoted = true;
			continue;
		}
		if (ch == ',') {
			buf_putc(&c->rec, '\0');
			if (c->n == CSV_COLS)
				return sg_err_set(c->s->e, SG_EINVAL, "%s:%zu: more than %d fields in a record",
				                  c->s->name, c->rec_line, CSV_COLS);
			c->off[c->n++] = c->rec.len;
			was_quoted = false;
			continue;
		}
		if (ch == '\n')
			break;
		if (ch == '\r') {
			int next = getc_unlocked(f);
			if (next != '\n' && next != EOF)
				ungetc(next, f);
			if (next == '\n')
				c->line++;
			break;
		}
		buf_putc(&c->rec, (char)ch);
	}
	buf_putc(&c->rec, '\0');
	if (!utf8_valid(c->rec.data, c->rec.len))
		return sg_err_set(c->s->e, SG_EINVAL, "%s:%zu: not UTF-8 (Greenbone exports UTF-8)",
		                  c->s->name, c->rec_line);
	return 1;
}

/* Field i of the record, trimmed in place; "" when absent. */
static const char *field(csv *c, enum col k)
{
	int i = c->col[k];
	if (i < 0 || (size_t)i >= c->n)
		return "";
	char *p = c->rec.data + c->off[i];
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		p[--n] = '\0';
	return p;
}

static const char *opt(const char *s)
{
	return *s ? s : NULL;
}

static void section(buf *d, const char *label, const char *v)
{
	if (!*v)
		return;
	if (d->len)
		buf_puts(d, "\n\n");
	if (label)
		buf_printf(d, "%s: ", label);
	buf_puts(d, v);
}

/* Whether the record holds nothing but blank space (and, the first, a
 * byte order mark). */
static bool blank_record(const csv *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *p = c->rec.data + c->off[i];
		if (i == 0 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
		for (; *p; p++)
			if (!isspace((unsigned char)*p))
				return false;
	}
	return true;
}

/* The header: the first record that is not blank. */
static int header(csv *c)
{
	int rc;
	while ((rc = record(c)) > 0 && blank_record(c))
		;
	if (rc <= 0)
		return rc < 0 ? -1 : sg_err_set(c->s->e, SG_EINVAL, "%s: empty CSV file", c->s->name);
	for (int k = 0; k < C_N; k++)
		c->col[k] = -1;
	for (size_t i = 0; i < c->n; i++) {
		char *p = c->rec.data + c->off[i];
		if (i == 0 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
		while (isspace((unsigned char)*p))
			p++;
		size_t n = strlen(p);
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		for (int k = 0; k < C_N; k++)
			if (c->col[k] < 0 && strlen(col_names[k]) == n && strncasecmp(p, col_names[k], n) == 0)
				c->col[k] = (int)i;
	}
	if (c->col[C_IP] < 0 || c->col[C_OID] < 0)
		return sg_err_set(c->s->e, SG_EINVAL,
		                  "%s:%zu: the header has no \"%s\" column; a Greenbone CSV export has "
		                  "IP, Hostname, Port, ..., NVT Name, ..., NVT OID", c->s->name, c->rec_line,
		                  c->col[C_IP] < 0 ? "IP" : "NVT OID");
	return 0;
}

static int row(csv *c)
{
	vuln_src *s = c->s;
	if (blank_record(c))
		return 0;
	const char *oid = field(c, C_OID), *sev = field(c, C_SEVERITY);
	if (!*oid)
		return sg_err_set(s->e, SG_EINVAL, "%s:%zu: a row without an NVT OID", s->name, c->rec_line);
	vuln_target_add(s, opt(field(c, C_IP)));
	int64_t t = vuln_time(opt(field(c, C_TIME)));
	vuln_times(s->info, t, t);
	double score = -100;
	bool scored = vuln_number(opt(field(c, C_CVSS)), &score);
	if ((scored && score < 0) || strcasecmp(sev, "False Positive") == 0 ||
	    strcasecmp(sev, "Debug") == 0 || strcasecmp(sev, "Error") == 0) {
		s->info->skipped++;
		return 0;
	}
	vuln_result r;
	vuln_result_init(&r);
	if (scored)
		r.severity = vuln_severity_of_score(score);
	else if (!vuln_severity_word(sev, &r.severity)) /* "Log": info */
		r.severity_unknown = true; /* info, and said */
	r.host = opt(field(c, C_IP));
	r.hostname = opt(field(c, C_HOSTNAME));
	const char *port = field(c, C_PORT), *proto = field(c, C_PROTO);
	buf_reset(&c->port);
	if (*port)
		buf_printf(&c->port, "%s/%s", port, *proto ? proto : "tcp");
	r.port = vuln_str(&c->port);
	r.vuln_id = oid;
	const char *name = field(c, C_NAME);
	r.title = *name ? name : oid;
	buf_reset(&c->desc);
	section(&c->desc, NULL, field(c, C_SUMMARY));
	section(&c->desc, "Insight", field(c, C_INSIGHT));
	section(&c->desc, "Impact", field(c, C_IMPACT));
	section(&c->desc, "Affected", field(c, C_AFFECTED));
	section(&c->desc, "Detection", field(c, C_DETECTION));
	r.description = vuln_str(&c->desc);
	r.solution = opt(field(c, C_SOLUTION));
	r.evidence = opt(field(c, C_RESULT));
	vuln_list_reset(&c->cves);
	vuln_list_reset(&c->refs);
	const char *cves = field(c, C_CVES), *refs = field(c, C_REFS);
	/* Greenbone's CVE scanner (results of its "CVE" scan config) writes
	 * the CVE as the NVT OID and leaves the CVEs column empty */
	if (vuln_cves_in(&c->cves, cves, strlen(cves), false) != 0 ||
	    (strncasecmp(oid, "CVE-", 4) == 0 &&
	     vuln_cves_in(&c->cves, oid, strlen(oid), false) != 0) ||
	    vuln_urls_in(&c->refs, refs, strlen(refs)) != 0)
		return sg_err_set(s->e, SG_EINVAL, "%s:%zu: more than %d references in one row", s->name,
		                  c->rec_line, VULN_LIST_MAX);
	r.cves = vuln_list_finish(&c->cves, &r.n_cves);
	r.refs = vuln_list_finish(&c->refs, &r.n_refs);
	return vuln_emit(s, &r);
}

int vuln_openvas_csv(vuln_src *s)
{
	csv *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->s = s;
	c->line = 1;
	int rc = header(c);
	while (rc == 0) {
		int k = record(c);
		if (k <= 0) {
			rc = k;
			break;
		}
		rc = row(c);
	}
	buf_free(&c->rec);
	buf_free(&c->port);
	buf_free(&c->desc);
	vuln_list_free(&c->cves);
	vuln_list_free(&c->refs);
	free(c);
	return rc < 0 ? -1 : 0;
}
