/* fragment_test.c: the --fragment layer (engine/ovpn/fragment.c): pieces
 * fit the limit, carry the header stock OpenVPN reads, and come back
 * together in any order; lost, stale and hostile pieces give nothing or a
 * drop, never a wrong packet or a write outside the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fragment.h"

#define CAP 1700

static uint32_t hdr(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Cut len bytes with limit max into pieces[]; their count. */
static int cut(const uint8_t *in, size_t len, size_t max, unsigned seq,
	       uint8_t pieces[][FRAG_HDR + CAP], size_t *lens)
{
	struct frag_tx t;
	int n = 0;

	if (frag_tx_start(&t, seq, in, len, max) < 0)
		return -1;
	while (n < 40 && (lens[n] = frag_tx_next(&t, pieces[n])))
		n++;
	return n;
}

static void test_whole(void)
{
	uint8_t in[100], pieces[40][FRAG_HDR + CAP], *out;
	size_t lens[40];
	struct frag_rx *r = NULL;
	ssize_t n;

	memset(in, 0xab, sizeof(in));
	CHECK(cut(in, sizeof(in), 1000, 7, pieces, lens) == 1, "a small payload is one piece");
	CHECK(lens[0] == 104 && hdr(pieces[0]) == 0, "whole: header 0, got %08x len %zu",
	      hdr(pieces[0]), lens[0]);
	n = frag_rx_input(&r, CAP, pieces[0], lens[0], 0, &out);
	CHECK(n == 100 && out == pieces[0] + FRAG_HDR && !memcmp(out, in, 100),
	      "whole: handed out in place (%zd)", n);
	CHECK(r == NULL, "whole payloads allocate nothing");
}

/* Every length from 1 to CAP, cut at a limit, in order and reversed. */
static void test_roundtrip(size_t max)
{
	uint8_t in[CAP], pieces[40][FRAG_HDR + CAP], *out = NULL;
	size_t lens[40];
	struct frag_rx *r = NULL;
	int bad = 0;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 1; len <= CAP; len++) {
		int k = cut(in, len, max, (unsigned)len, pieces, lens);
		ssize_t n = 0;

		if (k < 1) {
			bad++;
			continue;
		}
		for (int i = 0; i < k; i++) {
			int j = len & 1 ? k - 1 - i : i;	/* odd lengths: last piece first */
			uint32_t h = hdr(pieces[j]);

			if (lens[j] > FRAG_HDR + (max & ~(size_t)3) ||
			    (k > 1 && (h >> 10 & 31) != (unsigned)j))
				bad++;
			n = frag_rx_input(&r, CAP, pieces[j], lens[j], 1000, &out);
			if (i < k - 1 && n != FRAG_INCOMPLETE)
				bad++;
		}
		if (n != (ssize_t)len || memcmp(out, in, len))
			bad++;
	}
	CHECK(bad == 0, "limit %zu: %d lengths cut or joined wrong", max, bad);
	frag_rx_free(r);
}

/* The header of each piece, as stock OpenVPN reads it. */
static void test_header(void)
{
	uint8_t in[1000] = { 0 }, pieces[40][FRAG_HDR + CAP];
	size_t lens[40];
	int k = cut(in, sizeof(in), 400, 0x1ff, pieces, lens);

	CHECK(k == 3, "1000 bytes at 400: 3 pieces (%d)", k);
	/* even pieces: 336, 336, 328 */
	CHECK(lens[0] == 340 && lens[1] == 340 && lens[2] == 332, "sizes %zu %zu %zu", lens[0],
	      lens[1], lens[2]);
	CHECK(hdr(pieces[0]) == (1u | 0xffu << 2 | 0u << 10), "first: %08x", hdr(pieces[0]));
	CHECK(hdr(pieces[1]) == (1u | 0xffu << 2 | 1u << 10), "second: %08x", hdr(pieces[1]));
	CHECK(hdr(pieces[2]) == (2u | 0xffu << 2 | 2u << 10 | (336u >> 2) << 15), "last: %08x",
	      hdr(pieces[2]));
	CHECK(cut(in, sizeof(in), 3, 0, pieces, lens) < 0, "a limit under 4 is refused");
	CHECK(cut(in, sizeof(in), 28, 0, pieces, lens) < 0, "more than 32 pieces is refused");
}

/* Lost pieces never give a packet; a newer packet takes a stale slot. */
static void test_loss(void)
{
	uint8_t a[900], b[900], pa[40][FRAG_HDR + CAP], pb[40][FRAG_HDR + CAP], *out;
	size_t la[40], lb[40];
	struct frag_rx *r = NULL;
	ssize_t n;

	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	cut(a, sizeof(a), 400, 4, pa, la);
	cut(b, sizeof(b), 400, 8, pb, lb);	/* same slot as 4 */
	frag_rx_input(&r, CAP, pa[0], la[0], 0, &out);
	frag_rx_input(&r, CAP, pa[1], la[1], 0, &out);
	/* b's pieces push a's out; a's last piece then joins nothing */
	frag_rx_input(&r, CAP, pb[0], lb[0], 0, &out);
	n = frag_rx_input(&r, CAP, pa[2], la[2], 0, &out);
	CHECK(n == FRAG_INCOMPLETE, "a piece of a pushed-out packet gives nothing (%zd)", n);
	frag_rx_input(&r, CAP, pb[1], lb[1], 0, &out);
	n = frag_rx_input(&r, CAP, pb[2], lb[2], 0, &out);
	CHECK(n == 900 && out[0] == 2 && out[899] == 2, "the newer packet is whole (%zd)", n);
	/* pieces older than 10 s are forgotten */
	frag_rx_input(&r, CAP, pa[0], la[0], 0, &out);
	frag_rx_input(&r, CAP, pa[1], la[1], 0, &out);
	n = frag_rx_input(&r, CAP, pa[2], la[2], 10001, &out);
	CHECK(n == FRAG_INCOMPLETE, "a last piece 10 s late joins nothing (%zd)", n);
	frag_rx_free(r);
}

static ssize_t feed(struct frag_rx **r, uint32_t h, size_t len)
{
	static uint8_t p[FRAG_HDR + CAP];
	uint8_t *out;

	p[0] = (uint8_t)(h >> 24);
	p[1] = (uint8_t)(h >> 16);
	p[2] = (uint8_t)(h >> 8);
	p[3] = (uint8_t)h;
	return frag_rx_input(r, CAP, p, FRAG_HDR + len, 0, &out);
}

static void test_hostile(void)
{
	struct frag_rx *r = NULL;
	uint8_t three[3] = { 0 }, *out;

	CHECK(frag_rx_input(&r, CAP, three, 3, 0, &out) == FRAG_DROP_BAD, "3 bytes: no header");
	CHECK(feed(&r, 3, 10) == FRAG_DROP_BAD, "the MTU test type is dropped");
	CHECK(feed(&r, 1, 10) == FRAG_DROP_BAD, "a piece not a multiple of 4");
	CHECK(feed(&r, 1, 0) == FRAG_DROP_BAD, "an empty piece");
	CHECK(feed(&r, 1 | 31u << 10, 100) == FRAG_DROP_BAD, "piece 31 of 100 bytes is past the buffer");
	CHECK(feed(&r, 2 | 1u << 10 | (100u >> 2) << 15, 101) == FRAG_DROP_BAD,
	      "a last piece longer than the others");
	CHECK(feed(&r, 2 | 1u << 10 | 0u << 15, 10) == FRAG_DROP_BAD, "a last piece of size 0");
	CHECK(feed(&r, 2 | 20u << 10 | (1000u >> 2) << 15, 8) == FRAG_DROP_BAD,
	      "a last piece placed past the buffer");
	/* 32 pieces, none the last: full map, no length */
	for (unsigned i = 0; i < 31; i++)
		feed(&r, 1 | 5u << 2 | i << 10, 48);
	CHECK(feed(&r, 1 | 5u << 2 | 31u << 10, 48) == FRAG_DROP_BAD,
	      "32 pieces without a last one are dropped");
	/* pieces of another size restart the packet */
	feed(&r, 1 | 6u << 2 | 0u << 10, 48);
	CHECK(feed(&r, 2 | 6u << 2 | 1u << 10 | (52u >> 2) << 15, 8) == FRAG_INCOMPLETE,
	      "a last piece of another size does not finish the packet");
	frag_rx_free(r);
}

int
main(void)
{
	test_whole();
	test_roundtrip(400);
	test_roundtrip(1001);
	test_roundtrip(64);
	test_header();
	test_loss();
	test_hostile();
	printf("fragment: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
