/*
 * ingest_int.h: what the files of ingest/ share: the pipeline's state and
 * the start and stop of each input.
 */
#ifndef SG_INGEST_INT_H
#define SG_INGEST_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "detect/ioc/ioc.h"
#include "detect/sigma/rules.h"
#include "detect/input/syslog.h"
#include "ingest.h"

enum { BAD_KINDS = 64 }; /* an input meets some 25 kinds: room to spare */

typedef struct item {
	char *line;
	size_t n;
	ingest_input in;
	uint64_t inode;
	int64_t offset;
} item;

/* Lines from..to (sequence numbers) of a batch that was not stored. */
typedef struct seq_range {
	uint64_t lo, hi;
} seq_range;
enum { FAILED_KEPT = 32 };

typedef struct follower follower;
typedef struct syslog_net syslog_net;
typedef struct relp_in relp_in;

struct ingest {
	const app_config *cfg;
	int (*open_app)(app *a, sg_err *e);
	/* the rule sets (reload.c): the current one last; one replaced by a
	 * reload stays until its last holder (detection, a web request)
	 * drops it */
	pthread_mutex_t sets_mu;
	struct rules_held {
		det_rules *rules;
		int holders;
	} *sets;
	size_t n_sets;
	/* moved by a reload; detection rebuilds its engine, or reads the
	 * indicators again, when it sees one move */
	atomic_ullong rules_gen, ioc_gen;
	det_syslog_opts so[IN_COUNT]; /* per input: its zone; now set per batch */
	/* the queue */
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full, done;
	item *q;
	size_t cap, head, count;
	uint64_t queued, handled; /* lines, ever; handled only after their commit */
	seq_range failed[FAILED_KEPT]; /* batches not stored, the latest */
	size_t n_failed;
	atomic_bool stopping;
	bool detect_running;
	pthread_t detect_tid;
	/* counters, by input */
	atomic_ullong lines[IN_COUNT], unparsed[IN_COUNT], oversize[IN_COUNT], dropped[IN_COUNT];
	/* lines that parsed only as raw text or yielded no fields
	 * (det_event_is_bare), by input */
	atomic_ullong bare[IN_COUNT];
	/* seconds since the epoch of the last line received and of the last
	 * bare one, by input; 0 before the first */
	atomic_llong last_line_at[IN_COUNT], last_bare_at[IN_COUNT];
	atomic_ullong matches, alerts_new, alerts_folded, store_errors, indicators;
	/* rotated files of the followed input whose unread rest was not found,
	 * and the bytes of it when known (follow.c) */
	atomic_ullong rotated_lost_files, rotated_lost_bytes;
	/* the kinds of bad input each input has logged once (their texts,
	 * compared as pointers); further ones are counted, not logged */
	_Atomic(const char *) logged_kinds[IN_COUNT][BAD_KINDS];
	follower *follow;
	syslog_net *net;
	relp_in *relp;
};

/* reload.c: makes rs the current set (the ingest owns it from here). */
void ingest_rules_publish(ingest *g, det_rules *rs);
/* Frees every set (at the stop, when nothing holds one). */
void ingest_rules_free_all(ingest *g);

/* The alerts.json follower: resumes at the stored position of input
 * "wazuh_alerts" (inode, position, stored at stored_at), in the file of
 * that inode wherever rotation put it; NULL with e when it cannot start. */
follower *follow_start(ingest *g, const char *path, uint64_t inode, int64_t position,
		       int64_t stored_at, sg_err *e);
void follow_stop(follower *f);

/* "ADDR:PORT" or "[ADDR]:PORT" into a bound socket (listening, for
 * SOCK_STREAM), announced on stdout as "sigap: LABEL listening on …";
 * -1 with e. */
int ingest_listen(const char *spec, int type, const char *label, sg_err *e);

/* Stream inputs (syslog TCP, RELP): connections from one peer address at
 * most, and how long a connection may stay silent with nothing owed. */
enum { PEER_MAX = 16, IDLE_MS = 300 * 1000 };
/* The peer of a connected socket as 16 bytes (IPv4 mapped). */
void ingest_peer_key(int fd, uint8_t out[16]);
/* Milliseconds of a monotonic clock. */
int64_t ingest_now_ms(void);

/* The RELP listener (relp.c). */
relp_in *relp_start(ingest *g, const char *addr, sg_err *e);
void relp_stop(relp_in *r);

/* The syslog listeners; udp or tcp may be NULL. */
syslog_net *syslog_net_start(ingest *g, const char *udp, const char *tcp, sg_err *e);
void syslog_net_stop(syslog_net *n);

#endif
