/* fragment.c: cutting payloads into pieces for a peer that asked for
 * --fragment, and putting the peer's pieces back together. The peer is
 * hostile: a piece is checked against the size its packet began with and
 * the buffer before a byte is copied. */
#include <stdlib.h>
#include <string.h>

#include "fragment.h"

enum { FRAG_WHOLE, FRAG_NOTLAST, FRAG_LAST, FRAG_TEST };

#define SEQ_SHIFT 2
#define ID_SHIFT 10
#define SIZE_SHIFT 15
#define SIZE_MAX_FIELD 0x3fffu		/* 14 bits of size / 4 */
#define RX_SLOTS 4			/* packets being put together at once */
#define RX_TTL_MS 10000

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Pieces of one size, as even as multiples of 4 allow, so that the last
 * is not a sliver; stock OpenVPN cuts the same way. */
int frag_tx_start(struct frag_tx *t, unsigned seq, const uint8_t *p, size_t len, size_t max)
{
	size_t n, piece;

	max &= ~(size_t)3;
	if (max > SIZE_MAX_FIELD * 4)
		max = SIZE_MAX_FIELD * 4;
	if (max < 4)
		return -1;
	memset(t, 0, sizeof(*t));
	t->p = p;
	t->len = len;
	t->seq = seq & 0xff;
	if (len <= max) {
		t->piece = 0;		/* whole */
		return 0;
	}
	n = (len + max - 1) / max;
	if (n > FRAG_PIECES_MAX)
		return -1;
	piece = ((len + n - 1) / n + 3) & ~(size_t)3;
	t->piece = (n - 1) * piece < len ? piece : max;
	return 0;
}

size_t frag_tx_next(struct frag_tx *t, uint8_t *out)
{
	size_t left = t->len - t->off, n;
	uint32_t h;

	if (t->off >= t->len && (t->piece || t->id))
		return 0;
	if (!t->piece) {		/* whole: one pass, even when empty */
		put32(out, FRAG_WHOLE);
		memcpy(out + FRAG_HDR, t->p, t->len);
		t->off = t->len;
		t->id = 1;
		return FRAG_HDR + t->len;
	}
	n = left > t->piece ? t->piece : left;
	h = (uint32_t)t->seq << SEQ_SHIFT | (uint32_t)t->id << ID_SHIFT;
	h |= n < left ? FRAG_NOTLAST : (FRAG_LAST | (uint32_t)(t->piece >> 2) << SIZE_SHIFT);
	put32(out, h);
	memcpy(out + FRAG_HDR, t->p + t->off, n);
	t->off += n;
	t->id++;
	return FRAG_HDR + n;
}

struct frag_slot {
	uint64_t since;			/* first piece's arrival */
	uint32_t map;			/* bit i: piece i is here (the last sets
					 * every bit from its own up) */
	size_t piece;			/* size of every piece but the last */
	size_t total;			/* known once the last piece came */
	int used, seq;
	uint8_t *buf;
};

struct frag_rx {
	size_t cap;
	struct frag_slot slot[RX_SLOTS];
	uint8_t bufs[];
};

void frag_rx_free(struct frag_rx *r)
{
	free(r);
}

static struct frag_rx *rx_new(size_t cap)
{
	struct frag_rx *r = calloc(1, sizeof(*r) + RX_SLOTS * cap);

	if (!r)
		return NULL;
	r->cap = cap;
	for (int i = 0; i < RX_SLOTS; i++)
		r->slot[i].buf = r->bufs + (size_t)i * cap;
	return r;
}

/* The slot of packet seq, started afresh when it held an older packet,
 * pieces of another size, or pieces that waited too long; NULL when it
 * holds a newer packet (a late piece does not push that out). */
static struct frag_slot *slot_for(struct frag_rx *r, int seq, size_t piece, uint64_t now)
{
	struct frag_slot *s = &r->slot[seq % RX_SLOTS];
	int fresh = s->used && now - s->since <= RX_TTL_MS;

	if (fresh && s->seq != seq && ((s->seq - seq) & 0xff) < 0x80)
		return NULL;
	if (!fresh || s->seq != seq || s->piece != piece) {
		s->used = 1;
		s->seq = seq;
		s->piece = piece;
		s->map = 0;
		s->total = 0;
		s->since = now;
	}
	return s;
}

ssize_t frag_rx_input(struct frag_rx **rp, size_t cap, uint8_t *pkt, size_t len,
		      uint64_t now_ms, uint8_t **out)
{
	uint32_t h;
	unsigned type, id;
	size_t piece, n = len - FRAG_HDR, at;
	struct frag_slot *s;

	if (len < FRAG_HDR)
		return FRAG_DROP_BAD;
	h = (uint32_t)pkt[0] << 24 | (uint32_t)pkt[1] << 16 | (uint32_t)pkt[2] << 8 | pkt[3];
	type = h & 3;
	if (type == FRAG_WHOLE) {
		*out = pkt + FRAG_HDR;
		return (ssize_t)n;
	}
	if (type == FRAG_TEST)
		return FRAG_DROP_BAD;
	id = h >> ID_SHIFT & 0x1f;
	piece = type == FRAG_LAST ? (size_t)(h >> SIZE_SHIFT & SIZE_MAX_FIELD) << 2 : n;
	at = (size_t)id * piece;
	if (!piece || piece & 3 || n > piece || at + n > cap)
		return FRAG_DROP_BAD;
	if (!*rp && !(*rp = rx_new(cap)))
		return FRAG_DROP_NOMEM;
	if (cap > (*rp)->cap)
		return FRAG_DROP_BAD;
	if (!(s = slot_for(*rp, (int)(h >> SEQ_SHIFT & 0xff), piece, now_ms)))
		return FRAG_INCOMPLETE;
	memcpy(s->buf + at, pkt + FRAG_HDR, n);
	if (type == FRAG_LAST) {
		s->map |= 0xffffffffu << id;
		s->total = at + n;
	} else {
		s->map |= 1u << id;
	}
	if (s->map != 0xffffffffu)
		return FRAG_INCOMPLETE;
	s->used = 0;
	if (!s->total)			/* 32 pieces, none of them the last */
		return FRAG_DROP_BAD;
	*out = s->buf;
	return (ssize_t)s->total;
}
