/* peer.c: one client of a server, from the protocol's point of view: its
 * user is checked against /ppp secret, it gets addresses from the profile's
 * pools and an interface of its own, the push tells it all that, and when it
 * goes everything it held is given back. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "filter.h"
#include "log.h"
#include "net/netlink.h"
#include "ppp/pool.h"
#include "ppp_profile.h"
#include "radius.h"
#include "session_script.h"
#include "tunnel_cfg.h"
#include "workers.h"

static struct engine *
eng(struct peer *p)
{
	return p->srv->eng;
}

/* The item of menu whose key is name, or -1. */
static int
item(struct peer *p, const char *menu, const char *name, const struct cdb_menu **m,
     struct cdb_item *it)
{
	struct cdb_err e;
	long long id;

	*m = cdb_menu_find(eng(p)->db->cat, menu);
	id = *m && name ? cdb_item_by_key(eng(p)->db, *m, name) : 0;
	if (id <= 0 || cdb_item_get(eng(p)->db, *m, id, it, &e))
		return -1;
	return 0;
}

/* Constant time, so a wrong password tells nothing by its timing. */
static int
same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static int
user_sessions(struct engine *e, const char *user)
{
	int n = 0;

	for (struct server *s = e->servers; s; s = s->next)
		for (struct peer *q = s->peers; q; q = q->next)
			n += !q->closing && q->pump.tun >= 0 && !strcmp(q->user, user);
	return n;
}

/* An address option: "10.0.0.5" fixed, or a pool name. Secrets win over
 * profiles, and a fixed address wins over a pool (RouterOS's rule). A remote
 * address is held while the session lives (exclusive holds a fixed one too);
 * *held says whether it must be given back. */
static int
address(struct peer *p, const char *secret_v, const char *profile_v, int exclusive,
	uint32_t *out, int *held)
{
	const char *v;
	char from[64];

	*held = 0;
	if ((secret_v && !cdb_parse_ip4(secret_v, out)) ||
	    (profile_v && !cdb_parse_ip4(profile_v, out))) {
		if (!exclusive)
			return 0;
		*held = !pool_hold(*out);
		return *held ? 0 : -1;
	}
	if (!(v = secret_v ? secret_v : profile_v))
		return -1;
	*held = !pool_take(eng(p)->db, v, out, from);
	return *held ? 0 : -1;
}

/* Whether name is taken in Rosh: a configured interface or a running one. */
static int
name_taken(struct engine *e, const char *name)
{
	if (rt_iface_shown(e, name))
		return 1;
	for (int i = 0; i < e->db->cat->nmenus; i++) {
		const struct cdb_menu *m = e->db->cat->menus[i];

		if (m->kind == M_LIST && m->iface && cdb_item_by_key(e->db, m, name) > 0)
			return 1;
	}
	return 0;
}

/* A dynamic name as RouterOS makes it: <ovpn-USER>, and <ovpn-USER-1>,
 * <ovpn-USER-2>... for further sessions of the user. The kernel's link has
 * the same name when it fits its 15 characters, else ovpn-inN. */
static void
dynamic_name(struct peer *p)
{
	for (int n = 0; n < 1000; n++) {
		if (n)
			snprintf(p->name, sizeof(p->name), "<ovpn-%.48s-%d>", p->user, n);
		else
			snprintf(p->name, sizeof(p->name), "<ovpn-%.48s>", p->user);
		if (!name_taken(eng(p), p->name))
			break;
	}
	if (strlen(p->name) < sizeof(p->ifname) && !nl_ifindex(p->name))
		snprintf(p->ifname, sizeof(p->ifname), "%s", p->name);
	else
		snprintf(p->ifname, sizeof(p->ifname), "ovpn-in%u", p->peer_id);
}

/* Interface name: the static entry whose user this is (if free), else a
 * dynamic one. */
static void
iface_name(struct peer *p)
{
	const struct cdb_menu *m = cdb_menu_find(eng(p)->db->cat, "/interface/ovpn-server");
	struct cdb_item_list l;
	struct cdb_err e;

	p->dynamic = 1;
	if (!cdb_item_list(eng(p)->db, m, &l, &e)) {
		for (int i = 0; i < l.n && p->dynamic; i++) {
			const char *u = cdb_item_text(m, &l.items[i], "user");
			const char *n = cdb_item_text(m, &l.items[i], "name");

			if (u && !strcmp(u, p->user) && !l.items[i].dynamic &&
			    !strcmp(cdb_item_text(m, &l.items[i], "disabled"), "no") &&
			    strlen(n) < sizeof(p->ifname) && !nl_ifindex(n)) {
				snprintf(p->ifname, sizeof(p->ifname), "%s", n);
				p->dynamic = 0;
				p->static_id = l.items[i].id;
			}
		}
		cdb_item_list_free(&l);
	}
	if (p->dynamic)
		dynamic_name(p);
	else
		snprintf(p->name, sizeof(p->name), "%s", p->ifname);
}

struct login;
static void limits(struct peer *p, const struct login *l, const struct cdb_menu *pm,
		   const struct cdb_item *prof);
static void on_tun(void *ctx, uint32_t events);
static void release(struct peer *p);

/* IPv6 in the tunnel: the client's address is the server's prefix with the
 * client's IPv4 address as its last 32 bits, unique as the pool makes it. */
static int
tunnel6(struct peer *p, char *why, size_t whylen)
{
	struct server *s = p->srv;

	memcpy(p->remote6, s->server6, 16);
	p->remote6[12] = p->remote >> 24;
	p->remote6[13] = p->remote >> 16;
	p->remote6[14] = p->remote >> 8;
	p->remote6[15] = p->remote;
	if (nl_addr6(p->ifname, s->server6, 128, 1) || nl_route6(p->ifname, p->remote6, 128, 1)) {
		snprintf(why, whylen, "can not set up IPv6 on %s: %s", p->ifname, nl_error());
		return -1;
	}
	return 0;
}
static void reap(void *ctx);
static void force_end(void *ctx);

/* The interface, its point-to-point address and the secret's routes. */
static int
bring_up(struct peer *p, const char *routes, char *why, size_t whylen)
{
	struct server *s = p->srv;
	char err[160];

	iface_name(p);
	if (pump_open(&p->pump, s->tap, err, sizeof(err))) {
		snprintf(why, whylen, "%s", err);
		return -1;
	}
	if (s->tap && s->has_mac && nl_link_mac(p->ifname, s->mac)) {
		snprintf(why, whylen, "can not set mac-address of %s: %s", p->ifname, nl_error());
		return -1;
	}
	if (nl_link_set(p->ifname, 1, s->mtu) ||
	    nl_addr4(p->ifname, p->local, s->tap ? s->netmask : 32, s->tap ? 0 : p->remote, 1)) {
		snprintf(why, whylen, "can not set up %s: %s", p->ifname, nl_error());
		return -1;
	}
	if (s->v6 && !p->no_v6 && tunnel6(p, why, whylen))
		return -1;
	if (p->worker >= 0)	/* its worker seals what the tun gives */
		worker_watch(p->worker, p->pump.tun, on_tun, p);
	else
		loop_add(eng(p)->loop, p->pump.tun, EPOLLIN, on_tun, p);
	/* the /interface row carries the counters, static or not */
	p->iface_id = rt_iface_add(eng(p), p->name, p->ifname, "ovpn-in", s->mtu, p->dynamic);
	rt_session_up(eng(p), p);
	/* "dst [gateway] [metric]" entries, comma separated */
	for (const char *r = routes; r && *r;) {
		char one[128], dst[64];
		uint32_t a;
		int len = 32, metric = 0;
		size_t n = strcspn(r, ",");

		snprintf(one, sizeof(one), "%.*s", (int)(n < sizeof(one) ? n : sizeof(one) - 1), r);
		if (sscanf(one, "%63s %*s %d", dst, &metric) >= 1) {
			char *slash = strchr(dst, '/');

			if (slash) {
				len = atoi(slash + 1);
				*slash = '\0';
			}
			if (!cdb_parse_ip4(dst, &a) && nl_route4(p->ifname, a, len, 0, 254, metric, 1))
				log_msg(LOG_WARN, "ovpn", "route %s for %s: %s", one, p->user, nl_error());
		}
		r += n + (r[n] == ',');
	}
	return 0;
}

/* Whether the caller ("host:port") comes from the secret's caller-id. */
static int
caller_ok(const char *want, const char *caller)
{
	const char *colon = strrchr(caller, ':');
	size_t n = colon ? (size_t)(colon - caller) : strlen(caller);

	return !want || !*want || (strlen(want) == n && !strncmp(want, caller, n));
}

/* The secret's verdict on a login: NULL when it may, else why not. */
static const char *
secret_refuses(const struct cdb_menu *sm, const struct cdb_item *sec, const char *pass,
	       const char *caller)
{
	const char *service = cdb_item_text(sm, sec, "service");
	const char *password = cdb_item_text(sm, sec, "password");

	if (cdb_prop_find(sm, "caller-id") && !caller_ok(cdb_item_text(sm, sec, "caller-id"), caller))
		return "caller-id does not match";

	if (!strcmp(cdb_item_text(sm, sec, "disabled"), "yes"))
		return "user disabled";
	if (strcmp(service, "any") && strcmp(service, "ovpn"))
		return "user may not use ovpn";
	if (!same(pass ? pass : "", password ? password : ""))
		return "wrong password";
	return NULL;
}

/* The session profile's yes/no property, "default" resolved. */
static int
is(struct peer *p, const char *prop, const char *want)
{
	return ppp_profile_is(eng(p)->db, p->profile, p->srv->default_profile, prop, want);
}

/* What a login brings, from its /ppp secret or from RADIUS's Access-Accept:
 * NULL or 0 leave the profile's (or the server's) value. */
struct login {
	const char *profile, *remote, *local, *routes, *rate;
	uint32_t session_s, idle_s;
	uint64_t limit_in, limit_out;
};

/* The profile (the login's own, else the server's default), the addresses
 * and the interface: 0, or -1 with why set. */
static int
assign(struct peer *p, const struct login *l, const struct cdb_menu **pm, struct cdb_item *prof,
       char *why, size_t whylen)
{
	snprintf(p->profile, sizeof(p->profile), "%s", l->profile ? l->profile : p->srv->default_profile);
	if (item(p, "/ppp/profile", p->profile, pm, prof)) {
		snprintf(why, whylen, "profile %s is missing", p->profile);
		return -1;
	}
	if (is(p, "only-one", "yes") && user_sessions(eng(p), p->user)) {
		snprintf(why, whylen, "only one session allowed");
		return -1;
	}
	p->no_v6 = is(p, "use-ipv6", "no");
	if (!p->srv->v6 && is(p, "use-ipv6", "required")) {
		snprintf(why, whylen, "use-ipv6=required, and the server gives no IPv6");
		return -1;
	}
	if (address(p, l->remote, cdb_item_text(*pm, prof, "remote-address"), 1, &p->remote,
		    &p->remote_held)) {
		snprintf(why, whylen, "no remote address to give");
		return -1;
	}
	/* many tunnels share one fixed local address */
	if (address(p, l->local, cdb_item_text(*pm, prof, "local-address"), 0, &p->local,
		    &p->local_held))
		p->local = 0;
	if (!p->local) {
		snprintf(why, whylen, "no local address");
		return -1;
	}
	return bring_up(p, l->routes, why, whylen);
}

/* The secret's values as a login (its own profile, not its default: unset
 * means the server's). */
static void
secret_login(const struct cdb_menu *sm, const struct cdb_item *sec, struct login *l)
{
	int pi = cdb_prop_index(sm, "profile");

	*l = (struct login){ .profile = pi >= 0 ? sec->v[pi] : NULL,
		.remote = cdb_item_text(sm, sec, "remote-address"),
		.local = cdb_item_text(sm, sec, "local-address"),
		.routes = cdb_item_text(sm, sec, "routes"),
		.limit_in = strtoull(cdb_item_text(sm, sec, "limit-bytes-in"), NULL, 10),
		.limit_out = strtoull(cdb_item_text(sm, sec, "limit-bytes-out"), NULL, 10) };
}

/* Addresses, interface, limits and rows for a login found good: 0, or -1
 * with why. Either way the session's answer is sent. */
static int
let_in(struct peer *p, const struct login *l, char *why, size_t whylen)
{
	const struct cdb_menu *pm;
	struct cdb_item prof = { 0 };
	int ok = !assign(p, l, &pm, &prof, why, whylen);

	if (ok) {
		limits(p, l, pm, &prof);
		p->since = (uint64_t)time(NULL);
		p->active_id = rt_active_add(eng(p), p);
		address_list_session(eng(p), cdb_item_text(pm, &prof, "address-list"), p->remote,
				     p->address_list, sizeof(p->address_list));
		log_msg(LOG_INFO, "ovpn,ppp", "%s logged in from %s, %s%s", p->user, p->caller,
			p->name, p->radius ? " (RADIUS)" : "");
	} else
		log_msg(LOG_INFO, "ovpn,ppp", "login of %s from %s refused: %s", p->user, p->caller, why);
	cdb_item_clear(&prof);
	/* the reason is for /log; the client learns no more than AUTH_FAILED, so
	 * it can not tell which user names exist */
	ovpn_sess_auth(p->sess, ok, NULL);
	return ok ? 0 : -1;
}

/* The server asks: is this user allowed, and with which addresses? The
 * /ppp secret first; a user not there is asked of RADIUS when /ppp aaa says
 * so, and the session waits for the answer (peer_radius_answer). */
static void
on_auth(void *ctx, const char *user, const char *pass, const char *peer_info, const char *cn)
{
	struct peer *p = ctx;
	const struct cdb_menu *sm;
	struct cdb_item sec = { 0 };
	struct login l;
	char why[200] = "";
	const char *no = NULL;

	(void)peer_info;
	(void)cn;
	snprintf(p->user, sizeof(p->user), "%s", user ? user : "");
	if (item(p, "/ppp/secret", p->user, &sm, &sec)) {
		if (radius_enabled(eng(p)) && !radius_login(eng(p), p, p->user, pass, why, sizeof(why)))
			return;
		no = why[0] ? why : "no such user";
	} else if (!(no = secret_refuses(sm, &sec, pass, p->caller))) {
		secret_login(sm, &sec, &l);
		let_in(p, &l, why, sizeof(why));
	}
	if (no) {
		log_msg(LOG_INFO, "ovpn,ppp", "login of %s from %s refused: %s", p->user, p->caller, no);
		ovpn_sess_auth(p->sess, 0, NULL);
	}
	cdb_item_clear(&sec);
}

void
peer_radius_answer(struct peer *p, int result, const struct radius_grant *g, const char *why)
{
	char ip[16], reason[200], rate[128] = "";
	struct login l = { .remote = g->pool[0] ? g->pool : NULL, .routes = g->routes,
			   .rate = g->rate[0] ? g->rate : NULL, .session_s = g->session_timeout,
			   .idle_s = g->idle_timeout };

	if (p->closing)
		return;
	if (result != RADIUS_ACCEPT) {
		log_msg(LOG_INFO, "ovpn,ppp,radius", "login of %s from %s refused: %s%s%s%s", p->user,
			p->caller, result == RADIUS_REJECT ? "" : "RADIUS: ", why,
			g->reply[0] ? ": " : "", g->reply);
		ovpn_sess_auth(p->sess, 0, NULL);
		return;
	}
	if (why && why[0])
		log_msg(LOG_WARN, "radius", "%s: %s", p->user, why);
	if (g->framed_ip)
		l.remote = cdb_fmt_ip4(g->framed_ip, ip);
	if (l.rate && radius_rate(g->rate, rate, sizeof(rate)))
		log_msg(LOG_WARN, "radius", "%s: Mikrotik-Rate-Limit \"%s\": %s", p->user, g->rate,
			rate[0] ? "only its rx/tx is applied, not its bursts" :
			"not understood: the profile's rate-limit applies");
	l.rate = rate[0] ? rate : NULL;
	if (!let_in(p, &l, reason, sizeof(reason)))
		radius_acct_start(p, g->interim);
}

static void session_over(void *ctx);
static void idle_check(void *ctx);

static uint32_t
seconds(const char *t)
{
	long long s = 0;

	return t && !cdb_parse_time(t, &s) && s > 0 && s < 0x7fffffff ? (uint32_t)s : 0;
}

/* What the login and the profile limit, taken once at login as RouterOS
 * does: limit-bytes-in/out, rate-limit, change-tcp-mss, use-encryption,
 * session-timeout and idle-timeout (RADIUS's values win over the profile's). */
static void
limits(struct peer *p, const struct login *l, const struct cdb_menu *pm,
       const struct cdb_item *prof)
{
	uint32_t session = l->session_s ? l->session_s :
			   seconds(cdb_item_text(pm, prof, "session-timeout"));

	p->limit_in = l->limit_in;
	p->limit_out = l->limit_out;
	pump_rate(&p->pump, l->rate ? l->rate : cdb_item_text(pm, prof, "rate-limit"));
	ovpn_sess_set_mssfix(p->sess, is(p, "change-tcp-mss", "yes"));
	p->need_encryption = is(p, "use-encryption", "required");
	if (session)
		loop_timer(eng(p)->loop, loop_now() + session * 1000ull, session_over, p);
	p->idle_s = l->idle_s ? l->idle_s : seconds(cdb_item_text(pm, prof, "idle-timeout"));
	if (p->idle_s) {
		p->idle_seen = loop_now();
		p->idle_pkts = p->pump.rx_pkts;
		loop_timer(eng(p)->loop, p->idle_seen + 1000, idle_check, p);
	}
}

/* A limit was reached inside a session callback: end it from the loop. */
static void
limit_reached(void *ctx)
{
	struct peer *p = ctx;

	log_msg(LOG_INFO, "ovpn,ppp", "%s from %s: %s", p->user, p->caller, p->end_why);
	peer_end(p, p->end_why);
}

static void end_soon(struct peer *p, const char *why);

static void
end_later(void *ctx, const void *why, size_t len)
{
	(void)len;
	end_soon(ctx, why);
}

static void
end_soon(struct peer *p, const char *why)
{
	if (worker_self() >= 0) {	/* timers are the control thread's */
		worker_defer(end_later, p, why, strlen(why) + 1);
		return;
	}
	if (p->end_why[0] || p->closing)
		return;
	snprintf(p->end_why, sizeof(p->end_why), "%s", why);
	loop_timer(eng(p)->loop, loop_now(), limit_reached, p);
}

static void
session_over(void *ctx)
{
	end_soon(ctx, "session-timeout reached");
}

/* Nothing from the peer for idle-timeout: ended. Checked every second or
 * so, so it ends between idle-timeout and a little after. */
static void
idle_check(void *ctx)
{
	struct peer *p = ctx;
	uint64_t now = loop_now(), step = p->idle_s * 250ull;

	if (p->pump.rx_pkts != p->idle_pkts) {
		p->idle_pkts = p->pump.rx_pkts;
		p->idle_seen = now;
	}
	if (now - p->idle_seen >= p->idle_s * 1000ull) {
		end_soon(p, "idle-timeout reached");
		return;
	}
	step = step < 1000 ? 1000 : step > 60000 ? 60000 : step;
	loop_timer(eng(p)->loop, now + step, idle_check, p);
}

/* The profile's on-up or on-down, with the session's variables. */
static void
script(struct peer *p, const char *event)
{
	char local[16], remote[16], caller[64], *colon;

	cdb_fmt_ip4(p->local, local);
	cdb_fmt_ip4(p->remote, remote);
	snprintf(caller, sizeof(caller), "%s", p->caller);
	if ((colon = strrchr(caller, ':')))
		*colon = '\0';
	session_script_run(eng(p), p->profile, event, &(struct session_vars){
		.user = p->user, .local = local, .remote = remote, .caller = caller,
		.called = p->srv->name, .iface = p->name });
}

/* dhcp-option DNS or WINS, one per server of the profile's list */
static void
push_servers(struct cdb_buf *b, const char *list, const char *kind)
{
	char copy[256], *save = NULL, *d;

	snprintf(copy, sizeof(copy), "%s", list ? list : "");
	for (d = strtok_r(copy, ",", &save); d; d = strtok_r(NULL, ",", &save))
		cdb_buf_printf(b, ",dhcp-option %s %s", kind, d);
}

/* push-routes: "network [netmask] [gateway] [metric]", comma separated,
 * read as the console checked them (types_route.c); server.c refuses a
 * value that does not read, so a bad one here is skipped, never misread. */
static void
push_routes(struct cdb_buf *b, const char *routes)
{
	char copy[1401], *save = NULL, *t, net[16], mask[16], gw[16], why[200];
	struct cdb_push_route r;

	snprintf(copy, sizeof(copy), "%s", routes);
	for (t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (cdb_parse_push_route(t, &r, why, sizeof(why)))
			continue;
		cdb_buf_printf(b, ",route %s %s", cdb_fmt_ip4(r.net, net), cdb_fmt_ip4(r.mask, mask));
		if (r.has_gw)
			cdb_buf_printf(b, " %s", cdb_fmt_ip4(r.gw, gw));
		if (r.metric >= 0)	/* only after a gateway */
			cdb_buf_printf(b, " %ld", r.metric);
	}
}

static void
on_push_request(void *ctx)
{
	struct peer *p = ctx;
	struct server *s = p->srv;
	const struct cdb_menu *pm;
	struct cdb_item prof = { 0 };
	struct cdb_buf b = { 0 };
	char local[16], remote[16], mask[16];
	uint32_t m = s->netmask ? 0xffffffffu << (32 - s->netmask) : 0;

	cdb_fmt_ip4(p->local, local);
	cdb_fmt_ip4(p->remote, remote);
	cdb_fmt_ip4(m, mask);
	cdb_buf_printf(&b, "topology subnet,route-gateway %s,ifconfig %s %s", local, remote, mask);
	if (s->keepalive)
		cdb_buf_printf(&b, ",ping %d,ping-restart %d", s->keepalive < 10 ? s->keepalive : 10,
			       s->keepalive * 2);
	if (s->v6 && !p->no_v6) {
		char a6[INET6_ADDRSTRLEN], s6[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, p->remote6, a6, sizeof(a6));
		inet_ntop(AF_INET6, s->server6, s6, sizeof(s6));
		cdb_buf_printf(&b, ",tun-ipv6,ifconfig-ipv6 %s/%d %s", a6, s->prefix6, s6);
	}
	if (strcmp(s->redirect, "disabled")) {
		cdb_buf_printf(&b, ",redirect-gateway%s%s", strstr(s->redirect, "def1") ? " def1" : "",
			       strstr(s->redirect, "ipv6") ? " ipv6" : "");
	}
	push_routes(&b, s->push_routes);
	if (!item(p, "/ppp/profile", p->profile, &pm, &prof)) {
		push_servers(&b, cdb_item_text(pm, &prof, "dns-server"), "DNS");
		push_servers(&b, cdb_item_text(pm, &prof, "wins-server"), "WINS");
		cdb_item_clear(&prof);
	}
	ovpn_sess_keepalive(p->sess, s->keepalive ? (s->keepalive < 10 ? s->keepalive : 10) : 0,
			    s->keepalive * 2);
	ovpn_sess_push(p->sess, b.s);
	free(b.s);
}

static void
on_up(void *ctx, const char *cipher, const char *digest)
{
	struct peer *p = ctx;

	if (p->need_encryption && (!cipher || !strcasecmp(cipher, "none")))
		end_soon(p, "use-encryption=required, and the client uses no cipher");
	tunnel_encoding(p->encoding, sizeof(p->encoding), cipher, digest);
	if (p->active_id > 0)
		cdb_rt_put(eng(p)->db, "/ppp/active", p->active_id,
			   &(struct cdb_kv){ "encoding", p->encoding }, 1);
	if (p->srv_row > 0)	/* monitor on /interface ovpn-server */
		cdb_rt_put(eng(p)->db, "/interface/ovpn-server", p->srv_row,
			   &(struct cdb_kv){ "encoding", p->encoding }, 1);
	if (p->active_id > 0 && !p->script_up && !p->end_why[0]) {
		p->script_up = 1;
		script(p, "on-up");
	}
}

static void
reap(void *ctx)
{
	struct peer *p = ctx;
	struct server *s = p->srv;

	for (struct peer **pp = &s->peers; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	peer_free(p);
}

static void on_down(void *ctx, const char *reason);

static void
down_later(void *ctx, const void *reason, size_t len)
{
	(void)len;
	on_down(ctx, reason);
}

/* The session ended: free it once the protocol code has returned. On a
 * worker (an OCC exit in a data packet) the control thread does it. */
static void
on_down(void *ctx, const char *reason)
{
	struct peer *p = ctx;

	if (worker_self() >= 0) {
		worker_defer(down_later, p, reason, strlen(reason) + 1);
		return;
	}
	if (p->closing)
		return;
	p->closing = 1;
	radius_ended(p, reason);
	if (p->active_id <= 0 && !p->user[0])
		prelogin_closed(p->srv, p);	/* summarised: see prelogin.c */
	else
		log_msg(LOG_INFO, "ovpn,ppp", "%s from %s disconnected: %s",
			p->user[0] ? p->user : "client", p->caller, reason);
	loop_timer(eng(p)->loop, loop_now(), reap, p);
}

static void
on_tun_packet(void *ctx, const uint8_t *pkt, size_t len)
{
	struct peer *p = ctx;

	if (!pump_to_tun(&p->pump, server_batch(p->srv, worker_self(), NULL), pkt, len) &&
	    p->limit_in && p->pump.rx_bytes > p->limit_in)
		end_soon(p, "limit-bytes-in reached");
}

static void
on_send(void *ctx, const uint8_t *pkt, size_t len)
{
	peer_send(ctx, pkt, len);
}

static void on_log(void *ctx, int level, const char *msg);

static void
log_later(void *ctx, const void *data, size_t len)
{
	const char *msg = data;

	if (len > 1)
		on_log(ctx, msg[0], msg + 1);
}

static void
on_log(void *ctx, int level, const char *msg)
{
	struct peer *p = ctx;
	char buf[512];

	if (worker_self() >= 0) {	/* prelogin's counts are the control thread's */
		buf[0] = (char)level;
		snprintf(buf + 1, sizeof(buf) - 1, "%s", msg);
		worker_defer(log_later, p, buf, strlen(buf + 1) + 2);
		return;
	}

	if (p->active_id <= 0 && !p->user[0] && level != LOG_DEBUG)
		prelogin_note(p->srv, p, level, msg);	/* summarised: see prelogin.c */
	else
		log_msg(level, "ovpn", "%s: %s", p->caller, msg);
}

/* Packets the kernel routes into the tunnel, sealed and sent in batches. */
static void
on_tun(void *ctx, uint32_t events)
{
	struct peer *p = ctx;
	int fd;
	struct pump_batch *b = server_batch(p->srv, worker_self(), &fd);

	(void)events;
	b->on = 1;
	pump_from_tun(&p->pump, p->sess, &p->closing);
	pump_batch_flush(b, fd);
	if (p->limit_out && p->pump.tx_bytes > p->limit_out)
		end_soon(p, "limit-bytes-out reached");
}

const struct ovpn_io peer_io = {
	.send = on_send,
	.tun = on_tun_packet,
	.auth = on_auth,
	.push_request = on_push_request,
	.up = on_up,
	.down = on_down,
	.log = on_log,
};

/* The transport is gone: nothing to say goodbye over. */
void
peer_gone(struct peer *p, const char *reason)
{
	on_down(p, reason);
}

/* The session says goodbye (exit notification, waiting a moment for its
 * ack) and then reports down; if it never does, we end it anyway. */
static void
force_end(void *ctx)
{
	on_down(ctx, "closed");
}

void
peer_end(struct peer *p, const char *reason)
{
	if (p->closing)
		return;
	radius_ended(p, reason);
	ovpn_sess_close(p->sess, reason, loop_now());
	if (!p->closing) {
		release(p);	/* the admin sees it gone at once */
		loop_timer(eng(p)->loop, loop_now() + 5000, force_end, p);
	}
}

int
peer_still_allowed(struct peer *p)
{
	const struct cdb_menu *m;
	struct cdb_item sec = { 0 };
	int ok;

	if (p->radius)	/* RADIUS let it in: a Disconnect-Message ends it */
		return 1;
	if (item(p, "/ppp/secret", p->user, &m, &sec))
		return 0;
	ok = !strcmp(cdb_item_text(m, &sec, "disabled"), "no");
	cdb_item_clear(&sec);
	return ok;
}

/* Give back what the peer holds outside the protocol: its interface (the
 * kernel removes its routes with it), pool addresses and runtime rows. Safe
 * to call twice and on a half-made peer. */
static void
release(struct peer *p)
{
	struct engine *e = eng(p);

	radius_acct_stop(p);	/* while the counters are there */
	loop_timer(e->loop, 0, session_over, p);
	loop_timer(e->loop, 0, idle_check, p);
	if (p->script_up) {
		p->script_up = 0;
		script(p, "on-down");
	}
	if (p->pump.tun >= 0) {
		worker_unwatch(p->worker, p->pump.tun);
		pump_close(&p->pump, e->loop, server_batch(p->srv, p->worker, NULL));
		rt_iface_del(e, p->iface_id);
		rt_session_down(e, p);
	}
	address_list_session(e, NULL, p->remote, p->address_list, sizeof(p->address_list));
	if (p->remote_held)
		pool_give(p->remote);
	if (p->local_held)
		pool_give(p->local);
	p->remote_held = p->local_held = 0;
	rt_active_del(e, p->active_id);
	p->active_id = 0;
}

void
peer_free(struct peer *p)
{
	struct engine *e = eng(p);

	loop_timer(e->loop, 0, reap, p);
	loop_timer(e->loop, 0, force_end, p);
	loop_timer(e->loop, 0, limit_reached, p);
	server_forget_peer(p->srv, p);
	workers_forget(p);
	release(p);
	radius_free_session(p);
	if (p->tcp >= 0) {
		loop_del(e->loop, p->tcp);
		close(p->tcp);
	}
	ovpn_sess_free(p->sess);
	tcp_stream_free(&p->stream);
	free(p);
}
