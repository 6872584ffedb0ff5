/* rest_serve.c: the REST service, www (HTTP) and www-ssl (HTTPS), as
 * `rosh --serve www|www-ssl` that roshd starts and stops with the service.
 *
 * HTTP is libmicrohttpd's (GNU libmicrohttpd): the field-standard embedded
 * HTTP server, packaged by Debian (libmicrohttpd-dev), small, and needing
 * nothing we do not already have; it parses requests, bodies and Basic
 * credentials so that we write no HTTP by hand. Debian builds its TLS on
 * GnuTLS while all our TLS is wolfSSL, so rest_tls.c ends TLS in front of
 * it and hands libmicrohttpd the plain side of a socket pair.
 *
 * The main thread owns the listening socket: it refuses addresses outside
 * the service's address list, hands connections to libmicrohttpd (through
 * TLS for www-ssl), resumes requests whose failed login must wait, and
 * stops on SIGTERM. Requests run one at a time in libmicrohttpd's thread,
 * the one thread that touches the console and the database. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "script.h"
#include "rest.h"
#include "login.h"

#define MAX_WAITING	256		/* failed logins waiting to be answered */

struct waiting {
	struct MHD_Connection *c;
	long long at;			/* when to answer, monotonic ms */
};

struct server {
	struct sh *sh;
	const char *via;		/* "www" or "www-ssl" */
	char *address;			/* allowed prefixes, "" for all */
	int max;			/* max-sessions */
	struct MHD_Daemon *d;
	int wake;			/* eventfd: a login now waits */
	pthread_mutex_t lock;		/* guards waiting */
	struct waiting waiting[MAX_WAITING];
	int nwaiting;
};

/* One request: its body as it arrives, and a refusal that had to wait. */
struct hreq {
	struct cdb_buf body;
	unsigned long long seen;	/* bytes of body received */
	int too_big;
	int refused;			/* login failed: answer 401 when resumed */
	char why[640];
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The client's address as text; an IPv4 client of the dual-stack socket
 * as plain IPv4, as the address lists hold it. */
static void
addr_text(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6 *s6 = (const void *)sa;
	const struct sockaddr_in *s4 = (const void *)sa;

	*buf = '\0';
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &s4->sin_addr, buf, len);
	else if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf, len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &s6->sin6_addr, buf, len);
}

/* Queue the answer; json is taken. */
static enum MHD_Result
answer(struct MHD_Connection *c, int status, char *json, int auth)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	r = MHD_create_response_from_buffer(strlen(json), json, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(json);
		return MHD_NO;
	}
	if (status != 204)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (auth)
		rc = MHD_queue_basic_auth_fail_response(c, "rosh", r);
	else
		rc = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

/* A failed login answers after delay_ms; the connection sleeps meanwhile
 * and other clients go on. */
static enum MHD_Result
wait_then_refuse(struct server *srv, struct MHD_Connection *c, struct hreq *h, int delay_ms)
{
	uint64_t one = 1;
	int queued = 0;

	h->refused = 1;
	pthread_mutex_lock(&srv->lock);
	if (srv->nwaiting < MAX_WAITING) {
		MHD_suspend_connection(c);
		srv->waiting[srv->nwaiting++] = (struct waiting){ c, now_ms() + delay_ms };
		queued = 1;
	}
	pthread_mutex_unlock(&srv->lock);
	if (!queued)	/* too many waiting: no more answers for now */
		return MHD_NO;
	if (write(srv->wake, &one, sizeof(one)) < 0)
		perror("rosh: eventfd");
	return MHD_YES;
}

/* A URL argument; "?x" without a value narrows nothing. */
static enum MHD_Result
on_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct val *args = cls, v = { 0 };

	(void)kind;
	if (value && val_count(args) < 64) {
		val_str(&v, value);
		val_push(args, key, &v);
	}
	return MHD_YES;
}

/* A whole request: log in, run it, log out. */
static enum MHD_Result
serve(struct server *srv, struct MHD_Connection *c, const char *url, const char *method,
      struct hreq *h)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN], *pass = NULL, *user, *json;
	struct val args = { 0 };
	int status, delay = 0;

	addr_text(ci->client_addr, addr, sizeof(addr));
	user = MHD_basic_auth_get_username_password(c, &pass);
	if (!user)
		return answer(c, 401, rest_error(401, "no credentials"), 1);
	if (rest_login(srv->sh, user, pass ? pass : "", addr, srv->via, &delay)) {
		snprintf(h->why, sizeof(h->why), "%s", srv->sh->err);
		MHD_free(user);
		MHD_free(pass);
		if (delay > 0)
			return wait_then_refuse(srv, c, h, delay);
		return answer(c, 401, rest_error(401, h->why), 1);
	}
	val_array(&args);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_arg, &args);
	json = rest_handle(srv->sh, method, url, &args, h->body.s, h->body.len, &status);
	val_free(&args);
	rest_logout(srv->sh);
	MHD_free(user);
	MHD_free(pass);
	return answer(c, status, json, 0);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	   const char *version, const char *data, size_t *size, void **req)
{
	struct hreq *h = *req;
	const char *cl;

	(void)version;
	if (!h) {
		*req = h = calloc(1, sizeof(*h));
		if (!h)
			return MHD_NO;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > REST_MAXBODY)
			return answer(c, 413, rest_error(413, "the body is over 1 MiB"), 0);
		return MHD_YES;
	}
	if (*size) {
		/* libmicrohttpd can not answer before the body ends: a body
		 * over the bound is read and dropped up to 8 times the bound,
		 * then the connection is closed without an answer */
		h->seen += *size;
		if (h->seen > REST_MAXBODY)
			h->too_big = 1;
		if (h->seen > 8ULL * REST_MAXBODY)
			return MHD_NO;
		if (!h->too_big)
			cdb_buf_add(&h->body, data, *size);
		*size = 0;
		return MHD_YES;
	}
	if (h->too_big)
		return answer(c, 413, rest_error(413, "the body is over 1 MiB"), 0);
	if (h->refused)
		return answer(c, 401, rest_error(401, h->why), 1);
	return serve(cls, c, url, method, h);
}

static void
on_done(void *cls, struct MHD_Connection *c, void **req, enum MHD_RequestTerminationCode why)
{
	struct hreq *h = *req;

	(void)cls, (void)c, (void)why;
	if (h) {
		free(h->body.s);
		free(h);
		*req = NULL;
	}
}

/* The /ip service row: port, address, certificate, tls-version, max-sessions. */
struct service {
	int port, max;
	char *address, *cert, *tls;
};

static int
read_service(struct sh *sh, const char *name, struct service *sv)
{
	const struct cdb_menu *m = cdb_menu_find(sh->db->cat, "/ip/service");
	struct cdb_item it = { 0 };
	struct cdb_err e;
	long long id = m ? cdb_item_by_key(sh->db, m, name) : 0;
	const char *v;

	if (id <= 0 || cdb_item_get(sh->db, m, id, &it, &e)) {
		fprintf(stderr, "rosh: no service %s in /ip service\n", name);
		return -1;
	}
	v = cdb_item_text(m, &it, "port");
	sv->port = v ? atoi(v) : 0;
	v = cdb_item_text(m, &it, "max-sessions");
	sv->max = v ? atoi(v) : 20;
	v = cdb_item_text(m, &it, "address");
	sv->address = strdup(v ? v : "");
	v = cdb_item_text(m, &it, "certificate");
	sv->cert = strdup(v ? v : "none");
	v = cdb_item_text(m, &it, "tls-version");
	sv->tls = strdup(v ? v : "any");
	cdb_item_clear(&it);
	return 0;
}

static int
add_plain(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct server *srv = ctx;

	/* libmicrohttpd closes fd when it can not take it (max-sessions) */
	return MHD_add_connection(srv->d, fd, sa, salen) == MHD_YES ? 0 : -1;
}

/* Every waiting connection accepted: allowed ones to libmicrohttpd
 * (through TLS when tls), the others closed at once. */
static void
accept_all(struct server *srv, int lfd, struct rest_tls *tls)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		char addr[INET6_ADDRSTRLEN];
		int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);

		if (fd < 0)
			return;
		addr_text((struct sockaddr *)&ss, addr, sizeof(addr));
		if (!sh_address_allowed(srv->address, addr))
			close(fd);
		else if (tls)
			rest_tls_take(tls, fd, (struct sockaddr *)&ss, len, srv->max, add_plain, srv);
		else
			add_plain(srv, fd, (struct sockaddr *)&ss, len);
	}
}

/* Resume the refused logins whose wait is over (all when stopping); the
 * time to the next one, or -1. */
static int
resume_due(struct server *srv, int all)
{
	long long now = now_ms(), next = -1;
	int k = 0;

	pthread_mutex_lock(&srv->lock);
	for (int i = 0; i < srv->nwaiting; i++) {
		struct waiting w = srv->waiting[i];

		if (all || w.at <= now)
			MHD_resume_connection(w.c);
		else {
			srv->waiting[k++] = w;
			if (next < 0 || w.at - now < next)
				next = w.at - now;
		}
	}
	srv->nwaiting = k;
	pthread_mutex_unlock(&srv->lock);
	return (int)next;
}

static void
loop(struct server *srv, int lfd, int sfd, struct rest_tls *tls)
{
	for (;;) {
		struct pollfd p[3] = { { lfd, POLLIN, 0 }, { sfd, POLLIN, 0 },
				       { srv->wake, POLLIN, 0 } };
		int timeout = resume_due(srv, 0);
		uint64_t n;

		if (poll(p, 3, timeout) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[2].revents && read(srv->wake, &n, sizeof(n)) < 0)
			perror("rosh: eventfd");
		if (p[0].revents)
			accept_all(srv, lfd, tls);
	}
	resume_due(srv, 1);
}

/* %XX in the path and arguments, in place; %00 stays as written, so that a
 * NUL can never cut a client's word short. */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;

	(void)cls, (void)c;
	for (char *r = s; *r; r++) {
		unsigned v;

		if (*r == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2]) &&
		    sscanf(r + 1, "%2x", &v) == 1 && v) {
			*w++ = (char)v;
			r += 2;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static struct MHD_Daemon *
start(struct server *srv)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_NO_LISTEN_SOCKET |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;

	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)srv->max,
				MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				MHD_OPTION_NOTIFY_COMPLETED, on_done, srv,
				MHD_OPTION_UNESCAPE_CALLBACK, unescape, srv,
				MHD_OPTION_END);
}

/* SIGTERM and SIGINT come through a descriptor; every thread started
 * later inherits the mask, so the main thread alone sees them. */
static int
signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

int
rest_serve(struct sh *sh, const char *service)
{
	struct server srv = { .sh = sh, .via = service, .lock = PTHREAD_MUTEX_INITIALIZER,
			      .wake = -1 };
	struct service sv = { 0 };
	struct rest_tls *tls = NULL;
	char err[300];
	int lfd = -1, sfd = -1, rc = 1;

	if (read_service(sh, service, &sv))
		return 1;
	srv.address = sv.address;
	srv.max = sv.max;
	if (!strcmp(service, "www-ssl") &&
	    !(tls = rest_tls_new(sh, sv.cert, sv.tls, err, sizeof(err))))
		fprintf(stderr, "rosh: %s: %s\n", service, err);
	else if ((lfd = sh_listen_any(sv.port, SOCK_NONBLOCK)) < 0)
		fprintf(stderr, "rosh: %s: port %d: %s\n", service, sv.port, strerror(errno));
	else if ((sfd = signals()) < 0 || (srv.wake = eventfd(0, EFD_CLOEXEC)) < 0)
		perror("rosh");
	else if (!(srv.d = start(&srv)))
		fprintf(stderr, "rosh: %s: the HTTP server did not start\n", service);
	else {
		loop(&srv, lfd, sfd, tls);
		MHD_stop_daemon(srv.d);
		rc = 0;
	}
	if (lfd >= 0)
		close(lfd);
	if (sfd >= 0)
		close(sfd);
	if (srv.wake >= 0)
		close(srv.wake);
	rest_tls_free(tls);
	free(sv.address), free(sv.cert), free(sv.tls);
	return rc;
}
