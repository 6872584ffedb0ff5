/* client_connect.c: a client's way to its server: the name lookup (in the
 * background with getaddrinfo_a, so a slow resolver never holds the event
 * loop), the UDP socket or TCP connection, the HTTP CONNECT through a
 * proxy, and OpenVPN's packets over it (TCP: each a 16-bit length and the
 * bytes). Every failure ends in client_fail(), which backs off and retries. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "log.h"
#include "net/udp_gso.h"

#define PHASE_MS 10000		/* for each of: name lookup, TCP connect, proxy reply */
#define PROXY_REPLY_MAX 4096
#define SOCKBUF (4 << 20)

/* A lookup owns its strings: getaddrinfo_a's thread reads them. */
struct resolve {
	struct gaicb cb;
	struct addrinfo hints;
	char name[256];
	char service[8];
	struct resolve *next;	/* on the orphan list once its client let go */
};

static struct resolve *orphans;	/* lookups that could not be cancelled */

static void
reap_orphans(void)
{
	for (struct resolve **pp = &orphans, *r; (r = *pp);) {
		if (gai_error(&r->cb) == EAI_INPROGRESS) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		if (r->cb.ar_result)
			freeaddrinfo(r->cb.ar_result);
		free(r);
	}
}

/* "host:port:proto" from the right, so an IPv6 host keeps its colons. */
static int
parse_remote(const char *text, struct client_remote *r)
{
	char buf[300], *proto, *port;

	if (snprintf(buf, sizeof(buf), "%s", text) >= (int)sizeof(buf) ||
	    !(proto = strrchr(buf, ':')))
		return -1;
	*proto++ = '\0';
	if (!(port = strrchr(buf, ':')))
		return -1;
	*port++ = '\0';
	if (!buf[0] || strlen(buf) >= sizeof(r->host) || atoi(port) < 1 || atoi(port) > 65535 ||
	    strspn(port, "0123456789") != strlen(port) ||
	    (strcmp(proto, "tcp") && strcmp(proto, "udp")))
		return -1;
	snprintf(r->host, sizeof(r->host), "%.255s", buf[0] == '[' ? buf + 1 : buf);
	if (buf[0] == '[' && strchr(r->host, ']'))
		*strchr(r->host, ']') = '\0';
	r->port = atoi(port);
	r->tcp = !strcmp(proto, "tcp");
	return 0;
}

int
client_parse_remotes(struct client *c, const char *host, int port, int tcp, const char *backups,
		     char *err, size_t errlen)
{
	char copy[1100], *save = NULL, *w;

	snprintf(c->remotes[0].host, sizeof(c->remotes[0].host), "%s", host);
	c->remotes[0].port = port;
	c->remotes[0].tcp = tcp;
	c->nremotes = 1;
	snprintf(copy, sizeof(copy), "%s", backups ? backups : "");
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (c->nremotes == CLIENT_REMOTES) {
			snprintf(err, errlen, "backup-remotes names more than %d servers",
				 CLIENT_REMOTES - 1);
			return -1;
		}
		if (parse_remote(w, &c->remotes[c->nremotes])) {
			snprintf(err, errlen, "backup-remotes: '%s' is not host:port:tcp or "
				 "host:port:udp", w);
			return -1;
		}
		c->nremotes++;
	}
	return 0;
}

/* ---- the stream and the datagrams ---- */

void
client_send(struct client *c, const uint8_t *pkt, size_t len)
{
	if (c->fd < 0)
		return;
	if (!c->tcp)
		pump_batch_send(&c->batch, c->fd, NULL, 0, pkt, len);
	else if (tcp_stream_send(&c->stream, c->fd, c->eng->loop, pkt, len) == -1)
		client_lost(c, "connection lost: %s", strerror(errno));
	/* -2: a server that reads nothing; ping-restart ends a dead stream */
}

static void
input(struct client *c, const uint8_t *pkt, size_t len)
{
	c->got_reply = 1;
	ovpn_sess_input(c->sess, pkt, len, loop_now());
}

/* Whole packets out of the stream; what is left waits for more. */
static void
tcp_packets(struct client *c)
{
	const uint8_t *pkt;
	size_t len;

	while (c->sess && !c->sess_down && (pkt = tcp_stream_packet(&c->stream, &len)))
		input(c, pkt, len);
}

static void
on_stream(struct client *c)
{
	ssize_t n = -1;

	while (c->sess && !c->sess_down && (n = tcp_stream_read(&c->stream, c->fd)) > 0)
		tcp_packets(c);
	if (!c->sess || c->sess_down)
		return;
	if (n == 0)
		client_fail(c, "connection closed by the server%s", c->got_reply ? "" :
			    " before it answered");
	else if (errno != EAGAIN && errno != EWOULDBLOCK)
		client_fail(c, "connection lost: %s", strerror(errno));
	else
		client_arm(c);
}

/* Datagrams from the server; with UDP_GRO one read may hold a run of them. */
static void
on_udp(void *ctx, uint32_t events)
{
	struct client *c = ctx;
	static uint8_t buf[65536];	/* max-mtu may be up to 65535 */
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = 0;

	(void)events;
	c->batch.on = 1;
	for (int i = 0; i < 64 && c->sess && !c->sess_down; i++) {
		size_t seg;

		m.msg_control = ctl.b;
		m.msg_controllen = sizeof(ctl.b);
		if ((n = recvmsg(c->fd, &m, MSG_DONTWAIT)) < 0)
			break;
		seg = udp_gro_size(&m);
		if (!seg)
			seg = (size_t)n;
		for (size_t off = 0; off < (size_t)n && c->sess && !c->sess_down; off += seg)
			input(c, buf + off, (size_t)n - off < seg ? (size_t)n - off : seg);
	}
	pump_batch_flush(&c->batch, c->fd);
	if (!c->sess || c->sess_down)
		return;
	if (n < 0 && errno == ECONNREFUSED)
		client_fail(c, "connection refused (nothing listens on udp port %d)",
			    c->remotes[c->cur].port);
	else
		client_arm(c);
}

/* ---- the proxy ---- */

static void
proxy_request(struct client *c)
{
	const struct client_remote *r = &c->remotes[c->cur];
	char req[1024];
	int v6 = strchr(r->host, ':') != NULL;
	int n = snprintf(req, sizeof(req), "CONNECT %s%s%s:%d HTTP/1.0\r\nHost: %s%s%s:%d\r\n%s%s%s\r\n",
			 v6 ? "[" : "", r->host, v6 ? "]" : "", r->port, v6 ? "[" : "", r->host,
			 v6 ? "]" : "", r->port, c->proxy_auth ? "Proxy-Authorization: Basic " : "",
			 c->proxy_auth ? c->proxy_auth : "", c->proxy_auth ? "\r\n" : "");

	c->state = CL_PROXY;
	c->phase_deadline = loop_now() + PHASE_MS;
	if (n <= 0 || n >= (int)sizeof(req) || send(c->fd, req, n, MSG_NOSIGNAL) != n) {
		client_fail(c, "can not send CONNECT to the proxy: %s", strerror(errno));
		return;
	}
	loop_mod(c->eng->loop, c->fd, EPOLLIN);
	client_arm(c);
}

/* "HTTP/1.x 200 ..." up to an empty line; bytes after it are the stream. */
static void
proxy_reply(struct client *c)
{
	struct tcp_stream *t = &c->stream;
	ssize_t n = tcp_stream_read(t, c->fd);
	char line[128];
	uint8_t *end;
	size_t hdr;
	int code;

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		client_fail(c, "the proxy closed the connection%s", n ? "" : " without a reply");
		return;
	}
	if (!(end = memmem(t->rx, t->rxlen, "\r\n\r\n", 4))) {
		if (t->rxlen >= PROXY_REPLY_MAX)
			client_fail(c, "malformed reply from the proxy (no end of header in %d bytes)",
				    PROXY_REPLY_MAX);
		return;
	}
	hdr = (size_t)(end - t->rx) + 4;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn((char *)t->rx, "\r\n"), (char *)t->rx);
	if (strncmp(line, "HTTP/1.", 7) || !strchr("01", line[7]) || line[8] != ' ' ||
	    sscanf(line + 9, "%3d", &code) != 1 || strspn(line + 9, "0123456789") != 3) {
		client_fail(c, "malformed reply from the proxy: '%.60s'", line);
		return;
	}
	if (code != 200) {
		client_fail(c, "the proxy refused the connection: %s%s", line + 9,
			    code == 407 ? " (check http-proxy-user and http-proxy-password)" : "");
		return;
	}
	t->off = hdr;		/* what follows it is the stream */
	log_msg(LOG_DEBUG, "ovpn", "client %s: proxy %s connected us", c->name, c->proxy);
	client_session_start(c);
	tcp_packets(c);
}

/* ---- connecting ---- */

static void
connected(struct client *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		client_fail(c, "can not connect to %s port %d: %s", c->proxy[0] ? c->proxy :
			    c->remotes[c->cur].host, c->proxy[0] ? c->proxy_port :
			    c->remotes[c->cur].port, strerror(err ? err : errno));
		return;
	}
	if (c->proxy[0]) {
		proxy_request(c);
		return;
	}
	loop_mod(c->eng->loop, c->fd, EPOLLIN);
	client_session_start(c);
}

static void
on_tcp(void *ctx, uint32_t events)
{
	struct client *c = ctx;

	if (c->state == CL_CONNECTING) {
		connected(c);
		return;
	}
	if (c->state == CL_PROXY) {
		proxy_reply(c);
		return;
	}
	if ((events & EPOLLOUT) && tcp_stream_flush(&c->stream, c->fd, c->eng->loop))
		client_lost(c, "connection lost: %s", strerror(errno));
	if (c->sess && !c->sess_down && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		on_stream(c);
}

static void
connect_to(struct client *c, const struct addrinfo *ai)
{
	int on = 1, buf = SOCKBUF;

	c->fd = socket(ai->ai_family, (c->tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK |
		       SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		client_fail(c, "socket: %s", strerror(errno));
		return;
	}
	memcpy(&c->server, ai->ai_addr, ai->ai_addrlen);
	c->serverlen = ai->ai_addrlen;
	if (c->tcp) {
		/* without it every handshake waits out Nagle's 40 ms */
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	} else {
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
		/* bursts in and out with one system call (udp_gso.c) */
		udp_gro_enable(c->fd);
		pump_batch_want(&c->batch, 1, 0);
	}
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
		client_fail(c, "can not connect to %s: %s", c->remotes[c->cur].host, strerror(errno));
		return;
	}
	if (!c->tcp) {
		loop_add(c->eng->loop, c->fd, EPOLLIN, on_udp, c);
		client_session_start(c);
		return;
	}
	c->state = CL_CONNECTING;
	c->phase_deadline = loop_now() + PHASE_MS;
	loop_add(c->eng->loop, c->fd, EPOLLOUT, on_tcp, c);
	client_arm(c);
}

void
client_resolve_poll(struct client *c)
{
	struct resolve *r = c->gai;
	int rc;

	if (!r)
		return;
	rc = gai_error(&r->cb);
	if (rc == EAI_INPROGRESS) {
		if (loop_now() >= c->phase_deadline)
			client_fail(c, "timeout: can not resolve %s in %d s", r->name, PHASE_MS / 1000);
		return;
	}
	if (rc) {
		client_fail(c, "can not resolve %s: %s", r->name, gai_strerror(rc));
		return;
	}
	c->gai = NULL;
	connect_to(c, r->cb.ar_result);
	freeaddrinfo(r->cb.ar_result);
	free(r);
}

/* One attempt at the current remote (through the proxy when one is set). */
void
client_attempt(struct client *c)
{
	const struct client_remote *rm = &c->remotes[c->cur];
	struct resolve *r = calloc(1, sizeof(*r));
	struct gaicb *list[1] = { &r->cb };
	struct addrinfo *ai = NULL;

	reap_orphans();
	c->tcp = rm->tcp;
	c->state = CL_RESOLVING;
	c->phase_deadline = loop_now() + PHASE_MS;
	snprintf(r->name, sizeof(r->name), "%s", c->proxy[0] ? c->proxy : rm->host);
	snprintf(r->service, sizeof(r->service), "%d", c->proxy[0] ? c->proxy_port : rm->port);
	r->hints.ai_family = AF_UNSPEC;
	r->hints.ai_socktype = c->tcp ? SOCK_STREAM : SOCK_DGRAM;
	r->hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	log_msg(LOG_DEBUG, "ovpn", "client %s: connecting to %s:%d/%s%s%s", c->name, rm->host,
		rm->port, c->tcp ? "tcp" : "udp", c->proxy[0] ? " through proxy " : "", c->proxy);
	client_status(c);
	if (!getaddrinfo(r->name, r->service, &r->hints, &ai)) {
		free(r);
		connect_to(c, ai);
		freeaddrinfo(ai);
		return;
	}
	r->hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
	r->cb.ar_name = r->name;
	r->cb.ar_service = r->service;
	r->cb.ar_request = &r->hints;
	if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) {
		free(r);
		client_fail(c, "can not start resolving %s", rm->host);
		return;
	}
	c->gai = r;
	client_arm(c);
}

void
client_transport_close(struct client *c)
{
	if (c->gai) {
		if (gai_cancel(&c->gai->cb) == EAI_NOTCANCELED) {
			c->gai->next = orphans;
			orphans = c->gai;
		} else {
			if (c->gai->cb.ar_result)
				freeaddrinfo(c->gai->cb.ar_result);
			free(c->gai);
		}
		c->gai = NULL;
	}
	if (c->fd >= 0) {
		loop_del(c->eng->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	tcp_stream_free(&c->stream);
}
