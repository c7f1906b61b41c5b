/*
 * api_findings.c: /api/v1/findings: vulnerability findings as the JSON
 * API gives them: the list with the filters of the /kerentanan page (and
 * KEV and EPSS), one finding with its history and what is stored of its
 * CVEs, decisions on one or many findings (all or none), attaching a
 * finding of a host no asset has, a scanner report imported from the
 * request's body, and the import log.
 *
 * The routes are open to every signed-in user and the app decides per
 * object (findings.c): the CSIRT's staff see and decide every finding, an
 * agen_siber sees its OPD's (another OPD's finding is 404, as one that
 * does not exist) and decides none, anyone else sees none. An import's
 * gate asks before the body is read whether the caller may import, so a
 * refused caller's report is never received.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app/findings.h"
#include "base/civil.h"
#include "handlers.h"
#include "webutil.h"

static const char *query_nonempty(const web_req *r, const char *name)
{
	const char *s = web_query(r, name);
	return s && *s ? s : NULL;
}

static bool query_flag(const web_req *r, const char *name)
{
	const char *s = query_nonempty(r, name);
	return s && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "on") == 0 ||
	             strcmp(s, "yes") == 0);
}

bool findings_filter_query(const web_req *r, finding_filter *f, const char **why)
{
	memset(f, 0, sizeof *f);
	f->opd = query_nonempty(r, "opd");
	f->state = query_nonempty(r, "state");
	f->cve = query_nonempty(r, "cve");
	f->q = query_nonempty(r, "q");
	f->overdue = query_flag(r, "overdue");
	f->unmatched = query_flag(r, "unmatched");
	f->viewer = r->who.user;
	const char *sev = query_nonempty(r, "severity"), *min = query_nonempty(r, "min_severity");
	if (sev && min) {
		*why = "give severity or min_severity, not both";
		return false;
	}
	f->severity = sev ? sev : min;
	f->min_severity = min != NULL;
	const char *asset = query_nonempty(r, "asset");
	if (asset && !webutil_int(asset, 1, INT64_MAX, &f->asset_id)) {
		*why = "asset is an asset's number";
		return false;
	}
	const char *kev = query_nonempty(r, "kev");
	if (kev) {
		if (strcmp(kev, "yes") == 0 || strcmp(kev, "true") == 0 || strcmp(kev, "1") == 0)
			f->kev = 1;
		else if (strcmp(kev, "no") == 0 || strcmp(kev, "false") == 0 || strcmp(kev, "0") == 0)
			f->kev = -1;
		else {
			*why = "kev is yes or no";
			return false;
		}
	}
	const char *epss = query_nonempty(r, "min_epss");
	if (epss) {
		char *end;
		double v = strtod(epss, &end);
		if (*end || !(v >= 0 && v <= 1)) {
			*why = "min_epss is a score from 0 to 1 (0.5 is 50%)";
			return false;
		}
		f->min_epss = v;
	}
	const char *sort = query_nonempty(r, "sort");
	if (sort && !finding_sort_parse(sort, &f->sort)) {
		*why = "sort is due, severity, last_seen, first_seen, id, epss or kev";
		return false;
	}
	return true;
}

void api_findings(web_req *r, web_res *res)
{
	static const char *const known[] = {"opd", "state", "cve", "q", "overdue", "unmatched",
	                                    "severity", "min_severity", "asset", "kev", "min_epss",
	                                    "sort", "limit", "offset", NULL};
	if (!api_query(r, res, known))
		return;
	finding_filter f;
	const char *why = NULL;
	if (!findings_filter_query(r, &f, &why))
		return web_json_error(res, 400, "invalid", why);
	int64_t limit = 50, offset = 0;
	const char *l = query_nonempty(r, "limit"), *o = query_nonempty(r, "offset");
	if ((l && !webutil_int(l, 1, 1000, &limit)) || (o && !webutil_int(o, 0, INT32_MAX, &offset)))
		return web_json_error(res, 400, "invalid",
		                      "limit must be a number from 1 to 1000, offset one from 0");
	f.limit = (int)limit;
	f.offset = (int)offset;
	sg_err e = {0};
	int64_t total = 0;
	json_t *list = finding_list(r->app, &f, &total, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "limit",
	                             (json_int_t)limit, "offset", (json_int_t)offset, "findings",
	                             list));
}

/* The finding's number in the path ("12" or "FND-12"); false after 404. */
static bool path_finding(web_req *r, web_res *res, int64_t *id)
{
	const char *s = r->path_arg ? r->path_arg : "";
	if (strncasecmp(s, "FND-", 4) == 0)
		s += 4;
	if (webutil_int(s, 1, INT64_MAX, id))
		return true;
	web_json_error(res, 404, "not_found", "no such finding");
	return false;
}

void api_finding_get(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_finding(r, res, &id))
		return;
	sg_err e = {0};
	json_t *o = finding_get(r->app, id, r->who.user, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

bool findings_parse_until(const web_req *r, const char *s, int64_t *out)
{
	if (civil_parse(s, r->app->cfg.cal.zone, out) != 0)
		return false;
	if (strlen(s) == 10) /* a day: the acceptance holds through it */
		*out += 86400 - 1;
	return true;
}

void api_findings_decide(web_req *r, web_res *res)
{
	static const char *const keys[] = {"ids", "state", "reason", "accepted_until", "approver",
	                                   NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *ids = json_object_get(b, "ids");
	size_t n = json_array_size(ids);
	const char *bad = NULL;
	if (!json_is_array(ids) || n == 0 || n > FINDING_BULK_MAX)
		bad = "ids is an array of 1 to 1000 finding numbers";
	else if (!json_is_string(json_object_get(b, "state")))
		bad = "state is a string (terverifikasi, positif_palsu, risiko_diterima, "
		      "dalam_perbaikan, diperbaiki or dibuka_kembali)";
	int64_t *v = bad ? NULL : calloc(n, sizeof *v);
	for (size_t i = 0; v && i < n; i++) {
		json_t *x = json_array_get(ids, i);
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			bad = "ids is an array of 1 to 1000 finding numbers";
			break;
		}
		v[i] = json_integer_value(x);
	}
	finding_decision d = {.ids = v, .n_ids = n, .actor = r->who.user};
	d.state = json_string_value(json_object_get(b, "state"));
	static const char *const opt[] = {"reason", "accepted_until", "approver"};
	for (int i = 0; !bad && i < 3; i++) {
		json_t *x = json_object_get(b, opt[i]);
		if (x && !json_is_string(x) && !json_is_null(x))
			bad = i == 0   ? "reason is a string"
			      : i == 1 ? "accepted_until is a date (YYYY-MM-DD)"
			               : "approver is a user's name";
	}
	d.reason = json_string_value(json_object_get(b, "reason"));
	d.approver = json_string_value(json_object_get(b, "approver"));
	const char *until = json_string_value(json_object_get(b, "accepted_until"));
	if (!bad && until && !findings_parse_until(r, until, &d.accepted_until))
		bad = "accepted_until is a date (YYYY-MM-DD)";
	sg_err e = {0};
	if (bad)
		web_json_error(res, 400, "invalid", bad);
	else if (finding_decide(r->app, &d, &e) != 0)
		api_fail(res, &e);
	else
		web_json(res, 200, json_pack("{s:s, s:O}", "state", d.state, "ids", ids));
	free(v);
	json_decref(b);
}

void api_finding_attach(web_req *r, web_res *res)
{
	static const char *const keys[] = {"asset", NULL};
	int64_t id;
	if (!path_finding(r, res, &id))
		return;
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *asset = json_object_get(b, "asset");
	if (!json_is_integer(asset) || json_integer_value(asset) <= 0) {
		json_decref(b);
		return web_json_error(res, 400, "invalid", "asset is an asset's number");
	}
	int64_t asset_id = json_integer_value(asset);
	json_decref(b);
	sg_err e = {0};
	/* one the caller may not see is not found, whoever asks */
	json_t *o = finding_get(r->app, id, r->who.user, &e);
	if (o == NULL)
		return api_fail(res, &e);
	json_decref(o);
	if (finding_attach(r->app, r->who.user, &id, 1, asset_id, &e) != 0)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:I}", "finding", (json_int_t)id, "asset",
	                             (json_int_t)asset_id));
}

bool gate_findings_import_api(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (finding_check_staff(r->app, r->who.user, &e) == 0)
		return true;
	api_fail(res, &e);
	return false;
}

json_t *findings_summary_json(const vuln_import_summary *s, const char *filename)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
	                 "import",
	                 (json_int_t)s->import_id, "filename", filename, "results",
	                 (json_int_t)s->results, "new", (json_int_t)s->new_count, "seen_again",
	                 (json_int_t)s->seen_again, "reopened", (json_int_t)s->reopened,
	                 "no_longer_present", (json_int_t)s->gone, "unmatched",
	                 (json_int_t)s->unmatched, "repeated", (json_int_t)s->repeated, "skipped",
	                 (json_int_t)s->skipped, "left_open_unscanned", (json_int_t)s->unscanned,
	                 "severity_unknown_as_info", (json_int_t)s->severity_unknown, "partial",
	                 s->partial);
}

/* The base of a file name as a client sent it ("C:\x\r.xml" is r.xml). */
static const char *base_name(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	return *s ? s : "laporan";
}

void api_findings_import(web_req *r, web_res *res)
{
	static const char *const known[] = {"scanner", "asset", "partial", "filename", NULL};
	if (!api_query(r, res, known))
		return;
	vuln_import_req req = {.actor = r->who.user, .origin = r->client, .scanner = VULN_AUTO};
	const char *sc = query_nonempty(r, "scanner"), *asset = query_nonempty(r, "asset");
	if (sc && vuln_scanner_parse(sc, &req.scanner) != 0)
		return web_json_error(res, 400, "invalid",
		                      "scanner is auto, openvas, nmap, nuclei or wpscan");
	if (asset && !webutil_int(asset, 1, INT64_MAX, &req.asset_id))
		return web_json_error(res, 400, "invalid", "asset is an asset's number");
	req.partial = query_flag(r, "partial");
	web_file *f = (web_file *)web_file_get(r, "body");
	if (f == NULL)
		f = (web_file *)web_file_get(r, "report");
	if (f == NULL || f->file.size == 0)
		return web_json_error(res, 400, "invalid",
		                      "send the scanner's report as the request's body");
	req.file = &f->file;
	req.filename = base_name(f->filename);
	vuln_import_summary s;
	sg_err e = {0};
	if (vuln_import_spooled(r->app, &req, &s, &e) != 0)
		return api_fail(res, &e);
	web_json(res, 201, findings_summary_json(&s, req.filename));
}

void api_findings_imports(web_req *r, web_res *res)
{
	static const char *const known[] = {"limit", "offset", NULL};
	if (!api_query(r, res, known))
		return;
	int64_t limit = 50, offset = 0;
	const char *l = query_nonempty(r, "limit"), *o = query_nonempty(r, "offset");
	if ((l && !webutil_int(l, 1, 1000, &limit)) || (o && !webutil_int(o, 0, INT32_MAX, &offset)))
		return web_json_error(res, 400, "invalid",
		                      "limit must be a number from 1 to 1000, offset one from 0");
	sg_err e = {0};
	int64_t total = 0;
	json_t *list = vuln_import_list(r->app, r->who.user, (int)limit, (int)offset, &total, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:o}", "total", (json_int_t)total, "imports", list));
}
