-- 0001_base.sql: users and roles, SOP versions, cases and their step runs,
-- evidence with its chain of custody, and the logbook.
-- Instants are INTEGER seconds since the epoch (UTC); JSON is TEXT.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	PRIMARY KEY (user_id, role)
);

-- Every SOP text a case was started on, by content hash: a case keeps
-- running on the SOP it began with even after the file is revised.
CREATE TABLE sop_versions (
	sha256 TEXT PRIMARY KEY,
	sop_id TEXT NOT NULL,
	source TEXT NOT NULL,
	body TEXT NOT NULL,
	first_seen INTEGER NOT NULL
);

CREATE TABLE ticket_counters (
	prefix TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (prefix, year)
);

CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	ticket TEXT NOT NULL UNIQUE,
	sop_id TEXT NOT NULL,
	procedure_id TEXT NOT NULL,
	sop_sha256 TEXT NOT NULL REFERENCES sop_versions(sha256),
	title TEXT NOT NULL,
	fields TEXT NOT NULL DEFAULT '{}',
	status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
	step_no INTEGER,
	step_started_at INTEGER,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	closed_at INTEGER
);
CREATE INDEX cases_by_procedure ON cases (procedure_id, status);
CREATE INDEX cases_by_status ON cases (status, created_at);

CREATE TABLE step_runs (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	seq INTEGER NOT NULL,
	step_no INTEGER NOT NULL,
	role TEXT NOT NULL,
	actor TEXT NOT NULL,
	started_at INTEGER NOT NULL,
	finished_at INTEGER NOT NULL,
	decision TEXT,
	next_step_no INTEGER,
	form_values TEXT NOT NULL DEFAULT '{}',
	waktu TEXT NOT NULL DEFAULT '',
	due_at INTEGER,
	spent_seconds INTEGER NOT NULL,
	sla_met INTEGER NOT NULL,
	UNIQUE (case_id, seq)
);
CREATE INDEX step_runs_by_finish ON step_runs (finished_at);

CREATE TABLE evidence (
	sha256 TEXT PRIMARY KEY,
	size INTEGER NOT NULL,
	first_seen INTEGER NOT NULL
);

-- Chain of custody: who attached which content to which case, when, and
-- from where.
CREATE TABLE case_evidence (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	sha256 TEXT NOT NULL REFERENCES evidence(sha256),
	filename TEXT NOT NULL,
	field TEXT,
	added_by TEXT NOT NULL,
	added_at INTEGER NOT NULL,
	origin TEXT NOT NULL
);

-- Logbook keamanan siber: append-only, each entry hashed over the
-- previous entry's hash (see src/app/logbook.c).
CREATE TABLE logbook (
	seq INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	details TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
