/*
 * fill.c: fills a sigap database with N incident cases for the web
 * benchmark, through the same app functions the server uses (so the rows,
 * the search index and the logbook are what real use makes). One case in
 * three is advanced to step 2, one in ten is classified; titles and fields
 * vary so full-text search has work to do. Prints progress on stderr.
 *
 *   sigap-fill DATABASE N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"

static const char *const systems[] = {"simpeg", "simpus", "e-office", "lpse", "sipd", "website desa",
				      "portal pajak", "email dinas"};
static const char *const what[] = {"defacement", "phishing", "ransomware", "brute force SSH",
				   "kebocoran data", "DDoS", "malware", "akun diretas"};

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sigap-fill DATABASE N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	app_config cfg;
	sg_err e = {0};
	app a;
	if (app_config_load(&cfg, NULL, &e) != 0)
		return 1;
	free(cfg.db_path);
	cfg.db_path = strdup(argv[1]);
	if (app_open(&a, &cfg, DB_OPEN_EXISTING, &e) != 0) {
		fprintf(stderr, "sigap-fill: %s\n", e.msg);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		char title[160], sys[64], desc[200], contact[64];
		const char *s = systems[i % 8], *w = what[(i / 8) % 8];
		snprintf(title, sizeof title, "Dugaan %s pada %s nomor %ld", w, s, i);
		snprintf(sys, sizeof sys, "%s.example.go.id", s);
		snprintf(desc, sizeof desc, "Laporan %s: %s terdeteksi pada sistem %s.", w, w, s);
		snprintf(contact, sizeof contact, "pelapor%ld@example.id", i);
		sop_value v[] = {{"pelapor_nama", "Pelapor Uji"},
				 {"pelapor_kontak", contact},
				 {"sistem_terdampak", sys},
				 {"uraian_kejadian", desc}};
		case_new_req req = {"insiden", title, v, 4, "pelapor", "bench"};
		char t[32];
		if (case_new(&a, &req, t, &e) != 0) {
			fprintf(stderr, "sigap-fill: %s\n", e.msg);
			return 1;
		}
		if (i % 3 == 0) {
			case_step_req sr = {t, "pelapor", NULL, NULL, 0, "bench"};
			case_step_result r;
			if (case_step(&a, &sr, &r, &e) != 0) {
				fprintf(stderr, "sigap-fill: %s\n", e.msg);
				return 1;
			}
		}
		if ((i + 1) % 10000 == 0)
			fprintf(stderr, "\rsigap-fill: %ld / %ld cases", i + 1, n);
	}
	fprintf(stderr, "\n");
	app_close(&a);
	return 0;
}
