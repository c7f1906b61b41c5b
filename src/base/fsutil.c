/*
 * fsutil.c: file-system helpers (see fsutil.h).
 */
#include "fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int fs_mkdir_p(const char *path, sg_err *e)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return sg_err_set(e, SG_EINVAL, "path too long: %s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
				return sg_err_set(e, SG_EIO, "cannot create %s: %s", tmp, strerror(errno));
			*p = '/';
		}
	if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
		return sg_err_set(e, SG_EIO, "cannot create %s: %s", tmp, strerror(errno));
	return 0;
}

char *fs_read_file(const char *path, size_t max, size_t *len, char *why, size_t whyn)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(why, whyn, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whyn, "not a regular file");
		fclose(f);
		return NULL;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(why, whyn, "file too large (%lld bytes; at most %zu)", (long long)st.st_size,
			 max);
		fclose(f);
		return NULL;
	}
	size_t n = (size_t)st.st_size;
	char *text = malloc(n + 1);
	if (text == NULL)
		abort();
	size_t got = fread(text, 1, n, f);
	fclose(f);
	if (got != n) {
		snprintf(why, whyn, "cannot read the whole file");
		free(text);
		return NULL;
	}
	text[n] = '\0';
	*len = n;
	return text;
}
