/* stale.c: runtime state an engine left behind. roshd empties it when it
 * stops, but one that was killed leaves its sessions, dynamic interfaces and
 * running flags in the database. A console that finds no roshd on its
 * socket (c->engine_down) reads none of that, and counts what it hid so that
 * print can say why instead of showing dead sessions as running. */
#include <string.h>

#include "db_int.h"

/* The engine's rows and running flags of a runtime menu, dropped while the
 * engine is down. A view of its own (/ppp active) is the engine's alone; in
 * the others its rows are the dynamic ones. */
void
cdb_stale_hide(struct cdb *c, const struct cdb_menu *m, struct cdb_item_list *l)
{
	int k = 0, whole = m->kind == M_VIEW && !m->iface;

	if (!c->engine_down || !(m->flags & M_RUNTIME))
		return;
	for (int i = 0; i < l->n; i++) {
		struct cdb_item *it = &l->items[i];

		if (whole || it->dynamic) {
			cdb_item_clear(it);
			c->stale_hidden++;
			continue;
		}
		if (it->running) {
			it->running = 0;
			c->stale_hidden++;
		}
		l->items[k++] = *it;
	}
	l->n = k;
}
