/* fragment.h: OpenVPN's --fragment layer (fragment.c there). With it on,
 * every data payload, after compression framing and before sealing, starts
 * with a 4-byte header; a payload too big for the peer's datagram limit goes
 * as up to 32 pieces of one size (the last may be shorter), each sealed on
 * its own. Both ends must agree to use it: nothing negotiates it.
 *
 * The header, a big-endian 32-bit word: bits 0-1 type (whole, a piece that
 * is not the last, the last piece, an MTU test nobody sends), 2-9 the
 * packet's sequence number, 10-14 the piece's index, 15-28 on the last
 * piece the size of the others divided by 4. */
#ifndef OVPN_FRAGMENT_H
#define OVPN_FRAGMENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FRAG_HDR 4
#define FRAG_PIECES_MAX 32

/* Sending: the pieces of one payload, taken one at a time. */
struct frag_tx {
	const uint8_t *p;
	size_t len, off, piece;		/* piece: the size of all but the last */
	unsigned seq, id;
};

/* Start cutting p (len bytes) into pieces of at most max bytes (rounded
 * down to a multiple of 4) for sequence number seq. 0, or -1 when it would
 * take more than FRAG_PIECES_MAX pieces or max is under 4. A payload that
 * fits goes whole. */
int frag_tx_start(struct frag_tx *t, unsigned seq, const uint8_t *p, size_t len, size_t max);
/* The next piece, header first, into out (room for FRAG_HDR + max bytes):
 * its length, or 0 when every piece has been given. */
size_t frag_tx_next(struct frag_tx *t, uint8_t *out);

/* Receiving: a few packets can be put together at once; a piece of a
 * newer packet takes the place of an older one, a late piece of an older
 * packet is ignored, and pieces older than 10 s are forgotten (OpenVPN's
 * time to live). */
struct frag_rx;
void frag_rx_free(struct frag_rx *r);

#define FRAG_INCOMPLETE 0		/* kept; more pieces to come */
#define FRAG_DROP_BAD (-1)		/* a header no peer sends, or a size that
					 * does not fit */
#define FRAG_DROP_NOMEM (-2)
/* One received payload, header included: the length of a whole payload,
 * pointed at by *out (inside pkt, or r's buffer when put together; valid
 * until the next call), FRAG_INCOMPLETE, or a FRAG_DROP_ code. *rp may be
 * NULL until the first piece comes; it is made then, to put payloads of up
 * to cap bytes back together. */
ssize_t frag_rx_input(struct frag_rx **rp, size_t cap, uint8_t *pkt, size_t len,
		      uint64_t now_ms, uint8_t **out);

#endif
