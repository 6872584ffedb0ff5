/* crl.c: certificate revocation lists: an X.509 v2 CRL built with our DER
 * writer and signed with the CA's key (wolfSSL 5.5 parses CRLs but cannot
 * make one), CRLs read from files and described for print, and checked
 * (signature, listed certificates) through a wolfSSL certificate manager,
 * the same code the TLS handshake uses. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "pki_int.h"

#define CRL_ENTRIES_MAX	100000	/* revoked serials one CRL we make may list */

static const u8 OID_SHA256_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b };
static const u8 OID_SHA256_ECDSA[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const u8 OID_CRL_NUMBER[] = { 0x55, 0x1d, 0x14 };
static const u8 OID_AKID[] = { 0x55, 0x1d, 0x23 };

/* The parts of a CertificateList print and the checks need. */
struct crl {
	struct tlv tbs, issuer, this_update, next_update, revoked, exts;
	int has_next, has_revoked, has_exts;
};

/* ---- building ---- */

static void
buf_time(struct buf *b, time_t t)
{
	byte tm[CTC_DATE_SIZE];
	int n;

	if (asn_time(t, tm, &n))
		b->bad = 1;
	else
		buf_add(b, tm, (size_t)n);
}

/* A serial in hex as a positive INTEGER: leading zeros dropped, one put
 * back when the top bit is set. */
static int
buf_serial(struct buf *b, const char *hex)
{
	u8 v[21];
	size_t n = hex ? strlen(hex) : 0, i = 1;

	if (n == 0 || n % 2 || n / 2 > 20 || pki_hex_decode(hex, v + 1, n / 2))
		return -1;
	n /= 2;		/* the bytes are v[1] .. v[n] */
	while (i < n && v[i] == 0)
		i++;
	if (v[i] & 0x80)
		v[--i] = 0;
	buf_tlv(b, 0x02, v + i, n + 1 - i);
	return 0;
}

static int
build_entries(struct buf *tbs, const struct pki_revoked *r, int n, char *err, size_t errlen)
{
	struct buf list = { 0 };

	if (n <= 0)
		return 0;
	if (n > CRL_ENTRIES_MAX)
		return fail(err, errlen, "more than %d revoked certificates", CRL_ENTRIES_MAX);
	for (int i = 0; i < n; i++) {
		struct buf one = { 0 };

		if (buf_serial(&one, r[i].serial)) {
			buf_free(&one);
			buf_free(&list);
			return fail(err, errlen, "serial number `%.40s' is not hex",
				    r[i].serial ? r[i].serial : "");
		}
		buf_time(&one, (time_t)r[i].when);
		buf_wrap(&list, 0x30, &one);
	}
	buf_wrap(tbs, 0x30, &list);
	return 0;
}

/* crlExtensions [0]: the CA's key identifier and the CRL number. */
static void
build_exts(struct buf *tbs, struct x509 *ca, long long number)
{
	struct buf all = { 0 }, ext = { 0 }, val = { 0 }, in = { 0 }, seq = { 0 };

	if (ca->dc.extSubjKeyIdSet && ca->dc.extSubjKeyIdSrc && ca->dc.extSubjKeyIdSz > 0) {
		buf_tlv(&in, 0x80, ca->dc.extSubjKeyIdSrc, ca->dc.extSubjKeyIdSz);
		buf_wrap(&val, 0x30, &in);
		buf_oid(&ext, OID_AKID, sizeof(OID_AKID));
		buf_wrap(&ext, 0x04, &val);
		buf_wrap(&all, 0x30, &ext);
	}
	buf_int(&val, (unsigned long)number);
	buf_oid(&ext, OID_CRL_NUMBER, sizeof(OID_CRL_NUMBER));
	buf_wrap(&ext, 0x04, &val);
	buf_wrap(&all, 0x30, &ext);
	buf_wrap(&seq, 0x30, &all);
	buf_wrap(tbs, 0xa0, &seq);
}

static int
build_tbs(struct buf *out, struct x509 *ca, int keytype, const struct pki_revoked *r, int n,
	  long long number, int days, char *err, size_t errlen)
{
	struct buf tbs = { 0 }, alg = { 0 };
	time_t now = time(NULL), next = now + (time_t)days * 86400;
	long long ca_end = 0;
	char ignore[32];

	if (!info_time(ca->dc.afterDate, ca->dc.afterDateLen, &ca_end, ignore, sizeof(ignore)) &&
	    ca_end > (long long)now && (long long)next > ca_end)
		next = (time_t)ca_end;
	buf_int(&tbs, 1);	/* v2 */
	if (keytype == RSA_TYPE) {
		buf_oid(&alg, OID_SHA256_RSA, sizeof(OID_SHA256_RSA));
		buf_tlv(&alg, 0x05, NULL, 0);
	} else {
		buf_oid(&alg, OID_SHA256_ECDSA, sizeof(OID_SHA256_ECDSA));
	}
	buf_wrap(&tbs, 0x30, &alg);
	buf_tlv(&tbs, 0x30, ca->dc.subjectRaw, (size_t)ca->dc.subjectRawLen);
	buf_time(&tbs, now);
	buf_time(&tbs, next);
	if (build_entries(&tbs, r, n, err, errlen)) {
		buf_free(&tbs);
		return -1;
	}
	build_exts(&tbs, ca, number);
	buf_wrap(out, 0x30, &tbs);
	return out->bad ? fail(err, errlen, "the CRL does not encode") : 0;
}

/* wc_SignCert_ex signs any to-be-signed body and wraps it with the
 * algorithm and the signature, which is a CRL's shape as much as a
 * certificate's. */
static int
crl_sign(struct buf *tbs, struct key *k, struct buf *out, char *err, size_t errlen)
{
	size_t cap = tbs->len + 1024;
	WC_RNG rng;
	int n;

	if (buf_room(out, cap))
		return fail(err, errlen, "out of memory");
	memcpy(out->p, tbs->p, tbs->len);
	if (rng_open(&rng, err, errlen))
		return -1;
	n = wc_SignCert_ex((int)tbs->len, k->type == RSA_TYPE ? CTC_SHA256wRSA : CTC_SHA256wECDSA,
			   out->p, (word32)cap, k->type, key_ptr(k), &rng);
	wc_FreeRng(&rng);
	if (n <= 0)
		return fail(err, errlen, "signing the CRL failed (%s)", wolf_why(n));
	out->len = (size_t)n;
	return 0;
}

int
pki_crl_issue(const char *ca_cert_pem, const char *ca_key_pem, const struct pki_revoked *revoked,
	      int n, long long number, int days, char **crl_pem, char *err, size_t errlen)
{
	struct x509 ca = { 0 };
	struct key *k = NULL;
	struct buf tbs = { 0 }, der = { 0 };
	int rc = -1;

	*crl_pem = NULL;
	if (number < 0 || days < 1)
		return fail(err, errlen, "the CRL needs a number and at least one day of validity");
	if (x509_from_pem(ca_cert_pem, &ca, err, errlen) || key_from_pem(ca_key_pem, &k, err, errlen))
		goto out;
	if (!x509_matches_key(&ca, k)) {
		fail(err, errlen, "the CA's private key does not belong to its certificate");
		goto out;
	}
	if (build_tbs(&tbs, &ca, k->type, revoked, n, number, days, err, errlen) ||
	    crl_sign(&tbs, k, &der, err, errlen) ||
	    pem_out(der.p, der.len, CRL_TYPE, crl_pem, err, errlen))
		goto out;
	rc = pki_crl_verify(*crl_pem, ca_cert_pem, err, errlen);
	if (rc) {
		free(*crl_pem);
		*crl_pem = NULL;
	}
out:
	buf_free(&tbs);
	buf_free(&der);
	key_free(k);
	x509_free(&ca);
	return rc;
}

/* ---- reading ---- */

static int
is_time(int tag)
{
	return tag == 0x17 || tag == 0x18;
}

/* CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signature } */
static int
crl_parse(const u8 *p, size_t len, struct crl *c)
{
	struct der d = { p, p + len }, in, tbs;
	struct tlv all, t;

	memset(c, 0, sizeof(*c));
	if (der_take(&d, 0x30, &all) || !der_done(&d))
		return -1;
	in = der_in(&all);
	if (der_take(&in, 0x30, &c->tbs) || der_take(&in, 0x30, &t) || der_take(&in, 0x03, &t) ||
	    !der_done(&in))
		return -1;
	tbs = der_in(&c->tbs);
	if (der_peek(&tbs) == 0x02 && der_get(&tbs, &t))
		return -1;
	if (der_take(&tbs, 0x30, &t) || der_take(&tbs, 0x30, &c->issuer) ||
	    !is_time(der_peek(&tbs)) || der_get(&tbs, &c->this_update))
		return -1;
	if (is_time(der_peek(&tbs)) && !(c->has_next = !der_get(&tbs, &c->next_update)))
		return -1;
	if (der_peek(&tbs) == 0x30 && !(c->has_revoked = !der_get(&tbs, &c->revoked)))
		return -1;
	if (der_peek(&tbs) == 0xa0 && !(c->has_exts = !der_get(&tbs, &c->exts)))
		return -1;
	return der_done(&tbs) ? 0 : -1;
}

static int
want_crl(const char *label)
{
	return !strcmp(label, "X509 CRL");
}

/* The DER of the first CRL in PEM text or of DER bytes. */
static int
crl_der(const u8 *data, size_t len, struct buf *der, char *err, size_t errlen)
{
	struct crl c;
	struct pem b;
	char *text;
	int r;

	if (len > IMPORT_MAX)
		return fail(err, errlen, "the file is larger than %u bytes", IMPORT_MAX);
	if (len && data[0] == 0x30 && !crl_parse(data, len, &c)) {
		buf_add(der, data, len);
		return der->bad ? fail(err, errlen, "out of memory") : 0;
	}
	if (!(text = malloc(len + 1)))
		return fail(err, errlen, "out of memory");
	memcpy(text, data, len);
	text[len] = '\0';
	r = pem_first(text, want_crl, &b, der, err, errlen);
	free(text);
	if (r > 0)
		return fail(err, errlen, "no certificate revocation list (X509 CRL) in the file");
	if (r == 0 && crl_parse(der->p, der->len, &c))
		return fail(err, errlen, "the CRL is malformed");
	return r;
}

int
pki_crl_read(const unsigned char *data, size_t len, char **crl_pem, char *err, size_t errlen)
{
	struct buf der = { 0 };
	int rc;

	*crl_pem = NULL;
	rc = crl_der(data, len, &der, err, errlen);
	if (!rc)
		rc = pem_out(der.p, der.len, CRL_TYPE, crl_pem, err, errlen);
	buf_free(&der);
	return rc;
}

/* The cRLNumber extension, or -1. */
static long long
crl_number(const struct crl *c)
{
	struct der d = der_in(&c->exts), list;
	struct tlv seq, ext, oid, v, num;

	if (!c->has_exts || der_take(&d, 0x30, &seq))
		return -1;
	for (list = der_in(&seq); !der_done(&list);) {
		struct der e, o;
		long long n = 0;

		if (der_take(&list, 0x30, &ext))
			return -1;
		e = der_in(&ext);
		if (der_take(&e, 0x06, &oid) || !OID_IS(&oid, OID_CRL_NUMBER))
			continue;
		if (der_peek(&e) == 0x01 && der_get(&e, &v))
			return -1;
		if (der_take(&e, 0x04, &v))
			return -1;
		o = der_in(&v);
		if (der_take(&o, 0x02, &num) || num.len == 0 || num.len > 8 || (num.v[0] & 0x80))
			return -1;
		for (size_t i = 0; i < num.len; i++)
			n = (n << 8) | num.v[i];
		return n;
	}
	return -1;
}

static int
crl_info(const struct buf *der, const struct crl *c, struct pki_crl_info *out, char *err,
	 size_t errlen)
{
	u8 digest[WC_SHA256_DIGEST_SIZE];
	struct der r = der_in(&c->revoked);
	struct tlv t;

	if (name_text(c->issuer.v, (int)c->issuer.len, out->issuer, sizeof(out->issuer), NULL, 0) ||
	    info_time(c->this_update.start, (int)c->this_update.total, &out->this_epoch,
		      out->this_update, sizeof(out->this_update)) ||
	    (c->has_next && info_time(c->next_update.start, (int)c->next_update.total,
				      &out->next_epoch, out->next_update,
				      sizeof(out->next_update))))
		return fail(err, errlen, "the CRL's issuer or dates are malformed");
	while (c->has_revoked && !der_done(&r) && !der_take(&r, 0x30, &t))
		out->nrevoked++;
	out->number = crl_number(c);
	if (wc_Sha256Hash(der->p, (word32)der->len, digest))
		return fail(err, errlen, "SHA-256 failed");
	pki_hex_encode(digest, sizeof(digest), 0, out->fingerprint, sizeof(out->fingerprint));
	return 0;
}

int
pki_crl_get_info(const char *crl_pem, struct pki_crl_info *out, char *err, size_t errlen)
{
	struct buf der = { 0 };
	struct crl c;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = crl_der((const u8 *)crl_pem, crl_pem ? strlen(crl_pem) : 0, &der, err, errlen);
	if (!rc && crl_parse(der.p, der.len, &c))
		rc = fail(err, errlen, "the CRL is malformed");
	if (!rc)
		rc = crl_info(&der, &c, out, err, errlen);
	buf_free(&der);
	return rc;
}

/* ---- checking, through wolfSSL's certificate manager ---- */

/* A manager trusting ca_pem and holding the CRL, whose signature it checked. */
static WOLFSSL_CERT_MANAGER *
crl_manager(const char *crl_pem, const char *ca_pem, char *err, size_t errlen)
{
	WOLFSSL_CERT_MANAGER *cm;
	struct x509 ca = { 0 };
	struct buf der = { 0 };
	struct crl c;
	int r;

	if (crl_der((const u8 *)crl_pem, crl_pem ? strlen(crl_pem) : 0, &der, err, errlen) ||
	    x509_from_pem(ca_pem, &ca, err, errlen)) {
		buf_free(&der);
		x509_free(&ca);
		return NULL;
	}
	crl_parse(der.p, der.len, &c);	/* crl_der parsed it already */
	r = c.issuer.len == (size_t)ca.dc.subjectRawLen &&
	    !memcmp(c.issuer.v, ca.dc.subjectRaw, c.issuer.len);
	x509_free(&ca);
	if (!r) {
		buf_free(&der);
		return fail(err, errlen, "the CRL's issuer is not the CA's subject"), NULL;
	}
	if (!(cm = wolfSSL_CertManagerNew()) ||
	    wolfSSL_CertManagerLoadCABuffer(cm, (const u8 *)ca_pem, (long)strlen(ca_pem),
					    WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
		r = fail(err, errlen, "the CA certificate does not load");
	else if ((r = wolfSSL_CertManagerLoadCRLBuffer(cm, der.p, (long)der.len,
						       WOLFSSL_FILETYPE_ASN1)) != WOLFSSL_SUCCESS)
		r = fail(err, errlen, "the CRL does not verify with the CA (%s)",
			 wolfSSL_ERR_reason_error_string((unsigned long)r));
	else
		r = 0;
	buf_free(&der);
	if (r && cm) {
		wolfSSL_CertManagerFree(cm);
		cm = NULL;
	}
	return cm;
}

int
pki_crl_verify(const char *crl_pem, const char *ca_pem, char *err, size_t errlen)
{
	WOLFSSL_CERT_MANAGER *cm = crl_manager(crl_pem, ca_pem, err, errlen);

	if (!cm)
		return -1;
	wolfSSL_CertManagerFree(cm);
	return 0;
}

int
pki_crl_revokes(const char *crl_pem, const char *ca_pem, const char *cert_pem, char *err,
		size_t errlen)
{
	WOLFSSL_CERT_MANAGER *cm = crl_manager(crl_pem, ca_pem, err, errlen);
	struct x509 c = { 0 };
	int r = -1;

	if (cm && !x509_from_pem(cert_pem, &c, err, errlen)) {
		r = wolfSSL_CertManagerCheckCRL(cm, c.der.p, (int)c.der.len);
		r = r == WOLFSSL_SUCCESS ? 0 : r == CRL_CERT_REVOKED ? 1 :
		    fail(err, errlen, "the certificate cannot be checked against the CRL");
	}
	x509_free(&c);
	if (cm)
		wolfSSL_CertManagerFree(cm);
	return r;
}
