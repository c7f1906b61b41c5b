/*
 * token.c: sigap token new | list | revoke: API bearer tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: sigap token new USER [--name NAME]\n"
	"       sigap token list USER [--json]\n"
	"       sigap token revoke USER ID\n"
	"\n"
	"new     prints a new API token for USER (shown once; only its hash is kept).\n"
	"        Programs send it as 'Authorization: Bearer TOKEN' to /api/v1.\n"
	"list    the user's tokens (never the tokens themselves)\n"
	"revoke  ends a token at once\n";

static int token_new_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'}, CLI_COMMON_OPTS, {0}};
	const char *name = "cli";
	int c;
	while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == 'n') {
			name = optarg;
			continue;
		}
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one user name");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	char token[45];
	sg_err e = {0};
	int rc = EXIT_OK;
	if (token_new(&a, cli_actor(), argv[optind], name, token, &e) != 0)
		rc = cli_fail(&e);
	else
		printf("%s\n", token);
	app_close(&a);
	return rc;
}

static int token_list_cmd(int argc, char **argv)
{
	bool as_json = false;
	int rc0 = cli_simple_opts(argc, argv, usage, &as_json);
	if (rc0 >= 0)
		return rc0;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one user name");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *list = token_list(&a, argv[optind], &e);
	if (list == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (as_json) {
		cli_print_json(list);
	} else {
		printf("%-6s %-24s %-26s %s\n", _("ID"), _("NAME"), _("CREATED"), _("STATE"));
		size_t i;
		json_t *t;
		json_array_foreach(list, i, t) {
			char when[64];
			cli_time(&a, json_integer_value(json_object_get(t, "created_at")), when, sizeof when);
			printf("%-6lld %-24s %-26s %s\n", (long long)json_integer_value(json_object_get(t, "id")),
			       json_string_value(json_object_get(t, "name")), when,
			       json_is_integer(json_object_get(t, "revoked_at")) ? _("revoked") : _("active"));
		}
	}
	json_decref(list);
	app_close(&a);
	return EXIT_OK;
}

static int token_revoke_cmd(int argc, char **argv)
{
	int rc0 = cli_simple_opts(argc, argv, usage, NULL);
	if (rc0 >= 0)
		return rc0;
	if (optind != argc - 2)
		return cli_usage_error(usage, "give the user name and the token id");
	char *end;
	long long id = strtoll(argv[optind + 1], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(usage, "the token id must be a positive number");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (token_revoke(&a, cli_actor(), argv[optind], id, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("Token %lld of %s revoked.\n"), id, argv[optind]);
	app_close(&a);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"new", token_new_cmd},
		{"list", token_list_cmd},
		{"revoke", token_revoke_cmd},
		{NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "token", subs);
}
