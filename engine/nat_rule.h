/* nat_rule.h: a /ip firewall nat item as the rules nft.c writes. */
#ifndef NAT_RULE_H
#define NAT_RULE_H

#include "configdb.h"
#include "net/nft.h"

/* Append the item's rules (one per dst-port element) to *r (realloc'd,
 * *n counts them); NULL, or why the item can not be applied (nothing is
 * appended then). */
const char *nat_rule_expand(const struct cdb_menu *m, const struct cdb_item *it,
			    struct nat_rule **r, int *n);

/* Whether a rule may run in a chain reached from base (srcnat or dstnat):
 * NULL, or why not. */
const char *nat_rule_check_in(const struct nat_rule *x, enum nat_chain base);

#endif
