/*
 * engine.h: detection, one line at a time, the same for every driver.
 *
 * A line becomes an event (parse.h), its observables are looked up among
 * the threat indicators (ioc.h), the event is matched against the Sigma
 * rules (rules.h), and each match of a correlation's member becomes an
 * observation for the correlator (correlate.h). What comes out is told to
 * the driver through callbacks: a rule's match, an indicator's hit, an
 * observation or a correlation that fired, a line that did not parse.
 *
 * The engine holds no thread, no SQL and prints nothing: the live server
 * (ingest/pipeline.c) and the hunting command (cli/detect.c) drive it and
 * decide what a match means (an alert stored by app/, a line printed).
 * One engine per thread. Correlating needs the events in order: a driver
 * on one thread gives the engine its correlator and gets correlations
 * from it; a driver with several threads takes the observations and feeds
 * one correlator itself in the order of the lines (det_correlate).
 *
 * One time rule for both: an event is placed at its own time, or, when it
 * carries none, at the time it was received (recv_time).
 */
#ifndef SG_DETECT_ENGINE_H
#define SG_DETECT_ENGINE_H

#include <stdint.h>

#include "detect/sigma/correlate.h"
#include "detect/ioc/ioc.h"
#include "detect/input/parse.h"
#include "detect/sigma/rules.h"

/* An indicator an event held: which, and the event's text that hit. */
typedef struct det_hit {
	const ioc *ioc;
	const char *obs;
	size_t obs_len;
} det_hit;

enum { DET_HITS_MAX = 16 }; /* hits kept per event; more are counted only */

typedef struct det_engine_out {
	void *ctx;
	/* A rule that raises alerts matched ev (a correlation's member marked
	 * quiet does not come here); hits are the indicators ev held. Returns
	 * the driver's name for what it made of the match (the id of the
	 * alert it stored), carried by the match's observations; 0: none. */
	uint64_t (*match)(void *ctx, const det_rule *r, const det_event *ev, const det_hit *hits,
			  size_t n_hits);
	/* An indicator ev held, after the event's rule matches. */
	void (*hit)(void *ctx, const det_hit *h, const det_event *ev);
	/* Without a correlator: an observation of a correlation's member, in
	 * the order of the engine's lines; NULL: dropped. */
	void (*observe)(void *ctx, const det_obs *o);
	/* With a correlator: a correlation ev completed. */
	void (*correlation)(void *ctx, const det_corr_match *m, const det_event *ev);
	/* The line could not be parsed (it is still matched as text). */
	void (*unparsed)(void *ctx, const char *why);
	/* Nothing shows the members of a firing (no alert is raised for it):
	 * observations leave out their event's excerpt. */
	bool no_member_text;
} det_engine_out;

typedef struct det_engine det_engine;

/* An engine over rs (NULL: no rules) and iocs (NULL: none), correlating
 * into corr when given (then correlation() is called, else observe()). */
det_engine *det_engine_new(const det_rules *rs, const ioc_set *iocs, det_correlator *corr);
void det_engine_free(det_engine *g);
/* The indicators looked up from the next line on (reloaded sets). */
void det_engine_set_iocs(det_engine *g, const ioc_set *iocs);

/* One line (without its newline): parsed with so, looked up, matched and
 * correlated, the results told to out. recv_time: when it was received,
 * the event's time when it carries none. Returns 0, or -1 when the line
 * did not parse (out->unparsed was told). The event out's callbacks see
 * is the engine's, valid until the next line. */
int det_engine_line(det_engine *g, const char *line, size_t n, const det_syslog_opts *so,
		    int64_t recv_time, const det_engine_out *out);
/* The event of the last line (its format, fields), until the next one. */
const det_event *det_engine_event(const det_engine *g);

#endif
