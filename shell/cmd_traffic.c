/* cmd_traffic.c: /interface monitor-traffic IFACE[,IFACE...] [once]
 * [interval=T]: the rates of each interface, side by side as RouterOS shows
 * them: packets and bits per second both ways. roshd works them out each
 * second from the kernel's counters (hidden rx-bps, tx-bps, rx-pps, tx-pps
 * of /interface); this reads them. Like monitor it redraws in place on a
 * terminal until Ctrl-C, and prints once with once or into a pipe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "items.h"
#include "monitor_loop.h"

#define MAX_IFACES 16

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

struct rows {
	char names[MAX_IFACES][64];
	long long ids[MAX_IFACES];
	int n;
};

static int
show_rows(struct cmdctx *c, void *ctx)
{
	struct rows *r = ctx;

	return show(c, r->names, r->ids, r->n);
}

int
cmd_monitor_traffic(struct cmdctx *c)
{
	struct monitor_args a;
	struct rows r;

	if (monitor_args(c, "interface", &a) || (r.n = find_rows(c, a.what, r.names, r.ids)) < 0 ||
	    sh_before_wait(c->sh, c->cmdpos))
		return -1;
	return monitor_loop(c, &a, show_rows, &r);
}
