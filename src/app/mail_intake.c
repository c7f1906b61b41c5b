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
 * cases' evidence tells whether its case was committed. The case or
 * comment, the message, its attachments and the claim's end are one
 * transaction. A message that cannot be parsed still opens a case, with
 * what could not be read noted and the message itself attached. One
 * larger than [intake] max_size (or [evidence] max_size) is recorded,
 * logged, and left in the mailbox marked read and flagged for an officer;
 * so is one whose case cannot be written in TRIES_MAX tries (gagal): the
 * round moves on to newer mail instead of stopping at it. Automatic
 * answers (Auto-Submitted, X-Autoreply), delivery reports (Return-Path
 * <>, multipart/report, MAILER-DAEMON), lists and bulk mail (Precedence,
 * List-Id) and sigap's own messages are not reports: recorded as
 * diabaikan, so an out-of-office reply or a bounce never opens a case and
 * a loop never starts. A reply is the reporter's only when it comes from
 * the address the case was reported from and its subject carries the
 * case's reply code (case_reply_code): a sender forged to look like the
 * reporter does not know it, and opens a case of its own instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/log.h"
#include "base/ticker.h"
#include "app.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "case_row.h"
#include "notify/imap.h"
#include "notify/mime.h"
#include "notify/smtp.h"

enum {
	UIDS_MAX = 200,         /* messages taken in one round, at most */
	TEXT_MAX = 20000,       /* bytes of a message's text taken */
	COMMENT_CUT = 19000,    /* bytes of a reply's comment, notes included */
	REPORT_CUT = 60000,     /* bytes of a description, notes included */
	TITLE_CUT = 250,        /* bytes of a title taken from a subject */
	NAME_CUT = 200,         /* bytes of a reporter's name taken from From */
	CLAIM_STALE = 10 * 60,  /* seconds after which another node's claim is retried */
	TRIES_MAX = 3,          /* writes of a message's case before it is gagal */
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
	int64_t claimed_at, tries;
	bool ours; /* this call holds it */
} claim;

/* The claim of message uid: made now, or taken over from a node that
 * held it longer than CLAIM_STALE (or let it go), one node at a time. */
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
			    "SELECT state, COALESCE(ticket, ''), claimed_at, tries FROM mail_intake "
			    "WHERE uidvalidity = ? AND uid = ?",
			    "ii", (int64_t)validity, (int64_t)uid) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		snprintf(out->state, sizeof out->state, "%s", db_col_text(st, 0));
		snprintf(out->ticket, sizeof out->ticket, "%s", db_col_text(st, 1));
		out->claimed_at = db_col_int(st, 2);
		out->tries = db_col_int(st, 3);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return -1;
	if (!out->ours && strcmp(out->state, "diproses") == 0 &&
	    now - out->claimed_at >= CLAIM_STALE) {
		if (db_run(a->db, e,
			   "UPDATE mail_intake SET claimed_at = ? WHERE uidvalidity = ? AND uid = ? "
			   "AND state = 'diproses' AND claimed_at = ?",
			   "iiii", now, (int64_t)validity, (int64_t)uid, out->claimed_at) != 0)
			return -1;
		out->ours = db_changes(a->db) > 0;
	}
	return 0;
}

/* Lets the claim go, so the next round (of any node) takes the message
 * again at once: the mailbox could not be read, nothing was written. */
static void claim_release(app *a, uint32_t validity, uint32_t uid)
{
	sg_err ignored = {0};
	db_run(a->db, &ignored,
	       "UPDATE mail_intake SET claimed_at = 0 WHERE uidvalidity = ? AND uid = ? AND "
	       "state = 'diproses'",
	       "ii", (int64_t)validity, (int64_t)uid);
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

/* The name the message itself is kept under as evidence. */
static void raw_name_of(uint32_t validity, uint32_t uid, char out[96])
{
	snprintf(out, 96, "surel-%u-%u.eml", validity, uid);
}

/* The case whose evidence holds this message (raw, under its name and
 * SHA-256: committed before a crash), into ticket: 1 as a new case (the
 * form's evidence), 2 as a reply (a comment's), 0 none. */
static int committed_case(app *a, uint32_t validity, uint32_t uid, const char *sha,
			  char ticket[32], sg_err *e)
{
	char name[96];
	raw_name_of(validity, uid, name);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT c.ticket, COALESCE(ce.field, '') FROM case_evidence ce JOIN cases c "
			    "ON c.id = ce.case_id WHERE ce.sha256 = ? AND ce.filename = ? AND "
			    "ce.origin LIKE 'surel:%' ORDER BY ce.id LIMIT 1",
			    "ss", sha, name) != 0)
		return -1;
	int rc = db_step(st, e), kind = 0;
	if (rc == DB_ROW) {
		snprintf(ticket, 32, "%s", db_col_text(st, 0));
		kind = strcmp(db_col_text(st, 1), "bukti") == 0 ? 1 : 2;
	}
	db_finalize(st);
	return rc < 0 ? -1 : kind;
}

/* ---- what a message is ---------------------------------------------- */

/* Whether address's local part is one a mail system, not a person,
 * sends from (RFC 2142: delivery reports and the postmaster). */
static bool system_sender(const char *address)
{
	static const char *const locals[] = {"mailer-daemon", "postmaster", "mail-daemon",
					     "noreply", "no-reply", "do-not-reply", "donotreply"};
	size_t n = strcspn(address, "@");
	for (size_t i = 0; i < sizeof locals / sizeof *locals; i++)
		if (strlen(locals[i]) == n && strncasecmp(address, locals[i], n) == 0)
			return true;
	return false;
}

/* Why m is no report (an automatic answer, a delivery report, a list, a
 * loop), or NULL. */
static const char *not_a_report(const app *a, const mime_msg *m)
{
	if (m->auto_submitted && strcmp(m->auto_submitted, "no") != 0)
		return "jawaban otomatis (Auto-Submitted)";
	if (m->autoreply)
		return "jawaban otomatis (X-Autoreply)";
	if (m->bounce)
		return "laporan pengiriman surel (bounce)";
	if (m->precedence && (strcmp(m->precedence, "bulk") == 0 || strcmp(m->precedence, "junk") == 0 ||
			      strcmp(m->precedence, "list") == 0 ||
			      strcmp(m->precedence, "auto_reply") == 0))
		return "surel massal atau milis (Precedence)";
	if (m->list)
		return "pesan milis (List-Id)";
	if (m->from_addr == NULL)
		return NULL; /* a report all the same: its case says so */
	if (system_sender(m->from_addr))
		return "pesan sistem surel (MAILER-DAEMON, postmaster, no-reply)";
	char own[256];
	if (a->cfg.nt_smtp_from && notify_from_address(a->cfg.nt_smtp_from, own, sizeof own) &&
	    strcasecmp(own, m->from_addr) == 0)
		return "pesan sigap sendiri (alamat pengirim sigap)";
	if ((a->cfg.in_mail_user && strcasecmp(a->cfg.in_mail_user, m->from_addr) == 0) ||
	    (a->cfg.in_mail_address && strcasecmp(a->cfg.in_mail_address, m->from_addr) == 0))
		return "pesan dari kotak surel penerima sendiri";
	if (m->message_id && strncmp(m->message_id, "sigap.", 6) == 0)
		return "pesan sigap sendiri (Message-ID)";
	return NULL;
}

static bool letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A ticket (ABC-2026-0001, in any case) in s, into out in capitals;
 * false when none. */
static bool ticket_in(const char *s, char out[32])
{
	for (const char *p = s; p && *p; p++) {
		size_t k = 0;
		while (letter(p[k]) && k < 6)
			k++;
		if (k < 2 || p[k] != '-' || (p > s && letter(p[-1])))
			continue;
		const char *q = p + k + 1;
		size_t y = strspn(q, "0123456789");
		if (y != 4 || q[4] != '-')
			continue;
		size_t n = strspn(q + 5, "0123456789");
		if (n < 4 || n > 8)
			continue;
		size_t len = (size_t)(q + 5 + n - p);
		for (size_t i = 0; i < len; i++)
			out[i] = p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 32) : p[i];
		out[len] = '\0';
		return true;
	}
	return false;
}

/* Whether s carries "#CODE" (any case). */
static bool reply_code_in(const char *s, const char *code)
{
	for (const char *p = s ? strchr(s, '#') : NULL; p; p = strchr(p + 1, '#'))
		if (strncasecmp(p + 1, code, REPLY_CODE_LEN) == 0 &&
		    !letter(p[1 + REPLY_CODE_LEN]) &&
		    !(p[1 + REPLY_CODE_LEN] >= '0' && p[1 + REPLY_CODE_LEN] <= '9'))
			return true;
	return false;
}

/* Whether m is a reply to case ticket by its reporter: from the address
 * the case was reported from, with the case's reply code in the subject.
 * 1 yes, 0 no (*why then says why not, or NULL when the case is not the
 * sender's at all), -1 error. */
static int reporter_reply(app *a, const mime_msg *m, const char *ticket, const char **why,
			  sg_err *e)
{
	*why = NULL;
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
	int same = c && m->from_addr && strcasecmp(c, m->from_addr) == 0;
	json_decref(f);
	if (!same)
		return 0;
	char code[REPLY_CODE_LEN + 1];
	int has = case_reply_code(a, ticket, code, e);
	if (has < 0)
		return -1;
	if (has == 1 && reply_code_in(m->subject, code))
		return 1;
	*why = "subjek menyebut tiket kasus pengirim tanpa kode balasannya (#KODE dari surel "
	       "sigap): dibuka sebagai laporan baru";
	return 0;
}

/* What the officer should know of how the message was read, appended to
 * text: problems, attachments too large to keep apart. */
static void notes(const mime_msg *m, const char *also, buf *b)
{
	bool any = m->n_problems > 0 || also;
	for (size_t i = 0; i < m->n_parts; i++)
		any |= m->parts[i].too_big;
	if (!any)
		return;
	buf_puts(b, "\n\n[Catatan sigap: ");
	if (also)
		buf_printf(b, "%s; ", also);
	for (size_t i = 0; i < m->n_parts; i++)
		if (m->parts[i].too_big)
			buf_printf(b, "lampiran %s (%zu bita) melebihi batas dan tidak disimpan terpisah; ",
				   m->parts[i].filename, m->parts[i].size);
	if (m->n_problems)
		buf_puts(b, "bagian pesan yang tidak dapat dibaca sempurna: ");
	for (size_t i = 0; i < m->n_problems; i++)
		buf_printf(b, "%s; ", m->problems[i]);
	buf_puts(b, "pesan asli lengkap terlampir sebagai berkas .eml.]");
}

/* prefix, the message's text and the notes, at most max bytes (cut on
 * a character, saying so: the whole message is attached). */
/* text without its quoted lines ("> ..."): a reply quotes sigap's
 * receipt, whose tracking code must not be written into the case and the
 * logbook (the store keeps only its hash). *dropped: whether any was. */
static char *unquoted(const char *text, bool *dropped)
{
	buf b = BUF_INIT;
	*dropped = false;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (*p == '>')
			*dropped = true;
		else
			buf_append(&b, p, n + (p[n] == '\n'));
		p += n + (p[n] == '\n');
	}
	return buf_steal(&b);
}

static char *compose(const char *prefix, const mime_msg *m, const char *empty, const char *also,
		     bool reply, size_t max)
{
	bool cut_off, dropped = false;
	char *own = reply && m->text ? unquoted(m->text, &dropped) : NULL;
	const char *text = own ? own : m->text;
	char *body = cut(text && *text ? text : empty, TEXT_MAX, &cut_off);
	free(own);
	if (dropped && also == NULL)
		also = "kutipan pesan sebelumnya (baris yang diawali '>') tidak disalin";
	buf t = BUF_INIT;
	buf_printf(&t, "%s%s", prefix, body);
	free(body);
	if (cut_off)
		buf_puts(&t, "\n[dipotong; pesan lengkap terlampir]");
	notes(m, also, &t);
	static const char mark[] = "\n[dipotong; pesan lengkap terlampir]";
	char *out;
	if (t.len > max) {
		char *c = cut(buf_str(&t), max - sizeof mark, &cut_off);
		buf b = BUF_INIT;
		buf_printf(&b, "%s%s", c, mark);
		free(c);
		out = buf_steal(&b);
	} else {
		out = buf_steal(&t);
	}
	buf_free(&t);
	return out;
}

/* The attachments of m kept apart, as evidence of ticket; their files in
 * f[0 .. *n), for the caller to unplace when its transaction is rolled
 * back, and to discard. */
static int attach_parts(app *a, const char *ticket, const mime_msg *m, const char *origin,
			evidence_file *f, size_t *n, sg_err *e)
{
	for (size_t i = 0; i < m->n_parts; i++) {
		const mime_part *p = &m->parts[i];
		if (p->too_big || p->data == NULL)
			continue;
		if (evidence_spool_data(a, p->data, p->len, &f[*n], e) != 0)
			return -1;
		case_upload u = {NULL, p->filename, &f[(*n)++]};
		char sha[65];
		if (case_attach(a, ticket, "publik", &u, origin, sha, e) != 0)
			return -1;
	}
	return 0;
}

/* ---- one message ---------------------------------------------------- */

static int open_case(app *a, const mime_msg *m, const char *raw_name, const evidence_file *raw,
		     const char *origin, const char *also, char ticket[32], sg_err *e)
{
	bool cut_off;
	char *title = cut(m->subject && *m->subject ? m->subject : "Laporan melalui surel", TITLE_CUT,
			  &cut_off);
	char *name = cut(m->from_name && *m->from_name ? m->from_name
			 : m->from_addr                ? m->from_addr
						       : "(pengirim tidak dapat dibaca)",
			 NAME_CUT, &cut_off);
	char *text = compose("", m, "(Pesan surel tanpa teks; lihat pesan asli yang terlampir.)",
			     m->from_addr ? also
					  : "alamat pengirim (From) tidak dapat dibaca; tanda terima "
					    "tidak dikirim",
			     false, REPORT_CUT);
	const sop_value fields[] = {
		{"pelapor_nama", name},
		{"pelapor_kontak", m->from_addr ? m->from_addr : "-"},
		{"sistem_terdampak", "Belum disebutkan (laporan melalui surel)"},
		{"uraian_kejadian", text},
		{"bukti", raw_name}, /* the message itself, as the form's evidence */
	};
	case_upload up = {"bukti", raw_name, raw};
	case_new_req req = {REPORT_PROCEDURE, title, fields, 5, "publik", origin, &up, 1};
	char tracking[21];
	int r = case_report_public(a, &req, ticket, tracking, e);
	free(title);
	free(name);
	free(text);
	return r;
}

static int add_reply(app *a, const mime_msg *m, const char *ticket, const char *raw_name,
		     const evidence_file *raw, const char *origin, sg_err *e)
{
	char prefix[400], author[300], sha[65];
	snprintf(prefix, sizeof prefix, "Balasan pelapor melalui surel (%s):\n\n", m->from_addr);
	char *text = compose(prefix, m, "(balasan tanpa teks)", NULL, true, COMMENT_CUT);
	snprintf(author, sizeof author, "surel:%s", m->from_addr);
	case_upload up = {NULL, raw_name, raw};
	int r = case_comment_as(a, ticket, author, text, origin, e);
	if (r == 0)
		r = case_attach(a, ticket, "publik", &up, origin, sha, e);
	free(text);
	return r;
}

/* Marks uid read (flagged: for an officer), the claim's end committed. */
static int mark(const imap_conf *c, uint32_t uid, bool flag, sg_err *e)
{
	char why[600];
	return imap_mark_seen(c, uid, flag, why, sizeof why) == 0 ? 0
								  : sg_err_set(e, SG_EIO, "%s", why);
}

/* The largest message taken: what both [intake] and [evidence] allow,
 * since the message itself is kept as evidence. */
static int64_t max_message(const app *a)
{
	return a->cfg.evidence_max < a->cfg.in_mail_max ? a->cfg.evidence_max : a->cfg.in_mail_max;
}

static int too_big(app *a, const imap_conf *c, uint32_t validity, uint32_t uid, int64_t size,
		   intake_stats *s, sg_err *e)
{
	s->too_big++;
	char note[200];
	snprintf(note, sizeof note, "%lld bita, batas %lld bita ([intake] atau [evidence] max_size)",
		 (long long)size, (long long)max_message(a));
	if (db_begin(a->db, e) != 0)
		return -1;
	if (claim_settle(a, validity, uid, "terlalu_besar", NULL, NULL, size, NULL, note, e) != 0 ||
	    logbook_record(a, "sigap:surel", "intake.too_big", "mail", "intake",
			   json_pack("{s:I, s:I}", "uid", (json_int_t)uid, "size", (json_int_t)size),
			   e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	log_say(LOG_WARN,
		"intake: message UID %u is %lld bytes, over max_size: left in the mailbox, "
		"read and flagged, for an officer",
		uid, (long long)size);
	return mark(c, uid, true, e);
}

/* A message whose case could not be written: tried again next round,
 * until the TRIES_MAX-th failure settles it as gagal (logged, flagged). */
static int write_failed(app *a, const imap_conf *c, uint32_t validity, uint32_t uid,
			const mime_msg *m, const char *sha, int64_t size, const char *error,
			sg_err *e)
{
	int64_t tries = 0;
	if (db_run(a->db, e,
		   "UPDATE mail_intake SET tries = tries + 1, note = ?, claimed_at = 0, "
		   "message_id = ?, sender = ?, subject = ? "
		   "WHERE uidvalidity = ? AND uid = ? AND state = 'diproses'",
		   "ssssii", error, m->message_id, m->from_addr, m->subject, (int64_t)validity,
		   (int64_t)uid) != 0 ||
	    db_query_int(a->db, e, &tries,
			 "SELECT tries FROM mail_intake WHERE uidvalidity = ? AND uid = ?", "ii",
			 (int64_t)validity, (int64_t)uid) != DB_ROW)
		return -1;
	if (tries < TRIES_MAX)
		return 0;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (claim_settle(a, validity, uid, "gagal", m, sha, size, NULL, error, e) != 0 ||
	    logbook_record(a, "sigap:surel", "intake.failed", "mail", "intake",
			   json_pack("{s:I, s:s?, s:s?, s:s}", "uid", (json_int_t)uid, "from",
				     m->from_addr, "subject", m->subject, "error", error),
			   e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	log_say(LOG_WARN,
		"intake: message UID %u could not be taken in %d tries (%s): left in the "
		"mailbox, read and flagged, for an officer",
		uid, TRIES_MAX, error);
	return mark(c, uid, true, e);
}

/* In one transaction: m (raw, sha) becomes a comment of the case its
 * subject names or a new case, with its attachments, and the claim is
 * settled. */
static int write_message(app *a, uint32_t validity, uint32_t uid, const mime_msg *m,
			 const buf *raw, const char *sha, intake_stats *s, sg_err *e)
{
	char ticket[32] = "", t[32], origin[300], raw_name[96];
	snprintf(origin, sizeof origin, "surel:%s", m->from_addr ? m->from_addr : "?");
	raw_name_of(validity, uid, raw_name);
	evidence_file f;
	if (evidence_spool_data(a, raw->data ? raw->data : "", raw->len, &f, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0) {
		evidence_file_discard(&f);
		return -1;
	}
	const char *why = NULL;
	int reply = m->from_addr && ticket_in(m->subject, t) ? reporter_reply(a, m, t, &why, e) : 0;
	int rc = reply < 0 ? -1 : 0;
	if (rc == 0 && reply) {
		snprintf(ticket, sizeof ticket, "%s", t);
		rc = add_reply(a, m, ticket, raw_name, &f, origin, e);
	} else if (rc == 0) {
		rc = open_case(a, m, raw_name, &f, origin, why, ticket, e);
	}
	evidence_file *parts = calloc(m->n_parts ? m->n_parts : 1, sizeof *parts);
	size_t n_parts = 0;
	if (parts == NULL)
		abort();
	if (rc == 0)
		rc = attach_parts(a, ticket, m, origin, parts, &n_parts, e);
	if (rc == 0)
		rc = claim_settle(a, validity, uid, reply ? "komentar" : "kasus", m, sha,
				  (int64_t)raw->len, ticket, why, e);
	if (rc == 0)
		rc = db_commit(a->db, e);
	else
		db_rollback(a->db);
	/* rolled back: no file of this message stays without its row (each
	 * is removed when this message's spool file put it there) */
	if (rc != 0)
		evidence_unplace(a, &f);
	evidence_file_discard(&f);
	for (size_t i = 0; i < n_parts; i++) {
		if (rc != 0)
			evidence_unplace(a, &parts[i]);
		evidence_file_discard(&parts[i]);
	}
	free(parts);
	if (rc == 0) {
		s->comments += reply == 1;
		s->cases += reply == 0;
	}
	return rc;
}

static int take_one(app *a, const imap_conf *c, uint32_t validity, uint32_t uid,
		    intake_stats *s, sg_err *e)
{
	claim cl;
	if (claim_take(a, validity, uid, &cl, e) != 0)
		return -1;
	if (strcmp(cl.state, "terlalu_besar") == 0 || strcmp(cl.state, "gagal") == 0)
		return mark(c, uid, true, e); /* settled; unseen again: for an officer */
	if (strcmp(cl.state, "diproses") != 0)
		return mark(c, uid, false, e); /* settled before a crash */
	if (!cl.ours)
		return 0; /* another node takes it now */
	buf raw = BUF_INIT;
	int64_t size = 0;
	char why[600];
	if (imap_fetch(c, uid, (size_t)max_message(a), &raw, &size, why, sizeof why) != 0) {
		buf_free(&raw);
		if (size > max_message(a))
			return too_big(a, c, validity, uid, size, s, e);
		claim_release(a, validity, uid);
		return sg_err_set(e, SG_EIO, "%s", why);
	}
	char sha[65];
	sha256_hex(raw.data ? raw.data : "", raw.len, sha);
	mime_msg m;
	mime_limits lim = {64, 8, (size_t)a->cfg.evidence_max, TEXT_MAX * 4};
	char ticket[32] = "";
	if (mime_parse(raw.data ? raw.data : "", raw.len, &lim, &m, e) != 0) {
		claim_release(a, validity, uid);
		buf_free(&raw);
		return -1;
	}
	int rc, done = committed_case(a, validity, uid, sha, ticket, e);
	const char *skip = done == 0 ? not_a_report(a, &m) : NULL;
	if (done < 0) {
		rc = -1;
	} else if (done > 0) {
		rc = claim_settle(a, validity, uid, done == 2 ? "komentar" : "kasus", &m, sha,
				  (int64_t)raw.len, ticket, NULL, e);
	} else if (skip) {
		s->ignored++;
		rc = db_begin(a->db, e);
		if (rc == 0 && (claim_settle(a, validity, uid, "diabaikan", &m, sha, (int64_t)raw.len,
					     NULL, skip, e) != 0 ||
				logbook_record(a, "sigap:surel", "intake.ignored", "mail", "intake",
					       json_pack("{s:I, s:s?, s:s?, s:s}", "uid",
							 (json_int_t)uid, "from", m.from_addr,
							 "subject", m.subject, "reason", skip),
					       e) != 0 ||
				db_commit(a->db, e) != 0)) {
			db_rollback(a->db);
			rc = -1;
		}
	} else {
		rc = write_message(a, validity, uid, &m, &raw, sha, s, e);
		if (rc != 0) {
			/* what stopped it, for the claim and the log */
			char error[sizeof e->msg];
			snprintf(error, sizeof error, "%s", e->msg);
			if (write_failed(a, c, validity, uid, &m, sha, (int64_t)raw.len, error, e) ==
			    0)
				sg_err_set(e, SG_EIO, "%s", error);
		}
	}
	if (rc == 0)
		rc = mark(c, uid, false, e);
	mime_msg_free(&m);
	buf_free(&raw);
	return rc;
}

int mail_intake_round(app *a, bool (*stop)(void *), void *arg, intake_stats *s, sg_err *e)
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
	for (size_t i = 0; i < n && !(stop && stop(arg)); i++) {
		sg_err one = {0};
		if (take_one(a, &c, validity, uids[i], s, &one) != 0) {
			s->failed++;
			log_say(LOG_WARN, "intake: message UID %u not taken: %s", uids[i],
				one.msg);
		}
	}
	return 0;
}

/* ---- the poller ----------------------------------------------------- */

struct mail_intake {
	int (*open_app)(app *a, sg_err *e);
	ticker *t; /* NULL: no mailbox, no thread */
	/* the poller thread's own */
	app a;
	bool open, failing;
};

/* Whether sigap serve is stopping: a round ends between two messages. */
static bool stopping(void *t)
{
	return ticker_stopping(t);
}

static long poller_round(ticker *t, void *arg)
{
	mail_intake *p = arg;
	sg_err e = {0};
	if (p->open && !app_config_current(&p->a)) {
		app_close(&p->a); /* the configuration was reloaded */
		p->open = false;
	}
	if (!p->open)
		p->open = p->open_app(&p->a, &e) == 0;
	intake_stats s;
	if (p->open && mail_intake_round(&p->a, stopping, t, &s, &e) == 0) {
		if (p->failing)
			log_say(LOG_INFO, "intake: reading the mailbox again");
		p->failing = false;
		if (s.cases || s.comments || s.ignored || s.too_big)
			log_say(LOG_INFO, "intake: %d new cases, %d replies, %d not reports, %d too large",
			        s.cases, s.comments, s.ignored, s.too_big);
	} else if (!p->failing) {
		log_say(LOG_WARN, "intake: the mailbox cannot be read (tried every %llds): %s",
		        p->open ? (long long)p->a.cfg.in_mail_poll : 60LL, e.msg);
		p->failing = true;
	}
	return (long)(p->open ? p->a.cfg.in_mail_poll : 60) * 1000L;
}

static void poller_done(void *arg)
{
	mail_intake *p = arg;
	if (p->open)
		app_close(&p->a);
}

mail_intake *mail_intake_start(int (*open_app)(app *a, sg_err *e), bool on, sg_err *e)
{
	mail_intake *p = calloc(1, sizeof *p);
	if (p == NULL)
		abort();
	p->open_app = open_app;
	if (!on)
		return p;
	p->t = ticker_start(0, poller_round, poller_done, p);
	if (!p->t) {
		free(p);
		sg_err_set(e, SG_EIO, "cannot start the mail intake");
		return NULL;
	}
	return p;
}

void mail_intake_stop(mail_intake *p)
{
	if (p == NULL)
		return;
	ticker_stop(p->t);
	free(p);
}
