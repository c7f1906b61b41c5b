/*
 * fields.c: the pieces every scanner parser fills a result with (see
 * scan_int.h): lists of CVE ids and reference URLs in normal form, sorted
 * and without duplicates, the CWE id, a URL's host, times and numbers.
 *
 * A list keeps its strings in one buffer reset between results; sorting
 * is O(n log n) in the strings of one result (at most VULN_LIST_MAX).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/civil.h"
#include "scan_int.h"

void vuln_list_reset(vuln_list *l)
{
	buf_reset(&l->text);
	l->n = 0;
}

void vuln_list_free(vuln_list *l)
{
	buf_free(&l->text);
	free(l->off);
	free(l->ptr);
	memset(l, 0, sizeof *l);
}

int vuln_list_add(vuln_list *l, const char *s, size_t n)
{
	if (l->n >= VULN_LIST_MAX)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		size_t *off = realloc(l->off, cap * sizeof *off);
		const char **ptr = realloc(l->ptr, cap * sizeof *ptr);
		if (!off || !ptr)
			abort();
		l->off = off;
		l->ptr = ptr;
		l->cap = cap;
	}
	l->off[l->n++] = l->text.len;
	buf_append(&l->text, s, n);
	buf_putc(&l->text, '\0');
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *vuln_list_finish(vuln_list *l, size_t *n)
{
	for (size_t i = 0; i < l->n; i++)
		l->ptr[i] = l->text.data + l->off[i];
	if (l->n > 1)
		qsort(l->ptr, l->n, sizeof *l->ptr, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (k == 0 || strcmp(l->ptr[k - 1], l->ptr[i]) != 0)
			l->ptr[k++] = l->ptr[i];
	*n = k;
	return k ? l->ptr : NULL;
}

/* A CVE id at p (p[0..n)): "CVE-YYYY-NNNN…" in any case, or with bare
 * "YYYY-NNNN…". Returns its length in the text (0 if none), the normal
 * form in out. */
static size_t cve_at(const char *p, size_t n, bool bare, char out[32])
{
	size_t i = 0;
	if (n >= 4 && strncasecmp(p, "CVE-", 4) == 0)
		i = 4;
	else if (!bare)
		return 0;
	size_t y = i;
	while (i < n && isdigit((unsigned char)p[i]))
		i++;
	if (i - y != 4 || i >= n || p[i] != '-')
		return 0;
	size_t d = ++i;
	while (i < n && isdigit((unsigned char)p[i]) && i - d < 12)
		i++;
	if (i - d < 4 || (i < n && isdigit((unsigned char)p[i])))
		return 0;
	snprintf(out, 32, "CVE-%.4s-%.*s", p + y, (int)(i - d), p + d);
	return i;
}

int vuln_cves_in(vuln_list *l, const char *text, size_t n, bool bare)
{
	char cve[32];
	for (size_t i = 0; i < n;) {
		bool start = i == 0 || !isalnum((unsigned char)text[i - 1]);
		size_t k = start ? cve_at(text + i, n - i, bare, cve) : 0;
		if (k) {
			if (vuln_list_add(l, cve, strlen(cve)) != 0)
				return -1;
			i += k;
		} else {
			i++;
		}
	}
	return 0;
}

int vuln_urls_in(vuln_list *l, const char *text, size_t n)
{
	for (size_t i = 0; i < n;) {
		if ((n - i > 7 && strncasecmp(text + i, "http://", 7) == 0) ||
		    (n - i > 8 && strncasecmp(text + i, "https://", 8) == 0)) {
			size_t j = i;
			while (j < n && !isspace((unsigned char)text[j]) && !strchr(",\"'<>", text[j]))
				j++;
			if (vuln_list_add(l, text + i, j - i) != 0)
				return -1;
			i = j;
		} else {
			i++;
		}
	}
	return 0;
}

bool vuln_cwe_norm(const char *s, char out[24])
{
	if (!s)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "CWE-", 4) == 0)
		s += 4;
	size_t i = 0;
	while (isdigit((unsigned char)s[i]) && i < 10)
		i++;
	if (i == 0 || (s[i] && !isspace((unsigned char)s[i])))
		return false;
	snprintf(out, 24, "CWE-%.*s", (int)i, s);
	return true;
}

const char *vuln_str(const buf *b)
{
	return b->len ? b->data : NULL;
}

void vuln_trim(buf *b)
{
	if (!b->len)
		return;
	size_t a = 0, z = b->len;
	while (a < z && isspace((unsigned char)b->data[a]))
		a++;
	while (z > a && isspace((unsigned char)b->data[z - 1]))
		z--;
	memmove(b->data, b->data + a, z - a);
	b->len = z - a;
	b->data[b->len] = '\0';
}

bool vuln_url_host(const char *url, char *out, size_t n)
{
	if (!url || n == 0)
		return false;
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = NULL;
	for (const char *q = p; *q && !strchr("/?#", *q); q++)
		if (*q == '@')
			at = q;
	if (at)
		p = at + 1;
	size_t len;
	if (*p == '[') { /* [2001:db8::1]:443 */
		const char *close = strchr(p, ']');
		if (!close)
			return false;
		p++;
		len = (size_t)(close - p);
	} else {
		len = strcspn(p, ":/?#");
	}
	if (len == 0 || len >= n)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

int64_t vuln_time(const char *s)
{
	static const civil_zone utc = {"UTC", "UTC", 0};
	int64_t t;
	char tmp[64];
	if (!s)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strcspn(s, " \t\r\n");
	/* Greenbone writes "2023-10-04T21:40:07.211438Z" and
	 * "2025-08-22T15:00:08+02:00"; its CSV "2023-09-28T14:48:02Z" too. */
	if (n == 0 || n >= sizeof tmp)
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return civil_parse(tmp, &utc, &t) == 0 ? t : 0;
}

bool vuln_number(const char *s, double *out)
{
	if (!s)
		return false;
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

void vuln_times(vuln_report_info *info, int64_t start, int64_t end)
{
	if (start > 0 && (info->started == 0 || start < info->started))
		info->started = start;
	if (end > 0 && end > info->ended)
		info->ended = end;
}
