/*
 * kev.c: CISA's catalog of Known Exploited Vulnerabilities, as CISA
 * publishes it: known_exploited_vulnerabilities.json (an object with
 * catalogVersion, dateReleased, count and "vulnerabilities") and
 * known_exploited_vulnerabilities.csv (a header row naming the same
 * fields: cveID, vendorProject, product, vulnerabilityName, dateAdded,
 * shortDescription, requiredAction, dueDate, knownRansomwareCampaignUse,
 * notes, cwes; in any order).
 *
 * An entry is refused when its CVE id is none, a date is not a real
 * YYYY-MM-DD, its due date is before its date added (but on the
 * catalog's first day, 2021-11-03, as CISA's own are), its date added is
 * more than a day after now (the caller's clock), or its ransomware use is neither Known nor Unknown (an
 * empty one is Unknown). The JSON is read whole (the whole catalog is
 * about 1.5 MB, 1,400 entries); the CSV a record at a time. O(bytes).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/civil.h"
#include "base/fsutil.h"
#include "vintel_int.h"

enum { CWES_MAX = 512 };

/* "CWE-79, CWE-116" or a JSON array of them into "CWE-79,CWE-116". */
static void cwes_join(char *out, const char *csv_text, const json_t *arr)
{
	size_t k = 0;
	out[0] = '\0';
	if (arr) {
		size_t i;
		json_t *v;
		json_array_foreach(arr, i, v) {
			const char *s = json_string_value(v);
			if (s == NULL || *s == '\0')
				continue;
			int w = snprintf(out + k, CWES_MAX - k, "%s%s", k ? "," : "", s);
			if (w < 0 || (size_t)w >= CWES_MAX - k) {
				out[k] = '\0';
				return;
			}
			k += (size_t)w;
		}
		return;
	}
	for (const char *p = csv_text; p && *p && k + 1 < CWES_MAX; p++)
		if (*p != ' ' && *p != '\t')
			out[k++] = *p;
	out[k] = '\0';
}

/* Checks and hands on one entry; place is for diagnostics. */
static int emit(const char *name, int line, const char *where, kev_entry *e, const char *id,
                int64_t now, kev_fn fn, void *ctx, vi_counts *c, diags *d)
{
	char shown[72];
	c->read++;
	if (id == NULL || !vi_cve_id(id, strlen(id), e->cve)) {
		c->refused++;
		diags_add(d, name, line, 0, "%s: cveID \"%s\" is not a CVE id", where,
		          vi_shown(id ? id : "", shown));
		return 0;
	}
	if (!vi_date_ok(e->date_added) || !vi_date_ok(e->due_date)) {
		c->refused++;
		const char *bad = vi_date_ok(e->date_added) ? e->due_date : e->date_added;
		diags_add(d, name, line, 0, "%s: %s %s \"%s\" is not a date YYYY-MM-DD", where,
		          e->cve, vi_date_ok(e->date_added) ? "dueDate" : "dateAdded",
		          vi_shown(bad ? bad : "", shown));
		return 0;
	}
	/* YYYY-MM-DD compare as text. The catalog's first day (2021-11-03)
	 * took in the earlier emergency directives' CVEs with their own, older
	 * due dates (ProxyLogon's is 2021-04-16): those are CISA's, kept */
	if (strcmp(e->due_date, e->date_added) < 0 && strcmp(e->date_added, "2021-11-03") != 0) {
		c->refused++;
		diags_add(d, name, line, 0, "%s: %s dueDate %s is before its dateAdded %s", where,
		          e->cve, e->due_date, e->date_added);
		return 0;
	}
	if (civil_days_from_date(atoi(e->date_added), atoi(e->date_added + 5),
	                         atoi(e->date_added + 8)) * 86400 > now + 86400) {
		c->refused++;
		diags_add(d, name, line, 0, "%s: %s dateAdded %s is in the future", where, e->cve,
		          e->date_added);
		return 0;
	}
	const char *r = e->ransomware;
	if (r == NULL || *r == '\0' || strcasecmp(r, "unknown") == 0)
		e->ransomware = "Unknown";
	else if (strcasecmp(r, "known") == 0)
		e->ransomware = "Known";
	else {
		c->refused++;
		diags_add(d, name, line, 0,
		          "%s: %s knownRansomwareCampaignUse \"%s\" is neither Known nor Unknown",
		          where, e->cve, vi_shown(r, shown));
		return 0;
	}
	static const char empty[] = "";
	const char **texts[] = {&e->vendor, &e->product, &e->name, &e->description,
	                        &e->required_action, &e->notes};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (*texts[i] == NULL)
			*texts[i] = empty;
	c->passed++;
	return fn(ctx, e) != 0 ? -1 : 0;
}

static int read_json(const char *data, size_t n, const char *name, int64_t now, kev_fn fn,
                     void *ctx,
                     kev_catalog *cat, vi_counts *c, diags *d)
{
	json_error_t je;
	json_t *root = json_loadb(data, n, 0, &je);
	if (root == NULL) {
		diags_add(d, name, je.line, je.column, "not valid JSON: %s", je.text);
		return -1;
	}
	json_t *vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vulns)) {
		diags_add(d, name, 0, 0,
		          "not a KEV catalog: no \"vulnerabilities\" array (CISA's "
		          "known_exploited_vulnerabilities.json has one)");
		json_decref(root);
		return -1;
	}
	snprintf(cat->version, sizeof cat->version, "%s",
	         vi_str(root, "catalogVersion") ? vi_str(root, "catalogVersion") : "");
	snprintf(cat->released, sizeof cat->released, "%s",
	         vi_str(root, "dateReleased") ? vi_str(root, "dateReleased") : "");
	int rc = 0;
	size_t i;
	json_t *v;
	json_array_foreach(vulns, i, v) {
		char where[48], cwes[CWES_MAX];
		snprintf(where, sizeof where, "vulnerabilities[%zu]", i);
		if (!json_is_object(v)) {
			c->read++;
			c->refused++;
			diags_add(d, name, 0, 0, "%s: not an object", where);
			continue;
		}
		json_t *cw = json_object_get(v, "cwes");
		cwes_join(cwes, NULL, json_is_array(cw) ? cw : NULL);
		kev_entry e = {.vendor = vi_str(v, "vendorProject"),
		               .product = vi_str(v, "product"),
		               .name = vi_str(v, "vulnerabilityName"),
		               .date_added = vi_str(v, "dateAdded"),
		               .due_date = vi_str(v, "dueDate"),
		               .ransomware = vi_str(v, "knownRansomwareCampaignUse"),
		               .description = vi_str(v, "shortDescription"),
		               .required_action = vi_str(v, "requiredAction"),
		               .notes = vi_str(v, "notes"),
		               .cwes = cwes};
		if (emit(name, 0, where, &e, vi_str(v, "cveID"), now, fn, ctx, c, d) != 0) {
			rc = -1;
			break;
		}
	}
	json_decref(root);
	return rc;
}

enum kcol { K_CVE, K_VENDOR, K_PRODUCT, K_NAME, K_ADDED, K_DESC, K_ACTION, K_DUE, K_RANSOM,
	    K_NOTES, K_CWES, K_N };
static const char *const kcol_names[K_N] = {
    "cveID", "vendorProject", "product", "vulnerabilityName", "dateAdded", "shortDescription",
    "requiredAction", "dueDate", "knownRansomwareCampaignUse", "notes", "cwes"};
/* The columns a CSV must have; the others may be missing. */
static const bool kcol_needed[K_N] = {true, true, true, true, true, false,
                                      false, true, false, false, false};

static int read_csv(vi_src *s, int64_t now, kev_fn fn, void *ctx, vi_counts *c, diags *d)
{
	vi_csv rec = {0};
	int col[K_N];
	int rc = vi_csv_next(&rec, s);
	if (rc <= 0) {
		if (rc == 0)
			diags_add(d, s->name, 0, 0, "an empty file");
		vi_csv_free(&rec);
		return -1;
	}
	for (int k = 0; k < K_N; k++) {
		col[k] = -1;
		for (int i = 0; i < rec.n; i++) {
			const char *h = vi_trim(rec.f[i]);
			if (rec.line == 1 && i == 0 && strncmp(h, "\xef\xbb\xbf", 3) == 0)
				h += 3;
			if (strcasecmp(h, kcol_names[k]) == 0)
				col[k] = i;
		}
	}
	char missing[256] = "";
	for (int k = 0; k < K_N; k++)
		if (kcol_needed[k] && col[k] < 0)
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
			         missing[0] ? ", " : "", kcol_names[k]);
	if (missing[0]) {
		diags_add(d, s->name, rec.line, 0,
		          "not a KEV CSV: the header row has no %s (CISA's "
		          "known_exploited_vulnerabilities.csv names cveID, vendorProject, product, "
		          "vulnerabilityName, dateAdded, dueDate…)",
		          missing);
		vi_csv_free(&rec);
		return -1;
	}
	while ((rc = vi_csv_next(&rec, s)) == 1) {
		const char *v[K_N];
		for (int k = 0; k < K_N; k++)
			v[k] = col[k] >= 0 && col[k] < rec.n ? rec.f[col[k]] : NULL;
		/* the fields read as values, not as text */
		static const int exact[] = {K_CVE, K_ADDED, K_DUE, K_RANSOM};
		for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
			if (v[exact[i]])
				v[exact[i]] = vi_trim(rec.f[col[exact[i]]]);
		char cwes[CWES_MAX];
		cwes_join(cwes, v[K_CWES], NULL);
		kev_entry e = {.vendor = v[K_VENDOR], .product = v[K_PRODUCT], .name = v[K_NAME],
		               .date_added = v[K_ADDED], .due_date = v[K_DUE],
		               .ransomware = v[K_RANSOM], .description = v[K_DESC],
		               .required_action = v[K_ACTION], .notes = v[K_NOTES], .cwes = cwes,
		               .line = rec.line};
		if (emit(s->name, rec.line, "row", &e, v[K_CVE], now, fn, ctx, c, d) != 0) {
			vi_csv_free(&rec);
			return -1;
		}
	}
	vi_csv_free(&rec);
	return rc < 0 ? -1 : 0;
}

static bool looks_json(const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return data[i] == '{' || data[i] == '[';
	return false;
}

int kev_read_buffer(const char *data, size_t n, const char *name, int64_t now, kev_fn fn,
                    void *ctx,
                    kev_catalog *cat, vi_counts *c, diags *d)
{
	memset(cat, 0, sizeof *cat);
	c->files++;
	if (looks_json(data, n))
		return read_json(data, n, name, now, fn, ctx, cat, c, d);
	cat->csv = true;
	vi_src s;
	if (vi_src_buffer(&s, data, n, name, NULL, d) != 0)
		return -1;
	int rc = read_csv(&s, now, fn, ctx, c, d);
	vi_src_close(&s);
	return rc;
}

int kev_read(const char *path, int64_t now, kev_fn fn, void *ctx, kev_catalog *cat, vi_counts *c, diags *d)
{
	memset(cat, 0, sizeof *cat);
	vi_src s;
	if (vi_src_file(&s, path, NULL, d) != 0)
		return -1;
	char *line;
	ssize_t n;
	/* the first line that is not blank tells JSON from CSV */
	while ((n = vi_src_next(&s, &line)) == 0 ||
	       (n > 0 && strspn(line, " \t\r") == (size_t)n))
		;
	bool json = n > 0 && (line[strspn(line, " \t")] == '{' || line[strspn(line, " \t")] == '[');
	vi_src_close(&s);
	if (json) {
		char why[256];
		size_t len;
		char *data = fs_read_file(path, VI_FILE_MAX, &len, why, sizeof why);
		if (data == NULL) {
			diags_add(d, path, 0, 0, "%s", why);
			return -1;
		}
		c->files++;
		int rc = read_json(data, len, path, now, fn, ctx, cat, c, d);
		free(data);
		return rc;
	}
	if (vi_src_file(&s, path, NULL, d) != 0)
		return -1;
	cat->csv = true;
	c->files++;
	int rc = read_csv(&s, now, fn, ctx, c, d);
	vi_src_close(&s);
	return rc;
}
