/* seal.c: sealed blobs, the encryption of /system backup files: a magic of
 * the caller's, a random salt and IV, and the plain bytes under AES-256-GCM
 * with a PBKDF2-SHA256 key; the header is authenticated with the data. */
#include <stdlib.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/pwdbased.h>

#include "pki_int.h"

#define SALT_LEN 16
#define IV_LEN 12
#define TAG_LEN 16
#define HDR_LEN (PKI_SEAL_MAGIC_LEN + SALT_LEN + IV_LEN)
#define KDF_ROUNDS 200000

static int
derive(const char *pass, const unsigned char *salt, unsigned char key[32])
{
	return wc_PBKDF2(key, (const byte *)pass, (int)strlen(pass), salt, SALT_LEN,
			 KDF_ROUNDS, 32, WC_SHA256);
}

/* magic | salt | iv | AES-256-GCM(plain) | tag, with the header as AAD. */
int
pki_seal(const char *magic, const char *pass, const unsigned char *plain, size_t len,
	 unsigned char **out, size_t *outlen)
{
	unsigned char key[32], *o = malloc(HDR_LEN + len + TAG_LEN);
	WC_RNG rng;
	Aes aes;
	int rc = -1;

	if (!o)
		return -1;
	memcpy(o, magic, PKI_SEAL_MAGIC_LEN);
	if (wc_InitRng(&rng))
		goto out;
	rc = wc_RNG_GenerateBlock(&rng, o + PKI_SEAL_MAGIC_LEN, SALT_LEN + IV_LEN);
	wc_FreeRng(&rng);
	if (rc || derive(pass, o + PKI_SEAL_MAGIC_LEN, key) ||
	    wc_AesInit(&aes, NULL, INVALID_DEVID)) {
		rc = -1;
		goto out;
	}
	rc = wc_AesGcmSetKey(&aes, key, 32) ||
	     wc_AesGcmEncrypt(&aes, o + HDR_LEN, plain, (word32)len,
			      o + PKI_SEAL_MAGIC_LEN + SALT_LEN, IV_LEN, o + HDR_LEN + len,
			      TAG_LEN, o, HDR_LEN) ? -1 : 0;
	wc_AesFree(&aes);
out:
	explicit_bzero(key, sizeof(key));
	if (rc) {
		free(o);
		return -1;
	}
	*out = o;
	*outlen = HDR_LEN + len + TAG_LEN;
	return 0;
}

int
pki_unseal(const char *pass, const unsigned char *in, size_t len, unsigned char **out,
	   size_t *outlen)
{
	unsigned char key[32], *o;
	size_t n;
	Aes aes;
	int rc;

	if (len < HDR_LEN + TAG_LEN)
		return -1;
	n = len - HDR_LEN - TAG_LEN;
	if (!(o = malloc(n ? n : 1)))
		return -1;
	if (derive(pass, in + PKI_SEAL_MAGIC_LEN, key) || wc_AesInit(&aes, NULL, INVALID_DEVID)) {
		explicit_bzero(key, sizeof(key));
		free(o);
		return -1;
	}
	rc = wc_AesGcmSetKey(&aes, key, 32) ||
	     wc_AesGcmDecrypt(&aes, o, in + HDR_LEN, (word32)n, in + PKI_SEAL_MAGIC_LEN + SALT_LEN,
			      IV_LEN, in + HDR_LEN + n, TAG_LEN, in, HDR_LEN) ? -1 : 0;
	wc_AesFree(&aes);
	explicit_bzero(key, sizeof(key));
	if (rc) {
		explicit_bzero(o, n);
		free(o);
		return -1;
	}
	*out = o;
	*outlen = n;
	return 0;
}
