/* args.h: the arguments of a command as typed (args.c). */
#ifndef ARGS_H
#define ARGS_H

#include "cmd.h"

/* A named argument given a value, or the nth unnamed one; NULL if none. */
struct arg *arg_find(struct cmdctx *c, const char *name);
struct arg *arg_unnamed(struct cmdctx *c, int nth);
/* Refuse named arguments outside allowed, and unnamed ones beyond max. */
int sh_only_args(struct cmdctx *c, const char *const *allowed, int max_unnamed);
/* Record configdb's failure e at the argument it names (kvpos[e->arg]), else
 * at the command. */
int sh_apply_error(struct cmdctx *c, const struct cdb_err *e, const struct cdb_kv *kv,
		   const size_t *kvpos);

#endif
