/*
 * tmpl.c: the document templates (tmpl.h): a loader that checks a template
 * and builds its tree, and a renderer that walks the tree with a JSON
 * context and writes an XHTML fragment.
 *
 * Templates are data files (the .tmpl files in templates/) that Diskominfo
 * staff edit without code, so the loader trusts nothing in them: it checks
 * the header, the encoding, every tag, attribute, entity and directive,
 * and that elements nest and close within each directive's block. Every
 * problem is one diagnostic FILE:LINE:COL (columns count characters, a tab
 * one) and loading goes on to find the others, so an officer fixes a file
 * in one pass. A template that loads can only render well-formed XHTML of
 * the allowed elements, with every value from the context escaped: web/
 * embeds the fragment in a page and report/pdf.c lays it out as a PDF, and
 * neither has to guard against what a template author wrote or what a
 * reporter typed into a case.
 *
 * Loading, in O(size):
 *   1. the encoding: strict UTF-8, and only characters XML allows (no
 *      control characters but tab, line feed and carriage return);
 *   2. the header: "key: value" lines up to a line "---" (id, judul, kode
 *      required; orientasi potret or lanskap, potret when absent);
 *   3. the body, read once from left to right as text runs, tags and
 *      directives, each added to the tree as it is read. A stack of open
 *      containers (elements and each/if/unless blocks, at most MAX_NEST)
 *      gives the balance checks: an element must close inside the block
 *      it opened in, a block's {{else}} and {{/…}} come only when every
 *      element opened in it is closed. The stack also gives each element
 *      its parent for the table and list rules (a td stands in a tr, …).
 * The tree lives in one arena owned by the template.
 *
 * Rendering walks the tree; the only state is on the renderer's stack (the
 * loop items, innermost last), so a template renders on several threads at
 * once. Work is bounded: loops nest at most 16 deep, the output at most
 * 16 MiB, the nodes visited at most MAX_STEPS (a template of empty loops
 * nested over long lists writes nothing and would otherwise run for ever).
 */
#include "report/tmpl.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/utf8.h"

#define MAX_SIZE (256 * 1024)
#define MAX_LOOPS 16
#define MAX_NEST 64 /* elements and blocks open at once */
#define MAX_OUT ((size_t)16 * 1024 * 1024)
#define MAX_STEPS ((size_t)16 * 1024 * 1024)

/* ---- the elements */

enum {
	E_H1, E_H2, E_H3, E_P, E_B, E_I, E_U, E_BR, E_HR, E_TABLE, E_THEAD, E_TBODY,
	E_TR, E_TH, E_TD, E_UL, E_OL, E_LI, E_DIV, E_SPAN, E_COUNT
};

#define BIT(e) (1u << (e))
#define F_VOID 1u /* written <br/> */
#define F_CELL 2u /* takes lebar and colspan */

typedef struct elem_spec {
	const char *name;
	unsigned flags;
	unsigned kids;        /* the elements it holds directly (no text); 0: any */
	const char *kids_txt; /* the same, for messages */
	unsigned parents;     /* where it must stand directly; 0: anywhere */
	const char *parents_txt;
} elem_spec;

static const elem_spec elems[E_COUNT] = {
	[E_H1] = {"h1", 0, 0, NULL, 0, NULL},
	[E_H2] = {"h2", 0, 0, NULL, 0, NULL},
	[E_H3] = {"h3", 0, 0, NULL, 0, NULL},
	[E_P] = {"p", 0, 0, NULL, 0, NULL},
	[E_B] = {"b", 0, 0, NULL, 0, NULL},
	[E_I] = {"i", 0, 0, NULL, 0, NULL},
	[E_U] = {"u", 0, 0, NULL, 0, NULL},
	[E_BR] = {"br", F_VOID, 0, NULL, 0, NULL},
	[E_HR] = {"hr", F_VOID, 0, NULL, 0, NULL},
	[E_TABLE] = {"table", 0, BIT(E_THEAD) | BIT(E_TBODY) | BIT(E_TR), "thead, tbody and tr",
		     0, NULL},
	[E_THEAD] = {"thead", 0, BIT(E_TR), "tr", BIT(E_TABLE), "table"},
	[E_TBODY] = {"tbody", 0, BIT(E_TR), "tr", BIT(E_TABLE), "table"},
	[E_TR] = {"tr", 0, BIT(E_TH) | BIT(E_TD), "th and td", BIT(E_TABLE) | BIT(E_THEAD) | BIT(E_TBODY),
		  "table, thead or tbody"},
	[E_TH] = {"th", F_CELL, 0, NULL, BIT(E_TR), "tr"},
	[E_TD] = {"td", F_CELL, 0, NULL, BIT(E_TR), "tr"},
	[E_UL] = {"ul", 0, BIT(E_LI), "li", 0, NULL},
	[E_OL] = {"ol", 0, BIT(E_LI), "li", 0, NULL},
	[E_LI] = {"li", 0, 0, NULL, BIT(E_UL) | BIT(E_OL), "ul or ol"},
	[E_DIV] = {"div", 0, 0, NULL, 0, NULL},
	[E_SPAN] = {"span", 0, 0, NULL, 0, NULL},
};

#define ELEM_LIST "h1 h2 h3 p b i u br hr table thead tbody tr th td ul ol li div span"

static int elem_find(const char *s, size_t n)
{
	for (int i = 0; i < E_COUNT; i++)
		if (strlen(elems[i].name) == n && memcmp(elems[i].name, s, n) == 0)
			return i;
	return -1;
}

/* ---- the tree */

typedef enum { N_TEXT, N_VALUE, N_ELEM, N_EACH, N_IF, N_UNLESS } node_kind;
typedef enum { P_NAMES, P_DOT, P_NO } path_kind;

typedef struct path {
	path_kind kind;
	size_t n; /* P_NAMES: the names */
	const char **names;
	const char *text; /* as written, for messages */
} path;

typedef struct node node;
struct node {
	node_kind kind;
	int line, col;
	node *next;
	const char *text; /* N_TEXT: as written; N_ELEM: the name */
	size_t len;
	path path;          /* N_VALUE and the blocks */
	int el;             /* N_ELEM: E_…, -1 for an unknown one (never rendered) */
	const char *cls;    /* class, canonical ("kanan tebal"); NULL: none */
	int lebar, colspan; /* 0: none */
	const char *label;  /* a block as written, "{{#each langkah}}" */
	node *kids;         /* an element's content; a block's body */
	node *alt;          /* a block's else */
};

struct tmpl {
	arena mem;
	const char *file, *id, *judul, *kode;
	bool landscape;
	node *body;
};

static const char *block_name(node_kind k)
{
	return k == N_EACH ? "each" : k == N_IF ? "if" : "unless";
}

/* ---- the loader's state */

typedef struct cont {
	node *n;     /* NULL: the body itself */
	node **tail; /* where the next node goes */
	bool in_else;
} cont;

typedef struct loader {
	tmpl *t;
	diags *d;
	const char *file;
	int errors;
	const char *s;
	size_t n, p;            /* the text and the place read */
	int line, col;          /* of s[p] */
	cont stk[MAX_NEST + 1]; /* stk[0]: the body */
	int top;
	/* Elements closed for the author at an {{else}} or {{/…}} (said
	 * there): their end tags that come after are not said again. */
	const node *orphan[MAX_NEST];
	int n_orphan;
	bool stop;
} loader;

static void err(loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err(loader *L, int line, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diags_add(L->d, L->file, line, col, "%s", msg);
	L->errors++;
}

static bool cont_byte(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Moves past s[p], keeping line and col: a column is a character. */
static void adv(loader *L)
{
	char c = L->s[L->p++];
	if (c == '\n') {
		L->line++;
		L->col = 1;
	} else if (L->p >= L->n || !cont_byte((unsigned char)L->s[L->p])) {
		L->col++;
	}
}

static void advn(loader *L, size_t k)
{
	while (k-- > 0 && L->p < L->n)
		adv(L);
}

static bool at(const loader *L, const char *lit)
{
	size_t k = strlen(lit);
	return L->n - L->p >= k && memcmp(L->s + L->p, lit, k) == 0;
}

/* The column of s+i on a line whose s+from stands at column col. */
static int col_of(const char *s, size_t from, size_t i, int col)
{
	for (size_t k = from; k < i; k++)
		if (!cont_byte((unsigned char)s[k]))
			col++;
	return col;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_name_char(char c)
{
	return is_alnum(c) || c == '_';
}

static node *new_node(loader *L, node_kind k, int line, int col)
{
	node *x = arena_calloc(&L->t->mem, 1, sizeof *x);
	x->kind = k;
	x->line = line;
	x->col = col;
	return x;
}

static void add(loader *L, node *x)
{
	cont *c = &L->stk[L->top];
	*c->tail = x;
	c->tail = &x->next;
}

static bool push(loader *L, node *x, int line, int col)
{
	if (L->top == MAX_NEST) {
		err(L, line, col, "elements and directives are nested more than %d deep", MAX_NEST);
		L->stop = true;
		return false;
	}
	L->top++;
	L->stk[L->top] = (cont){x, &x->kids, false};
	return true;
}

static bool is_elem(const cont *c)
{
	return c->n != NULL && c->n->kind == N_ELEM;
}

/* The innermost open element, or NULL. */
static const node *parent_elem(const loader *L)
{
	for (int i = L->top; i > 0; i--)
		if (is_elem(&L->stk[i]))
			return L->stk[i].n;
	return NULL;
}

/* The index of the innermost open block, 0 when none. */
static int inner_block(const loader *L)
{
	int i = L->top;
	while (i > 0 && is_elem(&L->stk[i]))
		i--;
	return i;
}

/* Loops running where the loader stands (an each's else is not one). */
static int loops_open(const loader *L)
{
	int k = 0;
	for (int i = 1; i <= L->top; i++)
		if (L->stk[i].n->kind == N_EACH && !L->stk[i].in_else)
			k++;
	return k;
}

/* An element's name for messages (an unknown one as written, cut). */
static const char *elname(const node *x)
{
	return x->el >= 0 ? elems[x->el].name : x->text;
}

/* Text of the template quoted in a message: at most 40 characters, each
 * control character or byte that is not UTF-8 a '?', so a message is
 * always clean text whatever the file holds. */
static const char *shown(loader *L, const char *s, size_t n)
{
	char *out = arena_alloc(&L->t->mem, 40 * 4 + 4);
	size_t o = 0, i = 0;
	for (int chars = 0; i < n && chars < 40; chars++) {
		size_t k = utf8_sequence(s + i, n - i);
		if (k == 0 || (unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
			out[o++] = '?';
			i += k ? k : 1;
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	if (i < n)
		memcpy(out + o, "\xE2\x80\xA6", 3), o += 3; /* … */
	out[o] = '\0';
	return out;
}

/* ---- 1. the encoding */

static uint32_t decode(const unsigned char *s, size_t k)
{
	if (k == 1)
		return s[0];
	uint32_t c = s[0] & (0x7F >> k);
	for (size_t i = 1; i < k; i++)
		c = c << 6 | (s[i] & 0x3F);
	return c;
}

/* Strict UTF-8 and XML's characters; one problem a line is enough. */
static void check_encoding(loader *L, const char *s, size_t n)
{
	int line = 1, col = 1, bad_line = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : utf8_sequence(s + i, n - i);
		if (bad_line != line) {
			if (k == 0) {
				err(L, line, col, "invalid UTF-8 (save the file as UTF-8)");
				bad_line = line;
			} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				err(L, line, col, "control character U+%04X is not allowed", c);
				bad_line = line;
			} else if (k == 3) {
				uint32_t cp = decode((const unsigned char *)s + i, k);
				if (cp == 0xFFFE || cp == 0xFFFF) {
					err(L, line, col, "U+%04X is not a character",
					    (unsigned)cp);
					bad_line = line;
				}
			}
		}
		if (k == 0)
			k = 1;
		i += k;
		if (c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
}

/* ---- 2. the header */

static bool all_of(const char *v, size_t n, const char *extra, bool upper)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (upper && c >= 'A' && c <= 'Z') || (c != '\0' && strchr(extra, c) != NULL))
			continue;
		return false;
	}
	return true;
}

/* Reads the header: the lines in s[0..end), before the line "---". */
static void parse_header(loader *L, const char *s, size_t end)
{
	static const char *const keys[] = {"id", "judul", "kode", "orientasi"};
	int seen[4] = {0, 0, 0, 0};
	int line = 1;
	for (size_t i = 0; i < end; line++) {
		size_t ls = i;
		while (i < end && s[i] != '\n')
			i++;
		size_t le = i;
		if (i < end)
			i++;
		while (le > ls && is_ws(s[le - 1]))
			le--;
		size_t k = ls;
		while (k < le && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k == le)
			continue; /* a blank line */
		int kcol = col_of(s, ls, k, 1);
		const char *colon = memchr(s + k, ':', le - k);
		if (colon == NULL) {
			err(L, line, kcol,
			    "a header line is \"key: value\" (id, judul, kode, orientasi)");
			continue;
		}
		size_t ke = (size_t)(colon - s);
		while (ke > k && (s[ke - 1] == ' ' || s[ke - 1] == '\t'))
			ke--;
		size_t v = (size_t)(colon - s) + 1;
		while (v < le && (s[v] == ' ' || s[v] == '\t'))
			v++;
		int vcol = col_of(s, ls, v, 1);
		int key = -1;
		for (int j = 0; j < 4; j++)
			if (strlen(keys[j]) == ke - k && memcmp(keys[j], s + k, ke - k) == 0)
				key = j;
		if (key < 0) {
			err(L, line, kcol, "unknown header key \"%s\" (id, judul, kode, orientasi)",
			    shown(L, s + k, ke - k));
			continue;
		}
		if (seen[key]) {
			err(L, line, kcol, "%s is given twice (first on line %d)", keys[key],
			    seen[key]);
			continue;
		}
		seen[key] = line;
		const char *val = s + v;
		size_t vn = le - v;
		if (vn == 0) {
			err(L, line, vcol, "%s is empty", keys[key]);
			continue;
		}
		char *copy = arena_strndup(&L->t->mem, val, vn);
		switch (key) {
		case 0:
			if (!all_of(val, vn, "-", false))
				err(L, line, vcol,
				    "id is the template's name: lower-case letters, digits and '-'");
			L->t->id = copy;
			break;
		case 1: L->t->judul = copy; break;
		case 2:
			if (!all_of(val, vn, ".-", true))
				err(L, line, vcol,
				    "kode is written with letters, digits, '.' and '-'");
			L->t->kode = copy;
			break;
		case 3:
			if (strcmp(copy, "lanskap") == 0)
				L->t->landscape = true;
			else if (strcmp(copy, "potret") != 0)
				err(L, line, vcol, "orientasi is potret or lanskap, not \"%s\"",
				    shown(L, val, vn));
			break;
		}
	}
	for (int j = 0; j < 3; j++)
		if (!seen[j])
			err(L, 1, 1, "the header has no %s", keys[j]);
}

/* ---- 3. the body: text */

/* Whether non-blank text or a value may stand where the loader is. */
static void check_text_place(loader *L, int line, int col, const char *what)
{
	const node *p = parent_elem(L);
	if (p != NULL && p->el >= 0 && elems[p->el].kids != 0)
		err(L, line, col, "%s cannot stand directly inside <%s>, which holds %s", what,
		    elems[p->el].name, elems[p->el].kids_txt);
}

static bool xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* The length of the entity at s[0] == '&', or 0 with a reason. */
static size_t entity_len(const char *s, size_t avail, char *why, size_t whyn)
{
	size_t i = 1;
	while (i < avail && i < 16 && (is_alnum(s[i]) || s[i] == '#'))
		i++;
	if (i >= avail || s[i] != ';' || i == 1) {
		snprintf(
		    why, whyn,
		    "'&' begins &amp; &lt; &gt; &quot; &apos; or &#NNN; (write a lone & as &amp;)");
		return 0;
	}
	const char *nm = s + 1;
	size_t nn = i - 1;
	static const char *const names[] = {"amp", "lt", "gt", "quot", "apos"};
	for (int k = 0; k < 5; k++)
		if (strlen(names[k]) == nn && memcmp(names[k], nm, nn) == 0)
			return i + 1;
	if (nm[0] != '#') {
		snprintf(why, whyn,
		         "unknown entity &%.*s; (only &amp; &lt; &gt; &quot; &apos; and &#NNN;)",
		         (int)nn, nm);
		return 0;
	}
	if (nn >= 2 && (nm[1] == 'x' || nm[1] == 'X')) {
		snprintf(why, whyn, "&%.*s; is hexadecimal: write the decimal &#NNN;", (int)nn, nm);
		return 0;
	}
	uint32_t v = 0;
	if (nn < 2 || nn > 8) {
		snprintf(why, whyn, "&%.*s; is not a decimal character reference &#NNN;", (int)nn,
		         nm);
		return 0;
	}
	for (size_t k = 1; k < nn; k++) {
		if (nm[k] < '0' || nm[k] > '9') {
			snprintf(why, whyn, "&%.*s; is not a decimal character reference &#NNN;",
			         (int)nn, nm);
			return 0;
		}
		v = v * 10 + (uint32_t)(nm[k] - '0');
	}
	if (!xml_char(v)) {
		snprintf(why, whyn, "&%.*s; is not a character a document may hold", (int)nn, nm);
		return 0;
	}
	return i + 1;
}

static void lex_text(loader *L)
{
	size_t start = L->p;
	int line = L->line, col = L->col;
	bool solid = false;
	while (L->p < L->n) {
		char c = L->s[L->p];
		if (c == '<' || at(L, "{{"))
			break;
		if (!solid && !is_ws(c)) {
			solid = true;
			check_text_place(L, L->line, L->col, "text");
		}
		if (c == '&') {
			char why[160];
			size_t k = entity_len(L->s + L->p, L->n - L->p, why, sizeof why);
			if (k == 0) {
				err(L, L->line, L->col, "%s", why);
				adv(L);
			} else {
				advn(L, k);
			}
			continue;
		}
		if (c == '>')
			err(L, L->line, L->col, "'>' in text is written &gt;");
		adv(L);
	}
	node *x = new_node(L, N_TEXT, line, col);
	x->len = L->p - start;
	x->text = arena_strndup(&L->t->mem, L->s + start, x->len);
	add(L, x);
}

/* ---- 3. the body: tags */

/* Past the next '>'; false when the text ends first. */
static bool skip_tag(loader *L)
{
	while (L->p < L->n) {
		char c = L->s[L->p];
		adv(L);
		if (c == '>')
			return true;
	}
	return false;
}

static void skip_ws(loader *L)
{
	while (L->p < L->n && is_ws(L->s[L->p]))
		adv(L);
}

static size_t name_run(const loader *L)
{
	size_t k = L->p;
	while (k < L->n && (is_alnum(L->s[k]) || L->s[k] == '_' || L->s[k] == '-' ||
	                    L->s[k] == ':' || L->s[k] == '.'))
		k++;
	return k - L->p;
}

/* A whole number lo..hi written in v[0..n), or -1. */
static int small_int(const char *v, size_t n, int lo, int hi)
{
	if (n == 0 || n > 4)
		return -1;
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	return x >= lo && x <= hi ? x : -1;
}

/* class="…": each name one of TMPL_CLASSES, none twice; the canonical
 * value in x->cls. The value is v[0..n) on one line at line:col. */
static void attr_class(loader *L, node *x, const char *v, size_t n, int line, int col)
{
	static const char classes[] = " " TMPL_CLASSES " ";
	/* " a b ": each name between spaces, so strstr finds whole names */
	char *canon = arena_alloc(&L->t->mem, n + 3);
	size_t cn = 1;
	canon[0] = ' ';
	bool any = false;
	for (size_t i = 0; i < n;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t ws = i;
		while (i < n && v[i] != ' ' && v[i] != '\t')
			i++;
		size_t wn = i - ws;
		int wcol = col_of(v, 0, ws, col);
		any = true;
		char word[64];
		if (wn > sizeof word - 3 || (snprintf(word, sizeof word, " %.*s ", (int)wn, v + ws),
		                             strstr(classes, word) == NULL)) {
			err(L, line, wcol, "unknown class \"%s\" (classes: " TMPL_CLASSES ")",
			    shown(L, v + ws, wn));
			continue;
		}
		if (strstr(canon, word) != NULL) {
			err(L, line, wcol, "class %.*s is given twice", (int)wn, v + ws);
			continue;
		}
		/* a frame and a signature block are blocks the PDF lays out
		 * from a div (pdf_layout.c); elsewhere they would show on the
		 * screen only */
		if ((strcmp(word, " ttd ") == 0 || strcmp(word, " kotak ") == 0) && x->el >= 0 &&
		    x->el != E_DIV)
			err(L, line, wcol, "class %.*s is for div only, not %s", (int)wn, v + ws,
			    elems[x->el].name);
		memcpy(canon + cn, v + ws, wn);
		cn += wn;
		canon[cn++] = ' ';
		canon[cn] = '\0';
	}
	if (!any)
		err(L, line, col, "class is empty");
	if (cn > 1)
		canon[cn - 1] = '\0';
	x->cls = canon + 1;
}

static bool has_braces(const char *v, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (v[i] == '{' && v[i + 1] == '{')
			return true;
	return false;
}

static void attribute(loader *L, node *x, const char *name, size_t nn, int nline, int ncol,
                      const char *v, size_t vn, int vline, int vcol, unsigned *seen)
{
	static const char *const attrs[] = {"class", "lebar", "colspan"};
	int a = -1;
	for (int k = 0; k < 3; k++)
		if (strlen(attrs[k]) == nn && memcmp(attrs[k], name, nn) == 0)
			a = k;
	if (a < 0) {
		err(L, nline, ncol,
		    "unknown attribute %.*s (class; lebar and colspan on th and td)",
		    (int)(nn > 40 ? 40 : nn), name);
		return;
	}
	if (*seen & (1u << a)) {
		err(L, nline, ncol, "attribute %s is given twice", attrs[a]);
		return;
	}
	*seen |= 1u << a;
	if (has_braces(v, vn)) {
		err(L, vline, vcol, "attribute values are literal: no directives inside tags");
		return;
	}
	if (a == 0) {
		attr_class(L, x, v, vn, vline, vcol);
		return;
	}
	if (x->el >= 0 && !(elems[x->el].flags & F_CELL)) {
		err(L, nline, ncol, "%s is an attribute of th and td only", attrs[a]);
		return;
	}
	if (a == 1) {
		x->lebar = small_int(v, vn, 1, 100);
		if (x->lebar < 0) {
			err(L, vline, vcol,
			    "lebar is a column's width in percent, a whole number 1 to 100, not \"%s\"",
			    shown(L, v, vn));
			x->lebar = 0;
		}
	} else {
		x->colspan = small_int(v, vn, 1, 20);
		if (x->colspan < 0) {
			err(L, vline, vcol,
			    "colspan is the columns a cell spans, a whole number 1 to 20, not \"%s\"",
			    shown(L, v, vn));
			x->colspan = 0;
		}
	}
}

/* Whether element el may stand where the loader is (tables and lists). */
static void check_elem_place(loader *L, int el, int line, int col)
{
	const node *p = parent_elem(L);
	if (p != NULL && p->el < 0)
		return; /* inside an unknown element: said already */
	if (p != NULL && elems[p->el].kids != 0 && !(elems[p->el].kids & BIT(el)))
		err(L, line, col, "<%s> cannot stand directly inside <%s>, which holds %s",
		    elems[el].name, elems[p->el].name, elems[p->el].kids_txt);
	else if (elems[el].parents != 0 && (p == NULL || !(elems[el].parents & BIT(p->el))))
		err(L, line, col, "<%s> stands directly inside %s", elems[el].name,
		    elems[el].parents_txt);
}

static void start_tag(loader *L)
{
	int line = L->line, col = L->col;
	adv(L); /* < */
	size_t nn = name_run(L);
	const char *name = L->s + L->p;
	advn(L, nn);
	int el = elem_find(name, nn);
	if (el < 0)
		err(L, line, col,
		    "unknown element <%.*s> (elements: " ELEM_LIST
		    "; a '<' in text is written &lt;)",
		    (int)(nn > 40 ? 40 : nn), name);
	else
		check_elem_place(L, el, line, col);
	node *x = new_node(L, N_ELEM, line, col);
	x->el = el;
	x->text = arena_strndup(&L->t->mem, name, nn);
	unsigned seen = 0;
	bool self = false;
	for (;;) {
		skip_ws(L);
		if (L->p >= L->n) {
			err(L, line, col, "<%.40s is not closed by '>'", x->text);
			return;
		}
		if (at(L, "/>")) {
			advn(L, 2);
			self = true;
			break;
		}
		if (L->s[L->p] == '>') {
			adv(L);
			break;
		}
		if (at(L, "{{")) {
			err(L, L->line, L->col,
			    "no directives inside tags: attribute values are literal");
			if (!skip_tag(L))
				return;
			break;
		}
		int nline = L->line, ncol = L->col;
		size_t an = name_run(L);
		const char *aname = L->s + L->p;
		if (an == 0) {
			size_t k = utf8_sequence(L->s + L->p, L->n - L->p);
			err(L, nline, ncol,
			    "\"%s\" in the tag <%.40s>: attributes are written name=\"value\"",
			    shown(L, L->s + L->p, k ? k : 1), x->text);
			if (!skip_tag(L))
				return;
			break;
		}
		advn(L, an);
		skip_ws(L);
		if (L->p >= L->n || L->s[L->p] != '=') {
			err(L, nline, ncol, "attribute %.*s has no value (write %.*s=\"…\")",
			    (int)(an > 40 ? 40 : an), aname, (int)(an > 40 ? 40 : an), aname);
			continue;
		}
		adv(L);
		skip_ws(L);
		if (L->p >= L->n || L->s[L->p] != '"') {
			err(L, L->line, L->col,
			    "the value of %.*s is written in double quotes: %.*s=\"…\"",
			    (int)(an > 40 ? 40 : an), aname, (int)(an > 40 ? 40 : an), aname);
			/* past the value as written: 'x' or x */
			char q = L->p < L->n && L->s[L->p] == '\'' ? '\'' : 0;
			if (q)
				adv(L);
			while (L->p < L->n && L->s[L->p] != '>' &&
			       (q ? L->s[L->p] != q : !is_ws(L->s[L->p])) && !at(L, "/>"))
				adv(L);
			if (q && L->p < L->n && L->s[L->p] == q)
				adv(L);
			continue;
		}
		int qline = L->line, qcol = L->col;
		adv(L);
		size_t vs = L->p;
		int vline = L->line, vcol = L->col;
		while (L->p < L->n && L->s[L->p] != '"' && L->s[L->p] != '>' && L->s[L->p] != '<' &&
		       L->s[L->p] != '\n')
			adv(L);
		if (L->p >= L->n || L->s[L->p] != '"') {
			err(L, qline, qcol, "the value of %.*s is not closed by '\"'",
			    (int)(an > 40 ? 40 : an), aname);
			if (L->p < L->n && L->s[L->p] == '<')
				return; /* another tag begins: this one is lost */
			if (!skip_tag(L))
				return;
			break;
		}
		size_t vn = L->p - vs;
		adv(L);
		attribute(L, x, aname, an, nline, ncol, L->s + vs, vn, vline, vcol, &seen);
	}
	if (el >= 0 && (elems[el].flags & F_VOID)) {
		if (!self)
			err(L, line, col, "<%s> is written <%s/>", elems[el].name, elems[el].name);
		add(L, x);
		return;
	}
	add(L, x);
	if (!self)
		push(L, x, line, col);
}

static void end_tag(loader *L)
{
	int line = L->line, col = L->col;
	advn(L, 2); /* </ */
	size_t nn = name_run(L);
	const char *name = L->s + L->p;
	int show = (int)(nn > 40 ? 40 : nn);
	advn(L, nn);
	skip_ws(L);
	if (L->p >= L->n || L->s[L->p] != '>') {
		err(L, line, col, "</%.*s is not closed by '>'", show, name);
		if (!skip_tag(L))
			return;
	} else {
		adv(L);
	}
	int el = elem_find(name, nn);
	if (el >= 0 && (elems[el].flags & F_VOID)) {
		err(L, line, col, "<%s/> has no end tag", elems[el].name);
		return;
	}
	/* The elements opened in the innermost block, innermost first. */
	int b = inner_block(L);
	for (int i = L->top; i > b; i--) {
		const node *o = L->stk[i].n;
		if (strlen(o->text) == nn && memcmp(o->text, name, nn) == 0) {
			if (i != L->top) {
				const node *t = L->stk[L->top].n;
				err(L, line, col,
				    "</%.*s> while <%s> opened at %d:%d is still open", show, name,
				    elname(t), t->line, t->col);
			}
			L->top = i - 1;
			return;
		}
	}
	for (int i = L->n_orphan - 1; i >= 0; i--)
		if (strlen(L->orphan[i]->text) == nn && memcmp(L->orphan[i]->text, name, nn) == 0) {
			L->orphan[i] = L->orphan[--L->n_orphan];
			return;
		}
	if (el < 0) {
		err(L, line, col, "unknown element </%.*s>", show, name);
		return;
	}
	if (L->top > b) {
		const node *t = L->stk[L->top].n;
		err(L, line, col, "</%.*s> does not close <%s> opened at %d:%d", show, name,
		    elname(t), t->line, t->col);
		return;
	}
	for (int i = b - 1; i > 0; i--) {
		const node *o = L->stk[i].n;
		if (o->kind == N_ELEM && strlen(o->text) == nn && memcmp(o->text, name, nn) == 0) {
			const node *blk = L->stk[b].n;
			err(L, line, col,
			    "</%.*s> closes <%s> opened at %d:%d, outside the %s at %d:%d", show,
			    name, elname(o), o->line, o->col, blk->label, blk->line, blk->col);
			return;
		}
	}
	err(L, line, col, "</%.*s> closes no open element", show, name);
}

static void lex_tag(loader *L)
{
	char next = L->p + 1 < L->n ? L->s[L->p + 1] : '\0';
	if (next == '/') {
		end_tag(L);
	} else if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) {
		start_tag(L);
	} else if (next == '!' || next == '?') {
		err(L, L->line, L->col, "<%c…> is not accepted (a comment is written {{! … }})",
		    next);
		skip_tag(L);
	} else {
		err(L, L->line, L->col, "'<' in text is written &lt;");
		adv(L);
	}
}

/* ---- 3. the body: directives */

/* The path v[0..n) at line:col into *out; false (said) when bad. */
static bool parse_path(loader *L, const char *v, size_t n, int line, int col, path *out)
{
	memset(out, 0, sizeof *out);
	out->text = shown(L, v, n);
	if (n == 0) {
		err(L, line, col, "a path is missing");
		return false;
	}
	if (n == 1 && v[0] == '.') {
		out->kind = P_DOT;
		return true;
	}
	if (v[0] == '@') {
		if (n == 3 && memcmp(v, "@no", 3) == 0) {
			out->kind = P_NO;
			return true;
		}
		err(L, line, col, "unknown %s (the only @ name is @no, the position in a loop)",
		    out->text);
		return false;
	}
	size_t k = 1;
	for (size_t i = 0; i < n; i++)
		if (v[i] == '.')
			k++;
	out->kind = P_NAMES;
	out->names = arena_calloc(&L->t->mem, k, sizeof *out->names);
	for (size_t i = 0; i <= n;) {
		size_t s = i;
		while (i < n && is_name_char(v[i]))
			i++;
		if (i == s || (i < n && v[i] != '.')) {
			err(L, line, col_of(v, 0, i, col),
			    "bad path \"%s\": names of letters, digits and '_' joined by '.'",
			    out->text);
			return false;
		}
		out->names[out->n++] = arena_strndup(&L->t->mem, v + s, i - s);
		i++; /* the '.' or past the end */
	}
	return true;
}

static void open_block(loader *L, node_kind k, const char *v, size_t n, int line, int col, int pcol)
{
	node *x = new_node(L, k, line, col);
	bool ok = parse_path(L, v, n, line, pcol, &x->path);
	size_t ln = strlen(x->path.text) + 16;
	char *label = arena_alloc(&L->t->mem, ln);
	snprintf(label, ln, "{{#%s%s%s}}", block_name(k), n ? " " : "", x->path.text);
	x->label = label;
	if (!ok)
		x->path.kind = P_DOT;
	else if (k == N_EACH && x->path.kind == P_NO)
		err(L, line, pcol, "@no is a number, not a list");
	if (x->path.kind == P_NO && k != N_EACH && loops_open(L) == 0)
		err(L, line, pcol, "@no is used outside {{#each}}");
	if (k == N_EACH && loops_open(L) >= MAX_LOOPS)
		err(L, line, col, "{{#each}} is nested more than %d deep", MAX_LOOPS);
	add(L, x);
	push(L, x, line, col);
}

/* Reports the elements opened in the innermost block (at b) and closes
 * them, before that block's {{else}} or {{/…}}. */
static void close_elems(loader *L, int b, int line, int col, const char *what)
{
	for (int i = b + 1; i <= L->top; i++) {
		const node *o = L->stk[i].n;
		err(L, line, col, "<%s> opened at %d:%d is not closed before %s", elname(o),
		    o->line, o->col, what);
		if (L->n_orphan == MAX_NEST)
			L->n_orphan--;
		L->orphan[L->n_orphan++] = o;
	}
	L->top = b;
}

static void else_directive(loader *L, int line, int col)
{
	int b = inner_block(L);
	if (b == 0) {
		err(L, line, col, "{{else}} outside {{#each}}, {{#if}} or {{#unless}}");
		return;
	}
	close_elems(L, b, line, col, "{{else}}");
	cont *c = &L->stk[b];
	if (c->in_else) {
		err(L, line, col, "a second {{else}} in the %s at %d:%d", c->n->label, c->n->line,
		    c->n->col);
		return;
	}
	c->in_else = true;
	c->tail = &c->n->alt;
}

static void close_block(loader *L, node_kind k, int line, int col)
{
	int b = inner_block(L);
	if (b == 0) {
		err(L, line, col, "{{/%s}} without {{#%s}}", block_name(k), block_name(k));
		return;
	}
	const node *blk = L->stk[b].n;
	if (blk->kind == k) {
		char what[16];
		snprintf(what, sizeof what, "{{/%s}}", block_name(k));
		close_elems(L, b, line, col, what);
		L->top = b - 1;
		return;
	}
	err(L, line, col, "{{/%s}} closes the %s at %d:%d", block_name(k), blk->label, blk->line,
	    blk->col);
	for (int i = b - 1; i > 0; i--)
		if (L->stk[i].n->kind == k) {
			L->top = i - 1;
			return;
		}
}

static void lex_directive(loader *L)
{
	int line = L->line, col = L->col;
	size_t start = L->p;
	if (at(L, "{{!")) {
		const char *s = L->s;
		size_t q = start + 3;
		while (q + 1 < L->n && !(s[q] == '}' && s[q + 1] == '}'))
			q++;
		if (q + 1 >= L->n) {
			err(L, line, col, "a comment {{! is not closed by }}");
			advn(L, L->n - L->p);
			return;
		}
		advn(L, q + 2 - start);
		return;
	}
	size_t q = start + 2;
	while (q + 1 < L->n && L->s[q] != '\n' && !(L->s[q] == '}' && L->s[q + 1] == '}'))
		q++;
	if (q + 1 >= L->n || L->s[q] != '}') {
		err(L, line, col,
		    "{{ is not closed by }} on its line (a literal {{ is written &#123;&#123;)");
		advn(L, 2);
		return;
	}
	const char *v = L->s + start + 2;
	size_t n = q - (start + 2);
	advn(L, q + 2 - start);
	if (n > 0 && v[0] == '{') {
		err(L, line, col,
		    "{{{…}}} is not part of the language: values are always escaped, write {{name}}");
		if (L->p < L->n && L->s[L->p] == '}')
			adv(L);
		return;
	}
	while (n > 0 && (v[0] == ' ' || v[0] == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	int vcol = col_of(L->s, start, (size_t)(v - L->s), col);
	if (n > 0 && (v[0] == '#' || v[0] == '/')) {
		size_t k = 1;
		while (k < n && v[k] >= 'a' && v[k] <= 'z')
			k++;
		node_kind kind;
		if (k - 1 == 4 && memcmp(v + 1, "each", 4) == 0)
			kind = N_EACH;
		else if (k - 1 == 2 && memcmp(v + 1, "if", 2) == 0)
			kind = N_IF;
		else if (k - 1 == 6 && memcmp(v + 1, "unless", 6) == 0)
			kind = N_UNLESS;
		else {
			err(L, line, col, "unknown directive {{%c%.*s}} (each, if, unless)", v[0],
			    (int)(k - 1 > 40 ? 40 : k - 1), v + 1);
			return;
		}
		size_t r = k;
		while (r < n && (v[r] == ' ' || v[r] == '\t'))
			r++;
		if (v[0] == '/') {
			if (r < n)
				err(L, line, col_of(v, 0, r, vcol), "{{/%s}} takes no path",
				    block_name(kind));
			close_block(L, kind, line, col);
			return;
		}
		if (r == k && k < n) {
			err(L, line, col, "unknown directive {{#%s}} (each, if, unless)",
			    shown(L, v + 1, n - 1));
			return;
		}
		open_block(L, kind, v + r, n - r, line, col, col_of(v, 0, r, vcol));
		return;
	}
	if (n == 4 && memcmp(v, "else", 4) == 0) {
		else_directive(L, line, col);
		return;
	}
	if (n > 0 && v[0] == '^') {
		err(L, line, col, "{{^…}} is written {{#unless …}}");
		return;
	}
	if (n > 0 && (v[0] == '>' || v[0] == '&' || v[0] == '=')) {
		err(L, line, col, "{{%c…}} is not part of the language", v[0]);
		return;
	}
	node *x = new_node(L, N_VALUE, line, col);
	if (!parse_path(L, v, n, line, vcol, &x->path))
		return;
	if (x->path.kind == P_NO && loops_open(L) == 0)
		err(L, line, vcol, "@no is used outside {{#each}}");
	check_text_place(L, line, col, "a value");
	add(L, x);
}

static void parse_body(loader *L)
{
	while (L->p < L->n && !L->stop) {
		if (at(L, "{{"))
			lex_directive(L);
		else if (L->s[L->p] == '<')
			lex_tag(L);
		else
			lex_text(L);
	}
	if (L->stop)
		return;
	for (int i = 1; i <= L->top; i++) {
		const node *o = L->stk[i].n;
		if (o->kind == N_ELEM)
			err(L, o->line, o->col, "<%s> is not closed", elname(o));
		else
			err(L, o->line, o->col, "%s is not closed by {{/%s}}", o->label,
			    block_name(o->kind));
	}
}

/* ---- loading */

/* A diagnostic and its place in the list, so sorting keeps the order in
 * which two at one place were found (qsort is not stable). */
typedef struct placed {
	diag g;
	size_t i;
} placed;

static int by_place(const void *a, const void *b)
{
	const placed *x = a, *y = b;
	if (x->g.line != y->g.line)
		return x->g.line < y->g.line ? -1 : 1;
	if (x->g.col != y->g.col)
		return x->g.col < y->g.col ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The diagnostics from d->v[from] on, in the order of the file. */
static void sort_diags(diags *d, size_t from)
{
	size_t n = d->n - from;
	if (n < 2)
		return;
	placed *v = malloc(n * sizeof *v);
	if (v == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = (placed){d->v[from + i], i};
	qsort(v, n, sizeof *v, by_place);
	for (size_t i = 0; i < n; i++)
		d->v[from + i] = v[i].g;
	free(v);
}

static tmpl *load(const char *text, size_t len, const char *file, diags *d)
{
	if (file == NULL)
		file = "template";
	if (len > MAX_SIZE) {
		diags_add(d, file, 0, 0, "the template is larger than 256 KiB");
		return NULL;
	}
	size_t first = d->n;
	tmpl *t = calloc(1, sizeof *t);
	if (t == NULL)
		abort();
	arena_init(&t->mem);
	t->file = arena_strdup(&t->mem, file);
	loader L = {.t = t, .d = d, .file = t->file, .s = text, .n = len, .line = 1, .col = 1};
	L.stk[0] = (cont){NULL, &t->body, false};
	size_t p = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p = 3; /* a byte-order mark, as some editors write */
	check_encoding(&L, text + p, len - p);
	/* The line "---" that ends the header. */
	size_t dash = SIZE_MAX, body = len;
	int line = 1;
	for (size_t i = p; i < len; line++) {
		size_t ls = i;
		while (i < len && text[i] != '\n')
			i++;
		size_t le = i;
		if (i < len)
			i++;
		while (le > ls && is_ws(text[le - 1]))
			le--;
		if (le - ls == 3 && memcmp(text + ls, "---", 3) == 0) {
			dash = ls;
			body = i;
			break;
		}
	}
	if (dash == SIZE_MAX) {
		err(&L, 1, 1,
		    "no line \"---\" ends the header (id:, judul:, kode: and orientasi: lines, then ---)");
	} else {
		parse_header(&L, text + p, dash - p);
		L.p = body;
		L.line = line + 1;
		L.col = 1;
		parse_body(&L);
	}
	if (L.errors > 0) {
		sort_diags(d, first);
		tmpl_free(t);
		return NULL;
	}
	return t;
}

tmpl *tmpl_load(const char *text, size_t len, const char *file, diags *d)
{
	if (d != NULL)
		return load(text, len, file, d);
	diags none = DIAGS_INIT; /* the caller wants no words */
	tmpl *t = load(text, len, file, &none);
	diags_free(&none);
	return t;
}

void tmpl_free(tmpl *t)
{
	if (t == NULL)
		return;
	arena_free(&t->mem);
	free(t);
}

const char *tmpl_id(const tmpl *t)
{
	return t->id;
}

const char *tmpl_judul(const tmpl *t)
{
	return t->judul;
}

const char *tmpl_kode(const tmpl *t)
{
	return t->kode;
}

bool tmpl_landscape(const tmpl *t)
{
	return t->landscape;
}

const char *tmpl_file(const tmpl *t)
{
	return t->file;
}

/* ---- rendering */

typedef struct render {
	const tmpl *t;
	buf *out;
	size_t start; /* out's length before */
	sg_err *e;
	const json_t *item[MAX_LOOPS + 1]; /* item[0]: the context */
	size_t no[MAX_LOOPS + 1];          /* 1-based positions */
	int depth;                         /* loops running */
	size_t steps;
} render;

static int too_big(render *r)
{
	return sg_err_set(r->e, SG_ETOOBIG, "%s: the rendered document is larger than 16 MiB",
	                  r->t->file);
}

static const json_t *lookup(const render *r, const path *p)
{
	if (p->kind == P_DOT)
		return r->item[r->depth];
	const json_t *v = NULL;
	for (int i = r->depth; i >= 0 && v == NULL; i--)
		if (json_is_object(r->item[i]))
			v = json_object_get(r->item[i], p->names[0]);
	for (size_t k = 1; k < p->n && v != NULL; k++)
		v = json_is_object(v) ? json_object_get(v, p->names[k]) : NULL;
	return v;
}

static const char *kind_name(const json_t *v)
{
	return json_is_object(v)   ? "an object"
	       : json_is_array(v)  ? "a list"
	       : json_is_string(v) ? "text"
	       : json_is_number(v) ? "a number"
	                           : "true or false";
}

/* s[0..n) as XML text: & < > " escaped; a line break a <br/> (an
 * officer's numbered list stays a list on paper; a CR is dropped); bidi
 * overrides and isolates dropped; what XML cannot hold (control
 * characters, invalid UTF-8, U+FFFE, U+FFFF) dropped or replaced. */
static void put_escaped(buf *out, const char *s, size_t n)
{
	size_t run = 0; /* start of the bytes not yet copied */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t k = 1;
		if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else if (c == '\n')
			rep = "<br/>";
		else if (c < 0x20 && c != '\t')
			rep = "";
		else if (c >= 0x80) {
			k = utf8_sequence(s + i, n - i);
			if (k == 0) {
				rep = "\xEF\xBF\xBD";
				k = 1;
			} else if (k == 3 && c == 0xE2 &&
			           (((unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] >= 0xAA &&
			             (unsigned char)s[i + 2] <= 0xAE) ||
			            ((unsigned char)s[i + 1] == 0x81 && (unsigned char)s[i + 2] >= 0xA6 &&
			             (unsigned char)s[i + 2] <= 0xA9))) {
				/* bidi embeddings, overrides and isolates (U+202A-202E,
				 * U+2066-2069): a value never reorders the text around it
				 * on an official document */
				rep = "";
			} else if (k == 3 && c == 0xEF && (unsigned char)s[i + 1] == 0xBF &&
			           ((unsigned char)s[i + 2] == 0xBE ||
			            (unsigned char)s[i + 2] == 0xBF)) {
				rep = "\xEF\xBF\xBD";
			}
		}
		if (rep != NULL) {
			buf_append(out, s + run, i - run);
			buf_puts(out, rep);
			run = i + k;
		}
		i += k;
	}
	buf_append(out, s + run, n - run);
}

static int put_value(render *r, const node *x)
{
	buf *out = r->out;
	if (x->path.kind == P_NO) {
		buf_printf(out, "%zu", r->depth > 0 ? r->no[r->depth] : 0);
		return 0;
	}
	const json_t *v = lookup(r, &x->path);
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_true(v)) {
		buf_puts(out, "Ya");
	} else if (json_is_string(v)) {
		size_t n = json_string_length(v);
		if (n > MAX_OUT - (out->len - r->start))
			return too_big(r);
		put_escaped(out, json_string_value(v), n);
	} else if (json_is_integer(v)) {
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!isfinite(d))
			return 0;
		char tmp[400];
		snprintf(tmp, sizeof tmp, "%.2f", d);
		char *dot = NULL;
		for (char *c = tmp; *c; c++)
			if (*c == ',' || *c == '.') /* the locale's decimal comma too */
				*c = '.', dot = c;
		if (dot != NULL) {
			char *end = dot + strlen(dot);
			while (end > dot + 1 && end[-1] == '0')
				end--;
			if (end == dot + 1)
				end = dot;
			*end = '\0';
		}
		buf_puts(out, strcmp(tmp, "-0") == 0 ? "0" : tmp);
	} else {
		return sg_err_set(r->e, SG_EINVAL,
		                  "%s:%d:%d: {{%s}} is %s, which cannot be printed", r->t->file,
		                  x->line, x->col, x->path.text, kind_name(v));
	}
	return 0;
}

static bool truthy(const render *r, const node *x)
{
	if (x->path.kind == P_NO)
		return r->depth > 0;
	const json_t *v = lookup(r, &x->path);
	if (v == NULL)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return true;
	default: return false;
	}
}

static void open_tag(buf *out, const node *x)
{
	buf_putc(out, '<');
	buf_puts(out, elems[x->el].name);
	/* lebar for the PDF's table (pdf_table.c), width for a browser's */
	if (x->lebar > 0)
		buf_printf(out, " lebar=\"%d\" width=\"%d%%\"", x->lebar, x->lebar);
	if (x->colspan > 0)
		buf_printf(out, " colspan=\"%d\"", x->colspan);
	if (x->cls != NULL) {
		buf_puts(out, " class=\"");
		buf_puts(out, x->cls);
		buf_putc(out, '"');
	}
}

/* One more node or loop item visited; -1 past MAX_STEPS. */
static int step(render *r)
{
	if (++r->steps <= MAX_STEPS)
		return 0;
	return sg_err_set(r->e, SG_ETOOBIG,
	                  "%s: rendering takes more than %zu steps (loops over too many items)",
	                  r->t->file, MAX_STEPS);
}

static int render_list(render *r, const node *x)
{
	for (; x != NULL; x = x->next) {
		if (step(r) < 0)
			return -1;
		switch (x->kind) {
		case N_TEXT: buf_append(r->out, x->text, x->len); break;
		case N_VALUE:
			if (put_value(r, x) < 0)
				return -1;
			break;
		case N_ELEM:
			open_tag(r->out, x);
			if (elems[x->el].flags & F_VOID) {
				buf_puts(r->out, "/>");
				break;
			}
			buf_putc(r->out, '>');
			if (render_list(r, x->kids) < 0)
				return -1;
			buf_printf(r->out, "</%s>", elems[x->el].name);
			break;
		case N_IF:
		case N_UNLESS: {
			bool yes = truthy(r, x) == (x->kind == N_IF);
			if (render_list(r, yes ? x->kids : x->alt) < 0)
				return -1;
			break;
		}
		case N_EACH: {
			const json_t *v = x->path.kind == P_NO ? NULL : lookup(r, &x->path);
			if (v == NULL || json_is_null(v) ||
			    (json_is_array(v) && json_array_size(v) == 0)) {
				if (render_list(r, x->alt) < 0)
					return -1;
				break;
			}
			if (!json_is_array(v))
				return sg_err_set(r->e, SG_EINVAL,
				                  "%s:%d:%d: {{#each %s}}: %s is %s, not a list",
				                  r->t->file, x->line, x->col, x->path.text,
				                  x->path.text, kind_name(v));
			if (r->depth == MAX_LOOPS)
				return sg_err_set(r->e, SG_EINVAL,
				                  "%s:%d:%d: loops are nested more than %d deep",
				                  r->t->file, x->line, x->col, MAX_LOOPS);
			r->depth++;
			for (size_t i = 0; i < json_array_size(v); i++) {
				r->item[r->depth] = json_array_get(v, i);
				r->no[r->depth] = i + 1;
				if (step(r) < 0 || render_list(r, x->kids) < 0)
					return -1;
			}
			r->depth--;
			break;
		}
		}
		if (r->out->len - r->start > MAX_OUT)
			return too_big(r);
	}
	return 0;
}

int tmpl_render(const tmpl *t, const json_t *ctx, buf *out, sg_err *e)
{
	if (ctx != NULL && !json_is_object(ctx))
		return sg_err_set(e, SG_EINVAL, "%s: the context is not a JSON object", t->file);
	render r = {.t = t, .out = out, .start = out->len, .e = e};
	r.item[0] = ctx;
	if (render_list(&r, t->body) < 0) {
		if (out->data != NULL) {
			out->len = r.start;
			out->data[r.start] = '\0';
		}
		return -1;
	}
	return 0;
}
