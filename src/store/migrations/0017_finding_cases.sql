-- 0017_finding_cases.sql: findings linked to the cases that act on them,
-- and values a step's form is offered before its actor completes it
-- (src/app/finding_cases.c; docs/findings.md).

-- A finding linked to a case: the patch case started from it (kind
-- 'patch', SOP patch), the vulnerability assessment of a CTI case that
-- chose it (kind 'assessment', SOP cti step 5), or the case a hand-over
-- opened from one of those (kind 'handover', case_handover.c).
CREATE TABLE finding_cases (
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	kind TEXT NOT NULL CHECK (kind IN ('patch', 'assessment', 'handover')),
	linked_at INTEGER NOT NULL,
	linked_by TEXT NOT NULL,
	PRIMARY KEY (finding_id, case_id)
);
CREATE INDEX finding_cases_by_case ON finding_cases (case_id);

-- What sigap knows for a step before a person does it: the first step of
-- a patch case filled from its findings, the verification of its
-- implementation step from a rescan in which they are gone. The step's
-- form shows these values; its actor still completes it (and decides).
-- One row per case and step: a later draft replaces an earlier one.
CREATE TABLE step_drafts (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	step_no INTEGER NOT NULL,
	form_values TEXT NOT NULL,    -- JSON object: field name → text
	source TEXT NOT NULL,         -- "findings", "vuln_import:ID"
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	PRIMARY KEY (case_id, step_no)
);
