/* ethernet.c: /interface ethernet, the machine's network cards: the
 * kernel's links with a hardware address and no kind (physical cards) and
 * veth pairs. Each card found is adopted as an item named as the kernel
 * names it (default-name); the admin may rename it (ether1), and the new
 * name is an alias: the kernel link keeps its name, and every interface
 * name the engine reads (addresses, routes, NAT and filter rules) goes
 * through ether_kernel_name(). mtu and disabled are applied to the link. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "log.h"
#include "rule_match.h"

#define MENU "/interface/ethernet"

struct alias {
	char kernel[16];
	char name[64];
	long long id;
	int mtu;			/* set by the admin; 0 none */
	int disabled;
	int no_carrier_check;		/* disable-running-check: up is running */
};

static struct alias *aliases;
static int naliases;
static char downed[64][16];	/* links we took down for disabled=yes */
static int ndowned;

int
ether_kind(const struct nl_link *l)
{
	return !(l->flags & IFF_LOOPBACK) &&
	       ((!l->kind[0] && l->has_mac) || !strcmp(l->kind, "veth"));
}

const char *
ether_kernel_name(const char *name)
{
	for (int i = 0; name && i < naliases; i++)
		if (!strcmp(aliases[i].name, name))
			return aliases[i].kernel;
	return name;
}

const char *
ether_alias_of(const char *kernel, long long *id)
{
	for (int i = 0; i < naliases; i++)
		if (!strcmp(aliases[i].kernel, kernel)) {
			if (id)
				*id = aliases[i].id;
			return aliases[i].name;
		}
	return NULL;
}

/* The items as they are now. */
static void
load(struct engine *e, const struct cdb_menu *m)
{
	struct cdb_item_list items;
	struct cdb_err err;
	struct alias *a;

	naliases = 0;
	if (cdb_item_list(e->db, m, &items, &err))
		return;
	free(aliases);
	aliases = calloc((size_t)(items.n ? items.n : 1), sizeof(*aliases));
	for (int i = 0; aliases && i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		const char *k = cdb_item_text(m, it, "default-name"), *mtu;

		if (!k || strlen(k) >= sizeof(a->kernel))
			continue;
		a = &aliases[naliases++];
		snprintf(a->kernel, sizeof(a->kernel), "%s", k);
		snprintf(a->name, sizeof(a->name), "%s", cdb_item_text(m, it, "name"));
		a->id = it->id;
		a->mtu = (mtu = cdb_item_text(m, it, "mtu")) ? atoi(mtu) : 0;
		a->disabled = !strcmp(cdb_item_text(m, it, "disabled"), "yes");
		a->no_carrier_check = !strcmp(cdb_item_text(m, it, "disable-running-check"), "yes");
	}
	cdb_item_list_free(&items);
}

static int
was_downed(const char *kernel, int forget)
{
	for (int i = 0; i < ndowned; i++)
		if (!strcmp(downed[i], kernel)) {
			if (forget)
				memcpy(downed[i], downed[--ndowned], sizeof(downed[i]));
			return 1;
		}
	return 0;
}

/* mtu and disabled onto the link; an enabled link is brought up only if
 * we took it down. */
static void
apply_link(const struct alias *a, const struct nl_link *l)
{
	int up = !!(l->flags & IFF_UP), want = up, mtu = a->mtu && a->mtu != l->mtu ? a->mtu : 0;

	if (a->disabled && up) {
		want = 0;
		if (!was_downed(l->name, 0) && ndowned < 64)
			snprintf(downed[ndowned++], sizeof(downed[0]), "%s", l->name);
	} else if (!a->disabled && !up && was_downed(l->name, 1))
		want = 1;
	if ((want != up || mtu) && nl_link_set(l->name, want, mtu))
		log_msg(LOG_ERR, "interface", "can not set %s (%s): %s", a->name, l->name,
			nl_error());
}

static void
report(struct engine *e, const struct alias *a, const struct nl_link *l)
{
	char mac[18], mtu[16];
	struct cdb_kv kv[] = { { "mac-address", mac }, { "actual-mtu", mtu } };

	snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", l->mac[0], l->mac[1],
		 l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	snprintf(mtu, sizeof(mtu), "%d", l->mtu);
	cdb_rt_put(e->db, MENU, a->id, kv, 2);
	rt_running(e, MENU, a->id,
		   (l->flags & IFF_UP) && (a->no_carrier_check || (l->flags & IFF_RUNNING)));
}

/* Returns 1 when a card was adopted: its item comes with the next flush. */
int
ether_refresh(struct engine *e, const struct nl_link *l, int n)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	int adopted = 0;

	rule_iface_map = ether_kernel_name;
	if (!m)
		return 0;
	load(e, m);
	for (int k = 0; k < naliases; k++)
		if (!ip_link_raw(l, n, aliases[k].kernel))
			rt_running(e, MENU, aliases[k].id, 0);
	for (int i = 0; i < n; i++) {
		long long id;

		if (!ether_kind(&l[i]))
			continue;
		if (!ether_alias_of(l[i].name, &id)) {
			struct cdb_kv kv[] = { { "default-name", l[i].name }, { "name", l[i].name } };

			adopted |= !cdb_rt_adopt(e->db, MENU, kv, 2);
			continue;
		}
		for (int k = 0; k < naliases; k++)
			if (aliases[k].id == id) {
				apply_link(&aliases[k], &l[i]);
				report(e, &aliases[k], &l[i]);
			}
	}
	return adopted;
}

void
ether_forget(void)
{
	free(aliases);
	aliases = NULL;
	naliases = 0;
}
