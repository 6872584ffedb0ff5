/* nat_rule.c: a /ip firewall nat item checked and turned into nftables
 * rules: one per dst-port element, so "80,443,8000-8080" needs no set. The
 * matchers it shares with filter rules are read in rule_match.c. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat_rule.h"
#include "rule_match.h"

static int
action_of(const char *a)
{
	static const char *names[] = { "accept", "return", "passthrough", "masquerade",
				       "src-nat", "dst-nat", "redirect", "jump" };

	for (int i = 0; i < 8; i++)
		if (!strcmp(a, names[i]))
			return i;
	return -1;
}

const char *
nat_rule_check_in(const struct nat_rule *x, enum nat_chain base)
{
	if ((x->action == NAT_MASQUERADE || x->action == NAT_SRC_NAT) && base != NAT_SRCNAT)
		return "masquerade and src-nat are only for chain srcnat (and chains it jumps to)";
	if ((x->action == NAT_DST_NAT || x->action == NAT_REDIRECT) && base != NAT_DSTNAT)
		return "dst-nat and redirect are only for chain dstnat (and chains it jumps to)";
	if ((x->m.oif[0] || x->m.oif_not[0][0]) && base == NAT_DSTNAT)
		return "out-interface can not be matched in dstnat: the packet is not routed yet";
	return NULL;
}

/* Properties that go with the action and the chain; NULL or why not. */
static const char *
check_action(const struct nat_rule *x, int to_ports, int to_addr, int oifl)
{
	int tcpudp = x->m.proto == IPPROTO_TCP || x->m.proto == IPPROTO_UDP;
	int nats = x->action >= NAT_MASQUERADE && x->action != NAT_JUMP;

	if (to_ports && !nats)
		return "to-ports is only for masquerade, src-nat, dst-nat and redirect";
	if (to_ports && !tcpudp)
		return "to-ports needs protocol tcp or udp";
	if (to_addr && x->action != NAT_SRC_NAT && x->action != NAT_DST_NAT)
		return "to-addresses is only for src-nat and dst-nat";
	if (x->action == NAT_SRC_NAT && !to_addr)
		return "src-nat needs to-addresses";
	if (x->action == NAT_DST_NAT && !to_addr && !to_ports)
		return "dst-nat needs to-addresses or to-ports";
	if (oifl && x->chain == NAT_DSTNAT)
		return "out-interface can not be matched in dstnat: the packet is not routed yet";
	/* an admin's chain is checked against the base chains that reach it
	 * once every rule is known (nat.c) */
	return x->chain == NAT_CUSTOM ? NULL : nat_rule_check_in(x, x->chain);
}

/* chain and jump-target */
static const char *
chain_names(const struct cdb_menu *m, const struct cdb_item *it, struct nat_rule *x)
{
	const char *c = cdb_item_text(m, it, "chain"), *j = cdb_item_text(m, it, "jump-target");

	if (!c || !*c || strlen(c) >= sizeof(x->chain_name))
		return "chain needs a name of at most 63 characters";
	snprintf(x->chain_name, sizeof(x->chain_name), "%s", c);
	x->chain = !strcmp(c, "srcnat") ? NAT_SRCNAT : !strcmp(c, "dstnat") ? NAT_DSTNAT : NAT_CUSTOM;
	if (x->action == NAT_JUMP && (!j || !*j))
		return "action=jump needs jump-target";
	if (x->action != NAT_JUMP && j && *j)
		return "jump-target is only for action=jump";
	if (j && (!strcmp(j, "srcnat") || !strcmp(j, "dstnat")))
		return "jump-target can not be a built-in chain";
	if (j && strlen(j) >= sizeof(x->jump))
		return "jump-target is longer than 63 characters";
	if (j)
		snprintf(x->jump, sizeof(x->jump), "%s", j);
	return NULL;
}

/* The item as a rule (ports apart); NULL, or why it can not be applied. */
static const char *
convert(const struct cdb_menu *m, const struct cdb_item *it, struct nat_rule *x,
	struct nat_range *ports, int *nports, struct rule_iflist *in, struct rule_iflist *out)
{
	const char *v, *why;

	x->action = (enum nat_action)action_of(cdb_item_text(m, it, "action"));
	x->item = it->id;
	if ((why = chain_names(m, it, x)) || (why = rule_match_read(m, it, &x->m, ports, nports, in, out)))
		return why;
	if ((v = cdb_item_text(m, it, "to-addresses")) && rule_parse_addr_range(v, &x->to_addr))
		return "to-addresses is not an address, prefix or range";
	v = cdb_item_text(m, it, "to-ports");
	if (v && *v && rule_parse_port_range(v, &x->to_port))
		return "to-ports is not a port or a port range";
	return check_action(x, x->to_port.set, x->to_addr.set, out->n || out->nothing);
}

const char *
nat_rule_expand(const struct cdb_menu *m, const struct cdb_item *it, struct nat_rule **r, int *n)
{
	struct nat_range ports[RULE_MAX_PORT_ITEMS];
	struct rule_iflist in, out;
	struct nat_rule x;
	struct nat_rule *more;
	const char *why;
	int np, start = *n;

	memset(&x, 0, sizeof(x));
	if ((why = convert(m, it, &x, ports, &np, &in, &out)))
		return why;
	if (!(more = realloc(*r, sizeof(**r) * (size_t)(*n + (np ? np : 1)))))
		return "out of memory";
	*r = more;
	for (int i = 0; i < (np ? np : 1); i++) {
		more[*n] = x;
		if (np)
			more[*n].m.dport = ports[i];
		(*n)++;
	}
	return rule_iflist_expand((void **)r, start, n, sizeof(**r), offsetof(struct nat_rule, m),
				  &in, &out);
}

