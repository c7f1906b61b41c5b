-- 0033_exceptions.sql: exceptions to the ISMS (src/app/exceptions.c,
-- docs/exceptions.md), the records of SOP pengecualian's cases.
-- An exception is made by its case's request (step 1) and belongs to that
-- case alone; a change of an approved one makes a new exception of a new
-- case (replaces_id: the one it replaces, which is revoked). State:
-- diajukan (requested), disetujui (approved, not yet begun), ditolak,
-- berlaku (in force), kedaluwarsa (expired), dicabut (revoked). Instants
-- are INTEGER seconds since the epoch; starts_at and expires_at are the
-- start of a day in the calendar's zone (expires_at: the day after the
-- last day in force). reminded: the smallest number of days before
-- expiry a reminder was written for (0: none yet).
CREATE TABLE exceptions (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	replaces_id INTEGER REFERENCES exceptions(id),
	opd_id INTEGER REFERENCES opd(id),
	policy_clause TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL,
	compensating TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	requested_until INTEGER NOT NULL,
	state TEXT NOT NULL DEFAULT 'diajukan' CHECK (state IN ('diajukan', 'disetujui', 'ditolak',
		'berlaku', 'kedaluwarsa', 'dicabut')),
	starts_at INTEGER,
	expires_at INTEGER,
	decided_by TEXT,
	decided_at INTEGER,
	decision_note TEXT NOT NULL DEFAULT '',
	ended_at INTEGER,
	ended_by TEXT,
	end_reason TEXT NOT NULL DEFAULT '',
	reminded INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX exceptions_case ON exceptions (case_id);
CREATE INDEX exceptions_state ON exceptions (state, expires_at);

-- What an exception excepts: controls of the catalogue (ref
-- "framework:id"), assets of the register and vulnerability findings (ref
-- their id). A finding the exception took while in force keeps its state
-- from before (prior_state) and when it was taken (taken_at): at the end
-- it goes back, its due date moved by the time it spent excepted.
CREATE TABLE exception_items (
	exception_id INTEGER NOT NULL REFERENCES exceptions(id),
	kind TEXT NOT NULL CHECK (kind IN ('control', 'asset', 'finding')),
	ref TEXT NOT NULL,
	prior_state TEXT,
	taken_at INTEGER,
	PRIMARY KEY (exception_id, kind, ref)
);
CREATE INDEX exception_items_ref ON exception_items (kind, ref);

-- The Daftar Risiko of step 2: rows of the register.
CREATE TABLE exception_risks (
	exception_id INTEGER NOT NULL REFERENCES exceptions(id),
	risk_id INTEGER NOT NULL REFERENCES risks(id),
	PRIMARY KEY (exception_id, risk_id)
);
CREATE INDEX exception_risks_risk ON exception_risks (risk_id);
