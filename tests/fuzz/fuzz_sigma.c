/* fuzz_sigma.c: Sigma rule documents: loading (YAML, modifiers, conditions)
 * and compiling to pattern databases. */
#include <stdint.h>

#include "fuzz_common.h"

#include "detect/sigma/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (n > 64 * 1024)
		return 0;
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	det_rules_add(rs, (const char *)data, n, "fuzz.yml", &d);
	det_rules_compile(rs, &d);
	diags_free(&d);
	det_rules_free(rs);
	return 0;
}
