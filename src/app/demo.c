/*
 * demo.c: demo data for a first look at sigap (`sigap init --demo`, used by
 * `make run`): one user for each role of the seed SOPs, all with the demo
 * password, and an incident case reported by a citizen, received, entered
 * and verified, now waiting at step 5 (categorisation). Never for
 * production: the password is public.
 */
#include <string.h>

#include "app.h"

const char demo_password[] = "sigap-demo-2026";

static const struct {
	const char *name;
	const char *role;
} demo_users[] = {
	{"admin", "admin"},           {"pelapor", "pelapor"},
	{"petugas", "petugas"},       {"ttis", "ttis"},
	{"aph", "aph"},               {"kabid", "kabid"},
	{"kadis", "kepala_dinas"},    {"administrator", "administrator"},
	{"teknis", "tim_teknis"},     {"pemohon", "pemohon"},
	{"kasi", "kasi"},             {"penyusun", "tim_penyusun"},
	{"publikasi", "tim_publikasi"}, {"evaluasi", "tim_evaluasi"},
};

/* Values for the required fields of a form: the first option of a list,
 * today for a date, a short text otherwise. */
static size_t demo_values(const sop_field *f, size_t n, sop_value *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		if (!f[i].required || f[i].type == FIELD_FILE)
			continue;
		const char *v = f[i].type == FIELD_SELECT ? f[i].options[0]
				: f[i].type == FIELD_DATE ? "2026-11-23"
				: f[i].type == FIELD_NUMBER ? "1"
							    : "Contoh isian data demo";
		out[k++] = (sop_value){f[i].name, v};
	}
	return k;
}

/* One case on each other procedure, at its first step, so every SOP shows
 * on the dashboard. */
static int demo_other_cases(app *a, sg_err *e)
{
	static const struct {
		const char *procedure, *title;
	} cases[] = {
		{"cti", "Peringatan Wazuh: percobaan login SSH beruntun ke server SIMPEG"},
		{"patch", "Pembaruan keamanan OpenSSH pada server aplikasi kepegawaian"},
		{"pengecualian", "Pengecualian sementara: aplikasi lama tanpa autentikasi dua faktor"},
		{"kebijakan/penyusunan", "Penyusunan kebijakan penggunaan kata sandi"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const sop_procedure *p;
		if (sops_find_procedure(&a->sops, cases[i].procedure, &p) == NULL)
			continue;
		sop_value v[32];
		size_t n = demo_values(p->fields, p->n_fields, v, 32);
		case_new_req req = {p->id, cases[i].title, v, n, "sigap:demo", "sigap:demo"};
		char t[32];
		if (case_new(a, &req, t, e) != 0)
			return -1;
	}
	return 0;
}

/* A second incident, classified: brute force against a server. */
static int demo_classified_incident(app *a, sg_err *e)
{
	const sop_value report[] = {
		{"pelapor_nama", "Tim Internal Dinas Kesehatan"},
		{"pelapor_kontak", "it.dinkes@example.id"},
		{"sistem_terdampak", "simpeg.example.id (SSH)"},
		{"uraian_kejadian", "Ribuan percobaan login SSH gagal dari alamat luar negeri."},
	};
	case_new_req req = {"insiden", "Serangan brute force SSH pada server SIMPEG", report, 4,
			    "pelapor", "sigap:demo"};
	char t[32];
	if (case_new(a, &req, t, e) != 0)
		return -1;
	const sop_value s2[] = {{"asal_laporan", "Tim Internal Perangkat Daerah"}, {"saluran", "SIEM"}};
	const sop_value s3[] = {{"ringkasan", "Brute force SSH terdeteksi Wazuh (aturan 5712)."}};
	const sop_value s4[] = {{"hasil_verifikasi", "Benar: 4.812 percobaan dalam 30 menit."}};
	const sop_value s5[] = {{"kategori", "intrusion-attempts"}, {"jenis", "brute-force"},
				{"dampak", "Sedang"}, {"urgensi", "Tinggi"}, {"tlp", "TLP:AMBER"}};
	const case_step_req steps[] = {
		{t, "pelapor", NULL, NULL, 0, "sigap:demo"},
		{t, "petugas", NULL, s2, 2, "sigap:demo"},
		{t, "petugas", NULL, s3, 1, "sigap:demo"},
		{t, "petugas", "Insiden", s4, 1, "sigap:demo"},
		{t, "petugas", NULL, s5, 5, "sigap:demo"},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		case_step_result r;
		if (case_step(a, &steps[i], &r, e) != 0)
			return -1;
	}
	return 0;
}

int demo_seed(app *a, char ticket[32], sg_err *e)
{
	ticket[0] = '\0';
	int64_t n = 0;
	if (db_query_int(a->db, e, &n, "SELECT COUNT(*) FROM users WHERE name = 'petugas'", "") < 0)
		return -1;
	if (n > 0)
		return 0;
	const char *actor = "sigap:demo";
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const char *roles[] = {demo_users[i].role};
		if (user_add(a, actor, demo_users[i].name, roles, 1, demo_password, false, e) != 0)
			return -1;
	}
	const sop_value report[] = {
		{"pelapor_nama", "Budi Santoso"},
		{"pelapor_kontak", "budi.santoso@example.id"},
		{"sistem_terdampak", "https://kecamatan-contoh.trenggalekkab.go.id"},
		{"uraian_kejadian", "Halaman depan situs kecamatan berubah menjadi pesan "
				    "peretas dan tautan judi daring."},
		{"waktu_diketahui", "2026-11-23"},
	};
	/* The demo citizen reports with its own login: it is named on the case
	 * and sees the parts addressed to it (case_access.c). */
	case_new_req req = {"insiden", "Dugaan defacement situs web kecamatan", report,
			    sizeof report / sizeof report[0], "pelapor", "sigap:demo"};
	if (case_new(a, &req, ticket, e) != 0)
		return -1;
	const sop_value s2[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Formulir daring"}};
	const sop_value s3[] = {{"ringkasan", "Defacement halaman depan situs kecamatan; "
					      "tangkapan layar dari pelapor."}};
	const sop_value s4[] = {{"hasil_verifikasi", "Terverifikasi: halaman depan memuat "
						     "konten tidak sah sejak pukul 06.10 WIB."}};
	/* The reporter wrote in by e-mail: the officer completes the
	 * reporter's step on his behalf. */
	const case_step_req steps[] = {
		{ticket, "petugas", NULL, NULL, 0, "sigap:demo", .on_behalf = "Budi Santoso",
		 .channel = "surel"},
		{ticket, "petugas", NULL, s2, 2, "sigap:demo"},
		{ticket, "petugas", NULL, s3, 1, "sigap:demo"},
		{ticket, "petugas", "Insiden", s4, 1, "sigap:demo"},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		case_step_result r;
		if (case_step(a, &steps[i], &r, e) != 0)
			return -1;
	}
	return demo_classified_incident(a, e) != 0 ? -1 : demo_other_cases(a, e);
}
