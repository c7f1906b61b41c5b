/* fuzz_json.c: JSON events (Wazuh alerts, Windows exports, JSON lines),
 * then the Windows field normalisation. */
#include <stdint.h>

#include "detect/input/json.h"
#include "detect/input/winevent.h"
#include "fuzz_common.h"

static det_event ev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *line = (const char *)data, *why;
	if (det_json_parse(line, n, &ev, &why) == 0)
		det_windows_normalise(&ev);
	fuzz_event_ok(&ev, line, n);
	return 0;
}
