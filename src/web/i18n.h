/*
 * i18n.h: the interface's two languages. Messages are written in English
 * in the code (the msgid) and translated by the gettext catalog
 * po/id.po, compiled into the binary; Bahasa Indonesia is the default,
 * English is the msgid itself.
 *
 * Why not libintl's gettext(): the language is chosen per request (a
 * cookie or ?lang=), in a threaded server, and gettext() follows the
 * process's locale, which also needs the locale installed on the host. The
 * catalog format, msgfmt --check and xgettext extraction are gettext's own.
 */
#ifndef SG_WEB_I18N_H
#define SG_WEB_I18N_H

#include "base/err.h"
#include "http.h"

/* Loads the compiled-in catalogs; once, before serving. */
int i18n_init(sg_err *e);
/* The message in lang: the translation, or msgid itself. */
const char *tr(web_lang lang, const char *msgid);
/* Number of messages in the Indonesian catalog. */
size_t i18n_count(void);
/* Parses a .po text into the catalog (tests). */
int i18n_load_po(const char *text, size_t len, sg_err *e);

/* An app error in the request's language: its format translated by the
 * catalog and rebuilt with its arguments (sg_err_localize); the English
 * message when there is no translation. Valid until the next call. */
const char *web_err(web_req *r, const sg_err *e);

/* The message in the request's language. xgettext: --keyword=T:2 */
#define T(req, msgid) tr((req)->lang, msgid)

#endif
