/*
 * detect.c: sigap detect: offline hunting over log files with Sigma rules,
 * and sigap rules: check and list rule files.
 *
 * Exit codes of detect follow grep: 0 something matched, 1 nothing did,
 * 2 an error (a file could not be read, no rule could be loaded).
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/lines.h"
#include "cli.h"
#include "detect/parse.h"
#include "detect/rules.h"

static const char detect_usage[] =
    "usage: sigap detect [--rules PATH]... [--builtin] [--mapping FILE]\n"
    "                    [--format text|jsonl] [--year YEAR] [--quiet] [--stats] FILE...|-\n"
    "\n"
    "Reads logs (Wazuh alerts, JSON lines, Windows events exported to JSON, syslog\n"
    "RFC 3164/5424, CEF, auditd, web access logs; the format is told per line) and\n"
    "prints the events that match a Sigma rule.\n"
    "\n"
    "  --rules PATH    Sigma rule file or directory (searched recursively); may be\n"
    "                  repeated. Without it the rules shipped with sigap are used.\n"
    "  --builtin       also the shipped rules when --rules is given\n"
    "  --mapping FILE  logsource and field mapping (default: the shipped rules/mapping.yaml)\n"
    "  --format F      text (default) or jsonl: one JSON object a match\n"
    "  --year YEAR     year of syslog stamps that carry none (default: this year)\n"
    "  --quiet         print no matches; only the exit code\n"
    "  --stats         print counts at the end (to stderr)\n"
    "\n"
    "A progress line with events per second is shown on a terminal.\n"
    "Exit status: 0 a match, 1 no match, 2 an error.\n";

static const char rules_usage[] =
    "usage: sigap rules check [--mapping FILE] PATH...\n"
    "       sigap rules list [--mapping FILE] [PATH...]\n"
    "\n"
    "check  loads Sigma rule files and reports each rule that cannot be loaded\n"
    "       (FILE:LINE:COL: reason); exit 0 when all load, 1 otherwise\n"
    "list   id, level, logsource and title of each rule (default: the shipped rules)\n";

/* A run of lines of one file, parsed and matched by one worker; its
 * output is written in order once done, so threads never mix lines. */
enum { BATCH_BYTES = 1 << 20, BATCH_LINES = 4096 };
typedef enum { B_FREE, B_READY, B_TAKEN, B_DONE } batch_state;

typedef struct hunt {
	bool jsonl, quiet;
	const char *file;
	uint64_t line_no;
	uint64_t events, matches, bad, by_format[8];
	FILE *out;
	/* the batch's lines, each ending in '\n' */
	char *data;
	size_t len;
	int n_lines;
	batch_state state;
	char *text; /* output, from open_memstream */
	size_t text_len;
} hunt;

static void print_text(hunt *h, const det_rule *r, const det_event *ev)
{
	det_str what = ev->message.n ? ev->message : ev->raw;
	size_t n = what.n > 300 ? 300 : what.n;
	fprintf(h->out, "%s:%llu: %s: %s [%s]", h->file, (unsigned long long)h->line_no,
	        r->level ? r->level : "medium", r->title, r->id ? r->id : "-");
	if (ev->host.n)
		fprintf(h->out, " host=%.*s", (int)ev->host.n, ev->host.p);
	fputs(" | ", h->out);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)what.p[i];
		fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, h->out);
	}
	fputs(n < what.n ? "…\n" : "\n", h->out);
}

static json_t *str_json(det_str s)
{
	return json_stringn_nocheck(s.p ? s.p : "", s.n);
}

static void print_jsonl(hunt *h, const det_rule *r, const det_event *ev)
{
	static const char *const formats[] = {"unknown", "syslog", "syslog", "json",
	                                      "wazuh",   "cef",    "auditd", "access"};
	json_t *tags = json_array(), *fields = json_object(), *event = json_object();
	for (size_t i = 0; i < r->n_tags; i++)
		json_array_append_new(tags, json_string(r->tags[i]));
	for (size_t i = 0; i < ev->n_fields; i++) {
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)ev->fields[i].name.n,
		         ev->fields[i].name.p);
		if (json_object_get(fields, name) == NULL)
			json_object_set_new(fields, name, str_json(ev->fields[i].value));
	}
	json_object_set_new(event, "format", json_string(formats[ev->format]));
	if (ev->time)
		json_object_set_new(event, "time", json_integer(ev->time));
	if (ev->host.n)
		json_object_set_new(event, "host", str_json(ev->host));
	if (ev->program.n)
		json_object_set_new(event, "program", str_json(ev->program));
	if (ev->message.n)
		json_object_set_new(event, "message", str_json(ev->message));
	json_object_set_new(event, "fields", fields);
	json_object_set_new(event, "raw", str_json(ev->raw));
	json_t *o =
	    json_pack("{s:s, s:I, s:{s:s?, s:s, s:s?, s:s?, s:o}, s:o}", "file", h->file, "line",
	              (json_int_t)h->line_no, "rule", "id", r->id, "title", r->title, "level",
	              r->level, "author", r->author, "tags", tags, "event", event);
	json_dumpf(o, h->out, JSON_COMPACT);
	fputc('\n', h->out);
	json_decref(o);
}

static void on_match(void *ctx, const det_rule *r, const det_event *ev)
{
	hunt *h = ctx;
	h->matches++;
	if (h->quiet)
		return;
	if (h->jsonl)
		print_jsonl(h, r, ev);
	else
		print_text(h, r, ev);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole run: the batches in a ring, the workers, the totals. */
typedef struct run {
	const det_rules *rs;
	det_syslog_opts so;
	bool jsonl, quiet;
	hunt *ring;
	int n_ring;
	uint64_t produced, taken; /* batch sequence numbers */
	bool closing;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	hunt total;
} run;

/* Parses and matches every line of a batch. */
static void process(hunt *h, det_matcher *m, det_event *ev, const det_syslog_opts *so)
{
	h->out = open_memstream(&h->text, &h->text_len);
	const char *p = h->data, *end = h->data + h->len, *why;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);
		if (n > 0) {
			h->events++;
			if (det_parse_line(p, n, so, ev, &why) != 0)
				h->bad++;
			h->by_format[ev->format]++;
			det_match(m, ev, on_match, h);
		}
		h->line_no++;
		p = nl + 1;
	}
	fclose(h->out);
	h->out = NULL;
}

static void *worker(void *arg)
{
	run *r = arg;
	det_matcher *m = det_matcher_new(r->rs);
	det_event *ev = malloc(sizeof *ev);
	if (ev == NULL)
		abort();
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->taken == r->produced && !r->closing)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->taken == r->produced)
			break;
		hunt *h = &r->ring[r->taken++ % (uint64_t)r->n_ring];
		h->state = B_TAKEN;
		pthread_mutex_unlock(&r->mu);
		process(h, m, ev, &r->so);
		pthread_mutex_lock(&r->mu);
		h->state = B_DONE;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	free(ev);
	det_matcher_free(m);
	return NULL;
}

/* Writes a done batch's output, adds its counts, frees the slot. */
static void flush(run *r, hunt *h)
{
	if (h->text_len)
		fwrite(h->text, 1, h->text_len, stdout);
	free(h->text);
	h->text = NULL;
	h->text_len = 0;
	r->total.events += h->events;
	r->total.matches += h->matches;
	r->total.bad += h->bad;
	for (int i = 0; i < 8; i++)
		r->total.by_format[i] += h->by_format[i];
	h->state = B_FREE;
}

/* The slot for the next batch, flushed first when it still holds one. */
static hunt *next_slot(run *r)
{
	hunt *h = &r->ring[r->produced % (uint64_t)r->n_ring];
	pthread_mutex_lock(&r->mu);
	while (h->state == B_READY || h->state == B_TAKEN)
		pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
	if (h->state == B_DONE)
		flush(r, h);
	return h;
}

/* Hands a filled batch to the workers (or runs it here without any). */
static void submit(run *r, hunt *h, det_matcher *inline_m, det_event *inline_ev)
{
	if (inline_m) {
		process(h, inline_m, inline_ev, &r->so);
		h->state = B_DONE;
		r->produced++;
		flush(r, h);
		return;
	}
	pthread_mutex_lock(&r->mu);
	h->state = B_READY;
	r->produced++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static void drain(run *r)
{
	for (uint64_t s = r->produced > (uint64_t)r->n_ring ? r->produced - (uint64_t)r->n_ring : 0;
	     s < r->produced; s++) {
		hunt *h = &r->ring[s % (uint64_t)r->n_ring];
		pthread_mutex_lock(&r->mu);
		while (h->state == B_READY || h->state == B_TAKEN)
			pthread_cond_wait(&r->cv, &r->mu);
		pthread_mutex_unlock(&r->mu);
		if (h->state == B_DONE)
			flush(r, h);
	}
}

static void progress(const run *r, const char *file, const line_reader *lr, off_t size, double t0,
                     bool done)
{
	double el = now() - t0;
	double rate = el > 0 ? (double)r->total.events / el : 0;
	fprintf(stderr, "\r%s", file);
	if (size > 0) {
		int pct = (int)(100.0 * (double)lr->bytes / (double)size);
		char bar[31];
		for (int i = 0; i < 30; i++)
			bar[i] = i < (pct > 100 ? 100 : pct) * 30 / 100 ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, " [%s] %3d%%", bar, pct > 100 ? 100 : pct);
	}
	fprintf(stderr, "  %llu events  %.0f events/s  %llu matches ",
	        (unsigned long long)r->total.events, rate, (unsigned long long)r->total.matches);
	if (done)
		fputc('\n', stderr);
}

/* Reads one file (or stdin) into batches; -1 when it cannot be read. */
static int hunt_file(run *r, const char *path, det_matcher *inline_m, det_event *inline_ev)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "sigap: %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct stat st;
	off_t size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
	bool show = isatty(2) && !r->quiet;
	const char *name = fd == 0 ? "(stdin)" : path;
	line_reader lr;
	lines_open(&lr, fd, 1 << 20);
	const char *line;
	size_t n;
	int got, rc = 0;
	uint64_t line_no = 0;
	double t0 = now(), shown = t0;
	hunt *h = NULL;
	while ((got = lines_next(&lr, &line, &n)) == 1) {
		if (h && (h->len + n + 1 > BATCH_BYTES * 2 || h->n_lines == BATCH_LINES)) {
			submit(r, h, inline_m, inline_ev);
			h = NULL;
			if (show && now() - shown > 0.25) {
				shown = now();
				progress(r, name, &lr, size, t0, false);
			}
		}
		if (h == NULL) {
			h = next_slot(r);
			*h = (hunt){.jsonl = r->jsonl,
			            .quiet = r->quiet,
			            .file = name,
			            .line_no = line_no + 1,
			            .data = h->data,
			            .state = B_FREE};
		}
		memcpy(h->data + h->len, line, n);
		h->data[h->len + n] = '\n';
		h->len += n + 1;
		h->n_lines++;
		line_no++;
	}
	if (h)
		submit(r, h, inline_m, inline_ev);
	if (got < 0) {
		fprintf(stderr, "sigap: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	r->total.bad += lr.oversize;
	if (show) {
		drain(r);
		progress(r, name, &lr, size, t0, true);
	}
	lines_close(&lr);
	if (fd != 0)
		close(fd);
	return rc;
}

/* An empty rule set with the mapping file, or the built-in mapping when
 * mapping is NULL; NULL after printing why. */
static det_rules *new_rules(const char *mapping)
{
	det_rules *rs = det_rules_new();
	if (mapping == NULL)
		return rs;
	diags d = DIAGS_INIT;
	size_t len;
	char why[200];
	char *text = fs_read_file(mapping, 1 << 20, &len, why, sizeof why);
	if (text == NULL)
		fprintf(stderr, "sigap: %s: %s\n", mapping, why);
	else if (det_rules_set_mapping(rs, text, len, mapping, &d) != 0)
		diags_print(&d, stderr);
	bool ok = text && d.n == 0;
	free(text);
	diags_free(&d);
	if (!ok) {
		det_rules_free(rs);
		return NULL;
	}
	return rs;
}

/* The options of sigap rules check/list: --mapping and --help. Returns -1
 * to go on, else the exit code. */
static int rules_opts(int argc, char **argv, const char **mapping)
{
	static const struct option opts[] = {
	    {"mapping", required_argument, NULL, 'm'}, {"help", no_argument, NULL, 'h'}, {0}};
	int c;
	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(rules_usage, stdout);
			return EXIT_OK;
		}
		if (c != 'm') {
			fputs(rules_usage, stderr);
			return EXIT_USAGE;
		}
		*mapping = optarg;
	}
	return -1;
}

/* Loads the mapping and rules; NULL after printing why. */
static det_rules *load_rules(const char *mapping, const char **paths, int n_paths, bool builtin,
                             bool report_summary)
{
	det_rules *rs = new_rules(mapping);
	if (rs == NULL)
		return NULL;
	diags d = DIAGS_INIT;
	d.limit = 100000;
	if (n_paths == 0 || builtin)
		det_rules_add_builtin(rs, &d);
	bool missing = false;
	for (int i = 0; i < n_paths; i++)
		if (det_rules_add_path(rs, paths[i], &d) < 0)
			missing = true;
	diags_print(&d, stderr);
	if (report_summary || d.n)
		fprintf(stderr, "sigap: %zu rules loaded, %zu not loaded\n", det_rules_count(rs),
		        d.n + d.dropped);
	if (det_rules_compile(rs, &d) != 0 || missing || det_rules_count(rs) == 0) {
		if (det_rules_count(rs) == 0)
			fprintf(stderr, "sigap: no rule could be loaded\n");
		diags_free(&d);
		det_rules_free(rs);
		return NULL;
	}
	diags_free(&d);
	return rs;
}

int cmd_detect(int argc, char **argv)
{
	static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
	                                     {"builtin", no_argument, NULL, 'b'},
	                                     {"mapping", required_argument, NULL, 'm'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"year", required_argument, NULL, 'y'},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"stats", no_argument, NULL, 's'},
	                                     {"threads", required_argument, NULL, 't'},
	                                     {"no-rules", no_argument, NULL, 'n'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {0}};
	const char *paths[64], *mapping = NULL;
	int n_paths = 0, c;
	bool builtin = false, stats = false, jsonl = false, quiet = false, no_rules = false;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	det_syslog_opts so = {tm.tm_year + 1900, (int)(tm.tm_gmtoff / 60)};
	while ((c = getopt_long(argc, argv, "hr:bm:f:y:qst:n", opts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(detect_usage, stdout); return EXIT_OK;
		case 'r':
			if (n_paths == 64)
				return cli_usage_error(detect_usage, "at most 64 --rules");
			paths[n_paths++] = optarg;
			break;
		case 'b': builtin = true; break;
		case 'm': mapping = optarg; break;
		case 'f':
			if (strcmp(optarg, "jsonl") == 0)
				jsonl = true;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error(detect_usage, "--format is text or jsonl");
			break;
		case 'y': {
			char *end;
			long y = strtol(optarg, &end, 10);
			if (*end || y < 1970 || y > 9999)
				return cli_usage_error(detect_usage, "--year must be a year");
			so.year = (int)y;
			break;
		}
		case 'q': quiet = true; break;
		case 'n': no_rules = true; break;
		case 's': stats = true; break;
		case 't': {
			char *end;
			threads = strtol(optarg, &end, 10);
			if (*end || threads < 1 || threads > 256)
				return cli_usage_error(detect_usage, "--threads is 1 to 256");
			break;
		}
		default: fputs(detect_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind == argc)
		return cli_usage_error(detect_usage,
		                       "give one or more files, or - for standard input");
	det_rules *rs =
	    no_rules ? det_rules_new() : load_rules(mapping, paths, n_paths, builtin, stats);
	if (rs == NULL)
		return EXIT_USAGE;
	if (no_rules)
		det_rules_compile(rs, NULL);
	run r = {.rs = rs, .so = so, .jsonl = jsonl, .quiet = quiet};
	r.n_ring = threads > 1 ? (int)threads * 4 : 1;
	r.ring = calloc((size_t)r.n_ring, sizeof *r.ring);
	if (r.ring == NULL)
		abort();
	for (int i = 0; i < r.n_ring; i++)
		if ((r.ring[i].data = malloc(BATCH_BYTES * 2 + (1 << 20) + 2)) == NULL)
			abort();
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	pthread_t tid[256];
	det_matcher *m = NULL;
	det_event *ev = NULL;
	if (threads > 1) {
		for (long i = 0; i < threads; i++)
			pthread_create(&tid[i], NULL, worker, &r);
	} else {
		m = det_matcher_new(rs);
		ev = malloc(sizeof *ev);
		if (ev == NULL)
			abort();
	}
	bool failed = false;
	double t0 = now();
	for (int i = optind; i < argc; i++)
		if (hunt_file(&r, argv[i], m, ev) != 0)
			failed = true;
	drain(&r);
	pthread_mutex_lock(&r.mu);
	r.closing = true;
	pthread_cond_broadcast(&r.cv);
	pthread_mutex_unlock(&r.mu);
	if (threads > 1)
		for (long i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
	fflush(stdout);
	hunt h = r.total;
	if (stats) {
		double el = now() - t0;
		fprintf(stderr,
		        "sigap: %llu events (%llu syslog, %llu JSON, %llu Wazuh, %llu CEF, %llu "
		        "auditd, "
		        "%llu access log, %llu other), %llu bad, %llu matches, %.0f events/s on "
		        "%ld threads\n",
		        (unsigned long long)h.events,
		        (unsigned long long)(h.by_format[DET_FMT_SYSLOG3164] +
		                             h.by_format[DET_FMT_SYSLOG5424]),
		        (unsigned long long)h.by_format[DET_FMT_JSON],
		        (unsigned long long)h.by_format[DET_FMT_WAZUH],
		        (unsigned long long)h.by_format[DET_FMT_CEF],
		        (unsigned long long)h.by_format[DET_FMT_AUDITD],
		        (unsigned long long)h.by_format[DET_FMT_ACCESS],
		        (unsigned long long)h.by_format[DET_FMT_UNKNOWN], (unsigned long long)h.bad,
		        (unsigned long long)h.matches, el > 0 ? (double)h.events / el : 0, threads);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		fprintf(stderr, "sigap: %.1f s, peak memory %ld MiB\n", el, ru.ru_maxrss / 1024);
	}
	for (int i = 0; i < r.n_ring; i++)
		free(r.ring[i].data);
	free(r.ring);
	free(ev);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
	det_matcher_free(m);
	det_rules_free(rs);
	if (failed)
		return 2;
	return h.matches ? 0 : 1;
}

static int rules_check(int argc, char **argv)
{
	const char *mapping = NULL;
	int rc0 = rules_opts(argc, argv, &mapping);
	if (rc0 >= 0)
		return rc0;
	if (optind == argc)
		return cli_usage_error(rules_usage, "give rule files or directories");
	det_rules *rs = new_rules(mapping);
	if (rs == NULL)
		return EXIT_ERR;
	diags d = DIAGS_INIT;
	d.limit = 100000;
	for (int i = optind; i < argc; i++)
		det_rules_add_path(rs, argv[i], &d);
	det_rules_compile(rs, &d);
	diags_print(&d, stdout);
	printf("%zu rules loaded, %zu not loaded, %zu with a logsource no input feeds\n",
	       det_rules_count(rs), d.n + d.dropped, det_rules_unmapped(rs));
	int rc = d.n + d.dropped ? EXIT_ERR : EXIT_OK;
	diags_free(&d);
	det_rules_free(rs);
	return rc;
}

static int rules_list(int argc, char **argv)
{
	const char *mapping = NULL;
	int rc0 = rules_opts(argc, argv, &mapping);
	if (rc0 >= 0)
		return rc0;
	det_rules *rs =
	    load_rules(mapping, (const char **)argv + optind, argc - optind, false, false);
	if (rs == NULL)
		return EXIT_ERR;
	for (size_t i = 0; i < det_rules_count(rs); i++) {
		const det_rule *r = det_rules_get(rs, i);
		printf("%-36s  %-13s  %s/%s/%s  %s\n", r->id ? r->id : "-",
		       r->level ? r->level : "-", r->product ? r->product : "*",
		       r->category ? r->category : "*", r->service ? r->service : "*", r->title);
	}
	det_rules_free(rs);
	return EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
	static const cli_sub subs[] = {{"check", rules_check}, {"list", rules_list}, {NULL, NULL}};
	return cli_dispatch(argc, argv, rules_usage, "rules", subs);
}
