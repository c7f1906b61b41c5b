/*
 * outbox.c: the messages sigap sends, kept in the store until delivered.
 *
 * A change that tells someone (a case's step now waits for a role, a
 * case closed, a new high or critical alert) writes its message into the
 * outbox in the change's own transaction: committed together or not at
 * all, so a crash never loses a message nor sends one for a change that
 * did not happen. A message is one row a channel and recipient: the
 * webhook's JSON (here), an e-mail to each user concerned
 * (outbox_mail.c). Each `sigap serve` runs one sender thread
 * (outbox_send.c) that delivers them and records the result: terkirim,
 * or a retry after retry_after doubling up to an hour, or gagal after
 * retry_max tries. This file also holds the admin's view and decisions.
 *
 * A sender that stops while delivering (SIGKILL, power) leaves its
 * message 'dikirim' with no answer recorded: the receiver may have it.
 * It is not sent again on its own (nothing twice): at its node's next
 * start, or timeout + a minute later from any node, it becomes
 * tidak_pasti, which an admin resolves from /admin/kotak-keluar (retry,
 * or mark delivered after checking the receiver's X-Sigap-Delivery).
 *
 * What a message says: docs/notifications.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "case_row.h"
#include "col_json.h"
#include "outbox_int.h"

enum { LIST_MAX = 500 };

static bool hooked(const app *a, unsigned ev)
{
	return a->cfg.nt_webhook_url && (a->cfg.nt_events & ev);
}

/* Whether users are told of ev personally (e-mail, Telegram). */
static bool personal(const app *a, unsigned ev)
{
	return (a->cfg.nt_smtp_url || a->cfg.nt_telegram_token) && (a->cfg.nt_events & ev);
}

static int put_webhook(app *a, const char *event, const char *object, json_t *body, sg_err *e)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	int64_t now = app_now(a), id;
	int rc = db_insert(a->db, e, &id,
	                   "INSERT INTO outbox (channel, event, object, body, created_at, next_at) "
	                   "VALUES ('webhook', ?, ?, ?, ?, ?)",
	                   "sssii", event, object, text, now, now);
	free(text);
	return rc;
}

void outbox_link(const app *a, const char *path, const char *id, char *out, size_t n)
{
	const char *base = a->cfg.nt_link_base;
	if (base == NULL) {
		out[0] = '\0';
		return;
	}
	size_t k = strlen(base);
	snprintf(out, n, "%.*s%s%s", (int)(k && base[k - 1] == '/' ? k - 1 : k), base, path, id);
}

static json_t *link_json(const app *a, const char *path, const char *id)
{
	char url[1024];
	outbox_link(a, path, id, url, sizeof url);
	return url[0] ? json_string(url) : json_null();
}

/* The webhook's JSON of a case's news. */
static int hook_case(app *a, const case_news *n, sg_err *e)
{
	json_t *c = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:b}", "ticket", n->ticket, "procedure",
	                      n->procedure_id, "procedure_name", n->procedure_name, "title",
	                      n->title, "tlp", n->tlp, "title_withheld", n->title == NULL);
	const char *event = n->event;
	json_t *body;
	if (n->open) {
		json_t *step =
		    json_pack("{s:i, s:I}", "no", n->step_no, "since", (json_int_t)n->since);
		if (n->step) {
			json_object_set_new(step, "activity", json_string(n->step->uraian));
			json_object_set_new(
			    step, "role", n->step->role ? json_string(n->step->role) : json_null());
			json_object_set_new(step, "due_at",
			                    n->due_at ? json_integer(n->due_at) : json_null());
		}
		body = json_pack("{s:s, s:o, s:o}", "event", event, "case", c, "step", step);
	} else {
		body = json_pack("{s:s, s:o, s:I}", "event", event, "case", c, "closed_at",
		                 (json_int_t)n->closed_at);
	}
	json_object_set_new(body, "at", json_integer(app_now(a)));
	json_object_set_new(body, "link", link_json(a, "/kasus/", n->ticket));
	char object[64];
	snprintf(object, sizeof object, "case:%s", n->ticket);
	int rc = put_webhook(a, event, object, body, e);
	json_decref(body);
	return rc;
}

int outbox_case(app *a, const char *ticket, const char *actor, sg_err *e)
{
	return outbox_case_news(a, ticket, actor, NEWS_STEP, e);
}

int outbox_case_news(app *a, const char *ticket, const char *actor, news_kind kind, sg_err *e)
{
	unsigned ev = kind == NEWS_STEP ? NOTIFY_EV_STEP | NOTIFY_EV_CLOSED : NOTIFY_EV_SLA;
	if (!hooked(a, ev) && !personal(a, ev))
		return 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " CASE_ROW_COLUMNS ", title, tlp, closed_at, created_by "
	                    "FROM cases WHERE ticket = ?",
	                    "s", ticket) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		return rc == DB_DONE ? sg_err_set(e, SG_ENOTFOUND, "no case '%s'", ticket) : -1;
	}
	case_row row;
	case_row_read(st, &row);
	char title[600] = "", tlp[40] = "", created_by[128] = "";
	snprintf(title, sizeof title, "%s", db_col_text(st, 6) ? db_col_text(st, 6) : "");
	snprintf(tlp, sizeof tlp, "%s", db_col_text(st, 7) ? db_col_text(st, 7) : "");
	snprintf(created_by, sizeof created_by, "%s", db_col_text(st, 9) ? db_col_text(st, 9) : "");
	case_news n = {.kind = kind,
	               .ticket = ticket,
	               .procedure_id = row.procedure_id,
	               /* a TLP:RED case's title stays inside the team: a message
	                * leaves sigap's need-to-know (a webhook, a mail server) */
	               .title = strcmp(tlp, "TLP:RED") == 0 ? NULL : title,
	               .tlp = tlp[0] ? tlp : NULL,
	               .created_by = created_by,
	               .actor = actor,
	               .open = row.open,
	               .step_no = row.step_no,
	               .since = row.step_started_at,
	               .closed_at = db_col_int(st, 8)};
	db_finalize(st);
	const sop_entry *en;
	sg_err ignore = {0};
	const sop_procedure *proc = case_procedure(a, &row, &en, &ignore);
	if (proc) {
		n.procedure_name = proc->nama;
		int idx = n.open ? sop_step_index(proc, row.step_no) : -1;
		if (idx >= 0) {
			n.step = &proc->steps[idx];
			n.role_name = n.step->role ? sop_role_name(en->sop, n.step->role) : NULL;
			if (n.step->waktu.unit != WAKTU_NONE)
				n.due_at =
				    sla_due(&a->cfg.cal, &n.step->waktu, row.step_started_at);
		}
	}
	if (kind != NEWS_STEP && (!n.open || n.step == NULL || n.due_at == 0))
		return 0; /* a standard time only runs on an open step that has one */
	n.event = kind == NEWS_SLA_SOON   ? "tenggat.segera"
	          : kind == NEWS_SLA_LATE ? "tenggat.lewat"
	          : n.open                ? "langkah.menunggu"
	                                  : "kasus.ditutup";
	unsigned this = kind != NEWS_STEP ? NOTIFY_EV_SLA
	                : n.open          ? NOTIFY_EV_STEP
	                                  : NOTIFY_EV_CLOSED;
	if (hooked(a, this) && hook_case(a, &n, e) != 0)
		return -1;
	return personal(a, this) ? outbox_mail_case(a, &n, e) : 0;
}

int outbox_alert(app *a, int64_t id, const alert_in *in, const char *level, sg_err *e)
{
	if (strcmp(level, "high") != 0 && strcmp(level, "critical") != 0)
		return 0;
	if (personal(a, NOTIFY_EV_ALERT) && outbox_mail_alert(a, id, in, level, e) != 0)
		return -1;
	if (!hooked(a, NOTIFY_EV_ALERT))
		return 0;
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)id);
	json_t *body = json_pack(
	    "{s:s, s:I, s:{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I}}", "event",
	    "peringatan.tinggi", "at", (json_int_t)app_now(a), "alert", "id", (json_int_t)id,
	    "kind", in->kind, "title", in->title, "level", level, "rule_id", in->rule_id, "asset",
	    in->asset, "source_ip", in->source_ip, "first_seen", (json_int_t)in->at);
	if (body == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	json_object_set_new(body, "link", link_json(a, "/peringatan/", num));
	char object[40];
	snprintf(object, sizeof object, "alert:%lld", (long long)id);
	int rc = put_webhook(a, "peringatan.tinggi", object, body, e);
	json_decref(body);
	return rc;
}

/* body with its title withheld, malloc'd; NULL when there is none. */
static char *withheld(const char *channel, const char *body)
{
	if (strcmp(channel, "webhook") == 0) {
		json_t *b = json_loads(body, 0, NULL);
		json_t *c = json_object_get(b, "case");
		char *out = NULL;
		if (json_is_object(c) && json_is_string(json_object_get(c, "title"))) {
			json_object_set_new(c, "title", json_null());
			json_object_set_new(c, "title_withheld", json_true());
			out = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
		}
		json_decref(b);
		return out;
	}
	bool en = strstr(body, TITLE_LINE) == NULL;
	const char *line = en ? TITLE_LINE_EN : TITLE_LINE;
	const char *held = en ? TITLE_WITHHELD_EN : TITLE_WITHHELD;
	const char *at = strstr(body, line);
	if (at == NULL || strncmp(at + strlen(line), held, strlen(held)) == 0)
		return NULL;
	const char *end = strchr(at, '\n');
	buf b = BUF_INIT;
	buf_append(&b, body, (size_t)(at - body));
	buf_puts(&b, line);
	buf_puts(&b, held);
	buf_puts(&b, end ? end : "\n");
	return buf_steal(&b);
}

int outbox_withhold_title(app *a, const char *ticket, sg_err *e)
{
	char object[64];
	snprintf(object, sizeof object, "case:%s", ticket);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, channel, body FROM outbox WHERE object = ? "
	                    "AND state <> 'terkirim' AND state <> 'dibatalkan'",
	                    "s", object) != 0)
		return -1;
	int64_t ids[256];
	char *bodies[256];
	int n = 0, rc;
	while (n < 256 && (rc = db_step(st, e)) == DB_ROW) {
		char *w = withheld(db_col_text(st, 1), db_col_text(st, 2));
		if (w) {
			ids[n] = db_col_int(st, 0);
			bodies[n++] = w;
		}
	}
	db_finalize(st);
	int out = 0;
	for (int i = 0; i < n; i++) {
		if (out == 0)
			out = db_run(a->db, e, "UPDATE outbox SET body = ? WHERE id = ?", "si",
			             bodies[i], ids[i]);
		free(bodies[i]);
	}
	return out;
}

/* ---- the admin's view ---- */

static int admin_only(app *a, const char *user, sg_err *e)
{
	int h = user_holds(a, user, "admin", e);
	if (h < 0)
		return -1;
	return h ? 0
	         : sg_err_set(e, SG_EPERM, "user '%s' is not an admin: the outbox is the admin's",
	                      user);
}

json_t *outbox_list(app *a, const char *viewer, bool delivered, sg_err *e)
{
	if (admin_only(a, viewer, e) != 0)
		return NULL;
	db_stmt *st;
	char sql[400];
	snprintf(sql, sizeof sql,
	         "SELECT id, channel, event, object, created_at, state, attempts, next_at, "
	         "claimed_by, claimed_at, sent_at, last_error, recipient, user_name "
	         "FROM outbox WHERE state %s "
	         "ORDER BY id DESC LIMIT %d",
	         delivered ? "= 'terkirim'" : "<> 'terkirim'", LIST_MAX);
	if (db_prepare(a->db, sql, &st, e) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *m = json_pack(
		    "{s:I, s:o, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:o, s:o, s:o}", "id",
		    (json_int_t)db_col_int(st, 0), "channel", col_json_text(st, 1), "event",
		    col_json_text(st, 2), "object", col_json_text(st, 3), "created_at",
		    (json_int_t)db_col_int(st, 4), "state", col_json_text(st, 5), "attempts",
		    (json_int_t)db_col_int(st, 6), "next_at", (json_int_t)db_col_int(st, 7),
		    "claimed_by", col_json_text(st, 8), "claimed_at", col_json_int(st, 9),
		    "sent_at", col_json_int(st, 10), "last_error", col_json_text(st, 11));
		/* an e-mail's address and user: whose address failed */
		json_object_set_new(m, "recipient", col_json_text(st, 12));
		json_object_set_new(m, "user", col_json_text(st, 13));
		json_array_append_new(out, m);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int outbox_counts(app *a, int64_t *waiting, int64_t *stuck, sg_err *e)
{
	if (db_query_int(a->db, e, waiting,
	                 "SELECT COUNT(*) FROM outbox WHERE state IN ('menunggu', 'dikirim')",
	                 "") != DB_ROW)
		return -1;
	return db_query_int(a->db, e, stuck,
	                    "SELECT COUNT(*) FROM outbox WHERE state IN ('gagal', 'tidak_pasti')",
	                    "") == DB_ROW
	           ? 0
	           : -1;
}

/* An admin's decision on a message that gagal or is tidak_pasti. */
static int decide(app *a, const char *actor, int64_t id, bool resend, sg_err *e)
{
	if (admin_only(a, actor, e) != 0 || db_begin(a->db, e) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT state, object FROM outbox WHERE id = ?", "i",
	                    id) != 0)
		goto fail;
	char state[16] = "", object[200] = "";
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		snprintf(state, sizeof state, "%s", db_col_text(st, 0));
		snprintf(object, sizeof object, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no message %lld in the outbox", (long long)id);
		goto fail;
	}
	bool stuck = strcmp(state, "gagal") == 0 || strcmp(state, "tidak_pasti") == 0;
	if (!stuck || (!resend && strcmp(state, "tidak_pasti") != 0)) {
		if (resend)
			sg_err_set(
			    e, SG_ESTATE,
			    "message %lld is %s: only a message that gagal or is tidak_pasti "
			    "is sent again",
			    (long long)id, state);
		else
			sg_err_set(
			    e, SG_ESTATE,
			    "message %lld is %s: only a message that is tidak_pasti is marked "
			    "delivered",
			    (long long)id, state);
		goto fail;
	}
	int64_t now = app_now(a);
	if ((resend ? db_run(a->db, e,
	                     "UPDATE outbox SET state = 'menunggu', attempts = 0, next_at = ?, "
	                     "claimed_by = NULL, claimed_at = NULL WHERE id = ?",
	                     "ii", now, id)
	            : db_run(a->db, e,
	                     "UPDATE outbox SET state = 'terkirim', sent_at = ? WHERE id = ?", "ii",
	                     now, id)) != 0)
		goto fail;
	char ref[40];
	snprintf(ref, sizeof ref, "outbox:%lld", (long long)id);
	json_t *d = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "object", object,
	                      "from", state, "to", resend ? "menunggu" : "terkirim");
	rc = logbook_append(a, actor, resend ? "outbox.resend" : "outbox.settle", ref, d, e);
	json_decref(d);
	if (rc != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int outbox_resend(app *a, const char *actor, int64_t id, sg_err *e)
{
	return decide(a, actor, id, true, e);
}

int outbox_settle(app *a, const char *actor, int64_t id, sg_err *e)
{
	return decide(a, actor, id, false, e);
}
