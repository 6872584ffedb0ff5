/* ip.h: the /ip menus applied to the system: addresses and routes through
 * rtnetlink, NAT rules through nftables, DNS servers into the resolver
 * file. Each is reconciled whole from the configuration and the kernel's
 * own listing, so a commit, an interface that comes or goes and a restart
 * of roshd all take the same path. */
#ifndef ENGINE_IP_H
#define ENGINE_IP_H

#include "engine.h"
#include "net/netlink.h"

/* ip.c: the coordinator */
int ip_open(struct engine *e, const char *resolv_conf);	/* 0 or -1, errno set */
void ip_reconcile(struct engine *e);	/* after every commit */
void ip_close(struct engine *e);	/* clears the runtime flags; the kernel keeps its state */
/* Write a runtime column of a configuration item when it differs (yes or NULL). */
void ip_flag(struct engine *e, const char *menu, long long id, const char *col, int on);
/* The link an interface name means: an /interface ethernet name is an
 * alias of the kernel's (ip_link_raw takes the kernel's name only). */
const struct nl_link *ip_link_named(const struct nl_link *l, int n, const char *name);
const struct nl_link *ip_link_raw(const struct nl_link *l, int n, const char *name);

/* ethernet.c: /interface ethernet */
int ether_kind(const struct nl_link *l);	/* a network card or a veth */
/* Read the items, adopt new cards, apply mtu and disabled, report: 1 when
 * a card was adopted (its item is written with the next flush). */
int ether_refresh(struct engine *e, const struct nl_link *l, int n);
const char *ether_kernel_name(const char *name);	/* the name itself when no alias */
const char *ether_alias_of(const char *kernel, long long *id);	/* NULL: no item */
void ether_forget(void);
void iface_list_init(struct engine *e);
/* check-gateway=ping (route_check.c): between begin and end, each route
 * names the gateways it wants checked; down says one does not answer. */
void route_check_begin(void);
void route_check_want(uint32_t gw);
int route_check_down(uint32_t gw);
void route_check_end(struct engine *e);
void ip_apply_soon(struct engine *e);	/* links, addresses, routes again shortly */	/* firewall rules may name /interface list */

/* linkwatch.c: kernel interfaces shown in /interface */
void links_mirror(struct engine *e, const struct nl_link *l, int n);
void links_forget(void);
/* The kernel's counters of the links mirrored in /interface. */
void links_count(struct engine *e, const struct nl_link *l, int n);

/* ip_address.c */
void addr_apply(struct engine *e, const struct nl_link *l, int nl);
/* ip_route.c */
void route_apply(struct engine *e, const struct nl_link *l, int nl);
/* nat.c */
void nat_apply(struct engine *e);
/* dns.c */
void dns_apply(struct engine *e, const char *path);
/* For engine code that writes /ip dns dynamic-servers itself (a client with
 * use-peer-dns): its own writes are no commit roshd hears of, so it calls
 * this afterwards to bring the resolver file in step. */
void ip_dns_changed(struct engine *e);

#endif
