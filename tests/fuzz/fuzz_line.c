/* fuzz_line.c: the per-line format sniffer and every parser behind it,
 * then the indicator search over the event. */
#include <stdint.h>

#include "detect/ioc/ioc.h"
#include "detect/input/parse.h"
#include "fuzz_common.h"

static det_event ev;
static ioc_set *set;

static void on_hit(void *ctx, const ioc *i, const char *obs, size_t on)
{
	(void)ctx;
	(void)i;
	(void)obs;
	(void)on;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const det_syslog_opts o = {2026, 420};
	if (set == NULL) {
		set = ioc_set_new();
		static const ioc v[] = {{.type = IOC_IPV4, .value = "192.0.2.1"},
		                        {.type = IOC_CIDR, .value = "198.51.100.0/24"},
		                        {.type = IOC_DOMAIN, .value = "evil.example"},
		                        {.type = IOC_URL, .value = "http://evil.example/x"},
		                        {.type = IOC_MD5, .value = "d41d8cd98f00b204e9800998ecf8427e"}};
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			ioc_set_add(set, &v[i]);
		ioc_set_finish(set);
	}
	const char *line = (const char *)data, *why;
	det_parse_line(line, n, &o, &ev, &why);
	fuzz_event_ok(&ev, line, n);
	ioc_scan(set, &ev, on_hit, NULL);
	ioc_set_match(set, line, n, on_hit, NULL);
	return 0;
}
