/* cert_crypto.c: keys, X.509 certificates, encrypted keys and PKCS#12 for
 * /certificate, on wolfCrypt.
 *
 * wolfSSL generates keys, builds and signs certificates, parses certificates
 * and keys and does every cipher, hash and KDF. PEM text and PKCS#12 files
 * are walked by the small DER reader below instead of wolfSSL's own readers,
 * for three reasons: the files are untrusted and we want one bounded parser
 * we can fuzz; wolfSSL 5.5 has no RC2, so it cannot open the PKCS#12 files
 * `openssl pkcs12 -export -legacy` and older systems write; and its writers
 * only do PBKDF2 with HMAC-SHA1 (encrypted PKCS#8) and 3DES/RC4 (PKCS#12),
 * where we want PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256, the scheme
 * OpenSSL 3 writes and reads by default. */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/des3.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/md5.h>
#include <wolfssl/wolfcrypt/pwdbased.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cert_crypto.h"

#define IMPORT_MAX	(16u << 20)	/* the largest file cert_import reads */
#define BUF_MAX		(64u << 20)	/* no DER we build or decode grows past this */
#define ITEMS_MAX	256		/* certificates, and keys, in one file */
#define PBE_ITER	10000		/* PBKDF2 and PKCS#12 MAC iterations we write */
#define ITER_MAX	1000000		/* the most one KDF in a file may ask for */
#define ITER_BUDGET	4000000L	/* ... and all of a file's KDFs together */
#define NEST_MAX	4		/* nested PKCS#12 SafeContents */
#define SKEW		3600		/* notBefore lies this far back, for clocks */

typedef unsigned char u8;

/* ---- errors and small helpers ---- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes the sentence into err; always returns -1, so callers can return it. */
static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* wolfSSL's words for an error code, for messages that need a detail. */
static const char *
wolf_why(int code)
{
	const char *s = wc_GetErrorString(code);

	return s ? s : "unknown error";
}

static int
rng_open(WC_RNG *rng, char *err, size_t errlen)
{
	if (wc_InitRng(rng))
		return fail(err, errlen, "the random number generator does not start");
	return 0;
}

/* ---- a growing byte buffer, also the DER writer ---- */

struct buf {
	u8 *p;
	size_t len, cap;
	int bad;		/* out of memory or over BUF_MAX: all later writes drop */
};

/* Every buffer may hold key material, so it is wiped before it is freed. */
static void
buf_free(struct buf *b)
{
	if (b->p) {
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof(*b));
}

static int
buf_room(struct buf *b, size_t n)
{
	size_t cap;
	u8 *p;

	if (b->bad || n > BUF_MAX - b->len) {
		b->bad = 1;
		return -1;
	}
	if (b->len + n <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	/* realloc would leave a copy of secrets behind; move by hand. */
	if (!(p = malloc(cap))) {
		b->bad = 1;
		return -1;
	}
	if (b->p) {
		memcpy(p, b->p, b->len);
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

static void
buf_add(struct buf *b, const void *d, size_t n)
{
	if (n && !buf_room(b, n)) {
		memcpy(b->p + b->len, d, n);
		b->len += n;
	}
}

static void
buf_byte(struct buf *b, u8 c)
{
	buf_add(b, &c, 1);
}

/* A DER length: short form below 128, else 0x8N and N bytes. */
static void
buf_derlen(struct buf *b, size_t n)
{
	u8 tmp[5];
	int k = 0;

	if (n < 0x80) {
		buf_byte(b, (u8)n);
		return;
	}
	for (size_t v = n; v; v >>= 8)
		k++;
	tmp[0] = (u8)(0x80 | k);
	for (int i = 0; i < k; i++)
		tmp[1 + i] = (u8)(n >> (8 * (k - 1 - i)));
	buf_add(b, tmp, (size_t)k + 1);
}

static void
buf_tlv(struct buf *b, u8 tag, const void *d, size_t n)
{
	buf_byte(b, tag);
	buf_derlen(b, n);
	buf_add(b, d, n);
}

/* Appends inner wrapped in tag, and frees inner. */
static void
buf_wrap(struct buf *b, u8 tag, struct buf *inner)
{
	if (inner->bad)
		b->bad = 1;
	buf_tlv(b, tag, inner->p, inner->len);
	buf_free(inner);
}

/* A non-negative INTEGER, with a leading 0 when the top bit is set. */
static void
buf_int(struct buf *b, unsigned long v)
{
	u8 tmp[9];
	int k = 0;

	do {
		tmp[8 - k++] = (u8)v;
		v >>= 8;
	} while (v);
	if (tmp[9 - k] & 0x80)
		tmp[8 - k++] = 0;
	buf_tlv(b, 0x02, tmp + 9 - k, (size_t)k);
}

static void
buf_oid(struct buf *b, const u8 *oid, size_t n)
{
	buf_tlv(b, 0x06, oid, n);
}

/* ---- a DER reader: definite lengths, low tag numbers, all bounds checked ---- */

struct der {
	const u8 *p, *end;
};

struct tlv {
	u8 tag;
	const u8 *v;		/* contents */
	size_t len;
	const u8 *start;	/* the tag byte */
	size_t total;		/* tag, length and contents */
};

/* The next element; 0, or -1 when the bytes are not DER. */
static int
der_get(struct der *d, struct tlv *t)
{
	const u8 *p = d->p;
	size_t len, n;

	if (d->end - p < 2)
		return -1;
	t->start = p;
	t->tag = *p++;
	if ((t->tag & 0x1f) == 0x1f)
		return -1;
	len = *p++;
	if (len & 0x80) {
		n = len & 0x7f;
		if (n == 0 || n > 4 || (size_t)(d->end - p) < n)
			return -1;
		for (len = 0; n--;)
			len = (len << 8) | *p++;
	}
	if (len > (size_t)(d->end - p))
		return -1;
	t->v = p;
	t->len = len;
	t->total = (size_t)(p + len - t->start);
	d->p = p + len;
	return 0;
}

/* The next element, which must have this tag. */
static int
der_take(struct der *d, u8 tag, struct tlv *t)
{
	return der_get(d, t) || t->tag != tag ? -1 : 0;
}

static struct der
der_in(const struct tlv *t)
{
	return (struct der){ t->v, t->v + t->len };
}

static int
der_done(const struct der *d)
{
	return d->p >= d->end;
}

static int
der_peek(const struct der *d)
{
	return d->p < d->end ? *d->p : -1;
}

static int
oid_eq(const struct tlv *t, const u8 *oid, size_t n)
{
	return t->tag == 0x06 && t->len == n && !memcmp(t->v, oid, n);
}

#define OID_IS(t, o) oid_eq((t), (o), sizeof(o))

/* A small non-negative INTEGER (up to 2^31 - 1). */
static int
der_small(const struct tlv *t, long *v)
{
	size_t i = 0;

	*v = 0;
	if (t->tag != 0x02 || t->len == 0 || (t->v[0] & 0x80))
		return -1;
	while (i < t->len - 1 && t->v[i] == 0)
		i++;
	if (t->len - i > 4 || (t->len - i == 4 && (t->v[i] & 0x80)))
		return -1;
	for (; i < t->len; i++)
		*v = (*v << 8) | t->v[i];
	return 0;
}

/* An OID in dotted form, for messages. */
static void
oid_text(const struct tlv *t, char *out, size_t outlen)
{
	unsigned long v = 0;
	size_t n = 0;
	int first = 1;

	out[0] = '\0';
	for (size_t i = 0; i < t->len && n + 24 < outlen; i++) {
		v = (v << 7) | (t->v[i] & 0x7f);
		if (t->v[i] & 0x80)
			continue;
		if (first)
			n += (size_t)snprintf(out + n, outlen - n, "%lu.%lu", v < 80 ? v / 40 : 2,
					      v < 80 ? v % 40 : v - 80);
		else
			n += (size_t)snprintf(out + n, outlen - n, ".%lu", v);
		first = 0;
		v = 0;
	}
}

/* ---- object identifiers (contents only) ---- */

static const u8 OID_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const u8 OID_EC[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const u8 OID_DATA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const u8 OID_SIGNED[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const u8 OID_ENCDATA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06 };
static const u8 OID_KEYBAG[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01 };
static const u8 OID_SHROUDED[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02 };
static const u8 OID_CERTBAG[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03 };
static const u8 OID_SAFEBAG[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x06 };
static const u8 OID_X509[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01 };
static const u8 OID_LOCALKEYID[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15 };
static const u8 OID_PBES2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d };
static const u8 OID_PBKDF2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c };
static const u8 OID_HMAC_SHA256[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09 };
static const u8 OID_AES256CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a };
static const u8 OID_SHA256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const u8 OID_BASIC[] = { 0x55, 0x1d, 0x13 };

/* ---- base64 and PEM ---- */

static int
b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Strict base64 between s and e; white space may sit anywhere. */
static int
b64_decode(const char *s, const char *e, struct buf *out)
{
	unsigned long acc = 0;
	int n = 0, pad = 0;

	for (; s < e; s++) {
		int c = (u8)*s, v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=' && n % 4 >= 2 && pad < 2) {
			pad++;
			n++;
			continue;
		}
		if (pad || (v = b64_val(c)) < 0)
			return -1;
		acc = (acc << 6) | (unsigned long)v;
		if (++n % 4 == 0)
			for (int k = 2; k >= 0; k--)
				buf_byte(out, (u8)(acc >> (8 * k)));
	}
	if (n % 4)
		return -1;
	if (pad) {
		/* The padded group: shift the held bits into place. */
		acc <<= 6 * pad;
		for (int k = 2; k >= pad; k--)
			buf_byte(out, (u8)(acc >> (8 * k)));
	}
	return out->bad ? -1 : 0;
}

struct pem {
	char label[48];			/* "CERTIFICATE", "RSA PRIVATE KEY" ... */
	const char *hdr, *hdr_end;	/* RFC 1421 header lines, or NULL */
	const char *body, *body_end;	/* the base64 text */
};

/* Splits the text between the BEGIN and END lines into headers (lines with
 * ':', up to a blank line) and base64. */
static void
pem_split(struct pem *b, const char *p, const char *end)
{
	const char *nl;

	b->hdr = b->hdr_end = NULL;
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	b->body = p;
	b->body_end = end;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!memchr(p, ':', (size_t)((nl ? nl : end) - p)))
		return;
	b->hdr = p;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		eol = eol ? eol : end;
		if (eol == p || (eol - p == 1 && *p == '\r'))
			break;
		p = eol + (eol < end);
	}
	b->hdr_end = p;
	b->body = p < end ? p + 1 : end;
}

static int
pem_label_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == ' '))
			return 0;
	return 1;
}

/* The next PEM block at or after *pos: 1 found, 0 no more, -1 malformed. */
static int
pem_next(const char **pos, const char *end, struct pem *b, char *err, size_t errlen)
{
	const char *p = memmem(*pos, (size_t)(end - *pos), "-----BEGIN ", 11), *q, *e;
	char endline[80];
	size_t n;

	if (!p)
		return 0;
	p += 11;
	for (q = p; q < end && *q != '\n' && *q != '-'; q++)
		;
	n = (size_t)(q - p);
	if (end - q < 5 || memcmp(q, "-----", 5) || n >= sizeof(b->label) || !pem_label_ok(p, n))
		return fail(err, errlen, "malformed PEM header line");
	memcpy(b->label, p, n);
	b->label[n] = '\0';
	for (q += 5; q < end && *q != '\n'; q++)
		;
	n = (size_t)snprintf(endline, sizeof(endline), "-----END %s-----", b->label);
	e = memmem(q, (size_t)(end - q), endline, n);
	if (!e)
		return fail(err, errlen, "truncated PEM block: %s has no END line", b->label);
	if (memmem(q, (size_t)(e - q), "-----BEGIN ", 11))
		return fail(err, errlen, "truncated PEM block: %s ends where another begins",
			    b->label);
	pem_split(b, q, e);
	*pos = e + n;
	return 1;
}

/* The value of header name ("DEK-Info"), trimmed, or -1 when absent. */
static int
pem_header(const struct pem *b, const char *name, char *val, size_t vallen)
{
	size_t n = strlen(name);

	for (const char *p = b->hdr; p && p < b->hdr_end;) {
		const char *eol = memchr(p, '\n', (size_t)(b->hdr_end - p)), *v;

		eol = eol ? eol : b->hdr_end;
		if ((size_t)(eol - p) > n && !strncasecmp(p, name, n) && p[n] == ':') {
			for (v = p + n + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
				;
			while (eol > v && (eol[-1] == '\r' || eol[-1] == ' '))
				eol--;
			if ((size_t)(eol - v) >= vallen)
				return -1;
			memcpy(val, v, (size_t)(eol - v));
			val[eol - v] = '\0';
			return 0;
		}
		p = eol + 1;
	}
	return -1;
}

static int
pem_body(const struct pem *b, struct buf *der, char *err, size_t errlen)
{
	if (b64_decode(b->body, b->body_end, der) || der->len == 0)
		return fail(err, errlen, "bad base64 in PEM block %s", b->label);
	return 0;
}

/* der as PEM text of wolfSSL's type (CERT_TYPE, PKCS8_PRIVATEKEY_TYPE ...). */
static int
pem_out(const u8 *der, size_t len, int type, char **out, char *err, size_t errlen)
{
	size_t cap = (len + 2) / 3 * 4 + len / 48 + 160;
	char *p;
	int n;

	*out = NULL;
	if (len > BUF_MAX || !(p = malloc(cap + 1)))
		return fail(err, errlen, "out of memory");
	n = wc_DerToPem(der, (word32)len, (byte *)p, (word32)cap, type);
	if (n <= 0 || (size_t)n > cap) {
		explicit_bzero(p, cap);
		free(p);
		return fail(err, errlen, "PEM encoding failed (%s)", wolf_why(n));
	}
	p[n] = '\0';
	*out = p;
	return 0;
}

static int
is_cert_label(const char *l)
{
	return !strcmp(l, "CERTIFICATE") || !strcmp(l, "X509 CERTIFICATE") ||
	       !strcmp(l, "TRUSTED CERTIFICATE");
}

static int
is_key_label(const char *l)
{
	return !strcmp(l, "PRIVATE KEY") || !strcmp(l, "RSA PRIVATE KEY") ||
	       !strcmp(l, "EC PRIVATE KEY") || !strcmp(l, "ENCRYPTED PRIVATE KEY");
}

/* The DER of the first block of PEM text whose label passes want(). */
static int
pem_first(const char *text, int (*want)(const char *), struct pem *b, struct buf *der,
	  char *err, size_t errlen)
{
	const char *pos = text, *end = text + strlen(text);
	int r;

	while ((r = pem_next(&pos, end, b, err, errlen)) > 0)
		if (want(b->label))
			return pem_body(b, der, err, errlen);
	return r < 0 ? -1 : 1;
}

/* ---- keys ---- */

struct key {
	int type;		/* RSA_TYPE or ECC_TYPE once initialised, else 0 */
	RsaKey rsa;
	ecc_key ecc;
};

static const struct curve {
	const char *name;	/* RouterOS's key-size */
	int id;
} curves[] = {
	{ "prime256v1", ECC_SECP256R1 },
	{ "secp384r1", ECC_SECP384R1 },
	{ "secp521r1", ECC_SECP521R1 },
};

static struct key *
key_new(void)
{
	return calloc(1, sizeof(struct key));
}

static void
key_free(struct key *k)
{
	if (!k)
		return;
	if (k->type == RSA_TYPE)
		wc_FreeRsaKey(&k->rsa);
	else if (k->type == ECC_TYPE)
		wc_ecc_free(&k->ecc);
	explicit_bzero(k, sizeof(*k));
	free(k);
}

static void *
key_ptr(struct key *k)
{
	return k->type == RSA_TYPE ? (void *)&k->rsa : (void *)&k->ecc;
}

static int
key_init(struct key *k, int type)
{
	int r = type == RSA_TYPE ? wc_InitRsaKey(&k->rsa, NULL) : wc_ecc_init(&k->ecc);

	if (r == 0)
		k->type = type;
	return r;
}

/* Reads RouterOS's key-type and key-size: bits for RSA, or a curve. */
static int
key_spec(const char *type, const char *size, int *bits, int *curve, char *err, size_t errlen)
{
	int rsa = !type || !*type || !strcmp(type, "rsa");

	*bits = 0;
	*curve = 0;
	if (!rsa && strcmp(type, "ec"))
		return fail(err, errlen, "unknown key-type `%s' (rsa or ec)", type);
	if (!size || !*size)
		size = rsa ? "2048" : "prime256v1";
	if (rsa) {
		if (strcmp(size, "1024") && strcmp(size, "2048") && strcmp(size, "4096"))
			return fail(err, errlen, "key-size %s does not fit key-type rsa "
				    "(1024, 2048 or 4096)", size);
		*bits = atoi(size);
		return 0;
	}
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (!strcmp(size, curves[i].name)) {
			*curve = curves[i].id;
			return 0;
		}
	return fail(err, errlen, "key-size %s does not fit key-type ec "
		    "(prime256v1, secp384r1 or secp521r1)", size);
}

static int
key_generate(int bits, int curve, WC_RNG *rng, struct key **out, char *err, size_t errlen)
{
	struct key *k = key_new();
	int r;

	*out = NULL;
	if (!k)
		return fail(err, errlen, "out of memory");
	if ((r = key_init(k, bits ? RSA_TYPE : ECC_TYPE)) == 0)
		r = bits ? wc_MakeRsaKey(&k->rsa, bits, WC_RSA_EXPONENT, rng) :
			   wc_ecc_make_key_ex(rng, wc_ecc_get_curve_size_from_id(curve),
					      &k->ecc, curve);
	if (r) {
		key_free(k);
		return fail(err, errlen, "key generation failed (%s)", wolf_why(r));
	}
	*out = k;
	return 0;
}

/* RSAPrivateKey (PKCS#1), which must be all of der. */
static int
key_rsa(struct key *k, const u8 *der, size_t len, char *err, size_t errlen)
{
	word32 idx = 0;
	int bits;

	if (key_init(k, RSA_TYPE) || wc_RsaPrivateKeyDecode(der, &idx, &k->rsa, (word32)len) ||
	    idx != len)
		return fail(err, errlen, "the RSA private key is malformed");
	bits = wc_RsaEncryptSize(&k->rsa) * 8;
	if (bits < 1024 || bits > 4096)
		return fail(err, errlen, "RSA keys of %d bits are not supported (1024 to 4096)",
			    bits);
	return 0;
}

/* The public point of a private-only EC key: computed, with blinding. */
static int
key_ec_public(struct key *k)
{
	WC_RNG rng;
	int r;

	if (wc_InitRng(&rng))
		return -1;
	r = wc_ecc_set_rng(&k->ecc, &rng) || wc_ecc_make_pub_ex(&k->ecc, NULL, &rng);
	wc_ecc_set_rng(&k->ecc, NULL);
	wc_FreeRng(&rng);
	return r ? -1 : 0;
}

/* ECPrivateKey (SEC1); the curve from its [0] or from PKCS#8's parameters. */
static int
key_ec(struct key *k, const u8 *der, size_t len, const struct tlv *curve8, char *err,
       size_t errlen)
{
	struct der d = { der, der + len }, in;
	struct tlv seq, ver, priv, t, curve = { 0 }, pub = { 0 };
	int id;

	if (der_take(&d, 0x30, &seq) || !der_done(&d))
		return fail(err, errlen, "the EC private key is malformed");
	in = der_in(&seq);
	if (der_take(&in, 0x02, &ver) || der_take(&in, 0x04, &priv) || priv.len == 0)
		return fail(err, errlen, "the EC private key is malformed");
	while (!der_done(&in)) {
		struct der x;

		if (der_get(&in, &t))
			return fail(err, errlen, "the EC private key is malformed");
		x = der_in(&t);
		if ((t.tag == 0xa0 && der_take(&x, 0x06, &curve)) ||
		    (t.tag == 0xa1 && der_take(&x, 0x03, &pub)))
			return fail(err, errlen, "the EC private key is malformed");
	}
	if (!curve.v && curve8)
		curve = *curve8;
	if (!curve.v || (curve8 && (curve.len != curve8->len ||
				    memcmp(curve.v, curve8->v, curve.len))))
		return fail(err, errlen, "the EC private key does not name its curve");
	if ((id = wc_ecc_get_curve_id_from_oid(curve.v, (word32)curve.len)) < 0) {
		char dotted[64];

		oid_text(&curve, dotted, sizeof(dotted));
		return fail(err, errlen, "EC curve %s is not supported", dotted);
	}
	if (pub.v && (pub.len < 2 || pub.v[0] != 0))
		return fail(err, errlen, "the EC private key is malformed");
	if (key_init(k, ECC_TYPE) ||
	    wc_ecc_import_private_key_ex(priv.v, (word32)priv.len, pub.v ? pub.v + 1 : NULL,
					 pub.v ? (word32)pub.len - 1 : 0, &k->ecc, id) ||
	    (!pub.v && key_ec_public(k)) || wc_ecc_check_key(&k->ecc))
		return fail(err, errlen, "the EC private key is malformed");
	return 0;
}

/* PrivateKeyInfo (PKCS#8): an RSA or EC key inside. */
static int
key_pkcs8_in(struct key *k, const struct tlv *seq, char *err, size_t errlen)
{
	struct der d = der_in(seq), a;
	struct tlv ver, alg, oid, prm = { 0 }, priv;
	char dotted[64];

	if (der_take(&d, 0x02, &ver) || der_take(&d, 0x30, &alg) || der_take(&d, 0x04, &priv))
		return fail(err, errlen, "the PKCS#8 private key is malformed");
	a = der_in(&alg);
	if (der_take(&a, 0x06, &oid) || (!der_done(&a) && der_get(&a, &prm)))
		return fail(err, errlen, "the PKCS#8 private key is malformed");
	if (OID_IS(&oid, OID_RSA))
		return key_rsa(k, priv.v, priv.len, err, errlen);
	if (OID_IS(&oid, OID_EC))
		return prm.tag == 0x06 ? key_ec(k, priv.v, priv.len, &prm, err, errlen) :
		       fail(err, errlen, "EC keys with explicit curve parameters are not supported");
	oid_text(&oid, dotted, sizeof(dotted));
	return fail(err, errlen, "private keys of algorithm %s are not supported (RSA or EC)",
		    dotted);
}

/* A private key in DER: PKCS#8, PKCS#1 RSA or SEC1 EC, told apart by shape. */
static int
key_decode(const u8 *der, size_t len, struct key **out, char *err, size_t errlen)
{
	struct der d = { der, der + len }, in;
	struct tlv seq, ver, second;
	struct key *k;
	int r;

	*out = NULL;
	if (der_take(&d, 0x30, &seq) || !der_done(&d))
		return fail(err, errlen, "not a private key");
	in = der_in(&seq);
	if (der_take(&in, 0x02, &ver) || der_get(&in, &second))
		return fail(err, errlen, "not a private key");
	if (!(k = key_new()))
		return fail(err, errlen, "out of memory");
	if (second.tag == 0x30)
		r = key_pkcs8_in(k, &seq, err, errlen);
	else if (second.tag == 0x02)
		r = key_rsa(k, der, len, err, errlen);
	else if (second.tag == 0x04)
		r = key_ec(k, der, len, NULL, err, errlen);
	else
		r = fail(err, errlen, "not a private key");
	if (r) {
		key_free(k);
		return -1;
	}
	*out = k;
	return 0;
}

/* The key as unencrypted PKCS#8 DER. */
static int
key_pkcs8(struct key *k, struct buf *out, char *err, size_t errlen)
{
	u8 pkcs1[4096];
	word32 sz = 0;
	int n, r;

	if (k->type == ECC_TYPE) {
		if (wc_EccKeyToPKCS8(&k->ecc, NULL, &sz) != LENGTH_ONLY_E || buf_room(out, sz))
			return fail(err, errlen, "the EC key does not encode");
		r = wc_EccKeyToPKCS8(&k->ecc, out->p, &sz);
	} else {
		if ((n = wc_RsaKeyToDer(&k->rsa, pkcs1, sizeof(pkcs1))) <= 0)
			return fail(err, errlen, "the RSA key does not encode (%s)", wolf_why(n));
		r = wc_CreatePKCS8Key(NULL, &sz, pkcs1, (word32)n, RSAk, NULL, 0);
		if (r != LENGTH_ONLY_E || buf_room(out, sz))
			r = -1;
		else
			r = wc_CreatePKCS8Key(out->p, &sz, pkcs1, (word32)n, RSAk, NULL, 0);
		explicit_bzero(pkcs1, sizeof(pkcs1));
	}
	if (r <= 0)
		return fail(err, errlen, "the key does not encode as PKCS#8 (%s)", wolf_why(r));
	out->len = (size_t)r;
	return 0;
}

/* The first unencrypted private key in PEM text. */
static int
key_from_pem(const char *pem, struct key **out, char *err, size_t errlen)
{
	struct buf der = { 0 };
	struct pem b;
	char v[64];
	int r;

	*out = NULL;
	if (!pem)
		return fail(err, errlen, "no private key given");
	if ((r = pem_first(pem, is_key_label, &b, &der, err, errlen)) != 0) {
		buf_free(&der);
		return r < 0 ? -1 : fail(err, errlen, "no private key in the PEM text");
	}
	if (!strcmp(b.label, "ENCRYPTED PRIVATE KEY") ||
	    (!pem_header(&b, "Proc-Type", v, sizeof(v)) && strstr(v, "ENCRYPTED")))
		r = fail(err, errlen, "the private key is encrypted");
	else
		r = key_decode(der.p, der.len, out, err, errlen);
	buf_free(&der);
	return r;
}

/* 1 when both keys have the same public key. */
static int
key_same_public(struct key *a, struct key *b)
{
	u8 x[1100], y[1100], ex[16], ey[16];
	word32 xs = sizeof(x), ys = sizeof(y), exs = sizeof(ex), eys = sizeof(ey);

	if (a->type != b->type)
		return 0;
	if (a->type == RSA_TYPE)
		return !wc_RsaFlattenPublicKey(&a->rsa, ex, &exs, x, &xs) &&
		       !wc_RsaFlattenPublicKey(&b->rsa, ey, &eys, y, &ys) && xs == ys &&
		       exs == eys && !memcmp(x, y, xs) && !memcmp(ex, ey, exs);
	return a->ecc.dp && b->ecc.dp && a->ecc.dp->id == b->ecc.dp->id &&
	       !wc_ecc_export_x963(&a->ecc, x, &xs) && !wc_ecc_export_x963(&b->ecc, y, &ys) &&
	       xs == ys && !memcmp(x, y, xs);
}

/* key_size as print shows it: bits, or the curve's name. */
static void
key_describe(struct key *k, char *type, size_t typelen, char *size, size_t sizelen)
{
	const char *name = NULL;

	if (k->type == RSA_TYPE) {
		snprintf(type, typelen, "rsa");
		snprintf(size, sizelen, "%d", wc_RsaEncryptSize(&k->rsa) * 8);
		return;
	}
	snprintf(type, typelen, "ec");
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (k->ecc.dp && k->ecc.dp->id == curves[i].id)
			name = curves[i].name;
	if (!name && k->ecc.dp)
		name = wc_ecc_get_name(k->ecc.dp->id);
	snprintf(size, sizelen, "%s", name ? name : "unknown");
	for (char *p = size; *p; p++)
		*p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
}

/* ---- certificates, as wolfSSL decodes them ---- */

struct cert {
	struct buf der;		/* owned; dc points into it */
	DecodedCert dc;
	int parsed;
};

static void
cert_free(struct cert *c)
{
	if (c->parsed)
		wc_FreeDecodedCert(&c->dc);
	buf_free(&c->der);
	c->parsed = 0;
}

/* Decodes c->der. Unknown critical extensions do not matter for reading. */
static int
cert_parse(struct cert *c, char *err, size_t errlen)
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

static int
cert_from_der(struct cert *c, const u8 *der, size_t len, char *err, size_t errlen)
{
	struct der d = { der, der + len };
	struct tlv t;

	/* OpenSSL's TRUSTED CERTIFICATE adds trust settings after the certificate. */
	if (der_take(&d, 0x30, &t))
		return fail(err, errlen, "not a valid X.509 certificate");
	buf_add(&c->der, t.start, t.total);
	if (c->der.bad)
		return fail(err, errlen, "out of memory");
	return cert_parse(c, err, errlen);
}

static int
cert_from_pem(const char *pem, struct cert *c, char *err, size_t errlen)
{
	struct buf der = { 0 };
	struct pem b;
	int r;

	if (!pem)
		return fail(err, errlen, "no certificate given");
	if ((r = pem_first(pem, is_cert_label, &b, &der, err, errlen)) == 0)
		r = cert_from_der(c, der.p, der.len, err, errlen);
	else if (r > 0)
		r = fail(err, errlen, "no certificate in the PEM text");
	buf_free(&der);
	return r;
}

static int
cert_public_key(struct cert *c, struct key **out, char *err, size_t errlen)
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

static int
cert_matches_key(struct cert *c, struct key *k)
{
	struct key *pub;
	int same;

	if (cert_public_key(c, &pub, NULL, 0))
		return 0;
	same = key_same_public(pub, k);
	key_free(pub);
	return same;
}

/* 0 when issuer's subject is c's issuer and issuer's key signed c. */
static int
cert_signed_by(struct cert *c, struct cert *issuer, char *err, size_t errlen)
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

/* ---- certificate facts ---- */

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
static int
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
static int
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
cert_extensions(const struct buf *der, struct der *exts)
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
	if (cert_extensions(der, &exts))
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

static void
hex(const u8 *v, size_t n, const char *digits, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < outlen; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * i] = '\0';
}

static int
info_fill(struct cert *c, struct cert_info *out, char *err, size_t errlen)
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
	hex(dc->serial, (size_t)dc->serialSz, "0123456789ABCDEF", out->serial, sizeof(out->serial));
	if (wc_Sha256Hash(c->der.p, (word32)c->der.len, digest))
		return fail(err, errlen, "SHA-256 failed");
	hex(digest, sizeof(digest), "0123456789abcdef", out->fingerprint, sizeof(out->fingerprint));
	out->is_ca = dc->isCA;
	out->self_signed = dc->issuerRawLen == dc->subjectRawLen &&
			   !memcmp(dc->issuerRaw, dc->subjectRaw, (size_t)dc->subjectRawLen);
	if (!cert_public_key(c, &pub, NULL, 0)) {
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
cert_get_info(const char *cert_pem, struct cert_info *out, char *err, size_t errlen)
{
	struct cert c = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = cert_from_pem(cert_pem, &c, err, errlen) || info_fill(&c, out, err, errlen) ? -1 : 0;
	cert_free(&c);
	return rc;
}

int
cert_key_matches(const char *cert_pem, const char *key_pem)
{
	struct cert c = { 0 };
	struct key *k = NULL;
	int same = 0;

	if (!cert_from_pem(cert_pem, &c, NULL, 0) && !key_from_pem(key_pem, &k, NULL, 0))
		same = cert_matches_key(&c, k);
	key_free(k);
	cert_free(&c);
	return same;
}

int
cert_verify(const char *cert_pem, const char *ca_pem, char *err, size_t errlen)
{
	struct cert c = { 0 }, ca = { 0 };
	int rc;

	rc = cert_from_pem(cert_pem, &c, err, errlen) || cert_from_pem(ca_pem, &ca, err, errlen) ||
	     cert_signed_by(&c, &ca, err, errlen) ? -1 : 0;
	cert_free(&c);
	cert_free(&ca);
	return rc;
}

/* ---- making keys and certificates ---- */

int
cert_make_key(const char *key_type, const char *key_size, char **key_pem, char *err,
	      size_t errlen)
{
	struct key *k = NULL;
	struct buf der = { 0 };
	WC_RNG rng;
	int bits, curve, rc = -1;

	*key_pem = NULL;
	if (key_spec(key_type, key_size, &bits, &curve, err, errlen) || rng_open(&rng, err, errlen))
		return -1;
	if (!key_generate(bits, curve, &rng, &k, err, errlen) && !key_pkcs8(k, &der, err, errlen))
		rc = pem_out(der.p, der.len, PKCS8_PRIVATEKEY_TYPE, key_pem, err, errlen);
	buf_free(&der);
	key_free(k);
	wc_FreeRng(&rng);
	return rc;
}

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
tpl_subject(Cert *c, const struct cert_template *t, char *err, size_t errlen)
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
static int
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

static int
tpl_apply(Cert *c, const struct cert_template *t, char *err, size_t errlen)
{
	return tpl_subject(c, t, err, errlen) || tpl_serial(c, t->serial, err, errlen) ||
	       tpl_validity(c, t->days_valid, err, errlen) ||
	       tpl_usage(c, t->key_usage, err, errlen) ||
	       tpl_san(c, t->subject_alt_name, err, errlen) ? -1 : 0;
}

/* Issuer, subject key id and authority key id. The issuer is the CA
 * certificate's subject byte for byte (wc_SetIssuerRaw; wc_SetIssuerBuffer
 * would rebuild it from wolfSSL's fixed set of fields and could reorder or
 * drop some). The authority key id is the CA's subject key id as written in
 * the CA; only when the CA has none is it derived from the CA's key. */
static int
cert_ids(Cert *c, struct key *subj, struct cert *ca, struct key *cakey, char *err,
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
cert_sign(Cert *c, struct key *subj, struct key *signer, WC_RNG *rng, struct cert *out,
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
	return cert_parse(out, err, errlen);
}

static int
issuer_load(const char *ca_pem, const char *ca_key_pem, struct cert *ca, struct key **cakey,
	    char *err, size_t errlen)
{
	if (cert_from_pem(ca_pem, ca, err, errlen) || key_from_pem(ca_key_pem, cakey, err, errlen))
		return -1;
	if (!ca->dc.isCA)
		return fail(err, errlen, "the CA certificate is no certificate authority (CA:FALSE)");
	if (!cert_matches_key(ca, *cakey))
		return fail(err, errlen, "the CA's private key does not belong to its certificate");
	return 0;
}

/* Makes the certificate and proves it: it must verify with its issuer. */
static int
issue(const struct cert_template *tpl, struct key *subj, struct cert *ca, struct key *cakey,
      struct cert *out, char *err, size_t errlen)
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
		    !cert_ids(c, subj, ca, cakey, err, errlen) &&
		    !cert_sign(c, subj, cakey ? cakey : subj, &rng, out, err, errlen))
			rc = cert_signed_by(out, ca ? ca : out, err, errlen);
		wc_FreeRng(&rng);
	}
	explicit_bzero(c, sizeof(*c));
	free(c);
	return rc;
}

int
cert_issue(const struct cert_template *tpl, const char *key_pem, const char *ca_cert_pem,
	   const char *ca_key_pem, char **cert_pem, char *err, size_t errlen)
{
	struct cert ca = { 0 }, out = { 0 };
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
	cert_free(&out);
	cert_free(&ca);
	key_free(subj);
	key_free(cakey);
	return rc;
}

/* ---- password-based encryption ---- */

/* RC2's key-expansion permutation, the table of RFC 2268 section 2. Only
 * decryption is here: for the certificates of PKCS#12 files written with
 * pbeWithSHAAnd40BitRC2-CBC, which wolfSSL 5.5 cannot read. */
static const u8 rc2_pi[256] = {
	0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
	0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
	0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
	0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
	0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
	0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
	0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
	0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
	0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
	0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
	0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
	0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
	0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
	0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
	0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
	0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
};

/* RFC 2268 key expansion: len bytes of key, bits effective key bits. */
static void
rc2_expand(uint16_t k[64], const u8 *key, size_t len, unsigned bits)
{
	u8 l[128];
	size_t t8 = (bits + 7) / 8;
	unsigned tm = 0xffu >> (8 * t8 - bits);

	memcpy(l, key, len);
	for (size_t i = len; i < 128; i++)
		l[i] = rc2_pi[(l[i - 1] + l[i - len]) & 0xff];
	l[128 - t8] = rc2_pi[l[128 - t8] & tm];
	for (size_t i = 128 - t8; i-- > 0;)
		l[i] = rc2_pi[l[i + 1] ^ l[i + t8]];
	for (int i = 0; i < 64; i++)
		k[i] = (uint16_t)(l[2 * i] | l[2 * i + 1] << 8);
	explicit_bzero(l, sizeof(l));
}

/* One block backwards: 5 mixing rounds, a mash, 6, a mash, 5, all undone. */
static void
rc2_decrypt_block(const uint16_t k[64], u8 b[8])
{
	static const int s[4] = { 1, 2, 3, 5 };
	uint16_t r[4];
	int j = 63;

	for (int i = 0; i < 4; i++)
		r[i] = (uint16_t)(b[2 * i] | b[2 * i + 1] << 8);
	for (int round = 15; round >= 0; round--) {
		for (int i = 3; i >= 0; i--) {
			uint16_t x = (uint16_t)(r[i] >> s[i] | r[i] << (16 - s[i]));

			r[i] = (uint16_t)(x - k[j--] - (r[(i + 3) & 3] & r[(i + 2) & 3]) -
					  ((uint16_t)~r[(i + 3) & 3] & r[(i + 1) & 3]));
		}
		if (round == 11 || round == 5)
			for (int i = 3; i >= 0; i--)
				r[i] = (uint16_t)(r[i] - k[r[(i + 3) & 3] & 63]);
	}
	for (int i = 0; i < 4; i++) {
		b[2 * i] = (u8)r[i];
		b[2 * i + 1] = (u8)(r[i] >> 8);
	}
}

static void
rc2_cbc_decrypt(const u8 *key, size_t keylen, unsigned bits, const u8 *iv, u8 *data,
		size_t len)
{
	uint16_t k[64];
	u8 prev[8], ct[8];

	rc2_expand(k, key, keylen, bits);
	memcpy(prev, iv, 8);
	for (size_t i = 0; i + 8 <= len; i += 8) {
		memcpy(ct, data + i, 8);
		rc2_decrypt_block(k, data + i);
		for (int n = 0; n < 8; n++)
			data[i + n] ^= prev[n];
		memcpy(prev, ct, 8);
	}
	explicit_bzero(k, sizeof(k));
}

enum { ALG_AES, ALG_DES3, ALG_RC2 };

struct cipher {
	int alg;
	size_t keylen, block;
	unsigned rc2bits;	/* effective key bits for RC2 */
};

/* CBC-decrypts data in place and strips the PKCS#7 padding from *len.
 * A pad that does not check is what a wrong passphrase looks like. */
static int
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
static int
spend(long *budget, long iter, int times, char *err, size_t errlen)
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
static void
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

/* The input of one decryption: what it may spend and the passphrase. */
struct pbe {
	const char *pass;	/* for PBES2: its bytes */
	struct buf bmp;		/* for PKCS#12 PBEs: as BMPString */
	long budget;
};

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
	if (spend(&pb->budget, iter, 2, err, errlen))
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
	if (spend(&pb->budget, iter, 1, err, errlen))
		return -1;
	r = wc_PBKDF2(key, (const byte *)pb->pass, (int)strlen(pb->pass), salt.v, (int)salt.len,
		      (int)iter, (int)ci->keylen, hash) ||
	    cbc_decrypt(ci, key, iv.v, data->p, &data->len);
	explicit_bzero(key, sizeof(key));
	return r ? fail(err, errlen, "wrong passphrase or corrupt key") : 0;
}

/* Decrypts data in place with the AlgorithmIdentifier alg. */
static int
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
static int
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
static int
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
static int
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
cert_key_encrypt(const char *key_pem, const char *pass, char **out, char *err, size_t errlen)
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

/* ---- import ---- */

struct imp {
	struct cert_bundle *out;
	struct pbe pb;
	char *err;
	size_t errlen;
	int nopass;		/* no passphrase was given (PKCS#12 then tries "") */
};

static int
imp_push(struct imp *im, char ***list, int *n, char *pem)
{
	char **l;

	if (*n >= ITEMS_MAX || !(l = realloc(*list, sizeof(*l) * (size_t)(*n + 1)))) {
		explicit_bzero(pem, strlen(pem));
		free(pem);
		return fail(im->err, im->errlen, "more than %d certificates or keys in one file",
			    ITEMS_MAX);
	}
	*list = l;
	l[(*n)++] = pem;
	return 0;
}

static int
imp_cert(struct imp *im, const u8 *der, size_t len)
{
	struct cert c = { 0 };
	char *pem = NULL;
	int rc;

	rc = cert_from_der(&c, der, len, im->err, im->errlen) ||
	     pem_out(c.der.p, c.der.len, CERT_TYPE, &pem, im->err, im->errlen) ? -1 :
	     imp_push(im, &im->out->certs, &im->out->ncerts, pem);
	cert_free(&c);
	return rc;
}

static int
imp_key(struct imp *im, const u8 *der, size_t len)
{
	struct key *k = NULL;
	struct buf pk8 = { 0 };
	char *pem = NULL;
	int rc;

	rc = key_decode(der, len, &k, im->err, im->errlen) ||
	     key_pkcs8(k, &pk8, im->err, im->errlen) ||
	     pem_out(pk8.p, pk8.len, PKCS8_PRIVATEKEY_TYPE, &pem, im->err, im->errlen) ? -1 :
	     imp_push(im, &im->out->keys, &im->out->nkeys, pem);
	buf_free(&pk8);
	key_free(k);
	return rc;
}

/* A key that decrypted: anything but a key means the passphrase was wrong. */
static int
imp_decrypted_key(struct imp *im, const struct buf *plain)
{
	struct key *k = NULL;

	if (key_decode(plain->p, plain->len, &k, NULL, 0))
		return fail(im->err, im->errlen, "wrong passphrase or corrupt key");
	key_free(k);
	return imp_key(im, plain->p, plain->len);
}

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

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Exactly n bytes of hex, and nothing after them. */
static int
hex_bytes(const char *s, u8 *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(s[2 * i]), lo = hi < 0 ? -1 : hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (u8)(hi << 4 | lo);
	}
	return s[2 * n] ? -1 : 0;
}

/* A "Proc-Type: 4,ENCRYPTED" PKCS#1 or SEC1 key, decrypted in place. */
static int
pem_legacy_decrypt(struct imp *im, const struct pem *b, struct buf *data)
{
	const struct legacy *lg = NULL;
	char dek[128], *comma;
	u8 iv[16], key[32];
	int r;

	if (pem_header(b, "DEK-Info", dek, sizeof(dek)) || !(comma = strchr(dek, ',')))
		return fail(im->err, im->errlen, "encrypted PEM key without a DEK-Info header");
	*comma = '\0';
	for (size_t i = 0; i < sizeof(legacies) / sizeof(legacies[0]); i++)
		if (!strcasecmp(dek, legacies[i].name))
			lg = &legacies[i];
	if (!lg)
		return fail(im->err, im->errlen, "PEM encryption %s is not supported", dek);
	if (hex_bytes(comma + 1, iv, lg->ivlen))
		return fail(im->err, im->errlen, "malformed DEK-Info header");
	if (!im->pb.pass || !*im->pb.pass)
		return fail(im->err, im->errlen, "the private key is encrypted: give its passphrase");
	r = bytes_to_key(im->pb.pass, iv, key, lg->ci.keylen) ||
	    cbc_decrypt(&lg->ci, key, iv, data->p, &data->len);
	explicit_bzero(key, sizeof(key));
	return r ? fail(im->err, im->errlen, "wrong passphrase or corrupt key") : 0;
}

static int
pem_import_block(struct imp *im, const struct pem *b)
{
	struct buf der = { 0 }, plain = { 0 };
	char v[64];
	int rc;

	if (!is_cert_label(b->label) && !is_key_label(b->label))
		return 0;	/* EC PARAMETERS, CERTIFICATE REQUEST ...: not ours */
	if (pem_body(b, &der, im->err, im->errlen))
		rc = -1;
	else if (is_cert_label(b->label))
		rc = imp_cert(im, der.p, der.len);
	else if (!strcmp(b->label, "ENCRYPTED PRIVATE KEY"))
		rc = epki_decrypt(&im->pb, der.p, der.len, &plain, im->err, im->errlen) ? -1 :
		     imp_decrypted_key(im, &plain);
	else if (!pem_header(b, "Proc-Type", v, sizeof(v)) && strstr(v, "ENCRYPTED"))
		rc = pem_legacy_decrypt(im, b, &der) ? -1 : imp_decrypted_key(im, &der);
	else
		rc = imp_key(im, der.p, der.len);
	buf_free(&der);
	buf_free(&plain);
	return rc;
}

static int
pem_import(struct imp *im, const char *text, size_t len)
{
	const char *pos = text, *end = text + len;
	struct pem b;
	int r;

	while ((r = pem_next(&pos, end, &b, im->err, im->errlen)) > 0)
		if (pem_import_block(im, &b))
			return -1;
	return r;
}

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
	if (spend(&im->pb.budget, iter, 1, im->err, im->errlen))
		return -1;
	if (p12_mac_ok(mh, &im->pb.bmp, &salt, iter, data, len, &digest))
		return 0;
	/* An empty passphrase is also written as no bytes at all (OpenSSL's
	 * NULL password); wolfSSL's KDF may refuse that, which is a mismatch. */
	if (!*im->pb.pass && !spend(&im->pb.budget, iter, 1, im->err, im->errlen) &&
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
static int
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
static int
looks_pfx(const u8 *data, size_t len)
{
	struct der d = { data, data + len }, in, a;
	struct tlv pfx, ver, auth, type;
	long v;

	return !der_take(&d, 0x30, &pfx) && (in = der_in(&pfx), !der_take(&in, 0x02, &ver)) &&
	       !der_small(&ver, &v) && v == 3 && !der_take(&in, 0x30, &auth) &&
	       (a = der_in(&auth), !der_take(&a, 0x06, &type));
}

/* SEQUENCE { AlgorithmIdentifier, OCTET STRING }: an encrypted PKCS#8 key. */
static int
looks_epki(const u8 *data, size_t len)
{
	struct der d = { data, data + len }, in;
	struct tlv seq, alg, oct;

	return !der_take(&d, 0x30, &seq) && der_done(&d) && (in = der_in(&seq), 1) &&
	       !der_take(&in, 0x30, &alg) && !der_take(&in, 0x04, &oct) && der_done(&in);
}

/* BER with indefinite lengths (Java, some Windows exports) made DER. */
static int
ber_to_der(const u8 *data, size_t len, struct buf *out)
{
	word32 sz = 0;

	if (wc_BerToDer(data, (word32)len, NULL, &sz) != LENGTH_ONLY_E || sz > BUF_MAX ||
	    buf_room(out, sz) || wc_BerToDer(data, (word32)len, out->p, &sz) != 0)
		return -1;
	out->len = sz;
	return 0;
}

/* Binary input: a PKCS#12 file, else one DER certificate or key. */
static int
der_import(struct imp *im, const u8 *data, size_t len)
{
	struct buf der = { 0 }, plain = { 0 };
	struct cert c = { 0 };
	struct key *k = NULL;
	int rc;

	if (len > 2 && data[1] == 0x80 && !ber_to_der(data, len, &der)) {
		rc = looks_pfx(der.p, der.len) ? p12_import(im, der.p, der.len) :
		     fail(im->err, im->errlen, "not a PKCS#12 file");
		buf_free(&der);
		return rc;
	}
	if (looks_pfx(data, len))
		return p12_import(im, data, len);
	if (!cert_from_der(&c, data, len, NULL, 0) && c.der.len == len)
		rc = imp_cert(im, data, len);
	else if (!key_decode(data, len, &k, NULL, 0))
		rc = imp_key(im, data, len);
	else if (looks_epki(data, len))
		rc = epki_decrypt(&im->pb, data, len, &plain, im->err, im->errlen) ? -1 :
		     imp_decrypted_key(im, &plain);
	else
		rc = fail(im->err, im->errlen, "not a PEM file, PKCS#12 file, certificate or key");
	cert_free(&c);
	key_free(k);
	buf_free(&plain);
	return rc;
}

void
cert_bundle_free(struct cert_bundle *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->ncerts; i++)
		free(b->certs[i]);
	for (int i = 0; i < b->nkeys; i++) {
		explicit_bzero(b->keys[i], strlen(b->keys[i]));
		free(b->keys[i]);
	}
	free(b->certs);
	free(b->keys);
	memset(b, 0, sizeof(*b));
}

int
cert_import(const unsigned char *data, size_t len, const char *pass, struct cert_bundle *out,
	    char *err, size_t errlen)
{
	struct imp im = { out, { pass, { 0 }, ITER_BUDGET }, err, errlen, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (!data || len == 0)
		return fail(err, errlen, "the file is empty");
	if (len > IMPORT_MAX)
		return fail(err, errlen, "the file is larger than 16 MiB");
	pass_bmp(pass ? pass : "", &im.pb.bmp);
	if (memmem(data, len, "-----BEGIN ", 11))
		rc = pem_import(&im, (const char *)data, len);
	else if (data[0] == 0x30)
		rc = der_import(&im, data, len);
	else
		rc = fail(err, errlen, "not a PEM file, PKCS#12 file, certificate or key");
	if (!rc && out->ncerts + out->nkeys == 0)
		rc = fail(err, errlen, "no certificate or private key in the file");
	buf_free(&im.pb.bmp);
	if (rc)
		cert_bundle_free(out);
	return rc;
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
p12_put_cert(struct buf *out, const struct cert *c, const struct buf *attrs)
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
p12_auth(struct buf *auth, struct cert *c, struct cert *ca, const struct buf *pk8,
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
p12_build(struct buf *out, struct cert *c, struct cert *ca, const struct buf *pk8,
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
cert_pkcs12(const char *cert_pem, const char *key_pem, const char *ca_pem, const char *pass,
	    unsigned char **der, size_t *len, char *err, size_t errlen)
{
	struct cert c = { 0 }, ca = { 0 };
	struct key *k = NULL;
	struct buf pk8 = { 0 }, out = { 0 };
	WC_RNG rng;
	int rc = -1;

	*der = NULL;
	*len = 0;
	pass = pass ? pass : "";
	if (cert_from_pem(cert_pem, &c, err, errlen) || key_from_pem(key_pem, &k, err, errlen) ||
	    (ca_pem && cert_from_pem(ca_pem, &ca, err, errlen)))
		goto out;
	if (!cert_matches_key(&c, k)) {
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
	cert_free(&c);
	cert_free(&ca);
	return rc;
}
