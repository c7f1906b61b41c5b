/*
 * follow.c: the alerts.json follower: reads Wazuh's alerts file as it
 * grows, a line an alert, and follows it across rotation without losing
 * or repeating a line, also when the rotation happened while sigap was
 * stopped or had crashed.
 *
 * The files of the input, oldest first, are its rotated names and then
 * the path: PATH.N as logrotate's "rotate N" names them (PATH.1 the
 * newest; ordered by the number, which is exact), then the files
 * [inputs] wazuh_alerts_rotated matches, as the site's rotation names
 * them (Wazuh's own logs/alerts/YYYY/Mon/ossec-alerts-DD.json, of which
 * alerts.json is a hard link; ordered by modification time, then name),
 * the two merged by modification time. A file is known by its inode, so
 * a rename does not change it; compressed names (.gz and the like) are
 * never read. A listing is taken twice and used when both agree, so a
 * rotation under way is not half seen.
 *
 * At start the stored position (inode and offset after the last line
 * whose alerts are committed) is looked for: at the path, reading goes on
 * there; under a rotated name (rotated while sigap was down, perhaps
 * several times), the rest of that file is read first, then every file
 * after it in the order above, then the path. Archives before it are
 * never read. When it is nowhere (deleted, compressed), what was left of
 * it is lost: counted in /metrics (sigap_ingest_rotated_lost_total) and
 * logged, and reading goes on with the rotated files changed at or after
 * the time the position was stored, then the path.
 *
 * While running, reaching the end of the file is followed by a look at
 * the path: a shorter file means it was truncated in place and is read
 * again from its start; another file (or none) means rotation: the old
 * file stays open and is read until it has been quiet for QUIET_MS (the
 * writer may still append to it for a moment after the rename), then the
 * next file after it is opened. Switching to a file queues a position
 * mark (an empty item) so the stored position names the new file once
 * the old one's lines are committed. Positions handed on are always line
 * ends, so a partial line being written is never read half.
 *
 * Loops and their cost: the bytes of each file are scanned once for line
 * ends. A rotation (daily, or per logrotate's schedule) costs a listing:
 * a stat of PATH.1, PATH.2, … up to NUM_GAP past the last one there, the
 * glob's matches, sorting them (n log n), twice or a few times until two
 * agree; looking the last file up in it and in the set of older ones is
 * linear per file, n² for n files listed (tens to a few hundred).
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "ingest_int.h"

enum {
	QUIET_MS = 1000, /* an old file silent this long after rotation is done */
	NUM_MAX = 1000,  /* PATH.N looked at up to this N */
	NUM_GAP = 3,     /* ... and at most this far past the last one present */
	LIST_TRIES = 6,  /* listings taken until two agree */
};

typedef struct rfile {
	char *name;
	uint64_t ino;
	int64_t mtime_ns;
	int64_t size;
	int num;      /* N of PATH.N; 0: from the glob, or the path */
	bool current; /* the path itself (always last) */
} rfile;

typedef struct listing {
	rfile *v;
	size_t n, cap;
} listing;

struct follower {
	ingest *g;
	char *path;
	const char *rotated; /* [inputs] wazuh_alerts_rotated, or NULL */
	uint64_t inode;      /* the stored inode (0: never read) */
	int64_t position;    /* the stored offset in it */
	int64_t stored_at;   /* when it was stored, seconds */
	uint64_t *older;     /* inodes of rotated files before the one read */
	size_t n_older;
	bool glob_warned;
	pthread_t tid;
	atomic_bool stop;
};

/* The file being read. */
typedef struct reader {
	int fd;
	uint64_t ino;
	int64_t pos;      /* file offset of data[0] */
	size_t have;      /* bytes in data */
	bool skipping;    /* inside a line longer than max_line */
	int64_t moved_ms; /* when the path was first seen naming another file */
	int64_t data_ms;  /* when data was last read */
} reader;

static void nap(follower *f, int ms)
{
	for (int i = 0; i < ms / 50 && !atomic_load(&f->stop); i++)
		usleep(50000);
}

static int64_t now_ms(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* ---- listing the files of the input ---- */

static void listing_free(listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	*l = (listing){0};
}

static bool listed(const listing *l, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ino == ino)
			return true;
	return false;
}

static void add(listing *l, const char *name, const struct stat *st, int num, bool current)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		rfile *v = realloc(l->v, cap * sizeof *v);
		if (v == NULL)
			abort();
		l->v = v;
		l->cap = cap;
	}
	char *copy = strdup(name);
	if (copy == NULL)
		abort();
	l->v[l->n++] = (rfile){copy, (uint64_t)st->st_ino, mtime_ns(st), (int64_t)st->st_size, num,
	                       current};
}

static bool compressed_name(const char *name)
{
	static const char *const ext[] = {".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip", ".Z"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t k = strlen(ext[i]);
		if (n > k && strcmp(name + n - k, ext[i]) == 0)
			return true;
	}
	return false;
}

static int by_number_desc(const void *a, const void *b)
{
	const rfile *x = a, *y = b;
	return (x->num < y->num) - (x->num > y->num);
}

static int by_mtime_name(const void *a, const void *b)
{
	const rfile *x = a, *y = b;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Merges v[0..k) (PATH.N, oldest first) with v[k..n) (the glob's, oldest
 * first) by modification time; on a tie the numbered file goes first. */
static void merge(listing *l, size_t k)
{
	if (k == 0 || k == l->n)
		return;
	rfile *out = malloc(l->n * sizeof *out);
	if (out == NULL)
		abort();
	size_t i = 0, j = k, o = 0;
	while (i < k || j < l->n) {
		if (j == l->n || (i < k && l->v[i].mtime_ns <= l->v[j].mtime_ns))
			out[o++] = l->v[i++];
		else
			out[o++] = l->v[j++];
	}
	memcpy(l->v, out, l->n * sizeof *out);
	free(out);
}

static void list_once(follower *f, listing *l)
{
	struct stat cur;
	bool have_cur = stat(f->path, &cur) == 0 && S_ISREG(cur.st_mode);
	size_t cap = strlen(f->path) + 16;
	char *name = malloc(cap);
	if (name == NULL)
		abort();
	for (int i = 1, last = 0; i <= last + NUM_GAP && i <= NUM_MAX; i++) {
		struct stat st;
		snprintf(name, cap, "%s.%d", f->path, i);
		if (stat(name, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		last = i;
		if ((have_cur && st.st_ino == cur.st_ino) || listed(l, (uint64_t)st.st_ino))
			continue;
		add(l, name, &st, i, false);
	}
	free(name);
	size_t k = l->n;
	if (k > 1)
		qsort(l->v, k, sizeof *l->v, by_number_desc);
	if (f->rotated) {
		glob_t gl;
		int rc = glob(f->rotated, GLOB_NOSORT, NULL, &gl);
		if (rc == 0) {
			for (size_t i = 0; i < gl.gl_pathc; i++) {
				struct stat st;
				const char *p = gl.gl_pathv[i];
				if (compressed_name(p) || stat(p, &st) != 0 || !S_ISREG(st.st_mode) ||
				    (have_cur && st.st_ino == cur.st_ino) || listed(l, (uint64_t)st.st_ino))
					continue;
				add(l, p, &st, 0, false);
			}
			globfree(&gl);
		} else if (rc != GLOB_NOMATCH && !f->glob_warned) {
			f->glob_warned = true;
			log_say(LOG_WARN, "[inputs] wazuh_alerts_rotated %s cannot be read",
			        f->rotated);
		}
		if (l->n - k > 1)
			qsort(l->v + k, l->n - k, sizeof *l->v, by_mtime_name);
		merge(l, k);
	}
	if (have_cur)
		add(l, f->path, &cur, 0, true);
}

static bool same_files(const listing *a, const listing *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].ino != b->v[i].ino || strcmp(a->v[i].name, b->v[i].name) != 0)
			return false;
	return true;
}

/* A listing two takes in a row agree on (or the last of LIST_TRIES). */
static void list_files(follower *f, listing *out)
{
	listing a = {0};
	list_once(f, &a);
	for (int t = 1; t < LIST_TRIES; t++) {
		listing b = {0};
		list_once(f, &b);
		bool same = same_files(&a, &b);
		listing_free(&a);
		a = b;
		if (same)
			break;
		usleep(20000);
	}
	*out = a;
}

static long find(const listing *l, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ino == ino)
			return (long)i;
	return -1;
}

static bool is_older(const follower *f, uint64_t ino)
{
	for (size_t i = 0; i < f->n_older; i++)
		if (f->older[i] == ino)
			return true;
	return false;
}

/* Remembers the files listed before l->v[j] as older than it. */
static void set_older(follower *f, const listing *l, size_t j)
{
	free(f->older);
	f->older = NULL;
	f->n_older = 0;
	if (j == 0)
		return;
	f->older = malloc(j * sizeof *f->older);
	if (f->older == NULL)
		abort();
	for (size_t i = 0; i < j; i++)
		f->older[i] = l->v[i].ino;
	f->n_older = j;
}

static void count_lost(follower *f, const char *what, int64_t bytes)
{
	atomic_fetch_add(&f->g->rotated_lost_files, 1);
	if (bytes > 0)
		atomic_fetch_add(&f->g->rotated_lost_bytes, (unsigned long long)bytes);
	log_say(LOG_WARN, "%s: %s; its unread lines are lost (counted in /metrics)", f->path,
	        what);
}

/* Opens a listed file at offset; -1 when it is no longer there under that
 * name (renamed meanwhile: list again), -2 when it cannot be read. */
static int open_listed(const rfile *rf, int64_t offset)
{
	int fd = open(rf->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -1 : -2;
	struct stat st;
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_ino != rf->ino) {
		close(fd);
		return -1;
	}
	if (lseek(fd, offset, SEEK_SET) != offset) {
		int err = errno;
		close(fd);
		errno = err;
		return -2;
	}
	return fd;
}

/* Starts reading l->v[j] and what follows it at offset; a file that
 * cannot be read is counted lost and the next one is taken. 0, or -1
 * when none could be opened (list again later). */
static int start_at(follower *f, reader *r, const listing *l, size_t j, int64_t offset)
{
	for (; j < l->n; j++, offset = 0) {
		int fd = open_listed(&l->v[j], offset);
		if (fd == -1)
			return -1;
		if (fd == -2) {
			char what[600];
			snprintf(what, sizeof what, "%s cannot be read (%s)", l->v[j].name, strerror(errno));
			count_lost(f, what, l->v[j].size - offset);
			continue;
		}
		if (r->fd >= 0)
			close(r->fd);
		*r = (reader){fd, l->v[j].ino, offset, 0, false, 0, 0};
		set_older(f, l, j);
		if (offset == 0) /* the stored position names this file from now on */
			ingest_submit(f->g, IN_FILE, "", 0, -1, r->ino, 0);
		return 0;
	}
	return -1;
}

/* Remembers every listed rotated file but the one with inode ino as older
 * than the file read (at start, when that file is the path's). */
static void set_older_than_path(follower *f, const listing *l, uint64_t ino)
{
	set_older(f, l, 0);
	f->older = malloc((l->n ? l->n : 1) * sizeof *f->older);
	if (f->older == NULL)
		abort();
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].current && l->v[i].ino != ino)
			f->older[f->n_older++] = l->v[i].ino;
}

/* The first file to read at start, from the stored position; -1 when
 * there is none yet (waiting for the path). */
static int start(follower *f, reader *r, bool *warned)
{
	struct stat st;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && (f->inode == 0 || (uint64_t)st.st_ino == f->inode)) {
		/* never read, or the stored file is still at the path */
		int64_t pos = 0;
		if (f->inode != 0 && f->position <= st.st_size)
			pos = f->position;
		else if (f->inode != 0)
			log_say(LOG_WARN, "%s is shorter than when last read (truncated); reading it "
			                "from the start",
			        f->path);
		lseek(fd, pos, SEEK_SET);
		*r = (reader){fd, (uint64_t)st.st_ino, pos, 0, false, 0, 0};
		listing l;
		list_files(f, &l);
		set_older_than_path(f, &l, r->ino);
		listing_free(&l);
		return 0;
	}
	int err = errno;
	if (fd >= 0)
		close(fd);
	if (f->inode == 0) {
		if (!*warned)
			log_say(LOG_WARN, "%s: %s (waiting for it)", f->path, strerror(err));
		*warned = true;
		return -1;
	}
	/* the path names another file, or none: rotated while sigap was down */
	listing l;
	list_files(f, &l);
	int rc = -1;
	long k = find(&l, f->inode);
	if (k >= 0) {
		int64_t pos = f->position <= l.v[k].size ? f->position : 0;
		log_say(LOG_WARN, "%s was rotated before it was read to its end; reading the "
		                "rest of %s first",
		        f->path, l.v[k].name);
		rc = start_at(f, r, &l, (size_t)k, pos);
	} else {
		/* gone: the rotated files changed since it was last read follow
		 * it, and the path; older ones were read before it */
		size_t j = 0;
		while (j < l.n && !l.v[j].current && l.v[j].mtime_ns / 1000000000 < f->stored_at)
			j++;
		if (j < l.n && (rc = start_at(f, r, &l, j, 0)) == 0) {
			char what[200];
			snprintf(what, sizeof what,
			         "the file last read (inode %llu) is no longer there under its name or a "
			         "rotated name (deleted or compressed)",
			         (unsigned long long)f->inode);
			count_lost(f, what, 0);
		}
	}
	if (rc != 0 && !*warned) {
		log_say(LOG_WARN, "%s: no file to read yet (waiting for it)", f->path);
		*warned = true;
	}
	listing_free(&l);
	return rc;
}

/* After the file read was rotated and has been quiet: the file after it,
 * or -1 when there is none yet. */
static int next_file(follower *f, reader *r)
{
	listing l;
	list_files(f, &l);
	long k = find(&l, r->ino);
	size_t j = 0;
	if (k >= 0) {
		j = (size_t)k + 1;
	} else { /* deleted or compressed once read: the first not known older */
		while (j < l.n && is_older(f, l.v[j].ino))
			j++;
	}
	int rc = -1;
	size_t partial = r->have;
	if (j < l.n && (rc = start_at(f, r, &l, j, 0)) == 0 && partial)
		ingest_count_bad(f->g, IN_FILE, "the file ended inside a line (rotated)");
	listing_free(&l);
	return rc;
}

/* Hands on the complete lines in data; keeps a partial one. */
static void hand_on(follower *f, reader *r, char *data, size_t cap)
{
	ingest *g = f->g;
	size_t start = 0;
	for (;;) {
		char *nl = memchr(data + start, '\n', r->have - start);
		if (nl == NULL)
			break;
		size_t n = (size_t)(nl - (data + start)), end = (size_t)(nl - data) + 1;
		if (r->skipping)
			r->skipping = false; /* the end of an over-long line */
		else if (n > 0 &&
		         ingest_submit(g, IN_FILE, data + start, n, -1, r->ino, r->pos + (int64_t)end) !=
		             0 &&
		         atomic_load(&f->stop))
			break;
		start = end;
	}
	memmove(data, data + start, r->have - start);
	r->have -= start;
	r->pos += (int64_t)start;
	if (r->have == cap) { /* a line longer than max_line: skip to its end */
		if (!r->skipping)
			ingest_count_bad(g, IN_FILE, "longer than [inputs] max_line");
		r->skipping = true;
		r->pos += (int64_t)r->have;
		r->have = 0;
	}
}

static void *follow_main(void *arg)
{
	follower *f = arg;
	size_t cap = (size_t)f->g->cfg->in_max_line + 1;
	char *data = malloc(cap);
	if (data == NULL)
		return NULL;
	reader r = {.fd = -1};
	bool warned = false;
	while (!atomic_load(&f->stop)) {
		if (r.fd < 0) {
			if (start(f, &r, &warned) != 0) {
				nap(f, 1000);
				continue;
			}
			warned = false;
		}
		ssize_t got = read(r.fd, data + r.have, cap - r.have);
		if (got < 0) {
			if (errno != EINTR) {
				log_say(LOG_WARN, "%s: %s", f->path, strerror(errno));
				nap(f, 1000);
			}
			continue;
		}
		if (got > 0) {
			r.have += (size_t)got;
			r.data_ms = now_ms(CLOCK_MONOTONIC);
			hand_on(f, &r, data, cap);
			continue;
		}
		/* at the end: rotated, truncated, or just nothing new yet */
		struct stat st;
		if (stat(f->path, &st) == 0 && (uint64_t)st.st_ino == r.ino) {
			r.moved_ms = 0;
			if (st.st_size < r.pos + (int64_t)r.have) {
				log_say(LOG_WARN, "%s was truncated; reading it from the start", f->path);
				lseek(r.fd, 0, SEEK_SET);
				r.pos = 0;
				r.have = 0;
				r.skipping = false;
				continue;
			}
			nap(f, 200);
			continue;
		}
		/* the path names another file, or none: this one was rotated */
		int64_t now = now_ms(CLOCK_MONOTONIC);
		if (r.moved_ms == 0)
			r.moved_ms = now;
		int64_t last = r.moved_ms > r.data_ms ? r.moved_ms : r.data_ms;
		bool quiet = now - last >= QUIET_MS;
		if (!quiet && fstat(r.fd, &st) == 0)
			quiet = now_ms(CLOCK_REALTIME) - mtime_ns(&st) / 1000000 >= QUIET_MS;
		if (!quiet)
			nap(f, 200);
		else if (next_file(f, &r) != 0)
			nap(f, 1000); /* nothing after it yet: the path is not there */
	}
	if (r.fd >= 0)
		close(r.fd);
	free(data);
	return NULL;
}

follower *follow_start(ingest *g, const char *path, uint64_t inode, int64_t position,
                       int64_t stored_at, sg_err *e)
{
	follower *f = calloc(1, sizeof *f);
	if (f == NULL)
		return NULL;
	f->g = g;
	f->path = strdup(path);
	f->rotated = g->cfg->in_wazuh_rotated;
	f->inode = inode;
	f->position = position;
	f->stored_at = stored_at;
	if (f->path == NULL || pthread_create(&f->tid, NULL, follow_main, f) != 0) {
		free(f->path);
		free(f);
		sg_err_set(e, SG_EIO, "the follower of %s cannot start", path);
		return NULL;
	}
	log_say(LOG_INFO, "following %s%s", path, position ? " from its stored position" : "");
	return f;
}

void follow_stop(follower *f)
{
	atomic_store(&f->stop, true);
	pthread_join(f->tid, NULL);
	free(f->older);
	free(f->path);
	free(f);
}
