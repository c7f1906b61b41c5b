/*
 * follow.c: the alerts.json follower: reads Wazuh's alerts file as it
 * grows, a line an alert.
 *
 * It starts at the position stored with the file's inode (what the last
 * committed batch ended on); a file with another inode was rotated while
 * sigap was stopped and is read from its start. While running, reaching
 * the end of the file is followed by a look at the path: another inode
 * means rotation (the old file was read to its end first), a shorter file
 * means it was truncated in place; either way reading goes on from the
 * start of what is there now. Positions handed on are always line ends,
 * so a partial line being written is never read half.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_int.h"

struct follower {
	ingest *g;
	char *path;
	uint64_t inode;
	int64_t position;
	pthread_t tid;
	atomic_bool stop;
};

static void nap(follower *f, int ms)
{
	for (int i = 0; i < ms / 50 && !atomic_load(&f->stop); i++)
		usleep(50000);
}

/* Opens the path and places the reader; -1 when it cannot be opened. */
static int open_at(follower *f, int64_t *pos, bool *warned)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!*warned)
			fprintf(stderr, "sigap: %s: %s (waiting for it)\n", f->path, strerror(errno));
		*warned = true;
		return -1;
	}
	*warned = false;
	struct stat st;
	fstat(fd, &st);
	if ((uint64_t)st.st_ino == f->inode && f->position <= st.st_size) {
		*pos = f->position;
	} else {
		if (f->inode != 0)
			fprintf(stderr, "sigap: %s is another file than when last read (rotated or "
			                "replaced); reading it from the start\n",
			        f->path);
		*pos = 0;
		f->inode = (uint64_t)st.st_ino;
	}
	lseek(fd, *pos, SEEK_SET);
	return fd;
}

static void *follow_main(void *arg)
{
	follower *f = arg;
	ingest *g = f->g;
	size_t cap = (size_t)g->cfg->in_max_line + 1;
	char *data = malloc(cap);
	if (data == NULL)
		return NULL;
	int fd = -1;
	size_t have = 0;
	int64_t pos = 0; /* file offset of buf[0] */
	bool skipping = false, warned = false;
	while (!atomic_load(&f->stop)) {
		if (fd < 0) {
			if ((fd = open_at(f, &pos, &warned)) < 0) {
				nap(f, 1000);
				continue;
			}
			have = 0;
			skipping = false;
		}
		ssize_t r = read(fd, data + have, cap - have);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "sigap: %s: %s\n", f->path, strerror(errno));
			close(fd);
			fd = -1;
			nap(f, 1000);
			continue;
		}
		if (r > 0) {
			have += (size_t)r;
			size_t start = 0;
			for (;;) {
				char *nl = memchr(data + start, '\n', have - start);
				if (nl == NULL)
					break;
				size_t n = (size_t)(nl - (data + start)), end = (size_t)(nl - data) + 1;
				if (skipping)
					skipping = false; /* the end of an over-long line */
				else if (n > 0 &&
				         ingest_submit(g, IN_FILE, data + start, n, -1, f->inode,
				                       pos + (int64_t)end) != 0 &&
				         atomic_load(&f->stop))
					break;
				start = end;
			}
			memmove(data, data + start, have - start);
			have -= start;
			pos += (int64_t)start;
			if (have == cap) { /* a line longer than max_line: skip to its end */
				if (!skipping)
					ingest_count_bad(g, IN_FILE, "longer than [inputs] max_line");
				skipping = true;
				pos += (int64_t)have;
				have = 0;
			}
			continue;
		}
		/* at the end: rotated, truncated, or just nothing new yet */
		struct stat st;
		if (stat(f->path, &st) != 0 || (uint64_t)st.st_ino != f->inode) {
			if (have)
				ingest_count_bad(g, IN_FILE, "the file ended inside a line (rotated)");
			close(fd);
			fd = -1;
			f->inode = 0;
			f->position = 0;
			continue;
		}
		if (st.st_size < pos + (int64_t)have) {
			fprintf(stderr, "sigap: %s was truncated; reading it from the start\n", f->path);
			lseek(fd, 0, SEEK_SET);
			pos = 0;
			have = 0;
			continue;
		}
		nap(f, 200);
	}
	if (fd >= 0)
		close(fd);
	free(data);
	return NULL;
}

follower *follow_start(ingest *g, const char *path, uint64_t inode, int64_t position,
                       sg_err *e)
{
	follower *f = calloc(1, sizeof *f);
	if (f == NULL)
		return NULL;
	f->g = g;
	f->path = strdup(path);
	f->inode = inode;
	f->position = position;
	if (pthread_create(&f->tid, NULL, follow_main, f) != 0) {
		free(f->path);
		free(f);
		sg_err_set(e, SG_EIO, "the follower of %s cannot start", path);
		return NULL;
	}
	fprintf(stderr, "sigap: following %s%s\n", path, position ? " from its stored position" : "");
	return f;
}

void follow_stop(follower *f)
{
	atomic_store(&f->stop, true);
	pthread_join(f->tid, NULL);
	free(f->path);
	free(f);
}
