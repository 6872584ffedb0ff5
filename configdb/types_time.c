/* types_time.c: RouterOS intervals ("1w2d3h", "00:01:30", "500ms"), read
 * into seconds and written back in the shortest form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configdb.h"
#include "db_int.h"

/* Nobody configures a century; the bound keeps every sum far from overflow. */
#define TIME_MAX_SECS (100LL * 365 * 86400)

/* Units of an interval, largest first. A time names each at most once and in
 * this order, so "1s1s" or "5s1m" are typing errors rather than sums. */
static const struct {
	const char *name;
	long long secs;			/* 0 for ms: truncated to whole seconds */
} time_units[] = {
	{ "w", 604800 }, { "d", 86400 }, { "h", 3600 }, { "m", 60 }, { "s", 1 }, { "ms", 0 },
};
#define NUNITS (int)(sizeof(time_units) / sizeof(time_units[0]))
#define UNIT_H 2			/* a clock may follow only w and d */

/* Index of the unit at s, the longest that matches ("ms" over "m"), its
 * length in *len; -1 if none. */
static int time_unit(const char *s, int *len)
{
	int i, n, found = -1;

	*len = 0;
	for (i = 0; i < NUNITS; i++) {
		n = (int)strlen(time_units[i].name);
		if (n > *len && strncmp(s, time_units[i].name, (size_t)n) == 0) {
			found = i;
			*len = n;
		}
	}
	return found;
}

/* Up to 15 digits, enough for milliseconds of a century, never overflowing. */
static int read_num(const char **s, long long *n)
{
	int digits = 0;

	*n = 0;
	for (; cdb_is_digit(**s); (*s)++, digits++) {
		if (digits == 15)
			return -1;
		*n = *n * 10 + (**s - '0');
	}
	return digits > 0 ? 0 : -1;
}

/* The ":mm:ss" after hours in "hh:mm:ss"; must end the text. */
static int read_clock(const char *s, long long hours, long long *secs)
{
	int mm, ss;

	if (s[0] != ':' || !cdb_is_digit(s[1]) || !cdb_is_digit(s[2]) || s[3] != ':' ||
	    !cdb_is_digit(s[4]) || !cdb_is_digit(s[5]) || s[6] != '\0')
		return -1;
	mm = (s[1] - '0') * 10 + (s[2] - '0');
	ss = (s[4] - '0') * 10 + (s[5] - '0');
	if (mm > 59 || ss > 59 || hours >= TIME_MAX_SECS / 3600)
		return -1;
	*secs = hours * 3600 + mm * 60 + ss;
	return 0;
}

/* One "<n><unit>" group added to *total; *last is the previous unit's rank. */
static int time_group(const char **s, long long n, int *last, long long *total)
{
	int len, u = time_unit(*s, &len);
	long long secs;

	if (u < 0 || u <= *last)
		return -1;
	*s += len;
	*last = u;
	secs = time_units[u].secs;
	if (secs == 0)
		n /= 1000;
	else if (n > TIME_MAX_SECS / secs)
		return -1;
	else
		n *= secs;
	*total += n;
	return *total < TIME_MAX_SECS ? 0 : -1;
}

/* RouterOS intervals: "90" (seconds), "1w2d3h4m5s" in any subset, "500ms"
 * (truncated), "00:01:30" and "1d00:01:30". 0 or -1. */
int cdb_parse_time(const char *s, long long *secs)
{
	long long total = 0, n, clock;
	int last = -1;

	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (read_num(&s, &n) != 0)
			return -1;
		if (*s == '\0' && last < 0) {
			total = n;
			break;
		}
		if (*s == ':') {
			if (last >= UNIT_H || read_clock(s, n, &clock) != 0)
				return -1;
			total += clock;
			break;
		}
		if (time_group(&s, n, &last, &total) != 0)
			return -1;
	}
	if (total >= TIME_MAX_SECS)
		return -1;
	*secs = total;
	return 0;
}

/* "1w2d3h4m5s" with zero units left out, "0s" for zero. NULL when out of memory. */
char *cdb_fmt_time(long long secs)
{
	static const struct { char u; unsigned long long n; } units[] = {
		{ 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
	};
	char buf[96];
	size_t off = 0;
	unsigned long long v = secs < 0 ? 0 - (unsigned long long)secs : (unsigned long long)secs;
	size_t i;

	if (secs == 0)
		return strdup("0s");
	if (secs < 0)
		buf[off++] = '-';
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (v / units[i].n == 0)
			continue;
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%llu%c",
					v / units[i].n, units[i].u);
		v %= units[i].n;
	}
	buf[off] = '\0';
	return strdup(buf);
}
