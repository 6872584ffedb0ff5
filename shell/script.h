/* script.h: the console's scripting language: typed values, variables and
 * their scopes, expressions, and the colon commands (:if, :foreach ...). */
#ifndef SCRIPT_H
#define SCRIPT_H

#include "sh.h"

/* Bounds that make a hostile script end with an error. */
#define SC_MAXSTEPS	1000000		/* statements and loop turns per console line */
#define SC_MAXSTR	(1 << 20)	/* bytes of one string */
#define SC_MAXARRAY	100000		/* elements of one array */
#define SC_MAXKEYS	10000		/* elements of one keyed array (found by a scan) */
#define SC_MAXVARS	10000		/* variables alive at once */
#define SC_MAXBYTES	(64LL << 20)	/* bytes held by one array, and by all variables */
#define SC_MAXDELAY_MS	30000		/* :delay per console line, in total */

/* script_value.c: typed values */
void val_copy(struct val *dst, const struct val *src);
void val_move(struct val *dst, struct val *src);
void val_num(struct val *v, long long n);
void val_bool(struct val *v, int b);
void val_id(struct val *v, long long id);
void val_time(struct val *v, long long ms);
void val_nothing(struct val *v);
void val_array(struct val *v);
int val_push(struct val *arr, const char *key, struct val *moved);
void val_type_word(struct val *v);
long long val_weight(const struct val *v);
const char *val_type_name(const struct val *v);
int val_count(const struct val *v);
void val_elem(const struct val *arr, int i, struct val *out);
const char *val_key(const struct val *arr, int i);
int val_index(const struct val *arr, struct val *key, struct val *out);
int val_parse_time(const char *s, long long *ms);
char *val_fmt_time(long long ms);
int val_truth(struct val *v, int *yes);
int val_as(struct val *v, enum val_type t);
void val_print_rows(struct val *out, const struct cdb_menu *m, const struct cdb_item_list *l,
		    const int *cols, int ncols);

/* script_vars.c: variables, scopes, and the per-line budget */
struct val *sc_lookup(struct sh *sh, const char *name);
int sc_define(struct sh *sh, size_t pos, const char *name, int global, struct val *moved);
int sc_assign(struct sh *sh, size_t pos, struct val *slot, struct val *moved);
int sc_account(struct sh *sh, size_t pos, long long delta);
void sc_push(struct sh *sh);
void sc_pop(struct sh *sh);
int sc_step(struct sh *sh, size_t pos);
int sc_delay_budget(struct sh *sh, size_t pos, long long ms);
void sc_set_limits(struct sh *sh, long long delay_ms, long long steps);
void sc_line_start(struct sh *sh);
int sc_fatal(struct sh *sh);
void sc_set_fatal(struct sh *sh);
int sc_returning(struct sh *sh);
void sc_set_return(struct sh *sh, struct val *moved);
void sc_take_return(struct sh *sh, struct val *out);

/* script_expr.c: expressions and the values only scripts have */
int sc_expr(struct sh *sh, struct src *s, struct val *out);
int sc_dollar(struct sh *sh, struct src *s, struct val *out);
int sc_array_literal(struct sh *sh, struct src *s, struct val *out);
int sc_value(struct sh *sh, struct src *s, struct val *out);

/* script_block.c: code that runs later or again */
int sc_skip_value(struct sh *sh, struct src *s);
int sc_block(struct sh *sh, struct src *s, size_t at);
int sc_statements(struct sh *sh, struct src *s, int close);
int sc_run_source(struct sh *sh, const char *name, const char *text, const struct val *params,
		  struct val *ret);

/* script_cmds.c, script_builtins.c: the colon commands */
int sc_colon(struct sh *sh, struct src *s, struct val *ret);

/* An argument of a colon command, kept as where its value is, since a
 * loop's condition and body run more than once. */
struct sarg {
	char *name;			/* NULL for a positional one */
	size_t pos;			/* where the argument starts */
	size_t vpos, vend;		/* its value */
};

struct sargs {
	struct sarg a[16];
	int n;
};

int sc_eval(struct sh *sh, struct src *s, const struct sarg *a, struct val *out);
int sc_read_args(struct sh *sh, struct src *s, struct sargs *args);
void sc_free_args(struct sargs *args);
int sc_only(struct sh *sh, const struct sargs *args, const char *const *names, int max);
int sc_try(struct sh *sh, struct src *s, size_t body, char *msg, size_t msglen);
const struct sarg *sc_named(const struct sargs *args, const char *name);
const struct sarg *sc_positional(const struct sargs *args, int nth);
int sc_builtin(struct sh *sh, struct src *s, const char *name, size_t pos,
	       const struct sargs *args, struct val *ret, int *found);

int sc_time_arg(struct sh *sh, size_t pos, struct val *v, long long *ms);
int sc_sleep(struct sh *sh, size_t pos, long long ms);
int sc_builtin_more(struct sh *sh, struct src *s, const char *name, size_t pos,
		    const struct sargs *args, struct val *ret, int *found);

/* script_func.c: code as a value: functions, :parse, :execute, :retry */
int sc_code_arg(struct sh *sh, struct src *s, const struct sarg *a, struct val *out);
int sc_call(struct sh *sh, struct src *s, struct val *ret);

/* The commands of script_func.c, script_json.c and script_convert.c: an
 * argument list in, a value out. */
typedef int sc_cmd_fn(struct sh *sh, struct src *s, size_t pos, const struct sargs *args,
		      struct val *out);
sc_cmd_fn sc_parse, sc_execute, sc_retry, sc_jobname, sc_nothing;
sc_cmd_fn sc_serialize, sc_deserialize;
/* script_json.c for front ends (REST): JSON text of a value, and a value
 * from JSON text (plain: strings stay strings); -1 with err on bad text. */
void json_put_string(struct cdb_buf *b, const char *t);
void json_put_value(struct cdb_buf *b, struct val *v, int strings);
int json_parse(const char *text, size_t len, int plain, struct val *out, char *err,
	       size_t errlen);
sc_cmd_fn sc_convert, sc_rndnum, sc_rndstr, sc_timestamp;

#endif
