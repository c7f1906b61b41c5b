-- 0032_risks.sql: the risk register (src/app/risks.c, docs/risks.md).
-- A risk concerns an OPD and/or assets; likelihood and impact are steps
-- of the matrix of [risiko] (1 the lowest), the level is read from the
-- matrix, never stored, so a changed matrix rates every risk anew. The
-- residual pair is the risk after its treatment; NULL: not assessed yet.
-- A risk is closed (ditutup), never deleted: exceptions and the logbook
-- name it. Instants are INTEGER seconds since the epoch; review_at is
-- the start of the day of the next review in the calendar's zone.
CREATE TABLE risks (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	opd_id INTEGER REFERENCES opd(id),
	threat TEXT NOT NULL DEFAULT '',
	vulnerability TEXT NOT NULL DEFAULT '',
	likelihood INTEGER NOT NULL CHECK (likelihood >= 1),
	impact INTEGER NOT NULL CHECK (impact >= 1),
	residual_likelihood INTEGER CHECK (residual_likelihood >= 1),
	residual_impact INTEGER CHECK (residual_impact >= 1),
	treatment TEXT NOT NULL CHECK (treatment IN ('terima', 'mitigasi', 'alihkan', 'hindari')),
	treatment_plan TEXT NOT NULL DEFAULT '',
	owner TEXT,
	review_at INTEGER NOT NULL,
	status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'ditutup')),
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX risks_opd ON risks (opd_id);
CREATE INDEX risks_review ON risks (status, review_at);

CREATE TABLE risk_assets (
	risk_id INTEGER NOT NULL REFERENCES risks(id),
	asset_id INTEGER NOT NULL REFERENCES assets(id),
	PRIMARY KEY (risk_id, asset_id)
);
CREATE INDEX risk_assets_asset ON risk_assets (asset_id);
