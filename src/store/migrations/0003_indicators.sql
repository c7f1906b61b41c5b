-- 0003_indicators.sql: threat indicators imported from feeds (MISP, STIX,
-- CSV, plain lists), looked up in every event by the detection engine.

-- One row per (type, value, source): the same value from two feeds is two
-- rows, each with its feed's TLP, confidence and dates. value is in the
-- normal form of src/detect/ioc_value.c (lower-case hashes and domains,
-- ranges with host bits cleared). Times are seconds since the epoch.
CREATE TABLE indicators (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL,        -- ipv4 ipv6 cidr domain url email md5 sha1 sha256
	value TEXT NOT NULL,
	source TEXT NOT NULL,
	tlp TEXT,                  -- TLP:CLEAR … TLP:RED
	confidence INTEGER,        -- 0..100
	description TEXT,
	first_seen INTEGER,
	last_seen INTEGER,
	expires_at INTEGER,        -- NULL: never
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (type, value, source)
);
CREATE INDEX indicators_by_value ON indicators (value);
CREATE INDEX indicators_by_expiry ON indicators (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX indicators_by_source ON indicators (source, type);
