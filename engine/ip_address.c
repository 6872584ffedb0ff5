/* ip_address.c: /ip address items put on their interfaces. An address is
 * added only if it is not there already, and marked with our protocol
 * number; only addresses so marked are ever removed, so an address the
 * admin set outside Rosh stays, even when an item names it too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "log.h"

#define MENU "/ip/address"
#define MAX_ADDED 4096		/* addresses remembered as ours in this run */

struct want {
	long long id;			/* the item */
	int index;			/* interface, 0 when it does not exist */
	uint32_t local;
	int len;
};

/* Those we added in this run: on a kernel without IFA_PROTO (before 6.1)
 * the mark is lost, and this is how we still know them. */
static struct nl_addr4 added[MAX_ADDED];
static int nadded;

static int
same(const struct nl_addr4 *k, int index, uint32_t local, int len)
{
	return k->index == index && k->local == local && k->len == len;
}

static int
ours(const struct nl_addr4 *k)
{
	for (int i = 0; i < nadded; i++)
		if (same(&added[i], k->index, k->local, k->len))
			return 1;
	return k->proto == NL_PROTO_ROSH;
}

static void
remember(const struct want *w, int keep)
{
	for (int i = 0; i < nadded; i++)
		if (same(&added[i], w->index, w->local, w->len)) {
			if (!keep)
				added[i] = added[--nadded];
			return;
		}
	if (keep && nadded < MAX_ADDED)
		added[nadded++] = (struct nl_addr4){ w->index, w->local, w->len, NL_PROTO_ROSH };
}

/* Our marked addresses that no enabled item wants any more go. */
static void
remove_unwanted(const struct nl_addr4 *k, int nk, const struct want *w, int nw)
{
	for (int i = 0; i < nk; i++) {
		int wanted = 0;

		if (!ours(&k[i]))
			continue;
		for (int j = 0; j < nw && !wanted; j++)
			wanted = same(&k[i], w[j].index, w[j].local, w[j].len);
		if (!wanted)
			remember(&(struct want){ 0, k[i].index, k[i].local, k[i].len }, 0);
		if (!wanted && nl_addr4_marked(k[i].index, k[i].local, k[i].len, 0, 0))
			log_msg(LOG_WARN, "ip", "can not remove address %u.%u.%u.%u/%d: %s",
				k[i].local >> 24, (k[i].local >> 16) & 255, (k[i].local >> 8) & 255,
				k[i].local & 255, k[i].len, nl_error());
	}
}

/* Put one wanted address on its interface; 1 when it is there. */
static int
put(const struct want *w, const struct nl_addr4 *k, int nk, const char *text, const char *ifname)
{
	int rc;

	for (int i = 0; i < nk; i++)
		if (same(&k[i], w->index, w->local, w->len))
			return 1;
	rc = nl_addr4_marked(w->index, w->local, w->len, NL_PROTO_ROSH, 1);
	if (rc == 0)
		remember(w, 1);
	if (rc == 0 || rc == -EEXIST)
		return 1;
	log_msg(LOG_ERR, "ip", "can not put address %s on %s: %s", text, ifname, nl_error());
	return 0;
}

static void
flags(struct engine *e, long long id, int running, int invalid)
{
	ip_flag(e, MENU, id, "running", running);
	ip_flag(e, MENU, id, "invalid", invalid);
}

void
addr_apply(struct engine *e, const struct nl_link *l, int nl)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct nl_addr4 *k = NULL;
	struct cdb_item_list items;
	struct cdb_err err;
	struct want *w;
	int nk, nw = 0;

	if (!m || cdb_item_list(e->db, m, &items, &err)) {
		log_msg(LOG_ERR, "ip", "can not read addresses: %s", m ? err.msg : "no menu");
		return;
	}
	if ((nk = nl_addrs4(&k)) < 0) {
		log_msg(LOG_ERR, "ip", "can not list addresses: %s", nl_error());
		cdb_item_list_free(&items);
		return;
	}
	if (!(w = calloc((size_t)items.n + 1, sizeof(*w)))) {
		free(k);
		cdb_item_list_free(&items);
		return;
	}
	for (int i = 0; i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		const struct nl_link *link = ip_link_named(l, nl, cdb_item_text(m, it, "interface"));
		struct want *x = &w[nw];

		x->id = it->id;
		if (!strcmp(cdb_item_text(m, it, "disabled"), "yes") ||
		    cdb_parse_ip4prefix(cdb_item_text(m, it, "address"), &x->local, &x->len))
			continue;
		x->index = link ? link->index : 0;
		nw++;
	}
	remove_unwanted(k, nk, w, nw);
	for (int i = 0, j = 0; i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];

		if (j < nw && w[j].id == it->id) {
			const struct want *x = &w[j++];

			flags(e, it->id, x->index && put(x, k, nk, cdb_item_text(m, it, "address"),
							 cdb_item_text(m, it, "interface")), !x->index);
		} else
			flags(e, it->id, 0, 0);
	}
	free(w);
	free(k);
	cdb_item_list_free(&items);
}
