/*
 * openvas_xml.c: Greenbone / OpenVAS XML reports (GMP's report format, and
 * OMP's before it), read as a stream.
 *
 * The document is a <report> (as "Download report" saves it) or a
 * <get_reports_response> around one (as gvm-cli answers); since OMP 4 the
 * report's data sits in a second <report> inside the first. A result is a
 * <result> whose parent is the <results> of a report: results nested
 * elsewhere (a delta report's <delta>, a <detection> block) are part of
 * the result around them. From a result: host (with <hostname> in newer
 * versions), port, the NVT (oid, name, cvss_base, the tag string
 * "cvss_base_vector=…|summary=…|insight=…|solution=…", <refs> of type
 * cve/url in GMP, or <cve> and <xref> lists in OMP), <severities> (CVSS
 * v3/v4 vector and score, GMP 22+), <solution> (GMP 20+), threat,
 * severity and description (the NVT's output: the evidence).
 *
 * Severity comes from the result's score on the CVSS rating scale (9.0
 * and above critical, as Greenbone 24.10 and NVD name it; older
 * Greenbone calls those High), else from the threat word. Results
 * Greenbone itself marks False Positive (an override, severity -1),
 * Debug (-2) or Error (-3) are skipped and counted. The report's <host>
 * entries and every result's host are the targets; scan_start/scan_end
 * give the times.
 *
 * Memory: the fields of the result being read, reused for the next.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmlread.h"

typedef struct ov {
	vx x;
	int result_depth; /* depth of the open <result>, 0 outside */
	int result_line;  /* the line it starts on */
	buf name, host, hostname, port, oid, nvt_name, cvss_base, tags, old_cve, old_xref, solution,
		threat, severity, description, sev_type, sev_score, sev_value, cvss3_vec, cvss3_score,
		cvss4_vec, cvss4_score, ref_type, ref_id, attr, target, desc, sol, text;
	vuln_list cves, refs;
} ov;

static buf *const_field(ov *o, int rel, const vx *x)
{
	const char *c1 = vx_at(x, o->result_depth + 1), *c2 = vx_at(x, o->result_depth + 2);
	const char *c3 = vx_at(x, o->result_depth + 3);
	if (rel == 1) {
		static const struct {
			const char *name;
			size_t off;
		} f[] = {{"name", offsetof(ov, name)},         {"host", offsetof(ov, host)},
		         {"port", offsetof(ov, port)},         {"threat", offsetof(ov, threat)},
		         {"severity", offsetof(ov, severity)}, {"description", offsetof(ov, description)}};
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
			if (strcmp(c1, f[i].name) == 0)
				return (buf *)((char *)o + f[i].off);
		return NULL;
	}
	if (rel == 2 && strcmp(c1, "host") == 0 && strcmp(c2, "hostname") == 0)
		return &o->hostname;
	if (strcmp(c1, "nvt") != 0)
		return NULL;
	if (rel == 2) {
		if (strcmp(c2, "name") == 0)
			return &o->nvt_name;
		if (strcmp(c2, "cvss_base") == 0)
			return &o->cvss_base;
		if (strcmp(c2, "tags") == 0)
			return &o->tags;
		if (strcmp(c2, "cve") == 0)
			return &o->old_cve;
		if (strcmp(c2, "xref") == 0)
			return &o->old_xref;
		if (strcmp(c2, "solution") == 0)
			return &o->solution;
	}
	if (rel == 4 && strcmp(c2, "severities") == 0 && strcmp(c3, "severity") == 0) {
		const char *c4 = vx_at(x, o->result_depth + 4);
		if (strcmp(c4, "score") == 0)
			return &o->sev_score;
		if (strcmp(c4, "value") == 0)
			return &o->sev_value;
	}
	return NULL;
}

static void result_reset(ov *o)
{
	buf *all[] = {&o->name, &o->host, &o->hostname, &o->port, &o->oid, &o->nvt_name,
	              &o->cvss_base, &o->tags, &o->old_cve, &o->old_xref, &o->solution, &o->threat,
	              &o->severity, &o->description, &o->cvss3_vec, &o->cvss3_score, &o->cvss4_vec,
	              &o->cvss4_score};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		buf_reset(all[i]);
	vuln_list_reset(&o->cves);
	vuln_list_reset(&o->refs);
}

/* The value of key in Greenbone's tag string "k=v|k=v"; a '|' belongs to a
 * value unless a key and '=' follow it. Into out (reset first). */
static void tag_get(const char *tags, const char *key, buf *out)
{
	buf_reset(out);
	size_t kn = strlen(key);
	const char *p = tags;
	while (p && *p) {
		const char *eq = strchr(p, '=');
		if (!eq)
			return;
		/* the value runs to the next "|ident=" */
		const char *v = eq + 1, *end = v;
		for (;;) {
			end = strchr(end, '|');
			if (!end) {
				end = v + strlen(v);
				break;
			}
			const char *k = end + 1;
			while (*k == '_' || (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
			       (*k >= '0' && *k <= '9'))
				k++;
			if (k > end + 1 && *k == '=')
				break;
			end++;
		}
		if ((size_t)(eq - p) == kn && memcmp(p, key, kn) == 0) {
			buf_append(out, v, (size_t)(end - v));
			vuln_trim(out);
			return;
		}
		p = *end ? end + 1 : NULL;
	}
}

static void add_section(buf *d, const char *label, const buf *v)
{
	if (!v->len)
		return;
	if (d->len)
		buf_puts(d, "\n\n");
	if (label)
		buf_printf(d, "%s: ", label);
	buf_puts(d, v->data);
}

static int emit(ov *o)
{
	vuln_src *s = o->x.s;
	buf *all[] = {&o->name, &o->host, &o->hostname, &o->port, &o->oid, &o->nvt_name,
	              &o->cvss_base, &o->threat, &o->severity, &o->solution, &o->sev_value};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		vuln_trim(all[i]);
	if (!o->oid.len)
		return sg_err_set(s->e, SG_EINVAL, "%s:%d: <result> without an NVT OID (<nvt oid=...>)",
		                  s->name, o->result_line);
	vuln_target_add(s, vuln_str(&o->host));
	double score = -100;
	bool scored = vuln_number(vuln_str(&o->severity), &score) ||
	              vuln_number(vuln_str(&o->cvss_base), &score);
	const char *threat = o->threat.len ? o->threat.data : "";
	if ((scored && score < 0) || strcasecmp(threat, "False Positive") == 0 ||
	    strcasecmp(threat, "Debug") == 0 || strcasecmp(threat, "Error") == 0) {
		s->info->skipped++;
		return 0;
	}
	vuln_result r;
	vuln_result_init(&r);
	if (scored)
		r.severity = vuln_severity_of_score(score);
	else if (!vuln_severity_word(threat, &r.severity)) /* "Log": info */
		r.severity_unknown = true; /* info, and said */
	r.host = vuln_str(&o->host);
	r.hostname = vuln_str(&o->hostname);
	/* OMP wrote "https (443/tcp)": the port is what the parentheses hold */
	char *open = o->port.len ? strchr(o->port.data, '(') : NULL;
	if (open && o->port.data[o->port.len - 1] == ')') {
		size_t n = o->port.len - 2 - (size_t)(open - o->port.data);
		memmove(o->port.data, open + 1, n);
		o->port.data[n] = '\0';
		o->port.len = n;
	}
	r.port = vuln_str(&o->port);
	r.vuln_id = o->oid.data;
	r.title = o->nvt_name.len ? o->nvt_name.data : o->name.len ? o->name.data : o->oid.data;

	const char *tags = o->tags.len ? o->tags.data : "";
	/* CVSS: <severities> first (GMP 22+), else the tag's vector with the
	 * NVT's cvss_base when the vector is v3 or v4. */
	double base = -1, v;
	if (vuln_number(vuln_str(&o->cvss_base), &v))
		base = v;
	if (!o->cvss3_vec.len && !o->cvss4_vec.len) {
		tag_get(tags, "cvss_base_vector", &o->text);
		if (strncmp(o->text.len ? o->text.data : "", "CVSS:3", 6) == 0) {
			buf_puts(&o->cvss3_vec, o->text.data);
			buf_printf(&o->cvss3_score, "%g", base);
		} else if (strncmp(o->text.len ? o->text.data : "", "CVSS:4", 6) == 0) {
			buf_puts(&o->cvss4_vec, o->text.data);
			buf_printf(&o->cvss4_score, "%g", base);
		}
	}
	if (o->cvss3_vec.len) {
		r.cvss3_vector = o->cvss3_vec.data;
		if (vuln_number(vuln_str(&o->cvss3_score), &v) && v >= 0 && v <= 10)
			r.cvss3_score = v;
	}
	if (o->cvss4_vec.len) {
		r.cvss4_vector = o->cvss4_vec.data;
		if (vuln_number(vuln_str(&o->cvss4_score), &v) && v >= 0 && v <= 10)
			r.cvss4_score = v;
	}

	buf_reset(&o->desc);
	static const char *const parts[][2] = {{"summary", NULL},     {"insight", "Insight"},
	                                       {"impact", "Impact"},   {"affected", "Affected"},
	                                       {"vuldetect", "Detection"}};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		tag_get(tags, parts[i][0], &o->text);
		add_section(&o->desc, parts[i][1], &o->text);
	}
	r.description = vuln_str(&o->desc);
	buf_reset(&o->sol);
	if (o->solution.len)
		buf_puts(&o->sol, o->solution.data);
	else
		tag_get(tags, "solution", &o->sol);
	r.solution = vuln_str(&o->sol);
	vuln_trim(&o->description);
	r.evidence = vuln_str(&o->description);

	/* OMP's lists: <cve>CVE-…, CVE-…</cve> ("NOCVE"), <xref>URL:…, CERT:…</xref> */
	if ((o->old_cve.len && vuln_cves_in(&o->cves, o->old_cve.data, o->old_cve.len, false) != 0) ||
	    (o->old_xref.len && vuln_urls_in(&o->refs, o->old_xref.data, o->old_xref.len) != 0))
		return sg_err_set(s->e, SG_EINVAL, "%s:%d: more than %d references in one result",
		                  s->name, vx_line(&o->x), VULN_LIST_MAX);
	r.cves = vuln_list_finish(&o->cves, &r.n_cves);
	r.refs = vuln_list_finish(&o->refs, &r.n_refs);
	return vuln_emit(s, &r);
}

/* An element start inside a result (rel: its depth below <result>). */
static int result_start(ov *o, int rel)
{
	vx *x = &o->x;
	vuln_src *s = x->s;
	const char *c1 = vx_at(x, o->result_depth + 1);
	if (rel == 1 && strcmp(x->name, "nvt") == 0)
		vx_attr(x, "oid", &o->oid);
	if (rel == 3 && strcmp(c1, "nvt") == 0 && strcmp(x->name, "severity") == 0 &&
	    strcmp(vx_at(x, o->result_depth + 2), "severities") == 0) {
		vx_attr(x, "type", &o->sev_type);
		buf_reset(&o->sev_score);
		buf_reset(&o->sev_value);
	}
	if (rel == 3 && strcmp(c1, "nvt") == 0 && strcmp(x->name, "ref") == 0 &&
	    strcmp(vx_at(x, o->result_depth + 2), "refs") == 0) {
		vx_attr(x, "type", &o->ref_type);
		vx_attr(x, "id", &o->ref_id);
		const char *t = o->ref_type.len ? o->ref_type.data : "";
		int rc = 0;
		if (strcasecmp(t, "cve") == 0)
			rc = vuln_cves_in(&o->cves, o->ref_id.data ? o->ref_id.data : "", o->ref_id.len, false);
		else if (strcasecmp(t, "url") == 0)
			rc = vuln_urls_in(&o->refs, o->ref_id.data ? o->ref_id.data : "", o->ref_id.len);
		if (rc != 0)
			return sg_err_set(s->e, SG_EINVAL, "%s:%d: more than %d references in one result",
			                  s->name, vx_line(x), VULN_LIST_MAX);
	}
	return 0;
}

/* The end of nvt/severities/severity: keep its v3 or v4 vector and score. */
static void severity_end(ov *o)
{
	const char *t = o->sev_type.len ? o->sev_type.data : "";
	vuln_trim(&o->sev_value);
	vuln_trim(&o->sev_score);
	buf *vec = NULL, *score = NULL;
	if (strcmp(t, "cvss_base_v3") == 0)
		vec = &o->cvss3_vec, score = &o->cvss3_score;
	else if (strcmp(t, "cvss_base_v4") == 0)
		vec = &o->cvss4_vec, score = &o->cvss4_score;
	if (!vec || !o->sev_value.len)
		return;
	buf_reset(vec);
	buf_puts(vec, o->sev_value.data);
	buf_reset(score);
	if (o->sev_score.len)
		buf_puts(score, o->sev_score.data);
}

static bool is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static int run(ov *o)
{
	vx *x = &o->x;
	vuln_src *s = x->s;
	int rc;
	buf *report_text = NULL; /* a report-level field being read */
	while ((rc = vx_next(x)) == 1) {
		int d = x->depth;
		if (x->kind == VX_START && d == 1) {
			if (!is(x->name, "report") && !is(x->name, "get_reports_response"))
				return sg_err_set(s->e, SG_EINVAL,
				                  "%s:%d: root element <%s>, not Greenbone's <report> or "
				                  "<get_reports_response>", s->name, vx_line(x), x->name);
			if (is(x->name, "get_reports_response") && vx_attr(x, "status", &o->attr) &&
			    o->attr.data[0] != '2') {
				buf status = BUF_INIT;
				vx_attr(x, "status_text", &status);
				sg_err_set(s->e, SG_EINVAL, "%s:%d: the response is an error, status %s: %s",
				           s->name, vx_line(x), o->attr.data, buf_str(&status));
				buf_free(&status);
				return -1;
			}
			continue;
		}
		if (o->result_depth) {
			int rel = d - o->result_depth;
			if (x->kind == VX_START && rel > 0) {
				if (result_start(o, rel) != 0)
					return -1;
			} else if (x->kind == VX_TEXT) {
				buf *f = const_field(o, rel, x);
				if (f)
					buf_append(f, x->text, x->text_len);
			} else if (x->kind == VX_END && rel == 3 && is(x->name, "severity") &&
			           is(vx_at(x, o->result_depth + 1), "nvt")) {
				severity_end(o);
			} else if (x->kind == VX_END && rel == 0) {
				o->result_depth = 0;
				if (emit(o) != 0)
					return -1;
			}
			continue;
		}
		if (x->kind == VX_START) {
			report_text = NULL;
			if (is(x->name, "result") && d >= 3 && is(vx_at(x, d - 1), "results") &&
			    is(vx_at(x, d - 2), "report")) {
				o->result_depth = d;
				o->result_line = vx_line(x);
				result_reset(o);
			} else if (d >= 3 && is(vx_at(x, d - 2), "report") && is(vx_at(x, d - 1), "host") &&
			           (is(x->name, "ip") || is(x->name, "start") || is(x->name, "end"))) {
				report_text = &o->target;
				buf_reset(&o->target);
			} else if (d >= 2 && is(vx_at(x, d - 1), "report") &&
			           (is(x->name, "scan_start") || is(x->name, "scan_end"))) {
				report_text = &o->target;
				buf_reset(&o->target);
			}
		} else if (x->kind == VX_TEXT && report_text) {
			buf_append(report_text, x->text, x->text_len);
		} else if (x->kind == VX_END && report_text) {
			vuln_trim(&o->target);
			const char *v = vuln_str(&o->target);
			if (is(x->name, "ip"))
				vuln_target_add(s, v);
			else if (is(x->name, "start") || is(x->name, "scan_start"))
				vuln_times(s->info, vuln_time(v), 0);
			else
				vuln_times(s->info, 0, vuln_time(v));
			report_text = NULL;
		}
	}
	return rc;
}

int vuln_openvas_xml(vuln_src *s)
{
	ov *o = calloc(1, sizeof *o);
	if (!o)
		abort();
	int rc = vx_open(&o->x, s);
	if (rc == 0)
		rc = run(o);
	vx_close(&o->x);
	buf *all[] = {&o->name, &o->host, &o->hostname, &o->port, &o->oid, &o->nvt_name,
	              &o->cvss_base, &o->tags, &o->old_cve, &o->old_xref, &o->solution, &o->threat,
	              &o->severity, &o->description, &o->sev_type, &o->sev_score, &o->sev_value,
	              &o->cvss3_vec, &o->cvss3_score, &o->cvss4_vec, &o->cvss4_score, &o->ref_type,
	              &o->ref_id, &o->attr, &o->target, &o->desc, &o->sol, &o->text};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		buf_free(all[i]);
	vuln_list_free(&o->cves);
	vuln_list_free(&o->refs);
	free(o);
	return rc < 0 ? -1 : 0;
}
