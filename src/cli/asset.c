/*
 * asset.c: sigap asset add | edit | retire | list | show | find | import |
 * export: the register of the OPDs' sistem elektronik.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "cli.h"

static const char usage[] =
    "usage: sigap asset add --opd OPD --name NAME --kind KIND [FIELDS] [--as USER]\n"
    "       sigap asset edit ID [FIELDS] [--opd OPD] [--name NAME] [--kind KIND]\n"
    "                       [--as USER]\n"
    "       sigap asset retire ID --reason TEXT [--as USER]\n"
    "       sigap asset list [--opd OPD] [--kind KIND] [--kse KSE] [--q TEXT]\n"
    "                        [--retired] [--limit N] [--json] [--as USER]\n"
    "       sigap asset show ID [--json] [--as USER]\n"
    "       sigap asset find [--agent-id ID] [--agent-name NAME] [--host HOST]\n"
    "                        [--url URL] [--json]\n"
    "       sigap asset import FILE.csv [--as USER]\n"
    "       sigap asset export [--opd OPD] [--as USER]\n"
    "\n"
    "FIELDS:\n"
    "  --kse strategis|tinggi|rendah      BSSN's Kategori Sistem Elektronik\n"
    "  --criticality rendah|sedang|tinggi|kritis\n"
    "  --contact TEXT  --notes TEXT\n"
    "  --agent-name NAME  --agent-id ID   the Wazuh agent (id as \"001\")\n"
    "  --url URL...  --host NAME...  --address IP|CIDR...\n"
    "  --software 'NAME|VERSION|CPE'...   version and CPE 2.3 string optional\n"
    "A list option replaces that list on edit; one empty value ('') clears it;\n"
    "an empty text value clears that field.\n"
    "\n"
    "KIND is aplikasi, situs_web, server, jaringan or perangkat.\n"
    "add     registers an asset of an OPD\n"
    "edit    changes the fields given\n"
    "retire  takes an asset out of service (it stays in the register and in\n"
    "        the history, and matches nothing)\n"
    "list    assets in service (with --retired, retired ones too); --q finds\n"
    "        text in the name, host names, URLs, addresses, agent and software\n"
    "show    one asset with its identifiers and software\n"
    "find    which asset an alert or finding with these identifiers belongs\n"
    "        to (the most specific match); exit 1 when none\n"
    "import  reads a CSV file with a header row (docs/assets.md): a row whose\n"
    "        OPD has an asset of that name changes it, another adds one; all\n"
    "        rows or none are stored, and every bad row is reported by line\n"
    "export  writes the assets in service as CSV (what import reads)\n"
    "\n"
    "With --as USER the command acts with that user's rights (an agen_siber\n"
    "sees and keeps its own OPD's assets only); without it, as the machine's\n"
    "owner.\n";

enum { MAX_LIST = 256 };

typedef struct asset_opts {
	asset_in in;
	const char *urls[MAX_LIST], *hosts[MAX_LIST], *addrs[MAX_LIST];
	asset_sw sw[MAX_LIST];
	char *sw_text[MAX_LIST];
	const char *as, *reason, *kse_filter, *q;
	const char *find_host, *find_url;
	bool as_json, retired;
	int limit;
} asset_opts;

static int push(const char **v, size_t *n, bool *has, const char *s)
{
	*has = true;
	if (*s == '\0')
		return 0; /* '' clears the list */
	if (*n == MAX_LIST)
		return -1;
	v[(*n)++] = s;
	return 0;
}

static int push_sw(asset_opts *o, const char *s)
{
	o->in.has_software = true;
	o->in.software = o->sw;
	if (*s == '\0')
		return 0;
	if (o->in.n_software == MAX_LIST)
		return -1;
	char *t = strdup(s);
	if (t == NULL)
		abort();
	o->sw_text[o->in.n_software] = t;
	char *b1 = strchr(t, '|'), *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
	if (b1)
		*b1 = '\0';
	if (b2)
		*b2 = '\0';
	o->sw[o->in.n_software++] = (asset_sw){t, b1 ? b1 + 1 : "", b2 ? b2 + 1 : ""};
	return 0;
}

static void opts_free(asset_opts *o)
{
	for (size_t i = 0; i < o->in.n_software; i++)
		free(o->sw_text[i]);
}

/* Every option of every subcommand (each checks what it takes). -1: go
 * on; otherwise the exit code. */
static int parse(int argc, char **argv, asset_opts *o)
{
	static const struct option opts[] = {{"opd", required_argument, NULL, 'o'},
					     {"name", required_argument, NULL, 'n'},
					     {"kind", required_argument, NULL, 'k'},
					     {"kse", required_argument, NULL, 'K'},
					     {"criticality", required_argument, NULL, 'c'},
					     {"contact", required_argument, NULL, 'C'},
					     {"notes", required_argument, NULL, 'N'},
					     {"agent-name", required_argument, NULL, 'g'},
					     {"agent-id", required_argument, NULL, 'G'},
					     {"url", required_argument, NULL, 'u'},
					     {"host", required_argument, NULL, 'H'},
					     {"address", required_argument, NULL, 'A'},
					     {"software", required_argument, NULL, 's'},
					     {"reason", required_argument, NULL, 'r'},
					     {"q", required_argument, NULL, 'q'},
					     {"retired", no_argument, NULL, 'R'},
					     {"limit", required_argument, NULL, 'l'},
					     {"json", no_argument, NULL, 'j'},
					     {"as", required_argument, NULL, 'a'},
					     CLI_COMMON_OPTS,
					     {0}};
	memset(o, 0, sizeof *o);
	o->in.urls = o->urls;
	o->in.hosts = o->hosts;
	o->in.addresses = o->addrs;
	int c, bad = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'o': o->in.opd = optarg; break;
		case 'n': o->in.name = optarg; break;
		case 'k': o->in.kind = optarg; break;
		case 'K': o->in.kse = optarg; break;
		case 'c': o->in.criticality = optarg; break;
		case 'C': o->in.contact = optarg; break;
		case 'N': o->in.notes = optarg; break;
		case 'g': o->in.agent_name = optarg; break;
		case 'G': o->in.agent_id = optarg; break;
		case 'u':
			o->find_url = optarg;
			bad |= push(o->urls, &o->in.n_urls, &o->in.has_urls, optarg);
			break;
		case 'H':
			o->find_host = optarg;
			bad |= push(o->hosts, &o->in.n_hosts, &o->in.has_hosts, optarg);
			break;
		case 'A': bad |= push(o->addrs, &o->in.n_addresses, &o->in.has_addresses, optarg); break;
		case 's': bad |= push_sw(o, optarg); break;
		case 'r': o->reason = optarg; break;
		case 'q': o->q = optarg; break;
		case 'R': o->retired = true; break;
		case 'l':
			o->limit = cli_parse_limit(optarg);
			if (o->limit == 0)
				return cli_usage_error(usage, "--limit takes a number from 1 to 100000");
			break;
		case 'j': o->as_json = true; break;
		case 'a': o->as = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (bad)
		return cli_usage_error(usage, "at most %d values of a list option", MAX_LIST);
	return -1;
}

static bool has_fields(const asset_in *in)
{
	return in->opd || in->name || in->kind || in->kse || in->criticality || in->contact ||
	       in->notes || in->agent_name || in->agent_id || in->has_urls || in->has_hosts ||
	       in->has_addresses || in->has_software;
}

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* The start of a subcommand once its options are read: rc >= 0 is the
 * exit code of a usage error already said (o is freed and rc given
 * back); else the store opened into a, -1 (EXIT_ERR, o freed, when it
 * cannot be). */
static int open_store(asset_opts *o, int rc, app *a)
{
	if (rc < 0 && cli_open(a, DB_OPEN_EXISTING) != 0)
		rc = EXIT_ERR;
	if (rc >= 0)
		opts_free(o);
	return rc;
}

/* A change to the register: add, edit or retire, by actor, on *id (add
 * gives it), and what is said when it is made. */
typedef enum change_kind { CHANGE_ADD, CHANGE_EDIT, CHANGE_RETIRE } change_kind;

static int change_made(app *a, change_kind k, const char *actor, asset_opts *o, int64_t *id,
                       sg_err *e)
{
	switch (k) {
	case CHANGE_ADD: return asset_add(a, actor, &o->in, id, e);
	case CHANGE_EDIT: return asset_update(a, actor, *id, &o->in, e);
	default: return asset_retire(a, actor, *id, o->reason, e);
	}
}

static void change_said(change_kind k, const asset_opts *o, int64_t id)
{
	switch (k) {
	case CHANGE_ADD:
		if (o->as_json)
			printf("{\"id\": %lld}\n", (long long)id);
		else
			printf(_("Asset %lld added.\n"), (long long)id);
		break;
	case CHANGE_EDIT: printf(_("Asset %lld changed.\n"), (long long)id); break;
	default: printf(_("Asset %lld retired.\n"), (long long)id); break;
	}
}

/* The end of add, edit and retire: rc >= 0 is the exit code of a usage
 * error already said; else the change made by --as (or the command
 * line's owner) and said. o is freed. */
static int run_change(asset_opts *o, int rc, change_kind k, int64_t id)
{
	app a;
	if ((rc = open_store(o, rc, &a)) >= 0)
		return rc;
	sg_err e = {0};
	rc = EXIT_OK;
	if (change_made(&a, k, o->as ? o->as : cli_actor(), o, &id, &e) != 0)
		rc = cli_fail(&e);
	else
		change_said(k, o, id);
	opts_free(o);
	app_close(&a);
	return rc;
}

/* The asset number edit and retire take (the one argument): -1, or a
 * usage error's code. */
static int one_asset(int argc, char **argv, int rc, int64_t *id)
{
	if (rc < 0 && (optind != argc - 1 || parse_id(argv[optind], id) != 0))
		rc = cli_usage_error(usage, "give one asset number");
	return rc;
}

static int add_cmd(int argc, char **argv)
{
	asset_opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0 && optind != argc)
		rc = cli_usage_error(usage, "add takes no argument: give --opd, --name and --kind");
	if (rc < 0 && (!o.in.opd || !o.in.name || !o.in.kind))
		rc = cli_usage_error(usage, "give the asset's --opd, --name and --kind");
	return run_change(&o, rc, CHANGE_ADD, 0);
}

static int edit_cmd(int argc, char **argv)
{
	asset_opts o;
	int64_t id = 0;
	int rc = one_asset(argc, argv, parse(argc, argv, &o), &id);
	if (rc < 0 && !has_fields(&o.in))
		rc = cli_usage_error(usage, "give the fields to change");
	return run_change(&o, rc, CHANGE_EDIT, id);
}

static int retire_cmd(int argc, char **argv)
{
	asset_opts o;
	int64_t id = 0;
	int rc = one_asset(argc, argv, parse(argc, argv, &o), &id);
	if (rc < 0 && o.reason == NULL)
		rc = cli_usage_error(usage, "say why with --reason");
	return run_change(&o, rc, CHANGE_RETIRE, id);
}

static const char *s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s ? s : "-";
}

static void list_header(void)
{
	printf("%-5s %-12s %-10s %-10s %-9s %s\n", _("NO"), _("OPD"), _("KIND"), _("KSE"),
	       _("STATUS"), _("NAME"));
}

static void list_row(const app *a, json_t *r)
{
	(void)a;
	printf("%-5lld %-12s %-10s %-10s %-9s %s\n", (long long)json_integer_value(json_object_get(r, "id")),
	       s_of(json_object_get(r, "opd"), "abbrev"), s_of(r, "kind"), s_of(r, "kse"),
	       json_integer_value(json_object_get(r, "retired_at")) ? _("retired") : _("active"),
	       s_of(r, "name"));
}

/* --as names a user who exists and is enabled. */
static int check_as(app *a, const char *as, sg_err *e)
{
	if (as == NULL)
		return 0;
	json_t *roles = user_roles(a, as, e);
	json_decref(roles);
	return roles ? 0 : -1;
}

static int list_cmd(int argc, char **argv)
{
	asset_opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0 && optind != argc)
		rc = cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if ((rc = open_store(&o, rc, &a)) >= 0)
		return rc;
	asset_filter f = {.opd = o.in.opd, .kind = o.in.kind, .kse = o.in.kse, .q = o.q,
			  .retired = o.retired, .limit = o.limit ? o.limit : 100, .viewer = o.as};
	sg_err e = {0};
	int64_t total = 0;
	json_t *list = check_as(&a, o.as, &e) == 0 ? asset_list(&a, &f, &total, &e) : NULL;
	rc = EXIT_OK;
	if (list == NULL)
		rc = cli_fail(&e);
	else
		cli_print_page(&a, list, total, "assets", o.as_json, list_header, list_row);
	opts_free(&o);
	app_close(&a);
	return rc;
}

static void print_strings(const char *label, json_t *list)
{
	printf("%-16s ", label);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
	printf("%s\n", json_array_size(list) ? "" : "-");
}

static void print_asset(const app *a, json_t *o)
{
	json_t *opd = json_object_get(o, "opd");
	printf("%-16s %lld\n", _("Asset:"), (long long)json_integer_value(json_object_get(o, "id")));
	printf("%-16s %s\n", _("Name:"), s_of(o, "name"));
	printf("%-16s %s (%s)\n", _("OPD:"), s_of(opd, "name"), s_of(opd, "abbrev"));
	printf("%-16s %s\n", _("Kind:"), s_of(o, "kind"));
	printf("%-16s %s\n", _("KSE:"), s_of(o, "kse"));
	printf("%-16s %s\n", _("Criticality:"), s_of(o, "criticality"));
	printf("%-16s %s\n", _("Contact:"), s_of(o, "contact"));
	printf("%-16s %s / %s\n", _("Wazuh agent:"), s_of(o, "wazuh_agent_name"),
	       s_of(o, "wazuh_agent_id"));
	print_strings(_("URLs:"), json_object_get(o, "urls"));
	print_strings(_("Host names:"), json_object_get(o, "hosts"));
	print_strings(_("Addresses:"), json_object_get(o, "addresses"));
	printf("%-16s", _("Software:"));
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(o, "software"), i, w) {
		printf("%s%s %s", i ? "\n                 " : " ", s_of(w, "name"),
		       json_string_value(json_object_get(w, "version")));
		if (json_string_value(json_object_get(w, "cpe")))
			printf(" [%s]", s_of(w, "cpe"));
	}
	printf("%s\n", json_array_size(json_object_get(o, "software")) ? "" : " -");
	char when[64];
	json_int_t retired = json_integer_value(json_object_get(o, "retired_at"));
	if (retired) {
		cli_time(a, retired, when, sizeof when);
		printf("%-16s %s: %s\n", _("Retired:"), when, s_of(o, "retired_reason"));
	}
	cli_time(a, json_integer_value(json_object_get(o, "updated_at")), when, sizeof when);
	printf("%-16s %s\n", _("Updated:"), when);
	const char *notes = json_string_value(json_object_get(o, "notes"));
	if (notes && *notes)
		printf("%s\n%s\n", _("Notes:"), notes);
}

static int show_cmd(int argc, char **argv)
{
	asset_opts o;
	int64_t id = 0;
	int rc = parse(argc, argv, &o);
	if (rc < 0 && (optind != argc - 1 || parse_id(argv[optind], &id) != 0))
		rc = cli_usage_error(usage, "give one asset number");
	app a;
	if ((rc = open_store(&o, rc, &a)) >= 0)
		return rc;
	sg_err e = {0};
	json_t *as = check_as(&a, o.as, &e) == 0 ? asset_get(&a, id, o.as, &e) : NULL;
	rc = EXIT_OK;
	if (as == NULL) {
		rc = cli_fail(&e);
	} else {
		if (o.as_json)
			cli_print_json(as);
		else
			print_asset(&a, as);
		json_decref(as);
	}
	opts_free(&o);
	app_close(&a);
	return rc;
}

static int find_cmd(int argc, char **argv)
{
	asset_opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0 && optind != argc)
		rc = cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (rc < 0 && o.in.n_urls + o.in.n_hosts > 2)
		rc = cli_usage_error(usage, "give at most one --host and one --url");
	app a;
	if ((rc = open_store(&o, rc, &a)) >= 0)
		return rc;
	sg_err e = {0};
	int64_t id = 0;
	json_t *as = NULL;
	rc = EXIT_OK;
	if (asset_find(&a, o.in.agent_id, o.in.agent_name, o.find_host, o.find_url, &id, &e) != 0 ||
	    (id && (as = asset_get(&a, id, NULL, &e)) == NULL)) {
		rc = cli_fail(&e);
	} else if (id == 0) {
		if (o.as_json)
			printf("null\n");
		else
			printf(_("No asset matches.\n"));
		rc = EXIT_ERR;
	} else {
		if (o.as_json)
			cli_print_json(as);
		else
			printf("%lld %s (%s)\n", (long long)id, s_of(as, "name"),
			       s_of(json_object_get(as, "opd"), "abbrev"));
		json_decref(as);
	}
	opts_free(&o);
	app_close(&a);
	return rc;
}

static int import_cmd(int argc, char **argv)
{
	asset_opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0 && optind != argc - 1)
		rc = cli_usage_error(usage, "give one CSV file");
	if (rc >= 0) {
		opts_free(&o);
		return rc;
	}
	const char *path = argv[optind];
	sg_err e = {0};
	size_t n = 0;
	char why[300];
	char *data = fs_read_file(path, 64L << 20, &n, why, sizeof why);
	if (data == NULL) {
		opts_free(&o);
		fprintf(stderr, "sigap: %s: %s\n", path, why);
		return EXIT_ERR;
	}
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0) {
		free(data);
		opts_free(&o);
		return EXIT_ERR;
	}
	asset_import_result res;
	diags d = DIAGS_INIT;
	rc = EXIT_OK;
	if (check_as(&a, o.as, &e) != 0 ||
	    asset_import_csv(&a, o.as ? o.as : cli_actor(), path, data, n, &res, &d, &e) != 0) {
		diags_print(&d, stderr);
		rc = cli_fail(&e);
	} else {
		printf(ngettext("%s: %lld asset added, %lld changed.\n",
		                "%s: %lld assets added, %lld changed.\n", (unsigned long)res.added),
		       path, (long long)res.added, (long long)res.updated);
	}
	diags_free(&d);
	free(data);
	opts_free(&o);
	app_close(&a);
	return rc;
}

static int export_cmd(int argc, char **argv)
{
	asset_opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0 && optind != argc)
		rc = cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if ((rc = open_store(&o, rc, &a)) >= 0)
		return rc;
	sg_err e = {0};
	buf out = BUF_INIT;
	rc = EXIT_OK;
	if (check_as(&a, o.as, &e) != 0 || asset_export_csv(&a, o.as, o.in.opd, &out, &e) != 0)
		rc = cli_fail(&e);
	else
		fwrite(buf_str(&out), 1, out.len, stdout);
	buf_free(&out);
	opts_free(&o);
	app_close(&a);
	return rc;
}

int cmd_asset(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"add", add_cmd},       {"edit", edit_cmd},     {"retire", retire_cmd},
		{"list", list_cmd},     {"show", show_cmd},     {"find", find_cmd},
		{"import", import_cmd}, {"export", export_cmd}, {NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "asset", subs);
}
