/*
 * misp.c: MISP feeds: manifest.json, and event files ({"Event": …}, an
 * API answer {"response": [{"Event": …}]}, or the event object alone, as
 * PyMISP's to_json writes a single event).
 *
 * The attributes of an event and of its objects are read; those marked
 * for detection (to_ids) with a type sigap keeps become indicators. A
 * composite type such as "domain|ip" or "filename|sha256" gives one
 * indicator a part sigap keeps. The event's organisation is the source,
 * its tags give the TLP (an attribute's own tags win), its info the
 * description when the attribute has no comment.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fsutil.h"
#include "intel_int.h"

/* MISP attribute types sigap keeps, by what they hold. */
static ioc_type misp_type(const char *t, size_t n)
{
	static const struct {
		const char *name;
		ioc_type type;
	} types[] = {{"ip-src", IOC_IPV4}, {"ip-dst", IOC_IPV4},   {"domain", IOC_DOMAIN},
	             {"hostname", IOC_DOMAIN}, {"url", IOC_URL},    {"link", IOC_URL},
	             {"email", IOC_EMAIL},  {"email-src", IOC_EMAIL}, {"email-dst", IOC_EMAIL},
	             {"md5", IOC_MD5},      {"sha1", IOC_SHA1},     {"sha256", IOC_SHA256},
	             {"ip", IOC_IPV4}}; /* the part of "domain|ip" */
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strlen(types[i].name) == n && strncasecmp(types[i].name, t, n) == 0)
			return types[i].type;
	return IOC_NONE;
}

/* The TLP label among tags ([{"name": "tlp:amber"}, …]); NULL if none. */
static const char *tags_tlp(const json_t *tags)
{
	size_t i;
	const json_t *t;
	json_array_foreach(tags, i, t) {
		const char *l = intel_tlp(json_string_value(json_object_get(t, "name")));
		if (l)
			return l;
	}
	return NULL;
}

static bool truthy(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	const char *s = json_string_value(v);
	return s && (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0);
}

typedef struct event_meta {
	const char *source, *tlp, *info;
	int64_t date;
} event_meta;

static int attribute(intel_reader *r, const json_t *a, const event_meta *em)
{
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *value = json_string_value(json_object_get(a, "value"));
	if (type == NULL || value == NULL) {
		r->c->invalid++;
		diags_add(r->d, r->name, 0, 0, "an attribute without type or value");
		return 0;
	}
	if (!truthy(json_object_get(a, "to_ids"))) {
		intel_left_out(r->c, "MISP attributes not for detection (to_ids false)");
		return 0;
	}
	const char *comment = json_string_value(json_object_get(a, "comment"));
	ioc meta = {.source = em->source, .confidence = -1,
	            .description = comment && *comment ? comment : em->info};
	meta.tlp = tags_tlp(json_object_get(a, "Tag"));
	if (meta.tlp == NULL)
		meta.tlp = em->tlp;
	meta.first_seen = intel_time(json_object_get(a, "first_seen"));
	if (meta.first_seen == 0)
		meta.first_seen = em->date;
	meta.last_seen = intel_time(json_object_get(a, "last_seen"));
	if (meta.last_seen == 0)
		meta.last_seen = intel_time(json_object_get(a, "timestamp"));
	/* "domain|ip" with "evil.id|192.0.2.7": each part on its own */
	bool kept_any = false;
	const char *tp = type, *vp = value;
	for (;;) {
		const char *tbar = strchr(tp, '|'), *vbar = strchr(vp, '|');
		size_t tn = tbar ? (size_t)(tbar - tp) : strlen(tp);
		size_t vn = vbar ? (size_t)(vbar - vp) : strlen(vp);
		ioc_type want = misp_type(tp, tn);
		if (want != IOC_NONE) {
			kept_any = true;
			if (intel_emit(r, want, vp, vn, &meta, 0) != 0)
				return -1;
		}
		if (tbar == NULL || vbar == NULL)
			break;
		tp = tbar + 1;
		vp = vbar + 1;
	}
	if (!kept_any) /* a type sigap does not look for: filename, mutex, … */
		intel_left_out(r->c, "MISP attributes of type %.40s (a kind sigap does not look for)",
		               type);
	return 0;
}

static int attributes(intel_reader *r, const json_t *list, const event_meta *em)
{
	size_t i;
	const json_t *a;
	json_array_foreach(list, i, a)
		if (attribute(r, a, em) != 0)
			return -1;
	return 0;
}

static int one_event(intel_reader *r, const json_t *ev)
{
	if (!json_is_object(ev)) {
		diags_add(r->d, r->name, 0, 0, "\"Event\" is not an object");
		return -1;
	}
	event_meta em = {0};
	em.source = json_string_value(json_object_get(json_object_get(ev, "Orgc"), "name"));
	em.tlp = tags_tlp(json_object_get(ev, "Tag"));
	em.info = json_string_value(json_object_get(ev, "info"));
	em.date = intel_time(json_object_get(ev, "date"));
	if (attributes(r, json_object_get(ev, "Attribute"), &em) != 0)
		return -1;
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(ev, "Object"), i, o)
		if (attributes(r, json_object_get(o, "Attribute"), &em) != 0)
			return -1;
	return 0;
}

int intel_misp_event(intel_reader *r, const json_t *root)
{
	const json_t *ev = json_object_get(root, "Event");
	if (ev)
		return one_event(r, ev);
	const json_t *resp = json_object_get(root, "response");
	if (!json_is_array(resp)) {
		if (json_is_object(root) && (json_object_get(root, "Attribute") ||
		                             json_object_get(root, "Object")))
			return one_event(r, root); /* the event without its wrapper */
		diags_add(r->d, r->name, 0, 0,
		          "not a MISP event: no \"Event\" object, and no \"Attribute\" or "
		          "\"Object\" list of an event without its wrapper");
		return -1;
	}
	size_t i;
	const json_t *item;
	json_array_foreach(resp, i, item)
		if (one_event(r, json_object_get(item, "Event")) != 0)
			return -1;
	return 0;
}

/* Event files are named by their UUID; anything else in a manifest is
 * refused so that no key can name a file outside the feed. */
static bool uuid_like(const char *k)
{
	size_t n = strlen(k);
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isxdigit((unsigned char)k[i]) || (k[i] == '-' && (i == 8 || i == 13 ||
		                                                          i == 18 || i == 23))))
			return false;
	return true;
}

int intel_misp_manifest(intel_reader *r, const json_t *manifest, const char *dir)
{
	const char *key;
	const json_t *v;
	int files = 0;
	json_object_foreach((json_t *)manifest, key, v) {
		if (!uuid_like(key)) {
			r->c->invalid++;
			diags_add(r->d, r->name, 0, 0, "\"%.60s\" is not an event UUID; left out", key);
			continue;
		}
		char path[4200], why[256];
		snprintf(path, sizeof path, "%s/%s.json", dir, key);
		size_t n;
		char *data = fs_read_file(path, 1024 * 1024 * 1024, &n, why, sizeof why);
		if (data == NULL) {
			r->c->invalid++;
			diags_add(r->d, path, 0, 0, "%s", why);
			continue;
		}
		json_error_t je;
		json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
		free(data);
		if (root == NULL) {
			r->c->invalid++;
			diags_add(r->d, path, je.line, je.column, "not valid JSON: %s", je.text);
			continue;
		}
		intel_reader er = *r;
		er.name = path;
		int rc = intel_misp_event(&er, root);
		json_decref(root);
		if (er.stopped) {
			r->stopped = true;
			return -1;
		}
		if (rc != 0)
			r->c->invalid++;
		files++;
	}
	if (files == 0 && json_object_size(manifest) > 0) {
		diags_add(r->d, r->name, 0, 0, "no event of the manifest could be read");
		return -1;
	}
	return 0;
}
