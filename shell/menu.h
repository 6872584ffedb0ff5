/* menu.h: words against the catalog: the commands of a menu, properties,
 * and unique-prefix abbreviation (menu.c). */
#ifndef MENU_H
#define MENU_H

#include "sh.h"

const char *const *menu_commands(const struct cdb_menu *m, int *n);
int sh_match(struct sh *sh, size_t pos, const char *what, const char *word,
	     const char *const *cands, int n, int *idx);
int match_prop(struct sh *sh, size_t pos, const struct cdb_menu *m, const char *word,
	       const struct cdb_prop **out);
const char *menu_words(const struct cdb_menu *m, char *buf, size_t len);

#endif
