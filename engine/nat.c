/* nat.c: /ip firewall nat as the nftables table "ip rosh". Every rule is
 * checked first (nat_rule.c); one that makes no sense (to-ports without tcp
 * or udp, dst-nat with nowhere to go...) is left out, marked invalid and
 * logged, and the rest is written in one atomic batch, in item order. The
 * table is rewritten only when what it should hold changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "log.h"
#include "nat_rule.h"

#define MENU "/ip/firewall/nat"

static struct nat_rule *applied;	/* the rules last written */
static int napplied = -1;		/* their count; -1: never written */

static void
write_table(struct nat_rule *r, int n)
{
	char err[256];
	int bad;

	if (n == napplied && (!n || !memcmp(r, applied, sizeof(*r) * (size_t)n))) {
		free(r);
		return;
	}
	/* no rules, no table: NAT hooks would make the kernel track every
	 * connection for nothing */
	if (n ? nft_nat_replace(r, n, &bad, err, sizeof(err)) : (bad = -1, nft_nat_remove(err, sizeof(err)))) {
		log_msg(LOG_ERR, "firewall", "NAT rules not applied, the previous ones stay: %s%s",
			err, bad >= 0 ? " (in the rules of one item)" : "");
		free(r);
		return;
	}
	if (n || napplied > 0)
		log_msg(LOG_INFO, "firewall", "NAT rules applied (%d in table ip %s)", n,
			NFT_TABLE_ROSH);
	free(applied);
	applied = r;
	napplied = n;
}

void
nat_apply(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct cdb_item_list items;
	struct nat_rule *r = NULL;
	struct cdb_err err;
	int n = 0;

	if (!m || cdb_item_list(e->db, m, &items, &err))
		return;
	for (int i = 0; i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		const char *was = cdb_item_text(m, it, "invalid"), *why = NULL;

		if (strcmp(cdb_item_text(m, it, "disabled"), "yes"))
			why = nat_rule_expand(m, it, &r, &n);
		if (why && !(was && !strcmp(was, "yes")))
			log_msg(LOG_ERR, "firewall", "nat rule %d (*%llX) left out: %s", i,
				(unsigned long long)it->id, why);
		ip_flag(e, MENU, it->id, "invalid", why != NULL);
	}
	cdb_item_list_free(&items);
	write_table(r, n);
}
