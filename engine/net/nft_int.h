/* nft_int.h: what the NAT table (nft.c) and the filter table (nft_filter.c)
 * share: one batch of nftables messages sent as a transaction
 * (nft_batch.c), and the expressions a rule is made of, with the matches
 * both kinds of rule have (nft_expr.c). Inside engine/net/ only. */
#ifndef NFT_INT_H
#define NFT_INT_H

#include <stdint.h>

#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>

#include "nft.h"

struct batch {
	struct mnl_nlmsg_batch *b;
	char *buf;
	uint32_t seq, first;		/* seq of the first acked message */
	int nacked;			/* messages that ask for an ack */
};

/* A filter rule's comment: this, then its item's id in hex. */
#define NFT_ITEM_COMMENT "rosh *"

/* nft_batch.c */
struct nlmsghdr *nft_msg(struct batch *bt, int type, int flags);
int nft_put(struct batch *bt);	/* 0, or -1 when the batch is full */
/* A batch of room bytes begun, with "table made sure of, then deleted":
 * deleting never fails for a missing table. 0 or -1. */
int nft_begin(struct batch *bt, size_t room, const char *table);
int nft_table(struct batch *bt, const char *name, int type, int flags);
/* End, send, read the answers, free. 0, or -1 with err and *bad_seq the
 * sequence number of the refused message (0 when none). */
int nft_send(struct batch *bt, uint32_t *bad_seq, char *err, size_t errlen);
void nft_batch_free(struct batch *bt);

/* nft_expr.c: expressions appended to a rule; a failed allocation sets
 * nft_expr_failed, and the rule is then left out whole */
extern int nft_expr_failed;
struct nftnl_expr *nft_expr(const char *name);
void nft_add(struct nftnl_rule *r, struct nftnl_expr *e);
void nft_payload(struct nftnl_rule *r, uint32_t base, uint32_t offset, uint32_t len);
void nft_meta(struct nftnl_rule *r, uint32_t key);
void nft_cmp(struct nftnl_rule *r, int op, const void *data, uint32_t len);
void nft_range(struct nftnl_rule *r, const void *lo, const void *hi, uint32_t len);
void nft_range_op(struct nftnl_rule *r, int op, const void *lo, const void *hi, uint32_t len);
/* reg1 & mask compared (NFT_CMP_EQ, NFT_CMP_NEQ) with value; mask and value
 * in the register's byte order, len bytes of them */
void nft_bits(struct nftnl_rule *r, uint32_t mask, int op, uint32_t value, uint32_t len);
/* reg1, a number in host order, into network order: range and ordered
 * cmp compare bytes, so a host-order meta value must be turned first */
void nft_hton(struct nftnl_rule *r, uint32_t len);
void nft_immediate(struct nftnl_rule *r, uint32_t reg, const void *data, uint32_t len);
void nft_verdict(struct nftnl_rule *r, int v, const char *chain);
/* The matches of struct nft_match, in a rule of either table. */
void nft_match_emit(struct nftnl_rule *r, const struct nft_match *m);

#endif
