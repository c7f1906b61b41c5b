/*
 * cve5.c: CVE records in the CVE JSON 5 format (5.0 to 5.2), as the
 * CVE Program's cvelistV5 repository stores them (cves/2024/3xxx/
 * CVE-2024-3094.json) and its API serves them: one record a file.
 *
 * What sigap keeps of a record: the id, state (PUBLISHED or REJECTED),
 * assigner, the reserved, published and updated times, the CNA's title
 * and English description (a rejected record's reason), CWE ids, the
 * reference URLs, the affected vendors and products, and the CVSS base
 * score, vector and severity of each version (4.0, 3.1, 3.0, 2.0). A
 * version's score is the CNA's when its container has one, else that of
 * the first ADP container that does: CISA's "vulnrichment" ADP scores
 * many records whose CNA gave none. CWEs likewise: the CNA's, else the
 * ADPs'.
 *
 * A directory is walked for files named CVE-*.json, each directory's
 * names in order (the walk is the same every time, so the SHA-256 of a
 * tree says whether it changed), one file read and freed at a time: the
 * cvelistV5 tree is about 250,000 files and 2 GB. Names beginning with a
 * dot (.git) and other files (delta.json, recent_activities.json) are
 * passed over. O(bytes) for the tree; memory of the largest record.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/civil.h"
#include "base/fsutil.h"
#include "base/hash.h"
#include "vintel_int.h"

/* A record file larger than this is refused (the largest in cvelistV5
 * are about 2 MB, Linux kernel records with hundreds of versions). */
enum { CVE_FILE_MAX = 16 * 1024 * 1024, TREE_DEPTH_MAX = 8 };

static const char *const cvss_keys[CVSS_N] = {"cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0"};
static const char *const cvss_names[CVSS_N] = {"4.0", "3.1", "3.0", "2.0"};

const char *cvss_version_name(int v)
{
	return v >= 0 && v < CVSS_N ? cvss_names[v] : "?";
}

static int64_t when(const json_t *o, const char *key)
{
	static const civil_zone utc = {"UTC", "UTC", 0}; /* the format writes UTC */
	const char *s = vi_str(o, key);
	int64_t t;
	return s && civil_parse(s, &utc, &t) == 0 ? t : 0;
}

/* The English text of an array of {lang, value}: "en" first, then any
 * "en-…", else the first. */
static const char *english(const json_t *arr)
{
	const char *any = NULL, *en_x = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *lang = vi_str(v, "lang"), *text = vi_str(v, "value");
		if (text == NULL)
			continue;
		if (lang && strcasecmp(lang, "en") == 0)
			return text;
		if (lang && strncasecmp(lang, "en", 2) == 0 && en_x == NULL)
			en_x = text;
		if (any == NULL)
			any = text;
	}
	return en_x ? en_x : any;
}

/* Takes the scores of a container's metrics into r where r has none yet.
 * -1 when a score is out of range (the reason in why). */
static int take_metrics(cve5_record *r, const json_t *metrics, const char *source, char *why,
                        size_t nwhy)
{
	size_t i;
	json_t *m;
	json_array_foreach(metrics, i, m) {
		for (int v = 0; v < CVSS_N; v++) {
			json_t *cv = json_object_get(m, cvss_keys[v]);
			if (!json_is_object(cv) || r->cvss[v].present)
				continue;
			json_t *score = json_object_get(cv, "baseScore");
			const char *vector = vi_str(cv, "vectorString");
			if (!json_is_number(score) || json_number_value(score) < 0 ||
			    json_number_value(score) > 10) {
				snprintf(why, nwhy, "%s's CVSS %s baseScore is not a number from 0 to 10",
				         source, cvss_names[v]);
				return -1;
			}
			if (vector == NULL || *vector == '\0') {
				snprintf(why, nwhy, "%s's CVSS %s has no vectorString", source,
				         cvss_names[v]);
				return -1;
			}
			r->cvss[v] = (cve5_cvss){true, json_number_value(score), vector,
			                         vi_str(cv, "baseSeverity"), source};
		}
	}
	return 0;
}

/* The CWE ids of a container's problemTypes, without repeats. */
static void take_cwes(cve5_record *r, const json_t *problem_types, size_t cap)
{
	size_t i, j;
	json_t *pt, *desc;
	json_array_foreach(problem_types, i, pt) {
		json_array_foreach(json_object_get(pt, "descriptions"), j, desc) {
			const char *cwe = vi_str(desc, "cweId");
			if (cwe == NULL || strncmp(cwe, "CWE-", 4) != 0 || r->n_cwes == cap)
				continue;
			bool seen = false;
			for (size_t k = 0; k < r->n_cwes && !seen; k++)
				seen = strcmp(r->cwes[k], cwe) == 0;
			if (!seen)
				r->cwes[r->n_cwes++] = cwe;
		}
	}
}

static size_t problem_count(const json_t *container)
{
	size_t n = 0, i;
	json_t *pt;
	json_array_foreach(json_object_get(container, "problemTypes"), i, pt)
		n += json_array_size(json_object_get(pt, "descriptions"));
	return n;
}

/* Reads one record held in data. 0 handed on, 1 refused (in d), -1 the
 * callback stopped. */
static int one_record(const char *data, size_t n, const char *name, cve5_fn fn, void *ctx,
                      vi_counts *c, diags *d)
{
	c->read++;
	json_error_t je;
	json_t *root = json_loadb(data, n, 0, &je);
	if (root == NULL) {
		c->refused++;
		diags_add(d, name, je.line, je.column, "not valid JSON: %s", je.text);
		return 1;
	}
	cve5_record r = {0};
	char why[200] = "";
	const json_t *meta = json_object_get(root, "cveMetadata");
	const json_t *cna = json_object_get(json_object_get(root, "containers"), "cna");
	const json_t *adp = json_object_get(json_object_get(root, "containers"), "adp");
	const char *version = vi_str(root, "dataVersion");
	const char *id = vi_str(meta, "cveId");
	int rc = 1;
	if (!json_is_object(root))
		snprintf(why, sizeof why, "not a CVE JSON 5 record: not a JSON object");
	else if (!json_is_object(meta) && json_object_get(root, "CVE_data_meta"))
		snprintf(why, sizeof why,
		         "a CVE JSON 4 record: sigap reads CVE JSON 5 (cvelistV5, the CVE API)");
	else if (!json_is_object(meta))
		snprintf(why, sizeof why, "not a CVE JSON 5 record: no cveMetadata");
	else if (version && version[0] != '5')
		snprintf(why, sizeof why, "dataVersion \"%.20s\": sigap reads CVE JSON 5", version);
	else if (id == NULL || !vi_cve_id(id, strlen(id), r.id))
		snprintf(why, sizeof why, "cveMetadata.cveId \"%.40s\" is not a CVE id",
		         id ? id : "");
	else if ((r.state = vi_str(meta, "state")) == NULL ||
	         (strcmp(r.state, "PUBLISHED") != 0 && strcmp(r.state, "REJECTED") != 0))
		snprintf(why, sizeof why, "%s: state \"%.20s\" is neither PUBLISHED nor REJECTED", r.id,
		         r.state ? r.state : "");
	else if (!json_is_object(cna))
		snprintf(why, sizeof why, "%s: no containers.cna", r.id);
	if (why[0])
		goto done;
	r.assigner = vi_str(meta, "assignerShortName");
	r.reserved = when(meta, "dateReserved");
	r.published = when(meta, "datePublished");
	r.updated = when(meta, "dateUpdated");
	r.title = vi_str(cna, "title");
	bool rejected = strcmp(r.state, "REJECTED") == 0;
	r.description = english(json_object_get(cna, rejected ? "rejectedReasons" : "descriptions"));

	size_t cwe_cap = problem_count(cna);
	size_t i;
	json_t *a;
	json_array_foreach(adp, i, a)
		cwe_cap += problem_count(a);
	json_t *refs = json_object_get(cna, "references");
	json_t *affected = json_object_get(cna, "affected");
	r.cwes = malloc((cwe_cap + 1) * sizeof *r.cwes);
	r.refs = malloc((json_array_size(refs) + 1) * sizeof *r.refs);
	r.affected = malloc((json_array_size(affected) + 1) * sizeof *r.affected);
	if (r.cwes == NULL || r.refs == NULL || r.affected == NULL)
		abort();
	take_cwes(&r, json_object_get(cna, "problemTypes"), cwe_cap);
	json_array_foreach(adp, i, a)
		if (r.n_cwes == 0)
			take_cwes(&r, json_object_get(a, "problemTypes"), cwe_cap);
	json_t *v;
	json_array_foreach(refs, i, v)
		if (vi_str(v, "url"))
			r.refs[r.n_refs++] = vi_str(v, "url");
	json_array_foreach(affected, i, v) {
		const char *vendor = vi_str(v, "vendor"), *product = vi_str(v, "product");
		if (vendor || product)
			r.affected[r.n_affected++] = (cve5_product){vendor, product};
	}
	if (take_metrics(&r, json_object_get(cna, "metrics"), "cna", why, sizeof why) != 0)
		goto done;
	json_array_foreach(adp, i, a) {
		const char *who = vi_str(json_object_get(a, "providerMetadata"), "shortName");
		if (take_metrics(&r, json_object_get(a, "metrics"), who ? who : "adp", why,
		                 sizeof why) != 0)
			goto done;
	}
	c->passed++;
	rc = fn(ctx, &r) != 0 ? -1 : 0;
done:
	if (why[0]) {
		c->refused++;
		diags_add(d, name, 0, 0, "%s", why);
	}
	free(r.cwes);
	free(r.refs);
	free(r.affected);
	json_decref(root);
	return rc;
}

int cve5_read_buffer(const char *data, size_t n, const char *name, cve5_fn fn, void *ctx,
                     vi_counts *c, diags *d)
{
	c->files++;
	int rc = one_record(data, n, name, fn, ctx, c, d);
	return rc == 0 ? 0 : -1;
}

/* ---- a tree ---- */

typedef struct walk {
	cve5_fn fn;
	void *ctx;
	vi_progress_fn progress;
	void *pctx;
	vi_counts *c;
	diags *d;
	sha256_ctx *sha;
	size_t root_len;
	uint64_t total, done;
	bool counting, stopped;
} walk;

static int no_dots(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static bool record_name(const char *name)
{
	return fnmatch("CVE-*.json", name, 0) == 0;
}

static void tree(walk *w, const char *dir, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, no_dots, alphasort);
	if (n < 0) {
		if (!w->counting)
			diags_add(w->d, dir, 0, 0, "cannot read the directory: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		struct stat st;
		if (w->stopped || len >= (int)sizeof path || stat(path, &st) != 0) {
			free(names[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode) && depth < TREE_DEPTH_MAX) {
			tree(w, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && record_name(names[i]->d_name)) {
			if (w->counting) {
				w->total++;
			} else {
				char why[256];
				size_t size;
				char *data = fs_read_file(path, CVE_FILE_MAX, &size, why, sizeof why);
				if (data == NULL) {
					w->c->read++;
					w->c->refused++;
					diags_add(w->d, path, 0, 0, "%s", why);
				} else {
					w->c->files++;
					if (w->sha) {
						sha256_update(w->sha, path + w->root_len,
						              strlen(path + w->root_len) + 1);
						sha256_update(w->sha, data, size);
					}
					if (one_record(data, size, path, w->fn, w->ctx, w->c, w->d) < 0)
						w->stopped = true;
					free(data);
				}
				w->done++;
				if (w->progress)
					w->progress(w->pctx, w->done, w->total);
			}
		}
		free(names[i]);
	}
	free(names);
}

int cve5_read(const char *path, cve5_fn fn, void *ctx, vi_progress_fn progress, void *pctx,
              vi_counts *c, char sha256[65], diags *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diags_add(d, path, 0, 0, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		char why[256];
		size_t n;
		char *data = fs_read_file(path, CVE_FILE_MAX, &n, why, sizeof why);
		if (data == NULL) {
			diags_add(d, path, 0, 0, "%s", why);
			return -1;
		}
		if (sha256)
			sha256_hex(data, n, sha256);
		int rc = cve5_read_buffer(data, n, path, fn, ctx, c, d);
		free(data);
		return rc;
	}
	walk w = {fn, ctx, progress, pctx, c, d, sha256 ? sha256_new() : NULL, strlen(path), 0, 0,
	          false, false};
	if (progress) {
		w.counting = true;
		tree(&w, path, 0);
		w.counting = false;
		progress(pctx, 0, w.total);
	}
	tree(&w, path, 0);
	if (w.sha)
		sha256_final_hex(w.sha, sha256);
	if (w.stopped)
		return -1;
	if (c->files == 0 && c->read == 0) {
		diags_add(d, path, 0, 0, "no CVE-*.json record file in this directory or below it");
		return -1;
	}
	return 0;
}
