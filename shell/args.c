/* args.c: the arguments of a command as typed: find one by name or place,
 * refuse those a command does not take, and show a configdb failure at the
 * argument it is about. */
#include <string.h>

#include "args.h"

struct arg *
arg_find(struct cmdctx *c, const char *name)
{
	for (int i = 0; i < c->nargs; i++)
		if (c->args[i].name && !c->args[i].unset && !strcmp(c->args[i].name, name))
			return &c->args[i];
	return NULL;
}

struct arg *
arg_unnamed(struct cmdctx *c, int nth)
{
	for (int i = 0; i < c->nargs; i++)
		if (!c->args[i].name && nth-- == 0)
			return &c->args[i];
	return NULL;
}

/* Refuse named arguments outside allowed, and unnamed ones beyond max. */
int
sh_only_args(struct cmdctx *c, const char *const *allowed, int max_unnamed)
{
	int unnamed = 0;

	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		int ok = 0;

		if (!a->name) {
			if (++unnamed > max_unnamed)
				return sh_fail(c->sh, a->pos, "expected end of command");
			continue;
		}
		for (int k = 0; allowed && allowed[k]; k++)
			ok |= !strcmp(allowed[k], a->name) && !a->unset;
		if (!ok)
			return sh_fail(c->sh, a->pos, "bad argument name %s", a->name);
	}
	return 0;
}

int
sh_apply_error(struct cmdctx *c, const struct cdb_err *e, const struct cdb_kv *kv,
	       const size_t *kvpos)
{
	(void)kv;
	if (e->arg >= 0 && kvpos)
		return sh_fail(c->sh, kvpos[e->arg], "%s", e->msg);
	return sh_fail(c->sh, c->cmdpos, "%s", e->msg);
}
