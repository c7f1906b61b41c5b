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
#include <ctype.h>
#include <string.h>

#include "detect/input/syslog.h"
#include "detect/input/winevent.h"

typedef struct prefix {
	const char *text;
	bool wazuh, system;
	bool element; /* the name starts with an element to skip */
} prefix;

static const prefix prefixes[] = {
    {"data.win.system.", true, true, false}, {"data.win.eventdata.", true, false, false},
    {"win.system.", true, true, false},      {"win.eventdata.", true, false, false},
    {"Event.System.", false, true, false},   {"Event.EventData.", false, false, false},
    {"Event.UserData.", false, false, true},
};

/* "C:\\\\Windows" → "C:\\Windows", "\\\"" → "\"". */
static det_str undouble(det_event *ev, det_str v)
{
	if (memchr(v.p, '\\', v.n) == NULL)
		return v;
	char buf[4096];
	size_t o = 0;
	for (size_t i = 0; i < v.n && o < sizeof buf; i++) {
		char ch = v.p[i];
		if (ch == '\\' && i + 1 < v.n && (v.p[i + 1] == '\\' || v.p[i + 1] == '"'))
			ch = v.p[++i];
		buf[o++] = ch;
	}
	char *kept = det_event_keep(ev, buf, o);
	return kept ? (det_str){kept, o} : v;
}

/* The Sigma name for the rest of a System name, or an empty slice. */
static det_str system_name(det_event *ev, det_str rest)
{
	static const struct {
		const char *from, *to;
	} special[] = {
	    {"providerName", "Provider_Name"},
	    {"Provider.#attributes.Name", "Provider_Name"},
	    {"EventID.#text", "EventID"},
	    {"TimeCreated.#attributes.SystemTime", "SystemTime"},
	    {"Execution.#attributes.ProcessID", "ProcessID"},
	    {"Security.#attributes.UserID", "UserID"},
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (det_str_eq(rest, special[i].from))
			return (det_str){special[i].to, strlen(special[i].to)};
	if (memchr(rest.p, '.', rest.n) || rest.n == 0)
		return (det_str){NULL, 0};
	bool spaced = memchr(rest.p, ' ', rest.n) != NULL;
	if (isupper((unsigned char)rest.p[0]) && !spaced)
		return rest;
	char buf[256];
	size_t n = 0;
	for (size_t i = 0; i < rest.n && n < sizeof buf; i++)
		if (rest.p[i] != ' ')
			buf[n++] = rest.p[i];
	if (n == 0)
		return (det_str){NULL, 0};
	buf[0] = (char)toupper((unsigned char)buf[0]);
	char *name = det_event_keep(ev, buf, n);
	return name ? (det_str){name, n} : (det_str){NULL, 0};
}

int det_windows_normalise(det_event *ev)
{
	size_t n = ev->n_fields;
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		det_field f = ev->fields[i];
		const prefix *p = NULL;
		for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
			size_t pl = strlen(prefixes[k].text);
			if (f.name.n > pl && memcmp(f.name.p, prefixes[k].text, pl) == 0) {
				p = &prefixes[k];
				f.name.p += pl;
				f.name.n -= pl;
				break;
			}
		}
		if (p == NULL)
			continue;
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
