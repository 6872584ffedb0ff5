/* daemon.h: detaching, the pid file, --stop and systemd's readiness
 * notification (daemon.c). */
#ifndef DAEMON_H
#define DAEMON_H

/* Detach if asked: the parent exits once daemon_ready runs, or with 1 if
 * the child fails first; -1 on failure, said on stderr. */
int daemon_start(int detach);
/* Write our pid into path, refusing if a live roshd holds it already. */
int daemon_pidfile(const char *path);
/* The configuration is applied: tell systemd and the waiting parent. */
void daemon_ready(void);
/* One state line to systemd (READY=1, RELOADING=1, ...); nothing without it. */
void daemon_notify(const char *state);
/* Stopping: tell systemd, remove our pid file. */
void daemon_exit(void);
/* SIGTERM to the roshd a pid file names, waiting up to wait_s seconds for
 * it to end; 0 when it has, 1 (said on stderr) otherwise. */
int daemon_stop(const char *pidfile, int wait_s);

#endif
