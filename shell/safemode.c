/* safemode.c: the console side of safe mode. Ctrl-X and "/system safe-mode"
 * toggle it: taking it marks every later change of this session; releasing
 * it keeps them. A session that ends while holding it has its changes
 * reverted (here on a normal exit, by the next opener or the engine when
 * the process died). */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "menu.h"

/* Take safe mode, or release it keeping the changes, in a transaction of
 * its own when none is open. 0 with msg set, or -1 with msg the error. */
static int
safe_set(struct sh *sh, int on, char *msg, size_t len)
{
	struct cdb *db = sh->db;
	int own = db->depth == 0, rc;
	struct cdb_err e;

	if (own && cdb_begin(db, &e)) {
		snprintf(msg, len, "%s", e.msg);
		return -1;
	}
	rc = on ? cdb_safe_enter(db, sh->user ? sh->user : "admin", &e) : cdb_safe_leave(db, 1, &e);
	if (own && !rc)
		rc = cdb_commit(db, &e);
	else if (own)
		cdb_rollback(db);
	if (rc) {
		if (on)
			db->safe = 0;
		snprintf(msg, len, "%s", e.msg);
		return -1;
	}
	snprintf(msg, len, on ? "[Safe mode taken]" : "[Safe mode released]");
	return 0;
}

int
sh_safe_toggle(struct sh *sh, char *msg, size_t len)
{
	return safe_set(sh, !sh->db->safe, msg, len);
}

/* /system safe-mode [on|off]: without a word it toggles, as Ctrl-X does. */
int
cmd_safe_mode(struct cmdctx *c)
{
	static const char *const words[] = { "on", "off" };
	struct arg *a = arg_unnamed(c, 0);
	int on = !c->sh->db->safe, k;
	char msg[600];

	if (sh_only_args(c, NULL, 1))
		return -1;
	if (a) {
		if (sh_match(c->sh, a->pos, "argument", val_text(&a->v), words, 2, &k))
			return -1;
		on = k == 0;
		if (on == c->sh->db->safe)
			return sh_fail(c->sh, a->pos, on ? "failure: already in safe mode" :
				       "failure: not in safe mode");
	}
	if (safe_set(c->sh, on, msg, sizeof(msg)))
		return sh_fail(c->sh, c->cmdpos, "%s", msg);
	if (!c->sh->subst)
		fprintf(c->sh->out, "%s\n", msg);
	return 0;
}

/* The session ends: changes made in safe mode that was not released go. */
void
sh_safe_end(struct sh *sh)
{
	struct cdb_err e;
	long long before = sh->db->last_seq;

	if (!sh->db->safe || sh->db->depth)
		return;
	if (cdb_begin(sh->db, &e))
		return;
	if (cdb_safe_leave(sh->db, 0, &e) || cdb_commit(sh->db, &e)) {
		cdb_rollback(sh->db);
		fprintf(stderr, "rosh: safe mode: %s\n", e.msg);
		return;
	}
	fprintf(sh->out, "[Safe mode released, changes reverted]\n");
	if (sh->db->last_seq != before && sh->sockpath)
		cdb_notify(sh->sockpath, sh->db->last_seq);
}
