/*
 * hash.c: SHA-256 and random tokens (see hash.h).
 *
 * SHA-256 through OpenSSL's libcrypto (EVP), which uses the processor's
 * SHA instructions where it has them: a scanner report of 200 MB is
 * hashed as it is received or imported, and libsodium's portable
 * SHA-256 took a tenth of an import (bench/vuln.sh) where libcrypto
 * takes a fortieth. Random tokens stay libsodium's.
 */
#include "hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>

enum { SHA256_BYTES = 32 };

struct sha256_ctx {
	EVP_MD_CTX *md;
};

int hash_init(void)
{
	/* No cleanup of libcrypto at exit: a process that exits on an error
	 * while another thread hashes (a server refusing its options as a
	 * worker opens the store) would have that thread use freed state.
	 * The first initialisation decides it, so this comes before libcurl's. */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL) != 1)
		return -1;
	return sodium_init() < 0 ? -1 : 0;
}

static void to_hex(const unsigned char *d, char out[SHA256_HEX_LEN + 1])
{
	sodium_bin2hex(out, SHA256_HEX_LEN + 1, d, SHA256_BYTES);
}

/* libcrypto fails here only out of memory: as malloc's failure, fatal */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char d[SHA256_BYTES];
	if (EVP_Digest(data, len, d, NULL, EVP_sha256(), NULL) != 1)
		abort();
	to_hex(d, out);
}

sha256_ctx *sha256_new(void)
{
	sha256_ctx *c = malloc(sizeof *c);
	if (c == NULL || (c->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1)
		abort();
	return c;
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
	if (EVP_DigestUpdate(c->md, data, len) != 1)
		abort();
}

void sha256_final_hex(sha256_ctx *c, char out[SHA256_HEX_LEN + 1])
{
	unsigned char d[SHA256_BYTES];
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(c->md, d, &n) != 1 || n != SHA256_BYTES)
		abort();
	to_hex(d, out);
	sha256_free(c);
}

void sha256_free(sha256_ctx *c)
{
	if (c == NULL)
		return;
	EVP_MD_CTX_free(c->md);
	free(c);
}

void random_token(char *out, size_t n)
{
	static const char alphabet[] = CODE_ALPHABET_LOWER;
	const uint32_t k = sizeof alphabet - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(k)];
	out[n] = '\0';
}
