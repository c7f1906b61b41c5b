/*
 * fsutil.h: small file-system helpers.
 */
#ifndef SG_FSUTIL_H
#define SG_FSUTIL_H

#include <stddef.h>

#include "err.h"

/* Creates a directory and its missing parents (mode 0750 before umask). */
int fs_mkdir_p(const char *path, sg_err *e);

/* The whole of a regular file of at most max bytes, NUL-terminated (free
 * it); NULL with the reason in why. */
char *fs_read_file(const char *path, size_t max, size_t *len, char *why, size_t whyn);

/* The names in dir ending in suffix (".yaml"), not hidden, sorted, as a
 * malloc'd array of malloc'd strings (fs_names_free); NULL when dir
 * cannot be opened. */
char **fs_list_dir(const char *dir, const char *suffix, size_t *n);
void fs_names_free(char **names, size_t n);

#endif
