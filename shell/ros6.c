/* ros6.c: RouterOS 6 ways of writing what RouterOS 7 writes otherwise, as
 * real exports and guides have them: enabled= as the inverse of disabled=,
 * and a list menu that RouterOS 6 had as one settings item (the OVPN
 * server) acting on its default item when a command names none. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "ros6.h"

int
sh_enabled_prop(const struct cdb_menu *m, const char *name)
{
	const struct cdb_prop *d = cdb_prop_find(m, "disabled");

	return !strcmp(name, "enabled") && !cdb_prop_find(m, "enabled") && d &&
	       d->ntypes == 1 && d->types[0] == T_BOOL;
}

/* yes and no swapped; NULL for anything else. */
static const char *
inverse(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true"))
		return "no";
	if (!strcmp(v, "no") || !strcmp(v, "false"))
		return "yes";
	return NULL;
}

int
sh_enabled_args(struct cmdctx *c)
{
	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		const char *inv;

		if (!a->name || !sh_enabled_prop(c->m, a->name))
			continue;
		if (arg_find(c, "disabled"))
			return sh_fail(c->sh, a->pos, "enabled and disabled given together");
		inv = a->unset ? "" : inverse(val_text(&a->v));
		if (!inv)
			return sh_fail(c->sh, a->pos, "value of enabled must be yes or no");
		free(a->name);
		a->name = strdup("disabled");
		if (!a->unset)
			val_str(&a->v, inv);
	}
	return 0;
}

long long
sh_default_item(struct sh *sh, const struct cdb_menu *m)
{
	return m->kind == M_LIST && m->default_item ?
		cdb_item_by_key(sh->db, m, m->default_item) : 0;
}
