/*
 * exception_int.h: what exceptions.c and exception_read.c share; not for
 * callers outside src/app.
 */
#ifndef SG_EXCEPTION_INT_H
#define SG_EXCEPTION_INT_H

/* The join of an exception's item (alias i) to the row it names, a
 * finding (alias f) or an asset (alias s), by the number its ref holds.
 * The number is read from the ref only for its own kind (PostgreSQL
 * refuses to cast a control's "framework:id"), and the join is then a
 * lookup of the named row by its key, not a scan casting every id. */
#define ITEM_FINDING "f.id = CASE WHEN i.kind = 'finding' THEN CAST(i.ref AS BIGINT) END"
#define ITEM_ASSET "s.id = CASE WHEN i.kind = 'asset' THEN CAST(i.ref AS BIGINT) END"

#endif
