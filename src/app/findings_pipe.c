/*
 * findings_pipe.c: a scanner report imported on two threads, the parser
 * on one, the store on the other (findings.h): one received into the
 * evidence spool (vuln_import_spooled: an upload), or one on the
 * machine's disk, copied into the spool as the parser reads it
 * (vuln_import_read, evidence_tee.c: the command line).
 *
 * Reading a report (libxml2's reader, the scanner's parser in src/vuln/)
 * and storing its results (findings_import.c: one SQLite connection, one
 * transaction) share no state but the results, so the parser runs on a
 * thread of its own and hands over copies (vuln_result_dup) through a
 * bounded queue: the import then takes about as long as the longer of
 * the two instead of their sum (bench/vuln.sh; docs/performance.md). The
 * queue holds at most QUEUE_RESULTS results and QUEUE_BYTES bytes, so a
 * report of any size is read in a bounded amount of memory, and the
 * parser waits when the store is behind. What a result needs that
 * depends on nothing stored (its text's digest) is computed on the
 * parser's thread, which has the time: the store's is the import's
 * critical path.
 *
 * The store's thread is the caller's: the connection never changes
 * thread. A failure on either side stops both: a store that fails tells
 * the parser to stop at its next result, a parser that fails ends the
 * queue, and the import is rolled back (vuln_import_abort). When no
 * thread can be started the parser runs on the caller's thread, one
 * result at a time, as the same import.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"

enum { QUEUE_RESULTS = 256, QUEUE_BYTES = 8 << 20, BATCH = 32 };

typedef struct item {
	struct item *next;
	size_t size;
	vuln_result *r;
	char digest[SHA256_HEX_LEN + 1]; /* its text's (vuln_result_text_digest) */
} item;

typedef struct pipe_q {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	item *head, *tail;
	size_t n, bytes;
	bool ended;   /* the parser is done (parse_rc says how) */
	bool stopped; /* the store failed: the parser stops */
	/* the parser's side */
	FILE *f;
	const char *name;
	vuln_scanner scanner;
	vuln_report_info *info;
	item *batch_head, *batch_tail;
	size_t batch_n, batch_bytes;
	int parse_rc;
	sg_err parse_e;
} pipe_q;

static void items_free(item *it)
{
	while (it) {
		item *next = it->next;
		free(it->r);
		free(it);
		it = next;
	}
}

/* The parser's batch onto the queue, waiting for room; false when the
 * store has stopped. */
static bool push_batch(pipe_q *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->stopped && q->n > 0 &&
	       (q->n + q->batch_n > QUEUE_RESULTS || q->bytes + q->batch_bytes > QUEUE_BYTES))
		pthread_cond_wait(&q->room, &q->mu);
	bool stopped = q->stopped;
	if (!stopped && q->batch_head) {
		if (q->tail)
			q->tail->next = q->batch_head;
		else
			q->head = q->batch_head;
		q->tail = q->batch_tail;
		q->n += q->batch_n;
		q->bytes += q->batch_bytes;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->mu);
	if (stopped)
		items_free(q->batch_head);
	q->batch_head = q->batch_tail = NULL;
	q->batch_n = q->batch_bytes = 0;
	return !stopped;
}

/* What the copy takes, all of it: a result's references, URL or identity
 * can be as long as its texts (a Nuclei record of up to VULN_JSON_MAX
 * bytes); a size that left them out let the queue hold QUEUE_RESULTS of
 * them whatever QUEUE_BYTES says. */
static size_t item_bytes(size_t copy)
{
	return sizeof(item) + copy;
}

size_t vuln_import_queued_bytes(const vuln_result *r)
{
	return item_bytes(vuln_result_size(r));
}

/* The parser's callback: a copy of r into the batch, the batch onto the
 * queue when full. */
static int take(void *ctx, const vuln_result *r, sg_err *e)
{
	pipe_q *q = ctx;
	item *it = malloc(sizeof *it);
	size_t size = 0;
	vuln_result *c = it ? vuln_result_dup(r, &size) : NULL;
	if (c == NULL) {
		free(it);
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	}
	it->next = NULL;
	it->r = c;
	vuln_result_text_digest(c, it->digest); /* here, not on the store's thread */
	it->size = item_bytes(size); /* vuln_import_queued_bytes, the copy measured once */
	if (q->batch_tail)
		q->batch_tail->next = it;
	else
		q->batch_head = it;
	q->batch_tail = it;
	q->batch_n++;
	q->batch_bytes += it->size;
	if ((q->batch_n >= BATCH || q->batch_bytes >= QUEUE_BYTES / 4) && !push_batch(q))
		return sg_err_set(e, SG_EINVAL, "stopped");
	return 0;
}

static void *parse_thread(void *arg)
{
	pipe_q *q = arg;
	int rc = vuln_parse_stream(q->f, q->name, q->scanner, take, q, q->info, &q->parse_e);
	if (rc == 0 && !push_batch(q))
		rc = -1;
	items_free(q->batch_head); /* what a failed parse left unsent */
	q->batch_head = NULL;
	pthread_mutex_lock(&q->mu);
	q->parse_rc = rc;
	q->ended = true;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The store's side: every result the parser hands over, until it ends or
 * a result fails (then the parser is stopped). 0, or -1 with e set. */
static int store_all(pipe_q *q, vuln_import *im, sg_err *e)
{
	int rc = 0;
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->head == NULL && !q->ended)
			pthread_cond_wait(&q->more, &q->mu);
		item *list = q->head;
		q->head = q->tail = NULL;
		q->n = q->bytes = 0;
		bool ended = q->ended, failed = q->ended && q->parse_rc != 0;
		pthread_cond_signal(&q->room);
		pthread_mutex_unlock(&q->mu);
		if (failed) { /* the import is rolled back: what is left is not stored */
			items_free(list);
			return 0;
		}
		for (item *it = list; it && rc == 0; it = it->next)
			rc = vuln_import_result_digested(im, it->r, it->digest, e);
		items_free(list);
		if (rc != 0) {
			pthread_mutex_lock(&q->mu);
			q->stopped = true;
			pthread_cond_signal(&q->room);
			pthread_mutex_unlock(&q->mu);
			return -1;
		}
		if (ended && list == NULL)
			return 0;
	}
}

/* The parse of f (name: the file as messages name it) and the store of
 * its results, on two threads when one can be started: 0, or -1 with e
 * set (the parser's message when it failed first). */
static int parse_and_store(vuln_import *im, FILE *f, const char *name, vuln_scanner scanner,
                           vuln_report_info *info, sg_err *e)
{
	pipe_q q = {.f = f, .name = name, .scanner = scanner, .info = info};
	pthread_t t;
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.more, NULL);
	pthread_cond_init(&q.room, NULL);
	int rc;
	if (pthread_create(&t, NULL, parse_thread, &q) != 0) {
		rc = vuln_parse_stream(f, name, scanner, vuln_import_result, im, info, e);
	} else {
		sg_err store_e = {0};
		int stored = store_all(&q, im, &store_e);
		pthread_join(t, NULL);
		items_free(q.head);
		if (stored != 0) {
			*e = store_e; /* the store's failure stopped the parser */
			rc = -1;
		} else {
			rc = q.parse_rc;
			if (rc != 0)
				*e = q.parse_e;
		}
	}
	pthread_cond_destroy(&q.room);
	pthread_cond_destroy(&q.more);
	pthread_mutex_destroy(&q.mu);
	return rc;
}

/* The name a parser's messages give the report: never a spool path. */
static const char *shown_name(const vuln_import_req *req)
{
	const char *shown = req->shown_as && *req->shown_as ? req->shown_as : req->filename;
	return shown && *shown ? shown : "report";
}

/* The import ended by how its parse and store went (rc): committed, or
 * rolled back; info freed either way. */
static int end_import(vuln_import *im, vuln_report_info *info, int rc, vuln_import_summary *out,
                      sg_err *e)
{
	if (rc != 0)
		vuln_import_abort(im);
	else
		rc = vuln_import_end(im, info, out, e);
	vuln_report_info_free(info);
	return rc;
}

int vuln_import_spooled(app *a, const vuln_import_req *req, vuln_import_summary *out, sg_err *e)
{
	/* the spool file stays where it is until the import ends (the store
	 * links it), so the parser reads it there */
	FILE *f = fopen(req->file->path, "rb");
	if (f == NULL) {
		evidence_file_discard(req->file);
		return sg_err_set(e, SG_EIO, "%s: cannot read", shown_name(req));
	}
	vuln_report_info info = {0};
	vuln_import_req r = *req;
	r.info = &info; /* the scanner told before the first result */
	vuln_import *im = vuln_import_begin(a, &r, e);
	if (im == NULL) {
		fclose(f);
		return -1;
	}
	int rc = parse_and_store(im, f, shown_name(req), req->scanner, &info, e);
	fclose(f);
	return end_import(im, &info, rc, out, e);
}

int vuln_import_read(app *a, const vuln_import_req *req, int fd, vuln_import_summary *out,
                     sg_err *e)
{
	evidence_tee *t = evidence_tee_open(a, fd, shown_name(req), e);
	if (t == NULL)
		return -1;
	vuln_report_info info = {0};
	vuln_import_req r = *req;
	r.file = NULL; /* kept once it is read whole (vuln_import_keep) */
	r.info = &info;
	vuln_import *im = vuln_import_begin(a, &r, e);
	if (im == NULL) {
		evidence_tee_abort(t);
		return -1;
	}
	int rc = parse_and_store(im, evidence_tee_stream(t), shown_name(req), req->scanner, &info, e);
	if (rc != 0) {
		evidence_tee_failed(t, e); /* a read or a spool write that failed is the cause */
		evidence_tee_abort(t);
	} else {
		evidence_file file = {{0}};
		rc = evidence_tee_close(t, &file, e);
		if (rc == 0 && file.size == 0 && req->empty_refused && req->scanner == VULN_AUTO) {
			evidence_file_discard(&file);
			rc = sg_err_set(e, SG_EINVAL,
			                "%s: nothing was read; a report of Nuclei that found nothing "
			                "is imported with --scanner nuclei",
			                shown_name(req));
		} else if (rc == 0) {
			rc = vuln_import_keep(im, &file, e);
		}
	}
	return end_import(im, &info, rc, out, e);
}
