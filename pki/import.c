/* import.c: certificate files in: PEM text (certificates, plain and
 * encrypted keys), or binary (PKCS#12, one DER certificate or key, an
 * encrypted PKCS#8 key), told apart by their bytes. What is found comes out
 * as PEM: certificates as they are, keys as unencrypted PKCS#8. */
#include <stdlib.h>
#include <string.h>

#include "pki_int.h"

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

int
imp_cert(struct imp *im, const u8 *der, size_t len)
{
	struct x509 c = { 0 };
	char *pem = NULL;
	int rc;

	rc = x509_from_der(&c, der, len, im->err, im->errlen) ||
	     pem_out(c.der.p, c.der.len, CERT_TYPE, &pem, im->err, im->errlen) ? -1 :
	     imp_push(im, &im->out->certs, &im->out->ncerts, pem);
	x509_free(&c);
	return rc;
}

int
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
int
imp_decrypted_key(struct imp *im, const struct buf *plain)
{
	struct key *k = NULL;

	if (key_decode(plain->p, plain->len, &k, NULL, 0))
		return fail(im->err, im->errlen, "wrong passphrase or corrupt key");
	key_free(k);
	return imp_key(im, plain->p, plain->len);
}

static int
pem_import_block(struct imp *im, const struct pem *b)
{
	struct buf der = { 0 }, plain = { 0 };
	int rc;

	if (!pki_pem_is_cert(b->label) && !pki_pem_is_key(b->label))
		return 0;	/* EC PARAMETERS, CERTIFICATE REQUEST ...: not ours */
	if (pem_body(b, &der, im->err, im->errlen))
		rc = -1;
	else if (pki_pem_is_cert(b->label))
		rc = imp_cert(im, der.p, der.len);
	else if (!strcmp(b->label, "ENCRYPTED PRIVATE KEY"))
		rc = epki_decrypt(&im->pb, der.p, der.len, &plain, im->err, im->errlen) ? -1 :
		     imp_decrypted_key(im, &plain);
	else if (pem_encrypted(b))
		rc = pem_legacy_decrypt(b, im->pb.pass, &der, im->err, im->errlen) ? -1 :
		     imp_decrypted_key(im, &der);
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
	struct x509 c = { 0 };
	struct key *k = NULL;
	int rc;

	if (len > 2 && data[1] == 0x80 && !ber_to_der(data, len, &der)) {
		rc = p12_looks(der.p, der.len) ? p12_import(im, der.p, der.len) :
		     fail(im->err, im->errlen, "not a PKCS#12 file");
		buf_free(&der);
		return rc;
	}
	if (p12_looks(data, len))
		return p12_import(im, data, len);
	if (!x509_from_der(&c, data, len, NULL, 0) && c.der.len == len)
		rc = imp_cert(im, data, len);
	else if (!key_decode(data, len, &k, NULL, 0))
		rc = imp_key(im, data, len);
	else if (looks_epki(data, len))
		rc = epki_decrypt(&im->pb, data, len, &plain, im->err, im->errlen) ? -1 :
		     imp_decrypted_key(im, &plain);
	else
		rc = fail(im->err, im->errlen, "not a PEM file, PKCS#12 file, certificate or key");
	x509_free(&c);
	key_free(k);
	buf_free(&plain);
	return rc;
}

void
pki_bundle_free(struct pki_bundle *b)
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
pki_import(const unsigned char *data, size_t len, const char *pass, struct pki_bundle *out,
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
		pki_bundle_free(out);
	return rc;
}
