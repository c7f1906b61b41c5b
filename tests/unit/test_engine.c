/*
 * test_engine.c: the rules of running a procedure, without storage:
 * every branch of every seed procedure leads where the SOP says, to an
 * end; decisions, form values and roles are checked.
 */
#include "helpers.h"

#include <string.h>

static const char *const seeds[] = {"sops/insiden.yaml", "sops/cti.yaml", "sops/patch.yaml",
				    "sops/pengecualian.yaml", "sops/kebijakan.yaml"};

static void test_every_branch_of_every_seed(void **state)
{
	(void)state;
	size_t total = 0;
	for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
		diags d = DIAGS_INIT;
		sop *s = sop_load_file(src_path(seeds[f]), &d);
		assert_non_null(s);
		for (size_t pi = 0; pi < s->n_procs; pi++) {
			const sop_procedure *p = &s->procs[pi];
			walk walks[64];
			size_t n = walks_covering(p, walks, 64);
			size_t edges = 0;
			for (size_t i = 0; i < p->n_steps; i++)
				edges += p->steps[i].terminator ? 0
								: p->steps[i].n_branches ? p->steps[i].n_branches : 1;
			assert_int_equal(n, edges);
			for (size_t w = 0; w < n; w++) {
				int at = 0;
				for (size_t k = 0; k < walks[w].n; k++) {
					assert_int_equal(at, walks[w].idx[k]);
					int next;
					sg_err e = {0};
					if (sop_step_next(&p->steps[at], walks[w].decision[k], &next, &e) != 0)
						fail_msg("%s step %d: %s", p->id, p->steps[at].no, e.msg);
					assert_int_equal(next, walks[w].next[k]);
					bool last = k + 1 == walks[w].n;
					assert_int_equal(sop_closes(p, next), last);
					at = next;
				}
				total++;
			}
		}
		sop_free(s);
		diags_free(&d);
	}
	/* insiden 14 + cti 14 + patch 11 + pengecualian 7 + kebijakan 8+7+7
	 * (the approvals' refusals: cti 8, 9; patch 4; kebijakan 2, 4, 5 of
	 * penyusunan, 2, 5 of publikasi, 5 of evaluasi) */
	assert_int_equal(total, 68);
}

static sop *contoh(void)
{
	diags d = DIAGS_INIT;
	sop *s = sop_load_file(src_path("tests/data/sop-good/contoh.yaml"), &d);
	assert_non_null(s);
	diags_free(&d);
	return s;
}

static void test_decisions(void **state)
{
	(void)state;
	sop *s = contoh();
	const sop_procedure *p = &s->procs[0];
	int next;
	sg_err e = {0};
	/* Not a decision: a label is refused. */
	assert_int_equal(sop_step_next(&p->steps[0], "Ya", &next, &e), -1);
	assert_non_null(strstr(e.msg, "not a decision"));
	assert_int_equal(sop_step_next(&p->steps[0], NULL, &next, &e), 0);
	assert_int_equal(next, 1);
	/* A decision needs one of its labels. */
	assert_int_equal(sop_step_next(&p->steps[1], NULL, &next, &e), -1);
	assert_non_null(strstr(e.msg, "choose one of 'Ya', 'Tidak'"));
	assert_int_equal(sop_step_next(&p->steps[1], "Mungkin", &next, &e), -1);
	assert_non_null(strstr(e.msg, "no decision 'Mungkin'"));
	assert_int_equal(e.code, SG_EINVAL);
	assert_int_equal(sop_step_next(&p->steps[1], "tidak", &next, &e), 0); /* any case */
	assert_int_equal(next, 0);                                          /* loops back */
	assert_int_equal(sop_step_next(&p->steps[2], NULL, &next, &e), 0);
	assert_true(sop_closes(p, next)); /* the end row */
	sop_free(s);
}

static void test_values(void **state)
{
	(void)state;
	sop *s = contoh();
	const sop_step *st = &s->procs[0].steps[0];
	sg_err e = {0};
	sop_value ok[] = {{"catatan", "baik\nbaris dua"}, {"tanggal", "2026-11-23"}, {"tingkat", "Tinggi"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, ok, 3, &e), 0);
	sop_value missing[] = {{"tanggal", "2026-11-23"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, missing, 1, &e), -1);
	assert_non_null(strstr(e.msg, "required field 'catatan'"));
	sop_value empty[] = {{"catatan", ""}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, empty, 1, &e), -1);
	sop_value unknown[] = {{"catatan", "x"}, {"warna", "merah"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, unknown, 2, &e), -1);
	assert_non_null(strstr(e.msg, "unknown field 'warna'"));
	sop_value bad_date[] = {{"catatan", "x"}, {"tanggal", "23-11-2026"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, bad_date, 2, &e), -1);
	assert_non_null(strstr(e.msg, "YYYY-MM-DD"));
	sop_value bad_select[] = {{"catatan", "x"}, {"tingkat", "Sedang"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, bad_select, 2, &e), -1);
	assert_non_null(strstr(e.msg, "choose one of 'Rendah', 'Tinggi'"));
	sop_value twice[] = {{"catatan", "x"}, {"catatan", "y"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, twice, 2, &e), -1);
	sop_value bad_utf8[] = {{"catatan", "\xc3\x28"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, bad_utf8, 1, &e), -1);
	assert_non_null(strstr(e.msg, "UTF-8"));
	sop_value control[] = {{"catatan", "a\x01"}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, control, 1, &e), -1);
	static char big[SOP_VALUE_MAX_TEXTAREA + 2];
	memset(big, 'a', sizeof big - 1);
	sop_value too_long[] = {{"catatan", big}};
	assert_int_equal(sop_values_check(st->fields, st->n_fields, too_long, 1, &e), -1);
	assert_non_null(strstr(e.msg, "too long"));
	/* Case fields: a number. */
	const sop_procedure *p = &s->procs[0];
	sop_value num[] = {{"judul_laporan", "x"}, {"jumlah", "12,5"}};
	assert_int_equal(sop_values_check(p->fields, p->n_fields, num, 2, &e), -1);
	num[1].value = "12.5";
	assert_int_equal(sop_values_check(p->fields, p->n_fields, num, 2, &e), 0);
	sop_free(s);
}

static void test_roles(void **state)
{
	(void)state;
	sop *s = contoh();
	const char *petugas[] = {"petugas"}, *both[] = {"admin", "kabid"};
	assert_true(sop_role_allowed(&s->procs[0].steps[0], petugas, 1));
	assert_false(sop_role_allowed(&s->procs[0].steps[1], petugas, 1));
	assert_true(sop_role_allowed(&s->procs[0].steps[1], both, 2));
	assert_false(sop_role_allowed(&s->procs[0].steps[0], both, 2)); /* admin is no SOP role */
	sop_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_branch_of_every_seed),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
