/*
 * vuln_intel.c: the stored vulnerability intelligence: CVE records, CISA
 * KEV entries and FIRST EPSS scores imported from files (vuln/vintel.h
 * reads them), one CVE looked up, and what the findings need of a CVE
 * (its KEV due date and EPSS score).
 *
 * An import is one transaction: a file (or a whole cvelistV5 tree) lands
 * whole or not at all, with a row in vuln_intel_imports (the file's
 * SHA-256, its counts) and a logbook entry. Rows are keyed by CVE id, so
 * a newer file updates them in place, and the summary says how many were
 * new, changed and unchanged: a changed KEV due date or a moved EPSS
 * score is what re-prioritises findings. A CVE record older than the one
 * stored (dateUpdated), or an EPSS score of an earlier day, does not
 * replace what is stored: it is counted as older.
 *
 * Cost: two indexed statements a record (read the stored row, write when
 * it differs): a day of EPSS (300,000 rows) or the cvelistV5 tree
 * (250,000 records) is one transaction of a few seconds of SQL.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "findings.h"
#include "base/hash.h"
#include "col_json.h"

typedef struct vi_ctx {
	app *a;
	sg_err *e;
	vi_import_result *res;
	int64_t import_id, now;
	db_stmt *get, *ins, *upd;
	const char *model, *score_date; /* EPSS: the file's */
	bool failed;
} vi_ctx;

static void finalize_all(vi_ctx *c)
{
	db_finalize(c->get);
	db_finalize(c->ins);
	db_finalize(c->upd);
	c->get = c->ins = c->upd = NULL;
}

/* ---- CVE records ---- */

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	return arr;
}

static json_t *opt_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The columns a record is stored as, in order, as JSON values (what the
 * digest is taken of). */
static json_t *cve_row(const cve5_record *r)
{
	json_t *aff = json_array();
	for (size_t i = 0; i < r->n_affected; i++)
		json_array_append_new(aff, json_pack("{s:o, s:o}", "vendor",
		                                     opt_string(r->affected[i].vendor), "product",
		                                     opt_string(r->affected[i].product)));
	json_t *row = json_pack("{s:s, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "state",
	                        r->state, "assigner", opt_string(r->assigner), "reserved",
	                        (json_int_t)r->reserved, "published", (json_int_t)r->published,
	                        "updated", (json_int_t)r->updated, "title", opt_string(r->title),
	                        "description", opt_string(r->description), "cwes",
	                        str_array(r->cwes, r->n_cwes), "refs",
	                        str_array(r->refs, r->n_refs), "affected", aff);
	for (int v = 0; v < CVSS_N; v++) {
		const cve5_cvss *s = &r->cvss[v];
		if (s->present)
			json_object_set_new(row, cvss_version_name(v),
			                    json_pack("{s:f, s:s, s:o, s:s}", "score", s->score, "vector",
			                              s->vector, "severity", opt_string(s->severity),
			                              "source", s->source));
	}
	return row;
}

static const char CVE_COLS[] =
    "state, assigner, date_reserved, date_published, date_updated, title, description, cwes, "
    "refs, affected, cvss40_score, cvss40_vector, cvss40_severity, cvss40_source, "
    "cvss31_score, cvss31_vector, cvss31_severity, cvss31_source, cvss30_score, "
    "cvss30_vector, cvss30_severity, cvss30_source, cvss20_score, cvss20_vector, "
    "cvss20_severity, cvss20_source, digest, import_id, updated_at";
enum { CVE_NCOLS = 29 };

static void bind_opt_int(db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

/* Binds a record's columns (CVE_COLS) from 1, and its id after them. */
static void bind_cve(db_stmt *st, const cve5_record *r, json_t *row, const char *digest,
                     int64_t import_id, int64_t now)
{
	db_bind_text(st, 1, r->state);
	db_bind_text(st, 2, r->assigner);
	bind_opt_int(st, 3, r->reserved);
	bind_opt_int(st, 4, r->published);
	bind_opt_int(st, 5, r->updated);
	db_bind_text(st, 6, r->title);
	db_bind_text(st, 7, r->description);
	const char *arrays[] = {"cwes", "refs", "affected"};
	for (int i = 0; i < 3; i++) {
		char *s = json_dumps(json_object_get(row, arrays[i]), JSON_COMPACT);
		db_bind_text(st, 8 + i, s);
		free(s);
	}
	for (int v = 0; v < CVSS_N; v++) {
		const cve5_cvss *s = &r->cvss[v];
		int at = 11 + 4 * v;
		if (s->present) {
			db_bind_real(st, at, s->score);
			db_bind_text(st, at + 1, s->vector);
			db_bind_text(st, at + 2, s->severity);
			db_bind_text(st, at + 3, s->source);
		} else {
			for (int k = 0; k < 4; k++)
				db_bind_null(st, at + k);
		}
	}
	db_bind_text(st, 27, digest);
	db_bind_int(st, 28, import_id);
	db_bind_int(st, 29, now);
	db_bind_text(st, 30, r->id);
}

/* A record's stored row, by its CVE (c->get, which then holds the row):
 * DB_ROW, DB_DONE (none: *write is c->ins, counted added) or < 0. */
static int stored_row(vi_ctx *c, const char *cve, db_stmt **write)
{
	db_reset(c->get);
	db_bind_text(c->get, 1, cve);
	int rc = db_step(c->get, c->e);
	*write = NULL;
	if (rc == DB_DONE) {
		*write = c->ins;
		c->res->added++;
	}
	return rc;
}

/* After the stored row is read: whether write is to be bound and
 * stepped (it is reset), by rc of stored_row. */
static bool write_ready(vi_ctx *c, int rc, db_stmt *write)
{
	db_reset(c->get);
	if (rc < 0 || write == NULL)
		return false;
	db_reset(write);
	return true;
}

/* A record's end: 0, or -1 with the import failed. */
static int record_done(vi_ctx *c, int rc)
{
	if (rc < 0) {
		c->failed = true;
		return -1;
	}
	return 0;
}

static int take_cve(void *ctx, const cve5_record *r)
{
	vi_ctx *c = ctx;
	json_t *row = cve_row(r);
	char *canon = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
	char digest[SHA256_HEX_LEN + 1];
	sha256_hex(canon, strlen(canon), digest);
	free(canon);
	db_stmt *write;
	int rc = stored_row(c, r->id, &write);
	if (rc == DB_ROW) {
		int64_t stored_updated = db_col_int(c->get, 1);
		if (strcmp(db_col_text(c->get, 0), digest) == 0) {
			c->res->unchanged++;
		} else if (r->updated && stored_updated && r->updated < stored_updated) {
			c->res->older++;
		} else {
			write = c->upd;
			c->res->changed++;
		}
	}
	if (write_ready(c, rc, write)) {
		bind_cve(write, r, row, digest, c->import_id, c->now);
		rc = db_step(write, c->e);
	}
	json_decref(row);
	return record_done(c, rc);
}

static int prepare_cve(vi_ctx *c)
{
	char ins[2048], upd[2048];
	snprintf(ins, sizeof ins,
	         "INSERT INTO vuln_cves (%s, cve_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
	         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?29, ?30, ?29)",
	         CVE_COLS);
	int o = snprintf(upd, sizeof upd, "UPDATE vuln_cves SET ");
	const char *p = CVE_COLS;
	for (int i = 1; i <= CVE_NCOLS; i++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		o += snprintf(upd + o, sizeof upd - (size_t)o, "%s%.*s = ?%d", i > 1 ? ", " : "",
		              (int)len, p, i);
		p = comma ? comma + 2 : p + len;
	}
	snprintf(upd + o, sizeof upd - (size_t)o, " WHERE cve_id = ?30");
	return db_prepare(c->a->db, "SELECT digest, date_updated FROM vuln_cves WHERE cve_id = ?",
	                  &c->get, c->e) != 0 ||
	               db_prepare(c->a->db, ins, &c->ins, c->e) != 0 ||
	               db_prepare(c->a->db, upd, &c->upd, c->e) != 0
	           ? -1
	           : 0;
}

/* ---- KEV ---- */

static const char KEV_COLS[] = "vendor, product, name, date_added, due_date, ransomware, "
                               "description, required_action, notes, cwes";
enum { KEV_NCOLS = 10 };

static int take_kev(void *ctx, const kev_entry *k)
{
	vi_ctx *c = ctx;
	const char *v[KEV_NCOLS] = {k->vendor,      k->product,         k->name,
	                            k->date_added,  k->due_date,        k->ransomware,
	                            k->description, k->required_action, k->notes,
	                            k->cwes};
	db_stmt *write;
	int rc = stored_row(c, k->cve, &write);
	if (rc == DB_ROW) {
		bool same = true;
		for (int i = 0; i < KEV_NCOLS && same; i++)
			same = strcmp(db_col_text(c->get, i), v[i]) == 0;
		if (same) {
			c->res->unchanged++;
		} else {
			write = c->upd;
			c->res->changed++;
			if (strcmp(db_col_text(c->get, 4), k->due_date) != 0)
				c->res->kev_due_changed++;
			if (strcmp(db_col_text(c->get, 5), k->ransomware) != 0)
				c->res->kev_ransomware_changed++;
		}
	}
	if (write_ready(c, rc, write)) {
		for (int i = 0; i < KEV_NCOLS; i++)
			db_bind_text(write, i + 1, v[i]);
		db_bind_int(write, 11, c->import_id);
		db_bind_int(write, 12, c->now);
		db_bind_text(write, 13, k->cve);
		rc = db_step(write, c->e);
	}
	return record_done(c, rc);
}

static int prepare_kev(vi_ctx *c)
{
	char get[512], ins[1024];
	snprintf(get, sizeof get, "SELECT %s FROM vuln_kev WHERE cve_id = ?", KEV_COLS);
	snprintf(ins, sizeof ins,
	         "INSERT INTO vuln_kev (%s, import_id, updated_at, cve_id, created_at) "
	         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?11, ?12, ?13, ?12)",
	         KEV_COLS);
	return db_prepare(c->a->db, get, &c->get, c->e) != 0 ||
	               db_prepare(c->a->db, ins, &c->ins, c->e) != 0 ||
	               db_prepare(c->a->db,
	                          "UPDATE vuln_kev SET vendor = ?1, product = ?2, name = ?3, "
	                          "date_added = ?4, due_date = ?5, ransomware = ?6, "
	                          "description = ?7, required_action = ?8, notes = ?9, cwes = ?10, "
	                          "import_id = ?11, updated_at = ?12 WHERE cve_id = ?13",
	                          &c->upd, c->e) != 0
	           ? -1
	           : 0;
}

/* ---- EPSS ---- */

static int take_epss(void *ctx, const epss_score *s)
{
	vi_ctx *c = ctx;
	db_stmt *write;
	int rc = stored_row(c, s->cve, &write);
	if (rc == DB_ROW) {
		double epss = db_col_real(c->get, 0), pct = db_col_real(c->get, 1);
		int date_cmp = strcmp(db_col_text(c->get, 2), c->score_date);
		if (date_cmp > 0) {
			c->res->older++;
		} else if (epss == s->epss && pct == s->percentile) {
			c->res->unchanged++;
			if (date_cmp < 0)
				write = c->upd; /* the same score, now of a later day */
		} else {
			write = c->upd;
			c->res->changed++;
			if (epss != s->epss)
				c->res->epss_moved++;
		}
	}
	if (write_ready(c, rc, write)) {
		db_bind_real(write, 1, s->epss);
		db_bind_real(write, 2, s->percentile);
		db_bind_text(write, 3, c->model);
		db_bind_text(write, 4, c->score_date);
		db_bind_int(write, 5, c->import_id);
		db_bind_int(write, 6, c->now);
		db_bind_text(write, 7, s->cve);
		rc = db_step(write, c->e);
	}
	return record_done(c, rc);
}

static int prepare_epss(vi_ctx *c)
{
	return db_prepare(c->a->db,
	                  "SELECT epss, percentile, score_date FROM vuln_epss WHERE cve_id = ?",
	                  &c->get, c->e) != 0 ||
	               db_prepare(c->a->db,
	                          "INSERT INTO vuln_epss (epss, percentile, model_version, "
	                          "score_date, import_id, updated_at, cve_id) "
	                          "VALUES (?, ?, ?, ?, ?, ?, ?)",
	                          &c->ins, c->e) != 0 ||
	               db_prepare(c->a->db,
	                          "UPDATE vuln_epss SET epss = ?1, percentile = ?2, "
	                          "model_version = ?3, score_date = ?4, "
	                          "import_id = CASE WHEN epss = ?1 AND percentile = ?2 "
	                          "THEN import_id ELSE ?5 END, "
	                          "updated_at = ?6 WHERE cve_id = ?7",
	                          &c->upd, c->e) != 0
	           ? -1
	           : 0;
}

/* ---- the import ---- */

/* The SHA-256 of a file, read in chunks. */
static int file_sha256(const char *path, char out[SHA256_HEX_LEN + 1], sg_err *e)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return sg_err_set(e, SG_EIO, "cannot open %s", path);
	sha256_ctx *h = sha256_new();
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sha256_update(h, chunk, n);
	bool bad = ferror(f) != 0;
	fclose(f);
	sha256_final_hex(h, out);
	return bad ? sg_err_set(e, SG_EIO, "cannot read %s", path) : 0;
}

static json_t *summary_json(const char *path, const vi_import_result *r, const diags *d)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "file", path,
	                      "kind", vi_kind_name(r->kind), "sha256", r->sha256, "files",
	                      (json_int_t)r->counts.files, "records", (json_int_t)r->counts.read,
	                      "new", (json_int_t)r->added, "changed", (json_int_t)r->changed,
	                      "unchanged", (json_int_t)r->unchanged, "older",
	                      (json_int_t)r->older, "refused", (json_int_t)r->counts.refused);
	if (r->version[0])
		json_object_set_new(o, "version", json_string(r->version));
	if (r->published[0])
		json_object_set_new(o, "published", json_string(r->published));
	if (r->kind == VI_KEV) {
		json_object_set_new(o, "kev_due_changed", json_integer(r->kev_due_changed));
		json_object_set_new(o, "kev_ransomware_changed",
		                    json_integer(r->kev_ransomware_changed));
		json_object_set_new(o, "findings_due_moved", json_integer(r->findings_due_moved));
	}
	if (r->kind == VI_EPSS)
		json_object_set_new(o, "epss_moved", json_integer(r->epss_moved));
	if (d->n) {
		json_t *why = json_array();
		for (size_t i = 0; i < d->n; i++) {
			char line[1200];
			snprintf(line, sizeof line, "%s:%d: %s", d->v[i].file, d->v[i].line,
			         d->v[i].msg);
			json_array_append_new(why, json_string(line));
		}
		json_object_set_new(o, "refusals", why);
	}
	return o;
}

int vuln_intel_import(app *a, const char *actor, const char *path, vi_kind kind,
                      vi_progress_fn progress, void *pctx, vi_import_result *res, diags *d,
                      sg_err *e)
{
	memset(res, 0, sizeof *res);
	if (kind == VI_AUTO) {
		kind = vi_sniff(path, d);
		if (kind == VI_AUTO)
			return sg_err_set(e, SG_EINVAL, "%s cannot be imported; nothing was stored",
			                  path);
	}
	res->kind = kind;
	struct stat st;
	bool dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	if (dir && kind != VI_CVE)
		return sg_err_set(e, SG_EINVAL,
		                  "%s is a directory: only CVE records are imported from a tree", path);
	if (!dir && file_sha256(path, res->sha256, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	vi_ctx c = {.a = a, .e = e, .res = res, .now = app_now(a)};
	if (db_query_int(a->db, e, &c.import_id,
	                 "INSERT INTO vuln_intel_imports (kind, path, sha256, files, records, added, "
	                 "changed, unchanged, refused, details, actor, imported_at) "
	                 "VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, '{}', ?, ?) RETURNING id",
	                 "ssssi", vi_kind_name(kind), path, res->sha256, actor, c.now) != DB_ROW)
		goto fail;
	res->import_id = c.import_id;
	int rc;
	if (kind == VI_CVE) {
		if (prepare_cve(&c) != 0)
			goto fail;
		rc = cve5_read(path, take_cve, &c, progress, pctx, &res->counts,
		               dir ? res->sha256 : NULL, d);
	} else if (kind == VI_KEV) {
		kev_catalog cat;
		if (prepare_kev(&c) != 0)
			goto fail;
		rc = kev_read(path, c.now, take_kev, &c, &cat, &res->counts, d);
		snprintf(res->version, sizeof res->version, "%s", cat.version);
		snprintf(res->published, sizeof res->published, "%s", cat.released);
	} else {
		epss_file meta;
		if (prepare_epss(&c) != 0)
			goto fail;
		/* the reader fills meta from the model line before the first row */
		c.model = meta.model_version;
		c.score_date = meta.score_date;
		rc = epss_read(path, take_epss, &c, &meta, &res->counts, d);
		snprintf(res->version, sizeof res->version, "%s", meta.model_version);
		snprintf(res->published, sizeof res->published, "%s", meta.score_date);
		res->gzip = meta.gzip;
	}
	finalize_all(&c);
	if (c.failed)
		goto fail;
	if (rc != 0) {
		sg_err_set(e, SG_EINVAL, "%s cannot be imported; nothing was stored", path);
		goto fail;
	}
	if (res->counts.passed == 0 && res->counts.refused > 0) {
		sg_err_set(e, SG_EINVAL, "no record could be read from %s; nothing was stored", path);
		goto fail;
	}
	if (kind == VI_KEV &&
	    findings_kev_reweigh(a, c.import_id, &res->findings_due_moved, e) != 0)
		goto fail;
	json_t *details = summary_json(path, res, d);
	char *text = json_dumps(details, JSON_COMPACT);
	int urc = db_run(a->db, e,
	                 "UPDATE vuln_intel_imports SET sha256 = ?, version = ?, published = ?, "
	                 "files = ?, records = ?, added = ?, changed = ?, unchanged = ?, "
	                 "refused = ?, details = ? WHERE id = ?",
	                 "sssiiiiiisi", res->sha256, res->version[0] ? res->version : NULL,
	                 res->published[0] ? res->published : NULL, (int64_t)res->counts.files,
	                 (int64_t)res->counts.read, res->added, res->changed, res->unchanged,
	                 (int64_t)res->counts.refused, text, c.import_id);
	free(text);
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)c.import_id);
	if (urc != 0 ||
	    logbook_record(a, actor, "vuln.intel.import", "vuln_intel", id, details, e) != 0)
		goto fail;
	return db_commit(a->db, e);
fail:
	finalize_all(&c);
	db_rollback(a->db);
	return -1;
}

/* ---- looking up ---- */

static int check_id(const char *cve_id, char id[32], sg_err *e)
{
	if (cve_id == NULL || !vi_cve_id(cve_id, strlen(cve_id), id))
		return sg_err_set(e, SG_EINVAL, "'%s' is not a CVE id (CVE-YYYY-NNNN)",
		                  cve_id ? cve_id : "");
	return 0;
}

static json_t *col_json_real(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_real(db_col_real(st, col));
}

/* The record of id as JSON into *out (NULL when none stored). */
static int lookup_record(app *a, const char *id, json_t **out, sg_err *e)
{
	db_stmt *st;
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT %s FROM vuln_cves WHERE cve_id = ?", CVE_COLS);
	if (db_prepare_bind(a->db, &st, e, sql, "s", id) != 0)
		return -1;
	int rc = db_step(st, e);
	*out = NULL;
	if (rc == DB_ROW) {
		json_t *cvss = json_object();
		for (int v = 0; v < CVSS_N; v++) {
			int at = 10 + 4 * v;
			if (!db_col_null(st, at))
				json_object_set_new(
				    cvss, cvss_version_name(v),
				    json_pack("{s:o, s:o, s:o, s:o}", "score", col_json_real(st, at),
				              "vector", col_json_text(st, at + 1), "severity",
				              col_json_text(st, at + 2), "source",
				              col_json_text(st, at + 3)));
		}
		*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "state",
		                 col_json_text(st, 0), "assigner", col_json_text(st, 1),
		                 "date_reserved", col_json_int(st, 2), "date_published",
		                 col_json_int(st, 3), "date_updated", col_json_int(st, 4), "title",
		                 col_json_text(st, 5), "description", col_json_text(st, 6), "cwes",
		                 col_json_doc(st, 7), "references", col_json_doc(st, 8), "affected",
		                 col_json_doc(st, 9), "cvss", cvss);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int lookup_kev(app *a, const char *id, json_t **out, sg_err *e)
{
	db_stmt *st;
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM vuln_kev WHERE cve_id = ?", KEV_COLS);
	if (db_prepare_bind(a->db, &st, e, sql, "s", id) != 0)
		return -1;
	int rc = db_step(st, e);
	*out = NULL;
	if (rc == DB_ROW) {
		static const char *const keys[KEV_NCOLS] = {
		    "vendor",      "product",         "name",  "date_added", "due_date",
		    "ransomware",  "description", "required_action", "notes", "cwes"};
		*out = json_object();
		for (int i = 0; i < KEV_NCOLS; i++)
			json_object_set_new(*out, keys[i], col_json_text(st, i));
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int lookup_epss(app *a, const char *id, json_t **out, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT epss, percentile, model_version, score_date FROM vuln_epss "
	                    "WHERE cve_id = ?",
	                    "s", id) != 0)
		return -1;
	int rc = db_step(st, e);
	*out = NULL;
	if (rc == DB_ROW)
		*out = json_pack("{s:f, s:f, s:o, s:o}", "score", db_col_real(st, 0), "percentile",
		                 db_col_real(st, 1), "model_version", col_json_text(st, 2),
		                 "score_date", col_json_text(st, 3));
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

json_t *vuln_intel_cve(app *a, const char *cve_id, sg_err *e)
{
	char id[32];
	if (check_id(cve_id, id, e) != 0)
		return NULL;
	json_t *rec = NULL, *kev = NULL, *epss = NULL;
	if (lookup_record(a, id, &rec, e) != 0 || lookup_kev(a, id, &kev, e) != 0 ||
	    lookup_epss(a, id, &epss, e) != 0) {
		json_decref(rec);
		json_decref(kev);
		return NULL;
	}
	if (rec == NULL && kev == NULL && epss == NULL) {
		sg_err_set(e, SG_ENOTFOUND, "no CVE record, KEV entry or EPSS score of %s is stored",
		           id);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:o, s:o}", "cve", id, "record", rec ? rec : json_null(),
	                 "kev", kev ? kev : json_null(), "epss", epss ? epss : json_null());
}

int vuln_intel_priority(app *a, const char *cve_id, vuln_cve_priority *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	out->epss = out->percentile = -1;
	char id[32];
	if (check_id(cve_id, id, e) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT k.due_date, k.ransomware, "
	                    "(SELECT epss FROM vuln_epss WHERE cve_id = ?1), "
	                    "(SELECT percentile FROM vuln_epss WHERE cve_id = ?1) "
	                    "FROM (SELECT 1) AS one LEFT JOIN vuln_kev k ON k.cve_id = ?1",
	                    "s", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		if (!db_col_null(st, 0)) {
			out->kev = true;
			snprintf(out->kev_due, sizeof out->kev_due, "%s", db_col_text(st, 0));
			out->kev_ransomware = strcmp(db_col_text(st, 1), "Known") == 0;
		}
		if (!db_col_null(st, 2)) {
			out->epss = db_col_real(st, 2);
			out->percentile = db_col_real(st, 3);
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
