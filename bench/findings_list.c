/*
 * findings_list.c: the findings list benchmark's load generator without
 * HTTP (bench/findings.sh), for the list as the app gives it to every
 * face: finding_list with its total, dumped as the API's JSON.
 *
 *   sigap-findings-list DATABASE CLIENTS SECONDS VIEWER [KEY=VALUE...]
 *
 * What wrk does to sigap serve, without HTTP: CLIENTS clients each keep
 * one request outstanding (a closed loop: a client asks again as soon as
 * its answer comes), and as many workers as sigap serve runs by default
 * (one per core), each on its own connection to the store, answer them
 * first come first served. A request is timed from its client's asking
 * to its JSON, so the wait in the queue counts as it does for wrk.
 * KEY=VALUE sets the filter: opd, asset, severity, min_severity, state,
 * overdue=1, kev=yes|no, min_epss, unmatched=1, cve, q, sort, limit,
 * offset. VIEWER is a user name ("-": the machine's owner). The
 * baseline of the same run is the mode "baseline" as the filter: a
 * one-row query and its JSON on the same connections, the /healthz of
 * this benchmark.
 *
 * Prints "REQUESTS_PER_S P50_MS P99_MS TOTAL" on one line.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/findings.h"

enum { MAX_SAMPLES = 1 << 20 };

typedef struct client {
	pthread_t t;
	const char *db;
	double until;
	double *lat;
	size_t n, cap;
	int64_t total;
	int failed;
	app_config cfg;
	app a;
} client;

/* The requests waiting: when each was asked, first come first served. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static double *queue;
static size_t q_head, q_len, q_cap;

static double take(void)
{
	pthread_mutex_lock(&mu);
	double t = queue[q_head];
	q_head = (q_head + 1) % q_cap;
	q_len--;
	pthread_mutex_unlock(&mu);
	return t;
}

static void ask(double t)
{
	pthread_mutex_lock(&mu);
	queue[(q_head + q_len) % q_cap] = t;
	q_len++;
	pthread_mutex_unlock(&mu);
}

static finding_filter filter;
static const char *viewer;
static int baseline;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
	client *c = arg;
	sg_err e = {0};
	app a = c->a;
	finding_filter f = filter;
	f.viewer = viewer;
	while (c->n < c->cap) {
		/* the clients' requests outnumber the workers: one always waits */
		double t0 = take();
		if (now() >= c->until)
			break;
		json_t *page;
		if (baseline) {
			int64_t one = 0;
			if (db_query_int(a.db, &e, &one, "SELECT 1", "") != DB_ROW) {
				c->failed = 1;
				break;
			}
			page = json_pack("{s:s}", "status", "ok");
		} else {
			int64_t total = 0;
			json_t *rows = finding_list(&a, &f, &total, &e);
			if (rows == NULL) {
				fprintf(stderr, "sigap-findings-list: %s\n", e.msg);
				c->failed = 1;
				break;
			}
			c->total = total;
			page = json_pack("{s:o, s:I}", "findings", rows, "total", (json_int_t)total);
		}
		char *s = json_dumps(page, JSON_COMPACT);
		free(s);
		json_decref(page);
		double t1 = now();
		c->lat[c->n++] = t1 - t0;
		ask(t1); /* the client asks again */
	}
	return NULL;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static int set(const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (eq == NULL)
		return -1;
	size_t k = (size_t)(eq - kv);
	const char *v = eq + 1;
#define IS(name) (k == strlen(name) && strncmp(kv, name, k) == 0)
	if (IS("opd"))
		filter.opd = v;
	else if (IS("asset"))
		filter.asset_id = atoll(v);
	else if (IS("severity"))
		filter.severity = v;
	else if (IS("min_severity"))
		filter.severity = v, filter.min_severity = true;
	else if (IS("state"))
		filter.state = v;
	else if (IS("overdue"))
		filter.overdue = atoi(v) != 0;
	else if (IS("kev"))
		filter.kev = strcmp(v, "yes") == 0 ? 1 : strcmp(v, "no") == 0 ? -1 : 0;
	else if (IS("min_epss"))
		filter.min_epss = atof(v);
	else if (IS("unmatched"))
		filter.unmatched = atoi(v) != 0;
	else if (IS("cve"))
		filter.cve = v;
	else if (IS("q"))
		filter.q = v;
	else if (IS("sort"))
		return finding_sort_parse(v, &filter.sort) ? 0 : -1;
	else if (IS("limit"))
		filter.limit = atoi(v);
	else if (IS("offset"))
		filter.offset = atoi(v);
	else if (IS("mode"))
		baseline = strcmp(v, "baseline") == 0;
	else
		return -1;
	return 0;
#undef IS
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: sigap-findings-list DATABASE CLIENTS SECONDS VIEWER [KEY=VALUE...]\n");
		return 2;
	}
	int clients = atoi(argv[2]);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cores < 2 ? 2 : (int)cores; /* sigap serve's default workers */
	double secs = atof(argv[3]);
	viewer = strcmp(argv[4], "-") == 0 ? NULL : argv[4];
	for (int i = 5; i < argc; i++)
		if (set(argv[i]) != 0) {
			fprintf(stderr, "sigap-findings-list: unknown filter %s\n", argv[i]);
			return 2;
		}
	if (clients < n || clients > 4096 || secs <= 0)
		return 2;
	q_cap = (size_t)clients;
	queue = calloc(q_cap, sizeof *queue);
	client *c = calloc((size_t)n, sizeof *c);
	/* the workers' connections, opened one after another as the server does */
	for (int i = 0; i < n; i++) {
		sg_err e = {0};
		if (app_config_load(&c[i].cfg, NULL, &e) != 0)
			return 1;
		free(c[i].cfg.db_path);
		c[i].cfg.db_path = strdup(argv[1]);
		if (app_open(&c[i].a, &c[i].cfg, DB_OPEN_EXISTING, &e) != 0) {
			fprintf(stderr, "sigap-findings-list: %s\n", e.msg);
			return 1;
		}
	}
	double start = now();
	for (int i = 0; i < clients; i++)
		ask(start);
	for (int i = 0; i < n; i++) {
		c[i].db = argv[1];
		c[i].until = start + secs;
		c[i].cap = MAX_SAMPLES / (size_t)n;
		c[i].lat = malloc(c[i].cap * sizeof(double));
		pthread_create(&c[i].t, NULL, run, &c[i]);
	}
	size_t all = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(c[i].t, NULL);
		if (c[i].failed)
			return 1;
		all += c[i].n;
	}
	double took = now() - start;
	double *lat = malloc((all + 1) * sizeof *lat);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		memcpy(lat + k, c[i].lat, c[i].n * sizeof *lat);
		k += c[i].n;
	}
	qsort(lat, all, sizeof *lat, cmp);
	printf("%.0f %.2f %.2f %lld\n", (double)all / took, all ? lat[all / 2] * 1e3 : 0.0,
	       all ? lat[(size_t)((double)all * 0.99)] * 1e3 : 0.0, (long long)c[0].total);
	return 0;
}
