/* engine.h: roshd's core: the servers it runs, their peers, and the
 * functions that join the protocol core, Linux and the configuration. */
#ifndef ENGINE_H
#define ENGINE_H

#include <stdint.h>
#include <sys/socket.h>

#include "configdb.h"
#include "loop.h"
#include "ovpn/session.h"
#include "pump.h"
#include "tcp_stream.h"

#define PEER_BUCKETS 1024	/* a thousand clients, one or two per bucket */

struct server;

/* One connected client of one of our servers. */
struct peer {
	struct server *srv;
	struct peer *next;
	struct peer *hnext;		/* UDP: the next in its address bucket */
	struct ovpn_sess *sess;
	uint32_t peer_id;
	struct sockaddr_storage addr;	/* UDP: where it sends from */
	socklen_t addrlen;
	char caller[64];		/* "address:port" for /ppp active */
	int tcp;			/* TCP connection fd, or -1 */
	struct tcp_stream stream;	/* TCP: its packets both ways */
	struct pump pump;		/* its interface, from authentication on */
	char ifname[16];		/* kernel name of its interface */
	char name[64];			/* its name in Rosh: ifname, or <ovpn-USER> too long for one */
	int dynamic;			/* interface made for it (not a static entry) */
	char user[64];
	char profile[64];
	char address_list[64];		/* the profile's, holding our address while up */
	uint32_t local, remote;		/* tunnel addresses (host order) */
	uint8_t remote6[16];		/* with IPv6: the client's address */
	int remote_held, local_held;	/* addresses to give back to the pools */
	char encoding[64];		/* cipher and digest in use */
	uint64_t since;			/* when it came up (wall clock seconds) */
	long long active_id;		/* its /ppp active row */
	long long iface_id;		/* its /interface row (runtime) */
	long long static_id;		/* the /interface ovpn-server item it uses, or 0 */
	long long srv_row;		/* its /interface ovpn-server row: static_id or dynamic */
	uint64_t limit_in, limit_out;	/* the secret's limit-bytes-in/out, 0 none */
	int need_encryption;		/* the profile's use-encryption=required */
	int no_v6;			/* the profile's use-ipv6=no */
	int script_up;			/* on-up ran: on-down runs when it ends */
	uint32_t idle_s;		/* the profile's idle-timeout, 0 none */
	uint64_t idle_pkts, idle_seen;	/* packets from the peer, when they last grew */
	char end_why[80];		/* a limit reached: why the session ends */
	uint64_t born;			/* loop time it was made */
	struct radius_sess *radius;	/* logged in through RADIUS (radius.c) */
	int worker;			/* UDP with workers: the one that carries it, else -1 */
	int closing;
};

struct srv_sock;

/* One /interface ovpn-server server that is running. */
struct server {
	struct engine *eng;
	struct server *next;
	long long id;			/* its configuration item */
	char name[64];
	char *fingerprint;		/* the configuration it was started with */
	struct ovpn_cfg cfg;
	char *strings[8];		/* what cfg points into */
	struct ovpn_shared *shared;
	int fd;				/* UDP socket or TCP listener */
	int tcp;
	int tap;
	uint8_t mac[6];			/* mac-address for its TAP interfaces */
	int has_mac;
	int mtu;
	int netmask;
	int keepalive;			/* seconds, 0 disabled */
	char default_profile[64];
	char push_routes[1401];
	char redirect[32];
	int v6;				/* IPv6 inside the tunnel */
	uint8_t server6[16];		/* our IPv6 address in every tunnel */
	int prefix6;			/* the prefix clients get theirs from */
	struct peer *peers;
	struct peer *byaddr[PEER_BUCKETS];	/* UDP peers by source address */
	uint32_t next_peer_id;
	struct pump_batch batch;	/* what its peers queue in one wake-up */
	struct srv_sock *socks;		/* UDP with workers: one socket each (server_workers.c) */
	struct {			/* prelogin.c: who has not logged in */
		uint64_t since;		/* start of the report's minute */
		uint32_t closed, refused;
		char top[64];		/* the most frequent source, and its votes */
		uint32_t votes;
		uint32_t notes;		/* protocol messages about such peers */
		char note[192];		/* the last of them */
	} pre;
};

struct engine {
	struct cdb *db;
	struct loop *loop;
	const char *sockpath;
	int ctl;			/* control socket */
	long long applied;		/* journal seq reconciled */
	long long data_version;		/* SQLite's, to notice commits */
	struct server *servers;
	int sigfd;			/* SIGINT and SIGTERM */
};

/* reconcile.c */
void reconcile(struct engine *e);
/* child.c: a process roshd starts: stdout to out (-1: /dev/null), stderr to
 * err (-1: kept), nothing else inherited */
void child_reset(int out, int err);

/* prelogin.c */
#define PRELOGIN_PER_SOURCE 64		/* TCP connections waiting to log in, one address */
#define PRELOGIN_MAX 256		/* ... and from everyone */
#define PRELOGIN_DEADLINE_MS 30000	/* time a TCP connection has to log in */
#define PRELOGIN_REPORT_MS 60000
int prelogin_admit(struct server *s, const struct sockaddr_storage *from);
void prelogin_expire(struct server *s, uint64_t now);
void prelogin_closed(struct server *s, const struct peer *p);
void prelogin_note(struct server *s, const struct peer *p, int level, const char *msg);
void prelogin_report(struct server *s, uint64_t now);

/* server.c */
struct server *server_start(struct engine *e, long long id, const char *fingerprint,
			    char *err, size_t errlen);
void server_stop(struct server *s, const char *reason);
void peer_send(struct peer *p, const uint8_t *pkt, size_t len);
/* peer_free: the peer leaves the server's address table. */
void server_forget_peer(struct server *s, struct peer *p);
/* The connected UDP peer at that address, or NULL. */
struct peer *server_peer_by_addr(struct server *s, const struct sockaddr_storage *a,
				 socklen_t alen);
/* A datagram for the control thread: a new peer is carried by worker
 * (-1: none, the loop carries it). */
void server_datagram(struct server *s, const uint8_t *pkt, size_t len,
		     struct sockaddr_storage *from, socklen_t alen, uint64_t now, int worker);
/* The batch (and its socket) packets of worker (-1: the loop) queue into. */
struct pump_batch *server_batch(struct server *s, int worker, int *fd);
/* A UDP socket (reuse: one of a SO_REUSEPORT group), or -1 with err set. */
int server_socket(struct server *s, int port, const char *vrf, int reuse, char *err,
		  size_t errlen);

/* server_workers.c: a UDP server's sockets on the worker threads, each
 * taking the data packets of its own clients (workers.c) */
int server_workers_listen(struct server *s, int port, const char *vrf, char *err,
			  size_t errlen);
void server_workers_close(struct server *s);
struct pump_batch *server_worker_batch(struct server *s, int worker);
int server_worker_fd(struct server *s, int worker);

/* peer.c: what happens when a client authenticates, gets its addresses,
 * comes up and goes away */
extern const struct ovpn_io peer_io;
void peer_free(struct peer *p);
void peer_end(struct peer *p, const char *reason);
void peer_gone(struct peer *p, const char *reason);
int peer_still_allowed(struct peer *p);
/* RADIUS answered a login (radius.c): grant is the Access-Accept's. */
struct radius_grant;
void peer_radius_answer(struct peer *p, int result, const struct radius_grant *grant,
			const char *why);

/* runtime.c: the tables the console shows, through configdb's runtime
 * queue; rt_start() has it flushed from the loop, rt_stop() writes what
 * is left */
void rt_start(struct engine *e);
void rt_flush(struct engine *e);
void rt_stop(struct engine *e);
void rt_reset(struct engine *e);
long long rt_active_add(struct engine *e, struct peer *p);
void rt_active_del(struct engine *e, long long id);
/* An /interface row: name as Rosh shows it, kname the kernel's link. */
long long rt_iface_add(struct engine *e, const char *name, const char *kname, const char *type,
		       int mtu, int dynamic);
void rt_iface_del(struct engine *e, long long id);
/* Whether a tunnel wrote an interface row of that kernel link's name, or
 * shown under that name. */
int rt_iface_named(struct engine *e, const char *kname);
int rt_iface_shown(struct engine *e, const char *name);
void rt_running(struct engine *e, const char *menu, long long id, int running);
void rt_counters(struct engine *e);
/* A session in /interface ovpn-server: its static entry's state, or a
 * dynamic row of its own (D) while it lasts. */
void rt_session_up(struct engine *e, struct peer *p);
void rt_session_down(struct engine *e, struct peer *p);
struct nl_link;
/* The counters an interface row had at the last write, for its rates. */
struct rt_prev {
	uint64_t at_ms, rxb, txb, rxp, txp;
};
/* One interface row's counters, rates and hardware address, from the
 * kernel's link; prev is what the last write saw. */
void rt_iface_stats(struct engine *e, long long id, const struct nl_link *l,
		    struct rt_prev *prev);

/* scheduler.c: /system scheduler entries run as rosh children */
void scheduler_run(struct engine *e);
void scheduler_set_rosh(const char *path);
void scheduler_stop(void);
const char *scheduler_rosh(void);


/* control.c */
int control_open(struct engine *e);
void control_close(struct engine *e);

#endif
