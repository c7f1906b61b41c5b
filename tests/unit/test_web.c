/*
 * test_web.c: the pure parts of the web layer: urlencoded and multipart
 * bodies (with thousands of damaged bodies, which must be refused or
 * parsed, never crash), the .po reader, the router and redirect checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>

#include "base/hash.h"
#include "helpers.h"
#include "web/form.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/router.h"
#include "web/webutil.h"

static void urlencoded(void **state)
{
	(void)state;
	web_params p = {0};
	sg_err e = {0};
	const char *b = "a=1&b=hello+world&c=%E2%9C%93&empty=&flag&&x=%2B%26";
	assert_int_equal(form_parse_urlencoded(b, strlen(b), &p, &e), 0);
	assert_int_equal(p.n, 6);
	assert_string_equal(p.v[1].value, "hello world");
	assert_string_equal(p.v[2].value, "\xE2\x9C\x93");
	assert_string_equal(p.v[3].value, "");
	assert_string_equal(p.v[4].name, "flag");
	assert_string_equal(p.v[5].value, "+&");
	web_params_free(&p);
	static const char *const bad[] = {"a=%C3%28", "a=%0", "a=%zz", "a=%00", "%FF=1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(form_parse_urlencoded(bad[i], strlen(bad[i]), &p, &e), -1);
		assert_int_equal(p.n, 0);
		assert_int_equal(e.code, SG_EINVAL);
	}
}

static const char CT[] = "multipart/form-data; boundary=----b0undary";
static const char BODY[] = "------b0undary\r\n"
			   "Content-Disposition: form-data; name=\"nama\"\r\n\r\n"
			   "Budi \"B\" Santoso\r\n"
			   "------b0undary\r\n"
			   "Content-Disposition: form-data; name=\"bukti\"; filename=\"C:\\\\x\\\\layar.png\"\r\n"
			   "Content-Type: image/png\r\n\r\n"
			   "\x89PNG\r\n\x1a\n\0\0binary\r\n"
			   "------b0undary\r\n"
			   "Content-Disposition: form-data; name=\"kosong\"; filename=\"\"\r\n"
			   "Content-Type: application/octet-stream\r\n\r\n"
			   "\r\n"
			   "------b0undary--\r\n";
static const char PNG[] = "\x89PNG\r\n\x1a\n\0\0binary";

/* Reads a multipart body as the server does, in pieces: of size step,
 * or of random sizes when step is 0. spool NULL: files refused. */
static int read_multipart(const char *ct, const char *body, size_t len, size_t step, app *spool,
			  size_t text_max, web_params *p, web_files *f, sg_err *e)
{
	form_reader *r = form_multipart_new(ct, spool, text_max, p, f, e);
	if (r == NULL)
		return -1;
	int rc = 0;
	for (size_t at = 0; at < len && rc == 0;) {
		size_t n = step ? step : 1 + (size_t)rand() % 97;
		if (n > len - at)
			n = len - at;
		rc = form_multipart_feed(r, body + at, n, e);
		at += n;
	}
	if (rc == 0)
		rc = form_multipart_finish(r, e);
	form_multipart_free(r);
	if (rc != 0) {
		web_params_free(p);
		web_files_free(f);
	}
	return rc;
}

/* Files left in the spool: none once every request is freed. */
static int spooled(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/evidence/.spool", dir);
	DIR *d = opendir(path);
	int n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.' && !strstr(de->d_name, ".lock"); /* the process's own lock */
	if (d)
		closedir(d);
	return n;
}

static void multipart(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	/* Whole, byte by byte, and at every other piece size: the same result. */
	for (size_t step = 0; step <= sizeof BODY; step++) {
		web_params p = {0};
		web_files f = {0};
		sg_err e = {0};
		assert_int_equal(read_multipart(CT, BODY, sizeof BODY - 1,
						step ? step : sizeof BODY, &a, 1 << 20, &p, &f, &e),
				 0);
		assert_int_equal(p.n, 1);
		assert_string_equal(p.v[0].value, "Budi \"B\" Santoso");
		assert_int_equal(f.n, 1); /* the empty file input is dropped */
		assert_string_equal(f.v[0].filename, "layar.png");
		assert_string_equal(f.v[0].content_type, "image/png");
		assert_int_equal(f.v[0].file.size, 16);
		size_t n;
		char *got = read_all(f.v[0].file.path, &n);
		assert_non_null(got);
		assert_int_equal(n, 16);
		assert_memory_equal(got, PNG, 16);
		free(got);
		char sha[65];
		sha256_hex(PNG, 16, sha);
		assert_string_equal(f.v[0].file.sha256, sha);
		web_params_free(&p);
		web_files_free(&f);
		assert_int_equal(spooled(dir), 0);
	}
	web_params p = {0};
	web_files f = {0};
	sg_err e = {0};
	/* No boundary, a wrong one, a truncated body. */
	assert_int_equal(read_multipart("multipart/form-data", BODY, sizeof BODY - 1, 7, &a, 1 << 20, &p, &f, &e), -1);
	assert_int_equal(read_multipart("multipart/form-data; boundary=zzz", BODY, sizeof BODY - 1, 7, &a, 1 << 20, &p, &f, &e), -1);
	assert_int_equal(read_multipart(CT, BODY, 60, 7, &a, 1 << 20, &p, &f, &e), -1);
	assert_int_equal(read_multipart(CT, BODY, sizeof BODY - 10, 7, &a, 1 << 20, &p, &f, &e), -1);
	assert_int_equal(p.n + f.n, 0);
	/* An address that takes no files refuses a file part. */
	assert_int_equal(read_multipart(CT, BODY, sizeof BODY - 1, 5, NULL, 1 << 20, &p, &f, &e), -1);
	assert_non_null(strstr(e.msg, "takes no files"));
	/* Fields beyond their limit; a file beyond [evidence] max_size. */
	assert_int_equal(read_multipart(CT, BODY, sizeof BODY - 1, 5, &a, 10, &p, &f, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	a.cfg.evidence_max = 15;
	assert_int_equal(read_multipart(CT, BODY, sizeof BODY - 1, 5, &a, 1 << 20, &p, &f, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	assert_int_equal(spooled(dir), 0);
	app_close(&a);
	scratch_free(dir);
}

/* Damaged bodies: bytes flipped, cut, duplicated, read in random pieces.
 * Each must parse or be refused, and leave nothing in the spool; the
 * sanitizer build catches any read outside the buffer. */
static void multipart_mutations(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	srand(7);
	size_t n = sizeof BODY - 1;
	int refused = 0;
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand() % (n + 1);
		char *b = malloc(len ? len : 1);
		memcpy(b, BODY, len);
		int flips = rand() % 4;
		for (int k = 0; k < flips && len; k++)
			b[rand() % len] = (char)(rand() % 256);
		web_params p = {0};
		web_files f = {0};
		sg_err e = {0};
		if (read_multipart(CT, b, len, 0, &a, 1 << 20, &p, &f, &e) != 0) {
			refused++;
			assert_int_equal(p.n + f.n, 0);
		}
		web_params_free(&p);
		web_files_free(&f);
		web_params u = {0};
		if (form_parse_urlencoded(b, len, &u, &e) == 0)
			web_params_free(&u);
		free(b);
	}
	assert_true(refused > 1000);
	assert_int_equal(spooled(dir), 0);
	app_close(&a);
	scratch_free(dir);
}

static void po_reader(void **state)
{
	(void)state;
	sg_err e = {0};
	const char *po = "# comment\nmsgid \"\"\nmsgstr \"Content-Type: text/plain\\n\"\n\n"
			 "msgid \"Sign in\"\nmsgstr \"Masuk\"\n\n"
			 "#, fuzzy\nmsgid \"Draft\"\nmsgstr \"Konsep\"\n\n"
			 "msgid \"Two \"\n\"lines\"\nmsgstr \"\"\n\"Dua baris\"\n";
	assert_int_equal(i18n_load_po(po, strlen(po), &e), 0);
	assert_string_equal(tr(LANG_ID, "Sign in"), "Masuk");
	assert_string_equal(tr(LANG_EN, "Sign in"), "Sign in");
	assert_string_equal(tr(LANG_ID, "Draft"), "Draft"); /* fuzzy: not used */
	assert_string_equal(tr(LANG_ID, "Two lines"), "Dua baris");
	assert_string_equal(tr(LANG_ID, "Unknown"), "Unknown");
	const char *bad = "msgid \"a\"\nmsgstr b\n";
	assert_int_equal(i18n_load_po(bad, strlen(bad), &e), -1);
	assert_non_null(strstr(e.msg, "po/id.po:2"));
	/* The shipped catalog loads and translates. */
	assert_int_equal(i18n_init(&e), 0);
	assert_true(i18n_count() > 150);
	assert_string_equal(tr(LANG_ID, "Report an incident"), "Laporkan insiden");
}

/* App errors keep their format and arguments, so a page can show them in
 * Indonesian. */
static void error_translation(void **state)
{
	(void)state;
	web_req r = {.lang = LANG_ID};
	sg_err e = {0};
	assert_int_equal(i18n_init(&e), 0);
	sg_err_set(&e, SG_EPERM, "user '%s' does not hold the role '%s' (%s) that step %d of %s needs",
		   "kabid", "petugas", "Petugas", 5, "INS-2026-0001");
	assert_string_equal(e.msg, "user 'kabid' does not hold the role 'petugas' (Petugas) that step 5 "
				   "of INS-2026-0001 needs");
	assert_string_equal(web_err(&r, &e), "pengguna 'kabid' tidak memegang peran 'petugas' (Petugas) "
					     "yang diperlukan langkah 5 pada INS-2026-0001");
	sg_err_set(&e, SG_EINVAL, "the comment is too long (%zu bytes; at most %d)", (size_t)30000, 20000);
	assert_string_equal(web_err(&r, &e), "komentar terlalu panjang (30000 bita; paling banyak 20000)");
	sg_err_set(&e, SG_EINVAL, "the value of form field '%.60s' is not valid UTF-8 text", "isi");
	assert_string_equal(web_err(&r, &e), "nilai isian formulir 'isi' bukan teks UTF-8 yang sah");
	r.lang = LANG_EN;
	assert_string_equal(web_err(&r, &e), e.msg);
	/* A prefixed message is not a msgid any more: English stays. */
	r.lang = LANG_ID;
	sg_err_set(&e, SG_EINVAL, "the comment is empty");
	sg_err_prefix(&e, "INS-2026-0001");
	assert_string_equal(web_err(&r, &e), "INS-2026-0001: the comment is empty");
	/* A prefix that is a message is translated, the message behind it too. */
	sg_err_set(&e, SG_ESTATE, "finding %lld is already %s", 4LL, "baru");
	sg_err_prefix_msgid(&e, "nothing decided");
	assert_string_equal(e.msg, "nothing decided: finding 4 is already baru");
	assert_string_equal(web_err(&r, &e),
			    "tidak ada yang diputuskan: temuan 4 sudah berstatus baru");
	/* a finding's states in words (html_finding_err) */
	assert_string_equal(html_finding_err(&r, &e),
			    "tidak ada yang diputuskan: temuan 4 sudah berstatus Baru");
	sg_err_set(&e, SG_ESTATE, "finding %lld is %s and cannot become %s; from %s it may become: %s",
		   7LL, "diperbaiki", "baru", "diperbaiki", "dibuka_kembali, risiko_diterima");
	assert_string_equal(html_finding_err(&r, &e),
			    "temuan 7 berstatus Diperbaiki dan tidak dapat menjadi Baru; dari "
			    "Diperbaiki statusnya dapat menjadi: Dibuka kembali, Risiko diterima");
	r.lang = LANG_EN;
	assert_string_equal(html_finding_err(&r, &e),
			    "finding 7 is Fixed and cannot become New; from Fixed it may become: "
			    "Reopened, Risk accepted");
	r.lang = LANG_ID;
	/* A translation with the wrong number of conversions falls back. */
	char out[200];
	sg_err_set(&e, SG_EINVAL, "no case '%s'", "X");
	assert_string_equal(sg_err_localize(&e, "tidak ada %s %s", out, sizeof out), "no case 'X'");
}

static void router(void **state)
{
	(void)state;
	char *arg;
	bool mismatch;
	const web_route *rt = router_match("GET", "/kasus/INS-2026-0001", &arg, &mismatch);
	assert_non_null(rt);
	assert_string_equal(rt->pattern, "/kasus/{ticket}");
	assert_string_equal(arg, "INS-2026-0001");
	free(arg);
	rt = router_match("GET", "/kasus/baru", &arg, &mismatch);
	assert_string_equal(rt->pattern, "/kasus/baru");
	assert_null(arg);
	assert_null(router_match("DELETE", "/kasus", &arg, &mismatch));
	assert_true(mismatch);
	assert_null(router_match("GET", "/kasus/a/b/c", &arg, &mismatch));
	assert_false(mismatch);
	assert_non_null(router_match("HEAD", "/healthz", &arg, &mismatch));
	/* Every route is unique and every pattern starts with '/'. */
	for (size_t i = 0; i < web_n_routes; i++) {
		assert_int_equal(web_routes[i].pattern[0], '/');
		for (size_t k = 0; k < i; k++)
			assert_false(strcmp(web_routes[i].method, web_routes[k].method) == 0 &&
				     strcmp(web_routes[i].pattern, web_routes[k].pattern) == 0);
	}
}

static void local_paths(void **state)
{
	(void)state;
	assert_true(webutil_local_path("/kasus?x=1"));
	assert_false(webutil_local_path("//evil.example/"));
	assert_false(webutil_local_path("/\\evil.example"));
	assert_false(webutil_local_path("https://evil.example/"));
	assert_false(webutil_local_path("/a\r\nSet-Cookie: x"));
	int64_t v;
	assert_true(webutil_int("42", 1, 100, &v) && v == 42);
	assert_false(webutil_int("42x", 1, 100, &v));
	assert_false(webutil_int("101", 1, 100, &v));
	assert_false(webutil_int("", 1, 100, &v));
	buf b = BUF_INIT;
	webutil_urlencode(&b, "/kasus/INS-2026-0001 x&y=é", true);
	assert_string_equal(buf_str(&b), "/kasus/INS-2026-0001%20x%26y%3D%C3%A9");
	buf_reset(&b);
	webutil_urlencode(&b, "a/b", false);
	assert_string_equal(buf_str(&b), "a%2Fb");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urlencoded), cmocka_unit_test(multipart),
		cmocka_unit_test(multipart_mutations), cmocka_unit_test(po_reader),
		cmocka_unit_test(error_translation),
		cmocka_unit_test(router), cmocka_unit_test(local_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
