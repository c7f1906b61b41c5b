-- 0035_monitor.sql: the website monitor (src/app/monitor.c,
-- docs/monitor.md): the OPDs' public sites watched, the baseline an
-- officer accepted for each page, each check's answer, the findings with
-- their alerts, and what was fetched kept as evidence with its custody.
--
-- Instants are INTEGER seconds since the epoch. A site is never deleted
-- (alerts and findings name it): it is stopped (enabled = 0).

CREATE TABLE monitor_sites (
	id INTEGER PRIMARY KEY,
	asset_id INTEGER NOT NULL REFERENCES assets(id),
	url TEXT NOT NULL UNIQUE,          -- the home page: http(s)://host[:port]/…
	period INTEGER NOT NULL,           -- seconds between two checks
	paths TEXT NOT NULL DEFAULT '[]',  -- JSON array: more pages of the site
	sitemap INTEGER NOT NULL DEFAULT 0, -- also watch the URLs of /sitemap.xml
	regions TEXT NOT NULL DEFAULT '[]', -- JSON array: the dynamic regions' selectors
	enabled INTEGER NOT NULL DEFAULT 1,
	-- the worst of its open findings: normal, lambat, sertifikat, berubah,
	-- turun, injeksi, deface; baru before the first check
	state TEXT NOT NULL DEFAULT 'baru' CHECK (state IN ('baru', 'normal', 'lambat',
		'sertifikat', 'berubah', 'turun', 'injeksi', 'deface')),
	next_at INTEGER NOT NULL,          -- due from then; a node claims it by moving it
	last_at INTEGER,
	last_ms INTEGER,
	last_status INTEGER,               -- 0: no answer
	cert_not_after INTEGER,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX monitor_sites_due ON monitor_sites (enabled, next_at);
CREATE INDEX monitor_sites_asset ON monitor_sites (asset_id);

-- What was fetched and kept: the body as received and the text snapshot
-- (the visible text, then the hidden) in the evidence store under their
-- SHA-256, with where from, when and as whom.
CREATE TABLE monitor_fetches (
	id INTEGER PRIMARY KEY,
	site_id INTEGER NOT NULL REFERENCES monitor_sites(id),
	url TEXT NOT NULL,
	final_url TEXT NOT NULL,
	address TEXT NOT NULL,      -- the address connected to
	agent TEXT NOT NULL,        -- the User-Agent sent
	status INTEGER NOT NULL,
	fetched_at INTEGER NOT NULL,
	node TEXT NOT NULL,         -- the server that fetched it
	body_sha TEXT NOT NULL,
	body_size INTEGER NOT NULL,
	text_sha TEXT NOT NULL
);
CREATE INDEX monitor_fetches_site ON monitor_fetches (site_id, id);
CREATE INDEX monitor_fetches_body ON monitor_fetches (body_sha);
CREATE INDEX monitor_fetches_text ON monitor_fetches (text_sha);

-- The page as the last check read it (as a browser): what an officer
-- accepts as its baseline. Written when it changes.
CREATE TABLE monitor_pages (
	site_id INTEGER NOT NULL REFERENCES monitor_sites(id),
	page TEXT NOT NULL,
	text TEXT NOT NULL,
	scripts TEXT NOT NULL,
	fetch_id INTEGER NOT NULL REFERENCES monitor_fetches(id),
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (site_id, page)
);

-- The page as an officer accepted it: what later checks compare with.
CREATE TABLE monitor_baselines (
	site_id INTEGER NOT NULL REFERENCES monitor_sites(id),
	page TEXT NOT NULL,         -- the page's URL
	text TEXT NOT NULL,         -- the visible text, as the page reader gives it
	scripts TEXT NOT NULL,      -- JSON array: the external scripts' URLs
	fetch_id INTEGER NOT NULL REFERENCES monitor_fetches(id),
	accepted_by TEXT NOT NULL,
	accepted_at INTEGER NOT NULL,
	PRIMARY KEY (site_id, page)
);

-- A check of a site: the home page's answer, for its history and chart.
CREATE TABLE monitor_checks (
	id INTEGER PRIMARY KEY,
	site_id INTEGER NOT NULL REFERENCES monitor_sites(id),
	at INTEGER NOT NULL,
	status INTEGER NOT NULL,    -- 0: no answer
	ms INTEGER NOT NULL,
	ttfb_ms INTEGER NOT NULL,
	findings INTEGER NOT NULL,  -- open after the check
	final_url TEXT NOT NULL DEFAULT '', -- where the redirects led
	redirects TEXT NOT NULL DEFAULT ''  -- each hop: "301 URL; 302 URL"
);
CREATE INDEX monitor_checks_site ON monitor_checks (site_id, at);
-- checks older than [pantau] simpan (90 days) are deleted by the watcher
CREATE INDEX monitor_checks_at ON monitor_checks (at);

-- A finding stays open while checks see it (count, last_at); the first
-- check that no longer sees it resolves it (the recovery). Its alert is
-- the CTI SOP's to triage.
CREATE TABLE monitor_findings (
	id INTEGER PRIMARY KEY,
	site_id INTEGER NOT NULL REFERENCES monitor_sites(id),
	page TEXT NOT NULL,
	kind TEXT NOT NULL,
	-- what tells two findings of a kind on a page apart: the content rule, the
	-- script's URL, the way of a redirect or of cloaking; '' when nothing need
	ident TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL,
	detail TEXT NOT NULL,       -- JSON: rule, title, crawler, hidden, value, value2, what
	diff TEXT,                  -- against the baseline, for berubah and deface
	first_at INTEGER NOT NULL,
	last_at INTEGER NOT NULL,
	count INTEGER NOT NULL DEFAULT 1,
	resolved_at INTEGER,
	alert_id INTEGER REFERENCES alerts(id),
	fetch_id INTEGER REFERENCES monitor_fetches(id) -- the page as first found
);
CREATE INDEX monitor_findings_site ON monitor_findings (site_id, resolved_at, id);
