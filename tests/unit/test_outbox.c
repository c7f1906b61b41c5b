/*
 * test_outbox.c: who the outbox tells what by e-mail (outbox_mail.c,
 * outbox_sla.c), read back from the outbox table without delivering:
 * the role a step waits for, less whoever made the change and whoever
 * turned e-mail off; the texts in Indonesian with WIB times; a standard
 * time running out soon told to the role once, past its end told to the
 * role and the kabid once; nothing written when no channel is set; a
 * message rolled back with its change; English for a user who chose it,
 * its title withheld as the Indonesian one is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/civil.h"
#include "helpers.h"

static const sop_value report[] = {
    {"pelapor_nama", "Siti"},
    {"pelapor_kontak", "0812"},
    {"sistem_terdampak", "https://contoh.go.id"},
    {"uraian_kejadian", "Situs berubah."},
};

static void contact(app *a, const char *user, const char *email, int on)
{
	sg_err e = {0};
	user_contact_in in = {email, on, NULL};
	if (user_set_contact(a, "cli:test", user, &in, &e) != 0)
		fail_msg("user_set_contact %s: %s", user, e.msg);
}

/* The e-mails of event so far, as "recipient|subject" lines, and the
 * body of the last into body. */
static int mails(app *a, const char *event, char *list, size_t n, char *body, size_t bn)
{
	db_stmt *st;
	sg_err e = {0};
	assert_int_equal(db_prepare_bind(a->db, &st, &e,
	                                 "SELECT recipient, subject, body FROM outbox "
	                                 "WHERE channel = 'email' AND event = ? ORDER BY id",
	                                 "s", event),
	                 0);
	int k = 0;
	list[0] = '\0';
	while (db_step(st, &e) == DB_ROW) {
		size_t used = strlen(list);
		snprintf(list + used, n - used, "%s%s|%s", k ? "\n" : "", db_col_text(st, 0),
		         db_col_text(st, 1));
		if (body)
			snprintf(body, bn, "%s", db_col_text(st, 2));
		k++;
	}
	db_finalize(st);
	return k;
}

static void setup(app *a, const char *dir)
{
	test_app_open(a, dir, wib("2026-11-23 08:00"));
	a->cfg.nt_smtp_url = strdup("smtp://127.0.0.1:1");
	a->cfg.nt_smtp_from = strdup("sigap <sigap@diskominfo.example.go.id>");
	test_user(a, "pelapor1", "pelapor");
	test_user(a, "petugas1", "petugas");
	test_user(a, "petugas2", "petugas");
	test_user(a, "kabid1", "kabid");
	contact(a, "pelapor1", "pelapor1@warga.example.id", 1);
	contact(a, "petugas1", "petugas1@diskominfo.example.go.id", 1);
	contact(a, "petugas2", "petugas2@diskominfo.example.go.id", 0); /* e-mail off */
	contact(a, "kabid1", "kabid1@diskominfo.example.go.id", 1);
}

static void step_waits(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	sg_err e = {0};
	char ticket[32], list[2000], body[4000];
	case_new_req req = {"insiden", "Situs dinas berubah", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	/* step 1 waits for pelapor: pelapor1 opened it, so nobody is told */
	assert_int_equal(mails(&a, "langkah.menunggu", list, sizeof list, NULL, 0), 0);
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	/* step 2 waits for petugas: petugas1 (petugas2 turned e-mail off) */
	assert_int_equal(mails(&a, "langkah.menunggu", list, sizeof list, body, sizeof body), 1);
	char want[300];
	snprintf(want, sizeof want,
	         "petugas1@diskominfo.example.go.id|[sigap] %s: langkah 2 menunggu tindakan Anda",
	         ticket);
	assert_string_equal(list, want);
	assert_non_null(strstr(body, "Yth. petugas1,"));
	snprintf(want, sizeof want, "Kasus %s menunggu tindakan Anda sebagai Petugas.", ticket);
	assert_non_null(strstr(body, want));
	assert_non_null(strstr(body, "Judul     : Situs dinas berubah"));
	assert_non_null(strstr(body, "Sejak     : 23 November 2026 08.00 WIB"));

	/* a step that fails rolls its message back with it */
	int64_t before = count_rows(&a, "outbox");
	sop_value bad[] = {{"asal_laporan", "Pihak luar"}};
	case_step_req s2 = {ticket, "petugas1", NULL, bad, 1, "test"};
	assert_int_equal(case_step(&a, &s2, &r, &e), -1);
	assert_int_equal(count_rows(&a, "outbox"), before);
	app_close(&a);
	scratch_free(dir);
}

static void standard_time(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	sg_err e = {0};
	char ticket[32], list[2000], body[4000];
	case_new_req req = {"insiden", "Uji tenggat", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	/* step 2's end on the working calendar */
	json_t *c = case_get(&a, ticket, "petugas1", &e);
	assert_non_null(c);
	int64_t due =
	    json_integer_value(json_object_get(json_object_get(c, "current_step"), "due_at"));
	json_decref(c);
	assert_true(due > a.fixed_now);

	a.fixed_now = due - 2 * 3600; /* two hours before: nothing yet */
	assert_int_equal(outbox_sla_round(&a, &e), 0);
	assert_int_equal(mails(&a, "tenggat.segera", list, sizeof list, NULL, 0), 0);
	a.fixed_now = due - 1800; /* within sla_warn_before (1 hour): the role */
	assert_int_equal(outbox_sla_round(&a, &e), 0);
	assert_int_equal(outbox_sla_round(&a, &e), 0);
	assert_int_equal(mails(&a, "tenggat.segera", list, sizeof list, body, sizeof body), 1);
	assert_non_null(strstr(list, "petugas1@"));
	assert_non_null(strstr(list, "batas waktu langkah 2 segera berakhir"));
	assert_non_null(strstr(body, "akan berakhir pada"));
	assert_non_null(strstr(body, " WIB. Langkah ini menunggu tindakan Anda sebagai Petugas."));

	a.fixed_now = due + 60; /* past it: the role and the kabid, once */
	assert_int_equal(outbox_sla_round(&a, &e), 0);
	assert_int_equal(outbox_sla_round(&a, &e), 0);
	assert_int_equal(mails(&a, "tenggat.lewat", list, sizeof list, body, sizeof body), 2);
	assert_non_null(strstr(list, "petugas1@"));
	assert_non_null(strstr(list, "kabid1@"));
	assert_non_null(strstr(body, "Yth. kabid1,"));
	assert_non_null(strstr(body, "Kepala Bidang"));
	assert_int_equal(mails(&a, "tenggat.segera", list, sizeof list, NULL, 0), 1);
	app_close(&a);
	scratch_free(dir);
}

/* Quiet hours: a window inside a day and one across midnight, in WIB. */
static void quiet_hours(void **state)
{
	(void)state;
	const civil_zone *z = civil_zone_find("WIB");
	assert_non_null(z);
	assert_true(quiet_hours_valid("22:00-06:00"));
	assert_true(quiet_hours_valid("12:00-13:30"));
	assert_false(quiet_hours_valid("22:00-22:00"));
	assert_false(quiet_hours_valid("24:00-06:00"));
	assert_false(quiet_hours_valid("22:00-6:00"));
	assert_false(quiet_hours_valid("22:60-06:00"));
	assert_false(quiet_hours_valid("22:00-06:00 "));
	assert_true(telegram_chat_valid("987654321"));
	assert_true(telegram_chat_valid("-1001234567890"));
	assert_true(telegram_chat_valid("@csirt_kab"));
	assert_false(telegram_chat_valid("@abc"));
	assert_false(telegram_chat_valid("-"));
	assert_false(telegram_chat_valid("12 34"));
	assert_false(telegram_chat_valid("@nama-pakai-strip"));
	int64_t t = wib("2026-11-23 23:15");
	assert_int_equal(quiet_hours_end("22:00-06:00", z, t), wib("2026-11-24 06:00"));
	t = wib("2026-11-24 05:59");
	assert_int_equal(quiet_hours_end("22:00-06:00", z, t), wib("2026-11-24 06:00"));
	t = wib("2026-11-24 06:00");
	assert_int_equal(quiet_hours_end("22:00-06:00", z, t), t);
	t = wib("2026-11-24 12:30");
	assert_int_equal(quiet_hours_end("12:00-13:30", z, t), wib("2026-11-24 13:30"));
	assert_int_equal(quiet_hours_end("22:00-06:00", z, t), t);
	assert_int_equal(quiet_hours_end(NULL, z, t), t);

	/* a user's e-mail written in their quiet hours waits for the end */
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	a.fixed_now = wib("2026-11-23 23:00");
	sg_err e = {0};
	user_contact_in in = {NULL, -1, "22:00-06:00"};
	assert_int_equal(user_set_contact(&a, "petugas1", "petugas1", &in, &e), 0);
	in.quiet_hours = "tengah malam";
	assert_int_equal(user_set_contact(&a, "petugas1", "petugas1", &in, &e), -1);
	assert_non_null(strstr(e.msg, "must be two times of day"));
	/* another user's settings are not theirs */
	in.quiet_hours = "";
	assert_int_equal(user_set_contact(&a, "petugas2", "petugas1", &in, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	char ticket[32];
	case_new_req req = {"insiden", "Malam hari", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	int64_t next = 0;
	assert_int_equal(db_query_int(a.db, &e, &next,
	                              "SELECT next_at FROM outbox WHERE recipient = ? "
	                              "AND event = 'langkah.menunggu'",
	                              "s", "petugas1@diskominfo.example.go.id"),
	                 DB_ROW);
	assert_int_equal(next, wib("2026-11-24 06:00"));
	app_close(&a);
	scratch_free(dir);
}

/* A case labelled TLP:RED after its messages were written: those not
 * delivered yet lose its title, in the e-mail and in the webhook's JSON. */
static void red_withholds(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	a.cfg.nt_webhook_url = strdup("http://127.0.0.1:9/hook");
	a.cfg.nt_webhook_secret = strdup("rahasia-webhook-uji-2026");
	sg_err e = {0};
	char ticket[32];
	case_new_req req = {"insiden", "Judul yang kemudian merah", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	int64_t titled = 0;
	assert_int_equal(
	    db_query_int(a.db, &e, &titled,
	                 "SELECT COUNT(*) FROM outbox WHERE body LIKE '%kemudian merah%'", ""),
	    DB_ROW);
	assert_true(titled >= 3); /* two webhook messages and petugas1's e-mail */
	assert_int_equal(case_set_tlp(&a, ticket, "petugas1", "TLP:RED", &e), 0);
	assert_int_equal(
	    db_query_int(a.db, &e, &titled,
	                 "SELECT COUNT(*) FROM outbox WHERE body LIKE '%kemudian merah%'", ""),
	    DB_ROW);
	assert_int_equal(titled, 0);
	int64_t withheld = 0;
	assert_int_equal(
	    db_query_int(a.db, &e, &withheld,
	                 "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND body "
	                 "LIKE '%Judul     : (tidak dicantumkan: kasus berlabel TLP:RED)%'",
	                 ""),
	    DB_ROW);
	assert_int_equal(withheld, 1);
	assert_int_equal(
	    db_query_int(a.db, &e, &withheld,
	                 "SELECT COUNT(*) FROM outbox WHERE channel = 'webhook' AND body "
	                 "LIKE '%\"title_withheld\":true%'",
	                 ""),
	    DB_ROW);
	assert_int_equal(withheld, 2);
	app_close(&a);
	scratch_free(dir);
}

/* A user who chose English gets English words and an English date; a
 * TLP:RED label withholds the title in English too. */
static void english(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	sg_err e = {0};
	user_contact_in in = {NULL, -1, NULL, NULL, "en"};
	assert_int_equal(user_set_contact(&a, "cli:test", "petugas1", &in, &e), 0);
	in.language = "fr";
	assert_int_equal(user_set_contact(&a, "cli:test", "petugas1", &in, &e), -1);
	assert_non_null(strstr(e.msg, "must be id"));
	char ticket[32], list[2000], body[4000], want[300];
	case_new_req req = {"insiden", "Situs dinas berubah", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	assert_int_equal(mails(&a, "langkah.menunggu", list, sizeof list, body, sizeof body), 1);
	snprintf(want, sizeof want, "petugas1@diskominfo.example.go.id|[sigap] %s: step 2 waits for you",
	         ticket);
	assert_string_equal(list, want);
	assert_non_null(strstr(body, "Dear petugas1,"));
	snprintf(want, sizeof want, "Case %s waits for you as Petugas.", ticket);
	assert_non_null(strstr(body, want));
	assert_non_null(strstr(body, "Since     : 23 November 2026, 08:00 WIB"));
	assert_non_null(strstr(body, "please do not reply"));
	assert_null(strstr(body, "Yth."));
	assert_int_equal(case_set_tlp(&a, ticket, "kabid1", "TLP:RED", &e), 0);
	int64_t withheld = 0;
	assert_int_equal(db_query_int(a.db, &e, &withheld,
	                              "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND body "
	                              "LIKE '%Title     : (withheld: the case is labelled TLP:RED)%'",
	                              ""),
	                 DB_ROW);
	assert_int_equal(withheld, 1);
	app_close(&a);
	scratch_free(dir);
}

/* From the first of a month, 07.00 WIB, last month's report is announced
 * once to the kabid and kepala dinas, in their language; not before. */
static void monthly(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	a.cfg.nt_link_base = strdup("https://sigap.example.go.id/");
	test_user(&a, "kadis1", "kepala_dinas");
	contact(&a, "kadis1", "kadis1@diskominfo.example.go.id", 1);
	user_contact_in in = {NULL, -1, NULL, NULL, "en"};
	sg_err e = {0};
	assert_int_equal(user_set_contact(&a, "cli:test", "kadis1", &in, &e), 0);
	char list[2000], body[4000];
	a.fixed_now = wib("2026-12-01 06:59");
	assert_int_equal(outbox_monthly_round(&a, &e), 0);
	assert_int_equal(mails(&a, "laporan.bulanan", list, sizeof list, NULL, 0), 0);
	a.fixed_now = wib("2026-12-01 07:00");
	assert_int_equal(outbox_monthly_round(&a, &e), 0);
	assert_int_equal(mails(&a, "laporan.bulanan", list, sizeof list, body, sizeof body), 2);
	assert_string_equal(list, "kadis1@diskominfo.example.go.id|[sigap] The monthly report of "
	                          "November 2026 is ready\n"
	                          "kabid1@diskominfo.example.go.id|[sigap] Laporan bulanan November "
	                          "2026 telah tersedia");
	assert_non_null(strstr(body, "https://sigap.example.go.id/laporan/bulanan?bulan=2026-11"));
	/* once, however often and later in the month */
	a.fixed_now = wib("2026-12-17 10:00");
	assert_int_equal(outbox_monthly_round(&a, &e), 0);
	assert_int_equal(mails(&a, "laporan.bulanan", list, sizeof list, NULL, 0), 2);
	/* January tells of December of the year before */
	a.fixed_now = wib("2027-01-04 09:00");
	assert_int_equal(outbox_monthly_round(&a, &e), 0);
	assert_int_equal(mails(&a, "laporan.bulanan", list, sizeof list, body, sizeof body), 4);
	assert_non_null(strstr(body, "bulan=2026-12"));
	app_close(&a);
	scratch_free(dir);
}

static void no_channel(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	test_user(&a, "pelapor1", "pelapor");
	test_user(&a, "petugas1", "petugas");
	contact(&a, "petugas1", "petugas1@diskominfo.example.go.id", 1);
	sg_err e = {0};
	char ticket[32];
	case_new_req req = {"insiden", "Tanpa saluran", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	a.fixed_now += 30 * 86400;
	assert_int_equal(outbox_sla_round(&a, &e), 0);
	assert_int_equal(count_rows(&a, "outbox"), 0);
	app_close(&a);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(step_waits),  cmocka_unit_test(standard_time),
	    cmocka_unit_test(quiet_hours), cmocka_unit_test(red_withholds),
	    cmocka_unit_test(no_channel),  cmocka_unit_test(english),
	    cmocka_unit_test(monthly),
	};
	return cmocka_run_group_tests_name("tests", tests, NULL, NULL);
}
