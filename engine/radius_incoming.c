/* radius_incoming.c: /radius incoming, the port RADIUS servers send
 * Disconnect-Request and CoA-Request to (RFC 5176). radcli has no server
 * side, so these few packets are read here: a request counts only from the
 * address of an enabled /radius server and signed with its secret; it names
 * sessions by User-Name, Acct-Session-Id or Framed-IP-Address, all that are
 * given must match. A Disconnect ends them; a CoA sets their rate limit
 * from Mikrotik-Rate-Limit. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "radius.h"

enum { DISCONNECT = 40, DISCONNECT_ACK, DISCONNECT_NAK, COA, COA_ACK, COA_NAK };

/* Error-Cause values (RFC 5176 section 3.5) */
#define UNSUPPORTED_ATTRIBUTE 401
#define MISSING_ATTRIBUTE 402
#define INVALID_REQUEST 404
#define NO_SESSION 503

static int fd = -1, bound_port;

static int
matches(const struct peer *p, const struct radius_ask *q)
{
	char sid[9];

	if (p->closing || p->active_id <= 0 || !q->names)
		return 0;
	if (q->session[0] && !(p->radius && radius_peer_session(p, sid) && !strcmp(sid, q->session)))
		return 0;
	return (!q->user[0] || !strcmp(q->user, p->user)) && (!q->ip || q->ip == p->remote);
}

/* Do what it asks of each session it names: how many there were, or -1
 * with *cause when it can not be done. */
static int
act(struct engine *e, int code, const struct radius_ask *q, int *cause)
{
	char rate[128];
	int n = 0;

	if (!q->names) {
		*cause = MISSING_ATTRIBUTE;
		return -1;
	}
	if (code == COA && (!q->has_rate || radius_rate(q->rate, rate, sizeof(rate)) < 0)) {
		*cause = q->has_rate ? INVALID_REQUEST : UNSUPPORTED_ATTRIBUTE;
		return -1;
	}
	for (struct server *s = e->servers; s; s = s->next)
		for (struct peer *p = s->peers, *next; p; p = next) {
			next = p->next;
			if (!matches(p, q))
				continue;
			n++;
			if (code == COA) {
				pump_rate(&p->pump, rate);
				log_msg(LOG_INFO, "radius", "CoA: rate-limit of %s now %s", p->user,
					q->rate);
			} else {
				log_msg(LOG_INFO, "radius", "Disconnect-Message ends %s", p->user);
				radius_ended(p, "disconnected by RADIUS");
				peer_end(p, "disconnected by RADIUS");
			}
		}
	*cause = NO_SESSION;
	return n ? n : -1;
}

/* The secret of the enabled /radius server at that address, or NULL. */
static char *
secret_of(struct engine *e, const struct sockaddr_in *from)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/radius");
	struct cdb_item_list l;
	struct cdb_err err;
	char addr[16], *secret = NULL;

	inet_ntop(AF_INET, &from->sin_addr, addr, sizeof(addr));
	if (!m || cdb_item_list(e->db, m, &l, &err))
		return NULL;
	for (int i = 0; i < l.n && !secret; i++) {
		const char *a = cdb_item_text(m, &l.items[i], "address");
		const char *s = cdb_item_text(m, &l.items[i], "secret");

		if (a && s && !strcmp(a, addr) &&
		    strcmp(cdb_item_text(m, &l.items[i], "disabled"), "yes"))
			secret = strdup(s);
	}
	cdb_item_list_free(&l);
	return secret;
}

static void
answer(const uint8_t *req, int ok, int cause, const char *secret, const struct sockaddr_in *to)
{
	uint8_t a[26] = { (uint8_t)(req[0] + 2 - ok), req[1], 0, 20 };

	if (!ok) {
		memcpy(a + 20, (const uint8_t[]){ 101, 6, 0, 0, (uint8_t)(cause >> 8),
						  (uint8_t)cause }, 6);
		a[3] = 26;
	}
	radius_response_sign(a, a[3], req + 4, secret);
	if (sendto(fd, a, a[3], 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		log_msg(LOG_WARN, "radius", "answer to a %s not sent", req[0] == COA ? "CoA" :
			"Disconnect");
}

static void
on_packet(void *ctx, uint32_t events)
{
	struct engine *e = ctx;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint8_t pkt[4096];
	struct radius_ask q;
	char *secret;
	ssize_t n;
	int cause = INVALID_REQUEST, done;

	(void)events;
	n = recvfrom(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&from, &fl);
	if (n < 20 || fl != sizeof(from) || (pkt[0] != DISCONNECT && pkt[0] != COA))
		return;
	if (!(secret = secret_of(e, &from)) || !radius_request_valid(pkt, (size_t)n, secret)) {
		log_msg(LOG_WARN, "radius", "%s from %s dropped: not from a /radius server, or not "
			"signed with its secret", pkt[0] == COA ? "CoA" : "Disconnect-Request",
			inet_ntoa(from.sin_addr));
		free(secret);
		return;
	}
	done = radius_request_attrs(pkt + 20, (size_t)n - 20, &q) ? -1 : act(e, pkt[0], &q, &cause);
	answer(pkt, done > 0, cause, secret, &from);
	free(secret);
}

void
radius_incoming_close(struct engine *e)
{
	if (fd < 0)
		return;
	loop_del(e->loop, fd);
	close(fd);
	fd = -1;
	bound_port = 0;
}

static int
listen_on(struct engine *e, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a))) {
		log_msg(LOG_ERR, "radius", "incoming: can not listen on UDP port %d: %m", port);
		if (s >= 0)
			close(s);
		return -1;
	}
	fd = s;
	bound_port = port;
	loop_add(e->loop, fd, EPOLLIN, on_packet, e);
	return 0;
}

void
radius_incoming_reconcile(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/radius/incoming");
	struct cdb_item it = { 0 };
	struct cdb_err err;
	int accept = 0, port = 3799;

	if (m && !cdb_item_get(e->db, m, 1, &it, &err)) {
		accept = !strcmp(cdb_item_text(m, &it, "accept"), "yes");
		port = atoi(cdb_item_text(m, &it, "port"));
		cdb_item_clear(&it);
	}
	if (fd >= 0 && (!accept || port != bound_port))
		radius_incoming_close(e);
	if (accept && fd < 0 && !listen_on(e, port))
		log_msg(LOG_INFO, "radius", "incoming: listening on UDP port %d", port);
}
