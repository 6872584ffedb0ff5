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

/* The base chains (bit 0 srcnat, bit 1 dstnat) whose jumps reach chain;
 * depth bounds a loop of jumps (nftables refuses those anyway). */
static int
reached_from(const struct nat_rule *r, int n, const char *chain, int depth)
{
	int from = 0;

	if (!strcmp(chain, "srcnat") || !strcmp(chain, "dstnat"))
		return chain[0] == 's' ? 1 : 2;
	for (int i = 0; depth < 8 && i < n && from != 3; i++)
		if (r[i].action == NAT_JUMP && !strcmp(r[i].jump, chain))
			from |= reached_from(r, n, r[i].chain_name, depth + 1);
	return from;
}

/* Rules in the admin's chains checked against the base chains that reach
 * them; the rules of an item that fails go, and why[] says why. */
static void
check_reached(struct nat_rule *r, int *n, const struct cdb_item_list *items, const char **why)
{
	int k = 0;

	for (int i = 0; i < *n; i++) {
		int from = r[i].chain == NAT_CUSTOM ? reached_from(r, *n, r[i].chain_name, 0) : 0;
		const char *w = NULL;

		if (from & 1)
			w = nat_rule_check_in(&r[i], NAT_SRCNAT);
		if (!w && (from & 2))
			w = nat_rule_check_in(&r[i], NAT_DSTNAT);
		for (int j = 0; w && j < items->n; j++)
			if (items->items[j].id == r[i].item)
				why[j] = w;
	}
	for (int i = 0; i < *n; i++) {
		int bad = 0;

		for (int j = 0; j < items->n && !bad; j++)
			bad = items->items[j].id == r[i].item && why[j];
		if (!bad)
			r[k++] = r[i];
	}
	*n = k;
}

void
nat_apply(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct cdb_item_list items;
	struct nat_rule *r = NULL;
	struct cdb_err err;
	const char **why;
	int n = 0;

	if (!m || cdb_item_list(e->db, m, &items, &err))
		return;
	if (!(why = calloc((size_t)items.n + 1, sizeof(*why)))) {
		cdb_item_list_free(&items);
		return;
	}
	for (int i = 0; i < items.n; i++)
		if (strcmp(cdb_item_text(m, &items.items[i], "disabled"), "yes"))
			why[i] = nat_rule_expand(m, &items.items[i], &r, &n);
	check_reached(r, &n, &items, why);
	for (int i = 0; i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		const char *was = cdb_item_text(m, it, "invalid");

		if (why[i] && !(was && !strcmp(was, "yes")))
			log_msg(LOG_ERR, "firewall", "nat rule %d (*%llX) left out: %s", i,
				(unsigned long long)it->id, why[i]);
		ip_flag(e, MENU, it->id, "invalid", why[i] != NULL);
	}
	free(why);
	cdb_item_list_free(&items);
	write_table(r, n);
}
