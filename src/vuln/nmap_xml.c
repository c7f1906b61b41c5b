/*
 * nmap_xml.c: Nmap's XML output (-oX), read as a stream.
 *
 * Each open port of a host that is up is one result, "nmap:open-port",
 * with the service Nmap named (name, product, version, extra info, CPE)
 * and the output of the port's NSE scripts as evidence. The `vulners`
 * script's entries (a CVE or an exploit listed for the service's CPE,
 * with a CVSS score) are one result each, "nmap:vulners:<id>", severity
 * from the score: read from the script's <table>/<elem> structure, or
 * from its text output when an older script wrote no tables. A script of
 * Nmap's vuln category (ssl-heartbleed, smb-vuln-ms17-010, …) reports
 * through the vulns library as a table a vulnerability (title, state,
 * ids, risk factor, scores, description, refs): each one whose state is
 * VULNERABLE (or LIKELY VULNERABLE) is a result, "nmap:<script>:<key>",
 * on its port, or on the host for a <hostscript>. Hosts down
 * and ports not open (closed, filtered, open|filtered) are skipped and
 * counted; ports Nmap folds into <extraports> are not entries and are not
 * counted. Hosts up are the targets, and <scaninfo>'s protocols and
 * services the ports they were scanned on; nmaprun@start, the hosts' times and
 * runstats/finished@time give the times.
 *
 * Memory: the fields of the host and port being read, reused.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmlread.h"

typedef struct nm {
	vx x;
	int host_depth, port_depth, script_depth, entry_depth, elem_depth;
	int vs_depth, vs_sub_depth; /* a vulns-library table and its sub-table */
	bool host_script;            /* the script is a <hostscript>'s */
	bool host_down, port_open, vulners;
	size_t vulners_seen; /* entries of the current vulners script */
	buf addr, addr_type, hostname, portid, proto, state, reason, svc_name, product, version,
		extrainfo, cpe, script_id, output, elem_key, cpe_key, e_id, e_cvss, e_type, e_exploit,
		evidence, attr, title, text, desc, ref, port, svc, vs_key, vs_title, vs_state, vs_risk,
		vs_desc, vs_sub, vs_item;
	double vs_score;
	buf *elem; /* the entry field an <elem> fills */
	vuln_list cves, refs;
} nm;

static bool is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static void evidence_add(nm *n, const char *s, size_t len)
{
	if (n->evidence.len >= VULN_EVIDENCE_MAX)
		return;
	buf_append(&n->evidence, s, vuln_utf8_fit(s, len, VULN_EVIDENCE_MAX - n->evidence.len));
}

/* The service as a phrase: "OpenSSH 7.4" or "ssh", "" when unknown. */
static void service_phrase(nm *n, buf *out)
{
	buf_reset(out);
	if (n->product.len) {
		buf_puts(out, n->product.data);
		if (n->version.len)
			buf_printf(out, " %s", n->version.data);
	} else if (n->svc_name.len) {
		buf_puts(out, n->svc_name.data);
	}
}

static void result_base(nm *n, vuln_result *r)
{
	vuln_result_init(r);
	r->host = vuln_str(&n->addr);
	r->hostname = vuln_str(&n->hostname);
	if (n->host_script)
		return;
	buf_reset(&n->port);
	buf_printf(&n->port, "%s/%s", n->portid.len ? n->portid.data : "?",
	           n->proto.len ? n->proto.data : "tcp");
	r->port = n->port.data;
	r->component = vuln_str(&n->product);
	r->component_version = n->product.len ? vuln_str(&n->version) : NULL;
}

/* One vulners entry: id ("CVE-2018-15919", "EDB-ID:46516"), its CVSS
 * score, type ("cve", "exploitdb"), and whether it is an exploit. */
static int vulners_emit(nm *n, const char *id, const char *cvss, const char *type, bool exploit)
{
	vuln_src *s = n->x.s;
	if (!id || !*id)
		return 0;
	vuln_result r;
	result_base(n, &r);
	buf_reset(&n->text);
	buf_printf(&n->text, "nmap:vulners:%s", id);
	r.vuln_id = n->text.data;
	service_phrase(n, &n->svc); /* what stays valid while desc is rewritten */
	const char *what = n->svc.len ? n->svc.data : n->cpe_key.len ? n->cpe_key.data : "the service";
	buf_reset(&n->title);
	if (type && strcasecmp(type, "cve") == 0)
		buf_printf(&n->title, "%s in %s", id, what);
	else
		buf_printf(&n->title, "%s %s (%s) for %s", exploit ? "Exploit" : "Advisory", id,
		           type && *type ? type : "vulners", what);
	r.title = n->title.data;
	double score;
	if (vuln_number(cvss, &score))
		r.severity = vuln_severity_of_score(score);
	vuln_list_reset(&n->cves);
	vuln_list_reset(&n->refs);
	vuln_cves_in(&n->cves, id, strlen(id), false);
	buf_reset(&n->ref);
	buf_printf(&n->ref, "https://vulners.com/%s/%s", type && *type ? type : "cve", id);
	vuln_list_add(&n->refs, n->ref.data, n->ref.len);
	r.cves = vuln_list_finish(&n->cves, &r.n_cves);
	r.refs = vuln_list_finish(&n->refs, &r.n_refs);
	buf_reset(&n->output);
	buf_printf(&n->output, "vulners: %s %s CVSS %s%s%s", n->cpe_key.len ? n->cpe_key.data : what,
	           id, cvss && *cvss ? cvss : "?", type && *type ? " type " : "", type ? type : "");
	if (exploit)
		buf_puts(&n->output, " *EXPLOIT*");
	r.evidence = n->output.data;
	buf_reset(&n->desc);
	buf_printf(&n->desc, "Nmap's vulners script lists %s for %s (CVSS %s).", id, what,
	           cvss && *cvss ? cvss : "unknown");
	r.description = n->desc.data;
	n->vulners_seen++;
	return vuln_emit(s, &r);
}

/* An older vulners script writes no tables: lines "\tID\tSCORE\tURL[\t*EXPLOIT*]"
 * under a "cpe:…:" line. script_out is a copy (the script's output attribute). */
static int vulners_text(nm *n, char *out)
{
	for (char *line = out; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *f[5] = {0};
		int k = 0;
		for (char *p = line; k < 5;) {
			while (*p == ' ' || *p == '\t' || *p == '\r')
				p++;
			if (!*p)
				break;
			f[k++] = p;
			p += strcspn(p, "\t");
			if (*p)
				*p++ = '\0';
		}
		double sc;
		if (k >= 3 && vuln_number(f[1], &sc) && strncmp(f[2], "http", 4) == 0) {
			char type[32] = "cve";
			const char *t = strstr(f[2], "vulners.com/");
			if (t) {
				t += 12;
				size_t tl = strcspn(t, "/");
				if (tl && tl < sizeof type)
					memcpy(type, t, tl), type[tl] = '\0';
			}
			bool exploit = k >= 4 && strstr(f[3], "EXPLOIT");
			if (vulners_emit(n, f[0], f[1], type, exploit) != 0)
				return -1;
		} else if (k >= 1 && strncmp(f[0], "cpe:", 4) == 0) {
			buf_reset(&n->cpe_key);
			buf_puts(&n->cpe_key, f[0]);
			if (n->cpe_key.len && n->cpe_key.data[n->cpe_key.len - 1] == ':')
				n->cpe_key.data[--n->cpe_key.len] = '\0';
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The end of a vulns-library table: a result when its state says the
 * target is vulnerable ("VULNERABLE", "LIKELY VULNERABLE", "VULNERABLE
 * (Exploitable)"; not "NOT VULNERABLE"). */
static int vs_emit(nm *n)
{
	vuln_trim(&n->vs_state);
	const char *state = n->vs_state.len ? n->vs_state.data : "";
	if (!strstr(state, "VULNERABLE") || strstr(state, "NOT VULNERABLE") || n->host_down ||
	    (!n->host_script && !n->port_open))
		return 0;
	vuln_result r;
	result_base(n, &r);
	const char *script = n->script_id.len ? n->script_id.data : "script";
	vuln_trim(&n->vs_key);
	buf_reset(&n->text);
	buf_printf(&n->text, "nmap:%s", script);
	if (n->vs_key.len && !is(n->vs_key.data, script))
		buf_printf(&n->text, ":%s", n->vs_key.data);
	r.vuln_id = n->text.data;
	vuln_trim(&n->vs_title);
	r.title = n->vs_title.len ? n->vs_title.data : n->vs_key.len ? n->vs_key.data : script;
	vuln_trim(&n->vs_risk);
	const char *risk = n->vs_risk.len ? n->vs_risk.data : "";
	if (strcasecmp(risk, "Critical") == 0)
		r.severity = VULN_CRITICAL;
	else if (strcasecmp(risk, "High") == 0)
		r.severity = VULN_HIGH;
	else if (strcasecmp(risk, "Medium") == 0)
		r.severity = VULN_MEDIUM;
	else if (strcasecmp(risk, "Low") == 0)
		r.severity = VULN_LOW;
	else if (n->vs_score >= 0)
		r.severity = vuln_severity_of_score(n->vs_score);
	else
		r.severity = VULN_MEDIUM; /* vulnerable, of no stated risk */
	r.cves = vuln_list_finish(&n->cves, &r.n_cves);
	r.refs = vuln_list_finish(&n->refs, &r.n_refs);
	vuln_trim(&n->vs_desc);
	r.description = vuln_str(&n->vs_desc);
	buf_reset(&n->output);
	buf_printf(&n->output, "%s: %s", script, state);
	r.evidence = n->output.data;
	return vuln_emit(n->x.s, &r);
}

/* An <elem> of a vulns-library sub-table: ids ("CVE:CVE-2014-0160"),
 * refs (URLs), description (lines), scores ("CVSSv2": "5.0"). */
static int vs_item(nm *n)
{
	vuln_trim(&n->vs_item);
	const char *sub = n->vs_sub.len ? n->vs_sub.data : "", *v = n->vs_item.len ? n->vs_item.data : "";
	int rc = 0;
	double score;
	if (is(sub, "ids"))
		rc = vuln_cves_in(&n->cves, v, n->vs_item.len, false);
	else if (is(sub, "refs"))
		rc = vuln_urls_in(&n->refs, v, n->vs_item.len);
	else if (is(sub, "description") && *v)
		buf_printf(&n->vs_desc, "%s%s", n->vs_desc.len ? "\n" : "", v);
	else if (is(sub, "scores") && vuln_number(v, &score) && score >= 0 && score <= 10 &&
	         score > n->vs_score)
		n->vs_score = score;
	if (rc != 0)
		return sg_err_set(n->x.s->e, SG_EINVAL, "%s:%d: more than %d references in one result",
		                  n->x.s->name, vx_line(&n->x), VULN_LIST_MAX);
	return 0;
}

static int port_emit(nm *n)
{
	vuln_src *s = n->x.s;
	if (!n->port_open || n->host_down) {
		s->info->skipped++;
		return 0;
	}
	vuln_result r;
	result_base(n, &r);
	r.vuln_id = "nmap:open-port";
	service_phrase(n, &n->svc);
	buf_reset(&n->title);
	buf_printf(&n->title, "Open port %s", r.port);
	if (n->svc_name.len)
		buf_printf(&n->title, " %s", n->svc_name.data);
	if (n->product.len)
		buf_printf(&n->title, " (%s)", n->svc.data);
	r.title = n->title.data;
	/* the service line first, then the scripts' output */
	buf_reset(&n->text);
	buf_printf(&n->text, "%s open", r.port);
	if (n->reason.len)
		buf_printf(&n->text, " (%s)", n->reason.data);
	if (n->svc_name.len)
		buf_printf(&n->text, "; service %s", n->svc_name.data);
	if (n->product.len)
		buf_printf(&n->text, "; %s", n->svc.data);
	if (n->extrainfo.len)
		buf_printf(&n->text, " (%s)", n->extrainfo.data);
	if (n->cpe.len)
		buf_printf(&n->text, "; %s", n->cpe.data);
	if (n->evidence.len)
		buf_printf(&n->text, "\n%s", n->evidence.data);
	r.evidence = n->text.data;
	return vuln_emit(s, &r);
}

static void host_reset(nm *n)
{
	buf *all[] = {&n->addr, &n->addr_type, &n->hostname};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		buf_reset(all[i]);
	n->host_down = false;
}

static void port_reset(nm *n)
{
	buf *all[] = {&n->state, &n->reason, &n->svc_name, &n->product, &n->version, &n->extrainfo,
	              &n->cpe, &n->evidence};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		buf_reset(all[i]);
	n->port_open = false;
	n->host_script = false;
}

static int64_t attr_time(nm *n, const char *name)
{
	if (!vx_attr(&n->x, name, &n->attr))
		return 0;
	double v;
	return vuln_number(n->attr.data, &v) && v > 0 && v < 1e11 ? (int64_t)v : 0;
}

static int start(nm *n)
{
	vx *x = &n->x;
	int d = x->depth;
	if (d == 1) {
		if (!is(x->name, "nmaprun"))
			return sg_err_set(x->s->e, SG_EINVAL, "%s:%d: root element <%s>, not Nmap's <nmaprun>",
			                  x->s->name, vx_line(x), x->name);
		vuln_times(x->s->info, attr_time(n, "start"), 0);
		return 0;
	}
	if (d == 2 && is(x->name, "scaninfo")) {
		/* the ports scanned, one element a protocol (a ping scan has
		 * none): findings on other ports are not rescanned */
		buf proto = {0};
		vx_attr(x, "protocol", &proto);
		if (!vx_attr(x, "services", &n->attr))
			buf_reset(&n->attr);
		vuln_ports_add(x->s->info, vuln_str(&proto), n->attr.len ? n->attr.data : "");
		buf_free(&proto);
		return 0;
	}
	if (d == 2 && is(x->name, "host")) {
		n->host_depth = d;
		host_reset(n);
		vuln_times(x->s->info, attr_time(n, "starttime"), attr_time(n, "endtime"));
		return 0;
	}
	if (d == 3 && is(x->name, "finished") && is(vx_at(x, 2), "runstats")) {
		vuln_times(x->s->info, 0, attr_time(n, "time"));
		return 0;
	}
	if (!n->host_depth)
		return 0;
	int rel = d - n->host_depth;
	if (rel == 1 && is(x->name, "status")) {
		n->host_down = vx_attr(x, "state", &n->attr) && !is(n->attr.data, "up");
	} else if (rel == 1 && is(x->name, "address")) {
		vx_attr(x, "addrtype", &n->attr);
		bool ip = !n->attr.len || !is(n->attr.data, "mac");
		/* an IP address wins over a MAC address, the first one over later ones */
		if (ip && (!n->addr.len || is(n->addr_type.data, "mac"))) {
			vx_attr(x, "addr", &n->addr);
			buf_reset(&n->addr_type);
			buf_puts(&n->addr_type, n->attr.len ? n->attr.data : "ipv4");
		} else if (!ip && !n->addr.len) {
			vx_attr(x, "addr", &n->addr);
			buf_reset(&n->addr_type);
			buf_puts(&n->addr_type, "mac");
		}
	} else if (rel == 2 && is(x->name, "hostname") && !n->hostname.len) {
		vx_attr(x, "name", &n->hostname);
	} else if (rel == 2 && is(x->name, "script") && is(vx_at(x, d - 1), "hostscript")) {
		n->script_depth = d;
		n->host_script = true;
		vx_attr(x, "id", &n->script_id);
		vx_attr(x, "output", &n->output);
		n->vulners = false;
	} else if (rel == 2 && is(x->name, "port") && is(vx_at(x, d - 1), "ports")) {
		n->port_depth = d;
		port_reset(n);
		vx_attr(x, "portid", &n->portid);
		vx_attr(x, "protocol", &n->proto);
	} else if (n->port_depth && d == n->port_depth + 1) {
		if (is(x->name, "state")) {
			vx_attr(x, "state", &n->state);
			vx_attr(x, "reason", &n->reason);
			n->port_open = is(n->state.len ? n->state.data : "", "open");
		} else if (is(x->name, "service")) {
			vx_attr(x, "name", &n->svc_name);
			vx_attr(x, "product", &n->product);
			vx_attr(x, "version", &n->version);
			vx_attr(x, "extrainfo", &n->extrainfo);
		} else if (is(x->name, "script")) {
			n->script_depth = d;
			vx_attr(x, "id", &n->script_id);
			vx_attr(x, "output", &n->output);
			n->vulners = is(n->script_id.len ? n->script_id.data : "", "vulners");
			n->vulners_seen = 0;
			buf_reset(&n->cpe_key);
			if (!n->vulners) {
				buf_reset(&n->text);
				buf_printf(&n->text, "%s%s:%s", n->evidence.len ? "\n" : "",
				           n->script_id.len ? n->script_id.data : "script",
				           n->output.len && n->output.data[0] == '\n' ? "" : " ");
				evidence_add(n, n->text.data, n->text.len);
				evidence_add(n, n->output.data ? n->output.data : "", n->output.len);
			}
		}
	} else if (n->vulners && n->script_depth && d > n->script_depth) {
		if (is(x->name, "table") && d == n->script_depth + 1) {
			vx_attr(x, "key", &n->cpe_key);
		} else if (is(x->name, "table")) {
			n->entry_depth = d;
			buf *all[] = {&n->e_id, &n->e_cvss, &n->e_type, &n->e_exploit};
			for (size_t i = 0; i < 4; i++)
				buf_reset(all[i]);
		} else if (is(x->name, "elem") && n->entry_depth && d == n->entry_depth + 1) {
			vx_attr(x, "key", &n->elem_key);
			const char *k = n->elem_key.len ? n->elem_key.data : "";
			n->elem = is(k, "id") ? &n->e_id : is(k, "cvss") ? &n->e_cvss
			        : is(k, "type") ? &n->e_type : is(k, "is_exploit") ? &n->e_exploit : NULL;
			n->elem_depth = d;
		}
	} else if (n->script_depth && d > n->script_depth) { /* the vulns library's tables */
		if (is(x->name, "table") && d == n->script_depth + 1) {
			n->vs_depth = d;
			vx_attr(x, "key", &n->vs_key);
			buf *all[] = {&n->vs_title, &n->vs_state, &n->vs_risk, &n->vs_desc};
			for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
				buf_reset(all[i]);
			n->vs_score = -1;
			vuln_list_reset(&n->cves);
			vuln_list_reset(&n->refs);
		} else if (n->vs_depth && d == n->vs_depth + 1 && is(x->name, "table")) {
			n->vs_sub_depth = d;
			vx_attr(x, "key", &n->vs_sub);
		} else if (n->vs_depth && d == n->vs_depth + 1 && is(x->name, "elem")) {
			vx_attr(x, "key", &n->elem_key);
			const char *k = n->elem_key.len ? n->elem_key.data : "";
			n->elem = is(k, "title") ? &n->vs_title : is(k, "state") ? &n->vs_state
			        : is(k, "risk_factor") ? &n->vs_risk : NULL;
			n->elem_depth = d;
		} else if (n->vs_sub_depth && d == n->vs_sub_depth + 1 && is(x->name, "elem")) {
			buf_reset(&n->vs_item);
			n->elem = &n->vs_item;
			n->elem_depth = d;
		}
	}
	return 0;
}

static int end(nm *n)
{
	vx *x = &n->x;
	int d = x->depth;
	if (n->elem_depth && d == n->elem_depth) {
		bool item = n->vs_sub_depth && d == n->vs_sub_depth + 1;
		n->elem_depth = 0;
		n->elem = NULL;
		if (item && vs_item(n) != 0)
			return -1;
	} else if (n->vs_sub_depth && d == n->vs_sub_depth) {
		n->vs_sub_depth = 0;
	} else if (n->vs_depth && d == n->vs_depth) {
		n->vs_depth = 0;
		if (vs_emit(n) != 0)
			return -1;
	} else if (n->entry_depth && d == n->entry_depth) {
		n->entry_depth = 0;
		vuln_trim(&n->e_id);
		vuln_trim(&n->e_cvss);
		vuln_trim(&n->e_type);
		vuln_trim(&n->e_exploit);
		if (n->port_open && !n->host_down && n->e_id.len &&
		    vulners_emit(n, n->e_id.data, vuln_str(&n->e_cvss), vuln_str(&n->e_type),
		                 is(n->e_exploit.len ? n->e_exploit.data : "", "true")) != 0)
			return -1;
	} else if (n->script_depth && d == n->script_depth) {
		n->script_depth = 0;
		if (n->vulners && n->vulners_seen == 0 && n->port_open && !n->host_down && n->output.len) {
			char *copy = strdup(n->output.data);
			if (!copy)
				abort();
			int rc = vulners_text(n, copy);
			free(copy);
			if (rc != 0)
				return -1;
		}
		n->vulners = false;
		if (n->host_script)
			n->host_script = false;
	} else if (n->port_depth && d == n->port_depth) {
		n->port_depth = 0;
		if (port_emit(n) != 0)
			return -1;
	} else if (n->host_depth && d == n->host_depth) {
		n->host_depth = 0;
		if (n->host_down)
			x->s->info->skipped++;
		else
			vuln_target_add(x->s, vuln_str(&n->addr));
	}
	return 0;
}

int vuln_nmap_xml(vuln_src *s)
{
	nm *n = calloc(1, sizeof *n);
	if (!n)
		abort();
	int rc = vx_open(&n->x, s);
	while (rc == 0) {
		int k = vx_next(&n->x);
		if (k <= 0) {
			rc = k;
			break;
		}
		if (n->x.kind == VX_START)
			rc = start(n);
		else if (n->x.kind == VX_END)
			rc = end(n);
		else if (n->elem)
			buf_append(n->elem, n->x.text, n->x.text_len);
		else if (n->port_depth && n->x.depth == n->port_depth + 2 &&
		         is(vx_at(&n->x, n->port_depth + 1), "service") &&
		         is(vx_at(&n->x, n->x.depth), "cpe"))
			buf_append(&n->cpe, n->x.text, n->x.text_len);
	}
	vx_close(&n->x);
	/* Nmap writes a <scaninfo> for each port scan it ran: none is a
	 * host discovery (-sn), which scanned no port */
	if (rc >= 0 && s->info->ports == NULL && (s->info->ports = strdup("")) == NULL)
		abort();
	buf *all[] = {&n->addr, &n->addr_type, &n->hostname, &n->portid, &n->proto, &n->state,
	              &n->reason, &n->svc_name, &n->product, &n->version, &n->extrainfo, &n->cpe,
	              &n->script_id, &n->output, &n->elem_key, &n->cpe_key, &n->e_id, &n->e_cvss,
	              &n->e_type, &n->e_exploit, &n->evidence, &n->attr, &n->title, &n->text,
	              &n->desc, &n->ref, &n->port, &n->svc, &n->vs_key, &n->vs_title,
	              &n->vs_state, &n->vs_risk, &n->vs_desc, &n->vs_sub, &n->vs_item};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		buf_free(all[i]);
	vuln_list_free(&n->cves);
	vuln_list_free(&n->refs);
	free(n);
	return rc < 0 ? -1 : 0;
}
