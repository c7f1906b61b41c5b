/*
 * html.h: the page writer. Every byte of HTML sigap serves is written
 * here or through these helpers, and every text that comes from data goes
 * through h() (escaped); there is no other way to put a string in a page.
 */
#ifndef SG_WEB_HTML_H
#define SG_WEB_HTML_H

#include "http.h"
#include "sop/sop.h"

typedef enum {
	NAV_NONE,
	NAV_DASHBOARD,
	NAV_TASKS,
	NAV_CASES,
	NAV_SOPS,
	NAV_LOGBOOK,
	NAV_USERS,
	NAV_TOKENS,
	NAV_REPORT,
	NAV_ALERTS,
	NAV_INDICATORS,
	NAV_ASSETS,
	NAV_OPD,
	NAV_FINDINGS,
	NAV_OUTBOX,
	NAV_LETTERHEAD,
	NAV_MONTHLY,
	NAV_RISKS,
	NAV_EXCEPTIONS,
	NAV_POLICIES,
	NAV_MONITOR
} nav_item;

/* The document head, the top bar with the navigation for the signed-in
 * user (or the public bar), and <main>. */
void html_begin(const web_req *r, web_res *res, const char *title, nav_item active);
void html_end(const web_req *r, web_res *res);
/* A whole page with one message (errors, confirmations). */
void html_message_page(const web_req *r, web_res *res, int status, const char *title,
                       const char *message);

/* Escaped text. */
void h(web_res *res, const char *s);
/* Raw markup written by the code itself (never data). */
void hraw(web_res *res, const char *s);
void hprintf(web_res *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The CSRF hidden input of the request's session (or visitor). */
void html_csrf(const web_req *r, web_res *res);
/* An instant in the request's language, WIB (or the configured zone). */
void html_time(const web_req *r, web_res *res, int64_t t);
void html_date(const web_req *r, web_res *res, int64_t t);
/* A calendar day given as "YYYY-MM-DD" (CISA KEV's dates) in the
 * request's language; anything else is shown as it is, escaped. */
void html_day(const web_req *r, web_res *res, const char *ymd);
/* One fact of a record's <dl class="facts">: <dt>term</dt><dd>value</dd>,
 * the value escaped with its line breaks kept, "—" when empty. */
void html_fact(web_res *res, const char *term, const char *value);
/* 100.000 in Indonesian, 100,000 in English. */
void html_int(const web_req *r, web_res *res, int64_t n);
/* A rate 0..1 as a percentage with one decimal: 95,5 % / 95.5 %. */
void html_percent(const web_req *r, web_res *res, double rate);
/* A notice box: kind "error", "ok" or "info". */
void html_notice(web_res *res, const char *kind, const char *text);
/* ` id="f-NAME" name="NAME"`: the attributes of an SOP field's input. */
void html_id_name(web_res *res, const char *name);
/* An input for a field of an SOP form; value may be NULL. */
void html_sop_field(const web_req *r, web_res *res, const sop_field *f, const char *value);
/* "<table class=…><thead><tr><th>…</th>…</tr></thead><tbody>": the
 * header cells are escaped texts, NULL-terminated (class may be ""). */
void html_thead(web_res *res, const char *table_class, ...);
/* A filter form's text input named name, its value the query's (the
 * filters a list page keeps in its address). type: "text", "search",
 * "date", "number". */
void html_query_input(const web_req *r, web_res *res, const char *name, const char *label,
                      const char *type);
/* A link to page of the list at path, keeping the request's query but
 * its page (hal) and language; rel: "next" or "prev". */
void html_page_link(const web_req *r, web_res *res, const char *path, int64_t page,
                    const char *label, const char *rel);
/* What the page shows for an ENISA class or type code: its label in the
 * request's language, or the value as given when it is not a code. */
const char *html_enisa(const web_req *r, const char *code);
/* Whether a form field holds an ENISA class or type (the names
 * classify.c reads: kategori, jenis). */
bool html_enisa_field(const char *name);
/* A label of the TLP 2.0 colour. */
void html_tlp(web_res *res, const char *tlp);
/* A finding's state in the request's language ("Dalam perbaikan"); an
 * unknown one as given. */
const char *html_finding_state(const web_req *r, const char *s);
/* An app error about findings in the reader's language (web_err), with
 * each finding state it names ("risiko_diterima", or a list of them) in
 * words ("Risiko diterima"). Valid until the next call. */
const char *html_finding_err(web_req *r, const sg_err *e);
/* An alert's status in the request's language ("Dalam triase"). */
const char *html_alert_status(const web_req *r, const char *status);
/* An alert's level in the request's language ("Tinggi"). */
const char *html_alert_level_name(const web_req *r, const char *level);
/* An alert's level as a coloured badge. */
void html_alert_level(const web_req *r, web_res *res, const char *level);

#endif
