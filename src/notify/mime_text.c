/*
 * mime_text.c: the e-mail parser's text decoders (see mime_decode.h):
 * HTML to text, text cleaning, and the RFC 5322 date. Each reads its
 * input once, front to back.
 *
 * HTML is read the way a person reads a rendered message, not validated:
 * a tag is whatever lies between '<' and the '>' that ends it (quotes
 * honoured), blocks end lines, script, style, head and title are not
 * text. A tag or comment never closed runs to the end of the input, so no
 * byte is looked at more than a few times whatever the markup.
 */
#include <string.h>
#include <strings.h>

#include "base/civil.h"
#include "base/hash.h"
#include "mime_decode.h"

static bool is_alpha(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- HTML to text */

/* The text written so far: a space is held until a character follows on
 * the same line, line breaks are counted so no more than one blank line
 * comes of a run of them. */
typedef struct hw {
	mbuf *out;
	bool space; /* whitespace seen since the last character */
	bool bol;   /* at the beginning of a line (or of the text) */
	int nl;     /* line breaks at the end of the text */
} hw;

static void hw_text(hw *w, const char *s, size_t n)
{
	if (w->space && !w->bol)
		mbuf_putc(w->out, ' ');
	w->space = false;
	mbuf_put(w->out, s, n);
	w->bol = false;
	w->nl = 0;
}

/* hard: <br>, a line break whatever precedes; else the end or the
 * beginning of a block, a line break unless at one already. */
static void hw_break(hw *w, bool hard)
{
	w->space = false;
	if ((!hard && w->bol) || w->nl >= 2)
		return;
	mbuf_putc(w->out, '\n');
	w->nl++;
	w->bol = true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Where the first case-insensitive "</name" at or after from begins, or n. */
static size_t find_close(const char *s, size_t n, size_t from, const char *name)
{
	size_t k = strlen(name);
	for (size_t i = from; i < n;) {
		const char *lt = memchr(s + i, '<', n - i);
		if (lt == NULL)
			return n;
		i = (size_t)(lt - s);
		if (i + 2 + k <= n && s[i + 1] == '/' && strncasecmp(s + i + 2, name, k) == 0)
			return i;
		i++;
	}
	return n;
}

/* The position after the '>' that ends the tag begun at i (quotes in its
 * attributes honoured), or n. */
static size_t tag_end(const char *s, size_t n, size_t i)
{
	char q = 0;
	for (; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		}
	}
	return n;
}

static bool name_in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* The tag at s[i] == '<'; returns where the text continues. */
static size_t html_tag(hw *w, const char *s, size_t n, size_t i)
{
	static const char *const blocks[] = {
	    "p",      "div",  "li",      "tr",      "h1",         "h2",     "h3",       "h4",
	    "h5",     "h6",   "table",   "ul",      "ol",         "pre",    "hr",       "dl",
	    "dt",     "dd",   "section", "article", "blockquote", "header", "footer",   "address",
	    "center", "form", "main",    "nav",     "aside",      "figure", "fieldset", "body"};
	static const char *const dropped[] = {"script", "style", "head", "title"};
	if (i + 3 < n && memcmp(s + i, "<!--", 4) == 0) {
		const char *end = NULL;
		for (size_t j = i + 4; j + 2 < n && end == NULL; j++) {
			const char *d = memchr(s + j, '-', n - j);
			if (d == NULL)
				break;
			j = (size_t)(d - s);
			if (j + 2 < n && s[j + 1] == '-' && s[j + 2] == '>')
				end = d;
		}
		return end ? (size_t)(end - s) + 3 : n;
	}
	size_t j = i + 1;
	bool closing = j < n && s[j] == '/';
	j += closing;
	char name[16];
	size_t k = 0;
	while (j < n && (is_alpha(s[j]) || (k > 0 && is_digit(s[j])))) {
		if (k + 1 < sizeof name)
			name[k++] = (char)(s[j] | 0x20);
		j++;
	}
	name[k] = '\0';
	if (k == 0 && !(j < n && (s[j] == '!' || s[j] == '?'))) {
		hw_text(w, "<", 1); /* "a < b": not a tag */
		return i + 1;
	}
	size_t end = tag_end(s, n, j);
	bool self = end >= 2 && end <= n && s[end - 1] == '>' && s[end - 2] == '/';
	if (strcmp(name, "br") == 0) {
		hw_break(w, true);
	} else if (name_in(name, blocks, sizeof blocks / sizeof *blocks)) {
		hw_break(w, false);
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		w->space = true;
	} else if (!closing && !self && name_in(name, dropped, sizeof dropped / sizeof *dropped)) {
		size_t c = find_close(s, n, end, name);
		if (c < n)
			return tag_end(s, n, c);
		if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)
			return n; /* never closed: the rest is code */
	}
	return end;
}

/* The entity at s[i] == '&'; returns where the text continues. */
static size_t html_entity(hw *w, const char *s, size_t n, size_t i)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {{"amp", "&"},   {"lt", "<"},   {"gt", ">"},
	             {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
	size_t j = i + 1;
	while (j < n && j - i <= 10 && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '#'))
		j++;
	if (j >= n || s[j] != ';' || j == i + 1) {
		hw_text(w, "&", 1);
		return i + 1;
	}
	const char *e = s + i + 1;
	size_t len = j - i - 1;
	if (e[0] == '#') {
		bool hex = len > 1 && (e[1] | 0x20) == 'x';
		size_t d = 1 + hex;
		uint32_t cp = 0;
		if (d >= len)
			cp = 0xFFFD;
		for (; d < len; d++) {
			int v = hex              ? hex_digit_value((unsigned char)e[d])
			        : is_digit(e[d]) ? e[d] - '0'
			                         : -1;
			if (v < 0 || cp > 0x10FFFF) {
				cp = 0xFFFD;
				break;
			}
			cp = cp * (hex ? 16 : 10) + (uint32_t)v;
		}
		if (cp == 0 || cp > 0x10FFFF)
			cp = 0xFFFD;
		mbuf tmp = {0};
		mbuf_put_cp(&tmp, cp);
		if (tmp.oom)
			w->out->oom = true;
		else
			hw_text(w, tmp.p, tmp.n);
		mbuf_free(&tmp);
		return j + 1;
	}
	for (size_t k = 0; k < sizeof named / sizeof *named; k++)
		if (strlen(named[k].name) == len && memcmp(named[k].name, e, len) == 0) {
			hw_text(w, named[k].text, 1);
			return j + 1;
		}
	hw_text(w, "&", 1);
	return i + 1;
}

void mime_html_text(mbuf *out, const char *s, size_t n)
{
	hw w = {out, false, true, 0};
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (c == '<') {
			i = html_tag(&w, s, n, i);
		} else if (c == '&') {
			i = html_entity(&w, s, n, i);
		} else if (is_space(c)) {
			w.space = true;
			i++;
		} else {
			size_t j = i + 1;
			while (j < n && s[j] != '<' && s[j] != '&' && !is_space(s[j]))
				j++;
			hw_text(&w, s + i, j - i);
			i = j;
		}
	}
}

/* ---- text cleaning */

/* How many bytes at s (n left) are a control character to drop: C0 but
 * tab, LF and CR, DEL, C1 (U+0080..U+009F, 0xC2 0x80..0x9F), and the
 * bidi embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069), so a sender's name or words never reorder the page
 * or the message around them. */
static size_t control_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if ((u[0] < 0x20 && u[0] != '\t' && u[0] != '\n' && u[0] != '\r') || u[0] == 0x7f)
		return 1;
	if (u[0] == 0xC2 && n > 1 && u[1] >= 0x80 && u[1] <= 0x9F)
		return 2;
	if (u[0] == 0xE2 && n > 2 &&
	    ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
	     (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)))
		return 3;
	return 0;
}

void mime_text_clean(mbuf *out, const char *s, size_t n)
{
	size_t i = 0, lines = 0; /* line breaks held until text follows */
	mbuf ws = {0};           /* spaces and tabs held likewise */
	bool any = false;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n) {
		char c = s[i];
		size_t ctl;
		if (c == '\r' || c == '\n') {
			i += c == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
			lines += any;
			ws.n = 0;
		} else if (c == ' ' || c == '\t') {
			mbuf_putc(&ws, c);
			i++;
		} else if ((ctl = control_len(s + i, n - i)) > 0) {
			i += ctl;
		} else {
			size_t j = i + 1;
			while (j < n && s[j] != '\r' && s[j] != '\n' && s[j] != ' ' &&
			       s[j] != '\t' && control_len(s + j, n - j) == 0)
				j++;
			for (; lines > 0; lines--)
				mbuf_putc(out, '\n');
			mbuf_put(out, ws.p, ws.n);
			ws.n = 0;
			mbuf_put(out, s + i, j - i);
			any = true;
			i = j;
		}
	}
	if (ws.oom)
		out->oom = true;
	mbuf_free(&ws);
}

void mime_line_clean(mbuf *out, const char *s, size_t n)
{
	bool space = false, any = false;
	for (size_t i = 0; i < n;) {
		size_t ctl = control_len(s + i, n - i);
		if (ctl == 0 && !is_space(s[i]) && s[i] != '\v') {
			size_t j = i + 1;
			while (j < n && !is_space(s[j]) && s[j] != '\v' &&
			       control_len(s + j, n - j) == 0)
				j++;
			if (space && any)
				mbuf_putc(out, ' ');
			mbuf_put(out, s + i, j - i);
			space = false;
			any = true;
			i = j;
		} else {
			space |= ctl != 3; /* a bidi control goes without a trace */
			i += ctl ? ctl : 1;
		}
	}
}

/* ---- the Date header */

/* Digits at *p (at most max) as a number; the count read, 0 none. */
static int digits(const char **p, int max, int *v)
{
	int k = 0;
	*v = 0;
	while (k < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k;
}

/* Spaces, tabs and (comments) at *p. */
static void skip_cfws(const char **p)
{
	for (;;) {
		while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
			(*p)++;
		if (**p != '(')
			return;
		int depth = 0;
		do {
			if (**p == '(')
				depth++;
			else if (**p == ')')
				depth--;
			else if (**p == '\\' && (*p)[1])
				(*p)++;
			(*p)++;
		} while (**p && depth > 0);
	}
}

/* The zone at p in minutes east of UTC; false when it is not one. */
static bool date_zone(const char *p, int *off)
{
	static const struct {
		const char *name;
		int min;
	} zones[] = {{"UT", 0},        {"UTC", 0},       {"GMT", 0},       {"Z", 0},
	             {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
	             {"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60},
	             {"WIB", 7 * 60},  {"WITA", 8 * 60}, {"WIT", 9 * 60}};
	*off = 0;
	if (*p == '+' || *p == '-') {
		int v;
		const char *q = p + 1;
		if (digits(&q, 4, &v) != 4 || v % 100 > 59 || v / 100 > 23)
			return false;
		*off = (v / 100 * 60 + v % 100) * (*p == '-' ? -1 : 1);
		return true;
	}
	size_t k = 0;
	while (is_alpha(p[k]))
		k++;
	if (k == 0)
		return true; /* no zone: taken as UTC */
	for (size_t i = 0; i < sizeof zones / sizeof *zones; i++)
		if (strlen(zones[i].name) == k && strncasecmp(p, zones[i].name, k) == 0) {
			*off = zones[i].min;
			return true;
		}
	return k == 1; /* military zones: their meaning was never agreed, taken as UTC */
}

bool mime_date(const char *s, int64_t *out)
{
	const char *p = s;
	int day, mon, year, hh, mm, ss = 0, off;
	skip_cfws(&p);
	if (is_alpha(*p)) { /* day of week */
		while (is_alpha(*p))
			p++;
		skip_cfws(&p);
		if (*p == ',')
			p++;
		skip_cfws(&p);
	}
	if (digits(&p, 2, &day) == 0)
		goto iso;
	skip_cfws(&p);
	if (*p == '-')
		p++;
	char m3[4] = {0};
	for (int i = 0; i < 3 && p[i]; i++)
		m3[i] = (char)(i == 0 ? (p[i] & ~0x20) : (p[i] | 0x20));
	if (strlen(m3) < 3 || (mon = civil_month_abbr(m3)) == 0)
		goto iso;
	while (is_alpha(*p))
		p++;
	skip_cfws(&p);
	if (*p == '-')
		p++;
	int yd = digits(&p, 4, &year);
	if (yd < 2)
		goto iso;
	if (yd == 2)
		year += year < 50 ? 2000 : 1900;
	else if (yd == 3)
		year += 1900;
	skip_cfws(&p);
	if (digits(&p, 2, &hh) == 0 || *p != ':' || (p++, digits(&p, 2, &mm)) != 2)
		goto iso;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &ss) != 2)
			goto iso;
	}
	skip_cfws(&p);
	if (!date_zone(p, &off) || hh > 23 || mm > 59 || ss > 60 ||
	    !civil_valid_date(year, mon, day))
		goto iso;
	if (ss == 60)
		ss = 59;
	*out = civil_days_from_date(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss -
	       (int64_t)off * 60;
	return true;
iso:
	p = s;
	skip_cfws(&p);
	return civil_parse(p, civil_zone_find("UTC"), out) == 0;
}

/* ---- format=flowed */

void mime_unflow(mbuf *out, const char *s, size_t n, bool delsp)
{
	bool open = false; /* the last line was flowed: the next may join it */
	size_t open_depth = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n, next = nl ? end + 1 : n;
		if (end > i && s[end - 1] == '\r')
			end--;
		size_t depth = 0, j = i;
		while (j < end && s[j] == '>') {
			depth++;
			j++;
		}
		if (j < end && s[j] == ' ')
			j++; /* space-stuffing */
		bool sig = end - j == 3 && memcmp(s + j, "-- ", 3) == 0;
		bool flowed = !sig && end > j && s[end - 1] == ' ';
		if (open && depth != open_depth)
			mbuf_putc(out, '\n'); /* a paragraph cut by a change of depth */
		if (!open || depth != open_depth)
			for (size_t d = 0; d < depth; d++)
				mbuf_put(out, d + 1 < depth ? ">" : "> ", d + 1 < depth ? 1 : 2);
		mbuf_put(out, s + j, end - j - (flowed && delsp));
		if (!flowed && nl)
			mbuf_putc(out, '\n');
		open = flowed;
		open_depth = depth;
		i = next;
	}
}
