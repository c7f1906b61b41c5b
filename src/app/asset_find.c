/*
 * asset_find.c: which registered asset an alert, a finding or a case
 * belongs to.
 *
 * The most specific identifier wins, tried in this order, the first that
 * matches an asset in service (not retired) deciding:
 *   1. the Wazuh agent id, then the agent name (one agent is one machine);
 *   2. the URL: same origin (scheme, host, port), the registered path that
 *      covers the requested one and is longest (an application at
 *      /simpeg/ beats the site at /);
 *   3. the host: as a host name exactly (lower case), or when it is an
 *      address, the address itself or the narrowest range holding it; the
 *      URL's host is tried the same way when no host is given, or after it;
 * Two assets that tie (the same host name registered twice) resolve to
 * the older one (lowest id), so the answer never depends on row order.
 *
 * Cost: each step is an index probe; a URL's origin reads every path
 * registered under that origin (a handful); an address registered itself
 * is one probe, and only one that is not reads the ranges starting at or
 * below it, which is every range of the family in the worst case
 * (O(ranges); a kabupaten registers hundreds).
 */
#include <string.h>

#include "app.h"
#include "asset_ident.h"

/* The first asset in service whose column equals v. */
static int by_column(app *a, const char *sql, const char *v, int64_t *id, sg_err *e)
{
	int rc = db_query_int(a->db, e, id, sql, "s", v);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE)
		*id = 0;
	return 0;
}

static int by_url(app *a, const asset_url *u, int64_t *id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT u.asset_id, u.path FROM asset_urls u JOIN assets s ON s.id = u.asset_id "
			    "WHERE u.origin = ? AND s.retired_at IS NULL ORDER BY u.asset_id",
			    "s", u->origin) != 0)
		return -1;
	size_t best = 0;
	int rc;
	*id = 0;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *path = db_col_text(st, 1);
		size_t n = strlen(path);
		if (n > best && asset_path_covers(path, u->path)) {
			best = n;
			*id = db_col_int(st, 0);
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* A host that is an address or a host name; one that is neither matches
 * nothing (an alert's field may hold anything). */
static int by_host(app *a, const char *host, int64_t *id, sg_err *e)
{
	sg_err ignore;
	asset_addr ad;
	*id = 0;
	if (strchr(host, '/') == NULL && asset_addr_parse(host, &ad, &ignore) == 0) {
		/* the address itself first: one probe of the index, and the
		 * narrowest range there is when it is registered */
		int rc = db_query_int(a->db, e, id,
				      "SELECT r.asset_id FROM asset_addresses r "
				      "JOIN assets s ON s.id = r.asset_id "
				      "WHERE r.family = ? AND r.lo = ?2 AND r.hi = ?2 AND s.retired_at IS NULL "
				      "ORDER BY r.asset_id LIMIT 1",
				      "is", (int64_t)ad.family, ad.lo);
		if (rc != DB_DONE)
			return rc < 0 ? -1 : 0;
		rc = db_query_int(a->db, e, id,
				      "SELECT r.asset_id FROM asset_addresses r "
				      "JOIN assets s ON s.id = r.asset_id "
				      "WHERE r.family = ? AND r.lo <= ? AND r.hi >= ? AND s.retired_at IS NULL "
				      "ORDER BY r.prefix DESC, r.asset_id LIMIT 1",
				      "iss", (int64_t)ad.family, ad.lo, ad.lo);
		if (rc == DB_DONE)
			*id = 0;
		return rc < 0 ? -1 : 0;
	}
	char name[ASSET_HOST_MAX + 1];
	if (asset_host_norm(host, name, &ignore) != 0)
		return 0;
	return by_column(a,
			 "SELECT h.asset_id FROM asset_hosts h JOIN assets s ON s.id = h.asset_id "
			 "WHERE h.host = ? AND s.retired_at IS NULL ORDER BY h.asset_id LIMIT 1",
			 name, id, e);
}

static bool given(const char *s)
{
	return s && *s;
}

int asset_find(app *a, const char *agent_id, const char *agent_name, const char *host,
	       const char *url, int64_t *asset_id, sg_err *e)
{
	*asset_id = 0;
	if (given(agent_id)) {
		if (by_column(a,
			      "SELECT id FROM assets WHERE wazuh_agent_id = ? AND retired_at IS NULL "
			      "ORDER BY id LIMIT 1",
			      agent_id, asset_id, e) != 0)
			return -1;
		if (*asset_id)
			return 0;
	}
	if (given(agent_name)) {
		if (by_column(a,
			      "SELECT id FROM assets WHERE wazuh_agent_name = ? AND retired_at IS NULL "
			      "ORDER BY id LIMIT 1",
			      agent_name, asset_id, e) != 0)
			return -1;
		if (*asset_id)
			return 0;
	}
	asset_url u;
	sg_err ignore;
	bool have_url = given(url) && asset_url_parse(url, &u, &ignore) == 0;
	if (have_url) {
		if (by_url(a, &u, asset_id, e) != 0)
			return -1;
		if (*asset_id)
			return 0;
	}
	if (given(host)) {
		if (by_host(a, host, asset_id, e) != 0)
			return -1;
		if (*asset_id)
			return 0;
	}
	if (have_url && !(given(host) && strcmp(host, u.host) == 0))
		return by_host(a, u.host, asset_id, e);
	return 0;
}
