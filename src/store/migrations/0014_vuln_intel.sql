-- 0014_vuln_intel.sql: vulnerability intelligence imported from files:
-- CVE records (CVE JSON 5), CISA's Known Exploited Vulnerabilities and
-- FIRST's EPSS scores, and a log of every file imported.
--
-- Each table is keyed by the CVE id ("CVE-2021-44228"), so importing a
-- newer file updates rows in place; what changed is what the findings
-- (their priority and KEV due date) are computed again from. A row's
-- import_id is the import that last added or changed it (an EPSS score
-- only confirmed by a later day's file keeps its import_id), so the CVEs
-- an import changed are those WHERE import_id = it. Instants
-- are seconds since the epoch; the calendar dates of KEV and EPSS stay
-- the YYYY-MM-DD their publishers write (a KEV due date is a day, not an
-- instant).

-- One file (or cvelistV5 tree) imported: its SHA-256 (a tree's: of its
-- record files' paths and contents in name order), what it held and who
-- imported it when.
CREATE TABLE vuln_intel_imports (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,            -- cve kev epss
	path TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	version TEXT,                  -- KEV catalogVersion; EPSS model_version
	published TEXT,                -- KEV dateReleased; EPSS score_date
	files INTEGER NOT NULL,
	records INTEGER NOT NULL,      -- read
	added INTEGER NOT NULL,        -- new rows
	changed INTEGER NOT NULL,
	unchanged INTEGER NOT NULL,
	refused INTEGER NOT NULL,
	details TEXT NOT NULL,         -- JSON: the summary and the refusals shown
	actor TEXT NOT NULL,
	imported_at INTEGER NOT NULL
);
CREATE INDEX vuln_intel_imports_by_kind ON vuln_intel_imports (kind, imported_at);

-- A CVE record as the CVE Program publishes it. cvssNN_* is each CVSS
-- version's base score, vector and severity, from the CNA or else an ADP
-- (cvssNN_source: "cna" or the ADP's short name, "CISA-ADP"). cwes,
-- refs and affected are JSON arrays. digest is the SHA-256 of what is
-- kept, to tell a changed record from the same one imported again. A
-- record older (date_updated) than the stored one does not replace it.
CREATE TABLE vuln_cves (
	cve_id TEXT PRIMARY KEY,
	state TEXT NOT NULL,           -- PUBLISHED REJECTED
	assigner TEXT,
	date_reserved INTEGER,
	date_published INTEGER,
	date_updated INTEGER,
	title TEXT,
	description TEXT,
	cwes TEXT NOT NULL,            -- ["CWE-917"]
	refs TEXT NOT NULL,            -- ["https://…"]
	affected TEXT NOT NULL,        -- [{"vendor","product"}]
	cvss40_score REAL, cvss40_vector TEXT, cvss40_severity TEXT, cvss40_source TEXT,
	cvss31_score REAL, cvss31_vector TEXT, cvss31_severity TEXT, cvss31_source TEXT,
	cvss30_score REAL, cvss30_vector TEXT, cvss30_severity TEXT, cvss30_source TEXT,
	cvss20_score REAL, cvss20_vector TEXT, cvss20_severity TEXT, cvss20_source TEXT,
	digest TEXT NOT NULL,
	import_id INTEGER NOT NULL REFERENCES vuln_intel_imports (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- An entry of CISA's KEV catalog. cwes is "CWE-79,CWE-116".
CREATE TABLE vuln_kev (
	cve_id TEXT PRIMARY KEY,
	vendor TEXT NOT NULL,
	product TEXT NOT NULL,
	name TEXT NOT NULL,
	date_added TEXT NOT NULL,      -- YYYY-MM-DD
	due_date TEXT NOT NULL,        -- YYYY-MM-DD
	ransomware TEXT NOT NULL,      -- Known Unknown
	description TEXT NOT NULL,
	required_action TEXT NOT NULL,
	notes TEXT NOT NULL,
	cwes TEXT NOT NULL,
	import_id INTEGER NOT NULL REFERENCES vuln_intel_imports (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX vuln_kev_by_due ON vuln_kev (due_date);

-- The newest EPSS score of a CVE, with the model and the day of the file
-- it came from; a file of an earlier day does not replace it.
CREATE TABLE vuln_epss (
	cve_id TEXT PRIMARY KEY,
	epss REAL NOT NULL,            -- 0..1: probability of exploitation in 30 days
	percentile REAL NOT NULL,      -- 0..1
	model_version TEXT NOT NULL,
	score_date TEXT NOT NULL,      -- YYYY-MM-DD
	import_id INTEGER NOT NULL REFERENCES vuln_intel_imports (id),
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX vuln_epss_by_score ON vuln_epss (epss);
