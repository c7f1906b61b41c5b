-- 0010_alert_verdict.sql: the case whose verdict decided an alert.
--
-- Closing a CTI case decides its alerts with the step's report as the
-- reason. That report is the case's content: whoever may triage alerts
-- but not see that case whole (an administrator, the staff of the
-- incident it was handed over to) is shown that the alert was decided by
-- a case, not the report. NULL: decided by hand (the reason is the
-- officer's own, written for the alert).
ALTER TABLE alerts ADD COLUMN reason_case INTEGER REFERENCES cases(id);
