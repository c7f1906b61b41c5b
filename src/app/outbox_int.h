/*
 * outbox_int.h: what the outbox's files share (outbox.c writes the
 * messages, outbox_mail.c says them by e-mail, outbox_send.c delivers
 * them); not for callers outside src/app.
 */
#ifndef SG_OUTBOX_INT_H
#define SG_OUTBOX_INT_H

#include "app.h"

/* What a case's message tells. */
typedef enum {
	NEWS_STEP,     /* langkah.menunggu, or kasus.ditutup when closed */
	NEWS_SLA_SOON, /* tenggat.segera: its step's standard time runs out soon */
	NEWS_SLA_LATE  /* tenggat.lewat: it has run out */
} news_kind;

/* A case's news: what one message of it says. */
typedef struct case_news {
	news_kind kind;
	const char *event;
	const char *ticket, *procedure_id, *procedure_name; /* name NULL when not loaded */
	const char *title;      /* NULL on a TLP:RED case: it is not sent */
	const char *tlp;        /* NULL: no label */
	const char *created_by; /* the user who opened it */
	const char *actor;      /* who made the change: not told of it */
	bool open;
	const sop_step *step; /* open: the step that waits (NULL: not found) */
	const char *role_name; /* its role as the SOP names it ("Petugas") */
	int step_no;
	int64_t since, due_at, closed_at; /* due_at 0: no standard time */
} case_news;

/* The title line of a case's e-mail and Telegram text (outbox_mail.c
 * writes it, outbox_withhold_title rewrites it), and what stands there
 * on a TLP:RED case. */
#define TITLE_LINE "Judul     : "
#define TITLE_WITHHELD "(tidak dicantumkan: kasus berlabel TLP:RED)"
#define TITLE_LINE_EN "Title     : "
#define TITLE_WITHHELD_EN "(withheld: the case is labelled TLP:RED)"

/* The link to path+id under [notify] link_base into out ("" without). */
void outbox_link(const app *a, const char *path, const char *id, char *out, size_t n);
/* Inside the caller's transaction: the messages of a case's news of
 * kind (outbox.c). */
int outbox_case_news(app *a, const char *ticket, const char *actor, news_kind kind, sg_err *e);
/* The e-mails of a case's news and of a new alert (outbox_mail.c). */
int outbox_mail_case(app *a, const case_news *n, sg_err *e);
/* Inside the caller's transaction: "a document issued for you to sign",
 * to the users of signer_role (NULL: nobody) who see the case whole,
 * but actor. */
int outbox_document(app *a, const char *ticket, const sop *s, const char *signer_role,
                    const char *title, const char *number, const char *actor, sg_err *e);
/* Inside the caller's transaction: the e-mail to a public reporter
 * (fields: the case's, with pelapor_kontak an address; nothing without
 * one or without [notify] smtp_url): with tracking, the receipt with the
 * ticket and the tracking code (known only now: the store keeps its
 * hash); without, the case closed, with the status page's link. */
int outbox_reporter(app *a, const char *ticket, json_t *fields, const char *tracking, sg_err *e);
int outbox_mail_alert(app *a, int64_t id, const alert_in *in, const char *level, sg_err *e);
/* Inside the caller's transaction: "the report of year-month is ready"
 * to the users of kepala_dinas and kabid (outbox_monthly.c), as object. */
int outbox_mail_monthly(app *a, int year, int month, const char *object, sg_err *e);
/* Inside the caller's transaction: "exception id (of case ticket) ends
 * in days days" to the users of kepala_dinas and tim_teknis
 * (exceptions.c), on the object "exception:ID". */
int outbox_mail_exception(app *a, int64_t id, const char *ticket, int days, int64_t expires_at,
                          sg_err *e);

#endif
