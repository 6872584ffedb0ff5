/* ip_route.c: /ip route items in the kernel's main table. A route is
 * installed while its gateway can be used: an interface that exists and is
 * up, or an address on a network connected to such an interface; otherwise
 * it shows inactive and waits. distance is the kernel metric, so the lower
 * wins. Our routes carry our protocol number: only they are ever removed,
 * and those a previous run left behind are found again and reconciled. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "ip.h"
#include "log.h"

#define MENU "/ip/route"

struct want {
	long long id;
	struct nl_route4 r;
	int usable;			/* its gateway can be used now */
	int installed;
	const char *why;		/* why it is not usable */
};

static uint32_t
mask(int len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

static const struct nl_link *
link_by_index(const struct nl_link *l, int n, int index)
{
	for (int i = 0; i < n; i++)
		if (l[i].index == index)
			return &l[i];
	return NULL;
}

/* Up and with carrier: a tunnel whose peer is gone, a cable unplugged
 * leave the route waiting. */
static int
usable_link(const struct nl_link *k)
{
	return (k->flags & IFF_UP) && (k->flags & IFF_RUNNING);
}

/* The usable interface whose connected network holds gw, or 0. */
static int
connected(uint32_t gw, const struct nl_addr4 *a, int na, const struct nl_link *l, int nl)
{
	for (int i = 0; i < na; i++) {
		const struct nl_link *k = link_by_index(l, nl, a[i].index);

		if (k && usable_link(k) && a[i].len < 32 &&
		    ((a[i].local ^ gw) & mask(a[i].len)) == 0 && a[i].local != gw)
			return k->index;
	}
	return 0;
}

/* What the item asks for, and whether it can be had now. */
static void
desire(const struct cdb_menu *m, const struct cdb_item *it, struct want *w,
       const struct nl_addr4 *a, int na, const struct nl_link *l, int nl)
{
	const char *gw = cdb_item_text(m, it, "gateway");
	const struct nl_link *k;
	uint32_t ip;

	w->id = it->id;
	w->r.table = RT_TABLE_MAIN;
	w->r.proto = NL_PROTO_ROSH;
	w->r.metric = atoi(cdb_item_text(m, it, "distance"));
	w->why = "no gateway";
	if (cdb_parse_ip4prefix(cdb_item_text(m, it, "dst-address"), &w->r.dst, &w->r.len) || !gw)
		return;
	w->r.dst &= mask(w->r.len);
	if (!cdb_parse_ip4(gw, &ip)) {
		w->r.gw = ip;
		w->r.oif = connected(ip, a, na, l, nl);
		w->usable = w->r.oif != 0;
		w->why = "gateway not on a connected network";
	} else if ((k = ip_link_named(l, nl, gw)) && usable_link(k)) {
		w->r.oif = k->index;
		w->usable = 1;
	} else
		w->why = k ? "interface down" : "no such interface now";
}

static int
same(const struct nl_route4 *x, const struct nl_route4 *y)
{
	return x->dst == y->dst && x->len == y->len && x->gw == y->gw && x->oif == y->oif &&
	       x->metric == y->metric && x->table == y->table;
}

/* One route per destination and metric: the kernel keeps one, so the first
 * item wins and the others wait. */
static int
shadowed(const struct want *w, int i)
{
	for (int j = 0; j < i; j++)
		if (w[j].usable && w[j].r.dst == w[i].r.dst && w[j].r.len == w[i].r.len &&
		    w[j].r.metric == w[i].r.metric)
			return 1;
	return 0;
}

static void
remove_unwanted(const struct nl_route4 *k, int nk, const struct want *w, int nw)
{
	for (int i = 0; i < nk; i++) {
		int wanted = 0, rc;

		if (k[i].proto != NL_PROTO_ROSH)
			continue;
		for (int j = 0; j < nw && !wanted; j++)
			wanted = w[j].usable && same(&k[i], &w[j].r);
		if (!wanted && (rc = nl_route4_marked(&k[i], 0)) && rc != -ESRCH)
			log_msg(LOG_WARN, "ip", "can not remove route: %s", nl_error());
	}
}

static void
install(struct want *w, const struct nl_route4 *k, int nk, const char *text, int quiet)
{
	int rc;

	for (int i = 0; i < nk; i++)
		if (k[i].proto == NL_PROTO_ROSH && same(&k[i], &w->r)) {
			w->installed = 1;
			return;
		}
	rc = nl_route4_marked(&w->r, 1);
	w->installed = rc == 0;
	/* said once when the route goes inactive, not at every link event */
	if (quiet)
		return;
	if (rc == -EEXIST)
		log_msg(LOG_WARN, "ip", "route %s: the kernel has a route to it with metric %d"
			" not made by Rosh; left as it is", text, w->r.metric);
	else if (rc)
		log_msg(LOG_ERR, "ip", "route %s: %s", text, nl_error());
}

/* An installed route is active when no installed one to the same
 * destination has a lower distance (RouterOS shows only the best as A). */
static void
flags(struct engine *e, const struct cdb_menu *m, const struct cdb_item_list *items,
      const struct want *w)
{
	for (int i = 0; i < items->n; i++) {
		const struct want *x = &w[i];
		int disabled = !strcmp(cdb_item_text(m, &items->items[i], "disabled"), "yes");
		int best = x->installed;

		for (int j = 0; j < items->n && best; j++)
			best = !(w[j].installed && w[j].r.dst == x->r.dst &&
				 w[j].r.len == x->r.len && w[j].r.metric < x->r.metric);
		ip_flag(e, MENU, x->id, "active", best);
		ip_flag(e, MENU, x->id, "inactive", !disabled && !x->installed);
	}
}

/* Dynamic routes (pushed to a client) are the client's to install. */
static void
drop_dynamic(struct cdb_item_list *items)
{
	int kept = 0;

	for (int i = 0; i < items->n; i++)
		if (items->items[i].dynamic)
			cdb_item_clear(&items->items[i]);
		else
			items->items[kept++] = items->items[i];
	items->n = kept;
}

void
route_apply(struct engine *e, const struct nl_link *l, int nl)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct nl_addr4 *a = NULL;
	struct nl_route4 *k = NULL;
	struct cdb_item_list items;
	struct cdb_err err;
	struct want *w;
	int na, nk;

	if (!m || cdb_item_list(e->db, m, &items, &err))
		return;
	drop_dynamic(&items);
	na = nl_addrs4(&a);
	nk = nl_routes4(&k);
	if (na < 0 || nk < 0) {
		log_msg(LOG_ERR, "ip", "can not list addresses and routes: %s", nl_error());
		goto out;
	}
	if (!(w = calloc((size_t)items.n + 1, sizeof(*w))))
		goto out;
	for (int i = 0; i < items.n; i++) {
		if (strcmp(cdb_item_text(m, &items.items[i], "disabled"), "yes"))
			desire(m, &items.items[i], &w[i], a, na, l, nl);
		else
			w[i].id = items.items[i].id;
		if (w[i].usable && shadowed(w, i)) {
			w[i].usable = 0;
			w[i].why = "another route has the same destination and distance";
		}
	}
	remove_unwanted(k, nk, w, items.n);
	for (int i = 0; i < items.n; i++) {
		const char *was = cdb_item_text(m, &items.items[i], "inactive");
		int quiet = was && !strcmp(was, "yes");

		if (w[i].usable)
			install(&w[i], k, nk, cdb_item_text(m, &items.items[i], "dst-address"), quiet);
		else if (w[i].why && !quiet)
			log_msg(LOG_INFO, "ip", "route %s inactive: %s",
				cdb_item_text(m, &items.items[i], "dst-address"), w[i].why);
	}
	flags(e, m, &items, w);
	free(w);
out:
	free(a);
	free(k);
	cdb_item_list_free(&items);
}
