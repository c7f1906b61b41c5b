/*
 * fsutil.c: file-system helpers (see fsutil.h).
 */
#include "fsutil.h"

#include <errno.h>
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
