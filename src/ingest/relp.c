/*
 * relp.c: syslog over RELP, the Reliable Event Logging Protocol that
 * rsyslog's omrelp speaks: every message is acknowledged, and sigap
 * acknowledges one only when its batch is committed to disk.
 *
 * Plain syslog over TCP has no acknowledgement: what sits in the kernel's
 * buffers, or was read and not yet committed, is lost in a crash, and the
 * sender never knows. RELP numbers each command (its txnr) and waits for
 * a "rsp" to each: "200 OK" here means the alerts are stored, "500" that
 * they are not and the sender keeps the message to send again. A sender
 * that loses its connection sends again what was not acknowledged, so
 * nothing acknowledged is lost and nothing unacknowledged is dropped
 * (a message committed whose answer was lost in the crash arrives twice:
 * RELP is at-least-once).
 *
 * A frame is "TXNR SP COMMAND SP DATALEN [SP DATA] LF" (TXNR and DATALEN
 * up to 9 digits, COMMAND up to 32 letters). Commands: "open" (answered
 * with our offers: relp_version=0, commands=syslog), "syslog", "close"
 * (answered, then the hint "0 serverclose 0" and the connection ends).
 * Answers go out in the order of the commands, each when it is ready: a
 * syslog's when ingest_committed() says its line is committed. A framing
 * error closes the connection (the protocol's rule); a message longer
 * than [inputs] max_line is read past and answered 500.
 *
 * One thread serves every connection with poll(), as the syslog TCP
 * input does. Each connection holds at most WINDOW unanswered commands
 * and OUT_MAX bytes of answers its peer has not read; beyond either it is
 * not read until answers go out (rsyslog's window is 128), so a client
 * that never reads cannot grow sigap's memory. At most PEER_MAX
 * connections come from one address, and one silent for five minutes with
 * nothing owed is closed. Cost per poll: O(connections + answers ready).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ingest_int.h"

enum { MAX_CONNS = 256, WINDOW = 1024, HEADER_MAX = 9 + 1 + 32 + 1 + 9 + 1, OUT_MAX = 256 * 1024 };

typedef enum { ANS_OPEN, ANS_SYSLOG, ANS_CLOSE, ANS_TEXT } answer_kind;

typedef struct answer {
	uint32_t txnr;
	answer_kind kind;
	uint64_t seq;     /* ANS_SYSLOG */
	const char *text; /* ANS_TEXT: the answer, "500 …" */
} answer;

typedef struct rconn {
	int fd;
	uint8_t peer[16];
	int64_t seen; /* ms: last bytes received */
	char *in;     /* bytes read, not yet framed */
	size_t have;
	size_t skip; /* bytes of an over-long message (and its LF) to read past */
	bool opened, closing;
	answer *q; /* WINDOW entries, a ring */
	size_t head, n;
	buf out; /* answers not yet written */
} rconn;

struct relp_in {
	ingest *g;
	int fd;
	pthread_t tid;
	bool running;
	atomic_bool stop;
	rconn conns[MAX_CONNS];
};

static void conn_close(rconn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->in);
	free(c->q);
	buf_free(&c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

static bool queue(rconn *c, answer a)
{
	if (c->n == WINDOW)
		return false;
	c->q[(c->head + c->n) % WINDOW] = a;
	c->n++;
	return true;
}

/* "TXNR rsp LEN DATA\n" */
static void rsp(rconn *c, uint32_t txnr, const char *data)
{
	size_t n = strlen(data);
	if (n)
		buf_printf(&c->out, "%u rsp %zu %s\n", txnr, n, data);
	else
		buf_printf(&c->out, "%u rsp 0\n", txnr);
}

/* Answers the commands at the head of the window that are ready. */
static void answer_ready(relp_in *r, rconn *c)
{
	static const char offers[] = "200 OK\nrelp_version=0\nrelp_software=sigap\ncommands=syslog";
	while (c->n) {
		answer *a = &c->q[c->head];
		if (a->kind == ANS_SYSLOG) {
			int st = ingest_committed(r->g, a->seq, a->seq);
			if (st == 0)
				return;
			rsp(c, a->txnr, st > 0 ? "200 OK" : "500 not stored, send it again");
		} else if (a->kind == ANS_OPEN) {
			rsp(c, a->txnr, offers);
		} else if (a->kind == ANS_CLOSE) {
			rsp(c, a->txnr, "");
			buf_puts(&c->out, "0 serverclose 0\n");
			c->closing = true;
		} else {
			rsp(c, a->txnr, a->text);
		}
		c->head = (c->head + 1) % WINDOW;
		c->n--;
	}
}

static bool digits(const char *p, size_t n, uint64_t *out)
{
	if (n == 0 || n > 9)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

/* One command; -1 to close the connection. */
static int command(relp_in *r, rconn *c, uint32_t txnr, const char *cmd, size_t cl,
                   const char *data, size_t n)
{
	ingest *g = r->g;
	if (cl == 4 && memcmp(cmd, "open", 4) == 0) {
		if (c->opened)
			return -1;
		c->opened = true;
		queue(c, (answer){txnr, ANS_OPEN, 0, NULL});
		return 0;
	}
	if (!c->opened)
		return -1; /* nothing before "open" */
	if (cl == 5 && memcmp(cmd, "close", 5) == 0) {
		queue(c, (answer){txnr, ANS_CLOSE, 0, NULL});
		return 0;
	}
	if (cl != 6 || memcmp(cmd, "syslog", 6) != 0) {
		queue(c, (answer){txnr, ANS_TEXT, 0, "500 command not supported"});
		return 0;
	}
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r' || data[n - 1] == '\0'))
		n--;
	uint64_t seq;
	if (n == 0) {
		queue(c, (answer){txnr, ANS_TEXT, 0, "200 OK"}); /* nothing to store */
		return 0;
	}
	if (ingest_submit_seq(g, IN_RELP, data, n, -1, &seq) != 0) {
		queue(c, (answer){txnr, ANS_TEXT, 0, "500 not taken, send it again"});
		return 0;
	}
	queue(c, (answer){txnr, ANS_SYSLOG, seq, NULL});
	return 0;
}

/* Takes every whole frame out of c's input; -1 to close the connection. */
static int frames(relp_in *r, rconn *c)
{
	size_t max = (size_t)r->g->cfg->in_max_line;
	size_t at = 0;
	while (at < c->have && c->n < WINDOW && c->out.len < OUT_MAX && !c->closing) {
		char *p = c->in + at;
		size_t avail = c->have - at;
		if (c->skip) {
			size_t k = avail < c->skip ? avail : c->skip;
			c->skip -= k;
			at += k;
			continue;
		}
		/* TXNR SP COMMAND SP DATALEN, each part bounded */
		char *sp1 = memchr(p, ' ', avail < 10 ? avail : 10);
		if (sp1 == NULL) {
			if (avail >= 10)
				return -1;
			break; /* the header may still be arriving */
		}
		const char *cmd = sp1 + 1;
		size_t rest = avail - (size_t)(cmd - p);
		char *sp2 = memchr(cmd, ' ', rest < 33 ? rest : 33);
		if (sp2 == NULL) {
			if (rest >= 33)
				return -1;
			break;
		}
		size_t dl_at = (size_t)(sp2 + 1 - p), k = dl_at;
		while (k < avail && k - dl_at < 10 && p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == avail)
			break;
		uint64_t txnr, len;
		size_t cl = (size_t)(sp2 - cmd);
		if (!digits(p, (size_t)(sp1 - p), &txnr) || txnr == 0 ||
		    !digits(p + dl_at, k - dl_at, &len) || cl == 0)
			return -1;
		for (size_t i = 0; i < cl; i++)
			if (!((cmd[i] >= 'a' && cmd[i] <= 'z') || (cmd[i] >= 'A' && cmd[i] <= 'Z')))
				return -1;
		if (len == 0) {
			if (p[k] != '\n')
				return -1;
			if (command(r, c, (uint32_t)txnr, cmd, cl, "", 0) != 0)
				return -1;
			at += k + 1;
			continue;
		}
		if (p[k] != ' ')
			return -1;
		if (len > max) {
			ingest_count_bad(r->g, IN_RELP, "a message longer than [inputs] max_line");
			if (!c->opened)
				return -1;
			queue(c, (answer){(uint32_t)txnr, ANS_TEXT, 0, "500 message too long"});
			c->skip = len + 1; /* the data and its LF */
			at += k + 1;
			continue;
		}
		if (avail < k + 1 + len + 1)
			break;
		if (p[k + 1 + len] != '\n')
			return -1;
		if (command(r, c, (uint32_t)txnr, cmd, cl, p + k + 1, len) != 0)
			return -1;
		at += k + 1 + len + 1;
	}
	memmove(c->in, c->in + at, c->have - at);
	c->have -= at;
	return 0;
}

/* Writes what answers it can; -1 when the peer is gone. */
static int flush(rconn *c)
{
	while (c->out.len) {
		ssize_t w = send(c->fd, c->out.data, c->out.len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		memmove(c->out.data, c->out.data + w, c->out.len - (size_t)w);
		c->out.len -= (size_t)w;
	}
	return 0;
}

static void accept_one(relp_in *r, size_t cap)
{
	int fd = accept4(r->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	uint8_t peer[16];
	ingest_peer_key(fd, peer);
	rconn *free_slot = NULL;
	int same = 0;
	for (int i = 0; i < MAX_CONNS; i++) {
		rconn *c = &r->conns[i];
		if (c->fd < 0 && free_slot == NULL)
			free_slot = c;
		else if (c->fd >= 0 && memcmp(c->peer, peer, 16) == 0)
			same++;
	}
	if (free_slot && same < PEER_MAX) {
		rconn *c = free_slot;
		*c = (rconn){.fd = fd,
		             .in = malloc(cap),
		             .q = malloc(WINDOW * sizeof *c->q),
		             .seen = ingest_now_ms()};
		memcpy(c->peer, peer, 16);
		if (c->in == NULL || c->q == NULL)
			conn_close(c);
		return;
	}
	ingest_count_bad(r->g, IN_RELP, "too many connections; one refused");
	close(fd);
}

static void *relp_main(void *arg)
{
	relp_in *r = arg;
	size_t cap = (size_t)r->g->cfg->in_max_line + HEADER_MAX + 2;
	struct pollfd pfd[MAX_CONNS + 1];
	int map[MAX_CONNS + 1];
	while (!atomic_load(&r->stop)) {
		int n = 0;
		bool waiting = false;
		pfd[n++] = (struct pollfd){r->fd, POLLIN, 0};
		for (int i = 0; i < MAX_CONNS; i++) {
			rconn *c = &r->conns[i];
			if (c->fd < 0)
				continue;
			short ev = 0;
			if (c->n < WINDOW && c->out.len < OUT_MAX && !c->closing && c->have < cap)
				ev |= POLLIN;
			if (c->out.len)
				ev |= POLLOUT;
			waiting |= c->n > 0;
			map[n] = i;
			pfd[n++] = (struct pollfd){c->fd, ev, 0};
		}
		/* answers wait for commits: look again soon while any do */
		if (poll(pfd, (nfds_t)n, waiting ? 5 : 200) < 0)
			continue;
		if (pfd[0].revents & POLLIN)
			accept_one(r, cap);
		for (int k = 1; k < n; k++) {
			rconn *c = &r->conns[map[k]];
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				ssize_t got = read(c->fd, c->in + c->have, cap - c->have);
				if (got <= 0) {
					if (got < 0 && errno == EINTR)
						continue;
					conn_close(c); /* unanswered commands are the sender's to
					                  send again */
					continue;
				}
				c->have += (size_t)got;
				c->seen = ingest_now_ms();
			}
			if (frames(r, c) != 0) {
				ingest_count_bad(r->g, IN_RELP,
				                 "a RELP framing error; connection closed");
				conn_close(c);
				continue;
			}
			answer_ready(r, c);
			if (flush(c) != 0 || (c->closing && c->out.len == 0 && c->n == 0))
				conn_close(c);
		}
		/* silent for IDLE_MS with nothing owed: gone (a sender reconnects) */
		int64_t now = ingest_now_ms();
		for (int i = 0; i < MAX_CONNS; i++) {
			rconn *c = &r->conns[i];
			if (c->fd >= 0 && c->n == 0 && now - c->seen > IDLE_MS)
				conn_close(c);
		}
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (r->conns[i].fd >= 0)
			conn_close(&r->conns[i]);
	return NULL;
}

relp_in *relp_start(ingest *g, const char *addr, sg_err *e)
{
	relp_in *r = calloc(1, sizeof *r);
	if (r == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory");
		return NULL;
	}
	r->g = g;
	for (int i = 0; i < MAX_CONNS; i++)
		r->conns[i].fd = -1;
	if ((r->fd = ingest_listen(addr, SOCK_STREAM, "relp", e)) < 0) {
		free(r);
		return NULL;
	}
	if (pthread_create(&r->tid, NULL, relp_main, r) != 0) {
		close(r->fd);
		free(r);
		sg_err_set(e, SG_EIO, "the RELP input cannot start");
		return NULL;
	}
	r->running = true;
	return r;
}

void relp_stop(relp_in *r)
{
	atomic_store(&r->stop, true);
	if (r->running)
		pthread_join(r->tid, NULL);
	close(r->fd);
	free(r);
}
