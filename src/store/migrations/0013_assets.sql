-- 0013_assets.sql: the Perangkat Daerah (OPD) the CSIRT serves and the
-- register of their sistem elektronik (assets), with the identifiers
-- alerts, findings and cases are matched by (asset_find, src/app/assets.c).
--
-- Instants are INTEGER seconds since the epoch. An asset is never deleted:
-- findings, alerts, cases and the logbook name it, so it is retired
-- (retired_at) and then matches nothing.

CREATE TABLE opd (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,     -- "Dinas Kesehatan"
	abbrev TEXT NOT NULL UNIQUE,   -- singkatan, upper case: "DINKES"
	head TEXT NOT NULL DEFAULT '', -- the kepala (head) of the OPD
	contact TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- The OPD a user belongs to (NULL: none, the CSIRT's own people); an
-- agen_siber must have one.
ALTER TABLE users ADD COLUMN opd_id INTEGER REFERENCES opd(id);

CREATE TABLE assets (
	id INTEGER PRIMARY KEY,
	opd_id INTEGER NOT NULL REFERENCES opd(id), -- the owner (PSE)
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('aplikasi', 'situs_web', 'server', 'jaringan', 'perangkat')),
	contact TEXT NOT NULL DEFAULT '',
	-- BSSN's Kategori Sistem Elektronik; NULL: not categorised yet
	kse TEXT CHECK (kse IN ('strategis', 'tinggi', 'rendah')),
	criticality TEXT CHECK (criticality IN ('rendah', 'sedang', 'tinggi', 'kritis')),
	notes TEXT NOT NULL DEFAULT '',
	wazuh_agent_name TEXT,  -- as the manager names the agent
	wazuh_agent_id TEXT,    -- "001": Wazuh's ids are zero-padded text
	retired_at INTEGER,     -- NULL: in service
	retired_reason TEXT,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (opd_id, name)
);
CREATE INDEX assets_by_kind ON assets (kind);
CREATE INDEX assets_by_agent_id ON assets (wazuh_agent_id) WHERE wazuh_agent_id IS NOT NULL;
CREATE INDEX assets_by_agent_name ON assets (wazuh_agent_name) WHERE wazuh_agent_name IS NOT NULL;

-- URLs, split for matching: origin is scheme://host[:port] in lower case
-- with the scheme's default port left out, path begins with '/'.
CREATE TABLE asset_urls (
	asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	origin TEXT NOT NULL,
	path TEXT NOT NULL,
	PRIMARY KEY (asset_id, url)
);
CREATE INDEX asset_urls_by_origin ON asset_urls (origin);

-- Host names in lower case, without a trailing dot.
CREATE TABLE asset_hosts (
	asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
	host TEXT NOT NULL,
	PRIMARY KEY (asset_id, host)
);
CREATE INDEX asset_hosts_by_host ON asset_hosts (host);

-- Addresses and ranges: value as written back ("10.1.2.3", "10.1.0.0/16",
-- "2001:db8::/32"); family 4 or 6; prefix the range's length (32 or 128
-- for one address); lo and hi the first and last address as fixed-width
-- lower-case hex (8 or 32 digits), so "inside a range" is two text
-- comparisons an index can serve.
CREATE TABLE asset_addresses (
	asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
	value TEXT NOT NULL,
	family INTEGER NOT NULL CHECK (family IN (4, 6)),
	prefix INTEGER NOT NULL,
	lo TEXT NOT NULL,
	hi TEXT NOT NULL,
	PRIMARY KEY (asset_id, value)
);
CREATE INDEX asset_addresses_by_range ON asset_addresses (family, lo, hi);

-- Software components: name, version, and the CPE 2.3 formatted string
-- when known (NULL: none).
CREATE TABLE asset_software (
	id INTEGER PRIMARY KEY,
	asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	version TEXT NOT NULL DEFAULT '',
	cpe TEXT
);
CREATE INDEX asset_software_by_asset ON asset_software (asset_id);
CREATE INDEX asset_software_by_cpe ON asset_software (cpe) WHERE cpe IS NOT NULL;
