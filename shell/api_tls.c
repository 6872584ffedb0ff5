/* api_tls.c: api-ssl's TLS through wolfSSL: the server context from the
 * /certificate item the service names, and the handshake of a connection. */
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "api_conn.h"

WOLFSSL_CTX *
api_tls_ctx(const char *cert_pem, const char *key_pem, const char *version, const char **why)
{
	WOLFSSL_CTX *ctx;
	int only12 = !strcmp(version, "only-1.2"), only13 = !strcmp(version, "only-1.3");

	wolfSSL_Init();
	ctx = wolfSSL_CTX_new(only12 ? wolfTLSv1_2_server_method() :
			      only13 ? wolfTLSv1_3_server_method() : wolfSSLv23_server_method());
	if (!ctx)
		return *why = "cannot make a TLS context", NULL;
	if (!only12 && !only13)
		wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_2);
	if (wolfSSL_CTX_use_certificate_chain_buffer_format(ctx, (const unsigned char *)cert_pem,
			(long)strlen(cert_pem), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS ||
	    wolfSSL_CTX_use_PrivateKey_buffer(ctx, (const unsigned char *)key_pem,
			(long)strlen(key_pem), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
		wolfSSL_CTX_free(ctx);
		return *why = "the certificate or its key does not load", NULL;
	}
	return ctx;
}

WOLFSSL *
api_tls_accept(WOLFSSL_CTX *ctx, int fd)
{
	struct timeval tv = { .tv_sec = 30 };
	WOLFSSL *ssl = wolfSSL_new(ctx);

	/* a client that never finishes the handshake is dropped */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!ssl || wolfSSL_set_fd(ssl, fd) != WOLFSSL_SUCCESS ||
	    wolfSSL_accept(ssl) != WOLFSSL_SUCCESS) {
		wolfSSL_free(ssl);
		return NULL;
	}
	/* the timeout stays: a read never waits forever for the rest of a record */
	return ssl;
}
