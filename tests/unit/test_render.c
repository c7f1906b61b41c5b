/*
 * test_render.c: the official SOP document: every step has its symbol,
 * decisions are diamonds with their labels, text is escaped, the current
 * step can be highlighted.
 */
#include "helpers.h"

#include <string.h>

#include "sop/render.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void test_seeds(void **state)
{
	(void)state;
	sop_registry r;
	diags d = DIAGS_INIT;
	assert_int_equal(sops_load(&r, NULL, &d), 0);
	for (size_t i = 0; i < r.n; i++) {
		const sop *s = r.v[i].sop;
		buf out = BUF_INIT;
		sop_render_html(s, &out);
		const char *html = buf_str(&out);
		assert_non_null(strstr(html, "<!DOCTYPE html>"));
		assert_non_null(strstr(html, "Dasar Hukum"));
		assert_non_null(strstr(html, "Kualifikasi Pelaksana"));
		assert_non_null(strstr(html, "size:A4 landscape"));
		size_t symbols = 0, diamonds = 0, branches = 0;
		for (size_t p = 0; p < s->n_procs; p++) {
			bool has_end_row = false;
			for (size_t k = 0; k < s->procs[p].n_steps; k++) {
				const sop_step *st = &s->procs[p].steps[k];
				has_end_row |= st->terminator;
				diamonds += st->n_branches > 0;
				branches += st->n_branches;
			}
			symbols += s->procs[p].n_steps + (has_end_row ? 0 : 1);
		}
		assert_int_equal(count(html, "data-step="), symbols);
		assert_int_equal(count(html, "<polygon points="), diamonds);
		assert_int_equal(count(html, "class=\"l\""), branches);
		/* One arrowhead per connector: every step but the end has one
		 * out per choice. */
		assert_true(count(html, "class=\"a\"") >= branches);
		/* Nothing executable in the document. */
		assert_null(strstr(html, "<script"));
		buf_free(&out);
	}
	sops_free(&r);
}

static void test_escaping_and_highlight(void **state)
{
	(void)state;
	diags d = DIAGS_INIT;
	sop *s = sop_load_file(src_path("tests/data/sop-good/contoh.yaml"), &d);
	assert_non_null(s);
	buf out = BUF_INIT;
	sop_render_html(s, &out);
	assert_null(strstr(buf_str(&out), "<script>alert"));
	assert_non_null(strstr(buf_str(&out), "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(buf_str(&out), "SOP Contoh &lt;Uji&gt; &amp; &quot;Kutipan&quot;"));
	buf_free(&out);
	sop_render_procedure(s, &s->procs[0], 2, &out);
	assert_int_equal(count(buf_str(&out), "class=\"s now\""), 1);
	assert_non_null(strstr(buf_str(&out), "class=\"s now\" data-step=\"2\""));
	assert_int_equal(count(buf_str(&out), "<tr class=\"now\">"), 1);
	buf_free(&out);
	sop_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_escaping_and_highlight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
