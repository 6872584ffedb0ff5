/* files.h: the file store, a folder beside the database. Every name is
 * checked to stay inside it. */
#ifndef FILES_H
#define FILES_H

#include "cmd.h"

#define FILES_MAX (16u << 20)	/* largest file the console reads */

int files_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	       struct cdb_err *e);
int files_remove(struct cmdctx *c);
int files_path(struct sh *sh, size_t pos, const char *name, char **out);
int files_read(struct sh *sh, size_t pos, const char *name, char **text, size_t *len);
int files_write(struct sh *sh, size_t pos, const char *name, const char *text, size_t len);

#endif
