/* cert_import_fuzz.c: libFuzzer target for pki_import, the parser of
 * untrusted certificate files (PEM, DER, PKCS#12), and pki_crl_read, that
 * of CRL files. Every input must end in a bundle (a CRL) or a clean error;
 * the bundle is checked and freed either way. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pki.h"

/* A CRL read must describe itself; a failure says why and hands nothing. */
static void
crl_one(const uint8_t *data, size_t size)
{
	struct pki_crl_info in;
	char err[256] = "", *pem = NULL;

	if (pki_crl_read(data, size, &pem, err, sizeof(err)) == 0) {
		if (strncmp(pem, "-----BEGIN X509 CRL-----", 24))
			abort();
		err[0] = '\0';
		if (pki_crl_get_info(pem, &in, err, sizeof(err)) && !err[0])
			abort();
	} else if (!err[0] || pem) {
		abort();
	}
	free(pem);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_bundle b;
	char err[256];

	if (pki_import(data, size, "x", &b, err, sizeof(err)) == 0) {
		/* What comes out must be PEM we can use again. */
		for (int i = 0; i < b.ncerts; i++)
			if (strncmp(b.certs[i], "-----BEGIN CERTIFICATE-----", 27))
				abort();
		for (int i = 0; i < b.nkeys; i++)
			if (strncmp(b.keys[i], "-----BEGIN PRIVATE KEY-----", 27))
				abort();
	} else if (!err[0] || b.ncerts || b.nkeys || b.certs || b.keys) {
		abort();	/* a failure says why and hands nothing back */
	}
	pki_bundle_free(&b);
	crl_one(data, size);
	return 0;
}
