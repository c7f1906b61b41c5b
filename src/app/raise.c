/*
 * raise.c: detection matches made alerts: what a rule match or an
 * indicator hit says about its event (asset, source address, time) is
 * read here once, for the offline hunt (sigap detect --store) and the
 * live inputs of sigap serve alike.
 *
 * A correlation's alert keeps what made it fire: the group, the count,
 * the window, and its member events, each by time, member rule, the start
 * of its raw text, and the id of the alert that event raised when its
 * rule raises any (the correlator carries those ids as refs; a member of
 * a correlation that does not generate raises none, so the excerpt is
 * all that is kept of its event).
 * Its asset and source address are those of the event that completed it,
 * or, when that event is not at hand (sigap detect --store fires after
 * the batch), of the newest member alert (whose registered asset it
 * takes).
 *
 * Besides the asset's text (the fold key's), the event's identity of its
 * machine (agent id and name, host, address, URL) is handed to
 * alert_record, which resolves it to a registered asset only when it
 * opens a new alert (alerts.c): reading it here is a few field lookups a
 * match, nothing a line.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "detect/sigma/correlate.h"
#include "detect/engine/event_json.h"

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

/* The first of names the event holds, into out ("" when none). */
static void first_of(const det_event *ev, const char *const *names, size_t k, char *out, size_t n)
{
	det_str v;
	out[0] = '\0';
	for (size_t i = 0; i < k; i++)
		if (det_event_get(ev, names[i], &v) && v.n && v.n < n) {
			snprintf(out, n, "%.*s", (int)v.n, v.p);
			return;
		}
}

/* What the event names of the machine it is about, for asset_find (read
 * only when a match is recorded; alert_record resolves it only for a new
 * alert): Wazuh's agent id and name, the host (Windows' Computer or a
 * host field, else the syslog header's), the destination address (else the
 * source: an indicator hit is often an inside machine calling out), a
 * URL. */
typedef struct identity {
	char agent_id[32], agent_name[256], host[256], address[64], url[1024];
} identity;

static void identity_of(const det_event *ev, const char *src, identity *id)
{
	static const char *const agent_id[] = {"agent.id"};
	static const char *const agent_name[] = {"agent.name"};
	static const char *const host[] = {"Computer", "hostname", "host.name", "predecoder.hostname"};
	static const char *const dst[] = {"dstip", "data.dstip", "DestinationIp", "dst", "s-ip"};
	static const char *const url[] = {"url", "data.url", "full_url"};
	first_of(ev, agent_id, 1, id->agent_id, sizeof id->agent_id);
	first_of(ev, agent_name, 1, id->agent_name, sizeof id->agent_name);
	/* the log's own host before the header's: a Wazuh event's header host
	 * is its agent's name, the predecoder's the machine that wrote it */
	first_of(ev, host, 4, id->host, sizeof id->host);
	if (id->host[0] == '\0' && ev->host.n > 0 && ev->host.n < sizeof id->host)
		snprintf(id->host, sizeof id->host, "%.*s", (int)ev->host.n, ev->host.p);
	first_of(ev, dst, 5, id->address, sizeof id->address);
	if (id->address[0] == '\0')
		snprintf(id->address, sizeof id->address, "%s", src);
	first_of(ev, url, 3, id->url, sizeof id->url);
}

static void identity_set(alert_in *in, const identity *id)
{
	in->agent_id = id->agent_id;
	in->agent_name = id->agent_name;
	in->host = id->host;
	in->address = id->address;
	in->url = id->url;
}

static int raise(app *a, alert_in *in, const det_event *ev, int64_t window, alert_out *out,
                 sg_err *e)
{
	char asset[256], src[64];
	asset_of(ev, asset, sizeof asset);
	source_ip_of(ev, src, sizeof src);
	identity id;
	identity_of(ev, src, &id);
	identity_set(in, &id);
	in->asset = asset[0] ? asset : NULL;
	in->source_ip = src[0] ? src : NULL;
	in->at = ev->time ? ev->time : app_now(a);
	in->event = det_event_json(ev);
	int r = alert_record(a, in, window, out, e);
	json_decref(in->event);
	return r;
}

int alert_raise_rule(app *a, const det_rule *r, const det_event *ev, const det_hit *hits,
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

int alert_raise_ioc(app *a, const det_hit *hit, const det_event *ev, int64_t window,
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

/* Asset (its text and the asset it was attached to) and source address
 * of an alert (a correlation's member). */
static int alert_place(app *a, int64_t id, char *asset, size_t an, char *src, size_t sn,
                       int64_t *asset_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT asset, source_ip, COALESCE(asset_id, 0) FROM alerts WHERE id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		snprintf(asset, an, "%s", db_col_null(st, 0) ? "" : db_col_text(st, 0));
		snprintf(src, sn, "%s", db_col_null(st, 1) ? "" : db_col_text(st, 1));
		*asset_id = db_col_int(st, 2);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int alert_raise_correlation(app *a, const det_corr_match *m, const det_event *ev, int64_t window,
                            alert_out *out, sg_err *e)
{
	const det_rule *x = m->rule;
	json_t *tags = json_array(), *members = json_array();
	for (size_t i = 0; i < x->n_tags; i++)
		json_array_append_new(tags, json_string(x->tags[i]));
	int64_t newest_alert = 0;
	for (size_t i = 0; i < m->n_members; i++) {
		const det_corr_member *mb = &m->members[i];
		json_t *o = json_pack("{s:I, s:s, s:o}", "at", (json_int_t)mb->time, "rule",
		                      det_corr_member_name(x, mb->member), "event",
		                      det_text_json(mb->excerpt, strlen(mb->excerpt)));
		if (mb->ref) {
			json_object_set_new(o, "alert", json_integer((json_int_t)mb->ref));
			newest_alert = (int64_t)mb->ref;
		}
		json_array_append_new(members, o);
	}
	json_t *corr = json_pack("{s:s, s:s, s:I, s:I, s:I, s:o}", "type", x->correlation, "group",
	                         m->key, "count", (json_int_t)m->count, "first", (json_int_t)m->first,
	                         "last", (json_int_t)m->last, "members", members);
	json_t *event = ev ? det_event_json(ev) : json_object();
	json_object_set_new(event, "correlation", corr);
	char asset[256] = "", src[64] = "";
	identity id = {0};
	int64_t asset_id = 0;
	if (ev) {
		asset_of(ev, asset, sizeof asset);
		source_ip_of(ev, src, sizeof src);
		identity_of(ev, src, &id);
	} else if (newest_alert && alert_place(a, newest_alert, asset, sizeof asset, src, sizeof src,
	                                       &asset_id, e) != 0) {
		json_decref(tags);
		json_decref(event);
		return -1;
	}
	alert_in in = {.kind = "rule", .rule_id = x->id, .title = x->title,
	               .level = x->level ? x->level : "medium", .tags = tags,
	               .asset = asset[0] ? asset : NULL, .source_ip = src[0] ? src : NULL,
	               .at = m->last, .event = event, .asset_id = asset_id};
	if (ev)
		identity_set(&in, &id);
	else if (asset_id == 0) /* the member's stored text, as the migration reads it */
		in.agent_name = in.host = asset;
	int rc = alert_record(a, &in, window, out, e);
	json_decref(tags);
	json_decref(event);
	return rc;
}
