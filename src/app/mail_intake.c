/*
 * mail_intake.c: reports by e-mail. A mailbox ([intake]) is polled over
 * IMAP (notify/imap.c); each new message becomes an incident case as if
 * its sender had filled in the public form /lapor: the reporter is the
 * sender, the subject the title, the text the description, the whole
 * message (.eml) and each attachment evidence with a custody record, and
 * the sender gets the ticket and a tracking code by e-mail (outbox). A
 * reply whose subject carries the ticket of a case the sender reported is
 * added to that case as a comment instead.
 *
 * Nothing lost, nothing doubled. A message is claimed in mail_intake by
 * the mailbox's UIDVALIDITY and its UID before anything else, and marked
 * \Seen only once what it became is committed; after a crash between the
 * two, the claim is found again and the raw message's SHA-256 among the
 * cases' evidence tells whether its case was committed. A message that
 * cannot be parsed still opens a case, with what could not be read noted
 * and the message itself attached; one larger than [intake] max_size stays
 * in the mailbox, unseen, recorded and logged for an officer. Automatic
 * answers (Auto-Submitted), lists and bulk mail (Precedence, List-Id) and
 * sigap's own messages are not reports: recorded as diabaikan, so an
 * out-of-office reply never opens a case and a loop never starts.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "case_row.h"
#include "notify/imap.h"
#include "notify/mime.h"
#include "notify/smtp.h"

enum {
	UIDS_MAX = 200,         /* messages taken in one round, at most */
	TEXT_MAX = 20000,       /* bytes of a description or a comment */
	TITLE_CUT = 250,        /* bytes of a title taken from a subject */
	CLAIM_STALE = 10 * 60,  /* seconds after which another node's claim is retried */
};

static const char REPORT_PROCEDURE[] = "insiden";

static void imap_conf_of(const app_config *c, imap_conf *out)
{
	*out = (imap_conf){c->in_mail_url, c->in_mail_user, c->in_mail_password, c->in_mail_ca_file,
			   c->in_mail_timeout, c->in_mail_plain};
}

/* s cut at n bytes on a character boundary, into a new string. */
static char *cut(const char *s, size_t n, bool *cut_off)
{
	size_t len = strlen(s);
	*cut_off = len > n;
	if (len > n) {
		len = n;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	char *out = strndup(s, len);
	if (out == NULL)
		abort();
	return out;
}

/* ---- the claim ------------------------------------------------------ */

typedef struct claim {
	char state[16];
	char ticket[32];
	int64_t claimed_at;
	bool ours; /* this call made it */
} claim;

static int claim_take(app *a, uint32_t validity, uint32_t uid, claim *out, sg_err *e)
{
	int64_t now = app_now(a);
	memset(out, 0, sizeof *out);
	if (db_run(a->db, e,
		   "INSERT INTO mail_intake (uidvalidity, uid, state, claimed_at) VALUES (?, ?, "
		   "'diproses', ?) ON CONFLICT (uidvalidity, uid) DO NOTHING",
		   "iii", (int64_t)validity, (int64_t)uid, now) != 0)
		return -1;
	out->ours = db_changes(a->db) > 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT state, COALESCE(ticket, ''), claimed_at FROM mail_intake "
			    "WHERE uidvalidity = ? AND uid = ?",
			    "ii", (int64_t)validity, (int64_t)uid) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		snprintf(out->state, sizeof out->state, "%s", db_col_text(st, 0));
		snprintf(out->ticket, sizeof out->ticket, "%s", db_col_text(st, 1));
		out->claimed_at = db_col_int(st, 2);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int claim_settle(app *a, uint32_t validity, uint32_t uid, const char *state,
			const mime_msg *m, const char *sha, int64_t size, const char *ticket,
			const char *note, sg_err *e)
{
	return db_run(a->db, e,
		      "UPDATE mail_intake SET state = ?, message_id = ?, sender = ?, subject = ?, "
		      "sha256 = ?, size = ?, ticket = ?, note = ?, done_at = ? "
		      "WHERE uidvalidity = ? AND uid = ?",
		      "sssssissiii", state, m ? m->message_id : NULL, m ? m->from_addr : NULL,
		      m ? m->subject : NULL, sha, size, ticket, note, app_now(a), (int64_t)validity,
		      (int64_t)uid);
}

/* The case whose evidence holds the raw message sha (a case committed
 * before a crash), into ticket; 0 none. */
static int committed_case(app *a, const char *sha, char ticket[32], sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT c.ticket FROM case_evidence ce JOIN cases c ON c.id = ce.case_id "
			    "WHERE ce.sha256 = ? AND ce.origin LIKE 'surel:%' ORDER BY ce.id LIMIT 1",
			    "s", sha) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		snprintf(ticket, 32, "%s", db_col_text(st, 0));
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---- what a message is ---------------------------------------------- */

/* Why m is no report (an automatic answer, a list, a loop), or NULL. */
static const char *not_a_report(const app *a, const mime_msg *m)
{
	if (m->auto_submitted && strcmp(m->auto_submitted, "no") != 0)
		return "jawaban otomatis (Auto-Submitted)";
	if (m->precedence && (strcmp(m->precedence, "bulk") == 0 || strcmp(m->precedence, "junk") == 0 ||
			      strcmp(m->precedence, "list") == 0 ||
			      strcmp(m->precedence, "auto_reply") == 0))
		return "surel massal atau milis (Precedence)";
	if (m->list)
		return "pesan milis (List-Id)";
	if (m->from_addr == NULL)
		return "pengirim tidak dapat dibaca";
	char own[256];
	if (a->cfg.nt_smtp_from && notify_from_address(a->cfg.nt_smtp_from, own, sizeof own) &&
	    strcasecmp(own, m->from_addr) == 0)
		return "pesan sigap sendiri (alamat pengirim sigap)";
	if (a->cfg.in_mail_user && strcasecmp(a->cfg.in_mail_user, m->from_addr) == 0)
		return "pesan dari kotak surel penerima sendiri";
	if (m->message_id && strncmp(m->message_id, "sigap.", 6) == 0)
		return "pesan sigap sendiri (Message-ID)";
	return NULL;
}

/* A ticket (ABC-2026-0001) in s, into out; false when none. */
static bool ticket_in(const char *s, char out[32])
{
	for (const char *p = s; p && *p; p++) {
		size_t k = 0;
		while (p[k] >= 'A' && p[k] <= 'Z' && k < 6)
			k++;
		if (k < 2 || p[k] != '-' || (p > s && p[-1] >= 'A' && p[-1] <= 'Z'))
			continue;
		const char *q = p + k + 1;
		size_t y = strspn(q, "0123456789");
		if (y != 4 || q[4] != '-')
			continue;
		size_t n = strspn(q + 5, "0123456789");
		if (n < 4 || n > 8)
			continue;
		snprintf(out, 32, "%.*s", (int)(q + 5 + n - p), p);
		return true;
	}
	return false;
}

/* Whether the case ticket was reported by address (its pelapor_kontak). */
static int reported_by(app *a, const char *ticket, const char *address, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT fields FROM cases WHERE ticket = ?", "s",
			    ticket) != 0)
		return -1;
	int rc = db_step(st, e);
	json_t *f = rc == DB_ROW ? json_loads(db_col_text(st, 0), 0, NULL) : NULL;
	db_finalize(st);
	if (rc < 0)
		return -1;
	const char *c = json_string_value(json_object_get(f, "pelapor_kontak"));
	int same = c && strcasecmp(c, address) == 0;
	json_decref(f);
	return same;
}

/* What the officer should know of how the message was read, appended to
 * text: problems, attachments too large to keep apart. */
static void notes(const mime_msg *m, buf *b)
{
	bool any = m->n_problems > 0;
	for (size_t i = 0; i < m->n_parts; i++)
		any |= m->parts[i].too_big;
	if (!any)
		return;
	buf_puts(b, "\n\n[Catatan sigap: ");
	for (size_t i = 0; i < m->n_parts; i++)
		if (m->parts[i].too_big)
			buf_printf(b, "lampiran %s (%zu bita) melebihi batas dan tidak disimpan terpisah; ",
				   m->parts[i].filename, m->parts[i].size);
	for (size_t i = 0; i < m->n_problems; i++)
		buf_printf(b, "%s; ", m->problems[i]);
	buf_puts(b, "pesan asli lengkap terlampir sebagai berkas .eml.]");
}

/* The attachments of m kept apart, as evidence of ticket. */
static int attach_parts(app *a, const char *ticket, const mime_msg *m, const char *origin,
			sg_err *e)
{
	for (size_t i = 0; i < m->n_parts; i++) {
		const mime_part *p = &m->parts[i];
		if (p->too_big || p->data == NULL)
			continue;
		evidence_file f;
		if (evidence_spool_data(a, p->data, p->len, &f, e) != 0)
			return -1;
		case_upload u = {NULL, p->filename, &f};
		char sha[65];
		int r = case_attach(a, ticket, "publik", &u, origin, sha, e);
		evidence_file_discard(&f);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* ---- one message ---------------------------------------------------- */

static int open_case(app *a, const mime_msg *m, const char *raw_name, const evidence_file *raw,
		     const char *origin, char ticket[32], sg_err *e)
{
	bool cut_off;
	char *title = cut(m->subject && *m->subject ? m->subject : "Laporan melalui surel", TITLE_CUT,
			  &cut_off);
	buf text = BUF_INIT;
	char *body = cut(m->text && *m->text ? m->text : "(Pesan surel tanpa teks; lihat pesan asli "
							 "yang terlampir.)",
			 TEXT_MAX, &cut_off);
	buf_puts(&text, body);
	if (cut_off)
		buf_puts(&text, "\n[dipotong; pesan lengkap terlampir]");
	notes(m, &text);
	const sop_value fields[] = {
		{"pelapor_nama", m->from_name && *m->from_name ? m->from_name : m->from_addr},
		{"pelapor_kontak", m->from_addr},
		{"sistem_terdampak", "Belum disebutkan (laporan melalui surel)"},
		{"uraian_kejadian", buf_str(&text)},
		{"bukti", raw_name}, /* the message itself, as the form's evidence */
	};
	case_upload up = {"bukti", raw_name, raw};
	case_new_req req = {REPORT_PROCEDURE, title, fields, 5, "publik", origin, &up, 1};
	char tracking[21];
	int r = case_report_public(a, &req, ticket, tracking, e);
	free(title);
	free(body);
	buf_free(&text);
	return r;
}

static int add_reply(app *a, const mime_msg *m, const char *ticket, const char *raw_name,
		     const evidence_file *raw, const char *origin, sg_err *e)
{
	bool cut_off;
	char *body = cut(m->text && *m->text ? m->text : "(balasan tanpa teks)", TEXT_MAX, &cut_off);
	buf text = BUF_INIT;
	buf_printf(&text, "Balasan pelapor melalui surel (%s):\n\n%s", m->from_addr, body);
	if (cut_off)
		buf_puts(&text, "\n[dipotong; pesan lengkap terlampir]");
	notes(m, &text);
	char author[300], sha[65];
	snprintf(author, sizeof author, "surel:%s", m->from_addr);
	case_upload up = {"surel", raw_name, raw};
	int r = case_comment_as(a, ticket, author, buf_str(&text), origin, e);
	if (r == 0)
		r = case_attach(a, ticket, "publik", &up, origin, sha, e);
	free(body);
	buf_free(&text);
	return r;
}

static int take_one(app *a, const imap_conf *c, uint32_t validity, uint32_t uid,
		    intake_stats *s, sg_err *e)
{
	claim cl;
	if (claim_take(a, validity, uid, &cl, e) != 0)
		return -1;
	if (strcmp(cl.state, "terlalu_besar") == 0)
		return 0; /* left for an officer, unseen */
	if (strcmp(cl.state, "diproses") != 0) {
		char why[300];
		return imap_mark_seen(c, uid, why, sizeof why) == 0 ? 0
		       : sg_err_set(e, SG_EIO, "%s", why);
	}
	if (!cl.ours && app_now(a) - cl.claimed_at < CLAIM_STALE)
		return 0; /* another node takes it now */
	buf raw = BUF_INIT;
	int64_t size = 0;
	char why[600];
	if (imap_fetch(c, uid, (size_t)a->cfg.in_mail_max, &raw, &size, why, sizeof why) != 0) {
		buf_free(&raw);
		if (size <= a->cfg.in_mail_max)
			return sg_err_set(e, SG_EIO, "%s", why);
		s->too_big++;
		char note[200];
		snprintf(note, sizeof note, "%lld bita, batas [intake] max_size %ld bita", (long long)size,
			 a->cfg.in_mail_max);
		if (claim_settle(a, validity, uid, "terlalu_besar", NULL, NULL, size, NULL, note, e) != 0)
			return -1;
		fprintf(stderr, "sigap: intake: message UID %u is %lld bytes, over [intake] max_size: "
				"left unseen in the mailbox for an officer\n",
			uid, (long long)size);
		return logbook_record(a, "sigap:surel", "intake.too_big", "mail", "intake",
				      json_pack("{s:I, s:I}", "uid", (json_int_t)uid, "size",
						(json_int_t)size),
				      e);
	}
	char sha[65];
	sha256_hex(raw.data ? raw.data : "", raw.len, sha);
	mime_msg m;
	mime_limits lim = {64, 8, (size_t)a->cfg.evidence_max, TEXT_MAX * 4};
	char ticket[32] = "", origin[300], raw_name[96];
	int rc = mime_parse(raw.data ? raw.data : "", raw.len, &lim, &m, e);
	if (rc != 0) {
		buf_free(&raw);
		return -1;
	}
	snprintf(origin, sizeof origin, "surel:%s", m.from_addr ? m.from_addr : "?");
	snprintf(raw_name, sizeof raw_name, "surel-%u-%u.eml", validity, uid);
	const char *state = "kasus", *skip = NULL;
	int done = committed_case(a, sha, ticket, e);
	if (done < 0) {
		rc = -1;
	} else if (done == 0 && (skip = not_a_report(a, &m)) != NULL) {
		state = "diabaikan";
		s->ignored++;
		rc = logbook_record(a, "sigap:surel", "intake.ignored", "mail", "intake",
				    json_pack("{s:I, s:s?, s:s?, s:s}", "uid", (json_int_t)uid, "from",
					      m.from_addr, "subject", m.subject, "reason", skip),
				    e);
	} else if (done == 0) {
		evidence_file f;
		rc = evidence_spool_data(a, raw.data ? raw.data : "", raw.len, &f, e);
		char t[32];
		int mine = rc == 0 && ticket_in(m.subject, t) ? reported_by(a, t, m.from_addr, e) : 0;
		if (mine < 0) {
			rc = -1;
		} else if (rc == 0 && mine) {
			state = "komentar";
			snprintf(ticket, sizeof ticket, "%s", t);
			rc = add_reply(a, &m, ticket, raw_name, &f, origin, e);
			s->comments += rc == 0;
		} else if (rc == 0) {
			rc = open_case(a, &m, raw_name, &f, origin, ticket, e);
			s->cases += rc == 0;
		}
		if (rc == 0)
			rc = attach_parts(a, ticket, &m, origin, e);
		evidence_file_discard(&f);
	}
	if (rc == 0)
		rc = claim_settle(a, validity, uid, state, &m, sha, (int64_t)raw.len,
				  ticket[0] ? ticket : NULL, skip, e);
	if (rc == 0 && imap_mark_seen(c, uid, why, sizeof why) != 0)
		rc = sg_err_set(e, SG_EIO, "%s", why);
	mime_msg_free(&m);
	buf_free(&raw);
	return rc;
}

int mail_intake_round(app *a, intake_stats *s, sg_err *e)
{
	memset(s, 0, sizeof *s);
	if (a->cfg.in_mail_url == NULL)
		return sg_err_set(e, SG_EINVAL, "no mailbox is configured ([intake] url in sigap.conf)");
	if (app_evidence_ready(a, e) != 0)
		return -1;
	imap_conf c;
	imap_conf_of(&a->cfg, &c);
	uint32_t validity, uids[UIDS_MAX];
	size_t n = 0;
	char why[600];
	if (imap_unseen(&c, &validity, uids, UIDS_MAX, &n, why, sizeof why) != 0)
		return sg_err_set(e, SG_EIO, "%s", why);
	/* a mailbox renumbered since (UIDVALIDITY changed) is refused by
	 * fetch and mark rather than a wrong message taken */
	c.uidvalidity = validity;
	s->seen = (int)n;
	for (size_t i = 0; i < n; i++) {
		sg_err one = {0};
		if (take_one(a, &c, validity, uids[i], s, &one) != 0) {
			/* the next round tries it again: its claim stays diproses */
			s->failed++;
			fprintf(stderr, "sigap: intake: message UID %u not taken (tried again): %s\n",
				uids[i], one.msg);
		}
	}
	return 0;
}

/* ---- the poller ----------------------------------------------------- */

struct mail_intake {
	int (*open_app)(app *a, sg_err *e);
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool stopping, running;
};

static void *poller_main(void *arg)
{
	mail_intake *p = arg;
	app a;
	sg_err e = {0};
	bool open = false, failing = false;
	pthread_mutex_lock(&p->mu);
	while (!p->stopping) {
		pthread_mutex_unlock(&p->mu);
		if (!open)
			open = p->open_app(&a, &e) == 0;
		intake_stats s;
		if (open && mail_intake_round(&a, &s, &e) == 0) {
			if (failing)
				fprintf(stderr, "sigap: intake: reading the mailbox again\n");
			failing = false;
			if (s.cases || s.comments || s.ignored || s.too_big)
				fprintf(stderr,
					"sigap: intake: %d new cases, %d replies, %d not reports, %d too "
					"large\n",
					s.cases, s.comments, s.ignored, s.too_big);
		} else if (!failing) {
			fprintf(stderr, "sigap: intake: the mailbox cannot be read (tried every %llds): %s\n",
				open ? (long long)a.cfg.in_mail_poll : 60LL, e.msg);
			failing = true;
		}
		int64_t wait = open ? a.cfg.in_mail_poll : 60;
		pthread_mutex_lock(&p->mu);
		if (p->stopping)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += wait;
		pthread_cond_timedwait(&p->wake, &p->mu, &ts);
	}
	pthread_mutex_unlock(&p->mu);
	if (open)
		app_close(&a);
	return NULL;
}

mail_intake *mail_intake_start(int (*open_app)(app *a, sg_err *e), bool on, sg_err *e)
{
	mail_intake *p = calloc(1, sizeof *p);
	if (p == NULL)
		abort();
	p->open_app = open_app;
	if (!on)
		return p;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->wake, NULL);
	if (pthread_create(&p->tid, NULL, poller_main, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->wake);
		free(p);
		sg_err_set(e, SG_EIO, "cannot start the mail intake");
		return NULL;
	}
	p->running = true;
	return p;
}

void mail_intake_stop(mail_intake *p)
{
	if (p == NULL)
		return;
	if (p->running) {
		pthread_mutex_lock(&p->mu);
		p->stopping = true;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->tid, NULL);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->wake);
	}
	free(p);
}
