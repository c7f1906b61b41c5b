/*
 * hash.h: SHA-256 in lowercase hex (libcrypto), random tokens
 * (libsodium), and the value of a hex digit (the decoders of URLs,
 * quoted-printable and auditd's hex fields).
 * Used by the logbook chain, evidence storage and SOP versions.
 */
#ifndef SG_HASH_H
#define SG_HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Must be called once before any other function here (calls sodium_init). */
int hash_init(void);

/* out receives 64 hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

/* Streaming form for files. */
typedef struct sha256_ctx sha256_ctx;
sha256_ctx *sha256_new(void);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final_hex(sha256_ctx *c, char out[SHA256_HEX_LEN + 1]); /* frees c */
/* Frees a context not finished (an abandoned file); NULL is allowed. */
void sha256_free(sha256_ctx *c);

/* The 31 symbols of codes people read aloud and type (tokens, tracking,
 * verification and reply codes): no 0/O, 1/I/L; lower and upper case. */
#define CODE_ALPHABET_LOWER "abcdefghjkmnpqrstuvwxyz23456789"
#define CODE_ALPHABET_UPPER "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

/* n random characters from an unambiguous alphabet, NUL-terminated. */
void random_token(char *out, size_t n);

/* The value of hex digit c (either case), or -1. */
static inline int hex_digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif
