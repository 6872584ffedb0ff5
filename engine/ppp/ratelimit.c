/* ratelimit.c: a token bucket per direction, refilled at the profile's
 * rate and holding at most 100 ms of it (never less than a few full-size
 * packets), so a tunnel's average stays at the rate while short bursts
 * pass. Packets over the rate are dropped, as a policer does; TCP inside
 * the tunnel then settles at the rate. */
#include "ratelimit.h"

#define BURST_MS 100
#define BURST_MIN_BITS (4 * 1500 * 8)

static uint64_t
burst(const struct rate_limit *r)
{
	uint64_t b = r->bps / (1000 / BURST_MS);

	return b < BURST_MIN_BITS ? BURST_MIN_BITS : b;
}

void
rate_init(struct rate_limit *r, uint64_t bps, uint64_t now_ms)
{
	r->bps = bps;
	r->last_ms = now_ms;
	r->tokens = bps ? burst(r) : 0;
}

int
rate_allow(struct rate_limit *r, size_t len, uint64_t now_ms)
{
	uint64_t need = (uint64_t)len * 8;

	if (!r->bps)
		return 1;
	if (now_ms > r->last_ms) {
		uint64_t dt = now_ms - r->last_ms, add;

		/* no overflow: dt is capped at a second, bps at 2^64 / 1000 */
		if (dt > 1000)
			dt = 1000;
		add = r->bps / 1000 * dt + r->bps % 1000 * dt / 1000;
		r->tokens = r->tokens + add > burst(r) ? burst(r) : r->tokens + add;
		r->last_ms = now_ms;
	}
	if (r->tokens < need)
		return 0;
	r->tokens -= need;
	return 1;
}
