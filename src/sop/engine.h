/*
 * engine.h: the rules of running an SOP procedure, without storage.
 *
 * A case is one run of a procedure. It stands on one step at a time; a
 * user holding the step's role completes it with the step's form values
 * and, at a decision, one of the decision's labels; the step's flow says
 * where the case goes next, or that it closes. These functions answer
 * "is this allowed, and where does it lead"; app/case.c stores the answer.
 */
#ifndef SG_SOP_ENGINE_H
#define SG_SOP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "sop.h"

typedef struct sop_value {
	const char *name;
	const char *value;
} sop_value;

/* Limits on one value, in bytes. */
#define SOP_VALUE_MAX_TEXT 2000
#define SOP_VALUE_MAX_TEXTAREA 65536

/* Where completing step st with this decision (NULL when none) leads:
 * a step index or SOP_END. Refuses a missing or unknown decision, and a
 * decision on a step that has none. */
int sop_step_next(const sop_step *st, const char *decision, int *next, sg_err *e);

/* The fields the chosen branch of a decision needs (its wajib) are among
 * the values and not empty. Call after sop_step_next accepted decision. */
int sop_branch_check(const sop_step *st, const char *decision, const sop_value *v,
		     size_t n_values, sg_err *e);

/* True when a case standing after this transition is closed: the flow
 * ended, or it reached an end row ("Selesai"). */
bool sop_closes(const sop_procedure *p, int next);

/* Checks form values against the fields: every name known, every value
 * of its field's type, every required field present and not empty. */
int sop_values_check(const sop_field *fields, size_t n_fields, const sop_value *v,
		     size_t n_values, sg_err *e);

/* Whether a user with these roles may complete step st. */
bool sop_role_allowed(const sop_step *st, const char *const *roles, size_t n_roles);

#endif
