/* api_serve.c: rosh --serve api|api-ssl: the RouterOS API service. Reads
 * its /ip service row, listens on its port (IPv6 and IPv4), refuses
 * clients outside its address list, and serves each connection in a child
 * process of its own (at most max-sessions), so that a broken client never
 * hurts another. roshd starts and stops it (SIGTERM). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "api.h"
#include "api_conn.h"
#include "login.h"

struct service {
	const char *name;
	int port;
	char *address;			/* allowed prefixes, comma separated, or NULL */
	int max_sessions;
	char *cert_pem, *key_pem;	/* api-ssl */
	char *tls_version;
};

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
logf_(const char *service, const char *fmt, const char *arg)
{
	fprintf(stderr, "rosh --serve %s: ", service);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* The certificate named by the service, with its key: 0, or -1 with why. */
static int
load_cert(struct cdb *db, struct service *sv, const char *name, const char **why)
{
	const struct cdb_menu *cm = cdb_menu_find(db->cat, "/certificate");
	long long id = cm ? cdb_item_by_key(db, cm, name) : 0;
	struct cdb_item it;
	struct cdb_err e;
	const char *pem, *key;

	if (id <= 0 || cdb_item_get(db, cm, id, &it, &e))
		return *why = "no such certificate", -1;
	pem = cdb_item_text(cm, &it, "cert-pem");
	key = cdb_item_text(cm, &it, "key-pem");
	if (pem && key) {
		sv->cert_pem = strdup(pem);
		sv->key_pem = strdup(key);
	}
	cdb_item_clear(&it);
	return pem && key ? 0 : (*why = "certificate is not signed or has no private key", -1);
}

static int
read_service(const char *dbpath, struct service *sv, const char **why)
{
	struct cdb *db;
	struct cdb_err e;
	const struct cdb_menu *m;
	struct cdb_item it;
	const char *v;
	long long id;
	int rc = -1;

	if (cdb_open(dbpath, &db, &e))
		return *why = "cannot open the database", -1;
	m = cdb_menu_find(db->cat, "/ip/service");
	id = m ? cdb_item_by_key(db, m, sv->name) : 0;
	if (id <= 0 || cdb_item_get(db, m, id, &it, &e)) {
		cdb_close(db);
		return *why = "no such /ip service", -1;
	}
	sv->port = atoi(cdb_item_text(m, &it, "port"));
	v = cdb_item_text(m, &it, "address");
	sv->address = v && *v ? strdup(v) : NULL;
	v = cdb_item_text(m, &it, "max-sessions");
	sv->max_sessions = v ? atoi(v) : 20;
	v = cdb_item_text(m, &it, "tls-version");
	sv->tls_version = strdup(v ? v : "any");
	v = cdb_item_text(m, &it, "certificate");
	if (strcmp(sv->name, "api-ssl"))
		rc = 0;
	else if (!v || !*v || !strcmp(v, "none"))
		*why = "api-ssl has no certificate: set /ip service api-ssl certificate=";
	else
		rc = load_cert(db, sv, v, why);
	cdb_item_clear(&it);
	cdb_close(db);
	return rc;
}

/* The peer as 16 bytes (IPv4 mapped) and as text. */
static void
peer(const struct sockaddr_storage *ss, unsigned char a[16], char *text, size_t len)
{
	memset(a, 0, 16);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		a[10] = a[11] = 0xff;
		memcpy(a + 12, &s4->sin_addr, 4);
	} else
		memcpy(a, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	if (!memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
		inet_ntop(AF_INET, a + 12, text, (socklen_t)len);
	else
		inet_ntop(AF_INET6, a, text, (socklen_t)len);
}

static int
env_ms(const char *name, int def)
{
	const char *v = getenv(name);

	return v && atoi(v) > 0 ? atoi(v) * 1000 : def;
}

/* The child: its own database handle and session, then the connection. */
static int
child(const char *dbpath, const char *sockpath, const struct service *sv, WOLFSSL_CTX *ctx,
      int fd, const char *addr)
{
	struct api_conn c = { .fd = fd, .addr = addr, .service = sv->name,
			      .login_ms = env_ms("ROSH_API_LOGIN_TIMEOUT", 30000),
			      .idle_ms = env_ms("ROSH_API_IDLE_TIMEOUT", 600000) };
	struct sh sh = { .sockpath = sockpath };
	struct timeval tv = { .tv_sec = 30 };
	struct cdb_err e;
	char *session;
	int one = 1;

	/* a client that stops reading, or vanishes, is not waited for forever */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	if (ctx && !(c.ssl = api_tls_accept(ctx, fd)))
		return 1;
	sh.out = fopen("/dev/null", "w");
	if (!sh.out || cdb_open(dbpath, &sh.db, &e))
		return 1;
	cdb_set_busy_wait(sh.db, 5000);
	sh.cwd = cdb_menu_find(sh.db->cat, "/");
	if (asprintf(&session, "%s:%s[%ld]", sv->name, addr, (long)getpid()) >= 0) {
		free(sh.db->session);
		sh.db->session = session;
	}
	c.sh = &sh;
	api_conn_run(&c);
	if (c.logged_in)
		sh_logout(&sh);
	if (c.ssl) {
		wolfSSL_shutdown(c.ssl);
		wolfSSL_free(c.ssl);
	}
	close(fd);
	cdb_close(sh.db);
	fclose(sh.out);
	free(c.user);
	return 0;
}

static int
count_children(pid_t *kids, int n)
{
	int live = 0;

	for (int i = 0; i < n; i++) {
		if (kids[i] > 0 && waitpid(kids[i], NULL, WNOHANG) == kids[i])
			kids[i] = 0;
		live += kids[i] > 0;
	}
	return live;
}

static void
take_one(int lfd, const char *dbpath, const char *sockpath, const struct service *sv,
	 WOLFSSL_CTX *ctx, pid_t *kids)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN];
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC), slot = -1;
	pid_t pid;

	if (fd < 0)
		return;
	peer(&ss, a, text, sizeof(text));
	for (int i = 0; i < sv->max_sessions && slot < 0; i++)
		if (kids[i] == 0)
			slot = i;
	if (!sh_address_allowed(sv->address, text) || slot < 0) {
		close(fd);	/* RouterOS drops such a client without a word */
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(lfd);
		signal(SIGTERM, SIG_DFL);
		_exit(child(dbpath, sockpath, sv, ctx, fd, text));
	}
	if (pid > 0)
		kids[slot] = pid;
	close(fd);
}

static void
serve_loop(int lfd, const char *dbpath, const char *sockpath, const struct service *sv,
	   WOLFSSL_CTX *ctx)
{
	pid_t *kids = calloc(sv->max_sessions, sizeof(pid_t));

	while (!stop) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		count_children(kids, sv->max_sessions);
		if (poll(&p, 1, 500) > 0)
			take_one(lfd, dbpath, sockpath, sv, ctx, kids);
	}
	for (int i = 0; i < sv->max_sessions; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	for (int i = 0; i < sv->max_sessions; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	free(kids);
}

int
api_serve(const char *dbpath, const char *sockpath, const char *service)
{
	struct service sv = { .name = service };
	struct sigaction sa = { .sa_handler = on_term };
	WOLFSSL_CTX *ctx = NULL;
	const char *why = NULL;
	int lfd;

	if (strcmp(service, "api") && strcmp(service, "api-ssl")) {
		logf_(service, "%s", "no such service (api, api-ssl)");
		return 2;
	}
	if (read_service(dbpath, &sv, &why) ||
	    (sv.cert_pem && !(ctx = api_tls_ctx(sv.cert_pem, sv.key_pem, sv.tls_version, &why)))) {
		logf_(service, "%s", why);
		return 1;
	}
	if ((lfd = sh_listen_any(sv.port, 0)) < 0) {
		logf_(service, "cannot listen on the port: %s", strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "rosh --serve %s: listening on port %d\n", service, sv.port);
	serve_loop(lfd, dbpath, sockpath, &sv, ctx);
	close(lfd);
	if (ctx)
		wolfSSL_CTX_free(ctx);
	free(sv.address);
	free(sv.cert_pem);
	free(sv.key_pem);
	free(sv.tls_version);
	return 0;
}
