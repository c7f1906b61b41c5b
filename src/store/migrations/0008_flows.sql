-- 0008_flows.sql: what keeps a case moving besides a step done by the
-- holder of its role: a step done on behalf of an outside actor (the
-- reporter by telephone, the police by letter), a case sent back to an
-- earlier step, a closed case reopened, and single-use links through
-- which an outside actor completes its own step without an account.

-- kind: 'step' a step done; 'kembalikan' the case sent back from step_no
-- to next_step_no; 'buka_kembali' a closed case reopened at next_step_no.
-- on_behalf_of: the real actor's name when actor completed the step on
-- its behalf, or the link's recipient; channel: telepon, surat, surel,
-- datang langsung, tautan; reason: why it was sent back or reopened.
ALTER TABLE step_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'step';
ALTER TABLE step_runs ADD COLUMN on_behalf_of TEXT;
ALTER TABLE step_runs ADD COLUMN channel TEXT;
ALTER TABLE step_runs ADD COLUMN reason TEXT;

-- A link for one visit of one step (case, step, the instant the case
-- came to it): only the SHA-256 of its token is kept. It works once,
-- until expires_at, and is revoked when the step is done another way.
CREATE TABLE step_links (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	step_no INTEGER NOT NULL,
	step_started_at INTEGER NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	recipient TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER,
	revoked_at INTEGER,
	revoked_by TEXT
);
CREATE INDEX step_links_by_case ON step_links (case_id);
