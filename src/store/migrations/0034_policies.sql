-- 0034_policies.sql: the library of information-security policies
-- (src/app/policies.c, docs/policies.md), the records of SOP kebijakan's
-- cases. A policy (kebijakan, standar or prosedur) has versions; a
-- version's text is Markdown, written at the drafting step of a
-- kebijakan/penyusunan case (case_id) and moved through its states by that
-- case and the publication case: draf (sent back for rework), diverifikasi
-- (submitted), disetujui (the Kabid's approval), disahkan (ratified by the
-- Kepala Dinas: frozen, its SHA-256 kept and logged), dipublikasikan,
-- dicabut (withdrawn with its policy). Instants are INTEGER seconds since
-- the epoch. next_review_at: when the policy falls due for evaluation
-- (review_months after publication or the last evaluation); review_case_id
-- the evaluation case opened for it, while open.
CREATE TABLE policies (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('kebijakan', 'standar', 'prosedur')),
	status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'dicabut')),
	review_months INTEGER NOT NULL DEFAULT 12 CHECK (review_months BETWEEN 1 AND 60),
	next_review_at INTEGER,
	review_case_id INTEGER REFERENCES cases(id),
	revoked_at INTEGER,
	revoked_by TEXT,
	revoke_reason TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX policies_review ON policies (status, next_review_at);

CREATE TABLE policy_versions (
	id INTEGER PRIMARY KEY,
	policy_id INTEGER NOT NULL REFERENCES policies(id),
	version INTEGER NOT NULL,
	body TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('draf', 'diverifikasi', 'disetujui', 'disahkan',
		'dipublikasikan', 'dicabut')),
	case_id INTEGER NOT NULL REFERENCES cases(id),
	sha256 TEXT,
	ratified_by TEXT,
	ratified_number TEXT,
	ratified_on TEXT,
	ratified_at INTEGER,
	published_at INTEGER,
	published_case_id INTEGER REFERENCES cases(id),
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (policy_id, version)
);
CREATE INDEX policy_versions_case ON policy_versions (case_id);
CREATE INDEX policy_versions_state ON policy_versions (state, policy_id);

-- The controls of the catalogue a version's clauses implement
-- ("framework:id").
CREATE TABLE policy_controls (
	version_id INTEGER NOT NULL REFERENCES policy_versions(id),
	ref TEXT NOT NULL,
	PRIMARY KEY (version_id, ref)
);

-- Who has read a published version (one row a user and version).
CREATE TABLE policy_acks (
	version_id INTEGER NOT NULL REFERENCES policy_versions(id),
	user_name TEXT NOT NULL,
	at INTEGER NOT NULL,
	PRIMARY KEY (version_id, user_name)
);
