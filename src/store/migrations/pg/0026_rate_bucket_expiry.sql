-- PostgreSQL's 0026: as ../0026_rate_bucket_expiry.sql.
CREATE INDEX rate_buckets_by_at ON rate_buckets (scope, at);
