-- 0004_alerts.sql: alerts raised by detection (a Sigma rule matched, or an
-- event held a threat indicator), their triage, and hit counts over time.

-- Repeats of one rule (or indicator) on one key (asset and source address)
-- within the fold window are one alert: count grows, last_seen moves, the
-- first event is kept. An alert is folded into only while undecided.
CREATE TABLE alerts (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,           -- rule, indicator
	rule_id TEXT,                 -- the Sigma rule's id (kind rule)
	indicator_id INTEGER,         -- indicators.id (kind indicator); the row may expire
	title TEXT NOT NULL,
	level TEXT NOT NULL,          -- informational, low, medium, high, critical
	tags TEXT,                    -- JSON array: ["attack.t1110.001", …]
	indicators TEXT,              -- JSON array of the indicators the event held
	fold_key TEXT NOT NULL,
	asset TEXT,                   -- Wazuh agent or syslog host
	source_ip TEXT,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	count INTEGER NOT NULL DEFAULT 1,
	event TEXT NOT NULL,          -- JSON: the first event (format, raw, fields)
	status TEXT NOT NULL DEFAULT 'new', -- new, triage, false_positive, true_positive
	reason TEXT,                  -- why it was decided so
	decided_by TEXT,
	decided_at INTEGER,
	case_id INTEGER REFERENCES cases(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX alerts_to_fold ON alerts (fold_key, last_seen) WHERE status IN ('new', 'triage');
CREATE INDEX alerts_by_status ON alerts (status, last_seen);
CREATE INDEX alerts_by_last ON alerts (last_seen);
CREATE INDEX alerts_by_rule ON alerts (rule_id, last_seen) WHERE rule_id IS NOT NULL;
CREATE INDEX alerts_by_indicator ON alerts (indicator_id, last_seen) WHERE indicator_id IS NOT NULL;
CREATE INDEX alerts_by_case ON alerts (case_id) WHERE case_id IS NOT NULL;

-- Hits per hour of each rule ("rule:ID") and indicator ("indicator:ID"),
-- folded or not, for the charts of rule and indicator pages.
CREATE TABLE detect_hits (
	ref TEXT NOT NULL,
	hour INTEGER NOT NULL,        -- seconds since the epoch, a multiple of 3600
	hits INTEGER NOT NULL,
	PRIMARY KEY (ref, hour)
);
