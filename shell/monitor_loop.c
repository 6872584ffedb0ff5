/* monitor_loop.c: the arguments and the redraw loop that monitor and
 * /interface monitor-traffic share: a screen printed once (with once, or
 * into a pipe), or on a terminal redrawn in place every interval until
 * Ctrl-C (or q). Each wait lets go of the database first (sh_before_wait), so
 * the next screen reads the engine's newest writes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "monitor_loop.h"

int
monitor_args(struct cmdctx *c, const char *first, struct monitor_args *m)
{
	const char *const names[] = { first, "once", "interval", NULL };
	struct arg *a;

	m->what = arg_find(c, first);
	m->once = arg_find(c, "once") != NULL;
	m->interval = 1;
	if (sh_only_args(c, names, 2))
		return -1;
	for (int k = 0; (a = arg_unnamed(c, k)); k++) {
		if (a->bare && !strcmp(val_text(&a->v), "once") && (m->what || k > 0))
			m->once = 1;
		else if (!m->what)
			m->what = a;
		else
			return sh_fail(c->sh, a->pos, "expected end of command");
	}
	if (!m->what)
		return sh_fail(c->sh, c->cmdpos, "missing value of %s", first);
	if ((a = arg_find(c, "interval")) &&
	    (cdb_parse_time(val_text(&a->v), &m->interval) || m->interval < 1 ||
	     m->interval > 3600))
		return sh_fail(c->sh, a->pos, "invalid value for argument interval");
	return 0;
}

int
monitor_loop(struct cmdctx *c, const struct monitor_args *a,
	     int (*show)(struct cmdctx *c, void *ctx), void *ctx)
{
	int once = a->once || !isatty(fileno(c->sh->out)), lines, rc = 0;

	if (!once)
		sh_stop_catch();
	for (;;) {
		if ((lines = show(c, ctx)) < 0) {
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
		if (sh_wait_or_stop((int)a->interval * 1000))
			break;
		fprintf(c->sh->out, "\033[%dA\033[J", lines);	/* redraw in place */
	}
	if (!once)
		sh_stop_release();
	return rc;
}
