/* fuzz_intel.c: the feed readers (built three times, FUZZ_FORMAT set to
 * INTEL_STIX, INTEL_MISP, or INTEL_AUTO for CSV and plain lists and the
 * format sniffer), read to indicators in normal form. */
#include <stdint.h>

#include "fuzz_common.h"

#include "intel/intel.h"

static int take(void *ctx, const ioc *r)
{
	(void)ctx;
	char out[IOC_VALUE_MAX + 1];
	size_t n;
	/* what a reader hands on is in normal form */
	if (ioc_normalise(r->value, __builtin_strlen(r->value), r->type, out, &n) != r->type)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	intel_defaults def = {NULL, NULL, -1, 86400, 1795395600};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	intel_read_buffer((const char *)data, n, "fuzz", FUZZ_FORMAT, &def, take, NULL, &c, &d);
	diags_free(&d);
	return 0;
}
