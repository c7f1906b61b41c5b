/*
 * wpscan.c: WPScan's JSON report (--format json).
 *
 * A result is each vulnerability WPScan lists for the WordPress core
 * (version.vulnerabilities), a plugin (plugins.<slug>.vulnerabilities),
 * the main theme (main_theme.vulnerabilities) and, when themes were
 * enumerated, other themes (themes.<slug>, the main theme not twice). Its
 * identity is "wpscan:<component>:<WPVulnDB id>" (the references'
 * wpvulndb), else "wpscan:<component>:title-<FNV-1a hash of the title>":
 * the same entry listed for a plugin and for a theme is two findings, as
 * each is fixed by its own update; the component is "wordpress",
 * the plugin's or the theme's slug, with the version WPScan found; the
 * references give CVEs ("2019-9787" as WPScan writes them), URLs and the
 * WPVulnDB page; fixed_in gives the solution. Severity: the CVSS score
 * WPScan's API adds (cvss.score, cvss.vector), else medium, since WPScan
 * states no severity of its own.
 *
 * interesting_findings (headers, robots.txt, XML-RPC enabled, a readme)
 * are observations, not vulnerabilities: they are counted as skipped, so
 * the results are the README's count of vulnerabilities (DefectDojo adds
 * them as informational findings: its DD column counts them).
 *
 * Memory: the report is loaded whole (WPScan's reports are small: tens of
 * kilobytes); a file over VULN_JSON_MAX is refused when its reading
 * passes that size.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scan_int.h"

typedef struct wp {
	vuln_src *s;
	const char *url, *host;
	buf id, sol, evidence, text;
	vuln_list cves, refs;
} wp;

static int add_bare_cves(vuln_list *l, const char *s, size_t n)
{
	return vuln_cves_in(l, s, n, true);
}

static int each(const json_t *v, vuln_list *l, int (*add)(vuln_list *, const char *, size_t))
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

static int vuln_one(wp *w, const json_t *v, const char *component, const char *version,
		    const json_t *about, const char *where)
{
	vuln_src *s = w->s;
	const char *title = json_string_value(json_object_get(v, "title"));
	if (!json_is_object(v) || !title || !*title)
		return sg_err_set(s->e, SG_EINVAL, "%s: %s: a vulnerability without a title", s->name,
		                  where);
	const json_t *refs = json_object_get(v, "references");
	vuln_result r;
	vuln_result_init(&r);
	r.host = w->host;
	r.url = w->url;
	r.title = title;
	r.component = component;
	r.component_version = version;

	const json_t *wpvdb = json_object_get(refs, "wpvulndb");
	const char *vid = json_is_array(wpvdb) ? json_string_value(json_array_get(wpvdb, 0))
	                                       : json_string_value(wpvdb);
	buf_reset(&w->id);
	if (vid && *vid) {
		buf_printf(&w->id, "wpscan:%s:%s", component, vid);
	} else {
		uint64_t h = 1469598103934665603ULL;
		for (const char *p = title; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		buf_printf(&w->id, "wpscan:%s:title-%016llx", component, (unsigned long long)h);
	}
	r.vuln_id = w->id.data;

	vuln_list_reset(&w->cves);
	vuln_list_reset(&w->refs);
	int rc = each(json_object_get(refs, "cve"), &w->cves, add_bare_cves);
	if (rc == 0)
		rc = each(json_object_get(refs, "url"), &w->refs, vuln_urls_in);
	size_t i;
	const json_t *e;
	json_array_foreach(wpvdb, i, e) {
		const char *id = json_string_value(e);
		if (rc == 0 && id && *id) {
			buf_reset(&w->text);
			buf_printf(&w->text, "https://wpscan.com/vulnerability/%s", id);
			rc = vuln_list_add(&w->refs, w->text.data, w->text.len);
		}
	}
	if (rc != 0)
		return sg_err_set(s->e, SG_EINVAL, "%s: %s: more than %d references", s->name, where,
		                  VULN_LIST_MAX);
	r.cves = vuln_list_finish(&w->cves, &r.n_cves);
	r.refs = vuln_list_finish(&w->refs, &r.n_refs);

	const json_t *cvss = json_object_get(v, "cvss");
	const json_t *sc = json_object_get(cvss, "score");
	double score = -1;
	if (json_is_number(sc))
		score = json_number_value(sc);
	else if (!json_is_string(sc) || !vuln_number(json_string_value(sc), &score))
		score = -1;
	const char *vector = json_string_value(json_object_get(cvss, "vector"));
	if (score >= 0 && score <= 10) {
		r.severity = vuln_severity_of_score(score);
		r.cvss3_score = score;
		r.cvss3_vector = vector;
	} else {
		r.severity = VULN_MEDIUM;
	}
	const char *fixed = json_string_value(json_object_get(v, "fixed_in"));
	buf_reset(&w->sol);
	if (fixed && *fixed)
		buf_printf(&w->sol, "Update %s to version %s or later.", component, fixed);
	r.solution = vuln_str(&w->sol);
	buf_reset(&w->evidence);
	buf_printf(&w->evidence, "%s %s", component, version ? version : "(version not found)");
	const char *found = json_string_value(json_object_get(about, "found_by"));
	if (!found)
		found = json_string_value(json_object_get(json_object_get(about, "version"), "found_by"));
	if (found)
		buf_printf(&w->evidence, ", found by %s", found);
	const json_t *conf = json_object_get(about, "confidence");
	if (json_is_integer(conf))
		buf_printf(&w->evidence, ", confidence %lld%%", (long long)json_integer_value(conf));
	if (fixed && *fixed)
		buf_printf(&w->evidence, "; fixed in %s", fixed);
	r.evidence = w->evidence.data;
	return vuln_emit(s, &r);
}

/* A plugin or theme object: its slug, version.number, vulnerabilities. */
static int component(wp *w, const char *slug, const json_t *c, const char *kind)
{
	if (!json_is_object(c))
		return 0;
	const char *s = json_string_value(json_object_get(c, "slug"));
	if (s && *s)
		slug = s;
	const char *version = json_string_value(json_object_get(json_object_get(c, "version"), "number"));
	char where[300];
	const json_t *vulns = json_object_get(c, "vulnerabilities");
	size_t i;
	const json_t *v;
	json_array_foreach(vulns, i, v) {
		snprintf(where, sizeof where, "%s %s, vulnerability %zu", kind, slug, i + 1);
		if (vuln_one(w, v, slug, version, c, where) != 0)
			return -1;
	}
	return 0;
}

static int report(wp *w, const json_t *root)
{
	vuln_src *s = w->s;
	if (!json_is_object(root) ||
	    (!json_object_get(root, "target_url") && !json_object_get(root, "version") &&
	     !json_object_get(root, "plugins")))
		return sg_err_set(s->e, SG_EINVAL,
		                  "%s: not a WPScan report (an object with target_url, version, plugins)",
		                  s->name);
	w->url = json_string_value(json_object_get(root, "target_url"));
	if (!w->url)
		w->url = json_string_value(json_object_get(root, "effective_url"));
	char h[256];
	if (w->url && vuln_url_host(w->url, h, sizeof h)) {
		w->host = strdup(h);
		if (!w->host)
			abort();
		vuln_target_add(s, w->host);
		vuln_origin_add(s->info, w->url);
	}
	const json_t *st = json_object_get(root, "start_time"), *et = json_object_get(root, "stop_time");
	vuln_times(s->info, json_is_integer(st) ? json_integer_value(st) : 0,
	           json_is_integer(et) ? json_integer_value(et) : 0);
	s->info->skipped += json_array_size(json_object_get(root, "interesting_findings"));

	const json_t *core = json_object_get(root, "version");
	if (json_is_object(core)) {
		const char *ver = json_string_value(json_object_get(core, "number"));
		const json_t *vulns = json_object_get(core, "vulnerabilities");
		size_t i;
		const json_t *v;
		char where[64];
		json_array_foreach(vulns, i, v) {
			snprintf(where, sizeof where, "WordPress core, vulnerability %zu", i + 1);
			if (vuln_one(w, v, "wordpress", ver, core, where) != 0)
				return -1;
		}
	}
	const char *key;
	const json_t *c;
	json_object_foreach((json_t *)json_object_get(root, "plugins"), key, c)
		if (component(w, key, c, "plugin") != 0)
			return -1;
	const json_t *main_theme = json_object_get(root, "main_theme");
	const char *main_slug = json_string_value(json_object_get(main_theme, "slug"));
	if (component(w, "main theme", main_theme, "theme") != 0)
		return -1;
	json_object_foreach((json_t *)json_object_get(root, "themes"), key, c) {
		const char *slug = json_string_value(json_object_get(c, "slug"));
		if (main_slug && strcmp(slug ? slug : key, main_slug) == 0)
			continue;
		if (component(w, key, c, "theme") != 0)
			return -1;
	}
	return 0;
}

/* The report read for jansson, at most VULN_JSON_MAX bytes: the stream
 * is read from where it stands and never measured by a seek (a report on
 * disk is parsed while it is copied into the evidence store, and its end
 * is not known before it is read: evidence_tee.c). */
typedef struct capped {
	FILE *f;
	size_t n;
	bool over, failed;
} capped;

static size_t read_capped(void *out, size_t len, void *arg)
{
	capped *c = arg;
	size_t room = VULN_JSON_MAX - c->n;
	if (room == 0) { /* the limit reached: one byte more is one too many */
		if (fgetc(c->f) == EOF)
			return ferror(c->f) ? (c->failed = true, (size_t)-1) : 0;
		c->over = true;
		return (size_t)-1;
	}
	size_t r = fread(out, 1, len < room ? len : room, c->f);
	if (r == 0 && ferror(c->f)) {
		c->failed = true;
		return (size_t)-1;
	}
	c->n += r;
	return r;
}

int vuln_wpscan(vuln_src *s)
{
	json_error_t je;
	capped c = {.f = s->f};
	json_t *root = json_load_callback(read_capped, &c, 0, &je);
	if (c.over)
		return sg_err_set(s->e, SG_ETOOBIG,
		                  "%s: a WPScan report of more than %d MiB; sigap reads WPScan reports "
		                  "up to that size",
		                  s->name, VULN_JSON_MAX >> 20);
	if (c.failed)
		return sg_err_set(s->e, SG_EIO, "%s: cannot read", s->name);
	if (!root)
		return sg_err_set(s->e, SG_EINVAL, "%s:%d:%d: not JSON: %s", s->name, je.line, je.column,
		                  je.text);
	wp w = {.s = s};
	int rc = report(&w, root);
	json_decref(root);
	free((char *)w.host);
	buf_free(&w.id);
	buf_free(&w.sol);
	buf_free(&w.evidence);
	buf_free(&w.text);
	vuln_list_free(&w.cves);
	vuln_list_free(&w.refs);
	return rc;
}
