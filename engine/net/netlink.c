/* netlink.c: rtnetlink requests with libmnl: link state and MTU, IPv4 and
 * IPv6 addresses, IPv4 routes. Each request waits for its ack, so a caller
 * knows at once whether the kernel took it. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>

#include "netlink.h"

static struct mnl_socket *nl;
static unsigned seq;
static char lasterr[128];

const char *
nl_error(void)
{
	return lasterr;
}

int
nl_open(void)
{
	if (nl)
		return 0;
	if (!(nl = mnl_socket_open(NETLINK_ROUTE)) || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID)) {
		snprintf(lasterr, sizeof(lasterr), "netlink: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		nl = NULL;
		return -1;
	}
	seq = (unsigned)time(NULL);
	return 0;
}

void
nl_close(void)
{
	if (nl)
		mnl_socket_close(nl);
	nl = NULL;
}

int
nl_ifindex(const char *name)
{
	return (int)if_nametoindex(name);
}

/* Send one request and read its ack. */
static int
talk(struct nlmsghdr *h)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned portid;
	int n;

	if (nl_open())
		return -1;
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++seq;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		goto fail;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		n = mnl_cb_run(buf, n, h->nlmsg_seq, portid, NULL, NULL);
		if (n <= MNL_CB_STOP)
			break;
	}
	if (n < 0)
		goto fail;
	return 0;
fail:
	snprintf(lasterr, sizeof(lasterr), "%s", strerror(errno));
	return -1;
}

int
nl_link_set(const char *name, int up, int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int index = nl_ifindex(name);

	if (!index) {
		snprintf(lasterr, sizeof(lasterr), "no interface %s", name);
		return -1;
	}
	h->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu > 0)
		mnl_attr_put_u32(h, IFLA_MTU, (uint32_t)mtu);
	return talk(h);
}

int
nl_link_mac(const char *name, const uint8_t mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	h->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = nl_ifindex(name);
	mnl_attr_put(h, IFLA_ADDRESS, 6, mac);
	return ifi->ifi_index ? talk(h) : -1;
}

static int
addr(int family, const char *ifname, const void *local, int alen, int len, const void *peer,
     int add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	h->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	if (add)
		h->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(h, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = len;
	ifa->ifa_index = nl_ifindex(ifname);
	if (!ifa->ifa_index) {
		snprintf(lasterr, sizeof(lasterr), "no interface %s", ifname);
		return -1;
	}
	mnl_attr_put(h, IFA_LOCAL, alen, local);
	mnl_attr_put(h, IFA_ADDRESS, alen, peer ? peer : local);
	return talk(h);
}

int
nl_addr4(const char *ifname, uint32_t local, int len, uint32_t peer, int add)
{
	uint32_t l = htonl(local), p = htonl(peer);

	return addr(AF_INET, ifname, &l, 4, len, peer ? &p : NULL, add);
}

int
nl_addr6(const char *ifname, const uint8_t a[16], int len, int add)
{
	return addr(AF_INET6, ifname, a, 16, len, NULL, add);
}

int
nl_route6(const char *ifname, const uint8_t dst[16], int len, int add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtmsg *rt;
	int index = nl_ifindex(ifname);

	if (!index) {
		snprintf(lasterr, sizeof(lasterr), "no interface %s", ifname);
		return -1;
	}
	h->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	if (add)
		h->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	rt = mnl_nlmsg_put_extra_header(h, sizeof(*rt));
	rt->rtm_family = AF_INET6;
	rt->rtm_dst_len = len;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	mnl_attr_put(h, RTA_DST, 16, dst);
	mnl_attr_put_u32(h, RTA_OIF, (uint32_t)index);
	return talk(h);
}

int
nl_route4(const char *ifname, uint32_t dst, int len, uint32_t gw, int table, int metric, int add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtmsg *rt;
	uint32_t d = htonl(dst), g = htonl(gw);
	int index = ifname ? nl_ifindex(ifname) : 0;

	h->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	if (add)
		h->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	rt = mnl_nlmsg_put_extra_header(h, sizeof(*rt));
	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = len;
	rt->rtm_table = table < 256 ? table : RT_TABLE_UNSPEC;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rt->rtm_type = RTN_UNICAST;
	if (table >= 256)
		mnl_attr_put_u32(h, RTA_TABLE, (uint32_t)table);
	mnl_attr_put(h, RTA_DST, 4, &d);
	if (gw)
		mnl_attr_put(h, RTA_GATEWAY, 4, &g);
	if (index)
		mnl_attr_put_u32(h, RTA_OIF, (uint32_t)index);
	if (metric)
		mnl_attr_put_u32(h, RTA_PRIORITY, (uint32_t)metric);
	return talk(h);
}
