/*
 * sqlite.c: the SQLite driver of db.h.
 *
 * Every connection runs in WAL mode (readers never block the writer),
 * with foreign keys enforced, synchronous=NORMAL (durable at each WAL
 * checkpoint, safe against corruption) and a busy timeout, so two sigap
 * processes on one file wait for each other instead of failing.
 *
 * Writers of one process wait for each other's commits, not for a clock:
 * SQLite's own busy wait sleeps 1, 2, 5 … 100 ms between tries, and a
 * writer that keeps committing (the detection thread under a flood of
 * logs) takes the lock again each time before the sleeper wakes, so an
 * officer's save waited up to a second. Here a waiting writer sleeps on
 * a condition every commit of the process signals (the WAL hook runs
 * once the write lock is released) and tries again at once; another
 * process's lock is still polled, every few milliseconds.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_driver.h"

enum {
	BUSY_TIMEOUT_MS = 10000,
	BUSY_POLL_MS = 5,          /* another process's lock: tried this often */
	AUTOCHECKPOINT_PAGES = 1000 /* SQLite's default, which its own WAL hook ran */
};

extern const embed_file sigap_migrations[];

/* A failure of SQLite's rc: a writer that waited BUSY_TIMEOUT_MS for
 * another's transaction (a long import, a backup) is SG_EBUSY, which a
 * web client gets as 503 with Retry-After; a broken constraint is
 * SG_ECONFLICT; the rest SG_EDB. */
static int fail_rc(sqlite3 *conn, int rc, sg_err *e, const char *what)
{
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return sg_err_set(e, SG_EBUSY,
		                  "the database is busy with another change (a long import or a "
		                  "backup); try again in a few seconds");
	sg_code code = (rc & 0xff) == SQLITE_CONSTRAINT ? SG_ECONFLICT : SG_EDB;
	if (conn == NULL || strcmp(what, sqlite3_errmsg(conn)) == 0)
		return sg_err_set(e, code, "%s", what);
	return sg_err_set(e, code, "%s: %s", what, sqlite3_errmsg(conn));
}

static int fail(sqlite3 *conn, sg_err *e, const char *what)
{
	return fail_rc(conn, conn ? sqlite3_extended_errcode(conn) : SQLITE_ERROR, e, what);
}

/* The commits of this process, which the writers waiting for the lock
 * wait for (on_busy, on_commit). */
static pthread_mutex_t commit_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t commit_cv;   /* on the monotonic clock (configure_once) */
static unsigned long commits;      /* under commit_mu: commits signalled */
static atomic_int writers_waiting; /* in on_busy */

/* SQLite counts the memory it holds under a lock of its own, taken at
 * every allocation and free of every connection; nothing reads the count
 * (sqlite3_memory_used), and an import's store thread spent a twentieth
 * of its time in that lock. Set once, before SQLite starts. */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&commit_cv, &ca);
	pthread_condattr_destroy(&ca);
}

/* SQLite's busy handler: tries is 0 at the first call of a wait. Waits
 * for the next commit of this process, or BUSY_POLL_MS; gives up (0, and
 * the statement fails with SQLITE_BUSY) after BUSY_TIMEOUT_MS. A wait is
 * one thread's, so its start is kept per thread. */
static int on_busy(void *unused, int tries)
{
	(void)unused;
	static _Thread_local int64_t since;
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	int64_t now = (int64_t)until.tv_sec * 1000 + until.tv_nsec / 1000000;
	if (tries == 0)
		since = now;
	if (now - since >= BUSY_TIMEOUT_MS)
		return 0;
	until.tv_nsec += BUSY_POLL_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&commit_mu);
	unsigned long seen = commits;
	atomic_fetch_add(&writers_waiting, 1);
	while (commits == seen && pthread_cond_timedwait(&commit_cv, &commit_mu, &until) == 0)
		;
	atomic_fetch_sub(&writers_waiting, 1);
	pthread_mutex_unlock(&commit_mu);
	return 1;
}

/* After each commit, the write lock released: the waiting writers of this
 * process woken, then the checkpoint SQLite's own hook would have run. */
static int on_commit(void *unused, sqlite3 *conn, const char *name, int pages)
{
	(void)unused;
	if (atomic_load_explicit(&writers_waiting, memory_order_relaxed) > 0) {
		pthread_mutex_lock(&commit_mu);
		commits++;
		pthread_cond_broadcast(&commit_cv);
		pthread_mutex_unlock(&commit_mu);
	}
	if (pages >= AUTOCHECKPOINT_PAGES)
		sqlite3_wal_checkpoint_v2(conn, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

static int sq_open(const char *path, db_open_mode mode, void **out, sg_err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	struct stat st;
	if (mode != DB_OPEN_CREATE && stat(path, &st) != 0)
		return sg_err_set(e, SG_ENOTFOUND,
				  "database %s does not exist; create it with 'sigap init'", path);
	sqlite3 *conn = NULL;
	/* a connection is one thread's at a time (each worker, input and
	 * command opens its own; db.c's statement cache has no lock either),
	 * so SQLite's own lock on every call of it would guard nothing */
	int flags = (mode == DB_OPEN_READONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		    SQLITE_OPEN_NOMUTEX | (mode == DB_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &conn, flags, NULL) != SQLITE_OK) {
		int r = sg_err_set(e, SG_EDB, "cannot open database %s: %s", path,
				   conn ? sqlite3_errmsg(conn) : strerror(errno));
		sqlite3_close(conn);
		return r;
	}
	sqlite3_busy_handler(conn, on_busy, NULL);
	sqlite3_extended_result_codes(conn, 1);
	char *msg = NULL;
	const char *setup = mode == DB_OPEN_READONLY ? "PRAGMA query_only = ON;"
						     : "PRAGMA foreign_keys = ON;"
						       "PRAGMA journal_mode = WAL;"
						       "PRAGMA synchronous = NORMAL;";
	if (sqlite3_exec(conn, setup, NULL, NULL, &msg) != SQLITE_OK) {
		int r = sg_err_set(e, SG_EDB, "cannot set up database %s: %s", path,
				   msg ? msg : "unknown error");
		sqlite3_free(msg);
		sqlite3_close(conn);
		return r;
	}
	if (mode != DB_OPEN_READONLY)
		sqlite3_wal_hook(conn, on_commit, NULL); /* in place of wal_autocheckpoint's */
	*out = conn;
	return 0;
}

static void sq_close(void *conn)
{
	sqlite3_close_v2(conn);
}

/* A consistent copy of the open database into a new file at path, made
 * by SQLite's online backup API a hundred pages at a time inside one read
 * transaction of the source: the copy is of one moment, and writers go
 * on meanwhile (WAL) without restarting it, as each change of theirs did
 * when every step read the database afresh. The file is written beside
 * path under a temporary name, synced, made readable by its owner only,
 * then renamed: path never holds half a copy. path must not exist, not
 * even as a symbolic link. */
/* part renamed to path only if nothing took that name meanwhile
 * (rename alone would replace it): RENAME_NOREPLACE, else, on a file
 * system without it, a hard link then the unlink of part. -1 with errno
 * (EEXIST: path is there). */
static int place_noreplace(const char *part, const char *path)
{
	if (renameat2(AT_FDCWD, part, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	if (link(part, path) == 0) {
		unlink(part);
		return 0;
	}
	if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP)
		return -1;
	/* a file system with neither: the name is looked at last, then taken */
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(part, path);
}

static int sq_backup(void *conn, const char *path, void (*progress)(int left, int total, void *),
                     void *arg, sg_err *e)
{
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return sg_err_set(e, SG_ECONFLICT, "%s exists: a backup never overwrites a file", path);
	size_t n = strlen(path) + sizeof ".part";
	char *part = malloc(n);
	if (part == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	snprintf(part, n, "%s.part", path);
	/* the temporary name is made here, by this backup alone: a file of
	 * that name is someone's, never written over nor removed */
	int pfd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (pfd < 0) {
		int err = errno;
		sg_err_set(e, err == EEXIST ? SG_ECONFLICT : SG_EIO,
		           err == EEXIST ? "%s exists (a backup left half made, or another file): "
		                           "remove it, or give another name"
		                         : "cannot write %s: %s",
		           part, strerror(err));
		free(part);
		return -1;
	}
	close(pfd);
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(part, &out, SQLITE_OPEN_READWRITE, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(out, "main", conn, "main") : NULL;
	if (b == NULL) {
		sg_err_set(e, SG_EIO, "cannot write %s: %s", part,
		           out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		unlink(part);
		free(part);
		return -1;
	}
	bool reading = sqlite3_exec(conn, "BEGIN; SELECT COUNT(*) FROM sqlite_schema", NULL, NULL,
	                            NULL) == SQLITE_OK;
	do {
		rc = sqlite3_backup_step(b, 100);
		if (progress)
			progress(sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b), arg);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (reading)
		sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	int closed = sqlite3_close(out);
	int fd = rc == SQLITE_OK && closed == SQLITE_OK ? open(part, O_RDONLY) : -1;
	bool ok = fd >= 0 && fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	if (!ok || place_noreplace(part, path) != 0) {
		int err = errno;
		sg_err_set(e, err == EEXIST ? SG_ECONFLICT : SG_EIO, "cannot write the backup %s: %s",
		           path,
		           rc != SQLITE_OK ? sqlite3_errstr(rc)
		                           : err == EEXIST ? "a file of that name appeared meanwhile"
		                                           : strerror(err));
		unlink(part);
		char side[4200];
		snprintf(side, sizeof side, "%s-journal", part);
		unlink(side);
		free(part);
		return -1;
	}
	free(part);
	return 0;
}

static int sq_exec(void *conn, const char *sql, sg_err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int r = fail_rc(conn, rc, e, msg ? msg : sqlite3_errmsg(conn));
		sqlite3_free(msg);
		return r;
	}
	return 0;
}

static int sq_prepare(void *conn, const char *sql, void **out, sg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(conn, e, "cannot prepare statement");
	*out = st;
	return 0;
}

static int sq_bind_int(void *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int sq_bind_text(void *st, int idx, const char *s, bool held)
{
	int r = s ? sqlite3_bind_text(st, idx, s, -1, held ? SQLITE_STATIC : SQLITE_TRANSIENT)
		  : sqlite3_bind_null(st, idx);
	return r == SQLITE_OK ? 0 : -1;
}

static int sq_bind_null(void *st, int idx)
{
	return sqlite3_bind_null(st, idx) == SQLITE_OK ? 0 : -1;
}

static int sq_bind_real(void *st, int idx, double v)
{
	return sqlite3_bind_double(st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int sq_step(void *st, sg_err *e)
{
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		return DB_ROW;
	if (r == SQLITE_DONE)
		return DB_DONE;
	return fail_rc(sqlite3_db_handle(st), r, e, "database");
}

static int64_t sq_col_int(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static double sq_col_real(void *st, int col)
{
	return sqlite3_column_double(st, col);
}

static const char *sq_col_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static bool sq_col_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static int sq_reset(void *st)
{
	sqlite3_clear_bindings(st);
	return sqlite3_reset(st) == SQLITE_OK ? 0 : -1;
}

static void sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static int64_t sq_last_id(void *conn)
{
	return sqlite3_last_insert_rowid(conn);
}

static int64_t sq_changes(void *conn)
{
	return sqlite3_changes64(conn);
}

static void sq_wait_for_writers(void *conn, bool wait)
{
	sqlite3_busy_handler(conn, wait ? on_busy : NULL, NULL);
}

/* Whether another process holds the SQLite file at path open. A
 * connection in WAL mode holds a read lock on the dead-man byte of the
 * -shm file for as long as it is open, idle or not (SQLite's unix VFS:
 * byte 128, after the eight WAL locks at 120); a connection in a
 * rollback journal's transaction holds the lock bytes of the file itself
 * (PENDING at 1 GiB, then RESERVED and the SHARED range). F_GETLK sees
 * other processes' locks only. */
static bool held_elsewhere(const char *path)
{
	char shm[4200];
	snprintf(shm, sizeof shm, "%s-shm", path);
	struct {
		const char *file;
		off_t start, len;
	} probes[] = {{shm, 128, 1}, {path, 0x40000000, 512 + 2}};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		int fd = open(probes[i].file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET,
		                  .l_start = probes[i].start, .l_len = probes[i].len};
		bool held = fcntl(fd, F_GETLK, &l) == 0 && l.l_type != F_UNLCK;
		close(fd);
		if (held)
			return true;
	}
	return false;
}

/* A backup put back in place of the store at path (sigap db restore):
 *   - from is checked first: a SQLite file that passes quick_check and
 *     holds sigap's schema, no newer than this binary's;
 *   - path, when it exists, must be in no one's hands: no other process
 *     may hold it open, even idle (held_elsewhere), and it is then opened
 *     in exclusive locking mode, so none can open it until the end;
 *   - the backup is written into it by SQLite's backup API, in one
 *     transaction of the store's own journal: a crash leaves the old
 *     store or the backup, never a mixture, the file keeps its inode,
 *     owner and mode, and no old journal can meet the new content.
 * *version is the backup's schema version. */
int sqlite_restore(const char *store, const char *from, int latest, int *version, sg_err *e)
{
	*version = 0;
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;
	bool made = false;
	/* a store reached through a symbolic link is restored where it is */
	char *real = realpath(store, NULL);
	const char *path = real ? real : store;
	char *real_from = realpath(from, NULL);
	if (real && real_from && strcmp(real, real_from) == 0) {
		sg_err_set(e, SG_EINVAL, "%s is the store itself: give a backup", from);
		goto out;
	}
	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sg_err_set(e, SG_EIO, "cannot open the backup %s: %s", from,
		           src ? sqlite3_errmsg(src) : strerror(errno));
		goto out;
	}
	if (sqlite3_prepare_v2(src, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		sg_err_set(e, SG_EINTEGRITY, "%s is not an intact SQLite database: %s", from,
		           st && sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
		                                            : sqlite3_errmsg(src));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(src, "SELECT COALESCE(MAX(version), 0) FROM schema_version", -1, &st,
	                       NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || (*version = sqlite3_column_int(st, 0)) <= 0) {
		sg_err_set(e, SG_EINVAL, "%s holds no sigap store", from);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (*version > latest) {
		sg_err_set(e, SG_ESCHEMA,
		           "%s has schema version %d, newer than this sigap's %d: restore it with the "
		           "sigap that made it",
		           from, *version, latest);
		goto out;
	}
	struct stat sb;
	bool existed = stat(path, &sb) == 0;
	if (existed && held_elsewhere(path))
		goto busy;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sg_err_set(e, SG_EIO, "cannot open %s: %s", path,
		           dst ? sqlite3_errmsg(dst) : strerror(errno));
		goto out;
	}
	made = !existed;
	if (made) {
		chmod(path, 0600);
		/* made by root where the service keeps its store: the
		 * directory's owner's, as the service's store is */
		char dir[4200];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (!slash)
			snprintf(dir, sizeof dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		struct stat ds;
		if (geteuid() == 0 && stat(dir, &ds) == 0 && ds.st_uid != 0)
			(void)chown(path, ds.st_uid, ds.st_gid);
	}
	/* from here until it is closed, no one else opens it; out of WAL for
	 * the copy, which in WAL cannot change the page size (a backup made
	 * with another one); the next open sets WAL again */
	if (sqlite3_exec(dst, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;", NULL,
	                 NULL, NULL) != SQLITE_OK)
		goto busy;
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		sg_err_set(e, SG_EIO, "cannot write the backup into %s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int step = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		sg_err_set(e, step == SQLITE_BUSY || step == SQLITE_LOCKED ? SG_EBUSY : SG_EIO,
		           "cannot write the backup into %s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	rc = 0;
	goto out;
busy:
	sg_err_set(e, SG_EBUSY,
	           "%s is in use (a sigap serve, or a command, has it open): stop it "
	           "(systemctl stop sigap) before a restore",
	           path);
out:
	sqlite3_finalize(st);
	sqlite3_close(src);
	sqlite3_close(dst);
	if (rc != 0 && made) {
		unlink(path);
		char side[4200];
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-journal", path);
		unlink(side);
	}
	free(real);
	free(real_from);
	return rc;
}

const db_driver db_sqlite_driver = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.bind_real = sq_bind_real,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_real = sq_col_real,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.begin_sql = "BEGIN IMMEDIATE",
	.changes = sq_changes,
	.last_id = sq_last_id,
	.wait_for_writers = sq_wait_for_writers,
	.migrations = sigap_migrations,
	.backup = sq_backup,
	.table_count_sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
};
