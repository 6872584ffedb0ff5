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

/* The members of an interface list, as kernel names ("x*": any name
 * starting with x, "*": every interface), into out; *inverse set when the
 * list is every interface but those (static). The count, or -1 with *why.
 * The engine sets it (iface_list.c); NULL: no lists. */
#define RULE_MAX_IFLIST 16
extern int (*rule_iflist_members)(const char *list, char (*out)[16], int max, int *inverse,
				  const char **why);

/* in-interface-list or out-interface-list of one rule: a rule is copied
 * once for each name of a list it must be in (the count n), or matches
 * nothing at all (an empty list, none, !all). */
struct rule_iflist {
	int nothing;
	int n;
	char name[RULE_MAX_IFLIST][16];
};

/* protocol, src-address, dst-address, in-interface, out-interface and the
 * interface lists of the item into x (lists it must be in into in and
 * out, for rule_iflist_expand), its dst-port list into dports (*ndports
 * elements, 0 none). NULL, or why the item can not be applied. */
const char *rule_match_read(const struct cdb_menu *m, const struct cdb_item *it,
			    struct nft_match *x, struct nat_range *dports, int *ndports,
			    struct rule_iflist *in, struct rule_iflist *out);

/* The rules (*r)[start..*n), each of size bytes with its match at moff,
 * copied for every name of in and out (or dropped when one matches
 * nothing). NULL, or why not (the rules from start are dropped). */
#define RULE_MAX_EXPANDED 1024
const char *rule_iflist_expand(void **r, int start, int *n, size_t size, size_t moff,
		       const struct rule_iflist *in, const struct rule_iflist *out);

#endif
