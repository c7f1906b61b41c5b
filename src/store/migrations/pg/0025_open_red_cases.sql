-- PostgreSQL's 0025: as ../0025_open_red_cases.sql.
CREATE INDEX cases_by_tlp ON cases (tlp, status);
