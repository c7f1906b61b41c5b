-- 0011_link_material.sql: what a single-case link hands its outside actor.
--
-- The step's Kelengkapan names what the actor works from (the police:
-- the reporter's data and report, the evidence). The officer issuing a
-- link chooses it: the case's report (its case fields) and which evidence
-- files. The link page shows those and nothing else of the case, and
-- serves only those files, while the link works.
ALTER TABLE step_links ADD COLUMN share_report INTEGER NOT NULL DEFAULT 0;
CREATE TABLE step_link_evidence (
	link_id INTEGER NOT NULL REFERENCES step_links(id),
	sha256 TEXT NOT NULL,
	PRIMARY KEY (link_id, sha256)
) WITHOUT ROWID;
