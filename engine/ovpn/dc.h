/* dc.h: the data channel, the one seam all data-channel crypto goes through.
 * Packets are sealed and opened here and nowhere else, so a faster crypto
 * back end (wolfSSL built with AES-NI) changes this file's twin only. */
#ifndef DC_H
#define DC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum dc_cipher {
	DC_NONE, DC_AES_128_CBC, DC_AES_192_CBC, DC_AES_256_CBC, DC_AES_128_GCM,
	DC_AES_192_GCM, DC_AES_256_GCM, DC_CHACHA20_POLY1305, DC_BF_CBC,
	DC__CIPHERS
};

enum dc_digest { DC_MD_NONE, DC_MD5, DC_SHA1, DC_SHA256, DC_SHA512, DC__DIGESTS };

/* OpenVPN's names ("AES-256-GCM", "BF-CBC", "none"; "SHA256", "none"),
 * case-insensitive; -1 when unknown. */
int dc_cipher_by_name(const char *name);
const char *dc_cipher_name(enum dc_cipher c);
int dc_digest_by_name(const char *name);
const char *dc_digest_name(enum dc_digest d);
int dc_cipher_is_aead(enum dc_cipher c);
int dc_cipher_key_len(enum dc_cipher c);	/* bytes of key material used */

/* One direction of one key: sealing (encrypt) or opening (decrypt). Keys are
 * the halves of OpenVPN's 256-byte key block: cipher_key and hmac_key are
 * each 64 bytes, of which the cipher and digest use what they need (AEAD
 * ciphers take their implicit IV from the first 8 bytes of hmac_key). */
struct dc_ctx;
struct dc_ctx *dc_new(enum dc_cipher c, enum dc_digest d, const uint8_t cipher_key[64],
		      const uint8_t hmac_key[64], int seal);
void dc_free(struct dc_ctx *k);

/* Seal payload into out: hdr (1 byte P_DATA_V1 or 4 bytes P_DATA_V2, copied
 * as is and authenticated as OpenVPN does) then the protected packet. The
 * packet id counts from 1 inside k. Returns the length, -1 on error, -2 when
 * the packet id space is used up (renegotiate first). */
ssize_t dc_seal(struct dc_ctx *k, const uint8_t *hdr, size_t hdrlen, const uint8_t *payload,
		size_t len, uint8_t *out, size_t cap);

/* Open a whole packet whose header is hdrlen bytes; the plaintext goes to out
 * and its packet id to *pid (for the replay check). -1 on any failure:
 * authentication, padding, length. Input is hostile: every length checked. */
ssize_t dc_open(struct dc_ctx *k, const uint8_t *pkt, size_t len, size_t hdrlen, uint8_t *out,
		size_t cap, uint32_t *pid);

/* Bytes a sealed packet adds to its payload, header included. */
size_t dc_overhead(enum dc_cipher c, enum dc_digest d, size_t hdrlen);

/* Replay protection: a 64-packet window with a 15 s time backtrack, as
 * OpenVPN's defaults. 0 accepts (and records) pid, -1 refuses it. */
struct dc_replay {
	uint32_t top;			/* highest id seen */
	uint64_t bits;			/* bit i: top - i seen */
	uint64_t top_time;		/* seconds when top was seen */
};
int dc_replay_check(struct dc_replay *r, uint32_t pid, uint64_t now_s);

/* Added with dc.c, for tests only (the engine never needs it): the next
 * packet id k seals becomes next_pid, so that the refusal at the wrap limit
 * can be tested without sealing four billion packets. */
void dc_set_next_pid(struct dc_ctx *k, uint32_t next_pid);

#endif
