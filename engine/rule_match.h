/* rule_match.h: the matchers /ip firewall nat and filter items share
 * (protocol, addresses, ports, interfaces), read from an item and bounded. */
#ifndef RULE_MATCH_H
#define RULE_MATCH_H

#include "configdb.h"
#include "net/nft.h"

#define RULE_MAX_PORT_ITEMS 64	/* elements of one port list */

/* "80,443,1000-2000" into at most max ranges; the count or -1. */
int rule_parse_ports(const char *s, struct nat_range *out, int max);
/* "80" or "1000-2000", the whole text; 0 or -1. */
int rule_parse_port_range(const char *s, struct nat_range *r);
/* ip4-range canonical text: "a", "a-b" or "a/len"; 0 or -1. */
int rule_parse_addr_range(const char *s, struct nat_range *r);
int rule_proto_number(const char *name);	/* IPPROTO_*, 0 unknown */

/* The kernel's name for an interface name the admin gave (the engine
 * sets it: /interface ethernet names are aliases); NULL: the same name. */
extern const char *(*rule_iface_map)(const char *name);

/* protocol, src-address, dst-address, in-interface, out-interface of the
 * item into x, its dst-port list into dports (*ndports elements, 0 none).
 * NULL, or why the item can not be applied. */
const char *rule_match_read(const struct cdb_menu *m, const struct cdb_item *it,
			    struct nft_match *x, struct nat_range *dports, int *ndports);

#endif
