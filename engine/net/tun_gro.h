/* tun_gro.h: TCP segments joined into bursts before they go to a TUN
 * interface (see tun_gro.c). */
#ifndef TUN_GRO_H
#define TUN_GRO_H

#include <stddef.h>
#include <stdint.h>

#define TUN_GRO_MAX 65000

struct tun_gro {
	int fd;				/* the interface the burst is for, -1: none */
	size_t len;			/* bytes held (one IPv4 packet) */
	size_t hl;			/* its IP + TCP header length */
	size_t mss;			/* payload of every segment but the last */
	int segs;
	int closed;			/* a short or PSH segment ended the burst */
	uint32_t next_seq;
	uint8_t buf[TUN_GRO_MAX];
};

void tun_gro_init(struct tun_gro *g);
/* Hand one IP packet for interface fd (opened by tun_open_gso): joined to
 * the burst held when it continues it, else the burst is written first.
 * 0, or -1 when a write failed (errno). */
int tun_gro_add(struct tun_gro *g, int fd, const uint8_t *pkt, size_t len);
/* Write the burst held, if any. */
int tun_gro_flush(struct tun_gro *g);

#endif
