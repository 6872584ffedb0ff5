/* filter_rule.h: a /ip firewall filter item as the rules nft_filter.c
 * writes. */
#ifndef FILTER_RULE_H
#define FILTER_RULE_H

#include "configdb.h"
#include "net/nft.h"

/* Address list names as the set names of the table: the index of a list
 * name, added when new; -1 when the table is full. */
struct filter_lists {
	char (*names)[64];
	unsigned char *dynamic;	/* rules add to it: it has a dynamic set too */
	int n;
};
int filter_list_index(struct filter_lists *l, const char *name);
void filter_list_set_name(int index, char out[NFT_SET_NAME]);
void filter_list_dset_name(int index, char out[NFT_SET_NAME]);	/* its dynamic set */

/* Append the item's rules (one per port element) to *r (realloc'd, *n
 * counts them); NULL, or why the item can not be applied (nothing is
 * appended then). */
const char *filter_rule_expand(const struct cdb_menu *m, const struct cdb_item *it,
			       struct filter_lists *lists, struct filter_rule **r, int *n);

/* Once every rule is expanded: a rule that must be in a list with a
 * dynamic set is written twice (nft_expr.c, match_set). NULL or why not
 * (out of memory: the rules stay as they were). */
const char *filter_rules_dynamic(const struct filter_lists *lists, struct filter_rule **r, int *n);

#endif
