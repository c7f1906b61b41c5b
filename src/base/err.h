/*
 * err.h: the error value every sigap library function returns.
 *
 * Library code never prints and never exits: it returns -1 and fills an
 * sg_err with an enumerated code (what kind of failure, for exit codes and
 * HTTP statuses) and a message a person can act on, e.g.
 * "sops/insiden.yaml:42:7: step 4 has no actor". The command line and the
 * web layer decide how to show it.
 */
#ifndef SG_ERR_H
#define SG_ERR_H

#include <stddef.h>

typedef enum {
	SG_OK = 0,
	SG_EINVAL,    /* bad input from the user or a file */
	SG_ENOTFOUND, /* the named thing does not exist */
	SG_EPERM,     /* the actor may not do this */
	SG_ESTATE,    /* not allowed in the current state (closed case, …) */
	SG_ECONFLICT, /* already exists */
	SG_EIO,       /* file or system error */
	SG_EDB,       /* database error */
	SG_ESCHEMA,   /* database schema is newer than this binary */
	SG_ENOMEM,
	SG_EINTEGRITY, /* a check of stored data failed (logbook chain) */
	SG_ETOOBIG,    /* larger than a configured limit */
	SG_EBUSY       /* a shared limit is reached for now; try again later */
} sg_code;

enum { SG_ERR_ARGS = 6 };

typedef struct sg_err {
	sg_code code;
	char msg[1024];
	/* For translation: the message's format (its msgid, a string
	 * literal) and each argument as it was printed; fmt is NULL when the
	 * message cannot be rebuilt (prefixed, or too many arguments). */
	const char *fmt;
	char args[SG_ERR_ARGS][200];
	int n_args;
	/* A prefix that is itself a message (sg_err_prefix_msgid): the
	 * message stays translatable, the prefix translated before it. */
	const char *pre;
} sg_err;

/* Fills e (when not NULL) and returns -1, so callers can write
 * `return sg_err_set(e, SG_EINVAL, "…", …);`. */
int sg_err_set(sg_err *e, sg_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the message already in e with "prefix: ". Returns -1. */
int sg_err_prefix(sg_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefixes the message with "msgid: " (a string literal, translated on the
 * pages with the message behind it). Returns -1. */
int sg_err_prefix_msgid(sg_err *e, const char *msgid);

void sg_err_clear(sg_err *e);
/* The message rebuilt from a translation of e->fmt (same conversions in
 * the same order) and the saved arguments; falls back to e->msg when the
 * translation does not fit. Returns out. */
const char *sg_err_localize(const sg_err *e, const char *translated_fmt, char *out, size_t n);

/* A short English name of the code ("invalid input", "not found", …). */
const char *sg_code_name(sg_code code);

#endif
