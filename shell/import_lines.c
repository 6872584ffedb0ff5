/* import_lines.c: /import verbose=yes and dry-run: every line of the file
 * on its own (a savepoint each), so a refused line is reported with its
 * line and the others still apply, as RouterOS does with verbose. A line
 * that only moves to a menu we do not have (/interface bridge) leaves the
 * lines after it in that menu: they are refused as part of it, until a
 * line names its menu from the root again. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "menu.h"
#include "request.h"
#include "script.h"

static const struct cdb_menu *
kid_named(const struct cdb_menu *m, const char *w, size_t n)
{
	for (int i = 0; i < m->nkids; i++) {
		const char *seg = strrchr(m->kids[i]->path, '/') + 1;

		if (strlen(seg) == n && !strncmp(seg, w, n))
			return m->kids[i];
	}
	return NULL;
}

static int
is_command(const struct cdb_menu *m, const char *w, size_t n)
{
	int ncmd;
	const char *const *cmds = menu_commands(m, &ncmd);

	for (int i = 0; i < ncmd; i++)
		if (strlen(cmds[i]) == n && !strncmp(cmds[i], w, n))
			return 1;
	return 0;
}

/* RouterOS's words for a menu: "/interface bridge". */
static char *
menu_words_of(const struct cdb_menu *m, const char *text, size_t i, size_t end)
{
	char out[512];
	size_t len;

	snprintf(out, sizeof(out), "%s", m->parent ? m->path : "");
	for (char *p = out; *p; p++)
		if (*p == '/' && p != out)
			*p = ' ';
	if (*out)
		strcat(out, " ");
	for (; i < end && (len = strlen(out)) + 3 < sizeof(out); i++) {
		char c = strchr("/\t\r\\\n", text[i]) ? ' ' : text[i];

		if (c == ' ' && (!len || out[len - 1] == ' '))
			continue;
		if (!len)
			out[len++] = '/';
		out[len++] = c;
		out[len] = '\0';
	}
	while (*out && out[strlen(out) - 1] == ' ')
		out[strlen(out) - 1] = '\0';
	return strdup(out);
}

/* Whether the line [at, end) is only a menu path: PATH_KNOWN when each word
 * names a menu here, PATH_LOST (and *lost, the menu in RouterOS's words)
 * when one does not, else NOT_PATH (arguments, a command, brackets). */
enum { NOT_PATH, PATH_KNOWN, PATH_LOST };

static int
path_line(const struct sh *sh, const char *text, size_t at, size_t end, char **lost)
{
	const struct cdb_menu *m = sh->cwd;
	size_t i = at;

	for (size_t k = at; k < end; k++) {
		if (text[k] == '#' && k > at && strchr(" \t", text[k - 1])) {
			end = k;	/* a comment after the path */
			break;
		}
		if (!isalnum((unsigned char)text[k]) && !strchr("-_./ \t\r\\\n", text[k]))
			return NOT_PATH;
	}
	if (text[at] == '/')
		while (m->parent)
			m = m->parent;
	for (;;) {
		size_t n = 0;

		while (i < end && strchr("/ \t\r\\\n", text[i]))
			i++;
		while (i + n < end && !strchr("/ \t\r\\\n", text[i + n]))
			n++;
		if (!n)
			return PATH_KNOWN;
		if (n == 2 && !strncmp(text + i, "..", 2))
			m = m->parent ? m->parent : m;
		else if (kid_named(m, text + i, n))
			m = kid_named(m, text + i, n);
		else if (is_command(m, text + i, n))
			return NOT_PATH;
		else
			break;
		i += n;
	}
	*lost = menu_words_of(m, text, i, end);
	return PATH_LOST;
}

/* The statements of one line as one savepoint: all of it or none. */
static int
run_one_line(struct sh *sh, struct src *s)
{
	struct cdb_err e;
	int keep = sh_requests_count(sh), rc = 0;

	if (cdb_begin(sh->db, &e))
		return sh_fail(sh, s->pos, "%s", e.msg);
	while (!rc && !sh->quit) {
		struct val v = { 0 };

		sc_line_start(sh);	/* each line of a file has its own budget */
		rc = sh_stmt(sh, s, &v);
		val_free(&v);
		if (!rc && !src_at_end_of_cmd(s))
			rc = sh_fail(sh, s->pos, "expected end of command");
		if (!rc && src_peek(s) > 0 && strchr("]})", src_peek(s)))
			rc = sh_fail(sh, s->pos, "unexpected %c", src_peek(s));
		if (rc || src_peek(s) != ';')
			break;
		s->pos++;
		src_skip_space(s);
		if (src_peek(s) == '\n' || src_peek(s) < 0)
			break;
	}
	if (rc) {
		cdb_rollback(sh->db);
		sh_requests_trim(sh, keep);
		return -1;
	}
	return cdb_commit(sh->db, &e) ? sh_fail(sh, s->pos, "%s", e.msg) : 0;
}

/* One line at start, ending at end: run, or refused because an earlier
 * line moved into a menu we do not have. A path line from the root ends
 * that; a command with a path of its own runs and leaves it. */
static int
one_line(struct sh *sh, struct src *s, size_t end, struct import_tally *t)
{
	size_t start = s->pos;
	char *lost = NULL;
	int path;

	sh->failed = 0;
	sh->err_placed = 0;
	if (t->lost && s->text[start] != '/')
		return sh_fail(sh, start, "inside %s, a menu Rosh does not have", t->lost);
	path = path_line(sh, s->text, start, end, &lost);
	if (path == PATH_LOST) {
		free(t->lost);
		t->lost = lost;
	}
	if (run_one_line(sh, s))
		return -1;
	if (path == PATH_KNOWN) {
		free(t->lost);
		t->lost = NULL;
	}
	return 0;
}

static void
refused(struct sh *sh, const struct src *s, size_t start, const char *file)
{
	int line, col;

	src_linecol(s, start, &line, &col);
	fprintf(sh->out, "%s line %d: %s\n", file, line, sh->err);
}

int
import_lines(struct sh *sh, struct src *s, const char *file, struct import_tally *t)
{
	sc_push(sh);	/* one script, one scope, as without verbose */
	while (!sh->quit) {
		size_t start, end;
		int c;

		src_skip_space(s);
		c = src_peek(s);
		if (c < 0)
			break;
		if (c == ';' || c == '\n' || c == '#') {
			if (c == '#')
				src_skip_to_eol(s);
			else
				s->pos++;
			continue;
		}
		start = s->pos;
		end = sh_line_end(s, start);
		if (!one_line(sh, s, end, t)) {
			t->applied++;
			continue;
		}
		refused(sh, s, start, file);
		t->refused++;
		if (s->pos < end)
			s->pos = end;
	}
	sc_pop(sh);
	sh->failed = 0;	/* the refusals were reported; the import goes on */
	sh->err_placed = 0;
	free(t->lost);
	t->lost = NULL;
	return 0;
}
