/* print.h: output for a person: paging (pager.c), coloured flags, values
 * quoted to read back (cmd_print.c), and the menus as a man page. */
#ifndef PRINT_H
#define PRINT_H

#include "sh.h"

/* pager.c: long print output in pages on a terminal */
void sh_page_begin(struct sh *sh, int without_paging);
/* Show what was written since sh_page_begin; -1 (failure recorded at pos)
 * when the line could not let go of the database before waiting for a key. */
int sh_page_end(struct sh *sh, size_t pos);
/* The flags column, coloured when a person reads it on a terminal. */
const char *sh_paint_flags(struct sh *sh, const char *flags, char *buf, size_t len);

/* cmd_print.c: a value as print and export write it (caller frees) */
char *quote_value(const char *v, int always);

/* manpage.c */
void sh_man_menus(FILE *f, const struct cdb_catalog *cat);

#endif
