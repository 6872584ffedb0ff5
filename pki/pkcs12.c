/* pkcs12.c: PKCS#12 files both ways. In: the MAC checked (any SHA-1/SHA-2
 * HMAC, the passphrase as BMPString or, for an empty one, as no bytes),
 * plain and password-encrypted bags walked, keys and certificates handed to
 * the import. Out: the certificate bags under PBES2, the key shrouded
 * likewise, tied by localKeyId, and an HMAC-SHA256 MAC, as OpenSSL 3 writes
 * them. */
#include <stdlib.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/pwdbased.h>
#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>

#include "pki_int.h"

static const u8 OID_DATA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const u8 OID_SIGNED[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const u8 OID_ENCDATA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06 };
static const u8 OID_KEYBAG[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01 };
static const u8 OID_SHROUDED[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02 };
static const u8 OID_CERTBAG[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03 };
static const u8 OID_SAFEBAG[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x06 };
static const u8 OID_X509[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01 };
static const u8 OID_LOCALKEYID[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15 };
static const u8 OID_SHA256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };

/* ---- PKCS#12 in ---- */

static const struct machash {
	u8 oid[9];
	u8 len;
	int hash;
	int size;
} machashes[] = {
	{ { 0x2b, 0x0e, 0x03, 0x02, 0x1a }, 5, WC_SHA, WC_SHA_DIGEST_SIZE },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04 }, 9, WC_SHA224,
	  WC_SHA224_DIGEST_SIZE },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 }, 9, WC_SHA256,
	  WC_SHA256_DIGEST_SIZE },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 }, 9, WC_SHA384,
	  WC_SHA384_DIGEST_SIZE },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 }, 9, WC_SHA512,
	  WC_SHA512_DIGEST_SIZE },
};

/* The PKCS#12 MAC: HMAC keyed by the PKCS#12 KDF (purpose 3). */
static int
p12_hmac(const struct machash *mh, const struct buf *bmp, const u8 *salt, size_t saltlen,
	 long iter, const u8 *data, size_t len, u8 *out)
{
	u8 key[WC_SHA512_DIGEST_SIZE];
	Hmac h;
	int r;

	r = wc_PKCS12_PBKDF_ex(key, bmp->p, (int)bmp->len, salt, (int)saltlen, (int)iter,
			       mh->size, mh->hash, 3, NULL);
	if (!r && !(r = wc_HmacInit(&h, NULL, INVALID_DEVID))) {
		r = wc_HmacSetKey(&h, mh->hash, key, (word32)mh->size) ||
		    wc_HmacUpdate(&h, data, (word32)len) || wc_HmacFinal(&h, out);
		wc_HmacFree(&h);
	}
	explicit_bzero(key, sizeof(key));
	return r ? -1 : 0;
}

/* 1 when the MAC computed with this form of the passphrase is digest. */
static int
p12_mac_ok(const struct machash *mh, const struct buf *bmp, const struct tlv *salt, long iter,
	   const u8 *data, size_t len, const struct tlv *digest)
{
	u8 got[WC_SHA512_DIGEST_SIZE];
	int diff = 0;

	if (p12_hmac(mh, bmp, salt->v, salt->len, iter, data, len, got))
		return 0;
	for (size_t i = 0; i < digest->len; i++)
		diff |= got[i] ^ digest->v[i];
	return !diff;
}

/* MacData ::= { DigestInfo { alg, digest }, salt, iterations DEFAULT 1 } */
static int
p12_check_mac(struct imp *im, const struct tlv *mac, const u8 *data, size_t len)
{
	struct der d = der_in(mac), di, a;
	struct tlv dinfo, alg, oid, digest, salt, it;
	const struct machash *mh = NULL;
	struct buf none = { im->pb.bmp.p, 0, 0, 0 };
	long iter = 1;

	if (der_take(&d, 0x30, &dinfo) || der_take(&d, 0x04, &salt) || salt.len > 1024 ||
	    (!der_done(&d) && (der_take(&d, 0x02, &it) || der_small(&it, &iter))))
		return fail(im->err, im->errlen, "malformed PKCS#12 MAC");
	di = der_in(&dinfo);
	if (der_take(&di, 0x30, &alg) || der_take(&di, 0x04, &digest))
		return fail(im->err, im->errlen, "malformed PKCS#12 MAC");
	a = der_in(&alg);
	if (der_take(&a, 0x06, &oid))
		return fail(im->err, im->errlen, "malformed PKCS#12 MAC");
	for (size_t i = 0; i < sizeof(machashes) / sizeof(machashes[0]); i++)
		if (oid_eq(&oid, machashes[i].oid, machashes[i].len))
			mh = &machashes[i];
	if (!mh || digest.len != (size_t)mh->size)
		return fail(im->err, im->errlen, "the PKCS#12 MAC algorithm is not supported");
	if (pbe_spend(&im->pb.budget, iter, 1, im->err, im->errlen))
		return -1;
	if (p12_mac_ok(mh, &im->pb.bmp, &salt, iter, data, len, &digest))
		return 0;
	/* An empty passphrase is also written as no bytes at all (OpenSSL's
	 * NULL password); wolfSSL's KDF may refuse that, which is a mismatch. */
	if (!*im->pb.pass && !pbe_spend(&im->pb.budget, iter, 1, im->err, im->errlen) &&
	    p12_mac_ok(mh, &none, &salt, iter, data, len, &digest)) {
		im->pb.bmp.len = 0;
		return 0;
	}
	if (im->nopass)
		return fail(im->err, im->errlen, "the PKCS#12 file is protected: give its passphrase");
	return fail(im->err, im->errlen, "wrong passphrase or corrupt PKCS#12 file");
}

static int p12_safe_contents(struct imp *im, const u8 *p, size_t len, int depth);

/* One SafeBag: a key, a shrouded key, a certificate or more bags. */
static int
p12_bag(struct imp *im, const struct tlv *bag, int depth)
{
	struct der d = der_in(bag), v;
	struct tlv oid, wrap, val, type, cw, der;
	struct buf plain = { 0 };
	int rc;

	if (der_take(&d, 0x06, &oid) || der_take(&d, 0xa0, &wrap))
		return fail(im->err, im->errlen, "malformed PKCS#12 bag");
	v = der_in(&wrap);
	if (der_get(&v, &val))
		return fail(im->err, im->errlen, "malformed PKCS#12 bag");
	if (OID_IS(&oid, OID_KEYBAG))
		return imp_key(im, val.start, val.total);
	if (OID_IS(&oid, OID_SAFEBAG))
		return p12_safe_contents(im, val.start, val.total, depth + 1);
	if (OID_IS(&oid, OID_SHROUDED)) {
		rc = epki_decrypt(&im->pb, val.start, val.total, &plain, im->err, im->errlen) ? -1 :
		     imp_decrypted_key(im, &plain);
		buf_free(&plain);
		return rc;
	}
	if (!OID_IS(&oid, OID_CERTBAG))
		return 0;	/* CRLs and secrets are not ours */
	v = der_in(&val);
	if (val.tag != 0x30 || der_take(&v, 0x06, &type) || der_take(&v, 0xa0, &cw))
		return fail(im->err, im->errlen, "malformed PKCS#12 certificate bag");
	if (!OID_IS(&type, OID_X509))
		return 0;
	v = der_in(&cw);
	if (der_take(&v, 0x04, &der))
		return fail(im->err, im->errlen, "malformed PKCS#12 certificate bag");
	return imp_cert(im, der.v, der.len);
}

static int
p12_safe_contents(struct imp *im, const u8 *p, size_t len, int depth)
{
	struct der d = { p, p + len }, in;
	struct tlv seq, bag;

	if (depth > NEST_MAX)
		return fail(im->err, im->errlen, "PKCS#12 bags nest too deep");
	if (der_take(&d, 0x30, &seq))
		return fail(im->err, im->errlen, "wrong passphrase or corrupt PKCS#12 file");
	for (in = der_in(&seq); !der_done(&in);) {
		if (der_take(&in, 0x30, &bag))
			return fail(im->err, im->errlen, "wrong passphrase or corrupt PKCS#12 file");
		if (p12_bag(im, &bag, depth))
			return -1;
	}
	return 0;
}

/* EncryptedData { version, EncryptedContentInfo { type, alg, [0] bytes } } */
static int
p12_encrypted(struct imp *im, const struct tlv *wrap)
{
	struct der d = der_in(wrap), e;
	struct tlv ed, ver, eci, type, alg, ct;
	struct buf plain = { 0 };
	int rc;

	if (der_take(&d, 0x30, &ed))
		return fail(im->err, im->errlen, "malformed PKCS#12 encrypted data");
	e = der_in(&ed);
	if (der_take(&e, 0x02, &ver) || der_take(&e, 0x30, &eci))
		return fail(im->err, im->errlen, "malformed PKCS#12 encrypted data");
	e = der_in(&eci);
	if (der_take(&e, 0x06, &type) || der_take(&e, 0x30, &alg) || der_take(&e, 0x80, &ct))
		return fail(im->err, im->errlen, "malformed PKCS#12 encrypted data");
	buf_add(&plain, ct.v, ct.len);
	rc = plain.bad ? fail(im->err, im->errlen, "out of memory") :
	     pbe_decrypt(&im->pb, &alg, &plain, im->err, im->errlen) ? -1 :
	     p12_safe_contents(im, plain.p, plain.len, 0);
	buf_free(&plain);
	return rc;
}

/* AuthenticatedSafe: ContentInfos of plain or password-encrypted bags. */
static int
p12_auth_safe(struct imp *im, const u8 *p, size_t len)
{
	struct der d = { p, p + len }, in, c;
	struct tlv seq, ci, type, wrap, oct;
	char dotted[64];

	if (der_take(&d, 0x30, &seq))
		return fail(im->err, im->errlen, "malformed PKCS#12 contents");
	for (in = der_in(&seq); !der_done(&in);) {
		if (der_take(&in, 0x30, &ci))
			return fail(im->err, im->errlen, "malformed PKCS#12 contents");
		c = der_in(&ci);
		if (der_take(&c, 0x06, &type) || der_take(&c, 0xa0, &wrap))
			return fail(im->err, im->errlen, "malformed PKCS#12 contents");
		if (OID_IS(&type, OID_ENCDATA)) {
			if (p12_encrypted(im, &wrap))
				return -1;
			continue;
		}
		c = der_in(&wrap);
		if (!OID_IS(&type, OID_DATA)) {
			oid_text(&type, dotted, sizeof(dotted));
			return fail(im->err, im->errlen, "PKCS#12 content %s is not supported", dotted);
		}
		if (der_take(&c, 0x04, &oct))
			return fail(im->err, im->errlen, "malformed PKCS#12 contents");
		if (p12_safe_contents(im, oct.v, oct.len, 0))
			return -1;
	}
	return 0;
}

/* PFX { version 3, authSafe ContentInfo, macData OPTIONAL } */
int
p12_import(struct imp *im, const u8 *data, size_t len)
{
	struct der d = { data, data + len }, in, a;
	struct tlv pfx, ver, auth, type, wrap, oct, mac = { 0 };
	long v;

	if (der_take(&d, 0x30, &pfx))
		return fail(im->err, im->errlen, "malformed PKCS#12 file");
	in = der_in(&pfx);
	if (der_take(&in, 0x02, &ver) || der_small(&ver, &v) || v != 3 ||
	    der_take(&in, 0x30, &auth) || (!der_done(&in) && der_take(&in, 0x30, &mac)))
		return fail(im->err, im->errlen, "malformed PKCS#12 file");
	a = der_in(&auth);
	if (der_take(&a, 0x06, &type))
		return fail(im->err, im->errlen, "malformed PKCS#12 file");
	if (OID_IS(&type, OID_SIGNED))
		return fail(im->err, im->errlen, "PKCS#12 files signed with a public key are not "
			    "supported");
	if (!OID_IS(&type, OID_DATA) || der_take(&a, 0xa0, &wrap))
		return fail(im->err, im->errlen, "malformed PKCS#12 file");
	a = der_in(&wrap);
	if (der_take(&a, 0x04, &oct))
		return fail(im->err, im->errlen, "malformed PKCS#12 file");
	if (!im->pb.pass) {
		im->pb.pass = "";
		im->nopass = 1;
	}
	if (mac.v && p12_check_mac(im, &mac, oct.v, oct.len))
		return -1;
	return p12_auth_safe(im, oct.v, oct.len);
}

/* SEQUENCE { INTEGER 3, SEQUENCE { OID ... } ...}: the shape of a PFX. */
int
p12_looks(const u8 *data, size_t len)
{
	struct der d = { data, data + len }, in, a;
	struct tlv pfx, ver, auth, type;
	long v;

	return !der_take(&d, 0x30, &pfx) && (in = der_in(&pfx), !der_take(&in, 0x02, &ver)) &&
	       !der_small(&ver, &v) && v == 3 && !der_take(&in, 0x30, &auth) &&
	       (a = der_in(&auth), !der_take(&a, 0x06, &type));
}

/* ---- PKCS#12 out ---- */

/* A SafeBag, with its attributes when attrs is not NULL. */
static void
p12_put_bag(struct buf *out, const u8 *oid, size_t oidlen, struct buf *value,
	    const struct buf *attrs)
{
	struct buf bag = { 0 };

	buf_oid(&bag, oid, oidlen);
	buf_wrap(&bag, 0xa0, value);
	if (attrs)
		buf_add(&bag, attrs->p, attrs->len);
	buf_wrap(out, 0x30, &bag);
}

static void
p12_put_cert(struct buf *out, const struct x509 *c, const struct buf *attrs)
{
	struct buf cb = { 0 }, val = { 0 }, oct = { 0 };

	buf_tlv(&oct, 0x04, c->der.p, c->der.len);
	buf_oid(&cb, OID_X509, sizeof(OID_X509));
	buf_wrap(&cb, 0xa0, &oct);
	buf_wrap(&val, 0x30, &cb);
	p12_put_bag(out, OID_CERTBAG, sizeof(OID_CERTBAG), &val, attrs);
}

/* ContentInfo { encryptedData, [0] EncryptedData } of the certificate bags. */
static int
p12_put_encrypted(struct buf *out, const struct buf *bags, const char *pass, WC_RNG *rng)
{
	struct buf alg = { 0 }, ct = { 0 }, eci = { 0 }, ed = { 0 }, wrap = { 0 }, ci = { 0 };
	int r = pbes2_encrypt(bags->p, bags->len, pass, rng, &alg, &ct);

	buf_oid(&eci, OID_DATA, sizeof(OID_DATA));
	buf_add(&eci, alg.p, alg.len);
	buf_tlv(&eci, 0x80, ct.p, ct.len);
	buf_int(&ed, 0);
	buf_wrap(&ed, 0x30, &eci);
	buf_wrap(&wrap, 0x30, &ed);
	buf_oid(&ci, OID_ENCDATA, sizeof(OID_ENCDATA));
	buf_wrap(&ci, 0xa0, &wrap);
	buf_wrap(out, 0x30, &ci);
	buf_free(&alg);
	buf_free(&ct);
	return r;
}

/* ContentInfo { data, [0] OCTET STRING bytes } */
static void
p12_put_data(struct buf *out, const struct buf *bytes)
{
	struct buf oct = { 0 }, ci = { 0 };

	buf_tlv(&oct, 0x04, bytes->p, bytes->len);
	buf_oid(&ci, OID_DATA, sizeof(OID_DATA));
	buf_wrap(&ci, 0xa0, &oct);
	buf_wrap(out, 0x30, &ci);
}

/* MacData with HMAC-SHA256, as OpenSSL 3 writes it. */
static int
p12_put_mac(struct buf *out, const struct buf *auth, const char *pass, WC_RNG *rng)
{
	const struct machash *mh = &machashes[2];	/* SHA-256 */
	struct buf bmp = { 0 }, alg = { 0 }, di = { 0 }, md = { 0 };
	u8 salt[8], mac[WC_SHA256_DIGEST_SIZE];
	int r;

	pass_bmp(pass, &bmp);
	r = wc_RNG_GenerateBlock(rng, salt, sizeof(salt)) ||
	    p12_hmac(mh, &bmp, salt, sizeof(salt), PBE_ITER, auth->p, auth->len, mac);
	buf_oid(&alg, OID_SHA256, sizeof(OID_SHA256));
	buf_tlv(&alg, 0x05, NULL, 0);
	buf_wrap(&di, 0x30, &alg);
	buf_tlv(&di, 0x04, mac, sizeof(mac));
	buf_wrap(&md, 0x30, &di);
	buf_tlv(&md, 0x04, salt, sizeof(salt));
	buf_int(&md, PBE_ITER);
	buf_wrap(out, 0x30, &md);
	buf_free(&bmp);
	return r ? -1 : 0;
}

/* The bags: certificates encrypted, the shrouded key in plain data (its
 * own encryption protects it), both tied by localKeyId = SHA-1 of the
 * certificate, as OpenSSL names them. */
static int
p12_auth(struct buf *auth, struct x509 *c, struct x509 *ca, const struct buf *pk8,
	 const char *pass, WC_RNG *rng)
{
	struct buf attrs = { 0 }, attr = { 0 }, set = { 0 }, certs = { 0 }, list = { 0 };
	struct buf epki = { 0 }, keys = { 0 }, klist = { 0 }, cis = { 0 };
	u8 id[WC_SHA_DIGEST_SIZE];
	int r;

	r = wc_ShaHash(c->der.p, (word32)c->der.len, id);
	buf_tlv(&set, 0x04, id, sizeof(id));
	buf_oid(&attr, OID_LOCALKEYID, sizeof(OID_LOCALKEYID));
	buf_wrap(&attr, 0x31, &set);
	buf_wrap(&set, 0x30, &attr);
	buf_wrap(&attrs, 0x31, &set);
	p12_put_cert(&list, c, &attrs);
	if (ca)
		p12_put_cert(&list, ca, NULL);
	buf_wrap(&certs, 0x30, &list);
	r = r || epki_encrypt(pk8, pass, rng, &epki) || p12_put_encrypted(&cis, &certs, pass, rng);
	p12_put_bag(&klist, OID_SHROUDED, sizeof(OID_SHROUDED), &epki, &attrs);
	buf_wrap(&keys, 0x30, &klist);
	p12_put_data(&cis, &keys);
	buf_wrap(auth, 0x30, &cis);
	buf_free(&attrs);
	buf_free(&certs);
	buf_free(&keys);
	return r || auth->bad ? -1 : 0;
}

static int
p12_build(struct buf *out, struct x509 *c, struct x509 *ca, const struct buf *pk8,
	  const char *pass, WC_RNG *rng)
{
	struct buf auth = { 0 }, pfx = { 0 };
	int r = p12_auth(&auth, c, ca, pk8, pass, rng);

	buf_int(&pfx, 3);
	p12_put_data(&pfx, &auth);
	r = r || p12_put_mac(&pfx, &auth, pass, rng);
	buf_wrap(out, 0x30, &pfx);
	buf_free(&auth);
	return r || out->bad ? -1 : 0;
}

int
pki_pkcs12(const char *cert_pem, const char *key_pem, const char *ca_pem, const char *pass,
	   unsigned char **der, size_t *len, char *err, size_t errlen)
{
	struct x509 c = { 0 }, ca = { 0 };
	struct key *k = NULL;
	struct buf pk8 = { 0 }, out = { 0 };
	WC_RNG rng;
	int rc = -1;

	*der = NULL;
	*len = 0;
	pass = pass ? pass : "";
	if (x509_from_pem(cert_pem, &c, err, errlen) || key_from_pem(key_pem, &k, err, errlen) ||
	    (ca_pem && x509_from_pem(ca_pem, &ca, err, errlen)))
		goto out;
	if (!x509_matches_key(&c, k)) {
		fail(err, errlen, "the private key does not belong to the certificate");
		goto out;
	}
	if (key_pkcs8(k, &pk8, err, errlen) || rng_open(&rng, err, errlen))
		goto out;
	if (p12_build(&out, &c, ca_pem ? &ca : NULL, &pk8, pass, &rng)) {
		fail(err, errlen, "the PKCS#12 file does not encode");
	} else {
		*der = out.p;
		*len = out.len;
		out.p = NULL;
	}
	rc = *der ? 0 : -1;
	wc_FreeRng(&rng);
out:
	buf_free(&out);
	buf_free(&pk8);
	key_free(k);
	x509_free(&c);
	x509_free(&ca);
	return rc;
}
