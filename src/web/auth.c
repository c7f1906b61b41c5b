/*
 * auth.c: identifying the caller of a request.
 *
 * Pages use a session cookie (sigap_sid: HttpOnly, SameSite=Strict, Secure
 * under TLS) and a CSRF token per session in every state-changing form. A
 * visitor without a session (the login form, the public report form) gets
 * a random token in a cookie of its own (sigap_csrf) that the form must
 * repeat: a cross-site page can neither read nor set it. The API takes
 * only bearer tokens (Authorization: Bearer sgp_…), never cookies, so it
 * needs no CSRF token.
 */
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "base/hash.h"

void auth_language(web_req *r)
{
	r->lang = LANG_ID;
	const char *q = web_query(r, "lang");
	if (q && (strcmp(q, "en") == 0 || strcmp(q, "id") == 0)) {
		r->lang = q[0] == 'e' ? LANG_EN : LANG_ID;
		r->lang_from_query = true;
		return;
	}
	const char *c = web_cookie(r, "sigap_lang");
	if (c && strcmp(c, "en") == 0)
		r->lang = LANG_EN;
}

static bool hex64(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

int auth_identify(web_req *r, web_res *res, bool api, sg_err *e)
{
	if (api) {
		const char *h = web_header(r, "Authorization");
		if (h == NULL)
			return 0;
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return sg_err_set(e, SG_EPERM,
			                  "the Authorization header must be 'Bearer TOKEN'");
		if (token_check(r->app, h + 7, &r->who, e) != 0) {
			session_info_free(&r->who);
			if (e->code != SG_EDB && e->code != SG_EBUSY)
				e->code = SG_EPERM;
			return -1;
		}
		r->signed_in = r->via_token = true;
		return 0;
	}
	const char *sid = web_cookie(r, "sigap_sid");
	if (hex64(sid)) {
		sg_err se = {0};
		if (session_get(r->app, sid, &r->who, &se) == 0) {
			r->signed_in = true;
			snprintf(r->sid, sizeof r->sid, "%s", sid);
		} else if (se.code == SG_EBUSY || se.code == SG_EDB) {
			/* the store cannot say (busy, its server away): the
			 * session is kept for when it can */
			session_info_free(&r->who);
			memset(&r->who, 0, sizeof r->who);
			*e = se;
			return -1;
		} else {
			session_info_free(&r->who);
			memset(&r->who, 0, sizeof r->who);
			web_res_cookie(res, r, "sigap_sid", "", 0);
		}
	}
	const char *anon = web_cookie(r, "sigap_csrf");
	if (hex64(anon)) {
		snprintf(r->anon_csrf, sizeof r->anon_csrf, "%s", anon);
	} else {
		unsigned char raw[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(r->anon_csrf, sizeof r->anon_csrf, raw, sizeof raw);
		web_res_cookie(res, r, "sigap_csrf", r->anon_csrf, 86400);
	}
	return 0;
}

int auth_check_csrf(const web_req *r, sg_err *e)
{
	const char *origin = web_header(r, "Origin");
	const char *host = web_header(r, "Host");
	if (origin && strcmp(origin, "null") != 0) {
		const char *p = strstr(origin, "://");
		if (host == NULL || p == NULL || strcmp(p + 3, host) != 0)
			return sg_err_set(e, SG_EPERM, "the form was sent from another site");
	}
	const char *sent = web_form(r, "csrf");
	const char *want = r->signed_in ? r->who.csrf : r->anon_csrf;
	if (sent == NULL || strlen(sent) != 64 || strlen(want) != 64 ||
	    sodium_memcmp(sent, want, 64) != 0)
		return sg_err_set(e, SG_EPERM, "the form's CSRF token is missing or wrong");
	return 0;
}
