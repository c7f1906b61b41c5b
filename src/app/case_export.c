/*
 * case_export.c: an incident case as the national and sectoral TTIS take
 * it in for escalation (Peraturan BSSN No. 1 Tahun 2024, Pasal 15: the
 * reporter's contact, a description, the chronology, the impact): a STIX
 * 2.1 bundle and a MISP event, built from what case_get gives the
 * exporting officer (who must see the case whole).
 *
 * STIX: the reporting organisation (identity), the incident (its report,
 * ENISA class and type as labels, the chronology as a note), the source
 * addresses of its SIEM alerts (ipv4-addr / ipv6-addr) and the affected
 * system (url or domain-name), each related-to the incident, all marked
 * with the TLP 1.0 marking definition STIX 2.1 predefines for the case's
 * label (TLP 2.0 CLEAR is WHITE; AMBER+STRICT is AMBER). Identifiers are
 * UUIDv5 of the ticket and the object, so a re-export names the same
 * objects. MISP: the event with the same facts as attributes, tags
 * tlp:… and rsit:… (the MISP taxonomy of the ENISA classes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "app.h"
#include "base/civil.h"

/* The namespace of sigap's UUIDv5 identifiers (a fixed random UUID). */
static const unsigned char NS[16] = {0x5a, 0x1e, 0x0c, 0x7b, 0x3d, 0x2f, 0x4e, 0x91,
				     0x8a, 0x66, 0x0b, 0x2c, 0x9d, 0x47, 0x13, 0xe8};

/* type--UUIDv5(NS, ticket "/" name) */
static json_t *stix_id(const char *type, const char *ticket, const char *name)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hn = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(c, NS, sizeof NS) != 1 || EVP_DigestUpdate(c, ticket, strlen(ticket)) != 1 ||
	    EVP_DigestUpdate(c, "/", 1) != 1 || EVP_DigestUpdate(c, name, strlen(name)) != 1 ||
	    EVP_DigestFinal_ex(c, h, &hn) != 1 || hn < 16)
		abort();
	EVP_MD_CTX_free(c);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	char out[128];
	int n = snprintf(out, sizeof out, "%s--", type);
	for (int i = 0; i < 16; i++)
		n += snprintf(out + n, sizeof out - (size_t)n, "%s%02x",
			      i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", h[i]);
	return json_string(out);
}

static json_t *stamp(int64_t t)
{
	char out[40];
	civil c;
	civil_from_epoch(t, &(civil_zone){"UTC", "UTC", 0}, &c);
	snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", c.year, c.month, c.day,
		 c.hour, c.min, c.sec);
	return json_string(out);
}

static const char *s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The STIX 2.1 TLP marking definitions (TLP 1.0; STIX 2.1 section 7.2.1.4). */
static const char *tlp_marking(const char *tlp)
{
	if (strncmp(tlp, "TLP:RED", 7) == 0)
		return "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
	if (strncmp(tlp, "TLP:AMBER", 9) == 0)
		return "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
	if (strncmp(tlp, "TLP:GREEN", 9) == 0)
		return "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
	if (strncmp(tlp, "TLP:CLEAR", 9) == 0 || strncmp(tlp, "TLP:WHITE", 9) == 0)
		return "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
	/* no label: shared as AMBER, never as the most open */
	return "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
}

/* The distinct source addresses of the case's alerts. */
static json_t *sources(json_t *c)
{
	json_t *out = json_array();
	size_t i, j;
	json_t *al, *x;
	json_array_foreach(json_object_get(c, "alerts"), i, al)
	{
		const char *ip = s_of(al, "source_ip");
		bool seen = *ip == '\0';
		json_array_foreach(out, j, x) seen |= strcmp(json_string_value(x), ip) == 0;
		if (!seen)
			json_array_append_new(out, json_string(ip));
	}
	return out;
}

/* The chronology as text: a line a step. */
static char *chronology(app *a, json_t *c)
{
	buf b = BUF_INIT;
	size_t i;
	json_t *run;
	json_array_foreach(json_object_get(c, "history"), i, run)
	{
		char t[64];
		civil_format_id(json_integer_value(json_object_get(run, "finished_at")),
				a->cfg.cal.zone, t, sizeof t);
		buf_printf(&b, "%s: langkah %lld %s (%s)%s%s\n", t,
			   (long long)json_integer_value(json_object_get(run, "step_no")),
			   s_of(run, "uraian"), s_of(run, "actor"),
			   *s_of(run, "decision") ? ": " : "", s_of(run, "decision"));
	}
	return buf_steal(&b);
}

/* The case's report as text: an incident's reporter, system and account;
 * any other procedure's fields as they were filed. */
static void describe(json_t *c, buf *b)
{
	json_t *f = json_object_get(c, "fields");
	if (json_object_get(f, "uraian_kejadian")) {
		buf_printf(b, "%s\n\nPelapor: %s (%s)\nSistem terdampak: %s", s_of(f, "uraian_kejadian"),
			   s_of(f, "pelapor_nama"), s_of(f, "pelapor_kontak"), s_of(f, "sistem_terdampak"));
		return;
	}
	buf_puts(b, s_of(c, "title"));
	const char *k;
	json_t *v;
	json_object_foreach(f, k, v)
	{
		if (json_is_string(v))
			buf_printf(b, "\n%s: %s", k, json_string_value(v));
	}
}

static json_t *export_case(app *a, const char *user, const char *ticket, sg_err *e)
{
	json_t *c = case_get(a, ticket, user, e);
	if (c == NULL)
		return NULL;
	if (strcmp(s_of(c, "sight"), "full") != 0) {
		json_decref(c);
		sg_err_set(e, SG_EPERM, "only who sees the whole case may export it");
		return NULL;
	}
	if (strcmp(s_of(json_object_get(c, "procedure"), "id"), "insiden") != 0 &&
	    strcmp(s_of(json_object_get(c, "procedure"), "id"), "cti") != 0) {
		json_decref(c);
		sg_err_set(e, SG_EINVAL, "only an incident or a CTI case is exported for escalation");
		return NULL;
	}
	return c;
}

static json_t *stix_of(app *a, json_t *c, sg_err *e)
{
	json_t *s = doc_settings(a, e);
	if (s == NULL) {
		json_decref(c);
		return NULL;
	}
	const char *t = s_of(c, "ticket");
	json_t *created = stamp(json_integer_value(json_object_get(c, "created_at")));
	json_t *now = stamp(app_now(a));
	json_t *marking = json_pack("[s]", tlp_marking(s_of(c, "tlp")));
	const char *org = *s_of(s, "dinas") ? s_of(s, "dinas") : *s_of(s, "instansi") ? s_of(s, "instansi")
										    : "TTIS";
	/* the organisation's identity is one for all its exports */
	json_t *identity = stix_id("identity", org, "identity");
	json_t *objects = json_array();
	json_array_append_new(
	    objects, json_pack("{s:s, s:s, s:O, s:O, s:O, s:s, s:s, s:s}", "type", "identity",
			       "spec_version", "2.1", "id", identity, "created", now, "modified", now,
			       "name", org, "identity_class", "organization", "contact_information",
			       s_of(s, "kontak")));
	json_t *fields = json_object_get(c, "fields");
	buf desc = BUF_INIT;
	describe(c, &desc);
	json_t *labels = json_array();
	if (*s_of(c, "category"))
		json_array_append_new(labels, json_string(s_of(c, "category")));
	if (*s_of(c, "incident_type"))
		json_array_append_new(labels, json_string(s_of(c, "incident_type")));
	if (*s_of(c, "priority"))
		json_array_append_new(labels, json_sprintf("prioritas:%s", s_of(c, "priority")));
	json_t *incident = stix_id("incident", t, "incident");
	json_array_append_new(
	    objects,
	    json_pack("{s:s, s:s, s:O, s:O, s:O, s:O, s:s, s:s, s:o, s:O, s:[{s:s, s:s}]}", "type",
		      "incident", "spec_version", "2.1", "id", incident, "created_by_ref", identity,
		      "created", created, "modified", now, "name", s_of(c, "title"), "description",
		      buf_str(&desc), "labels", labels, "object_marking_refs", marking,
		      "external_references", "source_name", "sigap", "external_id", t));
	buf_free(&desc);
	char *chrono = chronology(a, c);
	json_array_append_new(objects,
			      json_pack("{s:s, s:s, s:o, s:O, s:O, s:O, s:s, s:s, s:[O], s:O}", "type",
					"note", "spec_version", "2.1", "id", stix_id("note", t, "kronologi"),
					"created_by_ref", identity, "created", now, "modified", now,
					"abstract", "Kronologi penanganan", "content", chrono,
					"object_refs", incident, "object_marking_refs", marking));
	free(chrono);
	json_t *ips = sources(c);
	size_t i;
	json_t *ip;
	json_array_foreach(ips, i, ip)
	{
		const char *v = json_string_value(ip);
		const char *type = strchr(v, ':') ? "ipv6-addr" : "ipv4-addr";
		json_t *sco = stix_id(type, t, v);
		json_array_append_new(objects, json_pack("{s:s, s:s, s:O, s:s, s:O}", "type", type,
							 "spec_version", "2.1", "id", sco, "value", v,
							 "object_marking_refs", marking));
		json_array_append_new(
		    objects, json_pack("{s:s, s:s, s:o, s:O, s:O, s:s, s:O, s:o, s:s, s:O}", "type",
				       "relationship", "spec_version", "2.1", "id",
				       stix_id("relationship", t, v), "created", now, "modified", now,
				       "relationship_type", "related-to", "source_ref", incident,
				       "target_ref", sco, "description", "alamat asal serangan (peringatan SIEM)",
				       "object_marking_refs", marking));
	}
	const char *sys = s_of(fields, "sistem_terdampak");
	if (strncmp(sys, "http://", 7) == 0 || strncmp(sys, "https://", 8) == 0) {
		json_t *sco = stix_id("url", t, sys);
		json_array_append_new(objects, json_pack("{s:s, s:s, s:O, s:s, s:O}", "type", "url",
							 "spec_version", "2.1", "id", sco, "value", sys,
							 "object_marking_refs", marking));
		json_array_append_new(
		    objects, json_pack("{s:s, s:s, s:o, s:O, s:O, s:s, s:O, s:o, s:s, s:O}", "type",
				       "relationship", "spec_version", "2.1", "id",
				       stix_id("relationship", t, sys), "created", now, "modified", now,
				       "relationship_type", "related-to", "source_ref", incident,
				       "target_ref", sco, "description", "sistem elektronik terdampak",
				       "object_marking_refs", marking));
	}
	json_decref(ips);
	json_t *bundle = json_pack("{s:s, s:o, s:o}", "type", "bundle", "id",
				   stix_id("bundle", t, json_string_value(now)), "objects", objects);
	json_decref(incident);
	json_decref(identity);
	json_decref(created);
	json_decref(now);
	json_decref(marking);
	json_decref(s);
	json_decref(c);
	return bundle;
}

/* MISP's threat level: 1 high, 2 medium, 3 low, 4 undefined. */
static int threat_level(const char *priority)
{
	return strcmp(priority, "Kritis") == 0 || strcmp(priority, "Tinggi") == 0 ? 1
	       : strcmp(priority, "Sedang") == 0				  ? 2
	       : strcmp(priority, "Rendah") == 0				  ? 3
										  : 4;
}

static void attribute(json_t *list, const char *type, const char *category, const char *value,
		      const char *comment, bool ids)
{
	if (value == NULL || *value == '\0')
		return;
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "type", type,
					      "category", category, "value", value, "comment",
					      comment, "to_ids", ids, "distribution", "5"));
}

static json_t *misp_of(app *a, json_t *c, sg_err *e)
{
	json_t *s = doc_settings(a, e);
	if (s == NULL) {
		json_decref(c);
		return NULL;
	}
	json_t *fields = json_object_get(c, "fields");
	char date[16], tlp[32];
	civil_format_day(json_integer_value(json_object_get(c, "created_at")), a->cfg.cal.zone,
			 date);
	/* MISP's tlp taxonomy: tlp:clear, tlp:amber+strict, … in lower case */
	snprintf(tlp, sizeof tlp, "%s", *s_of(c, "tlp") ? s_of(c, "tlp") : "TLP:AMBER");
	for (char *p = tlp; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	json_t *tags = json_pack("[{s:s}]", "name", tlp);
	if (*s_of(c, "category") && *s_of(c, "incident_type")) {
		char rsit[200];
		snprintf(rsit, sizeof rsit, "rsit:%s=\"%s\"", s_of(c, "category"), s_of(c, "incident_type"));
		json_array_append_new(tags, json_pack("{s:s}", "name", rsit));
	}
	json_t *attrs = json_array();
	char *chrono = chronology(a, c);
	buf desc = BUF_INIT;
	describe(c, &desc);
	attribute(attrs, "text", "Other", buf_str(&desc), "uraian kejadian", false);
	buf_free(&desc);
	attribute(attrs, "text", "Other", chrono, "kronologi penanganan", false);
	attribute(attrs, "text", "Other", s_of(fields, "pelapor_kontak"), "kontak pelapor", false);
	const char *sys = s_of(fields, "sistem_terdampak");
	bool is_url = strncmp(sys, "http://", 7) == 0 || strncmp(sys, "https://", 8) == 0;
	attribute(attrs, is_url ? "url" : "text", is_url ? "Network activity" : "Other", sys,
		  "sistem elektronik terdampak", false);
	json_t *ips = sources(c);
	size_t i;
	json_t *ip;
	json_array_foreach(ips, i, ip)
	    attribute(attrs, "ip-src", "Network activity", json_string_value(ip),
		      "alamat asal serangan (peringatan SIEM)", true);
	json_decref(ips);
	free(chrono);
	char info[600];
	snprintf(info, sizeof info, "%s: %s", s_of(c, "ticket"), s_of(c, "title"));
	char level[4];
	snprintf(level, sizeof level, "%d", threat_level(s_of(c, "priority")));
	json_t *ev = json_pack(
	    "{s:{s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s}, s:o, s:o}}", "Event", "info", info, "date", date,
	    "threat_level_id", level, "analysis", strcmp(s_of(c, "status"), "open") == 0 ? "1" : "2", "distribution", "0",
	    "published", false, "Orgc", "name",
	    *s_of(s, "dinas") ? s_of(s, "dinas") : *s_of(s, "instansi") ? s_of(s, "instansi") : "TTIS",
	    "Tag", tags, "Attribute", attrs);
	json_decref(s);
	json_decref(c);
	return ev;
}

json_t *case_export(app *a, const char *user, const char *ticket, const char *format, sg_err *e)
{
	json_t *c = export_case(a, user, ticket, e);
	if (c == NULL)
		return NULL;
	if (format && strcmp(format, "stix") == 0)
		return stix_of(a, c, e);
	if (format && strcmp(format, "misp") == 0)
		return misp_of(a, c, e);
	json_decref(c);
	sg_err_set(e, SG_EINVAL, "give format=stix (a STIX 2.1 bundle) or format=misp (a MISP event)");
	return NULL;
}
