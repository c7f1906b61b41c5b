/*
 * classify.c: incident classification, priority and TLP.
 *
 * Classes and types are those of the ENISA Reference Incident
 * Classification Taxonomy (2018 revision); priority is derived from impact
 * and urgency on a 3 x 3 matrix, as ITIL and most CSIRT handbooks draw it;
 * labels are TLP 2.0. A step's form that carries the well-known field
 * names (kategori, jenis, dampak, urgensi, prioritas, tlp) sets the case's
 * attributes; the names are data, so any SOP can classify.
 */
#include <string.h>

#include "classify.h"

static const char *const abusive[] = {"spam", "harmful-speech", "violence", NULL};
static const char *const malicious[] = {"infected-system", "c2-server", "malware-distribution",
                                        "malware-configuration", NULL};
static const char *const gathering[] = {"scanner", "sniffing", "social-engineering", NULL};
static const char *const attempts[] = {"ids-alert", "brute-force", "exploit", NULL};
static const char *const intrusions[] = {"privileged-account-compromise",
                                         "unprivileged-account-compromise",
                                         "application-compromise",
                                         "system-compromise",
                                         "burglary",
                                         NULL};
static const char *const availability[] = {"dos",      "ddos",   "misconfiguration",
                                           "sabotage", "outage", NULL};
static const char *const content[] = {"unauthorised-information-access",
                                      "unauthorised-information-modification", "data-loss",
                                      "data-leak", NULL};
static const char *const fraud[] = {"unauthorised-use-of-resources", "copyright", "masquerade",
                                    "phishing", NULL};
static const char *const vulnerable[] = {"weak-crypto",
                                         "ddos-amplifier",
                                         "potentially-unwanted-accessible",
                                         "information-disclosure",
                                         "vulnerable-system",
                                         NULL};
static const char *const other[] = {"other", "undetermined", NULL};
static const char *const test[] = {"test", NULL};

const enisa_class enisa_taxonomy[] = {
    {"abusive-content", abusive},
    {"malicious-code", malicious},
    {"information-gathering", gathering},
    {"intrusion-attempts", attempts},
    {"intrusions", intrusions},
    {"availability", availability},
    {"information-content-security", content},
    {"fraud", fraud},
    {"vulnerable", vulnerable},
    {"other", other},
    {"test", test},
    {NULL, NULL},
};

/* What the pages show for a class or a type: Indonesian, and English on
 * the English page. The codes stay what is stored and exchanged. */
static const struct {
	const char *code, *id, *en;
} enisa_labels[] = {
    {"abusive-content", "Konten kasar", "Abusive content"},
    {"malicious-code", "Kode berbahaya", "Malicious code"},
    {"information-gathering", "Pengumpulan informasi", "Information gathering"},
    {"intrusion-attempts", "Percobaan intrusi", "Intrusion attempts"},
    {"intrusions", "Intrusi", "Intrusions"},
    {"availability", "Ketersediaan", "Availability"},
    {"information-content-security", "Keamanan konten informasi", "Information content security"},
    {"fraud", "Penipuan", "Fraud"},
    {"vulnerable", "Kerentanan", "Vulnerable"},
    {"other", "Lainnya", "Other"},
    {"test", "Uji coba", "Test"},
    {"spam", "Spam", "Spam"},
    {"harmful-speech", "Ujaran berbahaya", "Harmful speech"},
    {"violence", "Konten kekerasan", "Violence"},
    {"infected-system", "Sistem terinfeksi", "Infected system"},
    {"c2-server", "Server kendali (C2)", "C2 server"},
    {"malware-distribution", "Penyebaran malware", "Malware distribution"},
    {"malware-configuration", "Konfigurasi malware", "Malware configuration"},
    {"scanner", "Pemindaian", "Scanning"},
    {"sniffing", "Penyadapan lalu lintas", "Sniffing"},
    {"social-engineering", "Rekayasa sosial", "Social engineering"},
    {"ids-alert", "Eksploitasi kerentanan yang dikenal", "Exploitation of known vulnerabilities"},
    {"brute-force", "Percobaan login (brute force)", "Login attempts"},
    {"exploit", "Tanda serangan baru", "New attack signature"},
    {"privileged-account-compromise", "Pembobolan akun istimewa", "Privileged account compromise"},
    {"unprivileged-account-compromise", "Pembobolan akun biasa", "Unprivileged account compromise"},
    {"application-compromise", "Pembobolan aplikasi", "Application compromise"},
    {"system-compromise", "Pembobolan sistem", "System compromise"},
    {"burglary", "Pembobolan fisik", "Burglary"},
    {"dos", "Penolakan layanan (DoS)", "Denial of service"},
    {"ddos", "Penolakan layanan terdistribusi (DDoS)", "Distributed denial of service"},
    {"misconfiguration", "Kesalahan konfigurasi", "Misconfiguration"},
    {"sabotage", "Sabotase", "Sabotage"},
    {"outage", "Gangguan layanan", "Outage"},
    {"unauthorised-information-access", "Akses informasi tanpa izin", "Unauthorised access to information"},
    {"unauthorised-information-modification", "Perubahan informasi tanpa izin", "Unauthorised modification of information"},
    {"data-loss", "Kehilangan data", "Data loss"},
    {"data-leak", "Kebocoran data", "Leak of confidential information"},
    {"unauthorised-use-of-resources", "Penggunaan sumber daya tanpa izin", "Unauthorised use of resources"},
    {"copyright", "Pelanggaran hak cipta", "Copyright"},
    {"masquerade", "Penyamaran identitas", "Masquerade"},
    {"phishing", "Phishing", "Phishing"},
    {"weak-crypto", "Kriptografi lemah", "Weak cryptography"},
    {"ddos-amplifier", "Penguat DDoS", "DDoS amplifier"},
    {"potentially-unwanted-accessible", "Layanan terbuka yang tidak semestinya", "Potentially unwanted accessible services"},
    {"information-disclosure", "Pengungkapan informasi", "Information disclosure"},
    {"vulnerable-system", "Sistem rentan", "Vulnerable system"},
    {"undetermined", "Belum ditentukan", "Undetermined"},
};

const char *enisa_label(const char *code, bool english)
{
	if (code == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof enisa_labels / sizeof enisa_labels[0]; i++)
		if (strcmp(enisa_labels[i].code, code) == 0)
			return english ? enisa_labels[i].en : enisa_labels[i].id;
	return NULL;
}

const char *const tlp_labels[] = {"TLP:CLEAR",        "TLP:GREEN", "TLP:AMBER",
                                  "TLP:AMBER+STRICT", "TLP:RED",   NULL};
const char *const priority_levels[] = {"Rendah", "Sedang", "Tinggi", "Kritis", NULL};
static const char *const scale[] = {"Rendah", "Sedang", "Tinggi", NULL};

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

const enisa_class *enisa_find(const char *cls)
{
	for (const enisa_class *c = enisa_taxonomy; c->name; c++)
		if (strcmp(c->name, cls) == 0)
			return c;
	return NULL;
}

const char *priority_of(const char *impact, const char *urgency)
{
	/* rows: impact Rendah..Tinggi; columns: urgency Rendah..Tinggi */
	static const char *const m[3][3] = {
	    {"Rendah", "Rendah", "Sedang"},
	    {"Rendah", "Sedang", "Tinggi"},
	    {"Sedang", "Tinggi", "Kritis"},
	};
	int i = index_of(scale, impact), u = index_of(scale, urgency);
	return i < 0 || u < 0 ? NULL : m[i][u];
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int classify_values(json_t *values, case_attrs *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	const char *cls = str(values, "kategori"), *type = str(values, "jenis");
	if (cls) {
		const enisa_class *c = enisa_find(cls);
		if (c == NULL)
			return sg_err_set(e, SG_EINVAL, "'%s' is not an ENISA incident class", cls);
		if (type && index_of(c->types, type) < 0)
			return sg_err_set(e, SG_EINVAL,
			                  "'%s' is not a type of the ENISA class '%s'", type, cls);
		out->category = cls;
		out->type = type;
	} else if (type) {
		return sg_err_set(e, SG_EINVAL, "an incident type needs its class (kategori)");
	}
	const char *impact = str(values, "dampak"), *urgency = str(values, "urgensi");
	if (impact || urgency) {
		out->priority = impact && urgency ? priority_of(impact, urgency) : NULL;
		if (out->priority == NULL)
			return sg_err_set(
			    e, SG_EINVAL,
			    "impact and urgency must both be one of Rendah, Sedang, Tinggi");
	}
	const char *prio = str(values, "prioritas");
	if (prio) {
		if (index_of(priority_levels, prio) < 0)
			return sg_err_set(e, SG_EINVAL,
			                  "'%s' is not a priority (Rendah, Sedang, Tinggi, Kritis)",
			                  prio);
		out->priority = prio;
	}
	const char *tlp = str(values, "tlp");
	if (tlp) {
		if (index_of(tlp_labels, tlp) < 0)
			return sg_err_set(e, SG_EINVAL, "'%s' is not a TLP 2.0 label", tlp);
		out->tlp = tlp;
	}
	return 0;
}
