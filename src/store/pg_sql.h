/*
 * pg_sql.h: sigap's SQL made PostgreSQL's (pg_sql.c). Only store/ sees it.
 */
#ifndef SG_PG_SQL_H
#define SG_PG_SQL_H

#include "base/err.h"

/* The PostgreSQL form of sql (one statement or several separated by ';'),
 * malloc'd, with *n_params (when not NULL) set to the number of $N it
 * takes; NULL with e set when it cannot be translated. */
char *pg_sql_translate(const char *sql, int *n_params, sg_err *e);

#endif
