/* udp_gso.h: many datagrams per system call (see udp_gso.c). */
#ifndef UDP_GSO_H
#define UDP_GSO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define UDP_BATCH_BYTES 65000
#define UDP_BATCH_SEGS 64

/* Datagrams queued for one destination, sent together with UDP_SEGMENT. */
struct udp_batch {
	struct sockaddr_storage to;
	socklen_t tolen;
	size_t seg;			/* size of every datagram but the last */
	size_t len;			/* bytes queued */
	int count;
	int last_short;			/* the last one is smaller: nothing may follow */
	int no_gso;			/* the kernel refused UDP_SEGMENT: one by one */
	uint8_t buf[UDP_BATCH_BYTES];
};

/* Queue a datagram (to NULL, tolen 0 on a connected socket); sends what is
 * queued first when this one can not join it. Returns the number of datagrams sent by the call (>= 0). */
int udp_batch_add(struct udp_batch *b, int fd, const struct sockaddr *to, socklen_t tolen,
		  const uint8_t *pkt, size_t len);
/* Send what is queued; datagrams sent. */
int udp_batch_flush(struct udp_batch *b, int fd);

/* Ask for coalesced receives (UDP_GRO); 0, or -1 when the kernel can not. */
int udp_gro_enable(int fd);
/* The segment size of a received message from its control data, or 0 when
 * it holds a single datagram. */
size_t udp_gro_size(const struct msghdr *m);

#endif
