/*
 * classify.h: ENISA incident taxonomy, priority from impact x urgency, TLP
 * 2.0 labels; and the case attributes a step's form values set.
 */
#ifndef SG_CLASSIFY_H
#define SG_CLASSIFY_H

#include <jansson.h>
#include <stdbool.h>

#include "base/err.h"

typedef struct enisa_class {
	const char *name;
	const char *const *types; /* NULL-terminated */
} enisa_class;

extern const enisa_class enisa_taxonomy[]; /* ends with {NULL, NULL} */
extern const char *const tlp_labels[];      /* NULL-terminated */
extern const char *const priority_levels[]; /* Rendah … Kritis */

const enisa_class *enisa_find(const char *cls);
/* The label of an ENISA class or type code, in Indonesian or English;
 * NULL for a code not in the taxonomy. O(codes). */
const char *enisa_label(const char *code, bool english);
/* "Rendah" … "Kritis", or NULL when either is not Rendah/Sedang/Tinggi. */
const char *priority_of(const char *impact, const char *urgency);

/* Case attributes found in form values; NULL members were not given.
 * Strings are borrowed from the values. */
typedef struct case_attrs {
	const char *category;
	const char *type;
	const char *priority;
	const char *tlp;
} case_attrs;

/* Reads kategori, jenis, dampak, urgensi, prioritas and tlp from values
 * and checks them against the taxonomy and label sets. */
int classify_values(json_t *values, case_attrs *out, sg_err *e);

#endif
