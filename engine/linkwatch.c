/* linkwatch.c: the kernel's own interfaces (ethernet, veth, bridges...)
 * listed in /interface as dynamic items, so /ip address, /ip route and NAT
 * rules can name them; a card with an /interface ethernet item is shown as
 * that item, under its name. Tunnels (kind tun) and names Rosh configures itself
 * are left to their owners. The rows are runtime state in rt_interface. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "log.h"

struct mirrored {
	char name[16];
	char shown[64];			/* the name in the row: an ethernet item's, or the kernel's */
	int aliased;			/* shown by an /interface ethernet item */
	long long row;			/* its rt_interface id */
	unsigned flags;
	int mtu;
	struct rt_prev prev;		/* counters at the last write, for rates */
};

static struct mirrored *rows;
static int nrows;

/* A name some part of Rosh owns: a configured interface, or a row a tunnel
 * wrote. */
static int
owned_elsewhere(struct engine *e, const char *name)
{
	int owned = rt_iface_named(e, name);

	for (int i = 0; i < e->db->cat->nmenus && !owned; i++) {
		const struct cdb_menu *m = e->db->cat->menus[i];

		/* cards are mirrored here, under their ethernet item's name */
		owned = m->kind == M_LIST && m->iface && strcmp(m->iface, "ether") &&
			cdb_item_by_key(e->db, m, name) > 0;
	}
	return owned;
}

static const char *
link_type(const struct nl_link *l)
{
	if (l->flags & IFF_LOOPBACK)
		return "loopback";
	if (l->kind[0])
		return l->kind;
	return l->has_mac ? "ether" : "unknown";
}

/* The row of one kernel interface, as /interface shows it. */
static void
write_row(struct engine *e, const struct nl_link *l, const struct mirrored *r, int is_new)
{
	char mac[18] = "", mtu[16];
	struct cdb_kv kv[] = {
		{ "name", r->shown }, { "type", link_type(l) }, { "mtu", mtu }, { "actual-mtu", mtu },
		{ "running", (l->flags & IFF_UP) && (l->flags & IFF_RUNNING) ? "yes" : "no" },
		{ "mac-address", NULL }, { "dynamic", r->aliased ? "no" : "yes" },
		{ "kernel", "yes" }, { "rx-byte", "0" }, { "tx-byte", "0" },
		{ "rx-packet", "0" }, { "tx-packet", "0" },
	};

	snprintf(mtu, sizeof(mtu), "%d", l->mtu);
	if (l->has_mac) {
		snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", l->mac[0], l->mac[1],
			 l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
		kv[5].value = mac;
	}
	cdb_rt_put(e->db, "/interface", r->row, kv, is_new ? 12 : 6);
}

/* Whether the row still shows the link as it should be shown: under the
 * name of its ethernet item, or its own. */
static int
shown_right(const struct mirrored *r, const struct nl_link *k)
{
	const char *alias = ether_alias_of(k->name, NULL);

	return alias ? r->aliased && !strcmp(alias, r->shown) : !r->aliased;
}

static void
forget_gone(struct engine *e, const struct nl_link *l, int n)
{
	for (int i = 0; i < nrows;) {
		const struct nl_link *k = ip_link_raw(l, n, rows[i].name);

		if (k && shown_right(&rows[i], k) &&
		    (rows[i].aliased || !owned_elsewhere(e, k->name))) {
			i++;
			continue;
		}
		cdb_rt_del(e->db, "/interface", rows[i].row);
		rows[i] = rows[--nrows];
	}
}

static void
add_new(struct engine *e, const struct nl_link *l, const char *alias)
{
	long long id = cdb_rt_new_id(e->db);
	struct mirrored *more, *r;

	if (id <= 0 || !(more = realloc(rows, sizeof(*rows) * (size_t)(nrows + 1))))
		return;
	rows = more;
	r = &rows[nrows++];
	*r = (struct mirrored){ .row = id, .flags = l->flags, .mtu = l->mtu, .aliased = !!alias };
	snprintf(r->name, sizeof(r->name), "%s", l->name);
	snprintf(r->shown, sizeof(r->shown), "%s", alias ? alias : l->name);
	write_row(e, l, r, 1);
}

void
links_mirror(struct engine *e, const struct nl_link *l, int n)
{
	forget_gone(e, l, n);
	for (int i = 0; i < n; i++) {
		const char *alias = ether_alias_of(l[i].name, NULL);
		struct mirrored *m = NULL;

		if (!strcmp(l[i].kind, "tun"))
			continue;
		for (int k = 0; k < nrows; k++)
			if (!strcmp(rows[k].name, l[i].name))
				m = &rows[k];
		if (!m) {
			if (alias || !owned_elsewhere(e, l[i].name))
				add_new(e, &l[i], alias);
		} else if (m->flags != l[i].flags || m->mtu != l[i].mtu) {
			m->flags = l[i].flags;
			m->mtu = l[i].mtu;
			write_row(e, &l[i], m, 0);
		}
	}
}

void
links_count(struct engine *e, const struct nl_link *l, int n)
{
	for (int i = 0; i < nrows; i++)
		for (int k = 0; k < n; k++)
			if (!strcmp(rows[i].name, l[k].name))
				rt_iface_stats(e, rows[i].row, &l[k], &rows[i].prev);
}

/* rt_reset() empties rt_interface when the engine stops. */
void
links_forget(void)
{
	free(rows);
	rows = NULL;
	nrows = 0;
}
