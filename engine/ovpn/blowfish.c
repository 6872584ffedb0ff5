/* blowfish.c: Blowfish from the published description (Schneier, "Description
 * of a New Variable-Length Key, 64-Bit Block Cipher", FSE 1993): a 16-round
 * Feistel network whose round function mixes four key-dependent S-boxes. */
#include "blowfish.h"

#include <string.h>

#include "blowfish_tables.h"

#define BF_ROUNDS 16

static uint32_t feistel(const struct bf_key *k, uint32_t x)
{
	return ((k->s[0][x >> 24] + k->s[1][(x >> 16) & 0xff]) ^ k->s[2][(x >> 8) & 0xff]) +
	       k->s[3][x & 0xff];
}

static void encipher(const struct bf_key *k, uint32_t *l, uint32_t *r)
{
	uint32_t xl = *l, xr = *r, t;

	for (int i = 0; i < BF_ROUNDS; i++) {
		xl ^= k->p[i];
		xr ^= feistel(k, xl);
		t = xl;
		xl = xr;
		xr = t;
	}
	/* The last round does not swap: undo the loop's swap. */
	*r = xl ^ k->p[BF_ROUNDS];
	*l = xr ^ k->p[BF_ROUNDS + 1];
}

/* Decryption is encryption with the subkeys in reverse order. */
static void decipher(const struct bf_key *k, uint32_t *l, uint32_t *r)
{
	uint32_t xl = *l, xr = *r, t;

	for (int i = BF_ROUNDS + 1; i > 1; i--) {
		xl ^= k->p[i];
		xr ^= feistel(k, xl);
		t = xl;
		xl = xr;
		xr = t;
	}
	*r = xl ^ k->p[1];
	*l = xr ^ k->p[0];
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* The key schedule: XOR the key, cycled, into the P-array, then replace P and
 * the S-boxes, two words at a time, by encrypting a running block that starts
 * at zero. 521 encryptions, so a key change is expensive by design. */
int bf_set_key(struct bf_key *k, const uint8_t *key, size_t len)
{
	uint32_t l = 0, r = 0;
	size_t j = 0;

	if (!key || len < BF_KEY_MIN || len > BF_KEY_MAX)
		return -1;
	memcpy(k->p, bf_init_p, sizeof(k->p));
	memcpy(k->s, bf_init_s, sizeof(k->s));
	for (int i = 0; i < BF_ROUNDS + 2; i++) {
		uint32_t w = 0;

		for (int b = 0; b < 4; b++) {
			w = w << 8 | key[j];
			j = (j + 1) % len;
		}
		k->p[i] ^= w;
	}
	for (int i = 0; i < BF_ROUNDS + 2; i += 2) {
		encipher(k, &l, &r);
		k->p[i] = l;
		k->p[i + 1] = r;
	}
	for (int s = 0; s < 4; s++) {
		for (int i = 0; i < 256; i += 2) {
			encipher(k, &l, &r);
			k->s[s][i] = l;
			k->s[s][i + 1] = r;
		}
	}
	return 0;
}

void bf_encrypt_block(const struct bf_key *k, const uint8_t in[BF_BLOCK],
		      uint8_t out[BF_BLOCK])
{
	uint32_t l = get32(in), r = get32(in + 4);

	encipher(k, &l, &r);
	put32(out, l);
	put32(out + 4, r);
}

void bf_decrypt_block(const struct bf_key *k, const uint8_t in[BF_BLOCK],
		      uint8_t out[BF_BLOCK])
{
	uint32_t l = get32(in), r = get32(in + 4);

	decipher(k, &l, &r);
	put32(out, l);
	put32(out + 4, r);
}

int bf_cbc_encrypt(const struct bf_key *k, uint8_t iv[BF_BLOCK], const uint8_t *in,
		   uint8_t *out, size_t len)
{
	uint32_t cl, cr;

	if (len % BF_BLOCK)
		return -1;
	cl = get32(iv);
	cr = get32(iv + 4);
	for (size_t o = 0; o < len; o += BF_BLOCK) {
		cl ^= get32(in + o);
		cr ^= get32(in + o + 4);
		encipher(k, &cl, &cr);
		put32(out + o, cl);
		put32(out + o + 4, cr);
	}
	put32(iv, cl);
	put32(iv + 4, cr);
	return 0;
}

/* Each ciphertext block is read before its plaintext is written, so in and
 * out may be one buffer. */
int bf_cbc_decrypt(const struct bf_key *k, uint8_t iv[BF_BLOCK], const uint8_t *in,
		   uint8_t *out, size_t len)
{
	uint32_t pl = get32(iv), pr = get32(iv + 4);

	if (len % BF_BLOCK)
		return -1;
	for (size_t o = 0; o < len; o += BF_BLOCK) {
		uint32_t cl = get32(in + o), cr = get32(in + o + 4), l = cl, r = cr;

		decipher(k, &l, &r);
		put32(out + o, l ^ pl);
		put32(out + o + 4, r ^ pr);
		pl = cl;
		pr = cr;
	}
	put32(iv, pl);
	put32(iv + 4, pr);
	return 0;
}
