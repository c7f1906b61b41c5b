/*
 * reload.c: what detection runs, replaced while it runs.
 *
 * The rules are read from [detect] at the start and again at a reload
 * (the change mark "rules", set by `sigap rules reload` on any node, or
 * SIGHUP to this process): the new set is read and compiled by the
 * caller's thread, beside detection, then published; the detection
 * thread builds its engine on it between two batches. A set may be in
 * use elsewhere while it is replaced (a web request showing a rule), so
 * each set counts its holders and is freed when the last one drops it,
 * never under a reader. A set that cannot be read or compiled replaces
 * nothing: detection goes on with the one it has.
 *
 * The correlations' open windows start afresh on the new set (a window
 * belongs to its rule's compiled form). The indicators are read again
 * from the store at a reload (the mark "indicators") as every
 * [detect] ioc_reload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "ingest_int.h"

/* Whether a rule of rs was read from file (an event rule or a
 * correlation). */
static bool runs_from(const det_rules *rs, const char *file)
{
	for (size_t i = 0; i < det_rules_count(rs); i++) {
		const det_rule *r = det_rules_get(rs, i);
		if (r->file && strcmp(r->file, file) == 0)
			return true;
	}
	for (size_t i = 0; i < det_rules_n_correlations(rs); i++) {
		const det_rule *r = det_rules_correlation(rs, i);
		if (r->file && strcmp(r->file, file) == 0)
			return true;
	}
	return false;
}

det_rules *ingest_load_rules(const app_config *cfg, const det_rules *running, sg_err *e)
{
	char *cache = app_rules_cache_dir(cfg, NULL);
	const char *dir = cfg->detect_rules;
	det_rules_source src = {.mapping = cfg->detect_mapping,
	                        .placeholders = cfg->detect_placeholders,
	                        .cache = cache,
	                        .paths = &dir,
	                        .n_paths = dir ? 1 : 0,
	                        .builtin = true};
	diags d = DIAGS_INIT;
	d.limit = 1000;
	char why[1400];
	det_rules *rs = det_rules_load(&src, &d, why, sizeof why);
	free(cache);
	log_diags(LOG_WARN, &d);
	if (rs == NULL) {
		sg_err_set(e, SG_EINVAL, "[detect]: %s", why);
		diags_free(&d);
		return NULL;
	}
	/* a reload: a file whose rules run now and that no longer loads is
	 * fixed, not dropped from detection (one that did not load before
	 * either stays out, as at the start) */
	for (size_t i = 0; running && i < d.n; i++) {
		if (!d.v[i].file || !runs_from(running, d.v[i].file))
			continue;
		char at[1200];
		diags_at(&d, i, at, sizeof at);
		sg_err_set(e, SG_EINVAL, "a rule file that runs now does not load: %s", at);
		det_rules_free(rs);
		diags_free(&d);
		return NULL;
	}
	const char *note;
	det_cache_state cs = det_rules_cache_state(rs, &note);
	log_say(LOG_INFO,
	        "detection: %zu Sigma rules and %zu correlations loaded, %zu not loaded%s",
	        det_rules_count(rs), det_rules_n_correlations(rs), d.n + d.dropped,
	        cs == DET_CACHE_HIT ? " (pattern databases from the cache)" : "");
	if (note && (cs == DET_CACHE_REBUILT || cs == DET_CACHE_FAILED))
		log_say(LOG_INFO, "detection: %s", note);
	diags_free(&d);
	return rs;
}

/* Detection waits for lines half a second at a time: told at once. */
static void ingest_wake(ingest *g)
{
	pthread_mutex_lock(&g->mu);
	pthread_cond_broadcast(&g->not_empty);
	pthread_mutex_unlock(&g->mu);
}

void ingest_rules_publish(ingest *g, det_rules *rs)
{
	pthread_mutex_lock(&g->sets_mu);
	struct rules_held *v = realloc(g->sets, (g->n_sets + 1) * sizeof *v);
	if (v == NULL)
		abort();
	g->sets = v;
	/* the set it replaces is freed now when nothing holds it */
	if (g->n_sets > 0 && g->sets[g->n_sets - 1].holders == 0) {
		det_rules_free(g->sets[g->n_sets - 1].rules);
		g->n_sets--;
	}
	g->sets[g->n_sets++] = (struct rules_held){rs, 0};
	pthread_mutex_unlock(&g->sets_mu);
	atomic_fetch_add(&g->rules_gen, 1);
}

const det_rules *ingest_rules_hold(ingest *g)
{
	/* read under the lock: a publish may move the array */
	pthread_mutex_lock(&g->sets_mu);
	struct rules_held *cur = &g->sets[g->n_sets - 1];
	cur->holders++;
	const det_rules *rs = cur->rules;
	pthread_mutex_unlock(&g->sets_mu);
	return rs;
}

void ingest_rules_drop(ingest *g, const det_rules *rs)
{
	if (rs == NULL)
		return;
	pthread_mutex_lock(&g->sets_mu);
	for (size_t i = 0; i < g->n_sets; i++) {
		if (g->sets[i].rules != rs)
			continue;
		/* a replaced set goes with its last holder */
		if (--g->sets[i].holders == 0 && i + 1 < g->n_sets) {
			det_rules_free(g->sets[i].rules);
			memmove(&g->sets[i], &g->sets[i + 1], (g->n_sets - i - 1) * sizeof *g->sets);
			g->n_sets--;
		}
		break;
	}
	pthread_mutex_unlock(&g->sets_mu);
}

void ingest_rules_free_all(ingest *g)
{
	for (size_t i = 0; i < g->n_sets; i++)
		det_rules_free(g->sets[i].rules);
	free(g->sets);
	g->sets = NULL;
	g->n_sets = 0;
}

void ingest_use_rules(ingest *g, det_rules *rs)
{
	ingest_rules_publish(g, rs);
	ingest_wake(g);
}

int ingest_reload_rules(ingest *g, const app_config *cfg, sg_err *e)
{
	const det_rules *now = ingest_rules_hold(g);
	det_rules *rs = ingest_load_rules(cfg, now, e);
	ingest_rules_drop(g, now);
	if (rs == NULL)
		return -1;
	ingest_use_rules(g, rs);
	return 0;
}

void ingest_reload_indicators(ingest *g)
{
	atomic_fetch_add(&g->ioc_gen, 1);
	ingest_wake(g);
}
