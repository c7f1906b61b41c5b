/*
 * raise.c: detection matches made alerts: what a rule match or an
 * indicator hit says about its event (asset, source address, time) is
 * read here once, for the offline hunt (sigap detect --store) and the
 * live inputs of sigap serve alike.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "detect/event_json.h"

/* Wazuh's agent first, then the syslog host. */
static void asset_of(const det_event *ev, char *out, size_t n)
{
	det_str v;
	if (det_event_get(ev, "agent.name", &v) || det_event_get(ev, "Computer", &v) ||
	    (v = ev->host, v.n > 0))
		snprintf(out, n, "%.*s", (int)v.n, v.p);
	else
		out[0] = '\0';
}

static void source_ip_of(const det_event *ev, char *out, size_t n)
{
	static const char *const names[] = {"srcip", "data.srcip", "c-ip", "src", "SourceIp",
	                                    "IpAddress", "addr"};
	det_str v;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (det_event_get(ev, names[i], &v) && v.n && v.n < n && v.n < 64) {
			snprintf(out, n, "%.*s", (int)v.n, v.p);
			return;
		}
}

static int raise(app *a, alert_in *in, const det_event *ev, int64_t window, alert_out *out,
                 sg_err *e)
{
	char asset[256], src[64];
	asset_of(ev, asset, sizeof asset);
	source_ip_of(ev, src, sizeof src);
	in->asset = asset[0] ? asset : NULL;
	in->source_ip = src[0] ? src : NULL;
	in->at = ev->time ? ev->time : app_now(a);
	in->event = det_event_json(ev);
	int r = alert_record(a, in, window, out, e);
	json_decref(in->event);
	return r;
}

int alert_raise_rule(app *a, const det_rule *r, const det_event *ev, const alert_hit *hits,
                     size_t n_hits, int64_t window, alert_out *out, sg_err *e)
{
	json_t *tags = json_array(), *iocs = json_array();
	for (size_t i = 0; i < r->n_tags; i++)
		json_array_append_new(tags, json_string(r->tags[i]));
	for (size_t i = 0; i < n_hits; i++)
		json_array_append_new(iocs, det_hit_json(hits[i].ioc, hits[i].obs, hits[i].obs_len));
	alert_in in = {.kind = "rule", .rule_id = r->id, .title = r->title,
	               .level = r->level ? r->level : "medium", .tags = tags, .indicators = iocs};
	int rc = raise(a, &in, ev, window, out, e);
	json_decref(tags);
	json_decref(iocs);
	return rc;
}

int alert_raise_ioc(app *a, const alert_hit *hit, const det_event *ev, int64_t window,
                    alert_out *out, sg_err *e)
{
	const ioc *i = hit->ioc;
	char title[400];
	snprintf(title, sizeof title, "Threat indicator: %s %.300s", ioc_type_name(i->type),
	         i->value);
	json_t *iocs = json_array();
	json_array_append_new(iocs, det_hit_json(i, hit->obs, hit->obs_len));
	/* the feed's confidence sets the level: 80 and up high, under 50 low */
	const char *level = i->confidence >= 80 ? "high" : i->confidence >= 0 && i->confidence < 50
	                                                       ? "low"
	                                                       : "medium";
	alert_in in = {.kind = "indicator", .indicator_id = i->id, .title = title, .level = level,
	               .indicators = iocs};
	int rc = raise(a, &in, ev, window, out, e);
	json_decref(iocs);
	return rc;
}
