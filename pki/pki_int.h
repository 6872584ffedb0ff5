/* pki_int.h: what the files of pki/ share among themselves and with nobody
 * else: limits, the byte buffer that is also the DER writer, the DER reader,
 * PEM blocks, keys and certificates as wolfSSL holds them, the
 * password-based ciphers and the state of one import.
 *
 * wolfSSL generates keys, builds and signs certificates, parses certificates
 * and keys and does every cipher, hash and KDF. PEM text and PKCS#12 files
 * are walked by our own small DER reader instead of wolfSSL's readers, for
 * three reasons: the files are untrusted and we want one bounded parser we
 * can fuzz; wolfSSL 5.5 has no RC2, so it cannot open the PKCS#12 files
 * `openssl pkcs12 -export -legacy` and older systems write; and its writers
 * only do PBKDF2 with HMAC-SHA1 (encrypted PKCS#8) and 3DES/RC4 (PKCS#12),
 * where we want PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256, the scheme
 * OpenSSL 3 writes and reads by default. */
#ifndef PKI_INT_H
#define PKI_INT_H

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "pki.h"

#define IMPORT_MAX	(16u << 20)	/* the largest file pki_import reads */
#define BUF_MAX		(64u << 20)	/* no DER we build or decode grows past this */
#define ITEMS_MAX	256		/* certificates, and keys, in one file */
#define PBE_ITER	10000		/* PBKDF2 and PKCS#12 MAC iterations we write */
#define ITER_MAX	1000000		/* the most one KDF in a file may ask for */
#define ITER_BUDGET	4000000L	/* ... and all of a file's KDFs together */
#define NEST_MAX	4		/* nested PKCS#12 SafeContents */
#define SKEW		3600		/* notBefore lies this far back, for clocks */

typedef unsigned char u8;

/* ---- errors ---- */

static inline int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes the sentence into err; always returns -1, so callers can return it. */
static inline int
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
static inline const char *
wolf_why(int code)
{
	const char *s = wc_GetErrorString(code);

	return s ? s : "unknown error";
}

static inline int
rng_open(WC_RNG *rng, char *err, size_t errlen)
{
	if (wc_InitRng(rng))
		return fail(err, errlen, "the random number generator does not start");
	return 0;
}

/* ---- a growing byte buffer, also the DER writer (der.c) ---- */

struct buf {
	u8 *p;
	size_t len, cap;
	int bad;		/* out of memory or over BUF_MAX: all later writes drop */
};

/* Every buffer may hold key material, so it is wiped before it is freed. */
void buf_free(struct buf *b);
int buf_room(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *d, size_t n);
void buf_byte(struct buf *b, u8 c);
/* A tag, a DER length and n bytes of contents. */
void buf_tlv(struct buf *b, u8 tag, const void *d, size_t n);
/* Appends inner wrapped in tag, and frees inner. */
void buf_wrap(struct buf *b, u8 tag, struct buf *inner);
/* A non-negative INTEGER. */
void buf_int(struct buf *b, unsigned long v);
void buf_oid(struct buf *b, const u8 *oid, size_t n);

/* ---- a DER reader: definite lengths, low tag numbers, all bounds checked (der.c) ---- */

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
int der_get(struct der *d, struct tlv *t);
/* The next element, which must have this tag. */
int der_take(struct der *d, u8 tag, struct tlv *t);
/* A reader over t's contents. */
struct der der_in(const struct tlv *t);
int der_done(const struct der *d);
/* The tag of the next element, or -1 at the end. */
int der_peek(const struct der *d);
/* A small non-negative INTEGER (up to 2^31 - 1). */
int der_small(const struct tlv *t, long *v);
int oid_eq(const struct tlv *t, const u8 *oid, size_t n);
#define OID_IS(t, o) oid_eq((t), (o), sizeof(o))
/* An OID in dotted form, for messages. */
void oid_text(const struct tlv *t, char *out, size_t outlen);

/* ---- PEM blocks (pem.c); base64 (codec.c) ---- */

/* Strict base64 between s and e; white space may sit anywhere. */
int b64_decode(const char *s, const char *e, struct buf *out);

struct pem {
	char label[48];			/* "CERTIFICATE", "RSA PRIVATE KEY" ... */
	const char *hdr, *hdr_end;	/* RFC 1421 header lines, or NULL */
	const char *body, *body_end;	/* the base64 text */
};

/* The next PEM block at or after *pos: 1 found, 0 no more, -1 malformed. */
int pem_next(const char **pos, const char *end, struct pem *b, char *err, size_t errlen);
/* The value of header name ("DEK-Info"), trimmed, or -1 when absent. */
int pem_header(const struct pem *b, const char *name, char *val, size_t vallen);
/* 1 when the block is a legacy "Proc-Type: 4,ENCRYPTED" key. */
int pem_encrypted(const struct pem *b);
int pem_body(const struct pem *b, struct buf *der, char *err, size_t errlen);
/* der as PEM text of wolfSSL's type (CERT_TYPE, PKCS8_PRIVATEKEY_TYPE ...). */
int pem_out(const u8 *der, size_t len, int type, char **out, char *err, size_t errlen);
/* The DER of the first block of PEM text whose label passes want(): 0, 1
 * when there is none, -1 when the text is malformed. */
int pem_first(const char *text, int (*want)(const char *), struct pem *b, struct buf *der,
	      char *err, size_t errlen);

/* ---- keys (key.c) ---- */

struct key {
	int type;		/* RSA_TYPE or ECC_TYPE once initialised, else 0 */
	RsaKey rsa;
	ecc_key ecc;
};

struct key *key_new(void);
void key_free(struct key *k);
/* The wolfSSL key object, for the calls that take either kind. */
void *key_ptr(struct key *k);
int key_init(struct key *k, int type);
/* A private key in DER: PKCS#8, PKCS#1 RSA or SEC1 EC, told apart by shape. */
int key_decode(const u8 *der, size_t len, struct key **out, char *err, size_t errlen);
/* The key as unencrypted PKCS#8 DER. */
int key_pkcs8(struct key *k, struct buf *out, char *err, size_t errlen);
/* The first unencrypted private key in PEM text. */
int key_from_pem(const char *pem, struct key **out, char *err, size_t errlen);
/* 1 when both keys have the same public key. */
int key_same_public(struct key *a, struct key *b);
/* key-type and key-size as print shows them: "rsa" and bits, or "ec" and
 * the curve's name. */
void key_describe(struct key *k, char *type, size_t typelen, char *size, size_t sizelen);

/* ---- certificates, as wolfSSL decodes them (x509.c) ---- */

struct x509 {
	struct buf der;		/* owned; dc points into it */
	DecodedCert dc;
	int parsed;
};

void x509_free(struct x509 *c);
/* Decodes c->der. */
int x509_parse(struct x509 *c, char *err, size_t errlen);
int x509_from_der(struct x509 *c, const u8 *der, size_t len, char *err, size_t errlen);
int x509_from_pem(const char *pem, struct x509 *c, char *err, size_t errlen);
int x509_public_key(struct x509 *c, struct key **out, char *err, size_t errlen);
int x509_matches_key(struct x509 *c, struct key *k);
/* 0 when issuer's subject is c's issuer and issuer's key signed c. */
int x509_signed_by(struct x509 *c, struct x509 *issuer, char *err, size_t errlen);
/* A Name's contents (the RDNs, as wolfSSL's subjectRaw) as "CN=x,O=y", and
 * its first CN alone when cn is not NULL. */
int name_text(const u8 *raw, int rawlen, char *out, size_t outlen, char *cn, size_t cnlen);
/* A Time (tag and length included) as epoch seconds and "YYYY-MM-DD HH:MM:SS". */
int info_time(const byte *date, int datelen, long long *epoch, char *out, size_t outlen);
/* A Time for t, tag and length included, as wolfSSL's Cert holds one (issue.c). */
int asn_time(time_t t, byte *out, int *outlen);

/* ---- password-based encryption (pbe.c, rc2.c) ---- */

enum { ALG_AES, ALG_DES3, ALG_RC2 };

struct cipher {
	int alg;
	size_t keylen, block;
	unsigned rc2bits;	/* effective key bits for RC2 */
};

/* CBC-decrypts data in place and strips the PKCS#7 padding from *len. */
int cbc_decrypt(const struct cipher *ci, const u8 *key, const u8 *iv, u8 *data, size_t *len);
void rc2_cbc_decrypt(const u8 *key, size_t keylen, unsigned bits, const u8 *iv, u8 *data,
		     size_t len);

/* The input of one decryption: what it may spend and the passphrase. */
struct pbe {
	const char *pass;	/* for PBES2: its bytes */
	struct buf bmp;		/* for PKCS#12 PBEs: as BMPString */
	long budget;
};

/* Charges iter * times KDF rounds to *budget; -1 when a file asks too much. */
int pbe_spend(long *budget, long iter, int times, char *err, size_t errlen);
/* The passphrase as PKCS#12 KDFs and MACs want it (BMPString). */
void pass_bmp(const char *pass, struct buf *out);
/* Decrypts data in place with the AlgorithmIdentifier alg. */
int pbe_decrypt(struct pbe *pb, const struct tlv *alg, struct buf *data, char *err,
		size_t errlen);
/* EncryptedPrivateKeyInfo to PrivateKeyInfo, in out. */
int epki_decrypt(struct pbe *pb, const u8 *der, size_t len, struct buf *out, char *err,
		 size_t errlen);
/* PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC): AlgorithmIdentifier and ciphertext. */
int pbes2_encrypt(const u8 *plain, size_t len, const char *pass, WC_RNG *rng, struct buf *alg,
		  struct buf *ct);
/* EncryptedPrivateKeyInfo of a PKCS#8 key. */
int epki_encrypt(const struct buf *pk8, const char *pass, WC_RNG *rng, struct buf *out);
/* A "Proc-Type: 4,ENCRYPTED" PKCS#1 or SEC1 key, decrypted in place. */
int pem_legacy_decrypt(const struct pem *b, const char *pass, struct buf *data, char *err,
		       size_t errlen);

/* ---- one import (import.c, pkcs12.c) ---- */

struct imp {
	struct pki_bundle *out;
	struct pbe pb;
	char *err;
	size_t errlen;
	int nopass;		/* no passphrase was given (PKCS#12 then tries "") */
};

int imp_cert(struct imp *im, const u8 *der, size_t len);
int imp_key(struct imp *im, const u8 *der, size_t len);
/* A key that decrypted: anything but a key means the passphrase was wrong. */
int imp_decrypted_key(struct imp *im, const struct buf *plain);
/* SEQUENCE { INTEGER 3, SEQUENCE { OID ... } ...}: the shape of a PFX. */
int p12_looks(const u8 *data, size_t len);
int p12_import(struct imp *im, const u8 *data, size_t len);

#endif
