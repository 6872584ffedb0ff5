/* batch.c: run top-level statements, each line its own transaction: a
 * failing one changes nothing and is reported with its line and column.
 * After a commit the engine is told and the line's requests are made. A
 * line that waits (:delay, the pager, monitor) lets go of the database
 * first: what it changed so far is committed there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "request.h"

void
sh_prompt(struct sh *sh, char *buf, size_t len)
{
	const struct cdb_menu *id = cdb_menu_find(sh->db->cat, "/system/identity");
	struct cdb_item it = { 0 };
	struct cdb_err e;
	const char *name = "rosh";

	if (id && !cdb_item_get(sh->db, id, 1, &it, &e) && cdb_item_text(id, &it, "name"))
		name = cdb_item_text(id, &it, "name");
	snprintf(buf, len, "[%s@%s] %s%s ", sh->user ? sh->user : "admin", name,
		 sh->cwd->parent ? sh->cwd->path : "", sh->db->safe ? "<SAFE>" : ">");
	cdb_item_clear(&it);
}

void
sh_report(struct sh *sh, const struct src *s)
{
	int line, col;

	fflush(sh->out);
	if (sh->interactive) {
		sh_report_caret(sh, s);
		return;
	}
	if (sh->err_placed) {
		fprintf(stderr, "%s\n", sh->err);
		return;
	}
	src_linecol(s, sh->errpos, &line, &col);
	fprintf(stderr, "%s (line %d column %d)\n", sh->err, line, col);
}

/* The end of the logical line at pos: a backslash before a newline joins
 * the next physical line to it, and so does a bracket or string still open
 * (a block written over several lines). */
static size_t
line_end_open(const struct src *s, size_t pos, int *open)
{
	int depth = 0, quoted = 0;
	size_t physical = 0;	/* where the line would end but for a bracket */

	for (; pos < s->len; pos++) {
		char c = s->text[pos];

		if (c == '\n' && !physical && (depth || quoted))
			physical = pos;
		if (quoted) {
			if (c == '\\')
				pos++;
			else if (c == '"')
				quoted = 0;
		} else if (c == '"')
			quoted = 1;
		else if (c == '{' || c == '[' || c == '(')
			depth++;
		else if ((c == '}' || c == ']' || c == ')') && depth > 0)
			depth--;
		else if (c == '#' && !depth && (pos == 0 || s->text[pos - 1] == ' ' ||
						s->text[pos - 1] == '\t' || s->text[pos - 1] == ';')) {
			while (pos < s->len && s->text[pos] != '\n')
				pos++;
			return pos;
		} else if (c == '\\' && pos + 1 < s->len &&
			   (s->text[pos + 1] == '\n' || s->text[pos + 1] == '\r'))
			pos += s->text[pos + 1] == '\r' ? 2 : 1;
		else if (c == '\n' && !depth)
			return pos;
	}
	if (open)
		*open = depth || quoted;
	if (pos > s->len)
		pos = s->len;	/* a backslash at the very end skipped past it */
	/* a bracket or quote never closed: the error is on this line, not the file */
	return (depth || quoted) && physical ? physical : pos;
}

static size_t
line_end(const struct src *s, size_t pos)
{
	return line_end_open(s, pos, NULL);
}

size_t
sh_line_end(const struct src *s, size_t pos)
{
	return line_end_open(s, pos, NULL);
}

/* Whether text stops inside a bracket, a string or after a backslash:
 * the console then reads more lines before running it. */
int
sh_text_open(const char *text, size_t len)
{
	struct src s = { .text = text, .len = len };
	int open = 0;

	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len && text[len - 1] == '\\')
		return 1;
	s.len = len;
	line_end_open(&s, 0, &open);	/* what is typed is one statement until it closes */
	return open;
}

/* What history keeps of a typed line: passwords given in it become "***"
 * (password=, old-password=, ... up to the end of the value). */
/* The value after the next "password=" or "passphrase=" (old-password=,
 * export-passphrase=, ...) from p on, or NULL. */
static const char *
next_secret(const char *p, const char *end)
{
	const char *a = memmem(p, (size_t)(end - p), "password=", 9);
	const char *b = memmem(p, (size_t)(end - p), "passphrase=", 11);

	if (a && (!b || a < b))
		return a + 9;
	return b ? b + 11 : NULL;
}

char *
sh_redact(const char *text, size_t len)
{
	char *out = malloc(len + 1 + 3 * (len / 9 + 1)), *o = out;	/* "***" per secret word */
	const char *p = text, *end = text + len, *at;

	if (!out)
		return NULL;
	while ((at = next_secret(p, end))) {
		const char *v = at;
		int q = v < end && *v == '"';

		memcpy(o, p, (size_t)(v - p));
		o += v - p;
		for (v += q; v < end && (q ? *v != '"' : !strchr(" \t;\n]}", *v)); v++)
			if (q && *v == '\\' && v + 1 < end)
				v++;
		v += q && v < end;
		memcpy(o, "***", 3);
		o += 3;
		p = v;
	}
	memcpy(o, p, (size_t)(end - p));
	o[end - p] = '\0';
	return out;
}

static void
echo_line(struct sh *sh, const struct src *s, size_t start)
{
	char prompt[300];

	sh_prompt(sh, prompt, sizeof(prompt));
	fprintf(sh->out, "%s%.*s\n", prompt, (int)(line_end(s, start) - start), s->text + start);
}

/* After a commit: tell the engine, make the requests the line queued (at
 * its end, all of them), and tell the engine again if they changed the
 * database (a backup loaded). */
static int
after_commit(struct sh *sh, int line_end)
{
	int rc;

	for (; sh->imports_done > 0; sh->imports_done--)
		fprintf(sh->out, "Script file loaded and executed successfully\n");
	if (sh->db->last_seq != sh->told_seq && sh->sockpath)
		cdb_notify(sh->sockpath, sh->db->last_seq);
	sh->told_seq = sh->db->last_seq;
	rc = sh_requests_run(sh, line_end);
	if (sh->db->last_seq != sh->told_seq && sh->sockpath)
		cdb_notify(sh->sockpath, sh->db->last_seq);
	sh->told_seq = sh->db->last_seq;
	return rc;
}

/* The console is about to wait for time or for a person: it holds no lock
 * while it does. A line that changed nothing ends its read; one that did
 * commits what it has so far (a later failure undoes only what follows).
 * Each part is its own step for /undo. */
int
sh_before_wait(struct sh *sh, size_t pos)
{
	struct cdb_err e;

	if (sh->dry_run && sh->db->txn)
		return sh_fail(sh, pos, "failure: a dry run can not wait after a change "
			       "(the change would be kept)");
	if (cdb_unlock(sh->db, &e) < 0) {
		sh->imports_done = 0;
		return sh_fail(sh, pos, "%s", e.msg);
	}
	return after_commit(sh, 0);
}

/* One line, its statements separated by ';', as one transaction: a failing
 * statement undoes the whole line (since its last wait). 0, or -1 with the
 * failure recorded. */
static int
run_line(struct sh *sh, struct src *s, struct val *ret)
{
	struct cdb_err e;
	int rc = 0;

	sh->failed = 0;
	sh->err_placed = 0;
	sh->line_src = s;
	sh->told_seq = sh->db->last_seq;
	sc_line_start(sh);	/* the bounds on steps and :delay are per line */
	/* what a killed roshd left is not shown as if it ran (stale.c) */
	sh->db->engine_down = sh->sockpath && !cdb_engine_alive(sh->sockpath);
	if (cdb_begin(sh->db, &e))
		return sh_fail(sh, s->pos, "%s", e.msg);
	while (!rc && !sh->quit) {
		struct val v = { 0 };

		sh->line_stmt = s->pos;
		rc = sh_stmt(sh, s, &v);
		if (ret) {	/* the last statement's value is the line's */
			val_free(ret);
			*ret = v;
		} else
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
		sh_requests_drop(sh);
		sh->imports_done = 0;
		return -1;
	}
	if (cdb_commit(sh->db, &e)) {
		sh_requests_drop(sh);
		sh->imports_done = 0;
		return sh_fail(sh, s->pos, "%s", e.msg);
	}
	return after_commit(sh, 1);
}

int
sh_run_text(struct sh *sh, const char *text, size_t len)
{
	struct src s = { text, len, 0, NULL };
	const char *nul = memchr(text, '\0', len);
	int failures = 0;

	if (nul) {
		sh->failed = 0;
		sh->err_placed = 0;
		sh_fail(sh, (size_t)(nul - text), "invalid character NUL");
		sh_report(sh, &s);
		return 1;
	}
	sc_push(sh);	/* the locals of this text: one console line, or a script */
	while (!sh->quit) {
		size_t start;
		int c;

		src_skip_space(&s);
		c = src_peek(&s);
		if (c < 0)
			break;
		if (c == '\n' || c == ';' || c == '#') {
			if (c == '#')
				src_skip_to_eol(&s);
			else
				s.pos++;
			continue;
		}
		for (start = s.pos; start > 0 && text[start - 1] != '\n'; start--)
			;
		if (sh->echo)
			echo_line(sh, &s, start);
		free(sh->db->txn_label);	/* history shows what was typed */
		sh->db->txn_label = sh_redact(text + start, line_end(&s, start) - start);
		if (run_line(sh, &s, NULL)) {
			size_t end = line_end(&s, start);

			sh_report(sh, &s);
			failures++;
			if (!sh->keep_going)
				break;
			s.pos = end;
		}
	}
	sc_pop(sh);
	return failures ? 1 : 0;
}

/* One line for a front end that wants values, not text (the API, REST):
 * its commands return what they would print, and the last statement's value
 * comes back in ret. 0, or -1 with the failure in sh->err. */
int
sh_eval(struct sh *sh, const char *text, size_t len, struct val *ret)
{
	struct src s = { text, len, 0, NULL };
	int rc, subst = sh->subst;

	*ret = (struct val){ 0 };
	if (memchr(text, '\0', len)) {
		sh->err_placed = 0;
		return sh_fail(sh, 0, "invalid character NUL");
	}
	free(sh->db->txn_label);
	sh->db->txn_label = sh_redact(text, len);
	sc_push(sh);
	sh->subst = 1;
	src_skip_space(&s);
	rc = run_line(sh, &s, ret);
	sh->subst = subst;
	sc_pop(sh);
	if (rc)
		val_free(ret);
	return rc;
}
