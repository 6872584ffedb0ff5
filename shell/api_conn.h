/* api_conn.h: one API connection, served in a process of its own. */
#ifndef API_CONN_H
#define API_CONN_H

#include "sh.h"

typedef struct WOLFSSL WOLFSSL;

struct api_conn {
	int fd;
	WOLFSSL *ssl;			/* api-ssl, after the handshake; NULL for api */
	struct sh *sh;			/* the session, with its own database handle */
	const char *addr;		/* the client's address, as text */
	const char *service;		/* "api" or "api-ssl" */
	char *user;			/* who logged in (the caller frees) */
	int logged_in;
	int login_ms;			/* idle limit before /login */
	int idle_ms;			/* and after */
};

/* Serve the connection until the client goes, breaks a rule, idles, or
 * SIGTERM comes; the caller then closes it and logs the session out. */
void api_conn_run(struct api_conn *c);



/* api_tls.c: api-ssl's wolfSSL server context from the service's
 * certificate and key (PEM) and tls-version (any, only-1.2, only-1.3);
 * NULL with why. */
typedef struct WOLFSSL_CTX WOLFSSL_CTX;
WOLFSSL_CTX *api_tls_ctx(const char *cert_pem, const char *key_pem, const char *version,
			 const char **why);
/* The TLS handshake on fd, bounded in time; NULL when it fails. */
WOLFSSL *api_tls_accept(WOLFSSL_CTX *ctx, int fd);
#endif
