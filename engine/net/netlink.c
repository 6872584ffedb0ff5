/* netlink.c: rtnetlink requests with libmnl: link state and MTU, IPv4 and
 * IPv6 addresses, IPv4 routes; listings of links, addresses and routes, and
 * a socket for link and address notifications. Each request waits for its ack, so a caller
 * knows at once whether the kernel took it. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
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
static int lasterrno;		/* errno of the last failed request */

static int
errno_of_last(void)
{
	return lasterrno ? lasterrno : EIO;
}

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
nl_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (!s || sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
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
	lasterrno = errno;
	snprintf(lasterr, sizeof(lasterr), "%s", strerror(errno));
	nl_close();	/* what is left unread would answer the next request */
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

/* ---- listings and marked changes, for reconciling addresses and routes ---- */

struct dump_ctx {
	void *rows;			/* array of the caller's row type */
	size_t size;			/* bytes per row */
	int n, cap;
	int (*parse)(const struct nlmsghdr *h, void *row);	/* 1: keep the row */
};

static int
dump_cb(const struct nlmsghdr *h, void *data)
{
	struct dump_ctx *d = data;
	char *row;

	if (d->n == d->cap) {
		void *more = realloc(d->rows, d->size * (size_t)(d->cap ? d->cap * 2 : 32));

		if (!more)
			return MNL_CB_ERROR;
		d->rows = more;
		d->cap = d->cap ? d->cap * 2 : 32;
	}
	row = (char *)d->rows + d->size * (size_t)d->n;
	memset(row, 0, d->size);
	if (d->parse(h, row))
		d->n++;
	return MNL_CB_OK;
}

/* Dump one kind of object (RTM_GETLINK...) of a family into rows. */
static int
dump_once(int type, int family, size_t extra, struct dump_ctx *d)
{
	char buf[65536];	/* a dump message never exceeds this */
	struct nlmsghdr *h;
	unsigned portid;
	int n;

	if (nl_open())
		return -1;
	h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = (uint16_t)type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++seq;
	/* rtgenmsg, ifaddrmsg and rtmsg all start with the family byte */
	*(uint8_t *)mnl_nlmsg_put_extra_header(h, extra) = (uint8_t)family;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		goto fail;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		n = mnl_cb_run(buf, n, h->nlmsg_seq, portid, dump_cb, d);
		if (n <= MNL_CB_STOP)
			break;
	}
	if (n < 0)
		goto fail;
	return d->n;
fail:
	snprintf(lasterr, sizeof(lasterr), "%s", strerror(errno));
	nl_close();	/* the rest of a broken dump must not answer the next request */
	free(d->rows);
	d->rows = NULL;
	d->n = d->cap = 0;	/* ready to be taken again */
	return -1;
}

/* A dump the kernel interrupts (the table changed meanwhile: EINTR) is
 * taken again; tunnels coming and going make that common. */
static int
dump(int type, int family, size_t extra, struct dump_ctx *d)
{
	int n = -1;

	for (int try = 0; try < 3; try++)
		if ((n = dump_once(type, family, extra, d)) >= 0 || errno != EINTR)
			break;
	return n;
}

static int
link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t <= IFLA_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static int
parse_link(const struct nlmsghdr *h, void *row)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 }, *info[IFLA_INFO_MAX + 1] = { 0 };
	struct nl_link *l = row;

	if (h->nlmsg_type != RTM_NEWLINK ||
	    mnl_attr_parse(h, sizeof(*ifi), link_attr, tb) != MNL_CB_OK || !tb[IFLA_IFNAME])
		return 0;
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		l->mtu = (int)mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		l->has_mac = 1;
	}
	if (tb[IFLA_STATS64] &&
	    mnl_attr_get_payload_len(tb[IFLA_STATS64]) >= sizeof(struct rtnl_link_stats64)) {
		struct rtnl_link_stats64 st;

		memcpy(&st, mnl_attr_get_payload(tb[IFLA_STATS64]), sizeof(st));
		l->rx_bytes = st.rx_bytes;
		l->tx_bytes = st.tx_bytes;
		l->rx_packets = st.rx_packets;
		l->tx_packets = st.tx_packets;
		l->rx_dropped = st.rx_dropped;
		l->tx_dropped = st.tx_dropped;
		l->rx_errors = st.rx_errors;
		l->tx_errors = st.tx_errors;
	}
	if (tb[IFLA_LINKINFO] &&
	    mnl_attr_parse_nested(tb[IFLA_LINKINFO], link_attr, info) == MNL_CB_OK &&
	    info[IFLA_INFO_KIND])
		snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(info[IFLA_INFO_KIND]));
	return 1;
}

int
nl_links(struct nl_link **out)
{
	struct dump_ctx d = { .size = sizeof(struct nl_link), .parse = parse_link };
	int n = dump(RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), &d);

	*out = d.rows;
	return n;
}

static int
addr_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t <= IFA_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static int
parse_addr4(const struct nlmsghdr *h, void *row)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(h);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	struct nl_addr4 *a = row;

	if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET ||
	    mnl_attr_parse(h, sizeof(*ifa), addr_attr, tb) != MNL_CB_OK || !tb[IFA_LOCAL] ||
	    mnl_attr_get_payload_len(tb[IFA_LOCAL]) != 4)
		return 0;
	a->index = (int)ifa->ifa_index;
	a->len = ifa->ifa_prefixlen;
	a->local = ntohl(*(const uint32_t *)mnl_attr_get_payload(tb[IFA_LOCAL]));
	if (tb[IFA_PROTO])
		a->proto = mnl_attr_get_u8(tb[IFA_PROTO]);
	return 1;
}

int
nl_addrs4(struct nl_addr4 **out)
{
	struct dump_ctx d = { .size = sizeof(struct nl_addr4), .parse = parse_addr4 };
	int n = dump(RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg), &d);

	*out = d.rows;
	return n;
}

static int
route_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t <= RTA_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static uint32_t
attr_ip4(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 4 ?
	       ntohl(*(const uint32_t *)mnl_attr_get_payload(a)) : 0;
}

static int
parse_route4(const struct nlmsghdr *h, void *row)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(h);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct nl_route4 *r = row;

	if (h->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != AF_INET ||
	    mnl_attr_parse(h, sizeof(*rt), route_attr, tb) != MNL_CB_OK)
		return 0;
	r->dst = attr_ip4(tb[RTA_DST]);
	r->len = rt->rtm_dst_len;
	r->gw = attr_ip4(tb[RTA_GATEWAY]);
	r->oif = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	r->metric = tb[RTA_PRIORITY] ? (int)mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	r->table = tb[RTA_TABLE] ? (int)mnl_attr_get_u32(tb[RTA_TABLE]) : rt->rtm_table;
	r->proto = rt->rtm_protocol;
	r->type = rt->rtm_type == RTN_UNICAST ? 0 : rt->rtm_type;
	return 1;
}

int
nl_routes4(struct nl_route4 **out)
{
	struct dump_ctx d = { .size = sizeof(struct nl_route4), .parse = parse_route4 };
	int n = dump(RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), &d);

	*out = d.rows;
	return n;
}

int
nl_addr4_marked(int index, uint32_t local, int len, int proto, int add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint32_t l = htonl(local);

	h->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	/* EXCL: an address someone else put there stays theirs */
	if (add)
		h->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(h, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)len;
	ifa->ifa_index = (unsigned)index;
	mnl_attr_put(h, IFA_LOCAL, 4, &l);
	mnl_attr_put(h, IFA_ADDRESS, 4, &l);
	if (add && len < 31) {
		uint32_t b = htonl(local | (0xffffffffu >> len));

		mnl_attr_put(h, IFA_BROADCAST, 4, &b);
	}
	if (add && proto)
		mnl_attr_put_u8(h, IFA_PROTO, (uint8_t)proto);
	return talk(h) ? -errno_of_last() : 0;
}

int
nl_route4_marked(const struct nl_route4 *r, int add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtmsg *rt;
	uint32_t d = htonl(r->dst), g = htonl(r->gw);

	h->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	if (add)
		h->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	rt = mnl_nlmsg_put_extra_header(h, sizeof(*rt));
	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = (uint8_t)r->len;
	rt->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rt->rtm_protocol = (uint8_t)r->proto;
	rt->rtm_scope = r->gw || r->type ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rt->rtm_type = r->type ? (uint8_t)r->type : RTN_UNICAST;
	mnl_attr_put_u32(h, RTA_TABLE, (uint32_t)r->table);
	mnl_attr_put(h, RTA_DST, 4, &d);
	if (r->gw)
		mnl_attr_put(h, RTA_GATEWAY, 4, &g);
	if (r->oif)
		mnl_attr_put_u32(h, RTA_OIF, (uint32_t)r->oif);
	mnl_attr_put_u32(h, RTA_PRIORITY, (uint32_t)r->metric);
	return talk(h) ? -errno_of_last() : 0;
}

/* ---- notifications: links and IPv4 addresses coming and going ---- */

static struct mnl_socket *watch;

int
nl_watch_open(void)
{
	if (watch)
		return mnl_socket_get_fd(watch);
	if (!(watch = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC)) ||
	    mnl_socket_bind(watch, RTMGRP_LINK | RTMGRP_IPV4_IFADDR, MNL_SOCKET_AUTOPID)) {
		snprintf(lasterr, sizeof(lasterr), "netlink notifications: %s", strerror(errno));
		if (watch)
			mnl_socket_close(watch);
		watch = NULL;
		return -1;
	}
	return mnl_socket_get_fd(watch);
}

/* A notification about a dynamic tunnel interface ("<ovpn-user>", made and
 * removed with each connection) does not count: the configuration can not
 * name those, and a server with many clients would otherwise have the
 * whole table read again many times a second. */
static int
watch_cb(const struct nlmsghdr *h, void *data)
{
	char name[IF_NAMESIZE + 1] = "";
	int *events = data;

	if (h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK) {
		const struct nlattr *tb[IFLA_MAX + 1] = { 0 };

		if (mnl_attr_parse(h, sizeof(struct ifinfomsg), link_attr, tb) == MNL_CB_OK &&
		    tb[IFLA_IFNAME])
			snprintf(name, sizeof(name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	} else if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(h);

		if (!if_indextoname(ifa->ifa_index, name))
			name[0] = 0;
	}
	if (name[0] != '<')
		(*events)++;
	return MNL_CB_OK;
}

/* Read every pending notification; the count tells the caller something
 * changed (what changed is read afresh from the kernel). An overrun
 * (ENOBUFS) also counts: events were lost, so look again. */
int
nl_watch_drain(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int events = 0;
	ssize_t n;

	while (watch && (n = mnl_socket_recvfrom(watch, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == ENOBUFS)
				events++;
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			break;
		}
		if (mnl_cb_run(buf, (size_t)n, 0, 0, watch_cb, &events) < 0)
			events++;	/* unreadable: look again to be safe */
	}
	return events;
}

void
nl_watch_close(void)
{
	if (watch)
		mnl_socket_close(watch);
	watch = NULL;
}
