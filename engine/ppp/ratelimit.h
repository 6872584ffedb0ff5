/* ratelimit.h: a profile's rate-limit applied to one tunnel (ratelimit.c). */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct rate_limit {
	uint64_t bps;			/* 0: no limit */
	uint64_t tokens;		/* bits that may pass now */
	uint64_t last_ms;
};

/* bps 0 means unlimited. */
void rate_init(struct rate_limit *r, uint64_t bps, uint64_t now_ms);
/* 1 when a packet of len bytes may pass now (and takes its share), 0 when
 * it must be dropped. */
int rate_allow(struct rate_limit *r, size_t len, uint64_t now_ms);

#endif
