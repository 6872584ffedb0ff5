/* client_push.c: what the server's PUSH_REPLY changes on this host: the
 * tun (tap) interface named as the client item, its address and MTU, the
 * pushed routes (unless route-nopull), a default route when
 * add-default-route=yes, and DNS servers into /ip dns dynamic-servers when
 * use-peer-dns=yes (and the profile's own routes= and dns-servers=, from
 * client_options.c). The interface, its address and routes stay across a
 * reconnect (as OpenVPN's persist-tun), so traffic does not leak around
 * the tunnel while it is down and connections through it survive; DNS
 * goes at once. All of it goes when the client stops. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "client.h"
#include "ip.h"
#include "log.h"
#include "net/netlink.h"

#define MAXPKT 65536

static int
ip4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* A netmask's prefix length, -1 when the mask is not contiguous. */
static int
mask_len(uint32_t m)
{
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	return (len < 32 && (m << len)) ? -1 : len;
}

/* route network [netmask] [gateway] [metric] */
static void
parse_route(char **w, int n, struct client_push *p, int *later_gw)
{
	struct client_route *r = &p->routes[p->nroutes];
	uint32_t mask = 0xffffffffu;

	if (p->nroutes == CLIENT_ROUTES - 2 || n < 2 || ip4(w[1], &r->dst) ||
	    (n > 2 && strcmp(w[2], "default") && ip4(w[2], &mask)) || mask_len(mask) < 0) {
		log_msg(LOG_WARN, "ovpn", "pushed route ignored: %s %s", n > 1 ? w[1] : "",
			n > 2 ? w[2] : "");
		return;
	}
	memset(r, 0, sizeof(*r));
	ip4(w[1], &r->dst);
	r->len = mask_len(mask);
	r->dst &= mask;
	later_gw[p->nroutes] = 1;
	if (n > 3 && strcmp(w[3], "vpn_gateway") && strcmp(w[3], "default")) {
		if (ip4(w[3], &r->gw)) {
			log_msg(LOG_WARN, "ovpn", "pushed route %s: gateway %s is not supported",
				w[1], w[3]);
			return;
		}
		later_gw[p->nroutes] = 0;
	}
	if (n > 4)
		r->metric = atoi(w[4]);
	p->nroutes++;
}

static void
add_dns(struct client_push *p, const char *addr)
{
	uint8_t b[16];

	if (p->ndns < CLIENT_DNS && (inet_pton(AF_INET, addr, b) == 1 || inet_pton(AF_INET6, addr, b) == 1))
		snprintf(p->dns[p->ndns++], sizeof(p->dns[0]), "%s", addr);
}

/* route-ipv6 network/len [gateway]: through the tunnel interface */
static void
parse_route6(const char *text, struct client_push *p)
{
	struct client_route6 *r = &p->routes6[p->nroutes6];
	char a[64], *slash;

	snprintf(a, sizeof(a), "%s", text);
	r->len = (slash = strchr(a, '/')) ? atoi(slash + 1) : 128;
	if (slash)
		*slash = '\0';
	if (p->nroutes6 == CLIENT_ROUTES6 || inet_pton(AF_INET6, a, r->dst) != 1 || r->len < 0 ||
	    r->len > 128) {
		log_msg(LOG_WARN, "ovpn", "pushed route-ipv6 ignored: %.60s", text);
		return;
	}
	p->nroutes6++;
}

/* One option, split into words. */
static void
parse_option(char **w, int n, struct client_push *p, int *subnet, uint32_t *second, int *later)
{
	if (!strcmp(w[0], "ifconfig") && n >= 3) {
		p->have_ifconfig = !ip4(w[1], &p->local) && !ip4(w[2], second);
	} else if (!strcmp(w[0], "topology") && n >= 2) {
		*subnet = !strcmp(w[1], "subnet");
	} else if (!strcmp(w[0], "route-gateway") && n >= 2) {
		ip4(w[1], &p->route_gw);
	} else if (!strcmp(w[0], "route")) {
		parse_route(w, n, p, later);
	} else if (!strcmp(w[0], "redirect-gateway")) {
		p->redirect = 1;
	} else if (!strcmp(w[0], "dhcp-option") && n >= 3 &&
		   (!strcmp(w[1], "DNS") || !strcmp(w[1], "DNS6"))) {
		add_dns(p, w[2]);
	} else if (!strcmp(w[0], "dns") && n >= 5 && !strcmp(w[1], "server") &&
		   !strcmp(w[3], "address")) {
		for (int i = 4; i < n; i++)
			add_dns(p, w[i]);
	} else if (!strcmp(w[0], "tun-mtu") && n >= 2) {
		p->tun_mtu = atoi(w[1]);
	} else if (!strcmp(w[0], "route-ipv6") && n >= 2) {
		parse_route6(w[1], p);
	} else if (!strcmp(w[0], "ifconfig-ipv6") && n >= 2) {
		char a[64], *slash;

		snprintf(a, sizeof(a), "%s", w[1]);
		p->len6 = (slash = strchr(a, '/')) ? atoi(slash + 1) : 64;
		if (slash)
			*slash = '\0';
		p->have_v6 = inet_pton(AF_INET6, a, p->local6) == 1 && p->len6 > 0 && p->len6 <= 128;
	}
}

int
client_push_parse(const char *opts, struct client_push *p, char *err, size_t errlen)
{
	char *copy = strdup(opts), *save = NULL, *o;
	int subnet = 0, later[CLIENT_ROUTES] = { 0 };
	uint32_t second = 0;

	memset(p, 0, sizeof(*p));
	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *w[12], *s2 = NULL;
		int n = 0;

		for (char *t = strtok_r(o, " \t", &s2); t && n < 12; t = strtok_r(NULL, " \t", &s2))
			w[n++] = t;
		if (n)
			parse_option(w, n, p, &subnet, &second, later);
	}
	free(copy);
	if (p->have_ifconfig && (subnet || mask_len(second) >= 8)) {
		p->mask = second;
		if (mask_len(second) < 0) {
			snprintf(err, errlen, "pushed ifconfig has a bad netmask");
			return -1;
		}
	} else if (p->have_ifconfig) {
		p->peer = second;
	}
	if (!p->route_gw)
		p->route_gw = p->peer;
	for (int i = 0; i < p->nroutes; i++)
		if (later[i])
			p->routes[i].gw = p->route_gw;
	return 0;
}

/* ---- the interface ---- */

static void
iface_running(struct client *c, int on)
{
	if (c->iface_id > 0)
		rt_running(c->eng, "/interface", c->iface_id, on);
}

static int
make_tun(struct client *c, char *err, size_t errlen)
{
	char why[160];

	if (c->pump.tun >= 0)
		return 0;
	if (pump_open(&c->pump, c->tap, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	pump_batch_want(&c->batch, 0, c->pump.gso);
	if (c->tap && c->has_mac && nl_link_mac(c->ifname, c->mac)) {
		snprintf(err, errlen, "can not set mac-address of %s: %s", c->ifname, nl_error());
		return -1;
	}
	loop_add(c->eng->loop, c->pump.tun, EPOLLIN, client_on_tun, c);
	c->iface_id = rt_iface_add(c->eng, c->ifname, c->ifname, "ovpn-out", c->max_mtu, 0);
	return 0;
}

static int
addresses(struct client *c, const struct client_push *p, char *err, size_t errlen)
{
	int len = p->peer ? 32 : mask_len(p->mask);

	if (c->local && (c->local != p->local || c->mask != p->mask || c->peer != p->peer)) {
		nl_addr4(c->ifname, c->local, c->peer ? 32 : mask_len(c->mask), c->peer, 0);
		c->local = 0;
	}
	if (p->have_ifconfig && !c->local) {
		if (nl_addr4(c->ifname, p->local, len, p->peer, 1)) {
			snprintf(err, errlen, "can not set the pushed address on %s: %s", c->ifname,
				 nl_error());
			return -1;
		}
		c->local = p->local;
		c->mask = p->mask;
		c->peer = p->peer;
	}
	if (p->have_v6 && (!c->have_local6 || memcmp(c->local6, p->local6, 16))) {
		if (c->have_local6)
			nl_addr6(c->ifname, c->local6, c->len6, 0);
		c->have_local6 = !nl_addr6(c->ifname, p->local6, p->len6, 1);
		memcpy(c->local6, p->local6, 16);
		c->len6 = p->len6;
	}
	return 0;
}

/* ---- routes ---- */

static int
same_route(const struct client_route *a, const struct client_route *b)
{
	return a->dst == b->dst && a->len == b->len && a->gw == b->gw && a->metric == b->metric &&
	       !strcmp(a->dev, b->dev);
}

static int
route_in(const struct client_route *r, const struct client_route *set, int n)
{
	for (int i = 0; i < n; i++)
		if (same_route(r, &set[i]))
			return 1;
	return 0;
}

/* The way to the server as it is now, kept as a host route so that the
 * default route through the tunnel does not swallow the tunnel itself. */
static int
server_route(struct client *c, struct client_route *r)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&c->server;

	memset(r, 0, sizeof(*r));
	if (c->server.ss_family != AF_INET) {
		log_msg(LOG_WARN, "ovpn", "client %s: no host route kept to an IPv6 server",
			c->name);
		return -1;
	}
	r->dst = ntohl(sin->sin_addr.s_addr);
	r->len = 32;
	if (client_route_lookup(&c->server, &r->gw, r->dev, sizeof(r->dev)) || !r->dev[0]) {
		log_msg(LOG_WARN, "ovpn", "client %s: no route to the server to keep", c->name);
		return -1;
	}
	if (!strcmp(r->dev, c->ifname)) {
		/* ours from before (a new server address): the old host route
		 * is gone with the rest below, the lookup can not be trusted */
		for (int i = 0; i < c->nroutes; i++)
			if (c->routes[i].len == 32 && c->routes[i].dst == r->dst &&
			    strcmp(c->routes[i].dev, c->ifname)) {
				*r = c->routes[i];
				return 0;
			}
		return -1;
	}
	return 0;
}

static int
wanted_routes(struct client *c, const struct client_push *p, struct client_route *want)
{
	int n = 0;

	if (!c->nopull)
		for (int i = 0; i < p->nroutes; i++) {
			want[n] = p->routes[i];
			snprintf(want[n].dev, sizeof(want[n].dev), "%s", c->ifname);
			n++;
		}
	/* the profile's own route lines hold even with route-nopull */
	for (int i = 0; i < c->nsroutes && n < CLIENT_ROUTES - 3; i++) {
		want[n] = c->sroutes[i];
		want[n].gw = p->route_gw;
		snprintf(want[n].dev, sizeof(want[n].dev), "%s", c->ifname);
		n++;
	}
	if (p->redirect && !c->add_default)
		log_msg(LOG_INFO, "ovpn", "client %s: pushed redirect-gateway not followed "
			"(add-default-route=no)", c->name);
	if (c->add_default) {
		struct client_route half = { .len = 1, .gw = p->route_gw };

		snprintf(half.dev, sizeof(half.dev), "%s", c->ifname);
		want[n++] = half;
		half.dst = 0x80000000u;
		want[n++] = half;
		if (!server_route(c, &want[n]))
			n++;
	}
	return n;
}

/* The route as a dynamic /ip route item (D) while the kernel has it. */
static void
route_shown(struct client *c, struct client_route *r, int on)
{
	char dst[40], a[16], gw[16], dist[8];
	struct cdb_kv kv[] = {
		{ "dst-address", dst }, { "gateway", r->gw ? cdb_fmt_ip4(r->gw, gw) : r->dev },
		{ "distance", dist }, { "routing-table", "main" }, { "active", "yes" },
		{ "comment", c->name },
	};

	if (!on) {
		if (r->row > 0)
			cdb_rt_del(c->eng->db, "/ip/route", r->row);
		r->row = 0;
		return;
	}
	snprintf(dst, sizeof(dst), "%s/%d", cdb_fmt_ip4(r->dst, a), r->len);
	snprintf(dist, sizeof(dist), "%d", r->metric >= 1 && r->metric <= 255 ? r->metric : 1);
	if ((r->row = cdb_rt_new_id(c->eng->db)) > 0 &&
	    cdb_rt_put(c->eng->db, "/ip/route", r->row, kv, 6))
		r->row = 0;
}

static void
routes(struct client *c, const struct client_push *p)
{
	struct client_route want[CLIENT_ROUTES + 1];
	int nw = wanted_routes(c, p, want), kept = 0;

	for (int i = 0; i < c->nroutes; i++) {
		struct client_route *r = &c->routes[i];

		if (route_in(r, want, nw)) {
			c->routes[kept++] = *r;
		} else {
			nl_route4(r->dev, r->dst, r->len, r->gw, 254, r->metric, 0);
			route_shown(c, r, 0);
		}
	}
	c->nroutes = kept;
	for (int i = 0; i < nw && c->nroutes < CLIENT_ROUTES; i++) {
		struct client_route *r = &want[i];
		char dst[16];

		if (route_in(r, c->routes, c->nroutes))
			continue;
		if (nl_route4(r->dev, r->dst, r->len, r->gw, 254, r->metric, 1)) {
			snprintf(dst, sizeof(dst), "%u.%u.%u.%u", r->dst >> 24, (r->dst >> 16) & 255,
				 (r->dst >> 8) & 255, r->dst & 255);
			log_msg(LOG_WARN, "ovpn", "client %s: route %s/%d: %s", c->name, dst, r->len,
				nl_error());
			continue;
		}
		route_shown(c, r, 1);
		c->routes[c->nroutes++] = *r;
	}
}

static int
route6_in(const struct client_route6 *r, const struct client_route6 *set, int n)
{
	for (int i = 0; i < n; i++)
		if (r->len == set[i].len && !memcmp(r->dst, set[i].dst, 16))
			return 1;
	return 0;
}

static void
routes6(struct client *c, const struct client_push *p)
{
	struct client_route6 all[2 * CLIENT_ROUTES6];
	int want = 0, kept = 0;

	for (int i = 0; !c->nopull && i < p->nroutes6; i++)
		all[want++] = p->routes6[i];
	for (int i = 0; i < c->nsroutes6 && want < CLIENT_ROUTES6; i++)	/* routes= */
		if (!route6_in(&c->sroutes6[i], all, want))
			all[want++] = c->sroutes6[i];
	for (int i = 0; i < c->nroutes6; i++) {
		if (route6_in(&c->routes6[i], all, want))
			c->routes6[kept++] = c->routes6[i];
		else
			nl_route6(c->ifname, c->routes6[i].dst, c->routes6[i].len, 0);
	}
	c->nroutes6 = kept;
	for (int i = 0; i < want; i++) {
		if (route6_in(&all[i], c->routes6, c->nroutes6))
			continue;
		if (nl_route6(c->ifname, all[i].dst, all[i].len, 1))
			log_msg(LOG_WARN, "ovpn", "client %s: route-ipv6: %s", c->name, nl_error());
		else
			c->routes6[c->nroutes6++] = all[i];
	}
}

static void
routes_remove(struct client *c)
{
	for (int i = 0; i < c->nroutes; i++) {
		nl_route4(c->routes[i].dev, c->routes[i].dst, c->routes[i].len, c->routes[i].gw, 254,
			  c->routes[i].metric, 0);
		route_shown(c, &c->routes[i], 0);
	}
	c->nroutes = 0;
	c->nroutes6 = 0;	/* they go with the interface */
}

/* ---- DNS ---- */

/* Every connected client's servers, once each, in /ip dns dynamic-servers. */
void
clients_dns_sync(struct engine *e)
{
	struct cdb_buf b = { 0 };
	struct cdb_kv kv = { "dynamic-servers", NULL };

	for (struct client *c = clients_list(); c; c = c->next)
		for (int i = 0; i < c->ndns; i++) {
			char pat[52];

			snprintf(pat, sizeof(pat), ",%s,", c->dns[i]);
			if (!b.s || !strstr(b.s, pat))
				cdb_buf_printf(&b, "%s%s,", b.s ? "" : ",", c->dns[i]);
		}
	if (b.s && b.len > 2) {
		b.s[b.len - 1] = '\0';
		kv.value = b.s + 1;
	}
	/* queued; the resolver side reads it back through this handle at once */
	cdb_rt_put(e->db, "/ip/dns", 1, &kv, 1);
	free(b.s);
	ip_dns_changed(e);	/* our own write is no commit: tell the resolver side */
}

/* ---- the whole push ---- */

int
client_push_apply(struct client *c, const struct client_push *p, char *err, size_t errlen)
{
	if (!p->have_ifconfig && !c->tap) {
		snprintf(err, errlen, "the server pushed no address (ifconfig)");
		return -1;
	}
	if (make_tun(c, err, errlen))
		return -1;
	c->mtu = p->tun_mtu > 0 && p->tun_mtu < c->max_mtu ? p->tun_mtu : c->max_mtu;
	if (nl_link_set(c->ifname, 1, c->mtu)) {
		snprintf(err, errlen, "can not bring %s up: %s", c->ifname, nl_error());
		return -1;
	}
	if (addresses(c, p, err, errlen))
		return -1;
	routes(c, p);
	routes6(c, p);
	c->remote_addr = p->route_gw ? p->route_gw : p->peer;
	c->ndns = 0;
	for (int i = 0; i < c->nsdns; i++)	/* dns-servers=: the profile's own */
		snprintf(c->dns[c->ndns++], sizeof(c->dns[0]), "%s", c->sdns[i]);
	if (c->peer_dns)
		for (int i = 0; i < p->ndns && c->ndns < CLIENT_DNS; i++)
			snprintf(c->dns[c->ndns++], sizeof(c->dns[0]), "%s", p->dns[i]);
	clients_dns_sync(c->eng);
	iface_running(c, 1);
	return 0;
}

/* The session is gone, a new one will come: DNS and the running flags go,
 * the interface with its address and routes stays for the next session. */
void
client_tunnel_down(struct client *c)
{
	int had_dns = c->ndns;

	c->ndns = 0;
	if (had_dns)
		clients_dns_sync(c->eng);
	iface_running(c, 0);
	if (c->up_since) {
		rt_running(c->eng, "/interface/ovpn-client", c->id, 0);
		client_script(c, "on-down");
	}
	c->up_since = 0;
	c->encoding[0] = '\0';
}

/* The client stops: everything it made on this host goes. */
void
client_tunnel_release(struct client *c)
{
	client_tunnel_down(c);
	routes_remove(c);
	pump_close(&c->pump, c->eng->loop, &c->batch);
	rt_iface_del(c->eng, c->iface_id);
	c->iface_id = 0;
	c->local = c->mask = c->peer = 0;
	c->have_local6 = 0;
}
