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

/* /routing table: the kernel table of each, and whether its routes go in */
struct table {
	char name[64];
	int id;
	int fib;
};

static struct table *tables;
static int ntables;

#define TABLE_BASE 0x10000	/* an own table is this plus its item's id */

static void
load_tables(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/routing/table");
	struct cdb_item_list items;
	struct cdb_err err;

	ntables = 0;
	if (!m || cdb_item_list(e->db, m, &items, &err))
		return;
	free(tables);
	tables = calloc((size_t)items.n + 1, sizeof(*tables));
	for (int i = 0; tables && i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		struct table *t = &tables[ntables++];

		snprintf(t->name, sizeof(t->name), "%s", cdb_item_text(m, it, "name"));
		t->id = !strcmp(t->name, "main") ? RT_TABLE_MAIN : TABLE_BASE + (int)it->id;
		t->fib = !strcmp(cdb_item_text(m, it, "fib"), "yes") &&
			 strcmp(cdb_item_text(m, it, "disabled"), "yes");
	}
	cdb_item_list_free(&items);
}

/* The kernel table of a routing-table value; 0 when its routes can not be
 * installed, with why. */
static int
table_of(const char *name, const char **why)
{
	for (int i = 0; name && i < ntables; i++)
		if (!strcmp(tables[i].name, name)) {
			*why = "its routing table is disabled or has no fib";
			return tables[i].fib ? tables[i].id : 0;
		}
	if (!name || !strcmp(name, "main"))
		return RT_TABLE_MAIN;
	*why = "no such routing table";
	return 0;
}

/* RouterOS 6's type, or RouterOS 7's blackhole flag, as RTN_*; 0 unicast */
static int
route_type(const struct cdb_menu *m, const struct cdb_item *it)
{
	const char *t = cdb_item_text(m, it, "type");

	if (t && !strcmp(t, "unreachable"))
		return RTN_UNREACHABLE;
	if (t && !strcmp(t, "prohibit"))
		return RTN_PROHIBIT;
	if ((t && !strcmp(t, "blackhole")) || !strcmp(cdb_item_text(m, it, "blackhole"), "yes"))
		return RTN_BLACKHOLE;
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
	w->r.proto = NL_PROTO_ROSH;
	w->r.metric = atoi(cdb_item_text(m, it, "distance"));
	if (!(w->r.table = table_of(cdb_item_text(m, it, "routing-table"), &w->why)))
		return;
	w->why = "no gateway";
	if (cdb_parse_ip4prefix(cdb_item_text(m, it, "dst-address"), &w->r.dst, &w->r.len))
		return;
	w->r.dst &= mask(w->r.len);
	/* a route that drops or refuses needs no gateway */
	if ((w->r.type = route_type(m, it))) {
		w->usable = 1;
		return;
	}
	if (!gw || !*gw)
		return;
	if (!cdb_parse_ip4(gw, &ip)) {
		const char *check = cdb_item_text(m, it, "check-gateway");

		w->r.gw = ip;
		w->r.oif = connected(ip, a, na, l, nl);
		w->usable = w->r.oif != 0;
		w->why = "gateway not on a connected network";
		if (w->usable && check && !strcmp(check, "ping")) {
			route_check_want(ip);
			w->usable = !route_check_down(ip);
			w->why = "gateway does not answer ping (check-gateway)";
		}
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
	       x->metric == y->metric && x->table == y->table && x->type == y->type;
}

/* One route per destination and metric: the kernel keeps one, so the first
 * item wins and the others wait. */
static int
shadowed(const struct want *w, int i)
{
	for (int j = 0; j < i; j++)
		if (w[j].usable && w[j].r.dst == w[i].r.dst && w[j].r.len == w[i].r.len &&
		    w[j].r.metric == w[i].r.metric && w[j].r.table == w[i].r.table)
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
			best = !(w[j].installed && w[j].r.dst == x->r.dst && w[j].r.table == x->r.table &&
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
	load_tables(e);
	route_check_begin();
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
	route_check_end(e);
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
