/*
 * api.h: what the API handlers share: reading a JSON body with a closed
 * set of keys, values objects into SOP values, errors in the one shape.
 */
#ifndef SG_WEB_API_H
#define SG_WEB_API_H

#include "http.h"
#include "sop/engine.h"

enum { API_MAX_VALUES = 64 };

/* The body as a JSON object whose keys are all in allowed (NULL-ended);
 * NULL after answering 400 otherwise. */
json_t *api_body(web_req *r, web_res *res, const char *const *allowed);
/* Whether every query parameter is in allowed (NULL-ended; "lang", the
 * language of the answer, always is); false after answering 400 naming
 * the first that is not: a misspelt parameter is never silently ignored
 * (an import without the "partial" it meant would close findings). */
bool api_query(const web_req *r, web_res *res, const char *const *allowed);
/* Whether the request is multipart (values then come from the form). */
bool api_is_multipart(const web_req *r);
/* {"name": "text", …} into values borrowed from obj; -1 after answering
 * 400 when a value is not a string or there are too many. */
int api_values(web_res *res, json_t *obj, const char *what, sop_value *out, size_t *n);
/* Answers an app error. */
void api_fail(web_res *res, const sg_err *e);

#endif
