/*
 * findings_import.c: a scanner report's results into findings, one
 * report one transaction (findings.h; docs/findings.md).
 *
 * The parsers of src/vuln/ stream a report's results to a callback
 * (vuln/scan.h); this is that callback's other side. begin opens the
 * write transaction and places the report file in the evidence store
 * under its SHA-256; each result is resolved to an asset (asset_find on
 * its host, URL and host name; the officer's asset, when one is named,
 * for a target the register gives to no asset, and a target of another
 * asset refuses the import) and upserted on its key (asset, identity,
 * endpoint):
 *
 *   new            a finding in state baru, its due clock started;
 *   seen again     last seen, times seen, the scanner's latest text;
 *   reopened       it was diperbaiki (or its risk acceptance expired)
 *                  and is back: dibuka_kembali, its due clock restarted;
 *   repeated       the report gives the same finding twice: counted once.
 *
 * end, for a full rescan, marks diperbaiki ("no longer present") the open
 * findings of this scanner on the report's targets that the report did
 * not give (on the named asset only, when there is one); targets the
 * report did not cover, ports of a target it says it did not scan
 * (Nmap's scaninfo), and URLs of an origin (scheme, host, port) none of
 * its results or targets was at, are left alone; a patch
 * case whose findings are now all gone records it, and one whose finding
 * came back says so (finding_cases.c). Then the
 * counts, one logbook entry, commit. Any failure rolls it all back: no
 * finding, no history, no import row, no stored file.
 *
 * Cost: a result is one key lookup (an index probe) plus one write and
 * its CVEs; the asset of a target is looked up once an import (a report
 * names each host hundreds of times, and asset_find's range probe reads
 * every range below the address), kept in a map of the report's targets;
 * a new finding is written whole in one INSERT with its due date and its
 * asset's OPD, its CVEs looked up in KEV and EPSS only when the store
 * holds either, and counted in memory: the counts of finding_counts grow
 * once at the end. No statement of a new finding fires a trigger or
 * returns a row, as either makes SQLite copy every page the statement
 * touches to a statement journal first (0019_finding_import.sql,
 * 0021_finding_import_rows.sql). The "no longer present" pass reads the
 * findings of each target that an earlier import saw last
 * (findings_by_host). A result holds no memory after it is stored but
 * its target's entry in the map; the parser runs on a thread of its own
 * (findings_pipe.c), so the import takes about as long as its store
 * (bench/vuln.sh measures it: docs/performance.md).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "findings.h"

struct vuln_import {
	app *a;
	char *actor;
	evidence_file file;
	/* while the report is still being read (evidence_tee): the key of the
	 * provisional evidence row the import's row names until
	 * vuln_import_keep gives the file's SHA-256; "" once it has */
	char pending[48];
	int64_t id;
	int64_t asset_id;
	vuln_scanner scanner;
	bool partial;
	const vuln_report_info *info;
	int64_t now;
	bool have_intel; /* the store holds a KEV catalog or EPSS scores of 1 % or more */
	bool port_results; /* a result at a port and no URL (a network template's) */
	bool host_results; /* a result at neither (the host's own: a DNS template's) */
	json_t *assets;  /* target → asset id, resolved once an import */
	json_t *origins; /* the URL origins of the report's results (a set) */
	json_t *counts;  /* "asset severity" → findings made, added to the counts at the end */
	json_t *texts;   /* a text's digest → its finding_texts id, met in this import */
	const char *digest; /* the stored result's text digest, when the pipe gave it */
	vuln_import_summary sum;
};

/* The scanner's name as stored; "" while an import asked for any. */
static const char *scanner_name(vuln_scanner s)
{
	return s == VULN_AUTO ? "" : vuln_scanner_name(s);
}

/* The connection set for one import and set back after (a server's
 * connection serves other requests next). A report writes some 2 KB a
 * result into the findings and their indexes: a page cache of 64 MiB
 * keeps the indexes' pages from spilling to the WAL again and again
 * before the commit. A statement that SQLite may have to undo alone
 * (an UPDATE of a column with a foreign key, as a finding seen again
 * is) first copies every page it touches to a statement journal: kept
 * in memory instead of a temporary file, it costs a copy, not a write. */
static int store_for_import(db *d, bool on, sg_err *e)
{
	sg_err ignored;
	return db_exec(d,
	               on ? "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY"
	                  : "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT",
	               e ? e : &ignored);
}

/* What an import holds, let go (the store's settings set back). */
static void import_free(vuln_import *im)
{
	store_for_import(im->a->db, false, NULL);
	evidence_file_discard(&im->file);
	json_decref(im->assets);
	json_decref(im->counts);
	json_decref(im->texts);
	json_decref(im->origins);
	free(im->actor);
	free(im);
}

vuln_import *vuln_import_begin(app *a, const vuln_import_req *req, sg_err *e)
{
	vuln_import *im = calloc(1, sizeof *im);
	if (im == NULL || (im->actor = strdup(req->actor ? req->actor : "")) == NULL) {
		free(im);
		if (req->file)
			evidence_file_discard(req->file);
		sg_err_set(e, SG_ENOMEM, "out of memory");
		return NULL;
	}
	im->a = a;
	if (req->file) {
		im->file = *req->file;
		req->file->path[0] = '\0'; /* taken over */
	} else {
		unsigned char r[16];
		randombytes_buf(r, sizeof r);
		char *p = im->pending + sprintf(im->pending, "pending:");
		for (size_t i = 0; i < sizeof r; i++)
			p += sprintf(p, "%02x", r[i]);
	}
	const char *sha = req->file ? im->file.sha256 : im->pending;
	im->asset_id = req->asset_id;
	im->scanner = req->scanner;
	im->partial = req->partial;
	im->info = req->info;
	im->now = app_now(a);
	im->assets = json_object();
	im->counts = json_object();
	im->texts = json_object();
	im->origins = json_object();
	int64_t found = 1, intel = 0;
	if (req->actor == NULL || *req->actor == '\0') {
		sg_err_set(e, SG_EPERM, "an import is made by someone");
		goto fail;
	}
	/* an import changes findings (reopened, no longer present): the
	 * command line's owner, or CSIRT staff */
	if (strncmp(req->actor, "cli:", 4) != 0 &&
	    finding_check_staff_to(a, req->actor, FINDING_ACT_IMPORT, e) != 0)
		goto fail;
	if (req->asset_id &&
	    (db_query_int(a->db, e, &found,
	                  "SELECT COUNT(*) FROM assets WHERE id = ? AND retired_at IS NULL", "i",
	                  req->asset_id) < 0 ||
	     found == 0)) {
		if (found == 0)
			sg_err_set(e, SG_ENOTFOUND, "no asset %lld in service", (long long)req->asset_id);
		goto fail;
	}
	if (im->assets == NULL || im->counts == NULL || im->texts == NULL || im->origins == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory");
		goto fail;
	}
	if (store_for_import(a->db, true, e) != 0)
		goto fail;
	if (db_begin(a->db, e) != 0)
		goto fail;
	if (db_query_int(a->db, e, &intel,
	                 "SELECT EXISTS (SELECT 1 FROM vuln_kev) OR "
	                 "EXISTS (SELECT 1 FROM vuln_epss WHERE epss >= 0.01)",
	                 "") != DB_ROW)
		goto rollback;
	im->have_intel = intel != 0;
	if ((req->file && evidence_place(a, &im->file, e) != 0) ||
	    evidence_row(a, sha, im->file.size, im->now, e) != 0)
		goto rollback;
	int rc = req->asset_id
	             ? db_query_int(a->db, e, &im->id,
	                            "INSERT INTO vuln_imports (sha256, filename, size, scanner, "
	                            "asset_id, imported_by, imported_at, origin) "
	                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                            "ssisisis", sha, req->filename ? req->filename : "",
	                            im->file.size, scanner_name(im->scanner), req->asset_id,
	                            req->actor, im->now, req->origin ? req->origin : "")
	             : db_query_int(a->db, e, &im->id,
	                            "INSERT INTO vuln_imports (sha256, filename, size, scanner, "
	                            "imported_by, imported_at, origin) "
	                            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                            "ssissis", sha, req->filename ? req->filename : "",
	                            im->file.size, scanner_name(im->scanner), req->actor, im->now,
	                            req->origin ? req->origin : "");
	if (rc != DB_ROW)
		goto rollback;
	im->sum.import_id = im->id;
	return im;
rollback:
	db_rollback(a->db);
	evidence_unplace(a, &im->file);
fail:
	import_free(im);
	return NULL;
}

int vuln_import_keep(vuln_import *im, evidence_file *f, sg_err *e)
{
	im->file = *f;
	f->path[0] = '\0'; /* taken over */
	if (evidence_place(im->a, &im->file, e) != 0 ||
	    evidence_row(im->a, im->file.sha256, im->file.size, im->now, e) != 0 ||
	    db_run(im->a->db, e, "UPDATE vuln_imports SET sha256 = ?, size = ? WHERE id = ?", "sii",
	           im->file.sha256, im->file.size, im->id) != 0 ||
	    db_run(im->a->db, e, "DELETE FROM evidence WHERE sha256 = ?", "s", im->pending) != 0)
		return -1;
	im->pending[0] = '\0';
	return 0;
}

void vuln_import_abort(vuln_import *im)
{
	if (im == NULL)
		return;
	db_rollback(im->a->db);
	evidence_unplace(im->a, &im->file);
	import_free(im);
}

/* The host part of a URL ("https://[2001:db8::1]:8443/x" → "2001:db8::1")
 * into out; "" when there is none. */
static void url_host(const char *url, char *out, size_t n)
{
	out[0] = '\0';
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = p + strcspn(p, "/?#");
	const char *cred = memchr(p, '@', (size_t)(at - p));
	if (cred)
		p = cred + 1;
	size_t len;
	if (*p == '[') {
		p++;
		len = strcspn(p, "]");
	} else {
		len = strcspn(p, ":/?#");
	}
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* A host as findings are keyed and targets compared: a URL's host, in
 * lower case (host names are case-blind), without a final dot. */
static void host_norm(const char *s, char *out, size_t n)
{
	if (strstr(s, "://"))
		url_host(s, out, n);
	else
		snprintf(out, n, "%s", s);
	size_t len = strlen(out);
	for (size_t i = 0; i < len; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	if (len > 1 && out[len - 1] == '.')
		out[len - 1] = '\0';
}

/* The identity of a result's vulnerability: the scanner's own id, else
 * its first CVE, else its title. */
static const char *identity_of(const vuln_result *r)
{
	if (r->vuln_id && *r->vuln_id)
		return r->vuln_id;
	if (r->n_cves > 0 && r->cves[0] && *r->cves[0])
		return r->cves[0];
	return r->title;
}

/* A score as SQL text ("9.8"), NULL when the result has none. */
static const char *score_text(double s, char *out, size_t n)
{
	if (s < 0 || s > 10)
		return NULL;
	snprintf(out, n, "%.1f", s);
	return out;
}

static char *refs_json(const vuln_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n_refs; i++)
		if (r->refs[i])
			json_array_append_new(arr, json_string(r->refs[i]));
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* What KEV and EPSS say of one CVE: in the catalog (kev 1) and the band
 * of its EPSS score (0020_finding_filters.sql: 0 below 1 %, then 1-4). */
static int cve_intel(vuln_import *im, const char *cve, int64_t *kev, int64_t *band, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(im->a->db, &st, e,
	                    "SELECT EXISTS (SELECT 1 FROM vuln_kev WHERE cve_id = upper(?1)), "
	                    "COALESCE((SELECT CAST(epss >= 0.01 AS INTEGER) + CAST(epss >= 0.1 AS "
	                    "INTEGER) + CAST(epss >= 0.5 AS INTEGER) + CAST(epss >= 0.9 AS INTEGER) "
	                    "FROM vuln_epss WHERE cve_id = upper(?1)), 0)",
	                    "s", cve) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		*kev = db_col_int(st, 0);
		*band = db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The CVEs of r on finding id (fresh: it has none yet), up to
 * FINDING_CVES_MAX a finding; a CVE added that KEV lists or EPSS scores
 * raises the finding's kev and epss_band (0021_finding_import_rows.sql),
 * *kev_added (when not NULL) set when the catalog names one of them. */
static int add_cves(vuln_import *im, int64_t id, const vuln_result *r, bool fresh,
                    bool *kev_added, sg_err *e)
{
	app *a = im->a;
	int64_t have = 0, kev = 0, band = 0;
	if (kev_added)
		*kev_added = false;
	if (r->n_cves == 0)
		return 0;
	if (!fresh && db_query_int(a->db, e, &have,
	                           "SELECT COUNT(*) FROM finding_cves WHERE finding_id = ?", "i",
	                           id) < 0)
		return -1;
	for (size_t i = 0; i < r->n_cves && have < FINDING_CVES_MAX; i++) {
		if (r->cves[i] == NULL || *r->cves[i] == '\0')
			continue;
		if (db_run(a->db, e,
		           "INSERT OR IGNORE INTO finding_cves (finding_id, cve) VALUES (?, upper(?))",
		           "is", id, r->cves[i]) != 0)
			return -1;
		if (db_changes(a->db) == 0)
			continue;
		have++;
		int64_t k = 0, b = 0;
		if (im->have_intel && cve_intel(im, r->cves[i], &k, &b, e) != 0)
			return -1;
		kev = k > kev ? k : kev;
		band = b > band ? b : band;
	}
	if (kev_added)
		*kev_added = kev != 0;
	if ((kev || band) &&
	    db_run(a->db, e,
	           "UPDATE findings SET kev = MAX(kev, ?1), epss_band = MAX(epss_band, ?2) "
	           "WHERE id = ?3 AND (kev < ?1 OR epss_band < ?2)",
	           "iii", kev, band, id) != 0)
		return -1;
	return 0;
}

/* A field of a text into its digest: absent, or its length and bytes. */
static void digest_put(sha256_ctx *c, const char *s)
{
	uint64_t n = s ? strlen(s) : UINT64_MAX;
	sha256_update(c, &n, sizeof n);
	if (s)
		sha256_update(c, s, (size_t)n);
}

/* The digest r's text is stored under (finding_texts.digest): its
 * vectors, CWE, description, solution and references. */
static void text_digest(const vuln_result *r, char digest[SHA256_HEX_LEN + 1])
{
	sha256_ctx *c = sha256_new();
	if (c == NULL)
		abort();
	const char *fields[] = {r->cvss3_vector, r->cvss4_vector, r->cwe, r->description,
	                        r->solution};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		digest_put(c, fields[i]);
	uint64_t n_refs = 0;
	for (size_t i = 0; i < r->n_refs; i++)
		n_refs += r->refs[i] != NULL;
	sha256_update(c, &n_refs, sizeof n_refs);
	for (size_t i = 0; i < r->n_refs; i++)
		if (r->refs[i])
			digest_put(c, r->refs[i]);
	sha256_final_hex(c, digest);
}

/* The finding_texts row of r's text (0022_finding_texts.sql): the one of
 * the same digest, stored when none is. A report states a few hundred
 * texts however many results it has, so each is looked up once an
 * import. The digest is the one the pipe computed on the parser's
 * thread, when it did (im->digest). */
static int text_of(vuln_import *im, const vuln_result *r, int64_t *id, sg_err *e)
{
	char own[SHA256_HEX_LEN + 1];
	const char *digest = im->digest;
	if (digest == NULL) {
		text_digest(r, own);
		digest = own;
	}
	json_t *hit = json_object_get(im->texts, digest);
	if (hit) {
		*id = json_integer_value(hit);
		return 0;
	}
	int rc = db_query_int(im->a->db, e, id, "SELECT id FROM finding_texts WHERE digest = ?", "s",
	                      digest);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE) {
		char *refs = refs_json(r);
		rc = db_insert(im->a->db, e, id,
		               "INSERT INTO finding_texts (digest, cvss3_vector, cvss4_vector, cwe, "
		               "description, solution, refs) VALUES (?, ?, ?, ?, ?, ?, ?)",
		               "sssssss", digest, r->cvss3_vector, r->cvss4_vector, r->cwe,
		               r->description, r->solution, refs ? refs : "[]");
		free(refs);
		if (rc < 0)
			return -1;
	}
	if (json_object_set_new(im->texts, digest, json_integer(*id)) != 0)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	return 0;
}

/* A finding seen again: last seen, times seen, and the scanner's text of
 * the result written over the finding's (what the latest report says is
 * what the officer reads), in one write. */
static int write_seen(vuln_import *im, int64_t id, const vuln_result *r, const char *old_sev,
                      sg_err *e)
{
	char s3[16], s4[16];
	/* the severity apart, and only when the scanner changed it: writing
	 * it fires the counts' trigger (0018), a statement journal's cost */
	const char *sev = finding_severity_name((int)r->severity);
	if (strcmp(sev, old_sev) != 0 &&
	    db_run(im->a->db, e, "UPDATE findings SET severity = ? WHERE id = ?", "si", sev, id) != 0)
		return -1;
	int64_t text = 0;
	if (text_of(im, r, &text, e) != 0)
		return -1;
	return db_run(im->a->db, e,
	              "UPDATE findings SET last_seen = ?, times_seen = times_seen + 1, "
	              "last_import = ?, hostname = ?, title = ?, cvss3_score = ?, "
	              "cvss4_score = ?, text_id = ?, evidence = ?, component = ?, "
	              "component_version = ? WHERE id = ?",
	              "iissssisssi", im->now, im->id, r->hostname, r->title,
	              score_text(r->cvss3_score, s3, sizeof s3),
	              score_text(r->cvss4_score, s4, sizeof s4), text, r->evidence, r->component,
	              r->component_version, id);
}

/* The asset in service an officer gave host's findings before (attached
 * to it, or imported with it named), the latest seen; 0 when none. */
static int asset_given(vuln_import *im, const char *host, int64_t *asset_id, sg_err *e)
{
	*asset_id = 0;
	char key[300];
	snprintf(key, sizeof key, "\x1egiven\x1f%s", host);
	json_t *hit = json_object_get(im->assets, key);
	if (hit) {
		*asset_id = json_integer_value(hit);
		return 0;
	}
	int rc = db_query_int(im->a->db, e, asset_id,
	                      "SELECT f.asset_id FROM findings f JOIN assets s ON s.id = f.asset_id "
	                      "WHERE f.host = ? AND s.retired_at IS NULL "
	                      "ORDER BY f.last_seen DESC, f.id DESC LIMIT 1",
	                      "s", host);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE)
		*asset_id = 0;
	json_object_set_new(im->assets, key, json_integer(*asset_id));
	return 0;
}

/* The asset of a result: the register's for its target, else the one
 * an officer gave the host's findings before (0: none); with an asset
 * named by the officer, that one, unless the register gives the target
 * to another asset: then the import is refused (a report of several
 * assets is imported without naming one). */
static int resolve_asset(vuln_import *im, const vuln_result *r, const char *host,
                         int64_t *asset_id, sg_err *e)
{
	*asset_id = 0;
	/* the target's key: host, URL and host name, apart */
	char key[1024];
	int n = snprintf(key, sizeof key, "%s\x1f%s\x1f%s", r->host ? r->host : "",
	                 r->url ? r->url : "", r->hostname ? r->hostname : "");
	bool cache = n > 0 && (size_t)n < sizeof key;
	json_t *hit = cache ? json_object_get(im->assets, key) : NULL;
	if (hit) {
		*asset_id = json_integer_value(hit);
	} else {
		if (asset_find(im->a, NULL, NULL, r->host, r->url, asset_id, e) != 0)
			return -1;
		if (*asset_id == 0 && r->hostname && *r->hostname &&
		    asset_find(im->a, NULL, NULL, r->hostname, NULL, asset_id, e) != 0)
			return -1;
		if (cache)
			json_object_set_new(im->assets, key, json_integer(*asset_id));
	}
	/* a target the register does not give keeps the asset an officer
	 * gave its findings (an attach, an import naming the asset): a rescan
	 * does not undo the attach with a twin of no asset */
	if (im->asset_id == 0)
		return *asset_id == 0 && host[0] ? asset_given(im, host, asset_id, e) : 0;
	if (*asset_id != 0 && *asset_id != im->asset_id) {
		char name[200] = "";
		db_stmt *st;
		if (db_prepare_bind(im->a->db, &st, e, "SELECT name FROM assets WHERE id = ?", "i",
		                    *asset_id) != 0)
			return -1;
		if (db_step(st, e) == DB_ROW)
			snprintf(name, sizeof name, "%s", db_col_text(st, 0));
		db_finalize(st);
		const char *target = r->url && *r->url     ? r->url
		                     : r->host && *r->host ? r->host
		                                           : r->hostname ? r->hostname : "";
		return sg_err_set(e, SG_ECONFLICT,
		                  "%s is asset %lld (%s) in the register, not asset %lld: import "
		                  "the report without naming an asset; nothing was imported",
		                  target, (long long)*asset_id, name, (long long)im->asset_id);
	}
	*asset_id = im->asset_id;
	return 0;
}

/* A new finding counted by its asset and severity (it is made baru),
 * added to finding_counts and finding_totals at the end of the import:
 * 0019_finding_import.sql dropped the INSERT triggers that counted it,
 * since SQLite keeps a statement journal for every statement that fires
 * a trigger. A finding made by this import changes neither its state nor
 * its severity before the end (a repeat in the report only adds CVEs),
 * so no UPDATE trigger meets a count of finding_counts not yet added.
 * Its day due counts too (finding_due_days, 0020_finding_filters.sql);
 * a KEV CVE or an EPSS score given to it, or its due date brought
 * forward, moves it in 0020's counts before the end: those triggers
 * decrement with an upsert, so the count added here completes them. */
static int count_new(vuln_import *im, int64_t asset_id, const char *sev, int64_t due,
                     sg_err *e)
{
	char k[64];
	snprintf(k, sizeof k, "%lld %s %lld", (long long)asset_id, sev,
	         (long long)(due > 0 ? due / 86400 : -1));
	json_t *n = json_object_get(im->counts, k);
	if (n)
		return json_integer_set(n, json_integer_value(n) + 1);
	if (json_object_set_new(im->counts, k, json_integer(1)) != 0)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	return 0;
}

static int add_counts(vuln_import *im, sg_err *e)
{
	const char *k;
	json_t *n;
	json_object_foreach(im->counts, k, n)
	{
		long long asset_id, day;
		char sev[16];
		if (sscanf(k, "%lld %15s %lld", &asset_id, sev, &day) != 3)
			continue;
		/* and the list's filters' counts (0020_finding_filters.sql): by
		 * the asset's OPD, made without KEV or EPSS (a CVE given to it
		 * since moved it by the triggers), and by the day due */
		if (db_run(im->a->db, e,
		           "INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n) "
		           "VALUES (COALESCE((SELECT opd_id FROM assets WHERE id = ?), 0), ?, 'baru', "
		           "0, 0, ?) ON CONFLICT (opd_id, severity, state, kev, epss_band) DO UPDATE "
		           "SET n = finding_opd_counts.n + excluded.n",
		           "isi", (int64_t)asset_id, sev, (int64_t)json_integer_value(n)) != 0 ||
		    (day >= 0 && db_run(im->a->db, e,
		                        "INSERT INTO finding_due_days (day, severity, n) VALUES (?, ?, ?) "
		                        "ON CONFLICT (day, severity) DO UPDATE "
		                        "SET n = finding_due_days.n + excluded.n",
		                        "isi", (int64_t)day, sev, (int64_t)json_integer_value(n)) != 0))
			return -1;
		if (db_run(im->a->db, e,
		           "INSERT INTO finding_counts (asset_id, severity, state, n) "
		           "VALUES (?, ?, 'baru', ?) ON CONFLICT (asset_id, severity, state) DO UPDATE "
		           "SET n = finding_counts.n + excluded.n",
		           "isi", (int64_t)asset_id, sev, (int64_t)json_integer_value(n)) != 0 ||
		    db_run(im->a->db, e,
		           "INSERT INTO finding_totals (severity, state, n) VALUES (?, 'baru', ?) "
		           "ON CONFLICT (severity, state) DO UPDATE SET n = finding_totals.n + excluded.n",
		           "si", sev, (int64_t)json_integer_value(n)) != 0)
			return -1;
	}
	return 0;
}

static int insert_finding(vuln_import *im, const vuln_result *r, int64_t asset_id,
                          const char *host, const char *key, const char *endpoint, sg_err *e)
{
	app *a = im->a;
	int64_t id = 0, text = 0;
	const char *sev = finding_severity_name((int)r->severity);
	char s3[16], s4[16];
	if (text_of(im, r, &text, e) != 0)
		return -1;
	/* the finding whole, its due date by severity; asset_id 0 is none */
	int64_t due = finding_due_at(&a->cfg, sev, im->now, 0);
	int rc = db_insert(
	    a->db, e, &id,
	    "INSERT INTO findings (asset_id, opd_id, host, vuln_key, endpoint, scanner, title, "
	    "severity, first_seen, last_seen, first_import, last_import, sla_start, due_at, "
	    "hostname, cvss3_score, cvss4_score, text_id, evidence, component, component_version) "
	    "VALUES (NULLIF(?, 0), (SELECT opd_id FROM assets WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?)",
	    "iissssssiiiiiisssisss", asset_id, asset_id, host, key, endpoint,
	    scanner_name(im->scanner), r->title, sev, im->now, im->now, im->id, im->id, im->now, due,
	    r->hostname, score_text(r->cvss3_score, s3, sizeof s3),
	    score_text(r->cvss4_score, s4, sizeof s4), text, r->evidence, r->component,
	    r->component_version);
	bool kev = false;
	if (rc != 0 || count_new(im, asset_id, sev, due, e) != 0 ||
	    add_cves(im, id, r, true, &kev, e) != 0)
		return -1;
	/* a CVE in CISA's KEV may bring the due date forward */
	if (kev && finding_due_restart(a, id, im->now, e) != 0)
		return -1;
	if (finding_history_add(a, id, im->actor, NULL, "baru", NULL, im->id, e) != 0)
		return -1;
	im->sum.new_count++;
	return 0;
}

/* A finding already stored, seen again by this import. */
/* What the import reads of a finding already stored, found by its key
 * in the same query. */
typedef struct stored_finding {
	int64_t id, last_import, until, sla_start;
	char state[32], sev[16];
} stored_finding;

/* The finding of a key: DB_ROW with f filled, DB_DONE (none) or -1. */
static int find_stored(vuln_import *im, int64_t asset_id, const char *host, const char *key,
                       const char *endpoint, stored_finding *f, sg_err *e)
{
	db_stmt *st;
	int rc = asset_id ? db_prepare_bind(im->a->db, &st, e,
	                                    "SELECT id, state, last_import, accepted_until, "
	                                    "severity, sla_start FROM findings WHERE asset_id = ? "
	                                    "AND vuln_key = ? AND endpoint = ?",
	                                    "iss", asset_id, key, endpoint)
	                  : db_prepare_bind(im->a->db, &st, e,
	                                    "SELECT id, state, last_import, accepted_until, "
	                                    "severity, sla_start FROM findings WHERE asset_id IS "
	                                    "NULL AND host = ? AND vuln_key = ? AND endpoint = ?",
	                                    "sss", host, key, endpoint);
	if (rc != 0)
		return -1;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		f->id = db_col_int(st, 0);
		snprintf(f->state, sizeof f->state, "%s", db_col_text(st, 1));
		f->last_import = db_col_int(st, 2);
		f->until = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		snprintf(f->sev, sizeof f->sev, "%s", db_col_text(st, 4));
		f->sla_start = db_col_int(st, 5);
	}
	db_finalize(st);
	return rc;
}

static int seen_again(vuln_import *im, const vuln_result *r, const stored_finding *f, sg_err *e)
{
	app *a = im->a;
	int64_t id = f->id, until = f->until, sla_start = f->sla_start;
	const char *state = f->state, *sev = f->sev;
	if (f->last_import == im->id) { /* twice in one report */
		im->sum.repeated++;
		return add_cves(im, id, r, false, NULL, e);
	}
	if (write_seen(im, id, r, sev, e) != 0 || add_cves(im, id, r, false, NULL, e) != 0)
		return -1;
	const char *why = NULL;
	char reason[160];
	if (strcmp(state, "diperbaiki") == 0) {
		snprintf(reason, sizeof reason, "seen again by import %lld", (long long)im->id);
		why = reason;
	} else if (strcmp(state, "risiko_diterima") == 0 && until > 0 && until <= im->now) {
		snprintf(reason, sizeof reason,
		         "seen again by import %lld after its risk acceptance expired",
		         (long long)im->id);
		why = reason;
	}
	if (why) {
		if (db_run(a->db, e,
		           "UPDATE findings SET state = 'dibuka_kembali', state_reason = ?, "
		           "state_by = ?, state_at = ?, fixed_at = NULL, accepted_until = NULL, "
		           "approved_by = NULL WHERE id = ?",
		           "ssii", why, im->actor, im->now, id) != 0 ||
		    finding_due_restart(a, id, im->now, e) != 0 ||
		    finding_history_add(a, id, im->actor, state, "dibuka_kembali", why, im->id, e) != 0 ||
		    finding_cases_reopened(a, id, im->id, im->actor, e) != 0)
			return -1;
		im->sum.reopened++;
		return 0;
	}
	/* a severity the scanner changed moves the due date from the same start */
	if (strcmp(sev, finding_severity_name((int)r->severity)) != 0 &&
	    finding_due_restart(a, id, sla_start, e) != 0)
		return -1;
	im->sum.seen_again++;
	return 0;
}

/* A result's texts within what a finding keeps (findings.h): each cut
 * copy in own[], freed after the result is stored. */
typedef struct capped {
	vuln_result r;
	const char **refs;
	char *own[16 + FINDING_REFS_MAX];
	size_t n_own;
} capped;

static const char cut_mark[] = " \xe2\x80\xa6[dipotong]"; /* " …[dipotong]" */

/* s, or a copy of its first max bytes at most (cut mark included) cut
 * where a UTF-8 character begins. */
static const char *cap_text(capped *c, const char *s, size_t max)
{
	if (s == NULL || strnlen(s, max + 1) <= max)
		return s;
	size_t keep = max - (sizeof cut_mark - 1);
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--; /* back to the start of a character */
	char *copy = malloc(keep + sizeof cut_mark);
	if (copy == NULL)
		abort();
	memcpy(copy, s, keep);
	memcpy(copy + keep, cut_mark, sizeof cut_mark);
	c->own[c->n_own++] = copy;
	return copy;
}

static void cap_result(capped *c, const vuln_result *r)
{
	memset(c, 0, sizeof *c);
	c->r = *r;
	vuln_result *o = &c->r;
	const char **field[] = {&o->host, &o->hostname, &o->port, &o->url, &o->vuln_id,
	                        &o->title, &o->cvss3_vector, &o->cvss4_vector, &o->cwe,
	                        &o->component, &o->component_version};
	for (size_t i = 0; i < sizeof field / sizeof field[0]; i++)
		*field[i] = cap_text(c, *field[i], FINDING_FIELD_MAX);
	o->description = cap_text(c, o->description, FINDING_TEXT_MAX);
	o->solution = cap_text(c, o->solution, FINDING_TEXT_MAX);
	o->evidence = cap_text(c, o->evidence, FINDING_TEXT_MAX);
	if (o->n_cves > FINDING_CVES_MAX)
		o->n_cves = FINDING_CVES_MAX;
	if (o->n_refs > FINDING_REFS_MAX)
		o->n_refs = FINDING_REFS_MAX;
	bool long_ref = false;
	for (size_t i = 0; i < o->n_refs && !long_ref; i++)
		long_ref = o->refs[i] && strnlen(o->refs[i], FINDING_FIELD_MAX + 1) > FINDING_FIELD_MAX;
	if (long_ref) {
		c->refs = malloc(o->n_refs * sizeof *c->refs);
		if (c->refs == NULL)
			abort();
		for (size_t i = 0; i < o->n_refs; i++)
			c->refs[i] = cap_text(c, o->refs[i], FINDING_FIELD_MAX);
		o->refs = c->refs;
	}
}

static void capped_free(capped *c)
{
	for (size_t i = 0; i < c->n_own; i++)
		free(c->own[i]);
	free(c->refs);
}

static int store_result(vuln_import *im, const vuln_result *r, sg_err *e);

void vuln_result_text_digest(const vuln_result *r, char digest[SHA256_HEX_LEN + 1])
{
	capped c;
	cap_result(&c, r);
	text_digest(&c.r, digest);
	capped_free(&c);
}

int vuln_import_result_digested(vuln_import *im, const vuln_result *r, const char *digest,
                                sg_err *e)
{
	capped c;
	cap_result(&c, r);
	im->digest = digest;
	int rc = store_result(im, &c.r, e);
	im->digest = NULL;
	capped_free(&c);
	return rc;
}

int vuln_import_result(void *ctx, const vuln_result *r, sg_err *e)
{
	return vuln_import_result_digested(ctx, r, NULL, e);
}

static int store_result(vuln_import *im, const vuln_result *r, sg_err *e)
{
	im->sum.results++;
	if (im->scanner == VULN_AUTO && im->info && im->info->scanner != VULN_AUTO)
		im->scanner = im->info->scanner;
	if (r->title == NULL || *r->title == '\0')
		return sg_err_set(e, SG_EINVAL, "result %lld has no title", (long long)im->sum.results);
	if (finding_severity_name((int)r->severity) == NULL)
		return sg_err_set(e, SG_EINVAL, "result %lld has no known severity",
		                  (long long)im->sum.results);
	if (r->severity_unknown)
		im->sum.severity_unknown++;
	char origin[512];
	if (r->url && vuln_url_origin(r->url, origin, sizeof origin) &&
	    json_object_get(im->origins, origin) == NULL &&
	    json_object_set_new(im->origins, origin, json_true()) != 0)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	if (r->url == NULL || *r->url == '\0') {
		if (r->port && *r->port)
			im->port_results = true;
		else
			im->host_results = true;
	}
	char host[256] = "";
	if (r->host && *r->host)
		host_norm(r->host, host, sizeof host);
	else if (r->url && *r->url)
		host_norm(r->url, host, sizeof host);
	/* a result naming no target (Nuclei's DNS templates asked about the
	 * root zone) is kept under host "", on --asset's asset or unmatched,
	 * for an officer to attach: nothing a scanner reported is dropped */
	const char *key = identity_of(r);
	const char *endpoint = r->url && *r->url ? r->url : r->port ? r->port : "";
	int64_t asset_id = 0;
	if (resolve_asset(im, r, host, &asset_id, e) != 0)
		return -1;
	if (asset_id == 0)
		im->sum.unmatched++;
	stored_finding f;
	int rc = find_stored(im, asset_id, host, key, endpoint, &f, e);
	if (rc < 0)
		return -1;
	return rc == DB_ROW ? seen_again(im, r, &f, e)
	                    : insert_finding(im, r, asset_id, host, key, endpoint, e);
}

/* The open findings of this scanner on target that this import did not
 * see (an earlier import saw them last: this import's id is the highest,
 * the store's writer being one at a time), on the officer's asset only,
 * when one was named, on a port the
 * report scanned (ports, vuln_ports_cover) or, for a finding at a URL,
 * of an origin the report covered (its results' URLs and the parser's
 * origins), become diperbaiki; the others are counted and left. */
static int mark_gone(vuln_import *im, const char *target, const char *ports, sg_err *e)
{
	app *a = im->a;
	/* Nuclei runs web templates (a URL), network ones (a port) and DNS
	 * ones (the host's own record) as asked, and its report names only
	 * what it found: a report with no result of a kind does not say the
	 * templates of that kind ran, so it closes no finding of that kind */
	bool nuclei = im->scanner == VULN_NUCLEI;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, state, endpoint FROM findings WHERE host = ? AND scanner = ? "
	                    "AND last_import < ? AND state IN ('baru', 'terverifikasi', "
	                    "'dalam_perbaikan', 'dibuka_kembali') AND (? = 0 OR asset_id = ?) "
	                    "ORDER BY id",
	                    "ssiii", target, scanner_name(im->scanner), im->id, im->asset_id,
	                    im->asset_id) != 0)
		return -1;
	json_t *todo = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *endpoint = db_col_text(st, 2);
		char origin[512];
		bool covered = strstr(endpoint, "://")
		                   ? vuln_url_origin(endpoint, origin, sizeof origin) &&
		                         json_object_get(im->origins, origin) != NULL
		                   : nuclei ? (*endpoint ? im->port_results : im->host_results)
		                            : vuln_ports_cover(ports, endpoint);
		if (!covered) {
			im->sum.unscanned++;
			continue;
		}
		json_array_append_new(todo, json_pack("[I, s]", (json_int_t)db_col_int(st, 0),
		                                      db_col_text(st, 1)));
	}
	db_finalize(st);
	char reason[96];
	snprintf(reason, sizeof reason, "no longer present in import %lld", (long long)im->id);
	size_t i;
	json_t *t;
	json_array_foreach(todo, i, t) {
		if (rc < 0)
			break;
		int64_t id = json_integer_value(json_array_get(t, 0));
		if (db_run(a->db, e,
		           "UPDATE findings SET state = 'diperbaiki', state_reason = ?, state_by = ?, "
		           "state_at = ?, fixed_at = ? WHERE id = ?",
		           "ssiii", reason, im->actor, im->now, im->now, id) != 0 ||
		    finding_history_add(a, id, im->actor, json_string_value(json_array_get(t, 1)),
		                        "diperbaiki", reason, im->id, e) != 0)
			rc = -1;
		else
			im->sum.gone++;
	}
	json_decref(todo);
	return rc < 0 ? -1 : 0;
}

static int finish(vuln_import *im, const vuln_report_info *info, sg_err *e)
{
	app *a = im->a;
	if (im->scanner == VULN_AUTO) {
		im->scanner = info->scanner;
		if (im->scanner == VULN_AUTO)
			return sg_err_set(e, SG_EINVAL, "the report's scanner is not known");
		/* the findings this import made before the scanner was told */
		if (db_run(a->db, e, "UPDATE findings SET scanner = ? WHERE first_import = ?", "si",
		           scanner_name(im->scanner), im->id) != 0)
			return -1;
	}
	if (info->scanner != VULN_AUTO && info->scanner != im->scanner)
		return sg_err_set(e, SG_EINVAL, "the report is %s's, not %s's",
		                  scanner_name(info->scanner), scanner_name(im->scanner));
	/* the origins the report covered: its results' URLs, the parser's,
	 * and the targets that are URLs */
	for (size_t i = 0; i < info->n_origins + info->n_targets; i++) {
		const char *u = i < info->n_origins ? info->origins[i] : info->targets[i - info->n_origins];
		char origin[512];
		if (u && vuln_url_origin(u, origin, sizeof origin) &&
		    json_object_set_new(im->origins, origin, json_true()) != 0)
			return sg_err_set(e, SG_ENOMEM, "out of memory");
	}
	json_t *targets = json_array();
	for (size_t i = 0; i < info->n_targets; i++)
		if (info->targets[i] && *info->targets[i]) {
			char host[256];
			host_norm(info->targets[i], host, sizeof host);
			json_array_append_new(targets, json_string(info->targets[i]));
			if (!im->partial && host[0] && mark_gone(im, host, info->ports, e) != 0) {
				json_decref(targets);
				return -1;
			}
		}
	/* the patch cases whose findings are all gone now record it */
	if (!im->partial && finding_cases_rescan(a, im->id, im->actor, e) != 0) {
		json_decref(targets);
		return -1;
	}
	im->sum.skipped = (int64_t)info->skipped;
	im->sum.partial = im->partial;
	im->sum.scanner = im->scanner;
	char *tj = json_dumps(targets, JSON_COMPACT);
	json_decref(targets);
	if (add_counts(im, e) != 0)
		return -1;
	const vuln_import_summary *s = &im->sum;
	int rc = db_run(a->db, e,
	                "UPDATE vuln_imports SET scanner = ?, format = ?, scan_started = NULLIF(?, 0), "
	                "scan_ended = NULLIF(?, 0), targets = ?, results = ?, skipped = ?, "
	                "new_count = ?, seen_again = ?, reopened = ?, repeated = ?, gone = ?, "
	                "unmatched = ? WHERE id = ?",
	                "ssiisiiiiiiiii", scanner_name(im->scanner),
	                info->format ? info->format : "", info->started, info->ended,
	                tj ? tj : "[]", s->results, s->skipped, s->new_count, s->seen_again,
	                s->reopened, s->repeated, s->gone, s->unmatched, im->id);
	free(tj);
	if (rc != 0)
		return -1;
	char oid[32];
	snprintf(oid, sizeof oid, "%lld", (long long)im->id);
	return logbook_record(
	    a, im->actor, "vuln.import", "vuln_import", oid,
	    json_pack("{s:s, s:I, s:s, s:s?, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "sha256",
	              im->file.sha256, "size", (json_int_t)im->file.size, "scanner",
	              scanner_name(im->scanner), "format", info->format, "partial", im->partial,
	              "results", (json_int_t)s->results, "new", (json_int_t)s->new_count,
	              "seen_again", (json_int_t)s->seen_again, "reopened", (json_int_t)s->reopened,
	              "repeated", (json_int_t)s->repeated, "gone", (json_int_t)s->gone,
	              "unscanned", (json_int_t)s->unscanned, "unmatched", (json_int_t)s->unmatched),
	    e);
}

int vuln_import_end(vuln_import *im, const vuln_report_info *info, vuln_import_summary *out,
                    sg_err *e)
{
	if (im->pending[0]) /* begun without its file, which vuln_import_keep never gave */
		sg_err_set(e, SG_EINVAL, "the report's file was not kept");
	if (im->pending[0] || finish(im, info, e) != 0 || db_commit(im->a->db, e) != 0) {
		vuln_import_abort(im);
		return -1;
	}
	if (out)
		*out = im->sum;
	import_free(im); /* the stored copy of the file stays */
	return 0;
}

json_t *vuln_import_list(app *a, const char *viewer, int limit, int offset, int64_t *total,
                         sg_err *e)
{
	if (viewer && strncmp(viewer, "cli:", 4) != 0 && finding_check_staff(a, viewer, e) != 0) {
		sg_err_set(e, SG_EPERM, "the import log is for the CSIRT's staff");
		return NULL;
	}
	if (db_query_int(a->db, e, total, "SELECT COUNT(*) FROM vuln_imports", "") < 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, filename, sha256, size, scanner, format, asset_id, "
	                    "imported_by, imported_at, results, new_count, seen_again, reopened, "
	                    "repeated, gone, unmatched, skipped, targets FROM vuln_imports "
	                    "ORDER BY id DESC LIMIT ? OFFSET ?",
	                    "ii", (int64_t)(limit > 0 ? limit : 50), (int64_t)(offset > 0 ? offset : 0)) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *targets = json_loads(db_col_text(st, 17), 0, NULL);
		json_array_append_new(
		    out,
		    json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
		              "s:I, s:I, s:I, s:o}",
		              "id", (json_int_t)db_col_int(st, 0), "filename", db_col_text(st, 1),
		              "sha256", db_col_text(st, 2), "size", (json_int_t)db_col_int(st, 3),
		              "scanner", db_col_text(st, 4), "format", db_col_text(st, 5), "asset_id",
		              db_col_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6)),
		              "imported_by", db_col_text(st, 7), "imported_at",
		              (json_int_t)db_col_int(st, 8), "results", (json_int_t)db_col_int(st, 9),
		              "new", (json_int_t)db_col_int(st, 10), "seen_again",
		              (json_int_t)db_col_int(st, 11), "reopened",
		              (json_int_t)db_col_int(st, 12), "repeated",
		              (json_int_t)db_col_int(st, 13), "no_longer_present",
		              (json_int_t)db_col_int(st, 14), "unmatched",
		              (json_int_t)db_col_int(st, 15), "skipped", (json_int_t)db_col_int(st, 16),
		              "targets", targets ? targets : json_array()));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
