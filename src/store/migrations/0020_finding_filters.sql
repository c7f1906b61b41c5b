-- 0020_finding_filters.sql: every filter of the findings list at a
-- million findings (bench/findings.sh; docs/performance.md): the OPD, an
-- agen_siber's own OPD, KEV, an EPSS threshold and the overdue, each a
-- total read from a few hundred kept rows and a page from a walk of an
-- order index, as 0018_finding_list.sql made them for the whole list.

-- What CISA's KEV and FIRST's EPSS say of a finding's CVEs, on the
-- finding, so the list tests it on its order index's entry instead of
-- joining the CVEs of each finding: kev 1 when a CVE of it is in the
-- catalog; epss_band the band of its highest EPSS score, 0 below 1 %,
-- 1 from 1 %, 2 from 10 %, 3 from 50 %, 4 from 90 % (the thresholds
-- /kerentanan offers; another threshold is tested exactly on the CVEs
-- of the findings of its band). Kept by triggers: a CVE given to a
-- finding (the import, an attach's merge), a catalog entry added or
-- removed, an EPSS score given or moved to another band. A daily EPSS
-- file moves most scores a little and few across a band, so it rewrites
-- few findings.
ALTER TABLE findings ADD COLUMN kev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN epss_band INTEGER NOT NULL DEFAULT 0;
UPDATE findings SET kev = 1
	WHERE id IN (SELECT c.finding_id FROM vuln_kev k JOIN finding_cves c ON c.cve = k.cve_id);
UPDATE findings SET epss_band = (SELECT MAX((x.epss >= 0.01) + (x.epss >= 0.1) +
	(x.epss >= 0.5) + (x.epss >= 0.9)) FROM finding_cves c JOIN vuln_epss x ON x.cve_id = c.cve
	WHERE c.finding_id = findings.id)
	WHERE id IN (SELECT c.finding_id FROM vuln_epss x JOIN finding_cves c ON c.cve = x.cve_id
	WHERE x.epss >= 0.01);
CREATE TRIGGER finding_cves_intel_insert AFTER INSERT ON finding_cves
WHEN EXISTS (SELECT 1 FROM vuln_kev WHERE cve_id = NEW.cve)
	OR EXISTS (SELECT 1 FROM vuln_epss WHERE cve_id = NEW.cve AND epss >= 0.01)
BEGIN
	UPDATE findings SET kev = MAX(kev, EXISTS (SELECT 1 FROM vuln_kev WHERE cve_id = NEW.cve)),
		epss_band = MAX(epss_band, COALESCE((SELECT (epss >= 0.01) + (epss >= 0.1) +
			(epss >= 0.5) + (epss >= 0.9) FROM vuln_epss WHERE cve_id = NEW.cve), 0))
	WHERE id = NEW.finding_id;
END;
CREATE TRIGGER finding_cves_intel_delete AFTER DELETE ON finding_cves BEGIN
	UPDATE findings SET kev = EXISTS (SELECT 1 FROM finding_cves c JOIN vuln_kev k
			ON k.cve_id = c.cve WHERE c.finding_id = OLD.finding_id),
		epss_band = COALESCE((SELECT MAX((x.epss >= 0.01) + (x.epss >= 0.1) +
			(x.epss >= 0.5) + (x.epss >= 0.9)) FROM finding_cves c JOIN vuln_epss x
			ON x.cve_id = c.cve WHERE c.finding_id = OLD.finding_id), 0)
	WHERE id = OLD.finding_id AND (kev <> 0 OR epss_band <> 0);
END;
CREATE TRIGGER vuln_kev_findings_insert AFTER INSERT ON vuln_kev BEGIN
	UPDATE findings SET kev = 1
	WHERE kev = 0 AND id IN (SELECT finding_id FROM finding_cves WHERE cve = NEW.cve_id);
END;
CREATE TRIGGER vuln_kev_findings_delete AFTER DELETE ON vuln_kev BEGIN
	UPDATE findings SET kev = EXISTS (SELECT 1 FROM finding_cves c JOIN vuln_kev k
		ON k.cve_id = c.cve WHERE c.finding_id = findings.id)
	WHERE id IN (SELECT finding_id FROM finding_cves WHERE cve = OLD.cve_id);
END;
CREATE TRIGGER vuln_epss_findings_insert AFTER INSERT ON vuln_epss
WHEN NEW.epss >= 0.01
BEGIN
	UPDATE findings SET epss_band = (NEW.epss >= 0.01) + (NEW.epss >= 0.1) +
		(NEW.epss >= 0.5) + (NEW.epss >= 0.9)
	WHERE epss_band < (NEW.epss >= 0.01) + (NEW.epss >= 0.1) + (NEW.epss >= 0.5) +
		(NEW.epss >= 0.9)
	AND id IN (SELECT finding_id FROM finding_cves WHERE cve = NEW.cve_id);
END;
CREATE TRIGGER vuln_epss_findings_update AFTER UPDATE OF epss ON vuln_epss
WHEN (OLD.epss >= 0.01) + (OLD.epss >= 0.1) + (OLD.epss >= 0.5) + (OLD.epss >= 0.9) <>
	(NEW.epss >= 0.01) + (NEW.epss >= 0.1) + (NEW.epss >= 0.5) + (NEW.epss >= 0.9)
BEGIN
	UPDATE findings SET epss_band = COALESCE((SELECT MAX((x.epss >= 0.01) + (x.epss >= 0.1) +
		(x.epss >= 0.5) + (x.epss >= 0.9)) FROM finding_cves c JOIN vuln_epss x
		ON x.cve_id = c.cve WHERE c.finding_id = findings.id), 0)
	WHERE id IN (SELECT finding_id FROM finding_cves WHERE cve = NEW.cve_id);
END;
CREATE TRIGGER vuln_epss_findings_delete AFTER DELETE ON vuln_epss
WHEN OLD.epss >= 0.01
BEGIN
	UPDATE findings SET epss_band = COALESCE((SELECT MAX((x.epss >= 0.01) + (x.epss >= 0.1) +
		(x.epss >= 0.5) + (x.epss >= 0.9)) FROM finding_cves c JOIN vuln_epss x
		ON x.cve_id = c.cve WHERE c.finding_id = findings.id), 0)
	WHERE id IN (SELECT finding_id FROM finding_cves WHERE cve = OLD.cve_id);
END;

-- Findings per OPD (0: no asset), severity, state, KEV and EPSS band:
-- the total of the list filtered by OPD (an agen_siber's included),
-- severity, state, KEV and EPSS band reads an OPD's rows (a few dozen) or
-- every row (a few hundred) instead of summing the counts of every asset
-- of the OPD. The OPD is the finding's own (findings.opd_id, which
-- follows its asset), so an asset moved to another OPD moves its
-- findings' counts through their opd_id.
--
-- The open findings with a due date per day due (due_at / 86400) and
-- severity: the overdue total is the days before today summed (some
-- 500 days by 4 severities) and today's passed part counted on
-- findings_by_state: time passing moves nothing here.
--
-- As finding_counts and finding_totals since 0019, a new finding is
-- counted by the import at its end (findings_import.c), not by an INSERT
-- trigger; UPDATE and DELETE triggers keep the rest. A decrement is an
-- upsert (n - 1 from a row not yet there), so a finding the import made
-- and changed before its end (a KEV CVE, a due date brought forward)
-- comes out right once the import adds it.
CREATE TABLE finding_opd_counts (
	opd_id INTEGER NOT NULL,
	severity TEXT NOT NULL,
	state TEXT NOT NULL,
	kev INTEGER NOT NULL,
	epss_band INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (opd_id, severity, state, kev, epss_band)
) WITHOUT ROWID;
INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n)
	SELECT COALESCE(opd_id, 0), severity, state, kev, epss_band, COUNT(*) FROM findings
	GROUP BY 1, 2, 3, 4, 5;
CREATE TABLE finding_due_days (
	day INTEGER NOT NULL,
	severity TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (day, severity)
) WITHOUT ROWID;
INSERT INTO finding_due_days (day, severity, n)
	SELECT due_at / 86400, severity, COUNT(*) FROM findings
	WHERE due_at IS NOT NULL AND state IN ('baru', 'terverifikasi', 'dalam_perbaikan',
	'dibuka_kembali') GROUP BY 1, 2;
CREATE TRIGGER finding_filter_counts_update
AFTER UPDATE OF opd_id, severity, state, kev, epss_band, due_at ON findings
WHEN OLD.opd_id IS NOT NEW.opd_id OR OLD.severity <> NEW.severity OR OLD.state <> NEW.state
	OR OLD.kev <> NEW.kev OR OLD.epss_band <> NEW.epss_band OR OLD.due_at IS NOT NEW.due_at
BEGIN
	INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n)
	VALUES (COALESCE(OLD.opd_id, 0), OLD.severity, OLD.state, OLD.kev, OLD.epss_band, -1)
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n)
	VALUES (COALESCE(NEW.opd_id, 0), NEW.severity, NEW.state, NEW.kev, NEW.epss_band, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO finding_due_days (day, severity, n)
	SELECT OLD.due_at / 86400, OLD.severity, -1
	WHERE OLD.due_at IS NOT NULL AND OLD.state IN ('baru', 'terverifikasi',
		'dalam_perbaikan', 'dibuka_kembali')
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO finding_due_days (day, severity, n)
	SELECT NEW.due_at / 86400, NEW.severity, 1
	WHERE NEW.due_at IS NOT NULL AND NEW.state IN ('baru', 'terverifikasi',
		'dalam_perbaikan', 'dibuka_kembali')
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER finding_filter_counts_delete AFTER DELETE ON findings BEGIN
	INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n)
	VALUES (COALESCE(OLD.opd_id, 0), OLD.severity, OLD.state, OLD.kev, OLD.epss_band, -1)
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO finding_due_days (day, severity, n)
	SELECT OLD.due_at / 86400, OLD.severity, -1
	WHERE OLD.due_at IS NOT NULL AND OLD.state IN ('baru', 'terverifikasi',
		'dalam_perbaikan', 'dibuka_kembali')
	ON CONFLICT DO UPDATE SET n = n - 1;
END;

-- The indexes the filters walk, so a page is the first rows of an index
-- in the list's order (the default: soonest due first, no due date
-- last, then the most severe) whatever the filter:
--   KEV, EPSS: the default order's index (0018) with kev and epss_band
--     closing each entry, tested there without reading the finding.
--   a state: findings_by_state led by the state, then the order; its
--     severity closes the entry so the overdue total's today counts by
--     severity from it (its state and due date lead as before: the
--     overdue are a range of it, asked with (due_at IS NULL) = 0).
--   an asset: findings_by_asset_order, led by the asset. It takes the
--     place of findings_by_severity (severity, last_seen), which no
--     query reads (the severity filter and order read the rank), so an
--     import writes as many index entries as before.
--   one severity: findings_by_severity_order (0018) led by its rank;
--     findings.c leaves the rank out of the ORDER BY then.
DROP INDEX findings_by_due_order;
CREATE INDEX findings_by_due_order ON findings ((due_at IS NULL), due_at,
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, id, state, asset_id, kev, epss_band);
DROP INDEX findings_by_state;
CREATE INDEX findings_by_state ON findings (state, (due_at IS NULL), due_at,
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, id, severity);
DROP INDEX findings_by_severity;
CREATE INDEX findings_by_asset_order ON findings (asset_id, (due_at IS NULL), due_at,
	(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
	 WHEN 'low' THEN 1 ELSE 0 END) DESC, id) WHERE asset_id IS NOT NULL;
