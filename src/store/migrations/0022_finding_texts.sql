-- 0022_finding_texts.sql: a vulnerability's text stored once, not once a
-- finding.
--
-- A scanner states the same description, solution, references, CWE and
-- CVSS vectors for a vulnerability on every host it finds it on (a
-- Greenbone NVT's tags; a Nuclei template's info): a report of 100,000
-- results names a few hundred vulnerabilities. Kept on each finding, the
-- text was two thirds of the findings table and of what an import writes
-- (bench/vuln.sh). Now each distinct text is one row of finding_texts,
-- found by the SHA-256 of its fields (findings_import.c), and a finding
-- points at the text its latest report gave. What belongs to the finding
-- itself stays on it: title (listed and searched), scores (sorted),
-- host name, the scanner's own output (evidence), component and version.
--
-- The texts of findings stored before are grouped here by their fields;
-- their digest is not a SHA-256 ('0022:' and the oldest finding's id),
-- so the first import that gives the same text again stores it anew and
-- the findings it sees move to it. The rows left behind are a few
-- hundred at most, as many as the distinct texts there were. On a store
-- of 300,000 findings this migration took 9.4 s; the space the copies
-- took stays in the file as free pages, used again by later writes (a
-- VACUUM with sigap stopped gives it back to the disk).
CREATE TABLE finding_texts (
	id INTEGER PRIMARY KEY,
	digest TEXT NOT NULL UNIQUE,
	cvss3_vector TEXT,
	cvss4_vector TEXT,
	cwe TEXT,
	description TEXT,
	solution TEXT,
	refs TEXT NOT NULL DEFAULT '[]' -- JSON array of reference URLs
);
CREATE TEMP TABLE text_of (finding_id INTEGER PRIMARY KEY, first_id INTEGER NOT NULL);
INSERT INTO text_of (finding_id, first_id)
	SELECT id, MIN(id) OVER (PARTITION BY cvss3_vector, cvss4_vector, cwe, description,
		solution, refs) FROM findings;
INSERT INTO finding_texts (digest, cvss3_vector, cvss4_vector, cwe, description, solution, refs)
	SELECT '0022:' || id, cvss3_vector, cvss4_vector, cwe, description, solution, refs
	FROM findings WHERE id IN (SELECT first_id FROM text_of);
ALTER TABLE findings ADD COLUMN text_id INTEGER REFERENCES finding_texts(id);
UPDATE findings SET text_id = t.id FROM text_of m JOIN finding_texts t
	ON t.digest = '0022:' || m.first_id WHERE m.finding_id = findings.id;
DROP TABLE text_of;
ALTER TABLE findings DROP COLUMN cvss3_vector;
ALTER TABLE findings DROP COLUMN cvss4_vector;
ALTER TABLE findings DROP COLUMN cwe;
ALTER TABLE findings DROP COLUMN description;
ALTER TABLE findings DROP COLUMN solution;
ALTER TABLE findings DROP COLUMN refs;
