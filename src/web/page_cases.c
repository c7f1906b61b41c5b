/*
 * page_cases.c: the case list (filters, full-text search, pages) and
 * opening a case by hand on any procedure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/classify.h"
#include "filter.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

enum { PAGE_SIZE = 50 };

static void select_input(const web_req *r, web_res *res, const char *name, const char *label,
                         const char *const *values, const char *const *labels, size_t n)
{
	const char *cur = web_query(r, name);
	hraw(res, "<div class=\"field\"><label for=\"q-");
	h(res, name);
	hraw(res, "\">");
	h(res, label);
	hraw(res, "</label><select id=\"q-");
	h(res, name);
	hraw(res, "\" name=\"");
	h(res, name);
	hraw(res, "\"><option value=\"\">");
	h(res, T(r, "(all)"));
	hraw(res, "</option>");
	for (size_t i = 0; i < n; i++) {
		hraw(res, "<option value=\"");
		h(res, values[i]);
		hraw(res, "\"");
		if (cur && strcmp(cur, values[i]) == 0)
			hraw(res, " selected");
		hraw(res, ">");
		h(res, labels ? labels[i] : values[i]);
		hraw(res, "</option>");
	}
	hraw(res, "</select></div>");
}

static void filter_form(const web_req *r, web_res *res)
{
	app *a = r->app;
	hraw(res, "<form method=\"get\" action=\"/kasus\" class=\"filters\">");
	html_query_input(r, res, "q", T(r, "Search (whole words; end a word with * for a prefix)"),
	           "search");
	/* procedures */
	size_t np = 0;
	for (size_t i = 0; i < a->sops.n; i++)
		np += a->sops.v[i].sop->n_procs;
	const char **ids = calloc(np + 1, sizeof *ids), **names = calloc(np + 1, sizeof *names);
	size_t k = 0;
	for (size_t i = 0; i < a->sops.n; i++)
		for (size_t j = 0; j < a->sops.v[i].sop->n_procs; j++) {
			ids[k] = a->sops.v[i].sop->procs[j].id;
			names[k++] = a->sops.v[i].sop->procs[j].nama;
		}
	select_input(r, res, "prosedur", T(r, "Procedure"), ids, names, np);
	free(ids);
	free(names);
	html_query_input(r, res, "langkah", T(r, "Step"), "number");
	static const char *const st[] = {"open", "closed", "all"};
	const char *stl[] = {T(r, "open"), T(r, "closed"), T(r, "all")};
	select_input(r, res, "status", T(r, "Status"), st, stl, 3);
	select_input(r, res, "prioritas", T(r, "Priority"), priority_levels, NULL, 4);
	const char *cats[16], *catl[16];
	size_t nc = 0;
	for (const enisa_class *c = enisa_taxonomy; c->name && nc < 16; c++) {
		catl[nc] = html_enisa(r, c->name);
		cats[nc++] = c->name;
	}
	select_input(r, res, "kategori", T(r, "Category"), cats, catl, nc);
	select_input(r, res, "tlp", "TLP", tlp_labels, NULL, 5);
	html_query_input(r, res, "petugas", T(r, "Assignee"), "text");
	html_query_input(r, res, "dari", T(r, "Opened from"), "date");
	html_query_input(r, res, "sampai", T(r, "Opened until"), "date");
	hraw(res, "<div class=\"field buttons\"><button type=\"submit\">");
	h(res, T(r, "Filter"));
	hraw(res, "</button> <a href=\"/kasus\">");
	h(res, T(r, "Reset"));
	hraw(res, "</a></div></form>\n");
}

/* The current query with hal= replaced, for the pager links. */
void page_cases(web_req *r, web_res *res)
{
	case_filter f;
	sg_err e = {0};
	json_t *list = NULL;
	int64_t total = 0;
	int status = 200;
	if (filter_read(r, FILTER_PAGE, &f, PAGE_SIZE, &e) != 0)
		status = 400;
	else if (case_count(r->app, &f, &total, &e) != 0 ||
	         (list = case_list(r->app, &f, &e)) == NULL)
		status = strstr(web_err(r, &e), "fts5") ? 400 : 500;
	res->status = status;
	html_begin(r, res, T(r, "Cases"), NAV_CASES);
	hraw(res, "<div class=\"titlebar\"><h1>");
	h(res, T(r, "Cases"));
	hraw(res, "</h1><a class=\"button\" href=\"/kasus/baru\">");
	h(res, T(r, "New case"));
	hraw(res, "</a></div>\n");
	filter_form(r, res);
	if (list == NULL) {
		html_notice(res, "error", web_err(r, &e));
		html_end(r, res);
		return;
	}
	hraw(res, "<p class=\"count\">");
	html_int(r, res, total);
	hraw(res, " ");
	h(res, T(r, "cases"));
	hraw(res, "</p>\n");
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list cases", T(r, "Ticket"), T(r, "Title"), T(r, "Step"), T(r, "Priority"),
	           "TLP", T(r, "Assignee"), T(r, "Opened"), NULL);
	hraw(res, "\n");
	size_t i;
	json_t *c;
	json_array_foreach (list, i, c) {
		const char *t = json_string_value(json_object_get(c, "ticket"));
		json_t *step = json_object_get(c, "step");
		bool over = step && json_is_true(json_object_get(step, "overdue"));
		hprintf(res, "<tr%s><td><a href=\"/kasus/", over ? " class=\"late\"" : "");
		h(res, t);
		hraw(res, "\">");
		h(res, t);
		hraw(res, "</a></td><td>");
		h(res, json_string_value(json_object_get(c, "title")));
		hraw(res, "</td><td>");
		if (step && json_object_get(step, "stage")) { /* seen in part: the public stage */
			h(res, json_string_value(json_object_get(step, "stage")));
		} else if (step) {
			hprintf(res, "%d", (int)json_integer_value(json_object_get(step, "no")));
			if (over) {
				hraw(res, " <span class=\"badge late\">");
				h(res, T(r, "Past due"));
				hraw(res, "</span>");
			}
		} else {
			h(res, T(r, "closed"));
		}
		hraw(res, "</td><td>");
		h(res, json_string_value(json_object_get(c, "priority")));
		hraw(res, "</td><td>");
		html_tlp(res, json_string_value(json_object_get(c, "tlp")));
		hraw(res, "</td><td>");
		h(res, json_string_value(json_object_get(c, "assignee")));
		hraw(res, "</td><td>");
		html_time(r, res, json_integer_value(json_object_get(c, "created_at")));
		hraw(res, "</td></tr>\n");
	}
	hraw(res, "</tbody></table></div>\n");
	int64_t page = f.offset / f.limit + 1, pages = (total + f.limit - 1) / f.limit;
	if (pages > 1) {
		hraw(res, "<nav class=\"pager\">");
		if (page > 1)
			html_page_link(r, res, "/kasus", page - 1, T(r, "Previous"), "prev");
		hprintf(res, " <span>%lld / %lld</span> ", (long long)page, (long long)pages);
		if (page < pages)
			html_page_link(r, res, "/kasus", page + 1, T(r, "Next"), "next");
		hraw(res, "</nav>\n");
	}
	json_decref(list);
	html_end(r, res);
}

static void new_case_form(web_req *r, web_res *res, const char *error)
{
	app *a = r->app;
	const char *pid =
	    web_query(r, "prosedur") ? web_query(r, "prosedur") : web_form(r, "prosedur");
	const sop_procedure *proc = NULL;
	if (pid)
		sops_find_procedure(&a->sops, pid, &proc);
	html_begin(r, res, T(r, "New case"), NAV_CASES);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "New case"));
	hraw(res, "</h1>\n");
	if (error)
		html_notice(res, "error", error);
	if (proc == NULL) {
		/* First choose the procedure: its fields make the form. */
		hraw(res, "<form method=\"get\" action=\"/kasus/baru\"><div class=\"field\"><label "
		          "for=\"p\">");
		h(res, T(r, "Procedure"));
		hraw(res, "</label><select id=\"p\" name=\"prosedur\" required>");
		for (size_t i = 0; i < a->sops.n; i++)
			for (size_t j = 0; j < a->sops.v[i].sop->n_procs; j++) {
				const sop_procedure *p = &a->sops.v[i].sop->procs[j];
				sg_err no;
				/* only the procedures this user may open a case of */
				if (case_may_open(a, r->who.user, a->sops.v[i].sop, p, &no) != 0)
					continue;
				hraw(res, "<option value=\"");
				h(res, p->id);
				hraw(res, "\">");
				h(res, p->nama);
				hraw(res, " (");
				h(res, p->ticket_prefix);
				hraw(res, ")</option>");
			}
		hraw(res, "</select></div><button type=\"submit\">");
		h(res, T(r, "Continue"));
		hraw(res, "</button></form></section>\n");
		html_end(r, res);
		return;
	}
	hraw(res, "<p>");
	h(res, proc->nama);
	hraw(res,
	     "</p><form method=\"post\" action=\"/kasus/baru\" enctype=\"multipart/form-data\">");
	html_csrf(r, res);
	hraw(res, "<input type=\"hidden\" name=\"prosedur\" value=\"");
	h(res, proc->id);
	hraw(res, "\"><div class=\"field\"><label for=\"judul\">");
	h(res, T(r, "Title"));
	hraw(res, "</label><input id=\"judul\" name=\"judul\" maxlength=\"300\" value=\"");
	h(res, web_form(r, "judul"));
	hraw(res, "\" placeholder=\"");
	h(res, proc->nama);
	hraw(res, "\"></div>");
	for (size_t i = 0; i < proc->n_fields; i++)
		html_sop_field(r, res, &proc->fields[i], web_form(r, proc->fields[i].name));
	hraw(res, "<button type=\"submit\">");
	h(res, T(r, "Open the case"));
	hraw(res, "</button></form></section>\n");
	html_end(r, res);
}

void page_case_new_form(web_req *r, web_res *res)
{
	new_case_form(r, res, NULL);
}

/* Form values and uploads for a list of SOP fields. Values borrow from
 * the request. Returns the number of values. */
size_t page_collect_fields(const web_req *r, const sop_field *fields, size_t nf, sop_value *v,
                           size_t max, case_upload *u, size_t *nu, size_t umax)
{
	size_t nv = 0;
	*nu = 0;
	for (size_t i = 0; i < nf && nv < max; i++) {
		const sop_field *f = &fields[i];
		if (f->type == FIELD_FILE) {
			const web_file *wf = web_file_get(r, f->name);
			if (wf && *nu < umax) {
				u[(*nu)++] = (case_upload){f->name, wf->filename, &wf->file};
				v[nv++] = (sop_value){f->name, wf->filename};
			}
			continue;
		}
		const char *val = web_form(r, f->name);
		if (val && *val)
			v[nv++] = (sop_value){f->name, val};
	}
	return nv;
}

void page_case_new(web_req *r, web_res *res)
{
	const char *pid = web_form(r, "prosedur");
	const sop_procedure *proc = NULL;
	if (pid == NULL || sops_find_procedure(&r->app->sops, pid, &proc) == NULL) {
		res->status = 400;
		new_case_form(r, res, T(r, "Choose a procedure."));
		return;
	}
	sop_value v[64];
	case_upload u[16];
	size_t nu;
	size_t nv = page_collect_fields(r, proc->fields, proc->n_fields, v, 64, u, &nu, 16);
	const char *title = web_form(r, "judul");
	case_new_req req = {.procedure_id = proc->id,
	                    .title = title && *title ? title : NULL,
	                    .fields = v,
	                    .n_fields = nv,
	                    .actor = r->who.user,
	                    .origin = r->client,
	                    .uploads = u,
	                    .n_uploads = nu};
	char ticket[32];
	sg_err e = {0};
	if (case_new(r->app, &req, ticket, &e) != 0) {
		res->status = web_status_of(&e);
		new_case_form(r, res, web_err(r, &e));
		return;
	}
	char loc[64];
	snprintf(loc, sizeof loc, "/kasus/%s", ticket);
	web_redirect(res, loc);
}
