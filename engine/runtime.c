/* runtime.c: what is running, written where the console reads it: /ppp
 * active rows, the interfaces behind /interface, running flags and
 * counters. None of it is journalled: it is state, not configuration. The
 * writes wait in configdb's runtime queue, flushed from the loop a moment
 * later, so a console holding the database never stalls a tunnel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "ip.h"
#include "log.h"

#define RETRY_MS 100		/* a busy database is tried again this much later */
#define STOP_WAIT_MS 3000	/* at shutdown, how long a busy database is waited for */

/* The interface rows tunnels wrote: after rt_reset every row of
 * rt_interface is the engine's own, so this is the whole truth. */
struct iface_row {
	long long id;
	char name[64];			/* as /interface shows it */
	char kname[16];			/* the kernel's link */
	int dynamic;
	struct rt_prev prev;
};

static struct iface_row *ifrows;
static int nifrows;
static int flush_armed;
static struct cdb_err last_failure;	/* logged once, not at every try */

static void
flush_tick(void *ctx)
{
	struct engine *e = ctx;
	struct cdb_err err;
	int rc = cdb_rt_flush(e->db, &err);

	flush_armed = 0;
	if (rc < 0 && strcmp(err.msg, last_failure.msg)) {
		last_failure = err;
		log_msg(LOG_WARN, "system", "runtime state: %s", err.msg);
	} else if (rc == 0) {
		last_failure.msg[0] = '\0';
	}
	if (rc > 0 && !flush_armed) {	/* busy: the queue waits for the next try */
		flush_armed = 1;
		loop_timer(e->loop, loop_now() + RETRY_MS, flush_tick, e);
	}
}

/* A write landed in an empty queue: it is written, with every other write
 * the same events make, once the loop has dealt with the events at hand, so
 * the console sees a session as soon as the client does. While the database
 * is busy the writes wait, and fold, for RETRY_MS at a time. */
static void
wake(void *ctx)
{
	struct engine *e = ctx;

	if (flush_armed || !e->loop)
		return;
	flush_armed = 1;
	loop_timer(e->loop, loop_now(), flush_tick, e);
}

void
rt_start(struct engine *e)
{
	cdb_rt_notify(e->db, wake, e);
	if (cdb_rt_pending(e->db))
		wake(e);
}

/* Write what waits now (a console asked and waits for the answer). */
void
rt_flush(struct engine *e)
{
	if (cdb_rt_pending(e->db))
		flush_tick(e);
}

/* The engine stops: what waits is written, a busy database waited for a
 * bounded time. */
void
rt_stop(struct engine *e)
{
	struct cdb_err err;
	int rc, waited = 0;

	loop_timer(e->loop, 0, flush_tick, e);
	cdb_rt_notify(e->db, NULL, NULL);
	while ((rc = cdb_rt_flush(e->db, &err)) > 0 && waited < STOP_WAIT_MS) {
		usleep(20 * 1000);
		waited += 20;
	}
	if (rc)
		fprintf(stderr, "roshd: runtime state not written: %s\n", err.msg);
	flush_armed = 0;
}

/* Nothing runs when the engine starts or stops. */
void
rt_reset(struct engine *e)
{
	cdb_rt_reset(e->db);
	free(ifrows);
	ifrows = NULL;
	nifrows = 0;
}

long long
rt_active_add(struct engine *e, struct peer *p)
{
	long long id = cdb_rt_new_id(e->db);
	char addr[16];
	struct cdb_kv kv[] = {
		{ "running", "yes" }, { "name", p->user }, { "service", "ovpn" },
		{ "caller-id", p->caller }, { "address", cdb_fmt_ip4(p->remote, addr) },
		{ "uptime", "0s" }, { "encoding", p->encoding },
	};

	if (id <= 0 || cdb_rt_put(e->db, "/ppp/active", id, kv, 7))
		return -1;
	return id;
}

void
rt_active_del(struct engine *e, long long id)
{
	if (id > 0)
		cdb_rt_del(e->db, "/ppp/active", id);
}

long long
rt_iface_add(struct engine *e, const char *name, const char *kname, const char *type, int mtu,
	     int dynamic)
{
	long long id = cdb_rt_new_id(e->db);
	struct iface_row *more;
	char m[16];
	struct cdb_kv kv[] = {
		{ "name", name }, { "type", type }, { "mtu", m }, { "actual-mtu", m },
		{ "running", "yes" }, { "dynamic", dynamic ? "yes" : "no" }, { "rx-byte", "0" },
		{ "tx-byte", "0" }, { "rx-packet", "0" }, { "tx-packet", "0" },
	};

	snprintf(m, sizeof(m), "%d", mtu);
	if (id <= 0 || cdb_rt_put(e->db, "/interface", id, kv, 10))
		return -1;
	if ((more = realloc(ifrows, sizeof(*ifrows) * (size_t)(nifrows + 1)))) {
		ifrows = more;
		ifrows[nifrows] = (struct iface_row){ .id = id, .dynamic = dynamic };
		snprintf(ifrows[nifrows].name, sizeof(ifrows->name), "%s", name);
		snprintf(ifrows[nifrows++].kname, sizeof(ifrows->kname), "%s", kname);
	}
	return id;
}

void
rt_iface_del(struct engine *e, long long id)
{
	if (id <= 0)
		return;
	cdb_rt_del(e->db, "/interface", id);
	for (int i = 0; i < nifrows; i++)
		if (ifrows[i].id == id)
			ifrows[i--] = ifrows[--nifrows];
}

int
rt_iface_named(struct engine *e, const char *kname)
{
	(void)e;
	for (int i = 0; i < nifrows; i++)
		if (!strcmp(ifrows[i].kname, kname))
			return 1;
	return 0;
}

int
rt_iface_shown(struct engine *e, const char *name)
{
	(void)e;
	for (int i = 0; i < nifrows; i++)
		if (!strcmp(ifrows[i].name, name))
			return 1;
	return 0;
}

void
rt_running(struct engine *e, const char *menu, long long id, int running)
{
	cdb_rt_running(e->db, menu, id, running);
}

#define SRV_MENU "/interface/ovpn-server"

void
rt_session_up(struct engine *e, struct peer *p)
{
	char mtu[16], local[16], remote[16];
	struct cdb_kv kv[] = {
		{ "status", "connected" }, { "uptime", "0s" }, { "encoding", p->encoding },
		{ "actual-mtu", mtu }, { "local-address", cdb_fmt_ip4(p->local, local) },
		{ "remote-address", cdb_fmt_ip4(p->remote, remote) },
		{ "client-address", p->caller }, { "running", "yes" },
		{ "name", p->name }, { "user", p->user },
	};

	snprintf(mtu, sizeof(mtu), "%d", p->srv->mtu);
	p->srv_row = p->dynamic ? cdb_rt_new_id(e->db) : p->static_id;
	if (p->srv_row > 0)
		cdb_rt_put(e->db, SRV_MENU, p->srv_row, kv, p->dynamic ? 10 : 8);
}

void
rt_session_down(struct engine *e, struct peer *p)
{
	struct cdb_kv kv[] = {
		{ "status", NULL }, { "uptime", NULL }, { "encoding", NULL }, { "actual-mtu", NULL },
		{ "local-address", NULL }, { "remote-address", NULL }, { "client-address", NULL },
		{ "running", "no" },
	};

	if (p->srv_row > 0 && p->dynamic)
		cdb_rt_del(e->db, SRV_MENU, p->srv_row);
	else if (p->srv_row > 0)
		cdb_rt_put(e->db, SRV_MENU, p->srv_row, kv, 8);
	p->srv_row = 0;
}

/* One interface's counters, for /interface print: the kernel's, which count
 * what the tunnel's device passed both ways, dropped and failed. */
/* Per second since the last write; 0 the first time or when a counter went
 * back (the link was made anew under the same name). */
static uint64_t
per_second(uint64_t now, uint64_t before, uint64_t ms)
{
	return ms && now >= before ? (now - before) * 1000 / ms : 0;
}

void
rt_iface_stats(struct engine *e, long long id, const struct nl_link *l, struct rt_prev *prev)
{
	uint64_t at = loop_now(), ms = prev->at_ms ? at - prev->at_ms : 0;
	const uint64_t n[12] = { l->rx_bytes, l->tx_bytes, l->rx_packets, l->tx_packets,
				 l->rx_dropped, l->tx_dropped, l->rx_errors, l->tx_errors,
				 per_second(l->rx_bytes, prev->rxb, ms) * 8,
				 per_second(l->tx_bytes, prev->txb, ms) * 8,
				 per_second(l->rx_packets, prev->rxp, ms),
				 per_second(l->tx_packets, prev->txp, ms) };
	static const char *const names[12] = { "rx-byte", "tx-byte", "rx-packet", "tx-packet",
					       "rx-drop", "tx-drop", "rx-error", "tx-error",
					       "rx-bps", "tx-bps", "rx-pps", "tx-pps" };
	char v[12][24], mac[18];
	struct cdb_kv kv[13];
	int k = 0;

	if (id <= 0)
		return;
	*prev = (struct rt_prev){ at, l->rx_bytes, l->tx_bytes, l->rx_packets, l->tx_packets };
	for (; k < 12; k++) {
		snprintf(v[k], sizeof(v[k]), "%llu", (unsigned long long)n[k]);
		kv[k] = (struct cdb_kv){ names[k], v[k] };
	}
	if (l->has_mac) {	/* tap tunnels: the address the kernel has */
		snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", l->mac[0], l->mac[1],
			 l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
		kv[k++] = (struct cdb_kv){ "mac-address", mac };
	}
	cdb_rt_put(e->db, "/interface", id, kv, k);
}

/* Uptime of every session, and the counters of every interface, once a
 * second: one link dump for all of them. */
void
rt_counters(struct engine *e)
{
	uint64_t now = (uint64_t)time(NULL);
	struct nl_link *l = NULL;
	int n;

	for (struct server *s = e->servers; s; s = s->next)
		for (struct peer *p = s->peers; p; p = p->next) {
			char *t;

			if (p->active_id > 0 && (t = cdb_fmt_time((long long)(now - p->since)))) {
				cdb_rt_put(e->db, "/ppp/active", p->active_id,
					   &(struct cdb_kv){ "uptime", t }, 1);
				if (p->srv_row > 0)
					cdb_rt_put(e->db, SRV_MENU, p->srv_row,
						   &(struct cdb_kv){ "uptime", t }, 1);
				free(t);
			}
		}
	if ((n = nl_links(&l)) < 0)
		return;
	for (int i = 0; i < nifrows; i++)
		for (int k = 0; k < n; k++)
			if (!strcmp(l[k].name, ifrows[i].kname))
				rt_iface_stats(e, ifrows[i].id, &l[k], &ifrows[i].prev);
	links_count(e, l, n);
	free(l);
}
