/*
 * nuclei.c: Nuclei's JSON output, a record a line (-jsonl, the default of
 * -json before v3) or one JSON array (-json-export), in the key names of
 * v2 (templateID, matched, matcher_name, extracted_results) and of v3
 * (template-id, matched-at, matcher-name, extracted-results).
 *
 * Each record is one result: "nuclei:<template-id>[:<matcher-name>]",
 * titled by info.name, severity info.severity, CVEs, CWE and CVSS from
 * info.classification (cve-id, cwe-id, cvss-metrics, cvss-score), the
 * description, remediation and references of the template, and as
 * evidence the matcher, the extracted results and the address. The
 * endpoint is matched-at: a URL, or "host:port" for network templates
 * (then the port, "22/tcp"), or the record's own "port" (v3.2+). The
 * request and response Nuclei may embed are not kept.
 *
 * Memory: JSON lines are read one line at a time (a line of at most
 * VULN_JSON_MAX bytes); an array is read one element at a time too
 * (jansson stops after each object), so neither form is loaded whole.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "scan_int.h"

typedef struct nu {
	vuln_src *s;
	buf line, id, title, evidence, port, url, host, cwe;
	vuln_list cves, refs;
	char where[64]; /* "line 12", "record 3 (byte 4096)" */
} nu;

static const char *str2(const json_t *o, const char *a, const char *b)
{
	const char *v = json_string_value(json_object_get(o, a));
	if (!v && b)
		v = json_string_value(json_object_get(o, b));
	return v && *v ? v : NULL;
}

/* Adds a string or each string of an array to the list through add. */
static int each_string(const json_t *v, vuln_list *l, int (*add)(vuln_list *, const char *, size_t))
{
	if (json_is_string(v))
		return add(l, json_string_value(v), json_string_length(v));
	size_t i;
	const json_t *e;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && add(l, json_string_value(e), json_string_length(e)) != 0)
			return -1;
	return 0;
}

static int add_cves(vuln_list *l, const char *s, size_t n)
{
	return vuln_cves_in(l, s, n, false);
}

static int add_urls(vuln_list *l, const char *s, size_t n)
{
	return vuln_urls_in(l, s, n);
}

static void evidence_add(buf *b, const char *label, const char *v, size_t n)
{
	if (b->len >= VULN_EVIDENCE_MAX)
		return;
	if (b->len)
		buf_putc(b, '\n');
	buf_printf(b, "%s: ", label);
	if (b->len < VULN_EVIDENCE_MAX) /* the label may have filled it */
		buf_append(b, v, vuln_utf8_fit(v, n, VULN_EVIDENCE_MAX - b->len));
}

static int record(nu *n, const json_t *o)
{
	vuln_src *s = n->s;
	if (!json_is_object(o))
		return sg_err_set(s->e, SG_EINVAL, "%s: %s: a Nuclei record is a JSON object", s->name,
		                  n->where);
	const char *tid = str2(o, "template-id", "templateID");
	if (!tid)
		return sg_err_set(s->e, SG_EINVAL,
		                  "%s: %s: a record without \"template-id\" (or v2's \"templateID\")",
		                  s->name, n->where);
	const json_t *info = json_object_get(o, "info");
	const json_t *cls = json_object_get(info, "classification");
	const char *matcher = str2(o, "matcher-name", "matcher_name");
	const char *matched = str2(o, "matched-at", "matched");
	const char *host = str2(o, "host", NULL), *ip = str2(o, "ip", NULL);
	const char *name = str2(info, "name", NULL);
	int64_t t = vuln_time(str2(o, "timestamp", NULL));
	vuln_times(s->info, t, t);

	vuln_result r;
	vuln_result_init(&r);
	buf_reset(&n->id);
	buf_printf(&n->id, "nuclei:%s%s%s", tid, matcher ? ":" : "", matcher ? matcher : "");
	r.vuln_id = n->id.data;
	buf_reset(&n->title);
	buf_puts(&n->title, name ? name : tid);
	if (matcher)
		buf_printf(&n->title, " [%s]", matcher);
	r.title = n->title.data;
	/* "unknown", none or a word of no severity: info, and said */
	r.severity_unknown = !vuln_severity_word(str2(info, "severity", NULL), &r.severity);
	if (r.severity_unknown)
		r.severity = VULN_INFO;

	/* the endpoint: a URL, or host:port of a network template */
	char h[256];
	buf_reset(&n->url);
	buf_reset(&n->port);
	buf_reset(&n->host);
	/* a javascript template's record (v3) names neither matched-at nor
	 * host, only "url", written with a slash before its scheme
	 * ("/http://dvwa_dvwa_1/") */
	const char *url_key = str2(o, "url", NULL);
	if (url_key && url_key[0] == '/' && strstr(url_key, "://"))
		url_key++;
	const char *ep = matched ? matched : host ? host : url_key;
	if (ep && strstr(ep, "://")) {
		buf_puts(&n->url, ep);
	} else if (ep) {
		const char *colon = strrchr(ep, ':');
		if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
		    strchr(ep, ':') == colon)
			buf_printf(&n->port, "%s/tcp", colon + 1);
	}
	/* v3.2+ states the port of a network record on its own */
	const json_t *pk = json_object_get(o, "port");
	if (!n->url.len && !n->port.len && (json_is_integer(pk) || json_is_string(pk))) {
		char num[16];
		if (json_is_integer(pk))
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(pk));
		else
			snprintf(num, sizeof num, "%s", json_string_value(pk));
		if (num[0] && strspn(num, "0123456789") == strlen(num))
			buf_printf(&n->port, "%s/%s", num,
			           strcmp(str2(o, "type", NULL) ? str2(o, "type", NULL) : "", "udp") == 0 ? "udp" : "tcp");
	}
	if ((host && vuln_url_host(host, h, sizeof h)) || (ep && vuln_url_host(ep, h, sizeof h)) ||
	    (ip && vuln_url_host(ip, h, sizeof h)))
		buf_puts(&n->host, h);
	r.url = vuln_str(&n->url);
	r.port = vuln_str(&n->port);
	r.host = vuln_str(&n->host);
	vuln_target_add(s, r.host);

	vuln_list_reset(&n->cves);
	vuln_list_reset(&n->refs);
	if (each_string(json_object_get(cls, "cve-id"), &n->cves, add_cves) != 0 ||
	    each_string(json_object_get(info, "reference"), &n->refs, add_urls) != 0)
		return sg_err_set(s->e, SG_EINVAL, "%s: %s: more than %d references in one record",
		                  s->name, n->where, VULN_LIST_MAX);
	r.cves = vuln_list_finish(&n->cves, &r.n_cves);
	r.refs = vuln_list_finish(&n->refs, &r.n_refs);

	const json_t *cwe = json_object_get(cls, "cwe-id");
	char cw[24];
	if (json_is_string(cwe) && vuln_cwe_norm(json_string_value(cwe), cw)) {
		buf_reset(&n->cwe);
		buf_puts(&n->cwe, cw);
		r.cwe = n->cwe.data;
	} else {
		size_t i;
		const json_t *e;
		json_array_foreach(cwe, i, e)
			if (vuln_cwe_norm(json_string_value(e), cw)) {
				buf_reset(&n->cwe);
				buf_puts(&n->cwe, cw);
				r.cwe = n->cwe.data;
				break;
			}
	}
	const char *metrics = str2(cls, "cvss-metrics", NULL);
	const json_t *sc = json_object_get(cls, "cvss-score");
	double score = -1;
	if (json_is_number(sc))
		score = json_number_value(sc);
	else if (!json_is_string(sc) || !vuln_number(json_string_value(sc), &score))
		score = -1;
	if (score > 10 || score < 0)
		score = -1;
	if (metrics && strncmp(metrics, "CVSS:4", 6) == 0) {
		r.cvss4_vector = metrics;
		r.cvss4_score = score;
	} else {
		r.cvss3_vector = metrics && strncmp(metrics, "CVSS:3", 6) == 0 ? metrics : NULL;
		r.cvss3_score = score; /* templates give CVSS 3.x scores */
	}
	r.description = str2(info, "description", NULL);
	r.solution = str2(info, "remediation", NULL);

	buf_reset(&n->evidence);
	if (matched)
		evidence_add(&n->evidence, "matched-at", matched, strlen(matched));
	if (matcher)
		evidence_add(&n->evidence, "matcher", matcher, strlen(matcher));
	const json_t *ex = json_object_get(o, "extracted-results");
	if (!ex)
		ex = json_object_get(o, "extracted_results");
	size_t i;
	const json_t *e;
	json_array_foreach(ex, i, e)
		if (json_is_string(e))
			evidence_add(&n->evidence, "extracted", json_string_value(e), json_string_length(e));
	const char *line = str2(o, "matched-line", NULL);
	if (line)
		evidence_add(&n->evidence, "matched-line", line, strlen(line));
	if (ip)
		evidence_add(&n->evidence, "ip", ip, strlen(ip));
	r.evidence = vuln_str(&n->evidence);
	return vuln_emit(s, &r);
}

/* A line of at most VULN_JSON_MAX bytes into n->line: 1, 0 at the end. */
static int read_line(nu *n, size_t lineno)
{
	buf_reset(&n->line);
	int ch;
	bool any = false;
	while ((ch = getc_unlocked(n->s->f)) != EOF) {
		any = true;
		if (ch == '\n')
			return 1;
		if (n->line.len >= VULN_JSON_MAX)
			return sg_err_set(n->s->e, SG_ETOOBIG, "%s:%zu: a line of more than %d MiB",
			                  n->s->name, lineno, VULN_JSON_MAX >> 20);
		buf_putc(&n->line, (char)ch);
	}
	return any ? 1 : 0;
}

static int lines(nu *n)
{
	vuln_src *s = n->s;
	size_t lineno = 0;
	int rc;
	while ((rc = read_line(n, lineno + 1)) == 1) {
		lineno++;
		const char *p = n->line.len ? n->line.data : "";
		if (lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		json_error_t je;
		json_t *o = json_loadb(p, n->line.len - (size_t)(p - n->line.data), 0, &je);
		if (!o)
			return sg_err_set(s->e, SG_EINVAL, "%s:%zu:%d: not a JSON record (Nuclei writes one a line): %s", s->name, lineno,
			                  je.column, je.text);
		snprintf(n->where, sizeof n->where, "line %zu", lineno);
		rc = record(n, o);
		json_decref(o);
		if (rc != 0)
			return -1;
	}
	return rc;
}

static int skip_space(FILE *f)
{
	int ch;
	while ((ch = getc_unlocked(f)) != EOF && isspace(ch))
		;
	return ch;
}

static int array(nu *n)
{
	vuln_src *s = n->s;
	FILE *f = s->f;
	int ch = skip_space(f);
	if (ch == 0xEF) /* a UTF-8 byte order mark */
		ch = getc_unlocked(f) == 0xBB && getc_unlocked(f) == 0xBF ? skip_space(f) : ch;
	if (ch != '[')
		return sg_err_set(s->e, SG_EINVAL, "%s: a Nuclei JSON export is an array", s->name);
	ch = skip_space(f);
	if (ch == ']')
		return 0;
	for (size_t k = 1;; k++) {
		if (ch == EOF)
			return sg_err_set(s->e, SG_EINVAL, "%s: the array ends before its ']'", s->name);
		ungetc(ch, f);
		long at = ftell(f);
		json_error_t je;
		json_t *o = json_loadf(f, JSON_DISABLE_EOF_CHECK, &je);
		snprintf(n->where, sizeof n->where, "record %zu (byte %ld)", k, at);
		if (!o)
			return sg_err_set(s->e, SG_EINVAL, "%s: %s: not JSON: %s (line %d of the record)",
			                  s->name, n->where, je.text, je.line);
		int rc = record(n, o);
		json_decref(o);
		if (rc != 0)
			return -1;
		ch = skip_space(f);
		if (ch == ']')
			break;
		if (ch != ',')
			return sg_err_set(s->e, SG_EINVAL, "%s: after %s: ',' or ']' expected", s->name,
			                  n->where);
		ch = skip_space(f);
	}
	if (skip_space(f) != EOF)
		return sg_err_set(s->e, SG_EINVAL, "%s: text after the array's closing ']'", s->name);
	return 0;
}

int vuln_nuclei(vuln_src *s, bool is_array)
{
	nu n = {.s = s};
	int rc = is_array ? array(&n) : lines(&n);
	buf *all[] = {&n.line, &n.id, &n.title, &n.evidence, &n.port, &n.url, &n.host, &n.cwe};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		buf_free(all[i]);
	vuln_list_free(&n.cves);
	vuln_list_free(&n.refs);
	return rc < 0 ? -1 : 0;
}
