/*
 * test_policies.c: the library of policies (app/policies.c) as its
 * specification, driven through the cases of SOP kebijakan as the pages
 * drive them. The life: a drafting case writes version 1 in Markdown,
 * the Kabid approves it, the Kepala Dinas ratifies it (frozen, its
 * SHA-256 in the logbook), a publication case publishes it, staff
 * acknowledge it; when its review falls due an evaluation case opens by
 * itself, Perlu Revisi hands over to a drafting case of the same policy
 * which writes version 2, and the diff says what changed. The refusals
 * leave the step undone: ratifying without a draft, publishing an
 * unratified version, rewriting a frozen version, a case naming no
 * policy, a ratification on a day to come.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/hash.h"
#include "base/textdiff.h"
#include "report/md_blocks.h"
#include "helpers.h"

static const char V1[] = "# Kata sandi\n\nPanjang minimal 12 karakter.\n\n- Diganti setiap "
                         "tahun\n";
static const char V2[] = "# Kata sandi\n\nPanjang minimal 14 karakter.\n\n- Diganti setiap "
                         "tahun\n- Tidak dipakai bersama\n";

typedef struct fx {
	char *dir;
	app a;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->dir = scratch_new();
	test_app_open(&f->a, f->dir, wib("2026-11-02 09:00"));
	static const char *const users[][2] = {
	    {"pen", "tim_penyusun"}, {"kabid1", "kabid"},         {"kadis", "kepala_dinas"},
	    {"kasi1", "kasi"},       {"pub", "tim_publikasi"},    {"eva", "tim_evaluasi"},
	    {"pel", "petugas"},
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		test_user(&f->a, users[i][0], users[i][1]);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	app_close(&f->a);
	scratch_free(f->dir);
	free(f);
	return 0;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* A step with its values; file: a field given a small document. */
static int step(fx *f, const char *ticket, const char *user, const char *decision,
                const sop_value *v, size_t n, const char *file, sg_err *e)
{
	sop_value all[16];
	if (n)
		memcpy(all, v, n * sizeof *v);
	evidence_file doc;
	case_upload up;
	case_step_req req = {.ticket = ticket, .user = user, .decision = decision, .values = all,
	                     .n_values = n, .origin = "test"};
	if (file) {
		if (evidence_spool_data(&f->a, "dokumen", 7, &doc, e) != 0)
			return -1;
		up = (case_upload){file, "dokumen.pdf", &doc};
		all[req.n_values++] = (sop_value){file, "dokumen.pdf"};
		req.uploads = &up;
		req.n_uploads = 1;
	}
	case_step_result out;
	int rc = case_step(&f->a, &req, &out, e);
	if (file)
		evidence_file_discard(&doc);
	return rc;
}

static void ok(fx *f, const char *ticket, const char *user, const char *decision,
               const sop_value *v, size_t n, const char *file)
{
	sg_err e = {0};
	if (step(f, ticket, user, decision, v, n, file, &e) != 0)
		fail_msg("%s by %s: %s", ticket, user, e.msg);
}

static void open_case(fx *f, const char *proc, const char *policy, char ticket[32])
{
	sop_value v[] = {{"kebijakan", policy}};
	const char *by = strcmp(proc, "kebijakan/publikasi") == 0 ? "kasi1" : "pen";
	case_new_req req = {proc, "Kebijakan kata sandi", v, policy ? 1 : 0, by, "test"};
	sg_err e = {0};
	if (case_new(&f->a, &req, ticket, &e) != 0)
		fail_msg("case %s: %s", proc, e.msg);
}

/* A drafting case to its step 3, the plan approved. */
static void to_draft(fx *f, const char *policy, char ticket[32])
{
	open_case(f, "kebijakan/penyusunan", policy, ticket);
	ok(f, ticket, "pen", NULL, NULL, 0, "dokumen_rencana");
	ok(f, ticket, "kabid1", "Disetujui", NULL, 0, NULL);
}

static json_t *policy(fx *f, int64_t id)
{
	sg_err e = {0};
	json_t *o = policy_get(&f->a, "pel", id, false, &e);
	if (o == NULL)
		fail_msg("policy %lld: %s", (long long)id, e.msg);
	return o;
}

static const char *version_state(fx *f, int64_t id, int n)
{
	static char out[32];
	sg_err e = {0};
	json_t *v = policy_version(&f->a, id, n, &e);
	assert_non_null(v);
	snprintf(out, sizeof out, "%s", str(v, "state"));
	json_decref(v);
	return out;
}

static void test_the_life_of_a_policy(void **state)
{
	fx *f = *state;
	sg_err e = {0};
	char t1[32];
	to_draft(f, NULL, t1);
	/* a new policy needs its title */
	sop_value no_title[] = {{"teks", V1}};
	assert_int_equal(step(f, t1, "pen", NULL, no_title, 1, "draft", &e), -1);
	assert_non_null(strstr(e.msg, "needs its title"));
	assert_int_equal(count_rows(&f->a, "policies"), 0);
	sop_value draft[] = {{"judul_kebijakan", "Kebijakan Kata Sandi"},
	                     {"jenis_dokumen", "standar"},
	                     {"teks", V1},
	                     {"kontrol", "indeks-kami-4:IV"}};
	ok(f, t1, "pen", NULL, draft, 4, "draft");
	int64_t id = policy_of_ticket(&f->a, t1, &e);
	assert_true(id > 0);
	assert_string_equal(version_state(f, id, 1), "diverifikasi");
	/* the Kabid sends it back: draf, and its text may be rewritten */
	ok(f, t1, "kabid1", "Ditolak", (sop_value[]){{"catatan", "Pasal 2 kurang jelas"}}, 1, NULL);
	assert_string_equal(version_state(f, id, 1), "draf");
	assert_int_equal(policy_edit(&f->a, "pel", id, 1, V1, &e), -1); /* not an author */
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(policy_edit(&f->a, "pen", id, 1, "a\x1b[2Jb", &e), -1);
	assert_non_null(strstr(e.msg, "control character"));
	assert_int_equal(policy_edit(&f->a, "pen", id, 1, V1, &e), 0);
	ok(f, t1, "pen", NULL, draft + 2, 2, "draft"); /* the same version again */
	assert_int_equal(count_rows(&f->a, "policy_versions"), 1);
	ok(f, t1, "kabid1", "Disetujui", NULL, 0, NULL);
	assert_string_equal(version_state(f, id, 1), "disetujui");
	/* ratification: not on a day to come; then frozen with its SHA-256 */
	sop_value later[] = {{"tanggal_pengesahan", "2026-12-25"}, {"nomor_kebijakan", "3/2026"}};
	assert_int_equal(step(f, t1, "kadis", "Disahkan", later, 2, "dokumen_kebijakan", &e), -1);
	assert_non_null(strstr(e.msg, "day to come"));
	assert_string_equal(version_state(f, id, 1), "disetujui");
	sop_value ratify[] = {{"tanggal_pengesahan", "2026-11-02"}, {"nomor_kebijakan", "3/2026"}};
	ok(f, t1, "kadis", "Disahkan", ratify, 2, "dokumen_kebijakan");
	json_t *v = policy_version(&f->a, id, 1, &e);
	assert_string_equal(str(v, "state"), "disahkan");
	assert_string_equal(str(v, "number"), "3/2026");
	char sha[65];
	sha256_hex(V1, strlen(V1), sha);
	assert_string_equal(str(v, "sha256"), sha);
	assert_string_equal(str(json_array_get(json_object_get(v, "controls"), 0), "ref"),
	                    "indeks-kami-4:IV");
	json_decref(v);
	int64_t logged = 0;
	assert_int_equal(db_query_int(f->a.db, &e, &logged,
	                              "SELECT COUNT(*) FROM logbook WHERE action = 'policy.ratify' AND "
	                              "details LIKE ?",
	                              "s", "%" "3/2026" "%"),
	                 DB_ROW);
	assert_int_equal(logged, 1);
	/* a frozen version is never rewritten */
	assert_int_equal(policy_edit(&f->a, "pen", id, 1, V2, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	assert_non_null(strstr(e.msg, "frozen"));
	/* not yet published: the public sees nothing */
	assert_null(policy_get(&f->a, NULL, id, true, &e));
	assert_int_equal(e.code, SG_ENOTFOUND);

	/* publication: a case naming no policy is refused, then published */
	char ref[24], tp[32];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	open_case(f, "kebijakan/publikasi", NULL, tp);
	ok(f, tp, "kasi1", NULL, NULL, 0, "dokumen_rencana");
	ok(f, tp, "kabid1", "Disetujui", NULL, 0, NULL);
	assert_int_equal(step(f, tp, "pub", NULL, NULL, 0, "dokumentasi_publikasi", &e), -1);
	assert_non_null(strstr(e.msg, "names no policy"));
	open_case(f, "kebijakan/publikasi", ref, tp);
	ok(f, tp, "kasi1", NULL, NULL, 0, "dokumen_rencana");
	ok(f, tp, "kabid1", "Disetujui", NULL, 0, NULL);
	ok(f, tp, "pub", NULL, NULL, 0, "dokumentasi_publikasi");
	assert_string_equal(version_state(f, id, 1), "dipublikasikan");
	json_t *p = policy_get(&f->a, NULL, id, true, &e);
	assert_non_null(p);
	assert_string_equal(str(json_object_get(p, "published"), "text"), V1);
	json_decref(p);
	/* acknowledged once; the keepers see who has and has not */
	assert_int_equal(policy_ack(&f->a, "pel", id, &e), 0);
	assert_int_equal(policy_ack(&f->a, "pel", id, &e), 0);
	assert_int_equal(count_rows(&f->a, "policy_acks"), 1);
	p = policy(f, id);
	assert_true(json_is_true(json_object_get(p, "read_by_me")));
	assert_null(json_object_get(p, "readers")); /* a petugas keeps no library */
	json_decref(p);
	json_t *k = policy_get(&f->a, "kabid1", id, false, &e);
	json_t *g = json_array_get(json_object_get(k, "readers"), 0);
	assert_int_equal(json_array_size(json_object_get(g, "read")), 1);
	assert_true(json_array_size(json_object_get(g, "unread")) >= 6);
	json_decref(k);

	/* a second publication of the same version is refused: none ratified */
	char tp2[32];
	open_case(f, "kebijakan/publikasi", ref, tp2);
	ok(f, tp2, "kasi1", NULL, NULL, 0, "dokumen_rencana");
	ok(f, tp2, "kabid1", "Disetujui", NULL, 0, NULL);
	assert_int_equal(step(f, tp2, "pub", NULL, NULL, 0, "dokumentasi_publikasi", &e), -1);
	assert_non_null(strstr(e.msg, "no ratified version to publish"));

	/* a year on, the review falls due: an evaluation case opens, once */
	int opened = 0;
	assert_int_equal(policy_round(&f->a, &opened, &e), 0);
	assert_int_equal(opened, 0);
	f->a.fixed_now = wib("2027-11-03 09:00");
	assert_int_equal(policy_round(&f->a, &opened, &e), 0);
	assert_int_equal(opened, 1);
	assert_int_equal(policy_round(&f->a, &opened, &e), 0);
	assert_int_equal(opened, 0);
	p = policy(f, id);
	const char *te = str(json_object_get(p, "review_case"), "ticket");
	char tev[32];
	snprintf(tev, sizeof tev, "%s", te);
	json_decref(p);
	assert_true(strncmp(tev, "KBE-", 4) == 0);
	ok(f, tev, "eva", NULL, (sop_value[]){{"telaahan", "Banyak kata sandi lemah."}}, 1, NULL);
	ok(f, tev, "eva", "Perlu Revisi", (sop_value[]){{"analisis", "Perlu 14 karakter."}}, 1, NULL);
	/* the hand-over opened a drafting case of the same policy */
	char t2[32] = "";
	db_stmt *st;
	assert_int_equal(db_prepare_bind(f->a.db, &st, &e,
	                                 "SELECT c.ticket FROM case_links l JOIN cases c ON c.id = "
	                                 "l.to_case JOIN cases s ON s.id = l.from_case WHERE "
	                                 "s.ticket = ?",
	                                 "s", tev),
	                 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	snprintf(t2, sizeof t2, "%s", db_col_text(st, 0));
	db_finalize(st);
	assert_true(strncmp(t2, "KBS-", 4) == 0);
	ok(f, t2, "pen", NULL, NULL, 0, "dokumen_rencana");
	ok(f, t2, "kabid1", "Disetujui", NULL, 0, NULL);
	ok(f, t2, "pen", NULL, (sop_value[]){{"teks", V2}}, 1, "draft");
	assert_string_equal(version_state(f, id, 2), "diverifikasi");
	assert_string_equal(version_state(f, id, 1), "dipublikasikan"); /* still in force */
	json_t *d = policy_diff(&f->a, id, 1, 2, &e);
	assert_non_null(d);
	json_t *lines = json_object_get(d, "lines");
	int adds = 0, dels = 0;
	size_t i;
	json_t *x;
	json_array_foreach(lines, i, x) {
		adds += str(x, "op")[0] == '+';
		dels += str(x, "op")[0] == '-';
	}
	assert_int_equal(adds, 2); /* 14 karakter, and the new item */
	assert_int_equal(dels, 1); /* 12 karakter */
	json_decref(d);
	/* withdrawn by the Kabid: the public page shows it no more */
	assert_int_equal(policy_withdraw(&f->a, "pen", id, "Diganti", &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(policy_withdraw(&f->a, "kabid1", id, "Diganti peraturan baru", &e), 0);
	assert_null(policy_get(&f->a, NULL, id, true, &e));
	json_t *l = policy_list(&f->a, true, &e);
	assert_int_equal(json_array_size(l), 0);
	json_decref(l);
}

static void test_no_ratification_without_a_draft(void **state)
{
	fx *f = *state;
	sg_err e = {0};
	char t[32];
	to_draft(f, NULL, t);
	ok(f, t, "pen", NULL, (sop_value[]){{"judul_kebijakan", "Standar cadangan"}, {"teks", V1}}, 2,
	   "draft");
	ok(f, t, "kabid1", "Disetujui", NULL, 0, NULL);
	/* a second draft of the same policy beside it is refused */
	int64_t id = policy_of_ticket(&f->a, t, &e);
	char ref[24], t3[32];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	to_draft(f, ref, t3);
	assert_int_equal(step(f, t3, "pen", NULL, (sop_value[]){{"teks", V2}}, 1, "draft", &e), -1);
	assert_non_null(strstr(e.msg, "on its way"));
	/* the version gone (as if never written): ratification is refused */
	assert_int_equal(db_run(f->a.db, &e, "DELETE FROM policy_controls", ""), 0);
	assert_int_equal(db_run(f->a.db, &e, "DELETE FROM policy_versions", ""), 0);
	sop_value ratify[] = {{"tanggal_pengesahan", "2026-11-02"}, {"nomor_kebijakan", "4/2026"}};
	assert_int_equal(step(f, t, "kadis", "Disahkan", ratify, 2, "dokumen_kebijakan", &e), -1);
	assert_non_null(strstr(e.msg, "no draft to ratify"));
	/* a case naming a policy that is not in the library does not open */
	sop_value v[] = {{"kebijakan", "999"}};
	case_new_req req = {"kebijakan/penyusunan", "Kebijakan lain", v, 1, "pen", "test"};
	char t2[32];
	assert_int_equal(case_new(&f->a, &req, t2, &e), -1);
	assert_non_null(strstr(e.msg, "no policy 999 in the library"));
}

static void test_diff(void **state)
{
	(void)state;
	diff_line *d = NULL;
	size_t n = 0;
	assert_int_equal(textdiff("a\nb\nc\n", "a\nx\nc\nd\n", 100, 100, &d, &n), 0);
	char got[64] = "";
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(got);
		snprintf(got + k, sizeof got - k, "%c%.*s ", d[i].op, (int)d[i].len, d[i].text);
	}
	assert_string_equal(got, " a -b +x  c +d ");
	free(d);
	assert_int_equal(textdiff("", "", 10, 10, &d, &n), 0);
	assert_int_equal(n, 0);
	free(d);
	assert_int_equal(textdiff("x\r\ny", "x\ny\n", 10, 10, &d, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].op, DIFF_SAME);
	assert_int_equal(d[1].op, DIFF_SAME);
	free(d);
	/* too far apart, too long */
	assert_int_equal(textdiff("a\nb\nc\n", "x\ny\nz\n", 100, 2, &d, &n), -1);
	assert_int_equal(textdiff("a\nb\nc\n", "a\n", 2, 100, &d, &n), -1);
}

static void test_markdown_blocks(void **state)
{
	(void)state;
	json_t *b = md_blocks("# Judul\n\nParagraf *miring* dan `kode`.\n\n## Bagian\n\n"
	                      "1. satu\n2. dua\n   - dalam\n\n<script>x</script>\n\n"
	                      "```\nkata sandi\n```\n");
	assert_non_null(b);
	char *got = json_dumps(b, JSON_COMPACT | JSON_ENSURE_ASCII);
	assert_string_equal(got, "[{\"judul\":\"Judul\"},{\"paragraf\":\"Paragraf miring dan kode.\"},"
	                         "{\"subjudul\":\"Bagian\"},{\"butir\":\"1. satu\"},{\"butir\":\"2. dua\"},"
	                         "{\"butir\":\"  \\u2022 dalam\"},{\"kode\":\"kata sandi\"}]");
	free(got);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_the_life_of_a_policy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_ratification_without_a_draft, setup, teardown),
	    cmocka_unit_test(test_diff),
	    cmocka_unit_test(test_markdown_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
