/*
 * rules.h: the content rules of the website monitor: the signs of online
 * gambling spam and of defacement, as data files (rules/monitor/NAME.yaml,
 * docs/monitor.md) the CSIRT extends.
 *
 * A rule names a kind of finding, its level, and its signs: strong words
 * (kuat, 3 points each), weak words (lemah, 1 point; together at most
 * lemah_maks) and Hyperscan patterns (pola, 3 points). A page is a
 * finding of the rule when the distinct signs it carries reach the
 * threshold (ambang, 3 by default).
 * Every rule's words and patterns are compiled into one Hyperscan
 * database, so a page is read once whatever the number of rules.
 */
#ifndef SG_MON_RULES_H
#define SG_MON_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

/* The kinds of content finding a rule may raise. */
typedef enum { MON_RULE_JUDI, MON_RULE_DEFACE, MON_RULE_KONTEN } mon_rule_kind;

typedef struct mon_rule {
	char *id, *title, *file;
	mon_rule_kind kind;
	char level[16]; /* informational … critical */
	int threshold;
	int weak_max; /* the most the weak words add (lemah_maks); -1: no bound */
} mon_rule;

typedef struct mon_rules mon_rules;

/* Loads rule files (paths: files or directories of .yaml and .yml files; the
 * shipped rules first when builtin). Every problem goes to d with
 * FILE:LINE:COL; NULL when any file is refused (a half-read rule set
 * would miss what the CSIRT asked it to see). */
mon_rules *mon_rules_load(const char *const *paths, size_t n_paths, bool builtin, diags *d);
void mon_rules_free(mon_rules *r);
size_t mon_rules_count(const mon_rules *r);
const mon_rule *mon_rules_at(const mon_rules *r, size_t i);

/* The signs of one rule a text carried. */
typedef struct mon_rule_hit {
	const mon_rule *rule;
	int score;
	char signs[512]; /* the signs found, "; "-separated */
} mon_rule_hit;

/* A scanner of texts against a rule set, one per thread. */
typedef struct mon_scan mon_scan;
mon_scan *mon_scan_new(const mon_rules *r);
void mon_scan_free(mon_scan *s);
/* Starts a new reckoning (a page, or one view of it). */
void mon_scan_reset(mon_scan *s);
/* Adds the signs a text carries. */
void mon_scan_text(mon_scan *s, const char *text, size_t len);
/* Adds the strong words written without spaces inside a host name
 * ("slotgacor88.example"). */
void mon_scan_host(mon_scan *s, const char *host);
/* The rules whose threshold the texts so far reached, into out (at most
 * max); returns how many. */
size_t mon_scan_hits(const mon_scan *s, mon_rule_hit *out, size_t max);

#endif
