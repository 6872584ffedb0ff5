/* nft_dynamic.c: the entries rules added to the filter table's dynamic
 * sets (add-src-to-address-list), read back from the kernel: one dump of
 * the table's sets, then one of the elements of each dynamic one. The
 * list a set stands for is its comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "nft_int.h"

#define MAX_DSETS 256		/* dynamic sets read back, at most */

struct dset {
	char name[NFT_SET_NAME];
	char list[64];
};

struct sets {
	struct dset d[MAX_DSETS];
	int n;
};

struct elems {
	const char *list;
	void (*fn)(void *ctx, const char *list, const struct nft_dyn_entry *e);
	void *ctx;
};

static int
comment_of(const struct nftnl_udata *attr, void *data)
{
	char *list = data;
	const char *text = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	if (nftnl_udata_type(attr) == NFTNL_UDATA_SET_COMMENT && len > 1 && len <= 64 &&
	    !text[len - 1])
		memcpy(list, text, len);
	return MNL_CB_OK;
}

static int
one_set(const struct nlmsghdr *h, void *data)
{
	struct sets *ss = data;
	struct nftnl_set *s = nftnl_set_alloc();
	const char *name;
	const void *ud;
	uint32_t len = 0;

	if (!s)
		return MNL_CB_ERROR;
	if (nftnl_set_nlmsg_parse(h, s) >= 0 && ss->n < MAX_DSETS &&
	    (nftnl_set_get_u32(s, NFTNL_SET_FLAGS) & NFT_SET_EVAL) &&
	    (name = nftnl_set_get_str(s, NFTNL_SET_NAME)) && strlen(name) < NFT_SET_NAME &&
	    (ud = nftnl_set_get_data(s, NFTNL_SET_USERDATA, &len))) {
		struct dset *d = &ss->d[ss->n];

		memset(d, 0, sizeof(*d));
		nftnl_udata_parse(ud, len, comment_of, d->list);
		snprintf(d->name, sizeof(d->name), "%s", name);
		ss->n += d->list[0] != '\0';
	}
	nftnl_set_free(s);
	return MNL_CB_OK;
}

static int
one_elem(struct nftnl_set_elem *e, void *data)
{
	struct elems *el = data;
	struct nft_dyn_entry d = { 0 };
	const void *key;
	uint32_t len = 0, a;

	key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
	if (!key || len != 4)
		return 0;
	memcpy(&a, key, 4);
	d.addr = ntohl(a);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_EXPIRATION))
		d.left_ms = nftnl_set_elem_get_u64(e, NFTNL_SET_ELEM_EXPIRATION);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_TIMEOUT) && !d.left_ms)
		d.left_ms = 1;	/* it goes any moment now */
	el->fn(el->ctx, el->list, &d);
	return 0;
}

static int
elems_of(const struct nlmsghdr *h, void *data)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		return MNL_CB_ERROR;
	if (nftnl_set_elems_nlmsg_parse(h, s) >= 0)
		nftnl_set_elem_foreach(s, one_elem, data);
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* One dump: the sets of the table (set NULL), or the elements of one. */
static int
dump(struct mnl_socket *s, const char *set, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_set *req = nftnl_set_alloc();
	uint32_t seq = (uint32_t)time(NULL), port = mnl_socket_get_portid(s);
	struct nlmsghdr *h;
	ssize_t n;
	int rc = MNL_CB_ERROR;

	if (!req)
		return -1;
	h = nftnl_nlmsg_build_hdr(buf, set ? NFT_MSG_GETSETELEM : NFT_MSG_GETSET, NFPROTO_IPV4,
				  NLM_F_DUMP, seq);
	nftnl_set_set_str(req, NFTNL_SET_TABLE, NFT_TABLE_FILTER);
	if (set)
		nftnl_set_set_str(req, NFTNL_SET_NAME, set);
	if (set)
		nftnl_set_elems_nlmsg_build_payload(h, req);
	else
		nftnl_set_nlmsg_build_payload(h, req);
	nftnl_set_free(req);
	if (mnl_socket_sendto(s, h, h->nlmsg_len) < 0)
		return -1;
	while ((n = mnl_socket_recvfrom(s, buf, sizeof(buf))) > 0) {
		rc = mnl_cb_run(buf, (size_t)n, seq, port, cb, data);
		if (rc <= MNL_CB_STOP)
			break;
	}
	return rc == MNL_CB_STOP ? 0 : -1;
}

int
nft_filter_dynamic(void (*fn)(void *ctx, const char *list, const struct nft_dyn_entry *e),
		   void *ctx)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_NETFILTER);
	struct timeval tv = { 1, 0 };
	struct sets *ss = calloc(1, sizeof(*ss));
	int rc = -1;

	if (!s || !ss)
		goto out;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID))
		goto out;
	/* a dump never waits long: the table is ours */
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (dump(s, NULL, one_set, ss)) {
		rc = 0;		/* no table, no sets: nothing to read */
		goto out;
	}
	rc = 0;
	for (int i = 0; i < ss->n && !rc; i++) {
		struct elems el = { ss->d[i].list, fn, ctx };

		rc = dump(s, ss->d[i].name, elems_of, &el);
	}
out:
	if (s)
		mnl_socket_close(s);
	free(ss);
	return rc;
}
