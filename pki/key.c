/* key.c: private keys: made (RSA or EC, RouterOS's key-type and key-size),
 * read from every DER form a file may hold (PKCS#8, PKCS#1, SEC1), written
 * as PKCS#8, compared and described. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pki_int.h"

static const u8 OID_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const u8 OID_EC[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };

static const struct curve {
	const char *name;	/* RouterOS's key-size */
	int id;
} curves[] = {
	{ "prime256v1", ECC_SECP256R1 },
	{ "secp384r1", ECC_SECP384R1 },
	{ "secp521r1", ECC_SECP521R1 },
};

struct key *
key_new(void)
{
	return calloc(1, sizeof(struct key));
}

void
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

void *
key_ptr(struct key *k)
{
	return k->type == RSA_TYPE ? (void *)&k->rsa : (void *)&k->ecc;
}

int
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
		if (strcmp(size, "1024") && strcmp(size, "1536") && strcmp(size, "2048") &&
		    strcmp(size, "3072") && strcmp(size, "4096"))
			return fail(err, errlen, "key-size %s does not fit key-type rsa, or is not "
				    "made here (1024, 1536, 2048, 3072 or 4096)", size);
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
int
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
int
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
int
key_from_pem(const char *pem, struct key **out, char *err, size_t errlen)
{
	struct buf der = { 0 };
	struct pem b;
	int r;

	*out = NULL;
	if (!pem)
		return fail(err, errlen, "no private key given");
	if ((r = pem_first(pem, pki_pem_is_key, &b, &der, err, errlen)) != 0) {
		buf_free(&der);
		return r < 0 ? -1 : fail(err, errlen, "no private key in the PEM text");
	}
	if (!strcmp(b.label, "ENCRYPTED PRIVATE KEY") || pem_encrypted(&b))
		r = fail(err, errlen, "the private key is encrypted");
	else
		r = key_decode(der.p, der.len, out, err, errlen);
	buf_free(&der);
	return r;
}

/* 1 when both keys have the same public key. */
int
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
void
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

int
pki_make_key(const char *key_type, const char *key_size, char **key_pem, char *err,
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
