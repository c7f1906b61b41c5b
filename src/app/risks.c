/*
 * risks.c: the risk register (docs/risks.md).
 *
 * A risk names what could go wrong (title, description, threat,
 * vulnerability), whom it concerns (an OPD and/or assets of the
 * register), how likely and how bad it is on the matrix of [risiko]
 * (risk_matrix.c), before treatment (inherent) and after (residual), the
 * treatment (terima, mitigasi, alihkan, hindari) and its plan, its owner
 * (a user) and the date of its next review. The level is read from the
 * matrix each time, never stored: a Diskominfo that changes its matrix
 * sees every risk rated anew.
 *
 * Sight is the asset register's need-to-know (asset_scope_of): the CSIRT's
 * staff (a staff role of any SOP) read every risk; an agen_siber reads the risks
 * of its own OPD (or of its OPD's assets) and no other, which are "not
 * found" to it. The register is kept by the roles that weigh risks in the
 * SOPs (RISK_KEEPERS: the exception SOP's tim_teknis, kabid and
 * kepala_dinas, and ttis). A risk is closed (ditutup), never deleted.
 * Every change is one transaction with a logbook entry on "risk:ID" that
 * says what changed (each field's old and new value).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/civil.h"
#include "base/utf8.h"
#include "case_row.h"
#include "col_json.h"

const char *const risk_treatments[] = {"terima", "mitigasi", "alihkan", "hindari", NULL};

static const char *const RISK_KEEPERS[] = {"tim_teknis", "kabid", "kepala_dinas", "ttis", NULL};

enum { TITLE_MAX = 200, TEXT_MAX = 8000, RISK_ASSETS_MAX = 64 };

/* ---- who may do what ---- */

int risk_scope_of(app *a, const char *user, risk_scope *s, sg_err *e)
{
	memset(s, 0, sizeof *s);
	/* sight is the asset register's need-to-know (assets.c) */
	asset_scope as;
	if (asset_scope_of(a, user, &as, e) != 0)
		return -1;
	s->read_all = as.read_all;
	s->opd_id = as.read_all ? 0 : as.opd_id;
	if (user_is_owner(user)) {
		s->write = true; /* the machine's owner */
		return 0;
	}
	sg_err ignore;
	json_t *roles = user_roles(a, user, &ignore);
	for (size_t i = 0; roles && RISK_KEEPERS[i]; i++)
		s->write |= roles_hold(roles, RISK_KEEPERS[i]);
	json_decref(roles);
	return 0;
}

/* The SQL condition an agen_siber's sight adds ("" for the staff): the
 * risk's OPD, or one of its assets', is theirs. r is the risks alias. */
#define OPD_SIGHT                                                                                  \
	" AND (r.opd_id = ? OR EXISTS (SELECT 1 FROM risk_assets ra JOIN assets s ON s.id = "     \
	"ra.asset_id WHERE ra.risk_id = r.id AND s.opd_id = ?))"

/* ---- checking what is written ---- */

static int check_text(const char *what, const char *v, size_t max, bool required, sg_err *e)
{
	if (v == NULL)
		return 0;
	if (required && v[strspn(v, " \t\r\n")] == '\0')
		return sg_err_set(e, SG_EINVAL, "%s must not be empty", what);
	if (!utf8_valid(v, strlen(v)))
		return sg_err_set(e, SG_EINVAL, "%s is not UTF-8 text", what);
	if (utf8_length(v) > max) /* characters, as the form's maxlength counts */
		return sg_err_set(e, SG_EINVAL, "%s is longer than %zu characters", what, max);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f ||
		    /* bidi embeddings, overrides and isolates: text that reorders
		     * the page around it */
		    (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
		                      (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))))
			return sg_err_set(e, SG_EINVAL, "%s holds a control character", what);
	return 0;
}

static int check_step(const char *what, int v, int n, sg_err *e)
{
	if (v < 1 || v > n)
		return sg_err_set(e, SG_EINVAL,
		                  "%s must be a step of the matrix, 1 (the lowest) to %d", what, n);
	return 0;
}

int risk_treatment_valid(const char *t)
{
	for (size_t i = 0; risk_treatments[i]; i++)
		if (strcmp(risk_treatments[i], t) == 0)
			return 1;
	return 0;
}

/* "YYYY-MM-DD" as the start of that day in the calendar's zone. */
static int review_day(app *a, const char *v, int64_t *out, sg_err *e)
{
	if (strlen(v) != 10 || civil_parse(v, a->cfg.cal.zone, out) != 0)
		return sg_err_set(e, SG_EINVAL, "the review date '%s' must be a date, YYYY-MM-DD", v);
	int64_t day = 86400, now = app_now(a);
	if (*out < now - 366 * day || *out > now + 10 * 366 * day)
		return sg_err_set(e, SG_EINVAL,
		                  "the review date '%s' must lie within a year before and ten years "
		                  "after today",
		                  v);
	return 0;
}

static int check_in(app *a, const risk_in *in, bool create, sg_err *e)
{
	const risk_matrix *m = &a->cfg.risk;
	if (create && in->title == NULL)
		return sg_err_set(e, SG_EINVAL, "a risk needs a title");
	if (check_text("title", in->title, TITLE_MAX, true, e) != 0 ||
	    check_text("description", in->description, TEXT_MAX, false, e) != 0 ||
	    check_text("threat", in->threat, TEXT_MAX, false, e) != 0 ||
	    check_text("vulnerability", in->vulnerability, TEXT_MAX, false, e) != 0 ||
	    check_text("treatment_plan", in->treatment_plan, TEXT_MAX, false, e) != 0)
		return -1;
	if ((create || in->likelihood) && check_step("likelihood", in->likelihood, m->n_likelihood, e) != 0)
		return -1;
	if ((create || in->impact) && check_step("impact", in->impact, m->n_impact, e) != 0)
		return -1;
	if ((in->residual_likelihood > 0) != (in->residual_impact > 0) ||
	    (in->residual_likelihood < 0) != (in->residual_impact < 0))
		return sg_err_set(e, SG_EINVAL,
		                  "the residual likelihood and impact go together (both, or "
		                  "neither)");
	if (in->residual_likelihood > 0 &&
	    (check_step("residual_likelihood", in->residual_likelihood, m->n_likelihood, e) != 0 ||
	     check_step("residual_impact", in->residual_impact, m->n_impact, e) != 0))
		return -1;
	if ((create || in->treatment) &&
	    (in->treatment == NULL || !risk_treatment_valid(in->treatment)))
		return sg_err_set(e, SG_EINVAL,
		                  "the treatment must be terima, mitigasi, alihkan or hindari");
	if (in->status && strcmp(in->status, "aktif") != 0 && strcmp(in->status, "ditutup") != 0)
		return sg_err_set(e, SG_EINVAL, "the status must be aktif or ditutup");
	if (in->set_assets && in->n_assets > RISK_ASSETS_MAX)
		return sg_err_set(e, SG_EINVAL, "at most %d assets a risk", RISK_ASSETS_MAX);
	return 0;
}

/* ---- reading ---- */

#define RISK_COLUMNS                                                                               \
	"SELECT r.id, r.title, r.description, r.opd_id, o.abbrev, o.name, r.threat, "              \
	"r.vulnerability, r.likelihood, r.impact, r.residual_likelihood, r.residual_impact, "      \
	"r.treatment, r.treatment_plan, r.owner, r.review_at, r.status, r.created_by, "            \
	"r.created_at, r.updated_at FROM risks r LEFT JOIN opd o ON o.id = r.opd_id "

/* {step, name} of an axis. */
static json_t *step_json(const char names[][RISK_NAME_MAX + 1], int n, int v)
{
	return json_pack("{s:i, s:s}", "step", v, "name", v >= 1 && v <= n ? names[v - 1] : "?");
}

/* {level, name} of likelihood l and impact i; level 0 when the matrix
 * has no such cell (it was made smaller since). */
static json_t *level_json(const risk_matrix *m, int l, int i)
{
	int v = risk_level(m, l, i);
	return json_pack("{s:i, s:s}", "level", v, "name", v ? m->level[v - 1] : "?");
}

static json_t *row_json(app *a, db_stmt *st)
{
	const risk_matrix *m = &a->cfg.risk;
	int l = (int)db_col_int(st, 8), i = (int)db_col_int(st, 9);
	json_t *o = json_pack(
	    "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:I, s:I}",
	    "id", (json_int_t)db_col_int(st, 0), "title", col_json_text(st, 1), "description",
	    col_json_text(st, 2), "opd",
	    db_col_null(st, 3) ? json_null()
	                       : json_pack("{s:I, s:o, s:o}", "id", (json_int_t)db_col_int(st, 3),
	                                   "abbrev", col_json_text(st, 4), "name",
	                                   col_json_text(st, 5)),
	    "threat", col_json_text(st, 6), "vulnerability", col_json_text(st, 7), "likelihood",
	    step_json(m->likelihood, m->n_likelihood, l), "impact",
	    step_json(m->impact, m->n_impact, i), "inherent", level_json(m, l, i), "treatment",
	    col_json_text(st, 12), "treatment_plan", col_json_text(st, 13), "owner",
	    col_json_text(st, 14), "status", col_json_text(st, 16), "review_at",
	    (json_int_t)db_col_int(st, 15), "created_by", col_json_text(st, 17), "created_at",
	    (json_int_t)db_col_int(st, 18), "updated_at",
	    (json_int_t)db_col_int(st, 19));
	if (db_col_null(st, 10)) {
		json_object_set_new(o, "residual", json_null());
	} else {
		int rl = (int)db_col_int(st, 10), ri = (int)db_col_int(st, 11);
		json_t *res = level_json(m, rl, ri);
		json_object_set_new(res, "likelihood", step_json(m->likelihood, m->n_likelihood, rl));
		json_object_set_new(res, "impact", step_json(m->impact, m->n_impact, ri));
		json_object_set_new(o, "residual", res);
	}
	char day[16];
	civil_format_day(db_col_int(st, 15), a->cfg.cal.zone, day);
	json_object_set_new(o, "review", json_string(day));
	json_object_set_new(o, "review_due",
	                    json_boolean(strcmp(json_string_value(json_object_get(o, "status")),
	                                        "aktif") == 0 &&
	                                 db_col_int(st, 15) <= app_now(a)));
	return o;
}

/* The risk's assets the scope may see (an agen_siber its OPD's: another
 * OPD's asset is not its business), each with whether it is retired;
 * *hidden counts the others. */
static json_t *assets_of(app *a, const risk_scope *s, int64_t id, int *hidden, sg_err *e)
{
	db_stmt *st;
	*hidden = 0;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT s.id, s.name, o.abbrev, s.opd_id, s.retired_at IS NOT NULL FROM "
	                    "risk_assets ra JOIN assets s ON s.id = ra.asset_id JOIN opd o ON o.id = "
	                    "s.opd_id WHERE ra.risk_id = ? ORDER BY s.name, s.id",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (!s->read_all && db_col_int(st, 3) != s->opd_id) {
			(*hidden)++;
			continue;
		}
		json_array_append_new(out, json_pack("{s:I, s:o, s:o, s:b}", "id",
		                                     (json_int_t)db_col_int(st, 0), "name",
		                                     col_json_text(st, 1), "opd", col_json_text(st, 2),
		                                     "retired", db_col_int(st, 4) != 0));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The risk as the scope may see it, or NULL (SG_ENOTFOUND when unseen). */
static json_t *load(app *a, const risk_scope *s, int64_t id, sg_err *e)
{
	db_stmt *st;
	int rc = s->read_all
	             ? db_prepare_bind(a->db, &st, e, RISK_COLUMNS "WHERE r.id = ?", "i", id)
	             : db_prepare_bind(a->db, &st, e, RISK_COLUMNS "WHERE r.id = ?" OPD_SIGHT, "iii",
	                               id, s->opd_id, s->opd_id);
	if (rc != 0)
		return NULL;
	json_t *o = NULL;
	rc = db_step(st, e);
	if (rc == DB_ROW)
		o = row_json(a, st);
	db_finalize(st);
	if (rc == DB_DONE || (rc == DB_ROW && !s->read_all && s->opd_id == 0)) {
		json_decref(o);
		sg_err_set(e, SG_ENOTFOUND, "no risk %lld", (long long)id);
		return NULL;
	}
	if (o == NULL)
		return NULL;
	int hidden = 0;
	json_t *as = assets_of(a, s, id, &hidden, e);
	if (as == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "assets", as);
	if (hidden)
		json_object_set_new(o, "assets_of_other_opd", json_integer(hidden));
	return o;
}

json_t *risk_get(app *a, const char *viewer, int64_t id, sg_err *e)
{
	risk_scope s;
	if (risk_scope_of(a, viewer, &s, e) != 0)
		return NULL;
	if (!s.read_all && s.opd_id == 0) {
		sg_err_set(e, SG_ENOTFOUND, "no risk %lld", (long long)id);
		return NULL;
	}
	json_t *o = load(a, &s, id, e);
	if (o == NULL)
		return NULL;
	char object[40];
	snprintf(object, sizeof object, "risk:%lld", (long long)id);
	json_t *h = logbook_list(a, object, 100, NULL, e);
	if (h == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "history", h);
	json_object_set_new(o, "may_write", json_boolean(s.write));
	return o;
}

json_t *risk_list(app *a, const char *viewer, const risk_filter *f, sg_err *e)
{
	risk_scope s;
	if (risk_scope_of(a, viewer, &s, e) != 0)
		return NULL;
	const risk_matrix *m = &a->cfg.risk;
	json_t *rows = json_array();
	int heat[2][RISK_AXIS_MAX][RISK_AXIS_MAX] = {{{0}}};
	int by_level[RISK_LEVELS_MAX + 1] = {0}, outside = 0;
	if (s.read_all || s.opd_id) {
		buf sql = BUF_INIT;
		buf_puts(&sql, RISK_COLUMNS "WHERE 1 = 1");
		if (!s.read_all)
			buf_puts(&sql, OPD_SIGHT);
		if (f->status && *f->status)
			buf_puts(&sql, " AND r.status = ?");
		if (f->opd_id)
			buf_puts(&sql, " AND r.opd_id = ?");
		buf_puts(&sql, " ORDER BY r.review_at, r.id");
		db_stmt *st;
		if (db_prepare(a->db, buf_str(&sql), &st, e) != 0) {
			buf_free(&sql);
			json_decref(rows);
			return NULL;
		}
		buf_free(&sql);
		int k = 1;
		if (!s.read_all) {
			db_bind_int(st, k++, s.opd_id);
			db_bind_int(st, k++, s.opd_id);
		}
		if (f->status && *f->status)
			db_bind_text(st, k++, f->status);
		if (f->opd_id)
			db_bind_int(st, k++, f->opd_id);
		int rc;
		while ((rc = db_step(st, e)) == DB_ROW) {
			json_t *o = row_json(a, st);
			int l = (int)db_col_int(st, 8), i = (int)db_col_int(st, 9);
			int lv = risk_level(m, l, i);
			bool open = strcmp(json_string_value(json_object_get(o, "status")), "aktif") == 0;
			/* the maps and counts are of every open risk the filter of
			 * status and OPD leaves, whatever the level asked */
			if (open && lv == 0)
				outside++; /* rated on a larger matrix: to be rated anew */
			if (open && lv) {
				heat[0][l - 1][i - 1]++;
				by_level[lv]++;
				int rl = (int)db_col_int(st, 10), ri = (int)db_col_int(st, 11);
				if (db_col_null(st, 10)) {
					rl = l;
					ri = i;
				}
				if (risk_level(m, rl, ri))
					heat[1][rl - 1][ri - 1]++;
			}
			if (f->level && lv != f->level)
				json_decref(o);
			else
				json_array_append_new(rows, o);
		}
		db_finalize(st);
		if (rc < 0) {
			json_decref(rows);
			return NULL;
		}
	}
	json_t *maps = json_object();
	for (int k = 0; k < 2; k++) {
		json_t *g = json_array();
		for (int l = 0; l < m->n_likelihood; l++) {
			json_t *r = json_array();
			for (int i = 0; i < m->n_impact; i++)
				json_array_append_new(r, json_integer(heat[k][l][i]));
			json_array_append_new(g, r);
		}
		json_object_set_new(maps, k ? "residual" : "inherent", g);
	}
	json_t *levels = json_array();
	for (int v = 1; v <= m->n_levels; v++)
		json_array_append_new(levels, json_pack("{s:i, s:s, s:i}", "level", v, "name",
		                                        m->level[v - 1], "open", by_level[v]));
	return json_pack("{s:o, s:o, s:o, s:i, s:b}", "risks", rows, "heat", maps, "levels", levels,
	                 "outside_matrix", outside, "may_write", s.write);
}

json_t *risk_matrix_json(const risk_matrix *m)
{
	json_t *l = json_array(), *i = json_array(), *v = json_array(), *cells = json_array();
	for (int k = 0; k < m->n_likelihood; k++)
		json_array_append_new(l, json_string(m->likelihood[k]));
	for (int k = 0; k < m->n_impact; k++)
		json_array_append_new(i, json_string(m->impact[k]));
	for (int k = 0; k < m->n_levels; k++)
		json_array_append_new(v, json_pack("{s:i, s:s, s:i}", "level", k + 1, "name",
		                                   m->level[k], "review_days", m->review_days[k]));
	for (int a = 0; a < m->n_likelihood; a++) {
		json_t *r = json_array();
		for (int b = 0; b < m->n_impact; b++)
			json_array_append_new(r, json_integer(m->cell[a][b]));
		json_array_append_new(cells, r);
	}
	return json_pack("{s:o, s:o, s:o, s:o}", "likelihood", l, "impact", i, "levels", v, "cells",
	                 cells);
}

/* ---- writing ---- */

/* The assets in: each one of the register, in service, or retired and
 * linked to risk id already (0: a new risk), which it may stay. */
static int check_assets(app *a, const risk_in *in, int64_t id, sg_err *e)
{
	for (size_t k = 0; in->set_assets && k < in->n_assets; k++) {
		int64_t n = 0;
		if (db_query_int(a->db, e, &n,
		                 "SELECT COUNT(*) FROM assets s WHERE s.id = ? AND (s.retired_at IS NULL "
		                 "OR EXISTS (SELECT 1 FROM risk_assets ra WHERE ra.asset_id = s.id AND "
		                 "ra.risk_id = ?))",
		                 "ii", in->assets[k], id) != DB_ROW)
			return -1;
		if (n == 0)
			return sg_err_set(e, SG_EINVAL, "no asset %lld in service",
			                  (long long)in->assets[k]);
	}
	return 0;
}

static int set_assets(app *a, int64_t id, const risk_in *in, sg_err *e)
{
	if (!in->set_assets)
		return 0;
	if (db_run(a->db, e, "DELETE FROM risk_assets WHERE risk_id = ?", "i", id) != 0)
		return -1;
	for (size_t k = 0; k < in->n_assets; k++)
		if (db_run(a->db, e,
		           "INSERT INTO risk_assets (risk_id, asset_id) VALUES (?, ?) ON CONFLICT "
		           "DO NOTHING",
		           "ii", id, in->assets[k]) != 0)
			return -1;
	return 0;
}

static int resolve_refs(app *a, const risk_in *in, int64_t id, int64_t *opd_id, sg_err *e)
{
	*opd_id = 0;
	if (in->opd && *in->opd && opd_resolve(a, in->opd, opd_id, e) != 0)
		return -1;
	if (in->owner && *in->owner) {
		int64_t uid = 0;
		int rc = db_query_int(a->db, e, &uid, "SELECT id FROM users WHERE name = ?", "s",
		                      in->owner);
		if (rc < 0)
			return -1;
		if (rc != DB_ROW)
			return sg_err_set(e, SG_EINVAL, "the owner '%s' is no user of sigap", in->owner);
	}
	return check_assets(a, in, id, e);
}

static int may_write(app *a, const char *actor, sg_err *e)
{
	risk_scope s;
	if (risk_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (!s.write)
		return sg_err_set(e, SG_EPERM,
		                  "the risk register is kept by tim_teknis, kabid, kepala_dinas and "
		                  "ttis");
	return 0;
}

int risk_create(app *a, const char *actor, const risk_in *in, int64_t *id, sg_err *e)
{
	if (may_write(a, actor, e) != 0 || check_in(a, in, true, e) != 0)
		return -1;
	int64_t now = app_now(a), review = 0, opd_id = 0;
	if (in->review && *in->review) {
		if (review_day(a, in->review, &review, e) != 0)
			return -1;
	} else {
		/* the level's cadence from today */
		int lv = risk_level(&a->cfg.risk, in->likelihood, in->impact);
		civil c = {0};
		civil_date_from_days(civil_local_day(now, a->cfg.cal.zone) +
		                         a->cfg.risk.review_days[lv - 1],
		                     &c.year, &c.month, &c.day);
		review = civil_to_epoch(&c, a->cfg.cal.zone);
	}
	if (db_begin(a->db, e) != 0)
		return -1;
	if (resolve_refs(a, in, 0, &opd_id, e) != 0)
		goto fail;
	if (db_insert(a->db, e, id,
	              "INSERT INTO risks (title, description, opd_id, threat, vulnerability, "
	              "likelihood, impact, residual_likelihood, residual_impact, treatment, "
	              "treatment_plan, owner, review_at, created_by, created_at, updated_at) "
	              "VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, "
	              "NULLIF(?, ''), ?, ?, ?, ?)",
	              "ssissiiiisssisii", in->title, in->description ? in->description : "", opd_id,
	              in->threat ? in->threat : "", in->vulnerability ? in->vulnerability : "",
	              (int64_t)in->likelihood, (int64_t)in->impact,
	              (int64_t)(in->residual_likelihood > 0 ? in->residual_likelihood : 0),
	              (int64_t)(in->residual_impact > 0 ? in->residual_impact : 0), in->treatment,
	              in->treatment_plan ? in->treatment_plan : "", in->owner ? in->owner : "",
	              review, actor ? actor : "cli", now, now) != 0 ||
	    set_assets(a, *id, in, e) != 0)
		goto fail;
	risk_scope all = {.read_all = true};
	json_t *after = load(a, &all, *id, e);
	if (after == NULL)
		goto fail;
	char object[40];
	snprintf(object, sizeof object, "%lld", (long long)*id);
	if (logbook_record(a, actor, "risk.create", "risk", object, after, e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

/* What changed between two loads of a risk: {field: [old, new]}. */
static json_t *changes(json_t *before, json_t *after)
{
	static const char *const keys[] = {"title",     "description", "opd",    "threat",
	                                   "vulnerability", "likelihood", "impact", "residual",
	                                   "treatment", "treatment_plan", "owner", "review",
	                                   "status",    "assets",      NULL};
	json_t *out = json_object();
	for (size_t k = 0; keys[k]; k++) {
		json_t *o = json_object_get(before, keys[k]), *n = json_object_get(after, keys[k]);
		if (!json_equal(o, n))
			json_object_set_new(out, keys[k], json_pack("[O?, O?]", o, n));
	}
	return out;
}

int risk_update(app *a, const char *actor, int64_t id, const risk_in *in, sg_err *e)
{
	if (may_write(a, actor, e) != 0 || check_in(a, in, false, e) != 0)
		return -1;
	int64_t review = 0, opd_id = 0;
	if (in->review && *in->review && review_day(a, in->review, &review, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	risk_scope all = {.read_all = true};
	json_t *before = load(a, &all, id, e), *after = NULL, *diff = NULL;
	if (before == NULL || resolve_refs(a, in, id, &opd_id, e) != 0)
		goto fail;
	int64_t now = app_now(a);
	bool clear_residual = in->residual_likelihood < 0;
	if (db_run(a->db, e,
	           "UPDATE risks SET title = COALESCE(?, title), description = COALESCE(?, "
	           "description), threat = COALESCE(?, threat), vulnerability = COALESCE(?, "
	           "vulnerability), treatment = COALESCE(?, treatment), treatment_plan = "
	           "COALESCE(?, treatment_plan), status = COALESCE(?, status), likelihood = "
	           "CASE WHEN ? > 0 THEN ? ELSE likelihood END, impact = CASE WHEN ? > 0 THEN ? "
	           "ELSE impact END, review_at = CASE WHEN ? > 0 THEN ? ELSE review_at END, "
	           "updated_at = ? WHERE id = ?",
	           "sssssssiiiiiiii", in->title, in->description, in->threat, in->vulnerability,
	           in->treatment, in->treatment_plan, in->status, (int64_t)in->likelihood,
	           (int64_t)in->likelihood, (int64_t)in->impact, (int64_t)in->impact, review, review,
	           now, id) != 0)
		goto fail;
	if ((in->opd && db_run(a->db, e, "UPDATE risks SET opd_id = NULLIF(?, 0) WHERE id = ?", "ii",
	                       opd_id, id) != 0) ||
	    (in->owner && db_run(a->db, e, "UPDATE risks SET owner = NULLIF(?, '') WHERE id = ?",
	                         "si", in->owner, id) != 0) ||
	    (in->residual_likelihood > 0 &&
	     db_run(a->db, e,
	            "UPDATE risks SET residual_likelihood = ?, residual_impact = ? WHERE id = ?",
	            "iii", (int64_t)in->residual_likelihood, (int64_t)in->residual_impact, id) != 0) ||
	    (clear_residual &&
	     db_run(a->db, e,
	            "UPDATE risks SET residual_likelihood = NULL, residual_impact = NULL WHERE id = ?",
	            "i", id) != 0) ||
	    set_assets(a, id, in, e) != 0)
		goto fail;
	if ((after = load(a, &all, id, e)) == NULL)
		goto fail;
	diff = changes(before, after);
	if (json_object_size(diff) == 0) {
		/* nothing changed: nothing written, not even updated_at */
		json_decref(before);
		json_decref(after);
		json_decref(diff);
		db_rollback(a->db);
		return 0;
	}
	char object[40];
	snprintf(object, sizeof object, "%lld", (long long)id);
	buf fields = BUF_INIT; /* what changed, for the history's sentence */
	const char *key;
	json_t *val;
	json_object_foreach(diff, key, val) buf_printf(&fields, "%s%s", fields.len ? ", " : "", key);
	json_t *details = json_pack("{s:I, s:O, s:O, s:s}", "id", (json_int_t)id, "title",
	                            json_object_get(after, "title"), "changes", diff, "fields",
	                            buf_str(&fields));
	buf_free(&fields);
	if (logbook_record(a, actor, "risk.update", "risk", object, details, e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	json_decref(before);
	json_decref(after);
	json_decref(diff);
	return 0;
fail:
	db_rollback(a->db);
	json_decref(before);
	json_decref(after);
	json_decref(diff);
	return -1;
}
