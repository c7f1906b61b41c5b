/*
 * metrics.c: what /metrics exposes: requests by route and status, a
 * latency histogram, and from the database the open cases, the steps past
 * their standard time and the finished steps that missed it.
 *
 * Route patterns are few and fixed (the route table), so the request
 * counters are a small table searched linearly under one mutex: a few
 * dozen string compares per request, well below the cost of a request.
 */
#include <pthread.h>
#include <string.h>

#include "metrics.h"

enum { MAX_SERIES = 512 };

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

int metrics_write(app *a, buf *out, sg_err *e)
{
	json_t *d = dashboard_get(a, e);
	if (d == NULL)
		return -1;
	int64_t missed = 0;
	if (db_query_int(a->db, e, &missed, "SELECT COUNT(*) FROM step_runs WHERE sla_met = 0",
	                 "") < 0) {
		json_decref(d);
		return -1;
	}
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
	pthread_mutex_unlock(&lock);
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
	           (long long)json_integer_value(json_object_get(d, "open")),
	           (long long)json_integer_value(json_object_get(d, "overdue")), (long long)missed);
	json_decref(d);
	return 0;
}
