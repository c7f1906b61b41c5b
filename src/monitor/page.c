/*
 * page.c: an HTML page read into what the website monitor compares
 * (page.h).
 *
 * libxml2's HTML parser builds the tree (recovering from any markup,
 * HTML_PARSE_NONET: nothing is fetched); the tree is then walked without
 * recursion (a page is as deep as its author likes), once:
 *   - text goes to the visible or the hidden text, a line per block
 *     element, runs of white space collapsed to one space;
 *   - an element is hidden when it has the hidden attribute, an inline
 *     style that hides it (display:none, visibility:hidden, a zero font
 *     size or opacity, a zero height with overflow hidden, or a position
 *     or indent of -500px and beyond: the tricks of injected SEO spam),
 *     a class or id that a <style> block of the page hides that way, or
 *     it is <noscript> (what crawlers read and browsers do not show);
 *   - an element an ignore selector picks (a dynamic region) is skipped
 *     with everything inside;
 *   - links and scripts are resolved against the page's URL.
 * Styles in external style sheets are not fetched: a block hidden only by
 * them counts as visible (its text is still read, so keywords are found).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "page.h"

bool mon_selector_parse(const char *s, mon_selector *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	const char *p = s;
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	if (n >= sizeof out->tag)
		return sg_err_set(e, SG_EINVAL, "selector '%s': element name too long", s), false;
	for (size_t i = 0; i < n; i++)
		out->tag[i] = (char)tolower((unsigned char)p[i]);
	p += n;
	if (*p == '#' || *p == '.') {
		char kind = *p++;
		size_t m = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:");
		char *dst = kind == '#' ? out->id : out->cls;
		if (m == 0 || m >= sizeof out->id)
			return sg_err_set(e, SG_EINVAL, "selector '%s': no name after '%c'", s, kind), false;
		memcpy(dst, p, m);
		p += m;
	}
	if (*p != '\0' || (out->tag[0] == '\0' && out->id[0] == '\0' && out->cls[0] == '\0'))
		return sg_err_set(e, SG_EINVAL,
		                  "selector '%s': write tag, #id, .class, tag#id or tag.class", s),
		       false;
	return true;
}

void mon_url_host(const char *url, char *out, size_t n)
{
	out[0] = '\0';
	if (url == NULL)
		return;
	const char *p;
	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "//", 2) == 0)
		p = url + 2;
	else
		return;
	size_t end = strcspn(p, "/?#");
	const char *at = memchr(p, '@', end);
	if (at) {
		end -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	size_t h = end;
	if (*p == '[') { /* an IPv6 literal keeps its brackets */
		const char *close = memchr(p, ']', end);
		if (!close)
			return; /* unterminated: no host */
		h = (size_t)(close + 1 - p);
	} else {
		const char *colon = memchr(p, ':', end);
		if (colon)
			h = (size_t)(colon - p);
	}
	if (h == 0 || h >= n)
		return;
	for (size_t i = 0; i < h; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[h] = '\0';
	if (h > 1 && out[h - 1] == '.')
		out[h - 1] = '\0';
}

char *mon_page_url(const char *url, const char *path)
{
	const char *host = strstr(url, "://");
	const char *slash = host ? strchr(host + 3, '/') : NULL;
	size_t base = slash ? (size_t)(slash - url) : strlen(url);
	size_t n = base + strlen(path) + 2;
	char *out = malloc(n);
	if (!out)
		abort();
	snprintf(out, n, "%.*s%s%s", (int)base, url, path[0] == '/' ? "" : "/", path);
	return out;
}

/* ---- text with white space collapsed, a line per block ---- */

typedef struct tbuf {
	buf b;
	bool space; /* a space is owed before the next character */
	bool cut;
} tbuf;

static void put_text(tbuf *t, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
		          *p == '\v';
		if (p[0] == 0xC2 && p[1] == 0xA0) { /* no-break space */
			ws = true;
			p++;
		}
		if (ws) {
			if (t->b.len > 0 && t->b.data[t->b.len - 1] != '\n')
				t->space = true;
			continue;
		}
		if (t->b.len >= MON_TEXT_MAX) {
			t->cut = true;
			return;
		}
		if (t->space) {
			buf_putc(&t->b, ' ');
			t->space = false;
		}
		buf_putc(&t->b, (char)*p);
	}
}

static void put_break(tbuf *t)
{
	if (t->b.len > 0 && t->b.data[t->b.len - 1] != '\n')
		buf_putc(&t->b, '\n');
	t->space = false;
}

static const char *tbuf_done(tbuf *t, arena *mem, size_t *len)
{
	while (t->b.len > 0 && t->b.data[t->b.len - 1] == '\n')
		t->b.len--;
	*len = t->b.len;
	char *s = arena_strndup(mem, t->b.data ? t->b.data : "", t->b.len);
	buf_free(&t->b);
	return s;
}

/* ---- what hides an element ---- */

/* The number after a '-' at p, when it is one (digits), else 0. */
static long neg_amount(const char *p)
{
	if (*p != '-')
		return 0;
	return strtol(p + 1, NULL, 10);
}

/* Whether CSS declarations hide what they style. */
static bool decls_hide(const char *css, size_t len)
{
	char s[768];
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < sizeof s; i++)
		if (!isspace((unsigned char)css[i]))
			s[n++] = (char)tolower((unsigned char)css[i]);
	s[n] = '\0';
	if (strstr(s, "display:none") || strstr(s, "visibility:hidden") ||
	    strstr(s, "visibility:collapse"))
		return true;
	static const char *const zeroes[] = {"font-size:0", "opacity:0", "max-height:0"};
	for (size_t i = 0; i < sizeof zeroes / sizeof zeroes[0]; i++)
		for (const char *p = strstr(s, zeroes[i]); p; p = strstr(p + 1, zeroes[i])) {
			char c = p[strlen(zeroes[i])];
			if (c == '\0' || c == ';' || c == '!' || c == 'p' || c == 'e' || c == 'r' ||
			    c == '%' || c == '}') {
				if (i < 2)
					return true;
				if (strstr(s, "overflow:hidden"))
					return true;
			}
		}
	for (const char *p = strstr(s, "height:0"); p; p = strstr(p + 1, "height:0")) {
		char c = p[8];
		if ((c == '\0' || c == ';' || c == 'p' || c == '!') && strstr(s, "overflow:hidden"))
			return true;
	}
	static const char *const offsets[] = {"left:", "top:", "text-indent:", "margin-left:"};
	for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
		for (const char *p = strstr(s, offsets[i]); p; p = strstr(p + 1, offsets[i]))
			if ((p == s || p[-1] == ';' || p[-1] == '{' || p[-1] == '"') &&
			    neg_amount(p + strlen(offsets[i])) >= 500)
				return true;
	return false;
}

/* Class and id names that the page's own <style> blocks hide. */
typedef struct hidden_names {
	char names[64][64]; /* ".name" or "#name" */
	int n;
} hidden_names;

static void note_hiding_rules(hidden_names *h, const char *css)
{
	const char *p = css;
	while (*p && h->n < 64) {
		const char *open = strchr(p, '{');
		if (!open)
			return;
		const char *close = strchr(open, '}');
		if (!close)
			return;
		if (decls_hide(open + 1, (size_t)(close - open - 1))) {
			/* Each selector of the group that ends in .name or #name */
			const char *sel = p;
			while (sel < open && h->n < 64) {
				const char *comma = memchr(sel, ',', (size_t)(open - sel));
				const char *end = comma ? comma : open;
				const char *q = end;
				while (q > sel && isspace((unsigned char)q[-1]))
					q--;
				const char *nm = q;
				while (nm > sel && (isalnum((unsigned char)nm[-1]) || nm[-1] == '-' ||
				                    nm[-1] == '_'))
					nm--;
				if (nm > sel && (nm[-1] == '.' || nm[-1] == '#') && q - nm > 0 &&
				    q - nm < 62) {
					snprintf(h->names[h->n], sizeof h->names[0], "%c%.*s", nm[-1],
					         (int)(q - nm), nm);
					h->n++;
				}
				sel = end + 1;
			}
		}
		p = close + 1;
	}
}

static bool name_hidden(const hidden_names *h, char kind, const char *name, size_t len)
{
	for (int i = 0; i < h->n; i++)
		if (h->names[i][0] == kind && strlen(h->names[i] + 1) == len &&
		    memcmp(h->names[i] + 1, name, len) == 0)
			return true;
	return false;
}

/* ---- the walk ---- */

typedef struct walker {
	mon_page *page;
	const char *url;
	const mon_selector *ignore;
	size_t n_ignore;
	hidden_names hid;
	tbuf text, hidden, title, script;
	xmlNodePtr hidden_at; /* the outermost hidden element we are inside */
	buf desc;
	size_t cap_links, cap_scripts;
	/* the open anchor */
	xmlNodePtr anchor;
	tbuf *anchor_buf;
	size_t anchor_from;
} walker;

static xmlChar *prop(xmlNodePtr n, const char *name)
{
	return xmlGetProp(n, (const xmlChar *)name);
}

static bool is_tag(xmlNodePtr n, const char *tag)
{
	return n->name && strcmp((const char *)n->name, tag) == 0;
}

static bool has_class(const char *classes, const char *cls)
{
	size_t len = strlen(cls);
	for (const char *p = classes; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		size_t n = 0;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		if (n == len && memcmp(p, cls, n) == 0)
			return true;
		p += n;
	}
	return false;
}

static bool ignored(const walker *w, xmlNodePtr n)
{
	if (w->n_ignore == 0)
		return false;
	xmlChar *id = NULL, *cls = NULL;
	bool hit = false;
	for (size_t i = 0; i < w->n_ignore && !hit; i++) {
		const mon_selector *s = &w->ignore[i];
		if (s->tag[0] && !is_tag(n, s->tag))
			continue;
		if (s->id[0]) {
			if (!id)
				id = prop(n, "id");
			if (!id || strcmp((const char *)id, s->id) != 0)
				continue;
		}
		if (s->cls[0]) {
			if (!cls)
				cls = prop(n, "class");
			if (!cls || !has_class((const char *)cls, s->cls))
				continue;
		}
		hit = true;
	}
	xmlFree(id);
	xmlFree(cls);
	return hit;
}

static bool hides(const walker *w, xmlNodePtr n)
{
	if (is_tag(n, "noscript") || xmlHasProp(n, (const xmlChar *)"hidden"))
		return true;
	bool h = false;
	xmlChar *v = prop(n, "style");
	if (v) {
		h = decls_hide((const char *)v, strlen((const char *)v));
		xmlFree(v);
	}
	if (!h && w->hid.n > 0 && (v = prop(n, "id"))) {
		h = name_hidden(&w->hid, '#', (const char *)v, strlen((const char *)v));
		xmlFree(v);
	}
	if (!h && w->hid.n > 0 && (v = prop(n, "class"))) {
		for (const char *p = (const char *)v; *p && !h;) {
			while (*p && isspace((unsigned char)*p))
				p++;
			size_t k = 0;
			while (p[k] && !isspace((unsigned char)p[k]))
				k++;
			if (k)
				h = name_hidden(&w->hid, '.', p, k);
			p += k;
		}
		xmlFree(v);
	}
	return h;
}

static bool is_block(xmlNodePtr n)
{
	static const char *const blocks[] = {
		"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table",
		"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav",
		"aside", "main", "blockquote", "pre", "form", "fieldset", "figure", "figcaption",
		"address", "hr", "body", "option", "marquee", "center", "caption", "summary",
		"details", "label", "button", "select", "textarea", "iframe", "img"};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (is_tag(n, blocks[i]))
			return true;
	return false;
}

/* href resolved against the page's URL, into the arena. */
static const char *resolve(walker *w, const char *href)
{
	/* past any URL a browser takes: kept as written (libxml2 would refuse
	 * it with a message of its own on standard error) */
	if (strlen(href) > 8192)
		return arena_strndup(&w->page->mem, href, 8192);
	xmlChar *abs = xmlBuildURI((const xmlChar *)href, (const xmlChar *)w->url);
	const char *s = arena_strdup(&w->page->mem, abs ? (const char *)abs : href);
	xmlFree(abs);
	return s;
}

static const char *host_of(walker *w, const char *url)
{
	char h[256];
	mon_url_host(url, h, sizeof h);
	return arena_strdup(&w->page->mem, h);
}

static tbuf *target(walker *w)
{
	return w->hidden_at ? &w->hidden : &w->text;
}

/* Whether c may be part of a word of an inline script as inline_hash
 * reads it: letters, digits and what base64 and identifiers use. */
static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '+' || c == '/' || c == '=';
}

/* The SHA-256 of an inline script's text with what changes from one load
 * to the next made alike, so that the same script hashes the same: every
 * word of 8 characters or more that holds a digit or is all hexadecimal
 * (nonces, tokens, base64, hashes, times) becomes "#", every other run of
 * digits "0". */
static void inline_hash(const char *t, size_t len, char out[65])
{
	buf b = {0};
	for (size_t i = 0; i < len;) {
		size_t j = i, digits = 0, hex = 0;
		while (j < len && word_char(t[j])) {
			digits += isdigit((unsigned char)t[j]) != 0;
			hex += isxdigit((unsigned char)t[j]) != 0;
			j++;
		}
		if (j == i) {
			buf_putc(&b, t[i++]);
			continue;
		}
		if (j - i >= 8 && (digits || hex == j - i)) {
			buf_putc(&b, '#');
		} else {
			for (size_t k = i; k < j; k++)
				if (!isdigit((unsigned char)t[k]))
					buf_putc(&b, t[k]);
				else if (k == i || !isdigit((unsigned char)t[k - 1]))
					buf_putc(&b, '0');
		}
		i = j;
	}
	sha256_hex(b.data ? b.data : "", b.len, out);
	buf_free(&b);
}

/* The first words of an inline script, on one line: what a finding shows
 * (the text is UTF-8 already: the body was made so before parsing). */
static const char *excerpt_of(walker *w, const char *t, size_t len)
{
	enum { EXCERPT = 160 };
	char line[EXCERPT + 8];
	size_t k = 0;
	bool space = false;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(t + i, len - i);
		if (n == 0)
			n = 1;
		if (n == 1 && isspace((unsigned char)t[i])) {
			space = k > 0;
			i++;
			continue;
		}
		if (k + n + 1 > EXCERPT)
			break;
		if (space)
			line[k++] = ' ';
		space = false;
		memcpy(line + k, t + i, n);
		k += n;
		i += n;
	}
	line[k] = '\0';
	return arena_strdup(&w->page->mem, line);
}

/* Whether a <script> is code a browser runs: no type, or a JavaScript
 * one, or a module. Data blocks (application/ld+json, templates) are not:
 * they are read as text, not counted among the page's scripts. */
static bool runs(xmlNodePtr n)
{
	xmlChar *type = prop(n, "type");
	const char *t = type ? (const char *)type : "";
	while (isspace((unsigned char)*t))
		t++;
	bool code = !*t || strcasecmp(t, "module") == 0 || strcasestr(t, "javascript") ||
	            strcasestr(t, "ecmascript") || strcasestr(t, "jscript");
	xmlFree(type);
	return code;
}

/* An inline script's text, trimmed, into the text the rules read: a
 * redirect of visitors who come from a search engine hides there, gambling
 * words in a data block too. Returns it (xmlFree *body after). */
static const char *script_text(walker *w, xmlNodePtr n, xmlChar **body, size_t *len)
{
	*body = xmlNodeGetContent(n);
	const char *t = *body ? (const char *)*body : "";
	while (isspace((unsigned char)*t))
		t++;
	*len = strlen(t);
	while (*len && isspace((unsigned char)t[*len - 1]))
		(*len)--;
	if (*len) {
		char *copy = strndup(t, *len);
		if (!copy)
			abort();
		put_text(&w->script, copy);
		put_break(&w->script);
		free(copy);
	}
	return t;
}

static void add_script(walker *w, xmlNodePtr n)
{
	xmlChar *body;
	size_t len;
	if (!runs(n)) {
		script_text(w, n, &body, &len);
		xmlFree(body);
		return;
	}
	if (w->page->n_scripts >= MON_SCRIPTS_MAX) {
		w->page->cut = true;
		return;
	}
	if (w->page->n_scripts == w->cap_scripts) {
		w->cap_scripts = w->cap_scripts ? w->cap_scripts * 2 : 16;
		w->page->scripts = realloc(w->page->scripts, w->cap_scripts * sizeof(mon_script));
		if (!w->page->scripts)
			abort();
	}
	mon_script *s = &w->page->scripts[w->page->n_scripts++];
	memset(s, 0, sizeof *s);
	xmlChar *src = prop(n, "src");
	if (src && src[0]) {
		s->src = resolve(w, (const char *)src);
		s->host = host_of(w, s->src);
	} else {
		const char *t = script_text(w, n, &body, &len);
		inline_hash(t, len, s->sha256);
		s->host = "";
		s->excerpt = excerpt_of(w, t, len);
		xmlFree(body);
	}
	xmlFree(src);
}

static void open_anchor(walker *w, xmlNodePtr n)
{
	xmlChar *href = prop(n, "href");
	if (!href || !href[0] || href[0] == '#') {
		xmlFree(href);
		return;
	}
	if (w->page->n_links >= MON_LINKS_MAX) {
		w->page->cut = true;
		xmlFree(href);
		return;
	}
	if (w->page->n_links == w->cap_links) {
		w->cap_links = w->cap_links ? w->cap_links * 2 : 64;
		w->page->links = realloc(w->page->links, w->cap_links * sizeof(mon_link));
		if (!w->page->links)
			abort();
	}
	mon_link *l = &w->page->links[w->page->n_links++];
	const char *h = (const char *)href;
	while (isspace((unsigned char)*h))
		h++;
	l->url = resolve(w, h);
	l->host = host_of(w, l->url);
	l->text = "";
	l->hidden = w->hidden_at != NULL;
	xmlFree(href);
	if (!w->anchor) {
		w->anchor = n;
		tbuf *t = target(w);
		if (t->space) { /* the space before the anchor is the text's, not the anchor's */
			buf_putc(&t->b, ' ');
			t->space = false;
		}
		w->anchor_buf = t;
		w->anchor_from = t->b.len;
	}
}

static void close_anchor(walker *w)
{
	tbuf *t = w->anchor_buf;
	size_t from = w->anchor_from < t->b.len ? w->anchor_from : t->b.len;
	const char *s = t->b.data ? t->b.data + from : "";
	size_t n = t->b.len - from;
	char *copy = arena_strndup(&w->page->mem, s, n);
	for (char *c = copy; *c; c++)
		if (*c == '\n')
			*c = ' ';
	w->page->links[w->page->n_links - 1].text = copy;
	w->anchor = NULL;
}

static void meta(walker *w, xmlNodePtr n)
{
	xmlChar *name = prop(n, "name"), *equiv = prop(n, "http-equiv"), *content = prop(n, "content");
	if (content && name &&
	    (strcasecmp((const char *)name, "description") == 0 ||
	     strcasecmp((const char *)name, "keywords") == 0)) {
		if (w->desc.len)
			buf_putc(&w->desc, '\n');
		if (w->desc.len + strlen((const char *)content) < 64 * 1024)
			buf_puts(&w->desc, (const char *)content);
	} else if (content && equiv && strcasecmp((const char *)equiv, "refresh") == 0 &&
	           !w->page->refresh) {
		const char *u = strcasestr((const char *)content, "url=");
		if (u) {
			u += 4;
			while (*u == '\'' || *u == '"' || isspace((unsigned char)*u))
				u++;
			char *copy = strdup(u);
			if (!copy)
				abort();
			copy[strcspn(copy, "'\"")] = '\0';
			w->page->refresh = resolve(w, copy);
			free(copy);
		}
	}
	xmlFree(name);
	xmlFree(equiv);
	xmlFree(content);
}

/* Entering an element; returns whether to walk its children. */
static bool enter(walker *w, xmlNodePtr n)
{
	w->page->n_elements++;
	if (ignored(w, n))
		return false;
	if (is_tag(n, "script")) {
		add_script(w, n);
		return false;
	}
	if (is_tag(n, "style") || is_tag(n, "template"))
		return false;
	if (is_tag(n, "title")) {
		xmlChar *t = xmlNodeGetContent(n);
		if (t && w->title.b.len == 0)
			put_text(&w->title, (const char *)t);
		xmlFree(t);
		return false;
	}
	if (is_tag(n, "meta")) {
		meta(w, n);
		return false;
	}
	if (is_tag(n, "head"))
		return true;
	if (!w->hidden_at && hides(w, n))
		w->hidden_at = n;
	if (is_block(n))
		put_break(target(w));
	if (is_tag(n, "a") || is_tag(n, "area"))
		open_anchor(w, n);
	if (is_tag(n, "img")) { /* the alternative text is what a crawler reads */
		xmlChar *alt = prop(n, "alt");
		if (alt)
			put_text(target(w), (const char *)alt);
		xmlFree(alt);
	}
	return true;
}

static void leave(walker *w, xmlNodePtr n)
{
	if (n == w->anchor)
		close_anchor(w);
	if (is_block(n))
		put_break(target(w));
	if (n == w->hidden_at) {
		put_break(&w->hidden);
		w->hidden_at = NULL;
	}
}

/* The <style> blocks' hiding rules, before the walk reads classes. */
static void read_styles(walker *w, xmlNodePtr root)
{
	xmlNodePtr n = root->children;
	while (n) {
		if (n->type == XML_ELEMENT_NODE && is_tag(n, "style")) {
			xmlChar *css = xmlNodeGetContent(n);
			if (css)
				note_hiding_rules(&w->hid, (const char *)css);
			xmlFree(css);
		} else if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next && n != root)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
}

static void walk(walker *w, xmlNodePtr root)
{
	xmlNodePtr n = root->children;
	while (n) {
		bool down = false;
		if (n->type == XML_ELEMENT_NODE)
			down = enter(w, n) && n->children;
		else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				put_text(target(w), (const char *)n->content);
		}
		if (down) {
			n = n->children;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE)
			leave(w, n);
		while (!n->next) {
			n = n->parent;
			if (!n || n == root)
				return;
			if (n->type == XML_ELEMENT_NODE)
				leave(w, n);
		}
		n = n->next;
	}
}

static pthread_once_t parser_once = PTHREAD_ONCE_INIT;
static void parser_init(void)
{
	xmlInitParser();
}

/* The body as UTF-8 the parser reads to its end: kept as it is when it
 * is valid UTF-8, else read as Windows-1252 (a byte a character, as the
 * Latin pages of the region are); NUL bytes become spaces. A page that
 * declares another encoding is not converted by libxml2, whose failed
 * conversion would stop the reading there and hide the rest. */
static char *as_utf8(const char *html, size_t len, size_t *out_len)
{
	bool valid = utf8_valid(html, len);
	char *out = malloc(valid ? len + 1 : len * 3 + 1);
	if (!out)
		abort();
	size_t k = 0;
	static const unsigned short cp1252[32] = {
		0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
		0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
		0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178};
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)html[i];
		if (c == 0) {
			out[k++] = ' ';
		} else if (valid || c < 0x80) {
			out[k++] = (char)c;
		} else {
			unsigned cp = c < 0xA0 ? cp1252[c - 0x80] : c;
			if (cp < 0x800) {
				out[k++] = (char)(0xC0 | (cp >> 6));
				out[k++] = (char)(0x80 | (cp & 0x3F));
			} else {
				out[k++] = (char)(0xE0 | (cp >> 12));
				out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				out[k++] = (char)(0x80 | (cp & 0x3F));
			}
		}
	}
	out[k] = '\0';
	*out_len = k;
	/* the bytes are UTF-8 now: an encoding a tag declares is void (libxml2
	 * would switch to it mid-page), so "charset" inside a tag is renamed */
	bool tag = false;
	for (size_t i = 0; i < k; i++) {
		if (out[i] == '<')
			tag = true;
		else if (out[i] == '>')
			tag = false;
		else if (tag && (out[i] == 'c' || out[i] == 'C') && k - i >= 7 &&
		         strncasecmp(out + i, "charset", 7) == 0)
			out[i] = 'x';
	}
	return out;
}

/* The text of a page outside its tags, scripts and styles, read from the
 * bytes: what a page the parser could not read whole still says. */
static void crude_text(tbuf *t, const char *s, size_t n)
{
	char one[2] = {0, 0};
	for (size_t i = 0; i < n && !t->cut; i++) {
		if (s[i] == '<') {
			bool block = (n - i > 7 && strncasecmp(s + i, "<script", 7) == 0) ||
			             (n - i > 6 && strncasecmp(s + i, "<style", 6) == 0);
			const char *close = block ? (s[i + 2] == 'c' || s[i + 2] == 'C' ? "</script" : "</style")
			                          : ">";
			const char *end = NULL;
			for (size_t j = i + 1; j + strlen(close) <= n && !end; j++)
				if (strncasecmp(s + j, close, strlen(close)) == 0)
					end = s + j;
			if (!end)
				return;
			i = (size_t)(end - s) + strlen(close) - 1;
			one[0] = ' ';
			put_text(t, one);
			continue;
		}
		one[0] = s[i];
		put_text(t, one);
	}
}

int mon_page_parse(const char *html, size_t len, const char *url, const mon_selector *ignore,
                   size_t n_ignore, mon_page *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	arena_init(&out->mem);
	pthread_once(&parser_once, parser_init);
	if (len > (size_t)0x7fffffff / 3)
		return sg_err_set(e, SG_ETOOBIG, "page of %zu bytes is too large", len);
	size_t n;
	char *text = as_utf8(html, len, &n);
	/* HUGE: nesting up to libxml2's larger bound; a page nested deeper
	 * still is read by its bytes below */
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt)
		abort();
	htmlDocPtr doc = htmlCtxtReadMemory(ctxt, text, (int)n, url, "UTF-8",
	                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                                        XML_PARSE_HUGE |
	                                        HTML_PARSE_IGNORE_ENC);
	/* the parser gave up before the end (nesting past its bound) */
	bool stopped = ctxt->errNo == XML_ERR_INTERNAL_ERROR || ctxt->disableSAX;
	htmlFreeParserCtxt(ctxt);
	walker w = {.page = out, .url = url ? url : "", .ignore = ignore, .n_ignore = n_ignore};
	if (doc) {
		read_styles(&w, (xmlNodePtr)doc);
		walk(&w, (xmlNodePtr)doc);
		if (w.anchor)
			close_anchor(&w);
		xmlFreeDoc(doc);
	}
	if (stopped || !doc) { /* what it did not read is still read, as hidden text */
		put_break(&w.hidden);
		crude_text(&w.hidden, text, n);
		out->cut = true;
	}
	free(text);
	out->text = tbuf_done(&w.text, &out->mem, &out->text_len);
	out->hidden = tbuf_done(&w.hidden, &out->mem, &out->hidden_len);
	size_t tl;
	out->title = tbuf_done(&w.title, &out->mem, &tl);
	out->script = tbuf_done(&w.script, &out->mem, &out->script_len);
	out->description = arena_strndup(&out->mem, w.desc.data ? w.desc.data : "", w.desc.len);
	buf_free(&w.desc);
	out->cut = out->cut || w.text.cut || w.hidden.cut;
	return 0;
}

void mon_page_free(mon_page *p)
{
	free(p->links);
	free(p->scripts);
	arena_free(&p->mem);
	memset(p, 0, sizeof *p);
}
