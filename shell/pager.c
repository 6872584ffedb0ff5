/* pager.c: a print longer than the terminal is shown a page at a time, as
 * RouterOS does: "-- [Q quit|D dump|down]". Only for a person at a terminal
 * (never for -c, batches or when output is not a terminal), and never with
 * without-paging. The print writes into memory; the pager shows it. While
 * it waits for a key the line holds no lock (sh_before_wait). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "print.h"

void
sh_page_begin(struct sh *sh, int without_paging)
{
	FILE *mem;

	if (!sh->interactive || without_paging || sh->subst || sh->page_saved ||
	    !isatty(fileno(sh->out)))
		return;
	if (!(mem = open_memstream(&sh->page_buf, &sh->page_len)))
		return;
	sh->page_saved = sh->out;
	sh->out = mem;
}

static int
term_rows(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 2)
		return ws.ws_row;
	return 24;
}

/* One key from the terminal, without echo: 'q', 'd', 'j' (down, Enter),
 * ' ' (next page). */
static int
read_key(void)
{
	struct termios old, raw;
	unsigned char k[8];
	ssize_t n;

	if (tcgetattr(STDIN_FILENO, &old))
		return 'q';
	raw = old;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	n = read(STDIN_FILENO, k, sizeof(k));
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	if (n <= 0 || k[0] == 'q' || k[0] == 'Q' || k[0] == 3 || k[0] == 4)
		return 'q';
	if (k[0] == 'd' || k[0] == 'D')
		return 'd';
	if (k[0] == ' ')
		return ' ';
	return 'j';	/* down arrow (ESC [ B), Enter and anything else: one line */
}

/* Write text a page at a time to out. 0, or -1 when letting go of the
 * database before the first key failed. */
static int
page_out(struct sh *sh, size_t pos, FILE *out, const char *text, size_t len)
{
	int rows = term_rows(fileno(out)), budget = rows - 1, dump = 0, waited = 0;
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		int k;

		if (!dump && budget == 0) {
			if (!waited++ && sh_before_wait(sh, pos))
				return -1;
			fputs("-- [Q quit|D dump|down]", out);
			fflush(out);
			k = read_key();
			fputs("\r\033[K", out);
			if (k == 'q')
				break;
			dump = k == 'd';
			budget = k == ' ' ? rows - 1 : 1;
		}
		fwrite(text + at, 1, end - at, out);
		at = end;
		budget--;
	}
	fflush(out);
	return 0;
}

int
sh_page_end(struct sh *sh, size_t pos)
{
	int rc;

	if (!sh->page_saved)
		return 0;
	fclose(sh->out);
	sh->out = sh->page_saved;
	sh->page_saved = NULL;
	rc = page_out(sh, pos, sh->out, sh->page_buf, sh->page_len);
	free(sh->page_buf);
	sh->page_buf = NULL;
	sh->page_len = 0;
	return rc;
}

/* X disabled in red, R running in green, D dynamic in cyan, others (I, *,
 * a menu's own letters) in yellow. Never in batches, -c or a pipe, and
 * never inside [ ] where the text is a value. */
const char *
sh_paint_flags(struct sh *sh, const char *flags, char *buf, size_t len)
{
	size_t at = 0;

	if (!sh->color || sh->subst || len < 16 * strlen(flags) + 1)
		return flags;
	for (const char *f = flags; *f; f++) {
		const char *code = *f == 'X' ? "31" : *f == 'R' ? "32" : *f == 'D' ? "36" : "33";

		if (*f == ' ')
			buf[at++] = ' ';
		else
			at += (size_t)snprintf(buf + at, len - at, "\033[%sm%c\033[0m", code, *f);
	}
	buf[at] = '\0';
	return buf;
}
