/* ros6.h: RouterOS 6 ways of writing things (ros6.c). */
#ifndef ROS6_H
#define ROS6_H

#include "cmd.h"

/* Whether name is enabled standing for the inverse of m's disabled. */
int sh_enabled_prop(const struct cdb_menu *m, const char *name);
/* Rewrite enabled=yes|no arguments as disabled=no|yes. 0, or -1 recorded. */
int sh_enabled_args(struct cmdctx *c);
/* The id of m's default item (schema default-item=), 0 when none. */
long long sh_default_item(struct sh *sh, const struct cdb_menu *m);

#endif
