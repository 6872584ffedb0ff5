/* filter_time.c: a filter rule's time= (8h-17h,mon,tue), read in the
 * machine's local time zone as RouterOS reads it in its own, turned into
 * what the kernel can match: nft's meta hour is the second of the day in
 * UTC, and meta day is the day of the week in the kernel's own time zone
 * (settimeofday's, most often UTC). The local week is shifted by both
 * offsets and cut where either day changes; each piece is one rule. The
 * offsets are looked at again every second, so a change of daylight saving
 * time rewrites the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "filter_time.h"

#define DAY 86400L
#define WEEK (7 * DAY)

static long local_off, kernel_off;	/* seconds east of UTC */

/* RouterOS's time: 8h, 8h30m, 08:30:00, 30600; 0 .. 1d */
static const char *
clock_of(const char *s, size_t n, long *sec)
{
	char text[32];
	long long v;

	if (!n || n >= sizeof(text))
		return "time: a start and an end, such as 8h-17h";
	memcpy(text, s, n);
	text[n] = '\0';
	if (cdb_parse_time(text, &v) || v < 0 || v > DAY)
		return "time: a time of day is 0s .. 1d, such as 8h30m or 08:30:00";
	*sec = (long)v;
	return NULL;
}

static const char *
days_of(const char *p, unsigned *days)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

	*days = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int found = 0;

		for (int d = 0; d < 7; d++)
			if (len == 3 && !strncmp(p, names[d], 3))
				*days |= 1u << d, found = 1;
		if (!found)
			return "time: days are sun, mon, tue, wed, thu, fri, sat";
		p += len + (p[len] == ',');
	}
	if (!*days)
		*days = 0x7f;
	return NULL;
}

const char *
filter_time_parse(const char *v, struct filter_time *t)
{
	const char *dash = strchr(v, '-'), *comma;
	const char *why;

	memset(t, 0, sizeof(*t));
	if (!dash)
		return "time: a start and an end, such as 8h-17h";
	comma = strchr(dash, ',');
	if ((why = clock_of(v, (size_t)(dash - v), &t->start)) ||
	    (why = clock_of(dash + 1, comma ? (size_t)(comma - dash - 1) : strlen(dash + 1), &t->end)))
		return why;
	if (t->start >= t->end)
		return "time: the start must come before the end (split a time over midnight in two rules)";
	return days_of(comma ? comma + 1 : "", &t->days);
}

static long
wrap(long w)
{
	return ((w % WEEK) + WEEK) % WEEK;
}

/* A span of UTC week seconds [s, e), cut into pieces; the count made. */
static int
cut(long s, long e, struct filter_time_piece *out, int n, int max)
{
	while (s < e && n < max) {
		long k = wrap(s + kernel_off);	/* the kernel's clock */
		long next = s + (DAY - s % DAY), kday = s + (DAY - k % DAY);

		if (kday < next)
			next = kday;
		if (next > e)
			next = e;
		out[n++] = (struct filter_time_piece){ (int)(k / DAY), (int)(k / DAY),
						       s % DAY, (next - 1) % DAY };
		s = next;
	}
	return n;
}

/* Pieces next to each other with the same seconds, one day after the other,
 * become one piece with a range of days. */
static int
merge(struct filter_time_piece *p, int n)
{
	int m = 0;

	for (int i = 0; i < n; i++) {
		if (m && p[m - 1].sec_lo == p[i].sec_lo && p[m - 1].sec_hi == p[i].sec_hi &&
		    p[m - 1].day_hi + 1 == p[i].day_lo) {
			p[m - 1].day_hi = p[i].day_hi;
			continue;
		}
		p[m++] = p[i];
	}
	return m;
}

/* By the seconds, then the day: the same hours of following days meet. */
static int
by_hours(const void *a, const void *b)
{
	const struct filter_time_piece *x = a, *y = b;

	if (x->sec_lo != y->sec_lo)
		return x->sec_lo < y->sec_lo ? -1 : 1;
	if (x->sec_hi != y->sec_hi)
		return x->sec_hi < y->sec_hi ? -1 : 1;
	return x->day_lo - y->day_lo;
}

int
filter_time_pieces(const struct filter_time *t, struct filter_time_piece *out, int max)
{
	int n = 0;

	for (int d = 0; d < 7; d++) {
		long s, e;

		if (!(t->days & (1u << d)))
			continue;
		/* week seconds from Sunday 00:00 UTC; the epoch was a Thursday */
		s = wrap(d * DAY + t->start - local_off);
		e = s + (t->end - t->start) + (t->end == DAY ? 0 : 1);
		if (e > WEEK) {
			n = cut(s, WEEK, out, n, max);
			n = cut(0, e - WEEK, out, n, max);
		} else {
			n = cut(s, e, out, n, max);
		}
	}
	qsort(out, (size_t)n, sizeof(*out), by_hours);
	return merge(out, n);
}

void
filter_time_set_offsets(long local, long kernel)
{
	local_off = local;
	kernel_off = kernel;
}

int
filter_time_offsets_changed(void)
{
	struct timeval tv;
	struct timezone tz = { 0, 0 };
	struct tm tm;
	time_t now = time(NULL);
	long local, kernel = 0;

	tzset();
	local = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
	/* the C library no longer hands out the kernel's zone: ask the kernel */
	if (!syscall(SYS_gettimeofday, &tv, &tz))
		kernel = -60L * tz.tz_minuteswest;
	if (local == local_off && kernel == kernel_off)
		return 0;
	filter_time_set_offsets(local, kernel);
	return 1;
}
