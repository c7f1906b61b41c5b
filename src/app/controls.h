/*
 * controls.h: the catalogue of controls (controls.c, docs/controls.md).
 */
#ifndef SG_CONTROLS_H
#define SG_CONTROLS_H

#include <jansson.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/err.h"

typedef struct ctl_control {
	char *id, *title, *description;
} ctl_control;

typedef struct ctl_framework {
	char *id, *name, *source;
	char *file; /* "builtin:NAME.yaml" or the path it was read from */
	ctl_control *v;
	size_t n;
} ctl_framework;

typedef struct ctl_registry {
	ctl_framework *v;
	size_t n;
} ctl_registry;

/* The shipped frameworks, then the *.yaml files of dir (NULL: none),
 * which add frameworks or replace a shipped one of the same id. Every
 * problem goes to d as FILE:LINE:COL; -1 when any. */
int controls_load(ctl_registry *r, const char *dir, diags *d);
/* One file's framework into r (file names it in diagnostics). */
int controls_parse(const char *data, size_t len, const char *file, ctl_registry *r, diags *d);
void controls_free(ctl_registry *r);
/* The control id of framework, or NULL. */
const ctl_control *controls_find(const ctl_registry *r, const char *framework, const char *id);
/* The control a reference names, "FRAMEWORK:ID" as exceptions and
 * policies write it (indeks-kami-4:III), or NULL. */
const ctl_control *controls_find_ref(const ctl_registry *r, const char *ref);
/* 0 when ref names a control of the catalogue, else SG_EINVAL saying
 * how a reference is written. */
int controls_check_ref(const ctl_registry *r, const char *ref, sg_err *e);
/* [{framework, name, source, shipped, controls: [{id, title,
 * description}]}]: the frameworks (framework NULL or "": all), their
 * controls whose id, title or description hold q (any case; NULL: all). */
json_t *controls_json(const ctl_registry *r, const char *framework, const char *q);

#endif
