/*
 * ingest.h: the live inputs of sigap serve and the detection behind them.
 *
 * Inputs (the alerts.json follower, the syslog UDP and TCP listeners, the
 * HTTP ingest route) hand lines to one bounded queue; a detection thread
 * takes them in batches, parses each line (format told per line), looks
 * its observables up among the stored indicators, matches the Sigma
 * rules, and raises alerts, one transaction a batch. A followed file's
 * read position is stored in the transaction of its lines' alerts, so a
 * restart resumes exactly where the last batch ended.
 *
 * When the queue is full a file or TCP sender waits (back-pressure); a
 * UDP datagram, which cannot wait, is dropped and counted. Every line that
 * cannot be used (too long, not parseable) is counted by input and reason
 * and shown in /metrics, and the first of each kind is logged.
 */
#ifndef SG_INGEST_H
#define SG_INGEST_H

#include <stdint.h>

#include "app/app.h"
#include "detect/sigma/rules.h"
#include "base/buf.h"

typedef enum { IN_FILE, IN_UDP, IN_TCP, IN_HTTP, IN_RELP, IN_COUNT } ingest_input;

typedef struct ingest ingest;

/* Loads the rules (shipped, plus [detect] rules) and the stored
 * indicators, starts detection and every input [inputs] names. open_app
 * opens the app of a thread (each has its own connection). NULL with e
 * when something cannot start (a rule directory missing, a port taken). */
ingest *ingest_start(const app_config *cfg, int (*open_app)(app *a, sg_err *e), sg_err *e);
/* Binds the network inputs of cfg now, for ingest_start to take later:
 * what sigap serve does as root (syslog's port 514) before it gives root
 * up. */
int ingest_prebind(const app_config *cfg, sg_err *e);
/* Stops the inputs, lets detection finish what is queued, and frees. */
void ingest_stop(ingest *g);

/* Queues one line (no newline) from an input. Waits up to wait_ms (-1:
 * until there is room or the pipeline stops) while the queue is full;
 * -1 when the line was not queued (counted as dropped). offset and inode
 * are the followed file's position after the line (0 for others); n == 0
 * queues only that position (the follower's mark when it switches files). */
int ingest_submit(ingest *g, ingest_input in, const char *line, size_t n, int wait_ms,
		  uint64_t inode, int64_t offset);
/* ingest_submit for an input that acknowledges: the line's sequence
 * number into *seq, for ingest_wait_committed. */
int ingest_submit_seq(ingest *g, ingest_input in, const char *line, size_t n, int wait_ms,
		      uint64_t *seq);
/* Waits up to timeout_ms until the lines from..to (sequence numbers) are
 * handled: 0 when all were committed to disk, -1 when a batch holding one
 * of them was not stored, detection stopped, or time ran out. */
int ingest_wait_committed(ingest *g, uint64_t from, uint64_t to, int timeout_ms);
/* The same without waiting: 1 committed, 0 not yet handled, -1 not
 * stored. */
int ingest_committed(ingest *g, uint64_t from, uint64_t to);
/* Counts a line an input could not hand on (too long, broken framing);
 * the first of each why is logged. why lives as long as the process (a
 * literal): it is kept to know the kinds seen. */
void ingest_count_bad(ingest *g, ingest_input in, const char *why);

/* Appends the pipeline's counters in Prometheus text format. */
void ingest_metrics(ingest *g, buf *out);

/* The rules detection runs now (read-only; for the rule pages), held
 * until ingest_rules_drop: a reload meanwhile frees it only after. */
const det_rules *ingest_rules_hold(ingest *g);
void ingest_rules_drop(ingest *g, const det_rules *rs);
/* Reads and compiles the rules as cfg's [detect] names them, in the
 * caller's thread; NULL with e when they cannot be used (reload.c). A
 * rule file that does not load is logged and the others run; but at a
 * reload (running: the set detection runs now), a file one of whose
 * rules runs now and that no longer loads refuses the whole set, so
 * detection keeps running that rule until its file is fixed. */
det_rules *ingest_load_rules(const app_config *cfg, const det_rules *running, sg_err *e);
/* Has detection run rs (taken) from its next batch. */
void ingest_use_rules(ingest *g, det_rules *rs);
/* ingest_load_rules over the running set, then ingest_use_rules; -1
 * with e (and the old rules kept) when they cannot be used. */
int ingest_reload_rules(ingest *g, const app_config *cfg, sg_err *e);
/* Has detection read the stored indicators again, at once. */
void ingest_reload_indicators(ingest *g);

/* Names of the inputs: "file", "udp", "tcp", "http", "relp". */
const char *ingest_input_name(ingest_input in);

#endif
