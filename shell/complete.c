/* complete.c: what may come next at the cursor, for Tab and ?. The words of
 * the statement under the cursor are walked the way run.c runs them (menus,
 * then a command, then arguments), with the same unique-prefix matching;
 * the candidates come from the catalog, the items, and the last print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "menu.h"
#include "items.h"

/* Where the statement under the cursor begins: after the last ';' or '['
 * outside quotes (a ']' returns to the statement around it). */
static size_t
stmt_start(const char *t, size_t len, int *quoted)
{
	size_t stack[SH_MAXDEPTH] = { 0 };
	int depth = 0, q = 0;

	for (size_t i = 0; i < len; i++) {
		if (q && t[i] == '\\' && i + 1 < len)
			i++;
		else if (t[i] == '"')
			q = !q;
		else if (!q && t[i] == ';')
			stack[depth] = i + 1;
		else if (!q && t[i] == '[' && depth + 1 < SH_MAXDEPTH)
			stack[++depth] = i + 1;
		else if (!q && t[i] == ']' && depth > 0)
			depth--;
	}
	*quoted = q;
	return stack[depth];
}

static const char *
last_segment(const struct cdb_menu *m)
{
	return strrchr(m->path, '/') + 1;
}

/* A menu or command word in m (exact, or a unique prefix). */
static void
walk_word(const struct cdb_menu **m, const char **cmd, const char *w, size_t n, int *bad)
{
	const struct cdb_menu *kid = NULL;
	const char *const *cmds;
	int ncmd, hits = 0, exact = 0;

	if (n == 2 && !strncmp(w, "..", 2)) {
		if ((*m)->parent)
			*m = (*m)->parent;
		return;
	}
	for (int i = 0; i < (*m)->nkids; i++) {
		const char *s = last_segment((*m)->kids[i]);

		if (!strncmp(s, w, n) && !exact) {
			exact = strlen(s) == n;
			hits = exact ? 1 : hits + 1;
			kid = (*m)->kids[i];
		}
	}
	cmds = menu_commands(*m, &ncmd);
	for (int i = 0; i < ncmd && !exact; i++)
		if (!strncmp(cmds[i], w, n)) {
			exact = strlen(cmds[i]) == n;
			hits = exact ? 1 : hits + 1;
			kid = NULL;
			*cmd = cmds[i];
		}
	if (hits != 1) {
		*bad = 1;
		*cmd = NULL;
	} else if (kid) {
		*m = kid;
		*cmd = NULL;
	}
}

/* Menus and a command from "ip/pool" or "/ip pool": segments split at '/'. */
static void
walk_path(const struct cdb_menu **m, const char **cmd, const char *w, size_t n, int *bad)
{
	size_t i = 0;

	while (i < n && !*cmd && !*bad) {
		size_t j = i;

		while (j < n && w[j] != '/')
			j++;
		if (j > i)
			walk_word(m, cmd, w + i, j - i, bad);
		i = j + 1;
	}
}

static const struct cdb_prop *
find_prop(const struct cdb_menu *m, const char *w, size_t n)
{
	const struct cdb_prop *found = NULL;
	int hits = 0;

	for (int i = 0; i < m->nprops; i++) {
		const struct cdb_prop *p = &m->props[i];

		if ((p->flags & P_HIDDEN) || strncmp(p->name, w, n))
			continue;
		if (strlen(p->name) == n)
			return p;
		found = p;
		hits++;
	}
	return hits == 1 ? found : NULL;
}

void
ctx_parse(struct sh *sh, const char *text, size_t len, struct ctx *cx)
{
	int quoted;
	size_t i = stmt_start(text, len, &quoted), wstart;

	memset(cx, 0, sizeof(*cx));
	cx->quoted = quoted;
	cx->m = sh->cwd;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i < len && text[i] == '/') {
		while (cx->m->parent)
			cx->m = cx->m->parent;
	}
	for (wstart = i; i < len; i++) {
		if (text[i] != ' ' && text[i] != '\t')
			continue;
		if (i > wstart && !cx->cmd && !cx->bad)
			walk_path(&cx->m, &cx->cmd, text + wstart, i - wstart, &cx->bad);
		wstart = i + 1;
	}
	cx->word = text + wstart;
	cx->wordlen = len - wstart;
	if (!cx->cmd && !cx->bad) {
		const char *slash = memrchr(cx->word, '/', cx->wordlen);

		if (slash) {
			walk_path(&cx->m, &cx->cmd, cx->word, (size_t)(slash - cx->word), &cx->bad);
			cx->wordlen -= (size_t)(slash + 1 - cx->word);
			cx->word = slash + 1;
		}
	} else if (cx->cmd) {
		const char *eq = memchr(cx->word, '=', cx->wordlen);

		if (eq) {
			cx->prop = find_prop(cx->m, cx->word, (size_t)(eq - cx->word));
			cx->wordlen -= (size_t)(eq + 1 - cx->word);
			cx->word = eq + 1;
			cx->bad = !cx->prop;
		}
	}
}

/* Collect candidates that start with the word being typed. */
struct clist {
	struct cand *v;
	int n;
	const struct ctx *cx;
};

static void
add(struct clist *l, const char *word, const char *help, char suffix)
{
	if (strncmp(word, l->cx->word, l->cx->wordlen))
		return;
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].word, word))
			return;
	l->v = realloc(l->v, sizeof(*l->v) * (l->n + 1));
	l->v[l->n].word = strdup(word);
	l->v[l->n].help = help ? strdup(help) : NULL;
	l->v[l->n].suffix = suffix;
	l->n++;
}

/* Item names (the key), *ids and the numbers of the last print of m. */
static void
add_items(struct sh *sh, struct clist *l, const struct cdb_menu *m, int with_ids)
{
	struct cdb_item_list items;
	struct cdb_err e;
	int k = m->key ? cdb_prop_index(m, m->key) : -1;

	if (!m->table || sh_list(sh, m, &items, &e))
		return;
	for (int i = 0; i < items.n; i++) {
		char *id = fmt_id(items.items[i].id);

		if (k >= 0 && items.items[i].v[k])
			add(l, items.items[i].v[k], NULL, ' ');
		if (with_ids)
			add(l, id, NULL, ' ');
		free(id);
	}
	cdb_item_list_free(&items);
	for (int i = 0; with_ids && i < sh->nnums; i++)
		if (sh->nums[i].menu == m)
			for (int n = 0; n < sh->nums[i].n; n++) {
				char num[24];

				snprintf(num, sizeof(num), "%d", n);
				add(l, num, "number from the last print", ' ');
			}
}

static void
add_values(struct sh *sh, struct clist *l, const struct cdb_prop *p)
{
	const struct cdb_menu *r;

	for (int t = 0; t < p->ntypes; t++) {
		if (p->types[t] == T_BOOL) {
			add(l, "yes", NULL, ' ');
			add(l, "no", NULL, ' ');
		}
		if (p->types[t] == T_REF && p->ref && (r = cdb_menu_find(sh->db->cat, p->ref)))
			add_items(sh, l, r, 0);
	}
	for (int i = 0; i < p->nvalues; i++)
		add(l, p->values[i], NULL, ' ');
	for (int i = 0; i < p->nwords; i++)
		add(l, p->words[i], NULL, ' ');
}

static int
takes_items(const char *cmd)
{
	static const char *const item_cmds[] = { "set", "remove", "enable", "disable", "comment",
						 "move", "get", "unset", "export-certificate",
						 "sign", "revoke", "export-client-configuration",
						 "monitor", "reset", "edit", NULL };

	for (int i = 0; item_cmds[i]; i++)
		if (!strcmp(item_cmds[i], cmd))
			return 1;
	return 0;
}

static void
print_named_args(struct clist *l)
{
	add(l, "proplist", "Only these properties, in this order", '=');
	add(l, "from", "Only these items, in this order", '=');
	add(l, "file", "Write to NAME.txt in the file store", '=');
	add(l, "interval", "Print again every interval until Ctrl-C", '=');
}

static void
add_args(struct sh *sh, struct clist *l, const struct cdb_menu *m, const char *cmd)
{
	static const char *const print_words[] = { "detail", "terse", "brief", "as-value",
						    "count-only", "without-paging",
						    "show-sensitive", "where", "value-list",
						    "follow", "follow-only", NULL };
	static const char *const export_words[] = { "compact", "verbose", "show-sensitive",
						     "hide-sensitive", "terse", NULL };
	int own = 0;

	for (int i = 0; i < m->ncmds; i++)
		own |= !strcmp(m->cmds[i], cmd);
	if (!strcmp(cmd, "print"))
		for (int i = 0; print_words[i] && !(own && i > 0 && i != 5); i++)
			add(l, print_words[i], NULL, ' ');
	if (!strcmp(cmd, "print") && !own)
		print_named_args(l);
	if (!strcmp(cmd, "export")) {
		for (int i = 0; export_words[i]; i++)
			add(l, export_words[i], NULL, ' ');
		add(l, "file", "Write to this file in the file store", '=');
	}
	if (!strcmp(cmd, "print") || !strcmp(cmd, "export") || !m->table)
		return;
	if (strcmp(cmd, "add") && takes_items(cmd))
		add_items(sh, l, m, 1);
	if (!strcmp(cmd, "add") && m->kind == M_LIST)
		add(l, "copy-from", "Start from this item's values", '=');
	for (int i = 0; i < m->nprops; i++) {
		const struct cdb_prop *p = &m->props[i];

		if (!(p->flags & (P_HIDDEN | P_READONLY)))
			add(l, p->name, p->help, '=');
	}
}

int
cands_for(struct sh *sh, const struct ctx *cx, struct cand **out)
{
	struct clist l = { NULL, 0, cx };

	if (cx->bad || cx->quoted) {
		*out = NULL;
		return 0;
	}
	if (cx->prop)
		add_values(sh, &l, cx->prop);
	else if (cx->cmd)
		add_args(sh, &l, cx->m, cx->cmd);
	else {
		int n;
		const char *const *cmds;

		for (int i = 0; i < cx->m->nkids; i++)
			add(&l, last_segment(cx->m->kids[i]), cx->m->kids[i]->help, ' ');
		cmds = menu_commands(cx->m, &n);
		for (int i = 0; i < n; i++)
			add(&l, cmds[i], help_command(cmds[i]), ' ');
	}
	*out = l.v;
	return l.n;
}

void
cands_free(struct cand *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].word);
		free(v[i].help);
	}
	free(v);
}
