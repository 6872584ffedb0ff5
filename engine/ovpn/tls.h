/* tls.h: TLS 1.2/1.3 over memory with wolfSSL. The control channel hands
 * ciphertext in and takes ciphertext out; no sockets are involved. */
#ifndef OVPN_TLS_H
#define OVPN_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tls_ctx;
struct tls_conn;

/* How verify_name is matched (OpenVPN's verify-x509-name types and ours). */
enum tls_name_match {
	TLS_NAME_HOST,			/* CN or a SAN, any case (RouterOS connect-to) */
	TLS_NAME_CN,			/* the last CN, exactly (verify-x509-name ... name) */
	TLS_NAME_PREFIX,		/* the last CN begins with it (name-prefix) */
	TLS_NAME_SUBJECT,		/* the whole subject as OpenVPN prints it (subject) */
};

#define TLS_USAGE_SERVER	1	/* remote-cert-tls server: KU present, EKU serverAuth */
#define TLS_USAGE_NS_SERVER	2	/* ns-cert-type server: OpenSSL's SSL server purpose */
#define TLS_FP_MAX		8	/* SHA-256 fingerprints a client pins at most */

/* Client checks of the server's certificate beyond the chain (tls_verify.c). */
struct tls_peer_rules {
	enum tls_name_match match;
	int usage;			/* TLS_USAGE_* bits */
	const char *fingerprints;	/* SHA-256, hex with or without ':', comma
					 * separated; NULL none. Without verify_peer
					 * these alone decide (OpenVPN's peer-fingerprint) */
	int tls13_only;			/* tls-version-min 1.3 */
};

struct tls_ctx_cfg {
	int server;
	const char *cert_pem, *key_pem, *ca_pem;
	const char *crl_pem;		/* CRLs of the CAs in ca_pem (PEM, any number) or NULL */
	int verify_peer;
	const char *verify_name;	/* client: must be the server's CN or a DNS SAN */
	int tls12_only;
	struct tls_peer_rules rules;	/* client: what else the server's certificate must show */
};

struct tls_ctx *tls_ctx_new(const struct tls_ctx_cfg *cfg, char *err, size_t errlen);
void tls_ctx_free(struct tls_ctx *c);

struct tls_conn *tls_conn_new(struct tls_ctx *c);
void tls_conn_free(struct tls_conn *t);

/* Ciphertext from the peer; 0, or -1 when the buffer limit is hit. */
int tls_conn_feed(struct tls_conn *t, const uint8_t *ct, size_t len);
/* Drive the handshake: 1 established, 0 waiting for the peer, -1 failed
 * (tls_conn_error() says why). Safe to call after establishment. */
int tls_conn_handshake(struct tls_conn *t);
int tls_conn_established(const struct tls_conn *t);
/* Ciphertext waiting for the peer. */
size_t tls_conn_out_len(const struct tls_conn *t);
size_t tls_conn_take(struct tls_conn *t, uint8_t *out, size_t max);
/* Plaintext from the peer: bytes read, 0 when none, -1 on error. */
ssize_t tls_conn_read(struct tls_conn *t, uint8_t *buf, size_t cap);
/* Plaintext to the peer (one TLS write); 0 or -1. */
int tls_conn_write(struct tls_conn *t, const uint8_t *buf, size_t len);
/* RFC 5705 exporter, no context; 0 or -1. */
int tls_conn_export(struct tls_conn *t, const char *label, uint8_t *out, size_t len);
/* The data channel keys are derived: forget what only the exporter needed. */
void tls_conn_keys_done(struct tls_conn *t);
/* The peer certificate's common name ("" when none). */
void tls_conn_peer_cn(struct tls_conn *t, char *out, size_t cap);
const char *tls_conn_error(const struct tls_conn *t);
/* tls_verify.c: parse a fingerprint list into 32-byte hashes; the count, or
 * -1 with err naming the bad one. */
int tls_parse_fingerprints(const char *list, uint8_t out[][32], int max, char *err,
			   size_t errlen);
/* "TLSv1.3, cipher TLS_AES_256_GCM_SHA384" for the log. */
void tls_conn_describe(struct tls_conn *t, char *out, size_t cap);

#endif
