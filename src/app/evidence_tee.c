/*
 * evidence_tee.c: a file read once, by its parser and into the evidence
 * spool together.
 *
 * A scanner report on the machine's own disk was copied whole into the
 * spool (hashed on the way, then synced), and that copy was parsed: a
 * 100,000-result report spent 0.3 s before its parser read a byte, on the
 * thread that then stores the results. Here the parser reads the file
 * through a stream (fopencookie) that writes every byte it hands over
 * into the spool as it hands it over: what the store keeps is exactly
 * what was parsed, and the copy is made on the parser's thread
 * (findings_pipe.c) while the store works. The spool gives its pages to
 * the disk as they are written (evidence_spool_write), so the sync of
 * evidence_tee_close waits for the last few MiB only.
 *
 * A parser reads the head of a file twice (the format is told from it,
 * then the parse starts again, scan.c): the first HEAD bytes are kept in
 * memory and read again from there, so the source is read once, from its
 * start to its end, and never seeked: a pipe or a device is read so as
 * well as a file, and a parser that refuses what it reads (/dev/zero is
 * no report) stops the copy at once. A seek back is refused once the
 * parser has read past HEAD.
 *
 * A regular file is read up to the size it had when it was opened, and
 * must keep it: one that ends before that size (cut short while it was
 * read) or has bytes past it (written to meanwhile) fails the import, so
 * the store never keeps bytes the parser did not read, and a file written
 * to without end cannot hold the import. What a parser leaves unread
 * before that size (nothing, with the parsers of src/vuln/, which read to
 * the end) is copied at close: the whole file is kept, as it was given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"

enum {
	HEAD = 256 << 10,  /* bytes kept for a read again; also the stream's buffer */
};

struct evidence_tee {
	int fd;                /* the source */
	int64_t size;          /* a regular file's size when opened; -1: a stream, to its end */
	evidence_spool *spool; /* what was read of it, in order */
	FILE *f;               /* the parser's stream */
	char *head;            /* the first HEAD bytes read (also the drain's buffer) */
	int64_t pos;           /* the stream's position */
	int64_t read;          /* bytes read from the source, all of them in the spool */
	char name[256];        /* the file as messages name it */
	bool failed;
	sg_err e; /* why a read failed, when the tee made it fail */
};

/* A failure of the tee itself: kept, so that the import reports it rather
 * than the parser's "cannot read"; the stream fails from now on. */
static ssize_t fail(evidence_tee *t, const sg_err *why)
{
	if (!t->failed) {
		t->failed = true;
		t->e = *why;
	}
	errno = EIO;
	return -1;
}

/* One read(2) of the source: bytes read, 0 at its end, -1 (t->e). */
static ssize_t read_once(evidence_tee *t, char *out, size_t n)
{
	ssize_t r;
	do
		r = read(t->fd, out, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		sg_err why = {0};
		sg_err_set(&why, SG_EIO, "cannot read %s: %s", t->name, strerror(errno));
		return fail(t, &why);
	}
	return r;
}

/* One read from the source into out (up to a regular file's size when it
 * was opened), copied into the spool: bytes read, 0 at its end, -1 (t->e)
 * when either fails or the file was cut short. */
static ssize_t source_read(evidence_tee *t, char *out, size_t n)
{
	if (t->size >= 0 && (int64_t)n > t->size - t->read)
		n = (size_t)(t->size - t->read);
	if (n == 0)
		return 0;
	ssize_t r = read_once(t, out, n);
	if (r < 0)
		return -1;
	sg_err why = {0};
	if (r == 0) {
		if (t->size < 0)
			return 0;
		sg_err_set(&why, SG_ECONFLICT,
		           "%s was cut short while it was read; import it again once it is whole",
		           t->name);
		return fail(t, &why);
	}
	if (evidence_spool_write(t->spool, out, (size_t)r, &why) != 0) {
		sg_err_prefix(&why, "%s", t->name);
		return fail(t, &why);
	}
	if (t->read < HEAD && out != t->head) { /* the drain reads into the head itself */
		size_t room = (size_t)(HEAD - t->read);
		memcpy(t->head + t->read, out, (size_t)r < room ? (size_t)r : room);
	}
	t->read += r;
	return r;
}

static ssize_t tee_read(void *cookie, char *out, size_t n)
{
	evidence_tee *t = cookie;
	if (t->failed) {
		errno = EIO;
		return -1;
	}
	if (t->pos < t->read) { /* read again: the head, as it was read the first time */
		size_t m = (size_t)(t->read - t->pos) < n ? (size_t)(t->read - t->pos) : n;
		memcpy(out, t->head + t->pos, m);
		t->pos += (int64_t)m;
		return (ssize_t)m;
	}
	ssize_t r = source_read(t, out, n);
	if (r > 0)
		t->pos += r;
	return r;
}

/* A place the head holds, while every byte read is in it (the parser's
 * look at the head, then its start again, scan.c and xmlread.c), or the
 * position where it is (ftell); nowhere else, not the end. */
static int tee_seek(void *cookie, off64_t *offset, int whence)
{
	evidence_tee *t = cookie;
	int64_t to = whence == SEEK_SET ? *offset : whence == SEEK_CUR ? t->pos + *offset : -1;
	if (to == t->pos || (to >= 0 && to <= t->read && t->read <= HEAD)) {
		t->pos = to;
		*offset = to;
		return 0;
	}
	errno = ESPIPE;
	return -1;
}

static int tee_close(void *cookie)
{
	(void)cookie; /* the tee's own close frees it */
	return 0;
}

evidence_tee *evidence_tee_open(app *a, int fd, const char *name, sg_err *e)
{
	evidence_tee *t = calloc(1, sizeof *t);
	char *head = malloc(HEAD);
	if (t == NULL || head == NULL) {
		free(t);
		free(head);
		close(fd);
		sg_err_set(e, SG_ENOMEM, "out of memory");
		return NULL;
	}
	t->fd = fd;
	t->head = head;
	struct stat st;
	off_t at = lseek(fd, 0, SEEK_CUR); /* a regular file: read from here to its end */
	t->size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at >= 0 && at <= st.st_size
	              ? (int64_t)(st.st_size - at)
	              : -1;
	snprintf(t->name, sizeof t->name, "%s", name);
	/* the machine's owner imports a file of any size already on its disk
	 * ([evidence] max_size and [kerentanan] max_report_size are the
	 * network's limits) */
	t->spool = evidence_spool_open_max(a, INT64_MAX, e);
	if (t->spool == NULL) {
		evidence_tee_abort(t);
		return NULL;
	}
	cookie_io_functions_t io = {.read = tee_read, .seek = tee_seek, .close = tee_close};
	t->f = fopencookie(t, "rb", io);
	if (t->f == NULL || setvbuf(t->f, NULL, _IOFBF, HEAD) != 0) {
		sg_err_set(e, SG_ENOMEM, "out of memory");
		evidence_tee_abort(t);
		return NULL;
	}
	return t;
}

FILE *evidence_tee_stream(evidence_tee *t)
{
	return t->f;
}

bool evidence_tee_failed(const evidence_tee *t, sg_err *e)
{
	if (!t->failed)
		return false;
	*e = t->e;
	return true;
}

int evidence_tee_close(evidence_tee *t, evidence_file *out, sg_err *e)
{
	fclose(t->f);
	t->f = NULL;
	ssize_t r = t->failed ? -1 : 1; /* -1: a failure the parser did not stop at */
	while (r > 0)
		r = source_read(t, t->head, HEAD); /* what the parser left unread: kept too */
	char one;
	if (r == 0 && t->size >= 0 && (r = read_once(t, &one, 1)) > 0) {
		/* nothing may follow the size it was opened with */
		sg_err why = {0};
		sg_err_set(&why, SG_ECONFLICT,
		           "%s grew while it was read; import it again once it is whole", t->name);
		r = fail(t, &why);
	}
	if (r < 0) {
		*e = t->e;
		evidence_tee_abort(t);
		return -1;
	}
	int rc = evidence_spool_close(t->spool, out, e);
	t->spool = NULL; /* closed or, on failure, removed */
	evidence_tee_abort(t);
	return rc;
}

void evidence_tee_abort(evidence_tee *t)
{
	if (t == NULL)
		return;
	if (t->f)
		fclose(t->f);
	evidence_spool_abort(t->spool);
	close(t->fd);
	free(t->head);
	free(t);
}
