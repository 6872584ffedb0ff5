/* set_system.c: a menu action sets values the admin may not (read-only
 * properties: a signed certificate's serial, issuer and dates), as the
 * system rather than as the admin. */
#include "items.h"

int
sh_set_system(struct cmdctx *c, long long id, const struct cdb_kv *kv, int n)
{
	struct cdb_err e;
	int rc;

	c->sh->db->system = 1;
	rc = cdb_item_set(c->sh->db, c->m, id, kv, n, &e);
	c->sh->db->system = 0;
	return rc ? sh_fail(c->sh, c->cmdpos, "%s", e.msg) : 0;
}
