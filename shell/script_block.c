/* script_block.c: code that runs later or more than once. A block { ... } is
 * skipped when read (brackets balanced, strings honoured) and run from its
 * place in the source each time, so errors inside it point into the text the
 * admin wrote. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

#define SKIP_MAXDEPTH 256

/* Skip one value without running it: strings (with $[..] and $(..) inside),
 * bracketed groups with whatever they hold, and bare words, up to a blank,
 * ';' or a closing bracket at the outer level. */
int
sc_skip_value(struct sh *sh, struct src *s)
{
	char stack[SKIP_MAXDEPTH];
	size_t opened[SKIP_MAXDEPTH];
	int d = 0, linestart = 0;

	for (;;) {
		int c = src_peek(s), top = d ? stack[d - 1] : 0;

		if (c < 0) {
			if (!d)
				return 0;
			return sh_fail(sh, opened[d - 1], top == '"' ? "unterminated string" :
				       "missing %c", top);
		}
		if (top == '"') {
			if (c == '\\')
				s->pos += s->pos + 1 < s->len ? 2 : 1;
			else if (c == '"') {
				d--;
				s->pos++;
			} else if (c == '$' && s->pos + 1 < s->len &&
				   (s->text[s->pos + 1] == '[' || s->text[s->pos + 1] == '(')) {
				if (d >= SKIP_MAXDEPTH)
					return sh_fail(sh, s->pos, "too deeply nested");
				opened[d] = s->pos + 1;
				stack[d++] = s->text[s->pos + 1] == '[' ? ']' : ')';
				s->pos += 2;
			} else
				s->pos++;
			continue;
		}
		if (!d && (c <= ' ' || c == ';'))
			return 0;
		if (!d && c == '\\' && s->pos + 1 < s->len &&
		    (s->text[s->pos + 1] == '\n' || s->text[s->pos + 1] == '\r'))
			return 0;
		if (c == '#' && linestart) {
			src_skip_to_eol(s);
			continue;
		}
		if (c == '"' || c == '{' || c == '[' || c == '(') {
			if (d >= SKIP_MAXDEPTH)
				return sh_fail(sh, s->pos, "too deeply nested");
			opened[d] = s->pos;
			stack[d++] = c == '"' ? '"' : c == '{' ? '}' : c == '[' ? ']' : ')';
		} else if (c == '}' || c == ']' || c == ')') {
			if (!d)
				return 0;
			if (c != top)
				return sh_fail(sh, s->pos, "unexpected %c", c);
			d--;
		}
		linestart = c == '\n' || c == ';' || c == '{' ||
			    (linestart && (c == ' ' || c == '\t' || c == '\r'));
		s->pos++;
	}
}

/* Statements up to close ('}' or ']'), or to the end of the text (-1). */
int
sc_statements(struct sh *sh, struct src *s, int close)
{
	for (;;) {
		struct val v = { 0 };
		int c, rc;

		src_skip_space(s);
		c = src_peek(s);
		if (c == close || (c < 0 && close < 0))
			return 0;
		if (c < 0)
			return sh_fail(sh, s->pos, "missing %c", close);
		if (c == ';' || c == '\n') {
			s->pos++;
			continue;
		}
		if (c == '#') {
			src_skip_to_eol(s);
			continue;
		}
		if (sc_step(sh, s->pos))
			return -1;
		rc = sh_stmt(sh, s, &v);
		val_free(&v);
		if (rc)
			return -1;
		if (sc_returning(sh) || sh->quit)
			return 0;
		if (!src_at_end_of_cmd(s))
			return sh_fail(sh, s->pos, "expected end of command");
		c = src_peek(s);
		if ((c == ']' || c == '}' || c == ')') && c != close)
			return sh_fail(sh, s->pos, "unexpected %c", c);
	}
}

/* Run the block whose '{' is at `at`, in a scope of its own and in the menu
 * it was written in; s is left where it was. */
int
sc_block(struct sh *sh, struct src *s, size_t at)
{
	const struct cdb_menu *cwd = sh->cwd;
	size_t saved = s->pos;
	int rc;

	if (at >= s->len || s->text[at] != '{')
		return sh_fail(sh, at, "expected a { } block");
	if (sh->depth >= SH_MAXDEPTH)
		return sh_fail(sh, at, "too deeply nested");
	sh->depth++;
	sc_push(sh);
	s->pos = at + 1;
	rc = sc_statements(sh, s, '}');
	sc_pop(sh);
	sh->depth--;
	sh->cwd = cwd;
	s->pos = saved;
	return rc;
}

/* Each element of a keyed array as a local variable of the scope just made:
 * a function's arguments. */
static int
define_params(struct sh *sh, const struct val *params)
{
	for (int i = 0; params && i < params->nel; i++) {
		struct val v = { 0 };

		val_copy(&v, &params->el[i]);
		if (sc_define(sh, 0, params->keys[i], 0, &v))
			return -1;
	}
	return 0;
}

/* The source of /system script or of a function: a text of its own, run
 * from the root menu, with params (a keyed array, or NULL) as its local
 * variables. A failure names the script and the place in it. */
int
sc_run_source(struct sh *sh, const char *name, const char *text, const struct val *params,
	      struct val *ret)
{
	const struct cdb_menu *cwd = sh->cwd;
	struct src sub = { text, strlen(text), 0, name };
	int rc;

	if (sh->depth >= SH_MAXDEPTH)
		return sh_fail(sh, 0, "too deeply nested");
	while (sh->cwd->parent)
		sh->cwd = sh->cwd->parent;
	sh->depth++;
	sc_push(sh);
	rc = define_params(sh, params) || sc_statements(sh, &sub, -1);
	sc_pop(sh);
	sh->depth--;
	sh->cwd = cwd;
	if (rc && sh->failed && !sh->err_placed) {
		char msg[sizeof(sh->err)];
		int line, col;

		src_linecol(&sub, sh->errpos, &line, &col);
		snprintf(msg, sizeof(msg), "%.500s (script %.60s line %d column %d)", sh->err,
			 name, line, col);
		strcpy(sh->err, msg);
		sh->err_placed = 1;
	}
	if (!rc)
		sc_take_return(sh, ret);
	return rc;
}
