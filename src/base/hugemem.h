/*
 * hugemem.h: memory for tables read at random, in huge pages.
 *
 * A table of megabytes read a cache line here and there (the indicator
 * set's hash slots and Bloom filters, a Hyperscan database of thousands
 * of patterns) costs with 4 KiB pages a TLB miss and a page walk at most
 * reads, and a page walk is dearer still in a virtual machine (two levels
 * of tables). In 2 MiB pages a few TLB entries cover it. Linux backs a
 * region with transparent huge pages when it is 2 MiB-aligned and advised
 * (madvise MADV_HUGEPAGE) before its first touch, in its "madvise" and
 * "always" modes; elsewhere the advice does nothing and the memory is
 * ordinary.
 */
#ifndef SG_HUGEMEM_H
#define SG_HUGEMEM_H

#include <stddef.h>

enum { HUGEMEM_PAGE = 2 << 20 };

/* n bytes, not zeroed, 64-byte aligned, freed with free(); NULL when
 * there is no memory. From HUGEMEM_PAGE bytes up the block is aligned to
 * it and its whole huge pages are advised as such; with round_up its
 * tail is too (the block then takes whole huge pages: at most 2 MiB
 * more), else the tail past the last whole huge page stays in small
 * pages and nothing is held beyond the n bytes. */
void *hugemem_alloc(size_t n, int round_up);

#endif
