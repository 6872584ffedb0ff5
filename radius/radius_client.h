/* radius_client.h: the RADIUS client both programs use (libradius.a):
 * roshd for OVPN logins and their accounting, the console for the logins
 * of users /user lacks. A request is a job: the servers in /radius order
 * (radius_config.c), what it says of the session, and, filled by
 * radius_send() (radius_send.c, through radcli), the answer. Nothing here
 * runs a loop or keeps state between requests. */
#ifndef RADIUS_CLIENT_H
#define RADIUS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

struct cdb;

#define RADIUS_MAX_SERVERS 8
#define RADIUS_ATTR_MAX 253		/* longest attribute value (RFC 2865) */

/* One /radius server, as the configuration had it for one request. */
struct radius_server {
	long long id;			/* its /radius item */
	char address[16], src[16];
	char secret[256];
	int auth_port, acct_port;
	int timeout_s;
};

enum radius_kind { RADIUS_AUTH_PAP, RADIUS_AUTH_MSCHAP2, RADIUS_ACCT };
enum radius_result { RADIUS_ACCEPT, RADIUS_REJECT, RADIUS_DOWN, RADIUS_ERROR };

/* What an Access-Accept says of the session (radius_wire.c fills it). */
struct radius_grant {
	uint32_t framed_ip;		/* host order, 0: none */
	char pool[64];			/* Framed-Pool */
	char routes[1024];		/* Framed-Route entries, comma separated */
	uint32_t session_timeout, idle_timeout, interim;	/* seconds, 0: none */
	char rate[128];			/* Mikrotik-Rate-Limit */
	uint8_t class_[RADIUS_ATTR_MAX];
	size_t class_len;
	char reply[RADIUS_ATTR_MAX + 1];	/* Reply-Message, for the log */
	char group[64];			/* Mikrotik-Group: a login's /user group */
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

/* One request and its answer: the asker fills the request, radius_send()
 * the answer. */
struct radius_job {
	struct radius_job *next;
	enum radius_kind kind;
	int login;			/* a login to the router (Service-Type Login),
					   not a tunnel (Framed, PPP) */
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

/* radius_wire.c: pure mapping of attribute values */
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

/* radius_send.c: the servers in order until one answers; blocks up to
 * the sum of their timeouts (roshd calls it from its worker thread). */
void radius_send(struct radius_job *j);

/* radius_config.c: the job's servers (the enabled /radius items whose
 * service holds service) and NAS-Identifier, as the configuration says now.
 * Returns the number of servers; skipped ones (no usable secret) are named
 * in skipped, "" when none. */
int radius_job_config(struct cdb *db, const char *service, struct radius_job *j,
		      char *skipped, size_t skippedlen);

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
