/*
 * rules_cache.h: the on-disk cache of compiled pattern databases
 * (rules_cache.c), as compile.c calls it. Not for use outside src/detect.
 */
#ifndef SG_DETECT_RULES_CACHE_H
#define SG_DETECT_RULES_CACHE_H

#include "detect/sigma/rules_int.h"

/* Sets rs's databases (dbs, n_dbs, slot_dbs, allocated by the caller)
 * and the patterns' prefilter / PCRE2-only states from the cache; pls:
 * the logsource entries each pattern serves. 0. -1: not cached, or the
 * file is not usable (why is kept for det_rules_cache_state); compile,
 * then rules_cache_store. */
int rules_cache_load(det_rules *rs, const ls_bits *pls);
/* Writes rs's compiled databases under the key rules_cache_load made. */
void rules_cache_store(det_rules *rs);
void rules_cache_free(rules_cache *c);

/* The PCRE2 program of a prefilter or PCRE2-only pattern (compile.c). */
pcre2_code *rules_pcre_of(const pattern *p);
/* A PCRE2-only or lazy pattern that is a literal: its lit_find test
 * (compile.c). */
void rules_literal_test(det_rules *rs, pattern *p);

#endif
