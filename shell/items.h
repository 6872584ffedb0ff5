/* items.h: the items a command acts on: named by reference or print number
 * (items.c), chosen by a where expression (where.c), listed as commands see
 * them (listing.c), and set as the system (set_system.c). */
#ifndef ITEMS_H
#define ITEMS_H

#include "cmd.h"

/* items.c: item references and print numbers */
int sh_items(struct sh *sh, size_t pos, const struct cdb_menu *m, struct val *ref,
	     long long **ids, int *n);
void sh_set_numbers(struct sh *sh, const struct cdb_menu *m, const long long *ids, int n);
void sh_free_numbers(struct sh *sh);

/* where.c: where expressions over items */
struct where;
int where_parse(struct sh *sh, struct src *s, const struct cdb_menu *m, struct where **w);
int where_match(struct sh *sh, const struct where *w, const struct cdb_menu *m,
		const struct cdb_item *it);
void where_free(struct where *w);

/* listing.c: the items of a menu as commands see them */
int sh_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	    struct cdb_err *e);
int sh_filter_items(struct cmdctx *c, struct cdb_item_list *l);

/* set_system.c: set values the admin may not (read-only facts an action
 * computes) */
int sh_set_system(struct cmdctx *c, long long id, const struct cdb_kv *kv, int n);

#endif
