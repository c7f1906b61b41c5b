/*
 * indicators.c: the stored threat indicators: import from feeds, list,
 * search, expiry, and the set the detection engine loads.
 *
 * An import is one transaction: a feed either lands whole or not at all,
 * and the logbook records who imported what and how much. A value seen
 * again from the same source updates its row (TLP, confidence, the
 * widest first/last seen, the newest expiry); from another source it is
 * a row of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "col_json.h"

typedef struct import_ctx {
	app *a;
	db_stmt *st;
	int64_t now;
	sg_err *e;
} import_ctx;

static int store_one(void *ctx, const ioc *r)
{
	import_ctx *c = ctx;
	db_stmt *st = c->st;
	db_reset(st);
	db_bind_text(st, 1, ioc_type_name(r->type));
	db_bind_text(st, 2, r->value);
	db_bind_text(st, 3, r->source);
	db_bind_text(st, 4, r->tlp);
	if (r->confidence >= 0)
		db_bind_int(st, 5, r->confidence);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, r->description);
	const int64_t times[] = {r->first_seen, r->last_seen, r->expires};
	for (int i = 0; i < 3; i++) {
		if (times[i])
			db_bind_int(st, 7 + i, times[i]);
		else
			db_bind_null(st, 7 + i);
	}
	db_bind_int(st, 10, c->now);
	db_bind_int(st, 11, c->now);
	return db_step(st, c->e) == DB_DONE ? 0 : -1;
}

int ioc_import(app *a, const char *actor, const char *path, intel_format fmt,
               const intel_defaults *def, ioc_import_result *res, diags *d, sg_err *e)
{
	memset(res, 0, sizeof *res);
	int64_t before;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_query_int(a->db, e, &before, "SELECT COUNT(*) FROM indicators", "") < 0)
		goto fail;
	import_ctx c = {a, NULL, app_now(a), e};
	if (db_prepare(a->db,
	               "INSERT INTO indicators (type, value, source, tlp, confidence, description, "
	               "first_seen, last_seen, expires_at, created_at, updated_at) "
	               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?10, ?10) "
	               "ON CONFLICT (type, value, source) DO UPDATE SET "
	               "tlp = COALESCE(excluded.tlp, indicators.tlp), "
	               "confidence = COALESCE(excluded.confidence, indicators.confidence), "
	               "description = COALESCE(excluded.description, indicators.description), "
	               "first_seen = CASE WHEN indicators.first_seen IS NULL OR "
	               "excluded.first_seen < indicators.first_seen THEN excluded.first_seen "
	               "ELSE indicators.first_seen END, "
	               "last_seen = CASE WHEN indicators.last_seen IS NULL OR "
	               "excluded.last_seen > indicators.last_seen THEN excluded.last_seen "
	               "ELSE indicators.last_seen END, "
	               "expires_at = excluded.expires_at, updated_at = excluded.updated_at",
	               &c.st, e) != 0)
		goto fail;
	int rc = intel_read(path, fmt, def, store_one, &c, &res->counts, d);
	db_finalize(c.st);
	if (rc != 0) {
		if (e->code == SG_OK)
			sg_err_set(e, SG_EINVAL, "%s cannot be imported; nothing was stored", path);
		goto fail;
	}
	if (res->counts.kept == 0 && res->counts.invalid > 0) {
		sg_err_set(e, SG_EINVAL, "no indicator could be read from %s; nothing was stored", path);
		goto fail;
	}
	int64_t after;
	if (db_query_int(a->db, e, &after, "SELECT COUNT(*) FROM indicators", "") < 0)
		goto fail;
	res->added = after - before;
	res->updated = (int64_t)res->counts.kept - res->added;
	const char *slash = strrchr(path, '/');
	json_t *details = json_pack(
	    "{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "file", path, "format",
	    intel_format_name(res->counts.format), "kept", (json_int_t)res->counts.kept, "added",
	    (json_int_t)res->added, "updated", (json_int_t)res->updated, "skipped",
	    (json_int_t)res->counts.skipped, "invalid", (json_int_t)res->counts.invalid);
	if (res->counts.skipped) { /* why, as the import told it */
		json_t *why = json_object();
		for (size_t i = 0; i < res->counts.n_why; i++)
			json_object_set_new(why, res->counts.why[i].what,
			                    json_integer((json_int_t)res->counts.why[i].n));
		if (res->counts.why_other)
			json_object_set_new(why, "other reasons",
			                    json_integer((json_int_t)res->counts.why_other));
		json_object_set_new(details, "left_out", why);
	}
	if (logbook_record(a, actor, "ioc.import", "feed",
	                   def->source ? def->source : slash && slash[1] ? slash + 1 : path, details,
	                   e) != 0 ||
	    app_mark_changed(a, "indicators", e) != 0)
		goto fail;
	return db_commit(a->db, e);
fail:
	db_rollback(a->db);
	return -1;
}

static const char ROW_COLS[] =
    "id, type, value, source, tlp, confidence, description, first_seen, last_seen, expires_at, "
    "created_at, updated_at";

static json_t *row_json(db_stmt *st, int64_t now)
{
	bool expired = !db_col_null(st, 9) && db_col_int(st, 9) <= now;
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:b}", "id",
	                 (json_int_t)db_col_int(st, 0), "type", db_col_text(st, 1), "value",
	                 db_col_text(st, 2), "source", db_col_text(st, 3), "tlp",
	                 col_json_text(st, 4), "confidence", col_json_int(st, 5), "description",
	                 col_json_text(st, 6), "first_seen", col_json_int(st, 7), "last_seen",
	                 col_json_int(st, 8), "expires_at", col_json_int(st, 9), "created_at",
	                 (json_int_t)db_col_int(st, 10), "updated_at",
	                 (json_int_t)db_col_int(st, 11), "expired", expired);
}

json_t *ioc_list(app *a, const ioc_filter *f, int64_t *total, sg_err *e)
{
	if (f->type && ioc_type_parse(f->type) == IOC_NONE) {
		sg_err_set(e, SG_EINVAL, "unknown indicator type \"%s\"", f->type);
		return NULL;
	}
	const char *type = f->type ? ioc_type_name(ioc_type_parse(f->type)) : NULL;
	int64_t now = app_now(a);
	char like[300] = "";
	if (f->q && *f->q) {
		size_t o = 0;
		for (const char *p = f->q; *p && o + 3 < sizeof like; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				like[o++] = '\\';
			like[o++] = *p;
		}
		like[o] = '\0';
		strncat(like, "%", sizeof like - strlen(like) - 1);
	}
	static const char where[] =
	    " FROM indicators WHERE (? IS NULL OR type = ?) AND (? IS NULL OR source = ?) "
	    "AND (? = '' OR value LIKE ? ESCAPE '\\') "
	    "AND (? = 1 OR expires_at IS NULL OR expires_at > ?)";
	char sql[1024];
	db_stmt *st;
	int limit = f->limit > 0 ? f->limit : 100, offset = f->offset > 0 ? f->offset : 0;
	if (total) {
		snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
		if (db_query_int(a->db, e, total, sql, "ssssssii", type, type, f->source, f->source,
		                 like, like, (int64_t)f->expired, now) < 0)
			return NULL;
	}
	snprintf(sql, sizeof sql, "SELECT %s%s ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
	         ROW_COLS, where);
	if (db_prepare_bind(a->db, &st, e, sql, "ssssssiiii", type, type, f->source, f->source, like,
	                    like, (int64_t)f->expired, now, (int64_t)limit, (int64_t)offset) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, row_json(st, now));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *ioc_get(app *a, int64_t id, sg_err *e)
{
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT %s FROM indicators WHERE id = ?", ROW_COLS);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "i", id) != 0)
		return NULL;
	json_t *out = NULL;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		out = row_json(st, app_now(a));
	else if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no indicator %lld", (long long)id);
	db_finalize(st);
	return out;
}

/* The values a stored indicator matching v can have: v, the host of a
 * URL or the domain of an e-mail address, and their parent domains. */
static int candidates(const char *v, ioc_type t, char out[][IOC_VALUE_MAX + 1], int max)
{
	int n = 0;
	snprintf(out[n++], IOC_VALUE_MAX + 1, "%s", v);
	const char *host = v, *end = v + strlen(v);
	if (t == IOC_URL) {
		host = strstr(v, "://") + 3;
		const char *at = NULL;
		for (end = host; *end && *end != '/' && *end != '?' && *end != '#'; end++)
			if (*end == '@')
				at = end;
		if (at)
			host = at + 1;
		const char *colon = memchr(host, ':', (size_t)(end - host));
		if (colon && *host != '[')
			end = colon;
	} else if (t == IOC_EMAIL) {
		host = strrchr(v, '@') + 1;
	} else if (t != IOC_DOMAIN) {
		return n;
	}
	for (const char *p = host; p < end && n < max;) {
		if (p != v)
			snprintf(out[n++], IOC_VALUE_MAX + 1, "%.*s", (int)(end - p), p);
		const char *dot = memchr(p, '.', (size_t)(end - p));
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return n;
}

typedef struct search_ctx {
	json_t *rows; /* id -> row */
	json_t *out;
} search_ctx;

static void on_found(void *ctx, const ioc *hit, const char *obs, size_t on)
{
	(void)obs;
	(void)on;
	search_ctx *s = ctx;
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)hit->id);
	json_t *row = json_object_get(s->rows, key);
	if (row)
		json_array_append(s->out, row);
}

json_t *ioc_search(app *a, const char *value, sg_err *e)
{
	char norm[IOC_VALUE_MAX + 1];
	size_t nn;
	ioc_type t = ioc_normalise(value, strlen(value), IOC_NONE, norm, &nn);
	if (t == IOC_NONE) {
		sg_err_set(e, SG_EINVAL,
		           "\"%.100s\" is not an address, range, domain, URL, e-mail address or "
		           "MD5/SHA-1/SHA-256 hash",
		           value);
		return NULL;
	}
	/* the caller's own: web requests search at once on their threads */
	char(*cand)[IOC_VALUE_MAX + 1] = malloc(24 * sizeof *cand);
	if (!cand)
		abort();
	int nc = candidates(norm, t, cand, 24);
	char sql[2048];
	int o = snprintf(sql, sizeof sql, "SELECT %s FROM indicators WHERE type = 'cidr' OR value IN (",
	                 ROW_COLS);
	for (int i = 0; i < nc; i++)
		o += snprintf(sql + o, sizeof sql - (size_t)o, i ? ", ?" : "?");
	snprintf(sql + o, sizeof sql - (size_t)o, ")");
	db_stmt *st;
	if (db_prepare(a->db, sql, &st, e) != 0) {
		free(cand);
		return NULL;
	}
	for (int i = 0; i < nc; i++)
		db_bind_text(st, i + 1, cand[i]);
	int64_t now = app_now(a);
	ioc_set *set = ioc_set_new();
	search_ctx s = {json_object(), json_array()};
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		ioc r = {.type = ioc_type_parse(db_col_text(st, 1)), .value = db_col_text(st, 2),
		         .id = db_col_int(st, 0)};
		char key[32];
		snprintf(key, sizeof key, "%lld", (long long)r.id);
		json_object_set_new(s.rows, key, row_json(st, now));
		ioc_set_add(set, &r);
	}
	db_finalize(st);
	free(cand);
	if (rc >= 0) {
		ioc_set_finish(set);
		ioc_set_match(set, norm, nn, on_found, &s);
	}
	ioc_set_free(set);
	json_decref(s.rows);
	if (rc < 0) {
		json_decref(s.out);
		return NULL;
	}
	return s.out;
}

int ioc_expire(app *a, const char *actor, bool dry_run, int64_t *count, sg_err *e)
{
	int64_t now = app_now(a);
	if (dry_run)
		return db_query_int(a->db, e, count,
		                    "SELECT COUNT(*) FROM indicators WHERE expires_at <= ?", "i", now) < 0
		           ? -1
		           : 0;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_run(a->db, e, "DELETE FROM indicators WHERE expires_at <= ?", "i", now) != 0)
		goto fail;
	*count = db_changes(a->db);
	if (*count > 0 &&
	    logbook_record(a, actor, "ioc.expire", "indicators", "expired",
	                   json_pack("{s:I}", "removed", (json_int_t)*count), e) != 0)
		goto fail;
	if (*count > 0 && app_mark_changed(a, "indicators", e) != 0)
		goto fail;
	return db_commit(a->db, e);
fail:
	db_rollback(a->db);
	return -1;
}

int ioc_load_into(app *a, ioc_set *set, size_t *loaded, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, type, value, source, tlp, confidence, description, first_seen, "
	                    "last_seen, expires_at FROM indicators "
	                    "WHERE expires_at IS NULL OR expires_at > ? ORDER BY id",
	                    "i", app_now(a)) != 0)
		return -1;
	int rc;
	size_t n = 0;
	while ((rc = db_step(st, e)) == DB_ROW) {
		ioc r = {.id = db_col_int(st, 0),
		         .type = ioc_type_parse(db_col_text(st, 1)),
		         .value = db_col_text(st, 2),
		         .source = db_col_text(st, 3),
		         .tlp = db_col_text(st, 4),
		         .confidence = db_col_null(st, 5) ? -1 : (int)db_col_int(st, 5),
		         .description = db_col_text(st, 6),
		         .first_seen = db_col_int(st, 7),
		         .last_seen = db_col_int(st, 8),
		         .expires = db_col_int(st, 9)};
		if (ioc_set_add(set, &r) == 0)
			n++;
	}
	db_finalize(st);
	if (loaded)
		*loaded = n;
	return rc < 0 ? -1 : 0;
}
