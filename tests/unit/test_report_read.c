/*
 * test_report_read.c: a scanner report on the machine's own disk, read
 * once by its parser and into the evidence spool together (evidence_tee.c,
 * vuln_import_read): the store keeps exactly the bytes of the file, under
 * their SHA-256, whatever the parser read of them; the head the parser
 * reads twice is read from the file once; a failed import keeps nothing,
 * neither a file nor the provisional evidence row the import named while
 * the file was being read.
 */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/findings.h"
#include "base/hash.h"
#include "findings_fixture.h"

static int setup(void **state)
{
	fixture *f = ff_open("Situs Dinkes", "dinkes.example.go.id");
	test_user(&f->a, "tia", "ttis");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	ff_close(*state);
	return 0;
}

/* text written to dir/name; the path into out. */
static void write_file(const char *dir, const char *name, const char *text, size_t n, char *out,
                       size_t cap)
{
	snprintf(out, cap, "%s/%s", dir, name);
	FILE *fp = fopen(out, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* The whole content of path, malloc'd, its length in *n. */
static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	rewind(fp);
	char *s = malloc((size_t)len + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = (size_t)len;
	return s;
}

/* The file at path holds n bytes, those of text. */
static void assert_file_holds(const char *path, const char *text, size_t n)
{
	size_t kn;
	char *kept = slurp(path, &kn);
	assert_int_equal(kn, n);
	assert_memory_equal(kept, text, n);
	free(kept);
}

static int64_t rows(app *a, const char *sql)
{
	sg_err e = {0};
	int64_t n = -1;
	assert_int_equal(db_query_int(a->db, &e, &n, sql, ""), DB_ROW);
	return n;
}

/* Files in the evidence spool other than the process's lock. */
static int spooled_files(app *a)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/.spool", a->cfg.evidence_dir);
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] != '.' && !(len > 5 && strcmp(de->d_name + len - 5, ".lock") == 0))
			n++;
	}
	closedir(d);
	return n;
}

static int import_path(fixture *f, const char *path, const char *shown, vuln_import_summary *sum,
                       sg_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	vuln_import_req req = {.actor = "tia", .origin = "test", .filename = "laporan.jsonl",
	                       .shown_as = shown, .scanner = VULN_AUTO};
	return vuln_import_read(&f->a, &req, fd, sum, e);
}

/* A report of a megabyte, read from disk: every result stored, and the
 * store keeps the file byte for byte under its SHA-256, named by the
 * import's row; nothing provisional is left. */
static void test_a_report_on_disk_is_kept_as_it_was_read(void **state)
{
	fixture *f = *state;
	char *text = ff_nuclei_lines(5000, ff_outside, SIZE_MAX);
	size_t n = strlen(text);
	assert_true(n > 2 * (256 << 10)); /* past the kept head, in many reads */
	char path[4200];
	write_file(f->dir, "laporan.jsonl", text, n, path, sizeof path);
	char sha[SHA256_HEX_LEN + 1];
	sha256_hex(text, n, sha);

	vuln_import_summary sum;
	sg_err e = {0};
	if (import_path(f, path, "laporan.jsonl", &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	assert_int_equal(sum.results, 5000);
	assert_int_equal(sum.new_count, 5000);

	db_stmt *st;
	assert_int_equal(db_prepare_bind(f->a.db, &st, &e,
	                                 "SELECT sha256, size FROM vuln_imports WHERE id = ?", "i",
	                                 sum.import_id),
	                 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	assert_string_equal(db_col_text(st, 0), sha);
	assert_int_equal(db_col_int(st, 1), (int64_t)n);
	db_finalize(st);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM evidence WHERE sha256 LIKE 'pending:%'"),
	                 0);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM evidence e JOIN vuln_imports i "
	                             "ON i.sha256 = e.sha256"),
	                 1);
	char kept[4400];
	assert_int_equal(evidence_path(&f->a, sha, kept, sizeof kept), 0);
	assert_file_holds(kept, text, n);
	assert_int_equal(spooled_files(&f->a), 0);
	/* the same file again: its content is stored once */
	if (import_path(f, path, "laporan.jsonl", &sum, &e) != 0)
		fail_msg("import again: %s", e.msg);
	assert_int_equal(sum.seen_again, 5000);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM evidence"), 1);
	assert_int_equal(rows(&f->a, "SELECT COUNT(DISTINCT sha256) FROM vuln_imports"), 1);
	free(text);
}

/* A report cut short after thousands of results: refused, named as the
 * officer named it, and nothing kept: no finding, no import, no evidence
 * row (provisional or not), no file in the store or the spool. */
static void test_a_failed_read_keeps_nothing(void **state)
{
	fixture *f = *state;
	char *text = ff_nuclei_lines(4000, ff_outside, 3500);
	char path[4200];
	write_file(f->dir, "rusak.jsonl", text, strlen(text), path, sizeof path);
	char sha[SHA256_HEX_LEN + 1];
	sha256_hex(text, strlen(text), sha);
	free(text);
	vuln_import_summary sum;
	sg_err e = {0};
	assert_int_equal(import_path(f, path, "/srv/laporan/rusak.jsonl", &sum, &e), -1);
	assert_non_null(strstr(e.msg, "/srv/laporan/rusak.jsonl"));
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM findings"), 0);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM vuln_imports"), 0);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM evidence"), 0);
	char kept[4400];
	assert_int_equal(evidence_path(&f->a, sha, kept, sizeof kept), 0);
	assert_int_not_equal(access(kept, F_OK), 0);
	assert_int_equal(spooled_files(&f->a), 0);
}

/* A Greenbone XML report, whose head the parser reads twice (the format
 * told from it, then the XML reader from the start): the results and the
 * kept file are those of the file. */
static void test_an_xml_report_read_from_disk(void **state)
{
	fixture *f = *state;
	char path[4200];
	snprintf(path, sizeof path, "%s/tests/data/vuln/scanners/openvas_gmp.xml", SIGAP_SOURCE_ROOT);
	size_t n;
	char *text = slurp(path, &n);
	char sha[SHA256_HEX_LEN + 1];
	sha256_hex(text, n, sha);
	free(text);
	vuln_import_summary sum;
	sg_err e = {0};
	if (import_path(f, path, "openvas_gmp.xml", &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	assert_true(sum.results > 0);
	assert_int_equal(sum.scanner, VULN_OPENVAS);
	/* the same report spooled first and parsed from the spool gives the
	 * same results */
	evidence_file file;
	char *again = slurp(path, &n);
	assert_int_equal(evidence_spool_data(&f->a, again, n, &file, &e), 0);
	free(again);
	vuln_import_req req = {.actor = "tia", .origin = "test", .file = &file,
	                       .filename = "openvas_gmp.xml", .scanner = VULN_AUTO};
	vuln_import_summary sum2;
	if (vuln_import_spooled(&f->a, &req, &sum2, &e) != 0)
		fail_msg("spooled: %s", e.msg);
	assert_int_equal(sum2.results, sum.results);
	assert_int_equal(sum2.seen_again + sum2.repeated, sum.new_count + sum.repeated);
	/* and parsed on the caller's thread, each text's digest computed
	 * there rather than on the parser's: the same texts, none added */
	int64_t texts = rows(&f->a, "SELECT COUNT(*) FROM finding_texts");
	assert_true(texts > 0);
	vuln_report_info info = {0};
	req.file = NULL;
	vuln_import *im = vuln_import_begin(&f->a, &req, &e);
	assert_non_null(im);
	assert_int_equal(vuln_parse_file(path, VULN_AUTO, vuln_import_result, im, &info, &e), 0);
	assert_int_equal(evidence_spool_data(&f->a, "x", 1, &file, &e), 0);
	assert_int_equal(vuln_import_keep(im, &file, &e), 0);
	vuln_import_summary sum3;
	if (vuln_import_end(im, &info, &sum3, &e) != 0)
		fail_msg("direct: %s", e.msg);
	vuln_report_info_free(&info);
	assert_int_equal(sum3.new_count, 0);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM finding_texts"), texts);
	assert_int_equal(rows(&f->a, "SELECT COUNT(*) FROM evidence"), 2);
	char kept[4400];
	assert_int_equal(evidence_path(&f->a, sha, kept, sizeof kept), 0);
	assert_int_equal(access(kept, R_OK), 0);
}

/* The tee itself: the head read again comes from memory, a seek back is
 * refused once the reader is past it, and what the reader left unread is
 * kept at close. */
static void test_the_tee_reads_the_head_again_and_keeps_the_rest(void **state)
{
	fixture *f = *state;
	size_t n = 600 << 10;
	char *text = malloc(n);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		text[i] = (char)('a' + (i * 7 + i / 1000) % 26);
	char path[4200];
	write_file(f->dir, "mentah.bin", text, n, path, sizeof path);
	sg_err e = {0};

	/* read a head, back to the start, read it all */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	evidence_tee *t = evidence_tee_open(&f->a, fd, "mentah.bin", &e);
	assert_non_null(t);
	FILE *s = evidence_tee_stream(t);
	char head[4096];
	assert_int_equal(fread(head, 1, sizeof head, s), sizeof head);
	assert_memory_equal(head, text, sizeof head);
	assert_int_equal(fseek(s, 0, SEEK_SET), 0);
	char *all = malloc(n + 1);
	assert_non_null(all);
	assert_int_equal(fread(all, 1, n + 1, s), n);
	assert_memory_equal(all, text, n);
	assert_int_not_equal(fseek(s, 0, SEEK_SET), 0); /* past the head: no way back */
	evidence_file out = {{0}};
	assert_int_equal(evidence_tee_close(t, &out, &e), 0);
	char sha[SHA256_HEX_LEN + 1];
	sha256_hex(text, n, sha);
	assert_string_equal(out.sha256, sha);
	assert_int_equal(out.size, (int64_t)n);
	assert_file_holds(out.path, text, n);
	evidence_file_discard(&out);

	/* a reader that stops after ten bytes: the whole file is kept */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	t = evidence_tee_open(&f->a, fd, "mentah.bin", &e);
	assert_non_null(t);
	assert_int_equal(fread(head, 1, 10, evidence_tee_stream(t)), 10);
	assert_int_equal(evidence_tee_close(t, &out, &e), 0);
	assert_string_equal(out.sha256, sha);
	assert_file_holds(out.path, text, n);
	evidence_file_discard(&out);

	/* abandoned: nothing stays in the spool */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	t = evidence_tee_open(&f->a, fd, "mentah.bin", &e);
	assert_non_null(t);
	assert_int_equal(fread(all, 1, n, evidence_tee_stream(t)), n);
	assert_false(evidence_tee_failed(t, &e));
	evidence_tee_abort(t);
	assert_int_equal(spooled_files(&f->a), 0);
	free(all);
	free(text);
}

/* A file that changes while it is read: one written to past the size it
 * was opened with, or cut short, fails, and nothing of it is kept (the
 * store never keeps bytes the parser did not read); a pipe is read once,
 * as a file is. */
static void test_a_file_that_changes_is_refused_and_a_pipe_read_once(void **state)
{
	fixture *f = *state;
	char *text = ff_nuclei_lines(5000, ff_outside, SIZE_MAX);
	size_t n = strlen(text);
	char path[4200];
	write_file(f->dir, "berubah.jsonl", text, n, path, sizeof path);
	sg_err e = {0};
	char *all = malloc(n + 64);
	assert_non_null(all);

	/* written to after the parser read it all */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	evidence_tee *t = evidence_tee_open(&f->a, fd, "berubah.jsonl", &e);
	assert_non_null(t);
	assert_int_equal(fread(all, 1, n + 64, evidence_tee_stream(t)), n);
	FILE *more = fopen(path, "ab");
	assert_non_null(more);
	fputs("{\"template-id\":\"sisipan\"}\n", more);
	fclose(more);
	evidence_file out = {{0}};
	assert_int_equal(evidence_tee_close(t, &out, &e), -1);
	assert_int_equal(e.code, SG_ECONFLICT);
	assert_string_equal(e.msg, "berubah.jsonl grew while it was read; import it again once it "
	                           "is whole");
	assert_int_equal(spooled_files(&f->a), 0);

	/* cut short while read: the stream fails, and says why */
	write_file(f->dir, "berubah.jsonl", text, n, path, sizeof path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	t = evidence_tee_open(&f->a, fd, "berubah.jsonl", &e);
	assert_non_null(t);
	assert_int_equal(fread(all, 1, 1000, evidence_tee_stream(t)), 1000);
	assert_int_equal(truncate(path, 300 << 10), 0);
	assert_true(fread(all, 1, n, evidence_tee_stream(t)) < n);
	assert_true(evidence_tee_failed(t, &e));
	assert_string_equal(e.msg, "berubah.jsonl was cut short while it was read; import it again "
	                           "once it is whole");
	evidence_tee_abort(t);
	assert_int_equal(spooled_files(&f->a), 0);

	/* a pipe: the report imported, the bytes kept, the source read once */
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(p[0]);
		size_t done = 0;
		while (done < n) {
			ssize_t w = write(p[1], text + done, n - done);
			if (w <= 0)
				_exit(1);
			done += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	vuln_import_req req = {.actor = "tia", .origin = "test", .filename = "pipa",
	                       .scanner = VULN_AUTO};
	vuln_import_summary sum;
	if (vuln_import_read(&f->a, &req, p[0], &sum, &e) != 0)
		fail_msg("pipe: %s", e.msg);
	int status = 0;
	waitpid(child, &status, 0);
	assert_int_equal(sum.results, 5000);
	char sha[SHA256_HEX_LEN + 1], kept[4400];
	sha256_hex(text, n, sha);
	assert_int_equal(evidence_path(&f->a, sha, kept, sizeof kept), 0);
	assert_file_holds(kept, text, n);
	free(all);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_a_report_on_disk_is_kept_as_it_was_read),
	    T(test_a_failed_read_keeps_nothing),
	    T(test_an_xml_report_read_from_disk),
	    T(test_the_tee_reads_the_head_again_and_keeps_the_rest),
	    T(test_a_file_that_changes_is_refused_and_a_pipe_read_once),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
