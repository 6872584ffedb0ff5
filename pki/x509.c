/* x509.c: X.509 certificates read: parsed by wolfSSL, their public key
 * taken out, their signature checked against an issuer, and the facts
 * print detail shows (names, validity, serial, fingerprint, key, SAN). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include <wolfssl/version.h>

#include "pki_int.h"

void
x509_free(struct x509 *c)
{
	if (c->parsed)
		wc_FreeDecodedCert(&c->dc);
	buf_free(&c->der);
	c->parsed = 0;
}

/* Decodes c->der. Unknown critical extensions do not matter for reading. */
int
x509_parse(struct x509 *c, char *err, size_t errlen)
{
	int r;

	wc_InitDecodedCert(&c->dc, c->der.p, (word32)c->der.len, NULL);
	c->parsed = 1;
	r = wc_ParseCert(&c->dc, CERT_TYPE, NO_VERIFY, NULL);
	if (r < 0 && r != ASN_CRIT_EXT_E)
		return fail(err, errlen, "not a valid X.509 certificate (%s)", wolf_why(r));
	if (!c->dc.subjectRaw || !c->dc.issuerRaw || !c->dc.publicKey)
		return fail(err, errlen, "not a valid X.509 certificate");
	return 0;
}

int
x509_from_der(struct x509 *c, const u8 *der, size_t len, char *err, size_t errlen)
{
	struct der d = { der, der + len };
	struct tlv t;

	/* OpenSSL's TRUSTED CERTIFICATE adds trust settings after the certificate. */
	if (der_take(&d, 0x30, &t))
		return fail(err, errlen, "not a valid X.509 certificate");
	buf_add(&c->der, t.start, t.total);
	if (c->der.bad)
		return fail(err, errlen, "out of memory");
	return x509_parse(c, err, errlen);
}

int
x509_from_pem(const char *pem, struct x509 *c, char *err, size_t errlen)
{
	struct buf der = { 0 };
	struct pem b;
	int r;

	if (!pem)
		return fail(err, errlen, "no certificate given");
	if ((r = pem_first(pem, pki_pem_is_cert, &b, &der, err, errlen)) == 0)
		r = x509_from_der(c, der.p, der.len, err, errlen);
	else if (r > 0)
		r = fail(err, errlen, "no certificate in the PEM text");
	buf_free(&der);
	return r;
}

int
x509_public_key(struct x509 *c, struct key **out, char *err, size_t errlen)
{
	struct key *k = key_new();
	word32 idx = 0;
	int r = -1;

	*out = NULL;
	if (!k)
		return fail(err, errlen, "out of memory");
	if (c->dc.keyOID == RSAk && !key_init(k, RSA_TYPE))
		r = wc_RsaPublicKeyDecode(c->dc.publicKey, &idx, &k->rsa, c->dc.pubKeySize);
	else if (c->dc.keyOID == ECDSAk && !key_init(k, ECC_TYPE))
		r = wc_EccPublicKeyDecode(c->dc.publicKey, &idx, &k->ecc, c->dc.pubKeySize);
	if (r) {
		key_free(k);
		return fail(err, errlen, "the certificate's public key is not RSA or EC");
	}
	*out = k;
	return 0;
}

int
x509_matches_key(struct x509 *c, struct key *k)
{
	struct key *pub;
	int same;

	if (x509_public_key(c, &pub, NULL, 0))
		return 0;
	same = key_same_public(pub, k);
	key_free(pub);
	return same;
}

/* 0 when issuer's subject is c's issuer and issuer's key signed c. */
int
x509_signed_by(struct x509 *c, struct x509 *issuer, char *err, size_t errlen)
{
	u8 pub[2048];
	word32 publen = sizeof(pub);
	int r;

	if (c->dc.issuerRawLen != issuer->dc.subjectRawLen ||
	    memcmp(c->dc.issuerRaw, issuer->dc.subjectRaw, (size_t)c->dc.issuerRawLen))
		return fail(err, errlen, "the certificate's issuer is not the CA's subject");
	if ((r = wc_GetPubKeyDerFromCert(&issuer->dc, pub, &publen)) != 0)
		return fail(err, errlen, "the CA's public key is unusable (%s)", wolf_why(r));
	r = wc_CheckCertSigPubKey(c->der.p, (word32)c->der.len, NULL, pub, publen,
				  (int)issuer->dc.keyOID);
	if (r)
		return fail(err, errlen, "the signature does not verify with the CA's key (%s)",
			    wolf_why(r));
	return 0;
}

/* ---- the facts print detail shows ---- */

static const struct attr {
	const char *name;
	u8 len;
	u8 oid[10];
} name_attrs[] = {
	{ "CN", 3, { 0x55, 0x04, 0x03 } },
	{ "SN", 3, { 0x55, 0x04, 0x04 } },
	{ "serialNumber", 3, { 0x55, 0x04, 0x05 } },
	{ "C", 3, { 0x55, 0x04, 0x06 } },
	{ "L", 3, { 0x55, 0x04, 0x07 } },
	{ "ST", 3, { 0x55, 0x04, 0x08 } },
	{ "street", 3, { 0x55, 0x04, 0x09 } },
	{ "O", 3, { 0x55, 0x04, 0x0a } },
	{ "OU", 3, { 0x55, 0x04, 0x0b } },
	{ "title", 3, { 0x55, 0x04, 0x0c } },
	{ "GN", 3, { 0x55, 0x04, 0x2a } },
	{ "emailAddress", 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 } },
	{ "DC", 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 } },
	{ "UID", 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01 } },
};

/* A bounded string being written; a piece that does not fit is dropped. */
struct str {
	char *p;
	size_t cap, len;
};

static void
str_add(struct str *s, const char *d, size_t n)
{
	if (s->len + n + 1 > s->cap)
		return;
	memcpy(s->p + s->len, d, n);
	s->len += n;
	s->p[s->len] = '\0';
}

/* One code point as UTF-8. */
static void
str_utf8(struct str *s, unsigned long c)
{
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		str_add(s, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		str_add(s, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		str_add(s, u, 3);
	} else {
		u[0] = (char)(0xf0 | (c >> 18 & 0x07));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		str_add(s, u, 4);
	}
}

/* A directory string as text. RFC 4514 specials get a backslash when dn is
 * set; control bytes, and high bytes of non-Unicode types, become \XX. */
static void
str_value(struct str *s, const struct tlv *t, int dn)
{
	size_t w = t->tag == 0x1e ? 2 : t->tag == 0x1c ? 4 : 1;

	for (size_t i = 0; i + w <= t->len; i += w) {
		unsigned long c = 0;
		char hex[4];

		for (size_t k = 0; k < w; k++)
			c = (c << 8) | t->v[i + k];
		if (c < 0x20 || c == 0x7f || (w == 1 && c >= 0x80 && t->tag != 0x0c)) {
			snprintf(hex, sizeof(hex), "\\%02X", (unsigned)c & 0xff);
			str_add(s, hex, 3);
			continue;
		}
		if (dn && c < 0x80 && strchr(",+\"\\<>;=", (int)c))
			str_add(s, "\\", 1);
		if (w == 1)
			str_add(s, (const char *)&t->v[i], 1);
		else
			str_utf8(s, c > 0x10ffff || (c >= 0xd800 && c < 0xe000) ? '?' : c);
	}
}

static void
str_attr_name(struct str *s, const struct tlv *oid)
{
	char dotted[64];

	for (size_t i = 0; i < sizeof(name_attrs) / sizeof(name_attrs[0]); i++)
		if (oid_eq(oid, name_attrs[i].oid, name_attrs[i].len)) {
			str_add(s, name_attrs[i].name, strlen(name_attrs[i].name));
			return;
		}
	oid_text(oid, dotted, sizeof(dotted));
	str_add(s, dotted, strlen(dotted));
}

/* A Name as "CN=x,O=y" in certificate order, and its first CN alone.
 * wolfSSL's subjectRaw and issuerRaw are the Name's contents, the RDNs
 * without the SEQUENCE around them. */
int
name_text(const u8 *raw, int rawlen, char *out, size_t outlen, char *cn, size_t cnlen)
{
	struct der rdns = { raw, raw + rawlen }, set;
	struct tlv rdn, atv, oid, val;
	struct str s = { out, outlen, 0 }, c = { cn, cnlen, 0 };

	out[0] = '\0';
	if (cn)
		cn[0] = '\0';
	while (!der_done(&rdns)) {
		if (der_take(&rdns, 0x31, &rdn))
			return -1;
		for (set = der_in(&rdn); !der_done(&set);) {
			struct der a;

			if (der_take(&set, 0x30, &atv))
				return -1;
			a = der_in(&atv);
			if (der_take(&a, 0x06, &oid) || der_get(&a, &val))
				return -1;
			if (s.len)
				str_add(&s, set.p == rdn.v + atv.total ? "," : "+", 1);
			str_attr_name(&s, &oid);
			str_add(&s, "=", 1);
			str_value(&s, &val, 1);
			if (cn && !c.len && oid_eq(&oid, name_attrs[0].oid, name_attrs[0].len))
				str_value(&c, &val, 0);
		}
	}
	return 0;
}

/* A certificate time as epoch seconds and "YYYY-MM-DD HH:MM:SS" (UTC). */
int
info_time(const byte *date, int datelen, long long *epoch, char *out, size_t outlen)
{
	const byte *v;
	byte format;
	int len;
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!date || wc_GetDateInfo(date, datelen, &v, &format, &len) ||
	    wc_GetDateAsCalendarTime(v, len, format, &tm))
		return -1;
	t = timegm(&tm);
	*epoch = (long long)t;
	if (!strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm))
		return -1;
	return 0;
}

/* The extensions of a certificate: the SEQUENCE inside tbsCertificate's [3]. */
static int
x509_extensions(const struct buf *der, struct der *exts)
{
	struct der d = { der->p, der->p + der->len }, in;
	struct tlv cert, tbs, t;

	if (der_take(&d, 0x30, &cert))
		return -1;
	in = der_in(&cert);
	if (der_take(&in, 0x30, &tbs))
		return -1;
	for (in = der_in(&tbs); !der_done(&in);) {
		if (der_get(&in, &t))
			return -1;
		if (t.tag == 0xa3) {
			in = der_in(&t);
			if (der_take(&in, 0x30, &t))
				return -1;
			*exts = der_in(&t);
			return 0;
		}
	}
	return -1;
}

/* One GeneralName as text, or nothing for the kinds print does not show. */
static void
san_one(struct str *s, const struct tlv *gn)
{
	char ip[INET6_ADDRSTRLEN], one[300];
	struct str o = { one, sizeof(one), 0 };
	const char *kind = gn->tag == 0x82 ? "DNS:" : gn->tag == 0x81 ? "email:" :
			   gn->tag == 0x86 ? "URI:" : gn->tag == 0x87 ? "IP:" : NULL;

	one[0] = '\0';
	if (!kind)
		return;
	str_add(&o, kind, strlen(kind));
	if (gn->tag != 0x87)
		str_value(&o, gn, 0);
	else if ((gn->len == 4 || gn->len == 16) &&
		 inet_ntop(gn->len == 4 ? AF_INET : AF_INET6, gn->v, ip, sizeof(ip)))
		str_add(&o, ip, strlen(ip));
	else
		return;
	if (s->len)
		str_add(s, ",", 1);
	str_add(s, one, o.len);
}

/* The subject alternative names as "DNS:a,IP:1.2.3.4,email:x@y", in the
 * certificate's order. Read from the extension itself: wolfSSL's altNames
 * list leaves out e-mail names (they go to a list of their own). */
static void
info_san(const struct buf *der, char *out, size_t outlen)
{
	struct str s = { out, outlen, 0 };
	struct der exts, e, v;
	struct tlv ext, oid, t, oct, names, gn;
	static const u8 san[] = { 0x55, 0x1d, 0x11 };

	out[0] = '\0';
	if (x509_extensions(der, &exts))
		return;
	while (!der_done(&exts) && !der_take(&exts, 0x30, &ext)) {
		e = der_in(&ext);
		if (der_take(&e, 0x06, &oid) || !OID_IS(&oid, san) || der_get(&e, &t))
			continue;
		if (t.tag == 0x01 && der_get(&e, &t))
			return;
		oct = t;
		v = der_in(&oct);
		if (oct.tag != 0x04 || der_take(&v, 0x30, &names))
			return;
		for (v = der_in(&names); !der_done(&v) && !der_get(&v, &gn);)
			san_one(&s, &gn);
		return;
	}
}

static int
x509_info(struct x509 *c, struct pki_cert_info *out, char *err, size_t errlen)
{
	DecodedCert *dc = &c->dc;
	u8 digest[WC_SHA256_DIGEST_SIZE];
	struct key *pub;

	if (name_text(dc->subjectRaw, dc->subjectRawLen, out->subject, sizeof(out->subject),
		      out->subject_cn, sizeof(out->subject_cn)) ||
	    name_text(dc->issuerRaw, dc->issuerRawLen, out->issuer, sizeof(out->issuer), NULL, 0))
		return fail(err, errlen, "the certificate's names are malformed");
	if (info_time(dc->beforeDate, dc->beforeDateLen, &out->not_before_epoch,
		      out->not_before, sizeof(out->not_before)) ||
	    info_time(dc->afterDate, dc->afterDateLen, &out->not_after_epoch, out->not_after,
		      sizeof(out->not_after)))
		return fail(err, errlen, "the certificate's validity dates are malformed");
	pki_hex_encode(dc->serial, (size_t)dc->serialSz, 1, out->serial, sizeof(out->serial));
	if (wc_Sha256Hash(c->der.p, (word32)c->der.len, digest))
		return fail(err, errlen, "SHA-256 failed");
	pki_hex_encode(digest, sizeof(digest), 0, out->fingerprint, sizeof(out->fingerprint));
	out->is_ca = dc->isCA;
	out->self_signed = dc->issuerRawLen == dc->subjectRawLen &&
			   !memcmp(dc->issuerRaw, dc->subjectRaw, (size_t)dc->subjectRawLen);
	if (!x509_public_key(c, &pub, NULL, 0)) {
		key_describe(pub, out->key_type, sizeof(out->key_type), out->key_size,
			     sizeof(out->key_size));
		key_free(pub);
	} else {
		snprintf(out->key_type, sizeof(out->key_type), "%s",
			 dc->keyOID == ED25519k ? "ed25519" : dc->keyOID == ED448k ? "ed448" :
			 "unknown");
	}
	info_san(&c->der, out->san, sizeof(out->san));
	return 0;
}

int
pki_get_info(const char *cert_pem, struct pki_cert_info *out, char *err, size_t errlen)
{
	struct x509 c = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = x509_from_pem(cert_pem, &c, err, errlen) || x509_info(&c, out, err, errlen) ? -1 : 0;
	x509_free(&c);
	return rc;
}

int
pki_key_matches(const char *cert_pem, const char *key_pem)
{
	struct x509 c = { 0 };
	struct key *k = NULL;
	int same = 0;

	if (!x509_from_pem(cert_pem, &c, NULL, 0) && !key_from_pem(key_pem, &k, NULL, 0))
		same = x509_matches_key(&c, k);
	key_free(k);
	x509_free(&c);
	return same;
}

int
pki_verify(const char *cert_pem, const char *ca_pem, char *err, size_t errlen)
{
	struct x509 c = { 0 }, ca = { 0 };
	int rc;

	rc = x509_from_pem(cert_pem, &c, err, errlen) || x509_from_pem(ca_pem, &ca, err, errlen) ||
	     x509_signed_by(&c, &ca, err, errlen) ? -1 : 0;
	x509_free(&c);
	x509_free(&ca);
	return rc;
}

/* The wolfSSL built against and the AES code this CPU runs, for --version. */
const char *
pki_version(void)
{
	static char v[64];

	snprintf(v, sizeof(v), "%s, %s", LIBWOLFSSL_VERSION_STRING, pki_crypto_path());
	return v;
}
