/* cmd_monitor.c: monitor ITEM [once] [interval=T]: the runtime state the
 * engine writes for an item (its menu's read-only properties: for
 * /interface ovpn-client status, uptime, encoding, actual-mtu, addresses, last
 * error), as "name: value" lines. On a terminal it redraws every interval
 * until Ctrl-C; with once, or when the output is not a terminal, it prints
 * once. It asks the engine and waits, so, as at :delay, the line lets go
 * of the database first (sh_before_wait: what it changed is committed) and
 * again before each redraw, which then reads the engine's newest writes. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "items.h"

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

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
		fprintf(c->sh->out, "%*s: %s\n", width, "status",
			disabled ? "disabled" : "unknown (the engine, roshd, is not running)");
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
parse_args(struct cmdctx *c, struct arg **items, int *once, long long *interval)
{
	static const char *const names[] = { "numbers", "once", "interval", NULL };
	struct arg *a;

	*items = arg_find(c, "numbers");
	*once = arg_find(c, "once") != NULL;
	*interval = 1;
	if (sh_only_args(c, names, 2))
		return -1;
	for (int k = 0; (a = arg_unnamed(c, k)); k++) {
		if (a->bare && !strcmp(val_text(&a->v), "once") && (*items || k > 0))
			*once = 1;
		else if (!*items)
			*items = a;
		else
			return sh_fail(c->sh, a->pos, "expected end of command");
	}
	if (!*items)
		return sh_fail(c->sh, c->cmdpos, "missing value of numbers");
	if ((a = arg_find(c, "interval")) &&
	    (cdb_parse_time(val_text(&a->v), interval) || *interval < 1 || *interval > 3600))
		return sh_fail(c->sh, a->pos, "invalid value for argument interval");
	return 0;
}

int
cmd_monitor(struct cmdctx *c)
{
	struct sigaction sa = { .sa_handler = on_interrupt }, old;
	struct arg *items;
	long long *ids, interval;
	int n, once, lines, rc = 0;

	if (parse_args(c, &items, &once, &interval) ||
	    sh_items(c->sh, items->pos, c->m, &items->v, &ids, &n))
		return -1;
	if (n != 1) {
		free(ids);
		return sh_fail(c->sh, items->pos, "monitor takes one item");
	}
	if (sh_before_wait(c->sh, c->cmdpos)) {	/* before the engine is asked */
		free(ids);
		return -1;
	}
	once |= !isatty(fileno(c->sh->out));
	interrupted = 0;
	if (!once)
		sigaction(SIGINT, &sa, &old);
	for (;;) {
		if ((lines = show(c, ids[0])) < 0) {
			rc = -1;
			break;
		}
		fflush(c->sh->out);
		if (once)
			break;
		if (sh_before_wait(c->sh, c->cmdpos)) {
			rc = -1;
			break;
		}
		sleep((unsigned)interval);
		if (interrupted)
			break;
		fprintf(c->sh->out, "\033[%dA\033[J", lines);	/* redraw in place */
	}
	if (!once)
		sigaction(SIGINT, &old, NULL);
	free(ids);
	return rc;
}
