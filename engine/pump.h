/* pump.h: the data path of one tunnel between its tun/tap interface and
 * its OpenVPN session, the same for a server's peer and for a client
 * (pump.c): the interface's counters, the profile's rate-limit, and the
 * batch that sends and writes a wake-up's packets together. */
#ifndef PUMP_H
#define PUMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "loop.h"
#include "ovpn/session.h"
#include "ppp/ratelimit.h"

struct tun_gro;
struct udp_batch;

/* What one wake-up's packets queue, written at its end with few system
 * calls: a server keeps one for all its peers, a client one of its own. */
struct pump_batch {
	int on;				/* queue now; pump_batch_flush() writes */
	struct udp_batch *udp;		/* UDP: datagrams to send (udp_gso.c) */
	struct tun_gro *gro;		/* TCP segments joined for a tun (tun_gro.c) */
};

/* Make what is missing of what a socket (udp) and a tun with offloads
 * (gro) need; without it (out of memory) packets go one by one. */
void pump_batch_want(struct pump_batch *b, int udp, int gro);
/* One datagram to the socket (to NULL when it is connected): queued while
 * the batch is on, else sent at once. */
void pump_batch_send(struct pump_batch *b, int fd, const struct sockaddr *to, socklen_t tolen,
		     const uint8_t *pkt, size_t len);
/* Send and write what was queued, and stop queueing. */
void pump_batch_flush(struct pump_batch *b, int fd);
void pump_batch_free(struct pump_batch *b);

#define PUMP_RECV_BATCH 16		/* messages per recvmmsg */
#define PUMP_RECV_MAX 65536		/* one message: a datagram or a UDP_GRO run */
/* One datagram pump_udp_read() took: from as the kernel gave it. */
typedef void (*pump_datagram_fn)(void *ctx, const uint8_t *pkt, size_t len,
				 struct sockaddr_storage *from, socklen_t fromlen, uint64_t now);
/* A UDP server socket's datagrams: at most rounds recvmmsg calls of
 * PUMP_RECV_BATCH (fewer when one comes back short), each message cut at
 * its GRO segment size and handed to fn, the batch b on meanwhile and
 * flushed after each call. */
void pump_udp_read(int fd, uint8_t (*bufs)[PUMP_RECV_MAX], int rounds, struct pump_batch *b,
		   pump_datagram_fn fn, void *ctx);

struct pump {
	int tun;			/* tun/tap fd, -1 while there is none */
	int gso;			/* opened with offloads (tun_gso.c) */
	const char *ifname;		/* its owner's interface name, for the log */
	uint64_t rx_bytes, rx_pkts;	/* out of the tunnel into the interface */
	uint64_t tx_bytes, tx_pkts;	/* read from the interface into the tunnel */
	struct rate_limit rx_rate, tx_rate;	/* the profile's rate-limit */
};

/* No interface yet, no limit; ifname is the owner's, kept by pointer. */
void pump_init(struct pump *p, const char *ifname);
/* Make the interface: ip mode takes TCP bursts whole from the kernel
 * (tun_gso.c), ethernet mode is a plain tap. 0, or -1 with err set. */
int pump_open(struct pump *p, int tap, char *err, size_t errlen);
/* A profile's rate-limit text ("rx/tx", NULL or empty: none). */
void pump_rate(struct pump *p, const char *rate_limit);
/* One packet the session decrypted, into the interface; joined into the
 * batch's burst while it is on. 0, or -1 when the rate-limit dropped it
 * (it is not counted then). */
int pump_to_tun(struct pump *p, struct pump_batch *b, const uint8_t *pkt, size_t len);
/* What the kernel routes into the tunnel, a few reads of it, cut into
 * packets and handed to sess; read and dropped while sess is NULL or
 * *stop is set, or the descriptor stays readable for ever. */
void pump_from_tun(struct pump *p, struct ovpn_sess *sess, const int *stop);
/* Close the interface (the kernel removes it, its addresses and routes);
 * a burst the batch holds for it goes with it. */
void pump_close(struct pump *p, struct loop *loop, struct pump_batch *b);

#endif
