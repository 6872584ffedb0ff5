/* request.c: requests a line makes of the engine (or that replace the
 * database), queued while the line runs and made after it commits. A
 * failure is reported at the command that asked, or, when that command ran
 * in a script or a file, at the statement of the line that ran it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

struct sh_request {
	sh_request_fn run;
	void (*drop)(const char *arg);
	char *arg;
	size_t pos;
	int line_end;
	struct sh_request *next;
};

void
sh_request(struct cmdctx *c, sh_request_fn run, void (*drop)(const char *arg),
	   const char *arg, int line_end)
{
	struct sh *sh = c->sh;
	/* the line's own text is what a failure is shown against */
	size_t pos = c->src == sh->line_src ? c->cmdpos : sh->line_stmt;
	struct sh_request *r, **tail;

	if (sh->dry_run) {
		if (drop)
			drop(arg);
		return;
	}
	r = calloc(1, sizeof(*r));
	*r = (struct sh_request){ run, drop, strdup(arg), pos, line_end, NULL };
	for (tail = &sh->requests; *tail; tail = &(*tail)->next)
		;
	*tail = r;
}

static void
request_free(struct sh_request *r)
{
	if (r->drop)
		r->drop(r->arg);
	free(r->arg);
	free(r);
}

int
sh_requests_run(struct sh *sh, int line_end)
{
	struct sh_request **at = &sh->requests, *r;
	int rc = 0;

	while ((r = *at)) {
		if (r->line_end && !line_end) {
			at = &r->next;
			continue;
		}
		*at = r->next;
		if (r->run(sh, r->pos, r->arg))
			rc = -1;
		request_free(r);
	}
	return rc;
}

int
sh_requests_count(const struct sh *sh)
{
	int n = 0;

	for (const struct sh_request *r = sh->requests; r; r = r->next)
		n++;
	return n;
}

void
sh_requests_trim(struct sh *sh, int keep)
{
	struct sh_request **at = &sh->requests, *r;

	for (; *at && keep > 0; keep--)
		at = &(*at)->next;
	while ((r = *at)) {
		*at = r->next;
		request_free(r);
	}
}

void
sh_requests_drop(struct sh *sh)
{
	struct sh_request *r;

	while ((r = sh->requests)) {
		sh->requests = r->next;
		request_free(r);
	}
}

int
sh_request_engine(struct sh *sh, size_t pos, const char *line)
{
	char reply[128];

	if (cdb_request(sh->sockpath, line, reply, sizeof(reply)))
		return sh_fail(sh, pos, "failure: the engine (roshd) is not running");
	if (strcmp(reply, "ok"))
		return sh_fail(sh, pos, "failure: %s", reply + (strncmp(reply, "error ", 6) ? 0 : 6));
	return 0;
}
