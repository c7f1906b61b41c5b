-- 0002_web.sql: what the web application adds: case attributes
-- (classification, priority, TLP, assignee, the reporter's tracking code),
-- comments, full-text search, sessions, API tokens and login back-off.

-- Set from a step's form values (src/app/classify.c) or by assignment.
ALTER TABLE cases ADD COLUMN category TEXT;      -- ENISA class
ALTER TABLE cases ADD COLUMN incident_type TEXT; -- ENISA type within the class
ALTER TABLE cases ADD COLUMN priority TEXT;      -- Rendah, Sedang, Tinggi, Kritis
ALTER TABLE cases ADD COLUMN tlp TEXT;           -- TLP:CLEAR … TLP:RED
ALTER TABLE cases ADD COLUMN assignee TEXT;      -- a user name
-- SHA-256 of the tracking code given to a public reporter; the code itself
-- is shown once and never stored.
ALTER TABLE cases ADD COLUMN tracking_hash TEXT;
CREATE INDEX cases_by_step ON cases (procedure_id, step_no) WHERE status = 'open';
CREATE INDEX cases_by_assignee ON cases (assignee) WHERE assignee IS NOT NULL;
CREATE INDEX cases_by_created ON cases (created_at);

-- Internal notes on a case; never shown on the public status page.
CREATE TABLE comments (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	author TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX comments_by_case ON comments (case_id, id);

-- Full-text index of a case: ticket and title, the report's and every
-- step's form values, and the comments. rowid is cases.id. Kept by
-- triggers so no writer can forget it.
CREATE VIRTUAL TABLE case_search USING fts5(
	title, fields, comments, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO case_search (rowid, title, fields, comments)
	SELECT id, ticket || ' ' || title, fields, '' FROM cases;
UPDATE case_search SET fields = fields || ' ' ||
	COALESCE((SELECT group_concat(form_values, ' ') FROM step_runs r WHERE r.case_id = case_search.rowid), '');
CREATE TRIGGER case_search_insert AFTER INSERT ON cases BEGIN
	INSERT INTO case_search (rowid, title, fields, comments)
	VALUES (NEW.id, NEW.ticket || ' ' || NEW.title, NEW.fields, '');
END;
CREATE TRIGGER case_search_title AFTER UPDATE OF title ON cases BEGIN
	UPDATE case_search SET title = NEW.ticket || ' ' || NEW.title WHERE rowid = NEW.id;
END;
CREATE TRIGGER case_search_step AFTER INSERT ON step_runs BEGIN
	UPDATE case_search SET fields = fields || ' ' || NEW.form_values WHERE rowid = NEW.case_id;
END;
CREATE TRIGGER case_search_comment AFTER INSERT ON comments BEGIN
	UPDATE case_search SET comments = comments || ' ' || NEW.body WHERE rowid = NEW.case_id;
END;

-- Browser sessions. The id lives only in the user's cookie; the table
-- keeps its SHA-256, so a copy of the database opens no session.
CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	seen_at INTEGER NOT NULL,
	origin TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API bearer tokens, kept as SHA-256; the token is shown once.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at INTEGER
);

-- Failed logins per user name, for the back-off.
CREATE TABLE login_failures (
	name TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	last_at INTEGER NOT NULL,
	locked_until INTEGER NOT NULL
);

-- The case page lists a case's logbook entries.
CREATE INDEX logbook_by_object ON logbook (object, seq);

-- Cases per status, kept by triggers: the case list's total without a
-- filter is then one row, not a count over every case (cases are never
-- deleted).
CREATE TABLE case_counts (
	status TEXT PRIMARY KEY,
	n INTEGER NOT NULL
);
INSERT INTO case_counts (status, n) VALUES ('open', 0), ('closed', 0);
UPDATE case_counts SET n = (SELECT COUNT(*) FROM cases WHERE cases.status = case_counts.status);
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
	UPDATE case_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER case_counts_status AFTER UPDATE OF status ON cases
WHEN OLD.status <> NEW.status BEGIN
	UPDATE case_counts SET n = n - 1 WHERE status = OLD.status;
	UPDATE case_counts SET n = n + 1 WHERE status = NEW.status;
END;
