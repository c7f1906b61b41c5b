/*
 * filter.c: see filter.h.
 */
#include <string.h>

#include "base/civil.h"
#include "filter.h"
#include "webutil.h"

enum {
	P_PROCEDURE,
	P_STEP,
	P_STATUS,
	P_PRIORITY,
	P_CATEGORY,
	P_ASSIGNEE,
	P_TLP,
	P_FROM,
	P_TO,
	P_QUERY,
	P_PAGE,
	P_LIMIT,
	P_COUNT
};

static const char *const names[2][P_COUNT] = {
    {"prosedur", "langkah", "status", "prioritas", "kategori", "petugas", "tlp", "dari", "sampai",
     "q", "hal", "per"},
    {"procedure", "step", "status", "priority", "category", "assignee", "tlp", "from", "to", "q",
     "page", "limit"},
};

static const char *get(const web_req *r, filter_names n, int p)
{
	const char *v = web_query(r, names[n][p]);
	return v && *v ? v : NULL;
}

int filter_read(const web_req *r, filter_names n, case_filter *f, int page_size, sg_err *e)
{
	memset(f, 0, sizeof *f);
	f->viewer = r->who.user; /* need-to-know: only what the caller may see */
	f->procedure_id = get(r, n, P_PROCEDURE);
	f->priority = get(r, n, P_PRIORITY);
	f->category = get(r, n, P_CATEGORY);
	f->assignee = get(r, n, P_ASSIGNEE);
	f->tlp = get(r, n, P_TLP);
	f->query = get(r, n, P_QUERY);
	if (f->query && strlen(f->query) > 200)
		return sg_err_set(e, SG_EINVAL, "the search text is longer than 200 bytes");
	const char *v;
	int64_t x;
	if ((v = get(r, n, P_STEP))) {
		if (!webutil_int(v, 1, 1000, &x))
			return sg_err_set(e, SG_EINVAL, "%s must be a step number",
			                  names[n][P_STEP]);
		f->step_no = (int)x;
	}
	if ((v = get(r, n, P_STATUS))) {
		if (strcmp(v, "open") == 0)
			f->open_only = true;
		else if (strcmp(v, "closed") == 0)
			f->closed_only = true;
		else if (strcmp(v, "all") != 0)
			return sg_err_set(e, SG_EINVAL, "%s must be open, closed or all",
			                  names[n][P_STATUS]);
	}
	const civil_zone *z = r->app->cfg.cal.zone;
	if ((v = get(r, n, P_FROM)) && civil_parse(v, z, &f->created_from) != 0)
		return sg_err_set(e, SG_EINVAL, "%s must be a date such as 2026-11-23",
		                  names[n][P_FROM]);
	if ((v = get(r, n, P_TO))) {
		if (civil_parse(v, z, &f->created_to) != 0)
			return sg_err_set(e, SG_EINVAL, "%s must be a date such as 2026-11-23",
			                  names[n][P_TO]);
		if (strlen(v) == 10)
			f->created_to += 86400 - 1; /* a date includes its whole day */
	}
	f->limit = page_size;
	if ((v = get(r, n, P_LIMIT))) {
		if (!webutil_int(v, 1, page_size, &x))
			return sg_err_set(e, SG_EINVAL, "%s must be 1 to %d", names[n][P_LIMIT],
			                  page_size);
		f->limit = (int)x;
	}
	if ((v = get(r, n, P_PAGE))) {
		if (!webutil_int(v, 1, 1000000, &x))
			return sg_err_set(e, SG_EINVAL, "%s must be a page number",
			                  names[n][P_PAGE]);
		f->offset = (int)((x - 1) * f->limit);
	}
	return 0;
}
