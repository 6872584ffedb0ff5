/* cmd_import.c: /import file-name=NAME [dry-run]: run a script from the file
 * store as one transaction; the first failing line stops it and nothing of
 * the file is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "files.h"

static int
import_options(struct cmdctx *c, struct arg **name, int *dry)
{
	*name = arg_find(c, "file-name");
	*dry = 0;
	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];

		if (a->name && !strcmp(a->name, "file-name"))
			continue;
		if (a->name)
			return sh_fail(c->sh, a->pos, "bad argument name %s", a->name);
		if (a->bare && !strcmp(val_text(&a->v), "dry-run"))
			*dry = 1;
		else if (a->bare && !strcmp(val_text(&a->v), "verbose"))
			continue;
		else if (!*name)
			*name = a;
		else
			return sh_fail(c->sh, a->pos, "expected end of command");
	}
	if (!*name)
		return sh_fail(c->sh, c->cmdpos, "missing value of file-name");
	return 0;
}

/* The failure inside the file names the file's own line and column. */
static void
place_error(struct sh *sh, const struct src *s, const char *file)
{
	char where[300];
	int line, col;
	size_t n = strlen(sh->err);

	if (sh->err_placed)
		return;
	src_linecol(s, sh->errpos, &line, &col);
	snprintf(where, sizeof(where), " (%.200s line %d column %d)", file, line, col);
	if (n + strlen(where) < sizeof(sh->err))
		memcpy(sh->err + n, where, strlen(where) + 1);
	sh->err_placed = 1;
}

int
cmd_import(struct cmdctx *c)
{
	const struct cdb_menu *saved = c->sh->cwd, *root = c->m;
	struct arg *name;
	struct cdb_err e;
	struct src s = { 0 };
	char *text;
	size_t len;
	int dry, rc;

	if (import_options(c, &name, &dry) ||
	    files_read(c->sh, name->pos, val_text(&name->v), &text, &len))
		return -1;
	while (root->parent)
		root = root->parent;
	if (memchr(text, '\0', len)) {
		free(text);
		return sh_fail(c->sh, name->pos, "failure: %s is not a text file", val_text(&name->v));
	}
	if (c->sh->depth >= SH_MAXDEPTH || cdb_begin(c->sh->db, &e)) {
		free(text);
		return sh_fail(c->sh, c->cmdpos, "failure: import nested too deeply");
	}
	s.text = text;
	s.len = len;
	c->sh->cwd = root;
	c->sh->depth++;
	c->sh->dry_run += dry;
	rc = sh_run(c->sh, &s);
	c->sh->dry_run -= dry;
	if (!rc && s.pos < s.len && !c->sh->quit)
		rc = sh_fail(c->sh, s.pos, "unexpected ]");
	c->sh->quit = 0;	/* quit in a file ends that file */
	c->sh->depth--;
	c->sh->cwd = saved;
	if (rc)
		place_error(c->sh, &s, val_text(&name->v));
	if (rc || dry)
		cdb_rollback(c->sh->db);
	else
		cdb_commit(c->sh->db, &e);
	if (!rc)
		fprintf(c->sh->out, "Script file loaded and executed successfully%s\n",
			dry ? " (dry run, nothing kept)" : "");
	free(text);
	return rc;
}
