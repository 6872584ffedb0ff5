/* api.h: the RouterOS API front end: sentences turned into console
 * statements (api_cmd.c, api_query.c), listen (api_listen.c), and the
 * service that accepts connections (api_serve.c, api_conn.c). */
#ifndef API_H
#define API_H

#include "sh.h"
#include "api_word.h"

/* The end of a reply sentence: .tag=tag when the command had one. */
void api_reply_end(struct api_out *o, const char *tag);
/* Replies, each carrying the command's .tag when it had one (tag NULL). */
void api_reply_trap(struct api_out *o, const char *tag, const char *msg);	/* and !done */
void api_reply_done(struct api_out *o, const char *tag, const char *ret);
/* One item as !re: every property as text, .id first; sensitive values
 * only where the session may see them, never a password hash; proplist
 * (comma separated, NULL for all) narrows it. */
void api_reply_row(struct api_out *o, const char *tag, struct sh *sh,
		   const struct cdb_menu *m, const struct val *row, const char *proplist);

/* A sentence's .tag=, or NULL. */
const char *api_tag(const struct api_sentence *s);
/* An attribute word's value (=name=value), or NULL when absent. */
const char *api_attr(const struct api_sentence *s, const char *name);
/* A name the console reads as a word: letters, digits, '-', '.', '_'. */
int api_name_ok(const char *s);
/* Quote a client's value for a statement so it stays a value (caller
 * frees); NULL when it holds a byte the console can never take (NUL). */
char *api_quote(const char *v, size_t len);
/* "/ppp/secret/print" into the menu and the verb; -1 with why. */
int api_command(struct sh *sh, const char *word, const struct cdb_menu **m, char *verb,
		size_t vlen, const char **why);
/* The print of menu m as rows (print as-value where WHERE): 0, or -1 with
 * the console's error in sh->err. */
int api_print_rows(struct sh *sh, const struct cdb_menu *m, const char *where, struct val *rows);
/* The console's error without the line and column a person needs. */
const char *api_err(struct sh *sh);

/* api_query.c: the query words (?name=x, ?#|, ...) as a where expression
 * (caller frees; "" when none), or NULL with why. */
char *api_query_where(const struct api_sentence *s, const struct cdb_menu *m, const char **why);

/* api_cmd.c: run one sentence of a logged-in session. */
struct api_listens;
void api_cmd_run(struct sh *sh, const struct api_sentence *s, struct api_out *o,
		 struct api_listens *ls);

/* api_listen.c: live changes of menus, streamed until cancelled. */
struct api_listens;
struct api_listens *api_listens_new(void);
void api_listens_free(struct api_listens *l);
/* Start a listen on the items matching where (NULL: all); initial=1 (print
 * follow) writes the items now first. */
void api_listen_start(struct api_listens *l, struct sh *sh, const struct cdb_menu *m,
		      const char *tag, const char *proplist, const char *where, int initial,
		      struct api_out *o);
/* Stop the listen tagged tag: 1 if there was one ("!trap interrupted" and
 * "!done" are written for it). */
int api_listen_cancel(struct api_listens *l, const char *tag, struct api_out *o);
int api_listen_count(const struct api_listens *l);
/* The session ran a command: the next poll compares even if no other
 * connection committed. */
void api_listens_touch(struct api_listens *l);
/* Look for changes since the last poll and write them. */
void api_listen_poll(struct api_listens *l, struct sh *sh, struct api_out *o);

/* api_serve.c: rosh --serve api|api-ssl */
int api_serve(const char *dbpath, const char *sockpath, const char *service);

#endif
