/*
 * waktu.c: the standard time (waktu) of an SOP step, as the seeds write
 * it: "10 Menit", "4 Jam", "1 Hari", "14 Hari". Units are matched without
 * regard to case ("10 menit" appears in seed 002). "-" or empty means the
 * row has no standard time (a terminator row).
 */
#include "sop.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sop_waktu_parse(const char *text, sop_waktu *out)
{
	memset(out, 0, sizeof *out);
	const char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || strcmp(p, "-") == 0) {
		out->unit = WAKTU_NONE;
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	long amount = 0;
	while (isdigit((unsigned char)*p)) {
		amount = amount * 10 + (*p++ - '0');
		if (amount > 100000)
			return -1;
	}
	if (amount == 0)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	static const struct {
		const char *word;
		sop_unit unit;
	} units[] = {{"menit", WAKTU_MENIT}, {"jam", WAKTU_JAM}, {"hari", WAKTU_HARI}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (n == strlen(units[i].word) && strncasecmp(p, units[i].word, n) == 0) {
			out->amount = (int)amount;
			out->unit = units[i].unit;
			return 0;
		}
	return -1;
}

long sop_waktu_seconds(const sop_waktu *w, long workday_seconds)
{
	switch (w->unit) {
	case WAKTU_MENIT: return (long)w->amount * 60;
	case WAKTU_JAM: return (long)w->amount * 3600;
	case WAKTU_HARI: return (long)w->amount * workday_seconds;
	default: return 0;
	}
}
