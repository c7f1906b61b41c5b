/*
 * conn.c: the guard of the server's connections.
 *
 * libmicrohttpd's own connection timeout is an idle timer: a client that
 * trickles a header byte every few seconds holds its connection forever,
 * and a thousand such clients lock everyone else out. The guard bounds
 * instead the time a request may take to arrive, as a deadline:
 *
 *  - headers: [web] header_timeout seconds from the connection's opening,
 *    or from the end of the previous request on a kept-alive connection;
 *  - body: [web] body_timeout seconds; beyond them it goes on only while
 *    each 10-second window (or body_timeout, when shorter) brings
 *    body_min_rate bytes a second (a slow
 *    but honest upload of a large file goes on; a body trickled byte by
 *    byte, or one sent fast and then held open, does not). The handler's
 *    own time (after the last byte) has no deadline.
 *
 * A connection past its deadline is shut down (shutdown(2) on its socket:
 * libmicrohttpd then sees the end of the stream and closes it in its own
 * thread). The table is guarded by one mutex, and an entry leaves the
 * table in the close notification, which libmicrohttpd sends before it
 * closes the socket, so the watchdog never touches a reused descriptor.
 *
 * Admission (the accept policy, before libmicrohttpd allocates anything):
 * at most [web] max_connections_per_address from one address; when the
 * table is full, the connection waiting for its headers (or idle between
 * requests, or accepted and not yet started: it is shut when it starts)
 * from the address holding the most connections, the oldest of them,
 * makes room, and so does a body arriving slower than
 * body_min_rate; only when every connection is busy inside a request
 * is the new one refused. So a few addresses cannot take every slot, and
 * a flood of slow connections from many addresses still leaves room for
 * a client that sends its request at once. Refusals, evictions and
 * timeouts are counted for /metrics, never logged one by one.
 *
 * Cost: admission and the watchdog's pass walk the table, O(max
 * connections) (a few hundred entries), once per new connection and
 * twice a second; choosing a connection to close sorts the table by
 * address, O(n log n), only when it is full.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>

#include "conn.h"

typedef enum { PH_FREE, PH_PENDING, PH_HEADERS, PH_BODY, PH_HANDLING, PH_ANSWERING, PH_IDLE } phase;

enum { WINDOW_MS = 10000, SLOW_AFTER_MS = 2000 };

typedef struct slot {
	phase ph;
	bool evicted;     /* shut down; leaves at the close notification */
	uint8_t addr[16]; /* IPv4 as IPv4-mapped IPv6 */
	int fd;
	int64_t since;               /* ms: when the phase began */
	int64_t bytes;               /* of the body so far */
	int64_t mark_ms, mark_bytes; /* the body's progress at the last window */
} slot;

static conn_config C;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static slot *table;
static int n_slots;
static pthread_t watchdog;
static atomic_bool stopping;
static bool running;
static atomic_ullong refused_address, refused_full, evicted, timeout_headers, timeout_body;

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void addr_key(const struct sockaddr *sa, uint8_t out[16])
{
	memset(out, 0, 16);
	if (sa->sa_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	}
}

/* A connection that waits for a request: its headers (or, accepted but
 * not yet started by libmicrohttpd, for them), or the next one. */
static bool waiting(const slot *s)
{
	return !s->evicted && (s->ph == PH_PENDING || s->ph == PH_HEADERS || s->ph == PH_IDLE);
}

/* A body arriving slower than body_min_rate (after its first seconds). */
static bool slow_body(const slot *s, int64_t now)
{
	int64_t t = now - s->since;
	return !s->evicted && s->ph == PH_BODY && t > SLOW_AFTER_MS &&
	       s->bytes * 1000 < t * C.body_min_rate;
}

static void shut(slot *s)
{
	s->evicted = true;
	if (s->fd >= 0)
		shutdown(s->fd, SHUT_RDWR);
}

typedef struct by_addr {
	const uint8_t *addr;
	int i;
} by_addr;

static int cmp_addr(const void *a, const void *b)
{
	const by_addr *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, 16);
	return c ? c : x->i - y->i;
}

/* The connection to close for room: one waiting for its request, or one
 * whose body arrives slower than body_min_rate, from the address with the
 * most connections, the oldest. NULL when every connection is busy.
 * Sorting the live entries by address counts them in O(n log n). */
static slot *victim(void)
{
	by_addr *v = malloc((size_t)n_slots * sizeof *v);
	int *count = calloc((size_t)n_slots, sizeof *count);
	slot *best = NULL;
	if (v == NULL || count == NULL)
		goto out;
	int n = 0;
	for (int i = 0; i < n_slots; i++)
		if (table[i].ph != PH_FREE && !table[i].evicted)
			v[n++] = (by_addr){table[i].addr, i};
	qsort(v, (size_t)n, sizeof *v, cmp_addr);
	for (int a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && memcmp(v[a].addr, v[b].addr, 16) == 0; b++)
			;
		for (int k = a; k < b; k++)
			count[v[k].i] = b - a;
	}
	int best_count = 0;
	int64_t now = mono_ms();
	for (int i = 0; i < n_slots; i++) {
		slot *s = &table[i];
		if (!(waiting(s) || slow_body(s, now)) || (s->fd < 0 && s->ph != PH_PENDING))
			continue;
		if (best == NULL || count[i] > best_count ||
		    (count[i] == best_count && s->since < best->since)) {
			best = s;
			best_count = count[i];
		}
	}
out:
	free(v);
	free(count);
	return best;
}

enum MHD_Result conn_on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)cls;
	(void)addrlen;
	uint8_t key[16];
	addr_key(addr, key);
	pthread_mutex_lock(&mu);
	int used = 0, same = 0;
	slot *free_slot = NULL;
	for (int i = 0; i < n_slots; i++) {
		slot *s = &table[i];
		if (s->ph == PH_FREE) {
			if (free_slot == NULL)
				free_slot = s;
			continue;
		}
		if (s->evicted)
			continue;
		used++;
		if (memcmp(s->addr, key, 16) == 0)
			same++;
	}
	enum MHD_Result ok = MHD_NO;
	if (same >= C.per_address && !(C.proxies && addr_list_has_sockaddr(C.proxies, addr))) {
		atomic_fetch_add(&refused_address, 1);
	} else if (free_slot == NULL) {
		atomic_fetch_add(&refused_full, 1); /* every slot is closing */
	} else {
		if (used >= C.max_connections) {
			slot *v = victim();
			if (v)
				shut(v), atomic_fetch_add(&evicted, 1);
			else
				atomic_fetch_add(&refused_full, 1);
			ok = v ? MHD_YES : MHD_NO;
		} else {
			ok = MHD_YES;
		}
		if (ok == MHD_YES) {
			*free_slot = (slot){.ph = PH_PENDING, .fd = -1, .since = mono_ms()};
			memcpy(free_slot->addr, key, 16);
		}
	}
	pthread_mutex_unlock(&mu);
	return ok;
}

void conn_on_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                    enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	pthread_mutex_lock(&mu);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ai =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const union MHD_ConnectionInfo *fi =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		uint8_t key[16] = {0};
		if (ai && ai->client_addr)
			addr_key(ai->client_addr, key);
		/* the pending entry the accept policy made for this address */
		slot *s = NULL;
		for (int i = 0; i < n_slots && s == NULL; i++)
			if (table[i].ph == PH_PENDING && memcmp(table[i].addr, key, 16) == 0)
				s = &table[i];
		for (int i = 0; i < n_slots && s == NULL; i++)
			if (table[i].ph == PH_FREE)
				s = &table[i];
		if (s) {
			/* A pending entry chosen to make room (under load, before
			 * libmicrohttpd started it) is shut as soon as it has a
			 * socket. */
			bool evict = s->ph == PH_PENDING && s->evicted;
			*s = (slot){
			    .ph = PH_HEADERS, .fd = fi ? fi->connect_fd : -1, .since = mono_ms()};
			memcpy(s->addr, key, 16);
			if (evict)
				shut(s);
		}
		*socket_context = s;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		slot *s = *socket_context;
		if (s)
			*s = (slot){.ph = PH_FREE, .fd = -1};
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&mu);
}

static slot *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

static void set_phase(struct MHD_Connection *c, phase ph)
{
	pthread_mutex_lock(&mu);
	slot *s = slot_of(c);
	if (s && s->ph != PH_FREE) {
		s->ph = ph;
		s->since = s->mark_ms = mono_ms();
		s->bytes = s->mark_bytes = 0;
	}
	pthread_mutex_unlock(&mu);
}

void conn_request_headers(struct MHD_Connection *c)
{
	set_phase(c, PH_BODY);
}

void conn_request_progress(struct MHD_Connection *c, size_t bytes)
{
	pthread_mutex_lock(&mu);
	slot *s = slot_of(c);
	if (s && s->ph == PH_BODY)
		s->bytes += (int64_t)bytes;
	pthread_mutex_unlock(&mu);
}

void conn_request_handling(struct MHD_Connection *c)
{
	set_phase(c, PH_HANDLING);
}

void conn_request_answered(struct MHD_Connection *c)
{
	set_phase(c, PH_ANSWERING);
}

void conn_request_done(struct MHD_Connection *c)
{
	set_phase(c, PH_IDLE);
}

static void *watch(void *arg)
{
	(void)arg;
	/* a window of 10 s, or body_timeout when shorter */
	int64_t window =
	    (int64_t)C.body_timeout * 1000 < WINDOW_MS ? (int64_t)C.body_timeout * 1000 : WINDOW_MS;
	while (!atomic_load(&stopping)) {
		usleep(500000);
		int64_t now = mono_ms();
		pthread_mutex_lock(&mu);
		for (int i = 0; i < n_slots; i++) {
			slot *s = &table[i];
			if (s->evicted || s->fd < 0)
				continue;
			if (waiting(s) && now - s->since > (int64_t)C.header_timeout * 1000) {
				shut(s);
				atomic_fetch_add(&timeout_headers, 1);
			} else if (s->ph == PH_BODY &&
			           now - s->since > (int64_t)C.body_timeout * 1000 &&
			           now - s->mark_ms >= window) {
				/* past body_timeout, each window must bring body_min_rate */
				if ((s->bytes - s->mark_bytes) * 1000 <
				    (now - s->mark_ms) * C.body_min_rate) {
					shut(s);
					atomic_fetch_add(&timeout_body, 1);
				} else {
					s->mark_ms = now;
					s->mark_bytes = s->bytes;
				}
			}
		}
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

int conn_start(const conn_config *c)
{
	C = *c;
	if (C.body_min_rate <= 0)
		C.body_min_rate = 1;
	/* room for connections being closed beside the open ones */
	n_slots = C.max_connections + C.max_connections / 4 + 8;
	table = calloc((size_t)n_slots, sizeof *table);
	if (table == NULL)
		return -1;
	for (int i = 0; i < n_slots; i++)
		table[i].fd = -1;
	atomic_store(&stopping, false);
	if (pthread_create(&watchdog, NULL, watch, NULL) != 0) {
		free(table);
		table = NULL;
		return -1;
	}
	running = true;
	return 0;
}

void conn_stop(void)
{
	if (!running)
		return;
	atomic_store(&stopping, true);
	pthread_join(watchdog, NULL);
	running = false;
	pthread_mutex_lock(&mu);
	free(table);
	table = NULL;
	n_slots = 0;
	pthread_mutex_unlock(&mu);
}

int conn_table_size(void)
{
	return n_slots;
}

void conn_metrics(buf *out)
{
	int open = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < n_slots; i++)
		open += table[i].ph != PH_FREE && !table[i].evicted;
	pthread_mutex_unlock(&mu);
	buf_printf(out,
	           "# HELP sigap_http_connections Connections open.\n"
	           "# TYPE sigap_http_connections gauge\nsigap_http_connections %d\n"
	           "# HELP sigap_http_connections_refused_total Connections refused at accept.\n"
	           "# TYPE sigap_http_connections_refused_total counter\n"
	           "sigap_http_connections_refused_total{reason=\"per_address\"} %llu\n"
	           "sigap_http_connections_refused_total{reason=\"full\"} %llu\n"
	           "# HELP sigap_http_connections_closed_total Connections closed by the guard.\n"
	           "# TYPE sigap_http_connections_closed_total counter\n"
	           "sigap_http_connections_closed_total{reason=\"evicted\"} %llu\n"
	           "sigap_http_connections_closed_total{reason=\"header_timeout\"} %llu\n"
	           "sigap_http_connections_closed_total{reason=\"body_timeout\"} %llu\n",
	           open, (unsigned long long)atomic_load(&refused_address),
	           (unsigned long long)atomic_load(&refused_full),
	           (unsigned long long)atomic_load(&evicted),
	           (unsigned long long)atomic_load(&timeout_headers),
	           (unsigned long long)atomic_load(&timeout_body));
}
