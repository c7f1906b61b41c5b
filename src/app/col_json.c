/*
 * col_json.c: row columns as JSON values (see col_json.h).
 */
#include "col_json.h"

json_t *col_json_text(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

json_t *col_json_int(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

json_t *col_json_doc(db_stmt *st, int col)
{
	json_t *j = db_col_null(st, col) ? NULL : json_loads(db_col_text(st, col), 0, NULL);
	return j ? j : json_null();
}
