-- 0016_asset_links.sql: alerts and cases attached to the register of
-- assets (docs/assets.md), and what an agen_siber sees of its OPD's cases.
--
-- An alert keeps the text it was raised with (asset: the agent or host
-- the event named, which folds repeats) and gains the asset it belongs to
-- (asset_id), resolved once when the alert is raised (raise.c, asset_find)
-- and never per folded repeat. NULL: no asset matched; the alert is then
-- listed for an officer to attach (sigap alert list --unmatched), never
-- dropped.
ALTER TABLE alerts ADD COLUMN asset_id INTEGER REFERENCES assets(id);
CREATE INDEX alerts_by_asset_id ON alerts (asset_id, last_seen) WHERE asset_id IS NOT NULL;
CREATE INDEX alerts_unmatched ON alerts (last_seen) WHERE asset_id IS NULL;

-- What unmatched alerts named: one row an identity (the agent id and name,
-- host, address and URL an event gave; '' for none), and the unmatched
-- alerts of each. When an asset is added or its identifiers change, the
-- identities that still have unmatched alerts are matched again
-- (asset_claim.c) in the same transaction: one asset_find an identity,
-- the machines sigap has seen and not registered (hundreds), never a pass
-- over the alerts. An alert leaves alert_unmatched when it is attached.
CREATE TABLE alert_identities (
	id INTEGER PRIMARY KEY,
	agent_id TEXT NOT NULL DEFAULT '',
	agent_name TEXT NOT NULL DEFAULT '',
	host TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',  -- the destination, else the source address
	url TEXT NOT NULL DEFAULT '',
	last_seen INTEGER NOT NULL,        -- the newest unmatched alert's creation
	UNIQUE (agent_id, agent_name, host, address, url)
);
CREATE INDEX alert_identities_by_last ON alert_identities (last_seen);
CREATE TABLE alert_unmatched (
	alert_id INTEGER PRIMARY KEY REFERENCES alerts(id),
	identity_id INTEGER NOT NULL REFERENCES alert_identities(id)
);
CREATE INDEX alert_unmatched_by_identity ON alert_unmatched (identity_id);

-- Existing alerts: their stored text is what the event named (Wazuh's
-- agent name, Windows' Computer, or the syslog host). Resolved here by
-- the exact comparisons SQL can make (agent name, host name in lower case,
-- a single address written as the register writes it back); the rest is
-- kept unmatched under the text as agent name and host, so the next change
-- of an asset that matches it (a range holding the address included)
-- attaches it.
UPDATE alerts SET asset_id = (
	SELECT s.id FROM assets s WHERE s.retired_at IS NULL AND s.wazuh_agent_name = alerts.asset
	ORDER BY s.id LIMIT 1)
WHERE asset IS NOT NULL AND asset_id IS NULL;
UPDATE alerts SET asset_id = (
	SELECT h.asset_id FROM asset_hosts h JOIN assets s ON s.id = h.asset_id
	WHERE s.retired_at IS NULL AND h.host = lower(rtrim(alerts.asset, '.'))
	ORDER BY h.asset_id LIMIT 1)
WHERE asset IS NOT NULL AND asset_id IS NULL;
UPDATE alerts SET asset_id = (
	SELECT r.asset_id FROM asset_addresses r JOIN assets s ON s.id = r.asset_id
	WHERE s.retired_at IS NULL AND r.value = alerts.asset
	ORDER BY r.asset_id LIMIT 1)
WHERE asset IS NOT NULL AND asset_id IS NULL;
INSERT INTO alert_identities (agent_name, host, last_seen)
	SELECT COALESCE(asset, ''), COALESCE(asset, ''), MAX(created_at) FROM alerts
	WHERE asset_id IS NULL GROUP BY 1;
INSERT INTO alert_unmatched (alert_id, identity_id)
	SELECT a.id, i.id FROM alerts a JOIN alert_identities i
	ON i.agent_name = COALESCE(a.asset, '') AND i.host = i.agent_name AND i.agent_id = ''
	AND i.address = '' AND i.url = ''
	WHERE a.asset_id IS NULL;

-- The assets a case is about: several (a CTI case over alerts of two
-- servers, a patch case over one software on many assets), so a table
-- rather than a column. via: 'field' (an SOP field of entity asset), 'alert'
-- (an alert the case was opened for), 'hand' (an officer attached it).
CREATE TABLE case_assets (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	asset_id INTEGER NOT NULL REFERENCES assets(id),
	via TEXT NOT NULL CHECK (via IN ('field', 'alert', 'hand')),
	linked_at INTEGER NOT NULL,
	linked_by TEXT NOT NULL,
	PRIMARY KEY (case_id, asset_id)
) WITHOUT ROWID;
CREATE INDEX case_assets_by_asset ON case_assets (asset_id, case_id);
-- Cases opened since the register came (0013) named their assets in the
-- seed SOPs' ref field "aset" (patch, pengecualian): as a case field, or a
-- step's. Linked here once; from now on the case's own writes link them.
INSERT OR IGNORE INTO case_assets (case_id, asset_id, via, linked_at, linked_by)
	SELECT c.id, s.id, 'field', c.created_at, c.created_by FROM cases c
	JOIN assets s ON s.id = CAST(json_extract(c.fields, '$.aset') AS INTEGER)
	WHERE json_extract(c.fields, '$.aset') IS NOT NULL;
INSERT OR IGNORE INTO case_assets (case_id, asset_id, via, linked_at, linked_by)
	SELECT r.case_id, s.id, 'field', r.finished_at, r.actor FROM step_runs r
	JOIN assets s ON s.id = CAST(json_extract(r.form_values, '$.aset') AS INTEGER)
	WHERE json_extract(r.form_values, '$.aset') IS NOT NULL;

-- An agen_siber knows the cases of its OPD's assets (case_access.c:
-- CASE_VISIBLE_SQL asks case_assets by case, then the asset's OPD: the
-- primary keys serve it).
