/*
 * test_detect_rules_load.c: a rule set as a program loads it
 * (det_rules_load, the one loader of sigap serve and the command line).
 * A rule that does not load is left out and named; a mapping or
 * placeholders file that cannot be read or is not valid, a rules path
 * that does not exist, stop the load with the reason that stopped it,
 * even when other problems came first; the shipped rules come in only
 * when asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/sigma/rules.h"
#include "helpers.h"

static const char GOOD[] = "title: Baik\nlogsource: {product: linux, service: sshd}\n"
                           "detection: {sel: {srcip: 198.51.100.7}, condition: sel}\n";
static const char BROKEN[] = "title: Rusak\nlogsource: {product: linux}\n"
                             "detection: {sel: {srcuser: [tidak ditutup\n";
static const char EXPAND[] = "title: Isi\nlogsource: {product: linux, service: sshd}\n"
                             "detection: {sel: {srcip|expand: '%dc_addresses%'}, condition: sel}\n";

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *path_in(const char *dir, const char *name)
{
	static char names[4][512];
	static int k;
	char *p = names[k++ % 4];
	snprintf(p, sizeof names[0], "%s/%s", dir, name);
	return p;
}

/* The paths given, every rule that loads, the others named; builtin
 * adds the shipped set. */
static void rules_left_out(void **state)
{
	(void)state;
	char *dir = scratch_new();
	put(dir, "baik.yml", GOOD);
	put(dir, "rusak.yml", BROKEN);
	const char *paths[] = {dir};
	diags d = DIAGS_INIT;
	char why[512] = "";
	det_rules *rs =
	    det_rules_load(&(det_rules_source){.paths = paths, .n_paths = 1}, &d, why, sizeof why);
	assert_non_null(rs);
	assert_int_equal(det_rules_count(rs), 1);
	assert_string_equal(det_rules_get(rs, 0)->title, "Baik");
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].file, "rusak.yml"));
	assert_true(d.v[0].line > 0);
	size_t own = det_rules_count(rs);
	det_rules_free(rs);
	diags_free(&d);

	rs = det_rules_load(&(det_rules_source){.paths = paths, .n_paths = 1, .builtin = true}, &d,
	                    why, sizeof why);
	assert_non_null(rs);
	assert_true(det_rules_count(rs) > own + 10);
	det_rules_free(rs);
	diags_free(&d);
	scratch_free(dir);
}

/* A path that does not exist stops the load, and why names it even
 * when a broken rule was reported before it. */
static void missing_path(void **state)
{
	(void)state;
	char *dir = scratch_new();
	put(dir, "rusak.yml", BROKEN);
	const char *paths[] = {path_in(dir, "rusak.yml"), path_in(dir, "tidak-ada")};
	diags d = DIAGS_INIT;
	char why[512] = "";
	det_rules *rs =
	    det_rules_load(&(det_rules_source){.paths = paths, .n_paths = 2}, &d, why, sizeof why);
	assert_null(rs);
	assert_int_equal(d.n, 2);
	assert_non_null(strstr(why, "tidak-ada"));
	assert_non_null(strstr(why, "no such file or directory"));
	diags_free(&d);
	scratch_free(dir);
}

/* The mapping and the placeholders: unreadable or not valid stops the
 * load, naming the file; a valid placeholders file fills |expand, and
 * without it the rule is left out with its reason. */
static void side_files(void **state)
{
	(void)state;
	char *dir = scratch_new();
	put(dir, "isi.yml", EXPAND);
	put(dir, "ph.yaml", "dc_addresses: [192.0.2.210, 192.0.2.211]\n");
	put(dir, "ph-rusak.yaml", "dc_addresses: [tidak ditutup\n");
	put(dir, "map-rusak.yaml", "fields: [\n");
	const char *paths[] = {path_in(dir, "isi.yml")};
	diags d = DIAGS_INIT;
	char why[512] = "";

	det_rules *rs = det_rules_load(&(det_rules_source){.placeholders = path_in(dir, "ph.yaml"),
	                                                   .paths = paths,
	                                                   .n_paths = 1},
	                               &d, why, sizeof why);
	assert_non_null(rs);
	assert_int_equal(d.n, 0);
	assert_int_equal(det_rules_count(rs), 1);
	det_rules_free(rs);

	rs = det_rules_load(&(det_rules_source){.paths = paths, .n_paths = 1}, &d, why, sizeof why);
	assert_non_null(rs);
	assert_int_equal(det_rules_count(rs), 0);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "dc_addresses"));
	det_rules_free(rs);
	diags_free(&d);

	const char *bad[] = {path_in(dir, "ph-rusak.yaml"), path_in(dir, "tidak-ada.yaml")};
	for (int i = 0; i < 2; i++) {
		rs = det_rules_load(
		    &(det_rules_source){.placeholders = bad[i], .paths = paths, .n_paths = 1}, &d,
		    why, sizeof why);
		assert_null(rs);
		assert_non_null(strstr(why, i ? "tidak-ada.yaml" : "ph-rusak.yaml"));
		diags_free(&d);
	}
	rs = det_rules_load(&(det_rules_source){.mapping = path_in(dir, "map-rusak.yaml"),
	                                        .paths = paths,
	                                        .n_paths = 1},
	                    &d, why, sizeof why);
	assert_null(rs);
	assert_non_null(strstr(why, "map-rusak.yaml"));
	diags_free(&d);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rules_left_out),
	    cmocka_unit_test(missing_path),
	    cmocka_unit_test(side_files),
	};
	return cmocka_run_group_tests_name("tests", tests, NULL, NULL);
}
