/* client.h: /interface ovpn-client in roshd: one struct client per enabled
 * item, from name resolution through the proxy and the OpenVPN session to
 * the tun interface with what the server pushed, and back off and retry
 * after every failure. client.c holds the life cycle, client_connect.c the
 * transport, client_push.c what a push changes on this host, client_verify.c
 * how the server's certificate is checked. */
#ifndef CLIENT_H
#define CLIENT_H

#include <netdb.h>
#include <stdint.h>
#include <sys/socket.h>

#include "engine.h"

#define CLIENT_REMOTES 64	/* connect-to and up to 63 backup remotes (OpenVPN 2.6 takes 64) */
#define CLIENT_ROUTES 72	/* pushed routes we install, plus the default pair */
#define CLIENT_DNS 8
#define CLIENT_SROUTES 32	/* routes= entries */

enum client_state {
	CL_REFUSED,		/* configuration we can not run: waits for a change */
	CL_WAITING,		/* backing off before the next attempt */
	CL_RESOLVING,		/* name lookup of the server (or proxy) */
	CL_CONNECTING,		/* TCP connect in progress */
	CL_PROXY,		/* HTTP CONNECT sent, waiting for the reply */
	CL_NEGOTIATING,		/* OpenVPN session: TLS, key exchange, push */
	CL_CONNECTED,		/* push applied, data flows */
};

struct resolve;

struct client_remote {
	char host[256];
	int port;
	int tcp;
};

struct client_route {
	uint32_t dst;			/* host order */
	int len;
	uint32_t gw;			/* 0: through the interface itself */
	int metric;
	char dev[16];			/* our tun, or the original way to the server */
	long long row;			/* its dynamic /ip route row, 0 when none */
};

struct client_route6 {
	uint8_t dst[16];
	int len;
};

#define CLIENT_ROUTES6 16

/* What a PUSH_REPLY asks of this host (client_push.c). */
struct client_push {
	int have_ifconfig;
	uint32_t local;			/* our tunnel address */
	uint32_t mask;			/* netmask (subnet topology, tap) */
	uint32_t peer;			/* remote end (net30/p2p topology), else 0 */
	uint32_t route_gw;		/* route-gateway, else the p2p peer */
	int redirect;			/* redirect-gateway was pushed */
	struct client_route routes[CLIENT_ROUTES];
	int nroutes;
	char dns[CLIENT_DNS][48];	/* DNS servers, canonical text */
	int ndns;
	int tun_mtu;			/* pushed tun-mtu, 0 none */
	int have_v6;
	uint8_t local6[16];
	int len6;
	struct client_route6 routes6[CLIENT_ROUTES6];	/* route-ipv6, through the tunnel */
	int nroutes6;
};

struct client {
	struct engine *eng;
	struct client *next;
	long long id;			/* its configuration item */
	char name[64];			/* item name = interface name */
	char *fingerprint;		/* the configuration it was started with */
	enum client_state state;
	int stopping;			/* being stopped: session events change nothing */

	/* configuration */
	struct ovpn_cfg cfg;
	/* what cfg points into: 0-7 certificate, key, CAs, tls-auth, tls-crypt,
	 * tls-crypt-v2, user, password; 8 CRLs; 9 pull-filter; 10-12
	 * client_verify.c's server CAs, fingerprints and name */
	char *strings[13];
	int name_check;			/* 0: no name check; else verify-server-name or the host */
	struct ovpn_shared *shared;
	struct client_remote remotes[CLIENT_REMOTES];
	int nremotes, cur;		/* the one tried now */
	char proxy[256];		/* http-proxy host, "" none */
	int proxy_port;
	char *proxy_auth;		/* base64 user:password, or NULL */
	int tap, max_mtu, add_default, peer_dns, nopull;
	int need_encryption;		/* the profile's use-encryption=required */
	char profile[64];		/* its /ppp profile: on-up, on-down */
	uint8_t mac[6];
	int has_mac;
	struct client_route sroutes[CLIENT_SROUTES];	/* routes=, through the tunnel */
	int nsroutes;
	struct client_route6 sroutes6[CLIENT_ROUTES6];	/* routes=, the IPv6 ones */
	int nsroutes6;
	char sdns[CLIENT_DNS][48];	/* dns-servers= */
	int nsdns;
	int ping_s, ping_restart_s;	/* ping-interval=, ping-restart= (0: the server's) */

	/* transport */
	struct resolve *gai;		/* name lookup in progress */
	struct sockaddr_storage server;	/* where the server (or proxy) is */
	socklen_t serverlen;
	int fd;
	int tcp;
	struct tcp_stream stream;	/* TCP: the proxy's reply, then packets both ways */
	uint64_t phase_deadline;	/* ms: resolve, connect, proxy, first reply */

	/* session */
	struct ovpn_sess *sess;
	int sess_down;			/* io->down came: free it outside the session */
	char down_reason[256];
	int got_reply;			/* a packet came from the server */
	int push_ok;			/* the push was applied */

	/* tunnel */
	struct pump pump;		/* its interface and the packets through it */
	struct pump_batch batch;	/* what one wake-up queues */
	char ifname[16];
	long long iface_id;		/* rt_interface row */
	uint32_t local, mask, peer;	/* addresses on the interface */
	uint32_t remote_addr;		/* the server's end of the tunnel, for monitor */
	int have_local6;
	uint8_t local6[16];
	int len6;
	struct client_route6 routes6[CLIENT_ROUTES6];	/* installed */
	int nroutes6;
	int mtu;
	struct client_route routes[CLIENT_ROUTES];	/* installed */
	int nroutes;
	char dns[CLIENT_DNS][48];	/* DNS servers given to /ip dns */
	int ndns;

	/* status */
	uint64_t backoff_ms;		/* the next wait */
	uint64_t up_since;		/* wall clock seconds; 0 while down */
	uint64_t up_mono;		/* monotonic ms the tunnel came up */
	char encoding[64];
	char last_error[256];
};

/* client.c */
/* The profile's on-up or on-down for this client's tunnel. */
void client_script(struct client *c, const char *event);
void clients_reconcile(struct engine *e);
void clients_stop_all(struct engine *e);
void client_fail(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void client_lost(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void client_status(struct client *c);
void client_session_start(struct client *c);
void client_arm(struct client *c);
/* The interface is readable: what the kernel routes into the tunnel. */
void client_on_tun(void *ctx, uint32_t events);
extern const struct ovpn_io client_io;

/* client_options.c: the properties an imported profile fills beyond
 * RouterOS's (data-ciphers, remote-random, routes, dns-servers, mssfix,
 * ping-interval, ping-restart, reneg-sec, pull-filter). */
int client_options(struct client *c, const struct cdb_menu *m, const struct cdb_item *it,
		   char *err, size_t errlen);

/* client_connect.c */
void client_attempt(struct client *c);
void client_transport_close(struct client *c);
void client_send(struct client *c, const uint8_t *pkt, size_t len);
void client_resolve_poll(struct client *c);
int client_parse_remotes(struct client *c, const char *host, int port, int tcp,
			 const char *backups, char *err, size_t errlen);

/* client_push.c */
int client_push_parse(const char *opts, struct client_push *p, char *err, size_t errlen);
int client_push_apply(struct client *c, const struct client_push *p, char *err, size_t errlen);
void client_tunnel_down(struct client *c);
void client_tunnel_release(struct client *c);
void clients_dns_sync(struct engine *e);
struct client *clients_list(void);

/* client_verify.c: how the server is checked, from the item (into cfg);
 * the name its certificate must carry when the server is host. */
int client_verify_cfg(struct client *c, const struct cdb_menu *m, const struct cdb_item *it,
		      char *err, size_t errlen);
const char *client_verify_name(const struct client *c, const char *host);

/* client_route.c */
int client_route_lookup(const struct sockaddr_storage *dst, uint32_t *gw, char *dev,
			size_t devlen);

#endif
