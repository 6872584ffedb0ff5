/* request.h: what a console line asks of others than the database (the
 * engine to end a session, a backup to be loaded), made once the line's
 * changes are committed: a line stays one transaction, and the engine is
 * never asked to act while this line holds the write lock. */
#ifndef REQUEST_H
#define REQUEST_H

#include "cmd.h"

/* Makes the request; arg is the request's own text. 0, or -1 with the
 * failure recorded at pos. */
typedef int (*sh_request_fn)(struct sh *sh, size_t pos, const char *arg);

/* Queue run(arg) for after the commit, on behalf of command c; drop(arg),
 * when given, is called after run, or instead if the line fails. A request
 * that replaces the database waits for the line's end (line_end), the
 * others are made at the line's next wait too. In a dry run nothing is
 * queued. */
void sh_request(struct cmdctx *c, sh_request_fn run, void (*drop)(const char *arg),
		const char *arg, int line_end);
/* Run the queued requests (those for the line's end only when line_end).
 * Each is made, even after one failed; 0, or -1 with the first failure. */
int sh_requests_run(struct sh *sh, int line_end);
/* The line failed: forget its requests. */
void sh_requests_drop(struct sh *sh);
/* A part of a line failed (a line of an import run line by line): forget
 * the requests queued after the first keep. */
int sh_requests_count(const struct sh *sh);
void sh_requests_trim(struct sh *sh, int keep);

/* The engine's "active-remove *ID" and the like: one line, "ok" back. */
int sh_request_engine(struct sh *sh, size_t pos, const char *line);

#endif
