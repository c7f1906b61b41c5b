/*
 * analyse.h: what a check of one page found: the findings the website
 * monitor raises from a page fetched as a browser and as a search-engine
 * crawler, compared with the page's accepted baseline when there is one.
 * No I/O: the fetches and the baseline are handed in.
 */
#ifndef SG_MON_ANALYSE_H
#define SG_MON_ANALYSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fetch.h"
#include "page.h"
#include "rules.h"

typedef enum {
	MON_F_DOWN,        /* tidak_terjangkau: no answer */
	MON_F_HTTP,        /* galat_http: an error status */
	MON_F_SLOW,        /* lambat */
	MON_F_REDIRECT,    /* pengalihan_asing: sent to another organisation's domain */
	MON_F_CERT,        /* sertifikat_tidak_sah */
	MON_F_CERT_SOON,   /* sertifikat_segera_habis */
	MON_F_DEFACE,      /* deface */
	MON_F_JUDI,        /* judi */
	MON_F_CLOAKING,    /* cloaking: the crawler is shown another page */
	MON_F_HIDDEN_LINKS, /* tautan_tersembunyi */
	MON_F_CONTENT,     /* konten: a rule of kind konten */
	MON_F_CHANGED,     /* berubah: beyond the dynamic regions */
	MON_F_SCRIPT,      /* skrip_baru: an external script the baseline did not load */
	MON_F_SITEMAP,     /* sitemap_baru: URLs the accepted sitemap did not list */
	MON_F_IOC_LINK,    /* tautan_indikator: links to domains of the indicator store */
	MON_F_SCRIPT_CHANGED, /* skrip_berubah: a script of the baseline with other
	                       * content, or an inline script it did not have */
	MON_F_KINDS
} mon_kind;

/* The finding's code ("tidak_terjangkau", …) and its English name. */
const char *mon_kind_code(mon_kind k);
const char *mon_kind_name(mon_kind k);
/* The title of a finding's alert, in Bahasa Indonesia. */
const char *mon_kind_title(mon_kind k);
/* The kind of a code; -1 when none. */
int mon_kind_of(const char *code);

typedef struct mon_finding {
	mon_kind kind;
	char level[16];
	char rule[72];      /* the content rule's id, "" for the monitor's own checks */
	char title[200];    /* the content rule's title */
	bool crawler;       /* seen by the crawler only (or: the crawler was sent away) */
	bool hidden;        /* in the page, but hidden from visitors */
	long value, value2; /* by kind: status; ms and first-byte ms; days; percent;
	                     * links */
	char what[768];     /* by kind: the error, the signs, the hosts, a URL */
} mon_finding;

/* A translation: returns msgid's text in the reader's language (gettext,
 * or the identity for English). */
typedef const char *(*mon_tr_fn)(const char *msgid) __attribute__((format_arg(1)));
/* The finding as one sentence in the language tr translates to. */
void mon_finding_sentence(const mon_finding *f, mon_tr_fn tr, char *out, size_t n);

typedef struct mon_findings {
	mon_finding *v;
	size_t n, cap;
} mon_findings;
void mon_findings_free(mon_findings *f);

/* A script of an accepted page. */
typedef struct mon_script_seen {
	const char *src;    /* its URL; NULL for an inline script */
	const char *sha256; /* as mon_script's; "" when not known */
} mon_script_seen;

/* What an officer accepted as the page as it should be. */
typedef struct mon_baseline {
	const char *text;               /* the visible text, as mon_page gives it */
	const mon_script_seen *scripts; /* the scripts it loads */
	size_t n_scripts;
	bool inline_known;              /* its inline scripts were recorded (a
	                                 * baseline accepted before sigap kept
	                                 * them has none) */
} mon_baseline;

typedef struct mon_limits {
	int64_t now;          /* epoch seconds */
	long slow_ms;         /* a total time beyond: lambat */
	int cert_warn_days;   /* a certificate ending within: segera habis */
	double changed_min;   /* the share of lines changed from which the page
	                       * is berubah (0.0-1.0) */
	double replaced_min;  /* … from which it replaced the site: deface */
} mon_limits;

/* One page's check: as a browser (b, bp) and as a crawler (c, cp: NULL
 * when the crawler view was not fetched); bp/cp NULL when the page could
 * not be read. url is what was asked for; base NULL when no baseline is
 * accepted yet. scan reads with the content rules. */
int mon_analyse(const char *url, const mon_fetch_res *b, const mon_page *bp,
                const mon_fetch_res *c, const mon_page *cp, const mon_baseline *base,
                mon_scan *scan, const mon_limits *lim, mon_findings *out);

/* The organisation's domain of a host: the last two labels, or three
 * under a second-level domain of a country (x.go.id, x.co.id, x.ac.uk);
 * the whole host for an address. Into out. */
void mon_org_domain(const char *host, char *out, size_t n);
/* Whether two hosts belong to the same organisation's domain. */
bool mon_same_org(const char *a, const char *b);
/* Whether two hosts are one site's: the same, but for a leading "www.".
 * What the monitor fetches for a site beyond its pages (sitemaps, the
 * pages they list, scripts) is the site's own host's only: another
 * OPD's host under the same kabupaten domain may serve the CSIRT's
 * server what it would not serve that site's agent. */
bool mon_same_host(const char *a, const char *b);

/* The http(s) URLs a sitemap.xml lists (its <loc> entries, entities
 * &amp; &lt; &gt; &quot; &apos; read), another organisation's included
 * (a sitemap listing them is what is told), sorted, each once, a line
 * each (malloc'd); at most max. *index: the file is a sitemap index (its
 * URLs are sitemaps, not pages). */
char *mon_sitemap_urls(const char *body, size_t len, size_t max, bool *index);
/* The sitemaps a robots.txt names on its "Sitemap:" lines (any case;
 * http(s) URLs only), sorted, each once, a line each (malloc'd); at most
 * max. */
char *mon_robots_sitemaps(const char *body, size_t len, size_t max);
/* The non-empty lines of text sorted, each once (malloc'd); at most max
 * read. */
char *mon_lines_sorted(const char *text, size_t max);
/* The sitemap's URLs (a line each) that the accepted ones did not list:
 * a finding sitemap_baru (high; critical when they carry the signs of a
 * content rule, read with scan), into out. */
void mon_sitemap_compare(const char *base, const char *now, mon_scan *scan, mon_findings *out);

/* The hosts of another organisation that a page links to (visible or
 * hidden), each once, at most max, into hosts[] (pointers into p). */
size_t mon_foreign_hosts(const mon_page *p, const char *site_url, const char **hosts, size_t max);
/* A finding tautan_indikator: the page links to n hosts the indicator
 * store names (what: "host (indicator ID)", …); high. */
void mon_indicator_links(mon_findings *out, long n, const char *what);

/* The share of lines of a and b that differ (0: the same lines, 1: none
 * alike), as a multiset of lines, order ignored. */
double mon_text_distance(const char *a, const char *b);

#endif
