/*
 * asset_int.h: what the register's modules share (assets.c and
 * asset_csv.c); not for callers outside src/app.
 */
#ifndef SG_ASSET_INT_H
#define SG_ASSET_INT_H

#include "app.h"

/* Inside the caller's transaction: adds the asset in describes, or when
 * its OPD already has an asset of that name (any case), changes that one
 * to it; checks, permissions and the logbook entry (details' "via":
 * "import") as asset_add and asset_update. *added says which; *changed
 * whether the asset found differed from the row (else no entry). */
int asset_import_row(app *a, const char *actor, const asset_scope *s, const asset_in *in,
		     bool *added, bool *changed, sg_err *e);

#endif
