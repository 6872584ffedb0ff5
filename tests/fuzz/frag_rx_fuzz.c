/* frag_rx_fuzz.c: libFuzzer target for the --fragment layer (fragment.c).
 * The input is first taken as hostile pieces, each handed to the receiver
 * in its own malloc'd buffer of its exact size so that ASan sees any read
 * or write past it, and every whole payload handed back is read to its
 * last byte. Then the input is cut as a peer cuts it, the pieces given in
 * an order the input picks: the payload must come back whole and equal.
 * Input: byte 0 the piece limit (times 8, plus 4), byte 1 the order
 * (bit i: piece i goes last), then records of a 1-byte length and the
 * bytes (the hostile pieces); the whole input is the payload cut. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fragment.h"

#define CAP 1700

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned sink;

static void read_all(const uint8_t *p, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++)
		sink += p[i];
}

static void hostile(const uint8_t *data, size_t size)
{
	struct frag_rx *r = NULL;
	uint8_t *out;
	uint64_t now = 0;

	for (size_t at = 2; at < size;) {
		size_t len = data[at++];
		uint8_t *piece;
		ssize_t n;

		if (len > size - at)
			len = size - at;
		if (!(piece = malloc(len ? len : 1)))
			abort();
		memcpy(piece, data + at, len);
		n = frag_rx_input(&r, CAP, piece, len, now, &out);
		if (n > CAP || n < FRAG_DROP_NOMEM)
			abort();
		read_all(out, n > 0 ? n : 0);
		free(piece);
		at += len;
		now += 700;	/* some pieces outlive the 10 s */
	}
	frag_rx_free(r);
}

static void round_trip(const uint8_t *data, size_t size)
{
	static uint8_t pieces[FRAG_PIECES_MAX][FRAG_HDR + CAP];
	size_t lens[FRAG_PIECES_MAX], len = size > CAP ? CAP : size, max;
	struct frag_rx *r = NULL;
	struct frag_tx t;
	uint8_t *out = NULL;
	ssize_t n = 0;
	int k = 0, i;

	if (size < 2)
		return;
	max = (size_t)data[0] * 8 + 4;
	if (frag_tx_start(&t, data[1], data, len, max) < 0)
		return;
	while (k < FRAG_PIECES_MAX && (lens[k] = frag_tx_next(&t, pieces[k])))
		k++;
	if (frag_tx_next(&t, pieces[0]))
		abort();	/* more pieces than the limit */
	for (i = 0; i < k; i++)
		if (!(data[1] >> (i & 7) & 1) && i < k - 1)
			n = frag_rx_input(&r, CAP, pieces[i], lens[i], 0, &out);
	for (i = 0; i < k; i++)
		if ((data[1] >> (i & 7) & 1) || i == k - 1)
			n = frag_rx_input(&r, CAP, pieces[i], lens[i], 0, &out);
	if (n != (ssize_t)len || (len && memcmp(out, data, len)))
		abort();
	frag_rx_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hostile(data, size);
	round_trip(data, size);
	return 0;
}
