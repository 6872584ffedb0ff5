/* pbe.c: password-based encryption: the CBC ciphers and their padding, the
 * PKCS#12 PBEs (appendix B KDF), PBES2 with PBKDF2 (RFC 8018) both ways,
 * encrypted PKCS#8 keys, and the legacy "Proc-Type: 4,ENCRYPTED" PEM keys.
 * Every KDF a file asks for is charged to a budget, so a crafted iteration
 * count cannot stall the console. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/des3.h>
#include <wolfssl/wolfcrypt/md5.h>
#include <wolfssl/wolfcrypt/pwdbased.h>
#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>

#include "pki_int.h"

static const u8 OID_PBES2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d };
static const u8 OID_PBKDF2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c };
static const u8 OID_HMAC_SHA256[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09 };
static const u8 OID_AES256CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a };

/* CBC-decrypts data in place and strips the PKCS#7 padding from *len.
 * A pad that does not check is what a wrong passphrase looks like. */
int
cbc_decrypt(const struct cipher *ci, const u8 *key, const u8 *iv, u8 *data, size_t *len)
{
	size_t n = *len, pad;
	int r = 0;

	if (n == 0 || n % ci->block)
		return -1;
	if (ci->alg == ALG_AES) {
		Aes aes;

		if ((r = wc_AesInit(&aes, NULL, INVALID_DEVID)) == 0) {
			r = wc_AesSetKey(&aes, key, (word32)ci->keylen, iv, AES_DECRYPTION) ||
			    wc_AesCbcDecrypt(&aes, data, data, (word32)n);
			wc_AesFree(&aes);
		}
	} else if (ci->alg == ALG_DES3) {
		Des3 des;

		if ((r = wc_Des3Init(&des, NULL, INVALID_DEVID)) == 0) {
			r = wc_Des3_SetKey(&des, key, iv, DES_DECRYPTION) ||
			    wc_Des3_CbcDecrypt(&des, data, data, (word32)n);
			wc_Des3Free(&des);
		}
	} else {
		rc2_cbc_decrypt(key, ci->keylen, ci->rc2bits, iv, data, n);
	}
	pad = data[n - 1];
	if (r || pad == 0 || pad > ci->block)
		return -1;
	for (size_t i = n - pad; i < n; i++)
		if (data[i] != pad)
			return -1;
	*len = n - pad;
	return 0;
}

/* What one file may spend on key derivation, so a crafted iteration count
 * cannot stall the console. */
int
pbe_spend(long *budget, long iter, int times, char *err, size_t errlen)
{
	if (iter < 1 || iter > ITER_MAX)
		return fail(err, errlen, "key derivation with %ld iterations is not supported", iter);
	if ((*budget -= iter * times) < 0)
		return fail(err, errlen, "the file asks for too much key derivation work");
	return 0;
}

/* The passphrase as PKCS#12 KDFs and MACs want it: BMPString (UTF-16BE)
 * with a terminating zero. UTF-8 when it is valid UTF-8, else its bytes as
 * Latin-1, as OpenSSL does. */
void
pass_bmp(const char *pass, struct buf *out)
{
	const u8 *p = (const u8 *)pass;
	struct buf u = { 0 };
	int bad = 0;

	while (!bad && *p) {
		unsigned long c = *p;
		int more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 :
			   (c & 0xf8) == 0xf0 ? 3 : -1;

		bad = more < 0;
		c &= more == 0 ? 0x7f : more == 1 ? 0x1f : more == 2 ? 0x0f : 0x07;
		for (p++; !bad && more-- > 0; p++) {
			bad = (*p & 0xc0) != 0x80;
			c = (c << 6) | (*p & 0x3f);
		}
		bad |= c > 0x10ffff || (c >= 0xd800 && c < 0xe000);
		if (c >= 0x10000) {
			c -= 0x10000;
			buf_byte(&u, (u8)(0xd8 | (c >> 18)));
			buf_byte(&u, (u8)(c >> 10));
			c = 0xdc00 | (c & 0x3ff);
		}
		buf_byte(&u, (u8)(c >> 8));
		buf_byte(&u, (u8)c);
	}
	if (bad) {
		buf_free(&u);
		for (p = (const u8 *)pass; *p; p++) {
			buf_byte(&u, 0);
			buf_byte(&u, *p);
		}
	}
	buf_add(&u, "\0\0", 2);
	buf_free(out);
	*out = u;
}

static const struct pbes1 {
	u8 oid[10];
	struct cipher ci;
} pbes1[] = {
	/* pbeWithSHAAnd3-KeyTripleDES-CBC, 128BitRC2-CBC and 40BitRC2-CBC */
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03 }, { ALG_DES3, 24, 8, 0 } },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x05 }, { ALG_RC2, 16, 8, 128 } },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06 }, { ALG_RC2, 5, 8, 40 } },
};

/* PKCS#12 appendix B PBE: key and IV from the SHA-1 PKCS#12 KDF. */
static int
pbe_pkcs12(struct pbe *pb, const struct cipher *ci, const struct tlv *prm, struct buf *data,
	   char *err, size_t errlen)
{
	struct der d = der_in(prm);
	struct tlv salt, it;
	u8 key[24], iv[8];
	long iter;
	int r;

	if (prm->tag != 0x30 || der_take(&d, 0x04, &salt) || der_take(&d, 0x02, &it) ||
	    der_small(&it, &iter) || salt.len > 1024)
		return fail(err, errlen, "malformed PKCS#12 encryption parameters");
	if (pbe_spend(&pb->budget, iter, 2, err, errlen))
		return -1;
	r = wc_PKCS12_PBKDF_ex(key, pb->bmp.p, (int)pb->bmp.len, salt.v, (int)salt.len, (int)iter,
			       (int)ci->keylen, WC_SHA, 1, NULL) ||
	    wc_PKCS12_PBKDF_ex(iv, pb->bmp.p, (int)pb->bmp.len, salt.v, (int)salt.len, (int)iter,
			       8, WC_SHA, 2, NULL) ||
	    cbc_decrypt(ci, key, iv, data->p, &data->len);
	explicit_bzero(key, sizeof(key));
	return r ? fail(err, errlen, "wrong passphrase or corrupt key") : 0;
}

static const struct prf {
	u8 oid[8];
	int hash;
} prfs[] = {
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07 }, WC_SHA },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x08 }, WC_SHA224 },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09 }, WC_SHA256 },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a }, WC_SHA384 },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b }, WC_SHA512 },
};

static const struct pbes2 {
	u8 oid[9];
	u8 len;
	struct cipher ci;
} pbes2s[] = {
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02 }, 9, { ALG_AES, 16, 16, 0 } },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16 }, 9, { ALG_AES, 24, 16, 0 } },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a }, 9, { ALG_AES, 32, 16, 0 } },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07 }, 8, { ALG_DES3, 24, 8, 0 } },
};

/* PBKDF2-params: salt, iterations, the optional key length and PRF. */
static int
pbkdf2_params(const struct tlv *kdf, struct tlv *salt, long *iter, long *keylen, int *hash)
{
	struct der d = der_in(kdf), p;
	struct tlv oid, prm, it, t, prf;

	*keylen = 0;
	*hash = WC_SHA;
	if (der_take(&d, 0x06, &oid) || !OID_IS(&oid, OID_PBKDF2) || der_take(&d, 0x30, &prm))
		return -1;
	p = der_in(&prm);
	if (der_take(&p, 0x04, salt) || der_take(&p, 0x02, &it) || der_small(&it, iter))
		return -1;
	if (der_peek(&p) == 0x02 && (der_get(&p, &t) || der_small(&t, keylen)))
		return -1;
	if (der_done(&p))
		return 0;
	if (der_take(&p, 0x30, &t))
		return -1;
	p = der_in(&t);
	if (der_take(&p, 0x06, &prf))
		return -1;
	for (size_t i = 0; i < sizeof(prfs) / sizeof(prfs[0]); i++)
		if (OID_IS(&prf, prfs[i].oid)) {
			*hash = prfs[i].hash;
			return 0;
		}
	return -1;
}

/* PBES2 (RFC 8018): PBKDF2 and a CBC cipher. */
static int
pbe_pbes2(struct pbe *pb, const struct tlv *prm, struct buf *data, char *err, size_t errlen)
{
	struct der d = der_in(prm), e;
	struct tlv kdf, enc, coid, iv, salt;
	const struct cipher *ci = NULL;
	long iter, keylen;
	int hash, r;
	u8 key[32];

	if (prm->tag != 0x30 || der_take(&d, 0x30, &kdf) || der_take(&d, 0x30, &enc) ||
	    pbkdf2_params(&kdf, &salt, &iter, &keylen, &hash) || salt.len > 1024)
		return fail(err, errlen, "unsupported or malformed PBES2 parameters");
	e = der_in(&enc);
	if (der_take(&e, 0x06, &coid) || der_take(&e, 0x04, &iv))
		return fail(err, errlen, "unsupported or malformed PBES2 parameters");
	for (size_t i = 0; i < sizeof(pbes2s) / sizeof(pbes2s[0]); i++)
		if (oid_eq(&coid, pbes2s[i].oid, pbes2s[i].len))
			ci = &pbes2s[i].ci;
	if (!ci || iv.len != ci->block || (keylen && (size_t)keylen != ci->keylen))
		return fail(err, errlen, "unsupported PBES2 cipher");
	if (pbe_spend(&pb->budget, iter, 1, err, errlen))
		return -1;
	r = wc_PBKDF2(key, (const byte *)pb->pass, (int)strlen(pb->pass), salt.v, (int)salt.len,
		      (int)iter, (int)ci->keylen, hash) ||
	    cbc_decrypt(ci, key, iv.v, data->p, &data->len);
	explicit_bzero(key, sizeof(key));
	return r ? fail(err, errlen, "wrong passphrase or corrupt key") : 0;
}

/* Decrypts data in place with the AlgorithmIdentifier alg. */
int
pbe_decrypt(struct pbe *pb, const struct tlv *alg, struct buf *data, char *err, size_t errlen)
{
	struct der d = der_in(alg);
	struct tlv oid, prm = { 0 };
	char dotted[64];

	if (der_take(&d, 0x06, &oid) || der_get(&d, &prm))
		return fail(err, errlen, "malformed encryption algorithm");
	if (!pb->pass)
		return fail(err, errlen, "the file is encrypted: give its passphrase");
	if (OID_IS(&oid, OID_PBES2))
		return pbe_pbes2(pb, &prm, data, err, errlen);
	for (size_t i = 0; i < sizeof(pbes1) / sizeof(pbes1[0]); i++)
		if (OID_IS(&oid, pbes1[i].oid))
			return pbe_pkcs12(pb, &pbes1[i].ci, &prm, data, err, errlen);
	oid_text(&oid, dotted, sizeof(dotted));
	return fail(err, errlen, "encryption %s is not supported", dotted);
}

/* EncryptedPrivateKeyInfo to PrivateKeyInfo, in out. */
int
epki_decrypt(struct pbe *pb, const u8 *der, size_t len, struct buf *out, char *err,
	     size_t errlen)
{
	struct der d = { der, der + len }, in;
	struct tlv seq, alg, ct;

	if (der_take(&d, 0x30, &seq))
		return fail(err, errlen, "malformed encrypted private key");
	in = der_in(&seq);
	if (der_take(&in, 0x30, &alg) || der_take(&in, 0x04, &ct))
		return fail(err, errlen, "malformed encrypted private key");
	buf_add(out, ct.v, ct.len);
	if (out->bad)
		return fail(err, errlen, "out of memory");
	return pbe_decrypt(pb, &alg, out, err, errlen);
}

/* PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC: the AlgorithmIdentifier
 * into alg and the ciphertext into ct. */
int
pbes2_encrypt(const u8 *plain, size_t len, const char *pass, WC_RNG *rng, struct buf *alg,
	      struct buf *ct)
{
	struct buf kdfp = { 0 }, prf = { 0 }, kdf = { 0 }, enc = { 0 }, both = { 0 }, top = { 0 };
	u8 salt[16], iv[16], key[32], pad;
	Aes aes;
	int r;

	if (wc_RNG_GenerateBlock(rng, salt, sizeof(salt)) || wc_RNG_GenerateBlock(rng, iv, sizeof(iv)))
		return -1;
	buf_oid(&prf, OID_HMAC_SHA256, sizeof(OID_HMAC_SHA256));
	buf_tlv(&prf, 0x05, NULL, 0);
	buf_tlv(&kdfp, 0x04, salt, sizeof(salt));
	buf_int(&kdfp, PBE_ITER);
	buf_wrap(&kdfp, 0x30, &prf);
	buf_oid(&kdf, OID_PBKDF2, sizeof(OID_PBKDF2));
	buf_wrap(&kdf, 0x30, &kdfp);
	buf_oid(&enc, OID_AES256CBC, sizeof(OID_AES256CBC));
	buf_tlv(&enc, 0x04, iv, sizeof(iv));
	buf_wrap(&both, 0x30, &kdf);
	buf_wrap(&both, 0x30, &enc);
	buf_oid(&top, OID_PBES2, sizeof(OID_PBES2));
	buf_wrap(&top, 0x30, &both);
	buf_wrap(alg, 0x30, &top);
	pad = (u8)(16 - len % 16);
	buf_add(ct, plain, len);
	for (int i = 0; i < pad; i++)
		buf_byte(ct, pad);
	if (alg->bad || ct->bad)
		return -1;
	r = wc_PBKDF2(key, (const byte *)pass, (int)strlen(pass), salt, sizeof(salt), PBE_ITER,
		      sizeof(key), WC_SHA256);
	if (!r && !(r = wc_AesInit(&aes, NULL, INVALID_DEVID))) {
		r = wc_AesSetKey(&aes, key, sizeof(key), iv, AES_ENCRYPTION) ||
		    wc_AesCbcEncrypt(&aes, ct->p, ct->p, (word32)ct->len);
		wc_AesFree(&aes);
	}
	explicit_bzero(key, sizeof(key));
	return r ? -1 : 0;
}

/* EncryptedPrivateKeyInfo of a PKCS#8 key. */
int
epki_encrypt(const struct buf *pk8, const char *pass, WC_RNG *rng, struct buf *out)
{
	struct buf alg = { 0 }, ct = { 0 }, seq = { 0 };
	int r = pbes2_encrypt(pk8->p, pk8->len, pass, rng, &alg, &ct);

	buf_add(&seq, alg.p, alg.len);
	buf_tlv(&seq, 0x04, ct.p, ct.len);
	buf_wrap(out, 0x30, &seq);
	buf_free(&alg);
	buf_free(&ct);
	return r || out->bad ? -1 : 0;
}

int
pki_key_encrypt(const char *key_pem, const char *pass, char **out, char *err, size_t errlen)
{
	struct key *k = NULL;
	struct buf pk8 = { 0 }, epki = { 0 };
	WC_RNG rng;
	int rc = -1;

	*out = NULL;
	if (!pass || !*pass)
		return fail(err, errlen, "the passphrase must not be empty");
	if (key_from_pem(key_pem, &k, err, errlen) || key_pkcs8(k, &pk8, err, errlen) ||
	    rng_open(&rng, err, errlen))
		goto out;
	if (epki_encrypt(&pk8, pass, &rng, &epki))
		fail(err, errlen, "key encryption failed");
	else
		rc = pem_out(epki.p, epki.len, PKCS8_ENC_PRIVATEKEY_TYPE, out, err, errlen);
	wc_FreeRng(&rng);
out:
	buf_free(&pk8);
	buf_free(&epki);
	key_free(k);
	return rc;
}

/* ---- legacy PEM encryption ---- */

static const struct legacy {
	const char *name;
	struct cipher ci;
	size_t ivlen;
} legacies[] = {
	{ "AES-128-CBC", { ALG_AES, 16, 16, 0 }, 16 },
	{ "AES-192-CBC", { ALG_AES, 24, 16, 0 }, 16 },
	{ "AES-256-CBC", { ALG_AES, 32, 16, 0 }, 16 },
	{ "DES-EDE3-CBC", { ALG_DES3, 24, 8, 0 }, 8 },
};

/* OpenSSL's EVP_BytesToKey with MD5 and one round, salted with the IV's
 * first 8 bytes: how "Proc-Type: 4,ENCRYPTED" PEM keys are keyed. */
static int
bytes_to_key(const char *pass, const u8 *salt, u8 *key, size_t keylen)
{
	u8 d[WC_MD5_DIGEST_SIZE];
	size_t have = 0;
	wc_Md5 md;
	int r = 0;

	while (!r && have < keylen) {
		size_t n = keylen - have < sizeof(d) ? keylen - have : sizeof(d);

		r = wc_InitMd5(&md) || (have && wc_Md5Update(&md, d, sizeof(d))) ||
		    wc_Md5Update(&md, (const byte *)pass, (word32)strlen(pass)) ||
		    wc_Md5Update(&md, salt, 8) || wc_Md5Final(&md, d);
		wc_Md5Free(&md);
		memcpy(key + have, d, n);
		have += n;
	}
	explicit_bzero(d, sizeof(d));
	return r ? -1 : 0;
}

int
pem_legacy_decrypt(const struct pem *b, const char *pass, struct buf *data, char *err,
		   size_t errlen)
{
	const struct legacy *lg = NULL;
	char dek[128], *comma;
	u8 iv[16], key[32];
	int r;

	if (pem_header(b, "DEK-Info", dek, sizeof(dek)) || !(comma = strchr(dek, ',')))
		return fail(err, errlen, "encrypted PEM key without a DEK-Info header");
	*comma = '\0';
	for (size_t i = 0; i < sizeof(legacies) / sizeof(legacies[0]); i++)
		if (!strcasecmp(dek, legacies[i].name))
			lg = &legacies[i];
	if (!lg)
		return fail(err, errlen, "PEM encryption %s is not supported", dek);
	if (pki_hex_decode(comma + 1, iv, lg->ivlen))
		return fail(err, errlen, "malformed DEK-Info header");
	if (!pass || !*pass)
		return fail(err, errlen, "the private key is encrypted: give its passphrase");
	r = bytes_to_key(pass, iv, key, lg->ci.keylen) ||
	    cbc_decrypt(&lg->ci, key, iv, data->p, &data->len);
	explicit_bzero(key, sizeof(key));
	return r ? fail(err, errlen, "wrong passphrase or corrupt key") : 0;
}
