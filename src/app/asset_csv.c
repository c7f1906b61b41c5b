/*
 * asset_csv.c: the register of assets as CSV, for spreadsheets and for
 * moving a register between sigap installations.
 *
 * One row an asset, under a header naming the columns (any order; only
 * opd, name and kind are required). Columns that hold several values:
 *   urls, hosts, addresses  separated by spaces or line breaks;
 *   software                components separated by ';', each
 *                           NAME|VERSION|CPE (version and CPE optional).
 * An empty optional cell clears that field; a column left out of the
 * header leaves it as it is for an asset that exists. A row whose OPD
 * already has an asset of that name (any case) updates it; any other adds
 * one. Export writes every column, so what it writes imports back to the
 * same register.
 *
 * Import is one transaction, all or nothing: every row is checked and
 * every bad row reported with its line, and when any is bad nothing is
 * stored. O(rows × identifiers); each row is a few index probes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "asset_int.h"
#include "base/csv.h"

const char ASSET_CSV_HEADER[] = "opd,name,kind,kse,criticality,contact,wazuh_agent_name,"
				"wazuh_agent_id,urls,hosts,addresses,software,notes";

enum {
	COL_OPD,
	COL_NAME,
	COL_KIND,
	COL_KSE,
	COL_CRIT,
	COL_CONTACT,
	COL_AGENT_NAME,
	COL_AGENT_ID,
	COL_URLS,
	COL_HOSTS,
	COL_ADDRS,
	COL_SOFTWARE,
	COL_NOTES,
	N_COLS
};
static const char *const col_names[N_COLS] = {
    "opd", "name", "kind", "kse", "criticality", "contact", "wazuh_agent_name",
    "wazuh_agent_id", "urls", "hosts", "addresses", "software", "notes"};

enum { ROW_LIST_MAX = 257 };

/* One row's values split into lists; strings point into text. */
typedef struct row_lists {
	char *text[N_COLS];
	const char *urls[ROW_LIST_MAX], *hosts[ROW_LIST_MAX], *addrs[ROW_LIST_MAX];
	asset_sw sw[ROW_LIST_MAX];
} row_lists;

static char *trimmed_copy(const char *s)
{
	s = csv_unguard(s);
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *o = malloc(n + 1);
	if (o == NULL)
		abort();
	memcpy(o, s, n);
	o[n] = '\0';
	return o;
}

/* Splits s in place on whitespace into v; false when more than max. */
static bool split_words(char *s, const char **v, size_t *n, size_t max)
{
	*n = 0;
	for (char *tok = strtok(s, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (*n == max)
			return false;
		v[(*n)++] = tok;
	}
	return true;
}

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static bool split_software(char *s, asset_sw *v, size_t *n, size_t max)
{
	*n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(s, ";\r\n", &save); tok; tok = strtok_r(NULL, ";\r\n", &save)) {
		tok = trim(tok);
		if (*tok == '\0')
			continue;
		if (*n == max)
			return false;
		char *bar1 = strchr(tok, '|');
		char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
		if (bar1)
			*bar1 = '\0';
		if (bar2)
			*bar2 = '\0';
		v[(*n)++] = (asset_sw){trim(tok), bar1 ? trim(bar1 + 1) : "", bar2 ? trim(bar2 + 1) : ""};
	}
	return true;
}

/* The columns of the header into map (column -> field index, -1 absent). */
static int read_header(csv_reader *r, const char *name, int map[N_COLS], diags *d)
{
	for (int c = 0; c < N_COLS; c++)
		map[c] = -1;
	int bad = 0;
	for (size_t i = 0; i < r->n; i++) {
		char *h = trimmed_copy(r->field[i]);
		for (char *p = h; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		int c = 0;
		while (c < N_COLS && strcmp(col_names[c], h) != 0)
			c++;
		if (c == N_COLS) {
			diags_add(d, name, r->rec_line, 0, "unknown column \"%s\" (the columns: %s)", h,
				  ASSET_CSV_HEADER);
			bad++;
		} else if (map[c] >= 0) {
			diags_add(d, name, r->rec_line, 0, "column \"%s\" is given twice", h);
			bad++;
		} else {
			map[c] = (int)i;
		}
		free(h);
	}
	static const int required[] = {COL_OPD, COL_NAME, COL_KIND};
	for (size_t k = 0; k < 3; k++)
		if (map[required[k]] < 0) {
			diags_add(d, name, r->rec_line, 0, "the header has no column \"%s\"",
				  col_names[required[k]]);
			bad++;
		}
	return bad ? -1 : 0;
}

/* Reads the current record into in (strings owned by rl). */
static int read_row(csv_reader *r, const int map[N_COLS], row_lists *rl, asset_in *in, sg_err *e)
{
	memset(in, 0, sizeof *in);
	for (int c = 0; c < N_COLS; c++)
		rl->text[c] = map[c] >= 0 ? trimmed_copy(r->field[map[c]]) : NULL;
	in->opd = rl->text[COL_OPD];
	in->name = rl->text[COL_NAME];
	in->kind = rl->text[COL_KIND];
	in->kse = rl->text[COL_KSE];
	in->criticality = rl->text[COL_CRIT];
	in->contact = rl->text[COL_CONTACT];
	in->agent_name = rl->text[COL_AGENT_NAME];
	in->agent_id = rl->text[COL_AGENT_ID];
	in->notes = rl->text[COL_NOTES];
	if (rl->text[COL_URLS]) {
		in->has_urls = true;
		in->urls = rl->urls;
		if (!split_words(rl->text[COL_URLS], rl->urls, &in->n_urls, ROW_LIST_MAX))
			return sg_err_set(e, SG_EINVAL, "too many URLs");
	}
	if (rl->text[COL_HOSTS]) {
		in->has_hosts = true;
		in->hosts = rl->hosts;
		if (!split_words(rl->text[COL_HOSTS], rl->hosts, &in->n_hosts, ROW_LIST_MAX))
			return sg_err_set(e, SG_EINVAL, "too many host names");
	}
	if (rl->text[COL_ADDRS]) {
		in->has_addresses = true;
		in->addresses = rl->addrs;
		if (!split_words(rl->text[COL_ADDRS], rl->addrs, &in->n_addresses, ROW_LIST_MAX))
			return sg_err_set(e, SG_EINVAL, "too many addresses");
	}
	if (rl->text[COL_SOFTWARE]) {
		in->has_software = true;
		in->software = rl->sw;
		if (!split_software(rl->text[COL_SOFTWARE], rl->sw, &in->n_software, ROW_LIST_MAX))
			return sg_err_set(e, SG_EINVAL, "too many software components");
	}
	return 0;
}

static void row_free(row_lists *rl)
{
	for (int c = 0; c < N_COLS; c++)
		free(rl->text[c]);
}

int asset_import_csv(app *a, const char *actor, const char *name, const char *data, size_t n,
		     asset_import_result *res, diags *d, sg_err *e)
{
	memset(res, 0, sizeof *res);
	asset_scope s;
	if (asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (!s.write_all && s.opd_id == 0)
		return sg_err_set(e, SG_EPERM,
				  "%s may not change the register of assets (roles administrator, "
				  "tim_teknis, ttis, kabid; an agen_siber for its OPD)",
				  actor);
	csv_reader r;
	csv_open(&r, data, n);
	int map[N_COLS];
	int rc = csv_next(&r, e);
	if (rc <= 0) {
		csv_close(&r);
		return rc < 0 ? sg_err_prefix(e, "%s:%d", name, r.rec_line)
			      : sg_err_set(e, SG_EINVAL, "%s: the file is empty: it needs a header row (%s)",
					   name, ASSET_CSV_HEADER);
	}
	if (read_header(&r, name, map, d) != 0) {
		csv_close(&r);
		return sg_err_set(e, SG_EINVAL, "%s: the header row is not the register's", name);
	}
	size_t header_n = r.n;
	if (db_begin(a->db, e) != 0) {
		csv_close(&r);
		return -1;
	}
	json_t *seen = json_object(); /* "OPD\nname" -> line */
	size_t bad = 0;
	int64_t rows = 0;
	sg_err re;
	while ((rc = csv_next(&r, &re)) == 1) {
		rows++;
		if (r.n != header_n) {
			diags_add(d, name, r.rec_line, 0, "%zu fields, and the header has %zu", r.n, header_n);
			bad++;
			continue;
		}
		row_lists rl;
		asset_in in;
		sg_err_clear(&re);
		int ok = read_row(&r, map, &rl, &in, &re);
		if (ok == 0) {
			char key[1024];
			snprintf(key, sizeof key, "%s\n%s", in.opd, in.name);
			for (char *p = key; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			json_t *prev = json_object_get(seen, key);
			if (prev) {
				sg_err_set(&re, SG_EINVAL, "asset '%s' of OPD %s is also on line %lld",
					   in.name, in.opd, (long long)json_integer_value(prev));
				ok = -1;
			} else {
				json_object_set_new(seen, key, json_integer(r.rec_line));
			}
		}
		bool added = false, changed = false;
		if (ok == 0)
			ok = asset_import_row(a, actor, &s, &in, &added, &changed, &re);
		row_free(&rl);
		if (ok != 0) {
			if (re.code == SG_EDB || re.code == SG_EIO || re.code == SG_ENOMEM) {
				*e = re;
				bad++;
				break;
			}
			diags_add(d, name, r.rec_line, 0, "%s", re.msg);
			bad++;
			continue;
		}
		if (added)
			res->added++;
		else if (changed)
			res->updated++;
	}
	json_decref(seen);
	if (rc < 0) { /* a record the reader could not finish is a row too */
		diags_add(d, name, r.rec_line, 0, "%s", re.msg);
		bad++;
		rows++;
	}
	csv_close(&r);
	if (bad) {
		db_rollback(a->db);
		if (e->code == SG_EDB || e->code == SG_EIO || e->code == SG_ENOMEM)
			return -1;
		memset(res, 0, sizeof *res);
		return sg_err_set(e, SG_EINVAL, "%s: %zu of %lld rows are refused; nothing was stored",
				  name, bad, (long long)rows);
	}
	if (logbook_record(a, actor, "asset.import", "import", name,
			   json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)rows, "added",
				     (json_int_t)res->added, "updated", (json_int_t)res->updated),
			   e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

static void put_list(buf *b, json_t *list, const char *sep)
{
	buf item = BUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		buf_puts(&item, i ? sep : "");
		buf_puts(&item, json_string_value(v));
	}
	csv_put(b, buf_str(&item), ',');
	buf_free(&item);
}

static const char *str_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int asset_export_csv(app *a, const char *viewer, const char *opd, buf *out, sg_err *e)
{
	int64_t total = 0;
	asset_filter f = {.opd = opd, .viewer = viewer, .limit = 1000000};
	json_t *list = asset_list(a, &f, &total, e);
	if (list == NULL)
		return -1;
	buf_puts(out, ASSET_CSV_HEADER);
	buf_puts(out, "\r\n");
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row) {
		json_t *o = asset_get(a, json_integer_value(json_object_get(row, "id")), viewer, e);
		if (o == NULL) {
			json_decref(list);
			return -1;
		}
		csv_put(out, str_of(json_object_get(o, "opd"), "abbrev"), ',');
		static const char *const scalars[] = {"name", "kind", "kse", "criticality", "contact",
						      "wazuh_agent_name", "wazuh_agent_id", NULL};
		for (size_t k = 0; scalars[k]; k++) {
			buf_putc(out, ',');
			csv_put(out, str_of(o, scalars[k]), ',');
		}
		buf_putc(out, ',');
		put_list(out, json_object_get(o, "urls"), " ");
		buf_putc(out, ',');
		put_list(out, json_object_get(o, "hosts"), " ");
		buf_putc(out, ',');
		put_list(out, json_object_get(o, "addresses"), " ");
		buf_putc(out, ',');
		buf sw = BUF_INIT;
		size_t j;
		json_t *w;
		json_array_foreach(json_object_get(o, "software"), j, w) {
			buf_puts(&sw, j ? "; " : "");
			buf_puts(&sw, str_of(w, "name"));
			const char *ver = str_of(w, "version"), *cpe = str_of(w, "cpe");
			if (*ver || *cpe)
				buf_printf(&sw, "|%s", ver);
			if (*cpe)
				buf_printf(&sw, "|%s", cpe);
		}
		csv_put(out, buf_str(&sw), ',');
		buf_free(&sw);
		buf_putc(out, ',');
		csv_put(out, str_of(o, "notes"), ',');
		buf_puts(out, "\r\n");
		json_decref(o);
	}
	json_decref(list);
	return 0;
}
