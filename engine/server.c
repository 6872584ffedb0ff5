/* server.c: a running /interface ovpn-server server: its socket (UDP, or a
 * TCP listener and one connection per client), its peers, and the mapping
 * of its configuration onto the protocol core. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine.h"
#include "net/netlink.h"
#include "net/udp_gso.h"
#include "log.h"
#include "radius.h"
#include "tunnel_cfg.h"
#include "workers.h"

#define SOCKBUF (4 << 20)	/* OpenVPN's 208 KB default drops datagrams at speed */
#define MAXPKT 2048

/* The server's certificate and key, and the trust store. */
static int
certificates(struct engine *e, struct server *s, const char *name, char *err, size_t errlen)
{
	struct tunnel_tls t;

	if (!name || !strcmp(name, "none")) {
		snprintf(err, errlen, "it has no certificate");
		return -1;
	}
	if (tunnel_tls_load(e->db, name, &t, err, errlen))
		return -1;
	s->cfg.cert_pem = s->strings[0] = t.cert;
	s->cfg.key_pem = s->strings[1] = t.key;
	s->cfg.ca_pem = s->strings[2] = t.cas;
	s->cfg.crl_pem = s->strings[5] = t.crls;
	return 0;
}

static int
configure(struct engine *e, struct server *s, const struct cdb_menu *m,
	  const struct cdb_item *it, char *err, size_t errlen)
{
	const char *ka = cdb_item_text(m, it, "keepalive-timeout");
	const char *ta = cdb_item_text(m, it, "tls-auth-key");
	const char *tc = cdb_item_text(m, it, "tls-crypt-key");
	const char *routes = cdb_item_text(m, it, "push-routes");
	char why[200];

	snprintf(s->name, sizeof(s->name), "%s", cdb_item_text(m, it, "name"));
	s->tcp = !strcmp(cdb_item_text(m, it, "protocol"), "tcp");
	s->tap = !strcmp(cdb_item_text(m, it, "mode"), "ethernet");
	s->has_mac = !nl_parse_mac(cdb_item_text(m, it, "mac-address"), s->mac);
	s->mtu = atoi(cdb_item_text(m, it, "max-mtu"));
	s->netmask = atoi(cdb_item_text(m, it, "netmask"));
	s->keepalive = strcmp(ka, "disabled") ? atoi(ka) : 0;
	snprintf(s->default_profile, sizeof(s->default_profile), "%s",
		 cdb_item_text(m, it, "default-profile"));
	snprintf(s->push_routes, sizeof(s->push_routes), "%s", routes ? routes : "");
	/* a value stored before push-routes was checked */
	if (cdb_parse_push_routes(s->push_routes, why, sizeof(why))) {
		snprintf(err, errlen, "push-routes: %s", why);
		return -1;
	}
	snprintf(s->redirect, sizeof(s->redirect), "%s", cdb_item_text(m, it, "redirect-gateway"));
	s->cfg.server = 1;
	s->cfg.tcp = s->tcp;
	s->cfg.verify_peer = !strcmp(cdb_item_text(m, it, "require-client-certificate"), "yes");
	s->cfg.tls12_only = !strcmp(cdb_item_text(m, it, "tls-version"), "only-1.2");
	s->cfg.reneg_sec = atoi(cdb_item_text(m, it, "reneg-sec"));
	s->cfg.hand_window = 60;
	s->cfg.new_client_rate = atoi(cdb_item_text(m, it, "new-client-rate"));
	s->cfg.mode_tap = s->tap;
	s->cfg.tun_mtu = s->mtu;
	s->cfg.fragment = atoi(cdb_item_text(m, it, "fragment"));	/* disabled: 0 */
	s->cfg.compression = strcmp(cdb_item_text(m, it, "compression"), "no") ? OVPN_COMP_ASYM
										 : OVPN_COMP_NO;
	s->cfg.key_direction = -1;
	/* an empty key is no key */
	if (ta && *ta) {
		s->strings[3] = strdup(ta);
		s->cfg.tls_auth_key = s->strings[3];
		s->cfg.key_direction = 0;
	}
	if (tc && *tc) {
		s->strings[4] = strdup(tc);
		s->cfg.tls_crypt_key = s->strings[4];
	}
	if (!strcmp(cdb_item_text(m, it, "enable-tun-ipv6"), "yes")) {
		const char *v6 = cdb_item_text(m, it, "tun-server-ipv6");
		char addr[INET6_ADDRSTRLEN + 8], *slash;

		/* the prefix form's length takes the place of ipv6-prefix-len */
		snprintf(addr, sizeof(addr), "%s", v6 ? v6 : "");
		s->prefix6 = atoi((slash = strchr(addr, '/')) ? slash + 1 :
				  cdb_item_text(m, it, "ipv6-prefix-len"));
		if (slash)
			*slash = '\0';
		s->v6 = inet_pton(AF_INET6, addr, s->server6) == 1 &&
			!IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *)s->server6) && s->prefix6 <= 96;
		if (!s->v6) {
			snprintf(err, errlen, "enable-tun-ipv6 needs tun-server-ipv6 set to an address "
				 "with ipv6-prefix-len of at most 96");
			return -1;
		}
	}
	tunnel_ciphers(m, it, &s->cfg);
	if (!s->cfg.nciphers) {
		snprintf(err, errlen, "none of its ciphers is available");
		return -1;
	}
	return certificates(e, s, cdb_item_text(m, it, "certificate"), err, errlen);
}

/* One socket for IPv4 and IPv6, in the VRF when one is named. */
int
server_socket(struct server *s, int port, const char *vrf, int reuse, char *err, size_t errlen)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	int off = 0, on = 1, buf = SOCKBUF;
	int fd = socket(AF_INET6, (s->tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		goto fail;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	/* TCP only: on UDP it would let two servers share a port */
	if (s->tcp)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)))
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	if (vrf && strcmp(vrf, "main")) {
		if (!if_nametoindex(vrf)) {
			snprintf(err, errlen, "VRF %s does not exist (this kernel may have no VRF "
				 "support)", vrf);
			close(fd);
			return -1;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, vrf, strlen(vrf)))
			goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || (s->tcp && listen(fd, 128)))
		goto fail;
	return fd;
fail:
	snprintf(err, errlen, "can not listen on %s port %d: %s", s->tcp ? "tcp" : "udp", port,
		 strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static void
caller_text(struct peer *p)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (p->addr.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&p->addr;

		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
			inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], host, sizeof(host));
		else
			inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		port = ntohs(a->sin6_port);
	}
	snprintf(p->caller, sizeof(p->caller), "%s:%d", host, port);
}

static void server_tick(void *ctx);

/* Bring the server's timer forward when a session needs it sooner. */
static void
arm(struct server *s, struct peer *p)
{
	uint64_t d = ovpn_sess_deadline(p->sess), next = loop_now() + 1000;

	loop_timer(s->eng->loop, d && d < next ? d : next, server_tick, s);
}

/* FNV-1a over the address bytes: every datagram finds its peer in one
 * bucket, not by walking all of them. */
static unsigned
bucket(const void *addr, socklen_t len)
{
	const uint8_t *b = addr;
	uint32_t h = 2166136261u;

	for (socklen_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h % PEER_BUCKETS;
}

void
server_forget_peer(struct server *s, struct peer *p)
{
	if (p->tcp >= 0)
		return;
	for (struct peer **pp = &s->byaddr[bucket(&p->addr, p->addrlen)]; *pp; pp = &(*pp)->hnext)
		if (*pp == p) {
			*pp = p->hnext;
			return;
		}
}

static struct peer *
peer_new(struct server *s, const struct sockaddr_storage *addr, socklen_t alen, int tcp,
	 int worker)
{
	struct peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->srv = s;
	p->tcp = tcp;
	p->worker = worker;
	pump_init(&p->pump, p->ifname);
	memcpy(&p->addr, addr, alen);
	p->addrlen = alen;
	caller_text(p);
	p->peer_id = s->next_peer_id++ & 0xffffff;
	p->born = loop_now();
	p->sess = ovpn_sess_new(s->shared, &peer_io, p, p->peer_id, loop_now());
	if (!p->sess) {
		free(p);
		return NULL;
	}
	p->next = s->peers;
	s->peers = p;
	if (tcp < 0) {
		unsigned b = bucket(&p->addr, alen);

		p->hnext = s->byaddr[b];
		s->byaddr[b] = p;
	}
	return p;
}

struct peer *
server_peer_by_addr(struct server *s, const struct sockaddr_storage *a, socklen_t alen)
{
	for (struct peer *p = s->byaddr[bucket(a, alen)]; p; p = p->hnext)
		if (!p->closing && p->addrlen == alen && !memcmp(&p->addr, a, alen))
			return p;
	return NULL;
}

/* One datagram: a known peer gets it; an unknown one goes through the
 * cookie handshake and gets no state until it echoes it. */
void
server_datagram(struct server *s, const uint8_t *pkt, size_t len, struct sockaddr_storage *from,
		socklen_t alen, uint64_t now, int worker)
{
	struct peer *p = server_peer_by_addr(s, from, alen);
	uint8_t reply[MAXPKT];
	size_t rlen = sizeof(reply);

	if (!p) {
		int r = ovpn_server_initial(s->shared, pkt, len, from, alen, now, reply, &rlen);

		if (r == 1)
			sendto(s->fd, reply, rlen, MSG_DONTWAIT, (struct sockaddr *)from, alen);
		if (r != 2 || !(p = peer_new(s, from, alen, -1, worker)))
			return;
		if (worker >= 0)
			log_msg(LOG_DEBUG, "ovpn", "%s: carried by worker %d", p->caller, worker);
	}
	ovpn_sess_input(p->sess, pkt, len, now);
	if (!p->closing)
		arm(s, p);
}

/* One datagram the loop's socket took (pump_udp_read: a batch of
 * messages, each one datagram or, with UDP_GRO, a run from one sender). */
static void
udp_datagram(void *ctx, const uint8_t *pkt, size_t len, struct sockaddr_storage *from,
	     socklen_t fromlen, uint64_t now)
{
	server_datagram(ctx, pkt, len, from, fromlen, now, -1);
}

static void
on_udp(void *ctx, uint32_t events)
{
	static uint8_t bufs[PUMP_RECV_BATCH][PUMP_RECV_MAX];
	struct server *s = ctx;

	(void)events;
	/* a few batches per wake-up, then back to the loop: under a steady
	 * flood the socket never runs dry, and timers (the reaping of ended
	 * sessions among them) must still run */
	pump_udp_read(s->fd, bufs, 4, &s->batch, udp_datagram, s);
}

static void on_tcp_peer(void *ctx, uint32_t events);

static void
on_accept(void *ctx, uint32_t events)
{
	struct server *s = ctx;
	struct sockaddr_storage from;
	socklen_t alen = sizeof(from);
	int fd, on = 1;

	(void)events;
	while ((fd = accept4(s->fd, (struct sockaddr *)&from, &alen, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct peer *p;

		alen = sizeof(from);
		if (prelogin_admit(s, &from)) {
			close(fd);
			continue;
		}
		/* without it every handshake waits out Nagle's 40 ms twice */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		if (!(p = peer_new(s, &from, alen, fd, -1))) {
			close(fd);
			continue;
		}
		loop_add(s->eng->loop, fd, EPOLLIN, on_tcp_peer, p);
		arm(s, p);
	}
}

/* Each TCP packet is a 16-bit length and that many bytes (tcp_stream.c). */
static void
on_tcp_peer(void *ctx, uint32_t events)
{
	struct peer *p = ctx;
	const uint8_t *pkt;
	size_t len;
	ssize_t n;

	if ((events & EPOLLOUT) && tcp_stream_flush(&p->stream, p->tcp, p->srv->eng->loop))
		peer_gone(p, "connection lost");
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || p->closing)
		return;
	while ((n = tcp_stream_read(&p->stream, p->tcp)) > 0)
		while ((pkt = tcp_stream_packet(&p->stream, &len))) {
			ovpn_sess_input(p->sess, pkt, len, loop_now());
			if (p->closing)
				return;
		}
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
		peer_gone(p, "connection closed by peer");
		return;
	}
	arm(p->srv, p);
}

struct pump_batch *
server_batch(struct server *s, int worker, int *fd)
{
	if (worker >= 0 && s->socks) {
		if (fd)
			*fd = server_worker_fd(s, worker);
		return server_worker_batch(s, worker);
	}
	if (fd)
		*fd = s->fd;
	return &s->batch;
}

/* On a worker (its own peers only) through that worker's socket. */
void
peer_send(struct peer *p, const uint8_t *pkt, size_t len)
{
	struct server *s = p->srv;

	if (p->tcp < 0) {
		int fd;
		struct pump_batch *b = server_batch(s, worker_self(), &fd);

		pump_batch_send(b, fd, (struct sockaddr *)&p->addr, p->addrlen, pkt, len);
		return;
	}
	switch (tcp_stream_send(&p->stream, p->tcp, s->eng->loop, pkt, len)) {
	case -2:
		peer_gone(p, "peer does not read");
		break;
	case -1:
		peer_gone(p, "connection lost");
		break;
	}
}

static void
server_tick(void *ctx)
{
	struct server *s = ctx;
	uint64_t now = loop_now(), next = now + 1000;

	for (struct peer *p = s->peers, *nx; p; p = nx) {
		uint64_t d;

		nx = p->next;
		if (p->closing)
			continue;
		if ((d = ovpn_sess_deadline(p->sess)) && d <= now)
			ovpn_sess_tick(p->sess, now);
		if (!p->closing && (d = ovpn_sess_deadline(p->sess)) && d < next)
			next = d;
	}
	if (s->tcp)
		prelogin_expire(s, now);
	prelogin_report(s, now);
	loop_timer(s->eng->loop, next > now ? next : now + 1, server_tick, s);
}

/* TCP, or UDP without workers: one socket on the loop. UDP with workers:
 * one per worker (server_workers.c), the loop only sending on the first. */
static int
listen_all(struct server *s, const struct cdb_item *it, const struct cdb_menu *m, char *err,
	   size_t errlen)
{
	int port = atoi(cdb_item_text(m, it, "port"));
	const char *vrf = cdb_item_text(m, it, "vrf");

	if (!s->tcp && workers_count())
		return server_workers_listen(s, port, vrf, err, errlen);
	if ((s->fd = server_socket(s, port, vrf, 0, err, errlen)) < 0)
		return -1;
	return loop_add(s->eng->loop, s->fd, EPOLLIN, s->tcp ? on_accept : on_udp, s);
}

struct server *
server_start(struct engine *e, long long id, const char *fingerprint, char *err, size_t errlen)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/interface/ovpn-server/server");
	struct server *s = calloc(1, sizeof(*s));
	struct cdb_item it;
	struct cdb_err ce;

	s->eng = e;
	s->id = id;
	s->fd = -1;
	s->next_peer_id = 1;
	if (cdb_item_get(e->db, m, id, &it, &ce)) {
		snprintf(err, errlen, "%s", ce.msg);
		free(s);
		return NULL;
	}
	if (configure(e, s, m, &it, err, errlen) ||
	    !(s->shared = ovpn_shared_new(&s->cfg, err, errlen)) ||
	    listen_all(s, &it, m, err, errlen)) {
		cdb_item_clear(&it);
		server_stop(s, NULL);
		return NULL;
	}
	/* UDP: bursts in and out with one system call (udp_gso.c); an old
	 * kernel without UDP_GRO just gives single datagrams */
	if (!s->tcp && !s->socks)
		udp_gro_enable(s->fd);
	pump_batch_want(&s->batch, !s->tcp, !s->tap);
	log_msg(LOG_INFO, "ovpn", "server %s listening on %s port %s", s->name,
		s->tcp ? "tcp" : "udp", cdb_item_text(m, &it, "port"));
	cdb_item_clear(&it);
	s->fingerprint = strdup(fingerprint);
	s->next = e->servers;
	e->servers = s;
	rt_running(e, m->path, id, 1);
	loop_timer(e->loop, loop_now() + 1000, server_tick, s);
	return s;
}

/* Close every tunnel (telling the peers), then the socket. */
void
server_stop(struct server *s, const char *reason)
{
	struct engine *e = s->eng;

	while (s->peers) {
		struct peer *p = s->peers;

		if (reason && !p->closing) {
			radius_ended(p, reason);
			ovpn_sess_close(p->sess, reason, loop_now());
		}
		s->peers = p->next;
		peer_free(p);
	}
	for (struct server **pp = &e->servers; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	prelogin_report(s, UINT64_MAX);	/* what the minute so far saw */
	if (reason) {
		log_msg(LOG_INFO, "ovpn", "server %s stopped: %s", s->name, reason);
		rt_running(e, "/interface/ovpn-server/server", s->id, 0);
	}
	loop_timer(e->loop, 0, server_tick, s);
	workers_forget(s);
	if (s->socks)
		server_workers_close(s);	/* s->fd among them */
	else if (s->fd >= 0) {
		loop_del(e->loop, s->fd);
		close(s->fd);
	}
	ovpn_shared_free(s->shared);
	for (int i = 0; i < 8; i++)
		free(s->strings[i]);
	free(s->fingerprint);
	pump_batch_free(&s->batch);
	free(s);
}
