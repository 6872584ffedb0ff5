/* console.h: the parts of the interactive console (line editing, completion,
 * ? help). Only rosh links them; batches and fuzz targets never do. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "sh.h"

/* What the text before the cursor means, for Tab and ?. */
struct ctx {
	const struct cdb_menu *m;	/* menu the words lead to */
	const char *cmd;		/* command typed, or NULL */
	const struct cdb_prop *prop;	/* the word is NAME=VALUE: NAME's property */
	const char *word;		/* the part being typed (after '=' for a value) */
	size_t wordlen;
	int quoted;			/* the cursor is inside "..." */
	int bad;			/* an earlier word means nothing here */
};

/* One thing that may come next. */
struct cand {
	char *word;
	char *help;			/* one line, or NULL */
	char suffix;			/* appended when completed: ' ', '=', '/' or 0 */
};

/* complete.c */
void ctx_parse(struct sh *sh, const char *text, size_t len, struct ctx *cx);
int cands_for(struct sh *sh, const struct ctx *cx, struct cand **out);
void cands_free(struct cand *v, int n);

/* help.c: one line on each command and on a property's type */
const char *help_command(const char *cmd);
void help_type(const struct cdb_prop *p, char *buf, size_t len);

/* edit_line.c: the editor edit opens (cmd_edit_value.c) */
void sh_editor_start(void);

/* interactive.c */
int sh_interactive(struct sh *sh);

#endif
