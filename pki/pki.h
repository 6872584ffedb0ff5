/* pki.h: the certificate library: keys and X.509 certificates as PEM text,
 * certificate files in (PEM, DER, PKCS#12) and out (encrypted keys,
 * PKCS#12), sealed blobs, and the one hex, base64 and PEM codec of the tree.
 * Pure: libc and wolfSSL, no database, no console. Errors are written into
 * err (a sentence an admin can read) and the function returns -1. */
#ifndef PKI_H
#define PKI_H

#include <stddef.h>

/* ---- certificates and keys ---- */

/* What /certificate add holds, in RouterOS terms. */
struct pki_template {
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
	const char *crl_url;		/* a CRL distribution point URI, or NULL */
};

/* What print detail shows of a certificate. Times are UTC,
 * "YYYY-MM-DD HH:MM:SS". */
struct pki_cert_info {
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
int pki_make_key(const char *key_type, const char *key_size, char **key_pem,
		 char *err, size_t errlen);

/* A certificate for tpl whose public key is key_pem's. Signed by the CA given
 * by ca_cert_pem/ca_key_pem, or self-signed when they are NULL. With
 * key-cert-sign in key_usage it is a CA (basicConstraints CA:TRUE, critical).
 * Extended key usage from tls-server/tls-client/...; SAN from
 * subject_alt_name; signature SHA-256. The issuer name is the CA's subject. */
int pki_issue(const struct pki_template *tpl, const char *key_pem,
	      const char *ca_cert_pem, const char *ca_key_pem, char **cert_pem,
	      char *err, size_t errlen);

int pki_get_info(const char *cert_pem, struct pki_cert_info *out, char *err, size_t errlen);

/* 1 when key_pem is the private key of cert_pem's public key, else 0. */
int pki_key_matches(const char *cert_pem, const char *key_pem);

/* 0 when cert_pem's signature verifies with ca_pem's public key and the CA's
 * subject is its issuer; -1 otherwise. */
int pki_verify(const char *cert_pem, const char *ca_pem, char *err, size_t errlen);

/* key_pem encrypted with pass as an encrypted PKCS#8 PEM
 * ("-----BEGIN ENCRYPTED PRIVATE KEY-----", PBES2 with AES-256-CBC,
 * PBKDF2-HMAC-SHA256) that `openssl pkey -passin` and OpenVPN read. */
int pki_key_encrypt(const char *key_pem, const char *pass, char **out,
		    char *err, size_t errlen);

/* Everything found in a file: PEM certificates, PEM private keys (PKCS#1
 * RSA, SEC1 EC, PKCS#8, encrypted PKCS#8 and legacy "Proc-Type: 4,ENCRYPTED"
 * with pass), or a DER PKCS#12 (with pass). Certificates come out as PEM,
 * keys as unencrypted PKCS#8 PEM. A wrong or missing passphrase is an error
 * that says so. Input is untrusted: any bytes, any length up to 16 MiB. */
struct pki_bundle {
	char **certs;
	int ncerts;
	char **keys;
	int nkeys;
};
int pki_import(const unsigned char *data, size_t len, const char *pass,
	       struct pki_bundle *out, char *err, size_t errlen);
void pki_bundle_free(struct pki_bundle *b);

/* A PKCS#12 (DER) holding cert, key and optionally the CA certificate,
 * protected by pass, that `openssl pkcs12 -info -passin pass:...` opens. */
int pki_pkcs12(const char *cert_pem, const char *key_pem, const char *ca_pem,
	       const char *pass, unsigned char **der, size_t *len, char *err, size_t errlen);

/* ---- certificate revocation lists (crl.c) ---- */

/* One revoked certificate: its serial in hex, as pki_cert_info has it, and
 * when it was revoked (epoch seconds). */
struct pki_revoked {
	const char *serial;
	long long when;
};

/* What /certificate crl shows of a CRL. Times as in pki_cert_info. */
struct pki_crl_info {
	char issuer[512];		/* "CN=x,O=y" */
	char this_update[32], next_update[32];	/* next_update "" when absent */
	long long this_epoch, next_epoch;	/* next_epoch 0 when absent */
	long long number;		/* the cRLNumber extension, -1 when absent */
	int nrevoked;
	char fingerprint[96];		/* SHA-256 of the DER, lower-case hex */
};

/* An X.509 v2 CRL issued by the CA (its certificate and key): the n
 * revoked serials with their times, thisUpdate now, nextUpdate now + days
 * (never past the CA's own notAfter), the cRLNumber number and the CA's key
 * identifier; signed with SHA-256 and proved by verifying it. PEM
 * ("-----BEGIN X509 CRL-----"). */
int pki_crl_issue(const char *ca_cert_pem, const char *ca_key_pem,
		  const struct pki_revoked *revoked, int n, long long number, int days,
		  char **crl_pem, char *err, size_t errlen);

/* The first CRL in a file, PEM ("X509 CRL") or DER, as PEM. Untrusted input. */
int pki_crl_read(const unsigned char *data, size_t len, char **crl_pem, char *err,
		 size_t errlen);

int pki_crl_get_info(const char *crl_pem, struct pki_crl_info *out, char *err, size_t errlen);

/* 0 when the CA's subject is the CRL's issuer and the CA's key signed it. */
int pki_crl_verify(const char *crl_pem, const char *ca_pem, char *err, size_t errlen);

/* 1 when the CRL (signed by ca_pem) lists cert_pem, 0 when it does not, -1
 * on an error (err says). */
int pki_crl_revokes(const char *crl_pem, const char *ca_pem, const char *cert_pem,
		    char *err, size_t errlen);

/* ---- sealed blobs (backups) ---- */

#define PKI_SEAL_MAGIC_LEN 8

/* plain sealed with pass: magic (8 bytes), salt, IV, AES-256-GCM
 * ciphertext and tag, the header authenticated too, under a PBKDF2-SHA256
 * key. *out is malloc'd; 0, or -1 when the random source or a cipher fails. */
int pki_seal(const char *magic, const char *pass, const unsigned char *plain, size_t len,
	     unsigned char **out, size_t *outlen);
/* The plain bytes of what pki_seal wrote; -1 for a wrong pass or damage. */
int pki_unseal(const char *pass, const unsigned char *in, size_t len, unsigned char **out,
	       size_t *outlen);

/* The wolfSSL version built against. */
const char *pki_version(void);
/* The AES code wolfSSL runs on this CPU ("AES-NI, AVX2", "portable C"):
 * pki/cpu.c narrows wolfSSL's CPU flags to what the CPU and kernel allow. */
const char *pki_crypto_path(void);

/* ---- the text codec: hex, base64 and PEM framing ---- */

/* The value of one hex digit, either case, or -1. */
int pki_hex_digit(int c);
/* Exactly n bytes of hex from s, and nothing after them: 0 or -1. */
int pki_hex_decode(const char *s, unsigned char *out, size_t n);
/* n bytes as hex digits (upper case when upper), as many as fit in out. */
void pki_hex_encode(const unsigned char *v, size_t n, int upper, char *out, size_t outlen);

/* The value of one base64 digit (not '='), or -1. */
int pki_b64_value(int c);
/* len bytes as padded base64 on one line; malloc'd, NULL when out of memory. */
char *pki_b64_encode(const void *data, size_t len);

/* What a line, without its line end and blanks, is to PEM framing:
 * "-----BEGIN L-----" or "-----END L-----" with *label and *labellen
 * set to L, or neither. */
enum { PKI_PEM_NONE, PKI_PEM_BEGIN, PKI_PEM_END };
int pki_pem_mark(const char *line, size_t n, const char **label, size_t *labellen);
/* 1 when a PEM label names a certificate (CERTIFICATE, X509 CERTIFICATE,
 * TRUSTED CERTIFICATE), or a private key in a form pki_import reads. */
int pki_pem_is_cert(const char *label);
int pki_pem_is_key(const char *label);

#endif
