/*
 * cef.h: Common Event Format records ("CEF:0|vendor|product|…|ext").
 */
#ifndef SG_DETECT_CEF_H
#define SG_DETECT_CEF_H

#include "detect/engine/event.h"

/* Adds the header and extension fields of the CEF record at line (which
 * starts with "CEF:") to ev; returns 0, or -1 (adding nothing) when the
 * header has fewer than seven fields. */
int det_cef_parse(const char *line, size_t n, det_event *ev);

#endif
