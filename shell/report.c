/* report.c: errors for a person at a terminal: the failing line again with
 * a caret under the column, the message in red when stderr is a terminal.
 * Batches and -c keep the plain "(line L column C)" form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* Colour only for a person: stderr a terminal and no NO_COLOR (set and not
 * empty, as no-color.org asks). */
int
sh_colour_ok(int fd)
{
	const char *no = getenv("NO_COLOR");

	return isatty(fd) && !(no && *no);
}

void
sh_report_caret(struct sh *sh, const struct src *s)
{
	int line, col, tty = sh_colour_ok(STDERR_FILENO);
	size_t start, end;

	if (sh->err_placed) {
		fprintf(stderr, tty ? "\033[31m%s\033[0m\n" : "%s\n", sh->err);
		return;
	}
	src_linecol(s, sh->errpos, &line, &col);
	for (start = sh->errpos < s->len ? sh->errpos : s->len; start > 0 &&
	     s->text[start - 1] != '\n'; start--)
		;
	end = start + strcspn(s->text + start, "\n");
	if (end > s->len)
		end = s->len;
	fprintf(stderr, "%.*s\n%*s^\n", (int)(end - start), s->text + start, col - 1, "");
	fprintf(stderr, tty ? "\033[31m%s\033[0m (line %d column %d)\n" : "%s (line %d column %d)\n",
		sh->err, line, col);
}
