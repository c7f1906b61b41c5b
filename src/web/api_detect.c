/*
 * api_detect.c: /api/v1 for detection: the Wazuh ingest route, alerts
 * and their triage, threat indicators, and the rules detection runs.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "server.h"
#include "webutil.h"

enum { INGEST_COMMIT_WAIT_MS = 30000 };

/* ---- POST /api/v1/ingest/wazuh ---- */

/* Wazuh's integrator posts one alert a request; a batch may come as a
 * JSON array or as JSON lines. Each alert is queued as one compact line,
 * and the answer waits until they are matched and committed: a 202 means
 * the alerts are on disk (the pipeline's group commit takes many senders'
 * lines in one transaction). When the queue stays full, the alerts after
 * the first that cannot be queued are not queued either, and the answer is
 * 503 saying how many of the first were stored. */
void api_ingest_wazuh(web_req *r, web_res *res)
{
	ingest *g = web_ingest();
	if (g == NULL) {
		web_json_error(res, 503, "unavailable", "detection is not running");
		return;
	}
	size_t accepted = 0, rejected = 0, dropped = 0;
	uint64_t first = 0, last = 0;
	json_error_t je;
	json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	json_t *list = json_array();
	if (json_is_object(j)) {
		json_array_append(list, j);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) {
			if (json_is_object(v))
				json_array_append(list, v);
			else
				rejected++;
		}
	} else if (j == NULL) { /* JSON lines */
		const char *p = r->body, *end = r->body + r->body_len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			json_t *v = n ? json_loadb(p, n, JSON_REJECT_DUPLICATES, &je) : NULL;
			if (json_is_object(v))
				json_array_append(list, v);
			else if (n && !(n == 1 && p[0] == '\r'))
				rejected++;
			json_decref(v);
			p = nl ? nl + 1 : end;
		}
	} else {
		rejected++;
	}
	json_decref(j);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		char *line = json_dumps(v, JSON_COMPACT);
		uint64_t seq;
		if (line && strlen(line) > (size_t)r->app->cfg.in_max_line) {
			ingest_count_bad(g, IN_HTTP, "an alert longer than [inputs] max_line");
			rejected++;
		} else if (dropped == 0 && line &&
		           ingest_submit_seq(g, IN_HTTP, line, strlen(line), 2000, &seq) == 0) {
			accepted++;
			if (first == 0)
				first = seq;
			last = seq;
		} else {
			dropped++;
		}
		free(line);
	}
	json_decref(list);
	if (accepted == 0 && rejected > 0 && dropped == 0) {
		web_json_error(res, 400, "invalid",
		               "the body holds no alert sigap takes: send a JSON object, an array of "
		               "them, or JSON lines, each within [inputs] max_line");
		return;
	}
	if (dropped > 0 && accepted == 0) {
		web_json_error(res, 503, "busy", "the detection queue is full; send again later");
		web_res_header(res, "Retry-After", "5");
		return;
	}
	if (accepted && ingest_wait_committed(g, first, last, INGEST_COMMIT_WAIT_MS) != 0) {
		web_json_error(res, 503, "not_stored",
		               "the alerts could not be stored; send them again");
		web_res_header(res, "Retry-After", "5");
		return;
	}
	if (dropped) { /* never a 202 for a body whose alerts were not all taken */
		char msg[200];
		snprintf(msg, sizeof msg,
		         "the detection queue was full: the first %zu alerts of the body are stored, "
		         "the %zu after them are not; send those again",
		         accepted, dropped);
		web_json_error(res, 503, "busy", msg);
		web_res_header(res, "Retry-After", "5");
		return;
	}
	web_json(res, 202, json_pack("{s:I, s:I, s:I}", "accepted", (json_int_t)accepted,
	                             "rejected", (json_int_t)rejected, "dropped",
	                             (json_int_t)dropped));
}

/* ---- alerts ---- */

static bool query_int(web_req *r, web_res *res, const char *name, int64_t min, int64_t max,
                      int64_t *out)
{
	const char *v = web_query(r, name);
	if (v == NULL || *v == '\0')
		return true;
	if (webutil_int(v, min, max, out))
		return true;
	char msg[120];
	snprintf(msg, sizeof msg, "%s must be a number from %lld to %lld", name, (long long)min,
	         (long long)max);
	web_json_error(res, 400, "invalid", msg);
	return false;
}

static const char *query_str(web_req *r, const char *name)
{
	const char *v = web_query(r, name);
	return v && *v ? v : NULL;
}

void api_alerts(web_req *r, web_res *res)
{
	alert_filter f = {.status = query_str(r, "status"), .level = query_str(r, "level"),
	                  .rule_id = query_str(r, "rule"), .asset = query_str(r, "asset"),
	                  .viewer = r->who.user};
	int64_t limit = 50, offset = 0;
	if (!query_int(r, res, "limit", 1, 1000, &limit) ||
	    !query_int(r, res, "offset", 0, INT32_MAX, &offset) ||
	    !query_int(r, res, "indicator", 1, INT64_MAX, &f.indicator_id) ||
	    !query_int(r, res, "since", 0, INT64_MAX, &f.since) ||
	    !query_int(r, res, "asset_id", 1, INT64_MAX, &f.asset_id))
		return;
	const char *um = query_str(r, "unmatched");
	f.unmatched = um && strcmp(um, "0") != 0;
	f.limit = (int)limit;
	f.offset = (int)offset;
	static const char *const cursors[] = {"after", "before"};
	for (int i = 0; i < 2; i++) {
		const char *c = query_str(r, cursors[i]);
		if (c && !alert_cursor_parse(c, i ? &f.before_seen : &f.after_seen,
		                             i ? &f.before_id : &f.after_id)) {
			char msg[120];
			snprintf(msg, sizeof msg, "%s must be a cursor from next or previous (LASTSEEN.ID)",
			         cursors[i]);
			return web_json_error(res, 400, "invalid", msg);
		}
	}
	if (f.after_id && f.before_id)
		return web_json_error(res, 400, "invalid", "give after or before, not both");
	sg_err e = {0};
	alert_pager pg = {0};
	json_t *list = alert_list(r->app, &f, &pg, &e);
	if (list == NULL)
		return api_fail(res, &e);
	/* next: the cursor of the page after this one (after=), previous of
	 * the one before (before=); null at either end */
	size_t n = json_array_size(list);
	char next[48] = "", prev[48] = "";
	if (n && pg.older)
		alert_cursor(json_array_get(list, n - 1), next, sizeof next);
	if (n && pg.newer)
		alert_cursor(json_array_get(list, 0), prev, sizeof prev);
	web_json(res, 200,
	         json_pack("{s:I, s:b, s:o, s:s?, s:s?}", "total", (json_int_t)pg.total, "total_more",
	                   pg.total_more, "alerts", list, "next", next[0] ? next : NULL, "previous",
	                   prev[0] ? prev : NULL));
}

static bool path_id(web_req *r, web_res *res, const char *what, int64_t *id)
{
	const char *s = r->path_arg ? r->path_arg : "";
	if (strncasecmp(s, "ALR-", 4) == 0)
		s += 4;
	if (webutil_int(s, 1, INT64_MAX, id))
		return true;
	char msg[80];
	snprintf(msg, sizeof msg, "no such %s", what);
	web_json_error(res, 404, "not_found", msg);
	return false;
}

void api_alert(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, res, "alert", &id))
		return;
	sg_err e = {0};
	json_t *a = alert_get(r->app, id, r->who.user, &e);
	if (a == NULL)
		return api_fail(res, &e);
	web_json(res, 200, a);
}

void api_alert_decide(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, res, "alert", &id))
		return;
	static const char *const keys[] = {"status", "reason", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	sg_err e = {0};
	int rc = alert_decide(r->app, r->who.user, id, json_string_value(json_object_get(b, "status")),
	                      json_string_value(json_object_get(b, "reason")), &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	api_alert(r, res);
}

void api_alert_attach(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, res, "alert", &id))
		return;
	static const char *const keys[] = {"asset", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *v = json_object_get(b, "asset");
	int64_t asset = json_is_integer(v) ? json_integer_value(v) : 0;
	json_decref(b);
	if (asset <= 0)
		return web_json_error(res, 400, "invalid", "asset must be an asset's number");
	sg_err e = {0};
	if (alert_attach(r->app, r->who.user, &id, 1, asset, &e) != 0)
		return api_fail(res, &e);
	api_alert(r, res);
}

void api_alert_case(web_req *r, web_res *res)
{
	static const char *const keys[] = {"alerts", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *ids = json_object_get(b, "alerts");
	int64_t v[500];
	size_t n = json_array_size(ids);
	bool ok = json_is_array(ids) && n >= 1 && n <= 500;
	for (size_t i = 0; ok && i < n; i++) {
		json_t *x = json_array_get(ids, i);
		ok = json_is_integer(x) && json_integer_value(x) > 0;
		if (ok)
			v[i] = json_integer_value(x);
	}
	json_decref(b);
	if (!ok) {
		web_json_error(res, 400, "invalid", "alerts must be a list of 1 to 500 alert numbers");
		return;
	}
	sg_err e = {0};
	char ticket[32];
	if (alert_open_case(r->app, r->who.user, v, n, r->client, ticket, &e) != 0)
		return api_fail(res, &e);
	web_json(res, 201, json_pack("{s:s}", "ticket", ticket));
}

/* ---- indicators ---- */

void api_indicators(web_req *r, web_res *res)
{
	ioc_filter f = {.type = query_str(r, "type"), .source = query_str(r, "source"),
	                .q = query_str(r, "value")};
	const char *exp = web_query(r, "expired");
	f.expired = exp && strcmp(exp, "1") == 0;
	int64_t limit = 100, offset = 0;
	if (!query_int(r, res, "limit", 1, 1000, &limit) ||
	    !query_int(r, res, "offset", 0, INT32_MAX, &offset))
		return;
	f.limit = (int)limit;
	f.offset = (int)offset;
	sg_err e = {0};
	int64_t total = 0;
	json_t *list = ioc_list(r->app, &f, &total, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:o}", "total", (json_int_t)total, "indicators", list));
}

void api_indicator_search(web_req *r, web_res *res)
{
	const char *v = query_str(r, "value");
	if (v == NULL) {
		web_json_error(res, 400, "invalid", "give the value to search for as ?value=");
		return;
	}
	sg_err e = {0};
	json_t *list = ioc_search(r->app, v, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o}", "indicators", list));
}

/* Hits of the last 30 days, a day a bucket. */
static json_t *hits_30d(web_req *r, const char *ref, sg_err *e)
{
	return alert_hits(r->app, ref, app_now(r->app) - 30 * 86400, 86400, e);
}

void api_indicator(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, res, "indicator", &id))
		return;
	sg_err e = {0};
	json_t *o = ioc_get(r->app, id, &e);
	if (o == NULL)
		return api_fail(res, &e);
	char ref[48];
	snprintf(ref, sizeof ref, "indicator:%lld", (long long)id);
	json_t *h = hits_30d(r, ref, &e);
	if (h == NULL) {
		json_decref(o);
		return api_fail(res, &e);
	}
	json_object_set_new(o, "hits", h);
	web_json(res, 200, o);
}

/* ---- rules ---- */

json_t *api_rule_json(const det_rule *x)
{
	json_t *tags = json_array();
	for (size_t i = 0; i < x->n_tags; i++)
		json_array_append_new(tags, json_string(x->tags[i]));
	json_t *fps = json_array();
	for (size_t i = 0; i < x->n_falsepositives; i++)
		json_array_append_new(fps, json_string(x->falsepositives[i]));
	json_t *o =
	    json_pack("{s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:{s:s?, s:s?, s:s?}, s:s}",
	              "id", x->id, "title", x->title, "level", x->level, "status", x->status,
	              "author", x->author, "description", x->description, "tags", tags,
	              "falsepositives", fps, "logsource", "product", x->product, "category",
	              x->category, "service", x->service, "file", x->file);
	if (x->correlation) {
		det_corr_info ci;
		det_corr_info_of(x, &ci);
		json_t *members = json_array(), *group = json_array();
		for (size_t i = 0; i < ci.n_members; i++)
			json_array_append_new(members, json_pack("{s:s?, s:s}", "id", ci.members[i]->id,
			                                         "title", ci.members[i]->title));
		for (size_t i = 0; i < ci.n_group; i++)
			json_array_append_new(group, json_string(ci.group_by[i]));
		json_object_set_new(
		    o, "correlation",
		    json_pack("{s:s, s:o, s:o, s:I, s:{s:I}, s:s?, s:b}", "type", x->correlation,
		              "rules", members, "group_by", group, "timespan", (json_int_t)ci.timespan,
		              "condition", ci.op, (json_int_t)ci.count, "field", ci.field, "generate",
		              ci.generate));
	}
	return o;
}

/* A rule detection runs now, an event rule or a correlation, by its id. */
const det_rule *api_find_rule(const det_rules *rs, const char *id)
{
	for (size_t i = 0; rs && id && i < det_rules_count(rs); i++) {
		const det_rule *x = det_rules_get(rs, i);
		if (x->id && strcmp(x->id, id) == 0)
			return x;
	}
	for (size_t i = 0; rs && id && i < det_rules_n_correlations(rs); i++) {
		const det_rule *x = det_rules_correlation(rs, i);
		if (x->id && strcmp(x->id, id) == 0)
			return x;
	}
	return NULL;
}

void api_rules(web_req *r, web_res *res)
{
	(void)r;
	ingest *g = web_ingest();
	json_t *list = json_array();
	const det_rules *rs = g ? ingest_rules_hold(g) : NULL;
	for (size_t i = 0; rs && i < det_rules_count(rs); i++)
		json_array_append_new(list, api_rule_json(det_rules_get(rs, i)));
	for (size_t i = 0; rs && i < det_rules_n_correlations(rs); i++)
		json_array_append_new(list, api_rule_json(det_rules_correlation(rs, i)));
	ingest_rules_drop(g, rs);
	web_json(res, 200, json_pack("{s:o}", "rules", list));
}

void api_rule(web_req *r, web_res *res)
{
	ingest *g = web_ingest();
	const det_rules *rs = g ? ingest_rules_hold(g) : NULL; /* a reload frees it after */
	const det_rule *x = api_find_rule(rs, r->path_arg);
	if (x == NULL) {
		ingest_rules_drop(g, rs);
		web_json_error(res, 404, "not_found", "no rule with this id is loaded");
		return;
	}
	json_t *o = api_rule_json(x);
	ingest_rules_drop(g, rs);
	sg_err e = {0};
	char ref[300];
	snprintf(ref, sizeof ref, "rule:%s", r->path_arg);
	json_t *h = hits_30d(r, ref, &e);
	if (h == NULL) {
		json_decref(o);
		return api_fail(res, &e);
	}
	json_object_set_new(o, "hits", h);
	web_json(res, 200, o);
}
