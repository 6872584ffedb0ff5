/* client_route.c: which way the kernel sends packets to an address now
 * (RTM_GETROUTE), so that a client adding a default route through its
 * tunnel can first pin the way to its server. A socket of its own, used
 * once per connection, keeps netlink.c's request/ack socket untouched. */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "client.h"

struct found {
	uint32_t gw;		/* network order */
	unsigned oif;
};

static int
attr(const struct nlattr *a, void *data)
{
	struct found *f = data;

	if (mnl_attr_get_type(a) == RTA_GATEWAY && mnl_attr_get_payload_len(a) == 4)
		memcpy(&f->gw, mnl_attr_get_payload(a), 4);
	else if (mnl_attr_get_type(a) == RTA_OIF && mnl_attr_get_payload_len(a) == 4)
		f->oif = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int
reply(const struct nlmsghdr *h, void *data)
{
	if (h->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	return mnl_attr_parse(h, sizeof(struct rtmsg), attr, data);
}

int
client_route_lookup(const struct sockaddr_storage *dst, uint32_t *gw, char *dev, size_t devlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], name[IF_NAMESIZE] = "";
	const struct sockaddr_in *sin = (const struct sockaddr_in *)dst;
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	struct found f = { 0, 0 };
	unsigned seq = (unsigned)time(NULL), portid;
	struct rtmsg *rt;
	int rc = -1;
	ssize_t n;

	if (!nl || dst->ss_family != AF_INET || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID))
		goto out;
	h->nlmsg_type = RTM_GETROUTE;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = seq;
	rt = mnl_nlmsg_put_extra_header(h, sizeof(*rt));
	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = 32;
	mnl_attr_put(h, RTA_DST, 4, &sin->sin_addr);
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		goto out;
	if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) <= 0 ||
	    mnl_cb_run(buf, n, seq, portid, reply, &f) < 0 || !f.oif || !if_indextoname(f.oif, name))
		goto out;
	*gw = ntohl(f.gw);
	snprintf(dev, devlen, "%s", name);
	rc = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return rc;
}
