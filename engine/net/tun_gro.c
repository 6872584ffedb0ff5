/* tun_gro.c: the receive half of tun_gso.c. Decrypted packets of one TCP
 * stream arrive back to back; written one by one, each costs a system call
 * and a trip through the stack. Consecutive segments of one IPv4 TCP flow
 * are joined into a single large packet with a virtio_net header that asks
 * the kernel to treat it as already-received segments (as its own GRO
 * does), so a burst costs one write. Everything else is written as is. */
#include <linux/virtio_net.h>
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tun_gro.h"
#include "tun_gso.h"

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (v >> 8) & 255;
	p[1] = v & 255;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get16(p);
	return sum;
}

void
tun_gro_init(struct tun_gro *g)
{
	memset(g, 0, offsetof(struct tun_gro, buf));
	g->fd = -1;
}

/* The IP + TCP header length of a plain IPv4 TCP data segment that may be
 * joined (no IP options or fragments, only ACK and maybe PSH), else 0. */
static size_t
joinable(const uint8_t *p, size_t len)
{
	size_t thl;

	if (len < 40 || p[0] != 0x45 || p[9] != 6 || get16(p + 2) != len ||
	    (get16(p + 6) & 0x3fff))
		return 0;
	thl = (size_t)(p[32] >> 4) * 4;
	if (thl < 20 || 20 + thl >= len || (p[33] & ~0x08) != 0x10)
		return 0;
	return 20 + thl;
}

/* Does pkt (headers hl long) continue the burst? Same addresses, ports,
 * ack, window and options; the next sequence number; no longer than the
 * first segment. */
static int
continues(const struct tun_gro *g, const uint8_t *pkt, size_t len, size_t hl)
{
	const uint8_t *h = g->buf;

	return !g->closed && hl == g->hl && len - hl <= g->mss && g->len + len - hl <= TUN_GRO_MAX &&
	       !memcmp(h + 12, pkt + 12, 8) && h[1] == pkt[1] && h[8] == pkt[8] &&
	       !memcmp(h + 20, pkt + 20, 4) && get32(pkt + 24) == g->next_seq &&
	       !memcmp(h + 28, pkt + 28, 4) && !memcmp(h + 34, pkt + 34, 2) &&
	       !memcmp(h + 40, pkt + 40, hl - 40);
}

int
tun_gro_flush(struct tun_gro *g)
{
	struct virtio_net_hdr v = { 0 };
	struct iovec iov[2];
	uint8_t *h = g->buf;
	int rc = 0;

	if (g->fd < 0 || g->len == 0)
		return 0;
	if (g->segs > 1) {
		uint32_t pseudo;

		put16(h + 2, (uint32_t)g->len);
		put16(h + 10, 0);
		put16(h + 10, (uint16_t)~fold(sum16(h, 20, 0)));
		/* a partial checksum: the pseudo-header sum, the kernel adds the rest */
		pseudo = sum16(h + 12, 8, 0) + 6 + (uint32_t)(g->len - 20);
		put16(h + 36, fold(pseudo));
		v.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		v.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		v.hdr_len = (uint16_t)g->hl;
		v.gso_size = (uint16_t)g->mss;
		v.csum_start = 20;
		v.csum_offset = 16;
	}
	iov[0] = (struct iovec){ &v, sizeof(v) };
	iov[1] = (struct iovec){ g->buf, g->len };
	if (writev(g->fd, iov, 2) < 0)
		rc = -1;
	g->len = 0;
	g->segs = 0;
	return rc;
}

int
tun_gro_add(struct tun_gro *g, int fd, const uint8_t *pkt, size_t len)
{
	size_t hl = joinable(pkt, len);
	int rc = 0;

	if (fd == g->fd && g->len && hl && continues(g, pkt, len, hl)) {
		memcpy(g->buf + g->len, pkt + hl, len - hl);
		g->len += len - hl;
		g->segs++;
		g->next_seq += (uint32_t)(len - hl);
		g->buf[33] |= pkt[33] & 0x08;	/* the burst pushes if its last segment did */
		g->closed = len - hl < g->mss || (pkt[33] & 0x08);
		return 0;
	}
	rc = tun_gro_flush(g);
	g->fd = fd;
	if (!hl || len > TUN_GRO_MAX)
		return tun_gso_write(fd, pkt, len) < 0 ? -1 : rc;
	memcpy(g->buf, pkt, len);
	g->len = len;
	g->hl = hl;
	g->mss = len - hl;
	g->segs = 1;
	g->next_seq = get32(pkt + 24) + (uint32_t)g->mss;
	g->closed = (pkt[33] & 0x08) != 0;
	return rc;
}
