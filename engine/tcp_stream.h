/* tcp_stream.h: OpenVPN's packets on a TCP connection, each a 16-bit
 * length and the bytes, for a server's peer and a client alike
 * (tcp_stream.c): what was read of a packet and what the socket did not
 * take yet. */
#ifndef TCP_STREAM_H
#define TCP_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"

struct tcp_stream {
	uint8_t *rx;			/* what was read, from off on not yet taken */
	size_t rxlen, off;
	uint8_t *tx;			/* what the socket did not take yet */
	size_t txlen, txcap;
	int full;			/* the socket is full: EPOLLOUT is watched */
};

/* One read of what the connection has: bytes read, 0 when it ended, -1
 * with errno (EAGAIN: nothing more for now). */
ssize_t tcp_stream_read(struct tcp_stream *t, int fd);
/* The next whole packet read (empty ones are skipped), or NULL; it stays
 * valid until the next read. */
const uint8_t *tcp_stream_packet(struct tcp_stream *t, size_t *len);
/* Send one packet, or queue it behind those the socket did not take yet.
 * 0, -1 when the connection failed (errno), -2 when it holds too much
 * that the other end does not read (the packet is dropped). */
int tcp_stream_send(struct tcp_stream *t, int fd, struct loop *loop, const uint8_t *pkt,
		    size_t len);
/* The socket can take more (EPOLLOUT): send what waits. 0, or -1 when the
 * connection failed (errno). */
int tcp_stream_flush(struct tcp_stream *t, int fd, struct loop *loop);
/* Forget both ways, for the next connection. */
void tcp_stream_free(struct tcp_stream *t);

#endif
