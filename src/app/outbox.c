/*
 * outbox.c: the messages sigap sends, kept in the store until delivered.
 *
 * A change that tells someone (a case's step now waits for a role, a
 * case closed, a new high or critical alert) writes its message into the
 * outbox in the change's own transaction: committed together or not at
 * all, so a crash never loses a message nor sends one for a change that
 * did not happen. Each `sigap serve` runs one sender thread (its own
 * connection) that takes due messages one at a time (a conditional
 * UPDATE, so two nodes never take the same one), delivers it through
 * notify/, and records the result: terkirim, or a retry after
 * retry_after doubling up to an hour, or gagal after retry_max tries.
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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_row.h"
#include "col_json.h"
#include "notify/webhook.h"

enum { DUE_BATCH = 16, RETRY_CAP = 3600, ROUND_MS = 1000, LIST_MAX = 500 };

static const char UNCERTAIN[] = "its sender stopped while delivering it: it may have arrived";

static bool wanted(const app *a, unsigned ev)
{
	return a->cfg.nt_webhook_url && (a->cfg.nt_events & ev);
}

static int put(app *a, const char *event, const char *object, json_t *body, sg_err *e)
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

static json_t *link_to(const app *a, const char *path, const char *id)
{
	if (a->cfg.nt_link_base == NULL)
		return json_null();
	size_t n = strlen(a->cfg.nt_link_base);
	char url[1024];
	snprintf(url, sizeof url, "%.*s%s%s", (int)(n && a->cfg.nt_link_base[n - 1] == '/' ? n - 1 : n),
	         a->cfg.nt_link_base, path, id);
	return json_string(url);
}

int outbox_case(app *a, const char *ticket, sg_err *e)
{
	if (!wanted(a, NOTIFY_EV_STEP | NOTIFY_EV_CLOSED))
		return 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " CASE_ROW_COLUMNS ", title, tlp, closed_at FROM cases "
	                    "WHERE ticket = ?",
	                    "s", ticket) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		return rc == DB_DONE ? sg_err_set(e, SG_ENOTFOUND, "no case '%s'", ticket) : -1;
	}
	case_row row;
	case_row_read(st, &row);
	const char *tlp = db_col_text(st, 7);
	bool red = tlp && strcmp(tlp, "TLP:RED") == 0;
	/* a TLP:RED case's title stays inside the team: the receiver is a
	 * channel outside sigap's need-to-know */
	json_t *c = json_pack("{s:s, s:s, s:o, s:o, s:b}", "ticket", ticket, "procedure",
	                      row.procedure_id, "title",
	                      red ? json_null() : col_json_text(st, 6), "tlp", col_json_text(st, 7),
	                      "title_withheld", red);
	int64_t closed_at = db_col_int(st, 8);
	db_finalize(st);
	const sop_entry *en;
	sg_err ignore = {0};
	const sop_procedure *proc = case_procedure(a, &row, &en, &ignore);
	if (proc)
		json_object_set_new(c, "procedure_name", json_string(proc->nama));
	json_t *body;
	const char *event;
	if (row.open) {
		if (!wanted(a, NOTIFY_EV_STEP)) {
			json_decref(c);
			return 0;
		}
		event = "langkah.menunggu";
		int idx = proc ? sop_step_index(proc, row.step_no) : -1;
		json_t *step = json_pack("{s:i, s:I}", "no", row.step_no, "since",
		                         (json_int_t)row.step_started_at);
		if (idx >= 0) {
			const sop_step *s = &proc->steps[idx];
			json_object_set_new(step, "activity", json_string(s->uraian));
			json_object_set_new(step, "role", s->role ? json_string(s->role) : json_null());
			json_object_set_new(step, "due_at",
			                    s->waktu.unit == WAKTU_NONE
			                        ? json_null()
			                        : json_integer(sla_due(&a->cfg.cal, &s->waktu,
			                                               row.step_started_at)));
		}
		body = json_pack("{s:s, s:o, s:o}", "event", event, "case", c, "step", step);
	} else {
		if (!wanted(a, NOTIFY_EV_CLOSED)) {
			json_decref(c);
			return 0;
		}
		event = "kasus.ditutup";
		body = json_pack("{s:s, s:o, s:I}", "event", event, "case", c, "closed_at",
		                 (json_int_t)closed_at);
	}
	json_object_set_new(body, "at", json_integer(app_now(a)));
	json_object_set_new(body, "link", link_to(a, "/kasus/", ticket));
	char object[64];
	snprintf(object, sizeof object, "case:%s", ticket);
	rc = put(a, event, object, body, e);
	json_decref(body);
	return rc;
}

int outbox_alert(app *a, int64_t id, const alert_in *in, const char *level, sg_err *e)
{
	if (!wanted(a, NOTIFY_EV_ALERT) ||
	    (strcmp(level, "high") != 0 && strcmp(level, "critical") != 0))
		return 0;
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)id);
	json_t *body = json_pack(
	    "{s:s, s:I, s:{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I}}", "event", "peringatan.tinggi",
	    "at", (json_int_t)app_now(a), "alert", "id", (json_int_t)id, "kind", in->kind, "title",
	    in->title, "level", level, "rule_id", in->rule_id, "asset", in->asset, "source_ip",
	    in->source_ip, "first_seen", (json_int_t)in->at);
	if (body == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	json_object_set_new(body, "link", link_to(a, "/peringatan/", num));
	char object[40];
	snprintf(object, sizeof object, "alert:%lld", (long long)id);
	int rc = put(a, "peringatan.tinggi", object, body, e);
	json_decref(body);
	return rc;
}

/* ---- the admin's view ---- */

static int admin_only(app *a, const char *user, sg_err *e)
{
	json_t *roles = user_roles(a, user, e);
	if (roles == NULL)
		return -1;
	bool ok = roles_hold(roles, "admin");
	json_decref(roles);
	return ok ? 0
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
	         "claimed_by, claimed_at, sent_at, last_error FROM outbox WHERE state %s "
	         "ORDER BY id DESC LIMIT %d",
	         delivered ? "= 'terkirim'" : "<> 'terkirim'", LIST_MAX);
	if (db_prepare(a->db, sql, &st, e) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    out, json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:o, s:o, s:o}", "id",
		                   (json_int_t)db_col_int(st, 0), "channel", col_json_text(st, 1),
		                   "event", col_json_text(st, 2), "object", col_json_text(st, 3),
		                   "created_at", (json_int_t)db_col_int(st, 4), "state",
		                   col_json_text(st, 5), "attempts", (json_int_t)db_col_int(st, 6),
		                   "next_at", (json_int_t)db_col_int(st, 7), "claimed_by",
		                   col_json_text(st, 8), "claimed_at", col_json_int(st, 9), "sent_at",
		                   col_json_int(st, 10), "last_error", col_json_text(st, 11)));
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
			sg_err_set(e, SG_ESTATE,
			           "message %lld is %s: only a message that gagal or is tidak_pasti "
			           "is sent again",
			           (long long)id, state);
		else
			sg_err_set(e, SG_ESTATE,
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
	json_t *d = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "object", object, "from",
	                      state, "to", resend ? "menunggu" : "terkirim");
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

/* ---- the sender ---- */

struct outbox_sender {
	int (*open_app)(app *a, sg_err *e);
	char node[160];
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool running, stopping;
};

typedef struct due {
	int64_t id, attempts;
	char event[64];
	char *body;
} due;

/* Takes message d (if no other sender did), delivers it, records how it
 * went. */
static void deliver(app *a, const char *node, due *d)
{
	sg_err e = {0};
	int64_t now = app_now(a);
	if (db_run(a->db, &e,
	           "UPDATE outbox SET state = 'dikirim', claimed_by = ?, claimed_at = ?, "
	           "attempts = attempts + 1 WHERE id = ? AND state = 'menunggu'",
	           "sii", node, now, d->id) != 0 ||
	    db_changes(a->db) != 1)
		return;
	const app_config *c = &a->cfg;
	notify_webhook w = {c->nt_webhook_url, c->nt_webhook_secret, c->nt_ca_file,
	                    (long)c->nt_timeout};
	char why[300] = "";
	int ok = notify_webhook_post(&w, d->event, d->id, d->body, (int64_t)time(NULL), why,
	                             sizeof why) == 0;
	now = app_now(a);
	int64_t tries = d->attempts + 1;
	int64_t wait = c->nt_retry_after;
	for (int64_t i = 1; i < tries && wait < RETRY_CAP; i++)
		wait *= 2;
	if (wait > RETRY_CAP)
		wait = RETRY_CAP;
	int rc = ok ? db_run(a->db, &e,
	                     "UPDATE outbox SET state = 'terkirim', sent_at = ?, last_error = NULL "
	                     "WHERE id = ? AND state = 'dikirim'",
	                     "ii", now, d->id)
	            : db_run(a->db, &e,
	                     "UPDATE outbox SET state = ?, next_at = ?, last_error = ? "
	                     "WHERE id = ? AND state = 'dikirim'",
	                     "sisi", tries >= c->nt_retry_max ? "gagal" : "menunggu", now + wait, why,
	                     d->id);
	if (rc != 0)
		fprintf(stderr, "sigap: outbox: message %lld: the result cannot be recorded: %s\n",
		        (long long)d->id, e.msg);
	else if (!ok && tries >= c->nt_retry_max)
		fprintf(stderr, "sigap: outbox: message %lld failed %lld times (%s): an admin can "
		                "send it again from /admin/kotak-keluar\n",
		        (long long)d->id, (long long)tries, why);
}

/* One round: claims of stopped senders given up, then the due messages. */
static int round_once(app *a, const char *node, sg_err *e)
{
	int64_t now = app_now(a);
	if (db_run(a->db, e,
	           "UPDATE outbox SET state = 'tidak_pasti', last_error = ? "
	           "WHERE state = 'dikirim' AND claimed_at < ?",
	           "si", UNCERTAIN, now - a->cfg.nt_timeout - 60) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, attempts, event, body FROM outbox "
	                    "WHERE state = 'menunggu' AND next_at <= ? ORDER BY id LIMIT ?",
	                    "ii", now, (int64_t)DUE_BATCH) != 0)
		return -1;
	due d[DUE_BATCH];
	int n = 0, rc;
	while (n < DUE_BATCH && (rc = db_step(st, e)) == DB_ROW) {
		d[n].id = db_col_int(st, 0);
		d[n].attempts = db_col_int(st, 1);
		snprintf(d[n].event, sizeof d[n].event, "%s", db_col_text(st, 2));
		d[n].body = strdup(db_col_text(st, 3));
		if (d[n].body == NULL)
			abort();
		n++;
	}
	db_finalize(st);
	for (int i = 0; i < n; i++) {
		deliver(a, node, &d[i]);
		free(d[i].body);
	}
	return 0;
}

static void *sender_main(void *arg)
{
	outbox_sender *s = arg;
	app a;
	sg_err e = {0};
	bool open = false, failing = false;
	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		pthread_mutex_unlock(&s->mu);
		if (!open)
			open = s->open_app(&a, &e) == 0;
		if (open && round_once(&a, s->node, &e) == 0) {
			if (failing)
				fprintf(stderr, "sigap: outbox: delivering again\n");
			failing = false;
		} else if (!failing) {
			fprintf(stderr, "sigap: outbox cannot be read (retried every second): %s\n",
			        e.msg);
			failing = true;
		}
		pthread_mutex_lock(&s->mu);
		if (s->stopping)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ROUND_MS / 1000;
		pthread_cond_timedwait(&s->wake, &s->mu, &ts);
	}
	pthread_mutex_unlock(&s->mu);
	if (open)
		app_close(&a);
	return NULL;
}

outbox_sender *outbox_sender_start(int (*open_app)(app *a, sg_err *e), const char *node,
                                   sg_err *e)
{
	app a;
	if (open_app(&a, e) != 0)
		return NULL;
	bool on = a.cfg.nt_webhook_url != NULL;
	/* this node's sender stopped while delivering: those may have arrived */
	int rc = db_run(a.db, e,
	                "UPDATE outbox SET state = 'tidak_pasti', last_error = ? "
	                "WHERE state = 'dikirim' AND claimed_by = ?",
	                "ss", UNCERTAIN, node);
	if (rc == 0 && db_changes(a.db) > 0)
		fprintf(stderr,
		        "sigap: outbox: %lld messages were being delivered when this node stopped: "
		        "they may have arrived, so they are not sent again (see /admin/kotak-keluar)\n",
		        (long long)db_changes(a.db));
	app_close(&a);
	if (rc != 0)
		return NULL;
	outbox_sender *s = calloc(1, sizeof *s);
	if (s == NULL)
		abort();
	s->open_app = open_app;
	snprintf(s->node, sizeof s->node, "%s", node);
	if (!on)
		return s; /* nothing to deliver: no thread */
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->tid, NULL, sender_main, s) != 0) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->wake);
		free(s);
		sg_err_set(e, SG_EIO, "the outbox sender cannot start");
		return NULL;
	}
	s->running = true;
	return s;
}

void outbox_sender_stop(outbox_sender *s)
{
	if (s == NULL)
		return;
	if (s->running) {
		pthread_mutex_lock(&s->mu);
		s->stopping = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->tid, NULL);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->wake);
	}
	free(s);
}
