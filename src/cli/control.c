/*
 * control.c: sigap control list | check: the catalogue of controls
 * (app/controls.c, docs/controls.md).
 */
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "base/ydoc.h"
#include "cli.h"

static const char usage[] =
    "usage: sigap control list [--framework ID] [--q TEXT] [--json]\n"
    "       sigap control check [FILE.yaml...]\n"
    "\n"
    "list   the frameworks of the catalogue and their controls: the shipped\n"
    "       ones (indeks-kami-4: the areas of Indeks KAMI 4.0; bssn-4-2021: the\n"
    "       process of Peraturan BSSN No. 4 Tahun 2021) and the *.yaml files of\n"
    "       [kontrol] dir; --q: controls whose id, title or description hold TEXT\n"
    "check  loads the catalogue with the FILEs given, each problem as\n"
    "       FILE:LINE:COL (docs/controls.md says the format)\n";

static int parse(int argc, char **argv, const char **fw, const char **q, bool *json)
{
	static const struct option opts[] = {{"framework", required_argument, NULL, 'f'},
	                                     {"q", required_argument, NULL, 'q'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'f': *fw = optarg; break;
		case 'q': *q = optarg; break;
		case 'j': *json = true; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	return -1;
}

static int list_cmd(int argc, char **argv)
{
	const char *fw = NULL, *q = NULL;
	bool json = false;
	int rc = parse(argc, argv, &fw, &q, &json);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	ctl_registry r;
	diags d = DIAGS_INIT;
	rc = EXIT_OK;
	if (controls_load(&r, cfg.ctl_dir, &d) != 0) {
		diags_print(&d, stderr);
		rc = EXIT_ERR;
	} else {
		json_t *l = controls_json(&r, fw, q);
		if (fw && json_array_size(l) == 0) {
			fprintf(stderr, "sigap: %s '%s'\n", _("no framework"), fw);
			rc = EXIT_ERR;
		} else if (json) {
			cli_print_json(l);
		} else {
			size_t i, k;
			json_t *f, *c;
			json_array_foreach(l, i, f) {
				printf("%s  %s\n", json_string_value(json_object_get(f, "framework")),
				       json_string_value(json_object_get(f, "name")));
				json_array_foreach(json_object_get(f, "controls"), k, c)
					printf("  %-10s %s\n", json_string_value(json_object_get(c, "id")),
					       json_string_value(json_object_get(c, "title")));
			}
		}
		json_decref(l);
	}
	diags_free(&d);
	controls_free(&r);
	app_config_free(&cfg);
	return rc;
}

static int check_cmd(int argc, char **argv)
{
	const char *fw = NULL, *q = NULL;
	bool json = false;
	int rc = parse(argc, argv, &fw, &q, &json);
	if (rc >= 0)
		return rc;
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	ctl_registry r;
	diags d = DIAGS_INIT;
	int bad = controls_load(&r, cfg.ctl_dir, &d) != 0;
	for (int i = optind; i < argc; i++) {
		char why[300];
		size_t len = 0;
		char *text = fs_read_file(argv[i], YDOC_MAX_BYTES, &len, why, sizeof why);
		if (text == NULL) {
			diags_add(&d, argv[i], 0, 0, "%s", why);
			bad = 1;
			continue;
		}
		bad |= controls_parse(text, len, argv[i], &r, &d) != 0;
		free(text);
	}
	diags_print(&d, stderr);
	if (!bad) {
		size_t n = 0;
		for (size_t i = 0; i < r.n; i++)
			n += r.v[i].n;
		printf(_("%zu frameworks, %zu controls\n"), r.n, n);
	}
	diags_free(&d);
	controls_free(&r);
	app_config_free(&cfg);
	return bad ? EXIT_ERR : EXIT_OK;
}

int cmd_control(int argc, char **argv)
{
	static const cli_sub subs[] = {{"list", list_cmd}, {"check", check_cmd}, {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "control", subs);
}
