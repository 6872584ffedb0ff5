/* tls.c: wolfSSL over memory. The IO callbacks read ciphertext from a
 * buffer the control channel fills and write ciphertext to a buffer it
 * drains, so a handshake runs entirely inside the protocol core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn.h>

#include "tls.h"
#include "tls_verify.h"
#include "util.h"

#define TLS_BUF_MAX (256 * 1024)	/* no handshake needs more in flight */

struct tls_ctx {
	WOLFSSL_CTX *ctx;
	int server;
	char *verify_name;
	struct tls_peer_rules rules;	/* fingerprints parsed into fps */
	uint8_t fps[TLS_FP_MAX][32];
	int nfps;
};

struct buf {
	uint8_t *p;
	size_t len, cap;
};

struct tls_conn {
	struct tls_ctx *c;
	WOLFSSL *ssl;
	struct buf in, out;		/* ciphertext from and to the peer */
	int established;
	char err[256];
};

static int buf_append(struct buf *b, const uint8_t *p, size_t len)
{
	if (len > TLS_BUF_MAX - b->len)
		return -1;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 2048;
		uint8_t *np;

		while (cap < b->len + len)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
	return 0;
}

static size_t buf_take(struct buf *b, uint8_t *out, size_t max)
{
	size_t n = b->len < max ? b->len : max;

	memcpy(out, b->p, n);
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	if (!b->len) {
		/* an idle tunnel holds no buffers: with thousands of clients the
		 * grown handshake buffers would be most of its memory */
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
	return n;
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
	struct tls_conn *t = ctx;

	(void)ssl;
	if (!t->in.len)
		return WOLFSSL_CBIO_ERR_WANT_READ;
	return (int)buf_take(&t->in, (uint8_t *)buf, (size_t)sz);
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
	struct tls_conn *t = ctx;

	(void)ssl;
	if (buf_append(&t->out, (const uint8_t *)buf, (size_t)sz) < 0)
		return WOLFSSL_CBIO_ERR_GENERAL;
	return sz;
}

static void wolf_err(char *err, size_t errlen, const char *what, int code)
{
	char buf[80];

	wolfSSL_ERR_error_string_n((unsigned long)code, buf, sizeof(buf));
	snprintf(err, errlen, "%s: %s (%d)", what, buf, code);
}

static int load_pem(struct tls_ctx *c, const struct tls_ctx_cfg *cfg, char *err, size_t errlen)
{
	int rc;

	if (cfg->cert_pem) {
		rc = wolfSSL_CTX_use_certificate_chain_buffer_format(
			c->ctx, (const unsigned char *)cfg->cert_pem, (long)strlen(cfg->cert_pem),
			WOLFSSL_FILETYPE_PEM);
		if (rc != WOLFSSL_SUCCESS)
			return wolf_err(err, errlen, "certificate", rc), -1;
	}
	if (cfg->key_pem) {
		rc = wolfSSL_CTX_use_PrivateKey_buffer(c->ctx, (const unsigned char *)cfg->key_pem,
						       (long)strlen(cfg->key_pem),
						       WOLFSSL_FILETYPE_PEM);
		if (rc != WOLFSSL_SUCCESS)
			return wolf_err(err, errlen, "private key", rc), -1;
	}
	if (cfg->cert_pem && cfg->key_pem) {
		rc = wolfSSL_CTX_check_private_key(c->ctx);
		if (rc != WOLFSSL_SUCCESS) {
			snprintf(err, errlen, "the private key does not match the certificate");
			return -1;
		}
	}
	if (cfg->ca_pem && *cfg->ca_pem) {
		rc = wolfSSL_CTX_load_verify_buffer(c->ctx, (const unsigned char *)cfg->ca_pem,
						    (long)strlen(cfg->ca_pem), WOLFSSL_FILETYPE_PEM);
		if (rc != WOLFSSL_SUCCESS)
			return wolf_err(err, errlen, "CA certificates", rc), -1;
	}
	return 0;
}

/* With CRLs loaded wolfSSL checks every peer certificate against its
 * issuer's CRL, and fails one whose issuer has none (CRL_MISSING); an
 * authority without a CRL has revoked nothing we know of, as OpenVPN's
 * crl-verify treats it, so that one error alone is forgiven. */
static int crl_missing_ok(int preverify, WOLFSSL_X509_STORE_CTX *store)
{
	return preverify || (store && store->error == CRL_MISSING);
}

/* Each CRL in the PEM text (wolfSSL loads only the first of a buffer); its
 * signature is checked against the CAs already loaded. */
static int load_crls(struct tls_ctx *c, const char *pem, char *err, size_t errlen)
{
	static const char end[] = "-----END X509 CRL-----";
	const char *p = pem, *e;
	int rc;

	if (wolfSSL_CTX_EnableCRL(c->ctx, 0) != WOLFSSL_SUCCESS)
		return wolf_err(err, errlen, "CRL checking", 0), -1;
	while ((p = strstr(p, "-----BEGIN X509 CRL-----")) && (e = strstr(p, end))) {
		e += sizeof(end) - 1;
		rc = wolfSSL_CTX_LoadCRLBuffer(c->ctx, (const unsigned char *)p, (long)(e - p),
					       WOLFSSL_FILETYPE_PEM);
		if (rc != WOLFSSL_SUCCESS)
			return wolf_err(err, errlen, "certificate revocation list", rc), -1;
		p = e;
	}
	return 0;
}

static WOLFSSL_METHOD *pick_method(const struct tls_ctx_cfg *cfg)
{
	if (cfg->server)
		return cfg->tls12_only ? wolfTLSv1_2_server_method() : wolfSSLv23_server_method();
	return cfg->tls12_only ? wolfTLSv1_2_client_method() : wolfSSLv23_client_method();
}

static int verify_mode(const struct tls_ctx_cfg *cfg)
{
	if (!cfg->verify_peer)
		return WOLFSSL_VERIFY_NONE;
	if (cfg->server)
		return WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	return WOLFSSL_VERIFY_PEER;
}

/* A client with fingerprints but no CA checks those alone (OpenVPN's
 * peer-fingerprint without ca): they must parse. */
static int peer_rules_ok(const struct tls_ctx_cfg *cfg, char *err, size_t errlen)
{
	uint8_t fps[TLS_FP_MAX][32];

	if (cfg->rules.fingerprints &&
	    tls_parse_fingerprints(cfg->rules.fingerprints, fps, TLS_FP_MAX, err, errlen) < 0)
		return -1;
	return 0;
}

/* No session cache and no tickets, as OpenVPN sets up its contexts
 * (SSL_SESS_CACHE_OFF, SSL_OP_NO_TICKET): a key's TLS session is never
 * resumed, so a cached copy of each session and a ticket after each
 * handshake would be memory and work for nothing. */
static void no_resumption(WOLFSSL_CTX *ctx)
{
#ifndef NO_SESSION_CACHE
	wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
#endif
#ifdef HAVE_SESSION_TICKET
	wolfSSL_CTX_NoTicketTLSv12(ctx);
#ifdef WOLFSSL_TLS13
	wolfSSL_CTX_no_ticket_TLSv13(ctx);
#endif
#endif
	(void)ctx;
}

struct tls_ctx *tls_ctx_new(const struct tls_ctx_cfg *cfg, char *err, size_t errlen)
{
	struct tls_ctx *c;

	if (cfg->server && (!cfg->cert_pem || !cfg->key_pem)) {
		snprintf(err, errlen, "a server needs a certificate and its key");
		return NULL;
	}
	if (cfg->verify_peer && (!cfg->ca_pem || !*cfg->ca_pem)) {
		snprintf(err, errlen, "verifying the peer needs CA certificates");
		return NULL;
	}
	if (peer_rules_ok(cfg, err, errlen))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c || wolfSSL_Init() != WOLFSSL_SUCCESS) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->server = cfg->server;
	c->ctx = wolfSSL_CTX_new(pick_method(cfg));
	if (!c->ctx) {
		snprintf(err, errlen, "wolfSSL_CTX_new failed");
		tls_ctx_free(c);
		return NULL;
	}
	/* tls-version-min 1.2, as 2.6 defaults to */
	wolfSSL_CTX_SetMinVersion(c->ctx, cfg->rules.tls13_only ? WOLFSSL_TLSV1_3 : WOLFSSL_TLSV1_2);
	if (load_pem(c, cfg, err, errlen) < 0) {
		tls_ctx_free(c);
		return NULL;
	}
	wolfSSL_CTX_set_verify(c->ctx, verify_mode(cfg), NULL);
	if (cfg->verify_peer && cfg->crl_pem && strstr(cfg->crl_pem, "X509 CRL")) {
		if (load_crls(c, cfg->crl_pem, err, errlen) < 0) {
			tls_ctx_free(c);
			return NULL;
		}
		wolfSSL_CTX_set_verify(c->ctx, verify_mode(cfg), crl_missing_ok);
	}
	no_resumption(c->ctx);
	wolfSSL_CTX_SetIORecv(c->ctx, io_recv);
	wolfSSL_CTX_SetIOSend(c->ctx, io_send);
	if (cfg->verify_name && *cfg->verify_name)
		c->verify_name = strdup(cfg->verify_name);
	c->rules = cfg->rules;
	c->rules.fingerprints = NULL;
	if (cfg->rules.fingerprints)
		c->nfps = tls_parse_fingerprints(cfg->rules.fingerprints, c->fps, TLS_FP_MAX, err,
						 errlen);
	return c;
}

void tls_ctx_free(struct tls_ctx *c)
{
	if (!c)
		return;
	if (c->ctx)
		wolfSSL_CTX_free(c->ctx);
	free(c->verify_name);
	free(c);
	wolfSSL_Cleanup();
}

struct tls_conn *tls_conn_new(struct tls_ctx *c)
{
	struct tls_conn *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->c = c;
	t->ssl = wolfSSL_new(c->ctx);
	if (!t->ssl) {
		free(t);
		return NULL;
	}
	wolfSSL_SetIOReadCtx(t->ssl, t);
	wolfSSL_SetIOWriteCtx(t->ssl, t);
	/* the exporter (key-derivation tls-ekm) needs the handshake randoms */
	wolfSSL_KeepArrays(t->ssl);
	return t;
}

void tls_conn_free(struct tls_conn *t)
{
	if (!t)
		return;
	wolfSSL_free(t->ssl);
	if (t->in.p)
		ovpn_wipe(t->in.p, t->in.cap);
	free(t->in.p);
	free(t->out.p);
	free(t);
}

int tls_conn_feed(struct tls_conn *t, const uint8_t *ct, size_t len)
{
	return buf_append(&t->in, ct, len);
}

/* The client's checks beyond the chain (tls_verify.c); its reason in err. */
static int peer_ok(struct tls_conn *t)
{
	struct tls_ctx *c = t->c;
	WOLFSSL_X509 *x;
	int rc;

	if (c->server || (!c->verify_name && !c->nfps && !c->rules.usage))
		return 1;
	x = wolfSSL_get_peer_certificate(t->ssl);
	if (!x) {
		snprintf(t->err, sizeof(t->err), "the server sent no certificate");
		return 0;
	}
	rc = tls_peer_check(x, c->verify_name, &c->rules, (const uint8_t (*)[32])c->fps, c->nfps,
			    t->err, sizeof(t->err));
	wolfSSL_X509_free(x);
	return rc == 0;
}

static int fail(struct tls_conn *t, int rc)
{
	int e = wolfSSL_get_error(t->ssl, rc);
	char buf[80];

	wolfSSL_ERR_error_string_n((unsigned long)e, buf, sizeof(buf));
	snprintf(t->err, sizeof(t->err), "TLS handshake failed: %s (%d)", buf, e);
	return -1;
}

int tls_conn_handshake(struct tls_conn *t)
{
	int rc, e;

	if (t->established)
		return 1;
	if (t->err[0])
		return -1;
	rc = t->c->server ? wolfSSL_accept(t->ssl) : wolfSSL_connect(t->ssl);
	if (rc != WOLFSSL_SUCCESS) {
		e = wolfSSL_get_error(t->ssl, rc);
		if (e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE)
			return 0;
		return fail(t, rc);
	}
	if (!peer_ok(t))
		return -1;
	t->established = 1;
	return 1;
}

int tls_conn_established(const struct tls_conn *t)
{
	return t->established;
}

size_t tls_conn_out_len(const struct tls_conn *t)
{
	return t->out.len;
}

size_t tls_conn_take(struct tls_conn *t, uint8_t *out, size_t max)
{
	return buf_take(&t->out, out, max);
}

ssize_t tls_conn_read(struct tls_conn *t, uint8_t *buf, size_t cap)
{
	int rc, e;

	if (!t->established || !cap)
		return 0;
	rc = wolfSSL_read(t->ssl, buf, cap > 0x7fffffff ? 0x7fffffff : (int)cap);
	if (rc > 0)
		return rc;
	e = wolfSSL_get_error(t->ssl, rc);
	if (e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE)
		return 0;
	if (e == WOLFSSL_ERROR_ZERO_RETURN) {
		snprintf(t->err, sizeof(t->err), "TLS: the peer closed the session");
		return -1;
	}
	return fail(t, rc);
}

int tls_conn_write(struct tls_conn *t, const uint8_t *buf, size_t len)
{
	int rc;

	if (!t->established || len > 0x7fffffff)
		return -1;
	rc = wolfSSL_write(t->ssl, buf, (int)len);
	if (rc != (int)len)
		return fail(t, rc);
	return 0;
}

/* The handshake secrets kept for the exporter are needed no more once the
 * data channel keys are made: a few KB per connected client. */
void tls_conn_keys_done(struct tls_conn *t)
{
	if (t && t->established)
		wolfSSL_FreeArrays(t->ssl);
}

int tls_conn_export(struct tls_conn *t, const char *label, uint8_t *out, size_t len)
{
	if (!t->established)
		return -1;
	if (wolfSSL_export_keying_material(t->ssl, out, len, label, strlen(label), NULL, 0, 0) !=
	    WOLFSSL_SUCCESS)
		return -1;
	return 0;
}

void tls_conn_peer_cn(struct tls_conn *t, char *out, size_t cap)
{
	WOLFSSL_X509 *x;

	out[0] = 0;
	if (!t->established || cap < 2)
		return;
	x = wolfSSL_get_peer_certificate(t->ssl);
	if (!x)
		return;
	if (wolfSSL_X509_NAME_get_text_by_NID(wolfSSL_X509_get_subject_name(x), NID_commonName,
					      out, (int)cap) < 0)
		out[0] = 0;
	wolfSSL_X509_free(x);
}

const char *tls_conn_error(const struct tls_conn *t)
{
	return t->err[0] ? t->err : "TLS error";
}

void tls_conn_describe(struct tls_conn *t, char *out, size_t cap)
{
	const char *v = wolfSSL_get_version(t->ssl), *c = wolfSSL_get_cipher_name(t->ssl);

	snprintf(out, cap, "%s, cipher %s", v ? v : "?", c ? c : "?");
}
