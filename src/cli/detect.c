/*
 * detect.c: sigap detect: offline hunting over log files with Sigma rules
 * and threat indicators.
 *
 * The reader thread cuts the input into batches of lines; workers parse,
 * match and format a batch each into its own buffer; batches are written
 * in input order, so the output does not depend on the thread count.
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
#include "cli.h"
#include "detect/engine/engine.h"
#include "detect/engine/event_json.h"
#include "intel/intel.h"

static const char detect_usage[] =
    "usage: sigap detect [--rules PATH]... [--builtin] [--mapping FILE] [--iocs FEED]...\n"
    "                    [--placeholders FILE] [--no-rules] [--format text|jsonl]\n"
    "                    [--threads N] [--year YEAR] [--cache DIR | --no-cache]\n"
    "                    [--store] [--quiet] [--stats] FILE...|-\n"
    "\n"
    "Reads logs (Wazuh alerts, JSON lines, Windows events exported to JSON, syslog\n"
    "RFC 3164/5424, CEF, auditd, web access logs; the format is told per line) and\n"
    "prints the events that match a Sigma rule or hold a threat indicator.\n"
    "\n"
    "  --rules PATH    Sigma rule file or directory (searched recursively); may be\n"
    "                  repeated. Without it the rules shipped with sigap are used.\n"
    "  --builtin       also the shipped rules when --rules is given\n"
    "  --iocs FEED     indicators to look for: a MISP feed directory or event, a STIX\n"
    "                  2.1 bundle, a CSV or plain list (as sigap ioc import reads\n"
    "                  them); may be repeated. Addresses, domains (and their\n"
    "                  subdomains), URLs, e-mail addresses and hashes anywhere in an\n"
    "                  event are looked up.\n"
    "  --no-rules      no Sigma rules (indicators only, or parsing only)\n"
    "  --store         raise alerts in the database (--db), folding repeats, and\n"
    "                  look up its indicators too; one thread\n"
    "  --threads N     worker threads (default: one a core)\n"
    "  --mapping FILE  logsource and field mapping (default: the shipped rules/mapping.yaml)\n"
    "  --placeholders FILE\n"
    "                  values of the placeholders of |expand ('%Admins%'): a YAML map\n"
    "                  of names to lists; a rule whose placeholder has none is refused\n"
    "  --cache DIR     keep the compiled pattern databases in DIR and read them back\n"
    "                  while the rules are unchanged (default: [detect] cache of the\n"
    "                  configuration, or cache/rules beside the database when its\n"
    "                  directory exists)\n"
    "  --no-cache      compile the rules and keep nothing\n"
    "  --format F      text (default) or jsonl: one JSON object a match\n"
    "  --year YEAR     year of syslog stamps that carry none (default: the year\n"
    "                  that puts the stamp closest to now, at most a day ahead)\n"
    "  --quiet         print no matches; only the exit code\n"
    "  --stats         print counts at the end (to stderr)\n"
    "\n"
    "A progress line with events per second is shown on a terminal.\n"
    "Exit status: 0 a match, 1 no match, 2 an error.\n";

/* A run of lines of one file, parsed and matched by one worker; its
 * output is written in order once done, so threads never mix lines. */
enum {
	BATCH_BYTES = 1 << 20, /* a batch holds up to twice this */
	BATCH_LINES = 4096,
	READ_BYTES = 1 << 17, /* read at a time, into the batch */
	MAX_LINE = 1 << 20,   /* longer lines are skipped (counted as bad) */
	BATCH_CAP = BATCH_BYTES * 2 + MAX_LINE + READ_BYTES + 1,
};
typedef enum { B_FREE, B_READY, B_TAKEN, B_DONE } batch_state;

typedef struct hunt {
	bool jsonl, quiet;
	app *store;         /* --store: alerts go to the database */
	uint64_t alerts, store_errors;
	char *obs;          /* what the batch's matches mean to correlations:
	                     * records of a line number and the bytes of an
	                     * observation in use (obs_record) */
	size_t obs_len, obs_cap;
	const char *file;
	uint64_t line_no;
	uint64_t events, matches, bad, by_format[8];
	FILE *out;
	/* the batch's lines, each ending in '\n', and their lengths (without
	 * it): the reader found them, the worker need not look again */
	char *data;
	size_t len;
	uint32_t *line_len;
	int n_lines;
	batch_state state;
	char *text; /* output, from open_memstream */
	size_t text_len;
} hunt;

static void print_message(hunt *h, const det_event *ev)
{
	det_str what = ev->message.n ? ev->message : ev->raw;
	size_t n = what.n > 300 ? 300 : what.n;
	if (ev->host.n)
		fprintf(h->out, " host=%.*s", (int)ev->host.n, ev->host.p);
	fputs(" | ", h->out);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)what.p[i];
		fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, h->out);
	}
	fputs(n < what.n ? "…\n" : "\n", h->out);
}

static void print_text(hunt *h, const det_rule *r, const det_event *ev)
{
	fprintf(h->out, "%s:%llu: %s: %s [%s]", h->file, (unsigned long long)h->line_no,
	        r->level ? r->level : "medium", r->title, r->id ? r->id : "-");
	print_message(h, ev);
}

static void print_hit_text(hunt *h, const det_hit *x, const det_event *ev)
{
	fprintf(h->out, "%s:%llu: indicator: %s %s (%s, %s)", h->file,
	        (unsigned long long)h->line_no, ioc_type_name(x->ioc->type), x->ioc->value,
	        x->ioc->source ? x->ioc->source : "-", x->ioc->tlp ? x->ioc->tlp : "no TLP");
	print_message(h, ev);
}

static void print_json(hunt *h, json_t *o)
{
	json_dumpf(o, h->out, JSON_COMPACT);
	fputc('\n', h->out);
	json_decref(o);
}

static void print_jsonl(hunt *h, const det_rule *r, const det_event *ev, const det_hit *hits,
			size_t n_hits)
{
	json_t *tags = json_array();
	for (size_t i = 0; i < r->n_tags; i++)
		json_array_append_new(tags, json_string(r->tags[i]));
	json_t *o =
	    json_pack("{s:o, s:I, s:{s:s?, s:s, s:s?, s:s?, s:o}, s:o}", "file",
	              det_text_json(h->file, strlen(h->file)), "line",
	              (json_int_t)h->line_no, "rule", "id", r->id, "title", r->title, "level",
	              r->level, "author", r->author, "tags", tags, "event", det_event_json(ev));
	if (n_hits) {
		json_t *list = json_array();
		for (size_t i = 0; i < n_hits; i++)
			json_array_append_new(list, det_hit_json(hits[i].ioc, hits[i].obs, hits[i].obs_len));
		json_object_set_new(o, "indicators", list);
	}
	print_json(h, o);
}

/* --store: the match as an alert; a failure is counted, the hunt goes on.
 * Returns the alert's id (0 when not stored). */
static int64_t store_alert(hunt *h, const det_rule *r, const det_hit *hits, size_t n_hits,
			   const det_hit *x, const det_event *ev)
{
	alert_out out = {0};
	sg_err e = {0};
	int rc = r ? alert_raise_rule(h->store, r, ev, hits, n_hits, h->store->cfg.fold_window,
	                              &out, &e)
	           : alert_raise_ioc(h->store, x, ev, h->store->cfg.fold_window, &out, &e);
	if (rc != 0) {
		if (h->store_errors++ == 0)
			fprintf(stderr, "sigap: an alert could not be stored: %s\n", e.msg);
		return 0;
	}
	if (!out.folded)
		h->alerts++;
	return out.id;
}

/* The engine's results for a batch: printed into its buffer, stored
 * (--store); observations kept with their line for the correlator, which
 * runs in input order when the batch is written. */
static uint64_t on_match(void *ctx, const det_rule *r, const det_event *ev, const det_hit *hits,
			 size_t n_hits)
{
	hunt *h = ctx;
	h->matches++;
	int64_t ref = h->store ? store_alert(h, r, hits, n_hits, NULL, ev) : 0;
	if (!h->quiet) {
		if (h->jsonl)
			print_jsonl(h, r, ev, hits, n_hits);
		else
			print_text(h, r, ev);
	}
	return (uint64_t)ref;
}

static void on_hit(void *ctx, const det_hit *x, const det_event *ev)
{
	hunt *h = ctx;
	h->matches++;
	if (h->store)
		store_alert(h, NULL, NULL, 0, x, ev);
	if (h->quiet)
		return;
	if (!h->jsonl) {
		print_hit_text(h, x, ev);
		return;
	}
	print_json(h, json_pack("{s:o, s:I, s:o, s:o}", "file", det_text_json(h->file, strlen(h->file)),
	                        "line", (json_int_t)h->line_no, "indicator",
	                        det_hit_json(x->ioc, x->obs, x->obs_len), "event", det_event_json(ev)));
}

/* One kept observation: its line, then the first det_obs_size bytes of
 * it; records follow each other at multiples of 8 bytes. */
typedef struct obs_record {
	uint64_t line;
	det_obs o;
} obs_record;

static size_t obs_record_size(const det_obs *o)
{
	return (offsetof(obs_record, o) + det_obs_size(o) + 7) & ~(size_t)7;
}

static void on_observe(void *ctx, const det_obs *o)
{
	hunt *h = ctx;
	size_t n = obs_record_size(o);
	if (h->obs_len + n > h->obs_cap) {
		h->obs_cap = h->obs_cap ? h->obs_cap * 2 : 1 << 16;
		if ((h->obs = realloc(h->obs, h->obs_cap)) == NULL)
			abort();
	}
	obs_record *x = (obs_record *)(h->obs + h->obs_len);
	x->line = h->line_no;
	memcpy(&x->o, o, det_obs_size(o));
	h->obs_len += n;
}

static void on_unparsed(void *ctx, const char *why)
{
	(void)why;
	((hunt *)ctx)->bad++;
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
	const ioc_set *iocs;
	app *store;
	det_correlator *corr; /* fed in input order, by the reading thread */
	det_syslog_opts so;
	int64_t recv_time; /* when the hunt began: the time of events without one */
	bool jsonl, quiet;
	hunt *ring;
	int n_ring;
	uint64_t produced, taken; /* batch sequence numbers */
	bool closing;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	hunt total;
} run;

/* Parses and matches every line of a batch, through the engine. */
static void process(hunt *h, det_engine *eng, const run *r)
{
	static const det_engine_out out_cb = {NULL, on_match, on_hit, on_observe, NULL, on_unparsed};
	det_engine_out out = out_cb;
	out.ctx = h;
	out.no_member_text = h->store == NULL; /* only a stored alert shows them */
	h->out = open_memstream(&h->text, &h->text_len);
	const char *p = h->data;
	sg_err e = {0};
	if (h->store && db_begin(h->store->db, &e) != 0) {
		fprintf(stderr, "sigap: %s\n", e.msg);
		h->store_errors++;
	}
	for (int i = 0; i < h->n_lines; i++) {
		size_t n = h->line_len[i];
		if (n > 0) {
			h->events++;
			det_engine_line(eng, p, n, &r->so, r->recv_time, &out);
			h->by_format[det_engine_event(eng)->format]++;
		}
		h->line_no++;
		p += n + 1;
	}
	if (h->store && db_commit(h->store->db, &e) != 0) {
		fprintf(stderr, "sigap: %s\n", e.msg);
		h->store_errors++;
	}
	fclose(h->out);
	h->out = NULL;
}

static void *worker(void *arg)
{
	run *r = arg;
	det_engine *eng = det_engine_new(r->rs, r->iocs, NULL);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->taken == r->produced && !r->closing)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->taken == r->produced)
			break;
		hunt *h = &r->ring[r->taken++ % (uint64_t)r->n_ring];
		h->state = B_TAKEN;
		pthread_mutex_unlock(&r->mu);
		process(h, eng, r);
		pthread_mutex_lock(&r->mu);
		h->state = B_DONE;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	det_engine_free(eng);
	return NULL;
}

/* Writes a done batch's output, adds its counts, frees the slot. */
static void print_correlation(run *r, hunt *h, uint64_t line, const det_corr_match *m)
{
	const det_rule *x = m->rule;
	if (r->quiet)
		return;
	if (!r->jsonl) {
		printf("%s:%llu: %s: %s [%s] %s %s: %lld in %lld s\n", h->file,
		       (unsigned long long)line, x->level ? x->level : "medium", x->title,
		       x->id ? x->id : "-", x->correlation, m->key, (long long)m->count,
		       (long long)(m->last - m->first));
		return;
	}
	json_t *tags = json_array();
	for (size_t i = 0; i < x->n_tags; i++)
		json_array_append_new(tags, json_string(x->tags[i]));
	json_t *o = json_pack("{s:o, s:I, s:{s:s?, s:s, s:s?, s:s?, s:o, s:s}, s:o, s:I, s:I, s:I}",
	                      "file", det_text_json(h->file, strlen(h->file)), "line",
	                      (json_int_t)line, "rule", "id", x->id, "title", x->title, "level",
	                      x->level, "author", x->author, "tags", tags, "correlation",
	                      x->correlation, "group", det_text_json(m->key, strlen(m->key)),
	                      "count", (json_int_t)m->count, "first", (json_int_t)m->first, "last",
	                      (json_int_t)m->last);
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(o);
}

/* --store: a correlation as an alert, with its group, count and members;
 * the events are gone by now (the batch is done), so its asset and source
 * address are its newest member alert's. */
static void store_correlation(run *r, const det_corr_match *m)
{
	alert_out out;
	sg_err e = {0};
	if (alert_raise_correlation(r->store, m, NULL, r->store->cfg.fold_window, &out, &e) != 0) {
		if (r->total.store_errors++ == 0)
			fprintf(stderr, "sigap: an alert could not be stored: %s\n", e.msg);
	} else if (!out.folded) {
		r->total.alerts++;
	}
}

static void flush(run *r, hunt *h)
{
	if (h->text_len)
		fwrite(h->text, 1, h->text_len, stdout);
	if (h->obs_len && r->store && db_begin(r->store->db, &(sg_err){0}) != 0)
		r->total.store_errors++;
	for (size_t at = 0; at < h->obs_len;) {
		const obs_record *x = (const obs_record *)(h->obs + at);
		at += obs_record_size(&x->o);
		det_corr_match m;
		if (!det_correlate(r->corr, &x->o, &m))
			continue;
		r->total.matches++;
		print_correlation(r, h, x->line, &m);
		if (r->store)
			store_correlation(r, &m);
	}
	if (h->obs_len && r->store && db_commit(r->store->db, &(sg_err){0}) != 0)
		r->total.store_errors++;
	h->obs_len = 0;
	free(h->text);
	h->text = NULL;
	h->text_len = 0;
	r->total.events += h->events;
	r->total.matches += h->matches;
	r->total.alerts += h->alerts;
	r->total.store_errors += h->store_errors;
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
static void submit(run *r, hunt *h, det_engine *inline_eng)
{
	if (inline_eng) {
		process(h, inline_eng, r);
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

static void progress(const run *r, const char *file, uint64_t bytes, off_t size, double t0,
                     bool done)
{
	double el = now() - t0;
	double rate = el > 0 ? (double)r->total.events / el : 0;
	fprintf(stderr, "\r%s", file);
	if (size > 0) {
		int pct = (int)(100.0 * (double)bytes / (double)size);
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

/* A fresh batch of the file name, its first line numbered line_no. */
static hunt *start_batch(run *r, const char *name, uint64_t line_no)
{
	hunt *h = next_slot(r);
	*h = (hunt){.jsonl = r->jsonl,
	            .quiet = r->quiet,
	            .store = r->store,
	            .obs = h->obs,
	            .obs_cap = h->obs_cap,
	            .file = name,
	            .line_no = line_no,
	            .data = h->data,
	            .line_len = h->line_len,
	            .state = B_FREE};
	return h;
}

static ssize_t read_some(int fd, char *p, size_t n)
{
	for (;;) {
		ssize_t got = read(fd, p, n);
		if (got >= 0 || errno != EINTR)
			return got;
	}
}

/* Reads one file (or stdin) into batches; -1 when it cannot be read.
 * The file is read straight into the batch's buffer, READ_BYTES at a time,
 * and cut there into lines (their lengths kept with the batch); a full
 * batch is handed on and only the bytes read past its last line move to
 * the next one. A line longer than MAX_LINE is dropped as it comes, up to
 * its newline, and counted as bad: it is never held whole (the batch keeps
 * it as an empty line, which counts for the numbers of the next ones). */
static int hunt_file(run *r, const char *path, det_engine *inline_eng)
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
	int rc = 0;
	uint64_t line_no = 0, bytes = 0, oversize = 0;
	double t0 = now(), shown = t0;
	hunt *h = start_batch(r, name, 1);
	size_t filled = 0; /* bytes in h->data; those from h->len on are not cut yet */
	bool eof = false, skipping = false; /* skipping: inside a line too long */
	for (;;) {
		char *s = h->data + h->len;
		size_t pending = filled - h->len, n;
		char *nl = memchr(s, '\n', pending);
		if (nl) {
			n = (size_t)(nl - s);
		} else if (pending > MAX_LINE || (skipping && pending > 0)) {
			oversize += !skipping;
			skipping = true;
			bytes += pending;
			filled = h->len;
			continue;
		} else if (eof) {
			if (pending == 0)
				break;
			n = pending; /* a last line without its newline */
			h->data[filled++] = '\n';
		} else {
			ssize_t got = read_some(fd, h->data + filled, READ_BYTES);
			if (got < 0) {
				fprintf(stderr, "sigap: %s: %s\n", path, strerror(errno));
				rc = -1;
				break;
			}
			eof = got == 0;
			filled += (size_t)got;
			continue;
		}
		if (skipping || n > MAX_LINE) {
			/* the end of a line too long: left empty, so that the
			 * lines after it keep their numbers */
			oversize += !skipping;
			skipping = false;
			bytes += n;
			memmove(s, s + n, pending - n);
			filled -= n;
			pending -= n; /* a full batch below hands on only these */
			n = 0;
		}
		if (h->n_lines == BATCH_LINES || h->len + n + 1 > BATCH_BYTES * 2) {
			const char *old = h->data;
			size_t cut = h->len;
			submit(r, h, inline_eng);
			h = start_batch(r, name, line_no + 1); /* with one thread, the same buffer */
			memmove(h->data, old + cut, pending);
			filled = pending;
			if (show && now() - shown > 0.25) {
				shown = now();
				progress(r, name, bytes, size, t0, false);
			}
			continue;
		}
		h->line_len[h->n_lines++] = (uint32_t)n;
		h->len += n + 1;
		bytes += n + 1;
		line_no++;
	}
	if (h->n_lines > 0)
		submit(r, h, inline_eng);
	r->total.bad += oversize;
	if (show) {
		drain(r);
		progress(r, name, bytes, size, t0, true);
	}
	if (fd != 0)
		close(fd);
	return rc;
}

static int add_ioc(void *ctx, const ioc *r)
{
	ioc_set_add(ctx, r);
	return 0;
}

/* Reads the feeds into set and finishes it; -1 after printing why when
 * one cannot be read at all. */
static int load_iocs(ioc_set *set, const char **paths, int n, bool report_summary)
{
	intel_defaults def = {NULL, NULL, -1, 0, time(NULL)};
	intel_counts total = {0};
	double t0 = now();
	int rc = 0;
	for (int i = 0; i < n; i++) {
		diags d = DIAGS_INIT;
		d.limit = 20;
		intel_counts c = {0};
		if (intel_read(paths[i], INTEL_AUTO, &def, add_ioc, set, &c, &d) != 0)
			rc = -1;
		diags_print(&d, stderr);
		if (d.dropped)
			fprintf(stderr, "sigap: %s: %zu more problems not shown\n", paths[i], d.dropped);
		diags_free(&d);
		total.kept += c.kept;
		total.skipped += c.skipped;
		total.invalid += c.invalid;
	}
	ioc_set_finish(set); /* repeats are told apart here */
	if (report_summary || total.invalid)
		fprintf(stderr,
		        "sigap: %zu indicators loaded (%zu repeated, %llu left out, %llu invalid) "
		        "in %.1f s, %zu MiB\n",
		        ioc_set_count(set), ioc_set_duplicates(set), (unsigned long long)total.skipped,
		        (unsigned long long)total.invalid, now() - t0, ioc_set_memory(set) >> 20);
	return rc;
}

/* The cache of compiled rules: --cache DIR, else the configuration's
 * [detect] cache, else cache/rules beside the database when the database's
 * directory exists (sigap detect on a log elsewhere leaves nothing
 * behind); *dir NULL: none. -1 when the configuration cannot be read. */
static int rules_cache(const char *opt, char **dir)
{
	*dir = NULL;
	if (opt) {
		*dir = strdup(opt);
		if (*dir == NULL)
			abort();
		return 0;
	}
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return -1;
	bool is_default;
	*dir = app_rules_cache_dir(&cfg, &is_default);
	if (*dir && is_default) {
		const char *slash = strrchr(cfg.db_path, '/');
		char db_dir[4096];
		snprintf(db_dir, sizeof db_dir, "%.*s", slash ? (int)(slash - cfg.db_path) : 1,
		         slash ? cfg.db_path : ".");
		struct stat st;
		if (stat(db_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			free(*dir);
			*dir = NULL;
		}
	}
	app_config_free(&cfg);
	return 0;
}

int cmd_detect(int argc, char **argv)
{
	static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
	                                     {"builtin", no_argument, NULL, 'b'},
	                                     {"mapping", required_argument, NULL, 'm'},
	                                     {"placeholders", required_argument, NULL, 'P'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"year", required_argument, NULL, 'y'},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"stats", no_argument, NULL, 's'},
	                                     {"threads", required_argument, NULL, 't'},
	                                     {"no-rules", no_argument, NULL, 'n'},
	                                     {"iocs", required_argument, NULL, 'i'},
	                                     {"store", no_argument, NULL, 'S'},
	                                     {"cache", required_argument, NULL, 'c'},
	                                     {"no-cache", no_argument, NULL, 'N'},
	                                     {"db", required_argument, NULL, 0x100},
	                                     {"config", required_argument, NULL, 0x101},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {0}};
	const char *paths[64], *feeds[64], *cache_opt = NULL;
	rules_files files = {0};
	int n_paths = 0, n_feeds = 0, c;
	bool builtin = false, stats = false, jsonl = false, quiet = false, no_rules = false;
	bool store = false, no_cache = false;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	det_syslog_opts so = {0, (int)(tm.tm_gmtoff / 60), (int64_t)t};
	while ((c = getopt_long(argc, argv, "hr:bm:f:y:qst:ni:c:N", opts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(detect_usage, stdout); return EXIT_OK;
		case 'r':
			if (n_paths == 64)
				return cli_usage_error(detect_usage, "at most 64 --rules");
			paths[n_paths++] = optarg;
			break;
		case 'b': builtin = true; break;
		case 'S': store = true; break;
		case 'c': cache_opt = optarg; break;
		case 'N': no_cache = true; break;
		case 0x100:
		case 0x101: cli_common_opt(c); break;
		case 'i':
			if (n_feeds == 64)
				return cli_usage_error(detect_usage, "at most 64 --iocs");
			feeds[n_feeds++] = optarg;
			break;
		case 'm': files.mapping = optarg; break;
		case 'P': files.placeholders = optarg; break;
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
	app a;
	if (store) {
		threads = 1; /* alerts are written in input order, by one writer */
		if (cli_open(&a, DB_OPEN_EXISTING) != 0)
			return EXIT_USAGE;
	}
	ioc_set *iocs = NULL;
	if (n_feeds || store) {
		iocs = ioc_set_new();
		size_t stored = 0;
		sg_err e = {0};
		if (store && ioc_load_into(&a, iocs, &stored, &e) != 0) {
			fprintf(stderr, "sigap: %s\n", e.msg);
			stored = 0;
		}
		if (load_iocs(iocs, feeds, n_feeds, stats) != 0) {
			ioc_set_free(iocs);
			if (store)
				app_close(&a);
			return EXIT_USAGE;
		}
		if (store && stats)
			fprintf(stderr, "sigap: %zu indicators from the database\n", stored);
	}
	char *cache = NULL;
	if (!no_rules && !no_cache && rules_cache(cache_opt, &cache) != 0) {
		ioc_set_free(iocs);
		if (store)
			app_close(&a);
		return EXIT_USAGE;
	}
	files.cache = cache;
	det_rules *rs =
	    no_rules ? det_rules_new() : cli_load_rules(&files, paths, n_paths, builtin, stats);
	free(cache);
	if (rs == NULL) {
		ioc_set_free(iocs);
		if (store)
			app_close(&a);
		return EXIT_USAGE;
	}
	if (no_rules)
		det_rules_compile(rs, NULL);
	run r = {.rs = rs, .iocs = iocs, .store = store ? &a : NULL, .so = so, .jsonl = jsonl,
	         .quiet = quiet, .corr = det_correlator_new(rs), .recv_time = (int64_t)time(NULL)};
	r.n_ring = threads > 1 ? (int)threads * 4 : 1;
	r.ring = calloc((size_t)r.n_ring, sizeof *r.ring);
	if (r.ring == NULL)
		abort();
	for (int i = 0; i < r.n_ring; i++)
		if ((r.ring[i].data = malloc(BATCH_CAP)) == NULL ||
		    (r.ring[i].line_len = malloc(BATCH_LINES * sizeof *r.ring[i].line_len)) == NULL)
			abort();
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	pthread_t tid[256];
	det_engine *eng = NULL; /* one thread: the batches run here */
	if (threads > 1) {
		for (long i = 0; i < threads; i++)
			pthread_create(&tid[i], NULL, worker, &r);
	} else {
		eng = det_engine_new(rs, iocs, NULL);
	}
	bool failed = false;
	double t0 = now();
	for (int i = optind; i < argc; i++)
		if (hunt_file(&r, argv[i], eng) != 0)
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
	if (store) {
		fprintf(stderr, "sigap: %llu new alerts stored (repeats folded into open ones)\n",
		        (unsigned long long)h.alerts);
		if (h.store_errors)
			fprintf(stderr, "sigap: %llu alerts could not be stored\n",
			        (unsigned long long)h.store_errors);
		app_close(&a);
	}
	for (int i = 0; i < r.n_ring; i++) {
		free(r.ring[i].data);
		free(r.ring[i].line_len);
		free(r.ring[i].obs);
	}
	det_correlator_free(r.corr);
	free(r.ring);
	det_engine_free(eng);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
	det_rules_free(rs);
	ioc_set_free(iocs);
	if (failed || h.store_errors)
		return 2;
	return h.matches ? 0 : 1;
}

