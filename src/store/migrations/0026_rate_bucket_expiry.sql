-- A take of a public allowance deletes the buckets an hour unused: by
-- this index only those, not every address of the last hour that a
-- flood of addresses would make many (src/app/rate_limits.c).
CREATE INDEX rate_buckets_by_at ON rate_buckets (scope, at);
