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


-- Open and closed cases per procedure and TLP class, for the totals of an
-- unfiltered case list seen by staff: the need-to-know condition would
-- otherwise count every row (22 ms at 100,000 cases, a case list of
-- 37 pages a second). tlp_class: 'red', 'strict' (AMBER+STRICT), 'other'.
CREATE TABLE case_counts_by (
	procedure_id TEXT NOT NULL,
	status TEXT NOT NULL,
	tlp_class TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (procedure_id, status, tlp_class)
) WITHOUT ROWID;
INSERT INTO case_counts_by (procedure_id, status, tlp_class, n)
	SELECT procedure_id, status,
	       CASE tlp WHEN 'TLP:RED' THEN 'red' WHEN 'TLP:AMBER+STRICT' THEN 'strict' ELSE 'other' END,
	       COUNT(*)
	FROM cases GROUP BY 1, 2, 3;
CREATE TRIGGER case_counts_by_insert AFTER INSERT ON cases BEGIN
	INSERT INTO case_counts_by (procedure_id, status, tlp_class, n)
	VALUES (NEW.procedure_id, NEW.status,
		CASE NEW.tlp WHEN 'TLP:RED' THEN 'red' WHEN 'TLP:AMBER+STRICT' THEN 'strict' ELSE 'other' END, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_by_update AFTER UPDATE OF status, tlp, procedure_id ON cases
WHEN OLD.status IS NOT NEW.status OR OLD.tlp IS NOT NEW.tlp OR OLD.procedure_id IS NOT NEW.procedure_id BEGIN
	UPDATE case_counts_by SET n = n - 1
	WHERE procedure_id = OLD.procedure_id AND status = OLD.status AND tlp_class =
		CASE OLD.tlp WHEN 'TLP:RED' THEN 'red' WHEN 'TLP:AMBER+STRICT' THEN 'strict' ELSE 'other' END;
	INSERT INTO case_counts_by (procedure_id, status, tlp_class, n)
	VALUES (NEW.procedure_id, NEW.status,
		CASE NEW.tlp WHEN 'TLP:RED' THEN 'red' WHEN 'TLP:AMBER+STRICT' THEN 'strict' ELSE 'other' END, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
