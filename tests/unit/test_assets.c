/*
 * test_assets.c: the register of assets. asset_find answers which asset
 * an alert, finding or case belongs to, the most specific identifier
 * winning; the identifiers are read in one normal form (asset_ident.c).
 * Who sees and keeps what (an agen_siber its own OPD's), the logbook's
 * record of each change, and the CSV: export read back by import, a bad
 * file refused whole with every bad line.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "app/asset_ident.h"
#include "base/csv.h"

/* Inserts an asset of OPD 1 with SQL (the register's own writes are
 * tested below); returns its id. */
static int64_t raw_asset(app *a, const char *name, const char *agent_id, const char *agent_name)
{
	sg_err e = {0};
	int64_t id = 0;
	assert_int_equal(db_query_int(a->db, &e, &id,
				      "INSERT INTO assets (opd_id, name, kind, wazuh_agent_id, "
				      "wazuh_agent_name, created_at, created_by, updated_at) "
				      "VALUES (1, ?, 'server', ?, ?, 0, 'test', 0) RETURNING id",
				      "sss", name, agent_id, agent_name),
			 DB_ROW);
	return id;
}

static void raw_addr(app *a, int64_t id, const char *v)
{
	sg_err e = {0};
	asset_addr ad;
	if (asset_addr_parse(v, &ad, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(db_run(a->db, &e,
				"INSERT INTO asset_addresses (asset_id, value, family, prefix, lo, hi) "
				"VALUES (?, ?, ?, ?, ?, ?)",
				"isiiss", id, ad.value, (int64_t)ad.family, (int64_t)ad.prefix, ad.lo,
				ad.hi),
			 0);
}

static void raw_host(app *a, int64_t id, const char *h)
{
	sg_err e = {0};
	assert_int_equal(db_run(a->db, &e, "INSERT INTO asset_hosts (asset_id, host) VALUES (?, ?)",
				"is", id, h),
			 0);
}

static void raw_url(app *a, int64_t id, const char *url)
{
	sg_err e = {0};
	asset_url u;
	if (asset_url_parse(url, &u, &e) != 0)
		fail_msg("%s", e.msg);
	char norm[4400];
	snprintf(norm, sizeof norm, "%s%s", u.origin, u.path);
	assert_int_equal(db_run(a->db, &e,
				"INSERT INTO asset_urls (asset_id, url, origin, path) VALUES (?, ?, ?, ?)",
				"isss", id, norm, u.origin, u.path),
			 0);
}

static int64_t find(app *a, const char *agent_id, const char *agent_name, const char *host,
		    const char *url)
{
	sg_err e = {0};
	int64_t id = -1;
	if (asset_find(a, agent_id, agent_name, host, url, &id, &e) != 0)
		fail_msg("asset_find: %s", e.msg);
	return id;
}

typedef struct fixture {
	char *dir;
	app a;
	int64_t srv, web, simpeg, net, lan, dmz, twin1, twin2, v6;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = scratch_new();
	test_app_open(&f->a, f->dir, wib("2026-12-01 09:00"));
	sg_err e = {0};
	assert_int_equal(db_run(f->a.db, &e,
				"INSERT INTO opd (id, name, abbrev, created_at, updated_at) "
				"VALUES (1, 'Dinas Komunikasi dan Informatika', 'DISKOMINFO', 0, 0)",
				""),
			 0);
	app *a = &f->a;
	f->srv = raw_asset(a, "Server web 01", "003", "web01");
	raw_host(a, f->srv, "web01.kab.go.id");
	raw_addr(a, f->srv, "10.20.1.15");
	f->web = raw_asset(a, "Portal kabupaten", NULL, NULL);
	raw_url(a, f->web, "https://portal.kab.go.id/");
	f->simpeg = raw_asset(a, "SIMPEG", NULL, NULL);
	raw_url(a, f->simpeg, "https://portal.kab.go.id/simpeg/");
	f->net = raw_asset(a, "Jaringan pemda", NULL, NULL);
	raw_addr(a, f->net, "10.20.0.0/16");
	f->lan = raw_asset(a, "LAN Dinkes", NULL, NULL);
	raw_addr(a, f->lan, "10.20.5.0/24");
	f->dmz = raw_asset(a, "DMZ", NULL, NULL);
	raw_addr(a, f->dmz, "10.0.0.0/8");
	f->twin1 = raw_asset(a, "Mail lama", NULL, NULL);
	raw_host(a, f->twin1, "mail.kab.go.id");
	f->twin2 = raw_asset(a, "Mail baru", NULL, NULL);
	raw_host(a, f->twin2, "mail.kab.go.id");
	f->v6 = raw_asset(a, "Jaringan IPv6", NULL, NULL);
	raw_addr(a, f->v6, "2001:db8:10::/48");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	app_close(&f->a);
	scratch_free(f->dir);
	free(f);
	return 0;
}

static void test_find_by_agent_id_then_name(void **state)
{
	fixture *f = *state;
	assert_int_equal(find(&f->a, "003", NULL, NULL, NULL), f->srv);
	assert_int_equal(find(&f->a, NULL, "web01", NULL, NULL), f->srv);
	/* an unknown agent id falls through to the name */
	assert_int_equal(find(&f->a, "999", "web01", NULL, NULL), f->srv);
	/* the agent beats the address of another asset */
	assert_int_equal(find(&f->a, "003", NULL, "10.20.5.9", NULL), f->srv);
}

static void test_find_by_host_name_any_case(void **state)
{
	fixture *f = *state;
	assert_int_equal(find(&f->a, NULL, NULL, "WEB01.kab.go.id.", NULL), f->srv);
	assert_int_equal(find(&f->a, NULL, NULL, "web02.kab.go.id", NULL), 0);
}

static void test_find_by_address_narrowest_range_wins(void **state)
{
	fixture *f = *state;
	/* the exact address beats /24, /16 and /8 holding it */
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.1.15", NULL), f->srv);
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.5.200", NULL), f->lan);
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.6.1", NULL), f->net);
	assert_int_equal(find(&f->a, NULL, NULL, "10.99.0.1", NULL), f->dmz);
	assert_int_equal(find(&f->a, NULL, NULL, "192.168.1.1", NULL), 0);
	/* the range's edges are inside it, the next address is not */
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.5.0", NULL), f->lan);
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.5.255", NULL), f->lan);
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.6.0", NULL), f->net);
	/* IPv6, and an IPv4-mapped IPv6 address read as IPv4 */
	assert_int_equal(find(&f->a, NULL, NULL, "2001:db8:10:ffff::1", NULL), f->v6);
	assert_int_equal(find(&f->a, NULL, NULL, "2001:db8:11::1", NULL), 0);
	assert_int_equal(find(&f->a, NULL, NULL, "::ffff:10.20.5.7", NULL), f->lan);
}

static void test_find_by_url_longest_prefix(void **state)
{
	fixture *f = *state;
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "https://portal.kab.go.id/simpeg/login.php?x=1"),
			 f->simpeg);
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "https://portal.kab.go.id/simpeg"), f->simpeg);
	/* "/simpegx" is not under "/simpeg/" */
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "https://portal.kab.go.id/simpegx"), f->web);
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "HTTPS://Portal.Kab.go.id:443/berita"), f->web);
	/* another scheme or port is another origin */
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "http://portal.kab.go.id/simpeg/"), 0);
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "https://portal.kab.go.id:8443/"), 0);
	/* no URL registered: the URL's host as a host name or an address */
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "http://web01.kab.go.id/status"), f->srv);
	assert_int_equal(find(&f->a, NULL, NULL, NULL, "http://10.20.5.3:8080/"), f->lan);
	/* the URL beats the host given beside it */
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.1.15", "https://portal.kab.go.id/simpeg/"),
			 f->simpeg);
}

static void test_find_ties_go_to_the_oldest(void **state)
{
	fixture *f = *state;
	assert_int_equal(find(&f->a, NULL, NULL, "mail.kab.go.id", NULL), f->twin1);
}

static void test_find_nothing(void **state)
{
	fixture *f = *state;
	assert_int_equal(find(&f->a, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(find(&f->a, "", "", "", ""), 0);
	assert_int_equal(find(&f->a, "777", "nobody", "not a host!", "not a url"), 0);
}

static void test_find_skips_retired(void **state)
{
	fixture *f = *state;
	sg_err e = {0};
	assert_int_equal(db_run(f->a.db, &e, "UPDATE assets SET retired_at = 1 WHERE id = ?", "i",
				f->lan),
			 0);
	assert_int_equal(find(&f->a, NULL, NULL, "10.20.5.200", NULL), f->net);
	assert_int_equal(db_run(f->a.db, &e, "UPDATE assets SET retired_at = 1 WHERE id = ?", "i",
				f->twin1),
			 0);
	assert_int_equal(find(&f->a, NULL, NULL, "mail.kab.go.id", NULL), f->twin2);
}

static void test_addresses_in_normal_form(void **state)
{
	(void)state;
	asset_addr ad;
	sg_err e = {0};
	assert_int_equal(asset_addr_parse("10.20.0.0/16", &ad, &e), 0);
	assert_string_equal(ad.lo, "0a140000");
	assert_string_equal(ad.hi, "0a14ffff");
	assert_string_equal(ad.value, "10.20.0.0/16");
	assert_int_equal(asset_addr_parse("10.20.1.15/32", &ad, &e), 0);
	assert_string_equal(ad.value, "10.20.1.15");
	assert_int_equal(asset_addr_parse("2001:DB8::/32", &ad, &e), 0);
	assert_string_equal(ad.value, "2001:db8::/32");
	assert_int_equal(asset_addr_parse("10.20.1.15/16", &ad, &e), -1);
	assert_non_null(strstr(e.msg, "host bits set: the range is 10.20.0.0/16"));
	assert_int_equal(asset_addr_parse("10.20.0.0/33", &ad, &e), -1);
	assert_non_null(strstr(e.msg, "at most 32"));
	assert_int_equal(asset_addr_parse("10.20.0.0/", &ad, &e), -1);
	assert_int_equal(asset_addr_parse("300.1.1.1", &ad, &e), -1);
	assert_int_equal(asset_addr_parse("web01", &ad, &e), -1);
}

static void test_cpe_strings_checked(void **state)
{
	(void)state;
	sg_err e = {0};
	assert_int_equal(asset_cpe_check("cpe:2.3:a:wordpress:wordpress:6.4.2:*:*:*:*:*:*:*", &e), 0);
	assert_int_equal(asset_cpe_check("cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*", &e), 0);
	assert_int_equal(asset_cpe_check("cpe:2.3:a:foo\\:bar:baz:1.0:*:*:*:*:*:*:*", &e), 0);
	assert_int_equal(asset_cpe_check("cpe:/a:wordpress:wordpress:6.4.2", &e), -1);
	assert_non_null(strstr(e.msg, "must begin 'cpe:2.3:'"));
	assert_int_equal(asset_cpe_check("cpe:2.3:a:wordpress:wordpress:6.4.2", &e), -1);
	assert_non_null(strstr(e.msg, "has 6 components"));
	assert_int_equal(asset_cpe_check("cpe:2.3:x:wordpress:wordpress:6.4.2:*:*:*:*:*:*:*", &e), -1);
	assert_int_equal(asset_cpe_check("cpe:2.3:a:wordpress::6.4.2:*:*:*:*:*:*:*", &e), -1);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(asset_cpe_check("cpe:2.3:a:word press:wp:6:*:*:*:*:*:*:*", &e), -1);
}

/* ---- the register's writes, sight and CSV ---- */

typedef struct reg {
	char *dir;
	app a;
} reg;

static int reg_setup(void **state)
{
	reg *r = calloc(1, sizeof *r);
	r->dir = scratch_new();
	test_app_open(&r->a, r->dir, wib("2026-12-01 09:00"));
	sg_err e = {0};
	const opd_in o1 = {"Dinas Kesehatan", "dinkes", "dr. Sari", "dinkes@example.id"};
	const opd_in o2 = {"Dinas Pendidikan", "DISDIK", NULL, NULL};
	int64_t id;
	if (opd_add(&r->a, "cli:test", &o1, &id, &e) != 0 || opd_add(&r->a, "cli:test", &o2, &id, &e) != 0)
		fail_msg("opd_add: %s", e.msg);
	const char *agent[] = {"agen_siber"};
	if (user_add_opd(&r->a, "cli:test", "agen.dinkes", agent, 1, "password-123", false, "DINKES", &e) != 0)
		fail_msg("agen: %s", e.msg);
	test_user(&r->a, "tt", "ttis");
	test_user(&r->a, "pj", "petugas");
	test_user(&r->a, "adm", "admin");
	*state = r;
	return 0;
}

static int reg_teardown(void **state)
{
	reg *r = *state;
	app_close(&r->a);
	scratch_free(r->dir);
	free(r);
	return 0;
}

static int64_t add(app *a, const char *actor, const char *opd, const char *name, sg_err *e)
{
	const char *hosts[] = {"srv.example.id"};
	const char *addrs[] = {"10.9.0.0/16"};
	asset_in in = {.opd = opd, .name = name, .kind = "server", .kse = "tinggi",
		       .hosts = hosts, .n_hosts = 1, .has_hosts = true,
		       .addresses = addrs, .n_addresses = 1, .has_addresses = true};
	int64_t id = 0;
	return asset_add(a, actor, &in, &id, e) == 0 ? id : -1;
}

/* An agent cannot register what another OPD's asset has (its site's
 * host, URL or addresses) nor a range wider than an OPD's network, and
 * its asset takes nothing that matched no asset: both would move other
 * OPDs' findings and alerts into its sight. */
static void test_agent_cannot_claim_other_opds_identifiers(void **state)
{
	reg *r = *state;
	sg_err e = {0};
	const char *h2[] = {"ppdb.disdik.example.id"};
	const char *u2[] = {"https://web.disdik.example.id/"};
	const char *a2[] = {"10.30.0.0/24"};
	asset_in theirs = {.opd = "DISDIK", .name = "PPDB", .kind = "aplikasi",
			   .hosts = h2, .n_hosts = 1, .has_hosts = true, .urls = u2, .n_urls = 1,
			   .has_urls = true, .addresses = a2, .n_addresses = 1, .has_addresses = true};
	int64_t id = 0;
	assert_int_equal(asset_add(&r->a, "tt", &theirs, &id, &e), 0);
	struct { const char *host, *url, *addr, *want; } cases[] = {
		{"ppdb.disdik.example.id", NULL, NULL, "is of asset"},
		{"web.disdik.example.id", NULL, NULL, "is of asset"},
		{NULL, "https://web.disdik.example.id/login", NULL, "is of asset"},
		{NULL, "https://ppdb.disdik.example.id:8443/", NULL, "is of asset"},
		{NULL, NULL, "10.30.0.77", "overlaps"},
		{NULL, NULL, "10.0.0.0/8", "wider than"},
		{NULL, NULL, "0.0.0.0/0", "wider than"},
		{NULL, NULL, "::/0", "wider than"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		asset_in in = {.opd = "DINKES", .name = "Milik DINKES", .kind = "server"};
		if (cases[i].host) {
			in.hosts = &cases[i].host;
			in.n_hosts = 1;
			in.has_hosts = true;
		}
		if (cases[i].url) {
			in.urls = &cases[i].url;
			in.n_urls = 1;
			in.has_urls = true;
		}
		if (cases[i].addr) {
			in.addresses = &cases[i].addr;
			in.n_addresses = 1;
			in.has_addresses = true;
		}
		e = (sg_err){0};
		assert_int_equal(asset_add(&r->a, "agen.dinkes", &in, &id, &e), -1);
		if (strstr(e.msg, cases[i].want) == NULL)
			fail_msg("case %zu: %s", i, e.msg);
	}
	/* its own network is fine; a keeper may register shared things */
	const char *mine[] = {"10.20.0.0/16"};
	asset_in ok = {.opd = "DINKES", .name = "Jaringan DINKES", .kind = "jaringan",
		       .addresses = mine, .n_addresses = 1, .has_addresses = true};
	assert_int_equal(asset_add(&r->a, "agen.dinkes", &ok, &id, &e), 0);
	const char *shared[] = {"web.disdik.example.id"};
	asset_in keeper = {.opd = "DINKES", .name = "Proksi bersama", .kind = "server",
			   .hosts = shared, .n_hosts = 1, .has_hosts = true};
	assert_int_equal(asset_add(&r->a, "tt", &keeper, &id, &e), 0);
}

static void test_agent_sees_and_keeps_its_own_opd_only(void **state)
{
	reg *r = *state;
	sg_err e = {0};
	int64_t mine = add(&r->a, "agen.dinkes", "DINKES", "SIMPUS", &e);
	assert_true(mine > 0);
	assert_int_equal(add(&r->a, "agen.dinkes", "DISDIK", "PPDB", &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	int64_t theirs = add(&r->a, "tt", "DISDIK", "PPDB", &e);
	assert_true(theirs > 0);
	/* sight */
	json_t *o = asset_get(&r->a, theirs, "agen.dinkes", &e);
	assert_null(o);
	assert_int_equal(e.code, SG_ENOTFOUND);
	o = asset_get(&r->a, mine, "agen.dinkes", &e);
	assert_non_null(o);
	json_decref(o);
	o = asset_get(&r->a, theirs, "pj", &e); /* CSIRT staff: every asset */
	assert_non_null(o);
	json_decref(o);
	asset_filter f = {.viewer = "agen.dinkes"};
	int64_t total = -1;
	json_t *l = asset_list(&r->a, &f, &total, &e);
	assert_int_equal(total, 1);
	json_decref(l);
	f.viewer = "adm"; /* admin keeps accounts, not the register */
	l = asset_list(&r->a, &f, &total, &e);
	assert_int_equal(total, 0);
	json_decref(l);
	/* staff who are no keeper read but do not write */
	asset_in ch = {.notes = "x"};
	assert_int_equal(asset_update(&r->a, "pj", theirs, &ch, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	/* an agent cannot give its asset away, nor touch another OPD's */
	ch = (asset_in){.opd = "DISDIK"};
	assert_int_equal(asset_update(&r->a, "agen.dinkes", mine, &ch, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	ch = (asset_in){.notes = "x"};
	assert_int_equal(asset_update(&r->a, "agen.dinkes", theirs, &ch, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	/* a ref field: another OPD's asset is unknown to the agent */
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)theirs);
	assert_int_equal(asset_ref_check(&r->a, "agen.dinkes", "aset", ref, &e), -1);
	assert_non_null(strstr(e.msg, "no asset"));
	assert_int_equal(asset_ref_check(&r->a, "tt", "aset", ref, &e), 0);
	assert_int_equal(asset_ref_check(&r->a, "tt", "aset", "999", &e), -1);
}

static void test_changes_are_logged_field_by_field(void **state)
{
	reg *r = *state;
	sg_err e = {0};
	int64_t id = add(&r->a, "tt", "DINKES", "SIMPUS", &e);
	int64_t before = count_rows(&r->a, "logbook");
	const char *urls[] = {"https://simpus.example.id/"};
	asset_in ch = {.kse = "strategis", .urls = urls, .n_urls = 1, .has_urls = true};
	assert_int_equal(asset_update(&r->a, "tt", id, &ch, &e), 0);
	assert_int_equal(count_rows(&r->a, "logbook"), before + 1);
	json_t *lb = logbook_list(&r->a, NULL, 1, NULL, &e);
	json_t *ent = json_array_get(lb, 0);
	assert_string_equal(json_string_value(json_object_get(ent, "action")), "asset.update");
	char *d = json_dumps(json_object_get(ent, "details"), JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(strstr(d, "\"kse\":{\"from\":\"tinggi\",\"to\":\"strategis\"}"));
	assert_non_null(strstr(d, "\"urls\":{\"from\":[],\"to\":[\"https://simpus.example.id/\"]}"));
	assert_null(strstr(d, "\"hosts\""));
	free(d);
	json_decref(lb);
	/* a refused change changes nothing, not even the logbook */
	const char *bad[] = {"10.1.2.3/8"};
	ch = (asset_in){.addresses = bad, .n_addresses = 1, .has_addresses = true};
	assert_int_equal(asset_update(&r->a, "tt", id, &ch, &e), -1);
	assert_int_equal(count_rows(&r->a, "logbook"), before + 1);
	/* retired: stays, changes no more */
	assert_int_equal(asset_retire(&r->a, "tt", id, "diganti", &e), 0);
	ch = (asset_in){.notes = "x"};
	assert_int_equal(asset_update(&r->a, "tt", id, &ch, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	assert_int_equal(count_rows(&r->a, "assets"), 1);
}

static void test_opd_in_use_stays(void **state)
{
	reg *r = *state;
	sg_err e = {0};
	assert_int_equal(opd_delete(&r->a, "adm", "dinkes", &e), -1); /* agen.dinkes belongs */
	assert_int_equal(e.code, SG_ESTATE);
	assert_int_equal(opd_delete(&r->a, "tt", "disdik", &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(opd_delete(&r->a, "adm", "disdik", &e), 0);
	/* an agen_siber keeps an OPD */
	assert_int_equal(user_set_opd(&r->a, "adm", "agen.dinkes", NULL, &e), -1);
	const char *roles[] = {"agen_siber"};
	assert_int_equal(user_update(&r->a, "adm", "pj", roles, 1, -1, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "place pj in one first"));
}

static void test_csv_round_trip(void **state)
{
	reg *r = *state;
	sg_err e = {0};
	const char *urls[] = {"https://ppdb.example.id/daftar/", "http://ppdb.example.id:8080/"};
	const asset_sw sw[] = {{"Laravel", "8.83.27", "cpe:2.3:a:laravel:framework:8.83.27:*:*:*:*:*:*:*"},
			       {"nginx", "", NULL}};
	asset_in in = {.opd = "DISDIK", .name = "PPDB, \"daring\"", .kind = "aplikasi",
		       .contact = "=cmd|' /C calc'!A0", .notes = "baris satu\nbaris dua",
		       .agent_name = "ppdb01", .agent_id = "007", .urls = urls, .n_urls = 2,
		       .has_urls = true, .software = sw, .n_software = 2, .has_software = true};
	int64_t id;
	assert_int_equal(asset_add(&r->a, "tt", &in, &id, &e), 0);
	assert_true(add(&r->a, "tt", "DINKES", "SIMPUS", &e) > 0);
	buf out = BUF_INIT;
	assert_int_equal(asset_export_csv(&r->a, NULL, NULL, &out, &e), 0);
	/* a formula is kept as text for a spreadsheet */
	assert_non_null(strstr(buf_str(&out), "\"'=cmd|' /C calc'!A0\""));
	/* so is a cell a spreadsheet would trim to one: a tab or a carriage
	 * return first (OWASP's list), and the guard comes off on import */
	buf cell = BUF_INIT;
	csv_put(&cell, "\r=HYPERLINK(1)", ',');
	assert_string_equal(buf_str(&cell), "\"'\r=HYPERLINK(1)\"");
	assert_string_equal(csv_unguard("'\r=HYPERLINK(1)"), "\r=HYPERLINK(1)");
	buf_free(&cell);
	char *dir2 = scratch_new();
	app b;
	test_app_open(&b, dir2, wib("2026-12-01 09:00"));
	const opd_in o1 = {"Dinas Kesehatan", "DINKES", NULL, NULL};
	const opd_in o2 = {"Dinas Pendidikan", "DISDIK", NULL, NULL};
	assert_int_equal(opd_add(&b, "cli:t", &o1, &id, &e), 0);
	assert_int_equal(opd_add(&b, "cli:t", &o2, &id, &e), 0);
	asset_import_result res;
	diags d = DIAGS_INIT;
	if (asset_import_csv(&b, "cli:t", "x.csv", buf_str(&out), out.len, &res, &d, &e) != 0)
		fail_msg("import: %s (%s)", e.msg, d.n ? d.v[0].msg : "");
	assert_int_equal(res.added, 2);
	buf again = BUF_INIT;
	assert_int_equal(asset_export_csv(&b, NULL, NULL, &again, &e), 0);
	assert_string_equal(buf_str(&again), buf_str(&out));
	/* importing it again adds none and changes none: no logbook entry */
	int64_t after = 0;
	assert_int_equal(asset_import_csv(&b, "cli:t", "x.csv", buf_str(&out), out.len, &res, &d, &e), 0);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.updated, 0);
	assert_int_equal(db_query_int(b.db, &e, &after,
				      "SELECT COUNT(*) FROM logbook WHERE action = 'asset.update'", ""),
			 DB_ROW);
	assert_int_equal(after, 0);
	/* one row changed: one asset changed */
	char *edited = strdup(buf_str(&out));
	char *p = strstr(edited, "baris satu");
	assert_non_null(p);
	memcpy(p, "BARIS", 5);
	assert_int_equal(asset_import_csv(&b, "cli:t", "x.csv", edited, strlen(edited), &res, &d, &e), 0);
	free(edited);
	assert_int_equal(res.updated, 1);
	int64_t ppdb = 0;
	assert_int_equal(asset_find(&b, "007", NULL, NULL, NULL, &ppdb, &e), 0);
	json_t *o = asset_get(&b, ppdb, NULL, &e);
	assert_string_equal(json_string_value(json_object_get(o, "contact")), "=cmd|' /C calc'!A0");
	assert_string_equal(json_string_value(json_object_get(o, "notes")), "BARIS satu\nbaris dua");
	json_decref(o);
	/* a spreadsheet's Indonesian export: ';' between fields, a BOM */
	const char *semi = "\xef\xbb\xbfopd;name;kind;addresses\r\nDINKES;Server Lab;server;10.20.7.1 10.20.8.0/24\r\n";
	assert_int_equal(asset_import_csv(&b, "cli:t", "semi.csv", semi, strlen(semi), &res, &d, &e), 0);
	assert_int_equal(res.added, 1);
	int64_t found = 0;
	assert_int_equal(asset_find(&b, NULL, NULL, "10.20.8.9", NULL, &found, &e), 0);
	assert_true(found > 0);
	diags_free(&d);
	buf_free(&again);
	buf_free(&out);
	app_close(&b);
	scratch_free(dir2);
}

static void test_csv_bad_rows_store_nothing(void **state)
{
	reg *r = *state;
	sg_err e = {0};
	const char *csv = "opd,name,kind,hosts\n"
			  "DINKES,A,server,a.example.id\n"
			  "DINKES,B,server,10.0.0.1\n"  /* an address among host names */
			  "DINKES,\"C\nD\",server,\n"   /* a name over two lines */
			  "DINKES,E,server\n"           /* too few fields */
			  "DINKES,F,server,\"open\n";   /* a quote left open */
	int64_t before = count_rows(&r->a, "logbook");
	asset_import_result res;
	diags d = DIAGS_INIT;
	assert_int_equal(asset_import_csv(&r->a, "tt", "b.csv", csv, strlen(csv), &res, &d, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.v[0].line, 3);
	assert_non_null(strstr(d.v[0].msg, "is an address"));
	assert_int_equal(d.v[1].line, 4);
	assert_non_null(strstr(d.v[1].msg, "name contains control characters"));
	assert_int_equal(d.v[2].line, 6);
	assert_non_null(strstr(d.v[2].msg, "3 fields, and the header has 4"));
	assert_int_equal(d.v[3].line, 7);
	assert_non_null(strstr(d.v[3].msg, "a quote left open"));
	assert_int_equal(count_rows(&r->a, "assets"), 0);
	assert_int_equal(count_rows(&r->a, "logbook"), before);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_by_agent_id_then_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_by_host_name_any_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_by_address_narrowest_range_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_by_url_longest_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_ties_go_to_the_oldest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_skips_retired, setup, teardown),
		cmocka_unit_test(test_addresses_in_normal_form),
		cmocka_unit_test(test_cpe_strings_checked),
		cmocka_unit_test_setup_teardown(test_agent_cannot_claim_other_opds_identifiers, reg_setup, reg_teardown),
		cmocka_unit_test_setup_teardown(test_agent_sees_and_keeps_its_own_opd_only, reg_setup, reg_teardown),
		cmocka_unit_test_setup_teardown(test_changes_are_logged_field_by_field, reg_setup, reg_teardown),
		cmocka_unit_test_setup_teardown(test_opd_in_use_stays, reg_setup, reg_teardown),
		cmocka_unit_test_setup_teardown(test_csv_round_trip, reg_setup, reg_teardown),
		cmocka_unit_test_setup_teardown(test_csv_bad_rows_store_nothing, reg_setup, reg_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
