/* rest_tls.c: HTTPS for www-ssl. TLS is wolfSSL's, as everywhere in Rosh;
 * each connection gets a thread that does the handshake and then copies
 * bytes between the TLS session and one end of a socket pair whose other
 * end libmicrohttpd serves as a plain connection. A thread per connection
 * keeps a slow handshake from holding up anyone else; max-sessions bounds
 * them, and timeouts end the idle and the half-open. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/ecc.h>

#include "rest.h"

#define HANDSHAKE_SECS	10		/* to finish the handshake */
#define IDLE_SECS	120		/* with nothing said either way */

struct rest_tls {
	WOLFSSL_CTX *ctx;
	pthread_mutex_t lock;
	int active;			/* connections being served */
};

struct pump {
	struct rest_tls *t;
	int fd;
	struct sockaddr_storage sa;
	socklen_t salen;
	int (*add)(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen);
	void *ctx;
};

/* The certificate and its key from /certificate (tunnel_cfg.c reads them
 * the same way). */
static int
load_cert(struct sh *sh, const char *name, char **cert, char **key, char *err, size_t errlen)
{
	const struct cdb_menu *m = cdb_menu_find(sh->db->cat, "/certificate");
	struct cdb_item it = { 0 };
	struct cdb_err e;
	long long id;
	const char *c, *k;

	if (!name || !strcmp(name, "none")) {
		snprintf(err, errlen, "no certificate: set /ip service www-ssl certificate=");
		return -1;
	}
	id = m ? cdb_item_by_key(sh->db, m, name) : 0;
	if (id <= 0 || cdb_item_get(sh->db, m, id, &it, &e)) {
		snprintf(err, errlen, "no certificate %s", name);
		return -1;
	}
	c = cdb_item_text(m, &it, "cert-pem");
	k = cdb_item_text(m, &it, "key-pem");
	if (!c || !k || !*c || !*k) {
		cdb_item_clear(&it);
		snprintf(err, errlen, "certificate %s is not signed or has no private key", name);
		return -1;
	}
	*cert = strdup(c);
	*key = strdup(k);
	cdb_item_clear(&it);
	return 0;
}

static WOLFSSL_METHOD *
method(const char *version)
{
	if (!strcmp(version, "only-1.2"))
		return wolfTLSv1_2_server_method();
	if (!strcmp(version, "only-1.3"))
		return wolfTLSv1_3_server_method();
	return wolfSSLv23_server_method();
}

struct rest_tls *
rest_tls_new(struct sh *sh, const char *cert, const char *version, char *err, size_t errlen)
{
	struct rest_tls *t;
	char *c = NULL, *k = NULL;

	if (load_cert(sh, cert, &c, &k, err, errlen))
		return NULL;
	t = calloc(1, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	if (wolfSSL_Init() != WOLFSSL_SUCCESS || !(t->ctx = wolfSSL_CTX_new(method(version))))
		snprintf(err, errlen, "TLS: wolfSSL did not start");
	else if (strcmp(version, "only-1.3") &&
		 wolfSSL_CTX_SetMinVersion(t->ctx, WOLFSSL_TLSV1_2) != WOLFSSL_SUCCESS)
		snprintf(err, errlen, "TLS: can not require TLS 1.2 or newer");
	else if (wolfSSL_CTX_use_certificate_chain_buffer_format(t->ctx, (unsigned char *)c,
			(long)strlen(c), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
		snprintf(err, errlen, "TLS: certificate %s does not load", cert);
	else if (wolfSSL_CTX_use_PrivateKey_buffer(t->ctx, (unsigned char *)k, (long)strlen(k),
			WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
		snprintf(err, errlen, "TLS: the key of certificate %s does not load", cert);
	else {
		free(c);
		free(k);
		return t;
	}
	free(c);
	free(k);
	rest_tls_free(t);
	return NULL;
}

void
rest_tls_free(struct rest_tls *t)
{
	if (!t)
		return;
	/* the pumps end once libmicrohttpd closed their other ends */
	for (int i = 0; i < 200; i++) {
		int n;

		pthread_mutex_lock(&t->lock);
		n = t->active;
		pthread_mutex_unlock(&t->lock);
		if (!n) {
			if (t->ctx)
				wolfSSL_CTX_free(t->ctx);
			free(t);
			return;
		}
		usleep(10000);
	}
	/* a handshake still under way holds the context: the process is
	 * ending, so it is left to the exit rather than freed under it */
}

/* Bounded waits; and no Nagle: an answer's header and body leave as two
 * records, and the second must not wait for the client's delayed ACK. */
static void
timeouts(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs };
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Copy both ways until either side closes or nothing moves for IDLE_SECS. */
static void
copy(WOLFSSL *ssl, int tcp, int plain)
{
	char buf[16384];

	for (;;) {
		struct pollfd p[2] = { { tcp, POLLIN, 0 }, { plain, POLLIN, 0 } };
		int n;

		if (!wolfSSL_pending(ssl) && poll(p, 2, IDLE_SECS * 1000) <= 0)
			return;
		if (wolfSSL_pending(ssl) || p[0].revents) {
			n = wolfSSL_read(ssl, buf, sizeof(buf));
			if (n <= 0 || write(plain, buf, (size_t)n) != n)
				return;
		}
		if (p[1].revents) {
			n = (int)read(plain, buf, sizeof(buf));
			if (n <= 0 || wolfSSL_write(ssl, buf, n) != n)
				return;
		}
	}
}

static void *
run_pump(void *arg)
{
	struct pump *p = arg;
	WOLFSSL *ssl = wolfSSL_new(p->t->ctx);
	int sv[2] = { -1, -1 };

	timeouts(p->fd, HANDSHAKE_SECS);
	if (ssl && wolfSSL_set_fd(ssl, p->fd) == WOLFSSL_SUCCESS &&
	    wolfSSL_accept(ssl) == WOLFSSL_SUCCESS &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
		timeouts(p->fd, IDLE_SECS);
		if (p->add(p->ctx, sv[0], (struct sockaddr *)&p->sa, p->salen) == 0)
			copy(ssl, p->fd, sv[1]);
		sv[0] = -1;	/* libmicrohttpd's now, or closed by it */
		wolfSSL_shutdown(ssl);
	}
	if (ssl)
		wolfSSL_free(ssl);
	if (sv[1] >= 0)
		close(sv[1]);
	close(p->fd);
#ifdef FP_ECC
	wc_ecc_fp_free();	/* the thread's own ECC cache, else it outlives the thread */
#endif
	pthread_mutex_lock(&p->t->lock);
	p->t->active--;
	pthread_mutex_unlock(&p->t->lock);
	free(p);
	return NULL;
}

int
rest_tls_take(struct rest_tls *t, int fd, const struct sockaddr *sa, socklen_t salen, int max,
	      int (*add)(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen),
	      void *ctx)
{
	struct pump *p = calloc(1, sizeof(*p));
	pthread_attr_t attr;
	pthread_t th;
	int ok = 0;

	pthread_mutex_lock(&t->lock);
	if (p && t->active < max && salen <= sizeof(p->sa)) {
		t->active++;
		ok = 1;
	}
	pthread_mutex_unlock(&t->lock);
	if (!ok) {
		free(p);
		close(fd);
		return -1;
	}
	*p = (struct pump){ .t = t, .fd = fd, .salen = salen, .add = add, .ctx = ctx };
	memcpy(&p->sa, sa, salen);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, run_pump, p)) {
		pthread_mutex_lock(&t->lock);
		t->active--;
		pthread_mutex_unlock(&t->lock);
		close(fd);
		free(p);
		pthread_attr_destroy(&attr);
		return -1;
	}
	pthread_attr_destroy(&attr);
	return 0;
}
