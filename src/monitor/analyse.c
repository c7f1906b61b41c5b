/*
 * analyse.c: the findings of one page's check (analyse.h).
 *
 * From the fetch: no answer, an error status, slowness, a redirect (by
 * HTTP or by meta refresh) to another organisation's domain, a refused
 * certificate or one about to end.
 * From the page as a visitor's browser gets it: the content rules
 * (gambling promotion, defacement marks, the CSIRT's own), links hidden
 * from the visitor that lead off the site.
 * From the page as a crawler gets it: gambling promotion shown only to
 * crawlers, or a page that differs from the visitor's (cloaking).
 * Against the accepted baseline: the text changed beyond the dynamic
 * regions (already left out by the page reader), replaced outright
 * (defacement even without marks), external scripts the baseline did
 * not load, and scripts it loads that now hold other content (skimmers).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyse.h"
#include "base/buf.h"

/* Each kind's code, its English name, and the title of its alert in the
 * CSIRT's language (alerts are read by the Indonesian team first). */
static const struct {
	const char *code, *name, *title;
} kinds[MON_F_KINDS] = {
	[MON_F_DOWN] = {"tidak_terjangkau", "unreachable", "Situs tidak dapat diakses"},
	[MON_F_HTTP] = {"galat_http", "HTTP error", "Situs menjawab dengan galat HTTP"},
	[MON_F_SLOW] = {"lambat", "slow", "Situs lambat"},
	[MON_F_REDIRECT] = {"pengalihan_asing", "redirect to a foreign domain",
	                    "Situs mengalihkan ke domain lain"},
	[MON_F_CERT] = {"sertifikat_tidak_sah", "certificate refused", "Sertifikat situs ditolak"},
	[MON_F_CERT_SOON] = {"sertifikat_segera_habis", "certificate expiring",
	                     "Sertifikat situs segera berakhir"},
	[MON_F_DEFACE] = {"deface", "defacement", "Deface situs"},
	[MON_F_JUDI] = {"judi", "online-gambling injection", "Injeksi judi online"},
	[MON_F_CLOAKING] = {"cloaking", "cloaking", "Cloaking: mesin pencari diberi halaman lain"},
	[MON_F_HIDDEN_LINKS] = {"tautan_tersembunyi", "hidden outbound links",
	                        "Tautan tersembunyi ke situs lain"},
	[MON_F_CONTENT] = {"konten", "suspicious content", "Konten mencurigakan"},
	[MON_F_CHANGED] = {"berubah", "content changed", "Isi situs berubah"},
	[MON_F_SCRIPT] = {"skrip_baru", "new external script", "Skrip eksternal baru pada situs"},
	[MON_F_SITEMAP] = {"sitemap_baru", "new pages in the sitemap", "Halaman baru pada sitemap situs"},
	[MON_F_IOC_LINK] = {"tautan_indikator", "links to listed domains",
	                    "Tautan ke domain dalam daftar indikator"},
	[MON_F_SCRIPT_CHANGED] = {"skrip_berubah", "script changed", "Skrip pada situs berubah"},
};

const char *mon_kind_title(mon_kind k)
{
	return k < MON_F_KINDS ? kinds[k].title : "?";
}

const char *mon_kind_code(mon_kind k)
{
	return k < MON_F_KINDS ? kinds[k].code : "?";
}

const char *mon_kind_name(mon_kind k)
{
	return k < MON_F_KINDS ? kinds[k].name : "?";
}

int mon_kind_of(const char *code)
{
	for (int i = 0; code && i < MON_F_KINDS; i++)
		if (strcmp(kinds[i].code, code) == 0)
			return i;
	return -1;
}

void mon_findings_free(mon_findings *f)
{
	free(f->v);
	memset(f, 0, sizeof *f);
}

/* A finding of kind k at level, with what was seen (printf). */
static mon_finding *add(mon_findings *f, mon_kind k, const char *level, long value,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static mon_finding *add(mon_findings *f, mon_kind k, const char *level, long value,
                        const char *fmt, ...)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->v = realloc(f->v, f->cap * sizeof *f->v);
		if (!f->v)
			abort();
	}
	mon_finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->kind = k;
	x->value = value;
	snprintf(x->level, sizeof x->level, "%s", level);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof x->what, fmt, ap);
	va_end(ap);
	return x;
}

static void from_rule(mon_finding *f, const mon_rule *r, bool crawler)
{
	snprintf(f->rule, sizeof f->rule, "%s", r->id);
	snprintf(f->title, sizeof f->title, "%s", r->title);
	f->crawler = crawler;
}

/* A message of the sentences below: its translation (tools/po_id.py reads
 * them by this name). */
#define TR(msgid) tr(msgid)

/* The formats below are this file's literals through tr (GCC checks them
 * through format_arg; clang does not read that attribute on a function
 * pointer, and po_id.py checks each translation keeps its conversions). */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#endif
void mon_finding_sentence(const mon_finding *f, mon_tr_fn tr, char *out, size_t n)
{
	switch (f->kind) {
	case MON_F_DOWN:
		snprintf(out, n, TR("No answer: %s"), f->what);
		break;
	case MON_F_HTTP:
		snprintf(out, n, TR("The site answered with HTTP status %ld"), f->value);
		break;
	case MON_F_SLOW:
		snprintf(out, n, TR("The page took %ld ms (first byte after %ld ms)"), f->value,
		         f->value2);
		break;
	case MON_F_REDIRECT:
		snprintf(out, n,
		         f->crawler ? TR("A search-engine crawler is sent to another domain: %s")
		         : f->value ? TR("The page refreshes to another domain: %s")
		                    : TR("The site redirects to another domain: %s"),
		         f->what);
		break;
	case MON_F_CERT:
		snprintf(out, n, TR("The site's certificate is refused: %s"), f->what);
		break;
	case MON_F_CERT_SOON:
		snprintf(out, n, TR("The site's certificate ends in %ld days"), f->value);
		break;
	case MON_F_DEFACE:
	case MON_F_JUDI:
	case MON_F_CONTENT:
		if (f->rule[0])
			snprintf(out, n,
			         f->crawler  ? TR("%s, shown only to search-engine crawlers: %s")
			         : f->hidden ? TR("%s, in the page but hidden from visitors: %s")
			                     : TR("%s, shown to visitors: %s"),
			         f->title, f->what);
		else
			snprintf(out, n,
			         TR("The page replaced the site's content: %ld%% of its lines differ "
			            "from the baseline"),
			         f->value);
		break;
	case MON_F_CLOAKING:
		if (f->rule[0])
			snprintf(out, n,
			         TR("A search-engine crawler is shown %s that a visitor is not: %s"),
			         f->title, f->what);
		else if (f->value)
			snprintf(out, n,
			         TR("A search-engine crawler is shown another page than a visitor: %ld%% "
			            "of the lines differ"),
			         f->value);
		else
			snprintf(out, n, TR("A search-engine crawler is sent to another domain: %s"),
			         f->what);
		break;
	case MON_F_HIDDEN_LINKS:
		snprintf(out, n, TR("%ld links hidden from visitors lead to other sites: %s"), f->value,
		         f->what);
		break;
	case MON_F_CHANGED:
		snprintf(out, n,
		         TR("The page changed outside its dynamic regions: %ld%% of its lines differ "
		            "from the baseline"),
		         f->value);
		break;
	case MON_F_SCRIPT:
		snprintf(out, n, TR("The page loads a script the baseline did not: %s"), f->what);
		break;
	case MON_F_SCRIPT_CHANGED:
		if (f->value == 1)
			snprintf(out, n, TR("The page runs an inline script the baseline did not: %s"),
			         f->what);
		else if (f->value)
			snprintf(out, n,
			         TR("The page runs %ld inline scripts the baseline did not, the first: %s"),
			         f->value, f->what);
		else
			snprintf(out, n, TR("A script the baseline loads now holds other content: %s"),
			         f->what);
		break;
	case MON_F_IOC_LINK:
		snprintf(out, n, TR("The page links to %ld domains of the indicator store: %s"), f->value,
		         f->what);
		break;
	case MON_F_SITEMAP:
		snprintf(out, n, TR("The sitemap lists %ld pages the accepted one did not: %s"), f->value,
		         f->what);
		break;
	default:
		snprintf(out, n, "%s", f->what);
	}
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

/* ---- domains ---- */

static bool is_address(const char *h)
{
	return h[0] == '[' || strspn(h, "0123456789.") == strlen(h);
}

void mon_org_domain(const char *host, char *out, size_t n)
{
	snprintf(out, n, "%s", host);
	if (!*host || is_address(host))
		return;
	/* the labels from the right */
	const char *dots[4] = {0};
	int k = 0;
	for (const char *p = host + strlen(host); p > host && k < 4; p--)
		if (p[-1] == '.')
			dots[k++] = p - 1;
	if (k < 2)
		return;
	size_t tld = strlen(dots[0] + 1);
	const char *second = dots[1] + 1;
	size_t second_len = (size_t)(dots[0] - second);
	static const char *const slds[] = {"go", "co", "ac", "or", "web", "sch", "my", "biz",
	                                   "net", "mil", "desa", "ponpes", "com", "org", "gov",
	                                   "edu", "ne", "gob"};
	bool sld = false;
	for (size_t i = 0; tld == 2 && i < sizeof slds / sizeof slds[0]; i++)
		if (strlen(slds[i]) == second_len && strncmp(second, slds[i], second_len) == 0)
			sld = true;
	if (!sld) {
		snprintf(out, n, "%s", dots[1] + 1);
		return;
	}
	if (k >= 3)
		snprintf(out, n, "%s", dots[2] + 1);
}

bool mon_same_org(const char *a, const char *b)
{
	char da[256], db[256];
	mon_org_domain(a, da, sizeof da);
	mon_org_domain(b, db, sizeof db);
	return strcasecmp(da, db) == 0;
}

bool mon_same_host(const char *a, const char *b)
{
	if (strncasecmp(a, "www.", 4) == 0)
		a += 4;
	if (strncasecmp(b, "www.", 4) == 0)
		b += 4;
	return strcasecmp(a, b) == 0;
}

/* ---- texts compared as multisets of lines ---- */

static uint64_t line_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t *line_hashes(const char *s, size_t *n)
{
	size_t cap = 64, k = 0;
	uint64_t *v = malloc(cap * sizeof *v);
	if (!v)
		abort();
	for (const char *p = s; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len) {
			if (k == cap) {
				cap *= 2;
				v = realloc(v, cap * sizeof *v);
				if (!v)
					abort();
			}
			v[k++] = line_hash(p, len);
		}
		p += len + (nl != NULL);
	}
	qsort(v, k, sizeof *v, cmp_u64);
	*n = k;
	return v;
}

double mon_text_distance(const char *a, const char *b)
{
	size_t na, nb;
	uint64_t *ha = line_hashes(a, &na), *hb = line_hashes(b, &nb);
	size_t i = 0, j = 0, common = 0;
	while (i < na && j < nb) {
		if (ha[i] == hb[j])
			common++, i++, j++;
		else if (ha[i] < hb[j])
			i++;
		else
			j++;
	}
	free(ha);
	free(hb);
	if (na + nb == 0)
		return 0;
	return 1.0 - (2.0 * (double)common) / (double)(na + nb);
}

/* A share as a whole percent, at least 1 when not none. */
static long percent(double d)
{
	long p = (long)(d * 100 + 0.5);
	return p == 0 && d > 0 ? 1 : p;
}

/* ---- content ---- */

/* The signs of a page: what a visitor sees (title, description, text,
 * the hosts of visible links); with hidden, also what is hidden. */
static void scan_page(mon_scan *s, const mon_page *p, const char *site, bool hidden)
{
	mon_scan_reset(s);
	mon_scan_text(s, p->title, strlen(p->title));
	mon_scan_text(s, p->description, strlen(p->description));
	mon_scan_text(s, p->text, p->text_len);
	if (hidden) {
		mon_scan_text(s, p->hidden, p->hidden_len);
		mon_scan_text(s, p->script, p->script_len);
	}
	for (size_t i = 0; i < p->n_links; i++)
		if (p->links[i].host[0] && (hidden || !p->links[i].hidden) &&
		    !mon_same_org(p->links[i].host, site))
			mon_scan_host(s, p->links[i].host);
}

static const mon_rule_hit *hit_of(const mon_rule_hit *h, size_t n, const mon_rule *r)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].rule == r)
			return &h[i];
	return NULL;
}

static mon_kind kind_of_rule(mon_rule_kind k)
{
	return k == MON_RULE_JUDI ? MON_F_JUDI : k == MON_RULE_DEFACE ? MON_F_DEFACE : MON_F_CONTENT;
}

static void content(const char *site, const mon_page *bp, const mon_page *cp, mon_scan *scan,
                    mon_findings *out)
{
	enum { MAXH = 64 };
	mon_rule_hit vh[MAXH], bh[MAXH], ch[MAXH];
	scan_page(scan, bp, site, false);
	size_t nv = mon_scan_hits(scan, vh, MAXH);
	scan_page(scan, bp, site, true);
	size_t nb = mon_scan_hits(scan, bh, MAXH);
	size_t nc = 0;
	if (cp) {
		scan_page(scan, cp, site, true);
		nc = mon_scan_hits(scan, ch, MAXH);
	}
	for (size_t i = 0; i < nb; i++) {
		mon_finding *f = add(out, kind_of_rule(bh[i].rule->kind), bh[i].rule->level,
		                     bh[i].score, "%s", bh[i].signs);
		from_rule(f, bh[i].rule, false);
		f->hidden = !hit_of(vh, nv, bh[i].rule);
	}
	bool cloaked = false;
	for (size_t i = 0; i < nc; i++) {
		if (hit_of(bh, nb, ch[i].rule))
			continue;
		mon_finding *f = add(out, kind_of_rule(ch[i].rule->kind), ch[i].rule->level,
		                     ch[i].score, "%s", ch[i].signs);
		from_rule(f, ch[i].rule, true);
		f = add(out, MON_F_CLOAKING, "critical", ch[i].score, "%s", ch[i].signs);
		from_rule(f, ch[i].rule, true);
		cloaked = true;
	}
	if (cp && !cloaked) {
		double d = mon_text_distance(bp->text, cp->text);
		if (d >= 0.5 && cp->text_len > 200)
			add(out, MON_F_CLOAKING, "high", percent(d), "%s", "")->crawler = true;
	}
	/* Links hidden from the visitor that lead to another organisation. */
	char hosts[600] = "";
	size_t n_hidden = 0, used = 0;
	for (size_t i = 0; i < bp->n_links; i++) {
		const mon_link *l = &bp->links[i];
		if (!l->hidden || !l->host[0] || mon_same_org(l->host, site))
			continue;
		if (n_hidden < 8 && !strstr(hosts, l->host)) {
			int w = snprintf(hosts + used, sizeof hosts - used, "%s%s", used ? ", " : "",
			                 l->host);
			if (w > 0 && used + (size_t)w < sizeof hosts)
				used += (size_t)w;
		}
		n_hidden++;
	}
	if (n_hidden)
		add(out, MON_F_HIDDEN_LINKS, "high", (long)n_hidden, "%s", hosts);
}

/* The scripts of the baseline that now hold other content: an external
 * one at the very same URL whose body hashes otherwise (a skimmer written
 * into the site's own file; a new version comes with a new ?ver= and is
 * not compared), each a finding; and the inline scripts the baseline did
 * not have, one finding for them all. */
static void scripts_changed(const mon_page *bp, const mon_baseline *base, mon_findings *out)
{
	long n_inline = 0;
	char first[200] = "";
	for (size_t i = 0; i < bp->n_scripts; i++) {
		const mon_script *s = &bp->scripts[i];
		if (!s->sha256[0])
			continue;
		bool same = false, compared = false;
		for (size_t j = 0; j < base->n_scripts && !same; j++) {
			const mon_script_seen *b = &base->scripts[j];
			if (s->src ? !b->src || strcmp(b->src, s->src) != 0 || !b->sha256[0] : b->src != NULL)
				continue;
			compared = true;
			same = strcmp(b->sha256, s->sha256) == 0;
		}
		if (s->src) {
			if (compared && !same)
				add(out, MON_F_SCRIPT_CHANGED, "high", 0, "%s", s->src);
		} else if (!same && base->inline_known && s->excerpt[0]) {
			if (!n_inline++)
				snprintf(first, sizeof first, "%s", s->excerpt);
		}
	}
	if (n_inline)
		add(out, MON_F_SCRIPT_CHANGED, "medium", n_inline, "%s", first);
}

static void baseline(const char *site, const mon_page *bp, const mon_baseline *base,
                     const mon_limits *lim, mon_findings *out)
{
	double d = mon_text_distance(base->text, bp->text);
	if (d >= lim->replaced_min && d > 0)
		add(out, MON_F_DEFACE, "critical", percent(d), "%s", "");
	else if (d > lim->changed_min)
		add(out, MON_F_CHANGED, "medium", percent(d), "%s", "");
	(void)site;
	for (size_t i = 0; i < bp->n_scripts; i++) {
		const mon_script *s = &bp->scripts[i];
		if (!s->src)
			continue;
		/* compared without the query: a site's software names its version
		 * there (?ver=3.7.1), and a new version of a known script is not a
		 * new script; a new path, the site's own or another's, is */
		size_t len = strcspn(s->src, "?#");
		bool known = false;
		for (size_t j = 0; j < base->n_scripts && !known; j++) {
			const char *b = base->scripts[j].src;
			known = b && strcspn(b, "?#") == len && strncmp(b, s->src, len) == 0;
		}
		if (!known)
			add(out, MON_F_SCRIPT, "high", 0, "%s", s->src);
	}
	scripts_changed(bp, base, out);
}

size_t mon_foreign_hosts(const mon_page *p, const char *site_url, const char **hosts, size_t max)
{
	char site[256];
	mon_url_host(site_url, site, sizeof site);
	size_t n = 0;
	for (size_t i = 0; i < p->n_links && n < max; i++) {
		const char *h = p->links[i].host;
		if (!h[0] || mon_same_org(h, site))
			continue;
		bool seen = false;
		for (size_t j = 0; j < n && !seen; j++)
			seen = strcmp(hosts[j], h) == 0;
		if (!seen)
			hosts[n++] = h;
	}
	return n;
}

void mon_indicator_links(mon_findings *out, long n, const char *what)
{
	add(out, MON_F_IOC_LINK, "high", n, "%s", what);
}

/* ---- sitemaps ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The text of a <loc> with the XML entities read, into out. */
static void loc_text(const char *p, size_t n, char *out, size_t cap)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	size_t k = 0;
	while (n && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		char c = p[i];
		if (c == '&')
			for (size_t e = 0; e < sizeof ents / sizeof ents[0]; e++) {
				size_t el = strlen(ents[e].ent);
				if (i + el <= n && strncmp(p + i, ents[e].ent, el) == 0) {
					c = ents[e].c;
					i += el - 1;
					break;
				}
			}
		if ((unsigned char)c < 0x20)
			c = ' ';
		out[k++] = c;
	}
	out[k] = '\0';
}

/* v[0..n) (each malloc'd, freed here) sorted, each once, a line each,
 * no newline after the last (malloc'd; "" for none). */
static char *sorted_lines(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_str);
	buf b = {0};
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
			buf_puts(&b, v[i]);
			buf_putc(&b, '\n');
		}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	if (b.len)
		b.data[--b.len] = '\0';
	char *out = buf_steal(&b);
	if (!out && !(out = strdup("")))
		abort();
	return out;
}

/* A growing list of malloc'd strings. */
typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

static void strv_push(strv *l, char *s)
{
	if (!s)
		abort();
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			abort();
	}
	l->v[l->n++] = s;
}

char *mon_sitemap_urls(const char *body, size_t len, size_t max, bool *index)
{
	*index = memmem(body, len, "<sitemapindex", 13) != NULL;
	strv v = {0};
	const char *end = body + len;
	for (const char *p = body; p < end && v.n < max;) {
		const char *open = memmem(p, (size_t)(end - p), "<loc>", 5);
		if (!open)
			break;
		open += 5;
		const char *close = memmem(open, (size_t)(end - open), "</loc>", 6);
		if (!close)
			break;
		p = close + 6;
		char url[2048], host[256];
		if ((size_t)(close - open) >= sizeof url)
			continue;
		loc_text(open, (size_t)(close - open), url, sizeof url);
		mon_url_host(url, host, sizeof host);
		if (!host[0])
			continue; /* not an http(s) URL */
		strv_push(&v, strdup(url));
	}
	return sorted_lines(v.v, v.n);
}

char *mon_robots_sitemaps(const char *body, size_t len, size_t max)
{
	strv v = {0};
	const char *end = body + len;
	for (const char *p = body; p < end && v.n < max;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (le - p > 8 && strncasecmp(p, "sitemap:", 8) == 0) {
			const char *u = p + 8, *ue = le;
			const char *hash = memchr(u, '#', (size_t)(ue - u)); /* a comment */
			if (hash)
				ue = hash;
			while (u < ue && (*u == ' ' || *u == '\t'))
				u++;
			while (ue > u && (ue[-1] == ' ' || ue[-1] == '\t' || ue[-1] == '\r'))
				ue--;
			char url[2048], host[256];
			if (ue > u && (size_t)(ue - u) < sizeof url) {
				memcpy(url, u, (size_t)(ue - u));
				url[ue - u] = '\0';
				mon_url_host(url, host, sizeof host);
				if (host[0] && !memchr(url, ' ', strlen(url)))
					strv_push(&v, strdup(url));
			}
		}
		p = le + 1;
	}
	return sorted_lines(v.v, v.n);
}

char *mon_lines_sorted(const char *text, size_t max)
{
	strv v = {0};
	for (const char *p = text; *p && v.n < max;) {
		size_t len = strcspn(p, "\n");
		if (len)
			strv_push(&v, strndup(p, len));
		p += len + (p[len] == '\n');
	}
	return sorted_lines(v.v, v.n);
}

void mon_sitemap_compare(const char *base, const char *now, mon_scan *scan, mon_findings *out)
{
	size_t count = 0, used = 0;
	char shown[768] = "";
	buf news = {0};
	/* both lists are sorted (mon_sitemap_urls): one walk of each */
	const char *q = base;
	for (const char *p = now; *p;) {
		size_t len = strcspn(p, "\n");
		int c = 1;
		while (*q) {
			size_t ql = strcspn(q, "\n");
			size_t m = len < ql ? len : ql;
			c = memcmp(q, p, m);
			if (c == 0)
				c = ql < len ? -1 : ql > len ? 1 : 0;
			if (c >= 0)
				break;
			q += ql + (q[ql] == '\n');
		}
		bool known = *q && c == 0;
		if (!known && len) {
			count++;
			buf_append(&news, p, len);
			buf_putc(&news, ' ');
			if (used + len + 3 < sizeof shown) {
				used += (size_t)snprintf(shown + used, sizeof shown - used, "%s%.*s",
				                         used ? ", " : "", (int)len, p);
			}
		}
		p += len + (p[len] == '\n');
	}
	if (!count) {
		buf_free(&news);
		return;
	}
	/* the words of the new URLs: gambling pages are named for what they sell */
	bool signs = false;
	if (scan) {
		for (size_t i = 0; i < news.len; i++)
			if (!isalnum((unsigned char)news.data[i]))
				news.data[i] = ' ';
		mon_rule_hit h[8];
		mon_scan_reset(scan);
		mon_scan_text(scan, news.data, news.len);
		signs = mon_scan_hits(scan, h, 8) > 0;
	}
	buf_free(&news);
	add(out, MON_F_SITEMAP, signs ? "critical" : "high", (long)count, "%s", shown);
}

int mon_analyse(const char *url, const mon_fetch_res *b, const mon_page *bp,
                const mon_fetch_res *c, const mon_page *cp, const mon_baseline *base,
                mon_scan *scan, const mon_limits *lim, mon_findings *out)
{
	char site[256];
	mon_url_host(url, site, sizeof site);
	if (b->cert_refused) {
		mon_finding *f = add(out, MON_F_CERT, "high", 0, "%s", b->error);
		if (b->cert_not_after > 0)
			f->value = (long)((b->cert_not_after - lim->now) / 86400);
	} else if (b->cert_not_after > 0) {
		int64_t left = b->cert_not_after - lim->now;
		if (left < (int64_t)lim->cert_warn_days * 86400)
			add(out, MON_F_CERT_SOON, left < 7 * 86400 ? "high" : "medium", (long)(left / 86400),
			    "%s", b->cert_subject);
	}
	if (!b->reached) {
		add(out, MON_F_DOWN, "high", 0, "%s", b->error);
		return 0;
	}
	if (b->status >= 400)
		add(out, MON_F_HTTP, b->status >= 500 ? "high" : "medium", b->status, "%s", "");
	if (lim->slow_ms > 0 && b->total_us / 1000 > lim->slow_ms)
		add(out, MON_F_SLOW, "low", (long)(b->total_us / 1000), "%s", "")->value2 =
			(long)(b->ttfb_us / 1000);
	char final_host[256];
	mon_url_host(b->final_url, final_host, sizeof final_host);
	if (final_host[0] && site[0] && !mon_same_org(final_host, site))
		add(out, MON_F_REDIRECT, "high", 0, "%s", b->final_url);
	if (bp && bp->refresh) {
		char h[256];
		mon_url_host(bp->refresh, h, sizeof h);
		if (h[0] && !mon_same_org(h, site))
			add(out, MON_F_REDIRECT, "high", 1, "%s", bp->refresh);
	}
	if (c && c->reached && c->final_url) {
		char ch[256];
		mon_url_host(c->final_url, ch, sizeof ch);
		if (ch[0] && !mon_same_org(ch, site) && (!final_host[0] || mon_same_org(final_host, site)))
			add(out, MON_F_CLOAKING, "critical", 0, "%s", c->final_url)->crawler = true;
	}
	if (bp && scan)
		content(site, bp, cp && c && c->reached ? cp : NULL, scan, out);
	if (bp && base && b->status < 400)
		baseline(site, bp, base, lim, out);
	return 0;
}
