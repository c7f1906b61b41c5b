/*
 * cli.h: the command-line face of sigap: option parsing, output, exit
 * codes. Each command family has its own file and calls app/; none holds
 * business logic.
 *
 * Exit codes: 0 ok, 1 error, 2 usage.
 */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "app/app.h"
#include "base/i18n.h"
#include "detect/sigma/rules.h"
#include "vuln/scan.h"

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2 };

/* Options every command takes. */
typedef struct cli_globals {
	const char *db;     /* --db, else $SIGAP_DB, else the config, else ./var/sigap.db */
	const char *config; /* --config, else $SIGAP_CONFIG, else ./sigap.conf when present,
	                     * else the installed one (SIGAP_SYSCONF) when present */
	const char *sops;   /* --sops, else $SIGAP_SOPS, else the config */
} cli_globals;

extern cli_globals cli_g;

/* Long options shared by every command; append to a command's table. */
#define CLI_COMMON_OPTS                                  \
	{"db", required_argument, NULL, 0x100},          \
	{"config", required_argument, NULL, 0x101},      \
	{"sops", required_argument, NULL, 0x102},        \
	{"help", no_argument, NULL, 'h'}

/* Handles a common option (returns true) or not (false). */
bool cli_common_opt(int c);

/* Parses the options of a command that takes only the common ones and,
 * when as_json is not NULL, --json. Returns -1 to go on, or the exit code
 * (--help, or a usage error). */
int cli_simple_opts(int argc, char **argv, const char *usage, bool *as_json);

/* A command family's subcommands: "sigap FAMILY SUB ...". */
typedef struct cli_sub {
	const char *name;
	int (*fn)(int argc, char **argv);
} cli_sub;
int cli_dispatch(int argc, char **argv, const char *usage, const char *family, const cli_sub *subs);

/* A --limit value from 1 to 100000, or 0 when it is not one. */
int cli_parse_limit(const char *arg);

/* Prints JSON, indented, with a final newline. */
void cli_print_json(json_t *j);
/* A page of a list: as JSON {"total": N, KEY: rows}, or a table (header,
 * a row each, "n of N shown"). Takes rows over. */
void cli_print_page(const app *a, json_t *rows, int64_t total, const char *key, bool as_json,
                    void (*header)(void), void (*row)(const app *a, json_t *r));

/* Opens the app with the globals; prints the error and returns -1. */
int cli_open(app *a, db_open_mode mode);
/* cli_open of an existing store; with as (--as USER), that user must be
 * one (its error printed, the store closed, -1 when not). */
int cli_open_as(app *a, const char *as);
/* Loads configuration only (for commands that need no database). */
int cli_config(app_config *cfg);
/* The configuration file in use: --config, $SIGAP_CONFIG, ./sigap.conf
 * when there is one, else NULL (the defaults). */
const char *cli_config_path(void);
/* --db, $SIGAP_DB, --sops and $SIGAP_SOPS over what the file says. */
void cli_config_overrides(app_config *cfg);
/* *slot becomes a copy of v; NULL v leaves it as it is. */
void cli_take(char **slot, const char *v);
/* What sigap serve's options put over the configuration. */
typedef struct cli_serve_opts {
	const char *listen, *tls_cert, *tls_key, *wazuh, *udp, *tcp, *relp;
} cli_serve_opts;
/* Checks everything sigap serve would load with the configuration file
 * path (NULL: the defaults) and o (NULL: none): sigap config check,
 * serve --check. Problems as FILE:LINE: message on stderr, a summary on
 * stdout. The number of problems. */
int cli_config_check(const char *path, const cli_serve_opts *o);
/* The TLS pair cert and key: both readable PEM, the key the
 * certificate's, the certificate not expired; each problem into d (conf
 * names the file they came from, c, when not NULL, their lines). */
void cli_tls_check(diags *d, const char *conf, const app_config *c, const char *cert,
                   const char *key);

/* Prints "sigap: message" to stderr; returns the exit code for e. */
int cli_fail(const sg_err *e);
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "cli:login@host": the actor of a command-line change without --as. */
const char *cli_actor(void);
/* "cli:host": where a command-line change comes from. */
const char *cli_origin(void);

/* Parses K=V into a value; false when there is no '='. */
bool cli_parse_field(char *arg, sop_value *out);

/* Times and numbers in the Indonesian forms, in the configured zone. */
const char *cli_time(const app *a, json_int_t t, char *out, size_t n);

int cmd_init(int argc, char **argv);
int cmd_sop(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_logbook(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_ioc(int argc, char **argv);
int cmd_alert(int argc, char **argv);
int cmd_opd(int argc, char **argv);
int cmd_asset(int argc, char **argv);
int cmd_risk(int argc, char **argv);
int cmd_exception(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_control(int argc, char **argv);
int cmd_vuln(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_document(int argc, char **argv);
int cmd_intake(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_config(int argc, char **argv);
/* sigap vuln intel …, routed from cmd_vuln. */
int cmd_vuln_intel(int argc, char **argv);


/* The files that shape a rule set besides the rules: the logsource and
 * field mapping (NULL: the built-in one) and the placeholders of |expand
 * (NULL: none, and rules with one are refused). */
typedef struct rules_files {
	const char *mapping, *placeholders;
	const char *cache; /* where the compiled databases are kept; NULL: none */
	bool every_rule;   /* a rule that cannot be loaded fails the whole set */
} rules_files;

/* Loads the mapping, the placeholders and the rules of paths (none: the
 * shipped rules; builtin: those too), compiled (through the cache of
 * compiled databases when f->cache is set); problems go to stderr.
 * NULL when no rule could be loaded or a file cannot be read, or (with
 * f->every_rule) when any rule cannot be loaded. */
det_rules *cli_load_rules(const rules_files *f, const char **paths, int n_paths, bool builtin,
                          bool report_summary);

#endif
