/* login.h: who a session is. Every front end (the console on the box, SSH,
 * the API, REST) logs its session in here, and from then on configdb holds
 * the user's policy and refuses what the group may not do, whichever front
 * end asked. */
#ifndef LOGIN_H
#define LOGIN_H

#include "sh.h"

/* Log sh in as name, from addr ("" on the box) by service via ("console",
 * "ssh", "api", "api-ssl", "www", "www-ssl"). password NULL means the front
 * end proved who it is otherwise (root at the box, an SSH key). Checks the
 * user exists and is enabled, the password, addr against the user's address
 * list, and that the group's policy allows via. On success sets sh->user and
 * the session's policy, records /user active and last-logged-in, and logs
 * the login. On failure: -1, sh->err holds what to tell the client (wrong
 * name or password both read "invalid user name or password (6)"), the
 * failure is logged with addr, and *delay_ms (when not NULL) is how long to
 * wait before answering, growing with recent failures from addr. */
int sh_login(struct sh *sh, const char *name, const char *password, const char *addr,
	     const char *via, int *delay_ms);
/* The session ends: its /user active row goes. */
void sh_logout(struct sh *sh);
/* login_radius.c: a name /user lacks, with /user aaa use-radius=yes: 0 and
 * its group when a /radius server for login accepts it, -1 with why when
 * refused, 1 when RADIUS is not to be asked (off, or no password to ask
 * with). */
int sh_login_radius(struct sh *sh, const char *name, const char *password, const char *addr,
		    char *group, size_t grouplen, char *why, size_t whylen);
/* The RADIUS login passed every check: Accounting-Start (accounting=yes). */
void sh_login_radius_start(struct sh *sh);
/* Accounting-Stop of a RADIUS login that had a Start; forget it. */
void sh_logout_radius(struct sh *sh);
/* Whether addr (text; "::ffff:a.b.c.d" counts as IPv4) is inside one of
 * the comma-separated prefixes of list; an empty or NULL list, or an empty
 * addr (on the box), allows. Users' and services' address lists both. */
int sh_address_allowed(const char *list, const char *addr);
/* serve_listen.c: a TCP socket listening on port on every address (IPv6
 * with IPv4 mapped, else IPv4); type_flags such as SOCK_NONBLOCK. -1 on error. */
int sh_listen_any(int port, int type_flags);
/* Whether the logged-in user's group grants the policy word. */
int sh_may(struct sh *sh, const char *word);

#endif
