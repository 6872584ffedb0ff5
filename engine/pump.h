/* pump.h: the data path of one tunnel between its tun/tap interface and
 * its OpenVPN session, the same for a server's peer and for a client
 * (pump.c): the interface's counters and the profile's rate-limit. */
#ifndef PUMP_H
#define PUMP_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "ovpn/session.h"
#include "ppp/ratelimit.h"

struct tun_gro;

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
/* One packet the session decrypted, into the interface; joined into gro's
 * burst when the caller batches (gro not NULL). 0, or -1 when the
 * rate-limit dropped it (it is not counted then). */
int pump_to_tun(struct pump *p, struct tun_gro *gro, const uint8_t *pkt, size_t len);
/* What the kernel routes into the tunnel, a few reads of it, cut into
 * packets and handed to sess; read and dropped while sess is NULL or
 * *stop is set, or the descriptor stays readable for ever. */
void pump_from_tun(struct pump *p, struct ovpn_sess *sess, const int *stop);
/* Close the interface (the kernel removes it, its addresses and routes);
 * a burst held for it in gro goes with it. */
void pump_close(struct pump *p, struct loop *loop, struct tun_gro *gro);

#endif
