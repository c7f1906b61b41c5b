/*
 * case.c: sigap case new | list | show | step | send-back | reopen | link.
 *
 * Files for file fields come with --file NAME=PATH: the command line, run
 * by the owner of the machine, reads PATH itself into the evidence spool
 * and hands the app a received file, as the web hands an upload. The app
 * never opens a path it is given.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli.h"

static const char usage[] =
	"usage: sigap case new PROCEDURE [--title T] [--field NAME=VALUE...] [--file NAME=PATH...]\n"
	"                      [--as USER]\n"
	"       sigap case list [--sop ID] [--open] [--limit N] [--json | --tickets] [--as USER]\n"
	"       sigap case list --mine --as USER [--limit N] [--json | --tickets]\n"
	"       sigap case show TICKET [--json] [--as USER]\n"
	"       sigap case step TICKET --as USER [--decision LABEL] [--field NAME=VALUE...]\n"
	"                       [--file NAME=PATH...] [--atas-nama NAME --saluran CHANNEL]\n"
	"       sigap case send-back TICKET --as USER --step N --reason TEXT\n"
	"       sigap case reopen TICKET --as USER [--step N] --reason TEXT\n"
	"       sigap case link TICKET --as USER --for NAME [--report] [--evidence SHA256...]\n"
	"       sigap case asset TICKET --asset ID --as USER\n"
	"\n"
	"new   opens a case of an SOP procedure (insiden, cti, patch, pengecualian,\n"
	"      kebijakan/penyusunan, …) with the procedure's case fields, and prints\n"
	"      its ticket alone on standard output\n"
	"list  cases, newest first; --open only the open ones; --tickets prints\n"
	"      only the tickets, one a line, for scripts; --mine --as USER lists\n"
	"      USER's tasks instead (as /tugas shows them): open cases at a step of\n"
	"      a role USER holds and cases assigned to USER, the most urgent first\n"
	"show  a case: its step, SLA clock, fields, related cases, alerts,\n"
	"      findings, what sigap drafted for the step, history and evidence\n"
	"      (list and show read every case; with --as USER only what USER may\n"
	"      see, as on the web: staff of the procedure, people named on the\n"
	"      case, within its TLP label)\n"
	"step  completes the case's current step as USER, who must hold the step's\n"
	"      role, with the step's fields and, at a decision, one of its labels;\n"
	"      with --atas-nama, on behalf of the step's outside actor (the reporter,\n"
	"      the police) named NAME, whose answer came by CHANNEL (telepon, surat,\n"
	"      surel, datang langsung): USER holds a role the SOP names for that\n"
	"      (atas_nama)\n"
	"send-back  sends the case back from its current step to an earlier step it\n"
	"      passed, whose standard time starts again\n"
	"reopen  reopens a closed case (USER holds a role marked buka_kembali, kabid)\n"
	"        at step N, by default the\n"
	"      step it closed from\n"
	"link  issues a single-use link for the current step of an outside actor\n"
	"      (NAME: whom it is for) and prints its address; [web] link_days;\n"
	"      --report hands over the case's report, --evidence an evidence file\n"
	"asset attaches an asset of the register to the case (the CSIRT's staff who\n"
	"      see the case whole); a case also gets the assets its SOP fields name\n"
	"      and those of the alerts it was opened for\n"
	"\n"
	"A field of type file takes --file NAME=PATH: the file is stored as evidence\n"
	"under its SHA-256; or --field NAME=SHA256 names evidence already attached\n"
	"to a case.\n";

enum { MAX_FIELDS = 64, MAX_FILES = 16 };

/* The --file options of a command: each file read into the spool. */
typedef struct cli_files {
	char *arg[MAX_FILES];
	size_t n;
	evidence_file file[MAX_FILES];
	case_upload up[MAX_FILES];
} cli_files;

static int parse_file_opt(cli_files *f, char *arg)
{
	if (f->n == MAX_FILES)
		return cli_usage_error(usage, "too many --file options (at most %d)", MAX_FILES);
	char *eq = strchr(arg, '=');
	if (eq == NULL || eq == arg || eq[1] == '\0')
		return cli_usage_error(usage, "--file takes NAME=PATH, not '%s'", arg);
	f->arg[f->n++] = arg;
	return 0;
}

/* Reads a local file into the evidence spool. */
static int spool_path(app *a, const char *path, evidence_file *out, sg_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return sg_err_set(e, SG_EIO, "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sg_err_set(e, SG_EINVAL, "%s is not a regular file", path);
	}
	evidence_spool *sp = evidence_spool_open(a, e);
	if (sp == NULL) {
		close(fd);
		return -1;
	}
	char chunk[65536];
	ssize_t n;
	int rc = 0;
	while (rc == 0 && (n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		rc = n < 0 ? sg_err_set(e, SG_EIO, "cannot read %s: %s", path, strerror(errno))
		           : evidence_spool_write(sp, chunk, (size_t)n, e);
	}
	close(fd);
	if (rc != 0) {
		evidence_spool_abort(sp);
		return sg_err_prefix(e, "%s", path);
	}
	return evidence_spool_close(sp, out, e);
}

/* Spools every --file and adds its value (the file's name) to fields. */
static int spool_files(app *a, cli_files *f, sop_value *fields, size_t *nf, sg_err *e)
{
	for (size_t i = 0; i < f->n; i++) {
		char *eq = strchr(f->arg[i], '=');
		*eq = '\0';
		const char *path = eq + 1, *slash = strrchr(path, '/');
		const char *base = slash ? slash + 1 : path;
		if (*nf == MAX_FIELDS)
			return sg_err_set(e, SG_EINVAL, "too many fields (at most %d)", MAX_FIELDS);
		if (spool_path(a, path, &f->file[i], e) != 0) {
			f->n = i;
			return -1;
		}
		f->up[i] = (case_upload){f->arg[i], base, &f->file[i]};
		fields[(*nf)++] = (sop_value){f->arg[i], base};
	}
	return 0;
}

static void files_discard(cli_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		evidence_file_discard(&f->file[i]);
}

static int parse_fields_opt(sop_value *fields, size_t *n, char *arg)
{
	if (*n == MAX_FIELDS)
		return cli_usage_error(usage, "too many --field options (at most %d)", MAX_FIELDS);
	if (!cli_parse_field(arg, &fields[*n]))
		return cli_usage_error(usage, "--field takes NAME=VALUE, not '%s'", arg);
	(*n)++;
	return 0;
}

static int new_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"title", required_argument, NULL, 't'},
					     {"field", required_argument, NULL, 'f'},
					     {"file", required_argument, NULL, 'F'},
					     {"as", required_argument, NULL, 'a'},
					     CLI_COMMON_OPTS,
					     {0}};
	sop_value fields[MAX_FIELDS];
	size_t n = 0;
	cli_files files = {0};
	const char *title = NULL, *as = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "ht:f:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 't': title = optarg; break;
		case 'a': as = optarg; break;
		case 'f':
			if (parse_fields_opt(fields, &n, optarg) != 0)
				return EXIT_USAGE;
			break;
		case 'F':
			if (parse_file_opt(&files, optarg) != 0)
				return EXIT_USAGE;
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one SOP procedure (see 'sigap sop list')");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (as) {
		json_t *roles = user_roles(&a, as, &e);
		if (roles == NULL) {
			app_close(&a);
			return cli_fail(&e);
		}
		json_decref(roles);
	}
	if (spool_files(&a, &files, fields, &n, &e) != 0) {
		files_discard(&files);
		app_close(&a);
		return cli_fail(&e);
	}
	case_new_req req = {argv[optind], title,	fields,	    n,
			    as ? as : cli_actor(), cli_origin(), files.up, files.n};
	char ticket[32];
	if (case_new(&a, &req, ticket, &e) != 0)
		rc = cli_fail(&e);
	else
		printf("%s\n", ticket);
	files_discard(&files);
	app_close(&a);
	return rc;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static json_int_t num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* "85,7 %": a rate in the Indonesian form. */
static void percent(double rate, char *out, size_t n)
{
	snprintf(out, n, "%.1f", rate * 100.0);
	char *dot = strchr(out, '.');
	if (dot) {
		if (strcmp(dot, ".0") == 0)
			*dot = '\0';
		else
			*dot = ',';
	}
	strncat(out, " %", n - strlen(out) - 1);
}

static void print_values(json_t *values, const char *indent)
{
	const char *k;
	json_t *v;
	json_object_foreach(values, k, v) {
		if (json_is_object(v)) /* a file: stored as evidence */
			printf("%s%s: %s (sha256 %s)\n", indent, k, str(v, "filename"), str(v, "sha256"));
		else
			printf("%s%s: %s\n", indent, k, json_string_value(v) ? json_string_value(v) : "");
	}
}

static void print_case(const app *a, json_t *c)
{
	char t1[64], t2[64], t3[64], rate[32];
	json_t *sop_info = json_object_get(c, "sop"), *proc = json_object_get(c, "procedure");
	printf("%s  %s\n", str(c, "ticket"), str(c, "title"));
	printf("  %-10s %s (%s), %s %s\n", _("SOP"), str(proc, "nama"), str(proc, "id"), _("nomor"),
	       str(sop_info, "nomor"));
	json_t *cur = json_object_get(c, "current_step");
	if (json_object_get(cur, "stage")) { /* --as an outside actor: the public stage */
		printf("  %-10s %s %s\n", _("Status"), _("open, at the stage"), str(cur, "stage"));
	} else if (json_is_object(cur)) {
		printf("  %-10s %s %lld: %s\n", _("Status"), _("open, at step"),
		       (long long)num(cur, "no"), str(cur, "uraian"));
		printf("  %-10s %s (%s)\n", "", str(cur, "role_nama"), str(cur, "role"));
		if (json_object_get(cur, "due_at"))
			printf("  %-10s %s %s, %s %s, %s %s%s\n", "", _("standard time"), str(cur, "waktu"),
			       _("started"), cli_time(a, num(cur, "started_at"), t1, sizeof t1), _("due"),
			       cli_time(a, num(cur, "due_at"), t2, sizeof t2),
			       json_is_true(json_object_get(cur, "overdue")) ? _(" (OVERDUE)") : "");
		if (json_is_true(json_object_get(cur, "unattended")))
			printf("  %-10s %s\n", "",
			       _("TLP:RED and nobody named on the case holds this step's role: "
				 "assign it to a holder of the role on the case page (or PUT "
				 "/api/v1/cases/TICKET/assignee), or nobody can act on it"));
		json_t *d = json_object_get(cur, "decision");
		if (d) {
			char *labels = json_dumps(json_object_get(d, "labels"), JSON_COMPACT);
			printf("  %-10s %s %s\n", "", str(d, "question"), labels);
			free(labels);
		}
	} else {
		printf("  %-10s %s %s\n", _("Status"), _("closed"),
		       cli_time(a, num(c, "closed_at"), t1, sizeof t1));
	}
	printf("  %-10s %s %s %s\n", _("Opened"), cli_time(a, num(c, "created_at"), t1, sizeof t1),
	       _("by"), str(c, "created_by"));
	if (json_object_size(json_object_get(c, "fields"))) {
		printf("  %s\n", _("Fields"));
		print_values(json_object_get(c, "fields"), "    ");
	}
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(c, "links"), i, r) {
		if (i == 0)
			printf("  %s\n", _("Related cases"));
		bool to = strcmp(str(r, "direction"), "to") == 0;
		printf("    %s %s  %s (%s, %s)\n", to ? _("handed over to") : _("handed over from"),
		       str(r, "ticket"), str(r, "title"), str(json_object_get(r, "procedure"), "id"),
		       strcmp(str(r, "status"), "open") == 0 ? _("open") : _("closed"));
		printf("      %s %lld (%s), %s, %s\n", _("step"), (long long)num(r, "step_no"),
		       str(r, "decision"), str(r, "actor"), cli_time(a, num(r, "at"), t1, sizeof t1));
	}
	json_array_foreach(json_object_get(c, "alerts"), i, r) {
		if (i == 0)
			printf("  %s\n", _("Alerts"));
		printf("    ALR-%-6lld %-14s %-8s %s%s%s\n", (long long)num(r, "id"), str(r, "status"),
		       str(r, "level"), str(r, "title"), *str(r, "asset") ? " — " : "",
		       str(r, "asset"));
	}
	json_array_foreach(json_object_get(c, "findings"), i, r) {
		if (i == 0)
			printf("  %s\n", _("Findings"));
		printf("    FND-%-6lld %-16s %-9s %s%s%s (%s)\n", (long long)num(r, "id"),
		       str(r, "state"), str(r, "severity"), str(r, "title"),
		       json_is_object(json_object_get(r, "asset")) ? " — " : "",
		       str(json_object_get(r, "asset"), "name"), str(r, "kind"));
	}
	json_t *draft = json_object_get(json_object_get(cur, "draft"), "values");
	if (json_object_size(draft)) {
		printf("  %s\n", _("Drafted for this step (complete it with case step)"));
		print_values(draft, "    ");
	}
	json_t *h = json_object_get(c, "history");
	printf("  %s\n", _("History"));
	printf("    %-3s %-4s %-14s %-20s %-20s %-20s %-9s %s\n", "#", _("Step"), _("Actor"),
	       _("Started"), _("Finished"), _("Due"), _("SLA"), _("Decision"));
	json_array_foreach(h, i, r) {
		bool timed = num(r, "due_at") > 0;
		printf("    %-3lld %-4lld %-14s %-20s %-20s %-20s %-9s %s\n", (long long)num(r, "seq"),
		       (long long)num(r, "step_no"), str(r, "actor"),
		       cli_time(a, num(r, "started_at"), t1, sizeof t1),
		       cli_time(a, num(r, "finished_at"), t2, sizeof t2),
		       timed ? cli_time(a, num(r, "due_at"), t3, sizeof t3) : "-",
		       !timed ? "-" : json_is_true(json_object_get(r, "sla_met")) ? _("met") : _("BREACHED"),
		       str(r, "decision"));
		const char *kind = str(r, "kind");
		if (*str(r, "on_behalf_of"))
			printf("          %s %s (%s)\n", _("on behalf of"), str(r, "on_behalf_of"),
			       str(r, "channel"));
		if (strcmp(kind, "kembalikan") == 0)
			printf("          %s %lld: %s\n", _("sent back to step"),
			       (long long)num(r, "next_step_no"), str(r, "reason"));
		else if (strcmp(kind, "buka_kembali") == 0)
			printf("          %s %lld: %s\n", _("reopened at step"),
			       (long long)num(r, "next_step_no"), str(r, "reason"));
		print_values(json_object_get(r, "values"), "          ");
	}
	json_t *sla = json_object_get(c, "sla");
	if (sla) { /* not in the part an outside actor sees */
		percent(json_real_value(json_object_get(sla, "rate")), rate, sizeof rate);
		printf("  %-10s %lld / %lld %s (%s)\n", _("SLA"), (long long)num(sla, "met"),
		       (long long)num(sla, "runs"), _("steps within standard time"), rate);
	}
	json_t *ev = json_object_get(c, "evidence");
	if (json_array_size(ev)) {
		printf("  %s\n", _("Evidence"));
		json_array_foreach(ev, i, r) printf("    %s  %s (%lld bytes) %s %s %s %s, %s\n",
						    str(r, "sha256"), str(r, "filename"),
						    (long long)num(r, "size"), _("by"), str(r, "added_by"),
						    _("at"), cli_time(a, num(r, "added_at"), t1, sizeof t1),
						    str(r, "origin"));
	}
}

/* --as USER on a reading command: the user must exist and be active;
 * what it may not see is then left out, as on the web. */
static int check_viewer(app *a, const char *as, sg_err *e)
{
	if (as == NULL)
		return 0;
	json_t *roles = user_roles(a, as, e);
	json_decref(roles);
	return roles ? 0 : -1;
}

static int show_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"as", required_argument, NULL, 'a'},
					     CLI_COMMON_OPTS,
					     {0}};
	bool as_json = false;
	const char *as = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'j': as_json = true; break;
		case 'a': as = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one ticket");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *cs = check_viewer(&a, as, &e) == 0 ? case_get(&a, argv[optind], as, &e) : NULL;
	if (cs == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (as_json) {
		cli_print_json(cs);
	} else {
		print_case(&a, cs);
	}
	json_decref(cs);
	app_close(&a);
	return EXIT_OK;
}

static int list_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"sop", required_argument, NULL, 's'},
					     {"open", no_argument, NULL, 'o'},
					     {"limit", required_argument, NULL, 'n'},
					     {"json", no_argument, NULL, 'j'},
					     {"tickets", no_argument, NULL, 'T'},
					     {"mine", no_argument, NULL, 'm'},
					     {"as", required_argument, NULL, 'a'},
					     CLI_COMMON_OPTS,
					     {0}};
	case_filter f = {.limit = 100};
	bool as_json = false, tickets_only = false, mine = false;
	int c;
	while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 's': f.procedure_id = optarg; break;
		case 'o': f.open_only = true; break;
		case 'j': as_json = true; break;
		case 'T': tickets_only = true; break;
		case 'm': mine = true; break;
		case 'a': f.viewer = optarg; break;
		case 'n':
			if ((f.limit = cli_parse_limit(optarg)) == 0)
				return cli_usage_error(usage, "--limit must be 1 to 100000");
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (mine && f.viewer == NULL)
		return cli_usage_error(usage, "--mine and --as USER go together");
	if (mine && (f.procedure_id || f.open_only))
		return cli_usage_error(usage, "--mine lists open cases of every SOP: no --sop or --open");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	if (f.procedure_id && !sops_find(&a.sops, f.procedure_id)) {
		const sop_procedure *p;
		if (!sops_find_procedure(&a.sops, f.procedure_id, &p)) {
			app_close(&a);
			sg_err_set(&e, SG_ENOTFOUND, "no SOP or procedure '%s' (see 'sigap sop list')",
				   f.procedure_id);
			return cli_fail(&e);
		}
	}
	json_t *list = check_viewer(&a, f.viewer, &e) != 0 ? NULL
	               : mine ? tasks_of(&a, f.viewer, NULL, f.limit, &e)
	                      : case_list(&a, &f, &e);
	if (list == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	size_t i;
	json_t *o;
	if (as_json) {
		cli_print_json(list);
	} else if (tickets_only) {
		json_array_foreach(list, i, o) printf("%s\n", str(o, "ticket"));
	} else {
		printf("%-16s %-22s %-7s %-5s %-21s %s\n", _("TICKET"), _("PROCEDURE"), _("STATUS"),
		       _("STEP"), _("DUE"), _("TITLE"));
		json_array_foreach(list, i, o) {
			json_t *step = json_object_get(o, "step");
			char no[16] = "-", due[64] = "-";
			if (step && json_object_get(step, "stage")) {
				snprintf(no, sizeof no, "*"); /* seen in part: no step */
			} else if (step) {
				snprintf(no, sizeof no, "%lld", (long long)num(step, "no"));
				if (json_object_get(step, "due_at")) {
					cli_time(&a, num(step, "due_at"), due, sizeof due);
					if (json_is_true(json_object_get(step, "overdue")))
						strncat(due, "!", sizeof due - strlen(due) - 1);
				}
			}
			printf("%-16s %-22s %-7s %-5s %-21s %s\n", str(o, "ticket"), str(o, "procedure"),
			       mine ? "open" : str(o, "status"), no, due, str(o, "title"));
		}
	}
	json_decref(list);
	app_close(&a);
	return EXIT_OK;
}

static int step_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
					     {"decision", required_argument, NULL, 'd'},
					     {"field", required_argument, NULL, 'f'},
					     {"file", required_argument, NULL, 'F'},
					     {"atas-nama", required_argument, NULL, 'b'},
					     {"saluran", required_argument, NULL, 's'},
					     CLI_COMMON_OPTS,
					     {0}};
	sop_value fields[MAX_FIELDS];
	size_t n = 0;
	cli_files files = {0};
	const char *as = NULL, *decision = NULL, *behalf = NULL, *channel = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "hf:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'a': as = optarg; break;
		case 'd': decision = optarg; break;
		case 'b': behalf = optarg; break;
		case 's': channel = optarg; break;
		case 'f':
			if (parse_fields_opt(fields, &n, optarg) != 0)
				return EXIT_USAGE;
			break;
		case 'F':
			if (parse_file_opt(&files, optarg) != 0)
				return EXIT_USAGE;
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one ticket");
	if (as == NULL)
		return cli_usage_error(usage, "give the user completing the step: --as USER");
	if ((behalf == NULL) != (channel == NULL))
		return cli_usage_error(usage, "--atas-nama and --saluran go together");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	if (spool_files(&a, &files, fields, &n, &e) != 0) {
		files_discard(&files);
		app_close(&a);
		return cli_fail(&e);
	}
	case_step_req req = {argv[optind], as,       decision, fields,  n,
			     cli_origin(), files.up, files.n,  behalf, channel};
	case_step_result r;
	int rc = EXIT_OK;
	if (case_step(&a, &req, &r, &e) != 0) {
		rc = cli_fail(&e);
	} else {
		const char *sla = r.sla.due == 0 ? "" : r.sla.met ? _(" within its standard time")
								  : _(" after its standard time (SLA breached)");
		if (r.closed)
			printf(_("%s: step completed%s; the case is closed.\n"), argv[optind], sla);
		else
			printf(_("%s: step completed%s; now at step %d.\n"), argv[optind], sla, r.next_no);
	}
	files_discard(&files);
	app_close(&a);
	return rc;
}

/* The options of send-back, reopen and link: --as, --step, --reason,
 * --for. */
typedef struct flow_opts {
	const char *ticket, *as, *reason, *recipient;
	int step;
	bool report; /* link: --report, --evidence SHA256 (repeated) */
	const char *evidence[LINK_MAX_EVIDENCE + 1];
	size_t n_evidence;
} flow_opts;

static int flow_opts_read(int argc, char **argv, flow_opts *o)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
					     {"step", required_argument, NULL, 's'},
					     {"reason", required_argument, NULL, 'r'},
					     {"for", required_argument, NULL, 'f'},
					     {"report", no_argument, NULL, 'R'},
					     {"evidence", required_argument, NULL, 'E'},
					     CLI_COMMON_OPTS,
					     {0}};
	memset(o, 0, sizeof *o);
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'a': o->as = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'f': o->recipient = optarg; break;
		case 'R': o->report = true; break;
		case 'E':
			if (o->n_evidence <= LINK_MAX_EVIDENCE)
				o->evidence[o->n_evidence++] = optarg;
			break;
		case 's': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 || v > 9999)
				return cli_usage_error(usage, "--step takes a step number, not '%s'", optarg);
			o->step = (int)v;
			break;
		}
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one ticket");
	if (o->as == NULL)
		return cli_usage_error(usage, "give the user acting: --as USER");
	o->ticket = argv[optind];
	return -1; /* go on */
}

static int send_back_cmd(int argc, char **argv)
{
	flow_opts o;
	int rc = flow_opts_read(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.step == 0 || o.reason == NULL)
		return cli_usage_error(usage, "give the step and the reason: --step N --reason TEXT");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	rc = EXIT_OK;
	if (case_send_back(&a, o.ticket, o.as, o.step, o.reason, cli_origin(), &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("%s: sent back to step %d.\n"), o.ticket, o.step);
	app_close(&a);
	return rc;
}

static int reopen_cmd(int argc, char **argv)
{
	flow_opts o;
	int rc = flow_opts_read(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.reason == NULL)
		return cli_usage_error(usage, "give the reason: --reason TEXT");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	rc = EXIT_OK;
	if (case_reopen(&a, o.ticket, o.as, o.step, o.reason, cli_origin(), &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("%s: reopened.\n"), o.ticket);
	app_close(&a);
	return rc;
}

static int link_cmd(int argc, char **argv)
{
	flow_opts o;
	int rc = flow_opts_read(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.recipient == NULL)
		return cli_usage_error(usage, "give whom the link is for: --for NAME");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	char token[LINK_TOKEN_LEN + 1];
	int64_t id, expires;
	rc = EXIT_OK;
	link_material m = {.report = o.report, .evidence = o.evidence, .n_evidence = o.n_evidence};
	if (case_link_issue(&a, o.ticket, o.as, o.recipient, &m, cli_origin(), token, &id, &expires,
			    &e) != 0)
		rc = cli_fail(&e);
	else
		printf("/tautan/%s\n", token);
	app_close(&a);
	return rc;
}

static int asset_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
					     {"asset", required_argument, NULL, 'A'},
					     CLI_COMMON_OPTS,
					     {0}};
	const char *as = NULL, *asset = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'a': as = optarg; break;
		case 'A': asset = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	char *end = NULL;
	long long id = asset ? strtoll(asset, &end, 10) : 0;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one ticket");
	if (as == NULL)
		return cli_usage_error(usage, "say who attaches with --as USER");
	if (asset == NULL || *asset == '\0' || *end || id <= 0)
		return cli_usage_error(usage, "--asset takes an asset's number");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (case_asset_attach(&a, as, argv[optind], id, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("%s: asset %lld attached\n"), argv[optind], id);
	app_close(&a);
	return rc;
}

int cmd_case(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"new", new_cmd},
		{"list", list_cmd},
		{"show", show_cmd},
		{"step", step_cmd},
		{"send-back", send_back_cmd},
		{"reopen", reopen_cmd},
		{"link", link_cmd},
		{"asset", asset_cmd},
		{NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "case", subs);
}
