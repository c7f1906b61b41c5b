/*
 * intel.c: the entry points of feed reading: the format told from the
 * file, the defaults applied, TLP spellings, feed time stamps, and the
 * reasons what was left out is counted under.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/civil.h"
#include "base/fsutil.h"
#include "intel_int.h"

/* A feed file larger than this is refused (a MISP event of 100,000
 * attributes is about 60 MB). */
enum { INTEL_FILE_MAX = 1024 * 1024 * 1024 };

static const char *const format_names[] = {"auto", "misp", "stix", "csv", "plain"};

int intel_format_parse(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (strcasecmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

const char *intel_format_name(intel_format f)
{
	return f <= INTEL_PLAIN ? format_names[f] : "?";
}

const char *intel_tlp(const char *s)
{
	static const struct {
		const char *name, *label;
	} tlps[] = {{"clear", "TLP:CLEAR"}, {"white", "TLP:CLEAR"}, {"green", "TLP:GREEN"},
	            {"amber+strict", "TLP:AMBER+STRICT"}, {"amber", "TLP:AMBER"},
	            {"red", "TLP:RED"}};
	if (s == NULL)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "tlp", 3) == 0) {
		s += 3;
		while (*s == ':' || *s == ' ' || *s == '-' || *s == '_')
			s++;
	}
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < sizeof tlps / sizeof tlps[0]; i++)
		if (strlen(tlps[i].name) == n && strncasecmp(s, tlps[i].name, n) == 0)
			return tlps[i].label;
	return NULL;
}

int64_t intel_time(const json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? json_integer_value(v) : 0;
	const char *s = json_string_value(v);
	if (s == NULL || *s == '\0')
		return 0;
	if (isdigit((unsigned char)s[0]) && strchr(s, '-') == NULL) {
		char *end;
		errno = 0;
		long long t = strtoll(s, &end, 10);
		return *end == '\0' && errno == 0 && t > 0 ? t : 0;
	}
	static const civil_zone utc = {"UTC", "UTC", 0}; /* feeds write UTC */
	int64_t t;
	return civil_parse(s, &utc, &t) == 0 ? t : 0;
}

void intel_left_out(intel_counts *c, const char *fmt, ...)
{
	char what[INTEL_WHY_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	c->skipped++;
	for (size_t i = 0; i < c->n_why; i++)
		if (strcmp(c->why[i].what, what) == 0) {
			c->why[i].n++;
			return;
		}
	if (c->n_why == INTEL_WHY_MAX) {
		c->why_other++;
		return;
	}
	memcpy(c->why[c->n_why].what, what, sizeof what);
	c->why[c->n_why++].n = 1;
}

void intel_left_out_text(const intel_counts *c, char *out, size_t n)
{
	size_t k = 0;
	if (n == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i <= c->n_why && k < n; i++) {
		const char *what = i < c->n_why ? c->why[i].what : "other reasons";
		uint64_t count = i < c->n_why ? c->why[i].n : c->why_other;
		if (count == 0)
			continue;
		int w = snprintf(out + k, n - k, "%s%s: %llu", k ? "; " : "", what,
		                 (unsigned long long)count);
		if (w < 0)
			break;
		k += (size_t)w;
	}
}

int intel_emit(intel_reader *r, ioc_type want, const char *v, size_t n, const ioc *meta, int line)
{
	char norm[IOC_VALUE_MAX + 1];
	size_t nn;
	r->c->read++;
	ioc_type t = ioc_normalise(v, n, want, norm, &nn);
	if (t == IOC_NONE) {
		char shown[81];
		size_t k = n < 80 ? n : 80;
		for (size_t i = 0; i < k; i++)
			shown[i] = (unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f ? '?' : v[i];
		shown[k] = '\0';
		r->c->invalid++;
		diags_add(r->d, r->name, line, 0, "not a valid %s: \"%s%s\"",
		          want == IOC_NONE ? "indicator" : ioc_type_name(want), shown,
		          n > 80 ? "…" : "");
		return 0;
	}
	ioc rec = *meta;
	rec.type = t;
	rec.value = norm;
	if (r->def->source)
		rec.source = r->def->source;
	else if (rec.source == NULL || *rec.source == '\0')
		rec.source = r->base;
	if (rec.tlp == NULL)
		rec.tlp = r->def->tlp;
	if (rec.confidence < 0)
		rec.confidence = r->def->confidence;
	if (rec.expires == 0 && r->def->expire_after > 0)
		rec.expires = (rec.last_seen ? rec.last_seen : r->def->now) + r->def->expire_after;
	r->c->kept++;
	if (r->fn(r->ctx, &rec) != 0) {
		r->stopped = true;
		return -1;
	}
	return 0;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

int intel_read_buffer(const char *data, size_t n, const char *name, intel_format fmt,
                      const intel_defaults *def, intel_fn fn, void *ctx, intel_counts *c,
                      diags *d)
{
	const char *slash = strrchr(name, '/');
	intel_reader r = {.name = name, .base = slash ? slash + 1 : name, .def = def, .fn = fn,
	                  .ctx = ctx, .c = c, .d = d};
	const char *first = skip_space(data, data + n);
	bool json = first < data + n && (*first == '{' || *first == '[');
	if (fmt == INTEL_AUTO && !json)
		fmt = INTEL_PLAIN; /* intel_lines tells CSV by its header */
	if (fmt == INTEL_CSV || fmt == INTEL_PLAIN) {
		c->format = fmt;
		return intel_lines(&r, data, n, fmt);
	}
	if (def->column || def->type != IOC_NONE) {
		diags_add(d, name, 0, 0,
		          "a JSON document: a value column and a value type are given to CSV and "
		          "plain lists only");
		return -1;
	}
	json_error_t je;
	json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		diags_add(d, name, je.line, je.column, "not valid JSON: %s", je.text);
		return -1;
	}
	int rc;
	bool stix = json_object_get(root, "objects") != NULL ||
	            (json_is_string(json_object_get(root, "type")) &&
	             strcmp(json_string_value(json_object_get(root, "type")), "bundle") == 0);
	/* an event without its {"Event": …} wrapper, as PyMISP writes one */
	bool bare_event = json_is_string(json_object_get(root, "info")) &&
	                  (json_is_array(json_object_get(root, "Attribute")) ||
	                   json_is_array(json_object_get(root, "Object")));
	bool misp = json_object_get(root, "Event") != NULL || json_object_get(root, "response") ||
	            bare_event;
	if (fmt == INTEL_STIX || (fmt == INTEL_AUTO && stix)) {
		c->format = INTEL_STIX;
		rc = intel_stix_bundle(&r, root);
	} else if (fmt == INTEL_MISP || (fmt == INTEL_AUTO && misp)) {
		c->format = INTEL_MISP;
		rc = intel_misp_event(&r, root);
	} else {
		diags_add(d, name, 0, 0,
		          "a JSON document sigap does not know as a feed (a STIX bundle has "
		          "\"objects\", a MISP event \"Event\", or \"info\" and \"Attribute\" "
		          "without its wrapper; a MISP manifest is read from its directory)");
		rc = -1;
	}
	json_decref(root);
	return rc;
}

/* A MISP feed: the manifest and the event files named in it. */
static int read_feed(const char *dir, const char *manifest, const intel_defaults *def,
                     intel_fn fn, void *ctx, intel_counts *c, diags *d)
{
	if (def->column || def->type != IOC_NONE) {
		diags_add(d, manifest, 0, 0,
		          "a MISP feed: a value column and a value type are given to CSV and plain "
		          "lists only");
		return -1;
	}
	char why[256];
	size_t n;
	char *data = fs_read_file(manifest, INTEL_FILE_MAX, &n, why, sizeof why);
	if (data == NULL) {
		diags_add(d, manifest, 0, 0, "%s", why);
		return -1;
	}
	json_error_t je;
	json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	free(data);
	if (!json_is_object(root)) {
		diags_add(d, manifest, je.line, je.column, "not a MISP manifest: %s",
		          root ? "not an object" : je.text);
		json_decref(root);
		return -1;
	}
	const char *slash = strrchr(dir, '/');
	intel_reader r = {.name = manifest, .base = slash && slash[1] ? slash + 1 : dir,
	                  .def = def, .fn = fn, .ctx = ctx, .c = c, .d = d};
	c->format = INTEL_MISP;
	int rc = intel_misp_manifest(&r, root, dir);
	json_decref(root);
	return rc;
}

/* A CSV or plain list read a line at a time, so that a feed of millions
 * of lines is never held whole; 1 when the file is JSON (read it whole),
 * else what intel_lines gives. */
static int read_list(const char *path, intel_format fmt, const intel_defaults *def, intel_fn fn,
                     void *ctx, intel_counts *c, diags *d)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	int ch;
	while ((ch = getc(f)) != EOF && isspace(ch))
		;
	if (fmt == INTEL_AUTO && (ch == '{' || ch == '[')) {
		fclose(f);
		return 1;
	}
	rewind(f);
	const char *slash = strrchr(path, '/');
	intel_reader r = {.name = path, .base = slash ? slash + 1 : path, .def = def, .fn = fn,
	                  .ctx = ctx, .c = c, .d = d};
	c->format = fmt == INTEL_AUTO ? INTEL_PLAIN : fmt; /* intel_lines tells CSV by its header */
	int rc = intel_lines_file(&r, f, c->format);
	fclose(f);
	return rc;
}

int intel_read(const char *path, intel_format fmt, const intel_defaults *def, intel_fn fn,
               void *ctx, intel_counts *c, diags *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diags_add(d, path, 0, 0, "%s", strerror(errno));
		return -1;
	}
	char manifest[4096];
	if (S_ISDIR(st.st_mode)) {
		snprintf(manifest, sizeof manifest, "%s/manifest.json", path);
		if (access(manifest, R_OK) != 0) {
			diags_add(d, path, 0, 0,
			          "a directory without manifest.json (a MISP feed has one)");
			return -1;
		}
		return read_feed(path, manifest, def, fn, ctx, c, d);
	}
	const char *slash = strrchr(path, '/');
	if (strcmp(slash ? slash + 1 : path, "manifest.json") == 0 &&
	    (fmt == INTEL_AUTO || fmt == INTEL_MISP)) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1,
		         slash ? path : ".");
		return read_feed(dir, path, def, fn, ctx, c, d);
	}
	if (fmt != INTEL_MISP && fmt != INTEL_STIX) {
		int rc = read_list(path, fmt, def, fn, ctx, c, d);
		if (rc != 1)
			return rc;
	}
	char why[256];
	size_t n;
	char *data = fs_read_file(path, INTEL_FILE_MAX, &n, why, sizeof why);
	if (data == NULL) {
		diags_add(d, path, 0, 0, "%s", why);
		return -1;
	}
	int rc = intel_read_buffer(data, n, path, fmt, def, fn, ctx, c, d);
	free(data);
	return rc;
}
