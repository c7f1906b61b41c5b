/*
 * auth.h: who is asking, in which language, and whether a form is theirs.
 */
#ifndef SG_WEB_AUTH_H
#define SG_WEB_AUTH_H

#include "http.h"

/* The language: ?lang= (remembered in a cookie), the cookie, else
 * Indonesian. */
void auth_language(web_req *r);
/* Pages: the session cookie; API: the bearer token. Fills r->signed_in
 * and r->who; gives a visitor without a session a CSRF cookie. A bad
 * token is an error (401); a missing or expired session is not (the
 * visitor is simply not signed in). */
int auth_identify(web_req *r, web_res *res, bool api, sg_err *e);
/* The form's csrf field against the session's (or the visitor's) token,
 * in constant time; and an Origin header, when sent, must be this site. */
int auth_check_csrf(const web_req *r, sg_err *e);

#endif
