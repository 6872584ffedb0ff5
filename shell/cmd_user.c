/* cmd_user.c: /password, a user changing their own password: allowed by
 * the password policy alone, so even a read user can. */
#include <string.h>

#include "cmd.h"
#include "args.h"

/* old must match what the user has now (nothing matches no password). */
static int
check_old(struct cmdctx *c, const struct cdb_menu *um, long long id, const char *old)
{
	struct cdb_item u = { 0 };
	struct cdb_err e;
	int ok;

	if (cdb_item_get(c->sh->db, um, id, &u, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	ok = cdb_password_check(cdb_item_text(um, &u, "password"), old);
	cdb_item_clear(&u);
	return ok ? 0 : sh_fail(c->sh, c->cmdpos, "failure: old password is not valid");
}

int
cmd_password(struct cmdctx *c)
{
	static const char *const names[] = { "old-password", "new-password",
					     "confirm-new-password", NULL };
	const struct cdb_menu *um = cdb_menu_find(c->sh->db->cat, "/user");
	struct arg *a[3];
	struct cdb_kv kv = { "password", NULL };
	struct cdb_err e;
	long long id;
	int rc;

	if (sh_only_args(c, names, 0))
		return -1;
	for (int i = 0; i < 3; i++)
		if (!(a[i] = arg_find(c, names[i])))
			return sh_fail(c->sh, c->cmdpos, "missing value of %s", names[i]);
	if (!cdb_may(c->sh->db, "password"))
		return sh_fail(c->sh, c->cmdpos, "not enough permissions (9)");
	if (strcmp(val_text(&a[1]->v), val_text(&a[2]->v)))
		return sh_fail(c->sh, a[2]->pos, "failure: new passwords do not match");
	if (!um || !c->sh->user || (id = cdb_item_by_key(c->sh->db, um, c->sh->user)) <= 0)
		return sh_fail(c->sh, c->cmdpos, "failure: no such user %s",
			       c->sh->user ? c->sh->user : "");
	if (check_old(c, um, id, val_text(&a[0]->v)))
		return -1;
	kv.value = val_text(&a[1]->v);
	c->sh->db->internal++;	/* the user's own password, not the users menu */
	rc = cdb_item_set(c->sh->db, um, id, &kv, 1, &e);
	c->sh->db->internal--;
	if (rc)
		return sh_fail(c->sh, a[1]->pos, "%s", e.msg);
	c->sh->no_password = !*kv.value;
	return 0;
}
