/*
 * case_handover.c: what a decision does besides moving its case: hand the
 * case over to another SOP, and decide the case's alerts.
 *
 * A branch of an SOP may say `start: insiden` (docs/sop-format.md): a CTI
 * finding that is a real incident (FALSE NEGATIVE) opens an incident case,
 * an anomaly after a patch opens one too, an evaluation that finds a
 * policy must be revised opens a drafting case. The new case is opened in
 * the transaction of the step that took the branch, so the decision and
 * its consequence stand or fall together, and it carries what the source
 * knows:
 *   - case fields: each field of the new procedure takes the value of the
 *     source field the branch's `carry` maps to it, else of the source
 *     field with its own name (case fields first, then step values, the
 *     latest step winning); a value a select field does not offer is left
 *     out;
 *   - a title naming the source ("Tindak lanjut CTI-2026-0007: …") and a
 *     note, kept on the link, saying where it came from and the values of
 *     the deciding step;
 *   - a source field naming an asset of the register (ref, entity
 *     asset) carried into a text field reads as the asset's name and
 *     number;
 *   - the source's evidence (new custody rows for the same stored
 *     content, the origin naming the source case), its linked alerts,
 *     its assets (case_assets) and its linked findings (kind handover).
 * One case_links row joins the two cases; each case's page shows it, to
 * those who may see the other case too (case_access.c). A source hands
 * over to a procedure once: taking the branch again (the step sent back
 * and decided anew) leaves the case it opened as it is.
 *
 * When the new procedure's first step belongs to an outside role (the
 * pelapor of SOP insiden), it is completed at once on the source's behalf:
 * the source case is the report, and the CSIRT member who decided is its
 * reporter; waiting for a citizen to sign in would strand the case. The
 * step run records the deciding user under the outside role, on behalf of
 * the source ticket through the channel "serah terima" (hand-over), as
 * any step done on an outside actor's behalf records its real actor and
 * channel. A first step that asks for required values or a decision is
 * left to be done as usual.
 *
 * A branch may also say `alerts: true_positive` (or false_positive): the
 * case's linked alerts take that status, with the deciding step's report
 * as the reason (alerts.c, alert_case_verdict).
 *
 * Cost: O(fields x source values) per hand-over, plus one row copied per
 * evidence and per alert of the source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "base/buf.h"
#include "case_row.h"

enum { TITLE_MAX = 300, REASON_MAX = 4000, NOTE_MAX = 8000 };
/* The channel of a step done on a source case's behalf (step_runs). */
static const char HANDOVER_CHANNEL[] = "serah terima";

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static void clip_utf8(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

static const sop_branch *branch_of(const sop_step *st, const char *label)
{
	for (size_t b = 0; b < st->n_branches; b++)
		if (strcmp(st->branches[b].label, label) == 0)
			return &st->branches[b];
	return NULL;
}

static const sop_field *step_field(const sop_step *st, const char *name)
{
	for (size_t i = 0; i < st->n_fields; i++)
		if (strcmp(st->fields[i].name, name) == 0)
			return &st->fields[i];
	return NULL;
}

/* The deciding step's first text value, in the SOP's field order: the
 * report a verdict rests on (cti step 6: laporan). NULL when none. */
static const char *step_text(const sop_step *st, json_t *values)
{
	for (size_t i = 0; i < st->n_fields; i++) {
		if (st->fields[i].type != FIELD_TEXT && st->fields[i].type != FIELD_TEXTAREA)
			continue;
		const char *v = json_string_value(json_object_get(values, st->fields[i].name));
		if (v && *v)
			return v;
	}
	return NULL;
}

static int alerts_verdict(app *a, const branch_taken *t, const sop_branch *br, sg_err *e)
{
	const char *text = step_text(t->st, t->values);
	char *reason = malloc(REASON_MAX + 1);
	if (reason == NULL)
		abort();
	snprintf(reason, REASON_MAX + 1, "%s, langkah %d (%s)%s%s", t->ticket, t->st->no,
		 t->decision, text ? ": " : "", text ? text : "");
	clip_utf8(reason, REASON_MAX);
	int r = alert_case_verdict(a, t->row->id, t->ticket, br->alerts, reason, t->actor, e);
	free(reason);
	return r;
}

/* What the source case knows, by field name: its case fields, then the
 * values of its step runs in order (this step's run is stored already),
 * a later value replacing an earlier one. Fills *title too. */
static json_t *source_values(app *a, int64_t case_id, char *title, size_t title_n, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT title, fields FROM cases WHERE id = ?", "i",
			    case_id) != 0)
		return NULL;
	json_t *known = NULL;
	if (db_step(st, e) == DB_ROW) {
		snprintf(title, title_n, "%s", db_col_text(st, 0));
		known = json_loads(db_col_text(st, 1), 0, NULL);
	}
	db_finalize(st);
	if (!json_is_object(known)) {
		json_decref(known);
		if (e->code == 0)
			sg_err_set(e, SG_EINTEGRITY, "case %lld has no readable fields",
				   (long long)case_id);
		return NULL;
	}
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT form_values FROM step_runs WHERE case_id = ? ORDER BY seq", "i",
			    case_id) != 0) {
		json_decref(known);
		return NULL;
	}
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *v = json_loads(db_col_text(st, 0), 0, NULL);
		if (json_is_object(v))
			json_object_update(known, v);
		json_decref(v);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(known);
		return NULL;
	}
	return known;
}

static bool option_of(const sop_field *f, const char *v)
{
	for (size_t i = 0; i < f->n_options; i++)
		if (strcmp(f->options[i], v) == 0)
			return true;
	return false;
}

/* The new case's fields from what the source knows (see the top). */
static json_t *carried_fields(const sop_branch *br, const sop_procedure *to, json_t *known)
{
	json_t *out = json_object();
	for (size_t i = 0; i < to->n_fields; i++) {
		const sop_field *f = &to->fields[i];
		const char *from = f->name;
		for (size_t k = 0; k < br->n_carry; k++)
			if (strcmp(br->carry_to[k], f->name) == 0)
				from = br->carry_from[k];
		json_t *v = json_object_get(known, from);
		if (v == NULL)
			continue;
		bool is_file = json_is_object(v);
		if (is_file != (f->type == FIELD_FILE))
			continue;
		if (!is_file && (!json_is_string(v) || !*json_string_value(v) ||
				 (f->type == FIELD_SELECT && !option_of(f, json_string_value(v)))))
			continue;
		json_object_set(out, f->name, v);
	}
	return out;
}

/* A source case field naming an asset by its number (ref, entity asset)
 * carried into a field of another type: the value becomes the asset's
 * name beside its number ("Portal Desa (aset 12)"), as an officer would
 * write it, so an incident opened from a patch case names the system. */
static int asset_names(app *a, const sop_procedure *from, const sop_branch *br,
		       const sop_procedure *to, json_t *fields, sg_err *e)
{
	for (size_t i = 0; i < to->n_fields; i++) {
		const sop_field *f = &to->fields[i];
		if (f->type == FIELD_REF || f->type == FIELD_FILE)
			continue;
		const char *src = f->name;
		for (size_t k = 0; k < br->n_carry; k++)
			if (strcmp(br->carry_to[k], f->name) == 0)
				src = br->carry_from[k];
		const sop_field *sf = NULL;
		for (size_t j = 0; j < from->n_fields; j++)
			if (strcmp(from->fields[j].name, src) == 0)
				sf = &from->fields[j];
		const char *v = json_string_value(json_object_get(fields, f->name));
		if (sf == NULL || sf->type != FIELD_REF || sf->entity == NULL ||
		    strcmp(sf->entity, "asset") != 0 || v == NULL)
			continue;
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e, "SELECT name FROM assets WHERE id = ?", "i",
				    strtoll(v, NULL, 10)) != 0)
			return -1;
		int rc = db_step(st, e);
		if (rc == DB_ROW) {
			char named[512];
			snprintf(named, sizeof named, "%s (aset %s)", db_col_text(st, 0), v);
			json_object_set_new(fields, f->name, json_string(named));
		}
		db_finalize(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Links the new case to the source's assets (case_assets), each by the
 * way the source was linked to it. O(assets of the source). */
static int carry_assets(app *a, int64_t from, int64_t to, const char *ticket, const char *actor,
			sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT asset_id, via FROM case_assets WHERE case_id = ? ORDER BY asset_id",
			    "i", from) != 0)
		return -1;
	json_t *todo = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(todo, json_pack("[I, s]", (json_int_t)db_col_int(st, 0),
						      db_col_text(st, 1)));
	db_finalize(st);
	size_t i;
	json_t *x;
	json_array_foreach(todo, i, x) {
		if (rc != DB_DONE)
			break;
		if (case_asset_link(a, to, ticket, json_integer_value(json_array_get(x, 0)),
				    json_string_value(json_array_get(x, 1)), actor, e) != 0)
			rc = -1;
	}
	json_decref(todo);
	return rc == DB_DONE ? 0 : -1;
}

/* Where the new case came from, for the link and both pages. */
static char *handover_note(const branch_taken *t, const sop_procedure *from)
{
	buf b = BUF_INIT;
	buf_printf(&b, "Diserahkan dari %s (%s), langkah %d, keputusan \"%s\", oleh %s.", t->ticket,
		   from->nama, t->st->no, t->decision, t->actor);
	const char *k;
	json_t *v;
	json_object_foreach(t->values, k, v) {
		if (!json_is_string(v))
			continue;
		const sop_field *f = step_field(t->st, k);
		buf_printf(&b, "\n%s: %s", f ? f->label : k, json_string_value(v));
	}
	char *note = buf_steal(&b);
	clip_utf8(note, NOTE_MAX);
	return note;
}

/* The outside role's first step, done at once on the source's behalf
 * (see the top); nothing when it needs values or a decision. */
static int report_step(app *a, const sop_entry *en, const sop_procedure *to, int64_t case_id,
		       const char *ticket, const branch_taken *t, sg_err *e)
{
	const sop_step *first = &to->steps[0];
	if (!sop_role_outside(en->sop, first->role) || first->n_branches)
		return 0;
	for (size_t i = 0; i < first->n_fields; i++)
		if (first->fields[i].required)
			return 0;
	int64_t now = app_now(a);
	bool closes = sop_closes(to, first->next);
	int next_no = closes ? 0 : to->steps[first->next].no;
	sla_result sla;
	sla_measure(&a->cfg.cal, &first->waktu, now, now, &sla);
	/* on behalf of the source case, by hand-over (the history reads
	 * "… atas nama CTI-2026-0001 (Pelapor) melalui serah terima") */
	if (db_run(a->db, e,
		   "INSERT INTO step_runs (case_id, seq, step_no, role, actor, started_at, finished_at, "
		   "decision, next_step_no, form_values, waktu, due_at, spent_seconds, sla_met, "
		   "on_behalf_of, channel) "
		   "VALUES (?, 1, ?, ?, ?, ?, ?, NULL, ?, '{}', ?, ?, 0, 1, ?, ?)",
		   "iissiiisiss", case_id, (int64_t)first->no, first->role, t->actor, now, now,
		   (int64_t)next_no, first->waktu.text ? first->waktu.text : "",
		   first->waktu.unit == WAKTU_NONE ? (int64_t)0 : sla.due, t->ticket,
		   HANDOVER_CHANNEL) != 0)
		return -1;
	if (closes ? db_run(a->db, e,
			    "UPDATE cases SET status = 'closed', step_no = NULL, step_started_at = NULL, "
			    "closed_at = ? WHERE id = ?",
			    "ii", now, case_id)
		   : db_run(a->db, e, "UPDATE cases SET step_no = ? WHERE id = ?", "ii",
			    (int64_t)next_no, case_id))
		return -1;
	return logbook_record(a, t->actor, "case.step", "case", ticket,
			      json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:s}", "ticket", ticket,
					"step", first->no, "role", first->role, "on_behalf_of",
					t->ticket, "channel", HANDOVER_CHANNEL, "next", next_no,
					"from", t->ticket),
			      e);
}

static int handover(app *a, const branch_taken *t, const sop_branch *br, sg_err *e)
{
	const sop_procedure *to;
	const sop_entry *en = sops_find_procedure(&a->sops, br->start, &to);
	if (en == NULL)
		return sg_err_set(e, SG_ESTATE,
				  "step %d of %s hands over to procedure '%s', which is not installed "
				  "(see 'sigap sop list')",
				  t->st->no, t->ticket, br->start);
	/* Once per source and target: a step taken again after being sent
	 * back (a report refused at verification, decided anew) must not open
	 * a second incident for one finding. */
	int64_t done = 0;
	if (db_query_int(a->db, e, &done,
			 "SELECT COUNT(*) FROM case_links l JOIN cases c ON c.id = l.to_case "
			 "WHERE l.from_case = ? AND l.kind = 'handover' AND c.procedure_id = ?",
			 "is", t->row->id, to->id) != DB_ROW)
		return -1;
	if (done)
		return 0;
	char src_title[TITLE_MAX + 1] = "", title[TITLE_MAX + 64], ticket[32];
	json_t *known = source_values(a, t->row->id, src_title, sizeof src_title, e);
	if (known == NULL)
		return -1;
	json_t *fields = carried_fields(br, to, known);
	json_decref(known);
	/* a TLP:RED source's title stays with the people of that case: the
	 * new case is seen by its own (and told of by notifications) */
	int64_t red = 0;
	if (db_query_int(a->db, e, &red,
	                 "SELECT COUNT(*) FROM cases WHERE id = ? AND tlp = 'TLP:RED'", "i",
	                 t->row->id) != DB_ROW) {
		json_decref(fields);
		return -1;
	}
	if (red)
		snprintf(title, sizeof title, "Tindak lanjut %s (TLP:RED)", t->ticket);
	else
		snprintf(title, sizeof title, "Tindak lanjut %s: %s", t->ticket, src_title);
	clip_utf8(title, TITLE_MAX);
	char *note = handover_note(t, t->proc);
	int64_t now = app_now(a), new_id = 0;
	json_t *alerts = NULL;
	int r = -1;
	if (asset_names(a, t->proc, br, to, fields, e) != 0 ||
	    case_insert(a, en, to, title, fields, t->actor, NULL, ticket, &new_id, e) != 0)
		goto out;
	if (db_run(a->db, e,
		   "INSERT INTO case_links (from_case, to_case, kind, step_no, decision, note, at, actor) "
		   "VALUES (?, ?, 'handover', ?, ?, ?, ?, ?)",
		   "iiissis", t->row->id, new_id, (int64_t)t->st->no, t->decision, note, now,
		   t->actor) != 0)
		goto out;
	/* The evidence: one custody row per stored content, naming the source. */
	char origin[64];
	snprintf(origin, sizeof origin, "kasus %s", t->ticket);
	if (db_run(a->db, e,
		   "INSERT INTO case_evidence (case_id, sha256, filename, field, added_by, added_at, "
		   "origin) SELECT ?, sha256, filename, field, ?, ?, ? FROM case_evidence "
		   "WHERE id IN (SELECT MIN(id) FROM case_evidence WHERE case_id = ? GROUP BY sha256)",
		   "isisi", new_id, t->actor, now, origin, t->row->id) != 0)
		goto out;
	if (db_run(a->db, e,
		   "INSERT INTO alert_cases (alert_id, case_id, linked_at, linked_by) "
		   "SELECT alert_id, ?, ?, ? FROM alert_cases WHERE case_id = ?",
		   "iisi", new_id, now, t->actor, t->row->id) != 0)
		goto out;
	/* the assets it is about (case_assets.c), each link as the source
	 * had it, so the incident is in the same OPD agents' constituency */
	if (carry_assets(a, t->row->id, new_id, ticket, t->actor, e) != 0)
		goto out;
	/* and its findings (a patch case's, a CTI assessment's: 0017) */
	if (db_run(a->db, e,
		   "INSERT INTO finding_cases (finding_id, case_id, kind, linked_at, linked_by) "
		   "SELECT finding_id, ?, 'handover', ?, ? FROM finding_cases WHERE case_id = ?",
		   "iisi", new_id, now, t->actor, t->row->id) != 0)
		goto out;
	if (logbook_record(a, t->actor, "case.create", "case", ticket,
			   json_pack("{s:s, s:s, s:s, s:O, s:i, s:s, s:s}", "ticket", ticket,
				     "procedure", to->id, "title", title, "fields", fields, "step",
				     to->steps[0].no, "origin", t->origin ? t->origin : "", "from",
				     t->ticket),
			   e) != 0)
		goto out;
	if (logbook_record(a, t->actor, "case.handover", "case", t->ticket,
			   json_pack("{s:s, s:s, s:i, s:s}", "to", ticket, "procedure", to->id,
				     "step", t->st->no, "decision", t->decision),
			   e) != 0)
		goto out;
	alerts = alert_list_case(a, new_id, NULL, e);
	if (alerts == NULL)
		goto out;
	if (json_array_size(alerts)) {
		json_t *ids = json_array();
		size_t i;
		json_t *al;
		json_array_foreach(alerts, i, al) json_array_append(ids, json_object_get(al, "id"));
		if (logbook_record(a, t->actor, "alert.case", "case", ticket,
				   json_pack("{s:o, s:s}", "alerts", ids, "from", t->ticket), e) != 0)
			goto out;
	}
	r = report_step(a, en, to, new_id, ticket, t, e);
	/* told once it stands where it waits (after the report step) */
	if (r == 0)
		r = outbox_case(a, ticket, t->actor, e);
out:
	json_decref(alerts);
	json_decref(fields);
	free(note);
	return r;
}

int case_branch_taken(app *a, const branch_taken *t, sg_err *e)
{
	const sop_branch *br = branch_of(t->st, t->decision);
	if (br == NULL)
		return 0;
	if (br->alerts && alerts_verdict(a, t, br, e) != 0)
		return -1;
	if (br->start && handover(a, t, br, e) != 0)
		return -1;
	return 0;
}

/* ---- reading the links ---- */

json_t *case_links_json(app *a, int64_t case_id, const case_viewer *v, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(
		    a->db, &st, e,
		    "SELECT 'to', c.ticket, c.title, c.status, c.procedure_id, l.kind, l.step_no, "
		    "l.decision, l.note, l.at, l.actor, c.id, c.tlp FROM case_links l "
		    "JOIN cases c ON c.id = l.to_case WHERE l.from_case = ? "
		    "UNION ALL "
		    "SELECT 'from', c.ticket, c.title, c.status, c.procedure_id, l.kind, l.step_no, "
		    "l.decision, l.note, l.at, l.actor, c.id, c.tlp FROM case_links l "
		    "JOIN cases c ON c.id = l.from_case WHERE l.to_case = ? ORDER BY 10, 2",
		    "ii", case_id, case_id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		/* the other case only when v may know it (need-to-know) */
		case_sight sight;
		if (case_sight_of(a, v, db_col_int(st, 11), db_col_text(st, 4),
				  db_col_null(st, 12) ? NULL : db_col_text(st, 12), &sight, e) != 0) {
			rc = -1;
			break;
		}
		if (sight == CASE_SEE_NONE)
			continue;
		const sop_procedure *p;
		const char *proc_id = db_col_text(st, 4);
		const sop_entry *en = sops_find_procedure(&a->sops, proc_id, &p);
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:I, s:s?, s:s, s:I, s:s}",
				       "direction", db_col_text(st, 0), "ticket", db_col_text(st, 1),
				       "title", db_col_text(st, 2), "status", db_col_text(st, 3),
				       "procedure", "id", proc_id, "nama", en ? p->nama : proc_id,
				       "kind", db_col_text(st, 5), "step_no",
				       (json_int_t)db_col_int(st, 6),
				       "decision", db_col_null(st, 7) ? NULL : db_col_text(st, 7),
				       "note", db_col_text(st, 8), "at", (json_int_t)db_col_int(st, 9),
				       "actor", db_col_text(st, 10)));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
