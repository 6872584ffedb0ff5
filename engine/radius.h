/* radius.h: roshd's side of RADIUS (the client itself is radius/): logins of users not in /ppp secret are
 * asked of /radius servers, their sessions accounted, and servers may end or
 * change them (RFC 5176). The requests run in a worker thread (radius_worker.c)
 * so the loop never waits on a server; the answers come back through a pipe. */
#ifndef RADIUS_H
#define RADIUS_H

#include <stddef.h>
#include <stdint.h>

#include "radius_client.h"

struct engine;
struct peer;

/* radius_worker.c: the thread */
int radius_worker_start(void (*done)(struct radius_job *), struct engine *e, char *why,
			size_t whylen);
void radius_worker_submit(struct radius_job *j);
void radius_worker_stop(void);

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
#endif
