/*
 * correlate.c: correlation rules: members resolved at compile, matches
 * turned into observations, and the correlator's windows.
 *
 * A window lives per correlation and group key in one hash table. Each
 * type keeps only what its condition needs: event_count the times of the
 * last `threshold` events, value_count up to `threshold` distinct values
 * with the time each was last seen, temporal the last time of each member,
 * temporal_ordered how far along the rule list the group is. A window
 * drops what is older than the timespan before it counts, so a count is
 * always of events within one timespan of the newest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/correlate.h"
#include "detect/sigma/rules_int.h"

/* ---- compile time ---- */

static int find_rule(const det_rules *rs, const char *ref)
{
	for (size_t i = 0; i < rs->n_rules; i++) {
		const det_rule *p = &rs->rules[i]->pub;
		if ((p->id && strcmp(p->id, ref) == 0) || (p->name && strcmp(p->name, ref) == 0))
			return (int)i;
	}
	return -1;
}

static bool is_correlation(const det_rules *rs, const char *ref)
{
	for (size_t i = 0; i < rs->n_corrs; i++) {
		const det_rule *p = &rs->corrs[i]->pub;
		if ((p->id && strcmp(p->id, ref) == 0) || (p->name && strcmp(p->name, ref) == 0))
			return true;
	}
	return false;
}

static void feed_add(rule *r, int c, int member)
{
	r->feeds = realloc(r->feeds, (size_t)(r->n_feeds + 1) * sizeof *r->feeds);
	r->feeds_member = realloc(r->feeds_member, (size_t)(r->n_feeds + 1) * sizeof(int));
	if (r->feeds == NULL || r->feeds_member == NULL)
		abort();
	r->feeds[r->n_feeds] = c;
	r->feeds_member[r->n_feeds++] = member;
}

void corr_resolve(det_rules *rs, diags *d)
{
	size_t kept = 0;
	for (size_t i = 0; i < rs->n_corrs; i++) {
		corr *c = rs->corrs[i];
		c->members = malloc(c->n_refs * sizeof *c->members);
		if (c->members == NULL)
			abort();
		for (size_t k = 0; k < c->n_refs && !c->dropped; k++) {
			c->members[k] = find_rule(rs, c->refs[k]);
			if (c->members[k] >= 0)
				continue;
			c->dropped = true;
			if (d)
				diags_add(d, c->pub.file, c->pub.line, c->col,
			          is_correlation(rs, c->refs[k])
			              ? "correlation '%s' refers to the correlation '%s': chains of "
			                "correlations are not supported yet"
			              : "correlation '%s': no loaded rule has the id or name '%s'",
			          c->pub.title ? c->pub.title : "?", c->refs[k]);
		}
		if (c->dropped) {
			free(c->members);
			c->members = NULL;
			continue;
		}
		rs->corrs[kept] = c;
		c->member_rules = arena_calloc(&rs->a, c->n_refs + 1, sizeof *c->member_rules);
		for (size_t k = 0; k < c->n_refs; k++) {
			rule *m = rs->rules[c->members[k]];
			c->member_rules[k] = &m->pub;
			feed_add(m, (int)kept, (int)k);
			if (!c->generate)
				m->pub.quiet = true;
		}
		kept++;
	}
	rs->n_corrs = kept;
}

size_t det_rules_n_correlations(const det_rules *rs)
{
	return rs->n_corrs;
}

const det_rule *det_rules_correlation(const det_rules *rs, size_t i)
{
	return i < rs->n_corrs ? &rs->corrs[i]->pub : NULL;
}

/* ---- observations ---- */

/* A field by its Sigma name or an alias the mapping gives it. */
static bool field(const det_rules *rs, const det_event *ev, const char *name, det_str *v)
{
	if (det_event_get(ev, name, v))
		return true;
	for (int i = 0; i < rs->n_alias; i++)
		if (strcmp(rs->alias_from[i], name) == 0 && det_event_get(ev, rs->alias_to[i], v))
			return true;
	return false;
}

static void append(char *out, size_t *o, const char *p, size_t n)
{
	size_t room = DET_OBS_TEXT - 1 - *o;
	if (n > room)
		n = room;
	memcpy(out + *o, p, n);
	*o += n;
	out[*o] = '\0';
}

/* The start of an event's message (or of its raw text when it has none),
 * control characters made spaces, cut at a character boundary. */
static void excerpt(char *out, det_str raw)
{
	size_t n = raw.n < DET_OBS_TEXT - 1 ? raw.n : DET_OBS_TEXT - 1;
	if (n < raw.n)
		while (n > 0 && ((unsigned char)raw.p[n] & 0xC0) == 0x80)
			n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw.p[i];
		out[i] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	out[n] = '\0';
}

size_t det_corr_observe(const det_rules *rs, const det_rule *r, const det_event *ev, int64_t t,
                        det_obs *out, size_t max)
{
	const rule *x = (const rule *)r; /* pub is its first member */
	size_t n = 0;
	for (int f = 0; f < x->n_feeds && n < max; f++) {
		const corr *c = rs->corrs[x->feeds[f]];
		det_obs *o = &out[n++];
		o->corr = x->feeds[f];
		o->member = x->feeds_member[f];
		o->time = t;
		o->ref = 0;
		excerpt(o->excerpt, ev->message.n ? ev->message : ev->raw);
		size_t k = 0;
		o->key[0] = o->value[0] = '\0';
		for (size_t g = 0; g < c->n_group; g++) {
			det_str v = {"", 0};
			const char *name = c->alias_field
			                       ? c->alias_field[g * c->n_refs + (size_t)o->member]
			                       : NULL;
			field(rs, ev, name ? name : c->group_by[g], &v);
			if (g)
				append(o->key, &k, "|", 1);
			append(o->key, &k, v.p, v.n);
		}
		if (c->field) {
			det_str v = {"", 0};
			size_t vk = 0;
			if (field(rs, ev, c->field, &v))
				append(o->value, &vk, v.p, v.n);
			else
				n--; /* no value to count: the event does not take part */
		}
	}
	return n;
}

/* ---- the correlator ---- */

typedef struct window {
	int corr;
	uint64_t hash;
	char *key;
	int64_t last;  /* newest event time */
	int64_t *times; /* event_count: ring; temporal: a time a member;
			 * temporal_ordered: a time a place in the order */
	uint64_t *refs; /* the refs of those events, */
	char **texts;   /* their excerpts, and (event_count) */
	int *mems;      /* their member rules */
	size_t n_slots;
	int n, head;
	char **values;  /* value_count */
	int64_t *vtimes;
	uint64_t *vrefs;
	char **vtexts;
	int *vmems;
	int k;          /* temporal_ordered: members seen in order */
	int64_t start;
} window;

struct det_correlator {
	const det_rules *rs;
	window **slots;
	size_t cap, n;
	int64_t newest;
	int64_t expiry; /* when full: no live window is idle past its timespan
	                 * until newest passes this (so a rebuild frees none) */
	det_corr_member *fired; /* the members of the last firing */
	size_t fired_cap;
};

const char *det_corr_member_name(const det_rule *r, int member)
{
	const corr *k = (const corr *)r; /* pub is its first member */
	return member >= 0 && (size_t)member < k->n_refs ? k->refs[member] : "";
}

void det_corr_info_of(const det_rule *r, det_corr_info *info)
{
	const corr *k = (const corr *)r; /* pub is its first member */
	static const char *const ops[] = {"gt", "gte", "eq"};
	*info = (det_corr_info){.members = k->member_rules,
	                        .n_members = k->member_rules ? k->n_refs : 0,
	                        .group_by = k->group_by,
	                        .n_group = k->n_group,
	                        .timespan = k->timespan,
	                        .op = ops[k->op],
	                        .count = k->threshold - (k->op == CORR_GT),
	                        .field = k->field,
	                        .generate = k->generate};
}

/* Replaces the excerpt a slot holds. */
static void set_text(char **slot, const char *s)
{
	free(*slot);
	*slot = strdup(s);
	if (*slot == NULL)
		abort();
}

static det_corr_member member_of(int64_t time, int member, uint64_t ref, const char *text)
{
	det_corr_member m = {time, member, ref, ""};
	snprintf(m.excerpt, sizeof m.excerpt, "%s", text ? text : "");
	return m;
}

/* Room for n members of a firing. */
static det_corr_member *fired_room(det_correlator *c, size_t n)
{
	if (n > c->fired_cap) {
		c->fired = realloc(c->fired, n * sizeof *c->fired);
		if (c->fired == NULL)
			abort();
		c->fired_cap = n;
	}
	return c->fired;
}

enum { MAX_WINDOWS = 1 << 17 };

det_correlator *det_correlator_new(const det_rules *rs)
{
	det_correlator *c = calloc(1, sizeof *c);
	if (c == NULL)
		abort();
	c->rs = rs;
	c->expiry = INT64_MAX;
	c->cap = 1024;
	c->slots = calloc(c->cap, sizeof *c->slots);
	if (c->slots == NULL)
		abort();
	return c;
}

static void window_free(window *w)
{
	if (w == NULL)
		return;
	for (int i = 0; w->values && i < w->n; i++) {
		free(w->values[i]);
		free(w->vtexts[i]);
	}
	for (size_t i = 0; w->texts && i < w->n_slots; i++)
		free(w->texts[i]);
	free(w->texts);
	free(w->vtexts);
	free(w->values);
	free(w->vtimes);
	free(w->vrefs);
	free(w->vmems);
	free(w->times);
	free(w->refs);
	free(w->mems);
	free(w->key);
	free(w);
}

void det_correlator_free(det_correlator *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		window_free(c->slots[i]);
	free(c->slots);
	free(c->fired);
	free(c);
}

static uint64_t hash_of(int corr_index, const char *key)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)corr_index;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static void put(window **slots, size_t cap, window *w)
{
	size_t i = w->hash & (cap - 1);
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = w;
}

/* Rebuilds the table, dropping windows idle past their timespan; grows it
 * until it is at most a quarter full, so that a quarter of the table is
 * added before the next rebuild (at half full, a table left just under
 * half full by the drop was rebuilt again at the next new group). */
static void rehash(det_correlator *c)
{
	size_t live = 0;
	c->expiry = INT64_MAX;
	for (size_t i = 0; i < c->cap; i++) {
		window *w = c->slots[i];
		int64_t span = w ? c->rs->corrs[w->corr]->timespan : 0;
		if (w && w->last < c->newest - span) {
			window_free(w);
			c->slots[i] = NULL;
		} else if (w) {
			live++;
			if (w->last + span < c->expiry)
				c->expiry = w->last + span;
		}
	}
	size_t cap = c->cap;
	while (live * 4 >= cap)
		cap *= 2;
	window **slots = calloc(cap, sizeof *slots);
	if (slots == NULL)
		abort();
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i])
			put(slots, cap, c->slots[i]);
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
	c->n = live;
}

static window *lookup(det_correlator *c, const det_obs *o)
{
	uint64_t h = hash_of(o->corr, o->key);
	for (size_t i = h & (c->cap - 1); c->slots[i]; i = (i + 1) & (c->cap - 1)) {
		window *w = c->slots[i];
		if (w->hash == h && w->corr == o->corr && strcmp(w->key, o->key) == 0)
			return w;
	}
	/* Full of live windows: rebuilding frees none until the oldest can
	 * expire (windows only grow younger), so the table is not walked for
	 * every new group while it stays full. */
	if (c->n >= MAX_WINDOWS && c->newest <= c->expiry)
		return NULL;
	if ((c->n + 1) * 2 > c->cap || c->n >= MAX_WINDOWS)
		rehash(c);
	if (c->n >= MAX_WINDOWS)
		return NULL; /* every window is live: this group is not tracked */
	const corr *k = c->rs->corrs[o->corr];
	window *w = calloc(1, sizeof *w);
	if (w == NULL)
		abort();
	w->corr = o->corr;
	w->hash = h;
	w->key = strdup(o->key);
	size_t slots = k->type == CORR_EVENT_COUNT ? (size_t)k->threshold
	               : k->type == CORR_VALUE_COUNT ? 0
	                                              : k->n_refs;
	if (slots) {
		w->n_slots = slots;
		w->times = calloc(slots, sizeof *w->times);
		w->refs = calloc(slots, sizeof *w->refs);
		w->texts = calloc(slots, sizeof *w->texts);
		w->mems = calloc(slots, sizeof *w->mems);
	}
	if (k->type == CORR_VALUE_COUNT) {
		w->values = calloc((size_t)k->threshold, sizeof *w->values);
		w->vtimes = calloc((size_t)k->threshold, sizeof *w->vtimes);
		w->vrefs = calloc((size_t)k->threshold, sizeof *w->vrefs);
		w->vtexts = calloc((size_t)k->threshold, sizeof *w->vtexts);
		w->vmems = calloc((size_t)k->threshold, sizeof *w->vmems);
	}
	put(c->slots, c->cap, w);
	c->n++;
	int64_t last = o->time > 0 ? o->time : 0; /* what the caller makes w->last */
	if (last + k->timespan < c->expiry)
		c->expiry = last + k->timespan;
	return w;
}

static bool event_count(det_correlator *c, const corr *k, window *w, const det_obs *o,
                        det_corr_match *m)
{
	int64_t t = o->time;
	int cap = (int)k->threshold;
	int at = (w->head + w->n) % cap;
	w->times[at] = t;
	w->refs[at] = o->ref;
	set_text(&w->texts[at], o->excerpt);
	w->mems[at] = o->member;
	if (w->n < cap)
		w->n++;
	else
		w->head = (w->head + 1) % cap;
	while (w->n > 0 && w->times[w->head] < t - k->timespan) {
		w->head = (w->head + 1) % cap;
		w->n--;
	}
	if (w->n < cap)
		return false;
	m->count = w->n;
	m->first = w->times[w->head];
	det_corr_member *f = fired_room(c, (size_t)w->n);
	for (int i = 0; i < w->n; i++) {
		int j = (w->head + i) % cap;
		f[i] = member_of(w->times[j], w->mems[j], w->refs[j], w->texts[j]);
	}
	m->n_members = (size_t)w->n;
	w->n = w->head = 0;
	return true;
}

static bool value_count(det_correlator *c, const corr *k, window *w, const det_obs *o,
                        det_corr_match *m)
{
	int64_t t = o->time;
	int keep = 0;
	for (int i = 0; i < w->n; i++) { /* drop what left the timespan */
		if (w->vtimes[i] < t - k->timespan) {
			free(w->values[i]);
			free(w->vtexts[i]);
			continue;
		}
		w->values[keep] = w->values[i];
		w->vtexts[keep] = w->vtexts[i];
		w->vrefs[keep] = w->vrefs[i];
		w->vmems[keep] = w->vmems[i];
		w->vtimes[keep++] = w->vtimes[i];
	}
	w->n = keep;
	for (int i = 0; i < w->n; i++)
		if (strcmp(w->values[i], o->value) == 0) {
			w->vtimes[i] = t;
			w->vrefs[i] = o->ref;
			set_text(&w->vtexts[i], o->excerpt);
			w->vmems[i] = o->member;
			return false;
		}
	w->values[w->n] = strdup(o->value);
	w->vtexts[w->n] = strdup(o->excerpt);
	if (w->values[w->n] == NULL || w->vtexts[w->n] == NULL)
		abort();
	w->vrefs[w->n] = o->ref;
	w->vmems[w->n] = o->member;
	w->vtimes[w->n++] = t;
	if (w->n < k->threshold)
		return false;
	m->count = w->n;
	m->first = t;
	det_corr_member *f = fired_room(c, (size_t)w->n);
	for (int i = 0; i < w->n; i++) {
		if (w->vtimes[i] < m->first)
			m->first = w->vtimes[i];
		f[i] = member_of(w->vtimes[i], w->vmems[i], w->vrefs[i], w->vtexts[i]);
		free(w->values[i]);
		free(w->vtexts[i]);
	}
	m->n_members = (size_t)w->n;
	w->n = 0;
	return true;
}

static bool temporal(det_correlator *c, const corr *k, window *w, const det_obs *o,
                     det_corr_match *m)
{
	int64_t t = o->time;
	if (k->type == CORR_TEMPORAL_ORDERED) {
		if (w->k > 0 && t - w->start > k->timespan)
			w->k = 0; /* too late: start again */
		if (o->member == 0 && w->k <= 1) {
			w->k = 1;
			w->start = t;
		} else if (o->member == w->k) {
			w->k++;
		} else {
			return false;
		}
		w->times[w->k - 1] = t;
		w->refs[w->k - 1] = o->ref;
		set_text(&w->texts[w->k - 1], o->excerpt);
		if (w->k < (int)k->n_refs)
			return false;
		m->count = w->k;
		m->first = w->start;
		det_corr_member *f = fired_room(c, (size_t)w->k);
		for (int i = 0; i < w->k; i++)
			f[i] = member_of(w->times[i], i, w->refs[i], w->texts[i]);
		m->n_members = (size_t)w->k;
		w->k = 0;
		return true;
	}
	w->times[o->member] = t;
	w->refs[o->member] = o->ref;
	set_text(&w->texts[o->member], o->excerpt);
	int seen = 0;
	int64_t first = t;
	for (size_t i = 0; i < k->n_refs; i++)
		if (w->times[i] && w->times[i] >= t - k->timespan) {
			seen++;
			if (w->times[i] < first)
				first = w->times[i];
		}
	if (seen < (int)k->n_refs)
		return false;
	m->count = seen;
	m->first = first;
	det_corr_member *f = fired_room(c, k->n_refs);
	for (size_t i = 0; i < k->n_refs; i++)
		f[i] = member_of(w->times[i], (int)i, w->refs[i], w->texts[i]);
	/* oldest first: n_refs is small (at most 32), insertion sort */
	for (size_t i = 1; i < k->n_refs; i++)
		for (size_t j = i; j > 0 && f[j].time < f[j - 1].time; j--) {
			det_corr_member x = f[j];
			f[j] = f[j - 1];
			f[j - 1] = x;
		}
	m->n_members = k->n_refs;
	memset(w->times, 0, k->n_refs * sizeof *w->times);
	return true;
}

bool det_correlate(det_correlator *c, const det_obs *o, det_corr_match *m)
{
	if (o->corr < 0 || (size_t)o->corr >= c->rs->n_corrs)
		return false;
	if (o->time > c->newest)
		c->newest = o->time;
	window *w = lookup(c, o);
	if (w == NULL)
		return false;
	const corr *k = c->rs->corrs[o->corr];
	w->last = o->time > w->last ? o->time : w->last;
	bool fired;
	switch (k->type) {
	case CORR_EVENT_COUNT: fired = event_count(c, k, w, o, m); break;
	case CORR_VALUE_COUNT: fired = value_count(c, k, w, o, m); break;
	default: fired = temporal(c, k, w, o, m); break;
	}
	if (fired) {
		m->members = c->fired;
		m->rule = &k->pub;
		m->last = o->time;
		m->key = w->key;
	}
	return fired;
}
