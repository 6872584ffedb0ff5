/* tun_offload_test.c: MSS clamping of SYNs (mssfix); a TCP burst as the
 * kernel hands it to an offloading TUN interface is cut into packets with correct lengths, sequence numbers,
 * flags and checksums (checked by recomputing them independently), and the
 * packets joined again give back the burst; malformed headers are refused;
 * packets that can not be joined pass through unchanged. The "interface"
 * is a SOCK_SEQPACKET socket, which keeps each write whole. */
#include <linux/virtio_net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/tun_gro.h"
#include "net/tun_gso.h"
#include "ovpn/mssfix.h"

#include "check.h"

/* RFC 1071, written out plainly as the reference */
static unsigned
csum(const uint8_t *p, size_t len, unsigned sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (unsigned)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (unsigned)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static int
ip_ok(const uint8_t *p)
{
	return csum(p, 20, 0) == 0xffff;
}

static int
tcp_ok(const uint8_t *p, size_t len)
{
	unsigned s = csum(p + 12, 8, 0) + 6 + (unsigned)(len - 20);

	return csum(p + 20, len - 20, s) == 0xffff;
}

static unsigned
seq_of(const uint8_t *p)
{
	return (unsigned)p[24] << 24 | (unsigned)p[25] << 16 | (unsigned)p[26] << 8 | p[27];
}

/* A burst: virtio header (TSO, mss) + IPv4 + TCP with 12 bytes of options +
 * payload of plen bytes; flags ACK|PSH|FIN as the last segment would have. */
static size_t
make_burst(uint8_t *f, size_t plen, unsigned mss, uint8_t flags)
{
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .hdr_len = 52,
				    .gso_size = (uint16_t)mss, .csum_start = 20, .csum_offset = 16 };
	uint8_t *p = f + sizeof(h);
	size_t len = 52 + plen;

	memcpy(f, &h, sizeof(h));
	memset(p, 0, 52);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = 0x12, p[5] = 0x34;	/* id */
	p[6] = 0x40;			/* DF */
	p[8] = 64;
	p[9] = 6;
	memcpy(p + 12, "\x0a\x4d\x00\x01\x0a\x4d\x00\x02", 8);
	p[20] = 0x13, p[21] = 0x89, p[22] = 0xc0, p[23] = 0x01;
	p[24] = 0xff, p[25] = 0xff, p[26] = 0xf0, p[27] = 0x00;	/* wraps */
	p[28] = 1;
	p[32] = 8 << 4;			/* 32-byte TCP header */
	p[33] = flags;
	p[34] = 0x01, p[35] = 0xf5;
	memcpy(p + 40, "\x01\x01\x08\x0a\x00\x00\x00\x07\x00\x00\x00\x09", 12);
	for (size_t i = 0; i < plen; i++)
		p[52 + i] = (uint8_t)(i * 7 + 3);
	return sizeof(h) + len;
}

static void
test_split(void)
{
	static uint8_t frame[TUN_GSO_FRAME_MAX], out[2 * TUN_GSO_FRAME_MAX], copy[TUN_GSO_FRAME_MAX];
	struct tun_pkt pk[64];
	size_t flen = make_burst(frame, 10000, 1400, 0x19);
	int n;

	memcpy(copy, frame, flen);
	n = tun_gso_split(frame, flen, out, sizeof(out), pk, 64);
	CHECK(n == 8, "10000 bytes at mss 1400: 8 segments, got %d", n);
	for (int i = 0; i < n; i++) {
		size_t want = i < 7 ? 1400 : 10000 - 7 * 1400;

		CHECK(pk[i].len == 52 + want, "segment %d length %zu", i, pk[i].len);
		CHECK(ip_ok(pk[i].data), "segment %d IP checksum", i);
		CHECK(tcp_ok(pk[i].data, pk[i].len), "segment %d TCP checksum", i);
		CHECK(seq_of(pk[i].data) == 0xfffff000u + (unsigned)i * 1400, "segment %d seq", i);
		CHECK((pk[i].data[33] & 0x09) == (i == 7 ? 0x09 : 0), "segment %d FIN/PSH", i);
		CHECK(!memcmp(pk[i].data + 52, copy + sizeof(struct virtio_net_hdr) + 52 + i * 1400,
			      want), "segment %d payload", i);
	}
	/* hostile headers */
	struct virtio_net_hdr *h = (struct virtio_net_hdr *)frame;
	memcpy(frame, copy, flen);
	h->gso_size = 0;
	CHECK(tun_gso_split(frame, flen, out, sizeof(out), pk, 64) < 0, "mss 0 refused");
	memcpy(frame, copy, flen);
	h->gso_size = 1;
	CHECK(tun_gso_split(frame, flen, out, sizeof(out), pk, 64) < 0, "too many segments refused");
	memcpy(frame, copy, flen);
	frame[sizeof(*h) + 32] = 0xf0;	/* TCP header longer than the packet allows */
	CHECK(tun_gso_split(frame, 70, out, sizeof(out), pk, 64) < 0, "short frame refused");
	memcpy(frame, copy, flen);
	h->gso_type = VIRTIO_NET_HDR_GSO_NONE;
	h->csum_start = 60000;
	CHECK(tun_gso_split(frame, flen, out, sizeof(out), pk, 64) < 0, "checksum offset past the end");
	CHECK(tun_gso_split(frame, 5, out, sizeof(out), pk, 64) < 0, "no room for the header");
	for (size_t cut = 0; cut < 120; cut++) {
		memcpy(frame, copy, flen);
		n = tun_gso_split(frame, cut, out, sizeof(out), pk, 64);
		CHECK(n <= 1 || n < 0 || pk[0].len <= cut, "truncated to %zu stays inside", cut);
	}
}

/* Segments of a burst go to the "interface" joined into one write. */
static void
test_join(void)
{
	static uint8_t frame[TUN_GSO_FRAME_MAX], out[2 * TUN_GSO_FRAME_MAX], got[TUN_GSO_FRAME_MAX];
	static struct tun_gro g;
	struct tun_pkt pk[64];
	struct virtio_net_hdr v;
	size_t flen = make_burst(frame, 6000, 1200, 0x18);
	int fds[2], n;
	ssize_t r;
	uint8_t other[60];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds)) {
		CHECK(0, "socketpair");
		return;
	}
	n = tun_gso_split(frame, flen, out, sizeof(out), pk, 64);
	CHECK(n == 5, "6000 bytes at 1200: 5 segments");
	tun_gro_init(&g);
	for (int i = 0; i < n; i++)
		CHECK(tun_gro_add(&g, fds[1], pk[i].data, pk[i].len) == 0, "add %d", i);
	/* a segment of another flow is written alone, after the burst */
	memcpy(other, pk[0].data, 52);
	other[2] = 0, other[3] = 60;
	other[21] ^= 1;
	memset(other + 52, 0xaa, 8);
	CHECK(tun_gro_add(&g, fds[1], other, 60) == 0, "another flow");
	CHECK(tun_gro_flush(&g) == 0, "flush");
	r = read(fds[0], got, sizeof(got));
	memcpy(&v, got, sizeof(v));
	CHECK(r == (ssize_t)(sizeof(v) + 52 + 6000), "one write of the whole burst (%zd)", r);
	CHECK(v.gso_type == VIRTIO_NET_HDR_GSO_TCPV4 && v.gso_size == 1200 && v.hdr_len == 52 &&
	      v.csum_start == 20 && v.csum_offset == 16 && (v.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM),
	      "virtio header asks for segments of 1200");
	CHECK(ip_ok(got + sizeof(v)), "joined IP checksum");
	CHECK(seq_of(got + sizeof(v)) == 0xfffff000u, "joined starts at the first seq");
	CHECK(got[sizeof(v) + 33] & 0x08, "joined keeps the last PSH");
	CHECK(!memcmp(got + sizeof(v) + 52, frame + sizeof(v) + 52, 6000), "joined payload");
	r = read(fds[0], got, sizeof(got));
	memcpy(&v, got, sizeof(v));
	CHECK(r == (ssize_t)(sizeof(v) + 60) && v.gso_type == VIRTIO_NET_HDR_GSO_NONE &&
	      !memcmp(got + sizeof(v), other, 60), "the other flow's packet as it was");
	/* a gap in sequence numbers ends the burst */
	tun_gro_init(&g);
	tun_gro_add(&g, fds[1], pk[0].data, pk[0].len);
	tun_gro_add(&g, fds[1], pk[2].data, pk[2].len);
	tun_gro_flush(&g);
	r = read(fds[0], got, sizeof(got));
	CHECK(r == (ssize_t)(sizeof(v) + pk[0].len), "a gap: the first alone");
	r = read(fds[0], got, sizeof(got));
	CHECK(r == (ssize_t)(sizeof(v) + pk[2].len), "then the next alone");
	close(fds[0]);
	close(fds[1]);
}

/* A SYN's MSS is lowered so a full segment, sealed, fits 1492 bytes; the
 * checksum stays right; other segments and small MSS values are left. */
static void
test_mssfix(void)
{
	static uint8_t frame[TUN_GSO_FRAME_MAX];
	uint8_t syn[60];
	unsigned mss;

	make_burst(frame, 0, 1400, 0x02);	/* a SYN, no payload */
	memcpy(syn, frame + sizeof(struct virtio_net_hdr), 52);
	syn[2] = 0, syn[3] = 56;
	syn[32] = 9 << 4;			/* 36-byte TCP header: one more option */
	memcpy(syn + 52, "\x02\x04\x05\xb4", 4);	/* MSS 1460 */
	syn[10] = syn[11] = 0;
	unsigned s = csum(syn, 20, 0);
	syn[10] = (uint8_t)(~s >> 8), syn[11] = (uint8_t)~s;
	syn[36] = syn[37] = 0;
	s = csum(syn + 12, 8, 0) + 6 + 36;
	s = csum(syn + 20, 36, s);
	syn[36] = (uint8_t)(~s >> 8), syn[37] = (uint8_t)~s;
	CHECK(mss_is_syn(syn, 56) && tcp_ok(syn, 56), "a valid SYN to start with");
	mss_clamp(syn, 56, 24);
	mss = (unsigned)(syn[54] << 8 | syn[55]);
	CHECK(mss == 1492 - 28 - 24 - 40, "MSS clamped to %u", mss);
	CHECK(tcp_ok(syn, 56), "checksum adjusted");
	mss_clamp(syn, 56, 100);
	CHECK((unsigned)(syn[54] << 8 | syn[55]) == 1492 - 28 - 100 - 40 && tcp_ok(syn, 56),
	      "more overhead, lower MSS");
	mss_clamp(syn, 56, 24);
	CHECK((unsigned)(syn[54] << 8 | syn[55]) == 1492 - 28 - 100 - 40, "never raised");
	syn[33] = 0x10;
	CHECK(!mss_is_syn(syn, 56), "an ACK is no SYN");
	syn[33] = 0x02;
	syn[32] = 15 << 4;			/* options running past the packet */
	mss_clamp(syn, 56, 24);
	CHECK((unsigned)(syn[54] << 8 | syn[55]) == 1492 - 28 - 100 - 40, "bad header left alone");
}

int
main(void)
{
	test_split();
	test_join();
	test_mssfix();
	printf("tun_offload_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
