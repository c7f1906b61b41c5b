/*
 * case_public.c: what a citizen who reported an incident may see of it.
 *
 * The reporter holds the ticket and a tracking code (case_report_public);
 * with both, the public status shows the case's state and the SOP step it
 * stands on, which are public text of a public SOP, and nothing an officer
 * wrote: no names, form values, comments or evidence. A wrong code and an
 * unknown ticket get the same answer, so tickets cannot be probed.
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

json_t *case_public_status(app *a, const char *ticket, const char *tracking, sg_err *e)
{
	char code[21], hash[65];
	normalise(tracking, code);
	sha256_hex(code, strlen(code), hash);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " CASE_ROW_COLUMNS ", tracking_hash, created_at, closed_at "
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
	db_finalize(st);
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, e);
	if (proc == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "sop", json_string(en->sop->nama));
	int idx = row.open ? sop_step_index(proc, row.step_no) : -1;
	if (idx >= 0)
		json_object_set_new(o, "step",
		                    json_pack("{s:i, s:s, s:i}", "no", row.step_no, "uraian",
		                              proc->steps[idx].uraian, "of", (int)proc->n_steps));
	/* How it ended: the decisions taken on the way are SOP labels
	 * ("Bukan Insiden", "Ya"), not officers' words. */
	if (!row.open) {
		db_stmt *h;
		if (db_prepare_bind(
		        a->db, &h, e,
		        "SELECT decision FROM step_runs WHERE case_id = ? AND decision IS NOT "
		        "NULL ORDER BY seq",
		        "i", row.id) != 0) {
			json_decref(o);
			return NULL;
		}
		json_t *d = json_array();
		while (db_step(h, NULL) == DB_ROW)
			json_array_append_new(d, json_string(db_col_text(h, 0)));
		db_finalize(h);
		json_object_set_new(o, "decisions", d);
	}
	return o;
}
