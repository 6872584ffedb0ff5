/* dc_bench.c: data-channel crypto speed, one core: dc_seal and dc_open of
 * 1400-byte packets (P_DATA_V2 header) for the ciphers that matter, printed
 * as MB/s of payload and ns per packet, best of RUNS. The bare wolfCrypt
 * AEAD calls are timed beside them in the same run, because this machine's
 * speed drifts from run to run (the seam's cost is the difference). Usage: dc_bench
 * [SECONDS per figure, default 1]. Exits non-zero only if a packet fails to
 * seal or open. Build:
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Iengine/ovpn engine/ovpn/dc.c \
 *       engine/ovpn/blowfish.c bench/dc_bench.c $(pkg-config --cflags --libs wolfssl) */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dc.h"

#define PAYLOAD 1400
#define RUNS 3

static const struct {
	enum dc_cipher c;
	enum dc_digest d;
	const char *label;
	double design_mbs;		/* DESIGN.md section 7, 0 when it gives none */
} cases[] = {
	{ DC_AES_256_GCM, DC_MD_NONE, "AES-256-GCM", 152 },
	{ DC_AES_128_GCM, DC_MD_NONE, "AES-128-GCM", 0 },
	{ DC_CHACHA20_POLY1305, DC_MD_NONE, "CHACHA20-POLY1305", 439 },
	{ DC_AES_256_CBC, DC_SHA256, "AES-256-CBC+SHA256", 0 },
	{ DC_BF_CBC, DC_SHA1, "BF-CBC+SHA1", 0 },
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t payload[PAYLOAD], pkt[PAYLOAD + 256], back[PAYLOAD];
static const uint8_t hdr[4] = { 0x48, 0x00, 0x00, 0x01 };

/* Packets per second over about secs seconds; -1 when a packet fails. */
static double rate(struct dc_ctx *s, struct dc_ctx *o, size_t pktlen, int seal, double secs)
{
	long n = 0;
	double t0 = now_s(), t;
	uint32_t pid;

	do {
		for (int i = 0; i < 256; i++, n++) {
			ssize_t r = seal ? dc_seal(s, hdr, 4, payload, PAYLOAD, pkt, sizeof(pkt))
					 : dc_open(o, pkt, pktlen, 4, back, sizeof(back), &pid);

			if (r < 0)
				return -1;
		}
		t = now_s() - t0;
	} while (t < secs);
	return (double)n / t;
}

/* The primitive alone: one-shot AES-256-GCM or ChaCha20-Poly1305 over a
 * payload with an 8-byte AAD, packets per second. */
static double raw_rate(int chacha, double secs)
{
	static uint8_t key[32] = { 1 }, nonce[12] = { 2 }, aad[8], tag[16];
	Aes aes;
	long n = 0;
	double t0, t;

	wc_AesInit(&aes, NULL, INVALID_DEVID);
	wc_AesGcmSetKey(&aes, key, 32);
	t0 = now_s();
	do {
		for (int i = 0; i < 256; i++, n++) {
			if (chacha)
				wc_ChaCha20Poly1305_Encrypt(key, nonce, aad, 8, payload, PAYLOAD, pkt,
							    tag);
			else
				wc_AesGcmEncrypt(&aes, pkt, payload, PAYLOAD, nonce, 12, tag, 16,
						 aad, 8);
		}
		t = now_s() - t0;
	} while (t < secs);
	wc_AesFree(&aes);
	return (double)n / t;
}

static void bench_raw(double secs)
{
	static const char *const label[2] = { "raw AES-256-GCM", "raw CHACHA20-POLY1305" };

	for (int chacha = 0; chacha < 2; chacha++) {
		double best = 0;

		for (int run = 0; run < RUNS; run++) {
			double r = raw_rate(chacha, secs);

			best = r > best ? r : best;
		}
		printf("%-22s %-5s %8.1f MB/s %8.0f ns/packet\n", label[chacha], "seal",
		       best * PAYLOAD / 1e6, 1e9 / best);
	}
}

static int bench(int i, double secs)
{
	uint8_t ck[64], hk[64];
	struct dc_ctx *s, *o;
	double best[2] = { 0, 0 };
	ssize_t pktlen;

	for (int j = 0; j < 64; j++) {
		ck[j] = (uint8_t)(j * 7 + 1);
		hk[j] = (uint8_t)(j * 13 + 5);
	}
	s = dc_new(cases[i].c, cases[i].d, ck, hk, 1);
	o = dc_new(cases[i].c, cases[i].d, ck, hk, 0);
	if (!s || !o)
		return -1;
	pktlen = dc_seal(s, hdr, 4, payload, PAYLOAD, pkt, sizeof(pkt));
	for (int run = 0; pktlen > 0 && run < RUNS; run++) {
		for (int seal = 1; seal >= 0; seal--) {
			double r = rate(s, o, (size_t)pktlen, seal, secs);

			if (r < 0)
				pktlen = -1;
			if (r > best[seal])
				best[seal] = r;
		}
	}
	dc_free(s);
	dc_free(o);
	if (pktlen < 0)
		return -1;
	for (int seal = 1; seal >= 0; seal--) {
		printf("%-22s %-5s %8.1f MB/s %8.0f ns/packet", cases[i].label,
		       seal ? "seal" : "open", best[seal] * PAYLOAD / 1e6, 1e9 / best[seal]);
		if (cases[i].design_mbs > 0)
			printf("   (DESIGN.md: %.0f MB/s)", cases[i].design_mbs);
		putchar('\n');
	}
	return 0;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	int rc = 0;

	if (secs <= 0)
		secs = 1.0;
	for (int i = 0; i < PAYLOAD; i++)
		payload[i] = (uint8_t)i;
	printf("dc_bench: %d-byte payloads, one core, best of %d runs of %.1f s\n", PAYLOAD, RUNS,
	       secs);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (bench((int)i, secs)) {
			fprintf(stderr, "dc_bench: %s: a packet failed\n", cases[i].label);
			rc = 1;
		}
	}
	bench_raw(secs);
	return rc;
}
