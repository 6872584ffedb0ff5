/* dataframe.h: what rides inside a data packet besides tunnel traffic:
 * the compression framing byte(s) a peer configured for compression
 * expects (comp.h, compstub.c, lzo.c, comp-lz4.c; we never compress, we
 * expand what the peer compressed when the session allows it), the
 * keepalive ping (ping.c) and the OCC messages (occ.c), of which we use
 * EXIT. */
#ifndef OVPN_DATAFRAME_H
#define OVPN_DATAFRAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum comp_frame {
	COMP_FRAME_NONE,		/* no framing */
	COMP_FRAME_V1,			/* comp-lzo, compress lzo: 1 byte, 0xFA uncompressed */
	COMP_FRAME_V1_SWAP,		/* compress, compress stub, compress lz4: 0xFB, first
					 * byte moved to the end */
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
/* Why comp_frame_in drops a payload. */
#define COMP_DROP_FRAME (-1)		/* a header byte no peer sends in this framing */
#define COMP_DROP_REFUSED (-2)		/* compressed with an algorithm we did not accept */
#define COMP_DROP_BAD (-3)		/* compressed data that is malformed or too large */

/* Unframe a received payload: its packet in *pkt (inside buf, or in work
 * when it was expanded, never more than cap bytes there) and the length,
 * or a COMP_DROP_ code. accept is the COMP_ACCEPT_ set (compress.h) of
 * algorithms expanded; buf may be changed (the v1 swap is undone in it). */
ssize_t comp_frame_in(enum comp_frame f, unsigned accept, uint8_t *buf, size_t len,
		      uint8_t *work, size_t cap, uint8_t **pkt);

int ovpn_is_ping(const uint8_t *p, size_t len);
/* The OCC opcode of an OCC message (256 when it has none), or -1 when p
 * is not one. */
int ovpn_occ_op(const uint8_t *p, size_t len);

#endif
