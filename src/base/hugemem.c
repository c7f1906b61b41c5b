/*
 * hugemem.c: memory for tables read at random, in huge pages (hugemem.h
 * says why).
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "base/hugemem.h"

void *hugemem_alloc(size_t n, int round_up)
{
	if (n < HUGEMEM_PAGE) {
		void *p = NULL;
		return posix_memalign(&p, 64, n ? n : 1) == 0 ? p : NULL;
	}
	size_t pages = n / HUGEMEM_PAGE;
	if (round_up && n % HUGEMEM_PAGE)
		pages++;
	size_t len = round_up ? pages * HUGEMEM_PAGE : n;
	/* aligned_alloc wants a multiple of the alignment */
	void *p = aligned_alloc(HUGEMEM_PAGE, (len + HUGEMEM_PAGE - 1) / HUGEMEM_PAGE * HUGEMEM_PAGE);
	if (p == NULL)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, pages * HUGEMEM_PAGE, MADV_HUGEPAGE); /* advice only */
#endif
	return p;
}
