/* fuzz_syslog.c: RFC 3164 and 5424 lines, then the message decoders. */
#include <stdint.h>
#include <string.h>

#include "detect/input/decode.h"
#include "detect/input/syslog.h"
#include "fuzz_common.h"

static det_event ev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	/* the year of BSD stamps chosen against a fixed receive time, as the
	 * live inputs do (2026-12-03T08:00:00Z) */
	static const det_syslog_opts o = {0, 420, 1796284800};
	const char *line = (const char *)data;
	if (det_syslog_parse(line, n, &o, &ev) == 0)
		det_decode(&ev);
	fuzz_event_ok(&ev, line, n);
	return 0;
}
