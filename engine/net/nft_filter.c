/* nft_filter.c: /ip firewall filter as the table "ip rosh-filter", one
 * batch (nft_batch.c): the table deleted, then made again with its base
 * chains (policy accept, as RouterOS with no rules), the admin's chains,
 * one interval set per address list (and a dynamic set for each list the
 * rules add to), and the rules in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "nft_int.h"

#define ROOM 1024		/* bytes of batch per rule or chain, generously */
#define ELEM_ROOM 64		/* per set element */

static const char *base_chains[] = { "input", "forward", "output" };

static int
chain(struct batch *bt, const char *name)
{
	static const int hooks[] = { NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT };
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *h;

	if (!ch)
		return -1;
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, NFT_TABLE_FILTER);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
	for (int i = 0; i < 3; i++)
		if (!strcmp(name, base_chains[i])) {
			nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "filter");
			nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, (uint32_t)hooks[i]);
			nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, 0);
			nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		}
	h = nft_msg(bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(h, ch);
	nftnl_chain_free(ch);
	return nft_put(bt);
}

/* Every chain once: the base ones, then each the rules are in or jump to. */
static int
chains(struct batch *bt, const struct filter_rule *r, int n)
{
	for (int i = 0; i < 3; i++)
		if (chain(bt, base_chains[i]))
			return -1;
	for (int i = 0; i < 2 * n; i++) {
		const char *name = i < n ? r[i].chain : r[i - n].jump;
		int seen = !name[0];

		for (int k = 0; k < 3 && !seen; k++)
			seen = !strcmp(name, base_chains[k]);
		for (int k = 0; k < i && !seen; k++)
			seen = !strcmp(name, k < n ? r[k].chain : r[k - n].jump);
		if (!seen && chain(bt, name))
			return -1;
	}
	return 0;
}

static int
by_lo(const void *a, const void *b)
{
	const struct nat_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void
elem(struct nftnl_set *s, uint32_t host, int end)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	uint32_t key = htonl(host);

	if (!e)
		return;
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &key, sizeof(key));
	if (end)
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	nftnl_set_elem_add(s, e);
}

/* The ranges sorted and merged (the kernel refuses overlapping intervals),
 * each as its start and the end just past it. */
static void
elements(struct nftnl_set *s, const struct nft_set_def *d)
{
	struct nat_range *r = malloc(sizeof(*r) * (size_t)(d->n ? d->n : 1));
	int n = 0;

	if (!r)
		return;
	if (d->n) {	/* an empty list may have no ranges at all */
		memcpy(r, d->ranges, sizeof(*r) * (size_t)d->n);
		qsort(r, (size_t)d->n, sizeof(*r), by_lo);
	}
	for (int i = 0; i < d->n; i++) {
		if (n && (r[n - 1].hi == 0xffffffffu || r[i].lo <= r[n - 1].hi + 1)) {
			if (r[i].hi > r[n - 1].hi)
				r[n - 1].hi = r[i].hi;
			continue;
		}
		r[n++] = r[i];
	}
	for (int i = 0; i < n; i++) {
		elem(s, r[i].lo, 0);
		if (r[i].hi != 0xffffffffu)
			elem(s, r[i].hi + 1, 1);
	}
	free(r);
}

static void
set_comment(struct nftnl_set *s, const char *text)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(128);

	if (!u)
		return;
	if (nftnl_udata_put_strz(u, NFTNL_UDATA_SET_COMMENT, text))
		nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(u),
				   nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

/* A new IPv4 address set of the table, its NEWSET message queued: the set
 * to add elements to, or NULL (nothing queued) when it could not be made. */
static struct nftnl_set *
set_new(struct batch *bt, const char *name, uint32_t id, uint32_t flags, const char *comment,
	uint32_t size)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *h;

	if (!s)
		return NULL;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_FILTER);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_IPV4);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, 7);	/* nft's ipv4_addr */
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, 4);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	if (size)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, size);
	if (comment)
		set_comment(s, comment);
	h = nft_msg(bt, NFT_MSG_NEWSET, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(h, s);
	if (nft_put(bt)) {
		nftnl_set_free(s);
		return NULL;
	}
	return s;
}

/* The elements added to s, queued; s is freed. */
static int
set_elems(struct batch *bt, struct nftnl_set *s)
{
	struct nlmsghdr *h = nft_msg(bt, NFT_MSG_NEWSETELEM, NLM_F_CREATE);

	nftnl_set_elems_nlmsg_build_payload(h, s);
	nftnl_set_free(s);
	return nft_put(bt);
}

static int
set(struct batch *bt, const struct nft_set_def *d, uint32_t id)
{
	struct nftnl_set *s = set_new(bt, d->name, id, NFT_SET_INTERVAL, NULL, 0);

	if (!s || !d->n) {
		if (s)
			nftnl_set_free(s);
		return s ? 0 : -1;
	}
	elements(s, d);
	return set_elems(bt, s);
}

/* A list's dynamic set (a hash the rules add to, with timeouts), and the
 * entries it had before the rewrite with the time they had left. */
static int
dyn_set(struct batch *bt, const struct nft_dyn_def *d, uint32_t id)
{
	struct nftnl_set *s = set_new(bt, d->name, id, NFT_SET_TIMEOUT | NFT_SET_EVAL, d->list,
				      NFT_DYN_SET_SIZE);

	if (!s || !d->n) {
		if (s)
			nftnl_set_free(s);
		return s ? 0 : -1;
	}
	for (int i = 0; i < d->n && i < NFT_DYN_SET_SIZE; i++) {
		struct nftnl_set_elem *e = nftnl_set_elem_alloc();
		uint32_t key = htonl(d->e[i].addr);

		if (!e)
			break;
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &key, sizeof(key));
		if (d->e[i].left_ms)
			nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, d->e[i].left_ms);
		nftnl_set_elem_add(s, e);
	}
	return set_elems(bt, s);
}

/* any bit of mask set (op NFT_CMP_NEQ), or every bit clear (NFT_CMP_EQ) */
static void
match_ct(struct nftnl_rule *r, uint32_t key, uint32_t mask, int op)
{
	struct nftnl_expr *e;

	if (!mask || !(e = nft_expr("ct")))
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	nft_add(r, e);
	nft_bits(r, mask, op, 0, 4);
}

/* The kind of a source or destination address (fib saddr type local) */
static void
match_addrtype(struct nftnl_rule *r, uint32_t flag, int type, int not)
{
	struct nftnl_expr *e;
	uint32_t t = (uint32_t)type;

	if (!type || !(e = nft_expr("fib")))
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, flag);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, NFT_REG_1);
	nft_add(r, e);
	nft_cmp(r, not ? NFT_CMP_NEQ : NFT_CMP_EQ, &t, 4);
}

/* The IP packet's length in a range, or out of it */
static void
match_len(struct nftnl_rule *r, const struct filter_rule *x)
{
	uint32_t lo = x->len.lo, hi = x->len.hi;

	if (!x->len.set)
		return;
	lo = htonl(lo);
	hi = htonl(hi);
	nft_meta(r, NFT_META_LEN);
	nft_hton(r, 4);
	nft_range_op(r, x->len_not ? NFT_RANGE_NEQ : NFT_RANGE_EQ, &lo, &hi, 4);
}

/* time=: the day of the week as the kernel counts it, and the second of
 * the day in UTC (filter_time.c turned the local time into these) */
static void
match_time(struct nftnl_rule *r, const struct filter_rule *x)
{
	uint32_t lo = htonl(x->sec_lo), hi = htonl(x->sec_hi);
	uint8_t dlo = x->day_lo, dhi = x->day_hi;

	if (!x->time_set)
		return;
	if (dlo > 0 || dhi < 6) {
		nft_meta(r, NFT_META_TIME_DAY);
		if (dlo == dhi)
			nft_cmp(r, NFT_CMP_EQ, &dlo, 1);
		else
			nft_range(r, &dlo, &dhi, 1);
	}
	if (x->sec_lo > 0 || x->sec_hi < 86399) {
		nft_meta(r, NFT_META_TIME_HOUR);
		nft_hton(r, 4);
		nft_range(r, &lo, &hi, 4);
	}
}

/* address types, length, icmp type and code, tcp flags, connection state
 * and NAT state, limit */
static void
match_more(struct nftnl_rule *r, const struct filter_rule *x)
{
	struct nftnl_expr *e;

	if (x->ct_mark && (e = nft_expr("ct"))) {
		uint32_t zero = 0;

		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_MARK);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
		nft_add(r, e);
		nft_cmp(r, x->ct_mark > 0 ? NFT_CMP_EQ : NFT_CMP_NEQ, &zero, 4);
	}
	match_addrtype(r, NFTA_FIB_F_SADDR, x->src_type, x->src_type_not);
	match_addrtype(r, NFTA_FIB_F_DADDR, x->dst_type, x->dst_type_not);
	match_len(r, x);
	match_time(r, x);

	if (x->icmp_type >= 0) {
		uint8_t t = (uint8_t)x->icmp_type, c = (uint8_t)x->icmp_code;

		nft_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
		nft_cmp(r, NFT_CMP_EQ, &t, 1);
		if (x->icmp_code >= 0) {
			nft_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 1, 1);
			nft_cmp(r, NFT_CMP_EQ, &c, 1);
		}
	}
	if (x->tcp_mask) {
		nft_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1);
		nft_bits(r, x->tcp_mask, NFT_CMP_EQ, x->tcp_bits, 1);
	}
	match_ct(r, NFT_CT_STATE, x->ct_state, NFT_CMP_NEQ);
	match_ct(r, NFT_CT_STATUS, x->ct_status, NFT_CMP_NEQ);
	match_ct(r, NFT_CT_STATUS, x->ct_status_not, NFT_CMP_EQ);
	if (x->limit_rate && (e = nft_expr("limit"))) {
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, x->limit_rate);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, x->limit_unit);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, x->limit_burst);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
		nft_add(r, e);
	}
}

static void
log_expr(struct nftnl_rule *r, const struct filter_rule *x)
{
	struct nftnl_expr *e = nft_expr("log");

	if (e && x->log_prefix[0])
		nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, x->log_prefix);
	nft_add(r, e);
}

/* add-src-to-address-list: the address into the list's dynamic set, its
 * time started again when it is there already */
static void
add_to_set(struct nftnl_rule *r, const struct filter_rule *x)
{
	struct nftnl_expr *e;

	nft_payload(r, NFT_PAYLOAD_NETWORK_HEADER, x->action == FILTER_ADD_SRC ? 12 : 16, 4);
	if (!(e = nft_expr("dynset")))
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
	nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, x->add_set);
	if (x->add_timeout_ms)
		nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, x->add_timeout_ms);
	nft_add(r, e);
}

static void
action(struct nftnl_rule *r, const struct filter_rule *x)
{
	struct nftnl_expr *e;

	nft_add(r, nft_expr("counter"));
	if (x->log || x->action == FILTER_LOG)
		log_expr(r, x);
	switch (x->action) {
	case FILTER_ACCEPT: nft_verdict(r, NF_ACCEPT, NULL); break;
	case FILTER_DROP: nft_verdict(r, NF_DROP, NULL); break;
	case FILTER_RETURN: nft_verdict(r, NFT_RETURN, NULL); break;
	case FILTER_JUMP: nft_verdict(r, NFT_JUMP, x->jump); break;
	case FILTER_REJECT:
		if (!(e = nft_expr("reject")))
			break;
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, (uint32_t)x->reject_type);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, (uint8_t)x->reject_code);
		nft_add(r, e);
		break;
	case FILTER_ADD_SRC:
	case FILTER_ADD_DST: add_to_set(r, x); break;
	case FILTER_LOG:
	case FILTER_PASSTHROUGH: break;
	}
}

/* The item's id as the rule's comment, "rosh *1A" (nft list shows it):
 * nft_counters.c reads it back. */
static void
item_comment(struct nftnl_rule *r, long long item)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);
	char text[32];

	if (!u)
		return;
	snprintf(text, sizeof(text), NFT_ITEM_COMMENT "%llX", (unsigned long long)item);
	if (nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, text))
		nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
				    nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

static int
rule(struct batch *bt, const struct filter_rule *x)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *h;

	if (!r)
		return -1;
	nft_expr_failed = 0;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_FILTER);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, x->chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	item_comment(r, x->item);
	nft_match_emit(r, &x->m);
	match_more(r, x);
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

static size_t
room(const struct nft_set_def *sets, int nsets, const struct nft_dyn_def *dsets, int ndsets,
     int n)
{
	size_t elems = 0;

	for (int i = 0; i < nsets; i++)
		elems += (size_t)sets[i].n * 2;
	for (int i = 0; i < ndsets; i++)
		elems += (size_t)dsets[i].n;
	return (size_t)(3 * n + nsets + ndsets + 16) * ROOM + elems * ELEM_ROOM;
}

int
nft_filter_replace(const struct nft_set_def *sets, int nsets, const struct nft_dyn_def *dsets,
		   int ndsets, const struct filter_rule *r, int n, int *bad, char *err,
		   size_t errlen)
{
	struct batch bt;
	uint32_t seq_bad, first_rule = 0;
	int rc = -1;

	*bad = -1;
	if (nft_begin(&bt, room(sets, nsets, dsets, ndsets, n), NFT_TABLE_FILTER) ||
	    nft_table(&bt, NFT_TABLE_FILTER, NFT_MSG_NEWTABLE, NLM_F_CREATE) || chains(&bt, r, n))
		goto full;
	for (int i = 0; i < nsets; i++)
		if (set(&bt, &sets[i], (uint32_t)i + 1))
			goto full;
	for (int i = 0; i < ndsets; i++)
		if (dyn_set(&bt, &dsets[i], (uint32_t)(nsets + i) + 1))
			goto full;
	first_rule = bt.seq;
	for (int i = 0; i < n; i++)
		if (rule(&bt, &r[i]))
			goto full;
	if ((rc = nft_send(&bt, &seq_bad, err, errlen)) && seq_bad >= first_rule &&
	    seq_bad < first_rule + (uint32_t)n)
		*bad = (int)(seq_bad - first_rule);
	nft_batch_free(&bt);
	return rc;
full:
	snprintf(err, errlen, "too many rules for one batch");
	nft_batch_free(&bt);
	return -1;
}

int
nft_filter_remove(char *err, size_t errlen)
{
	struct batch bt;
	uint32_t seq_bad;
	int rc;

	if (nft_begin(&bt, 4 * ROOM, NFT_TABLE_FILTER)) {
		nft_batch_free(&bt);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = nft_send(&bt, &seq_bad, err, errlen);
	nft_batch_free(&bt);
	return rc;
}
