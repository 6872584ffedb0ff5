/* nft.h: our own nftables table, "ip rosh", written whole in one batch
 * through libnftnl, so a change is atomic: the kernel takes all of it or
 * keeps what it had. Linux alone: no configuration here. */
#ifndef NFT_H
#define NFT_H

#include <stddef.h>
#include <stdint.h>

#define NFT_TABLE_ROSH "rosh"

enum nat_chain { NAT_SRCNAT, NAT_DSTNAT };
enum nat_action {
	NAT_ACCEPT,		/* stop here, no translation */
	NAT_RETURN,		/* leave the chain: the same as accept in a base chain */
	NAT_PASSTHROUGH,	/* count and go on to the next rule */
	NAT_MASQUERADE,
	NAT_SRC_NAT,
	NAT_DST_NAT,
	NAT_REDIRECT,
};

struct nat_range {
	int set;
	uint32_t lo, hi;		/* host order, inclusive */
};

/* One nftables rule: a RouterOS rule becomes one per dst-port element. */
struct nat_rule {
	enum nat_chain chain;
	enum nat_action action;
	struct nat_range src, dst;	/* addresses */
	int proto;			/* IPPROTO_*, 0 any */
	struct nat_range dport;		/* ports */
	char iif[16], oif[16];		/* interface names, "" any */
	struct nat_range to_addr, to_port;
};

/* Replace the whole table with these rules (in order); 0, or -1 with err
 * and *bad the index of the rule the kernel refused (-1: not a rule). */
int nft_nat_replace(const struct nat_rule *r, int n, int *bad, char *err, size_t errlen);
/* Remove the table if it exists; 0 or -1 with err. */
int nft_nat_remove(char *err, size_t errlen);

#endif
