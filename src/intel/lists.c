/*
 * lists.c: indicator lists in text: CSV with a header row, and plain
 * lists of one value a line.
 *
 * CSV (RFC 4180 quoting) is told by its header: one column named value,
 * indicator, ioc or observable; the others it may have are type, source
 * (or feed), tlp, confidence, first_seen, last_seen, expires (or
 * valid_until) and description (or comment), in any order; other columns
 * are ignored. Without a type column each value's type is told from the
 * value. A plain list has a value at the start of each line; blank lines
 * and lines beginning with '#' or ';' are skipped, and so is anything
 * after the value (a comment).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intel_int.h"

enum { COLS_MAX = 32 };

enum col { C_VALUE, C_TYPE, C_SOURCE, C_TLP, C_CONF, C_FIRST, C_LAST, C_EXPIRES, C_DESC, C_N };

static int col_of(const char *name, size_t n)
{
	static const struct {
		const char *name;
		int col;
	} names[] = {{"value", C_VALUE},        {"indicator", C_VALUE},   {"ioc", C_VALUE},
	             {"observable", C_VALUE},   {"type", C_TYPE},         {"source", C_SOURCE},
	             {"feed", C_SOURCE},        {"tlp", C_TLP},           {"confidence", C_CONF},
	             {"first_seen", C_FIRST},   {"last_seen", C_LAST},    {"expires", C_EXPIRES},
	             {"valid_until", C_EXPIRES}, {"expiry", C_EXPIRES},   {"description", C_DESC},
	             {"comment", C_DESC}};
	while (n && isspace((unsigned char)*name))
		name++, n--;
	while (n && isspace((unsigned char)name[n - 1]))
		n--;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && strncasecmp(names[i].name, name, n) == 0)
			return names[i].col;
	return -1;
}

/* Splits one CSV record in place (quotes removed, "" undone) into at most
 * COLS_MAX fields; -1 on a quote left open. */
static int csv_split(char *line, size_t n, char **f, size_t *fn)
{
	int k = 0;
	size_t i = 0;
	for (;;) {
		char *out = line + i, *start = out;
		if (i < n && line[i] == '"') {
			i++;
			for (;;) {
				if (i >= n)
					return -1;
				if (line[i] == '"') {
					if (i + 1 < n && line[i + 1] == '"') {
						*out++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				*out++ = line[i++];
			}
			while (i < n && line[i] != ',')
				i++; /* text after the closing quote is dropped */
		} else {
			while (i < n && line[i] != ',')
				*out++ = line[i++];
		}
		if (k < COLS_MAX) {
			f[k] = start;
			fn[k] = (size_t)(out - start);
			k++;
		}
		if (i >= n)
			return k;
		i++; /* the comma */
	}
}

static char *trimmed(char *p, size_t *n)
{
	while (*n && isspace((unsigned char)*p))
		p++, (*n)--;
	while (*n && isspace((unsigned char)p[*n - 1]))
		(*n)--;
	p[*n] = '\0';
	return p;
}

int intel_lines(intel_reader *r, const char *data, size_t n, intel_format fmt)
{
	char *copy = malloc(n + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, data, n);
	copy[n] = '\0';
	int cols[COLS_MAX];
	for (int i = 0; i < COLS_MAX; i++)
		cols[i] = -1;
	bool header_seen = false, csv = fmt == INTEL_CSV, have_type = false;
	int rc = 0, line_no = 0;
	char *p = copy, *end = copy + n;
	while (p < end && !r->stopped) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = p;
		p = nl ? nl + 1 : end;
		line_no++;
		if (len && line[len - 1] == '\r')
			len--;
		line = trimmed(line, &len);
		if (line_no == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3, len -= 3;
		if (len == 0 || line[0] == '#' || line[0] == ';')
			continue;
		char *f[COLS_MAX];
		size_t fn[COLS_MAX];
		if (!header_seen) {
			header_seen = true;
			/* a header names a value column: then this is CSV */
			int k = csv_split(line, len, f, fn);
			int value_col = -1;
			for (int i = 0; i < k; i++) {
				cols[i] = col_of(f[i], fn[i]);
				if (cols[i] == C_VALUE && value_col < 0)
					value_col = i;
				else if (cols[i] == C_VALUE)
					cols[i] = -1;
				have_type |= cols[i] == C_TYPE;
			}
			if (value_col >= 0) {
				csv = true;
				r->c->format = INTEL_CSV;
				continue;
			}
			if (csv) {
				diags_add(r->d, r->name, line_no, 0,
				          "a CSV list needs a header row with a \"value\" column");
				rc = -1;
				break;
			}
			r->c->format = INTEL_PLAIN;
		}
		if (!csv) {
			size_t vn = 0;
			while (vn < len && !isspace((unsigned char)line[vn]) && line[vn] != ',')
				vn++;
			ioc meta = {.confidence = -1};
			intel_emit(r, IOC_NONE, line, vn, &meta, line_no);
			continue;
		}
		int k = csv_split(line, len, f, fn);
		if (k < 0) {
			r->c->invalid++;
			diags_add(r->d, r->name, line_no, 0, "a quote left open");
			continue;
		}
		const char *v[C_N] = {0};
		size_t vlen[C_N] = {0};
		for (int i = 0; i < k; i++)
			if (cols[i] >= 0) {
				v[cols[i]] = trimmed(f[i], &fn[i]);
				vlen[cols[i]] = fn[i];
			}
		if (v[C_VALUE] == NULL || vlen[C_VALUE] == 0) {
			r->c->invalid++;
			diags_add(r->d, r->name, line_no, 0, "no value");
			continue;
		}
		ioc_type want = IOC_NONE;
		if (have_type && v[C_TYPE] && vlen[C_TYPE]) {
			want = ioc_type_parse(v[C_TYPE]);
			if (want == IOC_NONE) {
				r->c->read++;
				r->c->skipped++;
				continue; /* a type sigap does not look for */
			}
		}
		ioc meta = {.source = v[C_SOURCE], .tlp = intel_tlp(v[C_TLP]), .description = v[C_DESC],
		            .confidence = -1};
		if (v[C_CONF] && vlen[C_CONF]) {
			char *e;
			long c = strtol(v[C_CONF], &e, 10);
			if (*e || c < 0 || c > 100) {
				r->c->invalid++;
				diags_add(r->d, r->name, line_no, 0, "confidence \"%s\" is not 0 to 100",
				          v[C_CONF]);
				continue;
			}
			meta.confidence = (int)c;
		}
		if (v[C_TLP] && vlen[C_TLP] && meta.tlp == NULL) {
			r->c->invalid++;
			diags_add(r->d, r->name, line_no, 0, "\"%s\" is not a TLP label", v[C_TLP]);
			continue;
		}
		json_t *t;
		const int times[] = {C_FIRST, C_LAST, C_EXPIRES};
		int64_t *dst[] = {&meta.first_seen, &meta.last_seen, &meta.expires};
		bool bad = false;
		for (int i = 0; i < 3 && !bad; i++) {
			if (v[times[i]] == NULL || vlen[times[i]] == 0)
				continue;
			t = json_string(v[times[i]]);
			*dst[i] = intel_time(t);
			json_decref(t);
			if (*dst[i] == 0) {
				r->c->invalid++;
				diags_add(r->d, r->name, line_no, 0, "\"%s\" is not a date or time",
				          v[times[i]]);
				bad = true;
			}
		}
		if (!bad)
			intel_emit(r, want, v[C_VALUE], vlen[C_VALUE], &meta, line_no);
	}
	free(copy);
	return r->stopped ? -1 : rc;
}
