/*
 * page.h: a fetched web page read the way the website monitor compares
 * it: the text a visitor sees, the text hidden from the visitor, the
 * links, the scripts the page loads, its title, description and meta
 * refresh.
 *
 * Pages come from the Internet, from sites that may be compromised:
 * libxml2's HTML parser reads them (recovering, without network), and
 * everything below it is bounded (text, links, scripts).
 */
#ifndef SG_MON_PAGE_H
#define SG_MON_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

/* The most text kept of a page (visible and hidden each); the rest is
 * cut at a line's end. */
enum { MON_TEXT_MAX = 512 * 1024, MON_LINKS_MAX = 4000, MON_SCRIPTS_MAX = 500 };

/* A dynamic region an officer marked to ignore: "tag", "#id", ".class",
 * "tag#id" or "tag.class". */
typedef struct mon_selector {
	char tag[32];   /* "" any */
	char id[96];    /* "" none */
	char cls[96];   /* "" none */
} mon_selector;

/* Parses s into out; false (with e) when it is not one of the forms. */
bool mon_selector_parse(const char *s, mon_selector *out, sg_err *e);

typedef struct mon_link {
	const char *url;  /* absolute when it could be resolved, else as written */
	const char *host; /* lower case; "" for a link on the same page's site
	                   * written without one, or a non-http(s) link */
	const char *text; /* the anchor's text, collapsed */
	bool hidden;      /* inside an element hidden from the visitor */
} mon_link;

typedef struct mon_script {
	const char *src;     /* absolute URL; NULL for an inline script */
	const char *host;    /* lower case; "" inline or relative */
	const char *excerpt; /* an inline script's first words, on one line */
	char sha256[65];     /* inline: of its text, with what changes from one
	                      * load to the next (numbers, tokens with digits)
	                      * made alike; src: "" (the caller may write the
	                      * hash of the script it fetched) */
} mon_script;

typedef struct mon_page {
	arena mem; /* owns every string below */
	const char *title;       /* "" when none */
	const char *description; /* meta description and keywords, "" none */
	const char *refresh;     /* meta refresh's URL; NULL none */
	const char *text;        /* visible text: a line per block, collapsed */
	const char *hidden;      /* text of elements hidden by style or attribute */
	const char *script;      /* the inline scripts' text, a line each */
	size_t text_len, hidden_len, script_len;
	mon_link *links;
	size_t n_links;
	mon_script *scripts;
	size_t n_scripts;
	size_t n_elements; /* elements read (structure size) */
	bool cut;          /* text, links or scripts past their limits were dropped */
} mon_page;

/* Reads an HTML page fetched from url (for resolving relative links),
 * leaving out the elements ignore selects. Never fails on bad HTML (the
 * parser recovers); -1 only when libxml2 builds no document at all. */
int mon_page_parse(const char *html, size_t len, const char *url, const mon_selector *ignore,
                   size_t n_ignore, mon_page *out, sg_err *e);
void mon_page_free(mon_page *p);

/* The lower-case host of an absolute http(s) URL into out ("" when url is
 * none, or the host is longer than n-1). Port, user and path left out. */
void mon_url_host(const char *url, char *out, size_t n);

/* The page at path (beginning with '/') on url's site: url's scheme and
 * authority, then path (malloc'd). */
char *mon_page_url(const char *url, const char *path);

#endif
