-- 0018_finding_list.sql: what the findings list needs at a million
-- findings (bench/findings.sh; docs/performance.md).
--
-- Findings per asset, severity and state, kept by triggers: the total of
-- the list unfiltered, or filtered by OPD, asset, severity and state (and
-- an agen_siber's own OPD), and the dashboard's open counts per OPD, read
-- a few thousand rows at most instead of counting findings (a million:
-- a third of a second a count). A finding without an asset counts under
-- asset 0; the OPD is read through the asset when counting, so an asset
-- moved to another OPD moves its counts with it. finding_totals sums
-- them per severity and state for the lists of every OPD (some 35 rows
-- to read instead of some 12,000).
CREATE TABLE finding_totals (
	severity TEXT NOT NULL,
	state TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (severity, state)
) WITHOUT ROWID;
CREATE TABLE finding_counts (
	asset_id INTEGER NOT NULL,
	severity TEXT NOT NULL,
	state TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (asset_id, severity, state)
) WITHOUT ROWID;
INSERT INTO finding_counts (asset_id, severity, state, n)
	SELECT COALESCE(asset_id, 0), severity, state, COUNT(*) FROM findings GROUP BY 1, 2, 3;
INSERT INTO finding_totals (severity, state, n)
	SELECT severity, state, SUM(n) FROM finding_counts GROUP BY 1, 2;
CREATE TRIGGER finding_counts_insert AFTER INSERT ON findings BEGIN
	INSERT INTO finding_counts (asset_id, severity, state, n)
	VALUES (COALESCE(NEW.asset_id, 0), NEW.severity, NEW.state, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO finding_totals (severity, state, n) VALUES (NEW.severity, NEW.state, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER finding_counts_update AFTER UPDATE OF asset_id, severity, state ON findings
WHEN COALESCE(OLD.asset_id, 0) <> COALESCE(NEW.asset_id, 0) OR OLD.severity <> NEW.severity
	OR OLD.state <> NEW.state
BEGIN
	UPDATE finding_counts SET n = n - 1
	WHERE asset_id = COALESCE(OLD.asset_id, 0) AND severity = OLD.severity AND state = OLD.state;
	INSERT INTO finding_counts (asset_id, severity, state, n)
	VALUES (COALESCE(NEW.asset_id, 0), NEW.severity, NEW.state, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
	UPDATE finding_totals SET n = n - 1 WHERE severity = OLD.severity AND state = OLD.state;
	INSERT INTO finding_totals (severity, state, n) VALUES (NEW.severity, NEW.state, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER finding_counts_delete AFTER DELETE ON findings BEGIN
	UPDATE finding_counts SET n = n - 1
	WHERE asset_id = COALESCE(OLD.asset_id, 0) AND severity = OLD.severity AND state = OLD.state;
	UPDATE finding_totals SET n = n - 1 WHERE severity = OLD.severity AND state = OLD.state;
END;

-- The list's orders as indexes, so a page is the first rows of an index
-- walk instead of a sort of every match: the default (soonest due first,
-- no due date last, then the most severe) and by severity (the most
-- severe first, then the soonest due). The expressions are the very ones
-- of findings.c's ORDER BY (SQLite uses an expression index only for the
-- same expression). State and asset close each entry, so the walk tests
-- the state and the OPD (through the asset) without reading the finding;
-- only the page's 50 rows are read. first_seen has the index last_seen
-- has.
CREATE INDEX findings_by_due_order ON findings ((due_at IS NULL), due_at,
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, id, state, asset_id);
CREATE INDEX findings_by_severity_order ON findings (
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, (due_at IS NULL), due_at, id, state, asset_id);
CREATE INDEX findings_by_first ON findings (first_seen);

-- The dashboard's mean time to remediate reads the findings fixed in its
-- window (dashboard_vuln.c).
CREATE INDEX findings_by_fixed ON findings (fixed_at) WHERE fixed_at IS NOT NULL;


-- The OPD of a finding's asset on the finding itself, so an OPD's list
-- (an agen_siber's, or the OPD filter) is a walk of an index led by the
-- OPD instead of a walk of every finding testing each one's asset. Kept
-- by triggers: a finding written with an asset (the import writes it
-- right, so nothing more is written then), its asset changed (attached),
-- or its asset moved to another OPD. NULL: no asset.
ALTER TABLE findings ADD COLUMN opd_id INTEGER REFERENCES opd(id);
UPDATE findings SET opd_id = (SELECT opd_id FROM assets WHERE id = findings.asset_id)
	WHERE asset_id IS NOT NULL;
CREATE TRIGGER findings_opd_insert AFTER INSERT ON findings
WHEN NEW.opd_id IS NOT (SELECT opd_id FROM assets WHERE id = NEW.asset_id)
BEGIN
	UPDATE findings SET opd_id = (SELECT opd_id FROM assets WHERE id = NEW.asset_id)
	WHERE id = NEW.id;
END;
CREATE TRIGGER findings_opd_asset AFTER UPDATE OF asset_id ON findings
WHEN NEW.opd_id IS NOT (SELECT opd_id FROM assets WHERE id = NEW.asset_id)
BEGIN
	UPDATE findings SET opd_id = (SELECT opd_id FROM assets WHERE id = NEW.asset_id)
	WHERE id = NEW.id;
END;
CREATE TRIGGER assets_opd_findings AFTER UPDATE OF opd_id ON assets
WHEN OLD.opd_id <> NEW.opd_id
BEGIN
	UPDATE findings SET opd_id = NEW.opd_id WHERE asset_id = NEW.id;
END;
CREATE INDEX findings_by_opd_due_order ON findings (opd_id, (due_at IS NULL), due_at,
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, id, state) WHERE opd_id IS NOT NULL;
CREATE INDEX findings_by_opd_severity_order ON findings (opd_id,
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, (due_at IS NULL), due_at, id, state)
	WHERE opd_id IS NOT NULL;
