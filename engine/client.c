/* client.c: the life of an /interface ovpn-client in roshd: its
 * configuration mapped onto the protocol core, the session's events, the
 * back-off between attempts, and the runtime columns the console's print
 * and monitor show. Clients are started, restarted and stopped by
 * clients_reconcile() from the configuration, as servers are. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "log.h"
#include "ppp_profile.h"
#include "session_script.h"
#include "tunnel_cfg.h"
#include "net/netlink.h"
#include "pki.h"

#define MENU "/interface/ovpn-client"
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000
#define STABLE_MS 30000		/* up this long: the next failure starts over at 1 s */
#define FIRST_REPLY_MS 15000	/* a server that answers nothing is given up sooner */

static struct client *clients;

struct client *
clients_list(void)
{
	return clients;
}

/* The configured cipher first, then OpenVPN 2.6's default data-ciphers,
 * so a server that prefers an AEAD cipher can pick it (NCP); a client
 * with data-ciphers= offers that list instead (client_options.c). */
static int
ciphers(struct client *c, const struct cdb_menu *m, const struct cdb_item *it, char *err,
	size_t errlen)
{
	static const enum dc_cipher ncp[] = { DC_AES_256_GCM, DC_AES_128_GCM, DC_CHACHA20_POLY1305 };

	tunnel_ciphers(m, it, &c->cfg);
	if (c->cfg.nciphers != 1 || c->cfg.ndigests != 1) {
		snprintf(err, errlen, "cipher %s or auth %s is not available",
			 cdb_item_text(m, it, "cipher"), cdb_item_text(m, it, "auth"));
		return -1;
	}
	for (size_t i = 0; i < sizeof(ncp) / sizeof(ncp[0]); i++)
		if (ncp[i] != c->cfg.ciphers[0])
			c->cfg.ciphers[c->cfg.nciphers++] = ncp[i];
	return 0;
}

/* Our certificate and key when one is named; the trust store when the
 * server's certificate is to be verified. */
static int
certificates(struct client *c, const char *mine, int verify, char *err, size_t errlen)
{
	struct tunnel_tls t;

	if (tunnel_tls_load(c->eng->db, mine, &t, err, errlen))
		return -1;
	c->strings[0] = t.cert;
	c->strings[1] = t.key;
	c->strings[2] = t.cas;
	c->strings[8] = t.crls;
	if (verify && !t.cas) {
		snprintf(err, errlen, "verify-server-certificate=yes needs a trusted CA in /certificate");
		return -1;
	}
	c->cfg.cert_pem = t.cert;
	c->cfg.key_pem = t.key;
	c->cfg.ca_pem = verify ? t.cas : NULL;
	c->cfg.crl_pem = verify ? t.crls : NULL;
	c->cfg.verify_peer = verify;
	return 0;
}

/* Keys are kept only when not empty: an empty key is no key. */
static const char *
keep(struct client *c, int slot, const char *v)
{
	if (!v || !*v)
		return NULL;
	c->strings[slot] = strdup(v);
	return c->strings[slot];
}

/* user:password for Proxy-Authorization: Basic; NULL when out of memory. */
static char *
basic_auth(const char *user, const char *pass)
{
	char *in, *out;

	if (asprintf(&in, "%s:%s", user, pass) < 0)
		return NULL;
	out = pki_b64_encode(in, strlen(in));
	explicit_bzero(in, strlen(in));
	free(in);
	return out;
}

static int
proxy(struct client *c, const struct cdb_menu *m, const struct cdb_item *it, char *err,
      size_t errlen)
{
	const char *host = cdb_item_text(m, it, "http-proxy");
	const char *user = cdb_item_text(m, it, "http-proxy-user");
	const char *pass = cdb_item_text(m, it, "http-proxy-password");
	const char *port = cdb_item_text(m, it, "http-proxy-port");

	if (!host || !*host)
		return 0;
	for (int i = 0; i < c->nremotes; i++)
		if (!c->remotes[i].tcp) {
			snprintf(err, errlen, "http-proxy needs protocol=tcp (%s uses udp)",
				 c->remotes[i].host);
			return -1;
		}
	snprintf(c->proxy, sizeof(c->proxy), "%s", host);
	c->proxy_port = port ? atoi(port) : 8080;
	if (user && *user)
		c->proxy_auth = basic_auth(user, pass ? pass : "");
	return 0;
}

/* Of a PPP profile a client takes its rate-limit, and use-encryption=required:
 * no tunnel with cipher null. */
static int
profile(struct client *c, const char *name, char *err, size_t errlen)
{
	const struct cdb_menu *pm = cdb_menu_find(c->eng->db->cat, "/ppp/profile");
	long long id = name ? cdb_item_by_key(c->eng->db, pm, name) : 0;
	struct cdb_item it;
	struct cdb_err ce;

	if (id <= 0 || cdb_item_get(c->eng->db, pm, id, &it, &ce)) {
		snprintf(err, errlen, "profile %s is missing", name ? name : "");
		return -1;
	}
	snprintf(c->profile, sizeof(c->profile), "%s", name);
	c->need_encryption = ppp_profile_is(c->eng->db, name, "default", "use-encryption",
					    "required");
	pump_rate(&c->pump, cdb_item_text(pm, &it, "rate-limit"));
	cdb_item_clear(&it);
	if (c->need_encryption && c->cfg.ciphers[0] == DC_NONE) {
		snprintf(err, errlen, "cipher null, but profile %s requires encryption", name);
		return -1;
	}
	return 0;
}

/* The compression property's value, in the schema's order of values. */
static enum ovpn_comp
client_compression(const char *v)
{
	static const char *const names[] = { "no", "lzo-stub", "stub", "stub-v2", "lzo", "lz4",
		"lz4-v2" };

	for (size_t i = 0; v && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(v, names[i]))
			return (enum ovpn_comp)i;
	return OVPN_COMP_NO;
}

/* Everything we need from the item, checked before anything is touched. */
static int
configure(struct client *c, const struct cdb_menu *m, const struct cdb_item *it, char *err,
	  size_t errlen)
{
	const char *user = cdb_item_text(m, it, "user"), *pass = cdb_item_text(m, it, "password");
	const char *kd = cdb_item_text(m, it, "key-direction");
	const char *host = cdb_item_text(m, it, "connect-to");
	int verify = !strcmp(cdb_item_text(m, it, "verify-server-certificate"), "yes");

	if (!user || !*user || !pass || !*pass) {
		snprintf(err, errlen, "user and password must be set to connect");
		return -1;
	}
	if (strlen(c->name) >= sizeof(c->ifname)) {
		snprintf(err, errlen, "the name is longer than the kernel's %zu characters for an "
			 "interface", sizeof(c->ifname) - 1);
		return -1;
	}
	snprintf(c->ifname, sizeof(c->ifname), "%s", c->name);
	if (client_parse_remotes(c, host ? host : "", atoi(cdb_item_text(m, it, "port")),
				 !strcmp(cdb_item_text(m, it, "protocol"), "tcp"),
				 cdb_item_text(m, it, "backup-remotes"), err, errlen) ||
	    proxy(c, m, it, err, errlen) || ciphers(c, m, it, err, errlen) ||
	    certificates(c, cdb_item_text(m, it, "certificate"), verify, err, errlen) ||
	    client_verify_cfg(c, m, it, err, errlen))
		return -1;
	if (profile(c, cdb_item_text(m, it, "profile"), err, errlen))
		return -1;
	c->tap = !strcmp(cdb_item_text(m, it, "mode"), "ethernet");
	c->has_mac = !nl_parse_mac(cdb_item_text(m, it, "mac-address"), c->mac);
	c->max_mtu = atoi(cdb_item_text(m, it, "max-mtu"));
	c->add_default = !strcmp(cdb_item_text(m, it, "add-default-route"), "yes");
	c->peer_dns = !strcmp(cdb_item_text(m, it, "use-peer-dns"), "yes");
	c->nopull = !strcmp(cdb_item_text(m, it, "route-nopull"), "yes");
	c->cfg.server = 0;
	c->cfg.tls12_only = !strcmp(cdb_item_text(m, it, "tls-version"), "only-1.2");
	c->cfg.tls_auth_key = keep(c, 3, cdb_item_text(m, it, "tls-auth-key"));
	c->cfg.key_direction = strcmp(kd, "none") ? atoi(kd) : -1;
	c->cfg.tls_crypt_key = keep(c, 4, cdb_item_text(m, it, "tls-crypt-key"));
	c->cfg.tls_crypt_v2_key = keep(c, 5, cdb_item_text(m, it, "tls-crypt-v2-key"));
	c->cfg.reneg_sec = 3600;
	c->cfg.hand_window = 60;
	c->cfg.mode_tap = c->tap;
	c->cfg.tun_mtu = c->max_mtu;
	c->cfg.user = keep(c, 6, user);
	c->cfg.pass = keep(c, 7, pass);
	c->cfg.compression = client_compression(cdb_item_text(m, it, "compression"));
	return client_options(c, m, it, err, errlen);
}

/* ---- runtime columns ---- */

static const char *
state_text(const struct client *c)
{
	static const char *const names[] = { "error", "disconnected", "connecting",
		"connecting", "connecting", "negotiating", "connected" };

	return c->stopping ? "terminating" : names[c->state];
}

static const char *
or_null(const char *v)
{
	return v && *v ? v : NULL;
}

/* What the console shows for one client; all NULL for a stopped one. */
static void
write_status(struct client *c, int gone)
{
	int up = !gone && c->state == CL_CONNECTED;
	char local[16], remote[16], mtu[16], *t = NULL;
	struct cdb_kv kv[8];

	cdb_fmt_ip4(c->local, local);
	cdb_fmt_ip4(c->remote_addr, remote);
	snprintf(mtu, sizeof(mtu), "%d", c->mtu);
	if (up)
		t = cdb_fmt_time((long long)((uint64_t)time(NULL) - c->up_since));
	kv[0] = (struct cdb_kv){ "running", up ? "yes" : "no" };
	kv[1] = (struct cdb_kv){ "status", gone ? NULL : or_null(state_text(c)) };
	kv[2] = (struct cdb_kv){ "last-error", gone ? NULL : or_null(c->last_error) };
	kv[3] = (struct cdb_kv){ "uptime", or_null(t) };
	kv[4] = (struct cdb_kv){ "encoding", up ? or_null(c->encoding) : NULL };
	kv[5] = (struct cdb_kv){ "local-address", up && c->local ? local : NULL };
	kv[6] = (struct cdb_kv){ "remote-address", up && c->remote_addr ? remote : NULL };
	kv[7] = (struct cdb_kv){ "actual-mtu", up ? mtu : NULL };
	if (cdb_rt_put(c->eng->db, MENU, c->id, kv, 8))
		log_msg(LOG_DEBUG, "ovpn", "client %s: status not written", c->name);
	free(t);
}

void
client_status(struct client *c)
{
	write_status(c, 0);
}

/* Uptime and counters of connected clients, once a second (queued, written
 * with the engine's other runtime writes). */
static void
status_tick(void *ctx)
{
	struct engine *e = ctx;

	for (struct client *c = clients; c; c = c->next) {
		if (c->state != CL_CONNECTED)
			continue;
		write_status(c, 0);
	}
	loop_timer(e->loop, clients ? loop_now() + 1000 : 0, status_tick, e);
}

/* ---- attempts and back-off ---- */

static void client_tick(void *ctx);

void
client_arm(struct client *c)
{
	uint64_t now = loop_now(), next = now + 1000, d;

	if (c->phase_deadline && c->phase_deadline < next)
		next = c->phase_deadline;
	if (c->state == CL_RESOLVING && now + 50 < next)
		next = now + 50;	/* getaddrinfo_a is polled */
	if (c->sess && !c->sess_down && (d = ovpn_sess_deadline(c->sess)) < next)
		next = d;
	if (c->state == CL_WAITING || c->state == CL_REFUSED)
		return;		/* their timer is set where they begin */
	loop_timer(c->eng->loop, next > now ? next : now + 1, client_tick, c);
}

/* Jittered so that many clients of one server do not come back in step. */
static uint64_t
next_wait(struct client *c, int auth_failed)
{
	uint64_t base;

	if (auth_failed)
		c->backoff_ms = BACKOFF_MAX_MS;
	else if (c->up_mono && loop_now() - c->up_mono >= STABLE_MS)
		c->backoff_ms = BACKOFF_MIN_MS;
	base = c->backoff_ms;
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
	return base * 8 / 10 + (uint64_t)(random() % (long)(base * 4 / 10 + 1));
}

static void
drop_session(struct client *c)
{
	ovpn_sess_free(c->sess);
	c->sess = NULL;
	c->sess_down = 0;
	ovpn_shared_free(c->shared);
	c->shared = NULL;
}

void
client_fail(struct client *c, const char *fmt, ...)
{
	struct client_remote *r = &c->remotes[c->cur];
	int auth = 0;
	uint64_t wait;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->last_error, sizeof(c->last_error), fmt, ap);
	va_end(ap);
	auth = !strncmp(c->last_error, "AUTH_FAILED", 11);
	drop_session(c);
	client_transport_close(c);
	client_tunnel_down(c);
	if (c->nremotes > 1 && !auth)
		c->cur = (c->cur + 1) % c->nremotes;
	wait = c->cur && !auth ? BACKOFF_MIN_MS : next_wait(c, auth);
	c->up_mono = 0;
	c->state = CL_WAITING;
	c->phase_deadline = 0;
	log_msg(auth ? LOG_ERR : LOG_WARN, "ovpn", "client %s: %s:%d/%s: %s; next attempt in %llu s",
		c->name, r->host, r->port, r->tcp ? "tcp" : "udp", c->last_error,
		(unsigned long long)(wait + 500) / 1000);
	client_status(c);
	loop_timer(c->eng->loop, loop_now() + wait, client_tick, c);
}

/* The transport is there: start the OpenVPN session over it. */
void
client_session_start(struct client *c)
{
	char err[256];

	c->cfg.verify_name = client_verify_name(c, c->remotes[c->cur].host);
	c->cfg.tcp = c->tcp;
	if (!(c->shared = ovpn_shared_new(&c->cfg, err, sizeof(err)))) {
		client_fail(c, "%s", err);
		return;
	}
	c->sess = ovpn_sess_new(c->shared, &client_io, c, 0, loop_now());
	if (!c->sess) {
		client_fail(c, "out of memory");
		return;
	}
	if (c->ping_s || c->ping_restart_s)	/* until the server pushes its own */
		ovpn_sess_keepalive(c->sess, c->ping_s, c->ping_restart_s);
	c->got_reply = c->push_ok = 0;
	c->state = CL_NEGOTIATING;
	c->phase_deadline = loop_now() + FIRST_REPLY_MS;
	client_status(c);
	ovpn_sess_tick(c->sess, loop_now());
	if (c->sess && !c->sess_down)
		client_arm(c);
}

static void
after_down(void *ctx)
{
	struct client *c = ctx;

	if (c->stopping || !c->sess_down)
		return;
	client_fail(c, "%s", c->down_reason);
}

/* The transport broke while the session may be running: end it from the
 * loop, outside the session's own calls. */
void
client_lost(struct client *c, const char *fmt, ...)
{
	va_list ap;

	if (c->sess_down || c->stopping)
		return;
	va_start(ap, fmt);
	vsnprintf(c->down_reason, sizeof(c->down_reason), fmt, ap);
	va_end(ap);
	c->sess_down = 1;
	loop_timer(c->eng->loop, loop_now(), after_down, c);
}

static void
client_tick(void *ctx)
{
	struct client *c = ctx;
	uint64_t now = loop_now();

	switch (c->state) {
	case CL_REFUSED:
		return;
	case CL_WAITING:
		client_attempt(c);
		return;
	case CL_RESOLVING:
		client_resolve_poll(c);
		break;
	case CL_CONNECTING:
	case CL_PROXY:
		if (now >= c->phase_deadline) {
			client_fail(c, "timeout: no %s from %s port %d", c->state == CL_PROXY ?
				    "reply to CONNECT" : "answer", c->proxy[0] ? c->proxy :
				    c->remotes[c->cur].host, c->proxy[0] ? c->proxy_port :
				    c->remotes[c->cur].port);
			return;
		}
		break;
	default:
		if (!c->got_reply && c->phase_deadline && now >= c->phase_deadline) {
			client_fail(c, "timeout: no reply from the server in %d s", FIRST_REPLY_MS / 1000);
			return;
		}
		if (c->sess && !c->sess_down && ovpn_sess_deadline(c->sess) <= now)
			ovpn_sess_tick(c->sess, now);
		break;
	}
	if (c->state != CL_WAITING && !c->sess_down)
		client_arm(c);
}

/* ---- the session's events ---- */

static void
on_send(void *ctx, const uint8_t *pkt, size_t len)
{
	client_send(ctx, pkt, len);
}

static void
on_tun_packet(void *ctx, const uint8_t *pkt, size_t len)
{
	struct client *c = ctx;

	pump_to_tun(&c->pump, &c->batch, pkt, len);
}

void
client_on_tun(void *ctx, uint32_t events)
{
	struct client *c = ctx;

	(void)events;
	c->batch.on = 1;
	pump_from_tun(&c->pump, c->state == CL_CONNECTED ? c->sess : NULL, &c->sess_down);
	pump_batch_flush(&c->batch, c->fd);
}

static void
on_pushed(void *ctx, const char *options)
{
	struct client *c = ctx;
	struct client_push p;
	char err[256];

	log_msg(LOG_DEBUG, "ovpn", "client %s: pushed %.400s", c->name, options);
	c->push_ok = !client_push_parse(options, &p, err, sizeof(err)) &&
		     !client_push_apply(c, &p, err, sizeof(err));
	if (!c->push_ok) {
		log_msg(LOG_ERR, "ovpn", "client %s: %s", c->name, err);
		ovpn_sess_close(c->sess, err, loop_now());
	}
}

static void
on_up(void *ctx, const char *cipher, const char *digest)
{
	struct client *c = ctx;

	tunnel_encoding(c->encoding, sizeof(c->encoding), cipher, digest);
	if (c->state == CL_CONNECTED)
		return;		/* a renegotiation */
	if (!c->push_ok)
		return;		/* the push was refused: the session is closing */
	if (c->need_encryption && !strcmp(cipher, "none")) {
		log_msg(LOG_ERR, "ovpn", "client %s: the server chose no encryption, the profile "
			"requires it", c->name);
		ovpn_sess_close(c->sess, "encryption required", loop_now());
		return;
	}
	c->state = CL_CONNECTED;
	c->phase_deadline = 0;
	c->up_since = (uint64_t)time(NULL);
	c->up_mono = loop_now();
	c->last_error[0] = '\0';
	log_msg(LOG_INFO, "ovpn", "client %s: connected to %s:%d, %s, encoding %s", c->name,
		c->remotes[c->cur].host, c->remotes[c->cur].port, c->ifname, c->encoding);
	rt_running(c->eng, "/interface/ovpn-client", c->id, 1);
	client_status(c);
	loop_timer(c->eng->loop, loop_now() + 1000, status_tick, c->eng);
	client_script(c, "on-up");
}

/* For a client the far end, the caller-id, is the server it reached, and
 * what was called is this client. */
void
client_script(struct client *c, const char *event)
{
	char local[16], remote[16];

	cdb_fmt_ip4(c->local, local);
	cdb_fmt_ip4(c->remote_addr, remote);
	session_script_run(c->eng, c->profile, event, &(struct session_vars){
		.user = c->cfg.user, .local = local, .remote = remote,
		.caller = c->remotes[c->cur].host, .called = c->name, .iface = c->ifname });
}

static void
on_down(void *ctx, const char *reason)
{
	struct client *c = ctx;

	c->sess_down = 1;
	snprintf(c->down_reason, sizeof(c->down_reason), "%s", reason);
	if (!c->stopping)
		loop_timer(c->eng->loop, loop_now(), after_down, c);
}

static void
on_log(void *ctx, int level, const char *msg)
{
	struct client *c = ctx;

	log_msg(level, "ovpn", "client %s: %s", c->name, msg);
}

const struct ovpn_io client_io = {
	.send = on_send,
	.tun = on_tun_packet,
	.pushed = on_pushed,
	.up = on_up,
	.down = on_down,
	.log = on_log,
};

/* ---- start and stop ---- */

/* Everything a running client depends on, as text: its own values (not the
 * runtime ones it writes itself), what it takes of its profile, its
 * certificate and the trusted CAs. */
static char *
fingerprint(struct engine *e, const struct cdb_menu *m, const struct cdb_item *it)
{
	const struct cdb_menu *pm = cdb_menu_find(e->db->cat, "/ppp/profile");
	const char *name = cdb_item_text(m, it, "profile");
	char prof[160] = "";
	struct cdb_item p;
	struct cdb_err err;
	long long pid;

	if (pm && name && (pid = cdb_item_by_key(e->db, pm, name)) > 0 &&
	    !cdb_item_get(e->db, pm, pid, &p, &err)) {
		const char *rate = cdb_item_text(pm, &p, "rate-limit");

		snprintf(prof, sizeof(prof), "profile use-encryption=%s rate-limit=%s\n",
			 cdb_item_text(pm, &p, "use-encryption"), rate ? rate : "");
		cdb_item_clear(&p);
	}
	return tunnel_fingerprint(e->db, m, it, prof);
}

static void
client_free(struct client *c)
{
	loop_timer(c->eng->loop, 0, client_tick, c);
	loop_timer(c->eng->loop, 0, after_down, c);
	for (size_t i = 0; i < sizeof(c->strings) / sizeof(c->strings[0]); i++)
		free(c->strings[i]);
	free(c->proxy_auth);
	free(c->fingerprint);
	pump_batch_free(&c->batch);
	free(c);
}

/* Tell the server we leave (exit notification), then give back all. */
static void
client_stop(struct client *c, const char *reason)
{
	c->stopping = 1;
	if (c->sess && !c->sess_down)
		ovpn_sess_close(c->sess, reason, loop_now());
	drop_session(c);
	client_transport_close(c);
	client_tunnel_release(c);
	if (c->state != CL_REFUSED)
		log_msg(LOG_INFO, "ovpn", "client %s stopped: %s", c->name, reason);
	for (struct client **pp = &clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	write_status(c, 1);
	clients_dns_sync(c->eng);
	client_free(c);
}

/* Keys and certificates that wolfSSL or the key parser refuse are a
 * configuration error, not a reason to retry: try them once here. */
static int
check_keys(struct client *c, char *err, size_t errlen)
{
	struct ovpn_shared *sh;

	c->cfg.verify_name = client_verify_name(c, c->remotes[0].host);
	if (!(sh = ovpn_shared_new(&c->cfg, err, errlen)))
		return -1;
	ovpn_shared_free(sh);
	return 0;
}

static void
client_start(struct engine *e, const struct cdb_menu *m, const struct cdb_item *it, char *fp)
{
	struct client *c = calloc(1, sizeof(*c));
	char err[256];

	c->eng = e;
	c->id = it->id;
	c->fd = -1;
	c->backoff_ms = BACKOFF_MIN_MS;
	c->fingerprint = fp;
	snprintf(c->name, sizeof(c->name), "%s", cdb_item_text(m, it, "name"));
	pump_init(&c->pump, c->ifname);
	c->next = clients;
	clients = c;
	if (configure(c, m, it, err, sizeof(err)) || check_keys(c, err, sizeof(err))) {
		c->state = CL_REFUSED;
		snprintf(c->last_error, sizeof(c->last_error), "%s", err);
		log_msg(LOG_ERR, "ovpn", "client %s not started: %s", c->name, err);
		client_status(c);
		return;
	}
	c->state = CL_WAITING;
	client_status(c);
	loop_timer(e->loop, loop_now(), client_tick, c);
}

static struct client *
running(long long id)
{
	for (struct client *c = clients; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

/* What a previous roshd wrote (it may have died without clearing it)
 * describes nothing that runs now. */
static void
reset_status(struct engine *e, const struct cdb_menu *m)
{
	static const struct cdb_kv none[] = {
		{ "status", NULL }, { "last-error", NULL }, { "uptime", NULL }, { "encoding", NULL },
		{ "local-address", NULL }, { "remote-address", NULL }, { "actual-mtu", NULL },
	};

	cdb_rt_put(e->db, m->path, 0, none, 7);	/* id 0: every client */
	clients_dns_sync(e);
}

void
clients_reconcile(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	static int reset_done;
	struct cdb_item_list l;
	struct cdb_err err;

	if (!m)
		return;
	if (!reset_done++) {
		reset_status(e, m);
		srandom((unsigned)time(NULL) ^ (unsigned)getpid() << 16);	/* jitter differs per router */
	}
	if (cdb_item_list(e->db, m, &l, &err))
		return;
	for (struct client *c = clients, *next; c; c = next) {
		int keep = 0;

		next = c->next;
		for (int i = 0; i < l.n; i++)
			keep |= l.items[i].id == c->id &&
				strcmp(cdb_item_text(m, &l.items[i], "disabled"), "yes");
		if (!keep)
			client_stop(c, "client disabled or removed");
	}
	for (int i = 0; i < l.n; i++) {
		const struct cdb_item *it = &l.items[i];
		struct client *c;
		char *fp;

		if (!strcmp(cdb_item_text(m, it, "disabled"), "yes"))
			continue;
		fp = fingerprint(e, m, it);
		if ((c = running(it->id)) && !strcmp(c->fingerprint, fp)) {
			free(fp);
			continue;
		}
		if (c)
			client_stop(c, "configuration changed");
		client_start(e, m, it, fp);
	}
	cdb_item_list_free(&l);
}

void
clients_stop_all(struct engine *e)
{
	while (clients)
		client_stop(clients, "engine stopping");
	loop_timer(e->loop, 0, status_tick, e);
}
