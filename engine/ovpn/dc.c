/* dc.c: OpenVPN 2.6's data-channel packet formats on wolfCrypt, and the
 * replay window. The layouts below were read from OpenVPN 2.6.14:
 *
 *   AEAD (crypto.c openvpn_encrypt_aead / openvpn_decrypt_aead):
 *     hdr | packet id (4, BE) | tag (16) | ciphertext
 *     nonce = packet id || implicit IV, the implicit IV being the first 8
 *     bytes of the direction's hmac key (ssl.c key_ctx_update_implicit_iv).
 *     AAD = everything in front of the tag: for P_DATA_V2 the 4-byte header
 *     and the packet id (forward.c encrypt_sign prepends op and peer id before
 *     encrypting; ssl.c handle_data_channel_packet sets ad_start at the op
 *     byte); for P_DATA_V1 only the packet id (the op byte is prepended after
 *     encryption, ad_start is set past it).
 *   CBC (crypto.c openvpn_encrypt_v1 / openvpn_decrypt_v1):
 *     hdr | HMAC | IV (one block, random) | CBC(packet id || payload), PKCS#7
 *     The HMAC covers IV and ciphertext, never the header; it is checked
 *     before anything is decrypted. With auth none there is no HMAC field.
 *   cipher none: hdr | HMAC | packet id | payload, the HMAC over id and
 *     payload (the id is prepended to the plaintext, then HMACed).
 *   The HMAC key is the first digest-size bytes of the hmac half
 *   (crypto_openssl.c hmac_ctx_init uses EVP_MD_size bytes).
 *
 * Packet ids are the short form (4 bytes, no time) of TLS mode, from 1.
 * OpenVPN renegotiates at PACKET_ID_WRAP_TRIGGER 0xFF000000 (packet_id.h);
 * we refuse to seal from that id on, so a key can never wrap its nonces.
 *
 * Cost per packet, all preallocated in dc_new, no malloc on the packet path:
 * AEAD: one AES-GCM or ChaCha20-Poly1305 pass straight from payload to out,
 * plus the 12-byte nonce. CBC: one CBC pass (only the first and last blocks
 * go through a 16-byte stack buffer, the rest runs payload to out), one HMAC
 * over IV and ciphertext, and a 16th of a DRBG call for the IV (IVs come from
 * a 256-byte pool). cipher none: one copy and one HMAC. */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/random.h>

#include "dc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blowfish.h"

#define PID_LEN 4
#define TAG_LEN 16			/* OPENVPN_AEAD_TAG_LENGTH */
#define NONCE_LEN 12
#define IMPLICIT_IV_LEN (NONCE_LEN - PID_LEN)
#define PID_LIMIT 0xFF000000u		/* PACKET_ID_WRAP_TRIGGER */
#define MAX_PACKET 65535		/* no UDP datagram or TCP frame is larger */
#define MAX_BLOCK 16
#define IV_POOL 256
#define REPLAY_WINDOW 64		/* DEFAULT_SEQ_BACKTRACK */
#define REPLAY_SECONDS 15		/* DEFAULT_TIME_BACKTRACK */

enum mode { M_NONE, M_CBC, M_GCM, M_CHACHA };

static const struct cipher_info {
	const char *name;		/* as OpenVPN spells it */
	enum mode mode;
	int key_len;			/* bytes of cipher_key used */
	size_t block;			/* CBC block size, the IV length */
} ciphers[DC__CIPHERS] = {
	[DC_NONE] = { "none", M_NONE, 0, 0 },
	[DC_AES_128_CBC] = { "AES-128-CBC", M_CBC, 16, 16 },
	[DC_AES_192_CBC] = { "AES-192-CBC", M_CBC, 24, 16 },
	[DC_AES_256_CBC] = { "AES-256-CBC", M_CBC, 32, 16 },
	[DC_AES_128_GCM] = { "AES-128-GCM", M_GCM, 16, 0 },
	[DC_AES_192_GCM] = { "AES-192-GCM", M_GCM, 24, 0 },
	[DC_AES_256_GCM] = { "AES-256-GCM", M_GCM, 32, 0 },
	[DC_CHACHA20_POLY1305] = { "CHACHA20-POLY1305", M_CHACHA, 32, 0 },
	[DC_BF_CBC] = { "BF-CBC", M_CBC, 16, BF_BLOCK },
};

static const struct digest_info {
	const char *name;
	size_t len;			/* output and key length */
	int type;			/* wolfCrypt hash type */
} digests[DC__DIGESTS] = {
	[DC_MD_NONE] = { "none", 0, 0 },
	[DC_MD5] = { "MD5", 16, WC_MD5 },
	[DC_SHA1] = { "SHA1", 20, WC_SHA },
	[DC_SHA256] = { "SHA256", 32, WC_SHA256 },
	[DC_SHA512] = { "SHA512", 64, WC_SHA512 },
};

/* One allocation per context, laid out for what its cipher and digest use
 * (a server holds up to four per client: two keys in transition, both ways),
 * so the parts below that a context does not need are NULL. */
struct dc_ctx {
	const struct cipher_info *ci;
	enum dc_cipher cipher;
	int seal;			/* 1: this context seals, 0: it opens */
	size_t hmac_len;		/* 0 for AEAD and auth none */
	uint32_t pid;			/* seal: the last packet id used */
	uint8_t implicit_iv[IMPLICIT_IV_LEN];	/* AEAD nonce tail */
	uint8_t chacha_key[32];		/* wolfCrypt's ChaCha20-Poly1305 takes raw keys */
	uint8_t bf_iv[BF_BLOCK];	/* Blowfish CBC chaining value */
	Aes *aes;			/* GCM and AES-CBC: this direction's key schedule */
	struct bf_key *bf;		/* BF-CBC */
	Hmac *hmac;			/* CBC and cipher none with an auth digest */
	uint8_t *ivpool;		/* CBC seal: IV_POOL random bytes */
	size_t ivpos;			/* next unused byte of ivpool */
	WC_RNG rng;			/* CBC seal: refills ivpool */
	int have_aes, have_hmac, have_rng;	/* what dc_free must release */
	size_t size;			/* bytes allocated, for the wipe */
};

int dc_cipher_by_name(const char *name)
{
	for (int c = 0; name && c < DC__CIPHERS; c++) {
		if (!strcasecmp(name, ciphers[c].name))
			return c;
	}
	return -1;
}

/* NULL for a value outside the enum. */
const char *dc_cipher_name(enum dc_cipher c)
{
	return (unsigned)c < DC__CIPHERS ? ciphers[c].name : NULL;
}

int dc_digest_by_name(const char *name)
{
	for (int d = 0; name && d < DC__DIGESTS; d++) {
		if (!strcasecmp(name, digests[d].name))
			return d;
	}
	return -1;
}

const char *dc_digest_name(enum dc_digest d)
{
	return (unsigned)d < DC__DIGESTS ? digests[d].name : NULL;
}

int dc_cipher_is_aead(enum dc_cipher c)
{
	return (unsigned)c < DC__CIPHERS &&
	       (ciphers[c].mode == M_GCM || ciphers[c].mode == M_CHACHA);
}

int dc_cipher_key_len(enum dc_cipher c)
{
	return (unsigned)c < DC__CIPHERS ? ciphers[c].key_len : -1;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Compares in time that depends on n only, so a forger learns nothing from
 * how long a wrong tag takes to be refused. */
static int equal_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
	volatile uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static int init_cipher(struct dc_ctx *k, const uint8_t *key, const uint8_t *hmac_key)
{
	word32 klen = (word32)k->ci->key_len;

	/* AEAD: the hmac half carries no HMAC key, only the nonce tail. */
	if (dc_cipher_is_aead(k->cipher))
		memcpy(k->implicit_iv, hmac_key, IMPLICIT_IV_LEN);
	switch (k->ci->mode) {
	case M_NONE:
		return 0;
	case M_CHACHA:
		memcpy(k->chacha_key, key, sizeof(k->chacha_key));
		return 0;
	case M_GCM:
		if (wc_AesInit(k->aes, NULL, INVALID_DEVID))
			return -1;
		k->have_aes = 1;
		return wc_AesGcmSetKey(k->aes, key, klen) ? -1 : 0;
	case M_CBC:
		if (k->cipher == DC_BF_CBC)
			return bf_set_key(k->bf, key, klen);
		if (wc_AesInit(k->aes, NULL, INVALID_DEVID))
			return -1;
		k->have_aes = 1;
		return wc_AesSetKey(k->aes, key, klen, NULL,
				    k->seal ? AES_ENCRYPTION : AES_DECRYPTION) ? -1 : 0;
	}
	return -1;
}

/* AEAD ciphers authenticate themselves: OpenVPN ignores --auth for them. */
static int init_hmac(struct dc_ctx *k, enum dc_digest d, const uint8_t *hmac_key)
{
	if (dc_cipher_is_aead(k->cipher) || d == DC_MD_NONE)
		return 0;
	if (wc_HmacInit(k->hmac, NULL, INVALID_DEVID))
		return -1;
	k->have_hmac = 1;
	k->hmac_len = digests[d].len;
	return wc_HmacSetKey(k->hmac, digests[d].type, hmac_key, (word32)k->hmac_len) ? -1 : 0;
}

static int init_rng(struct dc_ctx *k)
{
	if (!k->seal || k->ci->mode != M_CBC)
		return 0;
	if (wc_InitRng(&k->rng))
		return -1;
	k->have_rng = 1;
	k->ivpos = IV_POOL;
	return 0;
}

/* Reserves n bytes at the end of a layout of *size bytes; their offset. */
static size_t reserve(size_t *size, size_t n)
{
	size_t off = *size;

	*size += (n + 15) & ~(size_t)15;
	return off;
}

/* The context and the parts it needs, each 16-byte aligned as wolfCrypt's
 * structures want (calloc's blocks are). */
static struct dc_ctx *ctx_alloc(enum dc_cipher c, enum dc_digest d, int seal)
{
	const struct cipher_info *ci = &ciphers[c];
	size_t aes = 0, bf = 0, hmac = 0, pool = 0, size = 0;
	struct dc_ctx *k;
	uint8_t *base;

	reserve(&size, sizeof(struct dc_ctx));
	if (ci->mode == M_GCM || (ci->mode == M_CBC && c != DC_BF_CBC))
		aes = reserve(&size, sizeof(Aes));
	if (c == DC_BF_CBC)
		bf = reserve(&size, sizeof(struct bf_key));
	if (!dc_cipher_is_aead(c) && d != DC_MD_NONE)
		hmac = reserve(&size, sizeof(Hmac));
	if (seal && ci->mode == M_CBC)
		pool = reserve(&size, IV_POOL);
	base = calloc(1, size);
	if (!base)
		return NULL;
	k = (struct dc_ctx *)base;
	k->aes = aes ? (Aes *)(base + aes) : NULL;
	k->bf = bf ? (struct bf_key *)(base + bf) : NULL;
	k->hmac = hmac ? (Hmac *)(base + hmac) : NULL;
	k->ivpool = pool ? base + pool : NULL;
	k->size = size;
	return k;
}

struct dc_ctx *dc_new(enum dc_cipher c, enum dc_digest d, const uint8_t cipher_key[64],
		      const uint8_t hmac_key[64], int seal)
{
	struct dc_ctx *k;

	if ((unsigned)c >= DC__CIPHERS || (unsigned)d >= DC__DIGESTS || !cipher_key || !hmac_key)
		return NULL;
	k = ctx_alloc(c, d, !!seal);
	if (!k)
		return NULL;
	k->ci = &ciphers[c];
	k->cipher = c;
	k->seal = !!seal;
	if (init_cipher(k, cipher_key, hmac_key) || init_hmac(k, d, hmac_key) || init_rng(k)) {
		dc_free(k);
		return NULL;
	}
	return k;
}

void dc_free(struct dc_ctx *k)
{
	if (!k)
		return;
	if (k->have_aes)
		wc_AesFree(k->aes);
	if (k->have_hmac)
		wc_HmacFree(k->hmac);
	if (k->have_rng)
		wc_FreeRng(&k->rng);
	explicit_bzero(k, k->size);
	free(k);
}

/* Only the two headers OpenVPN has; the length decides what is authenticated. */
static int hdr_ok(size_t hdrlen)
{
	return hdrlen == 1 || hdrlen == 4;
}

size_t dc_overhead(enum dc_cipher c, enum dc_digest d, size_t hdrlen)
{
	const struct cipher_info *ci;
	size_t hm;

	if ((unsigned)c >= DC__CIPHERS || (unsigned)d >= DC__DIGESTS)
		return 0;
	ci = &ciphers[c];
	if (ci->mode == M_GCM || ci->mode == M_CHACHA)
		return hdrlen + PID_LEN + TAG_LEN;
	hm = digests[d].len;
	if (ci->mode == M_NONE)
		return hdrlen + hm + PID_LEN;
	/* The most: IV, packet id and a whole block of padding. */
	return hdrlen + hm + ci->block + PID_LEN + ci->block;
}

/* The exact sealed length of a len-byte payload (len <= MAX_PACKET). */
static size_t sealed_len(const struct dc_ctx *k, size_t hdrlen, size_t len)
{
	size_t bs = k->ci->block;

	switch (k->ci->mode) {
	case M_GCM:
	case M_CHACHA:
		return hdrlen + PID_LEN + TAG_LEN + len;
	case M_CBC:
		return hdrlen + k->hmac_len + bs + ((PID_LEN + len) / bs + 1) * bs;
	case M_NONE:
		break;
	}
	return hdrlen + k->hmac_len + PID_LEN + len;
}

static int hmac_of(struct dc_ctx *k, const uint8_t *in, size_t n, uint8_t *mac)
{
	if (wc_HmacUpdate(k->hmac, in, (word32)n) || wc_HmacFinal(k->hmac, mac))
		return -1;
	return 0;
}

static int hmac_ok(struct dc_ctx *k, const uint8_t *mac, const uint8_t *in, size_t n)
{
	uint8_t got[WC_MAX_DIGEST_SIZE];

	return hmac_of(k, in, n, got) == 0 && equal_ct(got, mac, k->hmac_len);
}

/* The next IV from the pool, refilled from the DRBG (which reseeds itself
 * from the system after a million requests). */
static int take_iv(struct dc_ctx *k, uint8_t *iv, size_t n)
{
	if (k->ivpos + n > IV_POOL) {
		if (wc_RNG_GenerateBlock(&k->rng, k->ivpool, IV_POOL))
			return -1;
		k->ivpos = 0;
	}
	memcpy(iv, k->ivpool + k->ivpos, n);
	k->ivpos += n;
	return 0;
}

static int cbc_start(struct dc_ctx *k, const uint8_t *iv)
{
	if (k->cipher == DC_BF_CBC) {
		memcpy(k->bf_iv, iv, BF_BLOCK);
		return 0;
	}
	return wc_AesSetIV(k->aes, iv) ? -1 : 0;
}

/* CBC over n bytes (whole blocks) in the context's direction, chaining on
 * from the previous call. */
static int cbc_run(struct dc_ctx *k, uint8_t *out, const uint8_t *in, size_t n)
{
	if (n == 0)
		return 0;
	if (k->cipher == DC_BF_CBC)
		return k->seal ? bf_cbc_encrypt(k->bf, k->bf_iv, in, out, n)
			       : bf_cbc_decrypt(k->bf, k->bf_iv, in, out, n);
	if (k->seal)
		return wc_AesCbcEncrypt(k->aes, out, in, (word32)n) ? -1 : 0;
	return wc_AesCbcDecrypt(k->aes, out, in, (word32)n) ? -1 : 0;
}

/* The block at byte off of the CBC plaintext pid || payload || padding. */
static void plain_block(uint8_t *blk, size_t bs, size_t off, const uint8_t *pidb,
			const uint8_t *payload, size_t len, uint8_t pad)
{
	for (size_t j = 0; j < bs; j++) {
		size_t o = off + j;

		blk[j] = o < PID_LEN ? pidb[o] : o < PID_LEN + len ? payload[o - PID_LEN] : pad;
	}
}

static int seal_aead(struct dc_ctx *k, uint8_t *out, size_t hdrlen, uint32_t pid,
		     const uint8_t *payload, size_t len)
{
	uint8_t *pidp = out + hdrlen, *tag = pidp + PID_LEN, *ct = tag + TAG_LEN;
	uint8_t nonce[NONCE_LEN];
	const uint8_t *aad = hdrlen == 4 ? out : pidp;
	word32 aadlen = (word32)(hdrlen == 4 ? hdrlen + PID_LEN : PID_LEN);

	put32(pidp, pid);
	memcpy(nonce, pidp, PID_LEN);
	memcpy(nonce + PID_LEN, k->implicit_iv, IMPLICIT_IV_LEN);
	if (k->ci->mode == M_GCM)
		return wc_AesGcmEncrypt(k->aes, ct, payload, (word32)len, nonce, NONCE_LEN,
					tag, TAG_LEN, aad, aadlen) ? -1 : 0;
	return wc_ChaCha20Poly1305_Encrypt(k->chacha_key, nonce, aad, aadlen, payload,
					   (word32)len, ct, tag) ? -1 : 0;
}

/* The first and last plaintext blocks are built on the stack; the blocks
 * between lie whole inside payload and are encrypted from there. */
static int seal_cbc(struct dc_ctx *k, uint8_t *out, size_t hdrlen, uint32_t pid,
		    const uint8_t *payload, size_t len)
{
	size_t bs = k->ci->block, nblk = (PID_LEN + len) / bs + 1;
	uint8_t *mac = out + hdrlen, *iv = mac + k->hmac_len, *ct = iv + bs;
	uint8_t pidb[PID_LEN], blk[MAX_BLOCK];
	uint8_t pad = (uint8_t)(nblk * bs - PID_LEN - len);

	put32(pidb, pid);
	if (take_iv(k, iv, bs) || cbc_start(k, iv))
		return -1;
	plain_block(blk, bs, 0, pidb, payload, len, pad);
	if (cbc_run(k, ct, blk, bs))
		return -1;
	if (nblk > 1) {
		if (cbc_run(k, ct + bs, payload + bs - PID_LEN, (nblk - 2) * bs))
			return -1;
		plain_block(blk, bs, (nblk - 1) * bs, pidb, payload, len, pad);
		if (cbc_run(k, ct + (nblk - 1) * bs, blk, bs))
			return -1;
	}
	if (k->hmac_len)
		return hmac_of(k, iv, bs + nblk * bs, mac);
	return 0;
}

static int seal_none(struct dc_ctx *k, uint8_t *out, size_t hdrlen, uint32_t pid,
		     const uint8_t *payload, size_t len)
{
	uint8_t *mac = out + hdrlen, *body = mac + k->hmac_len;

	put32(body, pid);
	if (len)
		memcpy(body + PID_LEN, payload, len);
	if (k->hmac_len)
		return hmac_of(k, body, PID_LEN + len, mac);
	return 0;
}

/* payload and out must not overlap; hdr may be out itself. */
ssize_t dc_seal(struct dc_ctx *k, const uint8_t *hdr, size_t hdrlen, const uint8_t *payload,
		size_t len, uint8_t *out, size_t cap)
{
	size_t total;
	int rc;

	if (!k || !k->seal || !hdr || !hdr_ok(hdrlen) || (!payload && len) || !out ||
	    len > MAX_PACKET)
		return -1;
	total = sealed_len(k, hdrlen, len);
	if (total > cap || total > MAX_PACKET)
		return -1;
	if (k->pid + 1 >= PID_LIMIT)
		return -2;
	k->pid++;			/* spent even if sealing fails: never reused */
	memmove(out, hdr, hdrlen);
	switch (k->ci->mode) {
	case M_GCM:
	case M_CHACHA:
		rc = seal_aead(k, out, hdrlen, k->pid, payload, len);
		break;
	case M_CBC:
		rc = seal_cbc(k, out, hdrlen, k->pid, payload, len);
		break;
	default:
		rc = seal_none(k, out, hdrlen, k->pid, payload, len);
		break;
	}
	return rc ? -1 : (ssize_t)total;
}

/* Unlike OpenVPN, which refuses an AEAD packet with no ciphertext ("missing
 * payload") and never sends one, an empty payload opens here: it is
 * authenticated all the same. */
static ssize_t open_aead(struct dc_ctx *k, const uint8_t *pkt, size_t len, size_t hdrlen,
			 uint8_t *out, size_t cap, uint32_t *pid)
{
	const uint8_t *pidp = pkt + hdrlen, *tag = pidp + PID_LEN, *ct = tag + TAG_LEN;
	const uint8_t *aad = hdrlen == 4 ? pkt : pidp;
	word32 aadlen = (word32)(hdrlen == 4 ? hdrlen + PID_LEN : PID_LEN);
	uint8_t nonce[NONCE_LEN];
	size_t n;
	int rc;

	if (len < hdrlen + PID_LEN + TAG_LEN)
		return -1;
	n = len - hdrlen - PID_LEN - TAG_LEN;
	if (n > cap)
		return -1;
	memcpy(nonce, pidp, PID_LEN);
	memcpy(nonce + PID_LEN, k->implicit_iv, IMPLICIT_IV_LEN);
	if (k->ci->mode == M_GCM)
		rc = wc_AesGcmDecrypt(k->aes, out, ct, (word32)n, nonce, NONCE_LEN, tag,
				      TAG_LEN, aad, aadlen);
	else
		rc = wc_ChaCha20Poly1305_Decrypt(k->chacha_key, nonce, aad, aadlen, ct,
						 (word32)n, tag, out);
	if (rc) {
		memset(out, 0, n);	/* no unauthenticated plaintext left behind */
		return -1;
	}
	*pid = get32(pidp);
	return (ssize_t)n;
}

/* PKCS#7: the last byte n is 1..bs and the last n bytes all equal n. Checked
 * without branching on the data, for the sake of auth none. */
static int pad_ok(const uint8_t *last, size_t bs)
{
	size_t pad = last[bs - 1];
	unsigned bad = (pad == 0) | (pad > bs);

	for (size_t i = 0; i < bs; i++)
		bad |= (bs - i <= pad) & ((size_t)last[i] != pad);
	return !bad;
}

/* Decrypts in three steps like seal_cbc: the first block (packet id) and the
 * last (padding) to the stack, the blocks between straight into out. They
 * end before the shortest payload the padding can leave, so out is written
 * within cap even before the padding is known. */
static ssize_t open_cbc(struct dc_ctx *k, const uint8_t *pkt, size_t len, size_t hdrlen,
			uint8_t *out, size_t cap, uint32_t *pid)
{
	size_t bs = k->ci->block, hm = k->hmac_len, ctlen, nblk, mid, n;
	const uint8_t *iv = pkt + hdrlen + hm, *ct = iv + bs;
	uint8_t first[MAX_BLOCK], lastb[MAX_BLOCK];
	const uint8_t *last = first;
	size_t wrote;			/* bytes of out the middle blocks fill */

	if (len < hdrlen + hm + 2 * bs || (len - hdrlen - hm) % bs)
		return -1;
	ctlen = len - hdrlen - hm - bs;
	if (hm && !hmac_ok(k, pkt + hdrlen, iv, bs + ctlen))
		return -1;
	nblk = ctlen / bs;
	mid = nblk > 1 ? (nblk - 2) * bs : 0;
	wrote = nblk > 1 ? bs - PID_LEN + mid : 0;
	if (wrote > cap)
		return -1;
	if (cbc_start(k, iv) || cbc_run(k, first, ct, bs))
		return -1;
	if (nblk > 1) {
		if (cbc_run(k, out + bs - PID_LEN, ct + bs, mid) ||
		    cbc_run(k, lastb, ct + (nblk - 1) * bs, bs))
			goto fail;
		last = lastb;
	}
	if (!pad_ok(last, bs) || ctlen - last[bs - 1] < PID_LEN)
		goto fail;
	n = ctlen - last[bs - 1] - PID_LEN;
	if (n > cap)
		goto fail;
	if (nblk == 1) {
		memcpy(out, first + PID_LEN, n);
	} else {
		memcpy(out, first + PID_LEN, bs - PID_LEN);
		memcpy(out + bs - PID_LEN + mid, lastb, bs - last[bs - 1]);
	}
	*pid = get32(first);
	return (ssize_t)n;
fail:
	memset(out, 0, wrote);
	return -1;
}

static ssize_t open_none(struct dc_ctx *k, const uint8_t *pkt, size_t len, size_t hdrlen,
			 uint8_t *out, size_t cap, uint32_t *pid)
{
	size_t hm = k->hmac_len, n;
	const uint8_t *body = pkt + hdrlen + hm;

	if (len < hdrlen + hm + PID_LEN)
		return -1;
	n = len - hdrlen - hm - PID_LEN;
	if (hm && !hmac_ok(k, pkt + hdrlen, body, PID_LEN + n))
		return -1;
	if (n > cap)
		return -1;
	if (n)
		memcpy(out, body + PID_LEN, n);
	*pid = get32(body);
	return (ssize_t)n;
}

ssize_t dc_open(struct dc_ctx *k, const uint8_t *pkt, size_t len, size_t hdrlen, uint8_t *out,
		size_t cap, uint32_t *pid)
{
	if (!k || k->seal || !pkt || !out || !pid || !hdr_ok(hdrlen) || len < hdrlen ||
	    len > MAX_PACKET)
		return -1;
	switch (k->ci->mode) {
	case M_GCM:
	case M_CHACHA:
		return open_aead(k, pkt, len, hdrlen, out, cap, pid);
	case M_CBC:
		return open_cbc(k, pkt, len, hdrlen, out, cap, pid);
	case M_NONE:
		break;
	}
	return open_none(k, pkt, len, hdrlen, out, cap, pid);
}

/* Tests only (declared at the end of dc.h). */
void dc_set_next_pid(struct dc_ctx *k, uint32_t next_pid)
{
	if (k && next_pid)
		k->pid = next_pid - 1;
}

/* OpenVPN's receive check for UDP (packet_id.c packet_id_test/add/reap with
 * the short form, where the time field is always 0):
 *  - id 0 is refused;
 *  - an id above the highest seen is accepted and becomes the top;
 *  - an id up to 63 below the top is accepted once; 64 or more below, never;
 *  - time backtrack: OpenVPN keeps a receive time per slot and expires every
 *    slot at or below one seen more than 15 s ago (checked every 5 s).
 *    With one time per window we keep the part that matters most: when the
 *    top is more than 15 s old, nothing below it is accepted any more, and
 *    those slots stay refused after a newer top arrives, as OpenVPN's do.
 *    What we cannot see is a former top, now overtaken by a fresher one,
 *    being older than 15 s: an unseen id below it is still accepted here.
 *    That never admits a packet twice; it only admits a late one.
 * TCP: OpenVPN 2.6 applies this same window on TCP (ssl.c key_state_init
 * passes replay_window whatever the transport). 2.3 did not: its
 * packet_id_init took tcp_mode and then demanded ids 1, 2, 3... without gaps;
 * 2.4 dropped that. On TCP, packets arrive in order and never use the window. */
int dc_replay_check(struct dc_replay *r, uint32_t pid, uint64_t now_s)
{
	int stale = now_s > r->top_time + REPLAY_SECONDS;
	uint32_t diff;

	if (pid == 0)
		return -1;
	if (pid > r->top) {
		uint32_t shift = pid - r->top;
		uint64_t old = r->top && stale ? ~(uint64_t)0 : r->bits;

		r->bits = (shift >= REPLAY_WINDOW ? 0 : old << shift) | 1;
		r->top = pid;
		r->top_time = now_s;
		return 0;
	}
	diff = r->top - pid;
	if (diff >= REPLAY_WINDOW || stale || (r->bits >> diff & 1))
		return -1;
	r->bits |= (uint64_t)1 << diff;
	return 0;
}
