/* radius_config.c: a request's servers and NAS as the configuration says
 * now: the enabled /radius items for the service, in their order, and
 * /system identity's name as NAS-Identifier. roshd and the console read
 * them the same way, so a server is tried for a login exactly as for a
 * tunnel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configdb.h"
#include "radius_client.h"

/* One /radius item into s: 0, or -1 when it is skipped (disabled, not for
 * the service, or a secret radcli could not carry: 1). */
static int
server_of(const struct cdb_menu *m, const struct cdb_item *it, const char *service,
	  struct radius_server *s)
{
	const char *secret = cdb_item_text(m, it, "secret");
	long long t = 1;

	if (!strcmp(cdb_item_text(m, it, "disabled"), "yes") ||
	    !strstr(cdb_item_text(m, it, "service"), service))
		return -1;
	if (!secret || !*secret || strchr(secret, ':') || strlen(secret) >= sizeof(s->secret))
		return 1;
	cdb_parse_time(cdb_item_text(m, it, "timeout"), &t);
	s->id = it->id;
	snprintf(s->address, sizeof(s->address), "%s", cdb_item_text(m, it, "address"));
	snprintf(s->src, sizeof(s->src), "%s", cdb_item_text(m, it, "src-address"));
	snprintf(s->secret, sizeof(s->secret), "%s", secret);
	s->auth_port = atoi(cdb_item_text(m, it, "authentication-port"));
	s->acct_port = atoi(cdb_item_text(m, it, "accounting-port"));
	s->timeout_s = t > 0 ? (int)t : 1;
	return 0;
}

static void
nas_id(struct cdb *db, struct radius_job *j)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/system/identity");
	struct cdb_item it = { 0 };
	struct cdb_err e;

	if (m && !cdb_item_get(db, m, 1, &it, &e)) {	/* a single menu's one item */
		snprintf(j->nas_id, sizeof(j->nas_id), "%s", cdb_item_text(m, &it, "name"));
		cdb_item_clear(&it);
	}
}

int
radius_job_config(struct cdb *db, const char *service, struct radius_job *j, char *skipped,
		  size_t skippedlen)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/radius");
	struct cdb_item_list l;
	struct cdb_err e;

	skipped[0] = '\0';
	j->nsrv = 0;
	if (m && !cdb_item_list(db, m, &l, &e)) {
		for (int i = 0; i < l.n && j->nsrv < RADIUS_MAX_SERVERS; i++) {
			int rc = server_of(m, &l.items[i], service, &j->srv[j->nsrv]);

			if (rc == 0)
				j->nsrv++;
			else if (rc == 1 && strlen(skipped) + 20 < skippedlen)
				snprintf(skipped + strlen(skipped), skippedlen - strlen(skipped),
					 "%s%s", *skipped ? "," : "",
					 cdb_item_text(m, &l.items[i], "address"));
		}
		cdb_item_list_free(&l);
	}
	nas_id(db, j);
	return j->nsrv;
}
