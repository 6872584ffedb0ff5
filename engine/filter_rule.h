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
	int n;
};
int filter_list_index(struct filter_lists *l, const char *name);
void filter_list_set_name(int index, char out[NFT_SET_NAME]);

/* Append the item's rules (one per port element) to *r (realloc'd, *n
 * counts them); NULL, or why the item can not be applied (nothing is
 * appended then). */
const char *filter_rule_expand(const struct cdb_menu *m, const struct cdb_item *it,
			       struct filter_lists *lists, struct filter_rule **r, int *n);

#endif
