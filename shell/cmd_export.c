/* cmd_export.c: export the configuration as a script that /import reads back
 * to the same configuration. Menus come in an order where every reference
 * points back to something already made; compact leaves defaults out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "menu.h"
#include "items.h"
#include "print.h"
#include "files.h"

struct xopts {
	int verbose, sensitive, terse;
};

static int
is_under(const struct cdb_menu *m, const struct cdb_menu *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return 1;
	return 0;
}

static void visit(const struct cdb_catalog *cat, const struct cdb_menu *m,
		  const struct cdb_menu **order, int *n, char *seen);

/* The menus a property's values must exist in before it can be set. */
static void
visit_ref(const struct cdb_catalog *cat, const struct cdb_menu *t,
	  const struct cdb_menu **order, int *n, char *seen)
{
	if (!(t->kind == M_VIEW && t->iface)) {
		visit(cat, t, order, n, seen);
		return;
	}
	for (int i = 0; i < cat->nmenus; i++)
		if (cat->menus[i]->iface && cat->menus[i]->kind == M_LIST)
			visit(cat, cat->menus[i], order, n, seen);
}

static void
visit(const struct cdb_catalog *cat, const struct cdb_menu *m,
      const struct cdb_menu **order, int *n, char *seen)
{
	int idx = 0;

	while (cat->menus[idx] != m)
		idx++;
	if (seen[idx])
		return;
	seen[idx] = 1;
	for (int i = 0; i < m->nprops; i++) {
		const struct cdb_menu *t = m->props[i].ref ? cdb_menu_find(cat, m->props[i].ref) : NULL;

		if (t && t != m)
			visit_ref(cat, t, order, n, seen);
	}
	order[(*n)++] = m;
}

static int
by_name(const void *a, const void *b)
{
	const struct cdb_prop *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* The value a built-in item was created with (its seed), else the default. */
static const char *
baseline(const struct cdb_menu *m, const struct cdb_item *it, int i, struct cdb_kv *seed,
	 int nseed)
{
	(void)it;
	for (int k = 0; k < nseed; k++)
		if (!strcmp(seed[k].name, m->props[i].name))
			return seed[k].value;
	return m->props[i].def;
}

static int
exported(const struct cdb_prop *p, const struct xopts *o)
{
	return !(p->flags & (P_READONLY | P_NOEXPORT)) &&
	       (!(p->flags & P_SENSITIVE) || o->sensitive);
}

/* "k=v k=v" for the values worth writing, properties in name order. */
static void
item_args(struct cdb_buf *b, const struct cdb_menu *m, const struct cdb_item *it,
	  const struct xopts *o, struct cdb_kv *seed, int nseed, const char *skip)
{
	const struct cdb_prop **ps = calloc(m->nprops + 1, sizeof(*ps));
	int n = 0;

	for (int i = 0; i < m->nprops; i++)
		ps[n++] = &m->props[i];
	qsort(ps, n, sizeof(*ps), by_name);
	for (int k = 0; k < n; k++) {
		int i = (int)(ps[k] - m->props);
		const char *v = cdb_item_value(m, it, i), *base = baseline(m, it, i, seed, nseed);
		char *q;

		if (!exported(ps[k], o) || !v || (skip && !strcmp(skip, ps[k]->name)))
			continue;
		if (!o->verbose && base && !strcmp(v, base))
			continue;
		if (!o->verbose && !base && !*v)
			continue;
		q = quote_value(v, 0);
		cdb_buf_printf(b, " %s=%s", ps[k]->name, q);
		free(q);
	}
	free(ps);
}

static void
menu_line(struct cdb_buf *b, const struct cdb_menu *m, const struct xopts *o, int *said)
{
	char words[256];

	if (o->terse)
		cdb_buf_printf(b, "%s ", menu_words(m, words, sizeof(words)));
	else if (!*said)
		cdb_buf_printf(b, "%s\n", menu_words(m, words, sizeof(words)));
	*said = 1;
}

/* An item roshd adopted from the system (a network card, named by its
 * default-name): what the admin changed, as set [ find default-name=X ]. */
static int
adopted_item(struct cdb_buf *b, const struct cdb_menu *m, const struct cdb_item *it,
	     const struct xopts *o, int *said)
{
	int k = cdb_prop_index(m, "default-name");
	struct cdb_buf args = { 0 };
	struct cdb_kv seed[1];
	char *q;

	if (k < 0 || !it->v[k])
		return 0;
	seed[0] = (struct cdb_kv){ "name", it->v[k] };
	item_args(&args, m, it, o, seed, 1, NULL);
	if (args.len) {
		menu_line(b, m, o, said);
		q = quote_value(it->v[k], 0);
		cdb_buf_printf(b, "set [ find default-name=%s ]%s\n", q, args.s);
		free(q);
	}
	free(args.s);
	return 1;
}

static void
export_single(struct cdb_buf *b, const struct cdb_menu *m, const struct cdb_item *it,
	      const struct xopts *o)
{
	struct cdb_buf args = { 0 };
	int said = 0;

	item_args(&args, m, it, o, NULL, 0, NULL);
	if (!args.len)
		return;
	menu_line(b, m, o, &said);
	cdb_buf_printf(b, "set%s\n", args.s);
	free(args.s);
}

/* A property naming another item of the same menu that comes later is set
 * after every item exists. */
static const char *
forward_ref(const struct cdb_menu *m, const struct cdb_item_list *l, int upto)
{
	const struct cdb_item *it = &l->items[upto];
	int key = cdb_prop_index(m, m->key ? m->key : "");

	for (int i = 0; i < m->nprops && key >= 0; i++) {
		const char *v = it->v[i];

		if (!v || !m->props[i].ref || strcmp(m->props[i].ref, m->path))
			continue;
		for (int k = upto; k < l->n; k++)
			if (l->items[k].v[key] && !strcmp(l->items[k].v[key], v))
				return m->props[i].name;
	}
	return NULL;
}

static void
export_list(struct cdb_buf *b, const struct cdb_menu *m, const struct cdb_item_list *l,
	    const struct xopts *o)
{
	struct cdb_buf later = { 0 };
	int said = 0, key = m->key ? cdb_prop_index(m, m->key) : -1, nbuiltin = 0;

	for (int i = 0; i < l->n; i++) {
		const struct cdb_item *it = &l->items[i];
		struct cdb_buf args = { 0 };
		struct cdb_kv *seed = NULL;
		char *seedbuf = NULL, *kq;
		int nseed = 0;
		const char *fwd;

		if (it->dynamic)
			continue;
		if (it->builtin && key < 0 && nbuiltin < m->nseeds)	/* by order: no key */
			nseed = cdb_seed_parse(m->seeds[nbuiltin], &seed, &seedbuf);
		nbuiltin += it->builtin;
		for (int s = 0; it->builtin && key >= 0 && s < m->nseeds; s++) {
			nseed = cdb_seed_parse(m->seeds[s], &seed, &seedbuf);
			if (nseed && !strcmp(seed[0].value, it->v[key]))
				break;
			free(seed);
			free(seedbuf);
			seed = NULL, seedbuf = NULL, nseed = 0;
		}
		if (adopted_item(b, m, it, o, &said))
			continue;
		fwd = it->builtin ? NULL : forward_ref(m, l, i);
		item_args(&args, m, it, o, seed, nseed, fwd);
		if (!it->builtin || args.len) {
			menu_line(b, m, o, &said);
			if (it->builtin && key < 0)	/* as RouterOS: by its number */
				cdb_buf_printf(b, "set %d%s\n", i, args.s);
			else if (it->builtin) {
				kq = quote_value(it->v[key], 0);
				cdb_buf_printf(b, "set [ find %s=%s ]%s\n", m->key, kq, args.s);
				free(kq);
			} else
				cdb_buf_printf(b, "add%s\n", args.s ? args.s : "");
		}
		if (fwd) {
			kq = quote_value(it->v[key], 0);
			char *vq = quote_value(it->v[cdb_prop_index(m, fwd)], 0);

			cdb_buf_printf(&later, "set [ find %s=%s ] %s=%s\n", m->key, kq, fwd, vq);
			free(kq);
			free(vq);
		}
		free(args.s);
		free(seed);
		free(seedbuf);
	}
	if (later.len) {
		menu_line(b, m, o, &said);
		cdb_buf_add(b, later.s, later.len);
	}
	free(later.s);
}

static int
export_menu(struct cmdctx *c, struct cdb_buf *b, const struct cdb_menu *m,
	    const struct xopts *o)
{
	struct cdb_item_list l;
	struct cdb_err e;

	if (cdb_item_list(c->sh->db, m, &l, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	if (c->where && m == c->m) {
		int n = 0;

		for (int i = 0; i < l.n; i++) {
			if (where_match(c->sh, c->where, m, &l.items[i]))
				l.items[n++] = l.items[i];
			else
				cdb_item_clear(&l.items[i]);
		}
		l.n = n;
	}
	if (m->kind == M_SINGLE && l.n)
		export_single(b, m, &l.items[0], o);
	else
		export_list(b, m, &l, o);
	cdb_item_list_free(&l);
	return 0;
}

static int
export_options(struct cmdctx *c, struct xopts *o, struct arg **file)
{
	static const char *const words[] = { "compact", "verbose", "show-sensitive",
					     "hide-sensitive", "terse" };

	*file = NULL;
	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		int k;

		if (a->name && !strcmp(a->name, "file")) {
			*file = a;
			continue;
		}
		if (a->name || !a->bare)
			return sh_fail(c->sh, a->pos, a->name ? "bad argument name %s" :
				       "expected end of command", a->name);
		if (sh_match(c->sh, a->pos, "argument", val_text(&a->v), words, 5, &k))
			return -1;
		if (k == 1)
			o->verbose = 1;
		else if (k == 2 && !cdb_may(c->sh->db, "sensitive"))
			return sh_fail(c->sh, a->pos, "not enough permissions (9)");
		else if (k == 2)
			o->sensitive = 1;
		else if (k == 4)
			o->terse = 1;
	}
	return 0;
}

int
cmd_export(struct cmdctx *c)
{
	const struct cdb_catalog *cat = c->sh->db->cat;
	const struct cdb_menu **order = calloc(cat->nmenus + 1, sizeof(*order));
	char *seen = calloc(cat->nmenus + 1, 1), date[64];
	struct cdb_buf b = { 0 };
	struct xopts o = { 0 };
	struct arg *file;
	time_t now = time(NULL);
	int n = 0, rc = -1;

	if (export_options(c, &o, &file))
		goto out;
	for (int i = 0; i < cat->nmenus; i++)
		visit(cat, cat->menus[i], order, &n, seen);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", localtime(&now));
	cdb_buf_printf(&b, "# %s by rosh %s\n", date, PACKAGE_VERSION);
	for (int i = 0; i < n; i++) {
		const struct cdb_menu *m = order[i];

		if (!is_under(m, c->m) || (m->kind != M_LIST && m->kind != M_SINGLE) ||
		    (m->flags & M_NOEXPORT))
			continue;
		if (export_menu(c, &b, m, &o))
			goto out;
	}
	if (file) {
		const char *name = val_text(&file->v);
		size_t len = strlen(name);
		char *full;

		if (asprintf(&full, "%s%s", name, len > 4 && !strcmp(name + len - 4, ".rsc") ?
			     "" : ".rsc") < 0)
			goto out;
		rc = files_write(c->sh, file->pos, full, b.s, b.len);
		free(full);
	} else {
		fputs(b.s, c->sh->out);
		rc = 0;
	}
out:
	free(b.s);
	free(order);
	free(seen);
	return rc;
}
