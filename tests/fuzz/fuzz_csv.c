/* fuzz_csv.c: CSV records (base/csv.c) and the register's identifiers
 * (app/asset_ident.c): no crash on any input, every field of a record
 * read back whole after csv_put writes it, and every identifier the
 * parsers accept written back in a form they accept again unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/asset_ident.h"
#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

static void identifiers(const char *f)
{
	sg_err e;
	asset_addr ad, ad2;
	if (asset_addr_parse(f, &ad, &e) == 0) {
		if (asset_addr_parse(ad.value, &ad2, &e) != 0 || strcmp(ad.value, ad2.value) != 0 ||
		    strcmp(ad.lo, ad2.lo) != 0 || strcmp(ad.hi, ad2.hi) != 0 || strcmp(ad.lo, ad.hi) > 0)
			abort();
	}
	asset_url u, u2;
	if (asset_url_parse(f, &u, &e) == 0) {
		char again[sizeof u.origin + sizeof u.path];
		strcpy(again, u.origin);
		strcat(again, u.path);
		if (asset_url_parse(again, &u2, &e) != 0 || strcmp(u.origin, u2.origin) != 0 ||
		    strcmp(u.path, u2.path) != 0 || !asset_path_covers(u.path, u2.path))
			abort();
	}
	char h[ASSET_HOST_MAX + 1], h2[ASSET_HOST_MAX + 1];
	if (asset_host_norm(f, h, &e) == 0 && (asset_host_norm(h, h2, &e) != 0 || strcmp(h, h2) != 0))
		abort();
	(void)asset_cpe_check(f, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	csv_reader r;
	csv_open(&r, (const char *)data, n);
	sg_err e;
	buf out = BUF_INIT;
	for (int rec = 0; rec < 16 && csv_next(&r, &e) == 1; rec++) {
		for (size_t i = 0; i < r.n; i++)
			identifiers(r.field[i]);
		if (r.n < 2)
			continue; /* one empty field is a blank line */
		buf_reset(&out);
		for (size_t i = 0; i < r.n; i++) {
			if (i)
				buf_putc(&out, ',');
			csv_put(&out, r.field[i], ',');
		}
		csv_reader back;
		csv_open(&back, out.data, out.len);
		if (csv_next(&back, &e) != 1 || back.n != r.n)
			abort();
		for (size_t i = 0; i < r.n; i++)
			if (strcmp(csv_unguard(back.field[i]), r.field[i]) != 0)
				abort();
		csv_close(&back);
	}
	buf_free(&out);
	csv_close(&r);
	return 0;
}
