-- 0006_login_throttle.sql: failed logins counted per client address, per
-- address and user name, and per user name (see src/app/sessions.c),
-- instead of per user name alone, which let anyone keep an account locked.
-- The old counts are dropped: a lock restarts at most once, at upgrade.
DROP TABLE login_failures;

CREATE TABLE login_throttle (
	scope TEXT NOT NULL,         -- address, pair, name
	subject TEXT NOT NULL,       -- "ADDR", "ADDR NAME", "NAME"
	failures INTEGER NOT NULL,   -- counted, less those forgiven
	last_at INTEGER NOT NULL,    -- the last failure
	locked_until INTEGER NOT NULL, -- 0: no wait
	PRIMARY KEY (scope, subject)
);
-- Rows quiet for a day are deleted at each attempt.
CREATE INDEX login_throttle_by_last ON login_throttle (last_at);
