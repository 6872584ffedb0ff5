/* cmd_monitor.c: monitor ITEM [once] [interval=T]: the runtime state the
 * engine writes for an item (its menu's read-only properties: for
 * /interface ovpn-client status, uptime, encoding, actual-mtu, addresses, last
 * error), as "name: value" lines. On a terminal it redraws every interval
 * until Ctrl-C; with once, or when the output is not a terminal, it prints
 * once. It asks the engine and waits, so, as at :delay, the line lets go
 * of the database first (sh_before_wait: what it changed is committed) and
 * again before each redraw, which then reads the engine's newest writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "items.h"
#include "monitor_loop.h"

/* The engine answers on its socket: a "commit" of what is already applied
 * changes nothing there. */
static int
engine_running(struct sh *sh)
{
	char line[64], reply[64];

	snprintf(line, sizeof(line), "commit %lld", cdb_journal_last(sh->db));
	return cdb_request(sh->sockpath, line, reply, sizeof(reply)) == 0;
}

/* One screen: returns the number of lines printed, -1 on error. */
static int
show(struct cmdctx *c, long long id)
{
	const struct cdb_menu *m = c->m;
	struct cdb_item it;
	struct cdb_err e;
	int width = 0, lines = 0, disabled;

	if (cdb_item_get(c->sh->db, m, id, &it, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	for (int i = 0; i < m->nprops; i++)
		if ((m->props[i].flags & P_READONLY) && (int)strlen(m->props[i].name) > width)
			width = (int)strlen(m->props[i].name);
	disabled = cdb_item_text(m, &it, "disabled") &&
		   !strcmp(cdb_item_text(m, &it, "disabled"), "yes");
	if (disabled || !engine_running(c->sh)) {
		/* name the socket: a roshd started with another --socket is
		 * running, only not where this console asks */
		if (disabled)
			fprintf(c->sh->out, "%*s: disabled\n", width, "status");
		else
			fprintf(c->sh->out, "%*s: unknown (the engine, roshd, is not running:"
				" nothing answers on %s)\n", width, "status", c->sh->sockpath);
		cdb_item_clear(&it);
		return 1;
	}
	for (int i = 0; i < m->nprops; i++) {
		const char *v = it.v[i];

		if (!(m->props[i].flags & P_READONLY) || !v || !*v)
			continue;
		fprintf(c->sh->out, "%*s: %s\n", width, m->props[i].name, v);
		lines++;
	}
	cdb_item_clear(&it);
	if (!lines) {	/* a static server interface no session uses now */
		fprintf(c->sh->out, "%*s: %s\n", width, "status", "disconnected");
		lines = 1;
	}
	return lines;
}

static int
show_one(struct cmdctx *c, void *id)
{
	return show(c, *(long long *)id);
}

int
cmd_monitor(struct cmdctx *c)
{
	struct monitor_args a;
	long long *ids;
	int n, rc;

	if (monitor_args(c, "numbers", &a) || sh_items(c->sh, a.what->pos, c->m, &a.what->v, &ids, &n))
		return -1;
	if (n != 1) {
		free(ids);
		return sh_fail(c->sh, a.what->pos, "monitor takes one item");
	}
	/* before the engine is asked */
	rc = sh_before_wait(c->sh, c->cmdpos) ? -1 : monitor_loop(c, &a, show_one, &ids[0]);
	free(ids);
	return rc;
}
