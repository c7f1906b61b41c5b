-- 0005_inputs.sql: where each followed file has been read to. The
-- position is written in the same transaction as the alerts of the lines
-- before it, so after a restart reading resumes exactly there: no line is
-- lost and none is read twice.
CREATE TABLE input_positions (
	name TEXT PRIMARY KEY,   -- the input: "wazuh_alerts"
	path TEXT NOT NULL,
	inode INTEGER NOT NULL,  -- the file read; another inode means rotated
	position INTEGER NOT NULL, -- bytes read and handled
	updated_at INTEGER NOT NULL
);
