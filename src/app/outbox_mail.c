/*
 * outbox_mail.c: who is told of what by e-mail and Telegram, and in
 * which words.
 *
 * A case's step that now waits for a role, or whose standard time runs
 * out soon: each user holding that role who has an address, wants
 * e-mail, may see the case (need-to-know, the same rule as the case's
 * page) and did not make the change; a step past its standard time: the
 * same, and the kabid (the escalation the SOPs name). A case closed: the
 * user who opened it, and a citizen who reported it on /lapor at the
 * address they gave there (who also got the ticket and the tracking code
 * by e-mail when they reported). A document issued: its signatory's
 * role. A new high or critical alert: the users of the triage role ttis.
 * The text is Indonesian, formal as a government service writes, or
 * English for a user who chose it (users.language); the times in the
 * calendar's zone (WIB); a TLP:RED case's title is not written (a mail
 * server is outside sigap's need-to-know). A citizen is written to in
 * Indonesian.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "notify/smtp.h"
#include "outbox_int.h"

enum { RECIPIENTS_MAX = 200 };

typedef struct recipient {
	char name[64], full_name[200];
	char email[256];   /* "": none, or e-mail turned off */
	char telegram[64]; /* "": no chat */
	char quiet[16];    /* "" or "22:00-06:00" */
	bool en;           /* wants English */
} recipient;

/* The Indonesian words, or the English ones for r. */
#define L(r, in_id, in_en) ((r)->en ? (in_en) : (in_id))

/* The columns read_recipient reads, and the users it is worth reading. */
#define RECIPIENT_COLUMNS                                                                          \
	"u.name, u.full_name, u.email, u.quiet_hours, u.notify_email, u.telegram_chat, u.language"
#define REACHABLE                                                                                  \
	"u.disabled = 0 AND ((u.email IS NOT NULL AND u.notify_email = 1) OR "                     \
	"u.telegram_chat IS NOT NULL)"

static void read_recipient(db_stmt *st, recipient *r)
{
	const char *full = db_col_text(st, 1), *email = db_col_text(st, 2);
	snprintf(r->name, sizeof r->name, "%s", db_col_text(st, 0));
	snprintf(r->full_name, sizeof r->full_name, "%s", full && *full ? full : r->name);
	snprintf(r->email, sizeof r->email, "%s", email && db_col_int(st, 4) ? email : "");
	snprintf(r->quiet, sizeof r->quiet, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
	snprintf(r->telegram, sizeof r->telegram, "%s",
	         db_col_text(st, 5) ? db_col_text(st, 5) : "");
	r->en = db_col_text(st, 6) && strcmp(db_col_text(st, 6), "en") == 0;
}

/* The users of role who can be reached (an address with e-mail on, or a
 * Telegram chat), at most max. */
static int of_role(app *a, const char *role, recipient *out, int max, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " RECIPIENT_COLUMNS " FROM users u "
	                    "JOIN user_roles r ON r.user_id = u.id WHERE r.role = ? AND " REACHABLE
	                    " ORDER BY u.name",
	                    "s", role) != 0)
		return -1;
	int n = 0, rc = DB_DONE;
	while (n < max && (rc = db_step(st, e)) == DB_ROW)
		read_recipient(st, &out[n++]);
	db_finalize(st);
	return rc < 0 ? -1 : n;
}

/* One user by name, when they can be reached. */
static int one_user(app *a, const char *name, recipient *out, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " RECIPIENT_COLUMNS
	                    " FROM users u WHERE u.name = ? AND " REACHABLE,
	                    "s", name) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		read_recipient(st, out);
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Inside the caller's transaction: the message to r by each channel r
 * has and [notify] serves (an e-mail, a Telegram message: the subject
 * and the text), due when r's quiet hours (if any) end. */
static int put_personal(app *a, const char *event, const char *object, const recipient *r,
                        const char *subject, const char *text, sg_err *e)
{
	int64_t now = app_now(a), id;
	int64_t at = quiet_hours_end(r->quiet[0] ? r->quiet : NULL, a->cfg.cal.zone, now);
	if (a->cfg.nt_smtp_url && r->email[0] &&
	    db_insert(a->db, e, &id,
	              "INSERT INTO outbox (channel, event, object, recipient, user_name, subject, "
	              "body, created_at, next_at) VALUES ('email', ?, ?, ?, ?, ?, ?, ?, ?)",
	              "ssssssii", event, object, r->email, r->name, subject, text, now, at) != 0)
		return -1;
	if (a->cfg.nt_telegram_token && r->telegram[0]) {
		buf b = BUF_INIT;
		buf_printf(&b, "%s\n\n%s", subject, text);
		int rc =
		    db_insert(a->db, e, &id,
		              "INSERT INTO outbox (channel, event, object, recipient, user_name, "
		              "body, created_at, next_at) VALUES ('telegram', ?, ?, ?, ?, ?, ?, ?)",
		              "sssssii", event, object, r->telegram, r->name, buf_str(&b), now, at);
		buf_free(&b);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void when(const app *a, const recipient *r, int64_t t, char *out, size_t n)
{
	if (r->en)
		civil_format_en(t, a->cfg.cal.zone, out, n);
	else
		civil_format_id(t, a->cfg.cal.zone, out, n);
}

/* The end of every message: automatic, and where to change it. */
static void footer(const app *a, const recipient *r, buf *b)
{
	char link[1024];
	outbox_link(a, "/akun/notifikasi", "", link, sizeof link);
	buf_printf(b, "%s", L(r,
	                      "\nPesan ini dikirim otomatis oleh sigap; mohon tidak membalas pesan "
	                      "ini.\nPengaturan pemberitahuan Anda: ",
	                      "\nThis message was sent by sigap automatically; please do not reply "
	                      "to it.\nYour notification settings: "));
	buf_printf(b, "%s\n",
	           link[0] ? link
	                   : L(r, "halaman Pemberitahuan (nama pengguna Anda di sigap)",
	                       "the Notifications page (your user name in sigap)"));
}

/* The part of a case's message every recipient shares. */
static void case_facts(const app *a, const case_news *n, const recipient *r, buf *b)
{
	char t[80], link[1024];
	buf_printf(b, "%s%s\n", L(r, "Prosedur  : ", "Procedure : "),
	           n->procedure_name ? n->procedure_name : n->procedure_id);
	buf_printf(b, "%s%s\n", L(r, TITLE_LINE, TITLE_LINE_EN),
	           n->title ? n->title : L(r, TITLE_WITHHELD, TITLE_WITHHELD_EN));
	if (n->tlp)
		buf_printf(b, "%s%s\n", L(r, "Label TLP : ", "TLP label : "), n->tlp);
	if (n->open) {
		if (n->step)
			buf_printf(b, "%s%d. %s\n", L(r, "Langkah   : ", "Step      : "), n->step_no,
			           n->step->uraian);
		when(a, r, n->since, t, sizeof t);
		buf_printf(b, "%s%s\n", L(r, "Sejak     : ", "Since     : "), t);
		if (n->due_at) {
			when(a, r, n->due_at, t, sizeof t);
			buf_printf(b, "%s%s\n", L(r, "Batas waktu baku: ", "Standard time ends: "), t);
		}
	} else {
		when(a, r, n->closed_at, t, sizeof t);
		buf_printf(b, "%s%s\n", L(r, "Ditutup   : ", "Closed    : "), t);
	}
	outbox_link(a, "/kasus/", n->ticket, link, sizeof link);
	if (link[0])
		buf_printf(b, "%s%s\n", L(r, "Tautan    : ", "Link      : "), link);
}

/* The first sentence of a case's message to r (kabid: told of a late
 * step as the one it is escalated to). */
static void opening(const app *a, const case_news *n, const recipient *r, bool kabid, buf *b)
{
	char due[80] = "", role[300] = "";
	if (n->due_at)
		when(a, r, n->due_at, due, sizeof due);
	if (n->step && n->step->role)
		snprintf(role, sizeof role, "%s", n->role_name ? n->role_name : n->step->role);
	switch (n->kind) {
	case NEWS_SLA_SOON:
		buf_printf(b,
		           L(r,
		             "Batas waktu baku langkah %d kasus %s akan berakhir pada %s. Langkah ini "
		             "menunggu tindakan Anda sebagai %s.\n\n",
		             "The standard time of step %d of case %s ends at %s. The step waits "
		             "for you as %s.\n\n"),
		           n->step_no, n->ticket, due, role);
		break;
	case NEWS_SLA_LATE:
		if (kabid)
			buf_printf(b,
			           L(r,
			             "Langkah %d kasus %s (pelaksana: %s) telah melewati batas waktu "
			             "bakunya pada %s. Pemberitahuan ini disampaikan kepada Kepala "
			             "Bidang untuk ditindaklanjuti.\n\n",
			             "Step %d of case %s (done by: %s) passed its standard time at %s. "
			             "You are told as the Head of Division, to follow it up.\n\n"),
			           n->step_no, n->ticket, role, due);
		else
			buf_printf(b,
			           L(r,
			             "Langkah %d kasus %s telah melewati batas waktu bakunya pada %s. "
			             "Langkah ini menunggu tindakan Anda sebagai %s.\n\n",
			             "Step %d of case %s passed its standard time at %s. The step waits "
			             "for you as %s.\n\n"),
			           n->step_no, n->ticket, due, role);
		break;
	case NEWS_STEP:
		if (n->open)
			buf_printf(b,
			           L(r, "Kasus %s menunggu tindakan Anda sebagai %s.\n\n",
			             "Case %s waits for you as %s.\n\n"),
			           n->ticket, role);
		else
			buf_printf(b,
			           L(r, "Kasus %s yang Anda buka telah ditutup.\n\n",
			             "Case %s, which you opened, is closed.\n\n"),
			           n->ticket);
		break;
	}
}

/* A case message's subject for r. */
static void case_subject(const case_news *n, const recipient *r, char *out, size_t size)
{
	if (n->kind == NEWS_SLA_SOON)
		snprintf(out, size,
		         L(r, "[sigap] %s: batas waktu langkah %d segera berakhir",
		           "[sigap] %s: the standard time of step %d ends soon"),
		         n->ticket, n->step_no);
	else if (n->kind == NEWS_SLA_LATE)
		snprintf(out, size,
		         L(r, "[sigap] %s: langkah %d melewati batas waktu baku",
		           "[sigap] %s: step %d passed its standard time"),
		         n->ticket, n->step_no);
	else if (n->open)
		snprintf(out, size,
		         L(r, "[sigap] %s: langkah %d menunggu tindakan Anda",
		           "[sigap] %s: step %d waits for you"),
		         n->ticket, n->step_no);
	else
		snprintf(out, size, L(r, "[sigap] %s telah ditutup", "[sigap] %s is closed"),
		         n->ticket);
}

/* Who is told of n: the step's role (and, for a late step, the kabid),
 * or the opener of a closed case; *roles_n of them hold the step's role. */
static int recipients(app *a, const case_news *n, recipient *to, int *role_n, sg_err *e)
{
	*role_n = 0;
	if (!n->open)
		return n->created_by[0] ? one_user(a, n->created_by, to, e) : 0;
	if (n->step == NULL || n->step->role == NULL)
		return 0;
	int k = of_role(a, n->step->role, to, RECIPIENTS_MAX, e);
	if (k < 0 || n->kind != NEWS_SLA_LATE || strcmp(n->step->role, "kabid") == 0) {
		*role_n = k;
		return k;
	}
	*role_n = k;
	int more = of_role(a, "kabid", to + k, RECIPIENTS_MAX - k, e);
	return more < 0 ? -1 : k + more;
}

/* A closed case a citizen reported on /lapor (it has a tracking code):
 * the reporter is told by e-mail. */
static int reporter_closed(app *a, const char *ticket, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT fields FROM cases WHERE ticket = ? AND tracking_hash IS NOT NULL",
	                    "s", ticket) != 0)
		return -1;
	int rc = db_step(st, e);
	json_t *fields = rc == DB_ROW ? json_loads(db_col_text(st, 0), 0, NULL) : NULL;
	db_finalize(st);
	if (rc < 0)
		return -1;
	int r = fields ? outbox_reporter(a, ticket, fields, NULL, e) : 0;
	json_decref(fields);
	return r;
}

int outbox_mail_case(app *a, const case_news *n, sg_err *e)
{
	if (!n->open && n->kind == NEWS_STEP && reporter_closed(a, n->ticket, e) != 0)
		return -1;
	recipient *to = calloc(RECIPIENTS_MAX, sizeof *to);
	if (to == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	int role_n;
	int k = recipients(a, n, to, &role_n, e);
	int rc = k < 0 ? -1 : 0;
	char object[64], subject[200];
	snprintf(object, sizeof object, "case:%s", n->ticket);
	for (int i = 0; i < k && rc == 0; i++) {
		if (n->actor && strcmp(to[i].name, n->actor) == 0)
			continue;  /* who made the change knows it */
		bool seen = false; /* a kabid who also holds the step's role: once */
		for (int j = 0; j < i; j++)
			seen |= strcmp(to[j].name, to[i].name) == 0;
		sg_err no = {0};
		if (seen || case_need_sight(a, to[i].name, n->ticket, CASE_SEE_LIMITED, &no) != 0)
			continue; /* need-to-know: not told of a case they may not see */
		buf b = BUF_INIT;
		buf_printf(&b, L(&to[i], "Yth. %s,\n\n", "Dear %s,\n\n"), to[i].full_name);
		opening(a, n, &to[i], i >= role_n, &b);
		case_facts(a, n, &to[i], &b);
		footer(a, &to[i], &b);
		case_subject(n, &to[i], subject, sizeof subject);
		rc = put_personal(a, n->event, object, &to[i], subject, buf_str(&b), e);
		buf_free(&b);
	}
	free(to);
	return rc;
}

int outbox_mail_alert(app *a, int64_t id, const alert_in *in, const char *level, sg_err *e)
{
	recipient *to = calloc(RECIPIENTS_MAX, sizeof *to);
	if (to == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	int k = of_role(a, "ttis", to, RECIPIENTS_MAX, e);
	int rc = k < 0 ? -1 : 0;
	bool critical = strcmp(level, "critical") == 0;
	char object[40], subject[300], num[24], t[80], link[1024];
	snprintf(object, sizeof object, "alert:%lld", (long long)id);
	snprintf(num, sizeof num, "%lld", (long long)id);
	outbox_link(a, "/peringatan/", num, link, sizeof link);
	for (int i = 0; i < k && rc == 0; i++) {
		const recipient *r = &to[i];
		const char *word = critical ? L(r, "kritis", "critical") : L(r, "tinggi", "high");
		snprintf(subject, sizeof subject, L(r, "[sigap] Peringatan %s: %.200s",
		                                    "[sigap] A %s alert: %.200s"),
		         word, in->title);
		when(a, r, in->at, t, sizeof t);
		buf b = BUF_INIT;
		buf_printf(&b,
		           L(r,
		             "Yth. %s,\n\nDeteksi sigap mencatat peringatan baru bertingkat %s yang "
		             "perlu ditriase.\n\n"
		             "Peringatan: %s\nNomor     : %lld\nWaktu     : %s\n",
		             "Dear %s,\n\nsigap's detection raised a new %s alert to be "
		             "triaged.\n\n"
		             "Alert     : %s\nNumber    : %lld\nTime      : %s\n"),
		           r->full_name, word, in->title, (long long)id, t);
		if (in->asset)
			buf_printf(&b, "%s%s\n", L(r, "Aset/host : ", "Asset/host: "), in->asset);
		if (in->source_ip)
			buf_printf(&b, "%s%s\n", L(r, "Alamat asal: ", "Source address: "), in->source_ip);
		if (link[0])
			buf_printf(&b, "%s%s\n", L(r, "Tautan    : ", "Link      : "), link);
		footer(a, r, &b);
		rc = put_personal(a, "peringatan.tinggi", object, r, subject, buf_str(&b), e);
		buf_free(&b);
	}
	free(to);
	return rc;
}

int outbox_document(app *a, const char *ticket, const sop *s, const char *signer_role,
                    const char *title, const char *number, const char *actor, sg_err *e)
{
	if (signer_role == NULL)
		return 0;
	recipient *to = calloc(RECIPIENTS_MAX, sizeof *to);
	if (to == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	int k = of_role(a, signer_role, to, RECIPIENTS_MAX, e);
	int rc = k < 0 ? -1 : 0;
	char object[64], subject[300], link[1024];
	snprintf(object, sizeof object, "case:%s", ticket);
	outbox_link(a, "/kasus/", ticket, link, sizeof link);
	const char *jabatan = sop_role_name(s, signer_role);
	for (int i = 0; i < k && rc == 0; i++) {
		sg_err no = {0};
		if ((actor && strcmp(to[i].name, actor) == 0) ||
		    case_need_sight(a, to[i].name, ticket, CASE_SEE_FULL, &no) != 0)
			continue; /* the issuer knows; need-to-know for the rest */
		const recipient *r = &to[i];
		snprintf(subject, sizeof subject,
		         L(r, "[sigap] %s: %.150s menunggu tanda tangan Anda",
		           "[sigap] %s: %.150s waits for your signature"),
		         ticket, title);
		buf b = BUF_INIT;
		buf_printf(&b,
		           L(r,
		             "Yth. %s,\n\nDokumen berikut telah diterbitkan oleh sigap dan menunggu "
		             "tanda tangan Anda sebagai %s.\n\n"
		             "Dokumen   : %s\nNomor     : %s\nKasus     : %s\n",
		             "Dear %s,\n\nThe document below was issued by sigap and waits for your "
		             "signature as %s.\n\n"
		             "Document  : %s\nNumber    : %s\nCase      : %s\n"),
		           r->full_name, jabatan ? jabatan : signer_role, title, number, ticket);
		if (link[0])
			buf_printf(&b, "%s%s\n", L(r, "Tautan    : ", "Link      : "), link);
		footer(a, r, &b);
		rc = put_personal(a, "dokumen.tanda_tangan", object, &to[i], subject, buf_str(&b), e);
		buf_free(&b);
	}
	free(to);
	return rc;
}

int outbox_mail_monthly(app *a, int year, int month, const char *object, sg_err *e)
{
	static const char *const roles[] = {"kepala_dinas", "kabid"};
	recipient *to = calloc(RECIPIENTS_MAX, sizeof *to);
	if (to == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	int k = 0, rc = 0;
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		int got = of_role(a, roles[i], to + k, RECIPIENTS_MAX - k, e);
		rc = got < 0 ? -1 : 0;
		k += got > 0 ? got : 0;
	}
	char link[1024], id[16], subject[200];
	snprintf(id, sizeof id, "%04d-%02d", year, month);
	outbox_link(a, "/laporan/bulanan?bulan=", id, link, sizeof link);
	for (int i = 0; i < k && rc == 0; i++) {
		const recipient *r = &to[i];
		bool seen = false; /* a user of both roles: once */
		for (int j = 0; j < i; j++)
			seen |= strcmp(to[j].name, r->name) == 0;
		if (seen)
			continue;
		const char *mon = r->en ? civil_month_en(month) : civil_month_id(month);
		snprintf(subject, sizeof subject,
		         L(r, "[sigap] Laporan bulanan %s %d telah tersedia",
		           "[sigap] The monthly report of %s %d is ready"),
		         mon, year);
		buf b = BUF_INIT;
		buf_printf(&b,
		           L(r,
		             "Yth. %s,\n\nLaporan bulanan layanan keamanan informasi bulan %s %d "
		             "(insiden menurut kelas dan prioritas, kepatuhan waktu baku, peringatan "
		             "yang ditriase, dan temuan kerentanan) telah tersedia. Silakan membukanya "
		             "dengan akun sigap Anda",
		             "Dear %s,\n\nThe monthly report of the information security service for "
		             "%s %d (incidents by class and priority, standard times met, alerts "
		             "triaged and vulnerability findings) is ready. Please open it with your "
		             "sigap account"),
		           r->full_name, mon, year);
		buf_printf(&b, "%s%s.\n", link[0] ? ": " : "", link);
		footer(a, r, &b);
		rc = put_personal(a, "laporan.bulanan", object, r, subject, buf_str(&b), e);
		buf_free(&b);
	}
	free(to);
	return rc;
}

/* The public reporter's address: the contact they gave on /lapor
 * (pelapor_kontak), when it is an e-mail address. */
static bool reporter_address(json_t *fields, char out[256])
{
	const char *c = json_string_value(json_object_get(fields, "pelapor_kontak"));
	if (c == NULL || strlen(c) >= 256 || !notify_email_valid(c))
		return false;
	snprintf(out, 256, "%s", c);
	return true;
}

/* Receipts to one address in an hour, at most: a sender forged to be
 * someone else's address cannot have sigap mail them without end. */
enum { RECEIPTS_PER_HOUR = 5 };

int outbox_reporter(app *a, const char *ticket, json_t *fields, const char *tracking, sg_err *e)
{
	char to[256], link[1024], subject[200], code[REPLY_CODE_LEN + 1];
	bool receipt = tracking != NULL;
	if (a->cfg.nt_smtp_url == NULL || !reporter_address(fields, to))
		return 0;
	int64_t id, now = app_now(a), sent = 0;
	if (receipt && db_query_int(a->db, e, &sent,
				    "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND "
				    "LOWER(recipient) = LOWER(?) AND event = 'laporan.diterima' AND "
				    "created_at > ?",
				    "si", to, now - 3600) != DB_ROW)
		return -1;
	if (sent >= RECEIPTS_PER_HOUR) /* the case is open; its officers are told why */
		return logbook_record(a, "sigap:surel", "report.receipt_withheld", "case", ticket,
				      json_pack("{s:s, s:i}", "address", to, "per_hour",
						RECEIPTS_PER_HOUR),
				      e);
	int has = case_reply_code(a, ticket, code, e);
	if (has < 0)
		return -1;
	outbox_link(a, "/lapor/status", "", link, sizeof link);
	buf b = BUF_INIT;
	/* never the name typed on the form or in a From: sigap's own
	 * address writes no words a stranger chose */
	buf_puts(&b, "Yth. Bapak/Ibu Pelapor,\n\n");
	if (receipt) {
		/* as the form shows it: abcd-efgh-jkmn-pqrs */
		char shown[32];
		size_t k = 0;
		for (size_t i = 0; tracking[i] && k + 2 < sizeof shown; i++) {
			if (i && i % 4 == 0)
				shown[k++] = '-';
			shown[k++] = tracking[i];
		}
		shown[k] = '\0';
		snprintf(subject, sizeof subject, "[sigap] Laporan Anda diterima: %s%s%s", ticket,
			 has ? " #" : "", has ? code : "");
		buf_printf(&b,
			   "Terima kasih. Laporan dugaan insiden keamanan informasi Anda telah kami "
			   "terima dan akan ditangani sesuai SOP Layanan Insiden Keamanan Informasi.\n\n"
			   "Nomor tiket    : %s\nKode pelacakan : %s\n\n"
			   "Simpan keduanya: dengan nomor tiket dan kode pelacakan Anda dapat melihat "
			   "perkembangan penanganan laporan%s%s.\n",
			   ticket, shown, link[0] ? " di " : "", link);
	} else {
		snprintf(subject, sizeof subject, "[sigap] Laporan Anda selesai ditangani: %s%s%s",
			 ticket, has ? " #" : "", has ? code : "");
		buf_printf(&b,
			   "Laporan Anda dengan nomor tiket %s telah selesai ditangani. Ringkasan "
			   "penanganan dapat Anda lihat%s%s dengan nomor tiket dan kode pelacakan yang "
			   "Anda terima saat melapor.\n",
			   ticket, link[0] ? " di " : "", link);
	}
	if (has && a->cfg.in_mail_url && a->cfg.in_mail_address)
		buf_printf(&b,
			   "\nUntuk menambahkan keterangan atau bukti, balas surel ini tanpa mengubah "
			   "subjeknya (kode #%s menandai balasan Anda).\n",
			   code);
	else
		buf_puts(&b, "\nPesan ini dikirim otomatis oleh sigap; mohon tidak membalas pesan ini.\n");
	char object[64];
	snprintf(object, sizeof object, "case:%s", ticket);
	int rc = db_insert(a->db, e, &id,
			   "INSERT INTO outbox (channel, event, object, recipient, user_name, subject, "
			   "body, created_at, next_at) VALUES ('email', ?, ?, ?, NULL, ?, ?, ?, ?)",
			   "sssssii", receipt ? "laporan.diterima" : "kasus.ditutup", object, to,
			   subject, buf_str(&b), now, now);
	buf_free(&b);
	return rc;
}

int outbox_mail_exception(app *a, int64_t id, const char *ticket, int days, int64_t expires_at,
                          sg_err *e)
{
	static const char *const roles[] = {"kepala_dinas", "tim_teknis"};
	recipient *to = calloc(RECIPIENTS_MAX, sizeof *to);
	if (to == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot write a message");
	int k = 0, rc = 0;
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		int got = of_role(a, roles[i], to + k, RECIPIENTS_MAX - k, e);
		rc = got < 0 ? -1 : 0;
		k += got > 0 ? got : 0;
	}
	char link[1024], num[24], object[40], subject[200], end[80];
	snprintf(num, sizeof num, "%lld", (long long)id);
	snprintf(object, sizeof object, "exception:%lld", (long long)id);
	outbox_link(a, "/pengecualian/", num, link, sizeof link);
	for (int i = 0; i < k && rc == 0; i++) {
		const recipient *r = &to[i];
		bool seen = false; /* a user of both roles: once */
		for (int j = 0; j < i; j++)
			seen |= strcmp(to[j].name, r->name) == 0;
		if (seen)
			continue;
		/* the last day in force, not the instant it ends */
		civil c;
		civil_from_epoch(expires_at - 86400, a->cfg.cal.zone, &c);
		snprintf(end, sizeof end, "%d %s %04d", c.day,
		         r->en ? civil_month_en(c.month) : civil_month_id(c.month), c.year);
		snprintf(subject, sizeof subject,
		         L(r, "[sigap] Pengecualian %s berakhir dalam %d hari",
		           "[sigap] Exception %s ends in %d days"),
		         ticket, days);
		buf b = BUF_INIT;
		buf_printf(&b,
		           L(r,
		             "Yth. %s,\n\nPengecualian penerapan SMKI nomor %s (kasus %s) berlaku "
		             "sampai dengan %s. Sesudah tanggal itu kontrol yang dikecualikan wajib "
		             "diterapkan kembali dan temuan kerentanan yang dicakupnya kembali ke "
		             "status semula. Bila pengecualian masih diperlukan, ajukan perubahan "
		             "masa berlakunya untuk disetujui kembali",
		             "Dear %s,\n\nException number %s to the ISMS (case %s) is in force "
		             "until %s. After that day the controls it excepts apply again and the "
		             "vulnerability findings it covers return to their earlier state. If the "
		             "exception is still needed, ask for a change of its validity to be "
		             "approved again"),
		           r->full_name, num, ticket, end);
		buf_printf(&b, "%s%s.\n", link[0] ? ": " : "", link);
		footer(a, r, &b);
		rc = put_personal(a, "pengecualian.berakhir", object, r, subject, buf_str(&b), e);
		buf_free(&b);
	}
	free(to);
	return rc;
}
