/* tcp_stream.c: the framing of OpenVPN over TCP, and the bytes a socket
 * did not take: they wait, and EPOLLOUT is watched only while they do, so
 * a packet that goes at once costs one send and nothing more. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "tcp_stream.h"

#define RX_MAX (2 + 65535)	/* the longest packet and its length */
#define TX_MAX (1u << 22)	/* a peer that reads nothing */

ssize_t
tcp_stream_read(struct tcp_stream *t, int fd)
{
	ssize_t n;

	if (!t->rx && !(t->rx = malloc(RX_MAX))) {
		errno = ENOMEM;
		return -1;
	}
	if (t->off) {
		memmove(t->rx, t->rx + t->off, t->rxlen - t->off);
		t->rxlen -= t->off;
		t->off = 0;
	}
	n = recv(fd, t->rx + t->rxlen, RX_MAX - t->rxlen, MSG_DONTWAIT);
	if (n > 0)
		t->rxlen += (size_t)n;
	return n;
}

const uint8_t *
tcp_stream_packet(struct tcp_stream *t, size_t *len)
{
	while (t->rxlen - t->off >= 2) {
		size_t n = (size_t)t->rx[t->off] << 8 | t->rx[t->off + 1];
		const uint8_t *pkt = t->rx + t->off + 2;

		if (t->rxlen - t->off - 2 < n)
			break;
		t->off += 2 + n;
		if (n) {
			*len = n;
			return pkt;
		}
	}
	return NULL;
}

int
tcp_stream_flush(struct tcp_stream *t, int fd, struct loop *loop)
{
	while (t->txlen) {
		ssize_t n = send(fd, t->tx, t->txlen, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!t->full)
				loop_mod(loop, fd, EPOLLIN | EPOLLOUT);
			t->full = 1;
			return 0;
		}
		if (n <= 0) {
			if (!n)
				errno = EPIPE;
			return -1;
		}
		memmove(t->tx, t->tx + n, t->txlen - (size_t)n);
		t->txlen -= (size_t)n;
	}
	if (t->full)
		loop_mod(loop, fd, EPOLLIN);
	t->full = 0;
	return 0;
}

int
tcp_stream_send(struct tcp_stream *t, int fd, struct loop *loop, const uint8_t *pkt, size_t len)
{
	if (t->txlen + len + 2 > t->txcap) {
		uint8_t *tx;

		if (t->txlen + len + 2 > TX_MAX)
			return -2;
		if (!(tx = realloc(t->tx, (t->txlen + len + 2) * 2)))
			return -2;
		t->tx = tx;
		t->txcap = (t->txlen + len + 2) * 2;
	}
	t->tx[t->txlen++] = len >> 8;
	t->tx[t->txlen++] = len & 255;
	memcpy(t->tx + t->txlen, pkt, len);
	t->txlen += len;
	/* while the socket is full, EPOLLOUT brings the loop back to it */
	return t->full ? 0 : tcp_stream_flush(t, fd, loop);
}

void
tcp_stream_free(struct tcp_stream *t)
{
	free(t->rx);
	free(t->tx);
	memset(t, 0, sizeof(*t));
}
