/*
 * page_account.c: a user's own notification settings (/akun/notifikasi
 * and GET/PUT /api/v1/me/notifications): the e-mail address messages go
 * to, whether they want them by e-mail, the Telegram chat, quiet hours,
 * and the language of the messages (docs/notifications.md).
 * Each user sets their own (an admin anyone's with `sigap user
 * contact`); app/users.c checks and logs the change.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static void account_page(web_req *r, web_res *res, const char *error, bool saved)
{
	sg_err e = {0};
	json_t *c = user_contact(r->app, r->who.user, r->who.user, &e);
	html_begin(r, res, T(r, "Notifications"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Notifications"));
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	if (saved)
		html_notice(res, "ok", T(r, "Saved."));
	hraw(res, "<p>");
	h(res, T(r, "sigap tells you by e-mail and Telegram when a step of a case waits for your "
	            "role or its standard time runs out, when a case you opened is closed, when a "
	            "document waits for your signature, (roles kabid and kepala_dinas) when the "
	            "monthly report is ready, and (role ttis) of new high and critical alerts."));
	hraw(res, "</p>");
	if (r->app->cfg.nt_smtp_url == NULL && r->app->cfg.nt_telegram_token == NULL) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "No mail server or Telegram bot is configured yet ([notify] smtp_url, "
		            "telegram_token): nothing is sent until the administrator sets one."));
		hraw(res, "</p>");
	}
	const char *addr = c ? json_string_value(json_object_get(c, "email")) : NULL;
	bool on = c == NULL || json_is_true(json_object_get(c, "email_on"));
	hraw(res, "<form method=\"post\" action=\"/akun/notifikasi\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"n-email\">");
	h(res, T(r, "E-mail address"));
	hraw(res, "</label><input id=\"n-email\" name=\"email\" type=\"email\" maxlength=\"254\" "
	          "autocomplete=\"email\" value=\"");
	h(res, addr ? addr : "");
	hraw(res, "\"><small>");
	h(res, T(r, "Empty: no e-mail."));
	hraw(res, "</small></div><div class=\"field\"><label class=\"check\"><input "
	          "type=\"checkbox\" name=\"surel\" value=\"1\"");
	hraw(res, on ? " checked" : "");
	hraw(res, "> ");
	h(res, T(r, "Send me notifications by e-mail"));
	hraw(res, "</label></div><div class=\"field\"><label for=\"n-tg\">");
	h(res, T(r, "Telegram chat (its number, or @name)"));
	hraw(res, "</label><input id=\"n-tg\" name=\"telegram\" maxlength=\"33\" value=\"");
	const char *tg = c ? json_string_value(json_object_get(c, "telegram_chat")) : NULL;
	h(res, tg ? tg : "");
	hraw(res, "\"><small>");
	h(res, T(r, "Start a chat with the CSIRT's bot first; empty: no Telegram."));
	hraw(res, "</small></div><div class=\"field\"><label for=\"n-quiet\">");
	h(res, T(r, "Quiet hours (WIB): a message written then waits until they end"));
	hraw(res,
	     "</label><input id=\"n-quiet\" name=\"tenang\" maxlength=\"11\" "
	     "placeholder=\"22:00-06:00\" pattern=\"[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]\" "
	     "value=\"");
	const char *q = c ? json_string_value(json_object_get(c, "quiet_hours")) : NULL;
	h(res, q ? q : "");
	hraw(res, "\"><small>");
	h(res, T(r, "Empty: none."));
	hraw(res, "</small></div><div class=\"field\"><label for=\"n-lang\">");
	h(res, T(r, "Language of the messages"));
	hraw(res, "</label><select id=\"n-lang\" name=\"bahasa\">");
	const char *lang = c ? json_string_value(json_object_get(c, "language")) : NULL;
	bool en = lang && strcmp(lang, "en") == 0;
	hprintf(res, "<option value=\"id\"%s>Bahasa Indonesia</option>", en ? "" : " selected");
	hprintf(res, "<option value=\"en\"%s>English</option>", en ? " selected" : "");
	hraw(res, "</select></div><button type=\"submit\">");
	h(res, T(r, "Save"));
	hraw(res, "</button></form></section>\n");
	json_decref(c);
	html_end(r, res);
}

void page_account(web_req *r, web_res *res)
{
	account_page(r, res, NULL, web_query(r, "ok") != NULL);
}

void page_account_save(web_req *r, web_res *res)
{
	const char *email = web_form(r, "email");
	const char *on = web_form(r, "surel");
	const char *quiet = web_form(r, "tenang");
	const char *chat = web_form(r, "telegram");
	const char *lang = web_form(r, "bahasa");
	sg_err e = {0};
	user_contact_in in = {email ? email : "", on && strcmp(on, "1") == 0, quiet ? quiet : "",
	                      chat ? chat : "", lang && *lang ? lang : NULL};
	if (user_set_contact(r->app, r->who.user, r->who.user, &in, &e) != 0) {
		res->status = web_status_of(&e);
		account_page(r, res, web_err(r, &e), false);
		return;
	}
	web_redirect(res, "/akun/notifikasi?ok=1");
}

void api_me_notifications(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = user_contact(r->app, r->who.user, r->who.user, &e);
	if (c == NULL) {
		api_fail(res, &e);
		return;
	}
	web_json(res, 200, c);
}

void api_me_notifications_set(web_req *r, web_res *res)
{
	static const char *const keys[] = {"email",         "email_on", "quiet_hours",
	                                   "telegram_chat", "language", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *em = json_object_get(b, "email"), *on = json_object_get(b, "email_on");
	json_t *q = json_object_get(b, "quiet_hours"), *tg = json_object_get(b, "telegram_chat");
	json_t *lang = json_object_get(b, "language");
	sg_err e = {0};
	user_contact_in in = {
	    em ? (json_is_null(em) ? "" : json_string_value(em)) : NULL,
	    on ? json_is_true(on) : -1,
	    q ? (json_is_null(q) ? "" : json_string_value(q)) : NULL,
	    tg ? (json_is_null(tg) ? "" : json_string_value(tg)) : NULL,
	    lang ? json_string_value(lang) : NULL,
	};
	int rc = (em && !json_is_string(em) && !json_is_null(em)) || (on && !json_is_boolean(on)) ||
	                 (q && !json_is_string(q) && !json_is_null(q)) ||
	                 (tg && !json_is_string(tg) && !json_is_null(tg)) ||
	                 (lang && !json_is_string(lang))
	             ? sg_err_set(&e, SG_EINVAL,
	                          "give email (a string, or null for none), email_on (true or "
	                          "false), quiet_hours (\"22:00-06:00\", or null for none), "
	                          "telegram_chat (a chat id or @name, or null for none) and/or "
	                          "language (\"id\" or \"en\")")
	             : user_set_contact(r->app, r->who.user, r->who.user, &in, &e);
	json_decref(b);
	if (rc != 0) {
		api_fail(res, &e);
		return;
	}
	api_me_notifications(r, res);
}
