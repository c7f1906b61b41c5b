-- 0019_finding_import.sql: a new finding is written without a trigger.
--
-- SQLite keeps a statement journal for a statement that fires a trigger
-- (or has RETURNING) and may fail half-way: before the statement changes
-- a page, the page is copied, so the statement alone can be undone. An
-- INSERT into findings touches some fifteen pages (the row and its
-- indexes), so the two INSERT triggers of 0018 doubled the cost of a
-- scanner import (bench/vuln.sh: 3.3 million writes to a temporary file
-- for a report of 100,000 results). The import (findings_import.c) is
-- the one writer of new findings: it writes the finding's OPD in its
-- INSERT and adds what it made to finding_counts and finding_totals once,
-- at its end, in the same transaction. The UPDATE and DELETE triggers
-- stay: a decision, an attachment or a move of an asset is one row.
DROP TRIGGER finding_counts_insert;
DROP TRIGGER findings_opd_insert;
