/*
 * intake.c: sigap intake poll: one poll of the mailbox of reports by
 * e-mail ([intake] in sigap.conf), as sigap serve does every [intake]
 * poll: each new message becomes an incident case, a reply a comment of
 * its case (app/mail_intake.c). For a first check of the configuration,
 * and for a timer when no server runs.
 */
#include <curl/curl.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap intake poll\n"
    "\n"
    "poll  reads the mailbox of [intake] once: each unseen message opens an\n"
    "      incident case as a report from its sender (the ticket and tracking\n"
    "      code go back by e-mail), a reply from the reporter with its case's\n"
    "      ticket and reply code in the subject is added to it as a comment;\n"
    "      automatic answers, bounces and lists are recorded and left; prints\n"
    "      what became of them. Exit 1 when a message could not be taken.\n"
    "\n"
    "The mailbox is [intake] url (imaps://HOST/INBOX, or imap://HOST:143/INBOX\n"
    "with STARTTLS), user, password, and optionally ca_file, timeout and\n"
    "max_size, in sigap.conf (--config FILE, or SIGAP_CONFIG); see\n"
    "docs/notifications.md, \"Reports by e-mail\".\n";

static int poll_cmd(int argc, char **argv)
{
	int rc = cli_simple_opts(argc, argv, usage, NULL);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "poll takes no argument");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	sg_err e = {0};
	intake_stats s;
	rc = EXIT_OK;
	if (mail_intake_round(&a, NULL, NULL, &s, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("%d unseen: %d new cases, %d replies, %d not reports, %d too large, %d failed\n"),
		       s.seen, s.cases, s.comments, s.ignored, s.too_big, s.failed);
	app_close(&a);
	curl_global_cleanup();
	return rc == EXIT_OK && s.failed ? EXIT_ERR : rc;
}

int cmd_intake(int argc, char **argv)
{
	static const cli_sub subs[] = {{"poll", poll_cmd}, {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "intake", subs);
}
