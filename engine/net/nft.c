/* nft.c: the NAT table as one nftables batch: create-then-delete the
 * table (so deleting never fails for a missing one), then the table, its
 * two base chains and every rule. nf_tables runs a batch as one
 * transaction: if any part is refused, nothing changes. */
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

#include "nft.h"

#define RULE_ROOM 1024		/* bytes of batch per rule, generously */

struct batch {
	struct mnl_nlmsg_batch *b;
	char *buf;
	uint32_t seq, first;		/* seq of the first acked message */
	int nacked;			/* messages that ask for an ack */
};

static uint32_t
next_seq(struct batch *bt)
{
	return bt->seq++;
}

static struct nlmsghdr *
msg(struct batch *bt, int type, int flags)
{
	struct nlmsghdr *h = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), (uint16_t)type,
						   NFPROTO_IPV4, (uint16_t)(flags | NLM_F_ACK),
						   next_seq(bt));

	bt->nacked++;
	return h;
}

static int
put(struct batch *bt)
{
	return mnl_nlmsg_batch_next(bt->b) ? 0 : -1;
}

static int
table(struct batch *bt, int type, int flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *h;

	if (!t)
		return -1;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFT_TABLE_ROSH);
	h = msg(bt, type, flags);
	nftnl_table_nlmsg_build_payload(h, t);
	nftnl_table_free(t);
	return put(bt);
}

static const char *chain_names[] = { "srcnat", "dstnat" };

static int
chain(struct batch *bt, enum nat_chain c)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *h;

	if (!ch)
		return -1;
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, NFT_TABLE_ROSH);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, chain_names[c]);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "nat");
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM,
			    c == NAT_SRCNAT ? NF_INET_POST_ROUTING : NF_INET_PRE_ROUTING);
	/* the priorities nft calls srcnat and dstnat */
	nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, c == NAT_SRCNAT ? 100 : -100);
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	h = msg(bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(h, ch);
	nftnl_chain_free(ch);
	return put(bt);
}

/* ---- expressions ---- */

static int expr_failed;		/* an expression could not be made: drop the rule */

static struct nftnl_expr *
expr(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e)
		expr_failed = 1;
	return e;
}

static void
add(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (e)
		nftnl_rule_add_expr(r, e);
}

static void
payload(struct nftnl_rule *r, uint32_t base, uint32_t offset, uint32_t len)
{
	struct nftnl_expr *e = expr("payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	add(r, e);
}

static void
meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = expr("meta");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	add(r, e);
}

static void
cmp(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr("cmp");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	add(r, e);
}

static void
range(struct nftnl_rule *r, const void *lo, const void *hi, uint32_t len)
{
	struct nftnl_expr *e = expr("range");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, NFT_RANGE_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, lo, len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, hi, len);
	add(r, e);
}

/* Match an address range at a header offset (12 source, 16 destination). */
static void
match_addr(struct nftnl_rule *r, uint32_t offset, const struct nat_range *a)
{
	uint32_t lo = htonl(a->lo), hi = htonl(a->hi);

	if (!a->set)
		return;
	payload(r, NFT_PAYLOAD_NETWORK_HEADER, offset, 4);
	if (a->lo == a->hi)
		cmp(r, &lo, 4);
	else
		range(r, &lo, &hi, 4);
}

static void
match_port(struct nftnl_rule *r, const struct nat_range *p)
{
	uint16_t lo = htons((uint16_t)p->lo), hi = htons((uint16_t)p->hi);

	if (!p->set)
		return;
	/* the destination port is at offset 2 in TCP, UDP and SCTP alike */
	payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	if (p->lo == p->hi)
		cmp(r, &lo, 2);
	else
		range(r, &lo, &hi, 2);
}

static void
match_ifname(struct nftnl_rule *r, uint32_t key, const char *name)
{
	char padded[16] = { 0 };

	if (!name[0])
		return;
	/* names compare whole, zero padded, as iifname "x" does */
	snprintf(padded, sizeof(padded), "%s", name);
	meta(r, key);
	cmp(r, padded, sizeof(padded));
}

static void
immediate(struct nftnl_rule *r, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr("immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	add(r, e);
}

static void
verdict(struct nftnl_rule *r, int v)
{
	struct nftnl_expr *e = expr("immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)v);
	add(r, e);
}

/* Ports of a translation into registers 3 and 4; the NAT flags for them. */
static uint32_t
to_ports(struct nftnl_rule *r, const struct nat_range *p)
{
	uint16_t lo = htons((uint16_t)p->lo), hi = htons((uint16_t)p->hi);

	if (!p->set)
		return 0;
	immediate(r, NFT_REG_3, &lo, 2);
	immediate(r, NFT_REG_4, &hi, 2);
	return NF_NAT_RANGE_PROTO_SPECIFIED;
}

static void
nat(struct nftnl_rule *r, const struct nat_rule *x)
{
	uint32_t lo = htonl(x->to_addr.lo), hi = htonl(x->to_addr.hi), flags;
	struct nftnl_expr *e;

	if (x->to_addr.set) {
		immediate(r, NFT_REG_1, &lo, 4);
		immediate(r, NFT_REG_2, &hi, 4);
	}
	flags = to_ports(r, &x->to_port);
	if (!(e = expr("nat")))
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
	add(r, e);
}

/* masquerade and redirect: only ports to give */
static void
port_nat(struct nftnl_rule *r, const struct nat_rule *x)
{
	int masq = x->action == NAT_MASQUERADE;
	uint32_t flags = to_ports(r, &x->to_port);
	struct nftnl_expr *e = expr(masq ? "masq" : "redir");

	if (!e)
		return;
	if (x->to_port.set) {
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN : NFTNL_EXPR_REDIR_REG_PROTO_MIN,
				   NFT_REG_3);
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX : NFTNL_EXPR_REDIR_REG_PROTO_MAX,
				   NFT_REG_4);
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_FLAGS : NFTNL_EXPR_REDIR_FLAGS, flags);
	}
	add(r, e);
}

static void
action(struct nftnl_rule *r, const struct nat_rule *x)
{
	add(r, expr("counter"));
	switch (x->action) {
	case NAT_ACCEPT: verdict(r, NF_ACCEPT); break;
	case NAT_RETURN: verdict(r, NFT_RETURN); break;
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
	expr_failed = 0;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_ROSH);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain_names[x->chain]);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	match_ifname(r, NFT_META_IIFNAME, x->iif);
	match_ifname(r, NFT_META_OIFNAME, x->oif);
	match_addr(r, 12, &x->src);
	match_addr(r, 16, &x->dst);
	if (x->proto) {
		uint8_t p = (uint8_t)x->proto;

		meta(r, NFT_META_L4PROTO);
		cmp(r, &p, 1);
	}
	match_port(r, &x->dport);
	action(r, x);
	if (expr_failed) {
		nftnl_rule_free(r);
		return -1;
	}
	h = msg(bt, NFT_MSG_NEWRULE, NLM_F_APPEND | NLM_F_CREATE);
	nftnl_rule_nlmsg_build_payload(h, r);
	nftnl_rule_free(r);
	return put(bt);
}

/* The whole batch: begin, table made sure of and deleted, then (unless
 * only removing) the new table, its chains and rules, end. */
static int
build(struct batch *bt, const struct nat_rule *r, int n, int keep)
{
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), next_seq(bt));
	if (put(bt))
		return -1;
	bt->first = bt->seq;
	if (table(bt, NFT_MSG_NEWTABLE, NLM_F_CREATE) || table(bt, NFT_MSG_DELTABLE, 0))
		return -1;
	if (keep && (table(bt, NFT_MSG_NEWTABLE, NLM_F_CREATE) || chain(bt, NAT_SRCNAT) ||
		     chain(bt, NAT_DSTNAT)))
		return -1;
	for (int i = 0; keep && i < n; i++)
		if (rule(bt, &r[i]))
			return -1;
	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), next_seq(bt));
	return put(bt);
}

static struct mnl_socket *
nft_socket(size_t sndbuf)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_NETFILTER);
	struct timeval tv = { 5, 0 };
	int on = 1, size = (int)sndbuf;

	if (!s)
		return NULL;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID)) {
		mnl_socket_close(s);
		return NULL;
	}
	/* a big batch goes in one message; acks need not echo our requests */
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &on, sizeof(on));
	return s;
}

/* Read one answer per acked message; the first error wins. 0, or -errno
 * with *seq_bad the message refused. */
static int
answers(struct mnl_socket *s, int expect, uint32_t *seq_bad)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int got = 0, first = 0;

	while (got < expect) {
		ssize_t n = mnl_socket_recvfrom(s, buf, sizeof(buf));
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		int len = (int)n;

		if (n <= 0)
			return first ? first : -(errno ? errno : EIO);
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			got++;
			if (e->error && !first) {
				first = e->error;
				*seq_bad = h->nlmsg_seq;
			}
		}
		/* after an error the kernel aborts: what is left may never come */
		if (first)
			return first;
	}
	return first;
}

static int
send_batch(const struct nat_rule *r, int n, int keep, int *bad, char *err, size_t errlen)
{
	size_t size = (size_t)(n + 8) * RULE_ROOM;
	struct batch bt = { .seq = (uint32_t)time(NULL) };
	struct mnl_socket *s = NULL;
	uint32_t seq_bad = 0;
	int rc = -ENOMEM;

	*bad = -1;
	if (!(bt.buf = malloc(size + MNL_SOCKET_BUFFER_SIZE)) ||
	    !(bt.b = mnl_nlmsg_batch_start(bt.buf, size)))
		goto out;
	if (build(&bt, r, n, keep)) {
		snprintf(err, errlen, "too many rules for one batch");
		goto done;
	}
	if (!(s = nft_socket(size)) ||
	    mnl_socket_sendto(s, mnl_nlmsg_batch_head(bt.b), mnl_nlmsg_batch_size(bt.b)) < 0) {
		rc = -errno;
		goto out;
	}
	rc = answers(s, bt.nacked, &seq_bad);
	/* messages: table, delete, table, srcnat, dstnat, then the rules */
	if (rc && seq_bad >= bt.first + 5 && seq_bad < bt.first + 5 + (uint32_t)n)
		*bad = (int)(seq_bad - bt.first - 5);
out:
	if (rc)
		snprintf(err, errlen, "%s", strerror(-rc));
done:
	if (s)
		mnl_socket_close(s);
	if (bt.b)
		mnl_nlmsg_batch_stop(bt.b);
	free(bt.buf);
	return rc ? -1 : (err[0] = 0, 0);
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
