/* cookie.c: HMAC session-id cookies and the first-reply rate limit of a
 * UDP server. */
#include <arpa/inet.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include "cookie.h"
#include "util.h"

int cookie_init(struct cookie *c)
{
	memset(c, 0, sizeof(*c));
	c->rate_max = COOKIE_RATE_DEFAULT;
	if (ovpn_rand((uint8_t *)&c->seed, sizeof(c->seed)) < 0)
		return -1;
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

/* splitmix64's finaliser over seed and value: unpredictable to a peer that
 * does not know the seed, so it cannot aim its sources at one bucket. */
static uint64_t mix(uint64_t seed, uint64_t v)
{
	v += seed + 0x9e3779b97f4a7c15ULL;
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
	v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
	return (v ^ (v >> 31)) | 1;	/* never 0, the unused tag */
}

/* The hashes of the source's host and network; 0 for an address we cannot
 * read, which then counts only against the total. */
static void source_tags(const struct cookie *c, const void *addr, size_t addrlen,
			uint64_t *host, uint64_t *net)
{
	const struct sockaddr *sa = addr;
	const uint8_t *b = NULL;
	uint32_t a;
	uint64_t p64 = 0;

	*host = *net = 0;
	if (addrlen >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET)
		b = (const uint8_t *)&((const struct sockaddr_in *)addr)->sin_addr.s_addr;
	else if (addrlen >= sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		b = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
		if (!IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)b)) {
			for (int i = 0; i < 8; i++)
				p64 = p64 << 8 | b[i];
			*host = mix(c->seed ^ 6, p64);	/* a /64: what one host is given */
			*net = mix(c->seed ^ 7, p64 >> 16);	/* its /48 */
			return;
		}
		b += 12;	/* IPv4 on the dual-stack socket */
	}
	if (!b)
		return;
	a = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	*host = mix(c->seed, 4ULL << 32 | a);
	*net = mix(c->seed ^ 1, 4ULL << 32 | (a & 0xffffff00u));
}

/* The bucket of tag in table: its own, or the slot taken over when another
 * source's window there has run out (or, when full, taken over anyway: a
 * source that loses its count this way only gains a fresh allowance). */
static struct cookie_bucket *slot(struct cookie_bucket *table, uint64_t tag, uint64_t now_ms)
{
	struct cookie_bucket *b = &table[tag % COOKIE_SOURCES];

	if (b->tag != tag || now_ms - b->start >= COOKIE_RATE_WINDOW_MS || now_ms < b->start) {
		b->tag = tag;
		b->start = now_ms;
		b->sent = 0;
	}
	return b;
}

static int room(struct cookie_bucket *b, uint64_t now_ms, uint32_t max)
{
	if (now_ms - b->start >= COOKIE_RATE_WINDOW_MS || now_ms < b->start) {
		b->start = now_ms;
		b->sent = 0;
	}
	return b->sent < max;
}

int cookie_rate_ok(struct cookie *c, uint64_t now_ms, const void *addr, size_t addrlen)
{
	uint32_t max = c->rate_max > 0 ? (uint32_t)c->rate_max : COOKIE_RATE_DEFAULT;
	struct cookie_bucket *host = NULL, *net = NULL;
	uint64_t htag, ntag;

	source_tags(c, addr, addrlen, &htag, &ntag);
	if (htag) {
		host = slot(c->host, htag, now_ms);
		net = slot(c->net, ntag, now_ms);
		if (host->sent >= max || net->sent >= max * COOKIE_NET_SHARE)
			return 0;
	}
	if (!room(&c->all, now_ms, max * COOKIE_ALL_SHARE))
		return 0;
	c->all.sent++;
	if (host) {
		host->sent++;
		net->sent++;
	}
	return 1;
}
