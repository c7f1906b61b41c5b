/* fuzz_textdiff.c: the line diff of two texts (base/textdiff.c) and the
 * id lists of ref fields (sop_ref_list): no crash on any input, and the
 * script is an edit of the first text into the second: its kept and
 * deleted lines are the first text's lines in order, its kept and added
 * lines the second's. The input is split at its first NUL into the two
 * texts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/textdiff.h"
#include "sop/sop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

/* Whether the lines of s[] whose op is not skip equal the lines of t. */
static int same_lines(const diff_line *s, size_t n, diff_op skip, const char *t)
{
	const char *p = t;
	for (size_t i = 0; i < n; i++) {
		if (s[i].op == skip)
			continue;
		if (*p == '\0')
			return 0;
		size_t len = strcspn(p, "\n");
		size_t cmp = len && p[len - 1] == '\r' ? len - 1 : len;
		if (cmp != s[i].len || memcmp(p, s[i].text, cmp) != 0)
			return 0;
		p += len + (p[len] == '\n');
	}
	return *p == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *buf = malloc(n + 2);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, n);
	buf[n] = buf[n + 1] = '\0';
	const char *a = buf, *b = buf + strlen(buf) + (strlen(buf) < n ? 1 : 0);
	diff_line *s = NULL;
	size_t k = 0;
	if (textdiff(a, b, 5000, 500, &s, &k) == 0) {
		if (!same_lines(s, k, DIFF_ADD, a) || !same_lines(s, k, DIFF_DEL, b))
			abort();
		free(s);
	}
	char ids[SOP_REFS_MAX][65];
	size_t m = 0;
	if (sop_ref_list(a, ids, SOP_REFS_MAX, &m) == 0)
		for (size_t i = 0; i < m; i++)
			if (ids[i][0] == '\0' || strlen(ids[i]) > 64)
				abort();
	free(buf);
	return 0;
}
