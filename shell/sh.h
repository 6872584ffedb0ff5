/* sh.h: the console's shared types: session, source text, values. */
#ifndef SH_H
#define SH_H

#include <stdio.h>

#include "configdb.h"

#define SH_MAXDEPTH 64		/* nesting of [ ] ( ) { } and calls */

/* A value of the console language. V_IDS is what find returns (an array of
 * ids to scripts); the other kinds are the script types of script_value.c. */
enum val_type { V_NIL, V_STR, V_NUM, V_BOOL, V_IDS, V_ARRAY, V_ID, V_IP, V_PREFIX,
		V_TIME, V_NOTHING };

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

/* batch.c: top-level statements, one transaction each */
int sh_run_text(struct sh *sh, const char *text, size_t len);
int sh_text_open(const char *text, size_t len);
void sh_report(struct sh *sh, const struct src *s);
int sh_before_wait(struct sh *sh, size_t pos);
/* report.c: an error for a person: the line, a caret under the column */
void sh_report_caret(struct sh *sh, const struct src *s);
void sh_prompt(struct sh *sh, char *buf, size_t len);
int sh_value(struct sh *sh, struct src *s, struct val *out);

/* menu.c: menus, commands and abbreviation */
const char *const *menu_commands(const struct cdb_menu *m, int *n);
int sh_match(struct sh *sh, size_t pos, const char *what, const char *word,
	     const char *const *cands, int n, int *idx);
int match_prop(struct sh *sh, size_t pos, const struct cdb_menu *m, const char *word,
	       const struct cdb_prop **out);
const char *menu_words(const struct cdb_menu *m, char *buf, size_t len);

/* items.c: item references and print numbers */
int sh_items(struct sh *sh, size_t pos, const struct cdb_menu *m, struct val *ref,
	     long long **ids, int *n);
void sh_set_numbers(struct sh *sh, const struct cdb_menu *m, const long long *ids, int n);
void sh_free_numbers(struct sh *sh);

/* where.c: where expressions over items */
struct where;
int where_parse(struct sh *sh, struct src *s, const struct cdb_menu *m, struct where **w);
int where_match(struct sh *sh, const struct where *w, const struct cdb_menu *m,
		const struct cdb_item *it);
void where_free(struct where *w);

/* An argument of a command as typed. */
struct arg {
	char *name;			/* NULL for an unnamed value */
	struct val v;
	size_t pos;			/* where it starts */
	int unset;			/* !name */
	int bare;			/* a bare word, no '=' */
};

struct cmdctx {
	struct sh *sh;
	struct src *src;
	const struct cdb_menu *m;
	const char *cmd;
	size_t cmdpos;
	struct arg *args;
	int nargs;
	struct where *where;
	struct val *ret;		/* value the command returns */
};

/* cmd_*.c */
int cmd_add(struct cmdctx *c);
int cmd_set(struct cmdctx *c);
int cmd_unset(struct cmdctx *c);
int cmd_remove(struct cmdctx *c);
int cmd_enable(struct cmdctx *c);
int cmd_disable(struct cmdctx *c);
int cmd_comment(struct cmdctx *c);
int cmd_move(struct cmdctx *c);
int cmd_get(struct cmdctx *c);
int cmd_find(struct cmdctx *c);
int cmd_print(struct cmdctx *c);
int cmd_export(struct cmdctx *c);
int cmd_import(struct cmdctx *c);
int cmd_reset(struct cmdctx *c);
int cmd_file_add(struct cmdctx *c);
int cmd_active_remove(struct cmdctx *c);
int cmd_script_run(struct cmdctx *c);		/* script_cmds.c */
int cmd_backup_save(struct cmdctx *c);
int cmd_backup_load(struct cmdctx *c);
int cmd_cert_sign(struct cmdctx *c);
int cmd_cert_import(struct cmdctx *c);
int cmd_cert_export(struct cmdctx *c);
int cmd_cert_revoke(struct cmdctx *c);
int sh_set_system(struct cmdctx *c, long long id, const struct cdb_kv *kv, int n);
int sh_cert_import_text(struct cmdctx *c, const unsigned char *data, size_t len,
			const char *pass, const char *want, char **first, int counts[3]);
int cmd_ovpn_export(struct cmdctx *c);
/* cmd_history.c: /undo, /redo, /system history print */
int cmd_undo(struct cmdctx *c);
int cmd_redo(struct cmdctx *c);
int cmd_history_print(struct cmdctx *c);
/* safemode.c: /system safe-mode, and Ctrl-X */
int cmd_safe_mode(struct cmdctx *c);
int sh_safe_toggle(struct sh *sh, char *msg, size_t len);
void sh_safe_end(struct sh *sh);
/* pager.c: long print output in pages on a terminal */
void sh_page_begin(struct sh *sh, int without_paging);
int sh_page_end(struct sh *sh, size_t pos);
/* The flags column, coloured when a person reads it on a terminal. */
const char *sh_paint_flags(struct sh *sh, const char *flags, char *buf, size_t len);
int cmd_ovpn_import(struct cmdctx *c);
int cmd_monitor(struct cmdctx *c);

/* listing.c: the items of a menu as commands see them */
int sh_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	    struct cdb_err *e);
int sh_filter_items(struct cmdctx *c, struct cdb_item_list *l);

/* manpage.c */
void sh_man_menus(FILE *f, const struct cdb_catalog *cat);

/* helpers shared by the commands */
struct arg *arg_find(struct cmdctx *c, const char *name);
struct arg *arg_unnamed(struct cmdctx *c, int nth);
int sh_only_args(struct cmdctx *c, const char *const *allowed, int max_unnamed);
int sh_apply_error(struct cmdctx *c, const struct cdb_err *e, const struct cdb_kv *kv,
		   const size_t *kvpos);
char *quote_value(const char *v, int always);

#endif
