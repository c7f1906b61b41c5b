/*
 * fsutil.c: file-system helpers (see fsutil.h).
 */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	/* opened without waiting: a FIFO would block an open for reading
	 * until a writer came; it is refused below as no regular file */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (f == NULL) {
		snprintf(why, whyn, "cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
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

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_list_dir(const char *dir, const char *suffix, size_t *n)
{
	*n = 0;
	DIR *dh = opendir(dir);
	if (dh == NULL)
		return NULL;
	size_t sl = strlen(suffix);
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= sl || strcmp(de->d_name + len - sl, suffix) != 0)
			continue;
		char **v = realloc(names, (*n + 1) * sizeof *names);
		if (v == NULL || (v[*n] = strdup(de->d_name)) == NULL)
			abort();
		names = v;
		(*n)++;
	}
	closedir(dh);
	if (*n > 1)
		qsort(names, *n, sizeof *names, cmp_name);
	return names ? names : calloc(1, sizeof *names);
}

void fs_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}
