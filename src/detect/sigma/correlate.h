/*
 * correlate.h: Sigma correlation rules (event_count, value_count, temporal,
 * temporal_ordered) over the matches of event rules.
 *
 * Matching an event stays per thread (det_match); correlating needs the
 * matches of all events in order, so it is split in two: a thread turns
 * each match of a member rule into small observations (the group key and
 * the counted value, copied out of the event), and one correlator, fed
 * the observations in event order, keeps the windows per correlation and
 * group and says when one fires. State is bounded: a window holds at most
 * the threshold's number of entries, and groups idle longer than their
 * timespan are dropped. Each entry keeps, besides its time, the member
 * rule, the caller's ref of its event (sigap passes the id of the alert
 * the member raised, when it raises one) and the start of the event's raw
 * text (at most DET_OBS_TEXT bytes), so a firing names the events that
 * made it even when its members report nothing of their own. Memory: a
 * window is one block of about 300 bytes and 40 a possible entry, and
 * each entry used takes a text block of DET_OBS_TEXT bytes (value_count
 * two: the value too); windows of dropped groups are kept for new groups
 * rather than freed, as many as were made since the last rebuild of the
 * table (correlate.c).
 */
#ifndef SG_DETECT_CORRELATE_H
#define SG_DETECT_CORRELATE_H

#include <stddef.h>

#include "detect/sigma/rules.h"

size_t det_rules_n_correlations(const det_rules *rs);
const det_rule *det_rules_correlation(const det_rules *rs, size_t i);

enum { DET_OBS_TEXT = 240 };

/* An observation. Its three texts lie one after another in text, each
 * ending in '\0' and at most DET_OBS_TEXT - 1 bytes: the group-by values
 * joined by '|' (the key), value_count's value of the field (else empty),
 * and the start of the event's message (the excerpt). Only the first
 * det_obs_size() bytes are used: a driver that keeps observations copies
 * those, not the whole struct. */
typedef struct det_obs {
	int corr;    /* which correlation */
	int member;  /* the rule's place in its rule list */
	int64_t time;
	uint64_t ref; /* the caller's name for the member event (the id of the
		       * alert it raised), kept with it; 0: none */
	uint16_t key_len, value_len, excerpt_len;
	char text[3 * DET_OBS_TEXT];
} det_obs;

static inline const char *det_obs_key(const det_obs *o)
{
	return o->text;
}

static inline const char *det_obs_value(const det_obs *o)
{
	return o->text + o->key_len + 1;
}

static inline const char *det_obs_excerpt(const det_obs *o)
{
	return o->text + o->key_len + 1 + o->value_len + 1;
}

/* The bytes of o in use, from its start. */
static inline size_t det_obs_size(const det_obs *o)
{
	return offsetof(det_obs, text) + (size_t)o->key_len + o->value_len + o->excerpt_len + 3;
}

/* The observations a match of rule r on ev makes, one a correlation r is a
 * member of (at most max); 0 for rules in none. t: the event's time.
 * excerpts: false leaves them empty, for a driver that shows no member
 * of a firing (they are read only by the alert it raises). */
size_t det_corr_observe(const det_rules *rs, const det_rule *r, const det_event *ev, int64_t t,
			bool excerpts, det_obs *out, size_t max);

typedef struct det_correlator det_correlator;

det_correlator *det_correlator_new(const det_rules *rs);
void det_correlator_free(det_correlator *c);

/* A member event of a correlation that fired: when, of which member rule,
 * and the ref its observation carried. */
typedef struct det_corr_member {
	int64_t time;
	int member;
	uint64_t ref;
	char excerpt[DET_OBS_TEXT];
} det_corr_member;

typedef struct det_corr_match {
	const det_rule *rule; /* the correlation rule */
	int64_t count;        /* events, distinct values or rules seen */
	int64_t first, last;  /* the window's first and last event time */
	const char *key;      /* the group (valid until the next feed) */
	const det_corr_member *members; /* the events that made it fire, oldest
					 * first (valid until the next feed) */
	size_t n_members;
} det_corr_match;

/* The member rule of a correlation at a place, as the rule names it (its
 * id or name). */
const char *det_corr_member_name(const det_rule *corr, int member);

/* What a loaded correlation counts, for its page: its member rules, the
 * group-by fields, the timespan and the condition as written. */
typedef struct det_corr_info {
	const det_rule *const *members; /* n_members, in the rule's order */
	size_t n_members;
	const char *const *group_by;
	size_t n_group;
	int64_t timespan; /* seconds */
	const char *op;   /* "gt", "gte" or "eq"; temporal: "gte" all members */
	int64_t count;    /* the condition's number */
	const char *field; /* value_count: the field whose values count; else NULL */
	bool generate;
} det_corr_info;

/* corr is a det_rules_correlation of a compiled set; info points into
 * that set. */
void det_corr_info_of(const det_rule *corr, det_corr_info *info);

/* Feeds one observation (in time order); true when it makes its
 * correlation fire, with m filled. The window of that group then starts
 * afresh, so a burst fires once a threshold, not on every event after. */
bool det_correlate(det_correlator *c, const det_obs *o, det_corr_match *m);

#endif
