-- 0015_findings.sql: vulnerability findings from scanner reports, their
-- CVEs, the history of their states, and the imports that brought them
-- (src/app/findings_import.c, src/app/findings.c; docs/findings.md).
--
-- Instants are INTEGER seconds since the epoch; JSON is TEXT.

-- One import of one scanner report: the file is kept as evidence under
-- its SHA-256 (evidence_spool.c places it in the import's transaction),
-- with what the report said and what the import did.
CREATE TABLE vuln_imports (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL REFERENCES evidence(sha256),
	filename TEXT NOT NULL,
	size INTEGER NOT NULL,
	scanner TEXT NOT NULL,        -- openvas, nmap, nuclei, wpscan
	format TEXT NOT NULL DEFAULT '', -- openvas-xml, nmap-xml, nuclei-jsonl, …
	asset_id INTEGER REFERENCES assets(id), -- every result put on this asset (--asset)
	scan_started INTEGER,         -- as the report says; NULL: unknown
	scan_ended INTEGER,
	targets TEXT NOT NULL DEFAULT '[]', -- JSON: the targets the scan covered
	imported_by TEXT NOT NULL,
	imported_at INTEGER NOT NULL,
	origin TEXT NOT NULL,
	results INTEGER NOT NULL DEFAULT 0,   -- results the parser gave
	skipped INTEGER NOT NULL DEFAULT 0,   -- entries the parser did not give
	new_count INTEGER NOT NULL DEFAULT 0,
	seen_again INTEGER NOT NULL DEFAULT 0,
	reopened INTEGER NOT NULL DEFAULT 0,
	repeated INTEGER NOT NULL DEFAULT 0,  -- a finding given twice in this report
	gone INTEGER NOT NULL DEFAULT 0,      -- open findings of the targets no longer present
	unmatched INTEGER NOT NULL DEFAULT 0  -- results of hosts no asset has
);
CREATE INDEX vuln_imports_by_sha ON vuln_imports (sha256);

-- A finding: one per asset, vulnerability identity (the scanner's plugin
-- or template id, else a CVE) and endpoint (a port "443/tcp" or a URL;
-- '' when the result names neither). A finding of a host no asset has
-- is kept with asset_id NULL, keyed by that host, until an officer
-- attaches it (finding_attach).
CREATE TABLE findings (
	id INTEGER PRIMARY KEY,
	asset_id INTEGER REFERENCES assets(id),
	host TEXT NOT NULL,           -- the target as the scanner named it
	hostname TEXT,                -- a name beside an address
	vuln_key TEXT NOT NULL,       -- the identity
	endpoint TEXT NOT NULL,
	scanner TEXT NOT NULL,
	title TEXT NOT NULL,
	severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
	cvss3_score REAL,
	cvss3_vector TEXT,
	cvss4_score REAL,
	cvss4_vector TEXT,
	cwe TEXT,
	description TEXT,
	solution TEXT,
	refs TEXT NOT NULL DEFAULT '[]', -- JSON array of reference URLs
	evidence TEXT,                -- the scanner's own output
	component TEXT,
	component_version TEXT,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	times_seen INTEGER NOT NULL DEFAULT 1,
	first_import INTEGER NOT NULL REFERENCES vuln_imports(id),
	last_import INTEGER NOT NULL REFERENCES vuln_imports(id),
	state TEXT NOT NULL DEFAULT 'baru' CHECK (state IN ('baru', 'terverifikasi',
		'positif_palsu', 'risiko_diterima', 'dalam_perbaikan', 'diperbaiki',
		'dibuka_kembali')),
	state_reason TEXT,
	state_by TEXT,
	state_at INTEGER,
	accepted_until INTEGER,       -- risiko_diterima: the acceptance's expiry
	approved_by TEXT,             -- risiko_diterima: who approved it
	sla_start INTEGER NOT NULL,   -- when the due clock started (first seen, reopened)
	due_at INTEGER,               -- NULL: no due date (info)
	fixed_at INTEGER              -- when it became diperbaiki
);
CREATE UNIQUE INDEX findings_key ON findings (asset_id, vuln_key, endpoint)
	WHERE asset_id IS NOT NULL;
CREATE UNIQUE INDEX findings_unmatched_key ON findings (host, vuln_key, endpoint)
	WHERE asset_id IS NULL;
CREATE INDEX findings_by_host ON findings (host, scanner);
CREATE INDEX findings_by_state ON findings (state, due_at);
CREATE INDEX findings_by_severity ON findings (severity, last_seen);
CREATE INDEX findings_by_last ON findings (last_seen);
CREATE INDEX findings_by_import ON findings (last_import);

-- The CVEs of a finding, so a finding is found by CVE (and KEV and EPSS
-- joined on them).
CREATE TABLE finding_cves (
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	cve TEXT NOT NULL,
	PRIMARY KEY (finding_id, cve)
);
CREATE INDEX finding_cves_by_cve ON finding_cves (cve);

-- Every change of a finding's state: found (from NULL), reopened and no
-- longer present by an import, decisions by hand, attaching to an asset.
CREATE TABLE finding_history (
	id INTEGER PRIMARY KEY,
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT NOT NULL,
	reason TEXT,
	import_id INTEGER REFERENCES vuln_imports(id)
);
CREATE INDEX finding_history_by_finding ON finding_history (finding_id, id);
