/* nft_batch.c: one nftables batch: begin, messages that each ask for an
 * ack, end; sent on a netfilter socket and answered message by message.
 * nf_tables runs a batch as one transaction: if any part is refused,
 * nothing changes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "nft_int.h"

struct nlmsghdr *
nft_msg(struct batch *bt, int type, int flags)
{
	struct nlmsghdr *h = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), (uint16_t)type,
						   NFPROTO_IPV4, (uint16_t)(flags | NLM_F_ACK),
						   bt->seq++);

	bt->nacked++;
	return h;
}

int
nft_put(struct batch *bt)
{
	return mnl_nlmsg_batch_next(bt->b) ? 0 : -1;
}

int
nft_table(struct batch *bt, const char *name, int type, int flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *h;

	if (!t)
		return -1;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	h = nft_msg(bt, type, flags);
	nftnl_table_nlmsg_build_payload(h, t);
	nftnl_table_free(t);
	return nft_put(bt);
}

int
nft_begin(struct batch *bt, size_t room, const char *table)
{
	memset(bt, 0, sizeof(*bt));
	bt->seq = (uint32_t)time(NULL);
	/* zeroed: attribute padding goes to the kernel as it is */
	if (!(bt->buf = calloc(1, room + MNL_SOCKET_BUFFER_SIZE)) ||
	    !(bt->b = mnl_nlmsg_batch_start(bt->buf, room)))
		return -1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	if (nft_put(bt))
		return -1;
	bt->first = bt->seq;
	return nft_table(bt, table, NFT_MSG_NEWTABLE, NLM_F_CREATE) ||
	       nft_table(bt, table, NFT_MSG_DELTABLE, 0) ? -1 : 0;
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

int
nft_send(struct batch *bt, uint32_t *bad_seq, char *err, size_t errlen)
{
	struct mnl_socket *s = NULL;
	int rc;

	*bad_seq = 0;
	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	if (nft_put(bt)) {
		snprintf(err, errlen, "too many rules for one batch");
		return -1;
	}
	if (!(s = nft_socket(mnl_nlmsg_batch_size(bt->b))) ||
	    mnl_socket_sendto(s, mnl_nlmsg_batch_head(bt->b), mnl_nlmsg_batch_size(bt->b)) < 0)
		rc = -(errno ? errno : EIO);
	else
		rc = answers(s, bt->nacked, bad_seq);
	if (s)
		mnl_socket_close(s);
	if (rc)
		snprintf(err, errlen, "%s", strerror(-rc));
	else
		err[0] = '\0';
	return rc ? -1 : 0;
}

void
nft_batch_free(struct batch *bt)
{
	if (bt->b)
		mnl_nlmsg_batch_stop(bt->b);
	free(bt->buf);
	bt->b = NULL;
	bt->buf = NULL;
}
