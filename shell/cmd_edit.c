/* cmd_edit.c: the commands that change or read items: add, set, unset,
 * remove, enable, disable, comment, move, reset, get, find. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "args.h"
#include "files.h"
#include "items.h"
#include "menu.h"
#include "request.h"
#include "ros6.h"

/* RouterOS exports write an unset address or reference as prop=""
 * (gateway=""); an empty list of values (cipher="") stays a value, which
 * the schema may refuse. */
static int
empty_means_unset(const struct cdb_prop *p, const struct val *v)
{
	if (v->t != V_STR || !v->s || *v->s)
		return 0;
	for (int i = 0; i < p->ntypes; i++)
		switch (p->types[i]) {
		case T_IP4: case T_IP4PREFIX: case T_IP4RANGE: case T_IP6: case T_IP6PREFIX:
		case T_MAC: case T_HOST: case T_REF:
			break;
		default:
			return 0;
		}
	return !(p->flags & P_LIST);
}

/* Named arguments that are properties, in kv form. skip lists names the
 * command takes for itself (place-before, numbers...). */
static int
collect_kv(struct cmdctx *c, const char *const *skip, struct cdb_kv **kv, size_t **pos,
	   int *n)
{
	*kv = calloc(c->nargs + 1, sizeof(**kv));
	*pos = calloc(c->nargs + 1, sizeof(**pos));
	*n = 0;
	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		const struct cdb_prop *p;
		int skipped = 0;

		if (!a->name)
			continue;
		for (int k = 0; skip && skip[k]; k++)
			skipped |= !strcmp(skip[k], a->name);
		if (skipped)
			continue;
		if (match_prop(c->sh, a->pos, c->m, a->name, &p))
			return -1;
		(*kv)[*n].name = p->name;
		(*kv)[*n].value = a->unset || empty_means_unset(p, &a->v) ? NULL : val_text(&a->v);
		(*pos)[(*n)++] = a->pos;
	}
	return 0;
}

/* RouterOS writes a yes/no property that is on as its bare name (/ip
 * route add blackhole): such a word, after the unnamed arguments the
 * command takes (first), is PROP=yes. */
static void
bare_flags(struct cmdctx *c, int first)
{
	int nth = 0;

	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		const struct cdb_prop *p;

		if (a->name || nth++ < first || !a->bare || !a->v.s ||
		    !(p = cdb_prop_find(c->m, a->v.s)) || p->ntypes != 1 ||
		    p->types[0] != T_BOOL || (p->flags & P_READONLY))
			continue;
		a->name = strdup(p->name);
		val_str(&a->v, "yes");
	}
}

/* The items named by the first unnamed argument (or numbers=). */
static int
target_items(struct cmdctx *c, long long **ids, int *n)
{
	struct arg *a = arg_find(c, "numbers");

	if (!a)
		a = arg_find(c, "number");
	if (!a)
		a = arg_unnamed(c, 0);
	if (!a && sh_default_item(c->sh, c->m) > 0) {	/* RouterOS 6's single server */
		*ids = malloc(sizeof(**ids));
		**ids = sh_default_item(c->sh, c->m);
		*n = 1;
		return 0;
	}
	if (!a)
		return sh_fail(c->sh, c->cmdpos, "missing value of numbers");
	return sh_items(c->sh, a->pos, c->m, &a->v, ids, n);
}

/* RouterOS 7.17 exports add the default server it made on upgrade
 * (add name=ovpn-server1 ...): that sets ours, which a fresh database has. */
static long long
default_item_added(struct cmdctx *c)
{
	struct arg *a = c->m->key ? arg_find(c, c->m->key) : NULL;

	if (!a || !c->m->default_item || strcmp(val_text(&a->v), c->m->default_item))
		return 0;
	return sh_default_item(c->sh, c->m);
}

/* copy-from=ITEM: the item's own values for every property the command
 * does not name. Not its key (it must be unique: the admin gives a new
 * one), nor what the programs keep or compute. The values stay in it,
 * which the caller clears after the add. */
static int
copy_from(struct cmdctx *c, struct arg *a, struct cdb_item *it, struct cdb_kv **kv,
	  size_t **pos, int *n)
{
	const struct cdb_menu *m = c->m;
	struct cdb_err e;
	long long *ids;
	int nids, given = *n;

	if (m->kind != M_LIST)
		return sh_fail(c->sh, a->pos, "bad argument name copy-from");
	if (m->key && !arg_find(c, m->key))
		return sh_fail(c->sh, a->pos, "failure: %s must be given with copy-from (it is "
			       "unique to each item)", m->key);
	if (sh_items(c->sh, a->pos, m, &a->v, &ids, &nids))
		return -1;
	if (nids != 1 || cdb_item_get(c->sh->db, m, ids[0], it, &e)) {
		free(ids);
		return sh_fail(c->sh, a->pos, nids != 1 ? "failure: copy-from takes one item" :
			       "%s", e.msg);
	}
	free(ids);
	*kv = realloc(*kv, sizeof(**kv) * (given + m->nprops + 1));
	*pos = realloc(*pos, sizeof(**pos) * (given + m->nprops + 1));
	for (int i = 0; i < m->nprops; i++) {
		const struct cdb_prop *p = &m->props[i];
		int named = 0;

		for (int k = 0; k < given; k++)
			named |= !strcmp((*kv)[k].name, p->name);
		if (named || !it->v[i] || (m->key && !strcmp(p->name, m->key)) ||
		    (p->flags & (P_READONLY | P_HIDDEN | P_COMPUTED)))
			continue;
		(*kv)[*n].name = p->name;
		(*kv)[*n].value = it->v[i];
		(*pos)[(*n)++] = a->pos;
	}
	return 0;
}

int
cmd_add(struct cmdctx *c)
{
	static const char *const skip[] = { "place-before", "copy-from", NULL };
	struct cdb_item src = { 0 };
	struct cdb_kv *kv;
	struct cdb_err e;
	size_t *pos;
	long long before = 0, id, *ids;
	int n, nids, rc = -1;
	struct arg *a;

	bare_flags(c, 0);
	if (arg_unnamed(c, 0))
		return sh_fail(c->sh, arg_unnamed(c, 0)->pos, "expected end of command");
	if (collect_kv(c, skip, &kv, &pos, &n))
		goto out;
	if ((a = arg_find(c, "place-before"))) {
		if (!(c->m->flags & M_ORDERED)) {
			sh_fail(c->sh, a->pos, "bad argument name place-before");
			goto out;
		}
		if (sh_items(c->sh, a->pos, c->m, &a->v, &ids, &nids))
			goto out;
		before = ids[0];
		free(ids);
	}
	if ((a = arg_find(c, "copy-from")) && copy_from(c, a, &src, &kv, &pos, &n))
		goto out;
	if ((id = default_item_added(c)) > 0) {
		if (cdb_item_set(c->sh->db, c->m, id, kv, n, &e)) {
			sh_apply_error(c, &e, kv, pos);
			goto out;
		}
	} else if (cdb_item_add(c->sh->db, c->m, kv, n, before, &id, &e)) {
		sh_apply_error(c, &e, kv, pos);
		goto out;
	}
	val_id(c->ret, id);
	rc = 0;
out:
	cdb_item_clear(&src);
	free(kv);
	free(pos);
	return rc;
}

/* set/unset/enable/disable/comment all come here with their kv pairs. */
static int
set_items(struct cmdctx *c, struct cdb_kv *kv, size_t *pos, int n)
{
	struct cdb_err e;
	long long *ids = NULL, single = 1;
	int nids = 1, rc = 0;

	if (c->m->kind == M_SINGLE)
		ids = &single;
	else if (c->m->kind != M_LIST)
		return sh_fail(c->sh, c->cmdpos, "failure: items here can not be changed");
	else if (target_items(c, &ids, &nids))
		return -1;
	for (int i = 0; i < nids && !rc; i++)
		if (cdb_item_set(c->sh->db, c->m, ids[i], kv, n, &e))
			rc = sh_apply_error(c, &e, kv, pos);
	if (ids != &single)
		free(ids);
	return rc;
}

int
cmd_set(struct cmdctx *c)
{
	static const char *const skip[] = { "numbers", NULL };
	struct cdb_kv *kv;
	size_t *pos;
	int n, rc;

	bare_flags(c, c->m->kind == M_LIST ? 1 : 0);
	if (arg_unnamed(c, c->m->kind == M_LIST ? 1 : 0))
		return sh_fail(c->sh, arg_unnamed(c, c->m->kind == M_LIST ? 1 : 0)->pos,
			       "expected end of command");
	rc = collect_kv(c, skip, &kv, &pos, &n) ? -1 : set_items(c, kv, pos, n);
	free(kv);
	free(pos);
	return rc;
}

/* unset ITEMS value-name=PROP, or unset ITEMS PROP (and unset PROP on a
 * single menu). */
int
cmd_unset(struct cmdctx *c)
{
	int first = c->m->kind == M_LIST ? 1 : 0, n = 0, rc;
	struct cdb_kv kv[64];
	size_t pos[64];

	for (int i = 0; i < c->nargs && n < 64; i++) {
		struct arg *a = &c->args[i];
		const struct cdb_prop *p;

		if (!a->name && first-- > 0)
			continue;
		if (a->name && strcmp(a->name, "value-name") && strcmp(a->name, "numbers"))
			return sh_fail(c->sh, a->pos, "bad argument name %s", a->name);
		if (a->name && !strcmp(a->name, "numbers"))
			continue;
		if (match_prop(c->sh, a->pos, c->m, val_text(&a->v), &p))
			return -1;
		kv[n].name = p->name;
		kv[n].value = NULL;
		pos[n++] = a->pos;
	}
	if (!n)
		return sh_fail(c->sh, c->cmdpos, "missing value of value-name");
	rc = set_items(c, kv, pos, n);
	return rc;
}

static int
set_disabled(struct cmdctx *c, const char *v)
{
	struct cdb_kv kv = { "disabled", v };
	size_t pos = c->cmdpos;

	if (!(c->m->flags & M_DISABLE))
		return sh_fail(c->sh, c->cmdpos, "bad command name %s", c->cmd);
	if (sh_only_args(c, NULL, 1))
		return -1;
	return set_items(c, &kv, &pos, 1);
}

int
cmd_enable(struct cmdctx *c)
{
	return set_disabled(c, "no");
}

int
cmd_disable(struct cmdctx *c)
{
	return set_disabled(c, "yes");
}

int
cmd_comment(struct cmdctx *c)
{
	static const char *const allowed[] = { "comment", NULL };
	struct arg *a = arg_find(c, "comment");
	struct cdb_kv kv = { "comment", NULL };
	size_t pos;

	if (!(c->m->flags & M_COMMENT))
		return sh_fail(c->sh, c->cmdpos, "bad command name comment");
	if (sh_only_args(c, allowed, a ? 1 : 2))
		return -1;
	if (!a)
		a = arg_unnamed(c, 1);
	if (!a)
		return sh_fail(c->sh, c->cmdpos, "missing value of comment");
	kv.value = val_text(&a->v);
	pos = a->pos;
	return set_items(c, &kv, &pos, 1);
}

int
cmd_reset(struct cmdctx *c)
{
	struct cdb_kv *kv = calloc(c->m->nprops + 1, sizeof(*kv));
	size_t *pos = calloc(c->m->nprops + 1, sizeof(*pos));
	int n = 0, rc;

	if (sh_only_args(c, NULL, 0)) {
		free(kv);
		free(pos);
		return -1;
	}
	for (int i = 0; i < c->m->nprops; i++)
		if (!(c->m->props[i].flags & P_READONLY)) {
			kv[n].name = c->m->props[i].name;
			pos[n++] = c->cmdpos;
		}
	rc = set_items(c, kv, pos, n);
	free(kv);
	free(pos);
	return rc;
}

/* Items of the set may refer to each other: remove in passes, each taking
 * what nothing left refers to, until all are gone or a pass takes none. */
int
cmd_remove(struct cmdctx *c)
{
	struct cdb_err e;
	long long *ids;
	int n, left, rc = 0;

	if (sh_only_args(c, (const char *const[]){ "numbers", NULL }, 1))
		return -1;
	if (c->m->kind == M_FILES)
		return files_remove(c);
	if (c->m->kind != M_LIST)
		return sh_fail(c->sh, c->cmdpos, "bad command name remove");
	if (target_items(c, &ids, &n))
		return -1;
	for (left = n; left > 0 && !rc;) {
		int taken = 0;

		for (int i = 0; i < n; i++)
			if (ids[i] && cdb_item_remove(c->sh->db, c->m, ids[i], &e) == 0) {
				ids[i] = 0;
				taken++;
			}
		left -= taken;
		if (left && !taken) {
			for (int i = 0; i < n && !rc; i++)
				if (ids[i] && cdb_item_remove(c->sh->db, c->m, ids[i], &e))
					rc = sh_fail(c->sh, c->cmdpos, "%s", e.msg);
		}
	}
	free(ids);
	return rc;
}

int
cmd_move(struct cmdctx *c)
{
	struct arg *dst = arg_find(c, "destination");
	struct cdb_err e;
	long long *ids, *to = NULL, before = 0;
	int n, nto, rc = 0;

	if (sh_only_args(c, (const char *const[]){ "numbers", "destination", NULL }, dst ? 1 : 2))
		return -1;
	if (!dst)
		dst = arg_unnamed(c, 1);
	if (target_items(c, &ids, &n))
		return -1;
	if (dst && sh_items(c->sh, dst->pos, c->m, &dst->v, &to, &nto)) {
		free(ids);
		return -1;
	}
	if (to)
		before = to[0];
	for (int i = 0; i < n && !rc; i++)
		if (ids[i] != before && cdb_item_move(c->sh->db, c->m, ids[i], before, &e))
			rc = sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	free(ids);
	free(to);
	return rc;
}

/* get ITEM PROP (or get PROP on a single menu): returns the value; at the
 * top level it also prints it. */
int
cmd_get(struct cmdctx *c)
{
	int named = arg_find(c, "numbers") || arg_find(c, "number");
	/* get PROP on a menu with a default item acts on it (RouterOS 6) */
	int single = c->m->kind == M_SINGLE ||
		     (!named && !arg_unnamed(c, 1) && sh_default_item(c->sh, c->m) > 0);
	struct arg *pa = arg_unnamed(c, single || named ? 0 : 1);
	struct arg *va = arg_find(c, "value-name");
	const struct cdb_prop *p;
	struct cdb_item_list l = { 0 };
	struct cdb_err e;
	long long *ids = NULL, one = 1;
	int n = 1, rc = -1, found = -1;

	if (sh_only_args(c, (const char *const[]){ "value-name", "numbers", "number", NULL },
		      single ? 1 : 2))
		return -1;
	if (va)
		pa = va;
	if (!pa)
		return sh_fail(c->sh, c->cmdpos, "missing value of value-name");
	if (match_prop(c->sh, pa->pos, c->m, val_text(&pa->v), &p))
		return -1;
	if (p->types[0] == T_PASSWORD)	/* kept only as a hash: nothing to give */
		return sh_fail(c->sh, pa->pos, "failure: %s can not be read", p->name);
	if ((p->flags & P_SENSITIVE) && !cdb_may(c->sh->db, "sensitive"))
		return sh_fail(c->sh, pa->pos, "not enough permissions (9)");
	if (single) {
		ids = &one;
		if (c->m->kind != M_SINGLE)
			one = sh_default_item(c->sh, c->m);
	} else if (target_items(c, &ids, &n))
		return -1;
	if (n != 1) {
		rc = sh_fail(c->sh, c->cmdpos, "invalid internal item number");
		goto out;
	}
	if (sh_list(c->sh, c->m, &l, &e)) {
		rc = sh_fail(c->sh, c->cmdpos, "%s", e.msg);
		goto out;
	}
	for (int i = 0; i < l.n; i++)
		if (l.items[i].id == ids[0])
			found = i;
	if (found < 0) {
		rc = sh_fail(c->sh, c->cmdpos, "no such item");
		goto out;
	}
	{
		const char *v = cdb_item_value(c->m, &l.items[found], (int)(p - c->m->props));

		val_str(c->ret, v ? v : "");
		if (c->sh->subst == 0)
			fprintf(c->sh->out, "%s\n", v ? v : "");
	}
	rc = 0;
out:
	cdb_item_list_free(&l);
	if (ids != &one)
		free(ids);
	return rc;
}

/* find [where EXPR] [prop=value ...]: returns the ids that match. */
int
cmd_find(struct cmdctx *c)
{
	struct cdb_item_list l;
	struct cdb_err e;
	long long *ids;
	int n = 0;

	if (sh_filter_items(c, &l))
		return -1;
	ids = malloc(sizeof(*ids) * (l.n + 1));
	for (int i = 0; i < l.n; i++)
		ids[n++] = l.items[i].id;
	val_ids(c->ret, ids, n);
	free(ids);
	cdb_item_list_free(&l);
	(void)e;
	return 0;
}

/* /ppp active remove: a session is the engine's, so the engine ends it,
 * asked once the line commits (it writes the runtime tables as it does,
 * and must not wait behind this line's write lock). */
int
cmd_active_remove(struct cmdctx *c)
{
	long long *ids;
	char line[64];
	int n;

	if (sh_only_args(c, (const char *const[]){ "numbers", NULL }, 1) || target_items(c, &ids, &n))
		return -1;
	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "active-remove *%llX", ids[i]);
		sh_request(c, sh_request_engine, NULL, line, 0);
	}
	free(ids);
	return 0;
}
