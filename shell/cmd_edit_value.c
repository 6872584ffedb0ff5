/* cmd_edit_value.c: edit ITEM PROPERTY (edit PROPERTY on a settings menu):
 * the value opened in the console's line editor, set when the admin
 * accepts it. Only a person at the console can edit: a script, a batch,
 * the API or REST are refused (they have set). The editor lives with the
 * console (edit_line.c, libedit); while the admin edits, the line holds no
 * lock (sh_before_wait), as at the pager. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "items.h"
#include "menu.h"

sh_editor_fn sh_value_editor;

/* The item and the property the arguments name. */
static int
edit_target(struct cmdctx *c, long long *id, const struct cdb_prop **p)
{
	int list = c->m->kind == M_LIST, n;
	struct arg *item = list ? arg_unnamed(c, 0) : NULL;
	struct arg *prop = arg_find(c, "value-name");
	long long *ids;

	if (!prop)
		prop = arg_unnamed(c, list ? 1 : 0);
	for (int i = 0; i < c->nargs; i++)
		if (&c->args[i] != item && &c->args[i] != prop)
			return sh_fail(c->sh, c->args[i].pos, c->args[i].name ?
				       "bad argument name %s" : "expected end of command",
				       c->args[i].name);
	if (list && !item)
		return sh_fail(c->sh, c->cmdpos, "missing value of numbers");
	if (!prop)
		return sh_fail(c->sh, c->cmdpos, "missing value of value-name");
	if (match_prop(c->sh, prop->pos, c->m, val_text(&prop->v), p))
		return -1;
	if (((*p)->flags & (P_READONLY | P_COMPUTED)) || (*p)->types[0] == T_PASSWORD ||
	    (((*p)->flags & P_SENSITIVE) && !cdb_may(c->sh->db, "sensitive")))
		return sh_fail(c->sh, prop->pos, "failure: %s can not be edited here; use set",
			       (*p)->name);
	*id = 1;
	if (!list)
		return 0;
	if (sh_items(c->sh, item->pos, c->m, &item->v, &ids, &n))
		return -1;
	*id = ids[0];
	free(ids);
	return n == 1 ? 0 : sh_fail(c->sh, item->pos, "failure: edit takes one item");
}

int
cmd_edit_value(struct cmdctx *c)
{
	const struct cdb_prop *p;
	struct cdb_item it;
	struct cdb_err e;
	struct cdb_kv kv;
	size_t pos = c->cmdpos;
	long long id = 0;
	char *old, *now = NULL;
	int rc;

	if (c->m->kind != M_LIST && c->m->kind != M_SINGLE)
		return sh_fail(c->sh, c->cmdpos, "bad command name edit");
	if (!sh_value_editor || !c->sh->interactive || c->sh->subst || c->sh->depth)
		return sh_fail(c->sh, c->cmdpos, "failure: edit needs a person at the console "
			       "(scripts, batches and the API use set)");
	if (edit_target(c, &id, &p))
		return -1;
	if (cdb_item_get(c->sh->db, c->m, id, &it, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	old = strdup(cdb_item_value(c->m, &it, (int)(p - c->m->props)) ?
		     cdb_item_value(c->m, &it, (int)(p - c->m->props)) : "");
	cdb_item_clear(&it);
	if (sh_before_wait(c->sh, c->cmdpos)) {
		free(old);
		return -1;
	}
	rc = sh_value_editor(c->sh, p->name, old, &now);
	if (rc == 0 && strcmp(old, now)) {
		kv = (struct cdb_kv){ p->name, now };
		if (cdb_item_set(c->sh->db, c->m, id, &kv, 1, &e))
			rc = sh_apply_error(c, &e, &kv, &pos);
	} else if (rc > 0)
		rc = 0;		/* left without a change */
	free(old);
	free(now);
	return rc;
}
