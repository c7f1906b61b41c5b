/*
 * winevent.c: Windows events under the names Sigma's rules use.
 *
 * Windows events reach sigap in two shapes:
 *  - from Wazuh's Windows agent: data.win.system.* and data.win.eventdata.*
 *    in an alert (win.* in the agent's own JSON), with lower camelCase
 *    names (commandLine, parentImage, providerName) and string values
 *    whose backslashes and quotes Wazuh escaped a second time
 *    ("C:\\Windows\\…" after JSON unescaping);
 *  - from an event log exported to JSON: Event.System.* (with
 *    "#attributes" for XML attributes), Event.EventData.* and
 *    Event.UserData.ELEMENT.* (WMI-Activity, some Task Scheduler and
 *    AppLocker events put their data in an element of UserData).
 * For each, fields with Sigma's names are added (CommandLine, Image,
 * ParentImage, EventID, Channel, Provider_Name, Computer, …), with
 * Wazuh's second escaping undone, so the SigmaHQ Windows rules match.
 * Names with spaces (Defender's "Threat Name", "Process Name") lose them,
 * as Sigma writes them (ThreatName, ProcessName).
 * The original fields stay, under their original names.
 */
#include <string.h>

#include "detect/input/escape.h"
#include "detect/input/syslog.h"
#include "detect/input/winevent.h"

typedef struct prefix {
	det_str text;
	bool wazuh, system;
	bool element; /* the name starts with an element to skip */
} prefix;

#define TEXT(s) {s, sizeof s - 1}
static const prefix prefixes[] = {
    {TEXT("data.win.system."), true, true, false},
    {TEXT("data.win.eventdata."), true, false, false},
    {TEXT("win.system."), true, true, false},
    {TEXT("win.eventdata."), true, false, false},
    {TEXT("Event.System."), false, true, false},
    {TEXT("Event.EventData."), false, false, false},
    {TEXT("Event.UserData."), false, false, true},
};

enum {
	UNDOUBLED_MAX = 4096, /* the longest undoubled value; the rest is cut */
	NAME_MAX_LEN = 256,   /* the longest Sigma name made of a Windows one */
};

/* v with its doubled escapes undone into out, which has room for cap
 * bytes (UNDOUBLED_MAX bytes at most are written); the length written.
 * The runs between backslashes are copied 16 bytes at a time, which may
 * write past the run's end, never past cap or UNDOUBLED_MAX. */
static size_t undouble_into(det_str v, char *out, size_t cap)
{
	size_t i = 0, o = 0, lim = cap < UNDOUBLED_MAX ? cap : UNDOUBLED_MAX;
	while (i < v.n && o < UNDOUBLED_MAX) {
#if defined(__SSE2__)
		if (v.n - i >= 16 && lim - o >= 16) {
			unsigned bits = copy16_backslashes(out + o, v.p + i);
			if (bits == 0) {
				i += 16;
				o += 16;
				continue;
			}
			size_t run = (size_t)__builtin_ctz(bits);
			i += run;
			o += run;
		}
#endif
		char ch = v.p[i++];
		if (ch == '\\' && i < v.n && (v.p[i] == '\\' || v.p[i] == '"'))
			ch = v.p[i++];
		out[o++] = ch;
	}
	return o;
}

/* "C:\\\\Windows" → "C:\\Windows", "\\\"" → "\"", kept in the event's
 * scratch; v itself when it has no backslash or scratch has no room. */
static det_str undouble(det_event *ev, det_str v)
{
	if (memchr(v.p, '\\', v.n) == NULL)
		return v;
	size_t room = ev->scratch_cap - ev->scratch_used;
	if (room >= v.n || room >= UNDOUBLED_MAX) { /* it fits: undone in place */
		char *kept = ev->scratch + ev->scratch_used;
		size_t o = undouble_into(v, kept, room);
		ev->scratch_used += o;
		return (det_str){kept, o};
	}
	char buf[UNDOUBLED_MAX];
	size_t o = undouble_into(v, buf, sizeof buf);
	char *kept = det_event_keep(ev, buf, o);
	return kept ? (det_str){kept, o} : v;
}

/* The Sigma name for the rest of a System name, or an empty slice. */
static det_str system_name(det_event *ev, det_str rest)
{
	static const struct {
		det_str from, to;
	} special[] = {
	    {TEXT("providerName"), TEXT("Provider_Name")},
	    {TEXT("Provider.#attributes.Name"), TEXT("Provider_Name")},
	    {TEXT("EventID.#text"), TEXT("EventID")},
	    {TEXT("TimeCreated.#attributes.SystemTime"), TEXT("SystemTime")},
	    {TEXT("Execution.#attributes.ProcessID"), TEXT("ProcessID")},
	    {TEXT("Security.#attributes.UserID"), TEXT("UserID")},
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (rest.n == special[i].from.n && memcmp(rest.p, special[i].from.p, rest.n) == 0)
			return special[i].to;
	if (rest.n == 0)
		return (det_str){NULL, 0};
	/* One look at each byte: a dot (a nested name: none of Sigma's) or a
	 * space (dropped from the Sigma name). */
	bool spaced = false;
	for (size_t i = 0; i < rest.n; i++) {
		if (rest.p[i] == '.')
			return (det_str){NULL, 0};
		spaced |= rest.p[i] == ' ';
	}
	if (rest.p[0] >= 'A' && rest.p[0] <= 'Z' && !spaced)
		return rest;
	/* Built straight in scratch when it surely fits, else in buf first
	 * and kept if it does. */
	size_t room = ev->scratch_cap - ev->scratch_used;
	char buf[NAME_MAX_LEN];
	char *out = room >= rest.n || room >= NAME_MAX_LEN ? ev->scratch + ev->scratch_used : buf;
	size_t n = 0;
	for (size_t i = 0; i < rest.n && n < NAME_MAX_LEN; i++)
		if (rest.p[i] != ' ')
			out[n++] = rest.p[i];
	if (n == 0)
		return (det_str){NULL, 0};
	if (out[0] >= 'a' && out[0] <= 'z') /* ASCII's case, whatever the locale */
		out[0] = (char)(out[0] - 'a' + 'A');
	if (out != buf) {
		ev->scratch_used += n;
		return (det_str){out, n};
	}
	char *name = det_event_keep(ev, buf, n);
	return name ? (det_str){name, n} : (det_str){NULL, 0};
}

/* The prefix a name starts with, or NULL: most names of an event start
 * none, and one or two compares of known length say so. */
static const prefix *prefix_of(det_str name)
{
#define AT(at, s) (name.n > (at) + sizeof s - 1 && memcmp(name.p + (at), s, sizeof s - 1) == 0)
	if (name.n == 0)
		return NULL;
	switch (name.p[0]) {
	case 'd':
		if (!AT(0, "data.win."))
			return NULL;
		return AT(9, "system.") ? &prefixes[0] : AT(9, "eventdata.") ? &prefixes[1] : NULL;
	case 'w':
		if (!AT(0, "win."))
			return NULL;
		return AT(4, "system.") ? &prefixes[2] : AT(4, "eventdata.") ? &prefixes[3] : NULL;
	case 'E':
		if (!AT(0, "Event."))
			return NULL;
		return AT(6, "System.")      ? &prefixes[4]
		       : AT(6, "EventData.") ? &prefixes[5]
		       : AT(6, "UserData.")  ? &prefixes[6]
					     : NULL;
	default: return NULL;
	}
#undef AT
}

int det_windows_normalise(det_event *ev)
{
	size_t n = ev->n_fields;
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		det_field f = ev->fields[i];
		const prefix *p = prefix_of(f.name);
		if (p == NULL)
			continue;
		f.name.p += p->text.n;
		f.name.n -= p->text.n;
		if (p->element) {
			const char *dot = memchr(f.name.p, '.', f.name.n);
			if (dot == NULL)
				continue;
			f.name.n -= (size_t)(dot + 1 - f.name.p);
			f.name.p = dot + 1;
		}
		det_str name = system_name(ev, f.name);
		if (name.n == 0)
			continue;
		det_str value = p->wazuh ? undouble(ev, f.value) : f.value;
		det_event_add(ev, name.p, name.n, value.p, value.n);
		added++;
		if (p->system && det_str_eq(name, "Computer") && ev->host.n == 0)
			ev->host = value;
		if (p->system && det_str_eq(name, "SystemTime") && ev->time == 0)
			det_parse_rfc3339(value.p, value.n, &ev->time);
	}
	return added;
}
