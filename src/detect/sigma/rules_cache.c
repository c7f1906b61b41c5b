/*
 * rules_cache.c: the compiled pattern databases of a rule set kept on
 * disk, so that a start with unchanged rules deserializes them instead of
 * compiling them again (the 1,590 SigmaHQ rules take seconds to compile
 * and milliseconds to read back).
 *
 * The key is a SHA-256 over exactly what compile.c hands Hyperscan: each
 * pattern's index (its Hyperscan id), slot, flags, expression (and its
 * factor's strings, which go in its place) and the logsource entries it
 * serves (which decide the database it goes to),
 * plus the number of slots, this file's format, sigap's version,
 * Hyperscan's version and the platform Hyperscan reports (tuning and CPU
 * features). Patterns left to PCRE2 before compiling (short ones that
 * wake no rule) and those no entry feeds are not in it.
 * Rule files, the mapping and whatever the loader does with them reach
 * the databases only through the patterns, so any change there that
 * changes a database changes the key; one that does not (a title, a
 * level) keeps the cache. A key is a file, DIR/KEY.hsdb:
 *
 *   "SGHSDB6\n"   magic and format (3: anchored literals left out; 4: a
 *                 slot's databases grouped by product, compile_slot; 5: a
 *                 pattern's factor scanned instead of it, factor.c; 6: a
 *                 slot's literal set left out, literal_set.c)
 *   KEY           64 hex digits, the file's own name again
 *   u32 slots, u32 patterns
 *   u8 state a pattern: 0 Hyperscan runs it, 1 prefilter + PCRE2, 2 PCRE2
 *                       only (what the compile loop decided)
 *   u32 databases, then each: u32 slot (in order), the 32 bytes of the
 *                       logsource entries it serves, u64 length, then
 *                       hs_serialize_database's bytes
 *   64 hex digits: SHA-256 of everything above
 *
 * Nothing in the file is taken on trust: the checksum, the key, the
 * counts, each state and length are checked before Hyperscan sees a
 * byte, and Hyperscan checks its own version and platform. Any mismatch
 * is a miss: the set is compiled and the file written again, to a
 * temporary name and renamed, so a reader never sees half a file (a torn
 * write after a power cut fails the checksum). The checksum guards
 * against accidents, not against someone who can write the directory:
 * the directory must be as private as the database beside it.
 *
 * Old keys are removed when more than CACHE_KEEP files are there, the
 * least recently used first (a hit touches its file). Costs: hashing the
 * patterns, O(bytes of patterns); reading, O(file).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/hash.h"
#include "detect/sigma/rules_cache.h"

#ifndef SIGAP_VERSION
#define SIGAP_VERSION "dev"
#endif

enum { CACHE_KEEP = 16 };
#define CACHE_MAGIC "SGHSDB6\n"
#define CACHE_EXT ".hsdb"
/* A cache file larger than this is not read (SigmaHQ's is a few MB). */
#define CACHE_FILE_MAX ((size_t)512 << 20)

struct rules_cache {
	char *dir;
	char key[SHA256_HEX_LEN + 1];
	bool keyed; /* key holds the key of this set's patterns */
	det_cache_state state;
	char note[768];
};

void det_rules_set_cache(det_rules *rs, const char *dir)
{
	rules_cache_free(rs->cache);
	rs->cache = NULL;
	if (dir == NULL || *dir == '\0')
		return;
	rs->cache = calloc(1, sizeof *rs->cache);
	if (rs->cache == NULL || (rs->cache->dir = strdup(dir)) == NULL)
		abort();
}

det_cache_state det_rules_cache_state(const det_rules *rs, const char **note)
{
	if (note)
		*note = rs->cache && rs->cache->note[0] ? rs->cache->note : NULL;
	return rs->cache ? rs->cache->state : DET_CACHE_OFF;
}

void rules_cache_free(rules_cache *c)
{
	if (c == NULL)
		return;
	free(c->dir);
	free(c);
}

/* Whether compile.c hands p to Hyperscan; pls: the entries each pattern
 * serves. */
static bool hs_pattern(const pattern *p, const ls_bits *pls)
{
	return p->n_rules > 0 && !p->pcre_only && !p->lazy && !p->anchored && !p->in_set &&
	       !p->counts && !ls_empty(pls);
}

static void put_u32(sha256_ctx *h, uint32_t v)
{
	sha256_update(h, &v, sizeof v);
}

/* The key of rs's patterns as they stand before compiling; false when no
 * pattern goes to Hyperscan (nothing worth keeping). */
static bool make_key(const det_rules *rs, const ls_bits *pls, char key[SHA256_HEX_LEN + 1])
{
	bool any = false;
	for (size_t i = 0; i < rs->n_patterns && !any; i++)
		any = hs_pattern(&rs->patterns[i], &pls[i]);
	if (!any)
		return false;
	sha256_ctx *h = sha256_new();
	hs_platform_info_t pl;
	memset(&pl, 0, sizeof pl);
	hs_populate_platform(&pl);
	char head[512];
	int n = snprintf(head, sizeof head,
	                 "%s sigap %s, hyperscan %s, tune %u, cpu features %llx, block mode\n",
	                 CACHE_MAGIC, SIGAP_VERSION, hs_version(), pl.tune,
	                 (unsigned long long)pl.cpu_features);
	sha256_update(h, head, (size_t)n);
	put_u32(h, (uint32_t)rs->n_slots);
	put_u32(h, (uint32_t)rs->n_patterns);
	for (size_t i = 0; i < rs->n_patterns; i++) {
		const pattern *p = &rs->patterns[i];
		if (!hs_pattern(p, &pls[i]))
			continue;
		size_t len = strlen(p->expr);
		put_u32(h, (uint32_t)i);
		put_u32(h, (uint32_t)p->slot);
		put_u32(h, p->flags | (p->prefilter ? HS_FLAG_PREFILTER : 0));
		sha256_update(h, &pls[i], sizeof pls[i]);
		put_u32(h, (uint32_t)len);
		sha256_update(h, p->expr, len);
		put_u32(h, p->factor ? (uint32_t)p->factor->n : 0);
		for (int f = 0; p->factor && f < p->factor->n; f++) {
			put_u32(h, p->factor->len[f]);
			sha256_update(h, p->factor->s[f], p->factor->len[f]);
		}
	}
	sha256_final_hex(h, key);
	return true;
}

static void path_of(const rules_cache *c, char *out, size_t n)
{
	snprintf(out, n, "%s/%s" CACHE_EXT, c->dir, c->key);
}

static void note(rules_cache *c, det_cache_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(rules_cache *c, det_cache_state st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->state = st;
	vsnprintf(c->note, sizeof c->note, fmt, ap);
	va_end(ap);
}

/* ---- reading ---- */

typedef struct reader {
	const unsigned char *p, *end;
} reader;

static bool take(reader *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return false;
	memcpy(out, r->p, n);
	r->p += n;
	return true;
}

/* The file's databases and pattern states into dbs / n_dbs / slot_dbs and
 * states; NULL, or why not. */
static const char *decode(det_rules *rs, const rules_cache *c, const ls_bits *pls,
                          const unsigned char *data, size_t len, slot_db **dbs, int *n_dbs,
                          int *slot_dbs, unsigned char *states)
{
	size_t magic = sizeof CACHE_MAGIC - 1;
	if (len < magic + SHA256_HEX_LEN + 8 + SHA256_HEX_LEN)
		return "too short";
	size_t body = len - SHA256_HEX_LEN;
	char sum[SHA256_HEX_LEN + 1];
	sha256_hex(data, body, sum);
	if (memcmp(sum, data + body, SHA256_HEX_LEN) != 0)
		return "checksum does not match";
	reader r = {data, data + body};
	char got_magic[sizeof CACHE_MAGIC], got_key[SHA256_HEX_LEN];
	uint32_t n_slots, n_patterns, count;
	if (!take(&r, got_magic, magic) || memcmp(got_magic, CACHE_MAGIC, magic) != 0)
		return "not a sigap pattern cache of this format";
	if (!take(&r, got_key, SHA256_HEX_LEN) || memcmp(got_key, c->key, SHA256_HEX_LEN) != 0)
		return "written for other patterns";
	if (!take(&r, &n_slots, 4) || !take(&r, &n_patterns, 4) ||
	    n_slots != (uint32_t)rs->n_slots || n_patterns != (uint32_t)rs->n_patterns)
		return "written for other patterns";
	if (!take(&r, states, n_patterns))
		return "truncated";
	for (size_t i = 0; i < n_patterns; i++)
		if (states[i] > 2 || (states[i] && !hs_pattern(&rs->patterns[i], &pls[i])))
			return "a pattern's state is not one compiling gives";
	if (!take(&r, &count, 4) || count > n_patterns)
		return "truncated";
	*dbs = calloc((size_t)count + 1, sizeof **dbs);
	if (*dbs == NULL)
		abort();
	int slot = 0, prev = 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t s;
		uint64_t n;
		slot_db *e = &(*dbs)[i];
		if (!take(&r, &s, 4) || !take(&r, &e->ls, sizeof e->ls) || !take(&r, &n, 8) ||
		    n > (uint64_t)(r.end - r.p))
			return "truncated";
		if (s >= n_slots || (int)s < prev || n == 0 || ls_empty(&e->ls))
			return "a database is out of place";
		prev = (int)s;
		while (slot <= (int)s)
			slot_dbs[slot++] = (int)i;
		hs_error_t err = hs_deserialize_database((const char *)r.p, (size_t)n, &e->db);
		if (err != HS_SUCCESS) {
			e->db = NULL;
			return err == HS_DB_VERSION_ERROR    ? "written by another Hyperscan"
			       : err == HS_DB_PLATFORM_ERROR ? "written for another CPU"
			                                     : "a database Hyperscan cannot read";
		}
		*n_dbs = (int)i + 1;
		r.p += n;
	}
	while (slot <= (int)n_slots)
		slot_dbs[slot++] = (int)count;
	if (r.p != r.end)
		return "trailing bytes";
	return NULL;
}

int rules_cache_load(det_rules *rs, const ls_bits *pls)
{
	rules_cache *c = rs->cache;
	if (c == NULL)
		return -1;
	c->keyed = make_key(rs, pls, c->key);
	if (!c->keyed) {
		c->state = DET_CACHE_OFF;
		c->note[0] = '\0';
		return -1;
	}
	char path[4096], why[256];
	path_of(c, path, sizeof path);
	size_t len = 0;
	unsigned char *data =
	    (unsigned char *)fs_read_file(path, CACHE_FILE_MAX, &len, why, sizeof why);
	if (data == NULL) {
		/* an absent file is the ordinary miss; another reason is told */
		if (access(path, F_OK) == 0)
			note(c, DET_CACHE_REBUILT, "%s unreadable (%s): compiled again", path, why);
		else
			c->state = DET_CACHE_STORED;
		return -1;
	}
	slot_db *dbs = NULL;
	int n_dbs = 0;
	unsigned char *states = calloc(rs->n_patterns + 1, 1);
	if (states == NULL)
		abort();
	const char *bad = decode(rs, c, pls, data, len, &dbs, &n_dbs, rs->slot_dbs, states);
	free(data);
	if (bad) {
		for (int i = 0; i < n_dbs; i++)
			hs_free_database(dbs[i].db);
		free(dbs);
		free(states);
		note(c, DET_CACHE_REBUILT, "%s: %s: compiled again", path, bad);
		return -1;
	}
	for (size_t i = 0; i < rs->n_patterns; i++) {
		pattern *p = &rs->patterns[i];
		if (states[i] == 0)
			continue;
		p->prefilter = states[i] == 1;
		p->pcre_only = states[i] == 2;
		if (p->pcre_only && p->lit == NULL)
			rules_literal_test(rs, p);
		if (p->lit == NULL && p->re == NULL && (p->re = rules_pcre_of(p)) == NULL) {
			p->pcre_only = p->prefilter = false; /* as compile_slot does */
			p->n_rules = 0;
		}
	}
	free(states);
	free(rs->dbs);
	rs->dbs = dbs;
	rs->n_dbs = n_dbs;
	utimensat(AT_FDCWD, path, NULL, 0); /* recently used */
	note(c, DET_CACHE_HIT, "pattern databases read from %s", path);
	return 0;
}

/* ---- writing ---- */

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

typedef struct out {
	unsigned char *v;
	size_t n, cap;
} out;

static void out_put(out *o, const void *p, size_t n)
{
	if (o->n + n > o->cap) {
		while (o->n + n > o->cap)
			o->cap = o->cap ? o->cap * 2 : 1 << 16;
		o->v = realloc(o->v, o->cap);
		if (o->v == NULL)
			abort();
	}
	memcpy(o->v + o->n, p, n);
	o->n += n;
}

/* Removes the least recently used files past CACHE_KEEP. O(files²),
 * with at most a few dozen files. */
static void prune(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct {
		char name[80];
		struct timespec at;
	} f[CACHE_KEEP * 4];
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < CACHE_KEEP * 4) {
		size_t len = strlen(de->d_name);
		if (len != SHA256_HEX_LEN + sizeof CACHE_EXT - 1 ||
		    strcmp(de->d_name + SHA256_HEX_LEN, CACHE_EXT) != 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, 0) != 0)
			continue;
		_Static_assert(sizeof f[0].name > SHA256_HEX_LEN + sizeof CACHE_EXT - 1,
			       "a cache file's name fits");
		memcpy(f[n].name, de->d_name, len + 1); /* len checked above */
		f[n++].at = st.st_mtim;
	}
	while (n > CACHE_KEEP) {
		int old = 0;
		for (int i = 1; i < n; i++)
			if (f[i].at.tv_sec < f[old].at.tv_sec ||
			    (f[i].at.tv_sec == f[old].at.tv_sec && f[i].at.tv_nsec < f[old].at.tv_nsec))
				old = i;
		unlinkat(dirfd(d), f[old].name, 0);
		f[old] = f[--n];
	}
	closedir(d);
}

void rules_cache_store(det_rules *rs)
{
	rules_cache *c = rs->cache;
	if (c == NULL || !c->keyed)
		return;
	out o = {0};
	out_put(&o, CACHE_MAGIC, sizeof CACHE_MAGIC - 1);
	out_put(&o, c->key, SHA256_HEX_LEN);
	uint32_t counts[2] = {(uint32_t)rs->n_slots, (uint32_t)rs->n_patterns};
	out_put(&o, counts, sizeof counts);
	for (size_t i = 0; i < rs->n_patterns; i++) {
		const pattern *p = &rs->patterns[i];
		unsigned char st = p->pcre_only ? 2 : p->prefilter ? 1 : 0;
		out_put(&o, &st, 1);
	}
	const char *fail = NULL;
	uint32_t count = (uint32_t)rs->n_dbs;
	out_put(&o, &count, 4);
	for (int s = 0; s < rs->n_slots && !fail; s++)
		for (int i = rs->slot_dbs[s]; i < rs->slot_dbs[s + 1] && !fail; i++) {
			char *bytes = NULL;
			size_t n = 0;
			if (hs_serialize_database(rs->dbs[i].db, &bytes, &n) != HS_SUCCESS)
				fail = "Hyperscan cannot serialize a database";
			uint32_t s32 = (uint32_t)s;
			uint64_t n64 = n;
			out_put(&o, &s32, 4);
			out_put(&o, &rs->dbs[i].ls, sizeof rs->dbs[i].ls);
			out_put(&o, &n64, 8);
			if (n)
				out_put(&o, bytes, n);
			free(bytes);
		}
	char sum[SHA256_HEX_LEN + 1];
	sha256_hex(o.v, o.n, sum);
	out_put(&o, sum, SHA256_HEX_LEN);
	char path[4096], tmp[4200];
	path_of(c, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", c->dir, c->key, (long)getpid());
	sg_err e = {0};
	int fd = -1;
	if (fail == NULL && fs_mkdir_p(c->dir, &e) != 0)
		fail = e.msg;
	if (fail == NULL && (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0)
		fail = strerror(errno);
	if (fd >= 0) {
		if (write_all(fd, o.v, o.n) != 0)
			fail = strerror(errno ? errno : EIO);
		if (close(fd) != 0 && fail == NULL)
			fail = strerror(errno);
		if (fail == NULL && rename(tmp, path) != 0)
			fail = strerror(errno);
		if (fail)
			unlink(tmp);
	}
	free(o.v);
	if (fail) {
		note(c, DET_CACHE_FAILED, "the pattern cache %s cannot be written: %s", c->dir, fail);
		return;
	}
	if (c->state != DET_CACHE_REBUILT)
		note(c, DET_CACHE_STORED, "pattern databases compiled and written to %s", path);
	prune(c->dir);
}
