/* dc_open_fuzz.c: libFuzzer target for the data channel. Every input is
 * opened as a packet by every cipher and digest with fixed keys, with both
 * header lengths and an out buffer of exactly the room dc_open is promised,
 * so ASan sees any byte touched out of bounds. The input is also sealed as a
 * payload and must open to itself, and drives the replay window, which must
 * never accept one packet id twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc.h"

static struct dc_ctx *opener[DC__CIPHERS][DC__DIGESTS], *sealer[DC__CIPHERS][DC__DIGESTS];

static void setup(void)
{
	uint8_t ck[64], hk[64];

	for (int i = 0; i < 64; i++) {
		ck[i] = (uint8_t)(i * 7 + 1);
		hk[i] = (uint8_t)(i * 13 + 5);
	}
	for (int c = 0; c < DC__CIPHERS; c++) {
		for (int d = 0; d < DC__DIGESTS; d++) {
			opener[c][d] = dc_new(c, d, ck, hk, 0);
			sealer[c][d] = dc_new(c, d, ck, hk, 1);
			if (!opener[c][d] || !sealer[c][d])
				abort();
		}
	}
}

/* The output of dc_open must fit what it was given and say so. */
static void open_all(const uint8_t *data, size_t size)
{
	size_t cap = size ? size : 1;
	uint8_t *out = malloc(cap), *half = malloc(cap / 2 + 1);
	uint32_t pid;

	for (int c = 0; c < DC__CIPHERS; c++) {
		for (int d = 0; d < DC__DIGESTS; d++) {
			for (size_t h = 1; h <= 4; h += 3) {
				ssize_t n = dc_open(opener[c][d], data, size, h, out, cap, &pid);

				if (n > (ssize_t)size)
					abort();
				n = dc_open(opener[c][d], data, size, h, half, cap / 2 + 1, &pid);
				if (n > (ssize_t)(cap / 2 + 1))
					abort();
			}
		}
	}
	free(out);
	free(half);
}

/* The first byte picks a cipher, digest and header; the rest is the payload. */
static void seal_open(const uint8_t *data, size_t size)
{
	static const uint8_t hdr[4] = { 0x48, 0, 0, 1 };
	int c, d;
	size_t h, len, cap;
	uint8_t *pkt, *back;
	uint32_t pid;
	ssize_t n;

	if (size < 1)
		return;
	c = data[0] % DC__CIPHERS;
	d = (data[0] / DC__CIPHERS) % DC__DIGESTS;
	h = data[0] & 0x80 ? 4 : 1;
	len = size - 1;
	cap = len + dc_overhead(c, d, h);
	pkt = malloc(cap);
	back = malloc(len ? len : 1);
	n = dc_seal(sealer[c][d], hdr, h, data + 1, len, pkt, cap);
	if (n < 0 || dc_open(opener[c][d], pkt, (size_t)n, h, back, len, &pid) != (ssize_t)len ||
	    (len && memcmp(back, data + 1, len)))
		abort();
	free(pkt);
	free(back);
}

/* Pairs of (id, seconds) from the input; an id accepted twice is a bug. */
static void replay(const uint8_t *data, size_t size)
{
	struct dc_replay r = { 0 };
	uint32_t seen[512];
	size_t nseen = 0;
	uint64_t now = 0;

	for (size_t i = 0; i + 5 <= size && nseen < 512; i += 5) {
		uint32_t pid = (uint32_t)data[i] << 24 | (uint32_t)data[i + 1] << 16 |
			       (uint32_t)data[i + 2] << 8 | data[i + 3];

		now += data[i + 4] % 8;
		if (dc_replay_check(&r, pid, now) == 0) {
			for (size_t j = 0; j < nseen; j++) {
				if (seen[j] == pid)
					abort();
			}
			seen[nseen++] = pid;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size > 65535)
		return 0;
	open_all(data, size);
	seal_open(data, size);
	replay(data, size);
	return 0;
}
