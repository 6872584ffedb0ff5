/* cookie.h: the UDP server's stateless first reply (2.6 "cookie based
 * handshake", ssl_pkt.c calculate_session_id_hmac): our session id is an
 * HMAC-SHA256 over a time slot, the client's address and its session id,
 * so no state is kept until the client echoes it; and the rate limit on
 * those first replies (2.6's connect-freq-initial, 100 per 10 s, there for
 * all clients together; here for each source, so that forged resets from
 * one address cannot lock everyone else out). */
#ifndef OVPN_COOKIE_H
#define OVPN_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#define COOKIE_RATE_DEFAULT 100	/* 2.6's connect-freq-initial default */
#define COOKIE_RATE_WINDOW_MS 10000
#define COOKIE_NET_SHARE 4	/* a /24 (IPv6 /48) may have 4 sources' worth */
#define COOKIE_ALL_SHARE 50	/* all sources together, 50 sources' worth */
#define COOKIE_SOURCES 1024	/* buckets per table: a hash of the source */

/* First replies given in the current window to one source or network. */
struct cookie_bucket {
	uint64_t tag;			/* keyed hash of the source, 0 unused */
	uint64_t start;			/* ms when its window began */
	uint32_t sent;
};

struct cookie {
	uint8_t key[32];		/* random per process */
	uint64_t seed;			/* keys the source hash */
	int rate_max;			/* replies allowed per source and window */
	struct cookie_bucket all;	/* every source */
	struct cookie_bucket host[COOKIE_SOURCES];	/* an address (IPv6: /64) */
	struct cookie_bucket net[COOKIE_SOURCES];	/* a /24 (IPv6: /48) */
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
/* 1 when one more first reply may go to the source at addr (a sockaddr_in
 * or sockaddr_in6) now, and counts it: at most rate_max per window to one
 * source, COOKIE_NET_SHARE times that to its network, and COOKIE_ALL_SHARE
 * times that to everyone. A flood from one place, whatever its ports, uses
 * up its own allowance and leaves the others theirs. */
int cookie_rate_ok(struct cookie *c, uint64_t now_ms, const void *addr, size_t addrlen);

#endif
