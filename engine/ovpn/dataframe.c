/* dataframe.c: compression framing without compression, as 2.6's
 * "compress migrate" and the stub algorithms do, and the in-band magic
 * strings of ping and OCC. */
#include <string.h>

#include "dataframe.h"

#define LZO_COMPRESS_BYTE 0x66
#define LZ4_COMPRESS_BYTE 0x69
#define NO_COMPRESS_BYTE 0xFA
#define NO_COMPRESS_BYTE_SWAP 0xFB
#define COMP_V2_INDICATOR 0x50
#define COMP_V2_UNCOMPRESSED 0x00

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

/* v1 framing: 0xFA and 0xFB are the uncompressed forms; a peer may use
 * either after a pushed framing change, so both are taken. */
static ssize_t frame_in_v1(uint8_t *buf, size_t len, size_t *start)
{
	if (!len)
		return -1;
	if (buf[0] == NO_COMPRESS_BYTE) {
		*start = 1;
		return (ssize_t)len - 1;
	}
	if (buf[0] == NO_COMPRESS_BYTE_SWAP && len >= 2) {
		buf[0] = buf[len - 1];
		*start = 0;
		return (ssize_t)len - 1;
	}
	return -1;	/* LZO_COMPRESS_BYTE, LZ4_COMPRESS_BYTE or junk */
}

ssize_t comp_frame_in(enum comp_frame f, uint8_t *buf, size_t len, size_t *start)
{
	*start = 0;
	switch (f) {
	case COMP_FRAME_V1:
	case COMP_FRAME_V1_SWAP:
		return frame_in_v1(buf, len, start);
	case COMP_FRAME_V2:
		if (!len || buf[0] != COMP_V2_INDICATOR)
			return (ssize_t)len;
		/* 2.6 escapes with COMP_ALGV2_UNCOMPRESSED (10) but reads back 0:
		 * accept both; anything else was compressed */
		if (len < 2 || (buf[1] != COMP_V2_UNCOMPRESSED && buf[1] != 10))
			return -1;
		*start = 2;
		return (ssize_t)len - 2;
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
