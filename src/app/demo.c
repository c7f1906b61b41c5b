/*
 * demo.c: demo data for a first look at sigap (`sigap init --demo`, used by
 * `make run`): one user for each role of the seed SOPs, all with the demo
 * password, and an incident case reported by a citizen, received, entered
 * and verified, now waiting at step 5 (categorisation), and the letterhead
 * of a fictional kabupaten for its documents. Never for
 * production: the password is public.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/civil.h"

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

/* The Perangkat Daerah of a kabupaten and their sistem elektronik, so the
 * register shows something real-looking (fictional domain contohkab.go.id,
 * private and documentation addresses). */
static const opd_in demo_opds[] = {
	{"Dinas Komunikasi dan Informatika", "DISKOMINFO", "Drs. Hadi Purnomo, M.Si.",
	 "diskominfo@contohkab.go.id, (0355) 791234"},
	{"Dinas Kesehatan", "DINKES", "dr. Sri Wahyuni, M.Kes.", "dinkes@contohkab.go.id"},
	{"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM",
	 "Bambang Setiawan, S.Sos., M.M.", "bkpsdm@contohkab.go.id"},
	{"Dinas Pendidikan", "DISDIK", "Dr. Endang Lestari, M.Pd.", "disdik@contohkab.go.id"},
	{"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP",
	 "Agus Riyanto, S.H.", "dpmptsp@contohkab.go.id"},
};

#define L(...) ((const char *const[]){__VA_ARGS__})
#define N(...) (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
#define SW(...) ((const asset_sw[]){__VA_ARGS__})
#define NSW(...) (sizeof((const asset_sw[]){__VA_ARGS__}) / sizeof(asset_sw))

static const asset_in demo_assets[] = {
	{.opd = "DISKOMINFO", .name = "Portal Resmi Pemerintah Kabupaten", .kind = "situs_web",
	 .kse = "tinggi", .criticality = "tinggi", .contact = "Bidang Aplikasi Informatika",
	 .urls = L("https://www.contohkab.go.id/"), .n_urls = 1,
	 .hosts = L("www.contohkab.go.id"), .n_hosts = 1,
	 .addresses = L("203.0.113.10"), .n_addresses = 1,
	 .software = SW({"WordPress", "6.4.2", "cpe:2.3:a:wordpress:wordpress:6.4.2:*:*:*:*:*:*:*"},
			{"PHP", "8.1.27", "cpe:2.3:a:php:php:8.1.27:*:*:*:*:*:*:*"}),
	 .n_software = 2},
	{.opd = "DISKOMINFO", .name = "Jaringan Pusat Data Pemda", .kind = "jaringan",
	 .kse = "strategis", .criticality = "kritis", .contact = "Bidang Infrastruktur TIK",
	 .addresses = L("10.10.0.0/16"), .n_addresses = 1,
	 .notes = "Segmen server pusat data; semua OPD terhubung lewat jaringan intra pemda."},
	{.opd = "DISKOMINFO", .name = "Server SIEM Wazuh", .kind = "server", .kse = "strategis",
	 .criticality = "tinggi", .agent_name = "siem01", .agent_id = "000",
	 .hosts = L("siem01.contohkab.go.id"), .n_hosts = 1,
	 .addresses = L("10.10.1.5"), .n_addresses = 1,
	 .software = SW({"Wazuh manager", "4.7.2", "cpe:2.3:a:wazuh:wazuh:4.7.2:*:*:*:*:*:*:*"}),
	 .n_software = 1},
	{.opd = "DISKOMINFO", .name = "Layanan Surel Pemda", .kind = "server", .kse = "tinggi",
	 .criticality = "tinggi", .agent_name = "mail01", .agent_id = "002",
	 .hosts = L("mail.contohkab.go.id"), .n_hosts = 1,
	 .addresses = L("10.10.1.25"), .n_addresses = 1,
	 .software = SW({"Postfix", "3.7.10", "cpe:2.3:a:postfix:postfix:3.7.10:*:*:*:*:*:*:*"}),
	 .n_software = 1},
	{.opd = "DINKES", .name = "SIMPUS (Sistem Informasi Puskesmas)", .kind = "aplikasi",
	 .kse = "tinggi", .criticality = "tinggi", .contact = "Seksi SDK dan Data Kesehatan",
	 .agent_name = "web-dinkes01", .agent_id = "003",
	 .urls = L("https://simpus.contohkab.go.id/"), .n_urls = 1,
	 .hosts = L("simpus.contohkab.go.id"), .n_hosts = 1,
	 .addresses = L("10.20.1.10"), .n_addresses = 1,
	 .software = SW({"Apache HTTP Server", "2.4.57",
			 "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"},
			{"PHP", "7.4.33", "cpe:2.3:a:php:php:7.4.33:*:*:*:*:*:*:*"}),
	 .n_software = 2},
	{.opd = "DINKES", .name = "Jaringan Dinas Kesehatan dan Puskesmas", .kind = "jaringan",
	 .kse = "rendah", .criticality = "sedang", .addresses = L("10.20.0.0/16"), .n_addresses = 1},
	{.opd = "BKPSDM", .name = "Server Aplikasi SIMPEG", .kind = "server", .kse = "strategis",
	 .criticality = "kritis", .contact = "Subbidang Data dan Informasi Kepegawaian",
	 .agent_name = "srv-simpeg", .agent_id = "005",
	 .urls = L("https://simpeg.contohkab.go.id/"), .n_urls = 1,
	 .hosts = L("simpeg.contohkab.go.id"), .n_hosts = 1,
	 .addresses = L("10.30.1.5"), .n_addresses = 1,
	 .software = SW({"OpenSSH", "8.9p1", "cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*"},
			{"Ubuntu Linux", "22.04", "cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:lts:*:*:*"}),
	 .n_software = 2},
	{.opd = "DISDIK", .name = "PPDB Daring", .kind = "aplikasi", .kse = "tinggi",
	 .criticality = "tinggi", .contact = "Bidang Pembinaan SMP",
	 .urls = L("https://ppdb.contohkab.go.id/"), .n_urls = 1,
	 .hosts = L("ppdb.contohkab.go.id"), .n_hosts = 1,
	 .software = SW({"Laravel", "8.83.27", "cpe:2.3:a:laravel:framework:8.83.27:*:*:*:*:*:*:*"}),
	 .n_software = 1,
	 .notes = "Beban puncak setiap Juni-Juli saat pendaftaran peserta didik baru."},
	{.opd = "DISDIK", .name = "Situs Web Dinas Pendidikan", .kind = "situs_web", .kse = "rendah",
	 .criticality = "sedang", .urls = L("https://disdik.contohkab.go.id/"), .n_urls = 1,
	 .hosts = L("disdik.contohkab.go.id"), .n_hosts = 1,
	 .software = SW({"WordPress", "6.2.2", "cpe:2.3:a:wordpress:wordpress:6.2.2:*:*:*:*:*:*:*"},
			{"Elementor Website Builder", "3.12.1",
			 "cpe:2.3:a:elementor:website_builder:3.12.1:*:*:*:*:wordpress:*:*"}),
	 .n_software = 2},
	{.opd = "DPMPTSP", .name = "SiCantik Perizinan Daring", .kind = "aplikasi", .kse = "tinggi",
	 .criticality = "tinggi", .urls = L("https://perizinan.contohkab.go.id/"), .n_urls = 1,
	 .hosts = L("perizinan.contohkab.go.id"), .n_hosts = 1},
};

/* The cyber agents of two OPDs. */
static const struct {
	const char *name, *opd;
} demo_agents[] = {{"agen.dinkes", "DINKES"}, {"agen.disdik", "DISDIK"}};

/* A few risks of the register (risks.c), so /risiko and its heat maps
 * show what they are for. */
static int demo_risks(app *a, sg_err *e)
{
	static const risk_in risks[] = {
	    {.title = "Defacement dan sisipan judi daring pada situs web OPD",
	     .threat = "Peretas yang memindai plugin WordPress yang usang",
	     .vulnerability = "WordPress dan Elementor belum diperbarui",
	     .treatment = "mitigasi",
	     .treatment_plan = "Perbarui WordPress dan plugin; pasang pemantauan integritas berkas.",
	     .opd = "DISDIK", .owner = "teknis", .likelihood = 4, .impact = 3,
	     .residual_likelihood = 2, .residual_impact = 3},
	    {.title = "Kebocoran data pasien dari SIMPUS",
	     .threat = "Akses tidak sah ke basis data melalui antarmuka aplikasi",
	     .vulnerability = "Kata sandi bersama antarpetugas puskesmas",
	     .treatment = "mitigasi",
	     .treatment_plan = "Akun pribadi untuk setiap petugas dan autentikasi dua faktor.",
	     .opd = "DINKES", .owner = "teknis", .likelihood = 3, .impact = 5},
	    {.title = "Layanan perizinan tidak tersedia karena serangan DDoS",
	     .threat = "Serangan DDoS saat tenggat perizinan",
	     .treatment = "alihkan",
	     .treatment_plan = "Perlindungan DDoS dari penyedia jaringan.",
	     .opd = "DPMPTSP", .likelihood = 2, .impact = 4},
	};
	for (size_t i = 0; i < sizeof risks / sizeof risks[0]; i++) {
		int64_t id;
		if (risk_create(a, "sigap:demo", &risks[i], &id, e) != 0)
			return -1;
	}
	return 0;
}

/* An exception in force (exceptions.c): SIMPUS without two-factor
 * sign-in for four months, weighed on the SIMPUS risk of the register,
 * its request taken by letter, approved by the Kepala Dinas. */
static int demo_exception(app *a, sg_err *e)
{
	int64_t simpus = 0, risk = 0;
	if (db_query_int(a->db, e, &simpus, "SELECT id FROM assets WHERE name LIKE 'SIMPUS%'", "") !=
	        DB_ROW ||
	    db_query_int(a->db, e, &risk, "SELECT id FROM risks WHERE title LIKE '%SIMPUS%'", "") !=
	        DB_ROW)
		return -1;
	char aset[24], rid[24], until[16];
	snprintf(aset, sizeof aset, "%lld", (long long)simpus);
	snprintf(rid, sizeof rid, "%lld", (long long)risk);
	civil_format_day(app_now(a) + 120 * 86400, a->cfg.cal.zone, until);
	const sop_value fields[] = {{"sistem", "SIMPUS (Sistem Informasi Puskesmas)"}, {"aset", aset}};
	case_new_req req = {"pengecualian", "Pengecualian autentikasi dua faktor pada SIMPUS", fields, 2,
	                    "teknis", "sigap:demo"};
	char ticket[32];
	if (case_new(a, &req, ticket, e) != 0)
		return -1;
	static const char letter[] = "Surat permohonan pengecualian dari Dinas Kesehatan (contoh demo).";
	evidence_file f;
	if (evidence_spool_data(a, letter, sizeof letter - 1, &f, e) != 0)
		return -1;
	const sop_value s1[] = {
	    {"kontrol", "indeks-kami-4:III, bssn-4-2021:MKI-5"},
	    {"alasan", "Versi SIMPUS yang dipakai puskesmas belum mendukung autentikasi dua faktor; "
	               "pembaruan dari pengembang dijadwalkan dalam empat bulan."},
	    {"kompensasi", "Akses SIMPUS hanya dari jaringan puskesmas dan VPN; akun pribadi untuk "
	                   "setiap petugas; log masuk dipantau Wazuh."},
	    {"berlaku_sampai", until},
	    {"surat_permohonan", "surat-permohonan.pdf"}};
	case_upload up = {"surat_permohonan", "surat-permohonan.pdf", &f};
	const sop_value s2[] = {{"risiko", rid},
	                        {"rekomendasi", "Dapat disetujui dengan kontrol kompensasi dan "
	                                        "pemantauan log masuk selama masa pengecualian."}};
	const sop_value s3[] = {{"catatan_persetujuan", "Disetujui sampai pembaruan SIMPUS terpasang."}};
	case_step_req steps[] = {
	    {ticket, "teknis", NULL, s1, 5, "sigap:demo", &up, 1, .on_behalf = "Kepala Dinas Kesehatan",
	     .channel = "surat"},
	    {ticket, "teknis", NULL, s2, 2, "sigap:demo"},
	    {ticket, "kadis", "Disetujui", s3, 1, "sigap:demo"},
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0] && rc == 0; i++) {
		case_step_result r;
		rc = case_step(a, &steps[i], &r, e);
	}
	evidence_file_discard(&f);
	return rc;
}

/* A step of the demo, with a small document in field file (NULL: none). */
static int demo_step(app *a, const char *ticket, const char *user, const char *decision,
                     const sop_value *v, size_t n, const char *file, sg_err *e)
{
	sop_value all[8];
	if (n)
		memcpy(all, v, n * sizeof *v);
	case_step_req req = {ticket, user, decision, all, n, "sigap:demo"};
	evidence_file f;
	case_upload up;
	if (file) {
		static const char doc[] = "Dokumen contoh data demo sigap.";
		if (evidence_spool_data(a, doc, sizeof doc - 1, &f, e) != 0)
			return -1;
		up = (case_upload){file, "dokumen.pdf", &f};
		all[req.n_values++] = (sop_value){file, "dokumen.pdf"};
		req.uploads = &up;
		req.n_uploads = 1;
	}
	case_step_result r;
	int rc = case_step(a, &req, &r, e);
	if (file)
		evidence_file_discard(&f);
	return rc;
}

/* A published policy of the library (policies.c): drafted, approved,
 * ratified and published on its cases, so /kebijakan shows one. */
static int demo_policy(app *a, sg_err *e)
{
	static const char text[] =
	    "# Kebijakan Pengelolaan Kata Sandi\n\n"
	    "## 1. Tujuan\n\nMelindungi akun sistem elektronik Pemerintah Daerah dari akses tidak "
	    "sah.\n\n"
	    "## 2. Ketentuan\n\n"
	    "1. Kata sandi paling sedikit **12 karakter**.\n"
	    "2. Kata sandi tidak dipakai bersama dan tidak dituliskan di tempat terbuka.\n"
	    "3. Akun administrator memakai autentikasi dua faktor.\n"
	    "4. Kata sandi yang diduga bocor segera diganti dan dilaporkan ke TTIS.\n\n"
	    "## 3. Pengawasan\n\nTTIS memantau kepatuhan melalui log autentikasi.\n";
	sop_value fields[] = {{"tlp", "TLP:CLEAR"}};
	case_new_req req = {"kebijakan/penyusunan", "Penyusunan kebijakan pengelolaan kata sandi",
	                    fields, 1, "penyusun", "sigap:demo"};
	char t[32], tp[32], ref[24];
	if (case_new(a, &req, t, e) != 0)
		return -1;
	const sop_value draft[] = {{"judul_kebijakan", "Kebijakan Pengelolaan Kata Sandi"},
	                           {"jenis_dokumen", "kebijakan"},
	                           {"teks", text},
	                           {"kontrol", "indeks-kami-4:IV"}};
	char today[16];
	civil_format_day(app_now(a), a->cfg.cal.zone, today);
	const sop_value ratify[] = {{"tanggal_pengesahan", today}, {"nomor_kebijakan", "800/12/2026"}};
	if (demo_step(a, t, "penyusun", NULL, NULL, 0, "dokumen_rencana", e) != 0 ||
	    demo_step(a, t, "kabid", "Disetujui", NULL, 0, NULL, e) != 0 ||
	    demo_step(a, t, "penyusun", NULL, draft, 4, "draft", e) != 0 ||
	    demo_step(a, t, "kabid", "Disetujui", NULL, 0, NULL, e) != 0 ||
	    demo_step(a, t, "kadis", "Disahkan", ratify, 2, "dokumen_kebijakan", e) != 0)
		return -1;
	int64_t id = policy_of_ticket(a, t, e);
	if (id <= 0)
		return -1;
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	sop_value pf[] = {{"kebijakan", ref}, {"tlp", "TLP:CLEAR"}};
	case_new_req pub = {"kebijakan/publikasi", "Publikasi kebijakan pengelolaan kata sandi", pf, 2,
	                    "kasi", "sigap:demo"};
	if (case_new(a, &pub, tp, e) != 0 ||
	    demo_step(a, tp, "kasi", NULL, NULL, 0, "dokumen_rencana", e) != 0 ||
	    demo_step(a, tp, "kabid", "Disetujui", NULL, 0, NULL, e) != 0 ||
	    demo_step(a, tp, "publikasi", NULL, NULL, 0, "dokumentasi_publikasi", e) != 0)
		return -1;
	return policy_ack(a, "petugas", id, e);
}

/* OPDs, their assets and agents; *simpeg the SIMPEG server's number. */
static int demo_register(app *a, int64_t *simpeg, sg_err *e)
{
	const char *actor = "sigap:demo";
	for (size_t i = 0; i < sizeof demo_opds / sizeof demo_opds[0]; i++) {
		int64_t id;
		if (opd_add(a, actor, &demo_opds[i], &id, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof demo_assets / sizeof demo_assets[0]; i++) {
		asset_in in = demo_assets[i];
		in.has_urls = in.has_hosts = in.has_addresses = in.has_software = true;
		int64_t id;
		if (asset_add(a, actor, &in, &id, e) != 0)
			return -1;
		if (strcmp(in.name, "Server Aplikasi SIMPEG") == 0)
			*simpeg = id;
	}
	for (size_t i = 0; i < sizeof demo_agents / sizeof demo_agents[0]; i++) {
		const char *roles[] = {"agen_siber"};
		if (user_add_opd(a, actor, demo_agents[i].name, roles, 1, demo_password, false,
				 demo_agents[i].opd, e) != 0)
			return -1;
	}
	return demo_risks(a, e);
}

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
static int demo_other_cases(app *a, int64_t simpeg, sg_err *e)
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
		size_t n = demo_values(p->fields, p->n_fields, v, 31);
		/* the patch case is about an asset of the register */
		char aset[24];
		snprintf(aset, sizeof aset, "%lld", (long long)simpeg);
		for (size_t k = 0; strcmp(p->id, "patch") == 0 && simpeg && k < p->n_fields; k++)
			if (strcmp(p->fields[k].name, "aset") == 0)
				v[n++] = (sop_value){"aset", aset};
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

/* The letterhead and signatories of the fictional kabupaten, as the admin
 * page would set them, so a demo document looks like one. */
static int demo_letterhead(app *a, sg_err *e)
{
	static const char *const kv[][2] = {
		{"instansi", "PEMERINTAH KABUPATEN CONTOH"},
		{"dinas", "DINAS KOMUNIKASI DAN INFORMATIKA"},
		{"alamat", "Jalan Contoh Nomor 1, Kabupaten Contoh 66300"},
		{"kontak", "Telepon (0355) 791234, surel csirt@contohkab.go.id, contohkab.go.id"},
		{"kota", "Contoh"},
		{"unit", "CSIRT.CONTOH"},
		{"ttd.kabid.jabatan", "Kepala Bidang Persandian dan Keamanan Informasi"},
		{"ttd.kabid.nama", "Rina Kartikasari, S.Kom., M.T."},
		{"ttd.kabid.nip", "19810412 200801 2 007"},
		{"ttd.kepala_dinas.jabatan", "Kepala Dinas Komunikasi dan Informatika"},
		{"ttd.kepala_dinas.nama", "Drs. Hadi Purnomo, M.Si."},
		{"ttd.kepala_dinas.nip", "19700305 199603 1 002"},
	};
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
		if (db_run(a->db, e, "INSERT INTO doc_settings (key, value) VALUES (?, ?)", "ss",
			   kv[i][0], kv[i][1]) != 0)
			return -1;
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
	if (demo_letterhead(a, e) != 0)
		return -1;
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
	int64_t simpeg = 0;
	if (demo_register(a, &simpeg, e) != 0 || demo_classified_incident(a, e) != 0 ||
	    demo_exception(a, e) != 0 || demo_policy(a, e) != 0)
		return -1;
	return demo_other_cases(a, simpeg, e);
}
