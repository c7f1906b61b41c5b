/*
 * monitor_check.c: checking the watched sites and recording what was
 * found (app.h, docs/monitor.md).
 *
 * A check fetches every page of its sites twice (as a browser and as
 * Googlebot) through one libcurl multi handle, outside any transaction,
 * reads and judges each page (src/monitor/), then records each site in a
 * transaction of its own:
 *   - the page as read, when it changed since the last check: its text
 *     and scripts (what an officer accepts as the baseline), and the body
 *     and a text snapshot kept as evidence under their SHA-256, with the
 *     custody of the fetch (URL, final URL, address, User-Agent, time,
 *     node);
 *   - findings: a new one is opened with an alert on the site's asset
 *     (folded into the undecided alert of the same page and kind: a site
 *     down again and again is one alert with a count) and the page kept
 *     as it was found; one seen again counts; one no longer seen is
 *     resolved (the recovery). A finding on the page's content is judged
 *     gone only when the page was read;
 *   - the check (the first page's status and timings, for the chart) and
 *     the site's state: its worst open finding.
 * Memory is bounded: sites are fetched in batches of at most BATCH_FETCHES
 * transfers, each body at most [pantau] max_halaman.
 */
#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/ticker.h"
#include "app.h"
#include "base/textdiff.h"
#include "monitor/analyse.h"

enum {
	BATCH_FETCHES = 64,
	ALERT_WINDOW = 30 * 86400,
	DIFF_LINES = 200,
	ROUND_SECONDS = 5,
	SITEMAP_PAGES = 20,  /* pages of a sitemap checked besides the site's own */
	FOLLOW_PAGES = 20,   /* pages no longer listed checked for their open
	                      * findings (follow_open_pages) */
	SITEMAP_FILES = 16,  /* sitemap files read a site: its /sitemap.xml, its
	                      * robots.txt's, an index's */
	SITEMAP_URLS = 50000 /* URLs of a sitemap kept to tell new ones (the
	                      * most one sitemap may list, by sitemaps.org) */
};

struct monitor_checker {
	mon_rules *rules;
	mon_scan *scan;
};

monitor_checker *monitor_checker_new(app *a, diags *d)
{
	const char *paths[1] = {a->cfg.mon_rules};
	mon_rules *r = mon_rules_load(paths, a->cfg.mon_rules ? 1 : 0, true, d);
	if (!r)
		return NULL;
	monitor_checker *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->rules = r;
	c->scan = mon_scan_new(r);
	return c;
}

void monitor_checker_free(monitor_checker *c)
{
	if (!c)
		return;
	mon_scan_free(c->scan);
	mon_rules_free(c->rules);
	free(c);
}

/* ---- one site's pages and what was read of them ---- */

typedef struct page_view {
	char *url;
	mon_fetch_res b, c; /* as a browser, as a crawler */
	mon_page bp, cp;
	bool have_b, have_c;
	mon_findings found;
	char *snapshot; /* title, text, hidden text: what is kept as evidence */
	char *scripts;  /* JSON array of the external scripts */
	const char *text; /* what is compared: the visible text, or a sitemap's URLs */
	bool sitemap;     /* the site's /sitemap.xml: its URLs are its text */
	bool followed;    /* no longer listed, checked for its open findings */
	bool gone;        /* followed, and answered 404 or 410: removed */
	int64_t fetch_id; /* the kept fetch of this check; 0: none yet */
	int64_t c_fetch_id; /* the crawler's, kept for a crawler's finding */
	char b_sha[2][65], c_sha[2][65]; /* the kept body and text of each view */
} page_view;

/* A script of the site's own host that its pages load, fetched
 * once a check for its hash (scripts_read). */
typedef struct script_fetch {
	char *url;
	char sha256[65];   /* of its body; "" when it could not be read whole */
	mon_fetch_res res; /* the fetch, its body kept only when it differs
	                    * from a baseline's (the evidence of skrip_berubah) */
	const mon_fetch_res *kept; /* that fetch, here or in another site's
	                            * script_fetch of the batch; NULL: not kept */
	int64_t fetch_id;  /* kept as evidence in this check; 0: not yet */
	char sha[2][65];
} script_fetch;

typedef struct site {
	int64_t id, asset_id, period;
	bool sitemap;
	char *url, *asset_name;
	page_view *pages;
	size_t n_pages;
	mon_selector *regions;
	size_t n_regions;
	char **dyn_scripts; /* paths of scripts whose content is not compared */
	size_t n_dyn_scripts;
	script_fetch *scripts; /* owned */
	size_t n_scripts;
} site;

static script_fetch *site_script(const site *s, const char *url)
{
	for (size_t i = 0; i < s->n_scripts; i++)
		if (strcmp(s->scripts[i].url, url) == 0)
			return &s->scripts[i];
	return NULL;
}

static void site_free(site *s)
{
	for (size_t i = 0; i < s->n_pages; i++) {
		page_view *p = &s->pages[i];
		free(p->url);
		mon_fetch_res_free(&p->b);
		mon_fetch_res_free(&p->c);
		if (p->have_b && !p->sitemap)
			mon_page_free(&p->bp);
		if (p->have_c)
			mon_page_free(&p->cp);
		mon_findings_free(&p->found);
		free(p->snapshot);
		free(p->scripts);
	}
	for (size_t i = 0; i < s->n_scripts; i++) {
		free(s->scripts[i].url);
		mon_fetch_res_free(&s->scripts[i].res);
	}
	free(s->scripts);
	for (size_t i = 0; i < s->n_dyn_scripts; i++)
		free(s->dyn_scripts[i]);
	free(s->dyn_scripts);
	free(s->pages);
	free(s->regions);
	free(s->url);
	free(s->asset_name);
	memset(s, 0, sizeof *s);
}

static int site_load(app *a, int64_t id, site *s, sg_err *e)
{
	memset(s, 0, sizeof *s);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT m.asset_id, m.url, m.period, m.paths, m.regions, s.name, m.sitemap "
	                    "FROM monitor_sites m JOIN assets s ON s.id = m.asset_id WHERE m.id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		return rc == DB_DONE ? sg_err_set(e, SG_ENOTFOUND, "no watched site %lld", (long long)id)
		                     : -1;
	}
	s->id = id;
	s->asset_id = db_col_int(st, 0);
	s->url = strdup(db_col_text(st, 1));
	s->period = db_col_int(st, 2);
	s->asset_name = strdup(db_col_text(st, 5));
	s->sitemap = db_col_int(st, 6) != 0;
	json_t *paths = json_loads(db_col_text(st, 3), 0, NULL);
	json_t *regions = json_loads(db_col_text(st, 4), 0, NULL);
	db_finalize(st);
	size_t np = json_array_size(paths), nr = json_array_size(regions);
	/* room for the sitemap and its pages */
	s->pages = calloc(np + 1 + (s->sitemap ? SITEMAP_PAGES + 1 : 0) + FOLLOW_PAGES,
	                  sizeof *s->pages);
	s->regions = calloc(nr ? nr : 1, sizeof *s->regions);
	s->dyn_scripts = calloc(nr ? nr : 1, sizeof *s->dyn_scripts);
	if (!s->pages || !s->regions || !s->dyn_scripts || !s->url || !s->asset_name)
		abort();
	s->pages[s->n_pages++].url = strdup(s->url);
	for (size_t i = 0; i < np; i++) {
		const char *p = json_string_value(json_array_get(paths, i));
		if (p)
			s->pages[s->n_pages++].url = mon_page_url(s->url, p);
	}
	sg_err ignore;
	for (size_t i = 0; i < nr; i++) {
		const char *r = json_string_value(json_array_get(regions, i));
		if (r && r[0] == '/') {
			if (!(s->dyn_scripts[s->n_dyn_scripts++] = strdup(r)))
				abort();
		} else if (r && mon_selector_parse(r, &s->regions[s->n_regions], &ignore)) {
			s->n_regions++;
		}
	}
	json_decref(paths);
	json_decref(regions);
	return 0;
}

/* A page's scripts as monitor_pages and monitor_baselines keep them:
 *   {"src": [{"url": U, "sha256": H}, ...], "inline": [H, ...]}
 * H "" when the script was not read. A baseline accepted before the
 * hashes were kept is a JSON array of the URLs alone. */
static char *scripts_of(const mon_page *p)
{
	json_t *src = json_array(), *in = json_array();
	for (size_t i = 0; i < p->n_scripts; i++) {
		const mon_script *x = &p->scripts[i];
		if (x->src)
			json_array_append_new(src, json_pack("{s:s, s:s}", "url", x->src, "sha256",
			                                     x->sha256));
		else if (x->excerpt[0])
			json_array_append_new(in, json_string(x->sha256));
	}
	json_t *o = json_pack("{s:o, s:o}", "src", src, "inline", in);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		abort();
	return s;
}

/* The scripts of a baseline read back (pointers into j). */
typedef struct baseline_scripts {
	json_t *j;
	mon_script_seen *v;
	size_t n;
	bool inline_known;
} baseline_scripts;

static void baseline_scripts_read(const char *text, baseline_scripts *out)
{
	memset(out, 0, sizeof *out);
	out->j = json_loads(text, 0, NULL);
	json_t *src = json_is_array(out->j) ? out->j : json_object_get(out->j, "src"),
	       *in = json_object_get(out->j, "inline");
	out->inline_known = json_is_array(in);
	size_t n = json_array_size(src) + json_array_size(in);
	out->v = calloc(n ? n : 1, sizeof *out->v);
	if (!out->v)
		abort();
	size_t i;
	json_t *x;
	json_array_foreach(src, i, x) {
		const char *u = json_is_string(x) ? json_string_value(x)
		                                  : json_string_value(json_object_get(x, "url"));
		const char *h = json_string_value(json_object_get(x, "sha256"));
		if (u)
			out->v[out->n++] = (mon_script_seen){u, h ? h : ""};
	}
	json_array_foreach(in, i, x) {
		if (json_string_value(x))
			out->v[out->n++] = (mon_script_seen){NULL, json_string_value(x)};
	}
}

static void baseline_scripts_free(baseline_scripts *b)
{
	json_decref(b->j);
	free(b->v);
}

/* The baseline of a page, when one is accepted (text owned by the
 * caller; scripts freed with baseline_scripts_free, NULL: not wanted). */
static bool baseline_load(app *a, int64_t site_id, const char *page, char **text,
                          baseline_scripts *scripts)
{
	sg_err e;
	db_stmt *st;
	*text = NULL;
	if (scripts)
		memset(scripts, 0, sizeof *scripts);
	if (db_prepare_bind(a->db, &st, &e,
	                    "SELECT text, scripts FROM monitor_baselines WHERE site_id = ? AND page = ?",
	                    "is", site_id, page) != 0)
		return false;
	if (db_step(st, &e) == DB_ROW) {
		*text = strdup(db_col_text(st, 0));
		if (scripts)
			baseline_scripts_read(db_col_text(st, 1), scripts);
	}
	db_finalize(st);
	return *text != NULL;
}

static char *snapshot_of(const mon_page *p)
{
	buf b = {0};
	buf_printf(&b, "%s\n\n%s\n", p->title, p->text);
	if (p->hidden_len)
		buf_printf(&b, "\n[tersembunyi]\n%s\n", p->hidden);
	return buf_steal(&b);
}

/* A sitemap's URLs against the accepted ones. */
static void judge_sitemap(app *a, monitor_checker *c, site *s, page_view *p)
{
	if (!p->have_b)
		return;
	char *btext = NULL;
	if (baseline_load(a, s->id, p->url, &btext, NULL))
		mon_sitemap_compare(btext, p->snapshot, c->scan, &p->found);
	free(btext);
}

/* The hosts a page links to that the indicator store names (as domains,
 * the host or a parent of it, not expired): a finding. One indexed
 * query a host and parent, for at most LINK_HOSTS hosts a page. */
static void listed_links(app *a, const page_view *p, const char *site_url, mon_findings *out)
{
	enum { LINK_HOSTS = 100 };
	const char *hosts[LINK_HOSTS];
	size_t n = mon_foreign_hosts(&p->bp, site_url, hosts, LINK_HOSTS);
	char what[768] = "";
	size_t used = 0;
	long found = 0;
	sg_err e;
	for (size_t i = 0; i < n; i++) {
		int64_t id = 0;
		/* the host, then each parent domain with two labels or more */
		for (const char *d = hosts[i]; d && strchr(d, '.') && !id; d = strchr(d, '.') + 1) {
			if (db_query_int(a->db, &e, &id,
			                 "SELECT id FROM indicators WHERE value = ? AND type = 'domain' AND "
			                 "(expires_at IS NULL OR expires_at > ?) ORDER BY id LIMIT 1",
			                 "si", d, app_now(a)) != DB_ROW)
				id = 0;
		}
		if (!id)
			continue;
		found++;
		int w = snprintf(what + used, sizeof what - used, "%s%s (%lld)", used ? ", " : "", hosts[i],
		                 (long long)id);
		if (w > 0 && used + (size_t)w < sizeof what)
			used += (size_t)w;
	}
	if (found)
		mon_indicator_links(out, found, what);
}

/* Reads one page of s as the browser and the crawler were given it. */
static void read_page(site *s, page_view *p)
{
	sg_err e;
	if (p->sitemap)
		return;
	if (p->b.reached)
		p->have_b = mon_page_parse(p->b.body, p->b.body_len, p->b.final_url, s->regions,
		                           s->n_regions, &p->bp, &e) == 0;
	if (p->c.reached)
		p->have_c = mon_page_parse(p->c.body, p->c.body_len, p->c.final_url, s->regions,
		                           s->n_regions, &p->cp, &e) == 0;
}

/* Judges one page of s, read (read_page) and its scripts hashed. */
static void judge(app *a, monitor_checker *c, site *s, page_view *p)
{
	if (p->sitemap)
		return judge_sitemap(a, c, s, p);
	p->gone = p->followed && p->b.reached && (p->b.status == 404 || p->b.status == 410);
	if (p->gone)
		return;
	char *btext = NULL;
	baseline_scripts bs = {0};
	mon_baseline base = {0};
	if (baseline_load(a, s->id, p->url, &btext, &bs))
		base = (mon_baseline){btext, bs.v, bs.n, bs.inline_known};
	mon_limits lim = {.now = app_now(a),
	                  .slow_ms = (long)a->cfg.mon_slow * 1000L,
	                  .cert_warn_days = a->cfg.mon_cert_warn,
	                  .changed_min = 0,
	                  .replaced_min = 0.8};
	mon_analyse(p->url, &p->b, p->have_b ? &p->bp : NULL, &p->c, p->have_c ? &p->cp : NULL,
	            btext ? &base : NULL, c->scan, &lim, &p->found);
	if (p->have_b) {
		listed_links(a, p, s->url, &p->found);
		p->snapshot = snapshot_of(&p->bp);
		p->scripts = scripts_of(&p->bp);
		p->text = p->bp.text;
	}
	free(btext);
	baseline_scripts_free(&bs);
}

/* ---- recording ---- */

/* What tells two findings of one kind on a page apart. */
static void ident_of(const mon_finding *f, char *out, size_t n)
{
	if (f->rule[0])
		snprintf(out, n, "%s", f->rule);
	else if (f->kind == MON_F_SCRIPT || (f->kind == MON_F_SCRIPT_CHANGED && !f->value))
		snprintf(out, n, "%.700s", f->what);
	else if (f->kind == MON_F_SCRIPT_CHANGED)
		snprintf(out, n, "inline");
	else if (f->kind == MON_F_REDIRECT)
		snprintf(out, n, "%s", f->crawler ? "crawler" : f->value ? "refresh" : "http");
	else if (f->kind == MON_F_CLOAKING)
		snprintf(out, n, "%s", f->value ? "differ" : "redirect");
	else
		out[0] = '\0';
}

/* Whether the check could have seen a finding of kind k on page p. */
static bool judged(const page_view *p, mon_kind k)
{
	if (p->gone)
		return true; /* a page removed: what was found on it is gone */
	switch (k) {
	case MON_F_DOWN:
	case MON_F_HTTP:
	case MON_F_SLOW:
	case MON_F_CERT:
	case MON_F_CERT_SOON:
	case MON_F_REDIRECT:
		return true;
	case MON_F_CLOAKING:
		return p->have_b && p->have_c && p->b.status < 400;
	default:
		return p->have_b && p->b.status < 400;
	}
}

static const char *same(const char *s)
{
	return s;
}

/* A view's body and text kept as evidence with its custody (what was
 * fetched, from where, when, as whom, by which server); *id its record. */
static int keep_view(app *a, const site *s, const char *url, const mon_fetch_res *r,
                     const char *snapshot, const char *agent, const char *node,
                     evidence_file *files, int *n_files, int64_t *id, char sha[2][65], sg_err *e)
{
	evidence_file *body = &files[(*n_files)++], *text = &files[(*n_files)++];
	if (evidence_spool_data(a, r->body, r->body_len, body, e) != 0 ||
	    evidence_spool_data(a, snapshot, strlen(snapshot), text, e) != 0 ||
	    evidence_place(a, body, e) != 0 || evidence_place(a, text, e) != 0)
		return -1;
	memcpy(sha[0], body->sha256, 65);
	memcpy(sha[1], text->sha256, 65);
	return db_insert(a->db, e, id,
	                 "INSERT INTO monitor_fetches (site_id, url, final_url, address, agent, status, "
	                 "fetched_at, node, body_sha, body_size, text_sha) "
	                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                 "issssiissis", s->id, url, r->final_url ? r->final_url : url, r->address,
	                 agent, r->status, app_now(a), node, body->sha256, (int64_t)r->body_len,
	                 text->sha256);
}

/* The page as the browser read it kept (once a check). */
static int keep_fetch(app *a, const site *s, page_view *p, const char *node, evidence_file *files,
                      int *n_files, sg_err *e)
{
	if (p->fetch_id || !p->have_b)
		return 0;
	return keep_view(a, s, p->url, &p->b, p->snapshot, a->cfg.mon_agent, node, files, n_files,
	                 &p->fetch_id, p->b_sha, e);
}

/* The page as the crawler read it kept (once a check): the evidence of
 * what only crawlers are shown. */
static int keep_crawler_fetch(app *a, const site *s, page_view *p, const char *node,
                              evidence_file *files, int *n_files, sg_err *e)
{
	if (p->c_fetch_id || !p->have_c)
		return 0;
	char *snap = snapshot_of(&p->cp);
	int rc = keep_view(a, s, p->url, &p->c, snap, a->cfg.mon_crawler_agent, node, files, n_files,
	                   &p->c_fetch_id, p->c_sha, e);
	free(snap);
	return rc;
}

/* What a new finding keeps as its evidence: the page as the browser or
 * the crawler read it, or the script that changed. */
typedef struct kept_view {
	int64_t fetch_id;
	const char (*sha)[65]; /* the body's and the text's */
	const mon_fetch_res *r;
	const char *agent;
} kept_view;

static int keep_for(app *a, const site *s, page_view *p, const mon_finding *f, const char *node,
                    evidence_file *files, int *n_files, kept_view *k, sg_err *e)
{
	script_fetch *x = f->kind == MON_F_SCRIPT_CHANGED && !f->value ? site_script(s, f->what) : NULL;
	if (x && x->kept) {
		/* a script's text is itself */
		if (!x->fetch_id && keep_view(a, s, x->url, x->kept, x->kept->body, a->cfg.mon_agent,
		                              node, files, n_files, &x->fetch_id, x->sha, e) != 0)
			return -1;
		*k = (kept_view){x->fetch_id, (const char(*)[65])x->sha, x->kept, a->cfg.mon_agent};
		return 0;
	}
	if (f->crawler && p->have_c) {
		if (keep_crawler_fetch(a, s, p, node, files, n_files, e) != 0)
			return -1;
		*k = (kept_view){p->c_fetch_id, (const char(*)[65])p->c_sha, &p->c,
		                 a->cfg.mon_crawler_agent};
		return 0;
	}
	if (keep_fetch(a, s, p, node, files, n_files, e) != 0)
		return -1;
	*k = (kept_view){p->fetch_id, (const char(*)[65])p->b_sha, &p->b, a->cfg.mon_agent};
	return 0;
}

/* The lines of the baseline and the page that differ, "- " and "+ ". */
static char *diff_of(app *a, int64_t site_id, const page_view *p)
{
	char *btext = NULL;
	if (!p->have_b || !baseline_load(a, site_id, p->url, &btext, NULL))
		return NULL;
	diff_line *d = NULL;
	size_t n = 0;
	buf b = {0};
	if (textdiff(btext, p->bp.text, 20000, 4000, &d, &n) == 0) {
		size_t shown = 0;
		for (size_t i = 0; i < n && shown < DIFF_LINES; i++)
			if (d[i].op != DIFF_SAME) {
				buf_printf(&b, "%c %.*s\n", d[i].op, (int)d[i].len, d[i].text);
				shown++;
			}
		if (shown == DIFF_LINES)
			buf_puts(&b, "…\n");
	} else {
		buf_puts(&b, "(the texts are too far apart to show line by line)\n");
	}
	free(d);
	free(btext);
	return buf_steal(&b);
}

/* The alert of a new finding: on the site's asset, its event the
 * finding's fields (the alert page writes the sentence in the reader's
 * language from them) and the page kept as it was found. */
static int raise_alert(app *a, const site *s, const page_view *p, const mon_finding *f,
                       const char *ident, const kept_view *k, int64_t *alert_id, sg_err *e)
{
	char rule_id[200], title[1000], sentence[1400], site_id[24], value[24], value2[24];
	snprintf(rule_id, sizeof rule_id, "monitor:%s%s%.100s", mon_kind_code(f->kind),
	         f->rule[0] ? ":" : "", f->rule);
	snprintf(title, sizeof title, "%s: %.400s",
	         f->kind == MON_F_CONTENT ? f->title : mon_kind_title(f->kind), p->url);
	mon_finding_sentence(f, same, sentence, sizeof sentence);
	snprintf(site_id, sizeof site_id, "%lld", (long long)s->id);
	snprintf(value, sizeof value, "%ld", f->value);
	snprintf(value2, sizeof value2, "%ld", f->value2);
	const char(*sha)[65] = k->sha;
	const mon_fetch_res *r = k->r;
	json_t *fields = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "site", site_id, "url",
	    p->url, "kind", mon_kind_code(f->kind), "ident", ident, "rule", f->rule, "title", f->title,
	    "what", f->what, "value", value, "value2", value2, "crawler", f->crawler ? "1" : "0",
	    "hidden", f->hidden ? "1" : "0", "final_url", r->final_url ? r->final_url : "");
	if (sha[0][0]) {
		json_object_set_new(fields, "body_sha256", json_string(sha[0]));
		json_object_set_new(fields, "text_sha256", json_string(sha[1]));
		json_object_set_new(fields, "agent", json_string(k->agent));
	}
	json_t *event = json_pack("{s:s, s:s, s:o}", "format", "monitor", "raw", sentence, "fields",
	                          fields);
	alert_in in = {.kind = "monitor",
	               .rule_id = rule_id,
	               .title = title,
	               .level = f->level,
	               .asset = p->url,
	               .at = app_now(a),
	               .event = event,
	               .url = p->url,
	               .asset_id = s->asset_id,
	               .refresh = true};
	alert_out out;
	int rc = alert_record(a, &in, ALERT_WINDOW, &out, e);
	json_decref(event);
	*alert_id = out.id;
	return rc;
}

static const char *state_of(const char *kind)
{
	static const struct {
		const char *kind, *state;
	} map[] = {{"deface", "deface"},
	           {"judi", "injeksi"},
	           {"cloaking", "injeksi"},
	           {"tautan_tersembunyi", "injeksi"},
	           {"konten", "injeksi"},
	           {"pengalihan_asing", "injeksi"},
	           {"tautan_indikator", "injeksi"},
	           {"tidak_terjangkau", "turun"},
	           {"galat_http", "turun"},
	           {"berubah", "berubah"},
	           {"skrip_baru", "berubah"},
	           {"skrip_berubah", "berubah"},
	           {"sitemap_baru", "berubah"},
	           {"sertifikat_tidak_sah", "sertifikat"},
	           {"sertifikat_segera_habis", "sertifikat"},
	           {"lambat", "lambat"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].kind, kind) == 0)
			return map[i].state;
	return "normal";
}

/* Whether a finding's what lists what was seen (signs, links, pages,
 * scripts): other than before, it is news. (An error's wording, a
 * time, is not.) */
static bool listing(mon_kind k)
{
	return k == MON_F_DEFACE || k == MON_F_JUDI || k == MON_F_CONTENT ||
	       k == MON_F_HIDDEN_LINKS || k == MON_F_SITEMAP || k == MON_F_IOC_LINK ||
	       k == MON_F_SCRIPT_CHANGED;
}

static int state_rank(const char *state)
{
	static const char *const order[] = {"normal", "lambat", "sertifikat", "berubah",
	                                    "turun", "injeksi", "deface"};
	for (int i = 0; i < 7; i++)
		if (strcmp(order[i], state) == 0)
			return i;
	return 0;
}

/* The site's state after the check: its worst open finding. */
static int site_state(app *a, int64_t id, char state[16], int64_t *open, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.kind, CASE WHEN f.page = m.url THEN 1 ELSE 0 END "
	                    "FROM monitor_findings f JOIN monitor_sites m ON m.id = f.site_id "
	                    "WHERE f.site_id = ? AND f.resolved_at IS NULL",
	                    "i", id) != 0)
		return -1;
	snprintf(state, 16, "normal");
	*open = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *s = state_of(db_col_text(st, 0));
		/* the site is down when its first page is; another page that
		 * fails is a change of the site */
		if (strcmp(s, "turun") == 0 && !db_col_int(st, 1))
			s = "berubah";
		if (state_rank(s) > state_rank(state))
			snprintf(state, 16, "%s", s);
		(*open)++;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

typedef struct open_finding {
	int64_t id;
	char page[2048], kind[32], ident[800], level[16], what[768];
	bool seen;
} open_finding;

static open_finding *open_findings(app *a, int64_t id, size_t *n, sg_err *e)
{
	db_stmt *st;
	*n = 0;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, page, kind, ident, level, detail FROM monitor_findings "
	                    "WHERE site_id = ? AND resolved_at IS NULL",
	                    "i", id) != 0)
		return NULL;
	size_t cap = 16;
	open_finding *v = malloc(cap * sizeof *v);
	if (!v)
		abort();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (*n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				abort();
		}
		open_finding *f = &v[(*n)++];
		f->id = db_col_int(st, 0);
		snprintf(f->page, sizeof f->page, "%s", db_col_text(st, 1));
		snprintf(f->kind, sizeof f->kind, "%s", db_col_text(st, 2));
		snprintf(f->ident, sizeof f->ident, "%s", db_col_text(st, 3));
		snprintf(f->level, sizeof f->level, "%s", db_col_text(st, 4));
		json_t *d = json_loads(db_col_text(st, 5), 0, NULL);
		snprintf(f->what, sizeof f->what, "%s",
		         json_string_value(json_object_get(d, "what")) ?: "");
		json_decref(d);
		f->seen = false;
	}
	db_finalize(st);
	if (rc < 0) {
		free(v);
		return NULL;
	}
	return v;
}

static json_t *detail_of(const mon_finding *f)
{
	return json_pack("{s:s, s:s, s:b, s:b, s:I, s:I, s:s}", "rule", f->rule, "title", f->title,
	                 "crawler", f->crawler, "hidden", f->hidden, "value", (json_int_t)f->value,
	                 "value2", (json_int_t)f->value2, "what", f->what);
}

/* The page as read, when it changed since the last check. */
static int record_page(app *a, const site *s, page_view *p, const char *node, evidence_file *files,
                       int *n_files, sg_err *e)
{
	/* an error page is not the page: never what an officer accepts */
	if (!p->have_b || p->b.status >= 400)
		return 0;
	int64_t same_text = 0;
	if (db_query_int(a->db, e, &same_text,
	                 "SELECT COUNT(*) FROM monitor_pages WHERE site_id = ? AND page = ? "
	                 "AND text = ? AND scripts = ?",
	                 "isss", s->id, p->url, p->text, p->scripts) < 0)
		return -1;
	if (same_text)
		return 0;
	if (keep_fetch(a, s, p, node, files, n_files, e) != 0)
		return -1;
	return db_run(a->db, e,
	              "INSERT INTO monitor_pages (site_id, page, text, scripts, fetch_id, seen_at) "
	              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, page) DO UPDATE SET "
	              "text = excluded.text, scripts = excluded.scripts, fetch_id = excluded.fetch_id, "
	              "seen_at = excluded.seen_at",
	              "isssii", s->id, p->url, p->text, p->scripts, p->fetch_id, app_now(a));
}

static int record_site(app *a, site *s, const char *node, monitor_result *out, sg_err *e)
{
	int64_t now = app_now(a);
	/* four files a page at most (the browser's and the crawler's view),
	 * two a changed script */
	evidence_file *files = calloc(s->n_pages * 4 + s->n_scripts * 2 + 2, sizeof *files);
	if (!files)
		abort();
	int n_files = 0, rc = -1;
	size_t n_open = 0;
	open_finding *open = NULL;
	if (db_begin(a->db, e) != 0)
		goto out;
	if (!(open = open_findings(a, s->id, &n_open, e)))
		goto fail;
	for (size_t i = 0; i < s->n_pages; i++) {
		page_view *p = &s->pages[i];
		if (record_page(a, s, p, node, files, &n_files, e) != 0)
			goto fail;
		for (size_t k = 0; k < p->found.n; k++) {
			const mon_finding *f = &p->found.v[k];
			char ident[800];
			ident_of(f, ident, sizeof ident);
			open_finding *was = NULL;
			for (size_t j = 0; j < n_open && !was; j++)
				if (strcmp(open[j].page, p->url) == 0 &&
				    strcmp(open[j].kind, mon_kind_code(f->kind)) == 0 &&
				    strcmp(open[j].ident, ident) == 0)
					was = &open[j];
			json_t *detail = detail_of(f);
			char *dj = json_dumps(detail, JSON_COMPACT);
			json_decref(detail);
			int r;
			if (was && was->seen) { /* the same finding twice in one check */
				r = 0;
			} else if (was) {
				was->seen = true;
				r = db_run(a->db, e,
				           "UPDATE monitor_findings SET last_at = ?, count = count + 1, level = ?, "
				           "detail = ? WHERE id = ?",
				           "issi", now, f->level, dj, was->id);
				/* grown worse, or other than it was (more pages in the sitemap,
				 * other signs): its alert is told again, with the page now */
				if (r == 0 && (alert_level_rank(f->level) > alert_level_rank(was->level) ||
				               (listing(f->kind) && strcmp(f->what, was->what) != 0))) {
					kept_view kv;
					int64_t alert = 0;
					r = keep_for(a, s, p, f, node, files, &n_files, &kv, e) != 0 ||
					            raise_alert(a, s, p, f, ident, &kv, &alert, e) != 0 ||
					            db_run(a->db, e,
					                   "UPDATE monitor_findings SET alert_id = ?, "
					                   "fetch_id = NULLIF(?, 0) WHERE id = ?",
					                   "iii", alert, kv.fetch_id, was->id) != 0
					        ? -1
					        : 0;
					if (r == 0)
						out->alerts++;
				}
			} else {
				int64_t alert = 0, fid = 0;
				char *diff = f->kind == MON_F_CHANGED || (f->kind == MON_F_DEFACE && !f->rule[0])
				                 ? diff_of(a, s->id, p)
				                 : NULL;
				kept_view kv;
				r = keep_for(a, s, p, f, node, files, &n_files, &kv, e) != 0 ||
				            raise_alert(a, s, p, f, ident, &kv, &alert, e) != 0
				        ? -1
				        : db_insert(a->db, e, &fid,
				                    "INSERT INTO monitor_findings (site_id, page, kind, ident, level, "
				                    "detail, diff, first_at, last_at, alert_id, fetch_id) "
				                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))",
				                    "issssssiiii", s->id, p->url, mon_kind_code(f->kind), ident,
				                    f->level, dj, diff, now, now, alert, kv.fetch_id);
				free(diff);
				if (r == 0) {
					out->found++;
					out->alerts++;
					/* the list of open findings learns it (a second sighting in
					 * this check is the same finding) */
					open = realloc(open, (n_open + 1) * sizeof *open);
					if (!open)
						abort();
					open_finding *nf = &open[n_open++];
					nf->id = fid;
					snprintf(nf->page, sizeof nf->page, "%s", p->url);
					snprintf(nf->kind, sizeof nf->kind, "%s", mon_kind_code(f->kind));
					snprintf(nf->ident, sizeof nf->ident, "%s", ident);
					nf->seen = true;
				}
			}
			free(dj);
			if (r != 0)
				goto fail;
		}
	}
	/* what was judged and not seen again is gone */
	for (size_t j = 0; j < n_open; j++) {
		if (open[j].seen)
			continue;
		const page_view *p = NULL;
		for (size_t i = 0; i < s->n_pages && !p; i++)
			if (strcmp(s->pages[i].url, open[j].page) == 0)
				p = &s->pages[i];
		int k = mon_kind_of(open[j].kind);
		/* a page no longer watched: its findings end too */
		if (p && k >= 0 && !judged(p, (mon_kind)k))
			continue;
		if (db_run(a->db, e, "UPDATE monitor_findings SET resolved_at = ? WHERE id = ?", "ii", now,
		           open[j].id) != 0)
			goto fail;
		out->resolved++;
	}
	char state[16];
	int64_t n_now = 0;
	const mon_fetch_res *home = &s->pages[0].b;
	if (site_state(a, s->id, state, &n_now, e) != 0 ||
	    db_run(a->db, e,
	           "INSERT INTO monitor_checks (site_id, at, status, ms, ttfb_ms, findings, "
	           "final_url, redirects) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	           "iiiiiiss", s->id, now, home->reached ? home->status : 0, home->total_us / 1000,
	           home->ttfb_us / 1000, n_now, home->final_url ? home->final_url : "",
	           home->redirects) != 0 ||
	    db_run(a->db, e,
	           "UPDATE monitor_sites SET state = ?, last_at = ?, last_ms = ?, last_status = ?, "
	           "cert_not_after = COALESCE(NULLIF(?, 0), cert_not_after) WHERE id = ?",
	           "siiiii", state, now, home->total_us / 1000, home->reached ? home->status : 0,
	           home->cert_not_after ? home->cert_not_after : 0, s->id) != 0)
		goto fail;
	if (!home->cert_not_after &&
	    db_run(a->db, e,
	           "UPDATE monitor_sites SET cert_not_after = NULL WHERE id = ? AND url LIKE 'http:%'",
	           "i", s->id) != 0)
		goto fail;
	if (db_commit(a->db, e) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(a->db);
	for (int i = 0; i < n_files; i++)
		evidence_unplace(a, &files[i]);
out:
	for (int i = 0; i < n_files; i++)
		evidence_file_discard(&files[i]);
	free(files);
	free(open);
	return rc;
}

/* ---- checking ---- */

static mon_fetch_opts fetch_opts(const app *a)
{
	mon_fetch_opts o = {
		.timeout_ms = (long)a->cfg.mon_timeout * 1000L,
		.connect_timeout_ms = 10000,
		.max_body = (size_t)a->cfg.mon_max_page,
		.concurrency = a->cfg.mon_concurrency,
		.max_redirects = 10,
		.ca_file = a->cfg.mon_ca_file,
		.allow_internal = a->cfg.mon_internal,
	};
	if (o.connect_timeout_ms > o.timeout_ms)
		o.connect_timeout_ms = o.timeout_ms;
	return o;
}

/* Fetches reqs[0..n) BATCH_FETCHES at a time (the bodies of one batch at
 * most in memory), handing each outcome to take, which owns it, as its
 * batch ends. */
typedef void (*take_fn)(void *ctx, size_t i, mon_fetch_res *r);

static void fetch_each(app *a, const mon_fetch_req *reqs, size_t n, take_fn take, void *ctx,
                       monitor_result *out)
{
	/* what a page names (sitemaps, scripts) waits at most 10 s: a hostile
	 * site naming many that never end holds its batch less */
	mon_fetch_opts o = fetch_opts(a);
	if (o.timeout_ms > 10000)
		o.timeout_ms = 10000;
	if (o.connect_timeout_ms > o.timeout_ms)
		o.connect_timeout_ms = o.timeout_ms;
	mon_fetch_res *res = calloc(BATCH_FETCHES, sizeof *res);
	if (!res)
		abort();
	for (size_t at = 0; at < n; at += BATCH_FETCHES) {
		size_t m = n - at < BATCH_FETCHES ? n - at : BATCH_FETCHES;
		if (mon_fetch_all(reqs + at, res, m, &o, NULL, NULL) != 0)
			memset(res, 0, m * sizeof *res); /* out of memory: as not reached */
		out->fetches += (int64_t)m;
		for (size_t k = 0; k < m; k++)
			take(ctx, at + k, &res[k]);
	}
	free(res);
}

/* A site's sitemap files as they are read (read_sitemaps). */
typedef struct sitemap_read {
	site *s;
	page_view *p;               /* the site's sitemap page */
	char host[256];             /* the site's */
	char *files[SITEMAP_FILES]; /* the files to read, then read */
	size_t n_files, next;       /* next: the first not fetched yet */
	buf lines;                  /* every URL the files list, sitemaps too */
	buf pages;                  /* the pages alone */
	size_t n_lines;             /* URLs in lines: at most SITEMAP_URLS */
	size_t max_bytes;           /* of lines: [pantau] max_halaman */
	buf manifest;               /* each file fetched: its custody */
	char address[64];           /* the first file's */
	bool read;                  /* a file was read */
} sitemap_read;

/* A file fetched, in the list kept as the sitemap's evidence: what was
 * asked, what answered, from where, and the SHA-256 of what came. */
static void sitemap_manifest(sitemap_read *r, const char *url, const mon_fetch_res *res)
{
	char sha[65] = "-";
	if (!r->manifest.len)
		buf_puts(&r->manifest, "# url\tstatus\tfinal_url\taddress\tbytes\tsha256\n");
	if (res->body)
		sha256_hex(res->body, res->body_len, sha);
	buf_printf(&r->manifest, "%s\t%ld\t%s\t%s\t%zu%s\t%s\n", url, res->reached ? res->status : 0L,
	           res->final_url ? res->final_url : "-", res->address[0] ? res->address : "-",
	           res->body_len, res->body_cut ? "+" : "", res->reached ? sha : res->error);
	if (!r->address[0] && res->address[0])
		snprintf(r->address, sizeof r->address, "%s", res->address);
}

/* A sitemap to read too: the site's own host's only, each once, at most
 * SITEMAP_FILES. */
static void sitemap_file(sitemap_read *r, const char *url, size_t len)
{
	char one[2048], host[256];
	if (len >= sizeof one || r->n_files == SITEMAP_FILES)
		return;
	memcpy(one, url, len);
	one[len] = '\0';
	mon_url_host(one, host, sizeof host);
	if (!host[0] || !mon_same_host(host, r->host))
		return;
	for (size_t i = 0; i < r->n_files; i++)
		if (strcmp(r->files[i], one) == 0)
			return;
	if (!(r->files[r->n_files++] = strdup(one)))
		abort();
}

/* A file's answer: its URLs listed (within max_bytes), an index's
 * sitemaps to read next, its custody in the manifest. */
static void sitemap_take(sitemap_read *r, const char *url, mon_fetch_res *res)
{
	sitemap_manifest(r, url, res);
	if (res->reached && res->status == 200 && res->body) {
		bool index = false;
		char *urls = mon_sitemap_urls(res->body, res->body_len, SITEMAP_URLS - r->n_lines, &index);
		size_t len = strlen(urls);
		if (r->lines.len + len + 1 <= r->max_bytes) {
			r->n_lines += len ? 1 : 0;
			for (const char *c = urls; *c; c++)
				r->n_lines += *c == '\n';
			buf_printf(&r->lines, "%s\n", urls);
			if (!index)
				buf_printf(&r->pages, "%s\n", urls);
		}
		for (const char *u = urls; index && *u;) {
			size_t ul = strcspn(u, "\n");
			sitemap_file(r, u, ul);
			u += ul + (u[ul] == '\n');
		}
		free(urls);
		r->read = true;
	}
	mon_fetch_res_free(res);
}

/* A robots.txt's answer: the sitemaps its Sitemap: lines name, told as
 * URLs of the site's sitemap (a new one is news) and read. */
static void robots_take(sitemap_read *r, const char *url, mon_fetch_res *res)
{
	sitemap_manifest(r, url, res);
	if (res->reached && res->status == 200 && res->body) {
		char *urls = mon_robots_sitemaps(res->body, res->body_len, SITEMAP_FILES * 4);
		for (const char *u = urls; *u;) {
			size_t len = strcspn(u, "\n");
			/* the site's /sitemap.xml named there is no news */
			if (strlen(r->files[0]) != len || strncmp(r->files[0], u, len) != 0)
				buf_printf(&r->lines, "%.*s\n", (int)len, u);
			sitemap_file(r, u, len);
			u += len + (u[len] == '\n');
		}
		free(urls);
	}
	mon_fetch_res_free(res);
}

typedef struct sitemap_round {
	sitemap_read *reads;
	const mon_fetch_req *reqs;
	size_t *of;     /* each request's read */
	size_t *file;   /* and its file; SIZE_MAX: the robots.txt */
} sitemap_round;

static void sitemap_round_take(void *ctx, size_t i, mon_fetch_res *res)
{
	sitemap_round *rd = ctx;
	sitemap_read *r = &rd->reads[rd->of[i]];
	if (rd->file[i] == SIZE_MAX)
		robots_take(r, rd->reqs[i].url, res);
	else
		sitemap_take(r, rd->reqs[i].url, res);
}

/* The sitemaps of the sites that watch theirs: the site's /sitemap.xml,
 * the sitemaps its robots.txt names, and the sitemaps a sitemap index
 * lists (the site's own host's, at most SITEMAP_FILES a site, in
 * at most SITEMAP_ROUNDS rounds of fetches). Their URLs, sitemaps' own
 * included, become one page's text (compared with the accepted ones),
 * and up to SITEMAP_PAGES of the pages they list are added to the
 * site's pages. */
static void read_sitemaps(app *a, site *sites, size_t n, monitor_result *out)
{
	enum { SITEMAP_ROUNDS = 3 };
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += sites[i].sitemap;
	if (!k)
		return;
	sitemap_read *reads = calloc(k, sizeof *reads);
	if (!reads)
		abort();
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (!sites[i].sitemap)
			continue;
		sitemap_read *r = &reads[nr++];
		r->s = &sites[i];
		r->p = &sites[i].pages[sites[i].n_pages++];
		r->p->url = mon_page_url(sites[i].url, "/sitemap.xml");
		r->p->sitemap = true;
		mon_url_host(sites[i].url, r->host, sizeof r->host);
		r->max_bytes = (size_t)a->cfg.mon_max_page;
		if (!(r->files[r->n_files++] = strdup(r->p->url)))
			abort();
	}
	/* the first round: each /sitemap.xml and robots.txt; then the files
	 * they named, as long as there are */
	for (int round = 0; round < SITEMAP_ROUNDS; round++) {
		size_t m = 0;
		for (size_t i = 0; i < nr; i++)
			m += reads[i].n_files - reads[i].next + (round == 0);
		if (!m)
			break;
		mon_fetch_req *reqs = calloc(m, sizeof *reqs);
		sitemap_round rd = {reads, reqs, calloc(m, sizeof(size_t)), calloc(m, sizeof(size_t))};
		char **robots = calloc(nr, sizeof *robots);
		if (!reqs || !rd.of || !rd.file || !robots)
			abort();
		m = 0;
		for (size_t i = 0; i < nr; i++) {
			sitemap_read *r = &reads[i];
			if (round == 0) {
				robots[i] = mon_page_url(r->s->url, "/robots.txt");
				rd.of[m] = i;
				rd.file[m] = SIZE_MAX;
				reqs[m++] = (mon_fetch_req){robots[i], a->cfg.mon_agent};
			}
			for (; r->next < r->n_files; r->next++) {
				rd.of[m] = i;
				rd.file[m] = r->next;
				reqs[m++] = (mon_fetch_req){r->files[r->next], a->cfg.mon_agent};
			}
		}
		fetch_each(a, reqs, m, sitemap_round_take, &rd, out);
		for (size_t i = 0; i < nr; i++)
			free(robots[i]);
		free(robots);
		free(reqs);
		free(rd.of);
		free(rd.file);
	}
	for (size_t i = 0; i < nr; i++) {
		sitemap_read *r = &reads[i];
		site *s = r->s;
		page_view *p = r->p;
		if (r->read) {
			p->snapshot = mon_lines_sorted(r->lines.data ? r->lines.data : "", SITEMAP_URLS);
			p->scripts = strdup("[]");
			if (!p->scripts)
				abort();
			p->text = p->snapshot;
			p->have_b = true;
			/* what is kept of it: the files read, each with its custody,
			 * and the list beside (the snapshot) */
			p->b = (mon_fetch_res){.reached = true, .status = 200};
			p->b.final_url = strdup(p->url);
			p->b.body = buf_steal(&r->manifest);
			if (!p->b.final_url || !p->b.body)
				abort();
			p->b.body_len = strlen(p->b.body);
			snprintf(p->b.address, sizeof p->b.address, "%s", r->address);
		}
		/* the pages listed, checked as the site's: its own host's */
		char *pages = mon_lines_sorted(r->pages.data ? r->pages.data : "", SITEMAP_URLS);
		size_t added = 0, base = s->n_pages;
		for (const char *u = pages; *u && added < SITEMAP_PAGES;) {
			size_t len = strcspn(u, "\n");
			bool known = false;
			for (size_t j = 0; j < base && !known; j++)
				known = strlen(s->pages[j].url) == len && strncmp(s->pages[j].url, u, len) == 0;
			char one[2048], host[256];
			snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), u);
			mon_url_host(one, host, sizeof host);
			if (!known && host[0] && mon_same_host(host, r->host)) {
				if (!(s->pages[s->n_pages].url = strndup(u, len)))
					abort();
				s->n_pages++;
				added++;
			}
			u += len + (u[len] == '\n');
		}
		free(pages);
		for (size_t f = 0; f < r->n_files; f++)
			free(r->files[f]);
		buf_free(&r->lines);
		buf_free(&r->pages);
		buf_free(&r->manifest);
	}
	free(reads);
}

/* ---- scripts ---- */

enum { SITE_SCRIPTS = 50 }; /* scripts of a site hashed a check */

/* Whether a baseline of s holds url with a hash other than sha. */
static bool script_differs(app *a, const site *s, const char *url, const char *sha)
{
	sg_err e;
	db_stmt *st;
	bool differs = false;
	if (db_prepare_bind(a->db, &st, &e, "SELECT scripts FROM monitor_baselines WHERE site_id = ?",
	                    "i", s->id) != 0)
		return false;
	while (!differs && db_step(st, &e) == DB_ROW) {
		baseline_scripts b;
		baseline_scripts_read(db_col_text(st, 0), &b);
		for (size_t i = 0; i < b.n && !differs; i++)
			differs = b.v[i].src && strcmp(b.v[i].src, url) == 0 && b.v[i].sha256[0] &&
			          strcmp(b.v[i].sha256, sha) != 0;
		baseline_scripts_free(&b);
	}
	db_finalize(st);
	return differs;
}

static int cmp_script_url(const void *x, const void *y)
{
	return strcmp((*(script_fetch *const *)x)->url, (*(script_fetch *const *)y)->url);
}

/* The scripts of a batch, grouped by URL: all[first[u]..first[u+1]) load
 * the u-th URL. */
typedef struct script_group {
	app *a;
	site *sites;
	size_t n;
	script_fetch **all;
	size_t *first;
} script_group;

/* A script's answer: each of its group hashed; the group's first owns the
 * fetch, kept when one of them differs from its site's baseline, which
 * then points at it. */
static void script_take(void *ctx, size_t u, mon_fetch_res *r)
{
	script_group *g = ctx;
	char sha[65] = "";
	if (r->reached && r->status == 200 && !r->body_cut && r->body)
		sha256_hex(r->body, r->body_len, sha);
	script_fetch *owner = g->all[g->first[u]];
	bool keep = false;
	for (size_t i = g->first[u]; i < g->first[u + 1]; i++) {
		script_fetch *x = g->all[i];
		snprintf(x->sha256, sizeof x->sha256, "%s", sha);
		const site *s = NULL;
		for (size_t j = 0; j < g->n && !s; j++)
			if (x >= g->sites[j].scripts && x < g->sites[j].scripts + g->sites[j].n_scripts)
				s = &g->sites[j];
		if (sha[0] && script_differs(g->a, s, x->url, sha)) {
			x->kept = &owner->res;
			keep = true;
		}
	}
	owner->res = *r;
	if (!keep)
		mon_fetch_res_free(&owner->res);
}

/* Whether url is a script the site's keepers marked dynamic (a region
 * that is a path): its content changes on every load. */
static bool dynamic_script(const site *s, const char *url)
{
	const char *path = strstr(url, "://");
	path = path ? strchr(path + 3, '/') : NULL;
	if (!path)
		return false;
	size_t len = strcspn(path, "?#");
	for (size_t i = 0; i < s->n_dyn_scripts; i++)
		if (strlen(s->dyn_scripts[i]) == len && strncmp(s->dyn_scripts[i], path, len) == 0)
			return true;
	return false;
}

/* The scripts of each site's own host its pages load (at most
 * SITE_SCRIPTS a site) fetched, each URL once a batch, BATCH_FETCHES at a
 * time, and hashed; the body of one that differs from a baseline's kept
 * as the finding's evidence, every other freed at once. Third-party
 * scripts (analytics, tag managers) change under their publishers' hands:
 * their set is compared, not their content. */
static void scripts_read(app *a, site *sites, size_t n, monitor_result *out)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		site *s = &sites[i];
		char host[256];
		mon_url_host(s->url, host, sizeof host);
		for (size_t j = 0; j < s->n_pages; j++) {
			const page_view *p = &s->pages[j];
			for (size_t k = 0; p->have_b && k < p->bp.n_scripts; k++) {
				const mon_script *x = &p->bp.scripts[k];
				if (!x->src || !x->host[0] || !mon_same_host(x->host, host) ||
				    site_script(s, x->src) || s->n_scripts == SITE_SCRIPTS ||
				    dynamic_script(s, x->src))
					continue;
				if (!s->scripts && !(s->scripts = calloc(SITE_SCRIPTS, sizeof *s->scripts)))
					abort();
				if (!(s->scripts[s->n_scripts++].url = strdup(x->src)))
					abort();
			}
		}
		total += s->n_scripts;
	}
	if (!total)
		return;
	/* sorted by URL: one fetch for a script many sites of the batch load */
	script_group g = {a, sites, n, malloc(total * sizeof(script_fetch *)),
	                  calloc(total + 1, sizeof(size_t))};
	mon_fetch_req *reqs = calloc(total, sizeof *reqs);
	if (!g.all || !g.first || !reqs)
		abort();
	size_t k = 0, nu = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sites[i].n_scripts; j++)
			g.all[k++] = &sites[i].scripts[j];
	qsort(g.all, total, sizeof *g.all, cmp_script_url);
	for (size_t i = 0; i < total; i++)
		if (i == 0 || strcmp(g.all[i]->url, g.all[i - 1]->url) != 0) {
			g.first[nu] = i;
			reqs[nu++] = (mon_fetch_req){g.all[i]->url, a->cfg.mon_agent};
		}
	g.first[nu] = total;
	fetch_each(a, reqs, nu, script_take, &g, out);
	free(g.all);
	free(g.first);
	free(reqs);
	/* each page's scripts learn their hashes */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sites[i].n_pages; j++) {
			page_view *p = &sites[i].pages[j];
			for (size_t x = 0; p->have_b && x < p->bp.n_scripts; x++) {
				const script_fetch *f = p->bp.scripts[x].src
				                            ? site_script(&sites[i], p->bp.scripts[x].src)
				                            : NULL;
				if (f)
					memcpy(p->bp.scripts[x].sha256, f->sha256, sizeof f->sha256);
			}
		}
}

/* The pages of s with open findings that are no longer among its pages
 * (a sitemap stopped listing them, a path was taken off): checked still,
 * at most FOLLOW_PAGES, until what was found on them is gone or the page
 * is removed (404, 410). An attacker who takes the line off the sitemap
 * does not take the page off the site. */
static void follow_open_pages(app *a, site *s)
{
	sg_err e;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, &e,
	                    "SELECT DISTINCT page FROM monitor_findings WHERE site_id = ? AND "
	                    "resolved_at IS NULL AND kind <> 'sitemap_baru' ORDER BY page",
	                    "i", s->id) != 0)
		return;
	size_t added = 0, base = s->n_pages;
	while (added < FOLLOW_PAGES && db_step(st, &e) == DB_ROW) {
		const char *u = db_col_text(st, 0);
		bool known = false;
		for (size_t j = 0; j < base && !known; j++)
			known = strcmp(s->pages[j].url, u) == 0;
		if (known || strncmp(u, "http", 4) != 0)
			continue;
		page_view *p = &s->pages[s->n_pages++];
		if (!(p->url = strdup(u)))
			abort();
		p->followed = true;
		added++;
	}
	db_finalize(st);
}

/* Fetches, judges and records sites[0..n). */
static int check_batch(app *a, monitor_checker *c, const char *node, site *sites, size_t n,
                       monitor_result *out, sg_err *e)
{
	read_sitemaps(a, sites, n, out);
	for (size_t i = 0; i < n; i++)
		follow_open_pages(a, &sites[i]);
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sites[i].n_pages; j++)
			total += sites[i].pages[j].sitemap ? 0 : 2;
	mon_fetch_req *reqs = calloc(total ? total : 1, sizeof *reqs);
	mon_fetch_res *res = calloc(total ? total : 1, sizeof *res);
	if (!reqs || !res)
		abort();
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sites[i].n_pages; j++) {
			if (sites[i].pages[j].sitemap)
				continue;
			reqs[k++] = (mon_fetch_req){sites[i].pages[j].url, a->cfg.mon_agent};
			reqs[k++] = (mon_fetch_req){sites[i].pages[j].url, a->cfg.mon_crawler_agent};
		}
	mon_fetch_opts o = fetch_opts(a);
	int rc = mon_fetch_all(reqs, res, total, &o, NULL, NULL);
	if (rc != 0)
		sg_err_set(e, SG_ENOMEM, "the transfers cannot start");
	k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sites[i].n_pages; j++) {
			if (sites[i].pages[j].sitemap)
				continue;
			sites[i].pages[j].b = res[k++];
			sites[i].pages[j].c = res[k++];
		}
	free(reqs);
	free(res);
	out->fetches += (int64_t)total;
	for (size_t i = 0; rc == 0 && i < n; i++)
		for (size_t j = 0; j < sites[i].n_pages; j++)
			read_page(&sites[i], &sites[i].pages[j]);
	if (rc == 0)
		scripts_read(a, sites, n, out);
	if (rc != 0)
		return -1;
	/* a site that cannot be recorded keeps none of the others from it */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < sites[i].n_pages; j++)
			judge(a, c, &sites[i], &sites[i].pages[j]);
		sg_err se = {0};
		if (record_site(a, &sites[i], node, out, &se) != 0) {
			if (rc == 0)
				sg_err_set(e, se.code, "site %lld: %s", (long long)sites[i].id, se.msg);
			rc = -1;
			out->failed++;
		}
		out->sites++;
		out->pages += (int64_t)sites[i].n_pages;
	}
	return rc;
}

int monitor_check_sites(app *a, monitor_checker *c, const char *node, const int64_t *ids, size_t n,
                        monitor_result *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	if (app_evidence_ready(a, e) != 0)
		return -1;
	site *batch = calloc(n ? n : 1, sizeof *batch);
	if (!batch)
		abort();
	size_t nb = 0, fetches = 0;
	int rc = 0;
	sg_err be = {0};
	for (size_t i = 0; i <= n; i++) {
		site next = {0};
		size_t cost = 0;
		if (i < n) {
			if (site_load(a, ids[i], &next, &be) != 0) {
				if (be.code != SG_ENOTFOUND) { /* a site deleted since is no failure */
					if (rc == 0)
						sg_err_set(e, be.code, "site %lld: %s", (long long)ids[i], be.msg);
					rc = -1;
					out->failed++;
				}
				continue;
			}
			cost = next.n_pages * 2 + (next.sitemap ? 2 * SITEMAP_PAGES : 0);
		}
		/* the batch is checked before it would grow past BATCH_FETCHES
		 * transfers (a site alone may have more: its own batch) */
		if (nb > 0 && (i == n || fetches + cost > BATCH_FETCHES)) {
			if (check_batch(a, c, node, batch, nb, out, &be) != 0) {
				if (rc == 0)
					*e = be;
				rc = -1;
			}
			for (size_t j = 0; j < nb; j++)
				site_free(&batch[j]);
			nb = 0;
			fetches = 0;
		}
		if (i < n) {
			batch[nb++] = next;
			fetches += cost;
		}
	}
	free(batch);
	return rc;
}

int monitor_round(app *a, monitor_checker *c, const char *node, bool all, monitor_result *out,
                  sg_err *e)
{
	memset(out, 0, sizeof *out);
	int64_t now = app_now(a);
	db_stmt *st;
	/* the sites that answered slowly or not at all last time are checked
	 * last, together: a batch waits for its slowest transfer, and one
	 * such site in each batch would hold every batch up to its timeout */
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, next_at, period FROM monitor_sites "
	                    "WHERE enabled = 1 AND (? = 1 OR next_at <= ?) "
	                    "ORDER BY CASE WHEN COALESCE(last_at, 0) > 0 AND (last_status = 0 OR "
	                    "last_ms >= ?) THEN 1 ELSE 0 END, next_at LIMIT 5000",
	                    "iii", (int64_t)all, now, (int64_t)a->cfg.mon_slow * 1000) != 0)
		return -1;
	size_t n = 0, cap = 64;
	int64_t(*due)[3] = malloc(cap * sizeof *due);
	if (!due)
		abort();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (n == cap) {
			cap *= 2;
			due = realloc(due, cap * sizeof *due);
			if (!due)
				abort();
		}
		due[n][0] = db_col_int(st, 0);
		due[n][1] = db_col_int(st, 1);
		due[n][2] = db_col_int(st, 2);
		n++;
	}
	db_finalize(st);
	if (rc < 0) {
		free(due);
		return -1;
	}
	/* each claimed by moving its next check: only one node's UPDATE finds
	 * the time it read */
	int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
	if (!ids)
		abort();
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (db_run(a->db, e, "UPDATE monitor_sites SET next_at = ? WHERE id = ? AND next_at = ?",
		           "iii", now + due[i][2], due[i][0], due[i][1]) != 0) {
			free(due);
			free(ids);
			return -1;
		}
		if (db_changes(a->db) == 1)
			ids[k++] = due[i][0];
	}
	free(due);
	rc = monitor_check_sites(a, c, node, ids, k, out, e);
	free(ids);
	return rc;
}

int monitor_site_check_now(app *a, const char *actor, int64_t id, const char *node,
                           monitor_result *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	if (monitor_site_exists(a, id, e) != 0)
		return -1;
	if (monitor_may_triage(a, actor, e) != 0)
		return e->code == SG_EPERM ? sg_err_set(e, SG_EPERM,
		                                        "%s may not have a site checked now (roles ttis, "
		                                        "kabid)",
		                                        actor)
		                           : -1;
	/* one at a time in a process: a check waits for its slowest page (up
	 * to [pantau] timeout), and a web server's threads are few */
	static atomic_flag checking = ATOMIC_FLAG_INIT;
	if (atomic_flag_test_and_set(&checking))
		return sg_err_set(e, SG_EBUSY,
		                  "another site is being checked now; try again in a moment");
	diags d = DIAGS_INIT;
	monitor_checker *c = monitor_checker_new(a, &d);
	int rc = -1;
	if (!c) {
		char first[512];
		diags_first(&d, first, sizeof first);
		sg_err_set(e, SG_EINVAL, "[pantau] aturan: %s", first);
	} else {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = monitor_check_sites(a, c, node, &id, 1, out, e);
		monitor_checker_free(c);
	}
	diags_free(&d);
	atomic_flag_clear(&checking);
	return rc;
}

int monitor_prune(app *a, int64_t *deleted, sg_err *e)
{
	*deleted = 0;
	int64_t cut = app_now(a) - a->cfg.mon_keep, old = 0;
	/* a look first: most hours there is nothing to delete, and a DELETE
	 * would queue for the write lock behind the inputs all the same */
	int r = db_query_int(a->db, e, &old,
	                     "SELECT COUNT(*) FROM (SELECT 1 FROM monitor_checks WHERE at < ? LIMIT 1) t",
	                     "i", cut);
	if (r < 0)
		return -1;
	if (!old)
		return 0;
	if (db_run(a->db, e, "DELETE FROM monitor_checks WHERE at < ?", "i", cut) != 0)
		return -1;
	*deleted = db_changes(a->db);
	return 0;
}

/* ---- accepting a baseline ---- */

int monitor_baseline_accept(app *a, const char *actor, int64_t id, int *pages, sg_err *e)
{
	*pages = 0;
	if (monitor_site_exists(a, id, e) != 0 || monitor_may_triage(a, actor, e) != 0)
		return -1;
	int64_t now = app_now(a);
	char object[32];
	snprintf(object, sizeof object, "%lld", (long long)id);
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_run(a->db, e,
	           "INSERT INTO monitor_baselines (site_id, page, text, scripts, fetch_id, accepted_by, "
	           "accepted_at) SELECT site_id, page, text, scripts, fetch_id, ?, ? FROM monitor_pages "
	           "WHERE site_id = ? ON CONFLICT (site_id, page) DO UPDATE SET text = excluded.text, "
	           "scripts = excluded.scripts, fetch_id = excluded.fetch_id, "
	           "accepted_by = excluded.accepted_by, accepted_at = excluded.accepted_at",
	           "sii", actor ? actor : "", now, id) != 0)
		goto fail;
	*pages = (int)db_changes(a->db);
	if (*pages == 0) {
		db_rollback(a->db);
		return sg_err_set(e, SG_ESTATE,
		                  "site %lld has not been read yet: have it checked before accepting its "
		                  "pages",
		                  (long long)id);
	}
	char state[16];
	int64_t open = 0;
	if (db_run(a->db, e,
	           "UPDATE monitor_findings SET resolved_at = ? WHERE site_id = ? AND resolved_at IS "
	           "NULL AND (kind IN ('berubah', 'skrip_baru', 'skrip_berubah', 'sitemap_baru') OR "
	           "(kind = 'deface' AND ident = ''))",
	           "ii", now, id) != 0 ||
	    site_state(a, id, state, &open, e) != 0 ||
	    db_run(a->db, e, "UPDATE monitor_sites SET state = ? WHERE id = ? AND state <> 'baru'", "si",
	           state, id) != 0 ||
	    logbook_record(a, actor, "monitor.baseline", "monitor", object,
	                   json_pack("{s:i}", "pages", *pages), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

/* ---- the watcher thread of a server ---- */

struct monitor_watch {
	int (*open_app)(app *a, sg_err *e);
	char node[300];
	ticker *t;
	/* the watcher thread's own */
	app a;
	bool open, failing;
	monitor_checker *c; /* its content rules: [pantau] aturan, compiled at the start */
	int64_t pruned_at;
};

static long watch_round(ticker *t, void *arg)
{
	monitor_watch *w = arg;
	sg_err e = {0};
	(void)t;
	if (w->open && !app_config_current(&w->a)) {
		app_close(&w->a); /* the configuration was reloaded: its agents, */
		w->open = false;  /* limits and timeouts read again */
	}
	if (!w->open)
		w->open = w->open_app(&w->a, &e) == 0;
	/* the checks past [pantau] simpan go, once an hour */
	int64_t now = (int64_t)time(NULL), gone;
	if (w->open && now - w->pruned_at >= 3600) {
		sg_err pe = {0};
		if (monitor_prune(&w->a, &gone, &pe) != 0)
			log_say(LOG_WARN, "website monitor: old checks not deleted: %s", pe.msg);
		w->pruned_at = now;
	}
	monitor_result r;
	if (w->open && monitor_round(&w->a, w->c, w->node, false, &r, &e) == 0) {
		if (w->failing)
			log_say(LOG_INFO, "website monitor: checking again");
		w->failing = false;
	} else if (!w->failing) {
		log_say(LOG_WARN, "website monitor: sites not checked (retried): %s", e.msg);
		w->failing = true;
	}
	return ROUND_SECONDS * 1000L;
}

static void watch_done(void *arg)
{
	monitor_watch *w = arg;
	monitor_checker_free(w->c);
	if (w->open)
		app_close(&w->a);
}

monitor_watch *monitor_watch_start(int (*open_app)(app *a, sg_err *e), const char *node, sg_err *e)
{
	app a;
	if (open_app(&a, e) != 0)
		return NULL;
	/* the rules compiled once, here, so that a wrong one stops the start;
	 * the watcher keeps them */
	diags d = DIAGS_INIT;
	monitor_checker *c = monitor_checker_new(&a, &d);
	if (!c) {
		char first[512];
		diags_first(&d, first, sizeof first);
		sg_err_set(e, SG_EINVAL, "[pantau] aturan: %s", first);
	}
	diags_free(&d);
	app_close(&a);
	if (!c)
		return NULL;
	monitor_watch *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->open_app = open_app;
	w->c = c;
	snprintf(w->node, sizeof w->node, "%s", node);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	w->t = ticker_start(0, watch_round, watch_done, w);
	if (!w->t) {
		monitor_checker_free(c);
		free(w);
		sg_err_set(e, SG_EIO, "the website monitor cannot start");
		return NULL;
	}
	return w;
}

void monitor_watch_stop(monitor_watch *w)
{
	if (!w)
		return;
	ticker_stop(w->t);
	free(w);
}
