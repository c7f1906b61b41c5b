/*
 * filter.h: the case list's filters, read from a query string: the pages
 * use Indonesian parameter names (prosedur, langkah, …), the API English
 * ones (procedure, step, …); the rules are the same.
 */
#ifndef SG_WEB_FILTER_H
#define SG_WEB_FILTER_H

#include "http.h"

typedef enum { FILTER_PAGE, FILTER_API } filter_names;

/* Fills f (strings borrowed from r). Returns -1 with a message naming
 * the parameter when a value is malformed. page_size is the default and
 * largest limit. */
int filter_read(const web_req *r, filter_names names, case_filter *f, int page_size, sg_err *e);

#endif
