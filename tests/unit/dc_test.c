/* dc_test.c: unit tests of the data channel (engine/ovpn/dc.c) and of
 * Blowfish (blowfish.c). Formats are pinned three ways: packets captured from
 * real OpenVPN 2.6.14 peers, vectors built with Python's cryptography
 * (OpenSSL), and a reference written here straight on wolfCrypt's one-shot
 * calls, which every sealed packet must satisfy. Last line:
 * "dc: N passed, M failed"; the exit status is nonzero on any failure. */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blowfish.h"
#include "dc.h"
#include "check.h"



/* Hex text to bytes; returns the length. */
static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; h[0] && h[1] && n < cap; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* ---- Blowfish: Eric Young's vectors (as shipped in OpenSSL's bftest.c) ---- */

static const char *const bf_ecb[34][3] = {	/* key, plain, cipher */
	{ "0000000000000000", "0000000000000000", "4EF997456198DD78" },
	{ "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "51866FD5B85ECB8A" },
	{ "3000000000000000", "1000000000000001", "7D856F9A613063F2" },
	{ "1111111111111111", "1111111111111111", "2466DD878B963C9D" },
	{ "0123456789ABCDEF", "1111111111111111", "61F9C3802281B096" },
	{ "1111111111111111", "0123456789ABCDEF", "7D0CC630AFDA1EC7" },
	{ "0000000000000000", "0000000000000000", "4EF997456198DD78" },
	{ "FEDCBA9876543210", "0123456789ABCDEF", "0ACEAB0FC6A0A28D" },
	{ "7CA110454A1A6E57", "01A1D6D039776742", "59C68245EB05282B" },
	{ "0131D9619DC1376E", "5CD54CA83DEF57DA", "B1B8CC0B250F09A0" },
	{ "07A1133E4A0B2686", "0248D43806F67172", "1730E5778BEA1DA4" },
	{ "3849674C2602319E", "51454B582DDF440A", "A25E7856CF2651EB" },
	{ "04B915BA43FEB5B6", "42FD443059577FA2", "353882B109CE8F1A" },
	{ "0113B970FD34F2CE", "059B5E0851CF143A", "48F4D0884C379918" },
	{ "0170F175468FB5E6", "0756D8E0774761D2", "432193B78951FC98" },
	{ "43297FAD38E373FE", "762514B829BF486A", "13F04154D69D1AE5" },
	{ "07A7137045DA2A16", "3BDD119049372802", "2EEDDA93FFD39C79" },
	{ "04689104C2FD3B2F", "26955F6835AF609A", "D887E0393C2DA6E3" },
	{ "37D06BB516CB7546", "164D5E404F275232", "5F99D04F5B163969" },
	{ "1F08260D1AC2465E", "6B056E18759F5CCA", "4A057A3B24D3977B" },
	{ "584023641ABA6176", "004BD6EF09176062", "452031C1E4FADA8E" },
	{ "025816164629B007", "480D39006EE762F2", "7555AE39F59B87BD" },
	{ "49793EBC79B3258F", "437540C8698F3CFA", "53C55F9CB49FC019" },
	{ "4FB05E1515AB73A7", "072D43A077075292", "7A8E7BFA937E89A3" },
	{ "49E95D6D4CA229BF", "02FE55778117F12A", "CF9C5D7A4986ADB5" },
	{ "018310DC409B26D6", "1D9D5C5018F728C2", "D1ABB290658BC778" },
	{ "1C587F1C13924FEF", "305532286D6F295A", "55CB3774D13EF201" },
	{ "0101010101010101", "0123456789ABCDEF", "FA34EC4847B268B2" },
	{ "1F1F1F1F0E0E0E0E", "0123456789ABCDEF", "A790795108EA3CAE" },
	{ "E0FEE0FEF1FEF1FE", "0123456789ABCDEF", "C39E072D9FAC631D" },
	{ "0000000000000000", "FFFFFFFFFFFFFFFF", "014933E0CDAFF6E4" },
	{ "FFFFFFFFFFFFFFFF", "0000000000000000", "F21E9A77B71C49BC" },
	{ "0123456789ABCDEF", "0000000000000000", "245946885754369A" },
	{ "FEDCBA9876543210", "FFFFFFFFFFFFFFFF", "6B5C5A9C5D9E0A5A" },
};

/* Key lengths 1..24 of one key, encrypting FEDCBA9876543210; we support 4+. */
static const char *const bf_setkey_out[24] = {
	"F9AD597C49DB005E", "E91D21C1D961A6D6", "E9C2B70A1BC65CF3", "BE1E639408640F05",
	"B39E44481BDB1E6E", "9457AA83B1928C0D", "8BB77032F960629D", "E87A244E2CC85E82",
	"15750E7A4F4EC577", "122BA70B3AB64AE0", "3A833C9AFFC537F6", "9409DA87A90F6BF2",
	"884F80625060B8B4", "1F85031C19E11968", "79D9373A714CA34F", "93142887EE3BE15C",
	"03429E838CE2D14B", "A4299E27469FF67B", "AFD5AED1C1BC96A8", "10851C0E3858DA9F",
	"E6F51ED79B9DB21F", "64A6E14AFD36B46F", "80C7D7D45A5479AD", "05044B62FA52D080",
};

static void test_bf_ecb(void)
{
	for (int i = 0; i < 34; i++) {
		struct bf_key k;
		uint8_t key[8], pt[8], want[8], got[8];

		unhex(bf_ecb[i][0], key, 8);
		unhex(bf_ecb[i][1], pt, 8);
		unhex(bf_ecb[i][2], want, 8);
		CHECK(bf_set_key(&k, key, 8) == 0, "bf ecb %d set_key", i);
		bf_encrypt_block(&k, pt, got);
		CHECK(!memcmp(got, want, 8), "bf ecb %d encrypt", i);
		bf_decrypt_block(&k, got, got);
		CHECK(!memcmp(got, pt, 8), "bf ecb %d decrypt", i);
	}
}

static void test_bf_keys(void)
{
	static const char *kt = "F0E1D2C3B4A5968778695A4B3C2D1E0F0011223344556677";
	uint8_t key[24], data[8], want[8], got[8];
	struct bf_key k;

	unhex(kt, key, sizeof(key));
	unhex("FEDCBA9876543210", data, 8);
	for (size_t len = BF_KEY_MIN; len <= 24; len++) {
		unhex(bf_setkey_out[len - 1], want, 8);
		CHECK(bf_set_key(&k, key, len) == 0, "bf key len %zu", len);
		bf_encrypt_block(&k, data, got);
		CHECK(!memcmp(got, want, 8), "bf variable key len %zu", len);
	}
	/* bftest.c's raw vectors: 26- and 17-byte text keys. */
	CHECK(bf_set_key(&k, (const uint8_t *)"abcdefghijklmnopqrstuvwxyz", 26) == 0, "bf key 26");
	unhex("424C4F5746495348", data, 8);
	unhex("324ED0FEF413A203", want, 8);
	bf_encrypt_block(&k, data, got);
	CHECK(!memcmp(got, want, 8), "bf 26-byte key vector");
	CHECK(bf_set_key(&k, (const uint8_t *)"Who is John Galt?", 17) == 0, "bf key 17");
	unhex("FEDCBA9876543210", data, 8);
	unhex("CC91732B8022F684", want, 8);
	bf_encrypt_block(&k, data, got);
	CHECK(!memcmp(got, want, 8), "bf 17-byte key vector");
	CHECK(bf_set_key(&k, key, 3) == -1, "bf refuses a 3-byte key");
	CHECK(bf_set_key(&k, key, 57) == -1, "bf refuses a 57-byte key");
}

static void test_bf_cbc(void)
{
	uint8_t key[16], iv[8], want[32], pt[32] = { 0 }, ct[32], back[32];
	struct bf_key k;

	unhex("0123456789ABCDEFF0E1D2C3B4A59687", key, 16);
	memcpy(pt, "7654321 Now is the time for ", 28);	/* zero padded to 32 */
	unhex("6B77B4D63006DEE605B156E27403979358DEB9E7154616D959F1652BD5FF92CC", want, 32);
	bf_set_key(&k, key, 16);
	unhex("FEDCBA9876543210", iv, 8);
	CHECK(bf_cbc_encrypt(&k, iv, pt, ct, 32) == 0, "bf cbc encrypt");
	CHECK(!memcmp(ct, want, 32), "bf cbc vector");
	/* In two calls, the chaining value carried in iv, in place. */
	unhex("FEDCBA9876543210", iv, 8);
	memcpy(back, ct, 32);
	CHECK(bf_cbc_decrypt(&k, iv, back, back, 16) == 0 &&
	      bf_cbc_decrypt(&k, iv, back + 16, back + 16, 16) == 0, "bf cbc decrypt");
	CHECK(!memcmp(back, pt, 32), "bf cbc decrypt in two calls, in place");
	CHECK(bf_cbc_encrypt(&k, iv, pt, ct, 12) == -1, "bf cbc refuses a partial block");
}

/* ---- the AES-GCM primitive: McGrew & Viega test case 16 (NIST) ---- */

static void test_gcm_primitive(void)
{
	uint8_t key[32], iv[12], pt[60], aad[20], want[60], tag[16], ct[60], t[16];
	Aes aes;

	unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key, 32);
	unhex("cafebabefacedbaddecaf888", iv, 12);
	unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39", pt, 60);
	unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, 20);
	unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662", want, 60);
	unhex("76fc6ece0f4e1768cddf8853bb2d551b", tag, 16);
	wc_AesInit(&aes, NULL, INVALID_DEVID);
	wc_AesGcmSetKey(&aes, key, 32);
	CHECK(wc_AesGcmEncrypt(&aes, ct, pt, 60, iv, 12, t, 16, aad, 20) == 0, "gcm tc16 runs");
	CHECK(!memcmp(ct, want, 60) && !memcmp(t, tag, 16), "gcm test case 16");
	wc_AesFree(&aes);
}

/* ---- an independent reference of the formats, on wolfCrypt one-shots ---- */

static const struct {
	size_t len;
	int type;
} md[DC__DIGESTS] = {
	[DC_MD_NONE] = { 0, 0 }, [DC_MD5] = { 16, WC_MD5 }, [DC_SHA1] = { 20, WC_SHA },
	[DC_SHA256] = { 32, WC_SHA256 }, [DC_SHA512] = { 64, WC_SHA512 },
};

static size_t ref_hmac_len(enum dc_cipher c, enum dc_digest d)
{
	return dc_cipher_is_aead(c) ? 0 : md[d].len;
}

static size_t ref_block(enum dc_cipher c)
{
	return c == DC_NONE || dc_cipher_is_aead(c) ? 0 : c == DC_BF_CBC ? 8 : 16;
}

static void ref_mac(enum dc_digest d, const uint8_t *hk, const uint8_t *in, size_t n,
		    uint8_t *mac)
{
	Hmac h;

	wc_HmacInit(&h, NULL, INVALID_DEVID);
	wc_HmacSetKey(&h, md[d].type, hk, (word32)md[d].len);
	wc_HmacUpdate(&h, in, (word32)n);
	wc_HmacFinal(&h, mac);
	wc_HmacFree(&h);
}

/* AEAD in one call: returns 0 when the tag verifies (dec) or was made. */
static int ref_aead(enum dc_cipher c, const uint8_t *ck, const uint8_t *nonce,
		    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t n,
		    uint8_t *out, uint8_t *tag, int dec)
{
	Aes aes;
	int rc;

	if (c == DC_CHACHA20_POLY1305)
		return dec ? wc_ChaCha20Poly1305_Decrypt(ck, nonce, aad, (word32)aadlen, in,
							 (word32)n, tag, out)
			   : wc_ChaCha20Poly1305_Encrypt(ck, nonce, aad, (word32)aadlen, in,
							 (word32)n, out, tag);
	wc_AesInit(&aes, NULL, INVALID_DEVID);
	wc_AesGcmSetKey(&aes, ck, (word32)dc_cipher_key_len(c));
	rc = dec ? wc_AesGcmDecrypt(&aes, out, in, (word32)n, nonce, 12, tag, 16, aad,
				    (word32)aadlen)
		 : wc_AesGcmEncrypt(&aes, out, in, (word32)n, nonce, 12, tag, 16, aad,
				    (word32)aadlen);
	wc_AesFree(&aes);
	return rc;
}

/* CBC over a whole buffer with a fresh key schedule. */
static void ref_cbc(enum dc_cipher c, const uint8_t *ck, const uint8_t *iv, const uint8_t *in,
		    size_t n, uint8_t *out, int dec)
{
	if (c == DC_BF_CBC) {
		struct bf_key k;
		uint8_t v[8];

		bf_set_key(&k, ck, 16);
		memcpy(v, iv, 8);
		if (dec)
			bf_cbc_decrypt(&k, v, in, out, n);
		else
			bf_cbc_encrypt(&k, v, in, out, n);
		return;
	}
	Aes aes;

	wc_AesInit(&aes, NULL, INVALID_DEVID);
	wc_AesSetKey(&aes, ck, (word32)dc_cipher_key_len(c), iv,
		     dec ? AES_DECRYPTION : AES_ENCRYPTION);
	if (dec)
		wc_AesCbcDecrypt(&aes, out, in, (word32)n);
	else
		wc_AesCbcEncrypt(&aes, out, in, (word32)n);
	wc_AesFree(&aes);
}

static void be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

#define BIG 9200

/* Seal as OpenVPN 2.6 does, with a given packet id and (CBC) IV. */
static size_t ref_seal(enum dc_cipher c, enum dc_digest d, const uint8_t *ck, const uint8_t *hk,
		       const uint8_t *hdr, size_t hdrlen, uint32_t pid, const uint8_t *iv,
		       const uint8_t *pl, size_t len, uint8_t *out)
{
	size_t hm = ref_hmac_len(c, d), bs = ref_block(c);
	static uint8_t pt[BIG + 32];

	memcpy(out, hdr, hdrlen);
	if (dc_cipher_is_aead(c)) {
		uint8_t nonce[12];

		be32(out + hdrlen, pid);
		memcpy(nonce, out + hdrlen, 4);
		memcpy(nonce + 4, hk, 8);
		ref_aead(c, ck, nonce, hdrlen == 4 ? out : out + hdrlen, hdrlen == 4 ? 8 : 4, pl,
			 len, out + hdrlen + 20, out + hdrlen + 4, 0);
		return hdrlen + 20 + len;
	}
	be32(pt, pid);
	memcpy(pt + 4, pl, len);
	if (c == DC_NONE) {
		memcpy(out + hdrlen + hm, pt, 4 + len);
		if (hm)
			ref_mac(d, hk, pt, 4 + len, out + hdrlen);
		return hdrlen + hm + 4 + len;
	}
	size_t n = 4 + len, pad = bs - n % bs;

	memset(pt + n, (int)pad, pad);
	memcpy(out + hdrlen + hm, iv, bs);
	ref_cbc(c, ck, iv, pt, n + pad, out + hdrlen + hm + bs, 0);
	if (hm)
		ref_mac(d, hk, out + hdrlen + hm, bs + n + pad, out + hdrlen);
	return hdrlen + hm + bs + n + pad;
}

/* Open as OpenVPN 2.6 does; -1 on any failure. */
static long ref_open(enum dc_cipher c, enum dc_digest d, const uint8_t *ck, const uint8_t *hk,
		     const uint8_t *pkt, size_t len, size_t hdrlen, uint8_t *out, uint32_t *pid)
{
	size_t hm = ref_hmac_len(c, d), bs = ref_block(c);
	static uint8_t pt[BIG + 64];
	uint8_t mac[64];

	if (dc_cipher_is_aead(c)) {
		uint8_t nonce[12], tag[16];

		if (len < hdrlen + 20)
			return -1;
		memcpy(nonce, pkt + hdrlen, 4);
		memcpy(nonce + 4, hk, 8);
		memcpy(tag, pkt + hdrlen + 4, 16);
		if (ref_aead(c, ck, nonce, hdrlen == 4 ? pkt : pkt + hdrlen, hdrlen == 4 ? 8 : 4,
			     pkt + hdrlen + 20, len - hdrlen - 20, out, tag, 1))
			return -1;
		*pid = rd32(pkt + hdrlen);
		return (long)(len - hdrlen - 20);
	}
	if (len < hdrlen + hm + 4)
		return -1;
	if (hm) {
		ref_mac(d, hk, pkt + hdrlen + hm, len - hdrlen - hm, mac);
		if (memcmp(mac, pkt + hdrlen, hm))
			return -1;
	}
	const uint8_t *body = pkt + hdrlen + hm;
	size_t blen = len - hdrlen - hm;

	if (c == DC_NONE) {
		*pid = rd32(body);
		memcpy(out, body + 4, blen - 4);
		return (long)(blen - 4);
	}
	if (blen < 2 * bs || blen % bs || blen > sizeof(pt))
		return -1;
	ref_cbc(c, ck, body, body + bs, blen - bs, pt, 1);
	size_t n = blen - bs, pad = pt[n - 1];

	if (pad < 1 || pad > bs || n - pad < 4)
		return -1;
	for (size_t i = n - pad; i < n; i++) {
		if (pt[i] != pad)
			return -1;
	}
	*pid = rd32(pt);
	memcpy(out, pt + 4, n - pad - 4);
	return (long)(n - pad - 4);
}

/* ---- helpers over dc.c ---- */

static uint8_t ck[64], hk[64], payload[BIG];

static void keys_init(void)
{
	for (int i = 0; i < 64; i++) {
		ck[i] = (uint8_t)(i * 7 + 1);
		hk[i] = (uint8_t)(i * 13 + 5);
	}
	for (int i = 0; i < BIG; i++)
		payload[i] = (uint8_t)(i * 3);
}

static const uint8_t hdr_v1[1] = { 0x30 }, hdr_v2[4] = { 0x48, 0x00, 0x00, 0x07 };

/* A combination whose packets are authenticated (auth none + CBC/none is not). */
static int authenticated(enum dc_cipher c, enum dc_digest d)
{
	return dc_cipher_is_aead(c) || d != DC_MD_NONE;
}

static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 27, 28, 29,
				31, 32, 33, 100, 1400, 1500, 9000 };

/* seal -> open, seal -> reference open, reference seal -> open, and for
 * AEAD seal == reference seal byte for byte; all buffers exactly sized so
 * ASan catches a byte written or read out of bounds. */
static void test_roundtrip(enum dc_cipher c, enum dc_digest d, const uint8_t *hdr, size_t hdrlen)
{
	struct dc_ctx *s = dc_new(c, d, ck, hk, 1), *o = dc_new(c, d, ck, hk, 0);
	const char *cn = dc_cipher_name(c), *dn = dc_digest_name(d);
	uint32_t pid = 0, want = 0;

	CHECK(s && o, "dc_new %s/%s", cn, dn);
	if (!s || !o)
		goto out;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i], cap = len + dc_overhead(c, d, hdrlen);
		uint8_t *pkt = malloc(cap), *back = malloc(len ? len : 1), *ref = malloc(cap);
		uint8_t iv[16] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
				   0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };
		ssize_t n = dc_seal(s, hdr, hdrlen, payload, len, pkt, cap), m;
		long r;

		want++;
		CHECK(n > 0 && (size_t)n <= cap && !memcmp(pkt, hdr, hdrlen), "%s/%s seal %zu -> %zd",
		      cn, dn, len, n);
		if (n <= 0)
			goto next;
		if (dc_cipher_is_aead(c))
			CHECK((size_t)n == cap, "%s/%s AEAD overhead exact at %zu", cn, dn, len);
		m = dc_open(o, pkt, (size_t)n, hdrlen, back, len, &pid);
		CHECK(m == (ssize_t)len && pid == want && (!len || !memcmp(back, payload, len)),
		      "%s/%s h%zu open %zu -> %zd pid %u", cn, dn, hdrlen, len, m, pid);
		r = ref_open(c, d, ck, hk, pkt, (size_t)n, hdrlen, back, &pid);
		CHECK(r == (long)len && pid == want && (!len || !memcmp(back, payload, len)),
		      "%s/%s h%zu reference opens our %zu-byte seal -> %ld", cn, dn, hdrlen, len, r);
		r = (long)ref_seal(c, d, ck, hk, hdr, hdrlen, 77, iv, payload, len, ref);
		m = dc_open(o, ref, (size_t)r, hdrlen, back, len, &pid);
		CHECK(m == (ssize_t)len && pid == 77 && (!len || !memcmp(back, payload, len)),
		      "%s/%s h%zu opens the reference %zu-byte seal -> %zd", cn, dn, hdrlen, len, m);
		if (len && authenticated(c, d))
			CHECK(dc_open(o, pkt, (size_t)n, hdrlen, back, len - 1, &pid) == -1,
			      "%s/%s refuses a too small out at %zu", cn, dn, len);
next:
		free(pkt);
		free(back);
		free(ref);
	}
	if (dc_cipher_is_aead(c)) {
		/* Byte-exact against the reference at a known id. */
		uint8_t a[64], b[64];
		ssize_t n;

		dc_set_next_pid(s, 77);
		n = dc_seal(s, hdr, hdrlen, payload, 33, a, sizeof(a));
		ref_seal(c, d, ck, hk, hdr, hdrlen, 77, NULL, payload, 33, b);
		CHECK(n == (ssize_t)(hdrlen + 20 + 33) && !memcmp(a, b, (size_t)n),
		      "%s/%s h%zu seal equals the reference byte for byte", cn, dn, hdrlen);
	}
out:
	dc_free(s);
	dc_free(o);
}

/* Every single-bit change of an authenticated packet is refused, except in
 * the parts OpenVPN leaves unauthenticated: the P_DATA_V1 op byte, and the
 * header of CBC and cipher-none packets (their HMAC starts after it). */
static void test_tamper(enum dc_cipher c, enum dc_digest d, const uint8_t *hdr, size_t hdrlen,
			size_t len)
{
	struct dc_ctx *s = dc_new(c, d, ck, hk, 1), *o = dc_new(c, d, ck, hk, 0);
	uint8_t pkt[2048], back[2048];
	ssize_t n = dc_seal(s, hdr, hdrlen, payload, len, pkt, sizeof(pkt));
	int bad = 0, open_hdr = 0;
	uint32_t pid;

	for (ssize_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			ssize_t m;

			pkt[i] ^= (uint8_t)(1 << bit);
			m = dc_open(o, pkt, (size_t)n, hdrlen, back, sizeof(back), &pid);
			pkt[i] ^= (uint8_t)(1 << bit);
			if ((size_t)i < hdrlen && !(dc_cipher_is_aead(c) && hdrlen == 4))
				open_hdr += m == (ssize_t)len;
			else if (m != -1)
				bad++;
		}
	}
	CHECK(n > 0 && bad == 0, "%s/%s h%zu len %zu: %d tampered packets opened",
	      dc_cipher_name(c), dc_digest_name(d), hdrlen, len, bad);
	if (!(dc_cipher_is_aead(c) && hdrlen == 4))
		CHECK(open_hdr == (int)hdrlen * 2, "%s/%s h%zu: header not authenticated, as OpenVPN",
		      dc_cipher_name(c), dc_digest_name(d), hdrlen);
	dc_free(s);
	dc_free(o);
}

/* Every proper prefix is refused cleanly (authenticated combinations), and
 * with auth none nothing is read or written out of bounds (ASan). */
static void test_truncate(enum dc_cipher c, enum dc_digest d, const uint8_t *hdr, size_t hdrlen)
{
	struct dc_ctx *s = dc_new(c, d, ck, hk, 1), *o = dc_new(c, d, ck, hk, 0);
	uint8_t pkt[2048];
	ssize_t n = dc_seal(s, hdr, hdrlen, payload, 100, pkt, sizeof(pkt));
	int bad = 0;
	uint32_t pid;

	for (ssize_t l = 0; l < n; l++) {
		uint8_t *cut = malloc(l ? (size_t)l : 1), *back = malloc(100);
		ssize_t m;

		memcpy(cut, pkt, (size_t)l);
		m = dc_open(o, cut, (size_t)l, hdrlen, back, 100, &pid);
		if (authenticated(c, d) ? m != -1 : m > l)
			bad++;
		free(cut);
		free(back);
	}
	CHECK(n > 0 && bad == 0, "%s/%s h%zu: %d truncations accepted", dc_cipher_name(c),
	      dc_digest_name(d), hdrlen, bad);
	dc_free(s);
	dc_free(o);
}

/* A different key on the opening side fails: the cipher key for AEAD, the
 * implicit IV (hmac half) for AEAD, the HMAC key otherwise. */
static void test_wrong_key(enum dc_cipher c, enum dc_digest d)
{
	uint8_t ck2[64], hk2[64], pkt[256], back[256];
	struct dc_ctx *s = dc_new(c, d, ck, hk, 1), *o1, *o2;
	ssize_t n = dc_seal(s, hdr_v2, 4, payload, 40, pkt, sizeof(pkt));
	uint32_t pid;

	memcpy(ck2, ck, 64);
	memcpy(hk2, hk, 64);
	ck2[0] ^= 1;
	hk2[0] ^= 1;
	o1 = dc_new(c, d, dc_cipher_is_aead(c) ? ck2 : ck, dc_cipher_is_aead(c) ? hk : hk2, 0);
	o2 = dc_new(c, d, dc_cipher_is_aead(c) ? ck : ck2, hk2, 0);
	CHECK(dc_open(o1, pkt, (size_t)n, 4, back, sizeof(back), &pid) == -1 &&
	      dc_open(o2, pkt, (size_t)n, 4, back, sizeof(back), &pid) == -1,
	      "%s/%s: wrong key opens", dc_cipher_name(c), dc_digest_name(d));
	dc_free(s);
	dc_free(o1);
	dc_free(o2);
}

/* A CBC packet around any plaintext, padding included, with a valid HMAC:
 * what a peer with the key (or anyone, under auth none) could send. */
static size_t cbc_packet(enum dc_cipher c, enum dc_digest d, const uint8_t *pt, size_t n,
			 uint8_t *out)
{
	static const uint8_t iv[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };
	size_t hm = ref_hmac_len(c, d), bs = ref_block(c);

	memcpy(out, hdr_v2, 4);
	memcpy(out + 4 + hm, iv, bs);
	ref_cbc(c, ck, iv, pt, n, out + 4 + hm + bs, 0);
	if (hm)
		ref_mac(d, hk, out + 4 + hm, bs + n, out + 4);
	return 4 + hm + bs + n;
}

/* Padding is checked in full: its last byte 1..block size, every padding
 * byte equal to it, and enough left for the packet id. */
static void test_padding(enum dc_cipher c, enum dc_digest d)
{
	size_t bs = ref_block(c);
	struct dc_ctx *o = dc_new(c, d, ck, hk, 0);
	uint8_t pt[64], pkt[256], back[64];
	uint32_t pid;
	const char *cn = dc_cipher_name(c), *dn = dc_digest_name(d);

	/* 2 blocks: id 1, then payload, then 3 bytes of padding. */
	be32(pt, 1);
	memcpy(pt + 4, payload, 2 * bs - 7);
	memset(pt + 2 * bs - 3, 3, 3);
	size_t n = cbc_packet(c, d, pt, 2 * bs, pkt);
	CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == (ssize_t)(2 * bs - 7) && pid == 1,
	      "%s/%s good padding opens", cn, dn);
	for (size_t i = 1; i <= 3; i++) {
		pt[2 * bs - i] ^= 0x10;
		n = cbc_packet(c, d, pt, 2 * bs, pkt);
		CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == -1,
		      "%s/%s padding byte -%zu wrong", cn, dn, i);
		pt[2 * bs - i] ^= 0x10;
	}
	pt[2 * bs - 1] = 0;
	n = cbc_packet(c, d, pt, 2 * bs, pkt);
	CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == -1, "%s/%s pad 0", cn, dn);
	memset(pt + bs, (int)bs + 1, bs);
	n = cbc_packet(c, d, pt, 2 * bs, pkt);
	CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == -1, "%s/%s pad > block", cn, dn);
	memset(pt + bs, (int)bs, bs);
	n = cbc_packet(c, d, pt, 2 * bs, pkt);
	CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == (ssize_t)(bs - 4),
	      "%s/%s a whole block of padding", cn, dn);
	/* One block whose padding leaves 3 bytes: no room for the id. */
	memset(pt, (int)bs - 3, bs);
	n = cbc_packet(c, d, pt, bs, pkt);
	CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == -1, "%s/%s no id left", cn, dn);
	memset(pt + 4, (int)bs - 4, bs - 4);
	n = cbc_packet(c, d, pt, bs, pkt);
	CHECK(dc_open(o, pkt, n, 4, back, sizeof(back), &pid) == 0, "%s/%s only the id", cn, dn);
	dc_free(o);
}

/* ---- known answers ---- */

/* Captured from OpenVPN 2.6.14 (OpenSSL 3.0) peers in p2p mode over UDP,
 * --dev null, --verb 9, through a logging relay: the client's first data
 * packet (P_DATA_V2, packet id 1, a keepalive ping) with the client's
 * "Outgoing Data Channel" keys from its log; for AEAD the hmac column is the
 * implicit IV (the tail of "ENCRYPT IV"). */
static const struct {
	enum dc_cipher c;
	enum dc_digest d;
	const char *ck, *hk, *pkt;
} real[] = {
	{ DC_AES_256_GCM, DC_SHA256,
	  "f6c8dc3f4680d5ccd0dea762d9499a41e8f36a77c1bc237d2caeaa34e21c65d1",
	  "abea839f952b0d73",
	  "4854b03d00000001d139478f87cb53b1d58d425d64bc0ff9e37283e24ccaaaa5b56174791586ecc9" },
	{ DC_AES_128_GCM, DC_SHA1,
	  "e78638b64be214863bcba2c2637e74bd",
	  "ae1bd539903834f2",
	  "48392665000000011ce08e66c91bfa85f69a347cdbc6bd6bd530a2c20ab9f1166550ac957d988eea" },
	{ DC_CHACHA20_POLY1305, DC_SHA256,
	  "ac372771a420c764b56df75f7875829349ff7250f93d9b806cda3c1db8844ca1",
	  "25b56e4daf454cee",
	  "481a7bc100000001fc22cb145b6b5932cb2d35b9312c047686b7c467fcfca2656917b6228ac285ce" },
	{ DC_AES_256_CBC, DC_SHA256,
	  "8cbf444047e59d6662fc8a5ad55aab74d06c8d1d06c219e107f0bc0a8e871535",
	  "a1ff5124c1a387830af574e7560b7f6f70d5c012da38e9da600398dc4cb5e00c",
	  "48fca442a5b832bdd68d195e2b7f39922d3d1acf0fc326dfb15d7024c939127830f48f35daea7526d5c3"
	  "ddd54b0ea24416d70cfd9c52cc1d7aced0506d8923a353fdb3b3cfcee427fd9e193559bbb31944992e23" },
	{ DC_AES_128_CBC, DC_SHA1,
	  "bc2cede139a03cecb5cd766536056899",
	  "8bbd07f5d7b6544bc3866ff4865fecb4fc1387de",
	  "4833034cf22d2c6d509a4d3a959904dc66c16e34ab8c4646e07e9b7d8b4de8fceb717c1a215471f64dcc"
	  "f7a9488785db20ed939b352eecfb91146bd0f3cdb87b5e0e8d1bd0f7c588" },
	{ DC_BF_CBC, DC_SHA1,
	  "74b2936adc86c2080574017cce7bbf7a",
	  "3e21c02b73a93dd61df34244598fc1f3ff0b872a",
	  "48ab370931d8dd2c7be1ed4cc911863ddebd6f3ef3e72e109dde7c22183eab7b7201431538a30bc8fb2e"
	  "00ee2b47f60ce73ed06e54abbcc1" },
	{ DC_AES_192_CBC, DC_SHA512,
	  "35c3bc4e6c43bb54463f8f7d60724baf44ac9a828f4a1282",
	  "896a7ca09d093e93284056f23b633319ab75c7e8477bb89ea680442876bde6a18741294e65c461ff2fec"
	  "cc751fdbca836b6e6cf45342d060151089c4cc08d981",
	  "4827485f28165b1e358bf88459c4636741044bff492abee5fc64ff889fdae1d1a2cf4a4b809d55e5234f"
	  "283efacad568cd9bb13984a8ca6a776105e428fdfb3081310c9d0c724b62a4933c2ee33699e03ef7dc85"
	  "4aa42935a3490088ec478c5b4cf6b7874624c507c2acd3338fd8ffe0b3cd4ef0" },
	{ DC_AES_128_CBC, DC_MD5,
	  "506e11da7de370c328c4f0b215b5febe",
	  "6e61ceb084b567fb3eb7209518125fb9",
	  "489342b03797e85d69d0ddf6558378bed2adf26fb27c1109be6443f117cb972b001e14d21787af4eef14"
	  "88adfaa29603f88d66c889f94eeb94b90ea93a1cc52ef44db781" },
};

static const uint8_t ping[16] = { 0x2a, 0x18, 0x7b, 0xf3, 0x64, 0x1e, 0xb4, 0xcb,
				  0x07, 0xed, 0x2d, 0x0a, 0x98, 0x1f, 0xc7, 0x48 };

static void test_real_openvpn(void)
{
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		uint8_t k1[64] = { 0 }, k2[64] = { 0 }, pkt[256], out[256], back[64];
		size_t n = unhex(real[i].pkt, pkt, sizeof(pkt));
		struct dc_ctx *o, *s;
		uint32_t pid = 0;
		ssize_t m;

		unhex(real[i].ck, k1, 64);
		unhex(real[i].hk, k2, 64);
		o = dc_new(real[i].c, real[i].d, k1, k2, 0);
		m = dc_open(o, pkt, n, 4, back, sizeof(back), &pid);
		CHECK(m == 16 && pid == 1 && !memcmp(back, ping, 16), "opens OpenVPN's %s/%s packet",
		      dc_cipher_name(real[i].c), dc_digest_name(real[i].d));
		if (dc_cipher_is_aead(real[i].c)) {
			s = dc_new(real[i].c, real[i].d, k1, k2, 1);
			m = dc_seal(s, pkt, 4, ping, 16, out, sizeof(out));
			CHECK(m == (ssize_t)n && !memcmp(out, pkt, n),
			      "seals OpenVPN's %s packet byte for byte", dc_cipher_name(real[i].c));
			dc_free(s);
		}
		dc_free(o);
	}
}

/* Built by Python's cryptography (OpenSSL 3) from crypto.c's layouts, with
 * the test keys (ck[i] = 7i+1, hk[i] = 13i+5), the 37-byte payload p[i] = 3i
 * and, for CBC, the IV a0 a1 ... af; the generator:
 *   p = struct.pack(">I", pid); nonce = p + hk[:8]
 *   AEAD: ct = AESGCM(ck[:n]).encrypt(nonce, payload, hdr + p if len(hdr) == 4 else p)
 *         pkt = hdr + p + ct[-16:] + ct[:-16]
 *   CBC:  pt = p + payload, PKCS#7; body = iv + CBC(ck[:n], iv, pt)
 *         pkt = hdr + HMAC(hk[:mdlen], body) + body
 *   none: body = p + payload; pkt = hdr + HMAC(hk[:mdlen], body) + body */
static const struct {
	enum dc_cipher c;
	enum dc_digest d;
	size_t hdrlen;
	uint32_t pid;
	const char *pkt;
} kat[] = {
	{ DC_AES_256_GCM, DC_MD_NONE, 4, 1,
	  "4800000700000001ee817d718b86f1e400d8db4ecb13073ae20f5dc6f50790e676be99aecfe47e249c"
	  "66214b63b409977e044f58b09d565fb5bd8a681c" },
	{ DC_AES_256_GCM, DC_SHA256, 1, 1,
	  "30000000013fa3077e2f6f68e6cefdaca170aa5b65e20f5dc6f50790e676be99aecfe47e249c66214b"
	  "63b409977e044f58b09d565fb5bd8a681c" },
	{ DC_AES_128_GCM, DC_MD_NONE, 4, 1,
	  "48000007000000014fcc625f53015376502a9d982c00d2775c81600d20166fc72a4907bb988e59cb5b"
	  "166712490f8636ee727dd7c3bc8086c8e1591133" },
	{ DC_AES_192_GCM, DC_MD_NONE, 4, 1,
	  "48000007000000012ff43e80dc8a36ff0ec40baafe6db3f4dacb8c7df56fa6aaccde83686a6442006f"
	  "a981f30f1b795b15c85f9e951cd1e7ce49ad5f9f" },
	{ DC_CHACHA20_POLY1305, DC_MD_NONE, 4, 1,
	  "480000070000000113523b4aa4ded50a881ff9e2e289f27096dea3374e0a24c1d285676154652ca004"
	  "b702752695bdd93035422427ea45470505e0c7a7" },
	{ DC_CHACHA20_POLY1305, DC_MD_NONE, 1, 1,
	  "3000000001cf86d4bd6a1c239bc0cd9e6dab9b972296dea3374e0a24c1d285676154652ca004b70275"
	  "2695bdd93035422427ea45470505e0c7a7" },
	{ DC_AES_256_CBC, DC_SHA256, 4, 1,
	  "48000007921270cddcee584bd244ec2777eb42bd8ed00ab47c1abe452f7e7073c8cb983fa0a1a2a3a4"
	  "a5a6a7a8a9aaabacadaeafce328d17978320458a59d3bcdf15ed859af5ec8f26b5b404f70868d83686"
	  "e9c87613446a45f9716606ae987583be2b21" },
	{ DC_AES_128_CBC, DC_SHA1, 1, 2,
	  "301e9af33ab1f8ee00350a775d53fa1aad3eeae0a9a0a1a2a3a4a5a6a7a8a9aaabacadaeafc1af7cc0"
	  "94c582110d7d66f7e6eacc8b13dc64129ad0056abe536c556aea6ae30ab21064d501bda1267aa3d95f"
	  "774ba6" },
	{ DC_AES_192_CBC, DC_SHA512, 4, 3,
	  "480000072355d5b74a13908a46b76f9f07f919b75ba7f99b8a855b3789e768a7b6925e259a250c4188"
	  "7a60e0fbd58feff207ac6a3ce9814733c22f249b2ead1e90132be5a0a1a2a3a4a5a6a7a8a9aaabacad"
	  "aeaf639f1172a7d524bf05e251814b7f535a63b66d821cf801740495eb644608926edde56ae947b2f4"
	  "1afb71fd16314cdad5" },
	{ DC_AES_128_CBC, DC_MD5, 4, 4,
	  "4800000760021c8975eeb26e99f1aee7ef977a36a0a1a2a3a4a5a6a7a8a9aaabacadaeaf03c5fdc704"
	  "f68910767bb59f616ac4f039e3068955a159654c1bd2518957659ac97b26fa811f2a3cddd39bf4de8f"
	  "8a04" },
	{ DC_AES_256_CBC, DC_MD_NONE, 4, 5,
	  "48000007a0a1a2a3a4a5a6a7a8a9aaabacadaeafefab0aaac3817b12cabbbe57ea84e5a37b1d5356d3"
	  "3758f73c36223dac1f77eeb82a016468099c9fb72e6c3bf42a40a5" },
	{ DC_BF_CBC, DC_SHA1, 1, 6,
	  "3083d6673b79b0bba549898103f0ed64a5237a04e7a0a1a2a3a4a5a6a783d5677f5c8dafe119fc4bc5"
	  "281cd4d4d295e7b261822426304e778b1660f47e3598b0d35dcefb62fe96df536f682f50" },
	{ DC_NONE, DC_SHA1, 4, 7,
	  "48000007058fa762c1e32aaffa0d8420dd7772821313dfdb00000007000306090c0f1215181b1e2124"
	  "272a2d303336393c3f4245484b4e5154575a5d606366696c" },
	{ DC_NONE, DC_MD_NONE, 1, 8,
	  "3000000008000306090c0f1215181b1e2124272a2d303336393c3f4245484b4e5154575a5d60636669"
	  "6c" },
};

/* Opens each; where the format is deterministic (AEAD, cipher none), our seal
 * at the same packet id must give the same bytes. */
static void test_kat(void)
{
	for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		uint8_t pkt[256], out[256], back[64];
		size_t n = unhex(kat[i].pkt, pkt, sizeof(pkt));
		struct dc_ctx *o = dc_new(kat[i].c, kat[i].d, ck, hk, 0);
		const char *cn = dc_cipher_name(kat[i].c), *dn = dc_digest_name(kat[i].d);
		uint32_t pid = 0;
		ssize_t m = dc_open(o, pkt, n, kat[i].hdrlen, back, sizeof(back), &pid);

		CHECK(m == 37 && pid == kat[i].pid && !memcmp(back, payload, 37),
		      "known answer %s/%s h%zu opens", cn, dn, kat[i].hdrlen);
		if (ref_block(kat[i].c) == 0) {
			struct dc_ctx *s = dc_new(kat[i].c, kat[i].d, ck, hk, 1);

			dc_set_next_pid(s, kat[i].pid);
			m = dc_seal(s, pkt, kat[i].hdrlen, payload, 37, out, sizeof(out));
			CHECK(m == (ssize_t)n && !memcmp(out, pkt, n), "known answer %s/%s h%zu seals",
			      cn, dn, kat[i].hdrlen);
			dc_free(s);
		}
		dc_free(o);
	}
}

/* ---- packet ids and replay ---- */

static void test_pid_limit(void)
{
	struct dc_ctx *s = dc_new(DC_AES_256_GCM, DC_MD_NONE, ck, hk, 1);
	struct dc_ctx *o = dc_new(DC_AES_256_GCM, DC_MD_NONE, ck, hk, 0);
	uint8_t pkt[64], back[16];
	uint32_t pid = 0;

	CHECK(dc_seal(s, hdr_v2, 4, payload, 10, pkt, 10) == -1, "too small out refused");
	CHECK(dc_seal(s, hdr_v2, 4, payload, 10, pkt, sizeof(pkt)) == 34 &&
	      dc_open(o, pkt, 34, 4, back, sizeof(back), &pid) == 10 && pid == 1,
	      "a refused seal spends no packet id");
	dc_set_next_pid(s, 0xFEFFFFFF);
	CHECK(dc_seal(s, hdr_v2, 4, payload, 10, pkt, sizeof(pkt)) == 34 &&
	      dc_open(o, pkt, 34, 4, back, sizeof(back), &pid) == 10 && pid == 0xFEFFFFFF,
	      "the last id below the wrap trigger seals");
	CHECK(dc_seal(s, hdr_v2, 4, payload, 10, pkt, sizeof(pkt)) == -2, "0xFF000000 gives -2");
	CHECK(dc_seal(s, hdr_v2, 4, payload, 10, pkt, sizeof(pkt)) == -2, "and -2 stays");
	dc_free(s);
	dc_free(o);
}

static void test_replay(void)
{
	struct dc_replay r = { 0 };

	CHECK(dc_replay_check(&r, 0, 100) == -1, "replay: id 0 refused");
	CHECK(dc_replay_check(&r, 1, 100) == 0, "replay: 1 accepted");
	CHECK(dc_replay_check(&r, 2, 100) == 0, "replay: 2 in order");
	CHECK(dc_replay_check(&r, 2, 100) == -1, "replay: duplicate 2");
	CHECK(dc_replay_check(&r, 1, 100) == -1, "replay: duplicate 1");
	CHECK(dc_replay_check(&r, 5, 100) == 0, "replay: 5 skips 3 and 4");
	CHECK(dc_replay_check(&r, 4, 100) == 0, "replay: 4 reordered within the window");
	CHECK(dc_replay_check(&r, 3, 100) == 0, "replay: 3 reordered within the window");
	CHECK(dc_replay_check(&r, 3, 100) == -1, "replay: 3 again");
	CHECK(dc_replay_check(&r, 100, 101) == 0, "replay: jump to 100");
	CHECK(dc_replay_check(&r, 37, 101) == 0, "replay: 37 is 63 back, accepted");
	CHECK(dc_replay_check(&r, 36, 101) == -1, "replay: 36 is 64 back, refused");
	CHECK(dc_replay_check(&r, 6, 101) == -1, "replay: far behind");
	CHECK(dc_replay_check(&r, 99, 101) == 0, "replay: 99 late but within");
	CHECK(dc_replay_check(&r, 1000, 102) == 0, "replay: jump past the window");
	CHECK(dc_replay_check(&r, 999, 102) == 0 && dc_replay_check(&r, 999, 102) == -1,
	      "replay: after a jump the window starts empty below");
	CHECK(dc_replay_check(&r, 990, 102 + 15) == 0, "replay: 15 s later still in time");
	CHECK(dc_replay_check(&r, 991, 102 + 16) == -1, "replay: 16 s after the top, refused");
	CHECK(dc_replay_check(&r, 1001, 200) == 0, "replay: a new top is always accepted");
	CHECK(dc_replay_check(&r, 992, 200) == -1, "replay: slots that expired stay expired");
	CHECK(dc_replay_check(&r, 1003, 200) == 0 && dc_replay_check(&r, 1002, 200) == 0,
	      "replay: slots after the new top are fresh");

	struct dc_replay w = { 0 };
	int ok = 1;

	/* Any order within 64 is accepted once, then never. */
	for (uint32_t i = 64; i >= 1; i--)
		ok &= dc_replay_check(&w, i, 5) == 0;
	for (uint32_t i = 1; i <= 64; i++)
		ok &= dc_replay_check(&w, i, 5) == -1;
	CHECK(ok, "replay: 64 ids backwards all accepted once");
	struct dc_replay t = { 0 };

	CHECK(dc_replay_check(&t, 0xFFFFFFFF, 1) == 0 && dc_replay_check(&t, 0xFFFFFFFF, 1) == -1,
	      "replay: the largest id");
}

/* ---- names and arguments ---- */

static void test_names(void)
{
	for (int c = 0; c < DC__CIPHERS; c++)
		CHECK(dc_cipher_by_name(dc_cipher_name(c)) == c, "cipher name %d", c);
	for (int d = 0; d < DC__DIGESTS; d++)
		CHECK(dc_digest_by_name(dc_digest_name(d)) == d, "digest name %d", d);
	CHECK(dc_cipher_by_name("aes-256-gcm") == DC_AES_256_GCM, "cipher names ignore case");
	CHECK(dc_cipher_by_name("chacha20-poly1305") == DC_CHACHA20_POLY1305, "chacha name");
	CHECK(dc_cipher_by_name("bf-cbc") == DC_BF_CBC && dc_cipher_by_name("NONE") == DC_NONE,
	      "bf and none names");
	CHECK(dc_digest_by_name("sha256") == DC_SHA256, "digest names ignore case");
	CHECK(dc_cipher_by_name("AES-256-CFB") == -1 && dc_cipher_by_name(NULL) == -1 &&
	      dc_digest_by_name("SHA384") == -1, "unknown names");
	CHECK(dc_cipher_name(DC__CIPHERS) == NULL && dc_digest_name(DC__DIGESTS) == NULL,
	      "names out of range");
	CHECK(dc_cipher_key_len(DC_AES_192_GCM) == 24 && dc_cipher_key_len(DC_BF_CBC) == 16 &&
	      dc_cipher_key_len(DC_CHACHA20_POLY1305) == 32 && dc_cipher_key_len(DC_NONE) == 0,
	      "key lengths");
	CHECK(dc_cipher_is_aead(DC_CHACHA20_POLY1305) && !dc_cipher_is_aead(DC_AES_256_CBC),
	      "aead");
	CHECK(dc_overhead(DC_AES_256_GCM, DC_SHA1, 4) == 24 &&
	      dc_overhead(DC_AES_256_CBC, DC_SHA256, 4) == 4 + 32 + 16 + 4 + 16 &&
	      dc_overhead(DC_BF_CBC, DC_SHA1, 1) == 1 + 20 + 8 + 4 + 8 &&
	      dc_overhead(DC_NONE, DC_MD_NONE, 1) == 5, "overheads");
}

static void test_args(void)
{
	struct dc_ctx *s = dc_new(DC_AES_128_CBC, DC_SHA1, ck, hk, 1);
	struct dc_ctx *o = dc_new(DC_AES_128_CBC, DC_SHA1, ck, hk, 0);
	uint8_t pkt[128], back[64];
	uint32_t pid;
	ssize_t n;

	CHECK(!dc_new(DC__CIPHERS, DC_SHA1, ck, hk, 1) && !dc_new(DC_NONE, DC__DIGESTS, ck, hk, 1) &&
	      !dc_new(DC_NONE, DC_SHA1, NULL, hk, 1), "dc_new refuses bad arguments");
	CHECK(dc_seal(s, hdr_v2, 2, payload, 8, pkt, sizeof(pkt)) == -1, "header of 2 refused");
	CHECK(dc_seal(o, hdr_v2, 4, payload, 8, pkt, sizeof(pkt)) == -1, "an open context seals");
	CHECK(dc_seal(s, hdr_v2, 4, payload, 65536, pkt, sizeof(pkt)) == -1, "huge payload");
	n = dc_seal(s, hdr_v2, 4, payload, 8, pkt, sizeof(pkt));
	CHECK(n == 4 + 20 + 16 + 16, "cbc sealed length %zd", n);
	CHECK(dc_open(s, pkt, (size_t)n, 4, back, sizeof(back), &pid) == -1, "a seal context opens");
	CHECK(dc_open(o, pkt, (size_t)n, 2, back, sizeof(back), &pid) == -1, "open header of 2");
	CHECK(dc_open(o, pkt, (size_t)n, 4, back, sizeof(back), NULL) == -1, "open without pid");
	CHECK(dc_open(o, pkt, (size_t)n, 4, back, sizeof(back), &pid) == 8, "and it opens");
	dc_free(s);
	dc_free(o);
	dc_free(NULL);
}

int main(void)
{
	keys_init();
	test_bf_ecb();
	test_bf_keys();
	test_bf_cbc();
	test_gcm_primitive();
	test_names();
	test_args();
	for (int c = 0; c < DC__CIPHERS; c++) {
		for (int d = 0; d < DC__DIGESTS; d++) {
			test_roundtrip(c, d, hdr_v1, 1);
			test_roundtrip(c, d, hdr_v2, 4);
			if (authenticated(c, d)) {
				test_tamper(c, d, hdr_v1, 1, 17);
				test_tamper(c, d, hdr_v2, 4, 17);
				test_tamper(c, d, hdr_v2, 4, 0);
				test_wrong_key(c, d);
			}
			if (ref_block(c))
				test_padding(c, d);
			test_truncate(c, d, hdr_v1, 1);
			test_truncate(c, d, hdr_v2, 4);
		}
	}
	test_real_openvpn();
	test_kat();
	test_pid_limit();
	test_replay();
	printf("dc: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
