/*
 * test_risks.c: the risk register as its specification. The matrix of
 * [risiko]: the 5 × 5 default, one written in the configuration, and
 * each way a matrix can be wrong, refused with its reason. Risks:
 * created with their levels read from the matrix and a review date by
 * the level's cadence, changed with what changed in the logbook (nothing
 * written when nothing changes), refused with a message and nothing
 * written for each bad value; sight by need-to-know (the staff read
 * every risk, an agen_siber its OPD's, a reporter none) and the register
 * kept by its keepers only; the heat map's counts of open risks.
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

static int matrix_of(risk_matrix *m, const char *const *kv, sg_err *e)
{
	risk_matrix_default(m);
	for (size_t i = 0; kv[i]; i += 2)
		if (risk_matrix_key(m, kv[i], kv[i + 1], e) != 0)
			return -1;
	return risk_matrix_check(m, e);
}

static void test_matrix(void **state)
{
	(void)state;
	risk_matrix m;
	sg_err e = {0};
	risk_matrix_default(&m);
	assert_int_equal(risk_matrix_check(&m, &e), 0);
	assert_int_equal(risk_level(&m, 1, 1), 1);
	assert_int_equal(risk_level(&m, 2, 2), 1);  /* 4 */
	assert_int_equal(risk_level(&m, 3, 3), 2);  /* 9 */
	assert_int_equal(risk_level(&m, 4, 4), 3);  /* 16 */
	assert_int_equal(risk_level(&m, 4, 5), 4);  /* 20 */
	assert_int_equal(risk_level(&m, 5, 5), 4);
	assert_int_equal(risk_level(&m, 6, 1), 0);
	assert_int_equal(risk_level(&m, 0, 1), 0);
	assert_string_equal(m.level[3], "Sangat Tinggi");
	/* a 3 × 3 of three levels, written in the configuration */
	const char *const three[] = {"kemungkinan", "Jarang, Mungkin, Sering",
	                             "dampak",      "Kecil, Sedang, Besar",
	                             "level",       "Rendah, Sedang, Tinggi",
	                             "matriks",     "1 1 2 / 1 2 3 / 2 3 3",
	                             "tinjauan",    "365, 180, 90",
	                             NULL};
	assert_int_equal(matrix_of(&m, three, &e), 0);
	assert_int_equal(m.n_likelihood, 3);
	assert_int_equal(risk_level(&m, 3, 2), 3);
	assert_int_equal(risk_level(&m, 1, 3), 2);
	assert_int_equal(m.review_days[2], 90);
	/* a matrix whose lines would be long, a name or a row a key */
	const char *const keyed[] = {"kemungkinan.1", "Jarang",  "kemungkinan.2", "Sering",
	                             "dampak.2",      "Besar",   "dampak.1",      "Kecil",
	                             "level.1",       "Rendah",  "level.2",       "Tinggi",
	                             "matriks.1",     "1 1",     "matriks.2",     "1 2",
	                             "tinjauan",      "180, 30", NULL};
	assert_int_equal(matrix_of(&m, keyed, &e), 0);
	assert_int_equal(m.n_likelihood, 2);
	assert_string_equal(m.impact[1], "Besar");
	assert_int_equal(risk_level(&m, 2, 2), 2);
	/* wrong ones, each with its reason */
	static const struct {
		const char *kv[6];
		const char *why;
	} bad[] = {
	    {{"kemungkinan", "Jarang, Sering, Jarang"}, "named twice"},
	    {{"kemungkinan", "Jarang"}, "at least 2 names"},
	    {{"level", "A, , C"}, "a name is empty"},
	    {{"kemungkinan", "Jarang, Mungkin, Sering"}, "needs its matriks"},
	    {{"matriks", "1 1 1 2 2 / 1 1 2 2 3 / 1 2 2 3 3 / 2 2 3 3 4"}, "there must be 5 rows"},
	    {{"matriks", "1 1 1 2 2 / 1 1 2 2 3 / 1 2 2 3 3 / 2 2 3 3 4 / 2 3 3 4 5"},
	     "beyond the 4 levels"},
	    {{"matriks", "1 1 1 2 2 / 1 1 2 2 3 / 1 2 2 3 3 / 2 2 3 3 4 / 2 3 3 4 1"},
	     "lower than a cell"},
	    {{"matriks", "1 1 x"}, "not a level number"},
	    {{"matriks", "1 1 1 2 2 / 1 1 2 2 3 / 1 2 2 3 3 / 2 2 3 3 4 / 2 3 3 4 10"},
	     "'10' is not a level number"},
	    {{"matriks", "1 1 1 2 2 / 1 1 2 2 3 /"}, "row 3 is empty"},
	    {{"tinjauan", "365, 180, 90, 30, 7"}, "5 review times for 4 levels"},
	    {{"level", "Rendah, Sedang, Tinggi", "matriks",
	      "1 1 1 2 2 / 1 1 2 2 3 / 1 2 2 3 3 / 2 2 3 3 3 / 2 3 3 3 3"},
	     "3 levels need their tinjauan"},
	    {{"kemungkinan.1", "A", "kemungkinan.3", "C"}, "kemungkinan.2 is missing"},
	    {{"matriks", "1 1 1 2 2 2 / 1 1 2 2 3 3 / 1 2 2 3 3 3 / 2 2 3 3 4 4 / 2 3 3 4 4 4"},
	     "beyond its 5 likelihoods and 5 impacts"},
	    {{"tinjauan", "365, 0"}, "days between reviews"},
	    {{"level", "A, B, C, D, E", "matriks",
	      "1 1 1 2 2 / 1 1 2 2 3 / 1 2 2 3 3 / 2 2 3 3 4 / 2 3 3 4 5"},
	     "5 levels need their tinjauan"},
	    {{"warna", "merah"}, "unknown key 'warna'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		e = (sg_err){0};
		assert_int_equal(matrix_of(&m, bad[i].kv, &e), -1);
		if (strstr(e.msg, bad[i].why) == NULL)
			fail_msg("case %zu: '%s' does not say '%s'", i, e.msg, bad[i].why);
	}
}

static void setup(app *a, const char *dir, int64_t *asset_dinkes, int64_t *asset_disdik)
{
	test_app_open(a, dir, wib("2026-12-01 09:00"));
	sg_err e = {0};
	int64_t id;
	const opd_in o1 = {"Dinas Kesehatan", "DINKES", NULL, NULL};
	const opd_in o2 = {"Dinas Pendidikan", "DISDIK", NULL, NULL};
	assert_int_equal(opd_add(a, "cli:t", &o1, &id, &e), 0);
	assert_int_equal(opd_add(a, "cli:t", &o2, &id, &e), 0);
	const asset_in s1 = {.opd = "DINKES", .name = "SIMPUS", .kind = "aplikasi"};
	const asset_in s2 = {.opd = "DISDIK", .name = "PPDB", .kind = "situs_web"};
	assert_int_equal(asset_add(a, "cli:t", &s1, asset_dinkes, &e), 0);
	assert_int_equal(asset_add(a, "cli:t", &s2, asset_disdik, &e), 0);
	test_user(a, "teknis1", "tim_teknis");
	test_user(a, "petugas1", "petugas");
	test_user(a, "pelapor1", "pelapor");
	const char *agen[] = {"agen_siber"};
	assert_int_equal(user_add_opd(a, "cli:t", "agen1", agen, 1, "password-123", false, "DINKES",
	                              &e),
	                 0);
}

static int64_t count(app *a, const char *sql)
{
	int64_t n = -1;
	sg_err e = {0};
	assert_int_equal(db_query_int(a->db, &e, &n, sql, ""), DB_ROW);
	return n;
}

static void test_life(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	int64_t simpus, ppdb, id, id2;
	setup(&a, dir, &simpus, &ppdb);
	sg_err e = {0};
	const int64_t on_simpus[] = {simpus};
	risk_in in = {.title = "Kebocoran data pasien SIMPUS",
	              .description = "Basis data pasien dapat diunduh tanpa otentikasi.",
	              .threat = "Peretas dari internet",
	              .vulnerability = "API tanpa otentikasi",
	              .treatment = "mitigasi",
	              .treatment_plan = "Pasang otentikasi pada API.",
	              .opd = "dinkes",
	              .owner = "teknis1",
	              .likelihood = 4,
	              .impact = 5,
	              .assets = on_simpus,
	              .n_assets = 1,
	              .set_assets = true};
	assert_int_equal(risk_create(&a, "teknis1", &in, &id, &e), 0);
	json_t *r = risk_get(&a, "teknis1", id, &e);
	assert_non_null(r);
	json_t *inh = json_object_get(r, "inherent");
	assert_int_equal(json_integer_value(json_object_get(inh, "level")), 4);
	assert_string_equal(json_string_value(json_object_get(inh, "name")), "Sangat Tinggi");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "likelihood"), "name")),
	                    "Sering");
	assert_true(json_is_null(json_object_get(r, "residual")));
	/* Sangat Tinggi: reviewed within 30 days */
	assert_string_equal(json_string_value(json_object_get(r, "review")), "2026-12-31");
	assert_int_equal(json_array_size(json_object_get(r, "assets")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "history")), 1);
	json_decref(r);

	/* the residual after treatment; the logbook says what changed */
	risk_in up = {.residual_likelihood = 2, .residual_impact = 3, .treatment_plan = "Selesai."};
	assert_int_equal(risk_update(&a, "teknis1", id, &up, &e), 0);
	r = risk_get(&a, "petugas1", id, &e);
	json_t *res = json_object_get(r, "residual");
	assert_int_equal(json_integer_value(json_object_get(res, "level")), 2);
	assert_false(json_is_true(json_object_get(r, "may_write")));
	json_decref(r);
	assert_int_equal(count(&a, "SELECT COUNT(*) FROM logbook WHERE action = 'risk.update' AND "
	                           "details LIKE '%treatment_plan%' AND details LIKE '%residual%'"),
	                 1);
	/* the same again: nothing changes, nothing is written */
	int64_t entries = count(&a, "SELECT COUNT(*) FROM logbook");
	assert_int_equal(risk_update(&a, "teknis1", id, &up, &e), 0);
	assert_int_equal(count(&a, "SELECT COUNT(*) FROM logbook"), entries);

	/* refusals, each with its message, nothing written */
	static const struct {
		risk_in in;
		const char *why;
	} bad[] = {
	    {{.title = "", .treatment = "terima", .likelihood = 1, .impact = 1}, "title must not be empty"},
	    {{.title = "x", .treatment = "terima", .likelihood = 6, .impact = 1}, "1 (the lowest) to 5"},
	    {{.title = "x", .treatment = "terima", .likelihood = 1, .impact = 0}, "impact must be"},
	    {{.title = "x", .treatment = "abaikan", .likelihood = 1, .impact = 1},
	     "terima, mitigasi, alihkan or hindari"},
	    {{.title = "x", .treatment = "terima", .likelihood = 1, .impact = 1, .residual_likelihood = 1},
	     "go together"},
	    {{.title = "x", .treatment = "terima", .likelihood = 1, .impact = 1, .review = "31-12-2026"},
	     "YYYY-MM-DD"},
	    {{.title = "x", .treatment = "terima", .likelihood = 1, .impact = 1, .owner = "siapa"},
	     "no user of sigap"},
	    {{.title = "x", .treatment = "terima", .likelihood = 1, .impact = 1, .opd = "DISHUB"},
	     "DISHUB"},
	    {{.title = "x\x01", .treatment = "terima", .likelihood = 1, .impact = 1},
	     "control character"},
	};
	int64_t risks = count(&a, "SELECT COUNT(*) FROM risks");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		e = (sg_err){0};
		assert_int_equal(risk_create(&a, "teknis1", &bad[i].in, &id2, &e), -1);
		if (strstr(e.msg, bad[i].why) == NULL)
			fail_msg("case %zu: '%s' does not say '%s'", i, e.msg, bad[i].why);
	}
	const int64_t nowhere[] = {999};
	risk_in stray = {.title = "x", .treatment = "terima", .likelihood = 1, .impact = 1,
	                 .assets = nowhere, .n_assets = 1, .set_assets = true};
	assert_int_equal(risk_create(&a, "teknis1", &stray, &id2, &e), -1);
	assert_non_null(strstr(e.msg, "no asset 999"));
	assert_int_equal(count(&a, "SELECT COUNT(*) FROM risks"), risks);
	risk_in status = {.status = "dihapus"};
	assert_int_equal(risk_update(&a, "teknis1", id, &status, &e), -1);

	/* who keeps it: a petugas reads, does not write */
	risk_in other = {.title = "PPDB tidak dapat diakses saat pendaftaran",
	                 .treatment = "terima",
	                 .opd = "DISDIK",
	                 .likelihood = 2,
	                 .impact = 2,
	                 .review = "2027-03-01"};
	assert_int_equal(risk_create(&a, "petugas1", &other, &id2, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(risk_create(&a, "cli:test", &other, &id2, &e), 0);

	/* sight: the agen_siber of DINKES sees its OPD's risk only */
	json_t *l = risk_list(&a, "agen1", &(risk_filter){0}, &e);
	assert_int_equal(json_array_size(json_object_get(l, "risks")), 1);
	json_decref(l);
	assert_non_null((r = risk_get(&a, "agen1", id, &e)));
	json_decref(r);
	assert_null(risk_get(&a, "agen1", id2, &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_null(risk_get(&a, "pelapor1", id, &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	l = risk_list(&a, "pelapor1", &(risk_filter){0}, &e);
	assert_int_equal(json_array_size(json_object_get(l, "risks")), 0);
	json_decref(l);
	/* a risk of another OPD that names the agent's OPD's asset: seen */
	const int64_t both[] = {simpus, ppdb};
	risk_in link = {.assets = both, .n_assets = 2, .set_assets = true};
	assert_int_equal(risk_update(&a, "teknis1", id2, &link, &e), 0);
	assert_non_null((r = risk_get(&a, "agen1", id2, &e)));
	json_decref(r);

	/* the heat map: open risks by likelihood and impact */
	l = risk_list(&a, "petugas1", &(risk_filter){0}, &e);
	json_t *heat = json_object_get(json_object_get(l, "heat"), "inherent");
	assert_int_equal(json_integer_value(json_array_get(json_array_get(heat, 3), 4)), 1);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(heat, 1), 1)), 1);
	json_t *resid = json_object_get(json_object_get(l, "heat"), "residual");
	assert_int_equal(json_integer_value(json_array_get(json_array_get(resid, 1), 2)), 1);
	json_decref(l);
	risk_in close = {.status = "ditutup"};
	assert_int_equal(risk_update(&a, "teknis1", id2, &close, &e), 0);
	l = risk_list(&a, "petugas1", &(risk_filter){.status = "aktif"}, &e);
	assert_int_equal(json_array_size(json_object_get(l, "risks")), 1);
	heat = json_object_get(json_object_get(l, "heat"), "inherent");
	assert_int_equal(json_integer_value(json_array_get(json_array_get(heat, 1), 1)), 0);
	json_decref(l);
	l = risk_list(&a, "petugas1", &(risk_filter){.level = 4}, &e);
	assert_int_equal(json_array_size(json_object_get(l, "risks")), 1);
	json_decref(l);
	app_close(&a);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matrix),
	    cmocka_unit_test(test_life),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
