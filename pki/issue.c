/* issue.c: certificates made: a RouterOS template (subject, validity,
 * serial, key usage, subject-alt-name) turned into wolfSSL's Cert, signed by
 * a CA or by the key itself, and proved by verifying it before it leaves. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pki_int.h"

static const u8 OID_BASIC[] = { 0x55, 0x1d, 0x13 };

static const struct usage {
	const char *name;	/* RouterOS's word */
	word16 ku;		/* X.509 keyUsage bit, as wolfSSL numbers them */
	byte eku;		/* or extendedKeyUsage bit */
} usages[] = {
	{ "digital-signature", KEYUSE_DIGITAL_SIG, 0 },
	{ "content-commitment", KEYUSE_CONTENT_COMMIT, 0 },
	{ "key-encipherment", KEYUSE_KEY_ENCIPHER, 0 },
	{ "data-encipherment", KEYUSE_DATA_ENCIPHER, 0 },
	{ "key-agreement", KEYUSE_KEY_AGREE, 0 },
	{ "key-cert-sign", KEYUSE_KEY_CERT_SIGN, 0 },
	{ "crl-sign", KEYUSE_CRL_SIGN, 0 },
	{ "encipher-only", KEYUSE_ENCIPHER_ONLY, 0 },
	{ "decipher-only", KEYUSE_DECIPHER_ONLY, 0 },
	{ "tls-server", 0, EXTKEYUSE_SERVER_AUTH },
	{ "tls-client", 0, EXTKEYUSE_CLIENT_AUTH },
	{ "code-sign", 0, EXTKEYUSE_CODESIGN },
	{ "email-protect", 0, EXTKEYUSE_EMAILPROT },
	{ "timestamp", 0, EXTKEYUSE_TIMESTAMP },
	{ "ocsp-sign", 0, EXTKEYUSE_OCSP_SIGN },
};

/* Next item of a comma list, trimmed: 1 found, 0 at the end. */
static int
list_next(const char **pos, const char **item, size_t *n)
{
	const char *p = *pos, *e;

	if (!p || !*p)
		return 0;
	e = strchr(p, ',');
	*pos = e ? e + 1 : p + strlen(p);
	e = e ? e : p + strlen(p);
	while (p < e && *p == ' ')
		p++;
	while (e > p && e[-1] == ' ')
		e--;
	*item = p;
	*n = (size_t)(e - p);
	return 1;
}

/* keyUsage and extendedKeyUsage; key-cert-sign makes a CA. We set the bit
 * fields that wc_SetKeyUsage()/wc_SetExtKeyUsage() would set from names. */
static int
tpl_usage(Cert *c, const char *list, char *err, size_t errlen)
{
	const char *pos = list, *item;
	size_t n, i;

	while (list_next(&pos, &item, &n)) {
		for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
			if (strlen(usages[i].name) == n && !strncmp(usages[i].name, item, n))
				break;
		if (i == sizeof(usages) / sizeof(usages[0]))
			return fail(err, errlen, "unknown key-usage `%.*s'", (int)n, item);
		c->keyUsage |= usages[i].ku;
		c->extKeyUsage |= usages[i].eku;
	}
	c->isCA = (c->keyUsage & KEYUSE_KEY_CERT_SIGN) != 0;
	return 0;
}

static int
san_dns_ok(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || strchr("-.*_", v[i])))
			return 0;
	return n > 0 && n <= 253;
}

static int
san_email_ok(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] >= 0x7f)
			return 0;
	return n > 2 && n <= 254 && memchr(v, '@', n);
}

/* One "TYPE:value" entry as a GeneralName. */
static int
san_entry(struct buf *names, const char *item, size_t n, char *err, size_t errlen)
{
	char ip[64];
	u8 addr[16];

	if (n > 4 && !strncasecmp(item, "DNS:", 4) && san_dns_ok(item + 4, n - 4)) {
		buf_tlv(names, 0x82, item + 4, n - 4);
	} else if (n > 6 && !strncasecmp(item, "email:", 6) && san_email_ok(item + 6, n - 6)) {
		buf_tlv(names, 0x81, item + 6, n - 6);
	} else if (n > 3 && n - 3 < sizeof(ip) && !strncasecmp(item, "IP:", 3)) {
		memcpy(ip, item + 3, n - 3);
		ip[n - 3] = '\0';
		if (inet_pton(AF_INET, ip, addr) == 1)
			buf_tlv(names, 0x87, addr, 4);
		else if (inet_pton(AF_INET6, ip, addr) == 1)
			buf_tlv(names, 0x87, addr, 16);
		else
			return fail(err, errlen, "`%s' in subject-alt-name is not an IP address", ip);
	} else {
		return fail(err, errlen, "subject-alt-name entry `%.*s' is not DNS:name, IP:address "
			    "or email:address", (int)(n > 80 ? 80 : n), item);
	}
	return 0;
}

/* subjectAltName: wolfSSL wants the GeneralNames SEQUENCE in altNames and
 * wraps it into the extension itself (wc_SetAltNamesBuffer would copy it
 * from another certificate, which we do not have). */
static int
tpl_san(Cert *c, const char *list, char *err, size_t errlen)
{
	struct buf names = { 0 }, seq = { 0 };
	const char *pos = list, *item;
	size_t n;
	int rc = 0;

	while (!rc && list_next(&pos, &item, &n))
		rc = n ? san_entry(&names, item, n, err, errlen) :
			 fail(err, errlen, "empty entry in subject-alt-name");
	if (rc || !names.len) {
		buf_free(&names);
		return rc;
	}
	buf_wrap(&seq, 0x30, &names);
	if (seq.bad || seq.len > sizeof(c->altNames))
		rc = fail(err, errlen, "subject-alt-name is too long");
	else
		memcpy(c->altNames, seq.p, seq.len);
	c->altNamesSz = rc ? 0 : (int)seq.len;
	buf_free(&seq);
	return rc;
}

static int
tpl_name(char *field, const char *value, const char *prop, char *err, size_t errlen)
{
	if (!value)
		return 0;
	if (strlen(value) >= CTC_NAME_SIZE)
		return fail(err, errlen, "%s is longer than %d characters", prop, CTC_NAME_SIZE - 1);
	strcpy(field, value);
	return 0;
}

static int
tpl_subject(Cert *c, const struct pki_template *t, char *err, size_t errlen)
{
	CertName *s = &c->subject;

	if (t->country && *t->country &&
	    (strlen(t->country) != 2 || !((t->country[0] | 0x20) >= 'a' &&
					  (t->country[0] | 0x20) <= 'z' &&
					  (t->country[1] | 0x20) >= 'a' &&
					  (t->country[1] | 0x20) <= 'z')))
		return fail(err, errlen, "country must be two letters");
	if (tpl_name(s->commonName, t->common_name, "common-name", err, errlen) ||
	    tpl_name(s->country, t->country, "country", err, errlen) ||
	    tpl_name(s->state, t->state, "state", err, errlen) ||
	    tpl_name(s->locality, t->locality, "locality", err, errlen) ||
	    tpl_name(s->org, t->organization, "organization", err, errlen) ||
	    tpl_name(s->unit, t->unit, "unit", err, errlen))
		return -1;
	if (!*s->commonName && !*s->country && !*s->state && !*s->locality && !*s->org &&
	    !*s->unit)
		return fail(err, errlen, "the certificate needs a subject: set common-name");
	return 0;
}

/* A Time for the validity: UTCTime up to 2049, GeneralizedTime after
 * (RFC 5280 4.1.2.5), tag and length included as wolfSSL's Cert wants. */
int
asn_time(time_t t, byte *out, int *outlen)
{
	struct tm tm;
	int y, n;

	if (!gmtime_r(&t, &tm) || (y = tm.tm_year + 1900) < 1950 || y > 9999)
		return -1;
	if (y < 2050)
		n = snprintf((char *)out + 2, CTC_DATE_SIZE - 2, "%02d%02d%02d%02d%02d%02dZ", y % 100,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		n = snprintf((char *)out + 2, CTC_DATE_SIZE - 2, "%04d%02d%02d%02d%02d%02dZ", y,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	out[0] = y < 2050 ? 0x17 : 0x18;
	out[1] = (byte)n;
	*outlen = n + 2;
	return 0;
}

/* Validity from now - SKEW to now + days. wolfSSL's own daysValid would put
 * notBefore a whole day back (SetValidity subtracts 86400 "for more
 * compliance"); setting beforeDate/afterDate makes it copy ours instead. */
static int
tpl_validity(Cert *c, int days, char *err, size_t errlen)
{
	time_t now = time(NULL);

	if (days < 1)
		return fail(err, errlen, "days-valid must be at least 1");
	if (asn_time(now - SKEW, c->beforeDate, &c->beforeDateSz) ||
	    asn_time(now + (time_t)days * 86400, c->afterDate, &c->afterDateSz))
		return fail(err, errlen, "days-valid %d reaches past the year 9999", days);
	c->daysValid = days;
	return 0;
}

static int
tpl_serial(Cert *c, long long serial, char *err, size_t errlen)
{
	unsigned long long v = (unsigned long long)serial;
	int n = 0;

	if (serial <= 0)
		return fail(err, errlen, "the serial number must be positive");
	for (unsigned long long x = v; x; x >>= 8)
		n++;
	for (int i = 0; i < n; i++)
		c->serial[i] = (byte)(v >> (8 * (n - 1 - i)));
	/* wolfSSL adds the 0x00 that keeps a serial with the top bit set positive. */
	c->serialSz = n;
	return 0;
}

/* cRLDistributionPoints with one fullName URI: wolfSSL writes crlInfo as
 * the extension's value, so it is the SEQUENCE OF DistributionPoint. */
static int
tpl_crl_dp(Cert *c, const char *url, char *err, size_t errlen)
{
	struct buf uri = { 0 }, name = { 0 }, dpn = { 0 }, dp = { 0 }, all = { 0 };
	int rc = 0;

	if (!url || !*url)
		return 0;
	for (const char *p = url; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return fail(err, errlen, "the CRL address `%.80s' has a blank or a "
				    "non-ASCII character", url);
	buf_tlv(&uri, 0x86, url, strlen(url));
	buf_wrap(&name, 0xa0, &uri);	/* fullName [0] GeneralNames */
	buf_wrap(&dpn, 0xa0, &name);	/* distributionPoint [0] */
	buf_wrap(&dp, 0x30, &dpn);
	buf_wrap(&all, 0x30, &dp);
	if (all.bad || all.len > sizeof(c->crlInfo))
		rc = fail(err, errlen, "the CRL address is too long");
	else
		memcpy(c->crlInfo, all.p, all.len);
	c->crlInfoSz = rc ? 0 : (int)all.len;
	buf_free(&all);
	return rc;
}

static int
tpl_apply(Cert *c, const struct pki_template *t, char *err, size_t errlen)
{
	return tpl_subject(c, t, err, errlen) || tpl_serial(c, t->serial, err, errlen) ||
	       tpl_validity(c, t->days_valid, err, errlen) ||
	       tpl_usage(c, t->key_usage, err, errlen) ||
	       tpl_san(c, t->subject_alt_name, err, errlen) ||
	       tpl_crl_dp(c, t->crl_url, err, errlen) ? -1 : 0;
}

/* Issuer, subject key id and authority key id. The issuer is the CA
 * certificate's subject byte for byte (wc_SetIssuerRaw; wc_SetIssuerBuffer
 * would rebuild it from wolfSSL's fixed set of fields and could reorder or
 * drop some). The authority key id is the CA's subject key id as written in
 * the CA; only when the CA has none is it derived from the CA's key. */
static int
issue_ids(Cert *c, struct key *subj, struct x509 *ca, struct key *cakey, char *err,
	  size_t errlen)
{
	int r = wc_SetSubjectKeyIdFromPublicKey_ex(c, subj->type, key_ptr(subj));

	if (r == 0 && !ca) {
		memcpy(c->akid, c->skid, (size_t)c->skidSz);
		c->akidSz = c->skidSz;
	} else if (r == 0) {
		c->selfSigned = 0;
		r = wc_SetIssuerRaw(c, ca->der.p, (int)ca->der.len);
		if (r == 0 && ca->dc.extSubjKeyIdSet && ca->dc.extSubjKeyIdSrc &&
		    ca->dc.extSubjKeyIdSz > 0 && ca->dc.extSubjKeyIdSz <= CTC_MAX_AKID_SIZE) {
			memcpy(c->akid, ca->dc.extSubjKeyIdSrc, ca->dc.extSubjKeyIdSz);
			c->akidSz = (int)ca->dc.extSubjKeyIdSz;
		} else if (r == 0) {
			r = wc_SetAuthKeyIdFromPublicKey_ex(c, cakey->type, key_ptr(cakey));
		}
	}
	if (r)
		return fail(err, errlen, "the key identifiers do not encode (%s)", wolf_why(r));
	return 0;
}

/* The extension list inside [3], with basicConstraints marked critical. */
static int
exts_bc_critical(const struct tlv *exts, struct buf *out)
{
	struct der d = der_in(exts), list;
	struct tlv seq, ext, oid, next;
	struct buf all = { 0 };

	if (der_take(&d, 0x30, &seq))
		return -1;
	for (list = der_in(&seq); !der_done(&list);) {
		struct der e;
		struct buf one = { 0 };

		if (der_take(&list, 0x30, &ext))
			break;
		e = der_in(&ext);
		if (der_take(&e, 0x06, &oid) || der_peek(&e) < 0 || !OID_IS(&oid, OID_BASIC) ||
		    der_peek(&e) == 0x01) {
			buf_add(&all, ext.start, ext.total);
			continue;
		}
		buf_add(&one, oid.start, oid.total);
		buf_tlv(&one, 0x01, "\xff", 1);
		while (!der_done(&e) && !der_get(&e, &next))
			buf_add(&one, next.start, next.total);
		buf_wrap(&all, 0x30, &one);
	}
	if (!der_done(&list)) {
		buf_free(&all);
		return -1;
	}
	buf_wrap(out, 0x30, &all);
	return 0;
}

/* RFC 5280 4.2.1.9 wants a CA's basicConstraints critical; wolfSSL 5.5
 * writes it non-critical. So the to-be-signed body that wc_MakeCert_ex left
 * in buf is rewritten before wc_SignCert_ex signs it. Returns the new size. */
static int
tbs_bc_critical(u8 *buf, int bodysz, size_t cap)
{
	struct der d = { buf, buf + bodysz }, in;
	struct tlv tbs, t;
	struct buf body = { 0 }, out = { 0 };
	int rc = -1;

	if (der_take(&d, 0x30, &tbs))
		return -1;
	for (in = der_in(&tbs); !der_done(&in); ) {
		struct buf exts = { 0 };

		if (der_get(&in, &t))
			goto out;
		if (t.tag != 0xa3) {
			buf_add(&body, t.start, t.total);
			continue;
		}
		if (exts_bc_critical(&t, &exts))
			goto out;
		buf_wrap(&body, 0xa3, &exts);
	}
	buf_wrap(&out, 0x30, &body);
	if (!out.bad && out.len <= cap) {
		memcpy(buf, out.p, out.len);
		rc = (int)out.len;
	}
out:
	buf_free(&body);
	buf_free(&out);
	return rc;
}

/* Builds the body with subj's public key and signs it with signer's key. */
static int
issue_sign(Cert *c, struct key *subj, struct key *signer, WC_RNG *rng, struct x509 *out,
	   char *err, size_t errlen)
{
	size_t cap = 16384 + (size_t)c->altNamesSz;
	int body, n;

	if (buf_room(&out->der, cap))
		return fail(err, errlen, "out of memory");
	c->sigType = signer->type == RSA_TYPE ? CTC_SHA256wRSA : CTC_SHA256wECDSA;
	body = wc_MakeCert_ex(c, out->der.p, (word32)cap, subj->type, key_ptr(subj), rng);
	if (body <= 0)
		return fail(err, errlen, "the certificate does not encode (%s)", wolf_why(body));
	if (c->isCA && (body = tbs_bc_critical(out->der.p, body, cap)) <= 0)
		return fail(err, errlen, "the certificate does not encode");
	n = wc_SignCert_ex(body, c->sigType, out->der.p, (word32)cap, signer->type,
			   key_ptr(signer), rng);
	if (n <= 0)
		return fail(err, errlen, "signing failed (%s)", wolf_why(n));
	out->der.len = (size_t)n;
	return x509_parse(out, err, errlen);
}

static int
issuer_load(const char *ca_pem, const char *ca_key_pem, struct x509 *ca, struct key **cakey,
	    char *err, size_t errlen)
{
	if (x509_from_pem(ca_pem, ca, err, errlen) || key_from_pem(ca_key_pem, cakey, err, errlen))
		return -1;
	if (!ca->dc.isCA)
		return fail(err, errlen, "the CA certificate is no certificate authority (CA:FALSE)");
	if (!x509_matches_key(ca, *cakey))
		return fail(err, errlen, "the CA's private key does not belong to its certificate");
	return 0;
}

/* Makes the certificate and proves it: it must verify with its issuer. */
static int
issue(const struct pki_template *tpl, struct key *subj, struct x509 *ca, struct key *cakey,
      struct x509 *out, char *err, size_t errlen)
{
	Cert *c = calloc(1, sizeof(*c));
	WC_RNG rng;
	int rc = -1;

	if (!c || wc_InitCert(c)) {
		free(c);
		return fail(err, errlen, "out of memory");
	}
	if (!rng_open(&rng, err, errlen)) {
		if (!tpl_apply(c, tpl, err, errlen) &&
		    !issue_ids(c, subj, ca, cakey, err, errlen) &&
		    !issue_sign(c, subj, cakey ? cakey : subj, &rng, out, err, errlen))
			rc = x509_signed_by(out, ca ? ca : out, err, errlen);
		wc_FreeRng(&rng);
	}
	explicit_bzero(c, sizeof(*c));
	free(c);
	return rc;
}

int
pki_issue(const struct pki_template *tpl, const char *key_pem, const char *ca_cert_pem,
	  const char *ca_key_pem, char **cert_pem, char *err, size_t errlen)
{
	struct x509 ca = { 0 }, out = { 0 };
	struct key *subj = NULL, *cakey = NULL;
	int rc = -1;

	*cert_pem = NULL;
	if (!tpl)
		return fail(err, errlen, "no certificate template");
	if (!ca_cert_pem != !ca_key_pem)
		return fail(err, errlen, "signing with a CA needs its certificate and its key");
	if (!key_from_pem(key_pem, &subj, err, errlen) &&
	    (!ca_cert_pem || !issuer_load(ca_cert_pem, ca_key_pem, &ca, &cakey, err, errlen)) &&
	    !issue(tpl, subj, ca_cert_pem ? &ca : NULL, cakey, &out, err, errlen))
		rc = pem_out(out.der.p, out.der.len, CERT_TYPE, cert_pem, err, errlen);
	x509_free(&out);
	x509_free(&ca);
	key_free(subj);
	key_free(cakey);
	return rc;
}
