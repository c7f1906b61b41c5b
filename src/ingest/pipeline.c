/*
 * pipeline.c: the queue between the inputs and detection, and the
 * detection thread that turns lines into alerts.
 *
 * One detection thread is enough for a kabupaten (the engine does about
 * half a million events a second on a core, far above what a Wazuh
 * manager of a few hundred agents writes) and keeps the store's writes in
 * one connection, in order, so a followed file's position is always that
 * of the last line whose alerts are committed.
 *
 * Every line gets a sequence number when queued; a batch is one
 * transaction, synced to disk (synchronous = FULL on this connection), and
 * "handled" moves past its lines only after its commit, so an input that
 * acknowledges (the HTTP route, RELP) waits for ingest_wait_committed()
 * and its acknowledgement means the alerts are on disk. Batches take what
 * is queued (up to 512 lines), so many waiting senders share one commit.
 * A batch that cannot be stored is remembered (the last FAILED_KEPT of
 * them) so its waiters answer an error instead of an acknowledgement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "detect/engine/engine.h"
#include "ingest_int.h"

enum { BATCH = 512 };

static const char *const input_names[] = {"file", "udp", "tcp", "http", "relp"};

const char *ingest_input_name(ingest_input in)
{
	return in < IN_COUNT ? input_names[in] : "?";
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void deadline(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* The first of each kind of bad input (why) an input meets is logged; the
 * others of that kind are only counted (/metrics), so a flood of one
 * mistake is one line, and a second mistake is still seen. */
static void log_first(ingest *g, ingest_input in, const char *what, const char *why)
{
	for (int i = 0; i < BAD_KINDS; i++) {
		const char *seen = atomic_load(&g->logged_kinds[in][i]);
		if (seen == why || (seen && strcmp(seen, why) == 0))
			return;
		if (seen == NULL) {
			const char *none = NULL;
			if (!atomic_compare_exchange_strong(&g->logged_kinds[in][i], &none, why)) {
				i--; /* taken meanwhile: look at it again */
				continue;
			}
			break;
		}
	}
	log_say(LOG_WARN, "%s input: %s: %s (further ones of this kind are counted in /metrics, "
	                  "not logged)",
	        ingest_input_name(in), what, why);
}

void ingest_count_bad(ingest *g, ingest_input in, const char *why)
{
	atomic_fetch_add(&g->oversize[in], 1);
	log_first(g, in, "a line was left out", why);
}

/* Queues a copy of the line; its sequence number into *seq. */
static int enqueue(ingest *g, ingest_input in, const char *line, size_t n, int wait_ms,
                   uint64_t inode, int64_t offset, uint64_t *seq)
{
	if (n > (size_t)g->cfg->in_max_line) {
		ingest_count_bad(g, in, "longer than [inputs] max_line");
		return -1;
	}
	char *copy = malloc(n + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, line, n);
	copy[n] = '\0';
	pthread_mutex_lock(&g->mu);
	struct timespec ts;
	if (wait_ms > 0)
		deadline(&ts, wait_ms);
	while (g->count == g->cap && !atomic_load(&g->stopping)) {
		if (wait_ms == 0)
			break;
		if (wait_ms < 0)
			pthread_cond_wait(&g->not_full, &g->mu);
		else if (pthread_cond_timedwait(&g->not_full, &g->mu, &ts) != 0)
			break;
	}
	if (g->count == g->cap || !g->detect_running) {
		pthread_mutex_unlock(&g->mu);
		free(copy);
		atomic_fetch_add(&g->dropped[in], 1);
		log_first(g, in, "a line was dropped", "the detection queue is full");
		return -1;
	}
	g->q[(g->head + g->count) % g->cap] = (item){copy, n, in, inode, offset};
	g->count++;
	*seq = ++g->queued;
	if (n > 0) { /* an empty item is a follower's position mark */
		atomic_fetch_add(&g->lines[in], 1);
		atomic_store(&g->last_line_at[in], (long long)time(NULL));
	}
	pthread_cond_signal(&g->not_empty);
	pthread_mutex_unlock(&g->mu);
	return 0;
}

int ingest_submit(ingest *g, ingest_input in, const char *line, size_t n, int wait_ms,
                  uint64_t inode, int64_t offset)
{
	uint64_t seq;
	return enqueue(g, in, line, n, wait_ms, inode, offset, &seq);
}

int ingest_submit_seq(ingest *g, ingest_input in, const char *line, size_t n, int wait_ms,
                      uint64_t *seq)
{
	return enqueue(g, in, line, n, wait_ms, 0, 0, seq);
}

/* Whether a batch of lines from..to was not stored (call under mu). */
static bool lost(const ingest *g, uint64_t from, uint64_t to)
{
	for (size_t i = 0; i < FAILED_KEPT; i++)
		if (g->failed[i].hi && g->failed[i].lo <= to && from <= g->failed[i].hi)
			return true;
	return false;
}

int ingest_committed(ingest *g, uint64_t from, uint64_t to)
{
	pthread_mutex_lock(&g->mu);
	int rc = g->handled < to ? (g->detect_running ? 0 : -1) : lost(g, from, to) ? -1 : 1;
	pthread_mutex_unlock(&g->mu);
	return rc;
}

int ingest_wait_committed(ingest *g, uint64_t from, uint64_t to, int timeout_ms)
{
	struct timespec ts;
	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&g->mu);
	while (g->handled < to && g->detect_running &&
	       pthread_cond_timedwait(&g->done, &g->mu, &ts) == 0)
		;
	int rc = g->handled >= to && !lost(g, from, to) ? 0 : -1;
	pthread_mutex_unlock(&g->mu);
	return rc;
}

/* ---- detection ---- */

/* What the engine's results become: alerts stored by app/ in the batch's
 * transaction, counted for /metrics. */
typedef struct batch_ctx {
	ingest *g;
	app *a;
	ingest_input in;
} batch_ctx;

static void count_alert(batch_ctx *c, int rc, const alert_out *out, const sg_err *e)
{
	if (rc != 0) {
		if (atomic_fetch_add(&c->g->store_errors, 1) == 0)
			log_say(LOG_ERROR, "an alert could not be stored: %s", e->msg);
	} else {
		atomic_fetch_add(out->folded ? &c->g->alerts_folded : &c->g->alerts_new, 1);
	}
}

/* A rule's match: its alert; the alert's id names the event for the
 * correlations it is a member of (0 when it could not be stored). */
static uint64_t on_match(void *ctx, const det_rule *r, const det_event *ev, const det_hit *hits,
			 size_t n_hits)
{
	batch_ctx *c = ctx;
	alert_out out = {0};
	sg_err e = {0};
	atomic_fetch_add(&c->g->matches, 1);
	int rc = alert_raise_rule(c->a, r, ev, hits, n_hits, c->g->cfg->fold_window, &out, &e);
	count_alert(c, rc, &out, &e);
	return rc == 0 ? (uint64_t)out.id : 0;
}

static void on_hit(void *ctx, const det_hit *h, const det_event *ev)
{
	batch_ctx *c = ctx;
	alert_out out = {0};
	sg_err e = {0};
	atomic_fetch_add(&c->g->matches, 1);
	int rc = alert_raise_ioc(c->a, h, ev, c->g->cfg->fold_window, &out, &e);
	count_alert(c, rc, &out, &e);
}

static void on_correlation(void *ctx, const det_corr_match *m, const det_event *ev)
{
	batch_ctx *c = ctx;
	alert_out out = {0};
	sg_err e = {0};
	atomic_fetch_add(&c->g->matches, 1);
	int rc = alert_raise_correlation(c->a, m, ev, c->g->cfg->fold_window, &out, &e);
	count_alert(c, rc, &out, &e);
}

static void on_unparsed(void *ctx, const char *why)
{
	batch_ctx *c = ctx;
	atomic_fetch_add(&c->g->unparsed[c->in], 1);
	log_first(c->g, c->in, "a line could not be parsed", why);
}

enum { STORED = 1, NOT_STORED = 0, NOT_BEGUN = -1 };

/* Detects and stores one batch in one transaction (its alerts and the
 * followed file's position): STORED; NOT_STORED
 * when it failed on the way (dropped, counted); NOT_BEGUN when its
 * transaction could not begin (the store unreachable): nothing of it was
 * looked at, e says why, and it may be handed again. */
static int handle_batch(ingest *g, app *a, det_engine *eng, item *items, size_t k, sg_err *be)
{
	batch_ctx c = {g, a, IN_FILE};
	const det_engine_out out = {&c, on_match, on_hit, NULL, on_correlation, on_unparsed};
	sg_err e = {0};
	const item *last_file = NULL;
	if (db_begin(a->db, be) != 0)
		return NOT_BEGUN;
	/* the receive time: an event without a time of its own is placed
	 * there, and a stamp without a year against it (lines wait in the
	 * queue for well under the allowed skew) */
	int64_t now = app_now(a);
	for (size_t i = 0; i < k; i++) {
		det_syslog_opts *so = &g->so[items[i].in];
		so->now = now;
		if (items[i].in == IN_FILE)
			last_file = &items[i];
		if (items[i].n == 0) /* a follower's position mark, no line */
			continue;
		c.in = items[i].in;
		if (det_engine_line(eng, items[i].line, items[i].n, so, now, &out) == 0 &&
		    det_event_is_bare(det_engine_event(eng))) {
			atomic_fetch_add(&g->bare[c.in], 1);
			atomic_store(&g->last_bare_at[c.in], (long long)time(NULL));
		}
	}
	if (last_file && input_position_store(a, "wazuh_alerts", g->cfg->in_wazuh_alerts,
					      last_file->inode, last_file->offset, &e) != 0)
		log_say(LOG_ERROR, "the position in %s cannot be stored: %s",
		        g->cfg->in_wazuh_alerts, e.msg);
	if (db_commit(a->db, &e) != 0) {
		atomic_fetch_add(&g->store_errors, 1);
		log_say(LOG_ERROR, "detection: a batch was not stored: %s", e.msg);
		db_rollback(a->db);
		return NOT_STORED;
	}
	return STORED;
}

/* A batch whose transaction could not begin: the senders that wait for
 * an acknowledgement (HTTP, RELP) were told and send again; the lines no
 * one acknowledges (the followed file, syslog) are handed again every
 * second until the store takes them or sigap stops, while the queue
 * behind them fills (the file follower waits: nothing of it is lost).
 * Frees every line. */
static void hand_again(ingest *g, app *a, det_engine *eng, item *items, size_t k,
                       const sg_err *why)
{
	size_t keep = 0;
	for (size_t i = 0; i < k; i++) {
		if (items[i].in == IN_HTTP || items[i].in == IN_RELP)
			free(items[i].line);
		else
			items[keep++] = items[i];
	}
	atomic_fetch_add(&g->store_errors, 1);
	log_say(LOG_WARN,
	        "detection: the store cannot take lines (%s); %zu lines of the file and "
	        "syslog inputs are handed again every second",
	        why->msg, keep);
	int st = NOT_BEGUN;
	while (keep > 0 && st == NOT_BEGUN && !atomic_load(&g->stopping)) {
		pthread_mutex_lock(&g->mu);
		struct timespec ts;
		deadline(&ts, 1000); /* a second, or the stop */
		while (!atomic_load(&g->stopping) &&
		       pthread_cond_timedwait(&g->not_empty, &g->mu, &ts) == 0)
			;
		pthread_mutex_unlock(&g->mu);
		sg_err e = {0};
		st = handle_batch(g, a, eng, items, keep, &e);
	}
	if (st == STORED)
		log_say(LOG_INFO, "detection: the store takes lines again");
	for (size_t i = 0; i < keep; i++)
		free(items[i].line);
}

static ioc_set *load_indicators(ingest *g, app *a)
{
	ioc_set *s = ioc_set_new();
	size_t n = 0;
	sg_err e = {0};
	if (ioc_load_into(a, s, &n, &e) != 0)
		log_say(LOG_WARN, "the indicators cannot be loaded: %s", e.msg);
	ioc_set_finish(s);
	atomic_store(&g->indicators, n);
	return s;
}

static void *detect_main(void *arg)
{
	ingest *g = arg;
	app a;
	sg_err e = {0};
	if (g->open_app(&a, &e) != 0) {
		log_say(LOG_ERROR, "detection cannot open the database: %s", e.msg);
		pthread_mutex_lock(&g->mu);
		g->detect_running = false;
		pthread_cond_broadcast(&g->done);
		pthread_cond_broadcast(&g->not_full);
		pthread_mutex_unlock(&g->mu);
		return NULL;
	}
	/* An acknowledged line is a committed one, even if the power fails:
	 * this connection syncs at every commit (one a batch). */
	if (db_run(a.db, &e, "PRAGMA synchronous = FULL", "") != 0)
		log_say(LOG_INFO, "detection: %s", e.msg);
	/* the rules and the indicators are replaced between two batches when
	 * a reload moved their number (reload.c); the indicators are also
	 * read again every ioc_reload */
	uint64_t rules_gen = atomic_load(&g->rules_gen), ioc_gen = atomic_load(&g->ioc_gen);
	const det_rules *rs = ingest_rules_hold(g);
	det_correlator *corr = det_correlator_new(rs);
	item *items = malloc(BATCH * sizeof *items);
	if (items == NULL)
		abort();
	ioc_set *iocs = load_indicators(g, &a);
	det_engine *eng = det_engine_new(rs, iocs, corr);
	int64_t reload_at = mono_ms() + g->cfg->ioc_reload * 1000;
	for (;;) {
		pthread_mutex_lock(&g->mu);
		while (g->count == 0 && !atomic_load(&g->stopping)) {
			struct timespec ts;
			deadline(&ts, 500);
			pthread_cond_timedwait(&g->not_empty, &g->mu, &ts);
			if (mono_ms() >= reload_at || atomic_load(&g->ioc_gen) != ioc_gen ||
			    atomic_load(&g->rules_gen) != rules_gen)
				break;
		}
		if (g->count == 0 && atomic_load(&g->stopping)) {
			pthread_mutex_unlock(&g->mu);
			break;
		}
		size_t k = 0;
		while (k < BATCH && g->count > 0) {
			items[k++] = g->q[g->head];
			g->head = (g->head + 1) % g->cap;
			g->count--;
		}
		pthread_cond_broadcast(&g->not_full);
		pthread_mutex_unlock(&g->mu);
		sg_err be = {0};
		int st = k == 0 ? STORED : handle_batch(g, &a, eng, items, k, &be);
		if (st != NOT_BEGUN)
			for (size_t i = 0; i < k; i++)
				free(items[i].line);
		pthread_mutex_lock(&g->mu);
		if (st != STORED) /* waiters of these lines are told */
			g->failed[g->n_failed++ % FAILED_KEPT] =
			    (seq_range){g->handled + 1, g->handled + k};
		g->handled += k;
		pthread_cond_broadcast(&g->done);
		pthread_mutex_unlock(&g->mu);
		if (st == NOT_BEGUN)
			hand_again(g, &a, eng, items, k, &be);
		if (atomic_load(&g->rules_gen) != rules_gen) {
			rules_gen = atomic_load(&g->rules_gen);
			const det_rules *now = ingest_rules_hold(g);
			det_engine_free(eng);
			det_correlator_free(corr);
			corr = det_correlator_new(now);
			eng = det_engine_new(now, iocs, corr);
			ingest_rules_drop(g, rs);
			rs = now;
			log_say(LOG_INFO, "detection: now running %zu Sigma rules and %zu correlations",
			        det_rules_count(rs), det_rules_n_correlations(rs));
		}
		if (atomic_load(&g->ioc_gen) != ioc_gen) {
			ioc_gen = atomic_load(&g->ioc_gen);
			reload_at = 0; /* now */
		}
		if (mono_ms() >= reload_at) {
			ioc_set_free(iocs);
			iocs = load_indicators(g, &a);
			det_engine_set_iocs(eng, iocs);
			reload_at = mono_ms() + g->cfg->ioc_reload * 1000;
		}
	}
	det_engine_free(eng);
	ioc_set_free(iocs);
	free(items);
	det_correlator_free(corr);
	ingest_rules_drop(g, rs);
	app_close(&a);
	return NULL;
}

/* ---- start and stop ---- */

static int stored_position(const app_config *cfg, int (*open_app)(app *, sg_err *),
                           uint64_t *inode, int64_t *pos, int64_t *at, sg_err *e)
{
	app a;
	if (open_app(&a, e) != 0)
		return -1;
	int rc = input_position_load(&a, "wazuh_alerts", cfg->in_wazuh_alerts, inode, pos, at, e);
	app_close(&a);
	return rc;
}

ingest *ingest_start(const app_config *cfg, int (*open_app)(app *a, sg_err *e), sg_err *e)
{
	ingest *g = calloc(1, sizeof *g);
	if (g == NULL)
		return NULL;
	g->cfg = cfg;
	g->open_app = open_app;
	g->cap = (size_t)cfg->in_queue;
	g->q = calloc(g->cap, sizeof *g->q);
	/* syslog stamps without a zone: the input's, else [inputs]
	 * syslog_timezone, else the calendar's */
	const civil_zone *deflt = cfg->in_zone ? cfg->in_zone : cfg->cal.zone;
	const civil_zone *zone[IN_COUNT] = {
	    [IN_UDP] = cfg->in_zone_udp, [IN_TCP] = cfg->in_zone_tcp, [IN_RELP] = cfg->in_zone_relp};
	for (int i = 0; i < IN_COUNT; i++) {
		const civil_zone *z = zone[i] ? zone[i] : deflt ? deflt : civil_zone_default();
		g->so[i] = (det_syslog_opts){.year = 0, .offset_min = z->offset_min};
	}
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->not_empty, NULL);
	pthread_cond_init(&g->not_full, NULL);
	pthread_cond_init(&g->done, NULL);
	pthread_mutex_init(&g->sets_mu, NULL);
	det_rules *rs = g->q ? ingest_load_rules(cfg, NULL, e) : NULL;
	if (rs == NULL)
		goto fail;
	ingest_rules_publish(g, rs);
	g->detect_running = true;
	if (pthread_create(&g->detect_tid, NULL, detect_main, g) != 0) {
		g->detect_running = false;
		sg_err_set(e, SG_EIO, "the detection thread cannot start");
		goto fail;
	}
	if (cfg->in_wazuh_alerts) {
		uint64_t inode;
		int64_t pos, at;
		if (stored_position(cfg, open_app, &inode, &pos, &at, e) != 0 ||
		    (g->follow = follow_start(g, cfg->in_wazuh_alerts, inode, pos, at, e)) == NULL)
			goto stop;
	}
	if ((cfg->in_syslog_udp || cfg->in_syslog_tcp) &&
	    (g->net = syslog_net_start(g, cfg->in_syslog_udp, cfg->in_syslog_tcp, e)) == NULL)
		goto stop;
	if (cfg->in_relp && (g->relp = relp_start(g, cfg->in_relp, e)) == NULL)
		goto stop;
	return g;
stop:
	ingest_stop(g);
	return NULL;
fail:
	ingest_rules_free_all(g);
	pthread_mutex_destroy(&g->sets_mu);
	free(g->q);
	free(g);
	return NULL;
}

void ingest_stop(ingest *g)
{
	if (g == NULL)
		return;
	/* inputs first, so nothing is queued after detection drains */
	if (g->follow)
		follow_stop(g->follow);
	if (g->net)
		syslog_net_stop(g->net);
	if (g->relp)
		relp_stop(g->relp);
	pthread_mutex_lock(&g->mu);
	atomic_store(&g->stopping, true);
	pthread_cond_broadcast(&g->not_empty);
	pthread_cond_broadcast(&g->not_full);
	pthread_mutex_unlock(&g->mu);
	if (g->detect_tid)
		pthread_join(g->detect_tid, NULL);
	for (size_t i = 0; i < g->count; i++)
		free(g->q[(g->head + i) % g->cap].line);
	ingest_rules_free_all(g);
	pthread_mutex_destroy(&g->sets_mu);
	free(g->q);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->not_empty);
	pthread_cond_destroy(&g->not_full);
	pthread_cond_destroy(&g->done);
	free(g);
}

void ingest_metrics(ingest *g, buf *out)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} by_input[] = {
	    {"sigap_ingest_lines_total", "Lines received, by input.", offsetof(ingest, lines)},
	    {"sigap_ingest_unparsed_total",
	     "Lines that claimed a format and broke it (a '{' line that is not JSON), by input.",
	     offsetof(ingest, unparsed)},
	    {"sigap_ingest_unrecognised_total",
	     "Lines taken only as raw text (no format recognised) or that yielded no fields, "
	     "by input: only keyword rules and the indicator scan see them.",
	     offsetof(ingest, bare)},
	    {"sigap_ingest_oversize_total", "Lines left out for their length or framing, by input.",
	     offsetof(ingest, oversize)},
	    {"sigap_ingest_dropped_total", "Lines dropped because the detection queue was full.",
	     offsetof(ingest, dropped)},
	};
	for (size_t k = 0; k < sizeof by_input / sizeof by_input[0]; k++) {
		const atomic_ullong *v = (const atomic_ullong *)((const char *)g + by_input[k].off);
		buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n", by_input[k].name, by_input[k].help,
		           by_input[k].name);
		for (int i = 0; i < IN_COUNT; i++)
			buf_printf(out, "%s{input=\"%s\"} %llu\n", by_input[k].name, input_names[i],
			           (unsigned long long)atomic_load(&v[i]));
	}
	static const struct {
		const char *name, *help;
		size_t off;
	} times[] = {
	    {"sigap_ingest_last_line_timestamp_seconds",
	     "When the input last received a line (seconds since the epoch; 0: none yet).",
	     offsetof(ingest, last_line_at)},
	    {"sigap_ingest_unrecognised_last_timestamp_seconds",
	     "When the input last received a line counted in sigap_ingest_unrecognised_total.",
	     offsetof(ingest, last_bare_at)},
	};
	for (size_t k = 0; k < sizeof times / sizeof times[0]; k++) {
		const atomic_llong *v = (const atomic_llong *)((const char *)g + times[k].off);
		buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", times[k].name, times[k].help,
		           times[k].name);
		for (int i = 0; i < IN_COUNT; i++)
			buf_printf(out, "%s{input=\"%s\"} %lld\n", times[k].name, input_names[i],
			           (long long)atomic_load(&v[i]));
	}
	pthread_mutex_lock(&g->mu);
	size_t depth = g->count;
	pthread_mutex_unlock(&g->mu);
	const det_rules *held = ingest_rules_hold(g);
	size_t n_rules = det_rules_count(held);
	ingest_rules_drop(g, held);
	buf_printf(out,
	           "# HELP sigap_detect_matches_total Rule matches and indicator hits.\n"
	           "# TYPE sigap_detect_matches_total counter\nsigap_detect_matches_total %llu\n"
	           "# HELP sigap_alerts_raised_total Alerts raised, new or folded into open ones.\n"
	           "# TYPE sigap_alerts_raised_total counter\n"
	           "sigap_alerts_raised_total{folded=\"false\"} %llu\n"
	           "sigap_alerts_raised_total{folded=\"true\"} %llu\n"
	           "# HELP sigap_alerts_store_errors_total Alerts or batches not stored.\n"
	           "# TYPE sigap_alerts_store_errors_total counter\n"
	           "sigap_alerts_store_errors_total %llu\n"
	           "# HELP sigap_ingest_queue_depth Lines waiting for detection.\n"
	           "# TYPE sigap_ingest_queue_depth gauge\nsigap_ingest_queue_depth %zu\n"
	           "# HELP sigap_detect_rules Sigma rules loaded.\n"
	           "# TYPE sigap_detect_rules gauge\nsigap_detect_rules %zu\n"
	           "# HELP sigap_detect_indicators Indicators loaded.\n"
	           "# TYPE sigap_detect_indicators gauge\nsigap_detect_indicators %llu\n",
	           (unsigned long long)atomic_load(&g->matches),
	           (unsigned long long)atomic_load(&g->alerts_new),
	           (unsigned long long)atomic_load(&g->alerts_folded),
	           (unsigned long long)atomic_load(&g->store_errors), depth,
	           n_rules, (unsigned long long)atomic_load(&g->indicators));
	buf_printf(out,
	           "# HELP sigap_ingest_rotated_lost_total Rotated files whose unread rest was not "
	           "found (deleted or compressed) or could not be read.\n"
	           "# TYPE sigap_ingest_rotated_lost_total counter\n"
	           "sigap_ingest_rotated_lost_total{input=\"file\"} %llu\n"
	           "# HELP sigap_ingest_rotated_lost_bytes_total Unread bytes of those files, where "
	           "known.\n"
	           "# TYPE sigap_ingest_rotated_lost_bytes_total counter\n"
	           "sigap_ingest_rotated_lost_bytes_total{input=\"file\"} %llu\n",
	           (unsigned long long)atomic_load(&g->rotated_lost_files),
	           (unsigned long long)atomic_load(&g->rotated_lost_bytes));
}
