/*
 * test_assets.c: the register of assets. asset_find answers which asset
 * an alert, finding or case belongs to, the most specific identifier
 * winning; the identifiers are read in one normal form (asset_ident.c).
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "app/asset_ident.h"

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
