/*
 * evidence_spool.c: files received for evidence, held in a spool until the
 * change that uses them commits.
 *
 * A file arriving (an upload streamed off the network, or a file the
 * command line read) is written to EVIDENCE_DIR/.spool/HOST.ID.N.part
 * while its SHA-256 is computed on the way, then synced and renamed to
 * SHA.HOST.ID.N. ID is random for each process, which holds HOST.ID.lock
 * locked while it lives; a pid would be reused (and is always 1 in a
 * container), a lock dies with its process. The spool is on the store's file system, so placing a
 * file is a hard link, not a copy: inside the write transaction of the
 * case change, evidence_place() links the spool file to its final name
 * (EVIDENCE_DIR/ab/abcdef…) unless that content is already stored; after
 * the commit the spool name is dropped (evidence_file_discard); after a
 * rollback evidence_unplace() removes the final name again when this
 * spool file made it (same inode), so a failed request leaves nothing.
 *
 * The spool is also the journal for a crash. A spool file of a process
 * that is gone (its lock file no longer locked) is settled by evidence_recover() when sigap serve
 * starts: a ".part" was never whole and is removed; a whole one whose content has an `evidence` row
 * was committed, so its final name is made sure of; one without a row was not, so the final name it
 * made (same inode) and the spool file go. No age guesses: the inode says who placed a file, the
 * database says whether it was committed. Writers of one database are
 * serialised (BEGIN IMMEDIATE), so between a place and its commit or
 * rollback no other writer can come to rely on the same final name.
 *
 * Nothing here opens a path a client gave: spool names are made here, and
 * the command line reads its own files (cli/) into a spool. Errors name no
 * path of the server: they may reach a client.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "base/fsutil.h"
#include "base/hash.h"

struct evidence_spool {
	int fd;
	int64_t size, max;
	int64_t handed; /* bytes handed to the disk's writeback so far */
	sha256_ctx *sha;
	char dir[4096];
	char name[128]; /* HOST.PID.N, without ".part" */
	char path[4300];
};

enum { WRITEBACK_STEP = 8 << 20 };

static atomic_uint spool_seq;

/* This process's spool identity: a random id, and a lock file
 * (HOST.ID.lock) it holds locked (flock) as long as it lives. A process
 * that died let go of its lock, whatever became of its pid since. */
static pthread_mutex_t instance_mu = PTHREAD_MUTEX_INITIALIZER;
static char instance_id[17];
static int instance_lock = -1;
static char instance_path[4300];

/* At a normal exit the lock file goes; after a crash, recovery removes it. */
static void instance_drop(void)
{
	if (instance_lock >= 0)
		unlink(instance_path);
}

/* This host's name as file-name-safe text (several nodes may one day
 * share the evidence directory; each settles only its own spool). */
static void host_tag(char *out, size_t n)
{
	char h[256] = "";
	if (gethostname(h, sizeof h - 1) != 0 || h[0] == '\0')
		snprintf(h, sizeof h, "localhost");
	size_t k = 0;
	for (const char *p = h; *p && k + 1 < n && k < 64; p++)
		out[k++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		                          (*p >= '0' && *p <= '9') || *p == '-'
		                      ? *p
		                      : '-');
	out[k] = '\0';
}

/* A command run as root (a sysadmin's `sigap case new --file`) makes
 * what the service, running as its own user, must read and add to: what
 * it makes in the evidence store is given to the store's owner (the
 * evidence directory's, else its parent's: /var/lib/sigap's), as
 * SQLite gives a root-made journal to the database's owner. */
static void give_to_owner(const app *a, const char *path)
{
	if (geteuid() != 0)
		return;
	struct stat sb;
	if (stat(a->cfg.evidence_dir, &sb) != 0)
		return;
	if (sb.st_uid == 0) {
		/* made by root too: the directory above says whose it is */
		char parent[4200];
		snprintf(parent, sizeof parent, "%s/..", a->cfg.evidence_dir);
		if (stat(parent, &sb) != 0 || sb.st_uid == 0)
			return;
		(void)chown(a->cfg.evidence_dir, sb.st_uid, sb.st_gid);
	}
	(void)lchown(path, sb.st_uid, sb.st_gid);
}

static int spool_dir(const app *a, char *out, size_t n, sg_err *e)
{
	if (app_evidence_ready(a, e) != 0)
		return -1;
	int w = snprintf(out, n, "%s/.spool", a->cfg.evidence_dir);
	if (w < 0 || (size_t)w >= n)
		return sg_err_set(e, SG_EIO, "the evidence directory's name is too long");
	if (fs_mkdir_p(out, e) != 0)
		return -1;
	give_to_owner(a, out);
	return 0;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* Takes this process's spool identity in dir, once. */
static int instance_take(const app *a, const char *dir, const char *host, sg_err *e)
{
	pthread_mutex_lock(&instance_mu);
	int rc = 0;
	if (instance_lock < 0) {
		unsigned char raw[8];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(instance_id, sizeof instance_id, raw, sizeof raw);
		snprintf(instance_path, sizeof instance_path, "%s/%s.%s.lock", dir, host, instance_id);
		int fd = open(instance_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 || flock(fd, LOCK_EX) != 0) {
			rc = sg_err_set(e, SG_EIO,
			                "cannot receive a file into the evidence store: %s",
			                strerror(errno));
			if (fd >= 0)
				close(fd);
		} else {
			instance_lock = fd;
			give_to_owner(a, instance_path);
			atexit(instance_drop);
		}
	}
	pthread_mutex_unlock(&instance_mu);
	return rc;
}

evidence_spool *evidence_spool_open(app *a, sg_err *e)
{
	return evidence_spool_open_max(a, a->cfg.evidence_max, e);
}

evidence_spool *evidence_spool_open_max(app *a, int64_t max, sg_err *e)
{
	evidence_spool *s = calloc(1, sizeof *s);
	if (s == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory receiving a file");
		return NULL;
	}
	if (spool_dir(a, s->dir, sizeof s->dir, e) != 0) {
		free(s);
		return NULL;
	}
	char host[72];
	host_tag(host, sizeof host);
	if (instance_take(a, s->dir, host, e) != 0) {
		free(s);
		return NULL;
	}
	snprintf(s->name, sizeof s->name, "%s.%s.%u", host, instance_id,
	         atomic_fetch_add(&spool_seq, 1));
	snprintf(s->path, sizeof s->path, "%s/%s.part", s->dir, s->name);
	s->fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0440);
	if (s->fd < 0) {
		sg_err_set(e, SG_EIO, "cannot receive a file into the evidence store: %s",
		           strerror(errno));
		free(s);
		return NULL;
	}
	give_to_owner(a, s->path);
	s->max = max;
	s->sha = sha256_new();
	return s;
}

int evidence_spool_write(evidence_spool *s, const void *data, size_t n, sg_err *e)
{
	if ((int64_t)n > s->max - s->size)
		return sg_err_set(e, SG_ETOOBIG,
		                  "the evidence file is too large (at most %lld bytes)",
		                  (long long)s->max);
	sha256_update(s->sha, data, n);
	const char *p = data;
	while (n) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return sg_err_set(e, SG_EIO, "cannot write a received file: %s",
			                  strerror(errno));
		p += w;
		n -= (size_t)w;
		s->size += w;
	}
	/* A large file's pages go to the disk as they are written, not all at
	 * the sync of close: close then waits for its last few MiB only (a
	 * scanner report is copied while it is parsed, evidence_tee.c). */
	if (s->size - s->handed >= WRITEBACK_STEP) {
		(void)sync_file_range(s->fd, s->handed, s->size - s->handed, SYNC_FILE_RANGE_WRITE);
		s->handed = s->size;
	}
	return 0;
}

void evidence_spool_abort(evidence_spool *s)
{
	if (s == NULL)
		return;
	close(s->fd);
	unlink(s->path);
	sha256_free(s->sha);
	free(s);
}

int evidence_spool_close(evidence_spool *s, evidence_file *out, sg_err *e)
{
	sha256_final_hex(s->sha, out->sha256);
	s->sha = NULL;
	out->size = s->size;
	snprintf(out->path, sizeof out->path, "%s/%s.%s", s->dir, out->sha256, s->name);
	if (fsync(s->fd) != 0 || rename(s->path, out->path) != 0) {
		sg_err_set(e, SG_EIO, "cannot keep a received file: %s", strerror(errno));
		evidence_spool_abort(s);
		out->path[0] = '\0';
		return -1;
	}
	close(s->fd);
	free(s);
	return 0;
}

int evidence_spool_data(app *a, const void *data, size_t n, evidence_file *out, sg_err *e)
{
	evidence_spool *s = evidence_spool_open(a, e);
	if (s == NULL)
		return -1;
	if (evidence_spool_write(s, data, n, e) != 0) {
		evidence_spool_abort(s);
		return -1;
	}
	return evidence_spool_close(s, out, e);
}

void evidence_file_discard(evidence_file *f)
{
	if (f->path[0])
		unlink(f->path);
	f->path[0] = '\0';
}

/* ---- placing in the store ---- */

int evidence_place(app *a, const evidence_file *f, sg_err *e)
{
	char dir[4200], final[4300];
	if (app_evidence_ready(a, e) != 0)
		return -1;
	if (evidence_path(a, f->sha256, final, sizeof final) != 0)
		return sg_err_set(e, SG_EINVAL, "not a SHA-256: %s", f->sha256);
	snprintf(dir, sizeof dir, "%s/%.2s", a->cfg.evidence_dir, f->sha256);
	if (fs_mkdir_p(dir, e) != 0)
		return -1;
	give_to_owner(a, dir);
	if (link(f->path, final) != 0) {
		if (errno == EEXIST)
			return 0; /* the same content is already stored */
		return sg_err_set(e, SG_EIO, "cannot store evidence: %s", strerror(errno));
	}
	if (sync_dir(dir) != 0)
		return sg_err_set(e, SG_EIO, "cannot store evidence: %s", strerror(errno));
	return 0;
}

/* Removes the final name of f's content when f's spool file made it. */
static void unplace_path(app *a, const char *spool, const char *sha)
{
	char final[4300];
	struct stat s1, s2;
	if (evidence_path(a, sha, final, sizeof final) != 0 || stat(spool, &s1) != 0 ||
	    stat(final, &s2) != 0)
		return;
	if (s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev)
		unlink(final);
}

void evidence_unplace(app *a, const evidence_file *f)
{
	if (f->path[0])
		unplace_path(a, f->path, f->sha256);
}

/* ---- after a crash ---- */

static bool hex64(const char *s)
{
	return strspn(s, "0123456789abcdef") == 64;
}

/* Whether "HOST.ID.…" names a spool file of a live process here: its
 * lock file is still locked. */
static bool owner_alive(const char *dir, const char *name, const char *host)
{
	size_t hl = strlen(host);
	if (strncmp(name, host, hl) != 0 || name[hl] != '.')
		return true; /* another node's: not ours to settle */
	const char *id = name + hl + 1;
	size_t il = strcspn(id, ".");
	if (il == 0 || il > 16)
		return false;
	pthread_mutex_lock(&instance_mu);
	bool mine =
	    instance_lock >= 0 && strlen(instance_id) == il && memcmp(id, instance_id, il) == 0;
	pthread_mutex_unlock(&instance_mu);
	if (mine)
		return true;
	char path[4300];
	snprintf(path, sizeof path, "%s/%s.%.*s.lock", dir, host, (int)il, id);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false; /* no lock: its process is gone */
	bool held = flock(fd, LOCK_EX | LOCK_NB) != 0;
	close(fd);
	return held;
}

int evidence_recover(app *a, evidence_recovery *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	char dir[4096];
	if (spool_dir(a, dir, sizeof dir, e) != 0)
		return -1;
	DIR *d = opendir(dir);
	if (d == NULL)
		return sg_err_set(e, SG_EIO, "cannot read %s: %s", dir, strerror(errno));
	char host[72];
	host_tag(host, sizeof host);
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL && rc == 0) {
		const char *n = de->d_name;
		if (n[0] == '.')
			continue;
		char path[4400];
		snprintf(path, sizeof path, "%s/%s", dir, n);
		size_t len = strlen(n);
		if (len > 5 && strcmp(n + len - 5, ".lock") == 0)
			continue; /* settled below, after the files */
		if (len > 5 && strcmp(n + len - 5, ".part") == 0) {
			if (!owner_alive(dir, n, host)) {
				unlink(path);
				out->partial++;
			}
			continue;
		}
		if (len < 66 || !hex64(n) || n[64] != '.' || owner_alive(dir, n + 65, host))
			continue;
		char sha[65];
		memcpy(sha, n, 64);
		sha[64] = '\0';
		int64_t known = 0;
		int q = db_query_int(a->db, e, &known, "SELECT 1 FROM evidence WHERE sha256 = ?",
		                     "s", sha);
		if (q < 0) {
			rc = -1;
			break;
		}
		if (q == DB_ROW) {
			evidence_file f = {.size = 0};
			snprintf(f.path, sizeof f.path, "%s", path);
			snprintf(f.sha256, sizeof f.sha256, "%s", sha);
			if (evidence_place(a, &f, e) != 0) {
				rc = -1;
				break;
			}
			out->committed++;
		} else {
			unplace_path(a, path, sha);
			out->rolled_back++;
		}
		unlink(path);
	}
	/* the lock files of processes that are gone */
	rewinddir(d);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		size_t len = strlen(n);
		if (n[0] != '.' && len > 5 && strcmp(n + len - 5, ".lock") == 0 &&
		    !owner_alive(dir, n, host)) {
			char path[4400];
			snprintf(path, sizeof path, "%s/%s", dir, n);
			unlink(path);
		}
	}
	closedir(d);
	return rc;
}
