/*
 * chart.h: charts drawn by the server as inline SVG (no script, no
 * styles: presentation attributes only, which the Content-Security-Policy
 * allows).
 */
#ifndef SG_WEB_CHART_H
#define SG_WEB_CHART_H

#include "http.h"

typedef struct chart_bar {
	const char *label;
	double value;
	const char *href; /* a link for the bar, or NULL */
	const char *text; /* what to print at the bar's end (the value) */
} chart_bar;

/* A horizontal bar chart; bars scaled to the largest value (or to max
 * when max > 0, e.g. 1.0 for rates). title names it for screen readers. */
void chart_bars(web_res *res, const char *title, const chart_bar *bars, size_t n, double max);

#endif
