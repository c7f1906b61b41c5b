/*
 * outbox_monthly.c: the monthly report's reminder. From the first day of
 * a month, 07.00 in the calendar's zone, the sender of each sigap serve
 * writes once "the report of last month is ready" to the users of the
 * roles the report is for (kepala_dinas and kabid; report_monthly.c) by
 * e-mail and Telegram, with its link (/laporan/bulanan?bulan=YYYY-MM).
 * The message carries no figures: each reader opens the report with
 * their own account and sees the cases their need-to-know allows.
 *
 * Once a month, whichever node checks and however often: in one
 * transaction, holding the name "laporan-bulanan" (db_serialize), the
 * outbox is asked whether the month's reminder was written already
 * (event laporan.bulanan, object laporan:YYYY-MM). A server down on the
 * first writes it when it starts again within the month.
 */
#include "base/civil.h"
#include "outbox_int.h"

enum { SEND_HOUR = 7 };

int outbox_monthly_round(app *a, sg_err *e)
{
	if (!a->cfg.nt_smtp_url && !a->cfg.nt_telegram_token)
		return 0;
	civil now;
	civil_from_epoch(app_now(a), a->cfg.cal.zone, &now);
	if (now.day == 1 && now.hour < SEND_HOUR)
		return 0;
	int year = now.month == 1 ? now.year - 1 : now.year;
	int month = now.month == 1 ? 12 : now.month - 1;
	char object[32];
	snprintf(object, sizeof object, "laporan:%04d-%02d", year, month);
	int64_t told = 0;
	if (db_query_int(a->db, e, &told,
	                 "SELECT COUNT(*) FROM outbox WHERE event = 'laporan.bulanan' AND object = ?",
	                 "s", object) != DB_ROW)
		return -1;
	if (told)
		return 0;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_serialize(a->db, "laporan-bulanan", e) != 0 ||
	    db_query_int(a->db, e, &told,
	                 "SELECT COUNT(*) FROM outbox WHERE event = 'laporan.bulanan' AND object = ?",
	                 "s", object) != DB_ROW ||
	    (told == 0 && outbox_mail_monthly(a, year, month, object, e) != 0) ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}
