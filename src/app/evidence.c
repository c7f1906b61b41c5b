/*
 * evidence.c: evidence files, stored by content and kept with a chain of
 * custody.
 *
 * A file is stored once under its SHA-256 (EVIDENCE_DIR/ab/abcdef…), read
 * only, written to a temporary name, synced and renamed, so a stored file
 * is always whole and its name proves its content. Each attachment to a
 * case is a custody record: which case, which content, the file name it
 * came with, who, when and from where. Size is limited by
 * [evidence] max_size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "base/fsutil.h"
#include "base/hash.h"

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int evidence_store_file(app *a, const char *path, char sha[65], int64_t *size, sg_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sg_err_set(e, SG_EIO, "cannot open evidence file %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sg_err_set(e, SG_EINVAL, "evidence %s is not a regular file", path);
	}
	if (st.st_size > a->cfg.evidence_max) {
		close(fd);
		return sg_err_set(e, SG_EINVAL, "evidence file %s is too large (%lld bytes; at most %ld)",
				  path, (long long)st.st_size, a->cfg.evidence_max);
	}
	size_t n = (size_t)st.st_size;
	char *data = malloc(n ? n : 1);
	if (data == NULL) {
		close(fd);
		return sg_err_set(e, SG_ENOMEM, "out of memory reading %s", path);
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, data + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n) {
		free(data);
		return sg_err_set(e, SG_EIO, "cannot read the whole of %s", path);
	}
	int r = evidence_store(a, data, n, sha, e);
	free(data);
	if (r == 0)
		*size = (int64_t)n;
	return r;
}

int evidence_store(app *a, const void *data, size_t n, char sha[65], sg_err *e)
{
	if (n > (size_t)a->cfg.evidence_max)
		return sg_err_set(e, SG_EINVAL, "the evidence file is too large (%zu bytes; at most %ld)",
				  n, a->cfg.evidence_max);
	sha256_hex(data, n, sha);
	char dir[4096], final[4200], tmp[4300];
	snprintf(dir, sizeof dir, "%s/%.2s", a->cfg.evidence_dir, sha);
	snprintf(final, sizeof final, "%s/%s", dir, sha);
	if (access(final, F_OK) == 0)
		return 0; /* the same content is already stored */
	if (fs_mkdir_p(dir, e) != 0)
		return -1;
	/* The thread id keeps two writers of one content in one process apart. */
	snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%d-%ld", dir, sha, (int)getpid(), (long)gettid());
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0440);
	if (out < 0 || write_all(out, data, n) != 0 || fsync(out) != 0) {
		int err = errno;
		if (out >= 0)
			close(out);
		unlink(tmp);
		return sg_err_set(e, SG_EIO, "cannot store evidence in %s: %s", dir, strerror(err));
	}
	close(out);
	if (rename(tmp, final) != 0) {
		int err = errno;
		unlink(tmp);
		return sg_err_set(e, SG_EIO, "cannot store evidence %s: %s", final, strerror(err));
	}
	return 0;
}

int evidence_attach(app *a, int64_t case_id, const char *sha, int64_t size, const char *filename,
		    const char *field, const char *actor, const char *origin, sg_err *e)
{
	int64_t now = app_now(a);
	if (db_run(a->db, e,
		   "INSERT INTO evidence (sha256, size, first_seen) VALUES (?, ?, ?) "
		   "ON CONFLICT (sha256) DO NOTHING",
		   "sii", sha, size, now) != 0)
		return -1;
	return db_run(a->db, e,
		      "INSERT INTO case_evidence (case_id, sha256, filename, field, added_by, added_at, origin) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?)",
		      "issssis", case_id, sha, filename, field, actor, now, origin);
}

int evidence_path(app *a, const char *sha, char *out, size_t n)
{
	if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return -1;
	int w = snprintf(out, n, "%s/%.2s/%s", a->cfg.evidence_dir, sha, sha);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}
