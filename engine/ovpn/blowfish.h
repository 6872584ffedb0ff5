/* blowfish.h: Blowfish (Schneier 1993), here only because OpenVPN's old
 * default data cipher BF-CBC still has users and Debian's wolfSSL has none.
 * Blocks are 8 bytes, big-endian halves, as in the published algorithm. */
#ifndef BLOWFISH_H
#define BLOWFISH_H

#include <stddef.h>
#include <stdint.h>

#define BF_BLOCK 8
#define BF_KEY_MIN 4		/* 32 bits */
#define BF_KEY_MAX 56		/* 448 bits */

struct bf_key {
	uint32_t p[18];			/* subkeys, one per round plus two */
	uint32_t s[4][256];		/* key-dependent S-boxes */
};

/* Expands a key of BF_KEY_MIN..BF_KEY_MAX bytes (OpenVPN's BF-CBC uses 16).
 * 0, or -1 for a length out of range. */
int bf_set_key(struct bf_key *k, const uint8_t *key, size_t len);

void bf_encrypt_block(const struct bf_key *k, const uint8_t in[BF_BLOCK],
		      uint8_t out[BF_BLOCK]);
void bf_decrypt_block(const struct bf_key *k, const uint8_t in[BF_BLOCK],
		      uint8_t out[BF_BLOCK]);

/* CBC over len bytes, a multiple of BF_BLOCK (-1 otherwise). iv is the
 * chaining value: it is updated to the last ciphertext block, so a message
 * may be processed in several calls. in and out may be the same buffer. */
int bf_cbc_encrypt(const struct bf_key *k, uint8_t iv[BF_BLOCK], const uint8_t *in,
		   uint8_t *out, size_t len);
int bf_cbc_decrypt(const struct bf_key *k, uint8_t iv[BF_BLOCK], const uint8_t *in,
		   uint8_t *out, size_t len);

#endif
