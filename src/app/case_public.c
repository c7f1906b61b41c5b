/*
 * case_public.c: what a citizen who reported an incident may see of it.
 *
 * The reporter holds the ticket and a tracking code (case_report_public);
 * with both, the public status shows the case's state and dates, the
 * stage it stands at and the stages done (an SOP step's tahap_publik; the
 * legal branch's steps share one stage, so which was taken never shows),
 * and
 * the values of the fields the SOP marks `publik: true` (the closing text
 * written for the reporter at the incident SOP's step 12). Nothing else an
 * officer wrote: no names, other form values, comments, evidence, and no
 * decision labels ("Insiden", "Ya" on the legal branch), which are the
 * team's internal judgement. A wrong code and an unknown ticket get the
 * same answer, so tickets cannot be probed.
 */
#include <sodium.h>
#include <string.h>

#include "app.h"
#include "base/hash.h"
#include "case_row.h"

/* The code as typed: case and the dashes and spaces of its display form
 * do not matter. */
static void normalise(const char *in, char out[21])
{
	size_t k = 0;
	for (; *in && k < 20; in++) {
		char c = *in;
		if (c == '-' || c == ' ')
			continue;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[k] = '\0';
}

/* The values of the fields marked publik among values (a JSON object of
 * a form), appended to out as {label, value, at}. O(fields). */
void case_public_values(const sop_field *f, size_t n, json_t *values, int64_t at, json_t *out)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = json_string_value(json_object_get(values, f[i].name));
		if (f[i].publik && v && *v)
			json_array_append_new(out, json_pack("{s:s, s:s, s:I}", "label", f[i].label,
			                                     "value", v, "at", (json_int_t)at));
	}
}

/* What the reporter is told of a step: its public stage (tahap_publik)
 * numbered among the procedure's distinct stages, so that the branch a
 * case took (the police or not) shows in neither name nor number; or,
 * in an SOP that names no stages, the step's own text and number. */
typedef struct public_step {
	const char *name;
	int no, of;
} public_step;

static public_step public_step_of(const sop_procedure *proc, const sop_step *st)
{
	public_step p = {st->uraian, st->no, (int)proc->n_steps};
	if (st->tahap_publik == NULL)
		return p;
	int n = 0;
	p.name = st->tahap_publik;
	for (size_t i = 0; i < proc->n_steps; i++) {
		const char *t = proc->steps[i].tahap_publik;
		if (t == NULL || proc->steps[i].terminator)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = proc->steps[j].tahap_publik && strcmp(proc->steps[j].tahap_publik, t) == 0;
		if (seen)
			continue;
		n++;
		if (strcmp(t, st->tahap_publik) == 0)
			p.no = n;
	}
	p.of = n;
	return p;
}

/* The steps done, by their SOP names, and what was written for the
 * reporter: "steps": [{no, uraian, finished_at}], "public": [{label,
 * value, at}], "updated_at". O(steps done x fields of a step). */
static int done_steps(app *a, int64_t case_id, const sop_procedure *proc, json_t *o, sg_err *e)
{
	json_t *steps = json_array(), *pub = json_array();
	db_stmt *h;
	if (db_prepare_bind(a->db, &h, e,
	                    "SELECT step_no, finished_at, form_values FROM step_runs "
	                    "WHERE case_id = ? ORDER BY seq",
	                    "i", case_id) != 0)
		goto fail;
	int rc;
	int64_t last = 0;
	while ((rc = db_step(h, e)) == DB_ROW) {
		int no = (int)db_col_int(h, 0);
		int64_t at = db_col_int(h, 1);
		int idx = sop_step_index(proc, no);
		if (idx < 0)
			continue;
		const sop_step *st = &proc->steps[idx];
		public_step ps = public_step_of(proc, st);
		json_t *prev = json_array_get(steps, json_array_size(steps) - 1);
		if (prev && st->tahap_publik &&
		    strcmp(json_string_value(json_object_get(prev, "uraian")), ps.name) == 0)
			/* the same stage goes on: one line, its last time */
			json_object_set_new(prev, "finished_at", json_integer(at));
		else
			json_array_append_new(steps, json_pack("{s:i, s:s, s:I}", "no", ps.no, "uraian",
			                                       ps.name, "finished_at", (json_int_t)at));
		json_t *values = json_loads(db_col_text(h, 2), 0, NULL);
		case_public_values(st->fields, st->n_fields, values, at, pub);
		json_decref(values);
		last = at;
	}
	db_finalize(h);
	if (rc < 0)
		goto fail;
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "public", pub);
	if (last)
		json_object_set_new(o, "updated_at", json_integer(last));
	return 0;
fail:
	json_decref(steps);
	json_decref(pub);
	return -1;
}

json_t *case_public_status(app *a, const char *ticket, const char *tracking, sg_err *e)
{
	char code[21], hash[65];
	normalise(tracking, code);
	sha256_hex(code, strlen(code), hash);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " CASE_ROW_COLUMNS ", tracking_hash, created_at, closed_at, fields "
	                    "FROM cases WHERE ticket = ?",
	                    "s", ticket) != 0)
		return NULL;
	int rc = db_step(st, e);
	if (rc < 0) {
		db_finalize(st);
		return NULL;
	}
	const char *stored = rc == DB_ROW ? db_col_text(st, 6) : NULL;
	if (stored == NULL || strlen(stored) != 64 || sodium_memcmp(stored, hash, 64) != 0) {
		db_finalize(st);
		sg_err_set(e, SG_ENOTFOUND, "no case with this ticket and tracking code");
		return NULL;
	}
	case_row row;
	case_row_read(st, &row);
	json_t *o =
	    json_pack("{s:s, s:s, s:I}", "ticket", ticket, "status", row.open ? "open" : "closed",
	              "created_at", (json_int_t)db_col_int(st, 7));
	if (!db_col_null(st, 8))
		json_object_set_new(o, "closed_at", json_integer(db_col_int(st, 8)));
	json_t *fields = json_loads(db_col_text(st, 9), 0, NULL);
	db_finalize(st);
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, e);
	if (proc == NULL) {
		json_decref(fields);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "sop", json_string(en->sop->nama));
	int idx = row.open ? sop_step_index(proc, row.step_no) : -1;
	if (idx >= 0) {
		public_step ps = public_step_of(proc, &proc->steps[idx]);
		json_object_set_new(o, "step", json_pack("{s:i, s:s, s:i}", "no", ps.no, "uraian",
		                                         ps.name, "of", ps.of));
	}
	int r = done_steps(a, row.id, proc, o, e);
	if (r == 0) /* the report's own fields marked publik too */
		case_public_values(proc->fields, proc->n_fields, fields,
		              json_integer_value(json_object_get(o, "created_at")),
		              json_object_get(o, "public"));
	json_decref(fields);
	if (r != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int case_reply_code(app *a, const char *ticket, char out[REPLY_CODE_LEN + 1], sg_err *e)
{
	static const char alphabet[] = CODE_ALPHABET_UPPER;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT tracking_hash FROM cases WHERE ticket = ? AND "
	                    "tracking_hash IS NOT NULL",
	                    "s", ticket) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		char in[400];
		unsigned char h[crypto_hash_sha256_BYTES];
		snprintf(in, sizeof in, "sigap-balasan:%s:%s", ticket, db_col_text(st, 0));
		crypto_hash_sha256(h, (const unsigned char *)in, strlen(in));
		for (int i = 0; i < REPLY_CODE_LEN; i++)
			out[i] = alphabet[h[i] % (sizeof alphabet - 1)];
		out[REPLY_CODE_LEN] = '\0';
	}
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
