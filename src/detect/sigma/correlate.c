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
 *
 * A fifth of a busy log can be members (failed SSH passwords, each from a
 * new address): an observation is built in place, its texts one after
 * another; a new group takes a window of its correlation's pool, one
 * block with its entries, and the entries' text blocks come with it; the
 * table keeps each window's hash and expiry beside it, so probing and
 * rebuilding read the table alone. Once warm, observing and counting
 * allocate nothing.
 */
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

/* The names det_event_get answers from an event's header members. */
static bool header_name(const char *name)
{
	static const char *const names[] = {"host", "program", "pid", "msgid", "message"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* A field by its name, then by each name the mapping also gives it. */
static void field_resolve(det_rules *rs, corr_field *f, const char *name)
{
	int n = 1;
	for (int i = 0; i < rs->n_alias; i++)
		n += strcmp(rs->alias_from[i], name) == 0;
	f->names = arena_calloc(&rs->a, (size_t)n, sizeof *f->names);
	f->n = 0;
	f->names[f->n++] = (corr_name){name, strlen(name), header_name(name)};
	for (int i = 0; i < rs->n_alias; i++)
		if (strcmp(rs->alias_from[i], name) == 0) {
			const char *to = rs->alias_to[i];
			f->names[f->n++] = (corr_name){to, strlen(to), header_name(to)};
		}
}

static void fields_resolve(det_rules *rs, corr *c)
{
	c->group_fields = arena_calloc(&rs->a, c->n_group * c->n_refs + 1, sizeof *c->group_fields);
	for (size_t g = 0; g < c->n_group; g++)
		for (size_t k = 0; k < c->n_refs; k++) {
			const char *name = c->alias_field ? c->alias_field[g * c->n_refs + k] : NULL;
			field_resolve(rs, &c->group_fields[g * c->n_refs + k],
			              name ? name : c->group_by[g]);
		}
	if (c->field)
		field_resolve(rs, &c->value_field, c->field);
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
		fields_resolve(rs, c);
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

/* The value of a field as det_event_get gives it, trying each of its
 * names in turn; false when the event has none. */
static bool field(const det_event *ev, const corr_field *f, det_str *v)
{
	for (int k = 0; k < f->n; k++) {
		const corr_name *x = &f->names[k];
		if (x->header) {
			if (det_event_get(ev, x->name, v))
				return true;
			continue;
		}
		for (size_t i = 0; i < ev->n_fields; i++) {
			const det_field *e = &ev->fields[i];
			if (e->name.n == x->len && memcmp(e->name.p, x->name, x->len) == 0) {
				*v = e->value;
				return true;
			}
		}
	}
	return false;
}

/* Appends n bytes of p at out + *o, within DET_OBS_TEXT - 1 bytes from
 * out (the start of the text being built). */
static void append(char *out, size_t *o, const char *p, size_t n)
{
	size_t room = DET_OBS_TEXT - 1 - *o;
	if (n > room)
		n = room;
	memcpy(out + *o, p, n);
	*o += n;
}

/* The start of an event's message (or of its raw text when it has none),
 * control characters made spaces, cut at a character boundary; returns
 * its length (out is not '\0'-ended). */
static size_t excerpt(char *out, det_str raw)
{
	size_t n = raw.n < DET_OBS_TEXT - 1 ? raw.n : DET_OBS_TEXT - 1;
	if (n < raw.n)
		while (n > 0 && ((unsigned char)raw.p[n] & 0xC0) == 0x80)
			n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw.p[i];
		out[i] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	return n;
}

size_t det_corr_observe(const det_rules *rs, const det_rule *r, const det_event *ev, int64_t t,
                        bool excerpts, det_obs *out, size_t max)
{
	const rule *x = (const rule *)r; /* pub is its first member */
	char text[DET_OBS_TEXT];
	size_t text_len = 0, n = 0;
	bool have_text = false;
	for (int f = 0; f < x->n_feeds && n < max; f++) {
		const corr *c = rs->corrs[x->feeds[f]];
		det_obs *o = &out[n];
		o->corr = x->feeds[f];
		o->member = x->feeds_member[f];
		o->time = t;
		o->ref = 0;
		char *key = o->text;
		size_t k = 0;
		for (size_t g = 0; g < c->n_group; g++) {
			det_str v = {"", 0};
			field(ev, &c->group_fields[g * c->n_refs + (size_t)o->member], &v);
			if (g)
				append(key, &k, "|", 1);
			append(key, &k, v.p, v.n);
		}
		key[k] = '\0';
		k = strlen(key); /* a value's '\0' ends the key, as for a C string */
		char *value = key + k + 1;
		size_t vk = 0;
		if (c->field) {
			det_str v;
			if (!field(ev, &c->value_field, &v))
				continue; /* no value to count: the event does not take part */
			append(value, &vk, v.p, v.n);
			value[vk] = '\0';
			vk = strlen(value);
		}
		value[vk] = '\0';
		if (excerpts && !have_text) { /* the same event for each: made once */
			text_len = excerpt(text, ev->message.n ? ev->message : ev->raw);
			have_text = true;
		}
		memcpy(value + vk + 1, text, text_len);
		value[vk + 1 + text_len] = '\0';
		o->key_len = (uint16_t)k;
		o->value_len = (uint16_t)vk;
		o->excerpt_len = (uint16_t)text_len;
		n++;
	}
	return n;
}

/* ---- the correlator ---- */

/* An event a window holds: its time, member rule and ref, its excerpt
 * and (value_count) the value it counted. The texts are blocks of
 * DET_OBS_TEXT bytes, made when an entry first needs one and kept by the
 * window for the entries that follow, also while the window waits on its
 * pool: a steady flow of events and groups allocates nothing. */
typedef struct entry {
	int64_t time;
	uint64_t ref;
	int member;
	uint16_t value_len;
	char *text;
	char *value;
} entry;

/* The state of one group of one correlation: a block sized for its
 * correlation, entries included. */
typedef struct window {
	int64_t last;  /* newest event time */
	int n, head;   /* event_count: n entries in a ring from head;
	                * value_count: the first n, one a distinct value */
	int k;         /* temporal_ordered: members seen in order */
	int64_t start;
	size_t n_slots;  /* entries: event_count and value_count the threshold;
	                  * temporal: a member (time 0: not seen);
	                  * temporal_ordered: a place in the order */
	size_t key_len;
	char key[DET_OBS_TEXT];
	entry e[];
} window;

/* A place of the table: the window's hash and the time after which it
 * has been idle for its whole timespan are kept beside it, so that a
 * probe and a rebuild read the table, not each window. */
typedef struct slot {
	uint64_t hash;
	int64_t until; /* last + timespan */
	int corr;
	window *w;     /* NULL: free */
} slot;

/* The windows of one correlation no group uses, kept for the next new
 * groups (all of a correlation's windows have one size). */
typedef struct pool {
	window **free;
	size_t n_free, cap_free;
	size_t made; /* windows given to new groups since the last rebuild */
} pool;

struct det_correlator {
	const det_rules *rs;
	slot *slots;
	size_t cap, n;
	int64_t newest;
	int64_t expiry; /* when full: no live window is idle past its timespan
	                 * until newest passes this (so a rebuild frees none) */
	pool *pools;    /* one a correlation */
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

/* Puts n bytes of s (and a '\0') in a text block of an entry, made on
 * first use (an empty text needs none yet: NULL reads as ""). */
static void keep_text(char **block, const char *s, size_t n)
{
	if (*block == NULL && n == 0)
		return;
	if (*block == NULL && (*block = malloc(DET_OBS_TEXT)) == NULL)
		abort();
	memcpy(*block, s, n);
	(*block)[n] = '\0';
}

static det_corr_member member_of(const entry *e, int member)
{
	det_corr_member m = {e->time, member, e->ref, ""};
	if (e->text)
		memcpy(m.excerpt, e->text, strlen(e->text) + 1);
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
	c->pools = calloc(rs->n_corrs + 1, sizeof *c->pools);
	if (c->slots == NULL || c->pools == NULL)
		abort();
	return c;
}

static void window_free(window *w)
{
	for (size_t i = 0; i < w->n_slots; i++) {
		free(w->e[i].text);
		free(w->e[i].value);
	}
	free(w);
}

/* Frees the windows a pool keeps beyond keep. */
static void pool_trim(pool *p, size_t keep)
{
	while (p->n_free > keep)
		window_free(p->free[--p->n_free]);
}

void det_correlator_free(det_correlator *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].w)
			window_free(c->slots[i].w);
	for (size_t i = 0; i < c->rs->n_corrs; i++) {
		pool_trim(&c->pools[i], 0);
		free(c->pools[i].free);
	}
	free(c->pools);
	free(c->slots);
	free(c->fired);
	free(c);
}

/* A window for a new group of correlation i, from its pool or new. */
static window *window_new(det_correlator *c, int i)
{
	const corr *k = c->rs->corrs[i];
	pool *p = &c->pools[i];
	window *w = p->n_free ? p->free[--p->n_free] : NULL;
	if (w) {
		for (size_t j = 0; k->type >= CORR_TEMPORAL && j < w->n_slots; j++)
			w->e[j].time = 0; /* temporal: no member seen */
	} else {
		size_t slots = k->type == CORR_EVENT_COUNT || k->type == CORR_VALUE_COUNT
		                   ? (size_t)k->threshold
		                   : k->n_refs;
		w = calloc(1, sizeof *w + slots * sizeof *w->e);
		if (w == NULL)
			abort();
		w->n_slots = slots;
	}
	w->last = w->start = 0;
	w->n = w->head = w->k = 0;
	p->made++;
	return w;
}

/* A window whose group is gone goes back to the pool of its correlation
 * (given, so that a rebuild reads the table, not the window). */
static void window_drop(det_correlator *c, int corr_index, window *w)
{
	pool *p = &c->pools[corr_index];
	if (p->n_free == p->cap_free) {
		p->cap_free = p->cap_free ? p->cap_free * 2 : 64;
		if ((p->free = realloc(p->free, p->cap_free * sizeof *p->free)) == NULL)
			abort();
	}
	p->free[p->n_free++] = w;
}

/* A group key's hash: the rules' hash of its bytes, apart per correlation. */
static uint64_t hash_of(int corr_index, const char *key, size_t n)
{
	return rules_hash(key, n) ^ (uint64_t)(corr_index + 1) * 0x9E3779B97F4A7C15ULL;
}

static slot *put(slot *slots, size_t cap, slot s)
{
	size_t i = s.hash & (cap - 1);
	while (slots[i].w)
		i = (i + 1) & (cap - 1);
	slots[i] = s;
	return &slots[i];
}

/* Rebuilds the table, dropping windows idle past their timespan; grows it
 * until it is at most a quarter full, so that a quarter of the table is
 * added before the next rebuild (at half full, a table left just under
 * half full by the drop was rebuilt again at the next new group). A pool
 * keeps as many windows as its correlation gave new groups since the
 * last rebuild, about what it gives before the next. */
static void rehash(det_correlator *c)
{
	size_t live = 0;
	c->expiry = INT64_MAX;
	for (size_t i = 0; i < c->cap; i++) {
		slot *s = &c->slots[i];
		if (s->w && s->until < c->newest) {
			window_drop(c, s->corr, s->w);
			s->w = NULL;
		} else if (s->w) {
			live++;
			if (s->until < c->expiry)
				c->expiry = s->until;
		}
	}
	for (size_t i = 0; i < c->rs->n_corrs; i++) {
		pool_trim(&c->pools[i], c->pools[i].made);
		c->pools[i].made = 0;
	}
	size_t cap = c->cap;
	while (live * 4 >= cap)
		cap *= 2;
	slot *slots = calloc(cap, sizeof *slots);
	if (slots == NULL)
		abort();
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].w)
			put(slots, cap, c->slots[i]);
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
	c->n = live;
}

static slot *lookup(det_correlator *c, const det_obs *o)
{
	const char *key = det_obs_key(o);
	size_t key_len = o->key_len;
	uint64_t h = hash_of(o->corr, key, key_len);
	for (size_t i = h & (c->cap - 1); c->slots[i].w; i = (i + 1) & (c->cap - 1)) {
		slot *s = &c->slots[i];
		if (s->hash == h && s->corr == o->corr && s->w->key_len == key_len &&
		    memcmp(s->w->key, key, key_len) == 0)
			return s;
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
	window *w = window_new(c, o->corr);
	memcpy(w->key, key, key_len + 1);
	w->key_len = key_len;
	c->n++;
	int64_t last = o->time > 0 ? o->time : 0; /* what the caller makes w->last */
	if (last + k->timespan < c->expiry)
		c->expiry = last + k->timespan;
	return put(c->slots, c->cap, (slot){h, last + k->timespan, o->corr, w});
}

/* Records o's event in entry e. */
static void enter(entry *e, const det_obs *o)
{
	e->time = o->time;
	e->ref = o->ref;
	e->member = o->member;
	keep_text(&e->text, det_obs_excerpt(o), o->excerpt_len);
}

static bool event_count(det_correlator *c, const corr *k, window *w, const det_obs *o,
                        det_corr_match *m)
{
	int64_t t = o->time;
	int cap = (int)k->threshold, at = w->head + w->n;
	enter(&w->e[at < cap ? at : at - cap], o);
	if (w->n < cap)
		w->n++;
	else if (++w->head == cap)
		w->head = 0;
	while (w->n > 0 && w->e[w->head].time < t - k->timespan) {
		if (++w->head == cap)
			w->head = 0;
		w->n--;
	}
	if (w->n < cap)
		return false;
	m->count = w->n;
	m->first = w->e[w->head].time;
	det_corr_member *f = fired_room(c, (size_t)w->n);
	for (int i = 0; i < w->n; i++) {
		const entry *e = &w->e[(w->head + i) % cap];
		f[i] = member_of(e, e->member);
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
		if (w->e[i].time < t - k->timespan)
			continue;
		entry x = w->e[keep]; /* swapped, so that every entry keeps its blocks */
		w->e[keep++] = w->e[i];
		w->e[i] = x;
	}
	w->n = keep;
	const char *value = det_obs_value(o);
	for (int i = 0; i < w->n; i++)
		if (w->e[i].value_len == o->value_len &&
		    (o->value_len == 0 || memcmp(w->e[i].value, value, o->value_len) == 0)) {
			enter(&w->e[i], o);
			return false;
		}
	entry *e = &w->e[w->n++];
	enter(e, o);
	keep_text(&e->value, value, o->value_len);
	e->value_len = o->value_len;
	if (w->n < k->threshold)
		return false;
	m->count = w->n;
	m->first = t;
	det_corr_member *f = fired_room(c, (size_t)w->n);
	for (int i = 0; i < w->n; i++) {
		if (w->e[i].time < m->first)
			m->first = w->e[i].time;
		f[i] = member_of(&w->e[i], w->e[i].member);
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
		enter(&w->e[w->k - 1], o);
		if (w->k < (int)k->n_refs)
			return false;
		m->count = w->k;
		m->first = w->start;
		det_corr_member *f = fired_room(c, (size_t)w->k);
		for (int i = 0; i < w->k; i++)
			f[i] = member_of(&w->e[i], i);
		m->n_members = (size_t)w->k;
		w->k = 0;
		return true;
	}
	enter(&w->e[o->member], o);
	int seen = 0;
	int64_t first = t;
	for (size_t i = 0; i < k->n_refs; i++)
		if (w->e[i].time && w->e[i].time >= t - k->timespan) {
			seen++;
			if (w->e[i].time < first)
				first = w->e[i].time;
		}
	if (seen < (int)k->n_refs)
		return false;
	m->count = seen;
	m->first = first;
	det_corr_member *f = fired_room(c, k->n_refs);
	for (size_t i = 0; i < k->n_refs; i++)
		f[i] = member_of(&w->e[i], (int)i);
	/* oldest first: n_refs is small (at most 32), insertion sort */
	for (size_t i = 1; i < k->n_refs; i++)
		for (size_t j = i; j > 0 && f[j].time < f[j - 1].time; j--) {
			det_corr_member x = f[j];
			f[j] = f[j - 1];
			f[j - 1] = x;
		}
	m->n_members = k->n_refs;
	for (size_t i = 0; i < k->n_refs; i++)
		w->e[i].time = 0;
	return true;
}

bool det_correlate(det_correlator *c, const det_obs *o, det_corr_match *m)
{
	if (o->corr < 0 || (size_t)o->corr >= c->rs->n_corrs)
		return false;
	if (o->time > c->newest)
		c->newest = o->time;
	slot *s = lookup(c, o);
	if (s == NULL)
		return false;
	window *w = s->w;
	const corr *k = c->rs->corrs[o->corr];
	w->last = o->time > w->last ? o->time : w->last;
	s->until = w->last + k->timespan;
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
