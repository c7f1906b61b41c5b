/*
 * serve.c: sigap serve: the web application and JSON API (src/web/).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "web/router.h"
#include "web/server.h"

static const char usage[] =
	"usage: sigap serve [--listen ADDR:PORT] [--threads N] [--tls-cert FILE --tls-key FILE]\n"
	"                   [--quiet] [--routes]\n"
	"\n"
	"Serves the web application and the JSON API (/api/v1) until SIGTERM or\n"
	"SIGINT, then finishes the requests in flight and exits.\n"
	"\n"
	"  --listen ADDR:PORT  address to listen on (default [web] listen, else\n"
	"                      127.0.0.1:8080); port 0 picks a free port\n"
	"  --threads N         worker threads (default [web] threads, else one per core)\n"
	"  --tls-cert FILE     serve HTTPS with this PEM certificate ...\n"
	"  --tls-key FILE      ... and this PEM private key\n"
	"  --quiet             no access log (one JSON line per request on stderr)\n"
	"  --routes            print the route table as JSON and exit\n";

static int open_worker_app(app *a, sg_err *e)
{
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return sg_err_set(e, SG_EINVAL, "the configuration cannot be read");
	return app_open(a, &cfg, DB_OPEN_EXISTING, e);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
					     {"threads", required_argument, NULL, 't'},
					     {"tls-cert", required_argument, NULL, 'c'},
					     {"tls-key", required_argument, NULL, 'k'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"routes", no_argument, NULL, 'R'},
					     CLI_COMMON_OPTS,
					     {0}};
	const char *listen = NULL, *cert = NULL, *key = NULL;
	int threads = -1;
	bool quiet = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'l': listen = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'q': quiet = true; break;
		case 't': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return cli_usage_error(usage, "--threads must be 1 to 256");
			threads = (int)n;
			break;
		}
		case 'R': {
			json_t *t = router_table();
			cli_print_json(t);
			json_decref(t);
			return EXIT_OK;
		}
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	web_options o = {
		.listen = listen ? listen : cfg.web_listen,
		.threads = threads > 0 ? threads : cfg.web_threads,
		.tls_cert = cert ? cert : cfg.tls_cert,
		.tls_key = key ? key : cfg.tls_key,
		.access_log = !quiet,
		.open_app = open_worker_app,
	};
	sg_err e = {0};
	int rc = web_serve(&o, &e);
	app_config_free(&cfg);
	return rc == 0 ? EXIT_OK : cli_fail(&e);
}
