/* cert_import_fuzz.c: libFuzzer target for pki_import, the parser of
 * untrusted certificate files (PEM, DER, PKCS#12). Every input must end in
 * a bundle or a clean error; the bundle is checked and freed either way. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pki.h"

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
	return 0;
}
