/*
 * arena.c: chunked bump allocator (see arena.h). Chunks grow to at least
 * 16 KiB; a request larger than that gets a chunk of its own.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	arena_chunk *next;
	max_align_t data[];
};

enum { ARENA_CHUNK = 16 * 1024 };

void arena_init(arena *a)
{
	a->head = NULL;
	a->used = a->cap = 0;
}

void arena_free(arena *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}

void *arena_alloc(arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2) {
		fputs("arena: allocation too large\n", stderr);
		abort();
	}
	n = (n + align - 1) & ~(align - 1);
	if (a->head == NULL || a->cap - a->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		arena_chunk *c = malloc(sizeof *c + cap);
		if (c == NULL) {
			fputs("arena: out of memory\n", stderr);
			abort();
		}
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->cap = cap;
	}
	void *p = (char *)a->head->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		fputs("arena: allocation too large\n", stderr);
		abort();
	}
	return arena_alloc(a, count * size);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}
