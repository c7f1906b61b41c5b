/*
 * fsutil.h: small file-system helpers.
 */
#ifndef SG_FSUTIL_H
#define SG_FSUTIL_H

#include "err.h"

/* Creates a directory and its missing parents (mode 0750 before umask). */
int fs_mkdir_p(const char *path, sg_err *e);

#endif
