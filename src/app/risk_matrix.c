/*
 * risk_matrix.c: the risk matrix, from [risiko] or the default (see
 * risk_matrix.h).
 *
 * The default 5 × 5 puts a cell's level by the product of its steps, as
 * the usual government risk guides do: 1-4 Rendah, 5-9 Sedang, 10-16
 * Tinggi, 20-25 Sangat Tinggi. Reviews by level: a year, six months,
 * three months, one month (SimpleRisk's cadence, one step stricter at the
 * top).
 */
#include "risk_matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void risk_matrix_default(risk_matrix *m)
{
	static const char *const l[] = {"Sangat Jarang", "Jarang", "Mungkin", "Sering",
	                                "Hampir Pasti"};
	static const char *const i[] = {"Tidak Signifikan", "Kecil", "Sedang", "Besar",
	                                "Sangat Besar"};
	static const char *const v[] = {"Rendah", "Sedang", "Tinggi", "Sangat Tinggi"};
	static const int days[] = {365, 180, 90, 30};
	memset(m, 0, sizeof *m);
	m->n_likelihood = m->n_impact = 5;
	m->n_levels = 4;
	for (int k = 0; k < 5; k++) {
		snprintf(m->likelihood[k], sizeof m->likelihood[k], "%s", l[k]);
		snprintf(m->impact[k], sizeof m->impact[k], "%s", i[k]);
	}
	for (int k = 0; k < 4; k++) {
		snprintf(m->level[k], sizeof m->level[k], "%s", v[k]);
		m->review_days[k] = days[k];
	}
	for (int a = 1; a <= 5; a++)
		for (int b = 1; b <= 5; b++) {
			int p = a * b;
			m->cell[a - 1][b - 1] = (unsigned char)(p <= 4 ? 1 : p <= 9 ? 2 : p <= 16 ? 3 : 4);
		}
}

/* The comma-separated names of v into out (at most max); their count, or
 * -1 with e set. */
static int names(const char *key, const char *v, char out[][RISK_NAME_MAX + 1], int max, int min,
                 sg_err *e)
{
	int n = 0;
	const char *p = v;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			return sg_err_set(e, SG_EINVAL, "%s: a name is empty in '%s'", key, v);
		if (len > RISK_NAME_MAX)
			return sg_err_set(e, SG_EINVAL, "%s: '%.*s' is longer than %d characters", key,
			                  (int)len, p, RISK_NAME_MAX);
		if (n == max)
			return sg_err_set(e, SG_EINVAL, "%s: at most %d names", key, max);
		snprintf(out[n], RISK_NAME_MAX + 1, "%.*s", (int)len, p);
		for (int k = 0; k < n; k++)
			if (strcmp(out[k], out[n]) == 0)
				return sg_err_set(e, SG_EINVAL, "%s: '%s' is named twice", key, out[n]);
		n++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (n < min)
		return sg_err_set(e, SG_EINVAL, "%s: at least %d names, lowest first", key, min);
	return n;
}

/* "1 1 2 / 1 2 3 / ...": the cells, by likelihood row, from row first
 * (0-based; one row when only is set). */
static int cells(risk_matrix *m, const char *v, int first, bool only, sg_err *e)
{
	int row = first, col = 0;
	if (!only || !m->cells_set) /* the default's cells go with the first row given */
		memset(m->cell, 0, sizeof m->cell);
	else
		memset(m->cell[row], 0, sizeof m->cell[row]);
	for (const char *p = v; *p;) {
		if (*p == ' ' || *p == '\t') {
			p++;
		} else if (*p == '/' && !only) {
			if (col == 0)
				return sg_err_set(e, SG_EINVAL, "matriks: row %d is empty", row + 1);
			if (++row == RISK_AXIS_MAX)
				return sg_err_set(e, SG_EINVAL, "matriks: at most %d rows",
				                  RISK_AXIS_MAX);
			col = 0;
			p++;
		} else if (*p >= '1' && *p <= '9' && (p[1] < '0' || p[1] > '9')) {
			if (col == RISK_AXIS_MAX)
				return sg_err_set(e, SG_EINVAL, "matriks: at most %d cells a row",
				                  RISK_AXIS_MAX);
			m->cell[row][col++] = (unsigned char)(*p - '0');
			p++;
		} else {
			size_t n = strcspn(p, " \t/");
			return sg_err_set(e, SG_EINVAL,
			                  "matriks: '%.*s' is not a level number, 1 to %d (rows of level "
			                  "numbers split by '/', as 1 1 2 / 1 2 3)",
			                  (int)(n ? n : 1), p, RISK_LEVELS_MAX);
		}
	}
	if (col == 0)
		return sg_err_set(e, SG_EINVAL, "matriks: row %d is empty", row + 1);
	m->cells_set = true;
	return 0;
}

/* "kemungkinan.3": the key's base into base and N (1..max) into *k;
 * false when it has no ".N". */
static bool numbered(const char *key, char base[16], int *k, int max)
{
	const char *dot = strchr(key, '.');
	if (dot == NULL || (size_t)(dot - key) >= 16)
		return false;
	char *end;
	long v = strtol(dot + 1, &end, 10);
	if (*end || v < 1 || v > max)
		return false;
	snprintf(base, 16, "%.*s", (int)(dot - key), key);
	*k = (int)v;
	return true;
}

int risk_matrix_key(risk_matrix *m, const char *key, const char *value, sg_err *e)
{
	int n, k;
	char base[16];
	if (numbered(key, base, &k, RISK_AXIS_MAX)) {
		if (strcmp(base, "matriks") == 0)
			return cells(m, value, k - 1, true, e);
		static const char *const bases[] = {"kemungkinan", "dampak", "level"};
		static const int max[] = {RISK_AXIS_MAX, RISK_AXIS_MAX, RISK_LEVELS_MAX};
		char (*lists[])[RISK_NAME_MAX + 1] = {m->likelihood, m->impact, m->level};
		int *counts[] = {&m->n_likelihood, &m->n_impact, &m->n_levels};
		int w = 0;
		while (w < 3 && strcmp(base, bases[w]) != 0)
			w++;
		if (w == 3 || k > max[w])
			return sg_err_set(e, SG_EINVAL,
			                  "unknown key '%s' in section [risiko] (kemungkinan.N, dampak.N, "
			                  "level.N up to %d, matriks.N)",
			                  key, RISK_LEVELS_MAX);
		char one[1][RISK_NAME_MAX + 1];
		if (names(key, value, one, 1, 1, e) < 0)
			return -1;
		if (!m->numbered[w]) { /* the first numbered name starts the list anew */
			m->numbered[w] = true;
			memset(lists[w], 0, sizeof lists[w][0] * (size_t)max[w]);
			*counts[w] = 0;
		}
		memcpy(lists[w][k - 1], one[0], sizeof one[0]);
		if (k > *counts[w])
			*counts[w] = k;
		return 0;
	}
	if (strcmp(key, "kemungkinan") == 0) {
		if ((n = names(key, value, m->likelihood, RISK_AXIS_MAX, 2, e)) < 0)
			return -1;
		m->n_likelihood = n;
	} else if (strcmp(key, "dampak") == 0) {
		if ((n = names(key, value, m->impact, RISK_AXIS_MAX, 2, e)) < 0)
			return -1;
		m->n_impact = n;
	} else if (strcmp(key, "level") == 0) {
		if ((n = names(key, value, m->level, RISK_LEVELS_MAX, 2, e)) < 0)
			return -1;
		m->n_levels = n;
	} else if (strcmp(key, "matriks") == 0) {
		return cells(m, value, 0, false, e);
	} else if (strcmp(key, "tinjauan") == 0) {
		k = 0;
		for (const char *p = value; *p;) {
			char *end;
			long d = strtol(p, &end, 10);
			if (end == p || d < 1 || d > 3660 || k == RISK_LEVELS_MAX)
				return sg_err_set(e, SG_EINVAL,
				                  "tinjauan '%s' must be days between reviews (1 to 3660), "
				                  "one per level, lowest level first: 365, 180, 90, 30",
				                  value);
			m->review_days[k++] = (int)d;
			p = end + strspn(end, " ,\t");
		}
		m->n_review = k;
	} else {
		return sg_err_set(e, SG_EINVAL,
		                  "unknown key '%s' in section [risiko] (kemungkinan, dampak, level, "
		                  "matriks, tinjauan)",
		                  key);
	}
	return 0;
}

int risk_matrix_check(risk_matrix *m, sg_err *e)
{
	static const char *const what[] = {"kemungkinan", "dampak", "level"};
	int counts[] = {m->n_likelihood, m->n_impact, m->n_levels};
	char (*lists[])[RISK_NAME_MAX + 1] = {m->likelihood, m->impact, m->level};
	for (int w = 0; w < 3; w++) {
		if (counts[w] < 2)
			return sg_err_set(e, SG_EINVAL, "[risiko] %s: at least 2 names, lowest first",
			                  what[w]);
		for (int k = 0; k < counts[w]; k++)
			if (lists[w][k][0] == '\0')
				return sg_err_set(e, SG_EINVAL, "[risiko] %s.%d is missing", what[w], k + 1);
	}
	if (m->n_review && m->n_review != m->n_levels)
		return sg_err_set(e, SG_EINVAL,
		                  "[risiko] tinjauan gives %d review times for %d levels: one per "
		                  "level",
		                  m->n_review, m->n_levels);
	if (m->n_review == 0 && m->n_levels != 4)
		return sg_err_set(e, SG_EINVAL,
		                  "[risiko] %d levels need their tinjauan (days between reviews, one "
		                  "per level)",
		                  m->n_levels);
	if (!m->cells_set) {
		if (m->n_likelihood != 5 || m->n_impact != 5 || m->n_levels != 4)
			return sg_err_set(e, SG_EINVAL,
			                  "[risiko] a matrix of %d likelihoods, %d impacts and %d levels "
			                  "needs its matriks (the level of each cell)",
			                  m->n_likelihood, m->n_impact, m->n_levels);
		risk_matrix tmp;
		risk_matrix_default(&tmp);
		memcpy(m->cell, tmp.cell, sizeof m->cell);
	}
	for (int l = 0; l < RISK_AXIS_MAX; l++)
		for (int i = 0; i < RISK_AXIS_MAX; i++) {
			bool inside = l < m->n_likelihood && i < m->n_impact;
			int v = m->cell[l][i];
			if (inside && v == 0)
				return sg_err_set(e, SG_EINVAL,
				                  "[risiko] matriks: row %d needs %d cells (one per impact) "
				                  "and there must be %d rows (one per likelihood)",
				                  l + 1, m->n_impact, m->n_likelihood);
			if (!inside && v != 0)
				return sg_err_set(e, SG_EINVAL,
				                  "[risiko] matriks has a cell at row %d, column %d, beyond "
				                  "its %d likelihoods and %d impacts",
				                  l + 1, i + 1, m->n_likelihood, m->n_impact);
			if (inside && v > m->n_levels)
				return sg_err_set(e, SG_EINVAL,
				                  "[risiko] matriks: level %d at row %d is beyond the %d "
				                  "levels",
				                  v, l + 1, m->n_levels);
			if (inside && ((l > 0 && v < m->cell[l - 1][i]) ||
			               (i > 0 && v < m->cell[l][i - 1])))
				return sg_err_set(e, SG_EINVAL,
				                  "[risiko] matriks: row %d, column %d is lower than a cell "
				                  "of less likelihood or impact",
				                  l + 1, i + 1);
		}
	return 0;
}

int risk_level(const risk_matrix *m, int l, int i)
{
	if (l < 1 || i < 1 || l > m->n_likelihood || i > m->n_impact)
		return 0;
	return m->cell[l - 1][i - 1];
}
