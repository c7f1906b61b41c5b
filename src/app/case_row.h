/*
 * case_row.h: the stored row of a case as the case modules read it
 * (cases.c, case_query.c, case_notes.c, case_public.c); not for callers
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
/* The procedure a case row runs (from the SOP version it began on). */
const sop_procedure *case_procedure(app *a, const case_row *row, const sop_entry **en,
				    sg_err *e);
bool roles_hold(json_t *roles, const char *role);

#endif
