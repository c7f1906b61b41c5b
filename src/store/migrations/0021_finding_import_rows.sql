-- 0021_finding_import_rows.sql: fewer rows and trees written a finding a
-- scanner import makes (bench/vuln.sh; docs/performance.md).
--
-- 1. A CVE given to a finding is weighed against KEV and EPSS by its
-- writer, not by a trigger. 0020's INSERT trigger on finding_cves made
-- SQLite keep a statement journal for every CVE row an import wrote (see
-- 0019): a tenth of the import's cost, though a store without a KEV
-- catalog or EPSS scores never ran its body. The two writers of
-- finding_cves raise the finding's kev and epss_band themselves when a
-- CVE they add is in the catalog or scored: the import
-- (findings_import.c, one lookup of the CVE when the store holds
-- intelligence at all) and the merge of an unmatched finding into an
-- asset's (findings.c: the merged finding's own kev and band). The
-- DELETE trigger and the catalog's and scores' triggers stay: they move
-- many findings at once, or one row.
DROP TRIGGER finding_cves_intel_insert;

-- 2. finding_cves without a rowid: its key is its row, one tree instead
-- of a table and an index of the same two columns. The implicit DELETE
-- of DROP TABLE fires no trigger; the triggers of other tables that read
-- finding_cves by name read the new table.
CREATE TABLE finding_cves_new (
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	cve TEXT NOT NULL,
	PRIMARY KEY (finding_id, cve)
) WITHOUT ROWID;
INSERT INTO finding_cves_new (finding_id, cve) SELECT finding_id, cve FROM finding_cves;
DROP TABLE finding_cves;
PRAGMA legacy_alter_table = ON;
ALTER TABLE finding_cves_new RENAME TO finding_cves;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX finding_cves_by_cve ON finding_cves (cve);
CREATE TRIGGER finding_cves_intel_delete AFTER DELETE ON finding_cves BEGIN
	UPDATE findings SET kev = EXISTS (SELECT 1 FROM finding_cves c JOIN vuln_kev k
			ON k.cve_id = c.cve WHERE c.finding_id = OLD.finding_id),
		epss_band = COALESCE((SELECT MAX((x.epss >= 0.01) + (x.epss >= 0.1) +
			(x.epss >= 0.5) + (x.epss >= 0.9)) FROM finding_cves c JOIN vuln_epss x
			ON x.cve_id = c.cve WHERE c.finding_id = OLD.finding_id), 0)
	WHERE id = OLD.finding_id AND (kev <> 0 OR epss_band <> 0);
END;

-- 3. The "no longer present" pass of an import asks for a target's
-- findings of a scanner that an earlier import saw last: with the last
-- import in the index, it reads those alone, not every finding of the
-- target (none at all on a first import). findings_by_import served no
-- query.
DROP INDEX findings_by_host;
DROP INDEX findings_by_import;
CREATE INDEX findings_by_host ON findings (host, scanner, last_import);
