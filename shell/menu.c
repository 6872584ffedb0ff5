/* menu.c: the commands each kind of menu has, and RouterOS-style matching of
 * typed words against candidates: an exact name or a unique prefix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "menu.h"

static const char *const list_cmds[] = {
	"add", "comment", "disable", "edit", "enable", "export", "find", "get", "move", "print",
	"remove", "set", "unset", NULL
};
static const char *const single_cmds[] = {
	"edit", "export", "get", "print", "reset", "set", "unset", NULL
};
static const char *const view_cmds[] = { "export", "find", "get", "print", NULL };
static const char *const files_cmds[] = { "find", "get", "print", "remove", NULL };
static const char *const dir_cmds[] = { "export", NULL };
static const char *const root_cmds[] = { "export", "import", "quit", NULL };

/* Whether a list menu has a command: enable and disable need a disabled
 * property, comment a comment, move an order. */
static int
list_has(const struct cdb_menu *m, const char *cmd)
{
	if (!strcmp(cmd, "enable") || !strcmp(cmd, "disable"))
		return (m->flags & M_DISABLE) != 0;
	if (!strcmp(cmd, "comment"))
		return (m->flags & M_COMMENT) != 0;
	if (!strcmp(cmd, "move"))
		return (m->flags & M_ORDERED) != 0;
	return 1;
}

/* The commands of a menu: its own (from the schema), then those of its kind. */
const char *const *
menu_commands(const struct cdb_menu *m, int *n)
{
	static const char *buf[64];
	const char *const *base;
	int k = 0;

	switch (m->kind) {
	case M_LIST:
		base = list_cmds;
		break;
	case M_SINGLE:
		base = single_cmds;
		break;
	case M_VIEW:
		base = view_cmds;
		break;
	case M_FILES:
		base = files_cmds;
		break;
	default:
		base = m->parent ? dir_cmds : root_cmds;
	}
	for (int i = 0; i < m->ncmds && k < 32; i++)
		buf[k++] = m->cmds[i];
	for (int i = 0; base[i] && k < 63; i++) {
		int dup = 0;

		for (int j = 0; j < m->ncmds; j++)
			dup |= !strcmp(m->cmds[j], base[i]);
		/* a view exports only the menus below it */
		if (m->kind == M_VIEW && !strcmp(base[i], "export") && !m->nkids)
			continue;
		if (!dup && (m->kind != M_LIST || list_has(m, base[i])))
			buf[k++] = base[i];
	}
	if (k < 63)
		buf[k++] = "help";
	if (m->parent && k < 63)
		buf[k++] = "quit";	/* quit works in every menu, as in RouterOS */
	buf[k] = NULL;
	*n = k;
	return buf;
}

/* Match word against cands: exact wins, else a unique prefix. Fails with
 * "bad WHAT name" or "ambiguous WHAT name, could be: ...". */
int
sh_match(struct sh *sh, size_t pos, const char *what, const char *word,
	 const char *const *cands, int n, int *idx)
{
	size_t len = strlen(word);
	int found = -1, count = 0;
	char list[400] = "";

	for (int i = 0; i < n; i++)
		if (!strcmp(cands[i], word)) {
			*idx = i;
			return 0;
		}
	for (int i = 0; i < n; i++) {
		if (strncmp(cands[i], word, len))
			continue;
		found = i;
		count++;
		if (strlen(list) + strlen(cands[i]) + 3 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 count > 1 ? ", " : "", cands[i]);
	}
	if (count == 1 && len > 0) {
		*idx = found;
		return 0;
	}
	if (count > 1 && len > 0)
		return sh_fail(sh, pos, "ambiguous %s name %s, could be: %s", what, word, list);
	return sh_fail(sh, pos, "bad %s name %s", what, word);
}

int
match_prop(struct sh *sh, size_t pos, const struct cdb_menu *m, const char *word,
	   const struct cdb_prop **out)
{
	const char **names = calloc(m->nprops + 1, sizeof(char *));
	int *map = calloc(m->nprops + 1, sizeof(int)), n = 0, idx, rc;

	/* hidden properties are the programs' own: no command can name them */
	for (int i = 0; i < m->nprops; i++)
		if (!(m->props[i].flags & P_HIDDEN)) {
			map[n] = i;
			names[n++] = m->props[i].name;
		}
	rc = sh_match(sh, pos, "argument", word, names, n, &idx);
	free(names);
	if (!rc)
		*out = &m->props[map[idx]];
	free(map);
	return rc ? -1 : 0;
}

/* "/ip/pool" -> "/ip pool", as export and the prompt show a menu. */
const char *
menu_words(const struct cdb_menu *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s", m->path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/')
			*p = ' ';
	return buf;
}
