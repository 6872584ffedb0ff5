/* nft_counters.c: the counters of the filter table's rules, read with one
 * rule dump; each rule carries the id of its item in its comment, so a
 * RouterOS rule split by its ports adds up again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "nft_int.h"

struct dump {
	void (*fn)(void *ctx, long long item, uint64_t bytes, uint64_t packets);
	void *ctx;
	uint64_t bytes, packets;
	int found;
};

static int
counter_of(struct nftnl_expr *e, void *data)
{
	struct dump *d = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (name && !strcmp(name, "counter") && !d->found) {
		d->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
		d->packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		d->found = 1;
	}
	return MNL_CB_OK;
}

static int
comment_of(const struct nftnl_udata *attr, void *data)
{
	const char *text = nftnl_udata_get(attr);
	size_t pre = strlen(NFT_ITEM_COMMENT);
	long long *item = data;
	char *end;

	if (nftnl_udata_type(attr) != NFTNL_UDATA_RULE_COMMENT || nftnl_udata_len(attr) < pre + 2 ||
	    text[nftnl_udata_len(attr) - 1] || strncmp(text, NFT_ITEM_COMMENT, pre))
		return MNL_CB_OK;
	*item = strtoll(text + pre, &end, 16);
	if (*end)
		*item = -1;
	return MNL_CB_OK;
}

static int
one_rule(const struct nlmsghdr *h, void *data)
{
	struct dump *d = data;
	struct nftnl_rule *r = nftnl_rule_alloc();
	const void *ud;
	uint32_t len = 0;
	long long item = -1;

	if (!r)
		return MNL_CB_ERROR;
	if (nftnl_rule_nlmsg_parse(h, r) < 0) {
		nftnl_rule_free(r);
		return MNL_CB_OK;
	}
	ud = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);
	d->found = 0;
	nftnl_expr_foreach(r, counter_of, d);
	if (ud)
		nftnl_udata_parse(ud, len, comment_of, &item);
	if (item > 0 && d->found)
		d->fn(d->ctx, item, d->bytes, d->packets);
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

static int
request(struct mnl_socket *s, uint32_t seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *h;

	if (!r)
		return -1;
	h = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_IPV4, NLM_F_DUMP, seq);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_FILTER);
	nftnl_rule_nlmsg_build_payload(h, r);
	nftnl_rule_free(r);
	return mnl_socket_sendto(s, h, h->nlmsg_len) < 0 ? -1 : 0;
}

int
nft_filter_counters(void (*fn)(void *ctx, long long item, uint64_t bytes, uint64_t packets),
		    void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *s = mnl_socket_open(NETLINK_NETFILTER);
	struct timeval tv = { 1, 0 };
	struct dump d = { fn, ctx, 0, 0, 0 };
	uint32_t seq = (uint32_t)time(NULL), port;
	int rc = -1;
	ssize_t n;

	if (!s)
		return -1;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) || request(s, seq))
		goto out;
	/* a dump never waits long: the table is ours and small */
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	port = mnl_socket_get_portid(s);
	while ((n = mnl_socket_recvfrom(s, buf, sizeof(buf))) > 0) {
		rc = mnl_cb_run(buf, (size_t)n, seq, port, one_rule, &d);
		if (rc <= MNL_CB_STOP)
			break;
	}
	rc = rc == MNL_CB_STOP ? 0 : -1;
out:
	mnl_socket_close(s);
	return rc;
}
