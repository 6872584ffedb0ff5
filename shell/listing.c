/* listing.c: the items of a menu as print, find and get see them, filtered
 * by a where expression or by prop=value pairs given to find. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "menu.h"
#include "items.h"
#include "files.h"

int
sh_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l, struct cdb_err *e)
{
	if (m->kind == M_FILES)
		return files_list(sh, m, l, e);
	return cdb_item_list(sh->db, m, l, e);
}

/* find name=x port=1194: every pair must equal the item's value. */
static int
pairs_match(struct cmdctx *c, const struct cdb_item *it, int *bad)
{
	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		const struct cdb_prop *p;
		const char *v;
		char *canon = NULL;
		int eq;

		if (!a->name)
			continue;
		if (!strcmp(a->name, "default") || !strcmp(a->name, "dynamic")) {
			int want = !strcmp(val_text(&a->v), "yes") || !strcmp(val_text(&a->v), "true");
			int has = a->name[0] == 'd' && a->name[1] == 'e' ? it->builtin : it->dynamic;

			if (want != has)
				return 0;
			continue;
		}
		if (match_prop(c->sh, a->pos, c->m, a->name, &p)) {
			*bad = 1;
			return 0;
		}
		if ((p->flags & P_SENSITIVE) && !cdb_may(c->sh->db, "sensitive")) {
			sh_fail(c->sh, a->pos, "not enough permissions (9)");
			*bad = 1;
			return 0;
		}
		v = cdb_item_value(c->m, it, (int)(p - c->m->props));
		if (cdb_value_parse(p, val_text(&a->v), &canon, NULL))
			canon = strdup(val_text(&a->v));
		eq = v ? !strcmp(v, canon) : !*canon;
		free(canon);
		if (!eq)
			return 0;
	}
	return 1;
}

int
sh_filter_items(struct cmdctx *c, struct cdb_item_list *l)
{
	int find = !strcmp(c->cmd, "find"), n = 0, bad = 0;
	struct cdb_err e;

	if (find && arg_unnamed(c, 0))
		return sh_fail(c->sh, arg_unnamed(c, 0)->pos, "expected end of command");
	if (sh_list(c->sh, c->m, l, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	for (int i = 0; i < l->n; i++) {
		struct cdb_item *it = &l->items[i];
		int keep = (!c->where || where_match(c->sh, c->where, c->m, it)) &&
			   (!find || pairs_match(c, it, &bad));

		if (bad) {
			cdb_item_list_free(l);
			return -1;
		}
		if (!keep) {
			cdb_item_clear(it);
			continue;
		}
		if (n != i) {
			l->items[n] = *it;
			memset(it, 0, sizeof(*it));
		}
		n++;
	}
	l->n = n;
	return 0;
}
