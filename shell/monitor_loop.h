/* monitor_loop.h: what monitor and monitor-traffic share (monitor_loop.c). */
#ifndef MONITOR_LOOP_H
#define MONITOR_LOOP_H

#include "cmd.h"

struct monitor_args {
	struct arg *what;		/* the items or interfaces to show */
	int once;
	long long interval;		/* seconds between screens */
};

/* WHAT [once] [interval=T], WHAT also given as first=; 0 or -1. */
int monitor_args(struct cmdctx *c, const char *first, struct monitor_args *a);
/* show(c, ctx) prints one screen and returns its lines, or -1. On a
 * terminal and without once, it is redrawn in place every interval until
 * Ctrl-C; the line lets go of the database before each wait. 0 or -1. */
int monitor_loop(struct cmdctx *c, const struct monitor_args *a,
		 int (*show)(struct cmdctx *c, void *ctx), void *ctx);

#endif
