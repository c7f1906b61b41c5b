/*
 * validate.c: flow checks of a loaded SOP, procedure by procedure.
 *
 * Resolves every `next` and branch to a step index, then checks the graph:
 * every step is reachable from the first (forward search), and from every
 * step an end can be reached (backward search from the ends), so no case
 * can be stranded in a loop with no way out. Loops with an exit are fine
 * (seed 003 loops from step 4 back to step 3). O(steps + edges).
 *
 * A branch's hand-over (start, carry) is checked in two halves: here what
 * the file alone can say (a carried field is one of this procedure's),
 * and in sop_check_starts, given the SOPs loaded with it, that the
 * procedure it starts exists and has the fields carried into it.
 */
#include "sop.h"

#include <stdlib.h>
#include <string.h>

static int resolve(sop *s, sop_procedure *p, diags *d)
{
	int errors = 0;
	for (size_t i = 0; i < p->n_steps; i++) {
		sop_step *st = &p->steps[i];
		if (st->terminator) {
			st->next = SOP_END;
			continue;
		}
		for (size_t b = 0; b < st->n_branches; b++) {
			sop_branch *br = &st->branches[b];
			if (br->target_no == 0) {
				br->target = SOP_END;
				continue;
			}
			br->target = sop_step_index(p, br->target_no);
			if (br->target < 0) {
				diags_add(d, s->file, br->line, br->col,
					  "step %d: branch '%s' goes to step %d, which does not exist",
					  st->no, br->label, br->target_no);
				errors++;
			}
		}
		if (st->n_branches)
			continue;
		if (st->next_no == -1) {
			/* No next: the following row, or the end after the last. */
			st->next = i + 1 < p->n_steps ? (int)i + 1 : SOP_END;
		} else if (st->next_no == 0) {
			st->next = SOP_END;
		} else {
			st->next = sop_step_index(p, st->next_no);
			if (st->next < 0) {
				diags_add(d, s->file, st->next_line, st->next_col,
					  "step %d: next goes to step %d, which does not exist", st->no,
					  st->next_no);
				errors++;
			}
		}
	}
	return errors;
}

/* Successors of step i; SOP_END is left out. Returns how many. */
static size_t successors(const sop_step *st, int *out)
{
	size_t n = 0;
	if (st->terminator)
		return 0;
	if (st->n_branches) {
		for (size_t b = 0; b < st->n_branches; b++)
			if (st->branches[b].target >= 0)
				out[n++] = st->branches[b].target;
	} else if (st->next >= 0) {
		out[n++] = st->next;
	}
	return n;
}

static bool ends(const sop_step *st)
{
	if (st->terminator)
		return true;
	if (st->n_branches) {
		for (size_t b = 0; b < st->n_branches; b++)
			if (st->branches[b].target == SOP_END)
				return true;
		return false;
	}
	return st->next == SOP_END;
}

static int check_graph(sop *s, sop_procedure *p, diags *d)
{
	size_t n = p->n_steps;
	int errors = 0;
	bool *reach = calloc(n, sizeof *reach), *live = calloc(n, sizeof *live);
	int *stack = calloc(n + 1, sizeof *stack);
	size_t max_out = 1;
	for (size_t i = 0; i < n; i++)
		if (p->steps[i].n_branches > max_out)
			max_out = p->steps[i].n_branches;
	int *succ = calloc(max_out, sizeof *succ);
	if (!reach || !live || !stack || !succ)
		abort();

	/* Forward: reachable from the first step. */
	size_t top = 0;
	stack[top++] = 0;
	reach[0] = true;
	while (top) {
		const sop_step *st = &p->steps[stack[--top]];
		size_t k = successors(st, succ);
		for (size_t j = 0; j < k; j++)
			if (!reach[succ[j]]) {
				reach[succ[j]] = true;
				stack[top++] = succ[j];
			}
	}
	/* Backward: can reach an end. Iterate to a fixed point; n is small
	 * (tens of steps), so O(n * edges) is fine and needs no reverse graph. */
	for (size_t i = 0; i < n; i++)
		live[i] = ends(&p->steps[i]);
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < n; i++) {
			if (live[i])
				continue;
			size_t k = successors(&p->steps[i], succ);
			for (size_t j = 0; j < k; j++)
				if (live[succ[j]]) {
					live[i] = changed = true;
					break;
				}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const sop_step *st = &p->steps[i];
		if (!reach[i]) {
			diags_add(d, s->file, st->line, st->col,
				  "step %d cannot be reached from step %d", st->no, p->steps[0].no);
			errors++;
		} else if (!live[i]) {
			diags_add(d, s->file, st->line, st->col,
				  "step %d cannot reach the end of the procedure (a loop with no way out)",
				  st->no);
			errors++;
		}
	}
	if (p->steps[0].terminator) {
		diags_add(d, s->file, p->steps[0].line, p->steps[0].col,
			  "the first step of a procedure cannot be an end row");
		errors++;
	}
	free(reach);
	free(live);
	free(stack);
	free(succ);
	return errors;
}

static bool has_field(const sop_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return true;
	return false;
}

/* A field of the procedure: of its case, or of one of its steps. */
static bool proc_has_field(const sop_procedure *p, const char *name)
{
	if (has_field(p->fields, p->n_fields, name))
		return true;
	for (size_t i = 0; i < p->n_steps; i++)
		if (has_field(p->steps[i].fields, p->steps[i].n_fields, name))
			return true;
	return false;
}

static int check_carry(sop *s, const sop_procedure *p, diags *d)
{
	int errors = 0;
	for (size_t i = 0; i < p->n_steps; i++)
		for (size_t b = 0; b < p->steps[i].n_branches; b++) {
			const sop_branch *br = &p->steps[i].branches[b];
			for (size_t k = 0; k < br->n_carry; k++)
				if (!proc_has_field(p, br->carry_from[k])) {
					diags_add(d, s->file, br->carry_line, br->carry_col,
						  "step %d: branch '%s' carries '%s', which is not a field of "
						  "procedure '%s'",
						  p->steps[i].no, br->label, br->carry_from[k], p->id);
					errors++;
				}
		}
	return errors;
}

int sop_check_starts(const sop *s, const sop *const *all, size_t n, diags *d)
{
	int errors = 0;
	for (size_t i = 0; i < s->n_procs; i++) {
		const sop_procedure *p = &s->procs[i];
		for (size_t k = 0; k < p->n_steps; k++)
			for (size_t b = 0; b < p->steps[k].n_branches; b++) {
				const sop_branch *br = &p->steps[k].branches[b];
				if (br->start == NULL)
					continue;
				const sop_procedure *to = NULL;
				for (size_t j = 0; j < n && to == NULL; j++)
					to = sop_find_procedure(all[j], br->start);
				if (to == NULL) {
					diags_add(d, s->file, br->start_line, br->start_col,
						  "step %d: branch '%s' starts procedure '%s', which no "
						  "loaded SOP has (see 'sigap sop list')",
						  p->steps[k].no, br->label, br->start);
					errors++;
					continue;
				}
				if (strcmp(to->id, p->id) == 0) {
					diags_add(d, s->file, br->start_line, br->start_col,
						  "step %d: branch '%s' starts its own procedure '%s'",
						  p->steps[k].no, br->label, br->start);
					errors++;
					continue;
				}
				for (size_t c = 0; c < br->n_carry; c++)
					if (!has_field(to->fields, to->n_fields, br->carry_to[c])) {
						diags_add(d, s->file, br->carry_line, br->carry_col,
							  "step %d: branch '%s' carries into '%s', which is "
							  "not a case field of procedure '%s'",
							  p->steps[k].no, br->label, br->carry_to[c], to->id);
						errors++;
					}
			}
	}
	return errors;
}

int sop_validate(sop *s, diags *d)
{
	int errors = 0;
	for (size_t i = 0; i < s->n_procs; i++) {
		sop_procedure *p = &s->procs[i];
		if (p->n_steps == 0)
			continue;
		errors += check_carry(s, p, d);
		int e = resolve(s, p, d);
		errors += e;
		if (e == 0)
			errors += check_graph(s, p, d);
	}
	return errors;
}

int sop_check_docs(const sop *s, bool (*known)(const char *id, void *ctx), void *ctx, diags *d)
{
	int problems = 0;
	for (size_t p = 0; p < s->n_procs; p++)
		for (size_t i = 0; i < s->procs[p].n_steps; i++) {
			const sop_step *st = &s->procs[p].steps[i];
			for (size_t k = 0; k < st->n_docs; k++)
				if (!known(st->docs[k].template_id, ctx)) {
					diags_add(d, s->file, st->docs[k].line, st->docs[k].col,
						  "step %d: no document template '%s' (the templates "
						  "shipped, or [dokumen] templates)",
						  st->no, st->docs[k].template_id);
					problems++;
				}
		}
	return problems;
}
