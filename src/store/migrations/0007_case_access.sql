-- 0007_case_access.sql: the people named on a case, for the need-to-know
-- rule (src/app/case_access.c): who opened it, who was assigned it, who
-- completed one of its steps. Kept by triggers, so every path that writes
-- a case (web, API, command line, hand-overs) names its people without
-- remembering to. Only names of accounts are kept: "publik" (the public
-- form) and "cli:…" (the machine's owner) are nobody's login.
CREATE TABLE case_participants (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	user_name TEXT NOT NULL,
	PRIMARY KEY (case_id, user_name)
) WITHOUT ROWID;
CREATE INDEX case_participants_by_user ON case_participants (user_name, case_id);

INSERT OR IGNORE INTO case_participants (case_id, user_name)
	SELECT c.id, c.created_by FROM cases c JOIN users u ON u.name = c.created_by;
INSERT OR IGNORE INTO case_participants (case_id, user_name)
	SELECT c.id, c.assignee FROM cases c JOIN users u ON u.name = c.assignee;
INSERT OR IGNORE INTO case_participants (case_id, user_name)
	SELECT r.case_id, r.actor FROM step_runs r JOIN users u ON u.name = r.actor;

CREATE TRIGGER case_participants_creator AFTER INSERT ON cases
WHEN EXISTS (SELECT 1 FROM users WHERE name = NEW.created_by) BEGIN
	INSERT OR IGNORE INTO case_participants (case_id, user_name) VALUES (NEW.id, NEW.created_by);
END;
CREATE TRIGGER case_participants_assignee AFTER UPDATE OF assignee ON cases
WHEN NEW.assignee IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE name = NEW.assignee) BEGIN
	INSERT OR IGNORE INTO case_participants (case_id, user_name) VALUES (NEW.id, NEW.assignee);
END;
CREATE TRIGGER case_participants_actor AFTER INSERT ON step_runs
WHEN EXISTS (SELECT 1 FROM users WHERE name = NEW.actor) BEGIN
	INSERT OR IGNORE INTO case_participants (case_id, user_name) VALUES (NEW.case_id, NEW.actor);
END;

