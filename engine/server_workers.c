/* server_workers.c: a UDP server with workers (workers.c) has one socket
 * per worker in a SO_REUSEPORT group, so the kernel spreads clients over
 * them by their address and port, and keeps each on one. A worker opens
 * and seals the data packets of the peers it carries; everything else (a
 * new client, the control channel, a peer another worker carries) goes to
 * the control thread as it arrived. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine.h"
#include "net/udp_gso.h"
#include "ovpn/packet.h"
#include "workers.h"

#define MSGMAX PUMP_RECV_MAX
#define ROUNDS 4		/* recvmmsg calls per wake-up */

/* One worker's socket of one server, with what it receives into. */
struct srv_sock {
	struct server *s;
	int fd, idx;
	struct pump_batch batch;	/* what its peers queue in one wake-up */
	uint8_t (*bufs)[MSGMAX];
};

/* What a worker hands to the control thread: the datagram and its source. */
struct handoff {
	struct sockaddr_storage from;
	socklen_t alen;
	int idx;
	uint8_t pkt[];
};

struct pump_batch *
server_worker_batch(struct server *s, int worker)
{
	return &s->socks[worker].batch;
}

int
server_worker_fd(struct server *s, int worker)
{
	return s->socks[worker].fd;
}

static void
on_handoff(void *ctx, const void *data, size_t len)
{
	struct server *s = ctx;
	const struct handoff *h = data;
	struct sockaddr_storage from = h->from;

	s->batch.on = 1;
	server_datagram(s, h->pkt, len - offsetof(struct handoff, pkt), &from, h->alen,
			loop_now(), h->idx);
	pump_batch_flush(&s->batch, s->fd);
}

static void
datagram(struct srv_sock *k, const uint8_t *pkt, size_t len, const struct sockaddr_storage *from,
	 socklen_t alen, uint64_t now)
{
	struct peer *p = server_peer_by_addr(k->s, from, alen);
	union {	/* a handoff with room for the largest datagram */
		struct handoff h;
		uint8_t room[sizeof(struct handoff) + MSGMAX];
	} c;

	if (!len)
		return;
	if (p && p->worker == k->idx && ovpn_op_is_data(OVPN_OP(pkt[0]))) {
		ovpn_sess_input(p->sess, pkt, len, now);
		return;
	}
	if (alen > sizeof(c.h.from) || len > MSGMAX)
		return;
	memcpy(&c.h.from, from, alen);
	c.h.alen = alen;
	c.h.idx = k->idx;
	memcpy(c.h.pkt, pkt, len);
	worker_defer(on_handoff, k->s, &c, offsetof(struct handoff, pkt) + len);
}

static void
udp_datagram(void *ctx, const uint8_t *pkt, size_t len, struct sockaddr_storage *from,
	     socklen_t fromlen, uint64_t now)
{
	datagram(ctx, pkt, len, from, fromlen, now);
}

/* As server.c's on_udp, on a worker: a few batches, then back to epoll. */
static void
on_udp(void *ctx, uint32_t events)
{
	struct srv_sock *k = ctx;

	(void)events;
	pump_udp_read(k->fd, k->bufs, ROUNDS, &k->batch, udp_datagram, k);
}

/* The port must be free: SO_REUSEPORT alone would let a second server of
 * ours (or another program of the same user) share it. A plain socket
 * bound for a moment tells. */
int
server_workers_listen(struct server *s, int port, const char *vrf, char *err, size_t errlen)
{
	int n = workers_count(), probe = server_socket(s, port, vrf, 0, err, errlen);

	if (probe < 0)
		return -1;
	close(probe);
	if (!(s->socks = calloc((size_t)n, sizeof(*s->socks)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++)
		s->socks[i].fd = -1;
	for (int i = 0; i < n; i++) {
		struct srv_sock *k = &s->socks[i];

		*k = (struct srv_sock){ .s = s, .idx = i };
		if ((k->fd = server_socket(s, port, vrf, 1, err, errlen)) < 0)
			return -1;
		if (!(k->bufs = malloc(PUMP_RECV_BATCH * sizeof(*k->bufs))) ||
		    worker_watch(i, k->fd, on_udp, k)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		udp_gro_enable(k->fd);
		pump_batch_want(&k->batch, 1, !s->tap);
	}
	s->fd = s->socks[0].fd;
	return 0;
}

void
server_workers_close(struct server *s)
{
	for (int i = 0; s->socks && i < workers_count(); i++) {
		struct srv_sock *k = &s->socks[i];

		if (k->fd >= 0) {
			worker_unwatch(i, k->fd);
			close(k->fd);
		}
		pump_batch_free(&k->batch);
		free(k->bufs);
	}
	free(s->socks);
	s->socks = NULL;
	s->fd = -1;
}
