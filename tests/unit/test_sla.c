/*
 * test_sla.c: the SLA clock with fixed clocks, across a weekend and a
 * holiday. The calendar is the default one: Monday to Friday,
 * 07:30-16:00 WIB. 2026-11-20 is a Friday; 2026-11-23 a Monday.
 */
#include "helpers.h"

#include "sop/sla.h"

static sop_waktu w(const char *text)
{
	sop_waktu v;
	assert_int_equal(sop_waktu_parse(text, &v), 0);
	v.text = text;
	return v;
}

static void test_minutes_are_elapsed_time(void **state)
{
	(void)state;
	sla_calendar c;
	sla_calendar_default(&c);
	sop_waktu ten = w("10 Menit"), four = w("4 Jam");
	/* A 10 Menit step started at closing time runs past it. */
	assert_int_equal(sla_due(&c, &ten, wib("2026-11-20 15:55")), wib("2026-11-20 16:05"));
	/* Elapsed time runs over the weekend. */
	assert_int_equal(sla_due(&c, &four, wib("2026-11-21 22:00")), wib("2026-11-22 02:00"));
	sla_result r;
	sla_measure(&c, &ten, wib("2026-11-20 15:55"), wib("2026-11-20 16:04"), &r);
	assert_true(r.met);
	assert_int_equal(r.spent, 9 * 60);
	sla_measure(&c, &ten, wib("2026-11-20 15:55"), wib("2026-11-20 16:06"), &r);
	assert_false(r.met);
	sla_calendar_free(&c);
}

static void test_days_skip_the_weekend(void **state)
{
	(void)state;
	sla_calendar c;
	sla_calendar_default(&c);
	sop_waktu one = w("1 Hari"), two = w("2 Hari");
	assert_int_equal(sla_workday_seconds(&c), 8 * 3600 + 30 * 60);
	/* Friday 10:00 + 1 Hari = Monday 10:00. */
	assert_int_equal(sla_due(&c, &one, wib("2026-11-20 10:00")), wib("2026-11-23 10:00"));
	/* Thursday 14:00 + 2 Hari = Monday 14:00. */
	assert_int_equal(sla_due(&c, &two, wib("2026-11-19 14:00")), wib("2026-11-23 14:00"));
	/* Started on Saturday: the clock starts Monday 07:30. */
	assert_int_equal(sla_due(&c, &one, wib("2026-11-21 09:00")), wib("2026-11-23 16:00"));
	/* Started after closing on Friday: the same. */
	assert_int_equal(sla_due(&c, &one, wib("2026-11-20 17:00")), wib("2026-11-23 16:00"));
	/* Started before opening on Monday. */
	assert_int_equal(sla_due(&c, &one, wib("2026-11-23 06:00")), wib("2026-11-23 16:00"));
	/* Working time spent: Friday 15:00 to Monday 08:30 is two hours. */
	assert_int_equal(sla_working_between(&c, wib("2026-11-20 15:00"), wib("2026-11-23 08:30")), 7200);
	sla_result r;
	sla_measure(&c, &one, wib("2026-11-20 10:00"), wib("2026-11-23 09:00"), &r);
	assert_true(r.met);
	assert_int_equal(r.spent, 6 * 3600 + 90 * 60);
	sla_measure(&c, &one, wib("2026-11-20 10:00"), wib("2026-11-23 10:01"), &r);
	assert_false(r.met);
	sla_calendar_free(&c);
}

static void test_holidays(void **state)
{
	(void)state;
	sla_calendar c;
	sla_calendar_default(&c);
	sg_err e = {0};
	/* Monday 2026-11-23 and Friday 2026-11-27 are holidays. */
	assert_int_equal(sla_calendar_add_holidays(&c, "2026-11-27, 2026-11-23", &e), 0);
	sop_waktu one = w("1 Hari"), five = w("5 Hari");
	/* Friday 10:00 + 1 Hari skips the weekend and the Monday holiday. */
	assert_int_equal(sla_due(&c, &one, wib("2026-11-20 10:00")), wib("2026-11-24 10:00"));
	/* Five working days from Friday 2026-11-20 10:00: Tue, Wed, Thu, (Fri
	 * holiday), Mon 30 Nov, Tue 1 Dec, with the Friday's remainder. */
	assert_int_equal(sla_due(&c, &five, wib("2026-11-20 10:00")), wib("2026-12-01 10:00"));
	assert_false(sla_is_workday(&c, civil_local_day(wib("2026-11-23 12:00"), c.zone)));
	assert_true(sla_is_workday(&c, civil_local_day(wib("2026-11-24 12:00"), c.zone)));
	/* No working time passes on a holiday. */
	assert_int_equal(sla_working_between(&c, wib("2026-11-23 07:00"), wib("2026-11-23 17:00")), 0);
	sla_calendar_free(&c);
}

static void test_calendar_settings(void **state)
{
	(void)state;
	sla_calendar c;
	sla_calendar_default(&c);
	sg_err e = {0};
	assert_int_equal(sla_calendar_set_hours(&c, "08:00-15:30", &e), 0);
	assert_int_equal(sla_workday_seconds(&c), 7 * 3600 + 1800);
	assert_int_equal(sla_calendar_set_hours(&c, "16:00-08:00", &e), -1);
	assert_int_equal(sla_calendar_set_hours(&c, "8-16", &e), -1);
	assert_int_equal(sla_calendar_set_weekdays(&c, "senin, selasa, rabu, kamis, jumat, sabtu", &e), 0);
	sop_waktu one = w("1 Hari");
	/* Friday 10:00 + 1 Hari with Saturday working, 08:00-15:30. */
	assert_int_equal(sla_due(&c, &one, wib("2026-11-20 10:00")), wib("2026-11-21 10:00"));
	assert_int_equal(sla_calendar_set_weekdays(&c, "funday", &e), -1);
	assert_int_equal(sla_calendar_set_weekdays(&c, "", &e), -1);
	assert_int_equal(sla_calendar_add_holidays(&c, "2026-02-30", &e), -1);
	assert_int_equal(sla_calendar_add_holidays(&c, "kemarin", &e), -1);
	assert_int_equal(sla_calendar_set_zone(&c, "Asia/Makassar", &e), 0);
	assert_string_equal(c.zone->abbr, "WITA");
	assert_int_equal(sla_calendar_set_zone(&c, "Mars/Olympus", &e), -1);
	sla_calendar_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minutes_are_elapsed_time),
		cmocka_unit_test(test_days_skip_the_weekend),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_calendar_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
