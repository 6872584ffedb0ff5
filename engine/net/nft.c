/* nft.c: the NAT table as one nftables batch (nft_batch.c): the table
 * deleted, then made again with its two base chains and every rule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "nft_int.h"

#define RULE_ROOM 1024		/* bytes of batch per rule, generously */

/* A base chain (hooked, with its NAT priority) or one of the admin's. */
static int
chain(struct batch *bt, const char *name)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();
	int src = !strcmp(name, "srcnat"), dst = !strcmp(name, "dstnat");
	struct nlmsghdr *h;

	if (!ch)
		return -1;
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, NFT_TABLE_ROSH);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
	if (src || dst) {
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "nat");
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM,
				    src ? NF_INET_POST_ROUTING : NF_INET_PRE_ROUTING);
		/* the priorities nft calls srcnat and dstnat */
		nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, src ? 100 : -100);
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	h = nft_msg(bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(h, ch);
	nftnl_chain_free(ch);
	return nft_put(bt);
}

/* Every chain once: the base ones, then each the rules are in or jump to;
 * how many were made, or -1. */
static int
chains(struct batch *bt, const struct nat_rule *r, int n)
{
	int made = 2;

	if (chain(bt, "srcnat") || chain(bt, "dstnat"))
		return -1;
	for (int i = 0; i < 2 * n; i++) {
		const char *name = i < n ? r[i].chain_name : r[i - n].jump;
		int seen = !name[0] || !strcmp(name, "srcnat") || !strcmp(name, "dstnat");

		for (int k = 0; k < i && !seen; k++)
			seen = !strcmp(name, k < n ? r[k].chain_name : r[k - n].jump);
		if (!seen && (made++, chain(bt, name)))
			return -1;
	}
	return made;
}

/* Ports of a translation into registers 3 and 4; the NAT flags for them. */
static uint32_t
to_ports(struct nftnl_rule *r, const struct nat_range *p)
{
	uint16_t lo = htons((uint16_t)p->lo), hi = htons((uint16_t)p->hi);

	if (!p->set)
		return 0;
	nft_immediate(r, NFT_REG_3, &lo, 2);
	nft_immediate(r, NFT_REG_4, &hi, 2);
	return NF_NAT_RANGE_PROTO_SPECIFIED;
}

static void
nat(struct nftnl_rule *r, const struct nat_rule *x)
{
	uint32_t lo = htonl(x->to_addr.lo), hi = htonl(x->to_addr.hi), flags;
	struct nftnl_expr *e;

	if (x->to_addr.set) {
		nft_immediate(r, NFT_REG_1, &lo, 4);
		nft_immediate(r, NFT_REG_2, &hi, 4);
	}
	flags = to_ports(r, &x->to_port);
	if (!(e = nft_expr("nat")))
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, x->action == NAT_SRC_NAT ? NFT_NAT_SNAT : NFT_NAT_DNAT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
	if (x->to_addr.set) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, NFT_REG_2);
		flags |= NF_NAT_RANGE_MAP_IPS;
	}
	if (x->to_port.set) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG_3);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, NFT_REG_4);
	}
	if (flags)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, flags);
	nft_add(r, e);
}

/* masquerade and redirect: only ports to give */
static void
port_nat(struct nftnl_rule *r, const struct nat_rule *x)
{
	int masq = x->action == NAT_MASQUERADE;
	uint32_t flags = to_ports(r, &x->to_port);
	struct nftnl_expr *e = nft_expr(masq ? "masq" : "redir");

	if (!e)
		return;
	if (x->to_port.set) {
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN : NFTNL_EXPR_REDIR_REG_PROTO_MIN,
				   NFT_REG_3);
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX : NFTNL_EXPR_REDIR_REG_PROTO_MAX,
				   NFT_REG_4);
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_FLAGS : NFTNL_EXPR_REDIR_FLAGS, flags);
	}
	nft_add(r, e);
}

static void
action(struct nftnl_rule *r, const struct nat_rule *x)
{
	nft_add(r, nft_expr("counter"));
	switch (x->action) {
	case NAT_ACCEPT: nft_verdict(r, NF_ACCEPT, NULL); break;
	case NAT_RETURN: nft_verdict(r, NFT_RETURN, NULL); break;
	case NAT_JUMP: nft_verdict(r, NFT_JUMP, x->jump); break;
	case NAT_PASSTHROUGH: break;
	case NAT_MASQUERADE:
	case NAT_REDIRECT: port_nat(r, x); break;
	case NAT_SRC_NAT:
	case NAT_DST_NAT: nat(r, x); break;
	}
}

static int
rule(struct batch *bt, const struct nat_rule *x)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *h;

	if (!r)
		return -1;
	nft_expr_failed = 0;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_ROSH);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, x->chain_name);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	nft_match_emit(r, &x->m);
	action(r, x);
	if (nft_expr_failed) {
		nftnl_rule_free(r);
		return -1;
	}
	h = nft_msg(bt, NFT_MSG_NEWRULE, NLM_F_APPEND | NLM_F_CREATE);
	nftnl_rule_nlmsg_build_payload(h, r);
	nftnl_rule_free(r);
	return nft_put(bt);
}

/* The whole batch: the table deleted, then (unless only removing) made
 * again with its chains and rules; the number of chains made, or -1. */
static int
build(struct batch *bt, const struct nat_rule *r, int n, int keep)
{
	int made = 0;

	if (nft_begin(bt, (size_t)(2 * n + 8) * RULE_ROOM, NFT_TABLE_ROSH))
		return -1;
	if (keep && (nft_table(bt, NFT_TABLE_ROSH, NFT_MSG_NEWTABLE, NLM_F_CREATE) ||
		     (made = chains(bt, r, n)) < 0))
		return -1;
	for (int i = 0; keep && i < n; i++)
		if (rule(bt, &r[i]))
			return -1;
	return made;
}

static int
send_batch(const struct nat_rule *r, int n, int keep, int *bad, char *err, size_t errlen)
{
	struct batch bt;
	uint32_t seq_bad = 0, head;
	int rc, made;

	*bad = -1;
	if ((made = build(&bt, r, n, keep)) < 0) {
		snprintf(err, errlen, "too many rules for one batch");
		nft_batch_free(&bt);
		return -1;
	}
	rc = nft_send(&bt, &seq_bad, err, errlen);
	/* messages: table, delete, table, the chains, then the rules */
	head = bt.first + 3 + (uint32_t)made;
	if (rc && seq_bad >= head && seq_bad < head + (uint32_t)n)
		*bad = (int)(seq_bad - head);
	nft_batch_free(&bt);
	return rc;
}

int
nft_nat_replace(const struct nat_rule *r, int n, int *bad, char *err, size_t errlen)
{
	return send_batch(r, n, 1, bad, err, errlen);
}

int
nft_nat_remove(char *err, size_t errlen)
{
	int bad;

	return send_batch(NULL, 0, 0, &bad, err, errlen);
}
