/*
 * syslog_net.c: syslog over UDP and TCP (RFC 3164 and RFC 5424).
 *
 * UDP: a datagram is a message (a sender that packs several, a line
 * each, is split at newlines). TCP (RFC 6587): a frame is either
 * octet-counted, "LEN SP MSG", or a line ending in LF; the first byte of
 * each frame tells which, since a syslog message begins with '<'. One
 * thread serves every TCP connection with poll(); a frame longer than
 * [inputs] max_line is skipped and counted, and a connection that sends a
 * zero length is closed, so no sender can stall the pipeline or grow
 * sigap's memory; at most PEER_MAX connections come from one address, and
 * one silent for five minutes is closed, so idle connections cannot keep
 * senders out.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/netaddr.h"
#include "ingest_int.h"

enum { MAX_CONNS = 256, UDP_MAX = 65536 };

typedef struct conn {
	int fd;
	uint8_t peer[16];
	int64_t seen; /* ms: last bytes received */
	char *buf;
	size_t have;
	size_t skip;      /* bytes of an over-long frame still to drop */
	bool skip_to_nl;  /* dropping an over-long line up to its LF */
} conn;

struct syslog_net {
	ingest *g;
	int udp, tcp;
	pthread_t udp_tid, tcp_tid;
	bool udp_running, tcp_running;
	atomic_bool stop;
	conn conns[MAX_CONNS];
};

void ingest_peer_key(int fd, uint8_t out[16])
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	memset(out, 0, 16);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	} else if (ss.ss_family == AF_INET6) {
		memcpy(out, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	}
}

int64_t ingest_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sockets bound before sigap serve gave root up (ingest_prebind), each
 * taken by its input when it starts. */
static struct {
	char spec[256];
	int type, fd;
} prebound[4];
static int n_prebound;

static int bind_input(const char *spec, int type, const char *label, sg_err *e);

int ingest_prebind(const app_config *cfg, sg_err *e)
{
	const struct {
		const char *spec, *label;
		int type;
	} inputs[] = {{cfg->in_syslog_udp, "syslog udp", SOCK_DGRAM},
	              {cfg->in_syslog_tcp, "syslog tcp", SOCK_STREAM},
	              {cfg->in_relp, "relp", SOCK_STREAM}};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		if (!inputs[i].spec || !*inputs[i].spec || n_prebound == 4)
			continue;
		int fd = bind_input(inputs[i].spec, inputs[i].type, inputs[i].label, e);
		if (fd < 0)
			return -1;
		snprintf(prebound[n_prebound].spec, sizeof prebound[0].spec, "%s", inputs[i].spec);
		prebound[n_prebound].type = inputs[i].type;
		prebound[n_prebound].fd = fd;
		n_prebound++;
	}
	return 0;
}

int ingest_listen(const char *spec, int type, const char *label, sg_err *e)
{
	for (int i = 0; i < n_prebound; i++)
		if (prebound[i].fd >= 0 && prebound[i].type == type && strcmp(prebound[i].spec, spec) == 0) {
			int fd = prebound[i].fd;
			prebound[i].fd = -1;
			return fd;
		}
	return bind_input(spec, type, label, e);
}

static int bind_input(const char *spec, int type, const char *label, sg_err *e)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool v6;
	if (netaddr_parse(spec, &ss, &sl, &v6, e) != 0)
		return sg_err_prefix(e, "%s", label);
	int fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
	int one = 1;
	/* TCP: a restart may bind while the last run's connections linger in
	 * TIME_WAIT; two listeners still cannot share the port. UDP: the
	 * option would let a second socket bind the same port and silently
	 * take the datagrams over, so the port is bound exclusively. */
	if (fd >= 0 && type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) != 0)) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		if (err == EADDRINUSE)
			return sg_err_set(e, SG_EIO,
			                  "%s: cannot listen on %s: %s port %s is already in use "
			                  "(another sigap serve, or a syslog daemon, holds it)",
			                  label, spec, type == SOCK_STREAM ? "TCP" : "UDP",
			                  strrchr(spec, ':') + 1);
		return sg_err_set(e, SG_EIO, "%s: cannot listen on %s: %s", label, spec,
		                  strerror(err));
	}
	sl = sizeof ss;
	char h[NI_MAXHOST], p[NI_MAXSERV];
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, p, sizeof p,
	                NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		printf("sigap: %s listening on %s%s%s:%s\n", label, strchr(h, ':') ? "[" : "", h,
		       strchr(h, ':') ? "]" : "", p);
	fflush(stdout);
	return fd;
}

/* Hands on each non-empty line of a datagram or frame. */
static void submit_lines(ingest *g, ingest_input in, const char *p, size_t n, int wait_ms)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		size_t l = len;
		while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == '\0'))
			l--;
		if (l > 0)
			ingest_submit(g, in, p, l, wait_ms, 0, 0);
		if (nl == NULL)
			break;
		p = nl + 1;
		n -= len + 1;
	}
}

static void *udp_main(void *arg)
{
	syslog_net *s = arg;
	char *rx = malloc(UDP_MAX);
	if (rx == NULL)
		return NULL;
	struct pollfd pfd = {s->udp, POLLIN, 0};
	while (!atomic_load(&s->stop)) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		ssize_t n = recv(s->udp, rx, UDP_MAX, 0);
		if (n <= 0)
			continue;
		submit_lines(s->g, IN_UDP, rx, (size_t)n, 0); /* UDP cannot wait */
	}
	free(rx);
	return NULL;
}

static void conn_close(conn *c)
{
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

/* Takes every whole frame out of c's buffer; -1 to close the connection. */
static int frames(syslog_net *s, conn *c)
{
	ingest *g = s->g;
	size_t max = (size_t)g->cfg->in_max_line;
	size_t start = 0;
	while (start < c->have) {
		char *p = c->buf + start;
		size_t avail = c->have - start;
		if (c->skip) {
			size_t k = avail < c->skip ? avail : c->skip;
			c->skip -= k;
			start += k;
			continue;
		}
		if (c->skip_to_nl) {
			char *nl = memchr(p, '\n', avail);
			if (nl == NULL) {
				start = c->have;
				break;
			}
			c->skip_to_nl = false;
			start += (size_t)(nl - p) + 1;
			continue;
		}
		size_t i = 0, len = 0;
		while (i < avail && i < 9 && p[i] >= '0' && p[i] <= '9')
			len = len * 10 + (size_t)(p[i++] - '0');
		if (i > 0 && i == avail)
			break; /* a length may still be arriving */
		if (i > 0 && p[i] == ' ') { /* octet counting: LEN SP MSG */
			if (len == 0) {
				ingest_count_bad(g, IN_TCP, "an octet count of 0; connection closed");
				return -1;
			}
			if (len > max) {
				ingest_count_bad(g, IN_TCP, "a frame longer than [inputs] max_line");
				c->skip = len;
				start += i + 1;
				continue;
			}
			if (avail < i + 1 + len)
				break;
			submit_lines(g, IN_TCP, p + i + 1, len, -1);
			start += i + 1 + len;
			continue;
		}
		char *nl = memchr(p, '\n', avail);
		if (nl == NULL) {
			if (avail > max) {
				ingest_count_bad(g, IN_TCP, "a line longer than [inputs] max_line");
				c->skip_to_nl = true;
				start = c->have;
			}
			break;
		}
		submit_lines(g, IN_TCP, p, (size_t)(nl - p), -1);
		start += (size_t)(nl - p) + 1;
	}
	memmove(c->buf, c->buf + start, c->have - start);
	c->have -= start;
	return 0;
}

static void *tcp_main(void *arg)
{
	syslog_net *s = arg;
	size_t cap = (size_t)s->g->cfg->in_max_line + 32;
	struct pollfd pfd[MAX_CONNS + 1];
	while (!atomic_load(&s->stop)) {
		int n = 0;
		pfd[n++] = (struct pollfd){s->tcp, POLLIN, 0};
		int map[MAX_CONNS + 1];
		for (int i = 0; i < MAX_CONNS; i++)
			if (s->conns[i].fd >= 0) {
				map[n] = i;
				pfd[n++] = (struct pollfd){s->conns[i].fd, POLLIN, 0};
			}
		if (poll(pfd, (nfds_t)n, 200) <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(s->tcp, NULL, NULL, SOCK_CLOEXEC);
			int slot = -1, same = 0;
			uint8_t peer[16];
			if (fd >= 0)
				ingest_peer_key(fd, peer);
			for (int i = 0; fd >= 0 && i < MAX_CONNS; i++) {
				if (s->conns[i].fd < 0 && slot < 0)
					slot = i;
				else if (s->conns[i].fd >= 0 && memcmp(s->conns[i].peer, peer, 16) == 0)
					same++;
			}
			if (fd >= 0 && (slot < 0 || same >= PEER_MAX)) {
				ingest_count_bad(s->g, IN_TCP, "too many connections; one refused");
				close(fd);
			} else if (fd >= 0) {
				s->conns[slot] = (conn){.fd = fd, .buf = malloc(cap), .seen = ingest_now_ms()};
				memcpy(s->conns[slot].peer, peer, 16);
				if (s->conns[slot].buf == NULL)
					conn_close(&s->conns[slot]);
			}
		}
		for (int k = 1; k < n; k++) {
			if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			conn *c = &s->conns[map[k]];
			ssize_t r = read(c->fd, c->buf + c->have, cap - c->have);
			if (r <= 0) {
				/* a last line without its LF is still a message; an
				 * octet-counted frame cut short is not */
				size_t d = 0;
				while (d < c->have && c->buf[d] >= '0' && c->buf[d] <= '9')
					d++;
				bool cut = d > 0 && d < c->have && c->buf[d] == ' ';
				if (c->have && !c->skip && !c->skip_to_nl && !cut)
					submit_lines(s->g, IN_TCP, c->buf, c->have, -1);
				else if (cut)
					ingest_count_bad(s->g, IN_TCP, "the connection ended inside a frame");
				conn_close(c);
				continue;
			}
			c->have += (size_t)r;
			c->seen = ingest_now_ms();
			if (frames(s, c) != 0)
				conn_close(c);
		}
		/* a connection silent for IDLE_MS goes (a sender reconnects) */
		int64_t now = ingest_now_ms();
		for (int i = 0; i < MAX_CONNS; i++)
			if (s->conns[i].fd >= 0 && now - s->conns[i].seen > IDLE_MS)
				conn_close(&s->conns[i]);
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_close(&s->conns[i]);
	return NULL;
}

syslog_net *syslog_net_start(ingest *g, const char *udp, const char *tcp, sg_err *e)
{
	syslog_net *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->g = g;
	s->udp = s->tcp = -1;
	for (int i = 0; i < MAX_CONNS; i++)
		s->conns[i].fd = -1;
	if (udp && (s->udp = ingest_listen(udp, SOCK_DGRAM, "syslog udp", e)) < 0)
		goto fail;
	if (tcp && (s->tcp = ingest_listen(tcp, SOCK_STREAM, "syslog tcp", e)) < 0)
		goto fail;
	if (s->udp >= 0) {
		int big = 4 * 1024 * 1024; /* bursts wait in the kernel, not on the floor */
		setsockopt(s->udp, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
		s->udp_running = pthread_create(&s->udp_tid, NULL, udp_main, s) == 0;
	}
	if (s->tcp >= 0)
		s->tcp_running = pthread_create(&s->tcp_tid, NULL, tcp_main, s) == 0;
	return s;
fail:
	syslog_net_stop(s);
	return NULL;
}

void syslog_net_stop(syslog_net *s)
{
	atomic_store(&s->stop, true);
	if (s->udp_running)
		pthread_join(s->udp_tid, NULL);
	if (s->tcp_running)
		pthread_join(s->tcp_tid, NULL);
	if (s->udp >= 0)
		close(s->udp);
	if (s->tcp >= 0)
		close(s->tcp);
	free(s);
}
