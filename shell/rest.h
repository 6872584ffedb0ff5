/* rest.h: the REST service (www, www-ssl): the HTTP server around the
 * console (rest_serve.c), TLS in front of it (rest_tls.c), who asks
 * (rest_auth.c), and what a request means as console statements
 * (rest_req.c). */
#ifndef REST_H
#define REST_H

#include <sys/socket.h>

#include "sh.h"

#define REST_MAXBODY	(1 << 20)	/* bytes of a request body */

/* rest_serve.c: serve service ("www" or "www-ssl") from its /ip service
 * row until SIGTERM. The exit status for main. */
int rest_serve(struct sh *sh, const char *service);

/* rest_req.c: one authenticated request. method and path as received (the
 * path percent-decoded), args the URL's arguments (a keyed array, or NULL),
 * body may be NULL. Sets *status and returns the JSON answer (malloc'd;
 * "" for 204). */
char *rest_handle(struct sh *sh, const char *method, const char *path, const struct val *args,
		  const char *body, size_t len, int *status);
/* The RouterOS error shape: {"error":N,"message":"...","detail":"..."}. */
char *rest_error(int status, const char *detail);

/* rest_auth.c: log sh in for one request, from HTTP Basic credentials.
 * 0 logged in (rest_logout afterwards); -1 refused with sh->err set and
 * *delay_ms how long to wait before saying so. */
int rest_login(struct sh *sh, const char *name, const char *password, const char *addr,
	       const char *via, int *delay_ms);
void rest_logout(struct sh *sh);

/* rest_tls.c: TLS in front of the HTTP server. */
struct rest_tls;
/* A context with the service's certificate and tls-version; NULL with err. */
struct rest_tls *rest_tls_new(struct sh *sh, const char *cert, const char *version,
			      char *err, size_t errlen);
void rest_tls_free(struct rest_tls *t);
/* Take the accepted connection fd: handshake and pump in a thread of its
 * own, handing the plain side to add(ctx, fd, addr). -1 when refused (at
 * most max connections at once); fd is closed either way. */
int rest_tls_take(struct rest_tls *t, int fd, const struct sockaddr *sa, socklen_t salen,
		  int max, int (*add)(void *ctx, int fd, const struct sockaddr *sa,
				      socklen_t salen), void *ctx);

#endif
