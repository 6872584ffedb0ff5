/* scan.c: low-level reading of console source text, and failures that carry
 * the position where they happened. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sh.h"

int
src_peek(const struct src *s)
{
	return s->pos < s->len ? (unsigned char)s->text[s->pos] : -1;
}

int
is_word_char(int c)
{
	return c > ' ' && c != '=' && c != '"' && c != ';' && c != '[' && c != ']' &&
	       c != '{' && c != '}' && c != '(' && c != ')' && c != '$' && c != '#' &&
	       c != '\\' && c != 0x7f;
}

/* Blanks, and a backslash before a newline (line continuation). */
void
src_skip_space(struct src *s)
{
	while (s->pos < s->len) {
		char ch = s->text[s->pos];

		if (ch == ' ' || ch == '\t' || ch == '\r')
			s->pos++;
		else if (ch == '\\' && s->pos + 1 < s->len && s->text[s->pos + 1] == '\n')
			s->pos += 2;
		else if (ch == '\\' && s->pos + 2 < s->len && s->text[s->pos + 1] == '\r' &&
			 s->text[s->pos + 2] == '\n')
			s->pos += 3;
		else
			break;
	}
}

void
src_skip_to_eol(struct src *s)
{
	while (s->pos < s->len && s->text[s->pos] != '\n')
		s->pos++;
}

/* After blanks: the command ends at ';', a newline, a closing bracket, a
 * comment or the end of the text. */
int
src_at_end_of_cmd(struct src *s)
{
	int c;

	src_skip_space(s);
	c = src_peek(s);
	if (c == '#')
		src_skip_to_eol(s);
	c = src_peek(s);
	return c < 0 || c == ';' || c == '\n' || c == ']' || c == '}' || c == ')';
}

void
src_linecol(const struct src *s, size_t pos, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos && i < s->len; i++) {
		if (s->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* Record a failure at pos; always returns -1. The first failure wins, so the
 * innermost cause is what the admin sees. */
int
sh_fail(struct sh *sh, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (sh->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sh->err, sizeof(sh->err), fmt, ap);
	va_end(ap);
	sh->errpos = pos;
	sh->failed = 1;
	return -1;
}
