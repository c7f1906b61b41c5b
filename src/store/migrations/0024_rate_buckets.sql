-- The public pages' allowances per client address (the report form, the
-- status check), kept in the store so that every sigap node behind a
-- load balancer counts the same: a token bucket per (scope, address),
-- refilled continuously; a row whose bucket is full again is forgotten
-- (src/app/rate_limits.c).
CREATE TABLE rate_buckets (
	scope TEXT NOT NULL,
	subject TEXT NOT NULL,
	tokens REAL NOT NULL,
	at INTEGER NOT NULL,
	PRIMARY KEY (scope, subject)
);
