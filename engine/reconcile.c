/* reconcile.c: bring what runs in step with the configuration. It reads the
 * desired state whole (a few hundred rows at most) and compares each server
 * with the configuration it was started from, so a commit restarts exactly
 * the servers it changed, a change elsewhere (a new secret) touches no
 * tunnel, and a restart of roshd catches up with everything at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "engine.h"
#include "ip.h"
#include "log.h"
#include "radius.h"
#include "services.h"
#include "tunnel_cfg.h"

static struct server *
running(struct engine *e, long long id)
{
	for (struct server *s = e->servers; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

/* Stop the servers whose item is gone or disabled. */
static void
stop_removed(struct engine *e, const struct cdb_menu *m, const struct cdb_item_list *l)
{
	for (struct server *s = e->servers, *next; s; s = next) {
		int keep = 0;

		next = s->next;
		for (int i = 0; i < l->n; i++)
			keep |= l->items[i].id == s->id &&
				strcmp(cdb_item_text(m, &l->items[i], "disabled"), "yes");
		if (!keep)
			server_stop(s, "server disabled or removed");
	}
}

static void
servers(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/interface/ovpn-server/server");
	struct cdb_item_list l;
	struct cdb_err err;

	if (cdb_item_list(e->db, m, &l, &err)) {
		log_msg(LOG_ERR, "ovpn", "can not read servers: %s", err.msg);
		return;
	}
	stop_removed(e, m, &l);
	for (int i = 0; i < l.n; i++) {
		const struct cdb_item *it = &l.items[i];
		char *fp, why[256];
		struct server *s;

		if (!strcmp(cdb_item_text(m, it, "disabled"), "yes")) {
			cdb_rt_put(e->db, m->path, it->id, &(struct cdb_kv){ "last-error", NULL }, 1);
			continue;
		}
		fp = tunnel_fingerprint(e->db, m, it, NULL);
		if ((s = running(e, it->id)) && !strcmp(s->fingerprint, fp)) {
			free(fp);
			continue;
		}
		if (s)
			server_stop(s, "configuration changed");
		if (!server_start(e, it->id, fp, why, sizeof(why))) {
			log_msg(LOG_ERR, "ovpn", "server %s not started: %s",
				cdb_item_text(m, it, "name"), why);
			rt_running(e, m->path, it->id, 0);
		}
		/* print detail shows why it is not running, and nothing once it runs */
		cdb_rt_put(e->db, m->path, it->id,
			   &(struct cdb_kv){ "last-error", running(e, it->id) ? NULL : why }, 1);
		free(fp);
	}
	cdb_item_list_free(&l);
}

/* Sessions whose user was removed, disabled or changed end now. */
static void
sessions(struct engine *e)
{
	for (struct server *s = e->servers; s; s = s->next)
		for (struct peer *p = s->peers, *next; p; p = next) {
			next = p->next;
			if (p->user[0] && !p->closing && !peer_still_allowed(p))
				peer_end(p, "user removed or disabled");
		}
}

void
reconcile(struct engine *e)
{
	long long seq = cdb_journal_last(e->db);

	if (seq == e->applied && e->applied)
		return;
	log_msg(LOG_DEBUG, "system", "applying configuration up to change %lld", seq);
	servers(e);
	sessions(e);
	clients_reconcile(e);
	ip_reconcile(e);
	scheduler_run(e);
	services_reconcile(e);
	radius_reconcile(e);
	e->applied = seq;
}
