/*
 * case_row.h: the stored row of a case as the case modules read it
 * (cases.c, case_query.c, case_notes.c, case_public.c, case_flows.c,
 * case_links.c), and what those share among themselves; not for callers
 * outside src/app.
 */
#ifndef SG_CASE_ROW_H
#define SG_CASE_ROW_H

#include "app.h"

typedef struct case_row {
	int64_t id;
	char procedure_id[128];
	char sha[65];
	bool open;
	int step_no;
	int64_t step_started_at;
} case_row;

/* Columns 0..5 of a statement that starts "SELECT id, procedure_id,
 * sop_sha256, status, step_no, step_started_at". */
#define CASE_ROW_COLUMNS "id, procedure_id, sop_sha256, status, step_no, step_started_at"

void case_row_read(db_stmt *st, case_row *row);
int load_case_row(app *a, const char *ticket, case_row *row, sg_err *e);
/* Begins the transaction of a change made by whoever sees the whole
 * case: checks user's sight inside it (case_need_sight, CASE_SEE_FULL)
 * and reads the row. On failure the transaction is rolled back. */
int case_begin_whole(app *a, const char *user, const char *ticket, case_row *row, sg_err *e);
/* The procedure a case row runs (from the SOP version it began on). */
const sop_procedure *case_procedure(app *a, const case_row *row, const sop_entry **en,
				    sg_err *e);
bool roles_hold(json_t *roles, const char *role);
/* Whether user holds role: 1, 0, or -1 when the user cannot be read
 * (unknown, disabled: e says which). */
int user_holds(app *a, const char *user, const char *role, sg_err *e);
/* Whether roles hold a staff role of s: one of its roles that is not an
 * outside actor's (luar). */
bool roles_staff_of(const sop *s, json_t *roles);
/* The values of the fields marked publik among values (a form's JSON
 * object), appended to out as {label, value, at} (case_public.c). */
void case_public_values(const sop_field *f, size_t n, json_t *values, int64_t at, json_t *out);
/* Whether nobody named on the case (enabled) holds st's role, or for an
 * outside actor's step a role that may act for it: on a TLP:RED case,
 * nobody can see the step to do it. */
int case_unattended(app *a, const sop *s, const sop_step *st, int64_t case_id, bool *out,
		    sg_err *e);
/* Inside a transaction: a new case of proc with its title and case field
 * values (the attributes they carry set too), numbered by the ticket
 * counter; no logbook entry (the caller writes it). tracking_hash may be
 * NULL. */
int case_insert(app *a, const sop_entry *en, const sop_procedure *proc, const char *title,
		json_t *fields, const char *actor, const char *tracking_hash, char ticket[32],
		int64_t *case_id, sg_err *e);

/* What taking a branch does besides moving the case (case_handover.c):
 * the verdict on the case's alerts (alerts:) and the hand-over to another
 * procedure (start:). Called by advance() inside its transaction, after
 * the step run is stored. */
typedef struct branch_taken {
	const case_row *row;
	const char *ticket;
	const sop_procedure *proc;
	const sop_step *st;
	const char *decision; /* the label as the SOP spells it */
	json_t *values;       /* the step's values */
	const char *actor, *origin;
} branch_taken;
int case_branch_taken(app *a, const branch_taken *t, sg_err *e);
/* What a step marked catat: writes of its record (exceptions.c): called
 * by advance() inside its transaction for every step completed (decision
 * NULL when the step is none); a refusal undoes the step. */
int exception_on_step(app *a, const branch_taken *t, sg_err *e);
/* The same for the library of policies (policies.c). */
int policy_on_step(app *a, const branch_taken *t, sg_err *e);
/* The cases linked to a case that v may see, both ways: [{direction "to"
 * (handed over to) or "from", ticket, title, status, procedure {id, nama},
 * kind, step_no, decision, note, at, actor}]. */
json_t *case_links_json(app *a, int64_t case_id, const case_viewer *v, sg_err *e);

/* A name typed for a person (an outside actor, a link's recipient). */
enum { PERSON_NAME_MAX = 200 };
int check_person_name(const char *name, sg_err *e);

/* Who completes a step (cases.c's advance). */
typedef enum { BY_USER, BY_PUBLIC_REPORTER, BY_LINK } step_by;
/* The actor recorded for a step done through a link; the recipient's
 * name goes beside it (on_behalf_of), never into the actor column, which
 * names accounts (a recipient called like a user must not become one). */
#define LINK_ACTOR "tautan"

/* The open case, its procedure and the step it stands on; SG_ESTATE when
 * closed. */
int step_standing(app *a, const char *ticket, case_row *row, const sop_entry **en,
		  const sop_procedure **proc, const sop_step **st, sg_err *e);
/* Whether a user with these roles may complete st: holding its role, or,
 * on_behalf, holding a role the SOP lets act for st's outside role. */
int step_actor_check(const sop *s, const sop_step *st, const char *ticket, const char *user,
		     json_t *roles, bool on_behalf, sg_err *e);

/* case_step for a link's recipient (token_hash: the link's). */
int case_step_link(app *a, const char *token_hash, const case_step_req *req,
		   case_step_result *out, sg_err *e);

/* case_links.c, inside the step's transaction: the link of this hash is
 * for the case's current step visit, unused, unrevoked and unexpired;
 * marks it used and fills its id and recipient. */
int link_claim(app *a, const char *token_hash, const case_row *row, int64_t now,
	       int64_t *link_id, char recipient[PERSON_NAME_MAX + 1], sg_err *e);
/* Inside a transaction that moves the case: revokes the links still open
 * for it, with a logbook entry each (why: step_done, sent_back). */
int links_revoke_open(app *a, int64_t case_id, const char *ticket, const char *actor,
		      const char *why, sg_err *e);

#endif
