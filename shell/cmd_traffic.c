/* cmd_traffic.c: /interface monitor-traffic IFACE[,IFACE...] [once]
 * [interval=T]: the rates of each interface, side by side as RouterOS shows
 * them: packets and bits per second both ways. roshd works them out each
 * second from the kernel's counters (hidden rx-bps, tx-bps, rx-pps, tx-pps
 * of /interface); this reads them. Like monitor it redraws in place on a
 * terminal until Ctrl-C, and prints once with once or into a pipe. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "items.h"

#define MAX_IFACES 16

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* 1234567 bits as "1.2Mbps", small ones as "980bps". */
static void
fmt_bits(long long v, char *out, size_t len)
{
	static const char *const unit[] = { "bps", "kbps", "Mbps", "Gbps", "Tbps" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, len, "%lldbps", v);
	else
		snprintf(out, len, "%.1f%s", d, unit[u]);
}

/* The row of each named interface in the /interface view, or -1. */
static int
find_rows(struct cmdctx *c, struct arg *a, char names[][64], long long *ids)
{
	char *list = strdup(val_text(&a->v)), *save = NULL;
	int n = 0;

	for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (n == MAX_IFACES) {
			free(list);
			return sh_fail(c->sh, a->pos, "at most %d interfaces", MAX_IFACES);
		}
		snprintf(names[n], 64, "%s", w);
		if ((ids[n] = cdb_item_by_key(c->sh->db, c->m, w)) <= 0) {
			free(list);
			return sh_fail(c->sh, a->pos, "no such interface %s", names[n]);
		}
		n++;
	}
	free(list);
	return n ? n : sh_fail(c->sh, a->pos, "missing value of interface");
}

/* One screen: a line per rate, a column per interface. Lines printed. */
static int
show(struct cmdctx *c, char names[][64], const long long *ids, int n)
{
	static const char *const rows[] = { "rx-packets-per-second", "rx-bits-per-second",
					    "tx-packets-per-second", "tx-bits-per-second" };
	static const char *const cols[] = { "rx-pps", "rx-bps", "tx-pps", "tx-bps" };
	char cell[5][MAX_IFACES][64];
	struct cdb_item it;
	struct cdb_err e;

	for (int k = 0; k < n; k++) {
		snprintf(cell[0][k], 64, "%s", names[k]);
		if (cdb_item_get(c->sh->db, c->m, ids[k], &it, &e))
			return sh_fail(c->sh, c->cmdpos, "no such interface %s", names[k]);
		for (int r = 0; r < 4; r++) {
			const char *v = cdb_item_text(c->m, &it, cols[r]);
			long long x = v ? strtoll(v, NULL, 10) : 0;

			if (r & 1)
				fmt_bits(x, cell[r + 1][k], 64);
			else
				snprintf(cell[r + 1][k], 64, "%lld", x);
		}
		cdb_item_clear(&it);
	}
	for (int r = 0; r < 5; r++) {
		fprintf(c->sh->out, "%22s:", r ? rows[r - 1] : "name");
		for (int k = 0; k < n; k++)
			fprintf(c->sh->out, " %*s", (int)strlen(names[k]) > 10 ?
				(int)strlen(names[k]) : 10, cell[r][k]);
		fputc('\n', c->sh->out);
	}
	return 5;
}

static int
parse_args(struct cmdctx *c, struct arg **ifaces, int *once, long long *interval)
{
	static const char *const names[] = { "interface", "once", "interval", NULL };
	struct arg *a;

	*ifaces = arg_find(c, "interface");
	*once = arg_find(c, "once") != NULL;
	*interval = 1;
	if (sh_only_args(c, names, 2))
		return -1;
	for (int k = 0; (a = arg_unnamed(c, k)); k++) {
		if (a->bare && !strcmp(val_text(&a->v), "once") && (*ifaces || k > 0))
			*once = 1;
		else if (!*ifaces)
			*ifaces = a;
		else
			return sh_fail(c->sh, a->pos, "expected end of command");
	}
	if (!*ifaces)
		return sh_fail(c->sh, c->cmdpos, "missing value of interface");
	if ((a = arg_find(c, "interval")) &&
	    (cdb_parse_time(val_text(&a->v), interval) || *interval < 1 || *interval > 3600))
		return sh_fail(c->sh, a->pos, "invalid value for argument interval");
	return 0;
}

int
cmd_monitor_traffic(struct cmdctx *c)
{
	struct sigaction sa = { .sa_handler = on_interrupt }, old;
	char names[MAX_IFACES][64];
	long long ids[MAX_IFACES], interval;
	struct arg *ifaces;
	int n, once, lines, rc = 0;

	if (parse_args(c, &ifaces, &once, &interval) ||
	    (n = find_rows(c, ifaces, names, ids)) < 0 || sh_before_wait(c->sh, c->cmdpos))
		return -1;
	once |= !isatty(fileno(c->sh->out));
	interrupted = 0;
	if (!once)
		sigaction(SIGINT, &sa, &old);
	for (;;) {
		if ((lines = show(c, names, ids, n)) < 0) {
			rc = -1;
			break;
		}
		fflush(c->sh->out);
		if (once || sh_before_wait(c->sh, c->cmdpos))
			break;
		sleep((unsigned)interval);
		if (interrupted)
			break;
		fprintf(c->sh->out, "\033[%dA\033[J", lines);	/* redraw in place */
	}
	if (!once)
		sigaction(SIGINT, &old, NULL);
	return rc;
}
