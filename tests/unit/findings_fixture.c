/*
 * findings_fixture.c: the store the findings tests share (see
 * findings_fixture.h).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/asset_ident.h"
#include "findings_fixture.h"

int64_t ff_asset(app *a, int64_t opd, const char *name, const char *host)
{
	sg_err e = {0};
	int64_t id = 0;
	assert_int_equal(db_query_int(a->db, &e, &id,
	                              "INSERT INTO assets (opd_id, name, kind, created_at, "
	                              "created_by, updated_at) VALUES (?, ?, 'server', 0, 'test', 0) "
	                              "RETURNING id",
	                              "is", opd, name),
	                 DB_ROW);
	asset_addr ad;
	if (asset_addr_parse(host, &ad, &e) == 0)
		assert_int_equal(db_run(a->db, &e,
		                        "INSERT INTO asset_addresses (asset_id, value, family, prefix, "
		                        "lo, hi) VALUES (?, ?, ?, ?, ?, ?)",
		                        "isiiss", id, ad.value, (int64_t)ad.family, (int64_t)ad.prefix,
		                        ad.lo, ad.hi),
		                 0);
	else
		assert_int_equal(db_run(a->db, &e,
		                        "INSERT INTO asset_hosts (asset_id, host) VALUES (?, ?)", "is",
		                        id, host),
		                 0);
	return id;
}

void ff_agent(app *a, const char *user, int64_t opd)
{
	sg_err e = {0};
	/* the role and the OPD as the register gives them (0013_assets.sql) */
	assert_int_equal(db_run(a->db, &e,
	                        "INSERT INTO user_roles (user_id, role) SELECT id, 'agen_siber' "
	                        "FROM users WHERE name = ?",
	                        "s", user),
	                 0);
	assert_int_equal(db_run(a->db, &e, "UPDATE users SET opd_id = ? WHERE name = ?", "is", opd,
	                        user),
	                 0);
}

fixture *ff_open(const char *web_name, const char *web_host)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = scratch_new();
	f->t0 = wib("2026-11-02 09:00");
	test_app_open(&f->a, f->dir, f->t0);
	sg_err e = {0};
	assert_int_equal(db_run(f->a.db, &e,
	                        "INSERT INTO opd (id, name, abbrev, created_at, updated_at) VALUES "
	                        "(1, 'Dinas Kesehatan', 'DINKES', 0, 0), "
	                        "(2, 'Badan Perencanaan', 'BAPPEDA', 0, 0)",
	                        ""),
	                 0);
	f->srv = ff_asset(&f->a, 1, "Server SIMPUS", "10.0.0.5");
	f->web = ff_asset(&f->a, 1, web_name, web_host);
	f->other = ff_asset(&f->a, 2, "Server Bappeda", "10.0.9.9");
	return f;
}

void ff_close(fixture *f)
{
	app_close(&f->a);
	scratch_free(f->dir);
	free(f);
}

int ff_import(app *a, const ff_report *rep, const vuln_result *rs, size_t n,
              vuln_import_summary *sum, sg_err *e)
{
	static int seq;
	char body[64];
	snprintf(body, sizeof body, "<report n=\"%d\"/>\n", ++seq);
	evidence_file file;
	if (evidence_spool_data(a, body, strlen(body), &file, e) != 0)
		return -1;
	vuln_import_req req = {.actor = rep->actor, .origin = "test", .file = &file,
	                       .filename = rep->filename, .scanner = rep->scanner,
	                       .asset_id = rep->asset, .partial = rep->partial};
	vuln_import *im = vuln_import_begin(a, &req, e);
	if (im == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (vuln_import_result(im, &rs[i], e) != 0) {
			vuln_import_abort(im);
			return -1;
		}
	vuln_report_info info = {.scanner = rep->scanner == VULN_AUTO ? VULN_NMAP : rep->scanner,
	                         .format = "test", .targets = (char **)rep->targets,
	                         .n_targets = rep->n_targets, .results = n};
	return vuln_import_end(im, &info, sum, e);
}

char *ff_nuclei_lines(size_t n, const char *(*host)(size_t), size_t broken)
{
	size_t cap = n * 256 + 1, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, cap - len,
		                        i == broken ? "{\"template-id\":\"t%zu\",\"info\":{\n"
		                                    : "{\"template-id\":\"t%zu\",\"info\":{\"name\":"
		                                      "\"T\",\"severity\":\"low\"},\"type\":\"http\","
		                                      "\"host\":\"http://%s\",\"matched-at\":"
		                                      "\"http://%s/x\"}\n",
		                        i, host(i), host(i));
	return out;
}

const char *ff_outside(size_t i)
{
	(void)i;
	return "198.51.100.7";
}
