/*
 * risk_matrix.h: the risk matrix of the register (risks.c): likelihood ×
 * impact gives a level. The matrix is data, from [risiko] in sigap.conf
 * (docs/risks.md): the names of the likelihood and impact steps (lowest
 * first), the names of the levels (lowest first), the level of each cell,
 * and how often a risk of each level is reviewed. The default is the
 * common 5 × 5 with the levels Rendah, Sedang, Tinggi and Sangat Tinggi.
 */
#ifndef SG_RISK_MATRIX_H
#define SG_RISK_MATRIX_H

#include <stdbool.h>

#include "base/err.h"

enum { RISK_AXIS_MAX = 10, RISK_LEVELS_MAX = 6, RISK_NAME_MAX = 60 };

typedef struct risk_matrix {
	int n_likelihood, n_impact, n_levels;
	char likelihood[RISK_AXIS_MAX][RISK_NAME_MAX + 1]; /* 1 first */
	char impact[RISK_AXIS_MAX][RISK_NAME_MAX + 1];
	char level[RISK_LEVELS_MAX][RISK_NAME_MAX + 1];
	/* the level (1 .. n_levels) of likelihood l, impact i at [l-1][i-1] */
	unsigned char cell[RISK_AXIS_MAX][RISK_AXIS_MAX];
	int review_days[RISK_LEVELS_MAX]; /* days between reviews, by level */
	int n_review;                     /* tinjauan's count; 0: not given */
	bool cells_set;                   /* matriks was given */
	bool numbered[3];                 /* kemungkinan.N, dampak.N, level.N were given */
} risk_matrix;

/* The 5 × 5 default. */
void risk_matrix_default(risk_matrix *m);
/* One [risiko] key: kemungkinan, dampak, level (comma-separated names),
 * matriks (rows by likelihood, lowest first, split by '/', each a level
 * number per impact), tinjauan (days, one per level); or, for a matrix
 * whose lines would be long, one name or row a key: kemungkinan.N,
 * dampak.N, level.N, matriks.N (1 the lowest). -1 with e set. */
int risk_matrix_key(risk_matrix *m, const char *key, const char *value, sg_err *e);
/* After the file: the parts agree (a row per likelihood, a cell per
 * impact, levels in range, a review time per level), and a higher
 * likelihood or impact never gives a lower level. */
int risk_matrix_check(risk_matrix *m, sg_err *e);
/* The level of likelihood l and impact i (1-based); 0 when either is out
 * of the matrix. */
int risk_level(const risk_matrix *m, int l, int i);

#endif
