/* tls_verify.c: what a client checks of the server's certificate beyond
 * its chain, as OpenVPN 2.6 does it (ssl_verify.c, ssl_verify_openssl.c):
 * the name (verify-x509-name subject, name and name-prefix, and RouterOS's
 * connect-to in the CN or a SAN), the usages of remote-cert-tls server and
 * ns-cert-type server, and pinned SHA-256 fingerprints (peer-fingerprint).
 * The certificate's DER is walked here, bounds-checked, rather than through
 * wolfSSL's name objects, so the subject reads in certificate order as
 * OpenSSL prints it and extensions wolfSSL does not expose (Netscape cert
 * type) are seen. Each refusal says what was wanted and what was found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/hash.h>

#include "tls_verify.h"

struct der {
	const uint8_t *p;
	size_t n;
};

/* One TLV off the front of d: its tag and contents. */
static int
tlv(struct der *d, uint8_t *tag, struct der *in)
{
	size_t len, hdr = 2, k;

	if (d->n < 2)
		return -1;
	*tag = d->p[0];
	len = d->p[1];
	if (len & 0x80) {
		k = len & 0x7f;
		if (k == 0 || k > 3 || d->n < 2 + k)
			return -1;
		len = 0;
		for (size_t j = 0; j < k; j++)
			len = len << 8 | d->p[2 + j];
		hdr += k;
	}
	if (len > d->n - hdr)
		return -1;
	in->p = d->p + hdr;
	in->n = len;
	d->p += hdr + len;
	d->n -= hdr + len;
	return 0;
}

/* The fields of tbsCertificate: version [0] is optional, then serial,
 * signature, issuer, validity, subject (the sixth, or fifth without [0]). */
static int
tbs_of(const uint8_t *cert, size_t n, struct der *tbs)
{
	struct der all = { cert, n }, c;
	uint8_t t;

	if (tlv(&all, &t, &c) || t != 0x30 || tlv(&c, &t, tbs) || t != 0x30)
		return -1;
	return 0;
}

static int
subject_of(const uint8_t *cert, size_t n, struct der *subj)
{
	struct der tbs, f;
	uint8_t t;
	int i = 0, want = 5;

	if (tbs_of(cert, n, &tbs))
		return -1;
	while (tbs.n && !tlv(&tbs, &t, &f)) {
		if (i == 0 && t == 0xa0)
			want = 6;
		if (++i == want) {
			*subj = f;
			return t == 0x30 ? 0 : -1;
		}
	}
	return -1;
}

/* The value of extension oid: 1 found, 0 absent, -1 malformed. */
static int
find_ext(const uint8_t *cert, size_t n, const uint8_t *oid, size_t oidlen, struct der *val)
{
	struct der tbs, f, exts, ext, id, v;
	uint8_t t;

	if (tbs_of(cert, n, &tbs))
		return -1;
	while (tbs.n) {
		if (tlv(&tbs, &t, &f))
			return -1;
		if (t != 0xa3)
			continue;
		if (tlv(&f, &t, &exts) || t != 0x30)
			return -1;
		while (exts.n) {
			if (tlv(&exts, &t, &ext) || t != 0x30 || tlv(&ext, &t, &id) || t != 0x06)
				return -1;
			if (id.n != oidlen || memcmp(id.p, oid, oidlen))
				continue;
			if (tlv(&ext, &t, &v) || (t == 0x01 && tlv(&ext, &t, &v)) || t != 0x04)
				return -1;
			*val = v;
			return 1;
		}
	}
	return 0;
}

/* First byte of the bits of a BIT STRING extension value (0 when none). */
static int
bits_of(struct der v, int *first)
{
	struct der b;
	uint8_t t;

	if (tlv(&v, &t, &b) || t != 0x03 || b.n < 1)
		return -1;
	*first = b.n > 1 ? b.p[1] : 0;
	return 0;
}

static const uint8_t OID_KU[] = { 0x55, 0x1d, 0x0f };
static const uint8_t OID_EKU[] = { 0x55, 0x1d, 0x25 };
static const uint8_t OID_NSCT[] = { 0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x01 };
static const uint8_t OID_SERVER_AUTH[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
static const uint8_t OID_NS_SGC[] = { 0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x04, 0x01 };
static const uint8_t OID_MS_SGC[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x03, 0x03 };

/* Does the EKU value list oid (sgc: or a server gated crypto OID)? */
static int
eku_has_server(struct der v, int sgc)
{
	struct der seq, id;
	uint8_t t;

	if (tlv(&v, &t, &seq) || t != 0x30)
		return 0;
	while (seq.n && !tlv(&seq, &t, &id))
		if (t == 0x06 && ((id.n == sizeof(OID_SERVER_AUTH) &&
				   !memcmp(id.p, OID_SERVER_AUTH, id.n)) ||
				  (sgc && id.n == sizeof(OID_NS_SGC) && !memcmp(id.p, OID_NS_SGC, id.n)) ||
				  (sgc && id.n == sizeof(OID_MS_SGC) && !memcmp(id.p, OID_MS_SGC, id.n))))
			return 1;
	return 0;
}

/* remote-cert-tls server: a key usage extension (its bits are the TLS
 * library's business) and TLS Web Server Authentication in the EKU. */
static int
usage_tls_server(const uint8_t *der, size_t n, char *why, size_t wn)
{
	struct der v;

	if (find_ext(der, n, OID_KU, sizeof(OID_KU), &v) != 1) {
		snprintf(why, wn, "server certificate has no key usage extension "
			 "(verify-server-usage=tls-server, remote-cert-tls server)");
		return -1;
	}
	if (find_ext(der, n, OID_EKU, sizeof(OID_EKU), &v) != 1 || !eku_has_server(v, 0)) {
		snprintf(why, wn, "server certificate lacks TLS Web Server Authentication "
			 "(verify-server-usage=tls-server, remote-cert-tls server)");
		return -1;
	}
	return 0;
}

/* ns-cert-type server as 2.6 with OpenSSL checks it: OpenSSL's SSL server
 * purpose (each of EKU, Netscape cert type and key usage, when present,
 * allows a TLS server), or else the Netscape SSL server bit alone. */
static int
usage_ns_server(const uint8_t *der, size_t n, char *why, size_t wn)
{
	struct der v;
	int ku = -1, ns = -1, ok = 1, r;

	r = find_ext(der, n, OID_EKU, sizeof(OID_EKU), &v);
	if (r < 0 || (r == 1 && !eku_has_server(v, 1)))
		ok = 0;
	if (find_ext(der, n, OID_NSCT, sizeof(OID_NSCT), &v) == 1 && bits_of(v, &ns))
		ns = 0;
	if (find_ext(der, n, OID_KU, sizeof(OID_KU), &v) == 1 && bits_of(v, &ku))
		ku = 0;
	if (ns >= 0 && !(ns & 0x40))
		ok = 0;
	if (ku >= 0 && !(ku & (0x80 | 0x20 | 0x08)))	/* signature, key enc., agreement */
		ok = 0;
	if (ok || (ns >= 0 && (ns & 0x40)))
		return 0;
	snprintf(why, wn, "server certificate is not meant for a TLS server "
		 "(verify-server-usage=ns-server, ns-cert-type server)");
	return -1;
}

/* ---- names ---- */

struct sbuf {
	char s[1024];
	size_t n;
	int over;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n >= sizeof(b->s)) {
		b->over = 1;
		return;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* A code point as UTF-8 (what ASN1_STRFLGS_UTF8_CONVERT makes). */
static void
sb_utf8(struct sbuf *b, unsigned long c)
{
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		sb_add(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		sb_add(b, u, 2);
	} else {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		sb_add(b, u, 3);
	}
}

/* A directory string as UTF-8: UTF8String and the ASCII types as they are,
 * T61String as Latin-1, BMPString from UCS-2. esc: control characters as
 * \XX (OpenSSL's ASN1_STRFLGS_ESC_CTRL) for the subject line. */
static void
sb_string(struct sbuf *b, uint8_t tag, struct der v, int esc)
{
	char hex[4];

	for (size_t i = 0; i < v.n; i++) {
		unsigned long c = v.p[i];

		if (tag == 0x1e) {
			if (i + 1 >= v.n)
				break;
			c = (unsigned long)v.p[i] << 8 | v.p[i + 1];
			i++;
		}
		if (esc && (c < 0x20 || c == 0x7f)) {
			snprintf(hex, sizeof(hex), "\\%02X", (unsigned)c);
			sb_add(b, hex, 3);
		} else if (tag == 0x14 || tag == 0x1e) {
			sb_utf8(b, c);
		} else {
			char ch = (char)c;

			sb_add(b, &ch, 1);
		}
	}
}

/* OpenSSL's short names of the attributes met in certificates; others
 * print as their dotted OID, as OpenSSL does for unknown ones. */
static const struct {
	uint8_t oid[10];
	size_t n;
	const char *sn;
} attrs[] = {
	{ { 0x55, 0x04, 0x03 }, 3, "CN" }, { { 0x55, 0x04, 0x06 }, 3, "C" },
	{ { 0x55, 0x04, 0x07 }, 3, "L" }, { { 0x55, 0x04, 0x08 }, 3, "ST" },
	{ { 0x55, 0x04, 0x0a }, 3, "O" }, { { 0x55, 0x04, 0x0b }, 3, "OU" },
	{ { 0x55, 0x04, 0x05 }, 3, "serialNumber" }, { { 0x55, 0x04, 0x04 }, 3, "SN" },
	{ { 0x55, 0x04, 0x2a }, 3, "GN" }, { { 0x55, 0x04, 0x0c }, 3, "title" },
	{ { 0x55, 0x04, 0x09 }, 3, "street" }, { { 0x55, 0x04, 0x11 }, 3, "postalCode" },
	{ { 0x55, 0x04, 0x29 }, 3, "name" }, { { 0x55, 0x04, 0x2b }, 3, "initials" },
	{ { 0x55, 0x04, 0x2e }, 3, "dnQualifier" }, { { 0x55, 0x04, 0x0f }, 3, "businessCategory" },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, 9, "emailAddress" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 }, 10, "DC" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01 }, 10, "UID" },
};

static void
sb_attr(struct sbuf *b, struct der id)
{
	char num[32];
	unsigned long v = 0;
	int first = 1;

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (attrs[i].n == id.n && !memcmp(attrs[i].oid, id.p, id.n)) {
			sb_add(b, attrs[i].sn, strlen(attrs[i].sn));
			return;
		}
	for (size_t i = 0; i < id.n && v < (1ul << 24); i++) {
		v = v << 7 | (id.p[i] & 0x7f);
		if (id.p[i] & 0x80)
			continue;
		if (first)
			snprintf(num, sizeof(num), "%lu.%lu", v < 80 ? v / 40 : 2, v < 80 ? v % 40 : v - 80);
		else
			snprintf(num, sizeof(num), ".%lu", v);
		sb_add(b, num, strlen(num));
		first = 0;
		v = 0;
	}
}

/* The subject as OpenVPN shows and matches it (X509_NAME_print_ex with
 * XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN, UTF-8, control characters
 * escaped, a leading '-' made '_'), and the last CN with control
 * characters made '_' (string_mod_remap_name). */
static int
names_of(const uint8_t *der, size_t n, struct sbuf *subject, struct sbuf *cn)
{
	struct der subj, set, atv, id, val;
	uint8_t t, vt;
	int rdn = 0;

	if (subject_of(der, n, &subj))
		return -1;
	while (subj.n) {
		int k = 0;

		if (tlv(&subj, &t, &set) || t != 0x31)
			return -1;
		while (set.n) {
			if (tlv(&set, &t, &atv) || t != 0x30 || tlv(&atv, &t, &id) || t != 0x06 ||
			    tlv(&atv, &vt, &val))
				return -1;
			sb_add(subject, k ? " + " : rdn ? ", " : "", k ? 3 : rdn ? 2 : 0);
			sb_attr(subject, id);
			sb_add(subject, "=", 1);
			sb_string(subject, vt, val, 1);
			if (id.n == 3 && !memcmp(id.p, attrs[0].oid, 3)) {
				cn->n = 0;
				cn->s[0] = '\0';
				sb_string(cn, vt, val, 0);
			}
			k++;
		}
		rdn++;
	}
	for (size_t i = 0; i < cn->n; i++)
		if ((unsigned char)cn->s[i] < 0x20 || cn->s[i] == 0x7f)
			cn->s[i] = '_';
	for (size_t i = 0; i < subject->n && subject->s[i] == '-'; i++)
		subject->s[i] = '_';
	return subject->over || cn->over ? -1 : 0;
}

/* RouterOS's check: the name in the CN or a SAN, any case, as DNS. */
static int
host_ok(WOLFSSL_X509 *x, const char *name)
{
	char cn[256] = "";
	const char *alt;
	int ok = 0;

	wolfSSL_X509_NAME_get_text_by_NID(wolfSSL_X509_get_subject_name(x), NID_commonName, cn,
					  sizeof(cn));
	if (!strcasecmp(cn, name))
		ok = 1;
	while (!ok && (alt = wolfSSL_X509_get_next_altname(x)))
		ok = !strcasecmp(alt, name);
	return ok;
}

static const char *const match_names[] = { "host", "name", "name-prefix", "subject" };

static int
name_check(WOLFSSL_X509 *x, const uint8_t *der, size_t n, const char *name,
	   enum tls_name_match m, char *why, size_t wn)
{
	struct sbuf *subject, *cn;
	int ok = 0;

	if (m == TLS_NAME_HOST) {
		if (host_ok(x, name))
			return 0;
		snprintf(why, wn, "server certificate does not name '%.64s'", name);
		return -1;
	}
	subject = calloc(1, sizeof(*subject));
	cn = calloc(1, sizeof(*cn));
	if (subject && cn && !names_of(der, n, subject, cn)) {
		if (m == TLS_NAME_CN)
			ok = !strcmp(cn->s, name);
		else if (m == TLS_NAME_PREFIX)
			ok = !strncmp(cn->s, name, strlen(name));
		else
			ok = !strcmp(subject->s, name);
		if (!ok)
			snprintf(why, wn, "server certificate name '%.60s' does not match "
				 "verify-server-name '%.60s' (%s)", m == TLS_NAME_SUBJECT ?
				 subject->s : cn->s, name, match_names[m]);
	} else {
		snprintf(why, wn, "server certificate: its subject can not be read");
	}
	free(subject);
	free(cn);
	return ok ? 0 : -1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "AB:CD:..." or "abcd...", 32 bytes each, comma separated. */
int
tls_parse_fingerprints(const char *list, uint8_t out[][32], int max, char *err, size_t errlen)
{
	const char *s = list;
	int n = 0;

	while (s && *s) {
		size_t len = strcspn(s, ","), k = 0;
		int bad = 0;

		for (size_t i = 0; n < max && i < len && !bad; i++) {
			if (s[i] == ':' || s[i] == ' ')
				continue;
			if (k == 64 || hexval(s[i]) < 0)
				bad = 1;
			else if (k++ % 2)
				out[n][k / 2 - 1] |= (uint8_t)hexval(s[i]);
			else
				out[n][k / 2] = (uint8_t)(hexval(s[i]) << 4);
		}
		if (n == max) {
			snprintf(err, errlen, "more than %d fingerprints in server-fingerprint", max);
			return -1;
		}
		if (bad || k != 64) {
			snprintf(err, errlen, "server-fingerprint: '%.*s' is not a SHA-256 fingerprint "
				 "(32 bytes in hex)", (int)(len > 80 ? 80 : len), s);
			return -1;
		}
		n++;
		s += len + (s[len] == ',');
	}
	return n;
}

static int
fp_check(const uint8_t *der, size_t n, const uint8_t (*fps)[32], int nfps, char *why,
	 size_t wn)
{
	uint8_t h[32];
	char hex[3 * 32 + 1];

	if (wc_Sha256Hash(der, (word32)n, h))
		return snprintf(why, wn, "server certificate: no SHA-256"), -1;
	for (int i = 0; i < nfps; i++)
		if (!memcmp(h, fps[i], 32))
			return 0;
	for (int i = 0; i < 32; i++)
		snprintf(hex + 3 * i, 4, "%02X%s", h[i], i < 31 ? ":" : "");
	snprintf(why, wn, "server certificate fingerprint %s is not in server-fingerprint", hex);
	return -1;
}

int
tls_peer_check(WOLFSSL_X509 *x, const char *name, const struct tls_peer_rules *r,
	       const uint8_t (*fps)[32], int nfps, char *why, size_t n)
{
	int len = 0;
	const uint8_t *der = wolfSSL_X509_get_der(x, &len);

	if (!der || len <= 0) {
		snprintf(why, n, "server certificate can not be read");
		return -1;
	}
	if (nfps > 0 && fp_check(der, (size_t)len, fps, nfps, why, n))
		return -1;
	if ((r->usage & TLS_USAGE_SERVER) && usage_tls_server(der, (size_t)len, why, n))
		return -1;
	if ((r->usage & TLS_USAGE_NS_SERVER) && usage_ns_server(der, (size_t)len, why, n))
		return -1;
	if (name && name_check(x, der, (size_t)len, name, r->match, why, n))
		return -1;
	return 0;
}
