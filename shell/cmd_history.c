/* cmd_history.c: /undo, /redo and /system history print, over the journal
 * (configdb/undo.c). A console line, a batch line or an import is one unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "menu.h"

static int
undo_or_redo(struct cmdctx *c, int redo)
{
	struct cdb_err e;
	char what[256];

	if (sh_only_args(c, NULL, 0))
		return -1;
	if ((redo ? cdb_redo : cdb_undo)(c->sh->db, what, sizeof(what), &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	if (!c->sh->subst)
		fprintf(c->sh->out, "%s: %s\n", redo ? "redone" : "undone", what);
	return 0;
}

int
cmd_undo(struct cmdctx *c)
{
	return undo_or_redo(c, 0);
}

int
cmd_redo(struct cmdctx *c)
{
	return undo_or_redo(c, 1);
}

/* "admin[1234]" -> "admin": the table shows who, detail the session too. */
static void
session_user(const char *session, char *out, size_t len)
{
	snprintf(out, len, "%.*s", (int)strcspn(session, "["), session);
}

static void
history_flags(const struct cdb_history *h, char *f)
{
	f[0] = h->undoable ? 'U' : ' ';
	f[1] = h->redoable ? 'R' : ' ';
	f[2] = h->safe ? 'F' : ' ';
	f[3] = '\0';
}

static void
print_detail(struct sh *sh, int i, const struct cdb_history *h)
{
	char f[4], when[32];
	time_t t = (time_t)h->time;
	struct tm tm;

	history_flags(h, f);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(sh->out, "%2d %s action=\"%s\" kind=%s by=\"%s\" time=%s changes=%d\n\n",
		i, f, h->what, h->kind, h->session, when, h->nchanges);
}

/* The table: U undoable, R redoable, F made in safe mode. Times are in
 * detail, so that the table of the same changes reads the same. */
int
cmd_history_print(struct cmdctx *c)
{
	static const char *const words[] = { "detail", "without-paging" };
	struct cdb_history *v;
	struct cdb_err e;
	int n, detail = 0, aw = 6, idx;

	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];

		if (a->name || !a->bare)
			return sh_fail(c->sh, a->pos, a->name ? "bad argument name %s" :
				       "expected end of command", a->name);
		if (sh_match(c->sh, a->pos, "argument", val_text(&a->v), words, 2, &idx))
			return -1;
		detail |= idx == 0;
	}
	if (cdb_history(c->sh->db, &v, &n, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	for (int i = 0; i < n; i++)
		if ((int)strlen(v[i].what) > aw)
			aw = (int)strlen(v[i].what) > 60 ? 60 : (int)strlen(v[i].what);
	fprintf(c->sh->out, "Flags: U - undoable; R - redoable; F - safe mode\n");
	if (!detail)
		fprintf(c->sh->out, "Columns: ACTION, BY\n%-2s %-3s %-*s  BY\n", "#", "", aw,
			"ACTION");
	for (int i = 0; i < n; i++) {
		char f[4], by[96];

		if (detail) {
			print_detail(c->sh, i, &v[i]);
			continue;
		}
		history_flags(&v[i], f);
		session_user(v[i].session, by, sizeof(by));
		fprintf(c->sh->out, "%-2d %-3s %-*.*s  %s\n", i, f, aw, aw, v[i].what, by);
	}
	free(v);
	return 0;
}
