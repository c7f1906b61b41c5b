/*
 * document.c: sigap document list | draft | issue | verify | check: the
 * output documents of the SOPs' steps from the command line, as the case
 * page's Documents section does them (documents.c).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "cli.h"
#include "report/tmpl.h"

static const char usage[] =
    "usage: sigap document list TICKET --as USER [--json]\n"
    "       sigap document draft TICKET STEP TEMPLATE --as USER [--pdf] [--out FILE]\n"
    "       sigap document issue TICKET STEP TEMPLATE --as USER [--json]\n"
    "       sigap document verify CODE [FILE] [--json]\n"
    "       sigap document check [FILE.tmpl...]\n"
    "       sigap document monthly YYYY-MM --as USER [--pdf] [--out FILE]\n"
    "\n"
    "list    the documents a case's reached steps output (dokumen: in its SOP)\n"
    "        and those issued, with number, verification code and SHA-256\n"
    "draft   a document as it would be issued, without a number: the body\n"
    "        (XHTML) or, with --pdf, the PDF marked DRAF; to FILE or standard\n"
    "        output\n"
    "issue   issues it: the next number of its kind this year, a verification\n"
    "        code and QR code, the PDF stored as the case's evidence, a\n"
    "        logbook entry; USER must act on the step (its role, a role acting\n"
    "        for its outside actor, or a supervisor who may reopen the case)\n"
    "verify  what /verifikasi tells of the document with CODE; with FILE, whether\n"
    "        FILE is exactly that document: exit 0 when it is, 3 when it is not,\n"
    "        1 when no document has CODE or FILE cannot be read\n"
    "check   loads the shipped templates, [dokumen] templates and the FILEs\n"
    "        given, and checks every SOP's dokumen: against them; each problem\n"
    "        as FILE:LINE:COL (docs/templates.md)\n"
    "monthly the monthly report to the Kepala Dinas for a month (incidents by\n"
    "        ENISA class and priority, SLA compliance per procedure, alerts\n"
    "        triaged, findings open and past due), as USER (kabid, kepala_dinas\n"
    "        or ttis) sees the cases: the body (XHTML) or, with --pdf, the PDF\n";

typedef struct doc_opts {
	const char *as, *out;
	bool pdf, json;
} doc_opts;

static int parse(int argc, char **argv, doc_opts *o, int args)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
					     {"out", required_argument, NULL, 'o'},
					     {"pdf", no_argument, NULL, 'p'},
					     {"json", no_argument, NULL, 'j'},
					     CLI_COMMON_OPTS,
					     {0}};
	int c;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'a': o->as = optarg; break;
		case 'o': o->out = optarg; break;
		case 'p': o->pdf = true; break;
		case 'j': o->json = true; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (args >= 0 && argc - optind != args)
		return cli_usage_error(usage, "give %d argument%s", args, args == 1 ? "" : "s");
	return -1;
}

static int step_arg(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	return *end || n < 1 || n > 10000 ? 0 : (int)n;
}

static int list_cmd(int argc, char **argv)
{
	doc_opts o = {0};
	int rc = parse(argc, argv, &o, 1);
	if (rc >= 0)
		return rc;
	if (o.as == NULL)
		return cli_usage_error(usage, "give --as USER: the documents are shown as that user "
					      "may see them");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *d = documents_of_case(&a, o.as, argv[optind], &e);
	if (d == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (o.json) {
		cli_print_json(d);
	} else {
		size_t i;
		json_t *x;
		printf("%s\n", _("Due (steps reached):"));
		json_array_foreach(json_object_get(d, "due"), i, x)
			printf("  %-4lld %-32s %s%s\n",
			       (long long)json_integer_value(json_object_get(x, "step")),
			       json_string_value(json_object_get(x, "template")),
			       json_string_value(json_object_get(x, "title")),
			       json_is_true(json_object_get(x, "may_issue")) ? "" : _(" (not yours to issue)"));
		printf("%s\n", _("Issued:"));
		json_array_foreach(json_object_get(d, "issued"), i, x)
		{
			char t[64];
			cli_time(&a, json_integer_value(json_object_get(x, "issued_at")), t, sizeof t);
			printf("  %-24s %-10s %s  %s, %s\n  %26s sha256 %s\n",
			       json_string_value(json_object_get(x, "number")),
			       json_string_value(json_object_get(x, "code")),
			       json_string_value(json_object_get(x, "title")),
			       json_string_value(json_object_get(x, "issued_by")), t, "",
			       json_string_value(json_object_get(x, "sha256")));
		}
	}
	json_decref(d);
	app_close(&a);
	return EXIT_OK;
}

/* out to the file path (NULL: standard output). */
static int write_out(const char *path, const buf *out)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (f == NULL || fwrite(out->data, 1, out->len, f) != out->len || (path && fclose(f) != 0)) {
		fprintf(stderr, "sigap: %s: %s\n", path ? path : "stdout", _("cannot write the document"));
		return EXIT_ERR;
	}
	return EXIT_OK;
}

static int draft_cmd(int argc, char **argv)
{
	doc_opts o = {0};
	int rc = parse(argc, argv, &o, 3);
	if (rc >= 0)
		return rc;
	int step = step_arg(argv[optind + 1]);
	if (step == 0)
		return cli_usage_error(usage, "STEP must be a step number");
	if (o.as == NULL)
		return cli_usage_error(usage, "give --as USER");
	if (o.pdf && o.out == NULL && isatty(STDOUT_FILENO))
		return cli_usage_error(usage, "a PDF is not for a terminal: give --out FILE");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	buf out = BUF_INIT;
	rc = EXIT_OK;
	if (document_draft(&a, o.as, argv[optind], step, argv[optind + 2], o.pdf, &out, NULL, &e) != 0)
		rc = cli_fail(&e);
	else
		rc = write_out(o.out, &out);
	buf_free(&out);
	app_close(&a);
	return rc;
}

static int issue_cmd(int argc, char **argv)
{
	doc_opts o = {0};
	int rc = parse(argc, argv, &o, 3);
	if (rc >= 0)
		return rc;
	int step = step_arg(argv[optind + 1]);
	if (step == 0)
		return cli_usage_error(usage, "STEP must be a step number");
	if (o.as == NULL)
		return cli_usage_error(usage, "give --as USER: the officer who issues it");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	doc_info d;
	rc = EXIT_OK;
	if (document_issue(&a, o.as, argv[optind], step, argv[optind + 2], &d, &e) != 0) {
		rc = cli_fail(&e);
	} else if (o.json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}", "number", d.number, "code",
				      d.code, "sha256", d.sha256, "title", d.title, "pages", d.pages,
				      "size", (json_int_t)d.size);
		cli_print_json(j);
		json_decref(j);
	} else {
		printf("%s %s\n%s %s\n%s %s\n%s %d\n", _("Number:"), d.number, _("Verification code:"),
		       d.code, "SHA-256:", d.sha256, _("Pages:"), d.pages);
	}
	app_close(&a);
	return rc;
}

/* The SHA-256 of a file, at most 256 MiB. */
static int file_sha(const char *path, char out[65])
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 256u << 20)
		buf_append(&b, chunk, n);
	int bad = ferror(f) || b.len >= 256u << 20;
	fclose(f);
	if (!bad)
		sha256_hex(b.data ? b.data : "", b.len, out);
	buf_free(&b);
	return bad ? -1 : 0;
}

enum { EXIT_NOT_GENUINE = 3 };

static int verify_cmd(int argc, char **argv)
{
	doc_opts o = {0};
	int rc = parse(argc, argv, &o, -1);
	if (rc >= 0)
		return rc;
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage_error(usage, "give a verification code, and optionally a file");
	char sha[65];
	if (argc - optind == 2 && file_sha(argv[optind + 1], sha) != 0) {
		fprintf(stderr, "sigap: %s: %s\n", argv[optind + 1], _("cannot read the file"));
		return EXIT_ERR;
	}
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *d = document_verify(&a, argv[optind], argc - optind == 2 ? sha : NULL, &e);
	if (d == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	json_t *g = json_object_get(d, "genuine");
	if (o.json) {
		cli_print_json(d);
	} else {
		char t[64];
		cli_time(&a, json_integer_value(json_object_get(d, "issued_at")), t, sizeof t);
		printf("%-16s %s\n%-16s %s\n%-16s %s\n%-16s %s\n", _("Number:"),
		       json_string_value(json_object_get(d, "number")), _("Document:"),
		       json_string_value(json_object_get(d, "title")), _("Issued by:"),
		       json_string_value(json_object_get(d, "issued_by")), _("Issued at:"), t);
		if (g)
			printf("%s\n", json_is_true(g) ? _("GENUINE: the file is the issued document")
						      : _("NOT GENUINE: the file differs from the issued "
							  "document"));
	}
	/* apart from an unknown code (1), so a script can tell a forgery */
	rc = json_is_false(g) ? EXIT_NOT_GENUINE : EXIT_OK;
	json_decref(d);
	app_close(&a);
	return rc;
}

static int check_cmd(int argc, char **argv)
{
	doc_opts o = {0};
	int rc = parse(argc, argv, &o, -1);
	if (rc >= 0)
		return rc;
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	diags d = DIAGS_INIT;
	tmpl_registry t;
	sop_registry s;
	int bad = templates_load(&t, cfg.doc_templates, &d) != 0;
	for (int i = optind; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		char *text = malloc(256 * 1024 + 1);
		size_t len = f && text ? fread(text, 1, 256 * 1024 + 1, f) : 0;
		if (f)
			fclose(f);
		tmpl *x = NULL;
		if (f == NULL)
			diags_add(&d, argv[i], 0, 0, "cannot open");
		else if (len > 256 * 1024)
			diags_add(&d, argv[i], 0, 0, "file too large (a template may have at most %d bytes)",
				  256 * 1024);
		else
			x = tmpl_load(text, len, argv[i], &d);
		free(text);
		if (x == NULL) {
			bad = 1;
			continue;
		}
		printf("%s: %s (%s)\n", argv[i], tmpl_id(x), tmpl_judul(x));
		tmpl_free(x);
	}
	if (sops_load(&s, cfg.sops_dir, &d) != 0)
		bad = 1;
	else if (templates_check_sops(&t, &s, &d) != 0)
		bad = 1;
	sg_err se = {0};
	if (s.n && doc_signers_check(cfg.doc_conf, &s, &se) != 0) {
		diags_add(&d, cli_g.config ? cli_g.config : "sigap.conf", 0, 0, "%s", se.msg);
		bad = 1;
	}
	diags_print(&d, stderr);
	if (!bad)
		printf(_("%zu templates, every SOP's documents found\n"), t.n);
	diags_free(&d);
	sops_free(&s);
	templates_free(&t);
	app_config_free(&cfg);
	return bad ? EXIT_ERR : EXIT_OK;
}

static int monthly_cmd(int argc, char **argv)
{
	doc_opts o = {0};
	int rc = parse(argc, argv, &o, 1);
	if (rc >= 0)
		return rc;
	int year, month;
	if (report_monthly_month(argv[optind], &year, &month) != 0)
		return cli_usage_error(usage, "give the month as YYYY-MM");
	if (o.as == NULL)
		return cli_usage_error(usage, "give --as USER: the report counts the cases USER may see");
	if (o.pdf && o.out == NULL && isatty(STDOUT_FILENO))
		return cli_usage_error(usage, "a PDF is not for a terminal: give --out FILE");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	buf out = BUF_INIT;
	rc = EXIT_OK;
	if (report_monthly_render(&a, o.as, year, month, o.pdf, &out, &e) != 0)
		rc = cli_fail(&e);
	else
		rc = write_out(o.out, &out);
	buf_free(&out);
	app_close(&a);
	return rc;
}

int cmd_document(int argc, char **argv)
{
	static const cli_sub subs[] = {
	    {"list", list_cmd},	    {"draft", draft_cmd}, {"issue", issue_cmd},
	    {"verify", verify_cmd}, {"check", check_cmd}, {"monthly", monthly_cmd},
	    {NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "document", subs);
}
