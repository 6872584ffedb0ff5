/* sh.h: the console's core: the session, the source text being run, the
 * values of the console language, and running statements and lines. */
#ifndef SH_H
#define SH_H

#include <stdio.h>

#include "configdb.h"

#define SH_MAXDEPTH 64		/* nesting of [ ] ( ) { } and calls */

/* A value of the console language. V_IDS is what find returns (an array of
 * ids to scripts); the other kinds are the script types of script_value.c. */
enum val_type { V_NIL, V_STR, V_NUM, V_BOOL, V_IDS, V_ARRAY, V_ID, V_IP, V_PREFIX,
		V_TIME, V_NOTHING, V_CODE };

struct val {
	enum val_type t;
	char *s;			/* V_STR text; also the text of any value */
	long long n;			/* V_NUM, V_BOOL, V_ID, V_TIME (milliseconds) */
	long long *ids;			/* V_IDS */
	int nids;
	struct val *el;			/* V_ARRAY elements */
	char **keys;			/* V_ARRAY keys (NULL for a plain list) */
	int nel;
};

/* Text being run: a script, one line, a file being imported. */
struct src {
	const char *text;
	size_t len;
	size_t pos;
	const char *name;		/* file name for errors, or NULL */
};

/* Print numbers from the session's last print of a menu. */
struct numbering {
	const struct cdb_menu *menu;
	long long *ids;
	int n;
};

struct sh {
	struct cdb *db;
	const struct cdb_menu *cwd;	/* current menu */
	FILE *out;
	const char *sockpath;		/* roshd's socket, for commit notification */
	struct numbering *nums;
	int nnums;
	int depth;			/* nesting guard */
	int subst;			/* inside [ ]: commands return, not print */
	int echo;			/* print prompt and command (transcripts) */
	int keep_going;			/* continue after a failing line */
	char err[640];			/* message of the last failure */
	int err_placed;			/* err already names its line and column */
	size_t errpos;			/* where in the source it happened */
	int failed;
	int quit;			/* quit was run: stop reading */
	const char *user;		/* who is at the console: prompt, history, safe mode */
	char *login_name;		/* user's storage once logged in (login.c) */
	long long active_id;		/* the session's /user active row, or 0 */
	struct login_acct *radius;	/* a RADIUS login's accounting (login_radius.c) */
	int no_password;		/* the user has none: the console says so */
	const char *job;		/* the /system script being run, for :jobname */
	int interactive;		/* a person at a terminal: paging, colours, carets */
	int color;			/* colour flags: interactive and stdout a terminal */
	FILE *page_saved;		/* the real out while a print is paged (pager.c) */
	char *page_buf;			/* what the print wrote, to be paged */
	size_t page_len;
	struct sc_state *sc;		/* scripting: variables and limits (script_vars.c) */
	const struct src *line_src;	/* the line being run (batch.c) */
	size_t line_stmt;		/* where its statement being run starts */
	struct sh_request *requests;	/* to make once the line commits (request.c) */
	int dry_run;			/* inside import dry-run: nothing may be kept */
	long long told_seq;		/* the last commit the engine was told of */
	int imports_done;		/* /import runs that await the line's commit */
};

/* scan.c: reading the source */
int src_peek(const struct src *s);
int src_at_end_of_cmd(struct src *s);
void src_skip_space(struct src *s);
void src_skip_to_eol(struct src *s);
int sh_fail(struct sh *sh, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void src_linecol(const struct src *s, size_t pos, int *line, int *col);
int is_word_char(int c);

/* value.c */
void val_free(struct val *v);
void val_str(struct val *v, const char *s);
void val_ids(struct val *v, const long long *ids, int n);
const char *val_text(struct val *v);
const char *val_script_text(struct val *v);	/* script_value.c */
char *fmt_id(long long id);

/* run.c: running statements */
int sh_run(struct sh *sh, struct src *s);
int sh_stmt(struct sh *sh, struct src *s, struct val *ret);
int sh_value(struct sh *sh, struct src *s, struct val *out);

/* batch.c: top-level lines, one transaction each */
int sh_run_text(struct sh *sh, const char *text, size_t len);
/* One line whose value a front end wants (the API, REST): commands return
 * what they would print; 0 with the last statement's value, or -1 with
 * the failure in sh->err. */
int sh_eval(struct sh *sh, const char *text, size_t len, struct val *ret);
int sh_text_open(const char *text, size_t len);
/* A copy of a typed line fit for history: passwords and passphrases in it
 * become "***". */
char *sh_redact(const char *text, size_t len);
/* Where the logical line starting at pos ends: continuations, blocks and
 * strings over several physical lines are one line. */
size_t sh_line_end(const struct src *s, size_t pos);
void sh_report(struct sh *sh, const struct src *s);
void sh_prompt(struct sh *sh, char *buf, size_t len);
/* Before the console waits (for time or a person): the line lets go of the
 * database, committing what it changed so far. 0, or -1 with the failure
 * recorded at pos. */
int sh_before_wait(struct sh *sh, size_t pos);
/* interrupt.c: a command that repeats until Ctrl-C (or q, Ctrl-D) */
void sh_stop_catch(void);
void sh_stop_release(void);
int sh_wait_or_stop(int ms);
/* report.c: an error for a person: the line, a caret under the column */
void sh_report_caret(struct sh *sh, const struct src *s);
int sh_colour_ok(int fd);

#endif
