/*
 * page_outbox.c: the outbox for admins (/admin/kotak-keluar): the
 * messages not delivered yet, with their tries and last error, and the
 * delivered ones; a message that gagal or is tidak_pasti is sent again
 * from here, and a tidak_pasti one the receiver turned out to have is
 * marked delivered. Both are forms with CSRF, logged in the logbook by
 * app/outbox.c, which checks the admin role again. The same in the API
 * (/api/v1/outbox).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *state_label(const web_req *r, const char *s)
{
	return strcmp(s, "menunggu") == 0      ? T(r, "waiting")
	       : strcmp(s, "dikirim") == 0     ? T(r, "being delivered")
	       : strcmp(s, "terkirim") == 0    ? T(r, "delivered")
	       : strcmp(s, "gagal") == 0       ? T(r, "failed")
	       : strcmp(s, "tidak_pasti") == 0 ? T(r, "uncertain")
	       : strcmp(s, "dibatalkan") == 0  ? T(r, "cancelled")
	                                       : s;
}

/* A button form posting to /admin/kotak-keluar/{id}/{action}. */
static void action(const web_req *r, web_res *res, int64_t id, const char *act, const char *label)
{
	hprintf(res,
	        "<form method=\"post\" class=\"inline\" action=\"/admin/kotak-keluar/%lld/%s\">",
	        (long long)id, act);
	html_csrf(r, res);
	hraw(res, "<button type=\"submit\">");
	h(res, label);
	hraw(res, "</button></form> ");
}

static void outbox_page(web_req *r, web_res *res, const char *error)
{
	bool delivered = web_query(r, "terkirim") != NULL;
	sg_err e = {0};
	json_t *list = outbox_list(r->app, r->who.user, delivered, &e);
	html_begin(r, res, T(r, "Outbox"), NAV_OUTBOX);
	hraw(res, "<h1>");
	h(res, T(r, "Outbox"));
	hraw(res, "</h1><p class=\"muted\">");
	const app_config *c = &r->app->cfg;
	if (c->nt_webhook_url) {
		/* without what the URL may carry after // and before @ */
		const char *u = c->nt_webhook_url, *scheme = strstr(u, "://");
		const char *host = scheme ? scheme + 3 : u, *at = strchr(host, '@');
		const char *slash = strchr(host, '/');
		h(res, T(r, "Webhook:"));
		hraw(res, " <code>");
		hprintf(res, "%.*s", (int)(host - u), u);
		h(res, at && (!slash || at < slash) ? at + 1 : host);
		hraw(res, "</code>. ");
	}
	if (c->nt_smtp_url) {
		h(res, T(r, "E-mail through:"));
		hraw(res, " <code>");
		h(res, c->nt_smtp_url);
		hraw(res, "</code>.");
	}
	if (c->nt_telegram_token) {
		hraw(res, " ");
		h(res, T(r, "Telegram through:"));
		hraw(res, " <code>");
		h(res, c->nt_telegram_api);
		hraw(res, "</code>.");
	}
	if (!c->nt_webhook_url && !c->nt_smtp_url && !c->nt_telegram_token)
		h(res, T(r, "No channel is configured ([notify] webhook_url, smtp_url or "
		            "telegram_token in sigap.conf): no message is written."));
	hraw(res, "</p>");
	if (error)
		html_notice(res, "error", error);
	if (list == NULL) {
		html_notice(res, "error", web_err(r, &e));
		html_end(r, res);
		return;
	}
	hprintf(res, "<p><a href=\"/admin/kotak-keluar%s\">", delivered ? "" : "?terkirim=1");
	h(res, delivered ? T(r, "Messages not delivered yet") : T(r, "Delivered messages"));
	hraw(res, "</a></p>");
	if (json_array_size(list) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, delivered ? T(r, "No message has been delivered yet.")
		                 : T(r, "Every message has been delivered."));
		hraw(res, "</p>");
	} else {
		html_thead(res, "list outbox", T(r, "Number"), T(r, "Event"), T(r, "About"),
		           T(r, "Channel"), T(r, "Written"), T(r, "State"), T(r, "Tries"),
		           T(r, "Last error"), "", NULL);
		size_t i;
		json_t *m;
		json_array_foreach (list, i, m) {
			int64_t id = json_integer_value(json_object_get(m, "id"));
			const char *state = str(m, "state");
			hprintf(res, "<tr id=\"pesan-%lld\"><td class=\"num\">%lld</td><td>",
			        (long long)id, (long long)id);
			h(res, str(m, "event"));
			hraw(res, "</td><td>");
			h(res, str(m, "object"));
			hraw(res, "</td><td>");
			bool tg = strcmp(str(m, "channel"), "telegram") == 0;
			if (tg || strcmp(str(m, "channel"), "email") == 0) {
				h(res, tg ? T(r, "Telegram to") : T(r, "e-mail to"));
				hraw(res, " ");
				h(res, str(m, "user"));
				hraw(res, " &lt;");
				h(res, str(m, "recipient"));
				hraw(res, "&gt;");
			} else {
				h(res, "webhook");
			}
			hraw(res, "</td><td>");
			html_time(r, res, json_integer_value(json_object_get(m, "created_at")));
			hraw(res, "</td><td data-state=\"");
			h(res, state);
			hraw(res, "\">");
			h(res, state_label(r, state));
			hraw(res, "</td><td class=\"num\">");
			html_int(r, res, json_integer_value(json_object_get(m, "attempts")));
			hraw(res, "</td><td>");
			h(res, str(m, "last_error"));
			hraw(res, "</td><td>");
			if (strcmp(state, "gagal") == 0 || strcmp(state, "tidak_pasti") == 0)
				action(r, res, id, "kirim-ulang", T(r, "Send again"));
			if (strcmp(state, "tidak_pasti") == 0)
				action(r, res, id, "tandai-terkirim", T(r, "The receiver has it"));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table>");
	}
	json_decref(list);
	html_end(r, res);
}

void page_outbox(web_req *r, web_res *res)
{
	outbox_page(r, res, NULL);
}

static void decide(web_req *r, web_res *res, bool resend)
{
	int64_t id;
	sg_err e = {0};
	if (!webutil_int(r->path_arg, 1, INT64_MAX, &id)) {
		res->status = 404;
		outbox_page(r, res, T(r, "There is no such message."));
		return;
	}
	if ((resend ? outbox_resend(r->app, r->who.user, id, &e)
	            : outbox_settle(r->app, r->who.user, id, &e)) != 0) {
		res->status = web_status_of(&e);
		outbox_page(r, res, web_err(r, &e));
		return;
	}
	web_redirect(res, "/admin/kotak-keluar");
}

void page_outbox_resend(web_req *r, web_res *res)
{
	decide(r, res, true);
}

void page_outbox_settle(web_req *r, web_res *res)
{
	decide(r, res, false);
}

void api_outbox(web_req *r, web_res *res)
{
	sg_err e = {0};
	const char *d = web_query(r, "delivered");
	json_t *list = outbox_list(r->app, r->who.user, d && strcmp(d, "1") == 0, &e);
	if (list == NULL) {
		api_fail(res, &e);
		return;
	}
	web_json(res, 200, json_pack("{s:o}", "messages", list));
}

static void api_decide(web_req *r, web_res *res, bool resend)
{
	int64_t id;
	if (!webutil_int(r->path_arg, 1, INT64_MAX, &id)) {
		web_json_error(res, 404, "not_found", "no such message");
		return;
	}
	sg_err e = {0};
	if ((resend ? outbox_resend(r->app, r->who.user, id, &e)
	            : outbox_settle(r->app, r->who.user, id, &e)) != 0) {
		api_fail(res, &e);
		return;
	}
	web_json(res, 200,
	         json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
	                   resend ? "menunggu" : "terkirim"));
}

void api_outbox_resend(web_req *r, web_res *res)
{
	api_decide(r, res, true);
}

void api_outbox_settle(web_req *r, web_res *res)
{
	api_decide(r, res, false);
}
