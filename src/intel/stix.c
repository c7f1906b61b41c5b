/*
 * stix.c: STIX 2.1 and 2.0 bundles: indicators whose pattern is a plain
 * comparison, and cyber observables (ipv4-addr, ipv6-addr, domain-name,
 * url, email-addr, file hashes) found in the bundle.
 *
 * A pattern is taken when it is one or more comparisons "path = 'value'"
 * joined by OR, in brackets and parentheses, such as
 *   [ipv4-addr:value = '192.0.2.7'] OR [domain-name:value = 'evil.id']
 *   [file:hashes.'SHA-256' = 'e3b0…' OR file:hashes.MD5 = 'd41d…']
 * since each such value alone is a sign of the indicated thing. A pattern
 * with AND, FOLLOWEDBY, other operators or qualifiers (WITHIN, REPEATS)
 * means something no single value does; it is left out and counted.
 *
 * TLP comes from object_marking_refs: the well-known TLP 1.0 and 2.0
 * marking definitions, or marking definitions in the bundle. The source
 * is the identity created_by_ref names, when the bundle holds it.
 *
 * STIX 2.0 (spec_version on the bundle, none on its objects) is read
 * where it is 2.1: indicators with a pattern (2.0 has no pattern_type:
 * every pattern is STIX), the same four TLP marking definitions, identities.
 * Where it differs it is left out and said: 2.0 has no top-level
 * observables, it nests them in observed-data, which records what was
 * seen rather than what to look for. Every object of a bundle that is not
 * read (relationships, malware, reports…) is counted under its type, so an
 * import that keeps nothing says what the bundle held.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "intel_int.h"

static const struct {
	const char *id, *label;
} known_markings[] = {
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:CLEAR"},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN"},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER"},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED"},
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR"},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN"},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT"},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"},
};

typedef struct bundle {
	const json_t *markings;   /* id -> marking-definition object */
	const json_t *identities; /* id -> identity object */
} bundle;

/* The TLP label of a marking definition object in the bundle. */
static const char *marking_tlp(const json_t *m)
{
	const char *l = intel_tlp(json_string_value(
	    json_object_get(json_object_get(m, "definition"), "tlp"))); /* TLP 1.0 */
	if (l)
		return l;
	const char *key;
	const json_t *ext;
	json_object_foreach((json_t *)json_object_get(m, "extensions"), key, ext) {
		l = intel_tlp(json_string_value(json_object_get(ext, "tlp_2_0")));
		if (l)
			return l;
	}
	return intel_tlp(json_string_value(json_object_get(m, "name")));
}

static const char *object_tlp(const bundle *b, const json_t *o)
{
	size_t i;
	const json_t *ref;
	json_array_foreach(json_object_get(o, "object_marking_refs"), i, ref) {
		const char *id = json_string_value(ref);
		if (id == NULL)
			continue;
		for (size_t k = 0; k < sizeof known_markings / sizeof known_markings[0]; k++)
			if (strcmp(id, known_markings[k].id) == 0)
				return known_markings[k].label;
		const json_t *m = json_object_get(b->markings, id);
		if (m && marking_tlp(m))
			return marking_tlp(m);
	}
	return NULL;
}

static const char *object_source(const bundle *b, const json_t *o)
{
	const char *ref = json_string_value(json_object_get(o, "created_by_ref"));
	if (ref == NULL)
		return NULL;
	return json_string_value(json_object_get(json_object_get(b->identities, ref), "name"));
}

/* ---- patterns ---- */

typedef struct cmp {
	ioc_type type;
	char value[IOC_VALUE_MAX + 1];
	size_t n;
} cmp;

enum { MAX_CMPS = 64 };

typedef struct pat {
	const char *p, *end;
	cmp cmps[MAX_CMPS];
	int n;
	const char *why; /* set when the pattern is not a plain comparison */
} pat;

static void ws(pat *s)
{
	while (s->p < s->end && isspace((unsigned char)*s->p))
		s->p++;
}

static bool eat(pat *s, const char *word)
{
	ws(s);
	size_t n = strlen(word);
	if ((size_t)(s->end - s->p) >= n && strncmp(s->p, word, n) == 0) {
		s->p += n;
		return true;
	}
	return false;
}

/* The type an object path names, such as "ipv4-addr:value" or
 * "file:hashes.'SHA-256'"; IOC_NONE for paths sigap does not keep. */
static ioc_type path_type(const char *p, size_t n)
{
	static const struct {
		const char *path;
		ioc_type type;
	} paths[] = {{"ipv4-addr:value", IOC_IPV4},
	             {"ipv6-addr:value", IOC_IPV6},
	             {"domain-name:value", IOC_DOMAIN},
	             {"url:value", IOC_URL},
	             {"email-addr:value", IOC_EMAIL},
	             {"email-message:from_ref.value", IOC_EMAIL},
	             {"network-traffic:dst_ref.value", IOC_IPV4},
	             {"network-traffic:src_ref.value", IOC_IPV4},
	             {"file:hashes.md5", IOC_MD5},
	             {"file:hashes.'md5'", IOC_MD5},
	             {"file:hashes.sha1", IOC_SHA1},
	             {"file:hashes.'sha1'", IOC_SHA1},
	             {"file:hashes.'sha-1'", IOC_SHA1},
	             {"file:hashes.sha256", IOC_SHA256},
	             {"file:hashes.'sha256'", IOC_SHA256},
	             {"file:hashes.'sha-256'", IOC_SHA256}};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (strlen(paths[i].path) == n && strncasecmp(paths[i].path, p, n) == 0)
			return paths[i].type;
	return IOC_NONE;
}

static bool comparison(pat *s)
{
	ws(s);
	const char *start = s->p;
	bool quoted = false;
	while (s->p < s->end) {
		char c = *s->p;
		if (c == '\'')
			quoted = !quoted;
		else if (!quoted && (isspace((unsigned char)c) || c == '=' || c == '!' || c == '<' ||
		                     c == '>' || c == ']'))
			break;
		s->p++;
	}
	size_t pn = (size_t)(s->p - start);
	if (pn == 0) {
		s->why = "a comparison without an object path";
		return false;
	}
	ws(s);
	if (s->p >= s->end || *s->p != '=' || (s->p + 1 < s->end && s->p[1] == '=')) {
		s->why = "an operator other than '='";
		return false;
	}
	s->p++;
	ws(s);
	if (s->p >= s->end || *s->p != '\'') {
		s->why = "a value that is not a string";
		return false;
	}
	s->p++;
	cmp *c = s->n < MAX_CMPS ? &s->cmps[s->n] : NULL;
	size_t n = 0;
	for (;;) {
		if (s->p >= s->end) {
			s->why = "a string without its closing quote";
			return false;
		}
		char ch = *s->p++;
		if (ch == '\'')
			break;
		if (ch == '\\' && s->p < s->end)
			ch = *s->p++;
		if (c && n < IOC_VALUE_MAX)
			c->value[n++] = ch;
	}
	if (c == NULL) {
		s->why = "more comparisons than sigap takes from one pattern";
		return false;
	}
	c->value[n] = '\0';
	c->n = n;
	c->type = path_type(start, pn);
	s->n++;
	return true;
}

static bool expression(pat *s, int depth);

/* [ comparison (OR comparison)* ]  or  ( expression ) */
static bool term(pat *s, int depth)
{
	if (eat(s, "(")) {
		if (!expression(s, depth + 1))
			return false;
		if (!eat(s, ")")) {
			s->why = "unbalanced parentheses";
			return false;
		}
		return true;
	}
	if (!eat(s, "[")) {
		s->why = "no '[' where an observation expression starts";
		return false;
	}
	do {
		if (!comparison(s))
			return false;
	} while (eat(s, "OR "));
	if (!eat(s, "]")) {
		s->why = "AND, or another operator inside an observation";
		return false;
	}
	return true;
}

static bool expression(pat *s, int depth)
{
	if (depth > 16) {
		s->why = "parentheses nested too deep";
		return false;
	}
	do {
		if (!term(s, depth))
			return false;
	} while (eat(s, "OR "));
	return true;
}

static bool parse_pattern(pat *s, const char *text)
{
	s->p = text;
	s->end = text + strlen(text);
	s->n = 0;
	s->why = NULL;
	if (!expression(s, 0))
		return false;
	ws(s);
	if (s->p != s->end) {
		s->why = "AND, FOLLOWEDBY or a qualifier between observations";
		return false;
	}
	return true;
}

static int indicator(intel_reader *r, const bundle *b, const json_t *o)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *pattern = json_string_value(json_object_get(o, "pattern"));
	const char *ptype = json_string_value(json_object_get(o, "pattern_type"));
	if (json_is_true(json_object_get(o, "revoked"))) {
		intel_left_out(r->c, "STIX indicators revoked");
		return 0;
	}
	if (ptype && strcmp(ptype, "stix") != 0) { /* snort, yara, sigma…: not values */
		intel_left_out(r->c, "STIX indicators with %.40s patterns (not values)", ptype);
		return 0;
	}
	if (pattern == NULL) {
		r->c->invalid++;
		diags_add(r->d, r->name, 0, 0, "%s: an indicator without a pattern", id ? id : "?");
		return 0;
	}
	static __thread pat s;
	if (!parse_pattern(&s, pattern)) {
		intel_left_out(r->c, "STIX patterns that are not plain comparisons");
		diags_add(r->d, r->name, 0, 0, "%s: pattern left out: %s", id ? id : "?", s.why);
		return 0;
	}
	const char *desc = json_string_value(json_object_get(o, "name"));
	if (desc == NULL)
		desc = json_string_value(json_object_get(o, "description"));
	ioc meta = {.source = object_source(b, o), .tlp = object_tlp(b, o), .description = desc,
	            .confidence = -1};
	const json_t *conf = json_object_get(o, "confidence");
	if (json_is_integer(conf) && json_integer_value(conf) >= 0 && json_integer_value(conf) <= 100)
		meta.confidence = (int)json_integer_value(conf);
	meta.first_seen = intel_time(json_object_get(o, "valid_from"));
	meta.last_seen = intel_time(json_object_get(o, "modified"));
	meta.expires = intel_time(json_object_get(o, "valid_until"));
	for (int i = 0; i < s.n; i++) {
		if (s.cmps[i].type == IOC_NONE) { /* process:name… */
			intel_left_out(r->c, "STIX pattern comparisons of an object sigap does not "
			                     "look for");
			continue;
		}
		if (intel_emit(r, s.cmps[i].type, s.cmps[i].value, s.cmps[i].n, &meta, 0) != 0)
			return -1;
	}
	return 0;
}

static int observable(intel_reader *r, const bundle *b, const json_t *o, ioc_type t)
{
	ioc meta = {.source = object_source(b, o), .tlp = object_tlp(b, o), .confidence = -1};
	if (t != IOC_NONE) {
		const char *v = json_string_value(json_object_get(o, "value"));
		if (v == NULL) {
			r->c->invalid++;
			diags_add(r->d, r->name, 0, 0, "%s without a value",
			          json_string_value(json_object_get(o, "id")));
			return 0;
		}
		return intel_emit(r, t, v, strlen(v), &meta, 0);
	}
	const char *alg;
	const json_t *h;
	json_object_foreach((json_t *)json_object_get(o, "hashes"), alg, h) {
		ioc_type ht = ioc_type_parse(alg);
		const char *v = json_string_value(h);
		if (v == NULL || (ht != IOC_MD5 && ht != IOC_SHA1 && ht != IOC_SHA256)) {
			intel_left_out(r->c, "STIX file hashes of type %.40s", alg); /* SSDEEP, TLSH… */
			continue;
		}
		if (intel_emit(r, ht, v, strlen(v), &meta, 0) != 0)
			return -1;
	}
	return 0;
}

int intel_stix_bundle(intel_reader *r, const json_t *root)
{
	const json_t *objects = json_object_get(root, "objects");
	if (!json_is_array(objects)) {
		diags_add(r->d, r->name, 0, 0, "not a STIX bundle: no \"objects\" list");
		return -1;
	}
	/* 2.1 puts spec_version on each object, 2.0 on the bundle */
	const char *bundle_version = json_string_value(json_object_get(root, "spec_version"));
	if (bundle_version && strcmp(bundle_version, "2.0") != 0 &&
	    strcmp(bundle_version, "2.1") != 0) {
		diags_add(r->d, r->name, 0, 0,
		          "a STIX %.20s bundle: sigap reads STIX 2.1 and 2.0", bundle_version);
		return -1;
	}
	bool v20 = bundle_version && strcmp(bundle_version, "2.0") == 0;
	json_t *markings = json_object(), *identities = json_object();
	size_t i;
	const json_t *o;
	json_array_foreach(objects, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *id = json_string_value(json_object_get(o, "id"));
		if (type == NULL || id == NULL)
			continue;
		if (strcmp(type, "marking-definition") == 0)
			json_object_set(markings, id, (json_t *)o);
		else if (strcmp(type, "identity") == 0)
			json_object_set(identities, id, (json_t *)o);
	}
	bundle b = {markings, identities};
	int rc = 0;
	json_array_foreach(objects, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		if (type == NULL) {
			r->c->invalid++;
			diags_add(r->d, r->name, 0, 0, "object %zu has no type", i + 1);
			continue;
		}
		if (strcmp(type, "indicator") == 0)
			rc = indicator(r, &b, o);
		else if (strcmp(type, "ipv4-addr") == 0)
			rc = observable(r, &b, o, IOC_IPV4);
		else if (strcmp(type, "ipv6-addr") == 0)
			rc = observable(r, &b, o, IOC_IPV6);
		else if (strcmp(type, "domain-name") == 0)
			rc = observable(r, &b, o, IOC_DOMAIN);
		else if (strcmp(type, "url") == 0)
			rc = observable(r, &b, o, IOC_URL);
		else if (strcmp(type, "email-addr") == 0)
			rc = observable(r, &b, o, IOC_EMAIL);
		else if (strcmp(type, "file") == 0)
			rc = observable(r, &b, o, IOC_NONE);
		else if (strcmp(type, "identity") == 0 || strcmp(type, "marking-definition") == 0)
			; /* read above, for the source and the TLP */
		else if (v20 && strcmp(type, "observed-data") == 0)
			intel_left_out(r->c, "STIX 2.0 observed-data (the observables nested in it "
			                     "record what was seen; sigap reads 2.0 indicators)");
		else
			intel_left_out(r->c, "STIX %.40s objects (not an indicator or an observable "
			                     "sigap looks for)", type);
		if (rc != 0)
			break;
	}
	json_decref(markings);
	json_decref(identities);
	return rc;
}
