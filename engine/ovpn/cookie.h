/* cookie.h: the UDP server's stateless first reply (2.6 "cookie based
 * handshake", ssl_pkt.c calculate_session_id_hmac): our session id is an
 * HMAC-SHA256 over a time slot, the client's address and its session id,
 * so no state is kept until the client echoes it; and the rate limit on
 * those first replies (connect-freq-initial, 100 per 10 s by default). */
#ifndef OVPN_COOKIE_H
#define OVPN_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#define COOKIE_RATE_DEFAULT 100	/* 2.6's connect-freq-initial default */
#define COOKIE_RATE_WINDOW_MS 10000

struct cookie {
	uint8_t key[32];		/* random per process */
	uint64_t window_start;		/* ms */
	int sent;			/* replies in this window */
	int rate_max;			/* replies allowed per window */
};

int cookie_init(struct cookie *c);
/* The session id for client sid csid from addr, in slot now/((hw+1)/2)
 * moved by offset slots. */
int cookie_sid(const struct cookie *c, uint64_t now_ms, int hand_window, int offset,
	       const void *addr, size_t addrlen, const uint8_t csid[8], uint8_t out[8]);
/* 1 when sid is what we would have given (this slot or the adjacent ones,
 * offsets -2..1 as 2.6 accepts). */
int cookie_valid(const struct cookie *c, uint64_t now_ms, int hand_window, const void *addr,
		 size_t addrlen, const uint8_t csid[8], const uint8_t sid[8]);
/* 1 when one more first reply may go out now (and counts it); at most
 * rate_max (COOKIE_RATE_DEFAULT unless set) per COOKIE_RATE_WINDOW_MS. */
int cookie_rate_ok(struct cookie *c, uint64_t now_ms);

#endif
