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
 * window holds at most threshold (or member count) entries of about
 * 260 bytes, as value_count windows already held their values.
 */
#ifndef SG_DETECT_CORRELATE_H
#define SG_DETECT_CORRELATE_H

#include "detect/sigma/rules.h"

size_t det_rules_n_correlations(const det_rules *rs);
const det_rule *det_rules_correlation(const det_rules *rs, size_t i);

enum { DET_OBS_TEXT = 240 };

typedef struct det_obs {
	int corr;    /* which correlation */
	int member;  /* the rule's place in its rule list */
	int64_t time;
	uint64_t ref; /* the caller's name for the member event (the id of the
		       * alert it raised), kept with it; 0: none */
	char excerpt[DET_OBS_TEXT]; /* the start of the event's message */
	char key[DET_OBS_TEXT];   /* the group-by values, joined by '|' */
	char value[DET_OBS_TEXT]; /* value_count: the field's value */
} det_obs;

/* The observations a match of rule r on ev makes, one a correlation r is a
 * member of (at most max); 0 for rules in none. t: the event's time. */
size_t det_corr_observe(const det_rules *rs, const det_rule *r, const det_event *ev, int64_t t,
			det_obs *out, size_t max);

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
