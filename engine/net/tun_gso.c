/* tun_gso.c: large reads from a TUN interface with offloads on. The kernel
 * hands such an interface whole TCP send bursts, up to 64 KB in one read,
 * with a virtio_net header saying how to cut them; we cut them into the
 * packets a stock OpenVPN peer expects (segmentation offload done here,
 * once per burst, rather than one read per packet). Packets whose checksum
 * was left to us get it filled in. Nothing here trusts the header: every
 * offset is checked against the frame. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tun_gso.h"

int
tun_open_gso(const char *name, char *err, int errlen)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int hdr = sizeof(struct virtio_net_hdr);

	if (fd < 0) {
		snprintf(err, errlen, "can not open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0) {
		snprintf(err, errlen, "can not make interface %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 255;
}

/* The TCP/UDP checksum over the pseudo-header of packet pkt (IPv4 or 6),
 * its transport header at off. */
static uint16_t
l4_sum(const uint8_t *pkt, size_t len, size_t off, int proto)
{
	uint32_t sum;

	if ((pkt[0] >> 4) == 4)
		sum = sum16(pkt + 12, 8, 0);
	else
		sum = sum16(pkt + 8, 32, 0);
	sum += (uint32_t)proto + (uint32_t)(len - off);
	return fold(sum16(pkt + off, len - off, sum));
}

/* Where the transport header starts and which protocol it is; 0 or -1. */
static int
l4_of(const uint8_t *pkt, size_t len, size_t *off, int *proto)
{
	if (len >= 20 && (pkt[0] >> 4) == 4) {
		*off = (size_t)(pkt[0] & 15) * 4;
		*proto = pkt[9];
		return *off >= 20 && *off <= len ? 0 : -1;
	}
	if (len >= 40 && (pkt[0] >> 4) == 6) {
		*off = 40;	/* the kernel offloads no packets with extension headers */
		*proto = pkt[6];
		return 0;
	}
	return -1;
}

/* Fill in a checksum the kernel left partial (csum_start/offset): the
 * field holds the pseudo-header sum, we add the rest. */
static int
finish_csum(uint8_t *pkt, size_t len, const struct virtio_net_hdr *h)
{
	size_t start = h->csum_start, at = start + h->csum_offset;

	if (start >= len || at + 2 > len)
		return -1;
	put16(pkt + at, fold(sum16(pkt + start, len - start, 0)));
	return 0;
}

/* One segment: headers of the burst with this segment's length, sequence
 * number, IP id and flags, then its payload; both checksums computed. */
static size_t
segment(const uint8_t *pkt, size_t hl, size_t l4, const uint8_t *data, size_t dlen, uint32_t i,
	int last, uint8_t *out)
{
	int v4 = (pkt[0] >> 4) == 4;
	uint8_t *tcp = out + l4;
	uint32_t seq;

	memcpy(out, pkt, hl);
	memcpy(out + hl, data, dlen);
	if (v4) {
		put16(out + 2, (uint16_t)(hl + dlen));
		put16(out + 4, (uint16_t)(((uint32_t)pkt[4] << 8 | pkt[5]) + i));
		put16(out + 10, 0);
		put16(out + 10, fold(sum16(out, l4, 0)));
	} else {
		put16(out + 4, (uint16_t)(hl + dlen - 40));
	}
	seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7];
	seq += (uint32_t)(data - (pkt + hl));
	tcp[4] = seq >> 24;
	tcp[5] = seq >> 16;
	tcp[6] = seq >> 8;
	tcp[7] = seq;
	if (i > 0)
		tcp[13] &= ~0x80;		/* CWR on the first segment only */
	if (!last)
		tcp[13] &= ~(0x01 | 0x08);	/* FIN and PSH on the last only */
	put16(tcp + 16, 0);
	put16(tcp + 16, l4_sum(out, hl + dlen, l4, 6));
	return hl + dlen;
}

int
tun_gso_split(uint8_t *frame, size_t len, uint8_t *out, size_t cap, struct tun_pkt *pkts,
	      int maxpkts)
{
	struct virtio_net_hdr h;
	uint8_t *pkt = frame + sizeof(h);
	size_t plen, l4, hl, mss, used = 0;
	int proto, n = 0;

	if (len < sizeof(h) || maxpkts < 1)
		return -1;
	memcpy(&h, frame, sizeof(h));
	plen = len - sizeof(h);
	if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
		if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && finish_csum(pkt, plen, &h) < 0)
			return -1;
		pkts[0] = (struct tun_pkt){ pkt, plen };
		return 1;
	}
	if ((h.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) != VIRTIO_NET_HDR_GSO_TCPV4 &&
	    (h.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) != VIRTIO_NET_HDR_GSO_TCPV6)
		return -1;
	if (l4_of(pkt, plen, &l4, &proto) < 0 || proto != 6 || l4 + 20 > plen)
		return -1;
	hl = l4 + (size_t)(pkt[l4 + 12] >> 4) * 4;
	mss = h.gso_size;
	if (hl > plen || hl < l4 + 20 || mss == 0)
		return -1;
	for (size_t off = hl; off < plen; off += mss) {
		size_t dlen = plen - off < mss ? plen - off : mss;

		if (n == maxpkts || used + hl + dlen > cap)
			return -1;
		pkts[n].data = out + used;
		pkts[n].len = segment(pkt, hl, l4, pkt + off, dlen, (uint32_t)n, off + dlen >= plen,
				      out + used);
		used += pkts[n].len;
		n++;
	}
	return n;
}

int
tun_gso_write(int fd, const uint8_t *pkt, size_t len)
{
	static const struct virtio_net_hdr none;	/* a plain, checksummed packet */
	struct iovec iov[2] = { { (void *)&none, sizeof(none) }, { (void *)pkt, len } };

	return writev(fd, iov, 2) < 0 ? -1 : 0;
}
