/* netlink.h: links, addresses and routes through rtnetlink (libmnl). */
#ifndef NETLINK_H
#define NETLINK_H

#include <stdint.h>

int nl_open(void);
void nl_close(void);
int nl_ifindex(const char *name);
/* bring a link up (or down) and set its MTU (0: leave it) */
int nl_link_set(const char *name, int up, int mtu);
int nl_link_mac(const char *name, const uint8_t mac[6]);
/* "AA:BB:CC:DD:EE:FF" as the schema stores it; 0, or -1 (also for NULL). */
int nl_parse_mac(const char *s, uint8_t mac[6]);
/* IPv4 address local/len on ifname; peer (0: none) for point-to-point */
int nl_addr4(const char *ifname, uint32_t local, int len, uint32_t peer, int add);
int nl_addr6(const char *ifname, const uint8_t addr[16], int len, int add);
/* IPv4 route dst/len via gw (0: through the interface itself) on ifname,
 * in table (254 main), with metric */
int nl_route4(const char *ifname, uint32_t dst, int len, uint32_t gw, int table, int metric,
	      int add);
int nl_route6(const char *ifname, const uint8_t dst[16], int len, int add);
const char *nl_error(void);

/* Protocol number marking the routes and addresses roshd puts in the
 * kernel (rtm_protocol, IFA_PROTO), so it never removes anyone else's and
 * can find its own again after a crash. */
#define NL_PROTO_ROSH 82

struct nl_link {
	int index;
	char name[16];
	unsigned flags;			/* IFF_UP, IFF_RUNNING... */
	int mtu;
	char kind[16];			/* "veth", "tun", "" for plain devices */
	uint8_t mac[6];
	int has_mac;
	/* the kernel's counters (IFLA_STATS64): what /interface shows */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
};

struct nl_addr4 {
	int index;			/* interface */
	uint32_t local;			/* host order */
	int len;
	int proto;			/* IFA_PROTO, 0 when unmarked */
};

struct nl_route4 {
	uint32_t dst;			/* host order */
	int len;
	uint32_t gw;			/* 0: through the interface itself */
	int oif;			/* 0: the kernel chooses from gw */
	int metric;
	int table;
	int proto;
	int type;			/* RTN_BLACKHOLE...; 0: unicast */
};

/* Listings: number of rows put in *out (malloc'd, caller frees), or -1. */
int nl_links(struct nl_link **out);
int nl_addrs4(struct nl_addr4 **out);
int nl_routes4(struct nl_route4 **out);
/* Add (exclusively: an existing one is -EEXIST) or remove an address or a
 * route, marked with proto; 0 or -errno. */
int nl_addr4_marked(int index, uint32_t local, int len, int proto, int add);
int nl_route4_marked(const struct nl_route4 *r, int add);
/* A non-blocking socket told of link and IPv4 address changes: its fd, or -1. */
int nl_watch_open(void);
int nl_watch_drain(void);	/* notifications read (0: none) */
void nl_watch_close(void);

#endif
