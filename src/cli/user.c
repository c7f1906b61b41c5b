/*
 * user.c: sigap user add | opd | list | roles.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli.h"

static const char usage[] =
	"usage: sigap user add NAME --role ROLE [--role ROLE...] [--opd OPD]\n"
	"                      [--password-stdin]\n"
	"       sigap user opd NAME OPD|--none [--as USER]\n"
	"       sigap user contact NAME [--email ADDRESS|--no-email] [--email-on|--email-off]\n"
	"                          [--quiet-hours HH:MM-HH:MM|--no-quiet-hours]\n"
	"                          [--telegram CHAT|--no-telegram] [--language id|en]\n"
	"       sigap user list [--json]\n"
	"       sigap user roles\n"
	"\n"
	"add    creates a user with the roles given. With --password-stdin the\n"
	"       password is read from the first line of standard input; without\n"
	"       it a one-time password is generated and printed, and the user\n"
	"       must change it at the first login.\n"
	"       --opd places the user in a Perangkat Daerah (its abbreviation);\n"
	"       an agen_siber (the cyber agent of an OPD) must have one.\n"
	"opd    places a user in another OPD, or in none (--none); roles admin\n"
	"       and kabid (without --as: the machine's owner)\n"
	"contact the user's e-mail address for notifications ([notify] smtp_url)\n"
	"       and Telegram chat (a chat id or @name, for [notify] telegram_token)\n"
	"       and whether they want them by e-mail, and the hours their e-mail\n"
	"       waits (the calendar's zone), and the language of their messages\n"
	"       (id: Bahasa Indonesia, the default; en: English), as the machine's\n"
	"       owner; each user sets their own on /akun/notifikasi; without\n"
	"       options, shows them\n"
	"list   the users, their roles and OPDs\n"
	"roles  the roles a user may hold: the pelaksana of the SOPs, admin, and\n"
	"       agen_siber\n";

static int user_add_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
					     {"password-stdin", no_argument, NULL, 'p'},
					     {"opd", required_argument, NULL, 'o'},
					     CLI_COMMON_OPTS,
					     {0}};
	const char *roles[32], *opd = NULL;
	size_t n_roles = 0;
	bool from_stdin = false;
	int c;
	while ((c = getopt_long(argc, argv, "hr:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'p': from_stdin = true; break;
		case 'o': opd = optarg; break;
		case 'r':
			if (n_roles == sizeof roles / sizeof roles[0])
				return cli_usage_error(usage, "too many roles");
			roles[n_roles++] = optarg;
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one user name");
	if (n_roles == 0)
		return cli_usage_error(usage, "give at least one --role");
	char password[1100];
	bool generated = !from_stdin;
	if (from_stdin) {
		if (fgets(password, sizeof password, stdin) == NULL) {
			fprintf(stderr, "sigap: no password on standard input\n");
			return EXIT_ERR;
		}
		password[strcspn(password, "\r\n")] = '\0';
	} else {
		user_generate_password(password);
	}
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (user_add_opd(&a, cli_actor(), argv[optind], roles, n_roles, password, generated, opd,
			 &e) != 0)
		rc = cli_fail(&e);
	else if (generated)
		printf(_("User %s added. One-time password (shown once; it must be changed at the "
			 "first login):\n%s\n"),
		       argv[optind], password);
	else
		printf(_("User %s added.\n"), argv[optind]);
	memset(password, 0, sizeof password);
	app_close(&a);
	return rc;
}

static int user_list_cmd(int argc, char **argv, bool roles_only)
{
	bool as_json = false;
	int rc0 = cli_simple_opts(argc, argv, usage, &as_json);
	if (rc0 >= 0)
		return rc0;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *list = roles_only ? sops_roles(&a.sops) : user_list(&a, &e);
	if (list == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	size_t i;
	json_t *o;
	if (as_json) {
		cli_print_json(list);
	} else if (roles_only) {
		json_array_foreach(list, i, o) printf("%-16s %s\n", json_string_value(json_object_get(o, "id")),
						     json_string_value(json_object_get(o, "nama")));
	} else {
		printf("%-20s %-8s %-12s %s\n", _("NAME"), _("STATUS"), _("OPD"), _("ROLES"));
		json_array_foreach(list, i, o) {
			buf roles = BUF_INIT;
			size_t k;
			json_t *r;
			json_array_foreach(json_object_get(o, "roles"), k, r) {
				buf_puts(&roles, k ? ", " : "");
				buf_puts(&roles, json_string_value(r));
			}
			const char *opd = json_string_value(json_object_get(o, "opd"));
			printf("%-20s %-8s %-12s %s\n", json_string_value(json_object_get(o, "name")),
			       json_is_true(json_object_get(o, "disabled")) ? _("disabled") : _("active"),
			       opd ? opd : "-", buf_str(&roles));
			buf_free(&roles);
		}
	}
	json_decref(list);
	app_close(&a);
	return EXIT_OK;
}

static int user_list_cmd_users(int argc, char **argv)
{
	return user_list_cmd(argc, argv, false);
}

static int user_list_cmd_roles(int argc, char **argv)
{
	return user_list_cmd(argc, argv, true);
}

static int user_opd_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"none", no_argument, NULL, 'n'},
					     {"as", required_argument, NULL, 'a'},
					     CLI_COMMON_OPTS,
					     {0}};
	bool none = false;
	const char *as = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'n': none = true; break;
		case 'a': as = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - (none ? 1 : 2))
		return cli_usage_error(usage, "give a user name and an OPD (or --none)");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (user_set_opd(&a, as ? as : cli_actor(), argv[optind], none ? NULL : argv[optind + 1],
			 &e) != 0)
		rc = cli_fail(&e);
	else if (none)
		printf(_("User %s belongs to no OPD.\n"), argv[optind]);
	else
		printf(_("User %s belongs to OPD %s.\n"), argv[optind], argv[optind + 1]);
	app_close(&a);
	return rc;
}

static int user_contact_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"email", required_argument, NULL, 'm'},
					     {"no-email", no_argument, NULL, 'n'},
					     {"email-on", no_argument, NULL, '1'},
					     {"email-off", no_argument, NULL, '0'},
					     {"quiet-hours", required_argument, NULL, 'q'},
					     {"no-quiet-hours", no_argument, NULL, 'Q'},
					     {"telegram", required_argument, NULL, 't'},
					     {"no-telegram", no_argument, NULL, 'T'},
					     {"language", required_argument, NULL, 'l'},
					     CLI_COMMON_OPTS,
					     {0}};
	const char *email = NULL, *quiet = NULL, *chat = NULL, *lang = NULL;
	int on = -1, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'm': email = optarg; break;
		case 'n': email = ""; break;
		case '1': on = 1; break;
		case '0': on = 0; break;
		case 'q': quiet = optarg; break;
		case 'Q': quiet = ""; break;
		case 't': chat = optarg; break;
		case 'T': chat = ""; break;
		case 'l': lang = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one user name");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	const char *name = argv[optind];
	user_contact_in in = {email, on, quiet, chat, lang};
	if ((email || on >= 0 || quiet || chat || lang) &&
	    user_set_contact(&a, cli_actor(), name, &in, &e) != 0) {
		app_close(&a);
		return cli_fail(&e);
	}
	json_t *ct = user_contact(&a, cli_actor(), name, &e);
	app_close(&a);
	if (ct == NULL)
		return cli_fail(&e);
	const char *addr = json_string_value(json_object_get(ct, "email"));
	if (addr)
		printf(json_is_true(json_object_get(ct, "email_on"))
		           ? _("User %s: e-mail %s, notifications by e-mail on.\n")
		           : _("User %s: e-mail %s, notifications by e-mail off.\n"),
		       name, addr);
	else
		printf(_("User %s has no e-mail address: no notification by e-mail.\n"), name);
	const char *tg = json_string_value(json_object_get(ct, "telegram_chat"));
	if (tg)
		printf(_("Telegram chat: %s.\n"), tg);
	const char *q = json_string_value(json_object_get(ct, "quiet_hours"));
	if (q)
		printf(_("Quiet hours: %s (e-mail written then waits until they end).\n"), q);
	const char *lg = json_string_value(json_object_get(ct, "language"));
	printf(_("Messages in %s.\n"),
	       lg && strcmp(lg, "en") == 0 ? "English" : "Bahasa Indonesia");
	json_decref(ct);
	return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"add", user_add_cmd},
		{"opd", user_opd_cmd},
		{"contact", user_contact_cmd},
		{"list", user_list_cmd_users},
		{"roles", user_list_cmd_roles},
		{NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "user", subs);
}
