-- PostgreSQL's 0024: as ../0024_rate_buckets.sql.
CREATE TABLE rate_buckets (
	scope TEXT NOT NULL,
	subject TEXT NOT NULL,
	tokens DOUBLE PRECISION NOT NULL,
	at BIGINT NOT NULL,
	PRIMARY KEY (scope, subject)
);
