/* dataframe.c: compression framing as 2.6 with allow-compression asym
 * does it: what we send carries the "uncompressed" mark of the framing,
 * what arrives compressed is expanded when the session accepts that
 * algorithm; and the in-band magic strings of ping and OCC. */
#include <string.h>

#include "compress.h"
#include "dataframe.h"

#define LZO_COMPRESS_BYTE 0x66
#define LZ4_COMPRESS_BYTE 0x69
#define NO_COMPRESS_BYTE 0xFA
#define NO_COMPRESS_BYTE_SWAP 0xFB
#define COMP_V2_INDICATOR 0x50
#define COMP_V2_UNCOMPRESSED 0x00
#define COMP_V2_LZ4 0x01
#define COMP_V2_UNCOMPRESSED_26 10	/* what 2.6 writes when it escapes */

const uint8_t ovpn_ping_magic[OVPN_MAGIC_LEN] = {
	0x2a, 0x18, 0x7b, 0xf3, 0x64, 0x1e, 0xb4, 0xcb,
	0x07, 0xed, 0x2d, 0x0a, 0x98, 0x1f, 0xc7, 0x48
};

const uint8_t ovpn_occ_magic[OVPN_MAGIC_LEN] = {
	0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef, 0x7a, 0x81,
	0x2d, 0x56, 0xb8, 0xd3, 0xaf, 0xc5, 0x45, 0x9c
};

ssize_t comp_frame_out(enum comp_frame f, const uint8_t *in, size_t len, uint8_t *out,
		       size_t cap)
{
	size_t off = 0;

	if (cap < len + 2)
		return -1;
	switch (f) {
	case COMP_FRAME_V1:
		out[off++] = NO_COMPRESS_BYTE;
		break;
	case COMP_FRAME_V1_SWAP:
		/* the first byte goes to the end to keep the payload aligned */
		if (!len)
			return -1;
		out[0] = NO_COMPRESS_BYTE_SWAP;
		memmove(out + 1, in + 1, len - 1);
		out[len] = in[0];
		return (ssize_t)len + 1;
	case COMP_FRAME_V2:
		/* only a payload that starts like the indicator is escaped */
		if (len && in[0] == COMP_V2_INDICATOR) {
			out[off++] = COMP_V2_INDICATOR;
			out[off++] = COMP_V2_UNCOMPRESSED;
		}
		break;
	default:
		break;
	}
	memmove(out + off, in, len);
	return (ssize_t)(off + len);
}

/* Expand a compressed body with the algorithm its header byte named. */
static ssize_t expand(unsigned alg, unsigned accept, const uint8_t *in, size_t len,
		      uint8_t *work, size_t cap, uint8_t **pkt)
{
	ssize_t n;

	if (!(accept & alg))
		return COMP_DROP_REFUSED;
	n = alg == COMP_ACCEPT_LZO ? ovpn_lzo_expand(in, len, work, cap)
				   : ovpn_lz4_expand(in, len, work, cap);
	if (n < 0)
		return COMP_DROP_BAD;
	*pkt = work;
	return n;
}

/* v1 framing: every payload has its header byte. 0xFA and 0x66 (LZO) sit
 * in front; 0xFB and 0x69 (LZ4) took the place of the first byte, which
 * went to the end. Both stub bytes are taken: a peer may use either
 * after a pushed framing change (comp-lzo no after compress lz4). */
static ssize_t frame_in_v1(unsigned accept, uint8_t *buf, size_t len, uint8_t *work, size_t cap,
			   uint8_t **pkt)
{
	uint8_t c = len ? buf[0] : 0;

	if (c == NO_COMPRESS_BYTE || c == LZO_COMPRESS_BYTE) {
		if (c == LZO_COMPRESS_BYTE)
			return expand(COMP_ACCEPT_LZO, accept, buf + 1, len - 1, work, cap, pkt);
		*pkt = buf + 1;
		return (ssize_t)len - 1;
	}
	if ((c != NO_COMPRESS_BYTE_SWAP && c != LZ4_COMPRESS_BYTE) || len < 2)
		return COMP_DROP_FRAME;
	buf[0] = buf[len - 1];
	if (c == LZ4_COMPRESS_BYTE)
		return expand(COMP_ACCEPT_LZ4, accept, buf, len - 1, work, cap, pkt);
	*pkt = buf;
	return (ssize_t)len - 1;
}

/* v2 framing: only a payload starting with 0x50 has a header, 0x50 and
 * the algorithm. 2.6 escapes with COMP_ALGV2_UNCOMPRESSED (10) but reads
 * back 0: accept both. */
static ssize_t frame_in_v2(unsigned accept, uint8_t *buf, size_t len, uint8_t *work, size_t cap,
			   uint8_t **pkt)
{
	*pkt = buf;
	if (!len || buf[0] != COMP_V2_INDICATOR)
		return (ssize_t)len;
	if (len < 2)
		return COMP_DROP_FRAME;
	if (buf[1] == COMP_V2_LZ4)
		return expand(COMP_ACCEPT_LZ4, accept, buf + 2, len - 2, work, cap, pkt);
	if (buf[1] != COMP_V2_UNCOMPRESSED && buf[1] != COMP_V2_UNCOMPRESSED_26)
		return COMP_DROP_FRAME;
	*pkt = buf + 2;
	return (ssize_t)len - 2;
}

ssize_t comp_frame_in(enum comp_frame f, unsigned accept, uint8_t *buf, size_t len,
		      uint8_t *work, size_t cap, uint8_t **pkt)
{
	*pkt = buf;
	switch (f) {
	case COMP_FRAME_V1:
	case COMP_FRAME_V1_SWAP:
		return frame_in_v1(accept, buf, len, work, cap, pkt);
	case COMP_FRAME_V2:
		return frame_in_v2(accept, buf, len, work, cap, pkt);
	default:
		return (ssize_t)len;
	}
}

int ovpn_is_ping(const uint8_t *p, size_t len)
{
	return len == OVPN_MAGIC_LEN && !memcmp(p, ovpn_ping_magic, OVPN_MAGIC_LEN);
}

int ovpn_occ_op(const uint8_t *p, size_t len)
{
	if (len < OVPN_MAGIC_LEN || memcmp(p, ovpn_occ_magic, OVPN_MAGIC_LEN))
		return -1;
	/* any packet that starts with the magic is OCC's, even with no opcode */
	return len > OVPN_MAGIC_LEN ? p[OVPN_MAGIC_LEN] : 256;
}
