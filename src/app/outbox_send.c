/*
 * outbox_send.c: the sender of each sigap serve (see outbox.c): one
 * thread with its own connection that, every [notify] sla_check, writes
 * the messages of standard times running out (outbox_sla.c), and once a
 * second gives up the claims of senders that stopped, then takes the due
 * messages one at a time (a conditional UPDATE: two nodes never take the
 * same one), delivers each outside any transaction through notify/
 * (webhook.c, smtp.c, telegram.c) and records the answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/ticker.h"
#include "notify/smtp.h"
#include "notify/telegram.h"
#include "notify/webhook.h"
#include "outbox_int.h"

enum { DUE_BATCH = 16, RETRY_CAP = 3600, ROUND_MS = 1000 };

static const char UNCERTAIN[] = "its sender stopped while delivering it: it may have arrived";

struct outbox_sender {
	int (*open_app)(app *a, sg_err *e);
	char node[300];
	ticker *t;  /* NULL: nothing to deliver, no thread */
	/* the sender thread's own */
	app a;
	bool open, failing;
	int64_t sla_at; /* when the standard times were last checked */
};

typedef struct due {
	int64_t id, attempts, created;
	char channel[16], event[64];
	char *recipient, *user, *subject, *body;
} due;

static char *dup_or_null(const char *s)
{
	char *p = s ? strdup(s) : NULL;
	if (s && p == NULL)
		abort();
	return p;
}

static void due_free(due *d)
{
	free(d->recipient);
	free(d->user);
	free(d->subject);
	free(d->body);
	memset(d, 0, sizeof *d);
}

/* Delivers d by its channel: 0, or -1 with why. */
static int send_one(const app_config *c, const due *d, char *why, size_t n)
{
	int64_t now = (int64_t)time(NULL);
	if (strcmp(d->channel, "email") == 0) {
		if (c->nt_smtp_url == NULL) {
			snprintf(why, n, "no mail server: [notify] smtp_url is not set");
			return -1;
		}
		/* a reporter (no user) answers into the intake mailbox: a
		 * reply there becomes a comment of the case (mail_intake.c) */
		notify_smtp s = {c->nt_smtp_url,      c->nt_smtp_user,        c->nt_smtp_password,
		                 c->nt_smtp_from,     c->nt_ca_file,          !c->nt_smtp_plain,
		                 (long)c->nt_timeout, c->cal.zone->offset_min,
		                 d->user == NULL ? c->in_mail_address : NULL};
		return notify_smtp_send(&s, d->recipient ? d->recipient : "",
		                        d->subject ? d->subject : "", d->body, d->id, d->created,
		                        now, why, n);
	}
	if (strcmp(d->channel, "telegram") == 0) {
		if (c->nt_telegram_token == NULL) {
			snprintf(why, n, "no bot: [notify] telegram_token is not set");
			return -1;
		}
		notify_telegram t = {c->nt_telegram_api, c->nt_telegram_token, c->nt_ca_file,
		                     (long)c->nt_timeout};
		return notify_telegram_send(&t, d->recipient ? d->recipient : "", d->body, why, n);
	}
	if (c->nt_webhook_url == NULL) {
		snprintf(why, n, "no receiver: [notify] webhook_url is not set");
		return -1;
	}
	notify_webhook w = {c->nt_webhook_url, c->nt_webhook_secret, c->nt_ca_file,
	                    (long)c->nt_timeout};
	return notify_webhook_post(&w, d->event, d->id, d->body, now, why, n);
}

/* Takes message id when it is still due and no other sender took it,
 * and reads it as taken (an admin may have sent it again, a TLP:RED
 * label withheld a title since the round listed it). */
static bool claim(app *a, const char *node, int64_t id, due *d)
{
	sg_err e = {0};
	int64_t now = app_now(a);
	if (db_run(a->db, &e,
	           "UPDATE outbox SET state = 'dikirim', claimed_by = ?, claimed_at = ?, "
	           "attempts = attempts + 1 WHERE id = ? AND state = 'menunggu' AND next_at <= ?",
	           "siii", node, now, id, now) != 0 ||
	    db_changes(a->db) != 1)
		return false;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, &e,
	                    "SELECT attempts, channel, event, recipient, user_name, subject, body, "
	                    "created_at FROM outbox WHERE id = ?",
	                    "i", id) != 0)
		return false;
	bool ok = db_step(st, &e) == DB_ROW;
	if (ok) {
		d->id = id;
		d->attempts = db_col_int(st, 0);
		snprintf(d->channel, sizeof d->channel, "%s", db_col_text(st, 1));
		snprintf(d->event, sizeof d->event, "%s", db_col_text(st, 2));
		d->recipient = dup_or_null(db_col_text(st, 3));
		d->user = dup_or_null(db_col_text(st, 4));
		d->subject = dup_or_null(db_col_text(st, 5));
		d->body = dup_or_null(db_col_text(st, 6));
		d->created = db_col_int(st, 7);
	}
	db_finalize(st);
	return ok;
}

/* A user's message goes to them as they are now: one disabled, or who
 * turned e-mail off or has no address (no chat), is not written to
 * (dibatalkan: 1); a changed address or chat is used (0); -1 on a read
 * error. */
static int recipient_now(app *a, due *d, char *why, size_t n)
{
	bool tg = strcmp(d->channel, "telegram") == 0;
	if ((!tg && strcmp(d->channel, "email") != 0) || d->user == NULL)
		return 0;
	sg_err e = {0};
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, &e,
	                    tg ? "SELECT telegram_chat, 1, disabled FROM users WHERE name = ?"
	                       : "SELECT email, notify_email, disabled FROM users WHERE name = ?",
	                    "s", d->user) != 0)
		return -1;
	int rc = db_step(st, &e), out = 0;
	if (rc != DB_ROW) {
		snprintf(why, n, "user %s no longer exists", d->user);
		out = rc == DB_DONE ? 1 : -1;
	} else if (db_col_int(st, 2) != 0) {
		snprintf(why, n, "user %s is disabled", d->user);
		out = 1;
	} else if (db_col_int(st, 1) == 0 || db_col_null(st, 0)) {
		snprintf(why, n,
		         tg ? "user %s removed their Telegram chat" : "user %s turned e-mail off",
		         d->user);
		out = 1;
	} else if (d->recipient == NULL || strcmp(d->recipient, db_col_text(st, 0)) != 0) {
		free(d->recipient);
		d->recipient = dup_or_null(db_col_text(st, 0));
	}
	db_finalize(st);
	return out;
}

/* Delivers message id (when this sender takes it) and records how it
 * went; false when a delivery was tried and failed. */
static bool deliver(app *a, const char *node, int64_t id)
{
	due d = {0};
	if (!claim(a, node, id, &d))
		return true;
	sg_err e = {0};
	const app_config *c = &a->cfg;
	char why[300] = "";
	int who = recipient_now(a, &d, why, sizeof why);
	if (who == 1) {
		if (db_run(a->db, &e,
		           "UPDATE outbox SET state = 'dibatalkan', last_error = ? "
		           "WHERE id = ? AND state = 'dikirim'",
		           "si", why, id) != 0)
			log_say(LOG_ERROR, "outbox: message %lld: %s", (long long)id, e.msg);
		due_free(&d);
		return true;
	}
	int ok = who == 0 && send_one(c, &d, why, sizeof why) == 0;
	int64_t now = app_now(a);
	int64_t tries = d.attempts;
	int64_t wait = c->nt_retry_after;
	for (int64_t i = 1; i < tries && wait < RETRY_CAP; i++)
		wait *= 2;
	if (wait > RETRY_CAP)
		wait = RETRY_CAP;
	int rc =
	    ok ? db_run(a->db, &e,
	                "UPDATE outbox SET state = 'terkirim', sent_at = ?, last_error = NULL, "
	                "recipient = ? WHERE id = ? AND state = 'dikirim'",
	                "isi", now, d.recipient, id)
	       : db_run(a->db, &e,
	                "UPDATE outbox SET state = ?, next_at = ?, last_error = ? "
	                "WHERE id = ? AND state = 'dikirim'",
	                "sisi", tries >= c->nt_retry_max ? "gagal" : "menunggu", now + wait,
	                why[0] ? why : "the store could not be read", id);
	if (rc != 0)
		log_say(LOG_ERROR, "outbox: message %lld: the result cannot be recorded: %s",
		        (long long)id, e.msg);
	else if (!ok && tries >= c->nt_retry_max)
		log_say(LOG_WARN,
		        "outbox: message %lld (%s%s%s) failed %lld times (%s): an admin can "
		        "send it again from /admin/kotak-keluar\n",
		        (long long)id, d.channel, d.recipient ? " to " : "",
		        d.recipient ? d.recipient : "", (long long)tries, why);
	due_free(&d);
	return ok;
}

/* One round: claims of stopped senders given up, then the due messages.
 * A channel whose delivery failed waits for the next round, so a
 * receiver that hangs costs one timeout a round, not one a message, and
 * does not hold up the other channel. */
static int round_once(app *a, outbox_sender *s, ticker *t, sg_err *e)
{
	int64_t now = app_now(a);
	if (db_run(a->db, e,
	           "UPDATE outbox SET state = 'tidak_pasti', last_error = ? "
	           "WHERE state = 'dikirim' AND claimed_at < ?",
	           "si", UNCERTAIN, now - a->cfg.nt_timeout - 60) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, channel FROM outbox "
	                    "WHERE state = 'menunggu' AND next_at <= ? ORDER BY id LIMIT ?",
	                    "ii", now, (int64_t)DUE_BATCH) != 0)
		return -1;
	int64_t ids[DUE_BATCH];
	int ch[DUE_BATCH]; /* 0 webhook, 1 email, 2 telegram */
	int n = 0, rc;
	while (n < DUE_BATCH && (rc = db_step(st, e)) == DB_ROW) {
		const char *c = db_col_text(st, 1);
		ids[n] = db_col_int(st, 0);
		ch[n++] = strcmp(c, "email") == 0 ? 1 : strcmp(c, "telegram") == 0 ? 2 : 0;
	}
	db_finalize(st);
	bool down[3] = {false, false, false};
	for (int i = 0; i < n && !ticker_stopping(t); i++)
		if (!down[ch[i]] && !deliver(a, s->node, ids[i]))
			down[ch[i]] = true;
	return 0;
}

static long sender_round(ticker *t, void *arg)
{
	outbox_sender *s = arg;
	sg_err e = {0};
	if (s->open && !app_config_current(&s->a)) {
		app_close(&s->a); /* the configuration was reloaded */
		s->open = false;
	}
	if (!s->open)
		s->open = s->open_app(&s->a, &e) == 0;
	/* the steps whose standard time runs out write their messages
	 * first, so this round delivers them */
	int64_t now = (int64_t)time(NULL);
	if (s->open && now - s->sla_at >= s->a.cfg.nt_sla_check) {
		sg_err se = {0};
		if (outbox_sla_round(&s->a, &se) != 0)
			log_say(LOG_WARN, "outbox: standard times not checked: %s", se.msg);
		if (outbox_monthly_round(&s->a, &se) != 0)
			log_say(LOG_WARN, "outbox: monthly report not announced: %s", se.msg);
		/* exceptions begin, end and are reminded of on the same beat */
		if (exception_round(&s->a, NULL, &se) != 0)
			log_say(LOG_WARN, "exceptions not brought up to date: %s", se.msg);
		if (policy_round(&s->a, NULL, &se) != 0)
			log_say(LOG_WARN, "policy reviews not opened: %s", se.msg);
		s->sla_at = now;
	}
	if (s->open && round_once(&s->a, s, t, &e) == 0) {
		if (s->failing)
			log_say(LOG_INFO, "outbox: delivering again");
		s->failing = false;
	} else if (!s->failing) {
		log_say(LOG_WARN, "outbox cannot be read (retried every second): %s", e.msg);
		s->failing = true;
	}
	return ROUND_MS;
}

static void sender_done(void *arg)
{
	outbox_sender *s = arg;
	if (s->open)
		app_close(&s->a);
}

outbox_sender *outbox_sender_start(int (*open_app)(app *a, sg_err *e), const char *node, sg_err *e)
{
	app a;
	if (open_app(&a, e) != 0)
		return NULL;
	bool on = a.cfg.nt_webhook_url || a.cfg.nt_smtp_url || a.cfg.nt_telegram_token;
	/* this node's sender stopped while delivering: those may have arrived.
	 * A server restarted under a flood of input waits its turn for the
	 * write lock (each try waits the store's busy timeout) rather than
	 * refusing to start */
	int rc;
	for (int tries = 0;; tries++) {
		rc = db_run(a.db, e,
		            "UPDATE outbox SET state = 'tidak_pasti', last_error = ? "
		            "WHERE state = 'dikirim' AND claimed_by = ?",
		            "ss", UNCERTAIN, node);
		if (rc == 0 || e->code != SG_EBUSY || tries == 5)
			break;
	}
	if (rc == 0 && db_changes(a.db) > 0)
		fprintf(
		    stderr,
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
	s->t = ticker_start(0, sender_round, sender_done, s);
	if (!s->t) {
		free(s);
		sg_err_set(e, SG_EIO, "the outbox sender cannot start");
		return NULL;
	}
	return s;
}

void outbox_sender_stop(outbox_sender *s)
{
	if (s == NULL)
		return;
	ticker_stop(s->t);
	free(s);
}
