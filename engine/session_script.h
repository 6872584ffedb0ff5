/* session_script.h: a PPP profile's on-up and on-down scripts, run by
 * roshd when a tunnel session comes up or ends (session_script.c). */
#ifndef SESSION_SCRIPT_H
#define SESSION_SCRIPT_H

struct engine;

/* The variables a RouterOS on-up/on-down script finds set. */
struct session_vars {
	const char *user;
	const char *local;		/* our tunnel address */
	const char *remote;		/* the peer's tunnel address */
	const char *caller;		/* the peer's public address */
	const char *called;		/* what it called: our server's (or client's) name */
	const char *iface;		/* the session's interface */
};

/* Run the profile's event ("on-up" or "on-down") when it has one: started
 * as a console child, bounded in time, its output and failure to /log.
 * Never waits for it. */
void session_script_run(struct engine *e, const char *profile, const char *event,
			const struct session_vars *v);
/* The engine stops: running scripts get a moment, then are killed. */
void session_script_stop(void);

#endif
