/* udp_gso.c: the kernel's UDP segmentation and receive offloads. A burst
 * of same-size datagrams to one peer leaves in one sendmsg (UDP_SEGMENT),
 * and a burst from one peer arrives in one recvmsg (UDP_GRO): one trip
 * through the stack instead of one per packet, which is most of what a
 * userspace tunnel spends per packet. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>

#include "udp_gso.h"

#ifndef SOL_UDP
#define SOL_UDP 17
#endif

static int
send_one(int fd, const struct udp_batch *b, const uint8_t *p, size_t len)
{
	const struct sockaddr *to = b->tolen ? (const struct sockaddr *)&b->to : NULL;

	return sendto(fd, p, len, MSG_DONTWAIT, to, b->tolen) < 0 ? 0 : 1;
}

int
udp_batch_flush(struct udp_batch *b, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { b->buf, b->len };
	struct msghdr m = { .msg_name = b->tolen ? &b->to : NULL, .msg_namelen = b->tolen,
			    .msg_iov = &iov, .msg_iovlen = 1 };
	int sent = 0;

	if (b->count == 0)
		return 0;
	if (b->count == 1 || b->no_gso)
		goto one_by_one;
	memset(&ctl, 0, sizeof(ctl));
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof(ctl.buf);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
	uint16_t seg = (uint16_t)b->seg;
	memcpy(CMSG_DATA(c), &seg, sizeof(seg));
	if (sendmsg(fd, &m, MSG_DONTWAIT) >= 0) {
		sent = b->count;
		goto done;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		goto done;	/* a full buffer drops the burst, as it would drop packets */
	/* datagrams larger than the path (the kernel will not fragment a
	 * segmented send) or no UDP_SEGMENT here at all: one by one */
	if (errno == ENOPROTOOPT)
		b->no_gso = 1;
one_by_one:
	for (size_t off = 0; off < b->len; off += b->seg)
		sent += send_one(fd, b, b->buf + off, b->len - off < b->seg ? b->len - off : b->seg);
done:
	b->count = 0;
	b->len = 0;
	b->last_short = 0;
	return sent;
}

int
udp_batch_add(struct udp_batch *b, int fd, const struct sockaddr *to, socklen_t tolen,
	      const uint8_t *pkt, size_t len)
{
	int sent = 0;

	if (len == 0 || len > sizeof(b->buf) || tolen > sizeof(b->to) || (tolen && !to))
		return 0;
	if (b->count && (b->last_short || len > b->seg || b->len + len > sizeof(b->buf) ||
			 b->count == UDP_BATCH_SEGS || tolen != b->tolen ||
			 (tolen && memcmp(to, &b->to, tolen))))
		sent = udp_batch_flush(b, fd);
	if (b->count == 0) {
		if (tolen)
			memcpy(&b->to, to, tolen);
		b->tolen = tolen;
		b->seg = len;
	}
	memcpy(b->buf + b->len, pkt, len);
	b->len += len;
	b->count++;
	b->last_short = len < b->seg;
	return sent;
}

int
udp_gro_enable(int fd)
{
	int on = 1;

	return setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
}

size_t
udp_gro_size(const struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR((struct msghdr *)m, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int size;

			memcpy(&size, CMSG_DATA(c), sizeof(size));
			return size > 0 ? (size_t)size : 0;
		}
	}
	return 0;
}
