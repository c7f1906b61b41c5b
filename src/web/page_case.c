/*
 * page_case.c: one case: its particulars, the SOP flowchart with the
 * current step highlighted, the current step's form (only for users who
 * hold the step's role, or who may complete an outside actor's step on
 * its behalf), the step's SLA clock, the cases it was handed over to or
 * from, its alerts and findings (page_case_findings.c), history,
 * comments, evidence, the
 * case's logbook entries, and a printable report. The forms that send a
 * case back, reopen it and issue links are drawn by page_case_flows.c.
 *
 * Every action posts to its own address and redirects back (POST,
 * redirect, GET), so a reload never repeats it; a refused action shows
 * the page again with the reason and the values as they were sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "download.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "sop/render.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The procedure and step of a case, from the SOP version it runs on. */
static const sop_step *case_step_of(app *a, json_t *c, const sop **sop_out,
                                    const sop_procedure **proc_out)
{
	sg_err e;
	const sop_entry *en = sops_version(a, str(json_object_get(c, "sop"), "sha256"), &e);
	*sop_out = en ? en->sop : NULL;
	*proc_out =
	    en ? sop_find_procedure(en->sop, str(json_object_get(c, "procedure"), "id")) : NULL;
	json_t *cur = json_object_get(c, "current_step");
	if (*proc_out == NULL || !json_is_object(cur))
		return NULL;
	int idx = sop_step_index(*proc_out, (int)num(cur, "no"));
	return idx >= 0 ? &(*proc_out)->steps[idx] : NULL;
}

static void dl_row(web_res *res, const char *term, const char *value)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt><dd>");
	h(res, value && *value ? value : "—");
	hraw(res, "</dd>");
}

/* The label the SOP gives a field of the procedure (its case fields or a
 * step's), or the field's name. O(fields of the procedure). */
static const sop_field *field_def(const sop_procedure *proc, const char *name)
{
	if (proc == NULL)
		return NULL;
	for (size_t i = 0; i < proc->n_fields; i++)
		if (strcmp(proc->fields[i].name, name) == 0)
			return &proc->fields[i];
	for (size_t k = 0; k < proc->n_steps; k++)
		for (size_t i = 0; i < proc->steps[k].n_fields; i++)
			if (strcmp(proc->steps[k].fields[i].name, name) == 0)
				return &proc->steps[k].fields[i];
	return NULL;
}

static const char *field_label(const sop_procedure *proc, const char *name)
{
	const sop_field *f = field_def(proc, name);
	return f ? f->label : name;
}

/* A ref to an alert ("ALR-12") as a link to its page; other text as is. */
static void ref_value(web_res *res, const sop_field *f, const char *v)
{
	long long id;
	char tail;
	if (f && f->type == FIELD_REF && f->entity && strcmp(f->entity, "alert") == 0 &&
	    sscanf(v, "ALR-%lld%c", &id, &tail) == 1 && id > 0) {
		hprintf(res, "<a href=\"/peringatan/%lld\">", id);
		h(res, v);
		hraw(res, "</a>");
	} else {
		h(res, v);
	}
}

static void values_list(const web_req *r, web_res *res, const sop_procedure *proc,
                        json_t *values)
{
	if (json_object_size(values) == 0)
		return;
	hraw(res, "<dl class=\"values\">");
	const char *k;
	json_t *v;
	json_object_foreach (values, k, v) {
		hraw(res, "<dt>");
		h(res, field_label(proc, k));
		hraw(res, "</dt><dd>");
		if (json_is_string(v)) {
			if (html_enisa_field(k))
				h(res, html_enisa(r, json_string_value(v)));
			else
				ref_value(res, field_def(proc, k), json_string_value(v));
		} else if (json_is_object(v)) { /* a file: link to it */
			hraw(res, "<a href=\"/bukti/");
			h(res, str(v, "sha256"));
			hraw(res, "\">");
			h(res, str(v, "filename"));
			hraw(res, "</a>");
		}
		hraw(res, "</dd>");
	}
	hraw(res, "</dl>");
}

/* Cases handed over to or from this one (case_links), each a link. */
static void related_cases(const web_req *r, web_res *res, json_t *c)
{
	json_t *links = json_object_get(c, "links");
	if (json_array_size(links) == 0)
		return;
	hraw(res, "<section class=\"panel\" id=\"terkait\"><h2>");
	h(res, T(r, "Related cases"));
	hraw(res, "</h2><ul class=\"related\">");
	size_t i;
	json_t *l;
	json_array_foreach (links, i, l) {
		bool to = strcmp(str(l, "direction"), "to") == 0;
		hraw(res, "<li><p>");
		h(res, to ? T(r, "Handed over to") : T(r, "Handed over from"));
		hraw(res, " <a href=\"/kasus/");
		h(res, str(l, "ticket"));
		hraw(res, "\">");
		h(res, str(l, "ticket"));
		hraw(res, "</a> ");
		h(res, str(l, "title"));
		hraw(res, "</p><p class=\"meta\">");
		h(res, str(json_object_get(l, "procedure"), "nama"));
		hraw(res, " · ");
		h(res, strcmp(str(l, "status"), "open") == 0 ? T(r, "open") : T(r, "closed"));
		hprintf(res, " · %s %d", T(r, "step"), (int)num(l, "step_no"));
		if (str(l, "decision")) {
			hraw(res, " (");
			h(res, str(l, "decision"));
			hraw(res, ")");
		}
		hraw(res, " · ");
		h(res, str(l, "actor"));
		hraw(res, " · ");
		html_time(r, res, num(l, "at"));
		hraw(res, "</p>");
		if (!to && *str(l, "note")) {
			hraw(res, "<p class=\"body\">");
			h(res, str(l, "note"));
			hraw(res, "</p>");
		}
		hraw(res, "</li>");
	}
	hraw(res, "</ul></section>\n");
}

/* The alerts linked to this case, each a link, with its status. */
static void case_alerts(const web_req *r, web_res *res, json_t *c)
{
	json_t *alerts = json_object_get(c, "alerts");
	if (json_array_size(alerts) == 0)
		return;
	hraw(res, "<section class=\"panel\" id=\"peringatan\"><h2>");
	h(res, T(r, "Alerts of this case"));
	hraw(res, "</h2>");
	html_thead(res, "list", T(r, "Alert"), T(r, "Level"), T(r, "Status"), T(r, "Asset"), NULL);
	size_t i;
	json_t *al;
	json_array_foreach (alerts, i, al) {
		long long id = (long long)num(al, "id");
		hprintf(res, "<tr><td><a href=\"/peringatan/%lld\">ALR-%lld</a> ", id, id);
		h(res, str(al, "title"));
		hraw(res, "</td><td>");
		html_alert_level(r, res, str(al, "level"));
		hraw(res, "</td><td>");
		h(res, html_alert_status(r, str(al, "status")));
		if (str(al, "reason") || json_is_true(json_object_get(al, "reason_withheld"))) {
			hraw(res, "<br><span class=\"muted\">");
			h(res, str(al, "reason") ? str(al, "reason")
						 : T(r, "Decided by the verdict of a case you may not see."));
			hraw(res, "</span>");
		}
		hraw(res, "</td><td>");
		h(res, str(al, "asset") ? str(al, "asset") : "—");
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></section>\n");
}

static void dt(web_res *res, const char *term)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt>");
}

/* The step as the SOP table writes it (Kelengkapan, Waktu, Output,
 * Keterangan) and its clock: started, due (or was due), in the
 * request's language and zone. */
static void step_facts(const web_req *r, web_res *res, json_t *cur)
{
	hraw(res, "<dl class=\"stepinfo\">");
	dt(res, T(r, "Actor"));
	hraw(res, "<dd><strong>");
	h(res, str(cur, "role_nama"));
	hraw(res, "</strong></dd>");
	json_t *kel = json_object_get(cur, "kelengkapan");
	if (json_array_size(kel)) {
		dt(res, T(r, "Requirements"));
		hraw(res, "<dd><ul class=\"kelengkapan\">");
		size_t i;
		json_t *k;
		json_array_foreach (kel, i, k) {
			hraw(res, "<li>");
			h(res, json_string_value(k));
			hraw(res, "</li>");
		}
		hraw(res, "</ul></dd>");
	}
	if (str(cur, "output")) {
		dt(res, T(r, "Output"));
		hraw(res, "<dd class=\"output\">");
		h(res, str(cur, "output"));
		hraw(res, "</dd>");
	}
	if (str(cur, "keterangan")) {
		dt(res, T(r, "Notes"));
		hraw(res, "<dd class=\"keterangan\">");
		h(res, str(cur, "keterangan"));
		hraw(res, "</dd>");
	}
	dt(res, T(r, "Standard time"));
	hraw(res, "<dd class=\"waktu\">");
	h(res, *str(cur, "waktu") ? str(cur, "waktu") : T(r, "no standard time"));
	hraw(res, "</dd>");
	dt(res, T(r, "Started"));
	hraw(res, "<dd>");
	html_time(r, res, num(cur, "started_at"));
	hraw(res, "</dd>");
	json_t *due = json_object_get(cur, "due_at");
	if (due) {
		bool over = json_is_true(json_object_get(cur, "overdue"));
		dt(res, T(r, "Due"));
		hprintf(res, "<dd class=\"clock %s\" id=\"due\">", over ? "late" : "ok");
		html_time(r, res, json_integer_value(due));
		if (over) {
			hraw(res, " <span class=\"badge late\">");
			h(res, T(r, "Past due"));
			hraw(res, "</span>");
		}
		hraw(res, "</dd>");
	}
	hraw(res, "</dl>");
}

/* The name of the real actor and the channel, for a step completed on
 * an outside actor's behalf. */
static void on_behalf_fields(const web_req *r, web_res *res, const char *role_nama)
{
	hraw(res, "<fieldset class=\"behalf\"><legend>");
	h(res, T(r, "On behalf of"));
	hraw(res, " ");
	h(res, role_nama);
	hraw(res, "</legend><div class=\"field\"><label for=\"atas-nama\">");
	h(res, T(r, "Name of the actor"));
	hraw(res, "</label><input id=\"atas-nama\" name=\"atas_nama\" required maxlength=\"200\" "
	          "value=\"");
	h(res, web_form(r, "atas_nama"));
	hraw(res, "\"></div><div class=\"field\"><label for=\"saluran\">");
	h(res, T(r, "Received by"));
	hraw(res, "</label><select id=\"saluran\" name=\"saluran\" required>");
	const char *sel = web_form(r, "saluran");
	for (const char *const *ch = case_channels; *ch; ch++) {
		hraw(res, "<option");
		if (sel && strcmp(sel, *ch) == 0)
			hraw(res, " selected");
		hraw(res, " value=\"");
		h(res, *ch);
		hraw(res, "\">");
		h(res, *ch);
		hraw(res, "</option>");
	}
	hraw(res, "</select></div></fieldset>");
}

static void step_panel(const web_req *r, web_res *res, json_t *c, const sop *s,
                       const sop_step *st)
{
	json_t *cur = json_object_get(c, "current_step");
	const char *ticket = str(c, "ticket");
	hraw(res, "<section class=\"panel step\" id=\"langkah\"><h2>");
	h(res, T(r, "Current step"));
	hprintf(res, " %d</h2><p class=\"uraian\">", (int)num(cur, "no"));
	h(res, str(cur, "uraian"));
	hraw(res, "</p>");
	step_facts(r, res, cur);
	if (st == NULL) {
		hraw(res, "</section>");
		return;
	}
	bool own = web_has_role(r, st->role);
	bool behalf = !own && page_may_act_for(r, s, st);
	if (!own && !behalf) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "This step is done by a user with the role"));
		hraw(res, " ");
		h(res, str(cur, "role_nama"));
		hraw(res, ".</p></section>\n");
		return;
	}
	hraw(res, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/kasus/");
	h(res, ticket);
	hraw(res, "/langkah\">");
	html_csrf(r, res);
	/* the step and the visit of it this form was drawn for */
	hprintf(res, "<input type=\"hidden\" name=\"langkah_no\" value=\"%lld\">"
	             "<input type=\"hidden\" name=\"langkah_mulai\" value=\"%lld\">",
	        (long long)json_integer_value(json_object_get(cur, "no")),
	        (long long)json_integer_value(json_object_get(cur, "started_at")));
	if (behalf)
		on_behalf_fields(r, res, str(cur, "role_nama"));
	/* what sigap drafted for this step (finding_cases.c), unless the form
	 * comes back with the actor's own values */
	json_t *draft = json_object_get(json_object_get(cur, "draft"), "values");
	if (json_is_object(draft)) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "The form holds what sigap drafted from the findings or a rescan; "
		            "check it before completing the step."));
		hraw(res, "</p>");
	}
	for (size_t i = 0; i < st->n_fields; i++) {
		const char *v = web_form(r, st->fields[i].name);
		if (v == NULL)
			v = json_string_value(json_object_get(draft, st->fields[i].name));
		html_sop_field(r, res, &st->fields[i], v);
	}
	if (st->n_branches) {
		hraw(res, "<p class=\"question\">");
		h(res, st->question);
		hraw(res, "</p><div class=\"decisions\">");
		for (size_t b = 0; b < st->n_branches; b++) {
			hraw(res, "<button type=\"submit\" name=\"keputusan\" value=\"");
			h(res, st->branches[b].label);
			hraw(res, "\">");
			h(res, st->branches[b].label);
			hraw(res, "</button> ");
		}
		hraw(res, "</div>");
	} else if (behalf) {
		hraw(res, "<button type=\"submit\">");
		h(res, T(r, "Complete on behalf of"));
		hraw(res, " ");
		h(res, str(cur, "role_nama"));
		hraw(res, "</button>");
	} else {
		hraw(res, "<button type=\"submit\">");
		h(res, T(r, "Complete this step"));
		hraw(res, "</button>");
	}
	hraw(res, "</form></section>\n");
}

/* Whether the caller sees the whole case (case_access.c), not only the
 * parts addressed to it. */
static bool sees_whole(json_t *c)
{
	return strcmp(str(c, "sight"), "full") == 0;
}

static void assign_panel(const web_req *r, web_res *res, json_t *c, const sop_step *st)
{
	if (st == NULL || !sees_whole(c))
		return;
	sg_err e;
	json_t *users = user_list(r->app, &e);
	if (users == NULL)
		return;
	hraw(res, "<form method=\"post\" class=\"inline assign\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/tugaskan\">");
	html_csrf(r, res);
	hraw(res, "<label for=\"assignee\">");
	h(res, T(r, "Assign to"));
	hraw(res, "</label> <select id=\"assignee\" name=\"petugas\"><option value=\"\">");
	h(res, T(r, "(nobody)"));
	hraw(res, "</option>");
	size_t i, k;
	json_t *u, *role;
	const char *cur = str(c, "assignee");
	json_array_foreach (users, i, u) {
		bool ok = false;
		json_array_foreach (json_object_get(u, "roles"), k, role)
			ok |= strcmp(json_string_value(role), st->role) == 0;
		if (!ok || json_is_true(json_object_get(u, "disabled")))
			continue;
		hraw(res, "<option");
		if (cur && strcmp(cur, str(u, "name")) == 0)
			hraw(res, " selected");
		hraw(res, ">");
		h(res, str(u, "name"));
		hraw(res, "</option>");
	}
	hraw(res, "</select> <button type=\"submit\">");
	h(res, T(r, "Assign"));
	hraw(res, "</button></form>\n");
	json_decref(users);
}

/* The TLP label, changed at any step by whoever sees the whole case. */
static void tlp_form(const web_req *r, web_res *res, json_t *c)
{
	if (!sees_whole(c))
		return;
	static const char *const labels[] = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER",
	                                      "TLP:AMBER+STRICT", "TLP:RED"};
	const char *cur = str(c, "tlp");
	hraw(res, "<form method=\"post\" class=\"inline tlp\" id=\"tlp\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/tlp\">");
	html_csrf(r, res);
	hraw(res, "<label for=\"tlp-label\">");
	h(res, T(r, "TLP label"));
	hraw(res, "</label> <select id=\"tlp-label\" name=\"tlp\">");
	for (int i = 0; i < 5; i++) {
		hraw(res, "<option");
		if (cur && strcmp(cur, labels[i]) == 0)
			hraw(res, " selected");
		hraw(res, ">");
		h(res, labels[i]);
		hraw(res, "</option>");
	}
	hraw(res, "</select> <button type=\"submit\" class=\"secondary\">");
	h(res, T(r, "Change the label"));
	hraw(res, "</button></form>\n");
	if (cur == NULL || strcmp(cur, "TLP:RED") != 0)
		return;
	/* RED: only the people named see it; name one more by hand */
	hraw(res, "<form method=\"post\" class=\"inline\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/sebut\">");
	html_csrf(r, res);
	hraw(res, "<label for=\"sebut\">");
	h(res, T(r, "Name on this case (user name)"));
	hraw(res, "</label> <input id=\"sebut\" name=\"pengguna\" maxlength=\"64\" required> "
	          "<button type=\"submit\" class=\"secondary\">");
	h(res, T(r, "Name them"));
	hraw(res, "</button></form>\n");
}

static void history(const web_req *r, web_res *res, json_t *c, const sop *s,
                    const sop_procedure *proc)
{
	hraw(res, "<section class=\"panel\"><h2>");
	h(res, T(r, "History"));
	hraw(res, "</h2><ol class=\"timeline\">");
	size_t i;
	json_t *run;
	json_array_foreach (json_object_get(c, "history"), i, run) {
		bool met = json_is_true(json_object_get(run, "sla_met"));
		hprintf(res, "<li><p><strong>%d.</strong> ", (int)num(run, "step_no"));
		h(res, str(run, "uraian"));
		hraw(res, "</p><p class=\"meta\">");
		page_run_who(r, res, run, s);
		hraw(res, " · ");
		html_time(r, res, num(run, "finished_at"));
		if (*str(run, "waktu") && strcmp(str(run, "kind"), "step") == 0) {
			hprintf(res, " · <span class=\"badge %s\">", met ? "ok" : "late");
			h(res, met ? T(r, "within standard time") : T(r, "late"));
			hraw(res, "</span>");
		}
		if (str(run, "decision")) {
			hraw(res, " · ");
			h(res, T(r, "decision"));
			hraw(res, ": <strong>");
			h(res, str(run, "decision"));
			hraw(res, "</strong>");
		}
		hraw(res, "</p>");
		if (str(run, "reason")) {
			hraw(res, "<p class=\"reason\">");
			h(res, T(r, "Reason"));
			hraw(res, ": ");
			h(res, str(run, "reason"));
			hraw(res, "</p>");
		}
		values_list(r, res, proc, json_object_get(run, "values"));
		hraw(res, "</li>");
	}
	hraw(res, "</ol></section>\n");
}

static void comments(const web_req *r, web_res *res, json_t *c)
{
	hraw(res, "<section class=\"panel\" id=\"komentar\"><h2>");
	h(res, T(r, "Comments"));
	hraw(res, "</h2><ul class=\"comments\">");
	size_t i;
	json_t *cm;
	json_array_foreach (json_object_get(c, "comments"), i, cm) {
		hraw(res, "<li><p class=\"meta\">");
		h(res, str(cm, "author"));
		hraw(res, " · ");
		html_time(r, res, num(cm, "created_at"));
		hraw(res, "</p><p class=\"body\">");
		h(res, str(cm, "body"));
		hraw(res, "</p></li>");
	}
	hraw(res, "</ul><form method=\"post\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/komentar\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"komentar-isi\">");
	h(res, T(r, "New comment (internal; never shown to the reporter)"));
	hraw(res, "</label><textarea id=\"komentar-isi\" name=\"isi\" rows=\"3\" required "
	          "maxlength=\"20000\">");
	h(res, web_form(r, "isi"));
	hraw(res, "</textarea></div><button type=\"submit\">");
	h(res, T(r, "Add comment"));
	hraw(res, "</button></form></section>\n");
}

static void evidence(const web_req *r, web_res *res, json_t *c)
{
	hraw(res, "<section class=\"panel\" id=\"bukti\"><h2>");
	h(res, T(r, "Evidence"));
	hraw(res, "</h2>");
	html_thead(res, "list", T(r, "File"), "SHA-256", T(r, "Size (bytes)"), T(r, "Added by"),
	           NULL);
	size_t i;
	json_t *ev;
	json_array_foreach (json_object_get(c, "evidence"), i, ev) {
		hraw(res, "<tr><td><a href=\"/bukti/");
		h(res, str(ev, "sha256"));
		hraw(res, "\">");
		h(res, str(ev, "filename"));
		hraw(res, "</a></td><td class=\"hash\">");
		h(res, str(ev, "sha256"));
		hraw(res, "</td><td>");
		html_int(r, res, num(ev, "size"));
		hraw(res, "</td><td>");
		h(res, str(ev, "added_by"));
		hraw(res, " · ");
		h(res, str(ev, "origin"));
		hraw(res, " · ");
		html_time(r, res, num(ev, "added_at"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table>");
	if (!sees_whole(c)) { /* an outside actor adds files at its own step */
		hraw(res, "</section>\n");
		return;
	}
	hraw(res, "<form method=\"post\" enctype=\"multipart/form-data\" "
	          "action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/bukti\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"berkas\">");
	h(res, T(r, "Add an evidence file"));
	hraw(res, "</label><input type=\"file\" id=\"berkas\" name=\"berkas\" "
	          "required></div><button type=\"submit\">");
	h(res, T(r, "Upload"));
	hraw(res, "</button></form></section>\n");
}

static void case_logbook(const web_req *r, web_res *res, const char *ticket)
{
	char object[64];
	snprintf(object, sizeof object, "case:%s", ticket);
	sg_err e;
	json_t *entries = logbook_list(r->app, object, 200, r->who.user, &e);
	if (entries == NULL)
		return;
	hraw(res, "<section class=\"panel\" id=\"logbook\"><h2>");
	h(res, T(r, "Logbook entries of this case"));
	hraw(res, "</h2>");
	html_logbook_table(r, res, entries);
	hraw(res, "</section>\n");
	json_decref(entries);
}

static void particulars(const web_req *r, web_res *res, json_t *c)
{
	hraw(res, "<dl class=\"facts\">");
	dl_row(res, "SOP", str(json_object_get(c, "sop"), "nama"));
	dl_row(res, T(r, "Procedure"), str(json_object_get(c, "procedure"), "nama"));
	dl_row(res, T(r, "Status"),
	       strcmp(str(c, "status"), "open") == 0 ? T(r, "open") : T(r, "closed"));
	dl_row(res, T(r, "Category"), html_enisa(r, str(c, "category")));
	dl_row(res, T(r, "Type"), html_enisa(r, str(c, "incident_type")));
	dl_row(res, T(r, "Priority"), str(c, "priority"));
	hraw(res, "<dt>TLP</dt><dd>");
	if (str(c, "tlp"))
		html_tlp(res, str(c, "tlp"));
	else
		hraw(res, "—");
	hraw(res, "</dd>");
	dl_row(res, T(r, "Assignee"), str(c, "assignee"));
	hraw(res, "<dt>");
	h(res, T(r, "Opened"));
	hraw(res, "</dt><dd>");
	html_time(r, res, num(c, "created_at"));
	hraw(res, " · ");
	h(res, str(c, "created_by"));
	hraw(res, "</dd>");
	if (json_object_get(c, "closed_at")) {
		hraw(res, "<dt>");
		h(res, T(r, "Closed"));
		hraw(res, "</dt><dd>");
		html_time(r, res, num(c, "closed_at"));
		hraw(res, "</dd>");
	}
	hraw(res, "</dl>");
}

void page_case_render(web_req *r, web_res *res, const char *error, const char *issued)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Case not found"),
		                  web_err(r, &e));
		return;
	}
	const sop *s;
	const sop_procedure *proc;
	const sop_step *st = case_step_of(r->app, c, &s, &proc);
	const char *ticket = str(c, "ticket");
	html_begin(r, res, ticket, NAV_CASES);
	hraw(res, "<div class=\"titlebar\"><h1><span class=\"ticket\">");
	h(res, ticket);
	hraw(res, "</span> ");
	h(res, str(c, "title"));
	hraw(res, "</h1><a class=\"button secondary\" href=\"/kasus/");
	h(res, ticket);
	hraw(res, "/cetak\">");
	h(res, T(r, "Printable report"));
	hraw(res, "</a>");
	if (strcmp(str(c, "sight"), "full") == 0) {
		hraw(res, " <a class=\"button secondary\" href=\"/kasus/");
		h(res, ticket);
		hraw(res, "/dokumen\">");
		h(res, T(r, "Documents"));
		hraw(res, "</a>");
	}
	hraw(res, "</div>\n");
	if (error)
		html_notice(res, "error", error);
	if (issued)
		page_link_issued(r, res, issued);
	const char *done = web_query(r, "ok");
	if (done && !error)
		html_notice(res, "ok", T(r, "Saved."));
	hraw(res, "<div class=\"case-grid\"><div>");
	particulars(r, res, c);
	tlp_form(r, res, c);
	assign_panel(r, res, c, st);
	json_t *stage = json_object_get(json_object_get(c, "current_step"), "stage");
	if (stage) { /* seen in part, not the viewer's step: its public stage */
		hraw(res, "<section class=\"panel step\" id=\"langkah\"><h2>");
		h(res, T(r, "Current stage"));
		hraw(res, "</h2><p class=\"uraian\">");
		h(res, json_string_value(stage));
		hraw(res, "</p></section>\n");
	} else if (json_is_object(json_object_get(c, "current_step")))
	{
		if (json_is_true(json_object_get(json_object_get(c, "current_step"), "unattended")))
			html_notice(res, "error",
				    T(r, "This case is TLP:RED: only the people named on it see it, and none "
					 "of them holds the role of the current step. Nobody can act on it "
					 "until the step is assigned to a holder of that role."));
		step_panel(r, res, c, s, st);
		if (sees_whole(c)) { /* the staff's: an outside actor sees its part */
			page_send_back_form(r, res, c, s, proc, st);
			page_links_panel(r, res, c, s, st);
		}
	} else {
		hraw(res, "<section class=\"panel\" id=\"langkah\"><p>");
		h(res, T(r, "This case is closed."));
		hraw(res, "</p>");
		if (sees_whole(c))
			page_reopen_form(r, res, c, s, proc);
		hraw(res, "</section>");
	}
	hraw(res, "<section class=\"panel\"><h2>");
	h(res, T(r, "Report"));
	hraw(res, "</h2>");
	values_list(r, res, proc, json_object_get(c, "fields"));
	hraw(res, "</section>");
	related_cases(r, res, c);
	case_alerts(r, res, c);
	page_case_assets_panel(r, res, c);
	page_case_findings_panel(r, res, c);
	page_case_exception_panel(r, res, c);
	history(r, res, c, s, proc);
	if (sees_whole(c)) {
		comments(r, res, c);
		evidence(r, res, c);
		case_logbook(r, res, ticket);
	} else {
		json_t *pub = json_object_get(c, "public"); /* what the team wrote for it */
		if (json_array_size(pub)) {
			hraw(res, "<section class=\"panel\" id=\"untuk-anda\"><h2>");
			h(res, T(r, "Written for you"));
			hraw(res, "</h2><dl class=\"facts\">");
			size_t i;
			json_t *p;
			json_array_foreach (pub, i, p) {
				hraw(res, "<dt>");
				h(res, str(p, "label"));
				hraw(res, "</dt><dd>");
				h(res, str(p, "value"));
				hraw(res, "</dd>");
			}
			hraw(res, "</dl></section>");
		}
		evidence(r, res, c); /* its own files */
		hraw(res, "<section class=\"panel\"><p>");
		h(res, T(r, "You see the parts of this case addressed to you: what you gave, "
		            "where the case stands, and the steps that are yours. The team's "
		            "notes stay with the team."));
		hraw(res, "</p></section>");
	}
	hraw(res, "</div></div>\n");
	if (proc) {
		hraw(res, "<section class=\"panel flow\"><h2>");
		h(res, T(r, "SOP flowchart"));
		hraw(res, "</h2><div class=\"sopdoc scroll\">");
		json_t *cur = json_object_get(c, "current_step");
		sop_render_procedure(s, proc, json_is_object(cur) ? (int)num(cur, "no") : 0,
		                     &res->body);
		hraw(res, "</div></section>\n");
	}
	html_end(r, res);
	json_decref(c);
}

void page_case(web_req *r, web_res *res)
{
	page_case_render(r, res, NULL, NULL);
}

static void redirect_case(web_req *r, web_res *res, const char *anchor)
{
	char loc[128];
	snprintf(loc, sizeof loc, "/kasus/%s?ok=1#%s", r->path_arg, anchor);
	web_redirect(res, loc);
}

static void refused(web_req *r, web_res *res, const sg_err *e)
{
	res->status = web_status_of(e);
	page_case_render(r, res, web_err(r, e), NULL);
}

/* Before the body: the case exists and this user may act on it. */
static bool gate(web_req *r, web_res *res, int (*may)(app *, const char *, const char *, sg_err *))
{
	sg_err e = {0};
	if (may(r->app, r->path_arg, r->who.user, &e) == 0)
		return true;
	if (e.code == SG_ENOTFOUND)
		html_message_page(r, res, 404, T(r, "Case not found"), web_err(r, &e));
	else
		refused(r, res, &e);
	return false;
}

bool gate_case_step_page(web_req *r, web_res *res)
{
	return gate(r, res, case_may_act);
}

bool gate_case_attach_page(web_req *r, web_res *res)
{
	return gate(r, res, case_may_attach);
}

void page_case_step(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Case not found"),
		                  web_err(r, &e));
		return;
	}
	const sop *s;
	const sop_procedure *proc;
	const sop_step *st = case_step_of(r->app, c, &s, &proc);
	json_decref(c);
	if (st == NULL) {
		sg_err_set(&e, SG_ESTATE, "%s", T(r, "This case is closed."));
		refused(r, res, &e);
		return;
	}
	sop_value v[64];
	case_upload u[16];
	size_t nu;
	size_t nv = page_collect_fields(r, st->fields, st->n_fields, v, 64, u, &nu, 16);
	const char *decision = web_form(r, "keputusan");
	case_step_req req = {.ticket = r->path_arg,
	                     .user = r->who.user,
	                     .decision = decision && *decision ? decision : NULL,
	                     .values = v,
	                     .n_values = nv,
	                     .origin = r->client,
	                     .uploads = u,
	                     .n_uploads = nu};
	int64_t seen_no = 0, seen_at = 0;
	const char *no = web_form(r, "langkah_no"), *at = web_form(r, "langkah_mulai");
	if (!no || !at || !webutil_int(no, 1, 100000, &seen_no) ||
	    !webutil_int(at, 0, INT64_MAX, &seen_at)) {
		sg_err_set(&e, SG_EINVAL, "%s",
		           T(r, "This form does not say which step it was drawn for; open the case "
		                "again."));
		refused(r, res, &e);
		return;
	}
	req.expect_step = (int)seen_no;
	req.expect_visit = seen_at;
	const char *behalf = web_form(r, "atas_nama"), *channel = web_form(r, "saluran");
	if (behalf && *behalf) {
		req.on_behalf = behalf;
		req.channel = channel && *channel ? channel : NULL;
	}
	case_step_result out;
	if (case_step(r->app, &req, &out, &e) != 0) {
		refused(r, res, &e);
		return;
	}
	redirect_case(r, res, "langkah");
}

void page_case_comment(web_req *r, web_res *res)
{
	const char *body = web_form(r, "isi");
	sg_err e = {0};
	if (case_comment(r->app, r->path_arg, r->who.user, body ? body : "", r->client, &e) != 0) {
		refused(r, res, &e);
		return;
	}
	redirect_case(r, res, "komentar");
}

void page_case_assign(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (case_assign(r->app, r->path_arg, r->who.user, web_form(r, "petugas"), &e) != 0) {
		refused(r, res, &e);
		return;
	}
	redirect_case(r, res, "langkah");
}

void page_case_tlp(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (case_set_tlp(r->app, r->path_arg, r->who.user, web_form(r, "tlp"), &e) != 0) {
		refused(r, res, &e);
		return;
	}
	redirect_case(r, res, "tlp");
}

void page_case_name(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (case_name_person(r->app, r->path_arg, r->who.user, web_form(r, "pengguna"), &e) != 0) {
		refused(r, res, &e);
		return;
	}
	redirect_case(r, res, "tlp");
}

void page_case_attach(web_req *r, web_res *res)
{
	const web_file *f = web_file_get(r, "berkas");
	sg_err e = {0};
	if (f == NULL) {
		sg_err_set(&e, SG_EINVAL, "%s", T(r, "Choose a file to upload."));
		refused(r, res, &e);
		return;
	}
	case_upload u = {"berkas", f->filename, &f->file};
	char sha[65];
	if (case_attach(r->app, r->path_arg, r->who.user, &u, r->client, sha, &e) != 0) {
		refused(r, res, &e);
		return;
	}
	redirect_case(r, res, "bukti");
}

void page_evidence(web_req *r, web_res *res)
{
	char path[4200], name[256];
	int64_t size;
	sg_err e = {0};
	if (evidence_or_report_visible(r->app, r->who.user, r->path_arg, &size, name, &e) != 0 ||
	    evidence_path(r->app, r->path_arg, path, sizeof path) != 0) {
		html_message_page(r, res, e.code == SG_ENOTFOUND ? 404 : 500, T(r, "Not found"),
		                  T(r, "There is no page at this address."));
		return;
	}
	download_evidence(res, strdup(path), name, r->path_arg);
}

/* The case report to print or save as PDF from the browser: the
 * particulars, the report, every step with its actor, time and decision,
 * the evidence with hashes, and signature lines. */
void page_case_print(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Case not found"),
		                  web_err(r, &e));
		return;
	}
	const char *ticket = str(c, "ticket");
	const sop *s;
	const sop_procedure *proc;
	case_step_of(r->app, c, &s, &proc);
	res->content_type = "text/html; charset=utf-8";
	hprintf(res, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
	        r->lang == LANG_ID ? "id" : "en");
	h(res, ticket);
	hraw(res, "</title><link rel=\"stylesheet\" href=\"/static/print.css\">"
	          "<link rel=\"stylesheet\" href=\"/static/sop.css\"></head><body>"
	          "<header>");
	/* the letterhead as the documents print it ([dokumen], admin) */
	json_t *kop = doc_settings(r->app, &e);
	static const char *const kop_keys[] = {"instansi", "dinas"};
	for (size_t k = 0; kop && k < 2; k++)
		if (*str(kop, kop_keys[k])) {
			hraw(res, "<p class=\"kop\">");
			h(res, str(kop, kop_keys[k]));
			hraw(res, "</p>");
		}
	json_decref(kop);
	hraw(res, "<h1>");
	h(res, T(r, "Case report"));
	hraw(res, " ");
	h(res, ticket);
	hraw(res, "</h1><p>");
	h(res, str(c, "title"));
	hraw(res, "</p></header>");
	particulars(r, res, c);
	hraw(res, "<h2>");
	h(res, T(r, "Report"));
	hraw(res, "</h2>");
	values_list(r, res, proc, json_object_get(c, "fields"));
	hraw(res, "<h2>");
	h(res, T(r, "Steps"));
	hraw(res, "</h2>");
	html_thead(res, "", "#", T(r, "Step"), T(r, "Actor"), T(r, "Finished"), T(r, "Decision"),
	           "SLA", NULL);
	size_t i;
	json_t *run;
	json_array_foreach (json_object_get(c, "history"), i, run) {
		hprintf(res, "<tr><td>%d</td><td>", (int)num(run, "step_no"));
		h(res, str(run, "uraian"));
		values_list(r, res, proc, json_object_get(run, "values"));
		hraw(res, "</td><td>");
		page_run_who(r, res, run, s);
		hraw(res, "</td><td>");
		html_time(r, res, num(run, "finished_at"));
		hraw(res, "</td><td>");
		h(res, str(run, "decision"));
		hraw(res, "</td><td>");
		if (*str(run, "waktu"))
			h(res, json_is_true(json_object_get(run, "sla_met"))
			           ? T(r, "within standard time")
			           : T(r, "late"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table><h2>");
	h(res, T(r, "Evidence"));
	hraw(res, "</h2>");
	html_thead(res, "", T(r, "File"), "SHA-256", T(r, "Added by"), NULL);
	json_t *ev;
	json_array_foreach (json_object_get(c, "evidence"), i, ev) {
		hraw(res, "<tr><td>");
		h(res, str(ev, "filename"));
		hraw(res, "</td><td class=\"hash\">");
		h(res, str(ev, "sha256"));
		hraw(res, "</td><td>");
		h(res, str(ev, "added_by"));
		hraw(res, ", ");
		html_time(r, res, num(ev, "added_at"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table><div class=\"signatures\"><div><p>");
	h(res, T(r, "Prepared by"));
	hraw(res, "</p><p class=\"line\"></p></div><div><p>");
	h(res, T(r, "Approved by"));
	hraw(res, "</p><p class=\"line\"></p></div></div><footer>");
	h(res, T(r, "Printed"));
	hraw(res, " ");
	html_time(r, res, app_now(r->app));
	hraw(res, " · sigap</footer>");
	if (proc) { /* the SOP flowchart, on a page of its own in A4 landscape */
		hraw(res, "<section class=\"bagan\"><h2>");
		h(res, T(r, "SOP flowchart"));
		hraw(res, "</h2><div class=\"sopdoc\">");
		json_t *cur = json_object_get(c, "current_step");
		sop_render_procedure(s, proc, json_is_object(cur) ? (int)num(cur, "no") : 0,
		                     &res->body);
		hraw(res, "</div></section>");
	}
	hraw(res, "</body></html>\n");
	json_decref(c);
}
