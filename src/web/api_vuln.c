/*
 * api_vuln.c: the JSON API of vulnerabilities: what is stored of one CVE
 * (vuln_intel.c): its record and CVSS scores, KEV entry and EPSS score.
 */
#include "api.h"
#include "handlers.h"

/* GET /api/v1/vuln/cve/{id}: 404 when nothing is stored of the CVE, 400
 * when the id is no CVE id. */
void api_vuln_cve(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *o = vuln_intel_cve(r->app, r->path_arg ? r->path_arg : "", &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}
