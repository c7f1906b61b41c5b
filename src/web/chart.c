/*
 * chart.c: horizontal bar charts in SVG. The label column is sized by the
 * longest label (approximated at 7.2 px a character, as the font is the
 * page's); bars fill the rest of a 640-unit-wide view box, which the page
 * scales to its width, so a chart reads on a phone too.
 */
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "chart.h"
#include "html.h"

enum { WIDTH = 640, ROW = 26, BAR = 18 };

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void chart_bars(web_res *res, const char *title, const chart_bar *bars, size_t n, double max)
{
	size_t longest = 4;
	double top = max;
	for (size_t i = 0; i < n; i++) {
		size_t c = chars(bars[i].label);
		if (c > longest)
			longest = c;
		if (max <= 0 && bars[i].value > top)
			top = bars[i].value;
	}
	if (longest > 46)
		longest = 46;
	int label_w = (int)((double)longest * 7.2) + 10;
	int bar_w = WIDTH - label_w - 60;
	int height = (int)n * ROW + 4;
	hprintf(res, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", WIDTH,
	        height);
	h(res, title);
	hraw(res, "\"><title>");
	h(res, title);
	hraw(res, "</title>");
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * ROW + 2;
		double frac = top > 0 ? bars[i].value / top : 0;
		if (frac < 0)
			frac = 0;
		if (frac > 1)
			frac = 1;
		int w = (int)(frac * bar_w + 0.5);
		if (bars[i].href) {
			hraw(res, "<a href=\"");
			h(res, bars[i].href);
			hraw(res, "\">");
		}
		hprintf(res,
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\" "
		        "fill=\"#1d2b36\">",
		        label_w - 6, y + 13);
		h(res, bars[i].label);
		hprintf(res,
		        "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" "
		        "fill=\"#1f6f8b\"></rect><text x=\"%d\" y=\"%d\" font-size=\"12\" "
		        "fill=\"#1d2b36\">",
		        label_w, y, w > 0 ? w : 1, BAR, label_w + (w > 0 ? w : 1) + 5, y + 13);
		h(res, bars[i].text);
		hraw(res, "</text>");
		if (bars[i].href)
			hraw(res, "</a>");
	}
	hraw(res, "</svg>\n");
}
