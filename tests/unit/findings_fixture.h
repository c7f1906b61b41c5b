/*
 * findings_fixture.h: the store the findings tests share
 * (test_findings.c, test_finding_cases.c): two OPDs and three assets on a
 * real SQLite file with a fixed clock, an OPD's cyber agent, and a
 * scanner report imported from results as the parsers give them.
 */
#ifndef SG_TEST_FINDINGS_FIXTURE_H
#define SG_TEST_FINDINGS_FIXTURE_H

#include <stdbool.h>

#include "app/findings.h"

static const int64_t DAY = 86400;

typedef struct fixture {
	char *dir;
	app a;
	int64_t t0;              /* 2026-11-02 09:00 WIB */
	int64_t srv, web, other; /* srv (10.0.0.5) and web of DINKES (OPD 1), other
	                          * (10.0.9.9) of BAPPEDA (OPD 2) */
} fixture;

/* The store with its OPDs and assets; web is named web_name on web_host
 * (an address or a host name). Users are each test's own. */
fixture *ff_open(const char *web_name, const char *web_host);
void ff_close(fixture *f);
/* An asset of opd on host (an address, else a host name). */
int64_t ff_asset(app *a, int64_t opd, const char *name, const char *host);
/* user (already added) becomes the cyber agent (agen_siber) of opd. */
void ff_agent(app *a, const char *user, int64_t opd);

/* One report: results of scanner (VULN_AUTO: told as Nmap's at the end)
 * by actor, covering targets. */
typedef struct ff_report {
	const char *actor;
	const char *filename;
	vuln_scanner scanner;
	const char *const *targets;
	size_t n_targets;
	bool partial;
	int64_t asset; /* every result on this asset (0: each one's own) */
} ff_report;
/* Imports rs[0..n) as rep in one transaction; 0 or -1, the summary in
 * *sum. */
int ff_import(app *a, const ff_report *rep, const vuln_result *rs, size_t n,
              vuln_import_summary *sum, sg_err *e);
/* A Nuclei JSON lines report of n results, template t<i> on host(i)
 * (the line at broken, when below n, cut short); malloc'd. */
char *ff_nuclei_lines(size_t n, const char *(*host)(size_t), size_t broken);
/* A host outside every asset of the fixture, whatever i. */
const char *ff_outside(size_t i);

#endif
