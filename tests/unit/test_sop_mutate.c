/*
 * test_sop_mutate.c: the SOP loader survives damaged input. Each seed is
 * damaged thousands of ways with a fixed seed (bytes flipped, deleted,
 * duplicated, cut short, random bytes inserted) and loaded; every result
 * must be an SOP or a diagnostic with a place, never a crash, a hang or
 * (in the sanitizer build) a memory error. A deterministic cousin of a
 * fuzzer that runs in every `make test`.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void mutate_and_load(const char *rel, int rounds)
{
	size_t len;
	char *orig = read_all(src_path(rel), &len);
	assert_non_null(orig);
	char *m = malloc(len * 2 + 64);
	int loaded = 0, refused = 0;
	for (int r = 0; r < rounds; r++) {
		memcpy(m, orig, len);
		size_t n = len;
		int edits = 1 + (int)(next_rand() % 4);
		for (int k = 0; k < edits && n > 0; k++) {
			size_t at = next_rand() % n;
			switch (next_rand() % 5) {
			case 0: m[at] = (char)next_rand(); break;                    /* flip */
			case 1: memmove(m + at, m + at + 1, n - at - 1); n--; break; /* delete */
			case 2: /* duplicate a run */
				if (n + 16 < len * 2) {
					memmove(m + at + 16, m + at, n - at);
					n += 16;
				}
				break;
			case 3: n = at; break; /* cut short */
			default: m[at] = "-:{}[]&*!|>'\"#\n "[next_rand() % 16]; /* YAML syntax */
			}
		}
		diags d = DIAGS_INIT;
		sop *s = sop_load(m, n, "mutated.yaml", &d);
		if (s) {
			loaded++;
			sop_free(s);
		} else {
			assert_true(d.n >= 1);
			assert_non_null(d.v[0].msg);
			refused++;
		}
		diags_free(&d);
	}
	assert_int_equal(loaded + refused, rounds);
	assert_true(refused > 0);
	free(m);
	free(orig);
}

static void test_seeds_mutated(void **state)
{
	(void)state;
	const char *seeds[] = {"sops/insiden.yaml", "sops/cti.yaml", "sops/patch.yaml",
			       "sops/pengecualian.yaml", "sops/kebijakan.yaml"};
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		mutate_and_load(seeds[i], 1500);
}

static void test_random_bytes(void **state)
{
	(void)state;
	char b[512];
	for (int r = 0; r < 2000; r++) {
		size_t n = next_rand() % sizeof b;
		for (size_t i = 0; i < n; i++)
			b[i] = (char)next_rand();
		diags d = DIAGS_INIT;
		sop *s = sop_load(b, n, "noise.yaml", &d);
		assert_null(s);
		diags_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds_mutated),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
