/* hs_ping.c: ICMP echo packets for hs_load's traffic (see hs_ping.h). The
 * server's kernel answers them through its tun for roshd and for stock
 * OpenVPN alike, so the same load measures both. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_ping.h"

#define PING_MAGIC	0x68734c64u	/* "hsLd" */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* the Internet checksum (RFC 1071) */
static uint16_t
csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int
ip4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* a netmask has its ones first: 255.255.248.0, never a host address */
static int
is_mask(uint32_t v)
{
	return v && (~v & (~v + 1)) == 0;
}

int
ping_target(const char *opts, uint32_t *self, uint32_t *server)
{
	char copy[4096], *save = NULL, *t, a[64], b[64];
	uint32_t gw = 0, peer = 0, me = 0, x;
	int have = 0;

	snprintf(copy, sizeof(copy), "%s", opts ? opts : "");
	for (t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		if (sscanf(t, "route-gateway %63s", a) == 1 && !ip4(a, &x))
			gw = x;
		else if (sscanf(t, "ifconfig %63s %63s", a, b) == 2 && !ip4(a, &me) &&
			 !ip4(b, &x)) {
			have = 1;
			peer = is_mask(x) ? 0 : x;
		}
	}
	if (!have || !(gw || peer))
		return -1;
	*self = me;
	*server = gw ? gw : peer;
	return 0;
}

size_t
ping_build(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
	   size_t payload, uint64_t sent_us)
{
	size_t len = PING_HDR + payload;
	uint8_t *icmp = buf + 20;

	if (payload < PING_MIN || payload > PING_MAX || cap < len)
		return 0;
	memset(buf, 0, len);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)len);
	put16(buf + 4, seq);		/* IP id */
	buf[8] = 64;			/* TTL */
	buf[9] = 1;			/* ICMP */
	put32(buf + 12, src);
	put32(buf + 16, dst);
	put16(buf + 10, csum(buf, 20));
	icmp[0] = 8;			/* echo request */
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	put32(icmp + 8, PING_MAGIC);
	put32(icmp + 12, (uint32_t)(sent_us >> 32));
	put32(icmp + 16, (uint32_t)sent_us);
	for (size_t i = 8 + PING_STAMP; i < 8 + payload; i++)
		icmp[i] = (uint8_t)i;
	put16(icmp + 2, csum(icmp, 8 + payload));
	return len;
}

int
ping_reply(const uint8_t *pkt, size_t len, uint32_t self, uint16_t id, uint64_t *sent_us)
{
	size_t ihl, tot;
	const uint8_t *icmp;

	if (len < 20 || pkt[0] >> 4 != 4)
		return 0;
	ihl = (size_t)(pkt[0] & 15) * 4;
	tot = (size_t)pkt[2] << 8 | pkt[3];
	if (ihl < 20 || tot > len || tot < ihl + 8 + PING_STAMP || pkt[9] != 1)
		return 0;
	if (get32(pkt + 16) != self)
		return 0;
	icmp = pkt + ihl;
	if (icmp[0] != 0 || ((uint16_t)(icmp[4] << 8 | icmp[5])) != id ||
	    get32(icmp + 8) != PING_MAGIC)
		return 0;
	*sent_us = (uint64_t)get32(icmp + 12) << 32 | get32(icmp + 16);
	return 1;
}

long
pacer_due(struct pacer *p, double now, long active)
{
	long n;

	if (p->rate <= 0 || active <= 0) {
		p->tokens = 0;
		p->last = now;
		return 0;
	}
	if (p->last > 0 && now > p->last)
		p->tokens += (now - p->last) * p->rate * (double)active;
	p->last = now;
	if (p->tokens > (double)active)
		p->tokens = (double)active;
	n = (long)p->tokens;
	p->tokens -= (double)n;
	return n;
}
