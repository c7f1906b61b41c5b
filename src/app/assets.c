/*
 * assets.c: the register of sistem elektronik (assets) of the OPDs, and
 * who may see and change it.
 *
 * An asset belongs to one OPD (its PSE) and is known by identifiers kept
 * in their normal form (asset_ident.c) so asset_find can match alerts,
 * findings and cases to it. Sight follows need-to-know as cases do: the
 * CSIRT's staff (any staff role of an SOP) read the whole register; an
 * agen_siber reads its own OPD's assets only, and an asset of another OPD
 * is "not found" to it, as an unknown one is. Keeping the register is the
 * work of the patch SOP's people (administrator, tim_teknis) and of ttis
 * and kabid, who act on what it holds; an agen_siber also keeps its own
 * OPD's assets (the PSE knows its systems best) and cannot move one to
 * another OPD. admin keeps accounts and OPDs, not assets.
 *
 * Assets are retired, never deleted: findings, alerts, cases and the
 * logbook name them. A retired asset stays readable and matches nothing.
 * Every change is one transaction with a logbook entry on "asset:ID" that
 * says what changed (each field's old and new value).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "asset_ident.h"
#include "asset_int.h"
#include "case_row.h"
#include "col_json.h"

const char *const asset_kinds[] = {"aplikasi", "situs_web", "server", "jaringan", "perangkat", NULL};
const char *const asset_kse_levels[] = {"strategis", "tinggi", "rendah", NULL};
const char *const asset_criticalities[] = {"rendah", "sedang", "tinggi", "kritis", NULL};

/* The SOP roles that keep the register. */
static const char *const ASSET_KEEPERS[] = {"administrator", "tim_teknis", "ttis", "kabid", NULL};
static const char *const OPD_KEEPERS[] = {"admin", "kabid", NULL};

enum {
	ASSET_NAME_MAX = 200,
	ASSET_TEXT_MAX = 500,
	ASSET_NOTES_MAX = 8000,
	ASSET_LIST_MAX = 256, /* identifiers of one kind on one asset */
	AGENT_NAME_MAX = 128,
	SW_NAME_MAX = 200,
	SW_VERSION_MAX = 100,
	CPE_MAX = 400
};

static bool in_list(const char *const *list, const char *v)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], v) == 0)
			return true;
	return false;
}

static void list_text(const char *const *list, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; list[i]; i++) {
		strncat(out, i ? ", " : "", n - strlen(out) - 1);
		strncat(out, list[i], n - strlen(out) - 1);
	}
}

bool user_is_owner(const char *user)
{
	return user == NULL || strncmp(user, "cli:", 4) == 0 || strncmp(user, "sigap:", 6) == 0;
}

int asset_scope_of(app *a, const char *user, asset_scope *s, sg_err *e)
{
	memset(s, 0, sizeof *s);
	if (user_is_owner(user)) {
		s->read_all = s->write_all = s->keep_opd = true;
		return 0;
	}
	sg_err ignore;
	json_t *roles = user_roles(a, user, &ignore);
	if (roles == NULL)
		return 0; /* unknown or disabled: nobody */
	for (size_t i = 0; i < a->sops.n && !s->read_all; i++)
		s->read_all = roles_staff_of(a->sops.v[i].sop, roles);
	for (size_t i = 0; ASSET_KEEPERS[i]; i++)
		s->write_all |= roles_hold(roles, ASSET_KEEPERS[i]);
	for (size_t i = 0; OPD_KEEPERS[i]; i++)
		s->keep_opd |= roles_hold(roles, OPD_KEEPERS[i]);
	s->read_all |= s->write_all;
	int rc = 0;
	if (roles_hold(roles, "agen_siber")) {
		rc = db_query_int(a->db, e, &s->opd_id,
				  "SELECT COALESCE(opd_id, 0) FROM users WHERE name = ?", "s", user);
		rc = rc < 0 ? -1 : 0;
	}
	json_decref(roles);
	return rc;
}

static bool may_read(const asset_scope *s, int64_t opd_id)
{
	return s->read_all || (s->opd_id && s->opd_id == opd_id);
}

static bool may_write(const asset_scope *s, int64_t opd_id)
{
	return s->write_all || (s->opd_id && s->opd_id == opd_id);
}

bool asset_scope_writes(const asset_scope *s, int64_t opd_id)
{
	return opd_id ? may_write(s, opd_id) : s->write_all || s->opd_id != 0;
}

/* ---- checking what is written ---- */

static int check_choice(const char *what, const char *const *list, const char *v, sg_err *e)
{
	if (in_list(list, v))
		return 0;
	char opts[200];
	list_text(list, opts, sizeof opts);
	return sg_err_set(e, SG_EINVAL, "%s '%s' is not one of %s", what, v, opts);
}

static int check_agent(const asset_in *in, sg_err *e)
{
	if (in->agent_id && *in->agent_id) {
		size_t n = strlen(in->agent_id);
		if (n > 16 || strspn(in->agent_id, "0123456789") != n)
			return sg_err_set(e, SG_EINVAL,
					  "a Wazuh agent id is digits, as the manager shows it (\"001\"), not '%s'",
					  in->agent_id);
	}
	if (in->agent_name && *in->agent_name) {
		size_t n = strlen(in->agent_name);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)in->agent_name[i];
			if (!isalnum(c) && !strchr("-_.", c))
				return sg_err_set(e, SG_EINVAL,
						  "a Wazuh agent name holds letters, digits, '-', '_' and '.', "
						  "not '%s'",
						  in->agent_name);
		}
		if (n > AGENT_NAME_MAX)
			return sg_err_set(e, SG_EINVAL, "a Wazuh agent name is at most %d characters",
					  AGENT_NAME_MAX);
	}
	return 0;
}

static int check_lists(const asset_in *in, sg_err *e)
{
	if (in->n_urls > ASSET_LIST_MAX || in->n_hosts > ASSET_LIST_MAX ||
	    in->n_addresses > ASSET_LIST_MAX || in->n_software > ASSET_LIST_MAX)
		return sg_err_set(e, SG_EINVAL, "an asset takes at most %d of each identifier",
				  ASSET_LIST_MAX);
	for (size_t i = 0; i < in->n_urls; i++) {
		asset_url u;
		if (asset_url_parse(in->urls[i], &u, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < in->n_hosts; i++) {
		asset_addr ad;
		sg_err ignore;
		if (asset_addr_parse(in->hosts[i], &ad, &ignore) == 0)
			return sg_err_set(e, SG_EINVAL, "'%s' is an address: give it as an address, not a host name",
					  in->hosts[i]);
		char h[ASSET_HOST_MAX + 1];
		if (asset_host_norm(in->hosts[i], h, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < in->n_addresses; i++) {
		asset_addr ad;
		if (asset_addr_parse(in->addresses[i], &ad, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < in->n_software; i++) {
		const asset_sw *w = &in->software[i];
		if (asset_text_check("a software component's name", w->name ? w->name : "", SW_NAME_MAX,
				     true, false, e) != 0 ||
		    (w->version && asset_text_check("a software component's version", w->version,
						     SW_VERSION_MAX, false, false, e) != 0))
			return -1;
		/* the separators of the CSV's software column (asset_csv.c) */
		if (strpbrk(w->name, ";|") || (w->version && strpbrk(w->version, ";|")) ||
		    (w->cpe && strpbrk(w->cpe, ";|")))
			return sg_err_set(e, SG_EINVAL,
					  "software component '%s': ';' and '|' separate components and "
					  "their parts, and cannot be in a name, version or CPE",
					  w->name);
		if (w->cpe && *w->cpe) {
			if (strlen(w->cpe) > CPE_MAX)
				return sg_err_set(e, SG_EINVAL, "a CPE string is at most %d characters", CPE_MAX);
			if (asset_cpe_check(w->cpe, e) != 0)
				return -1;
		}
	}
	return 0;
}

/* Checks every field given (create: the required ones must be). */
static int check_in(const asset_in *in, bool create, sg_err *e)
{
	if (create && (in->name == NULL || in->kind == NULL || in->opd == NULL))
		return sg_err_set(e, SG_EINVAL, "an asset needs a name, a kind and an OPD");
	if (in->name && asset_text_check("the asset's name", in->name, ASSET_NAME_MAX, true, false, e) != 0)
		return -1;
	if (in->kind && check_choice("kind", asset_kinds, in->kind, e) != 0)
		return -1;
	if (in->kse && *in->kse && check_choice("KSE category", asset_kse_levels, in->kse, e) != 0)
		return -1;
	if (in->criticality && *in->criticality &&
	    check_choice("criticality", asset_criticalities, in->criticality, e) != 0)
		return -1;
	if (in->contact &&
	    asset_text_check("the asset's contact", in->contact, ASSET_TEXT_MAX, false, false, e) != 0)
		return -1;
	if (in->notes && asset_text_check("the notes", in->notes, ASSET_NOTES_MAX, false, true, e) != 0)
		return -1;
	return check_agent(in, e) != 0 ? -1 : check_lists(in, e);
}

/* ---- reading ---- */

#define ASSET_COLUMNS                                                                              \
	"SELECT s.id, s.name, s.kind, s.opd_id, o.abbrev, o.name, s.contact, s.kse, "             \
	"s.criticality, s.notes, s.wazuh_agent_name, s.wazuh_agent_id, s.retired_at, "             \
	"s.retired_reason, s.created_at, s.created_by, s.updated_at "                              \
	"FROM assets s JOIN opd o ON o.id = s.opd_id "

static json_t *strings_of(app *a, const char *sql, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, json_string(db_col_text(st, 0)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The whole asset, whoever asks; *opd_id its OPD. */
static json_t *load_asset(app *a, int64_t id, int64_t *opd_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, ASSET_COLUMNS "WHERE s.id = ?", "i", id) != 0)
		return NULL;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no asset %lld", (long long)id);
		return NULL;
	}
	*opd_id = db_col_int(st, 3);
	json_t *o = json_pack(
	    "{s:I, s:o, s:o, s:{s:I, s:o, s:o}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:I}",
	    "id", (json_int_t)id, "name", col_json_text(st, 1), "kind", col_json_text(st, 2), "opd",
	    "id", (json_int_t)db_col_int(st, 3), "abbrev", col_json_text(st, 4), "name",
	    col_json_text(st, 5), "contact", col_json_text(st, 6), "kse", col_json_text(st, 7),
	    "criticality", col_json_text(st, 8), "notes", col_json_text(st, 9), "wazuh_agent_name",
	    col_json_text(st, 10), "wazuh_agent_id", col_json_text(st, 11), "retired_at",
	    col_json_int(st, 12), "retired_reason", col_json_text(st, 13), "created_at",
	    (json_int_t)db_col_int(st, 14), "created_by", col_json_text(st, 15), "updated_at",
	    (json_int_t)db_col_int(st, 16));
	db_finalize(st);
	json_t *urls = strings_of(a, "SELECT url FROM asset_urls WHERE asset_id = ? ORDER BY url", id, e);
	json_t *hosts =
	    strings_of(a, "SELECT host FROM asset_hosts WHERE asset_id = ? ORDER BY host", id, e);
	json_t *addrs = strings_of(
	    a, "SELECT value FROM asset_addresses WHERE asset_id = ? ORDER BY family, lo, prefix DESC",
	    id, e);
	json_object_set_new(o, "urls", urls ? urls : json_array());
	json_object_set_new(o, "hosts", hosts ? hosts : json_array());
	json_object_set_new(o, "addresses", addrs ? addrs : json_array());
	json_t *sw = json_array();
	json_object_set_new(o, "software", sw);
	if (urls == NULL || hosts == NULL || addrs == NULL ||
	    db_prepare_bind(a->db, &st, e,
			    "SELECT name, version, cpe FROM asset_software WHERE asset_id = ? ORDER BY id",
			    "i", id) != 0) {
		json_decref(o);
		return NULL;
	}
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(sw, json_pack("{s:o, s:o, s:o}", "name", col_json_text(st, 0),
						    "version", col_json_text(st, 1), "cpe",
						    col_json_text(st, 2)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *asset_get(app *a, int64_t id, const char *viewer, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(a, viewer, &s, e) != 0)
		return NULL;
	int64_t opd_id = 0;
	json_t *o = load_asset(a, id, &opd_id, e);
	if (o && !may_read(&s, opd_id)) {
		json_decref(o);
		sg_err_set(e, SG_ENOTFOUND, "no asset %lld", (long long)id);
		return NULL;
	}
	return o;
}

/* ---- the list ---- */

typedef struct sql_args {
	buf sql;
	const char *fmt_s[16];
	int64_t fmt_i[16];
	char kind[16];
	int n;
} sql_args;

static void arg_s(sql_args *q, const char *v)
{
	q->kind[q->n] = 's';
	q->fmt_s[q->n++] = v;
}

static void arg_i(sql_args *q, int64_t v)
{
	q->kind[q->n] = 'i';
	q->fmt_i[q->n++] = v;
}

static int bind_args(db_stmt *st, const sql_args *q)
{
	for (int i = 0; i < q->n; i++)
		if ((q->kind[i] == 's' ? db_bind_text(st, i + 1, q->fmt_s[i])
				       : db_bind_int(st, i + 1, q->fmt_i[i])) != 0)
			return -1;
	return 0;
}

json_t *asset_list(app *a, const asset_filter *f, int64_t *total, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(a, f->viewer, &s, e) != 0)
		return NULL;
	/* whoever sees no asset (an outside actor, admin) gets an empty
	 * list, as a case list shows only the cases one may see */
	if (!s.read_all && s.opd_id == 0) {
		if (total)
			*total = 0;
		return json_array();
	}
	if (f->kind && check_choice("kind", asset_kinds, f->kind, e) != 0)
		return NULL;
	if (f->kse && check_choice("KSE category", asset_kse_levels, f->kse, e) != 0)
		return NULL;
	int64_t opd_id = 0;
	if (f->opd && opd_resolve(a, f->opd, &opd_id, e) != 0)
		return NULL;
	sql_args q = {BUF_INIT, {0}, {0}, {0}, 0};
	buf_puts(&q.sql, "WHERE 1 = 1");
	if (!s.read_all) {
		buf_puts(&q.sql, " AND s.opd_id = ?");
		arg_i(&q, s.opd_id);
	}
	if (opd_id) {
		buf_puts(&q.sql, " AND s.opd_id = ?");
		arg_i(&q, opd_id);
	}
	if (f->kind) {
		buf_puts(&q.sql, " AND s.kind = ?");
		arg_s(&q, f->kind);
	}
	if (f->kse) {
		buf_puts(&q.sql, " AND s.kse = ?");
		arg_s(&q, f->kse);
	}
	if (!f->retired)
		buf_puts(&q.sql, " AND s.retired_at IS NULL");
	buf like = BUF_INIT;
	if (f->q && *f->q) {
		buf_putc(&like, '%');
		for (const char *p = f->q; *p; p++) {
			if (strchr("%_\\", *p))
				buf_putc(&like, '\\');
			buf_putc(&like, (char)tolower((unsigned char)*p));
		}
		buf_putc(&like, '%');
		buf_puts(&q.sql,
			 " AND (lower(s.name) LIKE ? ESCAPE '\\' "
			 "OR lower(COALESCE(s.wazuh_agent_name, '')) LIKE ? ESCAPE '\\' "
			 "OR EXISTS (SELECT 1 FROM asset_hosts h WHERE h.asset_id = s.id AND h.host LIKE ? ESCAPE '\\') "
			 "OR EXISTS (SELECT 1 FROM asset_urls u WHERE u.asset_id = s.id AND lower(u.url) LIKE ? ESCAPE '\\') "
			 "OR EXISTS (SELECT 1 FROM asset_addresses r WHERE r.asset_id = s.id AND r.value LIKE ? ESCAPE '\\') "
			 "OR EXISTS (SELECT 1 FROM asset_software w WHERE w.asset_id = s.id AND lower(w.name) LIKE ? ESCAPE '\\'))");
		for (int i = 0; i < 6; i++)
			arg_s(&q, buf_str(&like));
	}
	json_t *out = NULL;
	db_stmt *st = NULL;
	buf sql = BUF_INIT;
	if (total) {
		buf_printf(&sql, "SELECT COUNT(*) FROM assets s %s", buf_str(&q.sql));
		if (db_prepare(a->db, buf_str(&sql), &st, e) != 0 || bind_args(st, &q) != 0 ||
		    db_step(st, e) != DB_ROW) {
			if (e && e->code == SG_OK)
				sg_err_set(e, SG_EDB, "cannot count the assets");
			goto done;
		}
		*total = db_col_int(st, 0);
		db_finalize(st);
		st = NULL;
	}
	buf_reset(&sql);
	int limit = f->limit > 0 ? f->limit : 100;
	buf_printf(&sql,
		   "SELECT s.id, s.name, s.kind, o.abbrev, o.name, s.kse, s.criticality, "
		   "s.wazuh_agent_name, s.retired_at, s.updated_at, "
		   "(SELECT COUNT(*) FROM asset_software w WHERE w.asset_id = s.id) "
		   "FROM assets s JOIN opd o ON o.id = s.opd_id %s "
		   "ORDER BY o.name, s.name, s.id LIMIT %d OFFSET %d",
		   buf_str(&q.sql), limit, f->offset > 0 ? f->offset : 0);
	if (db_prepare(a->db, buf_str(&sql), &st, e) != 0 || bind_args(st, &q) != 0)
		goto done;
	out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    out, json_pack("{s:I, s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:o, s:o, s:I, s:I}", "id",
				   (json_int_t)db_col_int(st, 0), "name", col_json_text(st, 1), "kind",
				   col_json_text(st, 2), "opd", "abbrev", col_json_text(st, 3), "name",
				   col_json_text(st, 4), "kse", col_json_text(st, 5), "criticality",
				   col_json_text(st, 6), "wazuh_agent_name", col_json_text(st, 7),
				   "retired_at", col_json_int(st, 8), "updated_at",
				   (json_int_t)db_col_int(st, 9), "software",
				   (json_int_t)db_col_int(st, 10)));
	if (rc < 0) {
		json_decref(out);
		out = NULL;
	}
done:
	db_finalize(st);
	buf_free(&sql);
	buf_free(&like);
	buf_free(&q.sql);
	return out;
}

/* ---- writing ---- */

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* Inside the transaction: refuses a Wazuh agent id another asset in
 * service holds (one agent is one machine). */
static int check_agent_free(app *a, const char *agent_id, int64_t self, sg_err *e)
{
	if (!or_null(agent_id))
		return 0;
	int64_t other = 0;
	int rc = db_query_int(a->db, e, &other,
			      "SELECT id FROM assets WHERE wazuh_agent_id = ? AND id <> ? AND retired_at IS NULL",
			      "si", agent_id, self);
	if (rc < 0)
		return -1;
	if (rc == DB_ROW)
		return sg_err_set(e, SG_ECONFLICT, "Wazuh agent %s already belongs to asset %lld",
				  agent_id, (long long)other);
	return 0;
}

static int check_name_free(app *a, int64_t opd_id, const char *name, int64_t self, sg_err *e)
{
	int64_t other = 0;
	int rc = db_query_int(a->db, e, &other,
			      "SELECT id FROM assets WHERE opd_id = ? AND lower(name) = lower(?) AND id <> ?",
			      "isi", opd_id, name, self);
	if (rc < 0)
		return -1;
	if (rc == DB_ROW)
		return sg_err_set(e, SG_ECONFLICT, "this OPD already has an asset named '%s' (asset %lld)",
				  name, (long long)other);
	return 0;
}

/* An OPD's cyber agent keeps its own OPD's assets: the identifiers it
 * writes must not name what another OPD's asset in service already
 * has (a host name, a URL's origin or host, an address or a range that
 * overlaps), nor a range wider than a /16 (IPv4) or /48 (IPv6). Else
 * asset_find, which prefers the most specific match, would move another
 * OPD's alerts and findings onto the agent's asset. The CSIRT's keepers
 * are not held to this (they may register shared infrastructure). */
static int check_agent_identifiers(app *a, int64_t opd_id, const asset_in *in, sg_err *e)
{
	int64_t other = 0;
	int rc;
	/* a Wazuh agent's name, as its id (check_agent_free), is one machine */
	if (or_null(in->agent_name)) {
		rc = db_query_int(a->db, e, &other,
				  "SELECT id FROM assets WHERE wazuh_agent_name = ? AND opd_id <> ? "
				  "AND retired_at IS NULL LIMIT 1",
				  "si", in->agent_name, opd_id);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			return sg_err_set(e, SG_ECONFLICT,
					  "Wazuh agent %s is of asset %lld of another OPD; ask the CSIRT "
					  "to register it",
					  in->agent_name, (long long)other);
	}
	for (size_t i = 0; in->has_urls && i < in->n_urls; i++) {
		asset_url u;
		if (asset_url_parse(in->urls[i], &u, e) != 0)
			return -1;
		rc = db_query_int(a->db, e, &other,
				  "SELECT y.id FROM assets y WHERE y.opd_id <> ?1 AND y.retired_at IS NULL "
				  "AND (EXISTS (SELECT 1 FROM asset_urls x WHERE x.asset_id = y.id AND "
				  "x.origin = ?2) OR EXISTS (SELECT 1 FROM asset_hosts h WHERE h.asset_id = "
				  "y.id AND h.host = ?3)) LIMIT 1",
				  "iss", opd_id, u.origin, u.host);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			return sg_err_set(e, SG_ECONFLICT,
					  "URL %s is of asset %lld of another OPD; ask the CSIRT to "
					  "register it",
					  in->urls[i], (long long)other);
	}
	for (size_t i = 0; in->has_hosts && i < in->n_hosts; i++) {
		char h[ASSET_HOST_MAX + 1];
		if (asset_host_norm(in->hosts[i], h, e) != 0)
			return -1;
		rc = db_query_int(a->db, e, &other,
				  "SELECT y.id FROM assets y WHERE y.opd_id <> ?1 AND y.retired_at IS NULL "
				  "AND (EXISTS (SELECT 1 FROM asset_hosts x WHERE x.asset_id = y.id AND "
				  "x.host = ?2) OR EXISTS (SELECT 1 FROM asset_urls u WHERE u.asset_id = "
				  "y.id AND (u.origin IN ('http://' || ?2, 'https://' || ?2) OR "
				  "u.origin LIKE 'http%://' || ?2 || ':%'))) LIMIT 1",
				  "is", opd_id, h);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			return sg_err_set(e, SG_ECONFLICT,
					  "host name %s is of asset %lld of another OPD; ask the CSIRT "
					  "to register it",
					  h, (long long)other);
	}
	for (size_t i = 0; in->has_addresses && i < in->n_addresses; i++) {
		asset_addr ad;
		if (asset_addr_parse(in->addresses[i], &ad, e) != 0)
			return -1;
		if (ad.prefix < (ad.family == 4 ? 16 : 48))
			return sg_err_set(e, SG_EINVAL,
					  "range %s is wider than an OPD's network (at most /%d); ask "
					  "the CSIRT to register it",
					  ad.value, ad.family == 4 ? 16 : 48);
		rc = db_query_int(a->db, e, &other,
				  "SELECT y.id FROM assets y JOIN asset_addresses x ON x.asset_id = y.id "
				  "WHERE y.opd_id <> ? AND y.retired_at IS NULL AND x.family = ? AND "
				  "x.lo <= ? AND x.hi >= ? LIMIT 1",
				  "iiss", opd_id, (int64_t)ad.family, ad.hi, ad.lo);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			return sg_err_set(e, SG_ECONFLICT,
					  "%s overlaps the addresses of asset %lld of another OPD; ask "
					  "the CSIRT to register it",
					  ad.value, (long long)other);
	}
	return 0;
}

/* Replaces the identifier lists the input sets. */
static int write_lists(app *a, int64_t id, const asset_in *in, sg_err *e)
{
	if (in->has_urls) {
		if (db_run(a->db, e, "DELETE FROM asset_urls WHERE asset_id = ?", "i", id) != 0)
			return -1;
		for (size_t i = 0; i < in->n_urls; i++) {
			asset_url u;
			if (asset_url_parse(in->urls[i], &u, e) != 0)
				return -1;
			char norm[sizeof u.origin + sizeof u.path];
			snprintf(norm, sizeof norm, "%s%s", u.origin, u.path);
			if (db_run(a->db, e,
				   "INSERT INTO asset_urls (asset_id, url, origin, path) VALUES (?, ?, ?, ?) "
				   "ON CONFLICT DO NOTHING",
				   "isss", id, norm, u.origin, u.path) != 0)
				return -1;
		}
	}
	if (in->has_hosts) {
		if (db_run(a->db, e, "DELETE FROM asset_hosts WHERE asset_id = ?", "i", id) != 0)
			return -1;
		for (size_t i = 0; i < in->n_hosts; i++) {
			char h[ASSET_HOST_MAX + 1];
			if (asset_host_norm(in->hosts[i], h, e) != 0 ||
			    db_run(a->db, e,
				   "INSERT INTO asset_hosts (asset_id, host) VALUES (?, ?) ON CONFLICT DO NOTHING",
				   "is", id, h) != 0)
				return -1;
		}
	}
	if (in->has_addresses) {
		if (db_run(a->db, e, "DELETE FROM asset_addresses WHERE asset_id = ?", "i", id) != 0)
			return -1;
		for (size_t i = 0; i < in->n_addresses; i++) {
			asset_addr ad;
			if (asset_addr_parse(in->addresses[i], &ad, e) != 0 ||
			    db_run(a->db, e,
				   "INSERT INTO asset_addresses (asset_id, value, family, prefix, lo, hi) "
				   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				   "isiiss", id, ad.value, (int64_t)ad.family, (int64_t)ad.prefix, ad.lo,
				   ad.hi) != 0)
				return -1;
		}
	}
	if (in->has_software) {
		if (db_run(a->db, e, "DELETE FROM asset_software WHERE asset_id = ?", "i", id) != 0)
			return -1;
		for (size_t i = 0; i < in->n_software; i++) {
			const asset_sw *w = &in->software[i];
			if (db_run(a->db, e,
				   "INSERT INTO asset_software (asset_id, name, version, cpe) VALUES (?, ?, ?, ?)",
				   "isss", id, w->name, w->version ? w->version : "", or_null(w->cpe)) != 0)
				return -1;
		}
	}
	return 0;
}

/* The fields of after that differ from before: {"field": {"from", "to"}}. */
static json_t *changes_of(json_t *before, json_t *after)
{
	json_t *d = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(after, k, v) {
		if (strcmp(k, "updated_at") == 0)
			continue;
		json_t *old = json_object_get(before, k);
		if (!json_equal(old, v))
			json_object_set_new(d, k, json_pack("{s:O?, s:O}", "from", old, "to", v));
	}
	return d;
}

static void key_of(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* Inside a transaction: adds an asset (the checks made), logbook entry
 * action ("asset.add"), details' "via" when not NULL. */
static int insert_asset(app *a, const char *actor, const asset_scope *s, const asset_in *in,
			int64_t opd_id, const char *via, int64_t *id, sg_err *e)
{
	if (check_name_free(a, opd_id, in->name, 0, e) != 0 || check_agent_free(a, in->agent_id, 0, e) != 0)
		return -1;
	if (!s->write_all && check_agent_identifiers(a, opd_id, in, e) != 0)
		return -1;
	int64_t now = app_now(a);
	if (db_query_int(a->db, e, id,
			 "INSERT INTO assets (opd_id, name, kind, contact, kse, criticality, notes, "
			 "wazuh_agent_name, wazuh_agent_id, created_at, created_by, updated_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 "issssssssisi", opd_id, in->name, in->kind, in->contact ? in->contact : "",
			 or_null(in->kse), or_null(in->criticality), in->notes ? in->notes : "",
			 or_null(in->agent_name), or_null(in->agent_id), now, actor, now) != DB_ROW)
		return -1;
	asset_in lists = *in;
	lists.has_urls = lists.has_hosts = lists.has_addresses = lists.has_software = true;
	if (write_lists(a, *id, &lists, e) != 0)
		return -1;
	int64_t ignore;
	json_t *d = load_asset(a, *id, &ignore, e);
	if (d == NULL)
		return -1;
	if (via)
		json_object_set_new(d, "via", json_string(via));
	char key[24];
	key_of(*id, key);
	if (logbook_record(a, actor, "asset.add", "asset", key, d, e) != 0)
		return -1;
	/* what matched nothing may be its: the CSIRT's to decide, so only
	 * when a keeper registers it (an agent's asset claims nothing) */
	return s->write_all ? asset_claim(a, actor, *id, NULL, e) : 0;
}

/* Inside a transaction: changes asset id (which the actor may write) to
 * what in gives. */
static int change_asset(app *a, const char *actor, int64_t id, const asset_in *in,
			const asset_scope *s, const char *via, bool *changed, sg_err *e)
{
	if (changed)
		*changed = false;
	int64_t old_opd = 0, new_opd = 0;
	json_t *before = load_asset(a, id, &old_opd, e);
	if (before == NULL)
		return -1;
	if (!may_read(s, old_opd)) {
		json_decref(before);
		return sg_err_set(e, SG_ENOTFOUND, "no asset %lld", (long long)id);
	}
	int rc = -1;
	json_t *after = NULL;
	if (!may_write(s, old_opd)) {
		sg_err_set(e, SG_EPERM, "%s may not change the register of assets", actor);
		goto out;
	}
	if (json_integer_value(json_object_get(before, "retired_at"))) {
		sg_err_set(e, SG_ESTATE, "asset %lld is retired and is no longer changed", (long long)id);
		goto out;
	}
	new_opd = old_opd;
	if (in->opd && opd_resolve(a, in->opd, &new_opd, e) != 0)
		goto out;
	if (!may_write(s, new_opd)) {
		sg_err_set(e, SG_EPERM, "%s may not give an asset to another OPD", actor);
		goto out;
	}
	const char *name = in->name ? in->name : json_string_value(json_object_get(before, "name"));
	if (check_name_free(a, new_opd, name, id, e) != 0 || check_agent_free(a, in->agent_id, id, e) != 0)
		goto out;
	if (!s->write_all && check_agent_identifiers(a, new_opd, in, e) != 0)
		goto out;
	/* "" clears an optional column; NULL leaves it */
	if (db_run(a->db, e,
		   "UPDATE assets SET opd_id = ?, name = COALESCE(?, name), kind = COALESCE(?, kind), "
		   "contact = COALESCE(?, contact), notes = COALESCE(?, notes), "
		   "kse = CASE WHEN ? = 1 THEN ? ELSE kse END, "
		   "criticality = CASE WHEN ? = 1 THEN ? ELSE criticality END, "
		   "wazuh_agent_name = CASE WHEN ? = 1 THEN ? ELSE wazuh_agent_name END, "
		   "wazuh_agent_id = CASE WHEN ? = 1 THEN ? ELSE wazuh_agent_id END, "
		   "updated_at = ? WHERE id = ?",
		   "issssisisisisii", new_opd, in->name, in->kind, in->contact, in->notes,
		   (int64_t)(in->kse != NULL), or_null(in->kse), (int64_t)(in->criticality != NULL),
		   or_null(in->criticality), (int64_t)(in->agent_name != NULL), or_null(in->agent_name),
		   (int64_t)(in->agent_id != NULL), or_null(in->agent_id), app_now(a), id) != 0)
		goto out;
	if (write_lists(a, id, in, e) != 0)
		goto out;
	int64_t ignore;
	after = load_asset(a, id, &ignore, e);
	if (after == NULL)
		goto out;
	json_t *changes = changes_of(before, after);
	if (json_object_size(changes) == 0) {
		/* the same as stored (a CSV exported and imported again): no
		 * change, no entry, and the time of the last change kept */
		json_decref(changes);
		rc = db_run(a->db, e, "UPDATE assets SET updated_at = ? WHERE id = ?", "ii",
			    json_integer_value(json_object_get(before, "updated_at")), id);
		goto out;
	}
	if (changed)
		*changed = true;
	json_t *d = json_pack("{s:O, s:o}", "name", json_object_get(after, "name"), "changes",
			      changes);
	if (via)
		json_object_set_new(d, "via", json_string(via));
	char key[24];
	key_of(id, key);
	rc = logbook_record(a, actor, "asset.update", "asset", key, d, e);
	if (rc == 0 && s->write_all) /* its identifiers may now match what matched nothing */
		rc = asset_claim(a, actor, id, NULL, e);
out:
	json_decref(before);
	json_decref(after);
	return rc;
}

int asset_add(app *a, const char *actor, const asset_in *in, int64_t *id, sg_err *e)
{
	asset_scope s;
	if (check_in(in, true, e) != 0 || asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t opd_id;
	if (opd_resolve(a, in->opd, &opd_id, e) != 0)
		goto fail;
	if (!may_write(&s, opd_id)) {
		if (s.opd_id)
			sg_err_set(e, SG_EPERM, "%s may add assets of its own OPD only", actor);
		else
			sg_err_set(e, SG_EPERM,
				   "%s may not change the register of assets (roles administrator, "
				   "tim_teknis, ttis, kabid; an agen_siber for its OPD)",
				   actor);
		goto fail;
	}
	if (insert_asset(a, actor, &s, in, opd_id, NULL, id, e) != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int asset_update(app *a, const char *actor, int64_t id, const asset_in *in, sg_err *e)
{
	asset_scope s;
	if (check_in(in, false, e) != 0 || asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (change_asset(a, actor, id, in, &s, NULL, NULL, e) != 0 || db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

int asset_retire(app *a, const char *actor, int64_t id, const char *reason, sg_err *e)
{
	if (reason == NULL || asset_text_check("the reason", reason, ASSET_TEXT_MAX, true, true, e) != 0)
		return reason ? -1 : sg_err_set(e, SG_EINVAL, "say why the asset is retired (a reason)");
	asset_scope s;
	if (asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t opd_id = 0, retired = 0;
	int rc = db_query_int(a->db, e, &opd_id, "SELECT opd_id FROM assets WHERE id = ?", "i", id);
	if (rc < 0)
		goto fail;
	if (rc == DB_DONE || !may_read(&s, opd_id)) {
		sg_err_set(e, SG_ENOTFOUND, "no asset %lld", (long long)id);
		goto fail;
	}
	if (!may_write(&s, opd_id)) {
		sg_err_set(e, SG_EPERM, "%s may not change the register of assets", actor);
		goto fail;
	}
	if (db_query_int(a->db, e, &retired, "SELECT COALESCE(retired_at, 0) FROM assets WHERE id = ?",
			 "i", id) != DB_ROW)
		goto fail;
	if (retired) {
		sg_err_set(e, SG_ESTATE, "asset %lld is already retired", (long long)id);
		goto fail;
	}
	int64_t now = app_now(a);
	char key[24];
	key_of(id, key);
	if (db_run(a->db, e,
		   "UPDATE assets SET retired_at = ?, retired_reason = ?, updated_at = ? WHERE id = ?",
		   "isii", now, reason, now, id) != 0 ||
	    logbook_record(a, actor, "asset.retire", "asset", key, json_pack("{s:s}", "reason", reason),
			   e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int asset_ref_check(app *a, const char *actor, const char *field, const char *value, sg_err *e)
{
	size_t n = strlen(value);
	/* the number as the register writes it ("8", never "08"), so the
	 * case stores what the asset's page and its links show */
	if (n == 0 || n > 18 || strspn(value, "0123456789") != n || value[0] == '0')
		return sg_err_set(e, SG_EINVAL,
				  "field '%s' names an asset by its number in the register, not '%s' "
				  "(see 'sigap asset list')",
				  field, value);
	int64_t id = strtoll(value, NULL, 10), opd_id = 0, retired = 0;
	asset_scope s;
	if (asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT opd_id, COALESCE(retired_at, 0) FROM assets WHERE id = ?", "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		opd_id = db_col_int(st, 0);
		retired = db_col_int(st, 1);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE || !may_read(&s, opd_id))
		return sg_err_set(e, SG_EINVAL, "field '%s': there is no asset %s in the register",
				  field, value);
	if (retired)
		return sg_err_set(e, SG_EINVAL, "field '%s': asset %s is retired", field, value);
	return 0;
}

int asset_import_row(app *a, const char *actor, const asset_scope *s, const asset_in *in,
		     bool *added, bool *changed, sg_err *e)
{
	*changed = false;
	if (check_in(in, true, e) != 0)
		return -1;
	int64_t opd_id, id = 0;
	if (opd_resolve(a, in->opd, &opd_id, e) != 0)
		return -1;
	if (!may_write(s, opd_id))
		return sg_err_set(e, SG_EPERM, "%s may not change the assets of OPD %s", actor, in->opd);
	int rc = db_query_int(a->db, e, &id,
			      "SELECT id FROM assets WHERE opd_id = ? AND lower(name) = lower(?)", "is",
			      opd_id, in->name);
	if (rc < 0)
		return -1;
	*added = rc == DB_DONE;
	if (*added)
		return insert_asset(a, actor, s, in, opd_id, "import", &id, e);
	return change_asset(a, actor, id, in, s, "import", changed, e);
}
