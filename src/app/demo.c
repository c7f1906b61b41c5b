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
	case_new_req req = {"insiden", "Dugaan defacement situs web kecamatan", report,
			    sizeof report / sizeof report[0], actor, "sigap:demo"};
	if (case_new(a, &req, ticket, e) != 0)
		return -1;
	const sop_value s2[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Formulir daring"}};
	const sop_value s3[] = {{"ringkasan", "Defacement halaman depan situs kecamatan; "
					      "tangkapan layar dari pelapor."}};
	const sop_value s4[] = {{"hasil_verifikasi", "Terverifikasi: halaman depan memuat "
						     "konten tidak sah sejak pukul 06.10 WIB."}};
	const case_step_req steps[] = {
		{ticket, "pelapor", NULL, NULL, 0, "sigap:demo"},
		{ticket, "petugas", NULL, s2, 2, "sigap:demo"},
		{ticket, "petugas", NULL, s3, 1, "sigap:demo"},
		{ticket, "petugas", "Insiden", s4, 1, "sigap:demo"},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		case_step_result r;
		if (case_step(a, &steps[i], &r, e) != 0)
			return -1;
	}
	return 0;
}
