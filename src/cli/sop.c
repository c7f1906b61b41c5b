/*
 * sop.c: sigap sop list | show | validate | render | reload.
 *
 * These work without a database (an author checks a new SOP file before
 * it is installed); `show` adds SLA compliance when the database exists.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli.h"
#include "sop/render.h"

static const char usage[] =
	"usage: sigap sop list\n"
	"       sigap sop show ID\n"
	"       sigap sop validate FILE...\n"
	"       sigap sop render ID [--format html] [-o FILE]\n"
	"       sigap sop reload\n"
	"\n"
	"list      the SOPs and their procedures\n"
	"show      an SOP's identity and its procedure tables\n"
	"validate  checks SOP files; errors are printed as FILE:LINE:COL: message\n"
	"render    the official SOP document as one HTML page (identity, legal\n"
	"          basis, qualifications, procedure tables with the flowchart),\n"
	"          printable on A4 landscape\n"
	"reload    checks the SOPs as sigap serve reads them (built in and [sop] dir);\n"
	"          when they load, every sigap serve on this store reads them again\n"
	"          within a second or two, without a restart (a running case keeps\n"
	"          the version it started on)\n";

static int load_registry(sop_registry *r, app_config *cfg)
{
	if (cli_config(cfg) != 0)
		return -1;
	diags d = DIAGS_INIT;
	if (sops_load(r, cfg->sops_dir, &d) != 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		sops_free(r);
		app_config_free(cfg);
		return -1;
	}
	diags_free(&d);
	return 0;
}

static int list_cmd(int argc, char **argv)
{
	int rc = cli_simple_opts(argc, argv, usage, NULL);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	sop_registry r;
	app_config cfg;
	if (load_registry(&r, &cfg) != 0)
		return EXIT_ERR;
	printf("%-22s %-6s %-6s %-28s %s\n", _("PROCEDURE"), _("TICKET"), _("STEPS"), _("NUMBER"),
	       _("NAME"));
	for (size_t i = 0; i < r.n; i++) {
		const sop *s = r.v[i].sop;
		for (size_t p = 0; p < s->n_procs; p++)
			printf("%-22s %-6s %-6zu %-28s %s\n", s->procs[p].id, s->procs[p].ticket_prefix,
			       s->procs[p].n_steps, s->nomor, s->n_procs > 1 ? s->procs[p].nama : s->nama);
	}
	sops_free(&r);
	app_config_free(&cfg);
	return EXIT_OK;
}

static void print_list(const char *title, const char *const *v, size_t n)
{
	if (n == 0)
		return;
	printf("%s\n", title);
	for (size_t i = 0; i < n; i++)
		printf("  %zu. %s\n", i + 1, v[i]);
}

static void print_step(const sop *s, const sop_procedure *p, const sop_step *st)
{
	printf("  %2d. %s\n", st->no, st->uraian);
	if (st->terminator)
		return;
	printf("      %s: %s | %s: %s", _("actor"), sop_role_name(s, st->role), _("time"),
	       st->waktu.text ? st->waktu.text : "-");
	if (st->output)
		printf(" | %s: %s", _("output"), st->output);
	putchar('\n');
	if (st->n_branches) {
		printf("      %s", st->question ? st->question : _("decision"));
		for (size_t b = 0; b < st->n_branches; b++) {
			const sop_branch *br = &st->branches[b];
			if (sop_closes(p, br->target))
				printf(" [%s -> %s", br->label, _("end"));
			else
				printf(" [%s -> %d", br->label, p->steps[br->target].no);
			if (br->start)
				printf(", %s %s", _("starts"), br->start);
			if (br->alerts)
				printf(", %s %s", _("alerts"), br->alerts);
			putchar(']');
		}
		putchar('\n');
	} else if (sop_closes(p, st->next)) {
		printf("      -> %s\n", _("end"));
	}
	for (size_t f = 0; f < st->n_fields; f++)
		printf("      %s %s (%s%s): %s\n", _("field"), st->fields[f].name,
		       sop_field_type_name(st->fields[f].type), st->fields[f].required ? _(", required") : "",
		       st->fields[f].label);
}

static int show_cmd(int argc, char **argv)
{
	int rc = cli_simple_opts(argc, argv, usage, NULL);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one SOP id");
	app a;
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	if (access(cfg.db_path, F_OK) == 0) {
		/* With a database: SLA compliance too. */
		sg_err e = {0};
		if (app_open(&a, &cfg, DB_OPEN_EXISTING, &e) != 0)
			return cli_fail(&e);
	} else {
		memset(&a, 0, sizeof a);
		a.cfg = cfg;
		diags d = DIAGS_INIT;
		int r = sops_load(&a.sops, a.cfg.sops_dir, &d);
		diags_print(&d, stderr);
		diags_free(&d);
		if (r != 0) {
			app_close(&a);
			return EXIT_ERR;
		}
	}
	const sop_entry *en = sops_find(&a.sops, argv[optind]);
	if (en == NULL) {
		fprintf(stderr, "sigap: no SOP '%s' (see 'sigap sop list')\n", argv[optind]);
		app_close(&a);
		return EXIT_ERR;
	}
	const sop *s = en->sop;
	printf("%s\n", s->nama);
	printf("  %-20s %s\n", _("Nomor SOP"), s->nomor);
	if (s->instansi)
		printf("  %-20s %s\n", _("Instansi"), s->instansi);
	printf("  %-20s %s\n", _("Tanggal Pengesahan"),
	       s->tanggal_pengesahan ? s->tanggal_pengesahan : s->tanggal_efektif ? s->tanggal_efektif : "-");
	if (s->disahkan_oleh.nama)
		printf("  %-20s %s, %s\n", _("Disahkan Oleh"), s->disahkan_oleh.jabatan, s->disahkan_oleh.nama);
	printf("  %-20s %s (sha256 %.16s)\n", _("Source"), en->source, en->sha256);
	print_list(_("Dasar hukum"), s->dasar_hukum, s->n_dasar_hukum);
	printf("%s\n", _("Pelaksana"));
	for (size_t i = 0; i < s->n_roles; i++)
		printf("  %-16s %s\n", s->roles[i].id, s->roles[i].nama);
	for (size_t p = 0; p < s->n_procs; p++) {
		const sop_procedure *pr = &s->procs[p];
		printf("%s: %s (%s, %s %s-…)\n", _("Procedure"), pr->nama, pr->id, _("tickets"),
		       pr->ticket_prefix);
		for (size_t i = 0; i < pr->n_steps; i++)
			print_step(s, pr, &pr->steps[i]);
		if (a.db) {
			sg_err e = {0};
			json_t *c30 = sla_compliance(&a, pr->id, app_now(&a) - 30 * 86400, NULL, &e);
			json_t *c90 = sla_compliance(&a, pr->id, app_now(&a) - 90 * 86400, NULL, &e);
			if (c30 && c90)
				printf("  %s: %lld/%lld %s (30 %s), %lld/%lld (90 %s)\n", _("SLA compliance"),
				       (long long)json_integer_value(json_object_get(c30, "met")),
				       (long long)json_integer_value(json_object_get(c30, "runs")),
				       _("steps"), _("days"),
				       (long long)json_integer_value(json_object_get(c90, "met")),
				       (long long)json_integer_value(json_object_get(c90, "runs")), _("days"));
			json_decref(c30);
			json_decref(c90);
		}
	}
	app_close(&a);
	return EXIT_OK;
}

/* Each file alone, then the hand-overs (start:) of those that loaded
 * against one another and the installed SOPs (built in and the
 * configured directory; without a configuration, the built-in ones). */
static int validate_cmd(int argc, char **argv)
{
	int rc = cli_simple_opts(argc, argv, usage, NULL);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(usage, "give at least one SOP file");
	int n = argc - optind, bad = 0;
	sop **loaded = calloc((size_t)n, sizeof *loaded);
	const sop **ok = calloc((size_t)n, sizeof *ok);
	if (loaded == NULL || ok == NULL)
		abort();
	size_t n_ok = 0;
	for (int i = 0; i < n; i++) {
		diags d = DIAGS_INIT;
		loaded[i] = sop_load_file(argv[optind + i], &d);
		if (loaded[i] == NULL) {
			diags_print(&d, stderr);
			bad++;
		} else {
			ok[n_ok++] = loaded[i];
		}
		diags_free(&d);
	}
	app_config cfg;
	sop_registry r = {0};
	diags ignored = DIAGS_INIT; /* the installed SOPs' own problems: 'sigap sop list' */
	if (cli_config(&cfg) == 0) {
		sops_load(&r, cfg.sops_dir, &ignored);
		app_config_free(&cfg);
	} else {
		sops_load(&r, NULL, &ignored);
	}
	diags_free(&ignored);
	diags d = DIAGS_INIT;
	sops_check_starts(&r, ok, n_ok, &d);
	for (int i = 0; i < n; i++) {
		const sop *s = loaded[i];
		if (s == NULL)
			continue;
		bool clean = true;
		for (size_t k = 0; k < d.n; k++)
			if (strcmp(d.v[k].file, s->file) == 0) {
				fprintf(stderr, "%s:%d:%d: %s\n", d.v[k].file, d.v[k].line, d.v[k].col,
					d.v[k].msg);
				clean = false;
			}
		if (!clean) {
			bad++;
			continue;
		}
		size_t steps = 0;
		for (size_t p = 0; p < s->n_procs; p++)
			steps += s->procs[p].n_steps;
		printf(_("%s: ok (SOP %s, %zu procedure(s), %zu steps)\n"), argv[optind + i], s->id,
		       s->n_procs, steps);
	}
	diags_free(&d);
	sops_free(&r);
	for (int i = 0; i < n; i++)
		sop_free(loaded[i]);
	free(loaded);
	free(ok);
	return bad ? EXIT_ERR : EXIT_OK;
}

static int render_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"output", required_argument, NULL, 'o'},
					     CLI_COMMON_OPTS,
					     {0}};
	const char *format = "html", *out = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (strcmp(format, "html") != 0)
		return cli_usage_error(usage, "unknown format '%s' (supported: html)", format);
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one SOP id");
	sop_registry r;
	app_config cfg;
	if (load_registry(&r, &cfg) != 0)
		return EXIT_ERR;
	const sop_entry *en = sops_find(&r, argv[optind]);
	int rc = EXIT_OK;
	if (en == NULL) {
		fprintf(stderr, "sigap: no SOP '%s' (see 'sigap sop list')\n", argv[optind]);
		rc = EXIT_ERR;
	} else {
		buf html = BUF_INIT;
		sop_render_html(en->sop, &html);
		FILE *f = out ? fopen(out, "w") : stdout;
		if (f == NULL) {
			perror(out);
			rc = EXIT_ERR;
		} else {
			if (fwrite(html.data, 1, html.len, f) != html.len)
				rc = EXIT_ERR;
			if (out && fclose(f) != 0)
				rc = EXIT_ERR;
			if (rc != EXIT_OK)
				fprintf(stderr, "sigap: cannot write %s\n", out ? out : "standard output");
		}
		buf_free(&html);
	}
	sops_free(&r);
	app_config_free(&cfg);
	return rc;
}

/* Checks the registry as a server opens it, then moves the change mark
 * "sops" that every sigap serve on the store reads. */
static int reload_cmd(int argc, char **argv)
{
	int rc = cli_simple_opts(argc, argv, usage, NULL);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0) {
		fprintf(stderr, "sigap: the SOPs were not reloaded; the servers keep the ones they "
		                "have\n");
		return EXIT_ERR;
	}
	sg_err e = {0};
	if (app_mark_changed(&a, "sops", &e) != 0) {
		app_close(&a);
		return cli_fail(&e);
	}
	printf(_("%zu SOPs checked; every sigap serve on this store reads them again within a "
	         "second or two\n"),
	       a.sops.n);
	app_close(&a);
	return EXIT_OK;
}

int cmd_sop(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"list", list_cmd},
		{"show", show_cmd},
		{"validate", validate_cmd},
		{"render", render_cmd},
		{"reload", reload_cmd},
		{NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "sop", subs);
}
