/*
 * metrics.c: what /metrics exposes and to whom: requests by route and
 * status, a latency histogram, bodies refused, the HTTP library's
 * messages, and the case gauges (open cases, steps past their standard
 * time, finished steps that missed it).
 *
 * A scrape costs no query: counters are kept as requests finish, and the
 * case gauges are recomputed by a thread of their own every
 * METRICS_PERIOD seconds (the steps past their time depend on the working
 * calendar, so they are computed per open case: O(open cases), about
 * 0.9 s at 100,000 open cases, in the background, not per scrape).
 *
 * Who may read: the addresses [web] metrics_allow lists, and signed-in
 * administrators (an API token of an admin serves a Prometheus scraper
 * from anywhere). Nothing is inferred from X-Forwarded-For or from the
 * loopback: a proxy on the same host would make every client local.
 *
 * Route patterns are few and fixed (the route table), so the request
 * counters are a small table searched linearly under one mutex: a few
 * dozen string compares per request, well below the cost of a request.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <sys/resource.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/ticker.h"
#include "addrlist.h"
#include "conn.h"
#include "metrics.h"
#include "server.h"

enum { MAX_SERIES = 512, MAX_FORMATS = 64 };

static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

typedef struct series {
	const char *route; /* a pattern from the route table, or "(none)" */
	int status;
	unsigned long long count;
} series;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static series table[MAX_SERIES];
static size_t n_series;
static unsigned long long buckets[N_BOUNDS + 1];
static double sum_seconds;
static unsigned long long n_requests;
static atomic_ullong refusals[REFUSED_N];

/* ---- who may read ---- */

static addr_list allow;

int metrics_configure(const char *list, sg_err *e)
{
	return addr_list_parse(&allow, list, "metrics_allow", e);
}

bool web_metrics_allowed(const web_req *r)
{
	if (r->signed_in && web_has_role(r, "admin"))
		return true;
	return addr_list_has(&allow, r->client);
}

/* ---- counters ---- */

void metrics_request(const char *route, int status, double seconds)
{
	pthread_mutex_lock(&lock);
	size_t i;
	for (i = 0; i < n_series; i++)
		if (table[i].status == status && strcmp(table[i].route, route) == 0)
			break;
	if (i == n_series && n_series < MAX_SERIES) {
		table[i].route = route;
		table[i].status = status;
		n_series++;
	}
	if (i < n_series)
		table[i].count++;
	size_t b = 0;
	while (b < N_BOUNDS && seconds > bounds[b])
		b++;
	buckets[b]++;
	sum_seconds += seconds;
	n_requests++;
	pthread_mutex_unlock(&lock);
}

void metrics_refusal(web_refusal why)
{
	atomic_fetch_add(&refusals[why], 1);
}

static const char *formats[MAX_FORMATS];
static unsigned long long format_count[MAX_FORMATS];
static unsigned long long other_messages;

bool metrics_library_message(const char *fmt)
{
	pthread_mutex_lock(&lock);
	bool first = false;
	int i;
	for (i = 0; i < MAX_FORMATS && formats[i]; i++)
		if (formats[i] == fmt || strcmp(formats[i], fmt) == 0)
			break;
	if (i == MAX_FORMATS) {
		other_messages++;
	} else {
		first = formats[i] == NULL;
		formats[i] = fmt; /* the library's own string literal */
		format_count[i]++;
	}
	pthread_mutex_unlock(&lock);
	return first;
}

/* ---- case gauges ---- */

static atomic_llong g_open = -1, g_overdue = -1, g_missed = -1;
static atomic_llong g_outbox_waiting = -1, g_outbox_stuck = -1;
static ticker *gauge_ticker;
static app *gauge_app; /* the gauge thread's own */
static int gauge_period;
static int (*gauge_open_app)(app *a, sg_err *e);

static void refresh(app *a)
{
	sla_gauges g;
	sg_err e = {0};
	if (sla_gauges_get(a, &g, &e) == 0) {
		atomic_store(&g_open, g.open);
		atomic_store(&g_overdue, g.overdue);
		atomic_store(&g_missed, g.missed);
	}
	int64_t waiting, stuck;
	if (outbox_counts(a, &waiting, &stuck, &e) == 0) {
		atomic_store(&g_outbox_waiting, waiting);
		atomic_store(&g_outbox_stuck, stuck);
	}
}

static long gauges_round(ticker *t, void *arg)
{
	(void)t;
	(void)arg;
	sg_err e = {0};
	/* the first, or the configuration reloaded (its calendar): an app */
	if (!gauge_app || !app_config_current(gauge_app)) {
		app *fresh = calloc(1, sizeof *fresh);
		if (fresh && gauge_open_app(fresh, &e) == 0) {
			if (gauge_app) {
				app_close(gauge_app);
				free(gauge_app);
			}
			gauge_app = fresh;
		} else {
			free(fresh);
			if (!gauge_app)
				log_say(LOG_ERROR, "metrics cannot open the database: %s", e.msg);
		}
	}
	if (gauge_app)
		refresh(gauge_app);
	return gauge_period * 1000L;
}

static void gauges_done(void *arg)
{
	(void)arg;
	if (gauge_app) {
		app_close(gauge_app);
		free(gauge_app);
		gauge_app = NULL;
	}
}

int metrics_gauges_start(app *now, int (*open_app)(app *a, sg_err *e), int period, sg_err *e)
{
	refresh(now);
	gauge_open_app = open_app;
	gauge_period = period;
	gauge_ticker = ticker_start(period * 1000L, gauges_round, gauges_done, NULL);
	if (!gauge_ticker)
		return sg_err_set(e, SG_EIO, "the metrics thread cannot start");
	return 0;
}

void metrics_gauges_stop(void)
{
	ticker_stop(gauge_ticker);
	gauge_ticker = NULL;
}

/* ---- the process ---- */

/* When this process started (epoch seconds): its start in clock ticks
 * after boot (/proc/self/stat, field 22) plus the boot time (/proc/stat
 * btime); 0 when unknown. */
static double process_start(void)
{
	char line[1024];
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return 0;
	size_t n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	/* the fields after the name, which is in parentheses and may hold any */
	const char *p = strrchr(line, ')');
	unsigned long long ticks = 0;
	for (int field = 2; p && *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (!p || sscanf(p, "%llu", &ticks) != 1)
		return 0;
	unsigned long long btime = 0;
	if (!(f = fopen("/proc/stat", "r")))
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "btime %llu", &btime) == 1)
			break;
	fclose(f);
	long hz = sysconf(_SC_CLK_TCK);
	return btime && hz > 0 ? (double)btime + (double)ticks / (double)hz : 0;
}

/* What the process uses, by Prometheus's standard names, and which sigap
 * it is. */
static void process_metrics(buf *out)
{
	static double started = -1;
	if (started < 0)
		started = process_start();
	struct rusage ru;
	double cpu = 0;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	long long resident = -1, fds = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	long long pages_total, pages_resident;
	if (f && fscanf(f, "%lld %lld", &pages_total, &pages_resident) == 2)
		resident = pages_resident * sysconf(_SC_PAGESIZE);
	if (f)
		fclose(f);
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	while (d && (de = readdir(d)))
		fds += de->d_name[0] != '.';
	if (d) {
		closedir(d);
		fds--; /* the directory's own */
	}
	buf_printf(out,
	           "# HELP sigap_build_info The sigap that runs (its version), always 1.\n"
	           "# TYPE sigap_build_info gauge\n"
	           "sigap_build_info{version=\"%s\"} 1\n"
	           "# HELP process_cpu_seconds_total CPU time used, user and system.\n"
	           "# TYPE process_cpu_seconds_total counter\n"
	           "process_cpu_seconds_total %.2f\n"
	           "# HELP process_open_fds Open file descriptors.\n"
	           "# TYPE process_open_fds gauge\n"
	           "process_open_fds %lld\n",
	           SIGAP_VERSION, cpu, fds);
	if (resident >= 0)
		buf_printf(out,
		           "# HELP process_resident_memory_bytes Resident memory.\n"
		           "# TYPE process_resident_memory_bytes gauge\n"
		           "process_resident_memory_bytes %lld\n",
		           resident);
	if (started > 0)
		buf_printf(out,
		           "# HELP process_start_time_seconds When the process started (Unix time).\n"
		           "# TYPE process_start_time_seconds gauge\n"
		           "process_start_time_seconds %.2f\n",
		           started);
}

/* ---- the page ---- */

void metrics_write(buf *out)
{
	buf_puts(out, "# HELP sigap_http_requests_total HTTP requests by route and status.\n"
	              "# TYPE sigap_http_requests_total counter\n");
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_series; i++) {
		buf_puts(out, "sigap_http_requests_total{route=\"");
		for (const char *p = table[i].route; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(out, '\\');
			buf_putc(out, *p);
		}
		buf_printf(out, "\",status=\"%d\"} %llu\n", table[i].status, table[i].count);
	}
	buf_puts(out, "# HELP sigap_http_request_duration_seconds Time to answer a request.\n"
	              "# TYPE sigap_http_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (size_t b = 0; b < N_BOUNDS; b++) {
		cum += buckets[b];
		buf_printf(out, "sigap_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
		           bounds[b], cum);
	}
	cum += buckets[N_BOUNDS];
	buf_printf(out,
	           "sigap_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
	           "sigap_http_request_duration_seconds_sum %.6f\n"
	           "sigap_http_request_duration_seconds_count %llu\n",
	           cum, sum_seconds, n_requests);
	unsigned long long lib = other_messages;
	for (int i = 0; i < MAX_FORMATS; i++)
		lib += format_count[i];
	pthread_mutex_unlock(&lock);
	buf_printf(out,
	           "# HELP sigap_http_bodies_refused_total Request bodies refused by reason.\n"
	           "# TYPE sigap_http_bodies_refused_total counter\n"
	           "sigap_http_bodies_refused_total{reason=\"too_large\"} %llu\n"
	           "sigap_http_bodies_refused_total{reason=\"body_memory\"} %llu\n"
	           "sigap_http_bodies_refused_total{reason=\"upload_inflight\"} %llu\n"
	           "# HELP sigap_http_library_messages_total Messages of the HTTP library "
	           "(each kind logged once).\n"
	           "# TYPE sigap_http_library_messages_total counter\n"
	           "sigap_http_library_messages_total %llu\n",
	           (unsigned long long)atomic_load(&refusals[REFUSED_TOO_LARGE]),
	           (unsigned long long)atomic_load(&refusals[REFUSED_BODY_MEMORY]),
	           (unsigned long long)atomic_load(&refusals[REFUSED_UPLOAD_INFLIGHT]), lib);
	conn_metrics(out);
	process_metrics(out);
	long long open = atomic_load(&g_open);
	if (open < 0)
		return; /* not computed yet */
	buf_printf(out,
	           "# HELP sigap_cases_open Cases not yet closed.\n"
	           "# TYPE sigap_cases_open gauge\n"
	           "sigap_cases_open %lld\n"
	           "# HELP sigap_sla_breached_steps Open cases whose current step is past its "
	           "standard time.\n"
	           "# TYPE sigap_sla_breached_steps gauge\n"
	           "sigap_sla_breached_steps %lld\n"
	           "# HELP sigap_sla_missed_steps_total Finished steps that took longer than their "
	           "standard time.\n"
	           "# TYPE sigap_sla_missed_steps_total counter\n"
	           "sigap_sla_missed_steps_total %lld\n",
	           open, (long long)atomic_load(&g_overdue), (long long)atomic_load(&g_missed));
	long long waiting = atomic_load(&g_outbox_waiting);
	if (waiting >= 0)
		buf_printf(out,
		           "# HELP sigap_outbox_waiting Messages waiting for delivery or a retry.\n"
		           "# TYPE sigap_outbox_waiting gauge\n"
		           "sigap_outbox_waiting %lld\n"
		           "# HELP sigap_outbox_stuck Messages that failed every try or whose delivery "
		           "is uncertain: an admin decides (/admin/kotak-keluar).\n"
		           "# TYPE sigap_outbox_stuck gauge\n"
		           "sigap_outbox_stuck %lld\n",
		           waiting, (long long)atomic_load(&g_outbox_stuck));
}
