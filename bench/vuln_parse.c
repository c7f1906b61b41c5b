/*
 * vuln_parse.c: the scanner-report parse benchmark's measuring program
 * (bench/vuln.sh), and a way to see what the parsers make of a report.
 *
 *   sigap-vuln-parse bare FILE    libxml2's streaming reader over FILE doing
 *                                 no work: the floor any XML import stands on
 *   sigap-vuln-parse parse FILE   vuln_parse_file with a callback that does
 *                                 nothing
 *   sigap-vuln-parse dump FILE    every result as a line of text (a look at
 *                                 the mapping; not a sigap command)
 *
 * bare and parse print "SECONDS s, N results, PEAK MiB peak" on one line:
 * the time of the parse alone and the process's peak resident memory, so
 * each mode runs in its own process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libxml/xmlreader.h>

#include "vuln/scan.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* user and system time: what the run cost a shared machine's core */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int nothing(void *ctx, const vuln_result *r, sg_err *e)
{
	(void)ctx, (void)r, (void)e;
	return 0;
}

static int dump(void *ctx, const vuln_result *r, sg_err *e)
{
	(void)ctx, (void)e;
	printf("%s | %s | %s | %s | %s | %s | %s | cvss3 %.1f %s | cvss4 %.1f %s | cwe %s | %s %s |",
	       r->vuln_id, vuln_severity_name(r->severity), r->host ? r->host : "-",
	       r->hostname ? r->hostname : "-", r->port ? r->port : "-", r->url ? r->url : "-",
	       r->title, r->cvss3_score, r->cvss3_vector ? r->cvss3_vector : "-", r->cvss4_score,
	       r->cvss4_vector ? r->cvss4_vector : "-", r->cwe ? r->cwe : "-",
	       r->component ? r->component : "-", r->component_version ? r->component_version : "-");
	for (size_t i = 0; i < r->n_cves; i++)
		printf(" %s", r->cves[i]);
	printf(" | refs %zu | desc %zu | sol %zu | evidence %zu\n", r->n_refs,
	       r->description ? strlen(r->description) : 0, r->solution ? strlen(r->solution) : 0,
	       r->evidence ? strlen(r->evidence) : 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sigap-vuln-parse bare|parse|dump FILE\n");
		return 2;
	}
	double t0 = now();
	size_t n = 0;
	if (strcmp(argv[1], "bare") == 0) {
		xmlTextReaderPtr r = xmlReaderForFile(argv[2], NULL, XML_PARSE_NONET | XML_PARSE_COMPACT);
		if (!r)
			return 1;
		int rc;
		while ((rc = xmlTextReaderRead(r)) == 1)
			if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
			    xmlStrEqual(xmlTextReaderConstLocalName(r), BAD_CAST "result"))
				n++;
		xmlFreeTextReader(r);
		if (rc < 0)
			return 1;
	} else {
		vuln_report_info info;
		sg_err e = {0};
		bool d = strcmp(argv[1], "dump") == 0;
		if (vuln_parse_file(argv[2], VULN_AUTO, d ? dump : nothing, NULL, &info, &e) != 0) {
			fprintf(stderr, "sigap-vuln-parse: %s\n", e.msg);
			vuln_report_info_free(&info);
			return 1;
		}
		n = info.results;
		if (d) {
			printf("format %s, %zu results, %zu skipped, %zu targets, %lld-%lld\n", info.format,
			       info.results, info.skipped, info.n_targets, (long long)info.started,
			       (long long)info.ended);
			vuln_report_info_free(&info);
			return 0;
		}
		vuln_report_info_free(&info);
	}
	printf("%.3f s, %zu results, %ld MiB peak, %.3f s cpu\n", now() - t0, n, peak_mib(), cpu_s());
	return 0;
}
