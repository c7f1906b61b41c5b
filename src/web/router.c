/*
 * router.c: matching a request to a route of the table (routes.c).
 * A linear walk over a few dozen routes, comparing segment by segment:
 * cheaper than the SQL behind any handler, so no trie.
 */
#include <stdlib.h>
#include <string.h>

#include "router.h"

/* Matches one pattern; on success *arg gets the {…} segment. */
static bool match(const char *pat, const char *path, char **arg)
{
	*arg = NULL;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *pe = strchr(pat, '}');
			size_t n = strcspn(path, "/");
			if (pe == NULL || n == 0)
				return false;
			free(*arg);
			*arg = strndup(path, n);
			if (*arg == NULL)
				abort();
			pat = pe + 1;
			path += n;
			continue;
		}
		if (*pat != *path)
			break;
		pat++;
		path++;
	}
	if (*pat == '\0' && *path == '\0')
		return true;
	free(*arg);
	*arg = NULL;
	return false;
}

const web_route *router_match(const char *method, const char *path, char **arg,
                              bool *method_mismatch)
{
	*method_mismatch = false;
	*arg = NULL;
	bool head = strcmp(method, "HEAD") == 0;
	for (size_t i = 0; i < web_n_routes; i++) {
		const web_route *rt = &web_routes[i];
		char *a;
		if (!match(rt->pattern, path, &a))
			continue;
		if (strcmp(rt->method, method) == 0 || (head && strcmp(rt->method, "GET") == 0)) {
			*arg = a;
			return rt;
		}
		free(a);
		*method_mismatch = true;
	}
	return NULL;
}

const char *web_access_name(web_access a)
{
	switch (a) {
	case ACCESS_PUBLIC: return "public";
	case ACCESS_USER: return "user";
	case ACCESS_ADMIN: return "admin";
	case ACCESS_TRIAGE: return "triage";
	case ACCESS_METRICS: return "metrics";
	case ACCESS_STAFF: return "staff";
	case ACCESS_ALERTS: return "alerts";
	}
	return "?";
}

json_t *router_table(void)
{
	static const char *const kinds[] = {"page", "api", "static"};
	json_t *arr = json_array();
	for (size_t i = 0; i < web_n_routes; i++)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "method", web_routes[i].method,
		                   "pattern", web_routes[i].pattern, "access",
		                   web_access_name(web_routes[i].access), "kind",
		                   kinds[web_routes[i].kind], "summary", web_routes[i].summary,
		                   "uploads", web_routes[i].uploads));
	return arr;
}
