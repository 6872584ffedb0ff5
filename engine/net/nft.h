/* nft.h: our own nftables tables, "ip rosh" (NAT) and "ip rosh-filter"
 * (/ip firewall filter and address-list), each written whole in one batch
 * through libnftnl, so a change is atomic: the kernel takes all of it or
 * keeps what it had. Linux alone: no configuration here. */
#ifndef NFT_H
#define NFT_H

#include <stddef.h>
#include <stdint.h>

#define NFT_TABLE_ROSH "rosh"
#define NFT_TABLE_FILTER "rosh-filter"
#define NFT_SET_NAME 32		/* room for a set's name, "al" and a number */
#define NFT_IFNOT_MAX 16	/* interfaces one rule may exclude (in-interface-list=!LAN) */

#define NFT_CHAIN_LEN 64		/* a chain's name and its NUL */

/* srcnat and dstnat are the base chains; the admin's own are reached by jump */
enum nat_chain { NAT_SRCNAT, NAT_DSTNAT, NAT_CUSTOM };
enum nat_action {
	NAT_ACCEPT,		/* stop here, no translation */
	NAT_RETURN,		/* leave the chain: the same as accept in a base chain */
	NAT_PASSTHROUGH,	/* count and go on to the next rule */
	NAT_MASQUERADE,
	NAT_SRC_NAT,
	NAT_DST_NAT,
	NAT_REDIRECT,
	NAT_JUMP,		/* to jump, an admin's chain */
};

struct nat_range {
	int set;
	uint32_t lo, hi;		/* host order, inclusive */
};

/* What NAT and filter rules both match. A RouterOS rule becomes one
 * nftables rule per port element, so a match holds one port range each. */
struct nft_match {
	struct nat_range src, dst;	/* addresses */
	int proto;			/* IPPROTO_*, 0 any */
	struct nat_range sport, dport;	/* ports */
	char iif[16], oif[16];		/* kernel interface names, "" any; "x*": any name starting with x */
	char iif_not[NFT_IFNOT_MAX][16];	/* names the interface is none of, "" ends */
	char oif_not[NFT_IFNOT_MAX][16];
	char src_set[NFT_SET_NAME], dst_set[NFT_SET_NAME];	/* address lists, "" any */
	int src_set_not, dst_set_not;	/* not in the list (RouterOS "!list") */
	/* a list rules add to has a second set, of the kernel's dynamic
	 * entries: "" none; a rule that must be in the list is written twice,
	 * in the first set, and (in_dset) not in it but in the second */
	char src_dset[NFT_SET_NAME], dst_dset[NFT_SET_NAME];
	int src_in_dset, dst_in_dset;
};

struct nat_rule {
	enum nat_chain chain;
	char chain_name[NFT_CHAIN_LEN];	/* srcnat, dstnat or the admin's */
	char jump[NFT_CHAIN_LEN];
	long long item;			/* the item it came from */
	enum nat_action action;
	struct nft_match m;
	struct nat_range to_addr, to_port;
};

enum filter_action {
	FILTER_ACCEPT,
	FILTER_DROP,
	FILTER_REJECT,
	FILTER_JUMP,
	FILTER_RETURN,
	FILTER_LOG,		/* log and go on */
	FILTER_PASSTHROUGH,	/* count and go on */
	FILTER_ADD_SRC,		/* the source joins a dynamic set, and go on */
	FILTER_ADD_DST,		/* the destination does */
};

#define FILTER_CHAIN_LEN NFT_CHAIN_LEN

/* One rule of the filter table. */
struct filter_rule {
	char chain[FILTER_CHAIN_LEN];	/* input, forward, output, or one of the admin's */
	enum filter_action action;
	struct nft_match m;
	uint32_t ct_state, ct_status;	/* masks: any bit set matches; 0 any */
	uint32_t ct_status_not;		/* mask: every bit clear */
	int icmp_type, icmp_code;	/* -1 any */
	uint8_t tcp_mask, tcp_bits;	/* (flags & mask) == bits; mask 0 any */
	int ct_mark;			/* connection-mark: 1 no-mark (mark 0), -1 !no-mark, 0 any */
	int src_type, dst_type;		/* address type (RTN_LOCAL...), 0 any */
	int src_type_not, dst_type_not;	/* any type but that one */
	struct nat_range len;		/* IP packet length */
	int len_not;			/* outside that range */
	uint64_t limit_rate, limit_unit;	/* packets per unit seconds; rate 0 none */
	uint32_t limit_burst;
	int reject_type, reject_code;	/* NFT_REJECT_*, ICMP code */
	char jump[FILTER_CHAIN_LEN];
	int log;			/* log before the action */
	char log_prefix[64];
	char add_set[NFT_SET_NAME];	/* FILTER_ADD_*: the list's dynamic set */
	uint64_t add_timeout_ms;	/* how long the entry stays; 0 until a restart */
	int time_set;			/* time=: the kernel's day and UTC second of day */
	uint8_t day_lo, day_hi;		/* 0 Sunday .. 6, inclusive */
	uint32_t sec_lo, sec_hi;	/* 0 .. 86399, inclusive */
	long long item;			/* the item it came from, kept in the rule's userdata */
};

/* An address list as an interval set: ranges in any order, overlapping
 * or not (they are merged here). */
struct nft_set_def {
	char name[NFT_SET_NAME];
	struct nat_range *ranges;
	int n;
};

/* A list's set of dynamic entries, which rules add to: a hash set with
 * timeouts, named ad<N>, its comment the list's name. The entries the
 * kernel held are written again with the time they had left when the
 * table is rewritten. */
struct nft_dyn_entry {
	uint32_t addr;			/* host order */
	uint64_t left_ms;		/* time left; 0 none (until a restart) */
};

struct nft_dyn_def {
	char name[NFT_SET_NAME];
	char list[64];
	struct nft_dyn_entry *e;
	int n;
};

#define NFT_DYN_SET_SIZE 65536		/* entries one dynamic set holds at most */

/* Replace the whole table with these rules (in order); 0, or -1 with err
 * and *bad the index of the rule the kernel refused (-1: not a rule). */
int nft_nat_replace(const struct nat_rule *r, int n, int *bad, char *err, size_t errlen);
/* Remove the table if it exists; 0 or -1 with err. */
int nft_nat_remove(char *err, size_t errlen);

/* The filter table: base chains input, forward and output, the admin's
 * chains (every chain a rule is in or jumps to), the sets, the rules in
 * order. The same answers as nft_nat_replace. */
int nft_filter_replace(const struct nft_set_def *sets, int nsets, const struct nft_dyn_def *dsets,
		       int ndsets, const struct filter_rule *r, int n, int *bad, char *err,
		       size_t errlen);
/* The entries of every dynamic set of the filter table: fn per entry with
 * the list's name (from the set's comment). 0 (also with no table) or -1. */
int nft_filter_dynamic(void (*fn)(void *ctx, const char *list, const struct nft_dyn_entry *e),
		       void *ctx);
int nft_filter_remove(char *err, size_t errlen);
/* Each rule's counter, with the item it came from: fn per rule. 0 or -1. */
int nft_filter_counters(void (*fn)(void *ctx, long long item, uint64_t bytes, uint64_t packets),
			void *ctx);

#endif
