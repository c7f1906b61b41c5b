-- PostgreSQL's 0023: as ../0023_change_marks.sql.
CREATE TABLE change_marks (
	name TEXT PRIMARY KEY,
	gen BIGINT NOT NULL
);
