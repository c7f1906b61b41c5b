/*
 * test_controls.c: the catalogue of controls as its specification: the
 * shipped frameworks load whole; a catalogue of the directory adds a
 * framework or replaces a shipped one of its id, never another file's;
 * each way a file can be wrong is refused with FILE:LINE:COL and its
 * reason; the search finds controls by id, title or description.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

static void test_shipped(void **state)
{
	(void)state;
	ctl_registry r;
	diags d = DIAGS_INIT;
	assert_int_equal(controls_load(&r, NULL, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(r.n, 2);
	const ctl_control *c = controls_find(&r, "indeks-kami-4", "III");
	assert_non_null(c);
	assert_string_equal(c->title, "Pengelolaan Risiko Keamanan Informasi");
	assert_non_null(controls_find(&r, "bssn-4-2021", "MKI-6"));
	assert_null(controls_find(&r, "bssn-4-2021", "III"));
	json_t *l = controls_json(&r, NULL, "kedaulatan data");
	assert_int_equal(json_array_size(json_object_get(json_array_get(l, 0), "controls")), 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(l, 1), "controls")), 0);
	json_decref(l);
	controls_free(&r);
	diags_free(&d);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_directory(void **state)
{
	(void)state;
	char *dir = scratch_new();
	write_file(dir, "iso.yaml",
	           "framework: iso27001-2022\nname: ISO/IEC 27001:2022 Annex A (salinan sendiri)\n"
	           "controls:\n  - id: A.5.1\n    title: Kebijakan keamanan informasi\n"
	           "  - id: A.8.8\n    title: Pengelolaan kerentanan teknis\n    description: >-\n"
	           "      Dari salinan yang dibeli instansi.\n");
	/* a Diskominfo's own wording of a shipped framework replaces it */
	write_file(dir, "kami.yaml",
	           "framework: indeks-kami-4\nname: Indeks KAMI 4.0 (rumusan Diskominfo)\n"
	           "controls:\n  - {id: II, title: Tata Kelola}\n");
	write_file(dir, "catatan.txt", "not a catalogue\n");
	ctl_registry r;
	diags d = DIAGS_INIT;
	assert_int_equal(controls_load(&r, dir, &d), 0);
	assert_int_equal(r.n, 3);
	assert_non_null(controls_find(&r, "iso27001-2022", "A.8.8"));
	assert_null(controls_find(&r, "indeks-kami-4", "III"));
	assert_string_equal(controls_find(&r, "indeks-kami-4", "II")->title, "Tata Kelola");
	controls_free(&r);
	/* two files of the directory with one id: which would win is no one's guess */
	write_file(dir, "iso2.yaml",
	           "framework: iso27001-2022\nname: lagi\ncontrols:\n  - {id: A.5.1, title: x}\n");
	assert_int_equal(controls_load(&r, dir, &d), -1);
	assert_non_null(strstr(d.v[d.n - 1].msg, "is already that of"));
	controls_free(&r);
	diags_free(&d);
	scratch_free(dir);
}

static void assert_bad(const char *text, int line, int col, const char *why)
{
	ctl_registry r = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(controls_parse(text, strlen(text), "uji.yaml", &r, &d), -1);
	size_t i = 0;
	while (i < d.n && (d.v[i].line != line || d.v[i].col != col || !strstr(d.v[i].msg, why)))
		i++;
	if (i == d.n) {
		diags_print(&d, stderr);
		fail_msg("want %d:%d %s", line, col, why);
	}
	assert_int_equal(r.n, 0);
	diags_free(&d);
	controls_free(&r);
}

static void test_refused(void **state)
{
	(void)state;
	assert_bad("", 1, 1, "holds no framework");
	assert_bad("- a\n", 1, 1, "a catalogue is a mapping");
	assert_bad("name: x\ncontrols: [{id: A, title: a}]\n", 1, 1, "framework is missing");
	assert_bad("framework: Besar\nname: x\ncontrols: [{id: A, title: a}]\n", 1, 12,
	           "must be an id");
	assert_bad("framework: f\ncontrols: [{id: A, title: a}]\n", 1, 1, "name is missing");
	assert_bad("framework: f\nname: x\ncontrols: []\n", 3, 11, "controls must be a list");
	assert_bad("framework: f\nname: x\nwarna: m\ncontrols: [{id: A, title: a}]\n", 3, 1,
	           "unknown key 'warna'");
	assert_bad("framework: f\nname: x\ncontrols:\n  - {id: A, title: a}\n  - {id: A, title: b}\n",
	           5, 10, "given twice");
	assert_bad("framework: f\nname: x\ncontrols:\n  - {id: A, judul: a}\n", 4, 13,
	           "unknown key 'judul' of a control");
	assert_bad("framework: f\nname: x\ncontrols:\n  - {id: A}\n", 4, 5, "needs its id and title");
	assert_bad("framework: f\nname: x\ncontrols:\n  - {id: 'a b', title: c}\n", 4, 10,
	           "must be letters, digits");
	assert_bad("framework: f\nname: x\ncontrols:\n  - {id: A, title: \"a\\u0001b\"}\n", 4, 20,
	           "control character");
	assert_bad("framework: f\nname: [x]\ncontrols: [{id: A, title: a}]\n", 2, 7,
	           "name must be a text");
	assert_bad("framework: f\nname: x\ncontrols: [{id: A, title: a}]\n---\nframework: g\n", 1, 1,
	           "a second document follows");
	assert_bad("framework: f\nname: x\ncontrols: [ {id: A\n", 4, 1, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped),
	    cmocka_unit_test(test_directory),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
