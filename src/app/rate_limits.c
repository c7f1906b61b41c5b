/*
 * rate_limits.c: how often one client address may use a public page (see
 * app.h): the report form ([web] report_limit an hour) and, apart from
 * it, the report status check ([web] status_limit an hour, page and API
 * together).
 *
 * A token bucket per scope and address, refilled continuously, kept in
 * the table rate_buckets so that every node behind a load balancer counts
 * the same requests (a limit held in each node's memory would let a
 * client through once per node). An address counts as the login
 * back-off counts it (app_address_key: an IPv6 client by its /64). A take is one short transaction,
 * serialised per scope (db_serialize) so two nodes never both spend the
 * last token; buckets full again, an hour after their last use, are
 * deleted then (found by the index on (scope, at), migration 0026, not
 * by reading every address of the hour), so the table holds the last
 * hour's addresses only.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

int app_rate_take(app *a, const char *scope, const char *addr, int per_hour, int64_t now,
                  int64_t *retry_after, sg_err *e)
{
	*retry_after = 0;
	if (per_hour <= 0)
		return 1;
	char subject[80], lock[40];
	app_address_key(addr, subject, sizeof subject);
	snprintf(lock, sizeof lock, "rate:%s", scope);
	double cap = per_hour, tokens = cap;
	if (db_begin(a->db, e) != 0)
		return -1;
	db_stmt *st = NULL;
	if (db_serialize(a->db, lock, e) != 0 ||
	    db_prepare_bind(a->db, &st, e,
	                    "SELECT tokens, at FROM rate_buckets WHERE scope = ? AND subject = ?", "ss",
	                    scope, subject) != 0)
		goto fail;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		tokens = db_col_real(st, 0) + (double)(now - db_col_int(st, 1)) * cap / 3600.0;
		if (tokens > cap)
			tokens = cap;
	}
	db_finalize(st);
	if (rc < 0)
		goto fail;
	int taken = tokens >= 1.0;
	if (taken) {
		tokens -= 1.0;
	} else {
		/* seconds until the bucket holds one whole token again */
		double s = (1.0 - tokens) * 3600.0 / cap;
		*retry_after = (int64_t)s + ((double)(int64_t)s < s);
		if (*retry_after < 1)
			*retry_after = 1;
	}
	if (db_run(a->db, e,
	           "INSERT INTO rate_buckets (scope, subject, tokens, at) VALUES (?, ?, ?, ?) "
	           "ON CONFLICT (scope, subject) DO UPDATE SET tokens = excluded.tokens, "
	           "at = excluded.at",
	           "ssri", scope, subject, tokens, now) != 0 ||
	    db_run(a->db, e, "DELETE FROM rate_buckets WHERE scope = ? AND at < ?", "si", scope,
	           now - 3600) != 0)
		goto fail;
	return db_commit(a->db, e) != 0 ? -1 : taken;
fail:
	db_rollback(a->db);
	return -1;
}
