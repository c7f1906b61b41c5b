/*
 * col_json.h: a column of the current row as a JSON value, SQL NULL as
 * JSON null; what the app's read functions build their answers from. Not
 * for callers outside src/app.
 */
#ifndef SG_COL_JSON_H
#define SG_COL_JSON_H

#include <jansson.h>

#include "store/db.h"

json_t *col_json_text(db_stmt *st, int col);
json_t *col_json_int(db_stmt *st, int col);
/* A column holding a JSON document, parsed (null when NULL or unreadable). */
json_t *col_json_doc(db_stmt *st, int col);

#endif
