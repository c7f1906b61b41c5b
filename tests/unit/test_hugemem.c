/*
 * test_hugemem.c: memory for tables read at random (src/base/hugemem.c):
 * alignment by size, whole huge pages when asked, and that Linux really
 * backs an advised block with huge pages when its mode allows it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/hugemem.h"

static void small_blocks_are_cache_aligned(void **state)
{
	(void)state;
	size_t sizes[] = {0, 1, 63, 4096, HUGEMEM_PAGE - 1};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = hugemem_alloc(sizes[i], 1);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 64, 0);
		memset(p, 0xA5, sizes[i]);
		free(p);
	}
}

static void large_blocks_start_on_a_huge_page(void **state)
{
	(void)state;
	size_t sizes[] = {HUGEMEM_PAGE, HUGEMEM_PAGE + 1, 5 * HUGEMEM_PAGE / 2};
	for (int up = 0; up < 2; up++)
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			unsigned char *p = hugemem_alloc(sizes[i], up);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % HUGEMEM_PAGE, 0);
			memset(p, 0x5A, sizes[i]);
			assert_int_equal(p[sizes[i] - 1], 0x5A);
			free(p);
		}
}

/* The kB of huge pages in the mapping that holds p (/proc/self/smaps);
 * -1 when it cannot be told. */
static long huge_kb_at(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (f == NULL)
		return -1;
	char line[512];
	long kb = -1;
	int inside = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (inside && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static void linux_backs_it_with_huge_pages(void **state)
{
	(void)state;
	char mode[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f == NULL || fgets(mode, sizeof mode, f) == NULL ||
	    (strstr(mode, "[madvise]") == NULL && strstr(mode, "[always]") == NULL)) {
		if (f)
			fclose(f);
		skip(); /* no transparent huge pages here: the advice does nothing */
	}
	fclose(f);
	size_t n = 2 * HUGEMEM_PAGE + 4096;
	unsigned char *p = hugemem_alloc(n, 1);
	assert_non_null(p);
	memset(p, 1, n);
	/* with the advice, the kernel compacts memory for the pages when it
	 * must ("defer+madvise" and "madvise" defrag modes, the defaults) */
	long kb = huge_kb_at(p);
	assert_true(kb >= 2 * HUGEMEM_PAGE / 1024);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(small_blocks_are_cache_aligned),
	    cmocka_unit_test(large_blocks_start_on_a_huge_page),
	    cmocka_unit_test(linux_backs_it_with_huge_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
