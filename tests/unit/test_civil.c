/*
 * test_civil.c: calendar arithmetic and parsing in fixed offsets.
 */
#include "helpers.h"

#include <string.h>

#include "base/civil.h"

static void test_days_round_trip(void **state)
{
	(void)state;
	assert_int_equal(civil_days_from_date(1970, 1, 1), 0);
	assert_int_equal(civil_days_from_date(2000, 3, 1), 11017);
	for (int64_t d = -800000; d < 800000; d += 997) {
		int y, m, dd;
		civil_date_from_days(d, &y, &m, &dd);
		assert_int_equal(civil_days_from_date(y, m, dd), d);
	}
}

static void test_month_abbr(void **state)
{
	(void)state;
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	for (int i = 0; i < 12; i++)
		assert_int_equal(civil_month_abbr(months[i]), i + 1);
	assert_int_equal(civil_month_abbr("Nov 23"), 11);
	/* as written: no other case, no other language, no near miss */
	assert_int_equal(civil_month_abbr("nov"), 0);
	assert_int_equal(civil_month_abbr("NOV"), 0);
	assert_int_equal(civil_month_abbr("Agu"), 0);
	assert_int_equal(civil_month_abbr("Ja "), 0);
	assert_int_equal(civil_month_abbr("Ju\0"), 0);
}

static void test_weekday_and_zone(void **state)
{
	(void)state;
	civil c;
	/* 2026-11-23 00:30 WIB is 2026-11-22 17:30 UTC, a Monday in WIB. */
	int64_t t = wib("2026-11-23 00:30");
	civil_from_epoch(t, civil_zone_find("WIB"), &c);
	assert_int_equal(c.day, 23);
	assert_int_equal(c.wday, 1);
	civil_from_epoch(t, civil_zone_find("UTC"), &c);
	assert_int_equal(c.day, 22);
	assert_int_equal(c.hour, 17);
	assert_int_equal(c.wday, 0);
	civil_from_epoch(t, civil_zone_find("Asia/Jayapura"), &c);
	assert_int_equal(c.hour, 2);
}

static void test_parse(void **state)
{
	(void)state;
	const civil_zone *z = civil_zone_default();
	int64_t a, b;
	assert_int_equal(civil_parse("2026-11-23T10:00:00+07:00", z, &a), 0);
	assert_int_equal(civil_parse("2026-11-23T03:00:00Z", z, &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(civil_parse("2026-11-23 10:00", z, &b), 0);
	assert_int_equal(a, b);
	/* STIX and MISP stamps: fractions, offsets without a colon */
	assert_int_equal(civil_parse("2026-11-23T03:00:00.123456Z", z, &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(civil_parse("2026-11-23T10:00:00+0700", z, &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(civil_parse("2026-11-23T10:00:00.Z", z, &b), -1);
	assert_int_equal(civil_parse("2026-11-23T10:00:00+7", z, &b), -1);
	assert_int_equal(civil_parse("2026-02-29", z, &a), -1);
	assert_int_equal(civil_parse("2024-02-29", z, &a), 0);
	assert_int_equal(civil_parse("2026-13-01", z, &a), -1);
	assert_int_equal(civil_parse("2026-11-23T25:00", z, &a), -1);
	assert_int_equal(civil_parse("2026-11-23x", z, &a), -1);
	assert_int_equal(civil_parse("", z, &a), -1);
}

static void test_format(void **state)
{
	(void)state;
	char out[64];
	int64_t t = wib("2026-08-17 09:05");
	civil_format_id(t, civil_zone_default(), out, sizeof out);
	assert_string_equal(out, "17 Agustus 2026 09.05 WIB");
	civil_format_id_short(t, civil_zone_default(), out, sizeof out);
	assert_string_equal(out, "17/08/2026 09.05");
	civil_format_rfc3339(t, civil_zone_default(), out, sizeof out);
	assert_string_equal(out, "2026-08-17T09:05:00+07:00");
	civil_format_duration_id(2 * 86400 + 3 * 3600 + 5 * 60, out, sizeof out);
	assert_string_equal(out, "2 hari 3 jam 5 menit");
	civil_format_duration_id(0, out, sizeof out);
	assert_string_equal(out, "0 menit");
}

static void test_add_months(void **state)
{
	(void)state;
	const civil_zone *wib = civil_zone_default();
	int64_t t, want;
	/* the same day of the month, at its start; the month's last when it
	 * has fewer days; over the year's end */
	assert_int_equal(civil_parse("2026-11-02 09:30", wib, &t), 0);
	assert_int_equal(civil_parse("2027-11-02", wib, &want), 0);
	assert_int_equal(civil_add_months(t, wib, 12), want);
	assert_int_equal(civil_parse("2027-01-31", wib, &t), 0);
	assert_int_equal(civil_parse("2027-02-28", wib, &want), 0);
	assert_int_equal(civil_add_months(t, wib, 1), want);
	assert_int_equal(civil_parse("2028-02-29", wib, &want), 0);
	assert_int_equal(civil_add_months(t, wib, 13), want);
	assert_int_equal(civil_parse("2026-12-15", wib, &t), 0);
	assert_int_equal(civil_parse("2027-01-15", wib, &want), 0);
	assert_int_equal(civil_add_months(t, wib, 1), want);
	assert_int_equal(civil_add_months(want, wib, 0), want);
	/* the day as typed: 23.30 UTC on the 14th is the 15th in WIB */
	char day[16];
	civil_format_day(want - 1, wib, day);
	assert_string_equal(day, "2027-01-14");
	assert_int_equal(civil_parse("2027-01-14T23:30:00Z", wib, &t), 0);
	civil_format_day(t, wib, day);
	assert_string_equal(day, "2027-01-15");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_round_trip),
		cmocka_unit_test(test_weekday_and_zone),
		cmocka_unit_test(test_month_abbr),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_add_months),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
