/* fuzz_cef.c: CEF records, bare or after a syslog header. */
#include <stdint.h>

#include "detect/input/cef.h"
#include "fuzz_common.h"

static det_event ev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *line = (const char *)data;
	det_event_reset(&ev, line, n); /* a line that is no CEF leaves the event as it was */
	det_cef_parse(line, n, &ev);
	fuzz_event_ok(&ev, line, n);
	return 0;
}
