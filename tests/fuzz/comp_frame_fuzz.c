/* comp_frame_fuzz.c: libFuzzer target for compressed data frames, the
 * compression framing (dataframe.c) and the LZO and LZ4 expansion behind it
 * (compress.c). Hostile bytes alone seldom look like a compressed stream, so
 * the input is also compressed here as a peer would, framed, damaged at one
 * place the input picks, and fed in again: the expansion must give the
 * input back when undamaged, and never write past its buffer or hand out a
 * packet outside the frame when damaged.
 * Input: byte 0 picks the framing (bits 0-1), the algorithms accepted
 * (bits 2-3) and the expansion cap (bits 4-7, times 128, plus 1); bytes 1
 * and 2 where to damage the compressed frame (in 256ths) and with what; the rest is the payload. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <lzo/lzo1x.h>

#include "compress.h"
#include "dataframe.h"

#define MAXLEN 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What comp_frame_in hands out lies in the frame or in the work buffer,
 * which is allocated at exactly cap so that ASan sees an overrun. */
static ssize_t
unframe(enum comp_frame f, unsigned accept, uint8_t *buf, size_t len, size_t cap,
	uint8_t *got)
{
	uint8_t *work = malloc(cap), *pkt = NULL;
	ssize_t n;

	if (!work)
		abort();
	n = comp_frame_in(f, accept, buf, len, work, cap, &pkt);
	if (n >= 0 && pkt == work && (size_t)n > cap)
		abort();
	if (n >= 0 && pkt != work && (pkt < buf || pkt + n > buf + len))
		abort();
	if (n < -3)
		abort();	/* only the COMP_DROP_ codes */
	if (n > 0 && got)
		memcpy(got, pkt, (size_t)n);
	free(work);
	return n;
}

/* The payload framed as sent by a peer that compressed it: LZO behind
 * 0x66 (v1), LZ4 behind 0x69 with the first byte moved to the end (v1
 * swap), LZ4 behind 0x50 0x01 (v2). The frame's length, or 0. */
static size_t
compressed_frame(enum comp_frame f, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	static unsigned char lzo_mem[LZO1X_1_MEM_COMPRESS];
	lzo_uint n = 0;
	uint8_t first;
	int m;

	if (!len || f == COMP_FRAME_NONE)
		return 0;
	if (f == COMP_FRAME_V1) {
		if (lzo_init() != LZO_E_OK || cap < len + len / 16 + 64 + 3 + 1 ||
		    lzo1x_1_compress(in, len, out + 1, &n, lzo_mem) != LZO_E_OK)
			return 0;
		out[0] = 0x66;
		return n + 1;
	}
	m = LZ4_compress_default((const char *)in, (char *)out + 2, (int)len, (int)cap - 2);
	if (m <= 0)
		return 0;
	if (f == COMP_FRAME_V2) {
		out[0] = 0x50;
		out[1] = 0x01;
		return (size_t)m + 2;
	}
	first = out[2];
	out[0] = 0x69;
	memmove(out + 1, out + 3, (size_t)m - 1);
	out[m] = first;
	return (size_t)m + 1;
}

/* What we frame without compressing reads back as itself. */
static void
plain_roundtrip(enum comp_frame f, const uint8_t *in, size_t len)
{
	uint8_t out[MAXLEN + 2], got[MAXLEN];
	ssize_t n = comp_frame_out(f, in, len, out, sizeof(out));

	if (n < 0) {
		if (len || f != COMP_FRAME_V1_SWAP)
			abort();	/* only an empty swapped payload has no frame */
		return;
	}
	if (unframe(f, 0, out, (size_t)n, 1, got) != (ssize_t)len || (len && memcmp(got, in, len)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[MAXLEN], frame[2 * MAXLEN], got[MAXLEN];
	enum comp_frame f;
	unsigned accept;
	size_t cap, len, flen;
	ssize_t n;

	if (size < 3 || size - 3 > MAXLEN)
		return 0;
	f = (enum comp_frame)(data[0] & 3);
	accept = (data[0] >> 2) & 3;
	cap = (size_t)(data[0] >> 4) * 128 + 1;
	len = size - 3;
	/* the payload as hostile bytes */
	memcpy(buf, data + 3, len);
	unframe(f, accept, buf, len, cap, NULL);
	plain_roundtrip(f, data + 3, len);
	/* the payload compressed: it expands to itself when accepted and it fits */
	flen = compressed_frame(f, data + 3, len, frame, sizeof(frame));
	if (!flen)
		return 0;
	n = unframe(f, COMP_ACCEPT_LZO | COMP_ACCEPT_LZ4, frame, flen, MAXLEN, got);
	if (n != (ssize_t)len || memcmp(got, data + 3, len))
		abort();
	flen = compressed_frame(f, data + 3, len, frame, sizeof(frame));
	n = unframe(f, accept, frame, flen, cap, NULL);
	if (n >= 0 && !(accept & (f == COMP_FRAME_V1 ? COMP_ACCEPT_LZO : COMP_ACCEPT_LZ4)))
		abort();	/* expanded with an algorithm the session refused */
	/* and damaged at one place */
	flen = compressed_frame(f, data + 3, len, frame, sizeof(frame));
	frame[(size_t)data[1] * flen / 256] ^= data[2] ? data[2] : 0x80;
	unframe(f, COMP_ACCEPT_LZO | COMP_ACCEPT_LZ4, frame, flen, cap, NULL);
	return 0;
}
