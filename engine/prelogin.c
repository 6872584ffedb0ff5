/* prelogin.c: connections that have not logged in yet. A TCP connection
 * costs us a peer and a TLS session from its first byte, so they are capped
 * per source address and in all, the oldest goes first when the cap is
 * reached, and each has a deadline to log in. Their ends, and what the
 * protocol says about them (UDP peers too), are counted and summarised
 * once a minute instead of a /log line each, so that nobody can wash the
 * log out by connecting and going away. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "log.h"
#include "loop.h"

/* Not logged in yet: no /ppp active row. */
static int
pending(const struct peer *p)
{
	return p->tcp >= 0 && !p->closing && p->active_id <= 0;
}

/* One source: the same IPv4 address, or the same IPv6 /64. */
static int
same_source(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

	if (a->ss_family != AF_INET6 || b->ss_family != AF_INET6)
		return a->ss_family == b->ss_family;
	if (IN6_IS_ADDR_V4MAPPED(&x->sin6_addr))
		return !memcmp(&x->sin6_addr, &y->sin6_addr, 16);
	return !memcmp(&x->sin6_addr, &y->sin6_addr, 8);
}

int
prelogin_admit(struct server *s, const struct sockaddr_storage *from)
{
	struct peer *oldest = NULL;
	int mine = 0, all = 0;

	for (struct peer *p = s->peers; p; p = p->next) {
		if (!pending(p))
			continue;
		all++;
		mine += same_source(&p->addr, from);
		if (!oldest || p->born < oldest->born)
			oldest = p;
	}
	if (mine >= PRELOGIN_PER_SOURCE) {
		s->pre.refused++;
		return -1;
	}
	if (all >= PRELOGIN_MAX && oldest)
		peer_gone(oldest, "too many connections waiting to log in");
	return 0;
}

void
prelogin_expire(struct server *s, uint64_t now)
{
	for (struct peer *p = s->peers, *nx; p; p = nx) {
		nx = p->next;
		if (pending(p) && now - p->born >= PRELOGIN_DEADLINE_MS)
			peer_gone(p, "no login in time");
	}
}

/* A peer that never logged in has ended: counted, with the most frequent
 * source found by a one-counter majority vote (enough to name a flood). */
void
prelogin_closed(struct server *s, const struct peer *p)
{
	char host[sizeof(p->caller)];

	snprintf(host, sizeof(host), "%s", p->caller);
	if (strrchr(host, ':'))
		*strrchr(host, ':') = '\0';
	s->pre.closed++;
	if (!strcmp(host, s->pre.top))
		s->pre.votes++;
	else if (s->pre.votes)
		s->pre.votes--;
	else {
		snprintf(s->pre.top, sizeof(s->pre.top), "%s", host);
		s->pre.votes = 1;
	}
}

/* What the protocol says about a peer that has not logged in (a failed
 * handshake, a packet that does not authenticate): the first of a minute
 * is logged, the others counted for the report with the last kept as an
 * example, so that peers forged from many ports can not flood the log. */
void
prelogin_note(struct server *s, const struct peer *p, int level, const char *msg)
{
	if (!s->pre.notes++)
		log_msg(level, "ovpn", "%s: %s", p->caller, msg);
	else
		snprintf(s->pre.note, sizeof(s->pre.note), "%s: %s", p->caller, msg);
}

void
prelogin_report(struct server *s, uint64_t now)
{
	if (!s->pre.since)
		s->pre.since = now;
	if (now - s->pre.since < PRELOGIN_REPORT_MS)	/* UINT64_MAX: report now */
		return;
	if (s->pre.closed || s->pre.refused)
		log_msg(LOG_INFO, "ovpn", "server %s: %u connections ended before login and %u were "
			"refused (too many waiting from one address) in the last minute or less, "
			"most from %s", s->name, s->pre.closed, s->pre.refused,
			s->pre.top[0] ? s->pre.top : "?");
	if (s->pre.notes > 1)
		log_msg(LOG_INFO, "ovpn", "server %s: %u more messages about peers not logged in "
			"in the last minute or less, the last: %s", s->name, s->pre.notes - 1,
			s->pre.note);
	memset(&s->pre, 0, sizeof(s->pre));
	s->pre.since = now;
}
