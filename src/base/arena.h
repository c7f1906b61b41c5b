/*
 * arena.h: a bump allocator for objects that live and die together.
 *
 * A loaded SOP is hundreds of small strings and arrays that are freed at
 * once; allocating them from one arena makes the loader's error paths
 * trivial (free the arena) and the ownership obvious (the arena owns all).
 * Allocation is O(1); memory is returned only by arena_free.
 */
#ifndef SG_ARENA_H
#define SG_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
	arena_chunk *head;
	size_t used; /* bytes used in head */
	size_t cap;  /* bytes available in head */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);

/* Zeroed memory aligned for any type; aborts on out-of-memory, since
 * the arena serves small bounded documents. */
void *arena_alloc(arena *a, size_t n);
void *arena_calloc(arena *a, size_t count, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);

#endif
