/* route_check.c: check-gateway=ping for /ip route. Each gateway address a
 * route names with it is pinged every 10 s (ICMP echo on a raw socket); two
 * probes in a row without an answer make the gateway unreachable and its
 * routes inactive, and an answer brings them back, as RouterOS does. The
 * routes are applied again (ip_apply_soon) whenever a gateway changes. */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ip.h"
#include "log.h"

#define PROBE_MS 10000
#define MISSES_DOWN 2
#define MAX_GATEWAYS 64

struct gateway {
	uint32_t addr;			/* host order */
	int misses;			/* probes in a row without an answer */
	int answered;			/* since the last probe */
	int down;
	int wanted;			/* a route asked for it in this apply */
};

static struct gateway gw[MAX_GATEWAYS];
static int ngw;
static int sock = -1;
static uint16_t ident, seq;
static int refused_logged;

static struct gateway *
find(uint32_t addr)
{
	for (int i = 0; i < ngw; i++)
		if (gw[i].addr == addr)
			return &gw[i];
	return NULL;
}

int
route_check_down(uint32_t addr)
{
	struct gateway *g = find(addr);

	return g && g->down;
}

void
route_check_want(uint32_t addr)
{
	struct gateway *g = find(addr);

	if (!g && ngw < MAX_GATEWAYS) {
		g = &gw[ngw++];
		memset(g, 0, sizeof(*g));
		g->addr = addr;
		g->answered = 1;	/* a new gateway is up until it misses */
	}
	if (g)
		g->wanted = 1;
}

void
route_check_begin(void)
{
	for (int i = 0; i < ngw; i++)
		gw[i].wanted = 0;
}

static uint16_t
checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void
probe(const struct gateway *g)
{
	struct icmphdr h = { .type = ICMP_ECHO };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(g->addr) };

	h.un.echo.id = htons(ident);
	h.un.echo.sequence = htons(++seq);
	h.checksum = checksum(&h, sizeof(h));
	/* a send that fails (no route now) counts as a miss at the next tick */
	(void)sendto(sock, &h, sizeof(h), MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
}

/* Echo replies with our identifier: the gateway they come from answered. */
static void
on_reply(void *ctx, uint32_t events)
{
	struct engine *e = ctx;
	uint8_t buf[512];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	(void)events;
	while ((n = recvfrom(sock, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl)) > 0) {
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		const struct icmphdr *h = (const struct icmphdr *)(buf + ihl);
		struct gateway *g;

		fl = sizeof(from);
		if (ihl < 20 || (size_t)n < ihl + sizeof(*h) || h->type != ICMP_ECHOREPLY ||
		    ntohs(h->un.echo.id) != ident || !(g = find(ntohl(from.sin_addr.s_addr))))
			continue;
		g->answered = 1;
		g->misses = 0;
		if (g->down) {
			g->down = 0;
			log_msg(LOG_INFO, "route", "gateway %s answers ping again: its routes are back",
				inet_ntoa(from.sin_addr));
			ip_apply_soon(e);
		}
	}
}

static void
tick(void *ctx)
{
	struct engine *e = ctx;
	int changed = 0;

	for (int i = 0; i < ngw; i++) {
		struct gateway *g = &gw[i];
		struct in_addr a = { htonl(g->addr) };

		if (!g->answered && ++g->misses >= MISSES_DOWN && !g->down) {
			g->down = changed = 1;
			log_msg(LOG_WARN, "route", "gateway %s does not answer ping"
				" (check-gateway): its routes are inactive", inet_ntoa(a));
		}
		g->answered = 0;
		probe(g);
	}
	if (changed)
		ip_apply_soon(e);
	if (ngw)
		loop_timer(e->loop, loop_now() + PROBE_MS, tick, e);
}

static int
open_socket(struct engine *e)
{
	if (sock >= 0)
		return 0;
	sock = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (sock < 0) {
		if (!refused_logged++)
			log_msg(LOG_ERR, "route", "check-gateway=ping: can not open an ICMP socket"
				" (%s): gateways are not checked", strerror(errno));
		return -1;
	}
	ident = (uint16_t)getpid();
	if (loop_add(e->loop, sock, EPOLLIN, on_reply, e)) {
		close(sock);
		sock = -1;
		return -1;
	}
	loop_timer(e->loop, loop_now() + PROBE_MS, tick, e);
	return 0;
}

/* After an apply: gateways no route names any more are forgotten, and the
 * others are probed at the next tick. */
void
route_check_end(struct engine *e)
{
	int k = 0;

	for (int i = 0; i < ngw; i++)
		if (gw[i].wanted)
			gw[k++] = gw[i];
	ngw = k;
	if (ngw) {
		open_socket(e);
		return;
	}
	if (sock >= 0) {
		loop_timer(e->loop, 0, tick, e);
		loop_del(e->loop, sock);
		close(sock);
		sock = -1;
	}
}
