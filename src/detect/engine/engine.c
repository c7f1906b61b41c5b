/*
 * engine.c: detection, one line at a time (engine.h says what and why).
 *
 * Per line: parse into the engine's event, look its observables up among
 * the indicators (the hits go with each rule match: an alert names the
 * indicators its event held), match the rules, turn each match of a
 * correlation's member into observations and correlate them (or hand
 * them to the driver), then tell the indicator hits. O(line) for the
 * parse and the lookups, the rules' cost for the match.
 *
 * The lookups wait on memory read at random (a million indicators are
 * tens of MiB): they are queued and their memory asked for first
 * (ioc_scan_begin), the rules matched meanwhile, and made after
 * (ioc_scan_end); the rules that matched are kept until then and told
 * in their order with the event's hits, as if the lookups came first.
 */
#include <stdlib.h>

#include "detect/engine/engine.h"

struct det_engine {
	const det_rules *rs;
	const ioc_set *iocs;
	det_correlator *corr;
	det_matcher *m;
	det_event *ev;
	/* the line being handled */
	const det_engine_out *out;
	int64_t time;
	det_hit hits[DET_HITS_MAX];
	ioc hit_ioc[DET_HITS_MAX]; /* the indicators of hits: the set fills one
	                            * for each call only */
	size_t n_hits;
	ioc_pending *pending; /* the lookups of the line, while it is matched */
	const det_rule **matched; /* the line's rule matches, in order */
	size_t n_matched, cap_matched;
};

det_engine *det_engine_new(const det_rules *rs, const ioc_set *iocs, det_correlator *corr)
{
	det_engine *g = calloc(1, sizeof *g);
	if (g == NULL || (g->ev = calloc(1, sizeof *g->ev)) == NULL)
		abort();
	g->rs = rs;
	g->iocs = iocs;
	g->corr = corr;
	/* no rules, nothing to match: the matcher's per-event set-up is skipped */
	g->m = rs && det_rules_count(rs) > 0 ? det_matcher_new(rs) : NULL;
	g->pending = ioc_pending_new();
	return g;
}

void det_engine_free(det_engine *g)
{
	if (g == NULL)
		return;
	if (g->m)
		det_matcher_free(g->m);
	ioc_pending_free(g->pending);
	free(g->matched);
	if (g->ev)
		det_event_free(g->ev);
	free(g->ev);
	free(g);
}

void det_engine_set_iocs(det_engine *g, const ioc_set *iocs)
{
	g->iocs = iocs;
}

const det_event *det_engine_event(const det_engine *g)
{
	return g->ev;
}

static void on_hit(void *ctx, const ioc *i, const char *obs, size_t n)
{
	det_engine *g = ctx;
	if (g->n_hits < DET_HITS_MAX) {
		g->hit_ioc[g->n_hits] = *i;
		g->hits[g->n_hits] = (det_hit){&g->hit_ioc[g->n_hits], obs, n};
		g->n_hits++;
	}
}

/* A rule matched the line: kept until its lookups are made. */
static void keep_match(void *ctx, const det_rule *r, const det_event *ev)
{
	(void)ev;
	det_engine *g = ctx;
	if (g->n_matched == g->cap_matched) {
		g->cap_matched = g->cap_matched ? g->cap_matched * 2 : 16;
		g->matched = realloc(g->matched, g->cap_matched * sizeof *g->matched);
		if (g->matched == NULL)
			abort();
	}
	g->matched[g->n_matched++] = r;
}

static void on_match(void *ctx, const det_rule *r, const det_event *ev)
{
	det_engine *g = ctx;
	const det_engine_out *out = g->out;
	uint64_t ref = 0;
	if (!r->quiet && out->match)
		ref = out->match(out->ctx, r, ev, g->hits, g->n_hits);
	det_obs obs[8];
	size_t n = det_corr_observe(g->rs, r, ev, g->time, !out->no_member_text, obs, 8);
	for (size_t i = 0; i < n; i++) {
		obs[i].ref = ref; /* the member event, by what the driver made of it */
		if (g->corr == NULL) {
			if (out->observe)
				out->observe(out->ctx, &obs[i]);
			continue;
		}
		det_corr_match cm;
		if (det_correlate(g->corr, &obs[i], &cm) && out->correlation)
			out->correlation(out->ctx, &cm, ev); /* ev: the event that completed it */
	}
}

int det_engine_line(det_engine *g, const char *line, size_t n, const det_syslog_opts *so,
		    int64_t recv_time, const det_engine_out *out)
{
	const char *why = NULL;
	int rc = det_parse_line(line, n, so, g->ev, &why);
	if (rc != 0 && out->unparsed)
		out->unparsed(out->ctx, why);
	g->out = out;
	g->time = g->ev->time ? g->ev->time : recv_time;
	g->n_hits = 0;
	g->n_matched = 0;
	if (g->iocs)
		ioc_scan_begin(g->pending, g->iocs, g->ev, on_hit, g);
	if (g->m)
		det_match(g->m, g->ev, g->iocs ? keep_match : on_match, g);
	if (g->iocs) {
		ioc_scan_end(g->pending);
		for (size_t i = 0; i < g->n_matched; i++)
			on_match(g, g->matched[i], g->ev);
	}
	for (size_t i = 0; out->hit && i < g->n_hits; i++)
		out->hit(out->ctx, &g->hits[i], g->ev);
	g->out = NULL;
	return rc != 0 ? -1 : 0;
}
