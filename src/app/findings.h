/*
 * findings.h: vulnerability findings: what a scanner's results become in
 * the store, and what officers decide about them (docs/findings.md).
 *
 * A finding is one vulnerability (the scanner's plugin or template id,
 * else a CVE) on one endpoint (a port or a URL) of one asset; a result
 * whose host no asset has is kept, unattached, until an officer attaches
 * it. Imports (findings_import.c) create and update findings, one report
 * one transaction; decisions (findings.c) move them through their states,
 * each change in the finding's history and the logbook.
 *
 * Who sees what: CSIRT staff (a staff role of some SOP) see every
 * finding and decide; an agen_siber sees the findings of its OPD's
 * assets; anyone else none. The command line without --as is the
 * machine's owner and sees everything.
 */
#ifndef SG_FINDINGS_H
#define SG_FINDINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "vuln/scan.h"

/* ---- states and due dates (findings.c) ---- */
/* The states: baru, terverifikasi, positif_palsu, risiko_diterima,
 * dalam_perbaikan, diperbaiki, dibuka_kembali. */
bool finding_state_valid(const char *s);
/* Whether a finding in state s is open: its due date runs (baru,
 * terverifikasi, dalam_perbaikan, dibuka_kembali). */
bool finding_state_open(const char *s);
/* Whether user (NULL: the machine's owner) sees every finding: CSIRT
 * staff do; an agen_siber sees its OPD's, anyone else none. */
int finding_sees_all(app *a, const char *user, bool *all, sg_err *e);
/* What CSIRT staff may do that others may not: the refusal names it. */
typedef enum finding_act {
	FINDING_ACT_DECIDE, /* the staff check before finding_check_decider's */
	FINDING_ACT_IMPORT, /* import a scanner report */
	FINDING_ACT_ATTACH  /* attach an unmatched finding to an asset */
} finding_act;
/* Whether actor is a named, active user of the CSIRT staff, who sees
 * every finding and may import reports and attach findings (deciding
 * also needs finding_check_decider); SG_EPERM with the reason if not,
 * naming act. */
int finding_check_staff_to(app *a, const char *actor, finding_act act, sg_err *e);
/* finding_check_staff_to for FINDING_ACT_DECIDE. */
int finding_check_staff(app *a, const char *actor, sg_err *e);
/* Who may decide findings: CSIRT staff holding a staff role of the patch
 * or the CTI SOP (the SOPs that act on findings). */
int finding_check_decider(app *a, const char *actor, sg_err *e);
/* Whose findings viewer sees: *all (CSIRT staff, the command line's
 * owner), else the findings of OPD *opd_id (an agen_siber's), else none
 * (*opd_id 0). */
int finding_scope(app *a, const char *viewer, bool *all, int64_t *opd_id, sg_err *e);
/* "info", "low", "medium", "high", "critical" (NULL when out of range). */
const char *finding_severity_name(int severity);
/* The due date of a finding of severity (a name as above) whose clock
 * started at start: start plus the configured calendar days of the
 * severity ([kerentanan]), or kev_due when that is earlier. kev_due is
 * CISA KEV's due date of one of the finding's CVEs (the earliest), 0 when
 * none is in KEV. 0: no due date (info, and no KEV date). */
int64_t finding_due_at(const app_config *c, const char *severity, int64_t start, int64_t kev_due);

/* Inside a transaction: starts the due clock of finding id at start
 * (sla_start) and sets its due date from its severity and CVEs. */
/* CISA KEV's deadline for finding id whose due clock starts at start
 * (findings.c says how a deadline already past counts); 0 in *out when
 * none of its CVEs is in the catalog. */
int finding_kev_due(app *a, int64_t id, int64_t start, int64_t *out, sg_err *e);
int finding_due_restart(app *a, int64_t id, int64_t start, sg_err *e);
/* After a KEV catalog import (vuln_intel_imports row intel_import): the
 * due dates of the open findings whose CVEs that import added or changed,
 * computed again from their own clock; *changed counts the due dates that
 * moved. Inside the caller's transaction. */
int findings_kev_reweigh(app *a, int64_t intel_import, int64_t *changed, sg_err *e);
/* Inside a transaction: a row of the finding's history (from NULL: it
 * was found); import_id 0 when no import made the change. */
int finding_history_add(app *a, int64_t id, const char *actor, const char *from, const char *to,
			const char *reason, int64_t import_id, sg_err *e);

/* ---- one import of a scanner report (findings_import.c) ---- */
typedef struct vuln_import vuln_import;
typedef struct vuln_import_req {
	const char *actor;  /* a user, or the command line's "cli:…" */
	const char *origin; /* where it came from ("cli:host", an address) */
	/* the report, received into the evidence spool; the import takes it
	 * over: kept in the store under its SHA-256 when the import commits,
	 * removed when it does not. NULL: the file is still being read
	 * (evidence_tee), and vuln_import_keep gives it before the end */
	evidence_file *file;
	const char *filename;  /* the name it came with */
	const char *shown_as;  /* the name messages give it (a path on the command
	                        * line); NULL: filename */
	vuln_scanner scanner;  /* VULN_AUTO: as the report's info tells at the end */
	int64_t asset_id;      /* every result on this asset; 0: each result's
			        * host or URL resolved (asset_find). A result
			        * whose target the register gives to another
			        * asset refuses the import; the "no longer
			        * present" pass looks at this asset only */
	bool partial;          /* not a full rescan: nothing is marked no
			        * longer present */
	/* the info the parse fills (optional): with VULN_AUTO, the scanner it
	 * tells from the content before the first result names the findings
	 * as they are written, instead of rewriting them all at the end */
	const vuln_report_info *info;
	/* nothing read is refused unless the scanner is named (a pipe from a
	 * sender that failed brings nothing, which would import as Nuclei's
	 * report of nothing found): vuln_import_read */
	bool empty_refused;
} vuln_import_req;
/* What a finding keeps of a scanner's result (docs/findings.md): a text
 * longer is cut where a UTF-8 character begins and ends in " …[dipotong]"
 * (within the limit); CVEs and references past their number are left. */
enum {
	FINDING_TEXT_MAX = 64 * 1024, /* description, solution, evidence */
	FINDING_FIELD_MAX = 4096,     /* title, identity, host, port, URL, host name,
	                               * CVSS vectors, CWE, component, version, a reference */
	FINDING_CVES_MAX = 1000,      /* CVEs of one finding */
	FINDING_REFS_MAX = 200        /* references of one finding */
};
typedef struct vuln_import_summary {
	int64_t import_id;
	int64_t results;    /* results received */
	int64_t new_count;  /* findings created */
	int64_t seen_again; /* findings seen before, still open or decided */
	int64_t reopened;   /* diperbaiki (or an expired acceptance) and back */
	int64_t repeated;   /* a finding given again in the same report */
	int64_t gone;       /* open findings of the rescanned targets not in
			     * the report: now diperbaiki */
	int64_t unmatched;  /* results of a host no asset has (kept) */
	int64_t skipped;    /* entries the parser did not give */
	int64_t unscanned;  /* open findings of the rescanned targets on ports
			     * the report did not scan: left open */
	int64_t severity_unknown; /* results whose severity the scanner did not
			     * give or sigap does not know: stored as info */
	bool partial;       /* the import was partial: nothing marked gone */
	vuln_scanner scanner; /* the report's scanner, as the import took it */
} vuln_import_summary;
/* Begins the import's transaction: the actor must be CSIRT staff (or the
 * command line's owner), the asset (when given) must exist. The report
 * is placed in the evidence store. NULL with e set (the file removed). */
vuln_import *vuln_import_begin(app *a, const vuln_import_req *req, sg_err *e);
/* The digest r's text is stored under (finding_texts), of its texts cut
 * as a finding keeps them: the same for r whoever computes it, so the
 * import's pipe computes it on the parser's thread. */
void vuln_result_text_digest(const vuln_result *r, char digest[SHA256_HEX_LEN + 1]);
/* vuln_import_result with r's text digest already computed (NULL: not). */
int vuln_import_result_digested(vuln_import *im, const vuln_result *r, const char *digest,
                                sg_err *e);
/* The report's file, for an import begun without it (req->file NULL),
 * taken over and placed in the store; -1 (the caller aborts). */
int vuln_import_keep(vuln_import *im, evidence_file *f, sg_err *e);
/* One result (a vuln_result_cb: ctx is the import): a new finding, one
 * seen again, or one reopened. -1 stops the import, which the caller
 * then aborts. */
int vuln_import_result(void *ctx, const vuln_result *r, sg_err *e);
/* Ends the import with the report's info: unless partial, the open
 * findings of the info's targets (by host, of this scanner) not seen in
 * this import become diperbaiki; the counts, a logbook entry, commit.
 * Frees im whatever happens (a failure rolls everything back). */
int vuln_import_end(vuln_import *im, const vuln_report_info *info, vuln_import_summary *out,
		    sg_err *e);
/* Rolls the import back (nothing of it stays, the report file neither)
 * and frees it. */
void vuln_import_abort(vuln_import *im);
/* The whole import of a report received into the spool (req->file, taken
 * over): begin, the parser on the spooled file, end. A parser's message
 * names the file by req->filename, never by its spool path. */
int vuln_import_spooled(app *a, const vuln_import_req *req, vuln_import_summary *out, sg_err *e);
/* The same for a report on the machine's own disk: fd (taken over: a
 * file, a pipe or a device) is parsed as it is copied into the spool
 * (evidence_tee.c), so the copy costs the import no time of its own. */
int vuln_import_read(app *a, const vuln_import_req *req, int fd, vuln_import_summary *out,
                     sg_err *e);
/* The bytes a result's copy counts for in that import's queue (bounded in
 * bytes as well as results): every string and list of it. */
size_t vuln_import_queued_bytes(const vuln_result *r);
/* The import log, newest first: [{id, filename, sha256, size, scanner,
 * format, asset_id, imported_by, imported_at, results, new, seen_again,
 * reopened, repeated, no_longer_present, unmatched, skipped, targets}];
 * *total counts them. For CSIRT staff (and the command line's owner):
 * reports name hosts of every OPD. */
json_t *vuln_import_list(app *a, const char *viewer, int limit, int offset, int64_t *total,
                         sg_err *e);

/* ---- the dashboard's vulnerability figures (dashboard_vuln.c) ---- */
/* {scope: "all"|"opd", per_opd: [{id, abbrev, name, critical, high}],
 * unmatched: {critical, high} (staff only), open_critical, open_high
 * (open findings), overdue (open, past the due date, every severity: the
 * list's overdue total), kev_overdue (of those, a CVE in CISA KEV),
 * mttr: [{severity, fixed, mean_days|null}] critical to low over the last
 * mttr_days days}; JSON null when viewer sees no findings. */
json_t *dashboard_findings(app *a, const char *viewer, sg_err *e);

/* ---- the vulnerability report of an OPD (vuln_report.c) ---- */
/* {opd: {id, abbrev, name, head, contact}, generated_at, assets: [{id,
 * name, kind, kse, criticality, findings: [{id, title, severity, state,
 * due_at, overdue, endpoint, first_seen, last_seen, cvss3_score, cves,
 * kev, kev_due_date, epss}]}], summary: {assets, open, critical, high,
 * medium, low, info, overdue, kev}}: the OPD's assets in service and
 * their open findings. OPD is an abbreviation or a number; CSIRT staff
 * read any OPD's, an agen_siber its own; SG_ENOTFOUND otherwise. */
json_t *vuln_opd_report(app *a, const char *opd, const char *viewer, sg_err *e);

/* ---- findings (findings.c) ---- */
typedef enum finding_sort {
	FINDING_SORT_DUE = 0, /* due date, soonest first (none last), then severity */
	FINDING_SORT_SEVERITY, /* most severe first, then due date */
	FINDING_SORT_LAST_SEEN, /* last seen, newest first */
	FINDING_SORT_FIRST_SEEN, /* first seen, newest first */
	FINDING_SORT_ID,
	FINDING_SORT_EPSS, /* highest EPSS score of its CVEs first (none last), then due date */
	FINDING_SORT_KEV   /* a CVE in CISA KEV first, then due date */
} finding_sort;
bool finding_sort_parse(const char *s, finding_sort *out);
typedef struct finding_filter {
	const char *opd;      /* an OPD's abbreviation or id */
	int64_t asset_id;     /* 0: any */
	const char *severity; /* a severity name; with min_severity: at least it */
	bool min_severity;
	const char *state;    /* a state, or "open" (the four open states) */
	bool overdue;         /* due date passed and open */
	bool unmatched;       /* only findings attached to no asset */
	const char *cve;      /* "CVE-2021-44228" */
	const char *q;        /* words in the title, host, endpoint or identity */
	int kev;              /* 1: a CVE of it is in CISA KEV; -1: none is; 0: any */
	double min_epss;      /* > 0: the highest EPSS score of its CVEs at least this */
	finding_sort sort;
	int limit, offset;    /* limit <= 0: 50 */
	const char *viewer;   /* whose eyes (NULL: the machine's owner) */
} finding_filter;
/* A page of findings: [{id, asset: {id, name, opd}|null, host, endpoint,
 * vuln_key, scanner, title, severity, cvss3_score, cvss4_score, cves,
 * kev, kev_ransomware, kev_date_added, kev_due_date, epss,
 * epss_percentile, state, due_at, overdue, first_seen, last_seen,
 * times_seen}]: kev whether any of its CVEs is in CISA KEV (the earliest
 * due date's entry gives the dates; kev_ransomware: any with known
 * ransomware use), epss the highest EPSS score of its CVEs with that
 * CVE's percentile (null when none is scored); *total (when not NULL)
 * counts every match: from the counts kept by triggers when the filter
 * is only OPD, asset, severity and state (a few rows, or the OPD's
 * assets' counts), else O(matches). */
json_t *finding_list(app *a, const finding_filter *f, int64_t *total, sg_err *e);
/* How many findings the filter matches, by severity (out[0] info to
 * out[4] critical; limit, offset and sort aside): one pass over the
 * matches, as the list's count. */
int finding_counts(app *a, const finding_filter *f, int64_t out[5], sg_err *e);
/* One finding whole, with its history (oldest first), the imports that
 * first and last saw it, and cve_intel: per CVE what is stored of it
 * (vuln_intel_cve's record, kev and epss, each null when not stored);
 * SG_ENOTFOUND when it does not exist or the viewer may not see it (one
 * answer for both). */
json_t *finding_get(app *a, int64_t id, const char *viewer, sg_err *e);

typedef struct finding_decision {
	const int64_t *ids;   /* one or more findings, decided together */
	size_t n_ids;
	const char *state;    /* the new state */
	const char *reason;   /* required for positif_palsu, risiko_diterima,
			       * dalam_perbaikan, diperbaiki and dibuka_kembali */
	int64_t accepted_until; /* risiko_diterima: the acceptance's expiry */
	const char *approver;   /* risiko_diterima: an active user holding kabid */
	const char *actor;      /* a named user */
} finding_decision;
enum { FINDING_BULK_MAX = 1000 };
/* Moves every finding of d to d->state in one transaction, each change
 * in the history and the logbook; one refused (not allowed from its
 * state, not visible, missing reason…) refuses them all, naming it. A
 * finding named more than once is decided once; the reason is stored
 * without the blanks around it (white space, zero-width characters), and
 * blanks alone are no reason. */
int finding_decide(app *a, const finding_decision *d, sg_err *e);
/* ids[0..n) each once, in the order first named, moved to the front;
 * how many. */
size_t finding_ids_unique(int64_t *ids, size_t n);
/* Inside the caller's transaction: one finding of d (whose ids are not
 * read) moved to d->state, checked against its state, in its history and
 * the logbook; the caller has checked d as finding_decide does. */
int finding_decide_one(app *a, const finding_decision *d, int64_t id, sg_err *e);
/* The states a finding in state from may be decided into by hand, as a
 * comma-separated list into out. */
void finding_transitions(const char *from, char *out, size_t n);
/* Inside a transaction: one unattached finding onto an asset (merged
 * into the asset's finding of the same identity and endpoint), in its
 * history and the logbook; asset_claim.c's re-resolution calls it. */
int finding_attach_one(app *a, const char *actor, int64_t id, int64_t asset_id, sg_err *e);
/* Moves unattached findings onto an asset (an officer's call when their
 * host matched none); one the asset already has (same identity and
 * endpoint) is merged into it: counts added, first and last seen
 * widened, history moved. */
int finding_attach(app *a, const char *actor, const int64_t *ids, size_t n, int64_t asset_id,
		   sg_err *e);

/* ---- findings and the cases that act on them (finding_cases.c) ---- */
/* Whether actor may start a patch case from findings (CSIRT staff who
 * may open a case of the patch SOP): the pages offer it only then. */
int finding_patch_may_open(app *a, const char *actor, sg_err *e);
/* Starts a case of the patch SOP for findings (one asset, or one
 * software across assets of one OPD), linked to them (kind patch): the
 * case fields name the asset and the patch, the first step's form is
 * offered the findings' assets, CVEs with KEV and EPSS, and the
 * scanner's solutions (a draft its actor completes), and the findings go
 * to dalam_perbaikan with the ticket as the reason; one transaction.
 * Refused, naming the finding, when one is not open, is already in a
 * patch case, is on no asset, is of another OPD than the others, or when
 * findings of several assets share no software. The actor must be CSIRT
 * staff who may open a patch case. */
int finding_patch_open(app *a, const char *actor, const int64_t *ids, size_t n,
		       const char *origin, char ticket[32], sg_err *e);
/* Links findings of one asset to an open CTI case (kind assessment: its
 * vulnerability assessment, step 5), shown with the FP/FN decision. The
 * actor must be CSIRT staff who sees the whole case. */
int finding_case_link(app *a, const char *actor, const char *ticket, const int64_t *ids,
		      size_t n, sg_err *e);
/* The findings linked to a case: [{id, kind, title, severity, state,
 * asset: {id, name}|null, endpoint, cves, due_at, overdue, linked_at,
 * linked_by}], by id. opd_of NULL: all of them; else only those of the
 * assets of that user's OPD (a viewer outside the CSIRT, an agen_siber,
 * sees its own OPD's findings and no other's). */
json_t *finding_list_case(app *a, int64_t case_id, const char *opd_of, sg_err *e);
/* The draft of a case's step (step_drafts): {values, source, at, actor},
 * or JSON null when there is none. */
json_t *step_draft_get(app *a, int64_t case_id, int step_no, sg_err *e);
/* Inside an import's transaction, after its no-longer-present pass: each
 * open patch case all of whose linked findings this import made
 * diperbaiki records it: the verification of its implementation step
 * drafted from the import, the report attached as evidence, a comment
 * and a logbook entry. The step's decision stays its actor's. */
int finding_cases_rescan(app *a, int64_t import_id, const char *actor, sg_err *e);
/* Inside an import's transaction: finding id came back (dibuka_kembali);
 * each open patch case it is linked to says so (a comment, the logbook)
 * and loses the verification a rescan had drafted. */
int finding_cases_reopened(app *a, int64_t id, int64_t import_id, const char *actor,
			   sg_err *e);

/* Overdue findings in "Tugas saya": open, past their due date, for the
 * holders of the role that monitors patches (the patch SOP's first step:
 * its administrator) all of them, for an agen_siber its OPD's; nobody
 * else's. The count stops at cap (<= 0: none); the list is finding_list's
 * rows, the soonest due first, *total counting them all. */
int finding_tasks_count(app *a, const char *user, json_t *roles, int64_t cap, int64_t *out,
			sg_err *e);
json_t *finding_tasks(app *a, const char *user, json_t *roles, int limit, int64_t *total,
		      sg_err *e);

/* Whether user may read the report files of imports (the CSIRT's staff;
 * NULL, the machine's owner, too): import_file.c. */
bool finding_report_readable(app *a, const char *user);
/* The scanner of import id ("openvas", "nmap", "nuclei", "wpscan"). */
int vuln_import_scanner(app *a, int64_t id, char *out, size_t n, sg_err *e);

#endif
