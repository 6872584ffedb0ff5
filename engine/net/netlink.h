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
/* IPv4 address local/len on ifname; peer (0: none) for point-to-point */
int nl_addr4(const char *ifname, uint32_t local, int len, uint32_t peer, int add);
int nl_addr6(const char *ifname, const uint8_t addr[16], int len, int add);
/* IPv4 route dst/len via gw (0: through the interface itself) on ifname,
 * in table (254 main), with metric */
int nl_route4(const char *ifname, uint32_t dst, int len, uint32_t gw, int table, int metric,
	      int add);
int nl_route6(const char *ifname, const uint8_t dst[16], int len, int add);
const char *nl_error(void);

#endif
