/* radius.h: roshd's RADIUS client: logins of users not in /ppp secret are
 * asked of /radius servers, their sessions accounted, and servers may end or
 * change them (RFC 5176). The requests run in a worker thread (radius_worker.c)
 * so the loop never waits on a server; the answers come back through a pipe. */
#ifndef RADIUS_H
#define RADIUS_H

#include <stddef.h>
#include <stdint.h>

struct engine;
struct peer;

#define RADIUS_MAX_SERVERS 8
#define RADIUS_ATTR_MAX 253		/* longest attribute value (RFC 2865) */

/* One /radius server, as the loop read it for one request. */
struct radius_server {
	long long id;			/* its /radius item */
	char address[16], src[16];
	char secret[256];
	int auth_port, acct_port;
	int timeout_s;
};

enum radius_kind { RADIUS_AUTH_PAP, RADIUS_AUTH_MSCHAP2, RADIUS_ACCT };
enum radius_result { RADIUS_ACCEPT, RADIUS_REJECT, RADIUS_DOWN, RADIUS_ERROR };

/* What an Access-Accept says of the session (radius_attr.c fills it). */
struct radius_grant {
	uint32_t framed_ip;		/* host order, 0: none */
	char pool[64];			/* Framed-Pool */
	char routes[1024];		/* Framed-Route entries, comma separated */
	uint32_t session_timeout, idle_timeout, interim;	/* seconds, 0: none */
	char rate[128];			/* Mikrotik-Rate-Limit */
	uint8_t class_[RADIUS_ATTR_MAX];
	size_t class_len;
	char reply[RADIUS_ATTR_MAX + 1];	/* Reply-Message, for the log */
};

/* Per server, what happened to one request: counted by the loop. */
struct radius_try {
	long long id;
	int outcome;			/* RADIUS_ACCEPT.. RADIUS_ERROR, -1: not tried */
	unsigned rtt_ms;
};

/* What a request tells of the session (both kinds) and accounting's record. */
struct radius_facts {
	int status;			/* Acct-Status-Type: 1 start, 2 stop, 3 interim */
	char session_id[9];
	char caller[64], called[64];	/* client "address:port", the server's name */
	uint32_t nas_port, framed_ip, session_time;
	uint64_t in_octets, out_octets, in_pkts, out_pkts;
	int cause;			/* Acct-Terminate-Cause, stop only */
	uint8_t class_[RADIUS_ATTR_MAX];
	size_t class_len;
};

/* One request and its answer; the loop makes it, the worker fills the
 * answer, the loop reads it back. */
struct radius_job {
	struct radius_job *next;
	enum radius_kind kind;
	void *owner;			/* the peer, NULL once it went away */
	uint32_t serial;		/* matches the owner's wait */
	struct radius_server srv[RADIUS_MAX_SERVERS];
	int nsrv;
	char nas_id[256];
	char user[64], pass[256];
	struct radius_facts f;
	/* the answer */
	int result;
	struct radius_grant grant;
	struct radius_try tries[RADIUS_MAX_SERVERS];
	char why[160];
};

/* radius_mschap.c: MS-CHAPv2 (RFC 2759) from a clear password */
void mschap2_nt_hash(const char *password, uint8_t hash[16]);
int mschap2_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
			const char *user, const char *password, uint8_t response[24]);
/* The authenticator response "S=..." (42 characters and a NUL). */
int mschap2_authenticator(const char *password, const uint8_t nt_response[24],
			  const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			  const char *user, char out[43]);

/* radius_attr.c: pure mapping of attribute values */
/* Acct-Terminate-Cause (RFC 2866) for the reason a session ended. */
int radius_terminate_cause(const char *reason);
/* Add one Framed-Route value ("10.1.0.0/24 0.0.0.0 1") to routes (comma
 * separated "dst [gw] [metric]", as /ppp secret routes). 0, or -1 when it
 * does not read or does not fit. */
int radius_route_add(char *routes, size_t size, const char *value, size_t len);
/* One Access-Accept attribute into the grant (id: vendor << 16 | type; a
 * string's bytes v, n or a number u); -1 when its value does not read. */
int radius_grant_attr(struct radius_grant *g, unsigned id, const uint8_t *v, size_t n,
		      uint32_t u);
/* The rx/tx of a Mikrotik-Rate-Limit into out: 0, 1 when there was more
 * (bursts, left out), -1 (out empty) when it does not read. */
int radius_rate(const char *v, char *out, size_t size);
/* The session id radius accounting uses for a peer: 8 hex digits. */
void radius_session_id(uint32_t n, char out[9]);

/* radius_worker.c: the thread */
int radius_worker_start(void (*done)(struct radius_job *), struct engine *e, char *why,
			size_t whylen);
void radius_worker_submit(struct radius_job *j);
void radius_worker_stop(void);
/* radcli's part, run in the worker: the servers in order */
void radius_send(struct radius_job *j);

/* radius.c: the loop's side */
int radius_enabled(struct engine *e);
/* Ask RADIUS about a peer's login; the answer goes to peer_radius_answer().
 * 0, or -1 with why (no server: the login is refused). */
int radius_login(struct engine *e, struct peer *p, const char *user, const char *pass,
		 char *why, size_t whylen);
/* A RADIUS session is up: Accounting-Start, and Interim-Update every
 * interim_s (0: /ppp aaa's interim-update). */
void radius_acct_start(struct peer *p, uint32_t interim_s);
/* Why the session ends, kept for Acct-Terminate-Cause (the first wins). */
void radius_ended(struct peer *p, const char *reason);
void radius_acct_stop(struct peer *p);
/* The peer goes: Stop if due; an answer still coming is dropped. */
void radius_free_session(struct peer *p);
/* The peer's Acct-Session-Id: 1 when it has one. */
int radius_peer_session(const struct peer *p, char out[9]);
void radius_reconcile(struct engine *e);
void radius_shutdown(struct engine *e);

/* radius_incoming.c: Disconnect-Message and CoA */
void radius_incoming_reconcile(struct engine *e);
void radius_incoming_close(struct engine *e);
/* Pure parts, for tests: verify a request (1 good), sign an answer. */
int radius_request_valid(const uint8_t *pkt, size_t len, const char *secret);

/* What a Disconnect or CoA request names (sessions by User-Name,
 * Acct-Session-Id, Framed-IP-Address) and asks (Mikrotik-Rate-Limit). */
struct radius_ask {
	char user[64], session[16], rate[128];
	uint32_t ip;
	int has_rate, names;
};

/* The attributes after a request's header, each bounds-checked, into q;
 * 0, or -1 when they do not add up. */
int radius_request_attrs(const uint8_t *a, size_t len, struct radius_ask *q);
void radius_response_sign(uint8_t *pkt, size_t len, const uint8_t req_auth[16],
			  const char *secret);

#endif
