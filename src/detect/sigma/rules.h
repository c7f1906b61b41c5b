/*
 * rules.h: Sigma rules, loaded, compiled and matched against events.
 *
 * A det_rules is built once (load the field and logsource mapping, add
 * rule files, compile) and is then read-only, shared by every thread;
 * each thread matches with its own det_matcher, which holds the
 * Hyperscan scratch and the per-event bookkeeping. Matching is the IDS
 * way: every string test of every rule on one field is a pattern in that
 * field's Hyperscan database, so one scan of each value finds all the
 * tests it passes; only rules with a test that fired (and the few whose
 * condition can hold with none firing, such as "not filter") are then
 * evaluated. Cost grows with the bytes of the event, not the rule count.
 */
#ifndef SG_DETECT_RULES_H
#define SG_DETECT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "detect/engine/event.h"

typedef struct det_rule {
	const char *file;
	int line;
	const char *id, *title, *status, *level, *author, *description;
	const char **tags; /* "attack.t1059.001", … */
	size_t n_tags;
	const char **falsepositives;
	size_t n_falsepositives;
	const char *product, *category, *service; /* logsource; NULL when absent */
	int level_rank;                           /* 0 informational … 4 critical */
	const char *name;       /* Sigma's name: how correlations may refer to it */
	const char *correlation; /* a correlation rule: its type; NULL otherwise */
	bool quiet;             /* a member of a correlation that does not
	                         * "generate": its own matches are not reported */
} det_rule;

typedef struct det_rules det_rules;

/* An empty set with the built-in mapping (rules/mapping.yaml). */
det_rules *det_rules_new(void);
void det_rules_free(det_rules *rs);

/* Replaces the mapping with the document in data (see rules/mapping.yaml
 * for its form). Must come before any rule is added. -1 with problems
 * in d. */
int det_rules_set_mapping(det_rules *rs, const char *data, size_t n, const char *file, diags *d);

/* Sets the values of the placeholders that |expand fills: a YAML map of
 * names to lists of values (as sigma-cli reads them). Must come before
 * any rule is added; without it a rule with a placeholder is refused.
 * -1 with problems in d. */
int det_rules_set_placeholders(det_rules *rs, const char *data, size_t n, const char *file,
                               diags *d);

/* Adds the rules of one YAML file (one or more documents). A rule the
 * engine cannot load is reported to d as FILE:LINE:COL: reason and
 * skipped; the others are kept. Returns the number of rules added. */
int det_rules_add(det_rules *rs, const char *data, size_t n, const char *file, diags *d);
/* Adds every *.yml and *.yaml file under path (a file or a directory,
 * searched recursively, in name order). Returns rules added, -1 when
 * path cannot be read. */
int det_rules_add_path(det_rules *rs, const char *path, diags *d);
/* Adds the rules shipped with sigap (rules/ of the source tree). */
int det_rules_add_builtin(det_rules *rs, diags *d);

/* An empty set with the mapping file (NULL: the built-in mapping) and the
 * placeholders file (NULL: none) read; NULL with the problems in d. */
det_rules *det_rules_open(const char *mapping, const char *placeholders, diags *d);

/* What a program runs: the files det_rules_open reads, the shipped
 * rules when builtin, the rule files and directories of paths, and the
 * cache of compiled databases (NULL: none). */
typedef struct det_rules_source {
	const char *mapping, *placeholders, *cache;
	const char *const *paths;
	int n_paths;
	bool builtin;
} det_rules_source;

/* Opens, adds and compiles the set of src. A rule that cannot be loaded
 * is left out with its reason in d. NULL when the mapping or the
 * placeholders cannot be read or are not valid, a path cannot be read,
 * or compiling fails: the reason that stopped it, as one line, in why
 * (every problem in d). */
det_rules *det_rules_load(const det_rules_source *src, diags *d, char *why, size_t why_n);

/* Builds the pattern databases. After this no rule can be added. */
int det_rules_compile(det_rules *rs, diags *d);

/* Keeps the compiled pattern databases in dir (created when missing; NULL:
 * no cache, the default): det_rules_compile reads them back instead of
 * compiling when the patterns, sigap, Hyperscan and the CPU are the same,
 * and writes them after compiling otherwise. Call before compiling. */
void det_rules_set_cache(det_rules *rs, const char *dir);
typedef enum {
	DET_CACHE_OFF,     /* no cache, or nothing to keep (no pattern) */
	DET_CACHE_HIT,     /* the databases were read from the cache */
	DET_CACHE_STORED,  /* none was there: compiled and written */
	DET_CACHE_REBUILT, /* a file was there but unusable: compiled again */
	DET_CACHE_FAILED   /* compiled; the cache cannot be written */
} det_cache_state;
/* What the cache did at compile; *note (when note is not NULL) a sentence
 * naming the file and any reason, or NULL. */
det_cache_state det_rules_cache_state(const det_rules *rs, const char **note);

/* Event rules (correlation rules are apart, see correlate.h). */
size_t det_rules_count(const det_rules *rs);
const det_rule *det_rules_get(const det_rules *rs, size_t i);
/* Rules whose logsource no input of the mapping produces. */
size_t det_rules_unmapped(const det_rules *rs);

typedef struct det_matcher det_matcher;

det_matcher *det_matcher_new(const det_rules *rs);
void det_matcher_free(det_matcher *m);

typedef void (*det_match_fn)(void *ctx, const det_rule *rule, const det_event *ev);
/* Calls fn for each rule ev matches; returns how many did. */
int det_match(det_matcher *m, const det_event *ev, det_match_fn fn, void *ctx);

#endif
