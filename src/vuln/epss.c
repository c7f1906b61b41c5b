/*
 * epss.c: FIRST's Exploit Prediction Scoring System, the daily file
 * (epss_scores-YYYY-MM-DD.csv.gz, or unpacked): one comment line
 *   #model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000
 * then a header "cve,epss,percentile" and a row a CVE. gzip is told from
 * the magic bytes, not the name. The model line is required: every score
 * is stored with the model and the day it was computed for, so a file
 * older than what is stored never overwrites it.
 *
 * A row is refused when its CVE id is none or a number is not one from
 * 0 to 1. Read a line at a time: about 300,000 rows, O(bytes), memory of
 * one chunk.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vintel_int.h"

/* Reads "#model_version:X,score_date:YYYY-MM-DD…" into meta. */
static bool model_line(const char *line, epss_file *meta)
{
	if (strncmp(line, "#model_version:", 15) != 0)
		return false;
	const char *v = line + 15, *comma = strchr(v, ',');
	if (comma == NULL || comma == v || (size_t)(comma - v) >= sizeof meta->model_version)
		return false;
	memcpy(meta->model_version, v, (size_t)(comma - v));
	meta->model_version[comma - v] = '\0';
	const char *sd = strstr(comma, "score_date:");
	if (sd == NULL || strnlen(sd + 11, 10) < 10) /* the date's ten bytes are there */
		return false;
	memcpy(meta->score_date, sd + 11, 10);
	meta->score_date[10] = '\0';
	return vi_date_ok(meta->score_date);
}

/* A number from 0 to 1 written as a decimal; false when s is none. */
static bool unit_number(const char *s, double *out)
{
	char *end;
	if (*s == '\0' || !(*s == '0' || *s == '1' || *s == '.'))
		return false;
	double v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v) || v < 0 || v > 1)
		return false;
	*out = v;
	return true;
}

static int read_rows(vi_src *s, epss_fn fn, void *ctx, epss_file *meta, vi_counts *c, diags *d)
{
	char *line;
	ssize_t n;
	while ((n = vi_src_next(s, &line)) == 0)
		;
	if (n < 0) {
		if (!s->failed)
			diags_add(d, s->name, 0, 0, "an empty file");
		return -1;
	}
	if (!model_line(line, meta)) {
		char shown[72];
		diags_add(d, s->name, s->line_no, 0,
		          "not an EPSS file: the first line is \"%s\", not "
		          "#model_version:…,score_date:YYYY-MM-DD… as FIRST writes it",
		          vi_shown(line, shown));
		return -1;
	}
	while ((n = vi_src_next(s, &line)) == 0)
		;
	if (n < 0 || strncasecmp(line, "cve,epss,percentile", 19) != 0 ||
	    strspn(line + 19, " \t") != strlen(line + 19)) {
		char shown[72];
		if (!s->failed)
			diags_add(d, s->name, s->line_no, 0,
			          "not an EPSS file: no header cve,epss,percentile after the model "
			          "line (got \"%s\")",
			          n < 0 ? "" : vi_shown(line, shown));
		return -1;
	}
	vi_csv rec = {0};
	int rc;
	while ((rc = vi_csv_next(&rec, s)) == 1) {
		c->read++;
		epss_score e = {.line = rec.line};
		char shown[72];
		if (rec.n != 3) {
			c->refused++;
			diags_add(d, s->name, rec.line, 0, "%d fields where cve,epss,percentile are 3",
			          rec.n);
			continue;
		}
		for (int i = 0; i < 3; i++)
			rec.f[i] = vi_trim(rec.f[i]);
		if (!vi_cve_id(rec.f[0], strlen(rec.f[0]), e.cve)) {
			c->refused++;
			diags_add(d, s->name, rec.line, 0, "\"%s\" is not a CVE id",
			          vi_shown(rec.f[0], shown));
			continue;
		}
		if (!unit_number(rec.f[1], &e.epss) || !unit_number(rec.f[2], &e.percentile)) {
			c->refused++;
			bool first = !unit_number(rec.f[1], &e.epss);
			diags_add(d, s->name, rec.line, 0, "%s: %s \"%s\" is not a number from 0 to 1",
			          e.cve, first ? "epss" : "percentile",
			          vi_shown(first ? rec.f[1] : rec.f[2], shown));
			continue;
		}
		c->passed++;
		if (fn(ctx, &e) != 0) {
			rc = -1;
			break;
		}
	}
	vi_csv_free(&rec);
	return rc < 0 ? -1 : 0;
}

int epss_read_buffer(const char *data, size_t n, const char *name, epss_fn fn, void *ctx,
                     epss_file *meta, vi_counts *c, diags *d)
{
	memset(meta, 0, sizeof *meta);
	vi_src s;
	if (vi_src_buffer(&s, data, n, name, &meta->gzip, d) != 0)
		return -1;
	c->files++;
	int rc = read_rows(&s, fn, ctx, meta, c, d);
	vi_src_close(&s);
	return rc;
}

int epss_read(const char *path, epss_fn fn, void *ctx, epss_file *meta, vi_counts *c, diags *d)
{
	memset(meta, 0, sizeof *meta);
	vi_src s;
	if (vi_src_file(&s, path, &meta->gzip, d) != 0)
		return -1;
	c->files++;
	int rc = read_rows(&s, fn, ctx, meta, c, d);
	vi_src_close(&s);
	return rc;
}
