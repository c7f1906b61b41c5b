-- 0009_case_links.sql: cases linked to cases (a hand-over from one SOP to
-- another), and alerts linked to cases as rows instead of one column.

-- A branch with `start:` opens a case of another procedure: the link is
-- one row, read from both ends (the source lists it as "handed over to",
-- the new case as "handed over from").
CREATE TABLE case_links (
	id INTEGER PRIMARY KEY,
	from_case INTEGER NOT NULL REFERENCES cases(id),
	to_case INTEGER NOT NULL REFERENCES cases(id),
	kind TEXT NOT NULL,           -- handover
	step_no INTEGER,              -- the source's step and the branch taken
	decision TEXT,
	note TEXT NOT NULL DEFAULT '', -- what the new case was told of the source
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	UNIQUE (from_case, to_case, kind)
);
CREATE INDEX case_links_to ON case_links (to_case);

-- An alert may belong to several cases: the CTI case that triaged it and
-- the incident case it was handed over to. alerts.case_id held one; its
-- links move here and the column goes.
CREATE TABLE alert_cases (
	alert_id INTEGER NOT NULL REFERENCES alerts(id),
	case_id INTEGER NOT NULL REFERENCES cases(id),
	linked_at INTEGER NOT NULL,
	linked_by TEXT NOT NULL,
	PRIMARY KEY (alert_id, case_id)
);
CREATE INDEX alert_cases_by_case ON alert_cases (case_id);
INSERT INTO alert_cases (alert_id, case_id, linked_at, linked_by)
	SELECT a.id, a.case_id, c.created_at, c.created_by
	FROM alerts a JOIN cases c ON c.id = a.case_id;
DROP INDEX alerts_by_case;
ALTER TABLE alerts DROP COLUMN case_id;
