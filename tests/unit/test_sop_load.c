/*
 * test_sop_load.c: the SOP file format. Each seed loads and says what the
 * seed says; each kind of bad file gives its own error at its own line
 * and column (the expectation is the first line of each file in
 * tests/data/sop-bad/); nothing crashes.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sop *load_ok(const char *rel)
{
	diags d = DIAGS_INIT;
	sop *s = sop_load_file(src_path(rel), &d);
	if (s == NULL) {
		diags_print(&d, stderr);
		fail_msg("%s does not load", rel);
	}
	diags_free(&d);
	return s;
}

static const sop_step *step(const sop_procedure *p, int no)
{
	int i = sop_step_index(p, no);
	assert_true(i >= 0);
	return &p->steps[i];
}

static void assert_branch(const sop_procedure *p, int no, const char *label, int target_no)
{
	const sop_step *st = step(p, no);
	for (size_t b = 0; b < st->n_branches; b++)
		if (strcmp(st->branches[b].label, label) == 0) {
			if (target_no == 0)
				assert_true(sop_closes(p, st->branches[b].target));
			else
				assert_int_equal(p->steps[st->branches[b].target].no, target_no);
			return;
		}
	fail_msg("step %d has no branch '%s'", no, label);
}

static void test_insiden(void **state)
{
	(void)state;
	sop *s = load_ok("sops/insiden.yaml");
	assert_string_equal(s->id, "insiden");
	assert_string_equal(s->nomor, "500.12.10/13/406.020/2025");
	assert_string_equal(s->tanggal_pengesahan, "2 Desember 2025");
	assert_string_equal(s->disahkan_oleh.nama, "ARIEF SETIAWAN, SE, M.Si");
	assert_int_equal(s->n_dasar_hukum, 6);
	assert_int_equal(s->n_pencatatan, 5);
	assert_int_equal(s->n_roles, 5);
	/* the Kabid supervises: acts on no step, may reopen a closed case */
	assert_true(sop_role_reopens(s, "kabid"));
	assert_false(sop_role_reopens(s, "petugas"));
	assert_int_equal(s->n_procs, 1);
	const sop_procedure *p = &s->procs[0];
	assert_string_equal(p->id, "insiden");
	assert_string_equal(p->ticket_prefix, "INS");
	assert_int_equal(p->n_steps, 12);
	assert_string_equal(step(p, 1)->role, "pelapor");
	assert_string_equal(step(p, 7)->role, "aph");
	assert_string_equal(step(p, 8)->role, "aph");
	assert_string_equal(step(p, 9)->role, "ttis");
	assert_branch(p, 4, "Bukan Insiden", 0);
	assert_branch(p, 4, "Insiden", 5);
	assert_branch(p, 6, "Ya", 7);
	assert_branch(p, 6, "Tidak", 9);
	assert_int_equal(step(p, 8)->next, sop_step_index(p, 9));
	assert_true(sop_closes(p, step(p, 12)->next));
	/* Standard times as written. */
	assert_string_equal(step(p, 1)->waktu.text, "5 Menit");
	assert_int_equal(step(p, 6)->waktu.unit, WAKTU_HARI);
	assert_int_equal(step(p, 7)->waktu.amount, 2);
	assert_string_equal(step(p, 12)->output, "Laporan Penanganan Insiden Siber");
	sop_free(s);
}

static void test_cti(void **state)
{
	(void)state;
	sop *s = load_ok("sops/cti.yaml");
	const sop_procedure *p = &s->procs[0];
	assert_int_equal(p->n_steps, 10);
	assert_branch(p, 4, "Ya", 5);
	assert_branch(p, 4, "Tidak", 3); /* analisis ulang: a loop */
	assert_branch(p, 6, "FALSE POSITIVE", 0);
	assert_branch(p, 6, "FALSE NEGATIVE", 7);
	assert_string_equal(step(p, 3)->waktu.text, "180 Menit");
	assert_string_equal(step(p, 1)->keterangan, "Login ke Wazuh");
	assert_string_equal(step(p, 8)->role, "kabid");
	assert_string_equal(step(p, 9)->role, "kepala_dinas");
	sop_free(s);
}

static void test_patch(void **state)
{
	(void)state;
	sop *s = load_ok("sops/patch.yaml");
	const sop_procedure *p = &s->procs[0];
	assert_int_equal(p->n_steps, 8);
	assert_branch(p, 1, "Tidak Perlu", 8);
	assert_branch(p, 1, "Perlu Implementasi", 2);
	assert_branch(p, 6, "Terjadi Anomali", 8);
	assert_branch(p, 6, "Tidak Terjadi Anomali", 7);
	assert_string_equal(step(p, 4)->output, "Persetujuan rekomendasi (disposisi)");
	assert_string_equal(step(p, 5)->waktu.text, "10 menit"); /* lower case in the seed */
	assert_int_equal(step(p, 5)->waktu.unit, WAKTU_MENIT);
	sop_free(s);
}

static void test_pengecualian(void **state)
{
	(void)state;
	sop *s = load_ok("sops/pengecualian.yaml");
	const sop_procedure *p = &s->procs[0];
	assert_int_equal(p->n_steps, 6);
	assert_string_equal(s->tanggal_revisi, "16 Desember 2025");
	assert_string_equal(step(p, 2)->output, "Daftar Resiko");
	assert_branch(p, 3, "Tidak Disetujui", 0);
	assert_string_equal(step(p, 5)->waktu.text, "2 Hari");
	sop_free(s);
}

static void test_kebijakan(void **state)
{
	(void)state;
	sop *s = load_ok("sops/kebijakan.yaml");
	assert_int_equal(s->n_procs, 3);
	assert_string_equal(s->procs[0].id, "kebijakan/penyusunan");
	assert_string_equal(s->procs[1].id, "kebijakan/publikasi");
	assert_string_equal(s->procs[2].id, "kebijakan/evaluasi");
	assert_string_equal(s->tanggal_efektif, "5 Februari 2024");
	const sop_procedure *p = &s->procs[0];
	assert_string_equal(step(p, 1)->waktu.text, "4 Jam");
	assert_int_equal(step(p, 3)->waktu.amount, 14);
	assert_int_equal(step(p, 3)->waktu.unit, WAKTU_HARI);
	assert_true(step(p, 6)->terminator);
	assert_string_equal(step(p, 5)->role, "kepala_dinas");
	assert_branch(&s->procs[2], 2, "Tidak Perlu Revisi", 6);
	assert_int_equal(s->n_roles, 6);
	sop_free(s);
}

static void test_waktu(void **state)
{
	(void)state;
	sop_waktu w;
	assert_int_equal(sop_waktu_parse("10 Menit", &w), 0);
	assert_int_equal(w.unit, WAKTU_MENIT);
	assert_int_equal(sop_waktu_seconds(&w, 30600), 600);
	assert_int_equal(sop_waktu_parse(" 4 JAM ", &w), 0);
	assert_int_equal(sop_waktu_seconds(&w, 30600), 14400);
	assert_int_equal(sop_waktu_parse("14 Hari", &w), 0);
	assert_int_equal(sop_waktu_seconds(&w, 30600), 14 * 30600);
	assert_int_equal(sop_waktu_parse("-", &w), 0);
	assert_int_equal(w.unit, WAKTU_NONE);
	assert_int_equal(sop_waktu_parse("3 Minggu", &w), -1);
	assert_int_equal(sop_waktu_parse("Menit", &w), -1);
	assert_int_equal(sop_waktu_parse("0 Menit", &w), -1);
	assert_int_equal(sop_waktu_parse("99999999999 Hari", &w), -1);
	assert_int_equal(sop_waktu_parse("10Menit", &w), 0);
}

/* Every file in tests/data/sop-bad/ starts "# expect: LINE:COL: text";
 * its first diagnostic must be that. */
static void test_bad_files(void **state)
{
	(void)state;
	const char *dir = src_path("tests/data/sop-bad");
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	struct dirent *de;
	int checked = 0;
	char seen[32][64];
	while ((de = readdir(dh)) != NULL) {
		if (!strstr(de->d_name, ".yaml"))
			continue;
		char path[4200], expect[600] = "";
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		if (fgets(expect, sizeof expect, f) == NULL)
			fail_msg("%s is empty", path);
		fclose(f);
		expect[strcspn(expect, "\n")] = '\0';
		assert_true(strncmp(expect, "# expect: ", 10) == 0);
		diags d = DIAGS_INIT;
		sop *s = sop_load_file(path, &d);
		if (s != NULL) { /* alone it loads: its hand-overs, among the seeds, must not */
			sop *seeds[5];
			const sop *all[6] = {s};
			static const char *const names[] = {"sops/insiden.yaml", "sops/cti.yaml",
							    "sops/patch.yaml", "sops/pengecualian.yaml",
							    "sops/kebijakan.yaml"};
			for (int k = 0; k < 5; k++)
				all[k + 1] = seeds[k] = load_ok(names[k]);
			if (sop_check_starts(s, all, 6, &d) == 0)
				fail_msg("%s loaded, but should not", de->d_name);
			for (int k = 0; k < 5; k++)
				sop_free(seeds[k]);
			sop_free(s);
		}
		assert_true(d.n >= 1);
		char got[1500];
		snprintf(got, sizeof got, "%d:%d: %s", d.v[0].line, d.v[0].col, d.v[0].msg);
		if (strncmp(got, expect + 10, strlen(expect + 10)) != 0)
			fail_msg("%s: expected '%s', got '%s'", de->d_name, expect + 10, got);
		/* Each kind of problem has its own message. */
		for (int i = 0; i < checked && i < 32; i++)
			assert_string_not_equal(seen[i], d.v[0].msg[0] ? d.v[0].msg : "");
		if (checked < 32)
			snprintf(seen[checked], sizeof seen[checked], "%s", d.v[0].msg);
		diags_free(&d);
		checked++;
	}
	closedir(dh);
	assert_true(checked >= 15);
}

static void test_alias_bomb(void **state)
{
	(void)state;
	/* Each level refers to the one below nine times: 9^8 nodes if walked
	 * naively. The loader must stop, not hang or crash. */
	const char *text =
		"a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
		"a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n"
		"a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n"
		"a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n"
		"a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n"
		"a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n"
		"a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\n"
		"id: bom\nnama: x\nnomor: x\n"
		"dasar_hukum: [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n";
	diags d = DIAGS_INIT;
	sop *s = sop_load(text, strlen(text), "bomb.yaml", &d);
	assert_null(s);
	assert_true(d.n >= 1);
	diags_free(&d);
}

static void test_registry(void **state)
{
	(void)state;
	sop_registry r;
	diags d = DIAGS_INIT;
	assert_int_equal(sops_load(&r, NULL, &d), 0);
	assert_int_equal(r.n, 5);
	assert_non_null(sops_find(&r, "pengecualian"));
	const sop_procedure *p;
	assert_non_null(sops_find_procedure(&r, "kebijakan/evaluasi", &p));
	assert_string_equal(p->ticket_prefix, "KBE");
	assert_true(sops_role_known(&r, "ttis"));
	assert_true(sops_role_known(&r, "admin"));
	assert_false(sops_role_known(&r, "hacker"));
	sops_free(&r);

	/* A directory adds SOPs. */
	assert_int_equal(sops_load(&r, src_path("tests/data/sop-good"), &d), 0);
	assert_int_equal(r.n, 6);
	assert_non_null(sops_find(&r, "contoh"));
	sops_free(&r);

	/* Two procedures may not share a ticket prefix. */
	char *dir = scratch_new();
	char path[4200];
	snprintf(path, sizeof path, "%s/dup.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("id: lain\nnama: Lain\nnomor: 1\nticket_prefix: INS\npelaksana: [{id: petugas, nama: P}]\n"
	      "prosedur:\n  - nama: L\n    langkah:\n      - {no: 1, uraian: U, pelaksana: petugas, waktu: 1 Jam}\n",
	      f);
	fclose(f);
	assert_int_equal(sops_load(&r, dir, &d), -1);
	char first[1500];
	diags_first(&d, first, sizeof first);
	assert_non_null(strstr(first, "ticket prefix 'INS'"));
	sops_free(&r);
	diags_free(&d);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insiden),   cmocka_unit_test(test_cti),
		cmocka_unit_test(test_patch),     cmocka_unit_test(test_pengecualian),
		cmocka_unit_test(test_kebijakan), cmocka_unit_test(test_waktu),
		cmocka_unit_test(test_bad_files), cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
