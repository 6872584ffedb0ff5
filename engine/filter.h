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
/* Once a second: each rule's bytes and packets into its item, answers of
 * DNS lookups. */
void filter_tick(struct engine *e);

/* address_list.c */
void address_lists_read(struct engine *e, struct filter_lists *lists, struct filter_sets *s,
			uint64_t *next_ms);
/* A PPP session came up with its profile's address-list (list, NULL or ""
 * for none): its remote address joins that list, whose name is kept in
 * held. list NULL: the session goes, and leaves the list held names. */
void address_list_session(struct engine *e, const char *list, uint32_t addr, char *held,
			  size_t heldlen);
void address_lists_forget(void);
/* The sessions' entries: fn for each. */
void address_list_sessions(void (*fn)(void *ctx, const char *list, uint32_t addr), void *ctx);

/* address_dynamic.c: the dynamic entries (the sessions', and those the
 * rules added, read from the kernel when kernel is set) as D items of
 * /ip firewall address-list; once a second. */
void address_dynamic_show(struct engine *e, int kernel);
void address_dynamic_forget(struct engine *e);

/* address_names.c: DNS names of address-list entries, resolved without
 * blocking. Up to max addresses into out: their count (0 while the first
 * answer is awaited), or -1 with why. */
int address_name_lookup(const char *host, uint32_t *out, int max, const char **why);
void address_names_poll(struct engine *e);	/* once a second: answers, lookups again */
void address_names_mark(void);		/* before reading the entries */
void address_names_sweep(void);		/* after: forget names no entry has */

#endif
