/* cmd_import.c: /import file-name=NAME [verbose=yes] [dry-run]: run a script
 * from the file store. Plain, it is one transaction: the first failing line
 * stops it and nothing of the file is kept. With verbose=yes each line runs
 * on its own and the refused ones are listed (import_lines.c); dry-run runs
 * them so too, to list every error, and keeps nothing. "Script file loaded
 * and executed successfully" waits for the commit of the line (batch.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "files.h"
#include "import.h"

/* yes/no of verbose= or dry-run=; a bare word means yes. */
static int
yes_no(struct cmdctx *c, const struct arg *a, int *out)
{
	const char *v = val_text((struct val *)&a->v);

	if (!a->name || !strcmp(v, "yes") || !strcmp(v, "true"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false"))
		*out = 0;
	else
		return sh_fail(c->sh, a->pos, "value of %s must be yes or no", a->name);
	return 0;
}

static int
import_options(struct cmdctx *c, struct arg **name, int *dry, int *verbose)
{
	*name = arg_find(c, "file-name");
	*dry = *verbose = 0;
	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		const char *w = a->name ? a->name : a->bare ? val_text(&a->v) : "";

		if (a->name && !strcmp(a->name, "file-name"))
			continue;
		if (!strcmp(w, "dry-run") || !strcmp(w, "verbose")) {
			if (yes_no(c, a, w[0] == 'd' ? dry : verbose))
				return -1;
		} else if (a->name)
			return sh_fail(c->sh, a->pos, "bad argument name %s", a->name);
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

/* The file's lines: one transaction, or each on its own (verbose, dry-run).
 * 0, or -1 with the failure recorded. */
static int
run_file(struct cmdctx *c, struct src *s, const char *file, int each, int dry)
{
	struct sh *sh = c->sh;
	struct import_tally t = { 0 };
	int rc;

	if (!each) {
		rc = sh_run(sh, s);
		if (!rc && s->pos < s->len && !sh->quit)
			rc = sh_fail(sh, s->pos, "unexpected ]");
		if (rc)
			place_error(sh, s, file);
		return rc;
	}
	import_lines(sh, s, file, &t);
	fprintf(sh->out, "%d line%s applied, %d refused%s\n", t.applied,
		t.applied == 1 ? "" : "s", t.refused, dry ? " (dry run, nothing kept)" : "");
	if (dry && t.refused)	/* a check that found errors fails, as on RouterOS */
		return sh_fail(sh, c->cmdpos, "failure: found %d error%s in import file",
			       t.refused, t.refused == 1 ? "" : "s");
	return 0;
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
	int dry, verbose, rc;

	if (import_options(c, &name, &dry, &verbose) ||
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
	rc = run_file(c, &s, val_text(&name->v), verbose || dry, dry);
	c->sh->dry_run -= dry;
	c->sh->quit = 0;	/* quit in a file ends that file */
	c->sh->depth--;
	c->sh->cwd = saved;
	if (rc || dry)
		cdb_rollback(c->sh->db);
	else
		cdb_commit(c->sh->db, &e);
	/* success is said once the line's transaction committed (batch.c):
	 * a commit that fails (a full disk) must not follow it */
	if (!rc && !verbose && !dry)
		c->sh->imports_done++;
	free(text);
	return rc;
}
