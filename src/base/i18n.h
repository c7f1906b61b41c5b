/*
 * i18n.h: marks user-facing text for translation (gettext). The message
 * catalogs live in po/; without a catalog the English text is shown.
 */
#ifndef SG_I18N_H
#define SG_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
