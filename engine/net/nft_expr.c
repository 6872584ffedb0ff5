/* nft_expr.c: the expressions of a rule, and the matches NAT and filter
 * rules share (interfaces, addresses, address lists, protocol, ports). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <libnftnl/expr.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "nft_int.h"

int nft_expr_failed;

struct nftnl_expr *
nft_expr(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e)
		nft_expr_failed = 1;
	return e;
}

void
nft_add(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (e)
		nftnl_rule_add_expr(r, e);
}

void
nft_payload(struct nftnl_rule *r, uint32_t base, uint32_t offset, uint32_t len)
{
	struct nftnl_expr *e = nft_expr("payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nft_add(r, e);
}

void
nft_meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = nft_expr("meta");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nft_add(r, e);
}

void
nft_cmp(struct nftnl_rule *r, int op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nft_expr("cmp");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, (uint32_t)op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nft_add(r, e);
}

void
nft_range(struct nftnl_rule *r, const void *lo, const void *hi, uint32_t len)
{
	nft_range_op(r, NFT_RANGE_EQ, lo, hi, len);
}

void
nft_range_op(struct nftnl_rule *r, int op, const void *lo, const void *hi, uint32_t len)
{
	struct nftnl_expr *e = nft_expr("range");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, (uint32_t)op);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, lo, len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, hi, len);
	nft_add(r, e);
}

void
nft_bits(struct nftnl_rule *r, uint32_t mask, int op, uint32_t value, uint32_t len)
{
	struct nftnl_expr *e = nft_expr("bitwise");
	uint32_t zero = 0;

	if (!e)
		return;
	/* bit masks come in the byte order the register holds them */
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, len);
	nft_add(r, e);
	nft_cmp(r, op, &value, len);
}

void
nft_hton(struct nftnl_rule *r, uint32_t len)
{
	struct nftnl_expr *e = nft_expr("byteorder");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, len);
	nft_add(r, e);
}

void
nft_immediate(struct nftnl_rule *r, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nft_expr("immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	nft_add(r, e);
}

void
nft_verdict(struct nftnl_rule *r, int v, const char *chain)
{
	struct nftnl_expr *e = nft_expr("immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)v);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	nft_add(r, e);
}

/* An address range at a header offset (12 source, 16 destination). */
static void
match_addr(struct nftnl_rule *r, uint32_t offset, const struct nat_range *a)
{
	uint32_t lo = htonl(a->lo), hi = htonl(a->hi);

	if (!a->set)
		return;
	nft_payload(r, NFT_PAYLOAD_NETWORK_HEADER, offset, 4);
	if (a->lo == a->hi)
		nft_cmp(r, NFT_CMP_EQ, &lo, 4);
	else
		nft_range(r, &lo, &hi, 4);
}

static void
lookup(struct nftnl_rule *r, const char *set, int not)
{
	struct nftnl_expr *e = nft_expr("lookup");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	if (not)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	nft_add(r, e);
}

/* The address at a header offset is in the named list: in its set, or in
 * its dynamic set (dset) when it has one. "In either" is two rules, the
 * second (in_dset) taking only what the first did not, so a packet meets
 * the rule once; "in neither" is one. */
static void
match_set(struct nftnl_rule *r, uint32_t offset, const char *set, const char *dset, int not,
	  int in_dset)
{
	if (!set[0])
		return;
	nft_payload(r, NFT_PAYLOAD_NETWORK_HEADER, offset, 4);
	lookup(r, set, not || in_dset);
	if (dset[0] && (not || in_dset))
		lookup(r, dset, not);
}

/* A port range at offset 0 (source) or 2 (destination): the same in TCP,
 * UDP and SCTP. */
static void
match_port(struct nftnl_rule *r, uint32_t offset, const struct nat_range *p)
{
	uint16_t lo = htons((uint16_t)p->lo), hi = htons((uint16_t)p->hi);

	if (!p->set)
		return;
	nft_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, offset, 2);
	if (p->lo == p->hi)
		nft_cmp(r, NFT_CMP_EQ, &lo, 2);
	else
		nft_range(r, &lo, &hi, 2);
}

static void
match_ifname(struct nftnl_rule *r, uint32_t key, int op, const char *name)
{
	char padded[16] = { 0 };
	size_t len = strlen(name);

	if (!len)
		return;
	/* names compare whole, zero padded, as iifname "x" does; "x*"
	 * compares only the prefix, as iifname "x*" does */
	snprintf(padded, sizeof(padded), "%s", name);
	if (name[len - 1] == '*')
		padded[--len] = '\0';
	else
		len = sizeof(padded);
	nft_meta(r, key);
	nft_cmp(r, op, padded, (uint32_t)len);
}

void
nft_match_emit(struct nftnl_rule *r, const struct nft_match *m)
{
	match_ifname(r, NFT_META_IIFNAME, NFT_CMP_EQ, m->iif);
	match_ifname(r, NFT_META_OIFNAME, NFT_CMP_EQ, m->oif);
	for (int i = 0; i < NFT_IFNOT_MAX && m->iif_not[i][0]; i++)
		match_ifname(r, NFT_META_IIFNAME, NFT_CMP_NEQ, m->iif_not[i]);
	for (int i = 0; i < NFT_IFNOT_MAX && m->oif_not[i][0]; i++)
		match_ifname(r, NFT_META_OIFNAME, NFT_CMP_NEQ, m->oif_not[i]);
	match_addr(r, 12, &m->src);
	match_addr(r, 16, &m->dst);
	match_set(r, 12, m->src_set, m->src_dset, m->src_set_not, m->src_in_dset);
	match_set(r, 16, m->dst_set, m->dst_dset, m->dst_set_not, m->dst_in_dset);
	if (m->proto) {
		uint8_t p = (uint8_t)m->proto;

		nft_meta(r, NFT_META_L4PROTO);
		nft_cmp(r, NFT_CMP_EQ, &p, 1);
	}
	match_port(r, 0, &m->sport);
	match_port(r, 2, &m->dport);
}
