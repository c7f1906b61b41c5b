/*
 * logbook_text.h: a logbook entry as a sentence in the request's language
 * (logbook_text.c).
 */
#ifndef SG_WEB_LOGBOOK_TEXT_H
#define SG_WEB_LOGBOOK_TEXT_H

#include <jansson.h>

#include "http.h"

/* Writes the entry (as logbook_query gives it) as one escaped sentence:
 * "Langkah 4 diselesaikan oleh rina: Insiden". */
void html_logbook_sentence(const web_req *r, web_res *res, json_t *entry);

/* The action kinds the logbook page filters by (NULL-terminated):
 * "case", "alert", "ioc", "sop", "user", "token", "opd", "asset". */
enum { LOGBOOK_N_KINDS = 9 };
extern const char *const logbook_kinds[LOGBOOK_N_KINDS + 1];

#endif
