/* filter_time.h: a filter rule's time= as the kernel's day of the week and
 * UTC second of the day (filter_time.c). */
#ifndef FILTER_TIME_H
#define FILTER_TIME_H

#include "configdb.h"

struct filter_time {
	long start, end;	/* local seconds of the day, end inclusive (1d: to midnight) */
	unsigned days;		/* bit 0 Sunday .. bit 6 Saturday */
};

/* One rule's worth: days day_lo..day_hi (the kernel's), seconds
 * sec_lo..sec_hi (UTC), inclusive. */
struct filter_time_piece {
	int day_lo, day_hi;
	long sec_lo, sec_hi;
};

#define FILTER_TIME_PIECES 32	/* enough for any time= */

/* "8h-17h,mon,tue": NULL, or why not. */
const char *filter_time_parse(const char *v, struct filter_time *t);
/* The pieces for the offsets now; their count. */
int filter_time_pieces(const struct filter_time *t, struct filter_time_piece *out, int max);
/* Seconds east of UTC of the local zone and of the kernel's (tests). */
void filter_time_set_offsets(long local, long kernel);
/* Read the offsets again: 1 when they changed (the rules must be
 * written again), else 0. */
int filter_time_offsets_changed(void);

#endif
