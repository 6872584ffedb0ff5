/* cookie.c: HMAC session-id cookies and the first-reply rate limit of a
 * UDP server. */
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include "cookie.h"
#include "util.h"

int cookie_init(struct cookie *c)
{
	memset(c, 0, sizeof(*c));
	c->rate_max = COOKIE_RATE_DEFAULT;
	return ovpn_rand(c->key, sizeof(c->key));
}

int cookie_sid(const struct cookie *c, uint64_t now_ms, int hand_window, int offset,
	       const void *addr, size_t addrlen, const uint8_t csid[8], uint8_t out[8])
{
	uint64_t slot_len = (uint64_t)(hand_window > 0 ? (hand_window + 1) / 2 : 30);
	uint32_t slot = (uint32_t)((now_ms / 1000) / (slot_len ? slot_len : 1) + (int64_t)offset);
	uint8_t mac[32];
	Hmac h;
	int rc = -1;

	if (wc_HmacInit(&h, NULL, INVALID_DEVID) != 0)
		return -1;
	/* the slot's byte order does not matter: only we compute this */
	if (wc_HmacSetKey(&h, WC_SHA256, c->key, sizeof(c->key)) == 0 &&
	    wc_HmacUpdate(&h, (const byte *)&slot, sizeof(slot)) == 0 &&
	    wc_HmacUpdate(&h, addr, (word32)addrlen) == 0 && wc_HmacUpdate(&h, csid, 8) == 0 &&
	    wc_HmacFinal(&h, mac) == 0) {
		memcpy(out, mac, 8);
		rc = 0;
	}
	wc_HmacFree(&h);
	return rc;
}

int cookie_valid(const struct cookie *c, uint64_t now_ms, int hand_window, const void *addr,
		 size_t addrlen, const uint8_t csid[8], const uint8_t sid[8])
{
	uint8_t want[8];
	int ok = 0;

	for (int off = -2; off <= 1; off++)
		if (cookie_sid(c, now_ms, hand_window, off, addr, addrlen, csid, want) == 0)
			ok |= ovpn_ct_equal(want, sid, 8);
	return ok;
}

int cookie_rate_ok(struct cookie *c, uint64_t now_ms)
{
	if (now_ms - c->window_start >= COOKIE_RATE_WINDOW_MS || now_ms < c->window_start) {
		c->window_start = now_ms;
		c->sent = 0;
	}
	if (c->sent >= c->rate_max)
		return 0;
	c->sent++;
	return 1;
}
