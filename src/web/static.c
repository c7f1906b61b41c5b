/*
 * static.c: the files under /static (www/, compiled into the binary, and
 * the SOP document styles from sop/render.c), /healthz and /metrics.
 */
#include <string.h>

#include "base/embed.h"
#include "handlers.h"
#include "server.h"
#include "metrics.h"
#include "sop/render.h"

extern const embed_file sigap_www[];

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

void static_file(web_req *r, web_res *res)
{
	web_res_header(res, "Cache-Control", "public, max-age=3600");
	if (strcmp(r->path_arg, "sop.css") == 0) {
		res->content_type = "text/css; charset=utf-8";
		buf_puts(&res->body, sop_render_css_document());
		return;
	}
	for (const embed_file *f = sigap_www; f->name; f++)
		if (strcmp(f->name, r->path_arg) == 0) {
			res->content_type = type_of(f->name);
			buf_append(&res->body, f->data, f->len);
			return;
		}
	res->status = 404;
	res->content_type = "text/plain; charset=utf-8";
	buf_puts(&res->body, "not found\n");
}

void page_healthz(web_req *r, web_res *res)
{
	sg_err e = {0};
	int64_t one = 0;
	res->content_type = "application/json";
	res->no_store = true;
	if (r->app == NULL || db_query_int(r->app->db, &e, &one, "SELECT 1", "") != DB_ROW) {
		res->status = 503;
		buf_puts(&res->body, "{\"status\":\"unavailable\"}\n");
		return;
	}
	buf_puts(&res->body, "{\"status\":\"ok\",\"version\":\"" SIGAP_VERSION "\"}\n");
}

void page_metrics(web_req *r, web_res *res)
{
	(void)r;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	res->no_store = true;
	metrics_write(&res->body);
	if (web_ingest())
		ingest_metrics(web_ingest(), &res->body);
}
