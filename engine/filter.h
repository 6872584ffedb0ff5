/* filter.h: /ip firewall filter and address-list applied as the nftables
 * table "ip rosh-filter" (filter.c, address_list.c). */
#ifndef FILTER_H
#define FILTER_H

#include "engine.h"
#include "filter_rule.h"

/* Address ranges of every list, each with the index of its list. */
struct filter_sets {
	struct nat_range *ranges;
	int *list_of;
	int n;
};

/* filter.c: after every commit, and when a session's dynamic entry comes
 * or goes */
void filter_apply(struct engine *e);
void filter_apply_soon(struct engine *e);	/* in a moment: sessions come in bursts */
void filter_close(struct engine *e);
/* Each rule's bytes and packets into its item, once a second. */
void filter_counters(struct engine *e);

/* address_list.c */
void address_lists_read(struct engine *e, struct filter_lists *lists, struct filter_sets *s,
			uint64_t *next_ms);
/* A PPP session came up with its profile's address-list (list, NULL or ""
 * for none): its remote address joins that list, whose name is kept in
 * held. list NULL: the session goes, and leaves the list held names. */
void address_list_session(struct engine *e, const char *list, uint32_t addr, char *held,
			  size_t heldlen);
void address_lists_forget(void);

#endif
