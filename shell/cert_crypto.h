/* cert_crypto.h: keys and X.509 certificates with wolfSSL, as PEM text.
 * Pure functions: no database, no console. Errors are written into err
 * (a sentence an admin can read) and the function returns -1. */
#ifndef CERT_CRYPTO_H
#define CERT_CRYPTO_H

#include <stddef.h>

/* What /certificate add holds, in RouterOS terms. */
struct cert_template {
	const char *common_name;	/* CN; may be NULL */
	const char *country, *state, *locality, *organization, *unit;
	const char *subject_alt_name;	/* "DNS:a.example,IP:10.0.0.1,email:x@y" or NULL */
	const char *key_type;		/* "rsa" or "ec" */
	const char *key_size;		/* "1024" "2048" "4096" or "prime256v1" "secp384r1" "secp521r1" */
	int days_valid;
	const char *key_usage;		/* comma list: digital-signature, key-encipherment,
					 * data-encipherment, key-agreement, key-cert-sign, crl-sign,
					 * content-commitment, encipher-only, decipher-only, and the
					 * extended ones tls-server, tls-client, code-sign,
					 * email-protect, timestamp, ocsp-sign */
	long long serial;		/* positive; unique per issuing CA */
};

/* What print detail shows of a certificate. Times are UTC,
 * "YYYY-MM-DD HH:MM:SS". */
struct cert_info {
	char subject_cn[256];
	char subject[512];		/* "CN=x,O=y" */
	char issuer[512];
	char serial[64];		/* hex */
	char fingerprint[96];		/* SHA-256, lower-case hex, no separators */
	char not_before[32], not_after[32];
	long long not_before_epoch, not_after_epoch;
	int is_ca;			/* basicConstraints CA:TRUE */
	int self_signed;		/* issuer equals subject */
	char key_type[8];		/* "rsa" or "ec" */
	char key_size[16];		/* "2048" or "prime256v1" ... */
	char san[1024];			/* "DNS:a,IP:1.2.3.4" as it is in the certificate */
};

/* A new private key, PEM (PKCS#8, unencrypted). */
int cert_make_key(const char *key_type, const char *key_size, char **key_pem,
		  char *err, size_t errlen);

/* A certificate for tpl whose public key is key_pem's. Signed by the CA given
 * by ca_cert_pem/ca_key_pem, or self-signed when they are NULL. With
 * key-cert-sign in key_usage it is a CA (basicConstraints CA:TRUE, critical).
 * Extended key usage from tls-server/tls-client/...; SAN from
 * subject_alt_name; signature SHA-256. The issuer name is the CA's subject. */
int cert_issue(const struct cert_template *tpl, const char *key_pem,
	       const char *ca_cert_pem, const char *ca_key_pem, char **cert_pem,
	       char *err, size_t errlen);

int cert_get_info(const char *cert_pem, struct cert_info *out, char *err, size_t errlen);

/* 1 when key_pem is the private key of cert_pem's public key, else 0. */
int cert_key_matches(const char *cert_pem, const char *key_pem);

/* 0 when cert_pem's signature verifies with ca_pem's public key and the CA's
 * subject is its issuer; -1 otherwise. */
int cert_verify(const char *cert_pem, const char *ca_pem, char *err, size_t errlen);

/* key_pem encrypted with pass as an encrypted PKCS#8 PEM
 * ("-----BEGIN ENCRYPTED PRIVATE KEY-----", PBES2 with AES-256-CBC,
 * PBKDF2-HMAC-SHA256) that `openssl pkey -passin` and OpenVPN read. */
int cert_key_encrypt(const char *key_pem, const char *pass, char **out,
		     char *err, size_t errlen);

/* Everything found in a file: PEM certificates, PEM private keys (PKCS#1
 * RSA, SEC1 EC, PKCS#8, encrypted PKCS#8 and legacy "Proc-Type: 4,ENCRYPTED"
 * with pass), or a DER PKCS#12 (with pass). Certificates come out as PEM,
 * keys as unencrypted PKCS#8 PEM. A wrong or missing passphrase is an error
 * that says so. Input is untrusted: any bytes, any length up to 16 MiB. */
struct cert_bundle {
	char **certs;
	int ncerts;
	char **keys;
	int nkeys;
};
int cert_import(const unsigned char *data, size_t len, const char *pass,
		struct cert_bundle *out, char *err, size_t errlen);
void cert_bundle_free(struct cert_bundle *b);

/* A PKCS#12 (DER) holding cert, key and optionally the CA certificate,
 * protected by pass, that `openssl pkcs12 -info -passin pass:...` opens. */
int cert_pkcs12(const char *cert_pem, const char *key_pem, const char *ca_pem,
		const char *pass, unsigned char **der, size_t *len, char *err, size_t errlen);

#endif
