/* ip.c: when the /ip menus are applied: after each commit, and shortly
 * after the kernel reports a link or an IPv4 address change (tunnels come
 * and go, an admin plugs a cable), so routes and addresses that wait for an
 * interface follow it without the tunnel code knowing about them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "filter.h"
#include "ip.h"
#include "log.h"

#define SETTLE_MS 20	/* events come in bursts: apply once after them */
#define ADOPT_MS 300	/* time for the runtime queue to write adopted cards */

static const char *resolv_path;
static int watch_fd = -1;
static int pending;		/* an apply is due: later events join it */

const struct nl_link *
ip_link_named(const struct nl_link *l, int n, const char *name)
{
	return ip_link_raw(l, n, ether_kernel_name(name));
}

const struct nl_link *
ip_link_raw(const struct nl_link *l, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(l[i].name, name))
			return &l[i];
	return NULL;
}

void
ip_flag(struct engine *e, const char *menu, long long id, const char *col, int on)
{
	/* "running" is the fixed 0/1 column, the others are bool properties */
	struct cdb_kv kv = { col, on ? "yes" : strcmp(col, "running") ? NULL : "no" };

	cdb_rt_put(e->db, menu, id, &kv, 1);
}

static void settled(void *ctx);

/* Links, addresses and routes, in that order: a route's gateway is
 * reachable only once the address of its network is on an interface. */
static void
apply_links(struct engine *e)
{
	struct nl_link *l = NULL;
	int n = nl_links(&l);

	if (n < 0) {
		log_msg(LOG_ERR, "system", "can not list interfaces: %s", nl_error());
		return;
	}
	/* a card adopted now is an item after the next flush: look again then */
	if (ether_refresh(e, l, n) && !pending) {
		pending = 1;
		loop_timer(e->loop, loop_now() + ADOPT_MS, settled, e);
	}
	/* the flags wait in the runtime queue: if a console holds the database,
	 * the kernel is still brought in step and the flags follow */
	links_mirror(e, l, n);
	addr_apply(e, l, n);
	route_apply(e, l, n);
	free(l);
}

static void
settled(void *ctx)
{
	pending = 0;
	apply_links(ctx);
}

void
ip_apply_soon(struct engine *e)
{
	if (!pending) {
		pending = 1;
		loop_timer(e->loop, loop_now() + SETTLE_MS, settled, e);
	}
}

static void
on_kernel_event(void *ctx, uint32_t events)
{
	struct engine *e = ctx;

	(void)events;
	/* not moved by later events, so a steady stream of them (a thousand
	 * tunnels coming up) still gets applied every SETTLE_MS */
	if (nl_watch_drain() > 0 && !pending) {
		pending = 1;
		loop_timer(e->loop, loop_now() + SETTLE_MS, settled, e);
	}
}

int
ip_open(struct engine *e, const char *resolv_conf)
{
	resolv_path = resolv_conf;
	iface_list_init(e);
	if ((watch_fd = nl_watch_open()) < 0)
		return -1;
	return loop_add(e->loop, watch_fd, EPOLLIN, on_kernel_event, e);
}

void
ip_reconcile(struct engine *e)
{
	apply_links(e);
	nat_apply(e);
	filter_apply(e);
	dns_apply(e, resolv_path);
}

void
ip_dns_changed(struct engine *e)
{
	dns_apply(e, resolv_path);
}

/* The kernel keeps addresses, routes, NAT rules and the resolver file as
 * they are (they carry our mark: the next start takes them back); only the
 * flags go, as nothing reports them while the engine is stopped. */
void
ip_close(struct engine *e)
{
	static const struct cdb_kv addr[] = { { "running", "no" }, { "invalid", NULL } };
	static const struct cdb_kv route[] = { { "active", NULL }, { "inactive", NULL } };
	static const struct cdb_kv nat[] = { { "invalid", NULL } };

	if (watch_fd >= 0)
		loop_del(e->loop, watch_fd);
	loop_timer(e->loop, 0, settled, e);
	pending = 0;
	nl_watch_close();
	watch_fd = -1;
	links_forget();
	ether_forget();
	/* id 0: every item of the menu */
	cdb_rt_put(e->db, "/ip/address", 0, addr, 2);
	cdb_rt_put(e->db, "/ip/route", 0, route, 2);
	cdb_rt_put(e->db, "/ip/firewall/nat", 0, nat, 1);
	filter_close(e);
}
