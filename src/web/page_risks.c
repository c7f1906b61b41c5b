/*
 * page_risks.c: the risk register on the web (app/risks.c).
 *
 *   GET  /risiko                 the risks the user may see, with filters,
 *                                and the heat maps of the open ones
 *                                (before and after treatment) as SVG
 *   GET  /risiko/baru            the form (keepers)
 *   POST /risiko/baru            enters a risk
 *   GET  /risiko/{id}            one risk: its levels, assets, history
 *   GET  /risiko/{id}/ubah       the form with the risk
 *   POST /risiko/{id}/ubah       changes it (or closes it: status)
 *   GET  /kontrol                the catalogue of controls, by framework,
 *                                with a search
 *
 * Forms carry the CSRF token (request.c checks it); the app decides who
 * sees and keeps what. The heat map is drawn here: a cell per likelihood
 * and impact, coloured by its level, the count of open risks in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* The colour of level v of n, green to red. */
static const char *level_colour(int v, int n)
{
	static const char *const by_n[RISK_LEVELS_MAX + 1][RISK_LEVELS_MAX] = {
	    [2] = {"#388e3c", "#d32f2f"},
	    [3] = {"#388e3c", "#fbc02d", "#d32f2f"},
	    [4] = {"#388e3c", "#fbc02d", "#f57c00", "#d32f2f"},
	    [5] = {"#388e3c", "#fbc02d", "#f57c00", "#d32f2f", "#8e0000"},
	    [6] = {"#388e3c", "#9ccc65", "#fbc02d", "#f57c00", "#d32f2f", "#8e0000"},
	};
	if (v < 1 || n < 2 || n > RISK_LEVELS_MAX || v > n)
		return "#9e9e9e";
	return by_n[n][v - 1];
}

/* A level as a coloured label. */
static void level_badge(web_res *res, const risk_matrix *m, json_t *lv)
{
	int v = (int)json_integer_value(json_object_get(lv, "level"));
	hprintf(res, "<span class=\"risk-level\" data-level=\"%d\"><span class=\"swatch\" "
	             "aria-hidden=\"true\">", v);
	/* the swatch as an SVG square: no inline style under the CSP */
	hprintf(res, "<svg width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" "
	             "fill=\"%s\"/></svg></span> ",
	        level_colour(v, m->n_levels));
	h(res, str(lv, "name"));
	hraw(res, "</span>");
}

/* The heat map of counts [likelihood][impact]: likelihood grows upward,
 * impact to the right, as risk guides draw it. */
static void heat_map(const web_req *r, web_res *res, const risk_matrix *m, json_t *counts,
                     const char *id, const char *caption)
{
	const int cell = 56, left = 130, top = 10, bottom = 90;
	int w = left + cell * m->n_impact + 10, hgt = top + cell * m->n_likelihood + bottom;
	hprintf(res, "<figure class=\"heatmap\"><svg viewBox=\"0 0 %d %d\" role=\"img\" "
	             "aria-labelledby=\"hm-%s\" font-family=\"sans-serif\" font-size=\"11\">",
	        w, hgt, id);
	for (int l = 0; l < m->n_likelihood; l++)
		for (int i = 0; i < m->n_impact; i++) {
			int x = left + i * cell, y = top + (m->n_likelihood - 1 - l) * cell;
			int v = risk_level(m, l + 1, i + 1);
			long long n = json_integer_value(json_array_get(json_array_get(counts, (size_t)l), (size_t)i));
			hprintf(res, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			             "stroke=\"#fff\"><title>",
			        x, y, cell, cell, level_colour(v, m->n_levels));
			h(res, m->likelihood[l]);
			hraw(res, " × ");
			h(res, m->impact[i]);
			hraw(res, ": ");
			h(res, v ? m->level[v - 1] : "?");
			hprintf(res, " (%lld)</title></rect>", n);
			/* dark figures on the light colours (yellow, light green) */
			const char *col = level_colour(v, m->n_levels);
			bool light = strcmp(col, "#fbc02d") == 0 || strcmp(col, "#9ccc65") == 0;
			if (n)
				hprintf(res, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\" "
				             "font-weight=\"bold\" fill=\"%s\">%lld</text>",
				        x + cell / 2, y + cell / 2 + 6, light ? "#1b1b1b" : "#fff", n);
		}
	for (int l = 0; l < m->n_likelihood; l++) {
		hprintf(res, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6,
		        top + (m->n_likelihood - 1 - l) * cell + cell / 2 + 4);
		h(res, m->likelihood[l]);
		hraw(res, "</text>");
	}
	for (int i = 0; i < m->n_impact; i++) {
		int x = left + i * cell + cell / 2, y = top + m->n_likelihood * cell + 14;
		hprintf(res, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-35 %d %d)\">",
		        x, y, x, y);
		h(res, m->impact[i]);
		hraw(res, "</text>");
	}
	hprintf(res, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">",
	        left + cell * m->n_impact / 2, hgt - 4);
	h(res, T(r, "Impact"));
	hprintf(res, "</text><text x=\"12\" y=\"%d\" font-weight=\"bold\" transform=\"rotate(-90 12 %d)\" "
	             "text-anchor=\"middle\">",
	        top + cell * m->n_likelihood / 2, top + cell * m->n_likelihood / 2);
	h(res, T(r, "Likelihood"));
	hprintf(res, "</text></svg><figcaption id=\"hm-%s\">", id);
	h(res, caption);
	hraw(res, "</figcaption></figure>");
}

void page_risk_panel(web_req *r, web_res *res)
{
	risk_scope s;
	sg_err e = {0};
	if (risk_scope_of(r->app, r->who.user, &s, &e) != 0 || !(s.read_all || s.opd_id))
		return;
	risk_filter f = {.status = "aktif"};
	json_t *l = risk_list(r->app, r->who.user, &f, &e);
	if (l == NULL)
		return;
	hraw(res, "<section class=\"panel\" id=\"risiko\"><h2><a href=\"/risiko\">");
	h(res, T(r, "Open risks"));
	hraw(res, "</a></h2>");
	heat_map(r, res, &r->app->cfg.risk, json_object_get(json_object_get(l, "heat"), "inherent"),
	         "dasbor", T(r, "Inherent risk (before treatment)"));
	hraw(res, "</section>");
	json_decref(l);
}

static const char *treatment_name(const web_req *r, const char *t)
{
	if (strcmp(t, "terima") == 0)
		return T(r, "Accept");
	if (strcmp(t, "mitigasi") == 0)
		return T(r, "Mitigate");
	if (strcmp(t, "alihkan") == 0)
		return T(r, "Transfer");
	if (strcmp(t, "hindari") == 0)
		return T(r, "Avoid");
	return t;
}

static void not_found(web_req *r, web_res *res)
{
	html_message_page(r, res, 404, T(r, "Not found"), T(r, "There is no such risk."));
}

static bool path_id(web_req *r, int64_t *id)
{
	return webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id);
}

/* ---- /risiko ---- */

void page_risks(web_req *r, web_res *res)
{
	const risk_matrix *m = &r->app->cfg.risk;
	const char *st = web_query(r, "status"), *lv = web_query(r, "level");
	int64_t level = 0;
	risk_filter f = {.status = st && *st ? st : "aktif"};
	if (strcmp(f.status, "semua") == 0)
		f.status = NULL;
	else if (strcmp(f.status, "aktif") != 0 && strcmp(f.status, "ditutup") != 0)
		f.status = "aktif";
	if (lv && *lv && webutil_int(lv, 1, m->n_levels, &level))
		f.level = (int)level;
	sg_err e = {0};
	json_t *l = risk_list(r->app, r->who.user, &f, &e);
	if (l == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Risks"), web_err(r, &e));
		return;
	}
	html_begin(r, res, T(r, "Risk register"), NAV_RISKS);
	hraw(res, "<h1>");
	h(res, T(r, "Risk register"));
	hraw(res, "</h1>");
	hraw(res, "<p>");
	if (json_is_true(json_object_get(l, "may_write"))) {
		hraw(res, "<a class=\"button\" href=\"/risiko/baru\">");
		h(res, T(r, "New risk"));
		hraw(res, "</a> ");
	}
	hraw(res, "<a href=\"/kontrol\">");
	h(res, T(r, "Catalogue of controls"));
	hraw(res, "</a></p>");
	long long outside = json_integer_value(json_object_get(l, "outside_matrix"));
	if (outside) {
		char msg[400];
		snprintf(msg, sizeof msg, "%lld", outside);
		hraw(res, "<p class=\"notice error\">");
		h(res, T(r, "Open risks rated on a larger matrix than [risiko] now has, shown as '?' "
		            "and left out of the maps and counts; rate them anew:"));
		hprintf(res, " <b>%s</b></p>", msg);
	}
	/* the open risks by level, and their maps */
	hraw(res, "<section class=\"panel\"><h2>");
	h(res, T(r, "Open risks by level"));
	hraw(res, "</h2><ul class=\"risk-levels\">");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(l, "levels"), i, x) {
		hraw(res, "<li>");
		level_badge(res, m, x);
		hraw(res, ": <b>");
		html_int(r, res, json_integer_value(json_object_get(x, "open")));
		hraw(res, "</b></li>");
	}
	hraw(res, "</ul><div class=\"heatmaps\">");
	heat_map(r, res, m, json_object_get(json_object_get(l, "heat"), "inherent"), "inheren",
	         T(r, "Inherent risk (before treatment)"));
	heat_map(r, res, m, json_object_get(json_object_get(l, "heat"), "residual"), "residual",
	         T(r, "Residual risk (after treatment; not assessed yet: as inherent)"));
	hraw(res, "</div></section>");

	hraw(res, "<form method=\"get\" action=\"/risiko\" class=\"filters\"><label>");
	h(res, T(r, "Status"));
	hraw(res, " <select name=\"status\">");
	static const char *const sts[] = {"aktif", "ditutup", "semua"};
	const char *cur = f.status ? f.status : "semua";
	for (size_t k = 0; k < 3; k++) {
		hprintf(res, "<option value=\"%s\"%s>", sts[k], strcmp(cur, sts[k]) == 0 ? " selected" : "");
		h(res, k == 0 ? T(r, "Open") : k == 1 ? T(r, "Closed") : T(r, "All"));
		hraw(res, "</option>");
	}
	hraw(res, "</select></label> <label>");
	h(res, T(r, "Level"));
	hraw(res, " <select name=\"level\"><option value=\"\"></option>");
	for (int v = 1; v <= m->n_levels; v++) {
		hprintf(res, "<option value=\"%d\"%s>", v, v == f.level ? " selected" : "");
		h(res, m->level[v - 1]);
		hraw(res, "</option>");
	}
	hraw(res, "</select></label> <button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button></form>");

	json_t *rows = json_object_get(l, "risks");
	if (json_array_size(rows) == 0) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "No risk matches."));
		hraw(res, "</p>");
	} else {
		hraw(res, "<div class=\"scroll\">");
		html_thead(res, "list", T(r, "No."), T(r, "Risk"), "OPD", T(r, "Inherent"),
		           T(r, "Residual"), T(r, "Treatment"), T(r, "Owner"), T(r, "Next review"),
		           NULL);
		json_array_foreach(rows, i, x) {
			long long id = (long long)json_integer_value(json_object_get(x, "id"));
			hprintf(res, "<tr><td>%lld</td><td><a href=\"/risiko/%lld\">", id, id);
			h(res, str(x, "title"));
			hraw(res, "</a></td><td>");
			h(res, str(json_object_get(x, "opd"), "abbrev"));
			hraw(res, "</td><td>");
			level_badge(res, m, json_object_get(x, "inherent"));
			hraw(res, "</td><td>");
			if (json_is_null(json_object_get(x, "residual")))
				hraw(res, "—");
			else
				level_badge(res, m, json_object_get(x, "residual"));
			hraw(res, "</td><td>");
			h(res, treatment_name(r, str(x, "treatment")));
			hraw(res, "</td><td>");
			h(res, str(x, "owner"));
			hraw(res, json_is_true(json_object_get(x, "review_due")) ? "</td><td class=\"late\">"
			                                                         : "</td><td>");
			html_day(r, res, str(x, "review"));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table></div>");
	}
	html_end(r, res);
	json_decref(l);
}

/* ---- /risiko/{id} ---- */

static void risk_page(web_req *r, web_res *res, int64_t id)
{
	const risk_matrix *m = &r->app->cfg.risk;
	sg_err e = {0};
	json_t *o = risk_get(r->app, r->who.user, id, &e);
	if (o == NULL) {
		if (e.code == SG_ENOTFOUND)
			return not_found(r, res);
		html_message_page(r, res, web_status_of(&e), T(r, "Risk"), web_err(r, &e));
		return;
	}
	html_begin(r, res, str(o, "title"), NAV_RISKS);
	hprintf(res, "<p><a href=\"/risiko\">%s</a></p><h1>", T(r, "Risk register"));
	h(res, str(o, "title"));
	hraw(res, "</h1>");
	if (json_is_true(json_object_get(o, "may_write")))
		hprintf(res, "<p><a class=\"button\" href=\"/risiko/%lld/ubah\">%s</a></p>",
		        (long long)id, T(r, "Change"));
	hraw(res, "<dl class=\"facts\">");
	html_fact(res, T(r, "Status"), strcmp(str(o, "status"), "aktif") == 0 ? T(r, "Open") : T(r, "Closed"));
	json_t *opd = json_object_get(o, "opd");
	html_fact(res, "OPD", json_is_null(opd) ? "" : str(opd, "name"));
	html_fact(res, T(r, "Description"), str(o, "description"));
	html_fact(res, T(r, "Threat"), str(o, "threat"));
	html_fact(res, T(r, "Vulnerability"), str(o, "vulnerability"));
	hraw(res, "<dt>");
	h(res, T(r, "Inherent risk"));
	hraw(res, "</dt><dd>");
	level_badge(res, m, json_object_get(o, "inherent"));
	hraw(res, " (");
	h(res, str(json_object_get(o, "likelihood"), "name"));
	hraw(res, " × ");
	h(res, str(json_object_get(o, "impact"), "name"));
	hraw(res, ")</dd><dt>");
	h(res, T(r, "Residual risk"));
	hraw(res, "</dt><dd>");
	json_t *resid = json_object_get(o, "residual");
	if (json_is_null(resid)) {
		h(res, T(r, "not assessed yet"));
	} else {
		level_badge(res, m, resid);
		hraw(res, " (");
		h(res, str(json_object_get(resid, "likelihood"), "name"));
		hraw(res, " × ");
		h(res, str(json_object_get(resid, "impact"), "name"));
		hraw(res, ")");
	}
	hraw(res, "</dd>");
	html_fact(res, T(r, "Treatment"), treatment_name(r, str(o, "treatment")));
	html_fact(res, T(r, "Treatment plan"), str(o, "treatment_plan"));
	html_fact(res, T(r, "Owner"), str(o, "owner"));
	hraw(res, "<dt>");
	h(res, T(r, "Next review"));
	hraw(res, json_is_true(json_object_get(o, "review_due")) ? "</dt><dd class=\"late\">" : "</dt><dd>");
	html_day(r, res, str(o, "review"));
	hraw(res, "</dd><dt>");
	h(res, T(r, "Assets"));
	hraw(res, "</dt><dd><ul class=\"plain\">");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(o, "assets"), i, x) {
		hprintf(res, "<li><a href=\"/aset/%lld\">",
		        (long long)json_integer_value(json_object_get(x, "id")));
		h(res, str(x, "name"));
		hraw(res, "</a> (");
		h(res, str(x, "opd"));
		hraw(res, ")");
		if (json_is_true(json_object_get(x, "retired"))) {
			hraw(res, " <span class=\"muted\">");
			h(res, T(r, "retired"));
			hraw(res, "</span>");
		}
		hraw(res, "</li>");
	}
	long long others = json_integer_value(json_object_get(o, "assets_of_other_opd"));
	if (others) {
		hraw(res, "<li class=\"muted\">");
		h(res, T(r, "and assets of other OPDs"));
		hprintf(res, " (%lld)</li>", others);
	}
	if (json_array_size(json_object_get(o, "assets")) == 0 && !others)
		hraw(res, "<li>—</li>");
	hraw(res, "</ul></dd></dl><section id=\"history\"><h2>");
	h(res, T(r, "History"));
	hraw(res, "</h2>");
	html_logbook_table(r, res, json_object_get(o, "history"));
	hraw(res, "</section>");
	html_end(r, res);
	json_decref(o);
}

void page_risk(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	risk_page(r, res, id);
}

/* ---- the form ---- */

/* What the form shows: a risk read back (as text), or what was sent. */
typedef struct risk_form {
	const char *title, *description, *opd, *threat, *vulnerability, *treatment, *plan, *owner,
	    *review, *status, *assets;
	int likelihood, impact, rl, ri; /* -1: a value that is no step */
	int orig[4]; /* the stored steps (likelihood, impact, residual pair; 0 none), so an
	              * edit sends on only what was changed */
	buf assets_buf;
} risk_form;

static void form_from_risk(risk_form *f, json_t *o)
{
	memset(f, 0, sizeof *f);
	f->title = str(o, "title");
	f->description = str(o, "description");
	f->opd = str(json_object_get(o, "opd"), "abbrev");
	f->threat = str(o, "threat");
	f->vulnerability = str(o, "vulnerability");
	f->treatment = str(o, "treatment");
	f->plan = str(o, "treatment_plan");
	f->owner = str(o, "owner");
	f->review = str(o, "review");
	f->status = str(o, "status");
	f->likelihood = (int)json_integer_value(json_object_get(json_object_get(o, "likelihood"), "step"));
	f->impact = (int)json_integer_value(json_object_get(json_object_get(o, "impact"), "step"));
	json_t *res = json_object_get(o, "residual");
	f->rl = (int)json_integer_value(json_object_get(json_object_get(res, "likelihood"), "step"));
	f->ri = (int)json_integer_value(json_object_get(json_object_get(res, "impact"), "step"));
	f->orig[0] = f->likelihood;
	f->orig[1] = f->impact;
	f->orig[2] = f->rl;
	f->orig[3] = f->ri;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(o, "assets"), i, x)
		buf_printf(&f->assets_buf, "%s%lld", i ? ", " : "",
		           (long long)json_integer_value(json_object_get(x, "id")));
	f->assets = buf_str(&f->assets_buf);
}

/* A step of the form: 0 when empty, -1 when it is no step. */
static int form_int(const web_req *r, const char *name)
{
	int64_t v = 0;
	const char *s = web_form(r, name);
	if (s == NULL || *s == '\0')
		return 0;
	return webutil_int(s, 1, 100, &v) ? (int)v : -1;
}

static const char *form_str(const web_req *r, const char *name)
{
	const char *v = web_form(r, name);
	return v ? v : "";
}

static void form_from_request(risk_form *f, const web_req *r)
{
	memset(f, 0, sizeof *f);
	f->title = form_str(r, "judul");
	f->description = form_str(r, "uraian");
	f->opd = form_str(r, "opd");
	f->threat = form_str(r, "ancaman");
	f->vulnerability = form_str(r, "kerentanan");
	f->treatment = form_str(r, "penanganan");
	f->plan = form_str(r, "rencana");
	f->owner = form_str(r, "pemilik");
	f->review = form_str(r, "tinjauan");
	f->status = form_str(r, "status");
	f->assets = form_str(r, "aset");
	f->likelihood = form_int(r, "kemungkinan");
	f->impact = form_int(r, "dampak");
	f->rl = form_int(r, "kemungkinan_residual");
	f->ri = form_int(r, "dampak_residual");
	static const char *const orig[] = {"asal_k", "asal_d", "asal_kr", "asal_dr"};
	for (size_t k = 0; k < 4; k++)
		f->orig[k] = form_int(r, orig[k]) > 0 ? form_int(r, orig[k]) : 0;
}

static void step_select(web_res *res, const char *id, const char *name,
                        const char names[][RISK_NAME_MAX + 1], int n, int cur, const char *empty)
{
	hprintf(res, "<select id=\"%s\" name=\"%s\"%s>", id, name, empty ? "" : " required");
	if (empty) {
		hraw(res, "<option value=\"\">");
		h(res, empty);
		hraw(res, "</option>");
	} else if (cur == 0) {
		hraw(res, "<option value=\"\"></option>");
	}
	for (int k = 1; k <= n; k++) {
		hprintf(res, "<option value=\"%d\"%s>%d. ", k, k == cur ? " selected" : "", k);
		h(res, names[k - 1]);
		hraw(res, "</option>");
	}
	/* a step of a larger matrix than [risiko] now has: kept as it is
	 * unless another is chosen */
	if (cur > n)
		hprintf(res, "<option value=\"%d\" selected>%d. ?</option>", cur, cur);
	hraw(res, "</select>");
}

static void field(web_res *res, const char *id, const char *label)
{
	hprintf(res, "<div class=\"field\"><label for=\"%s\">", id);
	h(res, label);
	hraw(res, "</label>");
}

static void text_input(web_res *res, const char *id, const char *label, const char *value,
                       const char *extra)
{
	field(res, id, label);
	hprintf(res, "<input id=\"%s\" name=\"%s\" value=\"", id, id + 2);
	h(res, value);
	hprintf(res, "\" %s></div>", extra);
}

static void area_input(web_res *res, const char *id, const char *label, const char *value)
{
	field(res, id, label);
	hprintf(res, "<textarea id=\"%s\" name=\"%s\" rows=\"3\" maxlength=\"8000\">", id, id + 2);
	h(res, value);
	hraw(res, "</textarea></div>");
}

/* The add (id 0) or change form, error above it. */
static void form_page(web_req *r, web_res *res, int64_t id, const risk_form *f, const char *error)
{
	const risk_matrix *m = &r->app->cfg.risk;
	html_begin(r, res, id ? T(r, "Change a risk") : T(r, "New risk"), NAV_RISKS);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, id ? T(r, "Change a risk") : T(r, "New risk"));
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	if (id)
		hprintf(res, "<form method=\"post\" action=\"/risiko/%lld/ubah\">", (long long)id);
	else
		hraw(res, "<form method=\"post\" action=\"/risiko/baru\">");
	html_csrf(r, res);
	if (id)
		hprintf(res, "<input type=\"hidden\" name=\"asal_k\" value=\"%d\"><input type=\"hidden\" "
		             "name=\"asal_d\" value=\"%d\"><input type=\"hidden\" name=\"asal_kr\" "
		             "value=\"%d\"><input type=\"hidden\" name=\"asal_dr\" value=\"%d\">",
		        f->orig[0], f->orig[1], f->orig[2], f->orig[3]);
	hraw(res, "<p class=\"muted\">");
	h(res, T(r, "Likelihood and impact are steps of the matrix of [risiko] (the register's "
	            "heat map shows it); the level follows from them. Treatment: accept the risk, "
	            "mitigate it, transfer it (insurance, a provider) or avoid it (stop the "
	            "activity)."));
	hraw(res, "</p>");
	text_input(res, "r-judul", T(r, "Title"), f->title, "required maxlength=\"200\"");
	area_input(res, "r-uraian", T(r, "Description"), f->description);
	field(res, "r-opd", "OPD");
	hraw(res, "<select id=\"r-opd\" name=\"opd\"><option value=\"\">—</option>");
	sg_err e = {0};
	json_t *opds = opd_list(r->app, &e);
	size_t i;
	json_t *o;
	json_array_foreach(opds, i, o) {
		hraw(res, "<option value=\"");
		h(res, str(o, "abbrev"));
		hraw(res, strcmp(str(o, "abbrev"), f->opd) == 0 ? "\" selected>" : "\">");
		h(res, str(o, "name"));
		hraw(res, "</option>");
	}
	json_decref(opds);
	hraw(res, "</select></div>");
	text_input(res, "r-aset", T(r, "Assets (numbers, separated by commas)"), f->assets,
	           "list=\"risk-assets\" inputmode=\"numeric\" maxlength=\"600\"");
	page_asset_choices(r, res, "risk-assets");
	area_input(res, "r-ancaman", T(r, "Threat"), f->threat);
	area_input(res, "r-kerentanan", T(r, "Vulnerability"), f->vulnerability);
	hraw(res, "<fieldset><legend>");
	h(res, T(r, "Inherent risk (before treatment)"));
	hraw(res, "</legend>");
	field(res, "r-kemungkinan", T(r, "Likelihood"));
	step_select(res, "r-kemungkinan", "kemungkinan", m->likelihood, m->n_likelihood, f->likelihood, NULL);
	hraw(res, "</div>");
	field(res, "r-dampak", T(r, "Impact"));
	step_select(res, "r-dampak", "dampak", m->impact, m->n_impact, f->impact, NULL);
	hraw(res, "</div></fieldset><fieldset><legend>");
	h(res, T(r, "Residual risk (after treatment)"));
	hraw(res, "</legend>");
	field(res, "r-kr", T(r, "Likelihood"));
	step_select(res, "r-kr", "kemungkinan_residual", m->likelihood, m->n_likelihood, f->rl,
	            T(r, "not assessed yet"));
	hraw(res, "</div>");
	field(res, "r-dr", T(r, "Impact"));
	step_select(res, "r-dr", "dampak_residual", m->impact, m->n_impact, f->ri,
	            T(r, "not assessed yet"));
	hraw(res, "</div></fieldset>");
	field(res, "r-penanganan", T(r, "Treatment"));
	hraw(res, "<select id=\"r-penanganan\" name=\"penanganan\" required>");
	if (!*f->treatment)
		hraw(res, "<option value=\"\"></option>");
	for (size_t k = 0; risk_treatments[k]; k++) {
		hprintf(res, "<option value=\"%s\"%s>", risk_treatments[k],
		        strcmp(f->treatment, risk_treatments[k]) == 0 ? " selected" : "");
		h(res, treatment_name(r, risk_treatments[k]));
		hraw(res, "</option>");
	}
	hraw(res, "</select></div>");
	area_input(res, "r-rencana", T(r, "Treatment plan"), f->plan);
	text_input(res, "r-pemilik", T(r, "Owner (a user name)"), f->owner, "maxlength=\"64\"");
	text_input(res, "r-tinjauan", T(r, "Next review"), f->review, "type=\"date\"");
	if (!id) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "Without a date, the next review is set by the level's cadence in [risiko]."));
		hraw(res, "</p>");
	} else {
		field(res, "r-status", T(r, "Status"));
		hprintf(res, "<select id=\"r-status\" name=\"status\"><option value=\"aktif\"%s>%s</option>"
		             "<option value=\"ditutup\"%s>%s</option></select></div>",
		        strcmp(f->status, "ditutup") != 0 ? " selected" : "", T(r, "Open"),
		        strcmp(f->status, "ditutup") == 0 ? " selected" : "", T(r, "Closed"));
	}
	hraw(res, "<button type=\"submit\">");
	h(res, T(r, "Save"));
	hraw(res, "</button></form></section>");
	html_end(r, res);
}

/* Whether the user keeps the register; answered 403 when not. */
static bool keeper(web_req *r, web_res *res, const char *title)
{
	risk_scope s;
	sg_err e = {0};
	if (risk_scope_of(r->app, r->who.user, &s, &e) == 0 && s.write)
		return true;
	html_message_page(r, res, 403, title,
	                  T(r, "the risk register is kept by tim_teknis, kabid, kepala_dinas and ttis"));
	return false;
}

void page_risk_new_form(web_req *r, web_res *res)
{
	if (!keeper(r, res, T(r, "New risk")))
		return;
	risk_form f = {.title = "", .description = "", .opd = "", .threat = "", .vulnerability = "",
	               .treatment = "", .plan = "", .owner = "", .review = "", .status = "",
	               .assets = ""};
	form_page(r, res, 0, &f, NULL);
}

/* The form's asset numbers ("3, 7 12") into ids; -1 when one is no number. */
static int asset_ids(const char *s, int64_t ids[64], size_t *n)
{
	*n = 0;
	for (const char *p = s; *p;) {
		if (*p == ',' || *p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p || v < 1)
			return -1;
		if (*n == 64)
			return -2;
		ids[(*n)++] = v;
		p = end;
	}
	return 0;
}

/* The request's form as a risk_in; NULL error when it reads. */
static const char *read_form(web_req *r, const risk_form *f, risk_in *in, int64_t ids[64], bool create)
{
	memset(in, 0, sizeof *in);
	in->title = f->title;
	in->description = f->description;
	in->opd = f->opd;
	in->threat = f->threat;
	in->vulnerability = f->vulnerability;
	in->treatment = *f->treatment ? f->treatment : NULL;
	in->treatment_plan = f->plan;
	in->owner = f->owner;
	in->review = f->review;
	in->status = create || !*f->status ? NULL : f->status;
	if (f->likelihood < 0 || f->impact < 0 || f->rl < 0 || f->ri < 0)
		return T(r, "Choose the likelihood and the impact.");
	/* on a change, only what was changed goes on: a step of a larger
	 * matrix stays as it is, and so does the residual */
	in->likelihood = !create && f->likelihood == f->orig[0] ? 0 : f->likelihood;
	in->impact = !create && f->impact == f->orig[1] ? 0 : f->impact;
	if (create) {
		in->residual_likelihood = f->rl;
		in->residual_impact = f->ri;
	} else if (f->rl == f->orig[2] && f->ri == f->orig[3]) {
		in->residual_likelihood = in->residual_impact = 0; /* unchanged */
	} else {
		in->residual_likelihood = f->rl ? f->rl : -1;
		in->residual_impact = f->ri ? f->ri : -1;
	}
	if (create && (f->likelihood == 0 || f->impact == 0))
		return T(r, "Choose the likelihood and the impact.");
	int got = asset_ids(f->assets, ids, &in->n_assets);
	if (got == -2)
		return T(r, "At most 64 assets a risk.");
	if (got != 0)
		return T(r, "Assets are given by their numbers, separated by commas.");
	in->assets = ids;
	in->set_assets = true;
	return NULL;
}

void page_risk_new(web_req *r, web_res *res)
{
	if (!keeper(r, res, T(r, "New risk")))
		return;
	risk_form f;
	form_from_request(&f, r);
	risk_in in;
	int64_t ids[64], id = 0;
	sg_err e = {0};
	const char *bad = read_form(r, &f, &in, ids, true);
	if (bad == NULL && risk_create(r->app, r->who.user, &in, &id, &e) == 0) {
		char loc[48];
		snprintf(loc, sizeof loc, "/risiko/%lld", (long long)id);
		web_redirect(res, loc);
		return;
	}
	res->status = bad ? 400 : web_status_of(&e);
	form_page(r, res, 0, &f, bad ? bad : web_err(r, &e));
}

void page_risk_edit_form(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	sg_err e = {0};
	json_t *o = risk_get(r->app, r->who.user, id, &e);
	if (o == NULL)
		return not_found(r, res);
	if (!json_is_true(json_object_get(o, "may_write"))) {
		json_decref(o);
		keeper(r, res, T(r, "Change a risk"));
		return;
	}
	risk_form f;
	form_from_risk(&f, o);
	form_page(r, res, id, &f, NULL);
	buf_free(&f.assets_buf);
	json_decref(o);
}

void page_risk_edit(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	sg_err e = {0};
	json_t *seen = risk_get(r->app, r->who.user, id, &e);
	if (seen == NULL)
		return not_found(r, res);
	json_decref(seen);
	risk_form f;
	form_from_request(&f, r);
	risk_in in;
	int64_t ids[64];
	const char *bad = read_form(r, &f, &in, ids, false);
	if (bad == NULL && risk_update(r->app, r->who.user, id, &in, &e) == 0) {
		char loc[48];
		snprintf(loc, sizeof loc, "/risiko/%lld", (long long)id);
		web_redirect(res, loc);
		return;
	}
	res->status = bad ? 400 : web_status_of(&e);
	form_page(r, res, id, &f, bad ? bad : web_err(r, &e));
}

/* ---- /kontrol ---- */

void page_controls(web_req *r, web_res *res)
{
	const char *q = web_query(r, "q");
	json_t *fws = controls_json(&r->app->ctls, NULL, q);
	html_begin(r, res, T(r, "Catalogue of controls"), NAV_RISKS);
	hraw(res, "<h1>");
	h(res, T(r, "Catalogue of controls"));
	hraw(res, "</h1><p>");
	h(res, T(r, "The controls of the frameworks an exception or a policy clause can name. More "
	            "frameworks are data files in [kontrol] dir (docs/controls.md)."));
	hraw(res, "</p><form method=\"get\" action=\"/kontrol\" class=\"filters\">");
	html_query_input(r, res, "q", T(r, "Search"), "search");
	hraw(res, "<button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button></form>");
	size_t i, k;
	json_t *f, *c;
	json_array_foreach(fws, i, f) {
		json_t *cs = json_object_get(f, "controls");
		if (q && *q && json_array_size(cs) == 0)
			continue;
		hraw(res, "<section class=\"panel\"><h2>");
		h(res, str(f, "name"));
		hraw(res, " <code>");
		h(res, str(f, "framework"));
		hraw(res, "</code></h2><p class=\"muted\">");
		h(res, str(f, "source"));
		hraw(res, "</p><dl class=\"facts\">");
		json_array_foreach(cs, k, c) {
			hraw(res, "<dt><code>");
			h(res, str(c, "id"));
			hraw(res, "</code></dt><dd><b>");
			h(res, str(c, "title"));
			hraw(res, "</b><br>");
			h(res, str(c, "description"));
			hraw(res, "</dd>");
		}
		hraw(res, "</dl></section>");
	}
	html_end(r, res);
	json_decref(fws);
}
