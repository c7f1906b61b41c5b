-- 0012_alert_counts.sql: what the alert list needs at millions of alerts.
--
-- Alerts per status and level, and per asset, status and level, kept by
-- triggers: the total of the list unfiltered, or filtered by asset,
-- status and level, and the dashboard's undecided counts read a few rows
-- instead of counting alerts (10 million alerts: seconds a count). Alerts
-- are never deleted. An alert without an asset counts under ''.
CREATE TABLE alert_counts (
	status TEXT NOT NULL,
	level TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (status, level)
) WITHOUT ROWID;
CREATE TABLE alert_asset_counts (
	asset TEXT NOT NULL,
	status TEXT NOT NULL,
	level TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (asset, status, level)
) WITHOUT ROWID;
INSERT INTO alert_asset_counts (asset, status, level, n)
	SELECT COALESCE(asset, ''), status, level, COUNT(*) FROM alerts GROUP BY 1, 2, 3;
INSERT INTO alert_counts (status, level, n)
	SELECT status, level, SUM(n) FROM alert_asset_counts GROUP BY 1, 2;
CREATE TRIGGER alert_counts_insert AFTER INSERT ON alerts BEGIN
	INSERT INTO alert_counts (status, level, n) VALUES (NEW.status, NEW.level, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO alert_asset_counts (asset, status, level, n)
	VALUES (COALESCE(NEW.asset, ''), NEW.status, NEW.level, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER alert_counts_update AFTER UPDATE OF status, level, asset ON alerts
WHEN OLD.status IS NOT NEW.status OR OLD.level IS NOT NEW.level OR OLD.asset IS NOT NEW.asset BEGIN
	UPDATE alert_counts SET n = n - 1 WHERE status = OLD.status AND level = OLD.level;
	INSERT INTO alert_counts (status, level, n) VALUES (NEW.status, NEW.level, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
	UPDATE alert_asset_counts SET n = n - 1
	WHERE asset = COALESCE(OLD.asset, '') AND status = OLD.status AND level = OLD.level;
	INSERT INTO alert_asset_counts (asset, status, level, n)
	VALUES (COALESCE(NEW.asset, ''), NEW.status, NEW.level, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The list's filters, each index in the list's order (last seen, then
-- id: the rowid every index ends with), so a page reads its 50 rows from
-- the index instead of sorting every match. The narrowest filter given
-- picks the index (alerts.c); status and level, when given too, are
-- checked from the index's own columns, without reading the alert, and a
-- bounded count reads the index alone.
CREATE INDEX alerts_by_level ON alerts (level, last_seen);
CREATE INDEX alerts_by_asset ON alerts (asset, last_seen, status, level) WHERE asset IS NOT NULL;
DROP INDEX alerts_by_status;
CREATE INDEX alerts_by_status ON alerts (status, last_seen, level);

-- An alert's first case (the list's "case" column) in link order, read
-- from the index instead of sorting the alert's links for every row.
CREATE INDEX alert_cases_first ON alert_cases (alert_id, linked_at, case_id);
