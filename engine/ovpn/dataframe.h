/* dataframe.h: what rides inside a data packet besides tunnel traffic:
 * the compression framing byte(s) a peer configured for compression
 * expects (comp.h, compstub.c; we never compress), the keepalive ping
 * (ping.c) and the OCC messages (occ.c), of which we use EXIT. */
#ifndef OVPN_DATAFRAME_H
#define OVPN_DATAFRAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum comp_frame {
	COMP_FRAME_NONE,		/* no framing */
	COMP_FRAME_V1,			/* comp-lzo, compress lz4: 1 byte, 0xFA uncompressed */
	COMP_FRAME_V1_SWAP,		/* compress / compress stub: 0xFB, first byte moved to the end */
	COMP_FRAME_V2,			/* compress stub-v2 / lz4-v2: 0x50 escape only */
};

#define OVPN_MAGIC_LEN 16
#define OCC_REQUEST 0
#define OCC_REPLY 1
#define OCC_EXIT 6

extern const uint8_t ovpn_ping_magic[OVPN_MAGIC_LEN];
extern const uint8_t ovpn_occ_magic[OVPN_MAGIC_LEN];

/* Frame payload for sending into out (room for 2 extra bytes); the length
 * or -1. */
ssize_t comp_frame_out(enum comp_frame f, const uint8_t *in, size_t len, uint8_t *out,
		       size_t cap);
/* Unframe a received payload in place: the new start in *start and the
 * length, or -1 to drop it (compressed data, which we cannot expand). */
ssize_t comp_frame_in(enum comp_frame f, uint8_t *buf, size_t len, size_t *start);

int ovpn_is_ping(const uint8_t *p, size_t len);
/* The OCC opcode of an OCC message (256 when it has none), or -1 when p
 * is not one. */
int ovpn_occ_op(const uint8_t *p, size_t len);

#endif
