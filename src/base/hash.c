/*
 * hash.c: SHA-256 and random tokens through libsodium (see hash.h).
 */
#include "hash.h"

#include <sodium.h>
#include <stdlib.h>

struct sha256_ctx {
	crypto_hash_sha256_state st;
};

int hash_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

static void to_hex(const unsigned char *d, char out[SHA256_HEX_LEN + 1])
{
	sodium_bin2hex(out, SHA256_HEX_LEN + 1, d, crypto_hash_sha256_BYTES);
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, len);
	to_hex(d, out);
}

sha256_ctx *sha256_new(void)
{
	sha256_ctx *c = malloc(sizeof *c);
	if (c == NULL)
		abort();
	crypto_hash_sha256_init(&c->st);
	return c;
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
	crypto_hash_sha256_update(&c->st, data, len);
}

void sha256_final_hex(sha256_ctx *c, char out[SHA256_HEX_LEN + 1])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&c->st, d);
	to_hex(d, out);
	free(c);
}

void random_token(char *out, size_t n)
{
	/* 31 symbols: no 0/o, 1/l/i, so a token read aloud survives. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	const uint32_t k = sizeof alphabet - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(k)];
	out[n] = '\0';
}
