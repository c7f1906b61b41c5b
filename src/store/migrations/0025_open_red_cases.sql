-- The cases by TLP label and status: the worklist reads the open TLP:RED
-- cases (few at any time) through it and probes each for the user
-- (unattended_red, src/app/tasks.c), rather than every case a staff
-- member is named on, which a busy officer counts by the ten thousand.
CREATE INDEX cases_by_tlp ON cases (tlp, status);
