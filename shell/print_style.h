/* print_style.h: how one print is asked for (cmd_print.c reads the words)
 * and the forms that repeat or redirect it (print_forms.c: follow,
 * interval=, file=, from=, value-list). Private to the two. */
#ifndef PRINT_STYLE_H
#define PRINT_STYLE_H

#include "cmd.h"

enum pstyle { P_TABLE, P_DETAIL, P_TERSE, P_VALUE, P_COUNT, P_VLIST };

struct popts {
	enum pstyle style;
	int sensitive;			/* show-sensitive */
	int *cols;			/* property indexes to show */
	int ncols;
	int without_paging;		/* never page, even on a terminal */
	int stats;			/* counters beside the first columns */
	int follow;			/* 1 follow, 2 follow-only */
	long long interval;		/* interval=: seconds between prints, 0 none */
	struct arg *file;		/* file=NAME: into the file store as NAME.txt */
	struct arg *from;		/* from=: only these items, in this order */
	const int *nums;		/* the number shown for item i, NULL: i */
	int no_header;			/* table rows only (follow's later rows) */
	int *widths;			/* table column widths kept between prints */
};

/* cmd_print.c */
int print_flag_set(const struct cdb_menu *m, char *flags);
void print_legend(struct sh *sh, const struct cdb_menu *m, const char *flags);
void print_rows(struct cmdctx *c, const struct popts *o, struct cdb_item_list *l,
		const char *flags);
const char *print_shown(const struct popts *o, const struct cdb_menu *m,
			const struct cdb_item *it, int i);

/* print_forms.c */
/* A word or NAME=VALUE print_forms.c takes: 1 taken into o, 0 not one of
 * its own, -1 refused (failure recorded). */
int print_form_word(struct cmdctx *c, struct arg *a, struct popts *o);
/* Combinations that mean nothing are refused: 0 or -1. */
int print_form_check(struct cmdctx *c, const struct popts *o);
/* The items to print: the where expression, then from=. */
int print_list(struct cmdctx *c, const struct popts *o, struct cdb_item_list *l);
void print_value_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
		      const struct popts *o);
int print_to_file(struct cmdctx *c, const struct popts *o, struct cdb_item_list *l,
		  const char *flags);
int print_repeat(struct cmdctx *c, struct popts *o);

#endif
