/*
 * monitor.c: the sites the website monitor watches, and what it found
 * (docs/monitor.md). The checking itself is monitor_check.c.
 *
 * A site is a URL of an asset in the register (asset_urls): the page
 * watched first, with more pages of the site (paths), the dynamic
 * regions left out of every page (selectors), and how often it is
 * checked. Who reads what follows the register (asset_scope_of): the
 * CSIRT's staff read every site, an agen_siber the sites of its OPD's
 * assets. The keepers of the register add, change and stop sites; the
 * CTI SOP's officers (triage roles) accept a page's baseline, since that
 * decides what is normal. Each change is in the logbook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "col_json.h"
#include "monitor/analyse.h"

enum { MAX_PATHS = 50, MAX_REGIONS = 50, URL_MAX = 2000 };

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == ' ')
			return true;
	return false;
}

int monitor_check_url(const char *url, sg_err *e)
{
	if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return sg_err_set(e, SG_EINVAL, "'%s' is not an http:// or https:// URL",
		                  url ? url : "");
	char host[256];
	mon_url_host(url, host, sizeof host);
	if (strlen(url) > URL_MAX || has_control(url) || host[0] == '\0')
		return sg_err_set(e, SG_EINVAL, "'%.200s' is not a URL sigap can check", url);
	return 0;
}

static int check_in(const monitor_site_in *in, sg_err *e)
{
	if (in->period != 0 && (in->period < 60 || in->period > 86400))
		return sg_err_set(e, SG_EINVAL, "the interval must be 1 minute to 1 day (%lld seconds)",
		                  (long long)in->period);
	if (in->n_paths > MAX_PATHS)
		return sg_err_set(e, SG_EINVAL, "at most %d pages besides the first", MAX_PATHS);
	for (size_t i = 0; i < in->n_paths; i++)
		if (in->paths[i][0] != '/' || strlen(in->paths[i]) > 500 || has_control(in->paths[i]))
			return sg_err_set(e, SG_EINVAL,
			                  "page '%.200s' must be a path on the site, beginning with '/'",
			                  in->paths[i]);
	if (in->n_regions > MAX_REGIONS)
		return sg_err_set(e, SG_EINVAL, "at most %d dynamic regions", MAX_REGIONS);
	for (size_t i = 0; i < in->n_regions; i++) {
		mon_selector s;
		/* a path: a script of the site's that changes on every load */
		if (in->regions[i][0] == '/') {
			if (strlen(in->regions[i]) > 500 || has_control(in->regions[i]) ||
			    strpbrk(in->regions[i], "?# "))
				return sg_err_set(e, SG_EINVAL,
				                  "dynamic script '%.200s' must be a path on the site, without "
				                  "query",
				                  in->regions[i]);
		} else if (!mon_selector_parse(in->regions[i], &s, e)) {
			return -1;
		}
	}
	return 0;
}

static char *list_json(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!s)
		abort();
	return s;
}

/* The keepers of the register (and the machine's owner) manage sites. */
static int check_keeper(app *a, const char *actor, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (!s.write_all)
		return sg_err_set(e, SG_EPERM, "%s may not change the watched websites", actor);
	return 0;
}

int monitor_may_triage(app *a, const char *actor, sg_err *e)
{
	if (user_is_owner(actor))
		return 0;
	json_t *roles = user_roles(a, actor, e);
	if (!roles)
		return -1;
	bool ok = alert_may_triage(roles);
	json_decref(roles);
	return ok ? 0
	          : sg_err_set(e, SG_EPERM,
	                       "%s may not accept a page as it should be (roles ttis, kabid)", actor);
}

int monitor_site_add(app *a, const char *actor, const monitor_site_in *in, int64_t *id, sg_err *e)
{
	if (check_keeper(a, actor, e) != 0 || monitor_check_url(in->url, e) != 0 ||
	    check_in(in, e) != 0)
		return -1;
	int64_t n = 0;
	int r = db_query_int(a->db, e, &n,
	                     "SELECT COUNT(*) FROM assets s JOIN asset_urls u ON u.asset_id = s.id "
	                     "WHERE s.id = ? AND s.retired_at IS NULL AND u.url = ?",
	                     "is", in->asset_id, in->url);
	if (r < 0)
		return -1;
	if (n == 0) {
		int64_t exists = 0;
		if (db_query_int(a->db, e, &exists, "SELECT COUNT(*) FROM assets WHERE id = ?", "i",
		                 in->asset_id) < 0)
			return -1;
		if (!exists)
			return sg_err_set(e, SG_ENOTFOUND, "no asset %lld", (long long)in->asset_id);
		return sg_err_set(e, SG_EINVAL,
		                  "asset %lld is retired or has no URL %s: add the URL to the asset first",
		                  (long long)in->asset_id, in->url);
	}
	if (db_query_int(a->db, e, &n, "SELECT COUNT(*) FROM monitor_sites WHERE url = ?", "s",
	                 in->url) < 0)
		return -1;
	if (n)
		return sg_err_set(e, SG_ECONFLICT, "%s is watched already", in->url);
	int64_t now = app_now(a), period = in->period ? in->period : a->cfg.mon_interval;
	char *paths = list_json(in->paths, in->n_paths), *regions = list_json(in->regions, in->n_regions);
	int rc = -1;
	if (db_begin(a->db, e) != 0)
		goto out;
	if (db_insert(a->db, e, id,
	              "INSERT INTO monitor_sites (asset_id, url, period, paths, sitemap, regions, "
	              "next_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	              "isisisisii", in->asset_id, in->url, period, paths, (int64_t)in->sitemap, regions,
	              now, actor ? actor : "", now, now) != 0)
		goto fail;
	char object[32];
	snprintf(object, sizeof object, "%lld", (long long)*id);
	if (logbook_record(a, actor, "monitor.add", "monitor", object,
	                   json_pack("{s:s, s:I, s:I}", "url", in->url, "asset",
	                             (json_int_t)in->asset_id, "period", (json_int_t)period),
	                   e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(a->db);
out:
	free(paths);
	free(regions);
	return rc;
}

int monitor_site_edit(app *a, const char *actor, int64_t id, const monitor_site_in *in, sg_err *e)
{
	if (monitor_site_exists(a, id, e) != 0 || check_keeper(a, actor, e) != 0 ||
	    check_in(in, e) != 0)
		return -1;
	int64_t now = app_now(a), period = in->period ? in->period : a->cfg.mon_interval;
	char *paths = list_json(in->paths, in->n_paths), *regions = list_json(in->regions, in->n_regions);
	int rc = -1;
	char object[32];
	snprintf(object, sizeof object, "%lld", (long long)id);
	if (db_begin(a->db, e) != 0)
		goto out;
	if (db_run(a->db, e,
	           "UPDATE monitor_sites SET period = ?, paths = ?, sitemap = ?, regions = ?, "
	           "next_at = MIN(next_at, ?), updated_at = ? WHERE id = ?",
	           "isisiii", period, paths, (int64_t)in->sitemap, regions, now + period, now, id) != 0 ||
	    logbook_record(a, actor, "monitor.edit", "monitor", object,
	                   json_pack("{s:I, s:s, s:s}", "period", (json_int_t)period, "paths", paths,
	                             "regions", regions),
	                   e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		goto out;
	}
	rc = 0;
out:
	free(paths);
	free(regions);
	return rc;
}

int monitor_site_exists(app *a, int64_t id, sg_err *e)
{
	int64_t n = 0;
	if (db_query_int(a->db, e, &n, "SELECT COUNT(*) FROM monitor_sites WHERE id = ?", "i", id) < 0)
		return -1;
	return n ? 0 : sg_err_set(e, SG_ENOTFOUND, "no watched site %lld", (long long)id);
}

int monitor_site_enable(app *a, const char *actor, int64_t id, bool on, sg_err *e)
{
	if (monitor_site_exists(a, id, e) != 0 || check_keeper(a, actor, e) != 0)
		return -1;
	char object[32];
	snprintf(object, sizeof object, "%lld", (long long)id);
	int64_t now = app_now(a);
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_run(a->db, e,
	           "UPDATE monitor_sites SET enabled = ?, next_at = ?, updated_at = ? WHERE id = ?",
	           "iiii", (int64_t)on, now, now, id) != 0 ||
	    logbook_record(a, actor, on ? "monitor.start" : "monitor.stop", "monitor", object, NULL,
	                   e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

#define SITE_COLS                                                                                 \
	"m.id, m.url, m.period, m.paths, m.sitemap, m.regions, m.enabled, m.state, m.next_at, "    \
	"m.last_at, m.last_ms, m.last_status, m.cert_not_after, m.created_by, m.created_at, "       \
	"s.id, s.name, o.id, o.abbrev, o.name, "                                                   \
	"(SELECT COUNT(*) FROM monitor_findings f WHERE f.site_id = m.id AND f.resolved_at IS "    \
	"NULL), "                                                                                   \
	"(SELECT COUNT(*) FROM monitor_baselines b WHERE b.site_id = m.id)"
#define SITE_FROM " FROM monitor_sites m JOIN assets s ON s.id = m.asset_id JOIN opd o ON o.id = s.opd_id "

static json_t *site_row(db_stmt *st)
{
	json_t *paths = col_json_doc(st, 3), *regions = col_json_doc(st, 5);
	return json_pack(
	    "{s:I, s:s, s:I, s:o, s:b, s:o, s:b, s:s, s:I, s:o, s:o, s:o, s:o, s:s, s:I, "
	    "s:{s:I, s:s, s:{s:I, s:s, s:s}}, s:I, s:b}",
	    "id", (json_int_t)db_col_int(st, 0), "url", db_col_text(st, 1), "period",
	    (json_int_t)db_col_int(st, 2), "paths", paths ? paths : json_array(), "sitemap",
	    db_col_int(st, 4) != 0, "regions", regions ? regions : json_array(), "enabled",
	    db_col_int(st, 6) != 0, "state", db_col_text(st, 7), "next_at",
	    (json_int_t)db_col_int(st, 8), "last_at", col_json_int(st, 9), "last_ms",
	    col_json_int(st, 10), "last_status", col_json_int(st, 11), "cert_not_after",
	    col_json_int(st, 12), "created_by", db_col_text(st, 13), "created_at",
	    (json_int_t)db_col_int(st, 14), "asset", "id", (json_int_t)db_col_int(st, 15), "name",
	    db_col_text(st, 16), "opd", "id", (json_int_t)db_col_int(st, 17), "abbrev",
	    db_col_text(st, 18), "name", db_col_text(st, 19), "open_findings",
	    (json_int_t)db_col_int(st, 20), "baseline", db_col_int(st, 21) > 0);
}

/* Whose sites viewer reads: all, those of OPD *opd, or none (SG_EPERM). */
static int reader(app *a, const char *viewer, int64_t *opd, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(a, viewer, &s, e) != 0)
		return -1;
	*opd = 0;
	if (s.read_all)
		return 0;
	if (s.opd_id) {
		*opd = s.opd_id;
		return 0;
	}
	return sg_err_set(e, SG_EPERM, "%s may not see the watched websites", viewer ? viewer : "");
}

bool monitor_may_read(app *a, const char *viewer)
{
	int64_t opd;
	sg_err e = {0};
	return reader(a, viewer, &opd, &e) == 0;
}

static const char *const STATES[] = {"baru", "normal", "lambat", "sertifikat", "berubah",
                                     "turun", "injeksi", "deface", NULL};

bool monitor_state_valid(const char *s)
{
	for (size_t i = 0; s && STATES[i]; i++)
		if (strcmp(s, STATES[i]) == 0)
			return true;
	return false;
}

json_t *monitor_site_list(app *a, const char *viewer, const char *state, sg_err *e)
{
	int64_t opd;
	if (reader(a, viewer, &opd, e) != 0) /* who reads no site sees none */
		return e->code == SG_EPERM ? json_array() : NULL;
	if (state && *state && !monitor_state_valid(state))
		return sg_err_set(e, SG_EINVAL, "unknown state '%s'", state), NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " SITE_COLS SITE_FROM
	                    "WHERE (? = 0 OR s.opd_id = ?) AND (? = '' OR m.state = ?) "
	                    "ORDER BY m.enabled DESC, CASE m.state WHEN 'deface' THEN 0 "
	                    "WHEN 'injeksi' THEN 1 WHEN 'turun' THEN 2 WHEN 'berubah' THEN 3 "
	                    "WHEN 'sertifikat' THEN 4 WHEN 'lambat' THEN 5 WHEN 'baru' THEN 6 ELSE 7 END, "
	                    "o.abbrev, m.url LIMIT 5000",
	                    "iiss", opd, opd, state ? state : "", state ? state : "") != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, site_row(st));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *findings_of(app *a, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.id, f.page, f.kind, f.ident, f.level, f.detail, f.diff, f.first_at, "
	                    "f.last_at, f.count, f.resolved_at, f.alert_id, x.body_sha, x.text_sha, "
	                    "x.agent, x.address, x.fetched_at, x.final_url, x.url "
	                    "FROM monitor_findings f LEFT JOIN monitor_fetches x ON x.id = f.fetch_id "
	                    "WHERE f.site_id = ? ORDER BY f.resolved_at IS NOT NULL, f.id DESC LIMIT 200",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *detail = col_json_doc(st, 5);
		json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:o, s:o}",
		                      "id", (json_int_t)db_col_int(st, 0), "page", db_col_text(st, 1),
		                      "kind", db_col_text(st, 2), "ident", db_col_text(st, 3), "level",
		                      db_col_text(st, 4), "detail", detail ? detail : json_object(),
		                      "diff", col_json_text(st, 6), "first_at",
		                      (json_int_t)db_col_int(st, 7), "last_at",
		                      (json_int_t)db_col_int(st, 8), "count",
		                      (json_int_t)db_col_int(st, 9), "resolved_at", col_json_int(st, 10),
		                      "alert", col_json_int(st, 11));
		if (!db_col_null(st, 12))
			json_object_set_new(f, "evidence",
			                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "url",
			                              db_col_text(st, 18), "body_sha256",
			                              db_col_text(st, 12), "text_sha256", db_col_text(st, 13),
			                              "agent", db_col_text(st, 14), "address",
			                              db_col_text(st, 15), "fetched_at",
			                              (json_int_t)db_col_int(st, 16), "final_url",
			                              db_col_text(st, 17)));
		json_array_append_new(out, f);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *checks_of(app *a, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT at, status, ms, ttfb_ms, findings, final_url, redirects "
	                    "FROM monitor_checks "
	                    "WHERE site_id = ? ORDER BY at DESC LIMIT 288",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_insert_new(out, 0,
		                      json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:s}", "at",
		                                (json_int_t)db_col_int(st, 0), "status",
		                                (json_int_t)db_col_int(st, 1), "ms",
		                                (json_int_t)db_col_int(st, 2), "first_byte_ms",
		                                (json_int_t)db_col_int(st, 3), "findings",
		                                (json_int_t)db_col_int(st, 4), "final_url",
		                                db_col_text(st, 5), "redirects", db_col_text(st, 6)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *baselines_of(app *a, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT b.page, b.accepted_by, b.accepted_at, x.body_sha, x.text_sha "
	                    "FROM monitor_baselines b JOIN monitor_fetches x ON x.id = b.fetch_id "
	                    "WHERE b.site_id = ? ORDER BY b.page",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:s, s:s}", "page",
		                                     db_col_text(st, 0), "accepted_by", db_col_text(st, 1),
		                                     "accepted_at", (json_int_t)db_col_int(st, 2),
		                                     "body_sha256", db_col_text(st, 3), "text_sha256",
		                                     db_col_text(st, 4)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *monitor_site_get(app *a, const char *viewer, int64_t id, sg_err *e)
{
	if (monitor_site_exists(a, id, e) != 0)
		return NULL;
	int64_t opd;
	if (reader(a, viewer, &opd, e) != 0) { /* as one that does not exist */
		if (e->code == SG_EPERM)
			sg_err_set(e, SG_ENOTFOUND, "no watched site %lld", (long long)id);
		return NULL;
	}
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " SITE_COLS SITE_FROM "WHERE m.id = ? AND (? = 0 OR s.opd_id = ?)",
	                    "iii", id, opd, opd) != 0)
		return NULL;
	int rc = db_step(st, e);
	json_t *site = rc == DB_ROW ? site_row(st) : NULL;
	db_finalize(st);
	if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no watched site %lld", (long long)id);
	if (!site)
		return NULL;
	json_t *f = findings_of(a, id, e), *c = f ? checks_of(a, id, e) : NULL,
	       *b = c ? baselines_of(a, id, e) : NULL;
	if (!b) {
		json_decref(f);
		json_decref(c);
		json_decref(site);
		return NULL;
	}
	json_object_set_new(site, "findings", f);
	json_object_set_new(site, "checks", c);
	json_object_set_new(site, "baselines", b);
	return site;
}

int monitor_evidence_visible(app *a, const char *viewer, const char *sha, int64_t *size,
                             char filename[256], sg_err *e)
{
	int64_t opd;
	if (reader(a, viewer, &opd, e) != 0)
		return sg_err_set(e, SG_ENOTFOUND, "no such file");
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT x.id, CASE WHEN x.body_sha = ? THEN x.body_size ELSE -1 END, x.url "
	                    "FROM monitor_fetches x JOIN monitor_sites m ON m.id = x.site_id "
	                    "JOIN assets s ON s.id = m.asset_id "
	                    "WHERE (x.body_sha = ? OR x.text_sha = ?) AND (? = 0 OR s.opd_id = ?) "
	                    "ORDER BY x.id DESC LIMIT 1",
	                    "sssii", sha, sha, sha, opd, opd) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		bool body = db_col_int(st, 1) >= 0;
		*size = db_col_int(st, 1);
		snprintf(filename, 256, "halaman-%lld.%s", (long long)db_col_int(st, 0),
		         body ? "html" : "txt");
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no such file");
	if (rc < 0)
		return -1;
	if (*size < 0) { /* a text snapshot: its size is the file's */
		char path[4400];
		FILE *f = evidence_path(a, sha, path, sizeof path) == 0 ? fopen(path, "rb") : NULL;
		if (!f)
			return sg_err_set(e, SG_ENOTFOUND, "no such file");
		fseek(f, 0, SEEK_END);
		*size = ftell(f);
		fclose(f);
	}
	return 0;
}

json_t *monitor_candidates(app *a, const char *viewer, sg_err *e)
{
	if (check_keeper(a, viewer, e) != 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT s.id, s.name, o.abbrev, u.url FROM asset_urls u "
	                    "JOIN assets s ON s.id = u.asset_id JOIN opd o ON o.id = s.opd_id "
	                    "WHERE s.retired_at IS NULL AND NOT EXISTS "
	                    "(SELECT 1 FROM monitor_sites m WHERE m.url = u.url) "
	                    "ORDER BY o.abbrev, s.name, u.url LIMIT 2000",
	                    "") != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s}", "asset",
		                                     (json_int_t)db_col_int(st, 0), "name",
		                                     db_col_text(st, 1), "opd", db_col_text(st, 2), "url",
		                                     db_col_text(st, 3)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

bool monitor_may_keep(app *a, const char *viewer)
{
	sg_err e;
	return check_keeper(a, viewer, &e) == 0;
}

/* A value of a stored finding: a JSON number or boolean (the finding's
 * detail), or its text (an alert's event fields are text). */
static long detail_int(const json_t *d, const char *k)
{
	const json_t *v = json_object_get(d, k);
	if (json_is_string(v))
		return strtol(json_string_value(v), NULL, 10);
	return json_is_true(v) ? 1 : (long)json_integer_value(v);
}

static const char *detail_str(const json_t *d, const char *k)
{
	const char *v = json_string_value(json_object_get(d, k));
	return v ? v : "";
}

void monitor_finding_of(const char *kind, const json_t *detail, mon_finding *out)
{
	memset(out, 0, sizeof *out);
	int k = mon_kind_of(kind);
	out->kind = k < 0 ? MON_F_KINDS : (mon_kind)k;
	snprintf(out->rule, sizeof out->rule, "%s", detail_str(detail, "rule"));
	snprintf(out->title, sizeof out->title, "%s", detail_str(detail, "title"));
	snprintf(out->what, sizeof out->what, "%s", detail_str(detail, "what"));
	out->crawler = detail_int(detail, "crawler") != 0;
	out->hidden = detail_int(detail, "hidden") != 0;
	out->value = detail_int(detail, "value");
	out->value2 = detail_int(detail, "value2");
}
