/* import.h: running an imported file line by line (import_lines.c), for
 * /import verbose=yes and dry-run (cmd_import.c). */
#ifndef IMPORT_H
#define IMPORT_H

#include "sh.h"

struct import_tally {
	int applied;			/* lines that ran */
	int refused;			/* lines refused, each reported */
	char *lost;			/* the menu we do not have that the lines are in */
};

/* Run every line of s, each on its own: a refused line is printed as
 * "FILE line N: message" and changes nothing; the others apply. */
int import_lines(struct sh *sh, struct src *s, const char *file, struct import_tally *t);

#endif
