/* hs_ping.h: the traffic hs_load sends through each held session: ICMP echo
 * requests from the address the server pushed to the server's tunnel
 * address, the replies they bring back, and the pacing of the whole load.
 * Pure functions on buffers: no sockets, no clock of their own. */
#ifndef HS_PING_H
#define HS_PING_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 + ICMP header bytes, and the payload's own header (magic, send time) */
#define PING_HDR	28
#define PING_STAMP	12
#define PING_MIN	PING_STAMP
#define PING_MAX	1400

/* From a PUSH_REPLY's options (comma separated): our address (ifconfig's
 * first word) and the server's tunnel address (route-gateway, or for net30
 * and p2p the second word of ifconfig). Host order. 0, or -1 when no
 * ifconfig was pushed or no server address can be told. */
int ping_target(const char *opts, uint32_t *self, uint32_t *server);

/* An echo request with payload bytes (PING_MIN..PING_MAX) of which the first
 * carry a magic and sent_us; returns the packet length, 0 when cap is short. */
size_t ping_build(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, uint16_t id,
		  uint16_t seq, size_t payload, uint64_t sent_us);

/* 1 when pkt is an echo reply to self with this id that ping_build made:
 * *sent_us is its send time; 0 for anything else. Bounds-checked. */
int ping_reply(const uint8_t *pkt, size_t len, uint32_t self, uint16_t id, uint64_t *sent_us);

/* Pacing: rate packets per second per active session, spread over them.
 * Tokens accumulate with time; a loop that falls behind sends at most one
 * round of the active sessions at once, so the rate it reaches is what the
 * report shows, never a burst. */
struct pacer {
	double rate;		/* per session per second */
	double tokens;
	double last;		/* seconds */
};

/* Packets due now for active sessions. */
long pacer_due(struct pacer *p, double now, long active);

#endif
