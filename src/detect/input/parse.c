/*
 * parse.c: one line of any supported log into an event, the format told
 * from the line itself, so one file or stream may mix them:
 *
 *   '{'             JSON (a Wazuh alert, a Windows event export, any JSON
 *                   line); Windows fields get Sigma's names
 *   "CEF:"          CEF, bare or after a syslog header
 *   "type=", "node=" a Linux audit record
 *   "IP - user [date] \"…\""  a web access-log line
 *   otherwise       syslog (RFC 5424 or 3164), then the message decoders
 *                   (sshd, sudo, su, account changes; an access or audit
 *                   record relayed through syslog)
 * A line none of these read is kept as raw text (DET_FMT_UNKNOWN): the
 * keyword rules and the indicator scan still see it.
 */
#include <string.h>

#include "detect/input/access.h"
#include "detect/input/auditd.h"
#include "detect/input/cef.h"
#include "detect/input/decode.h"
#include "detect/input/json.h"
#include "detect/input/parse.h"
#include "detect/input/winevent.h"

static bool starts(const char *p, size_t n, const char *w)
{
	size_t l = strlen(w);
	return n >= l && memcmp(p, w, l) == 0;
}

int det_parse_line(const char *line, size_t n, const det_syslog_opts *o, det_event *ev,
                   const char **why)
{
	*why = NULL;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	size_t lead = 0;
	while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
		lead++;
	if (lead < n && line[lead] == '{') {
		/* det_json_parse resets the event, and again when it refuses */
		if (det_json_parse(line, n, ev, why) != 0)
			return -1;
		det_windows_normalise(ev);
		if (ev->format == DET_FMT_WAZUH && ev->program.n)
			det_decode(ev); /* a relayed syslog line: sshd, sudo, … */
		return 0;
	}
	det_event_reset(ev, line, n);
	if (starts(line, n, "CEF:")) {
		ev->format = DET_FMT_CEF;
		det_cef_parse(line, n, ev);
		return 0;
	}
	if ((starts(line, n, "type=") || starts(line, n, "node=")) &&
	    det_auditd_parse(line, n, ev) == 0) {
		ev->format = DET_FMT_AUDITD;
		return 0;
	}
	if (n > 0 &&
	    ((line[0] >= '0' && line[0] <= '9') || line[0] == ':' ||
	     (line[0] >= 'a' && line[0] <= 'f')) &&
	    det_access_parse(line, n, ev) == 0) {
		ev->format = DET_FMT_ACCESS;
		return 0;
	}
	if (det_syslog_parse(line, n, o, ev) != 0) {
		det_event_reset(ev, line, n);
		return 0;
	}
	det_str msg = ev->message;
	const char *end = ev->raw.p + ev->raw.n;
	if (det_str_eq(ev->program, "CEF")) /* "host CEF:0|…": read as a tag */
		det_cef_parse(ev->program.p, (size_t)(end - ev->program.p), ev);
	else if (starts(msg.p, msg.n, "CEF:"))
		det_cef_parse(msg.p, msg.n, ev);
	else
		det_decode(ev);
	return 0;
}
