/* run.c: read and run statements. A statement is an optional menu path, a
 * command and its arguments; values may be quoted strings or [ ] command
 * substitutions. Parsing and running go together, as in RouterOS: a path on
 * its own line moves the session into that menu for the lines after it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "cmd.h"
#include "menu.h"
#include "items.h"
#include "pki.h"
#include "ros6.h"

typedef int (*cmd_fn)(struct cmdctx *);

static const struct {
	const char *name;
	cmd_fn fn;
	int where;			/* takes a where expression */
} commands[] = {
	{ "add", cmd_add, 0 },		{ "comment", cmd_comment, 0 },
	{ "disable", cmd_disable, 0 },	{ "enable", cmd_enable, 0 },
	{ "export", cmd_export, 1 },	{ "find", cmd_find, 1 },
	{ "get", cmd_get, 0 },		{ "import", cmd_import, 0 },
	{ "move", cmd_move, 0 },	{ "print", cmd_print, 1 },
	{ "remove", cmd_remove, 0 },	{ "reset", cmd_reset, 0 },
	{ "set", cmd_set, 0 },		{ "unset", cmd_unset, 0 },
	{ "edit", cmd_edit_value, 0 },	{ "help", cmd_help, 0 },
};


/* Menu commands declared in the schema (cmds=name:action) run these. */
static const struct {
	const char *name;
	cmd_fn fn;
} actions[] = {
	{ "file-add", cmd_file_add },
	{ "backup-save", cmd_backup_save },
	{ "backup-load", cmd_backup_load },
	{ "cert-sign", cmd_cert_sign },
	{ "cert-import", cmd_cert_import },
	{ "cert-export", cmd_cert_export },
	{ "cert-revoke", cmd_cert_revoke },
	{ "crl-add", cmd_crl_add },
	{ "ovpn-export", cmd_ovpn_export },
	{ "ovpn-import", cmd_ovpn_import },
	{ "active-remove", cmd_active_remove },
	{ "undo", cmd_undo },
	{ "redo", cmd_redo },
	{ "history-print", cmd_history_print },
	{ "safe-mode", cmd_safe_mode },
	{ "monitor", cmd_monitor },
	{ "monitor-traffic", cmd_monitor_traffic },
	{ "script-run", cmd_script_run },
	{ "password", cmd_password },
	{ "sshkey-add", cmd_sshkey_add },
	{ "sshkey-import", cmd_sshkey_import },
};

static int
name_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* A run of name characters (menu, command, argument names). */
static char *
read_name(struct src *s)
{
	size_t start = s->pos;

	while (s->pos < s->len && name_char((unsigned char)s->text[s->pos]))
		s->pos++;
	return strndup(s->text + start, s->pos - start);
}

/* One escape after a backslash inside "...": \" \\ \n \t \$ \? \_ and \XX. */
static int
read_escape(struct sh *sh, struct src *s, char *out)
{
	static const char from[] = "\"\\nrtab fv$?_", to[] = "\"\\\n\r\t\a\b \f\v$? ";
	size_t at = s->pos - 1;
	int c = src_peek(s), h1, h2;
	const char *k;

	if (c < 0)
		return sh_fail(sh, at, "unterminated string");
	if ((k = strchr(from, c)) && c) {
		*out = to[k - from];
		s->pos++;
		return 1;
	}
	if (c == '\n' || (c == '\r' && s->pos + 1 < s->len && s->text[s->pos + 1] == '\n')) {
		/* a string broken over lines, as export writes it: the next
		 * line's indentation is not part of it */
		s->pos += c == '\r' ? 2 : 1;
		while (s->pos < s->len && (s->text[s->pos] == ' ' || s->text[s->pos] == '\t'))
			s->pos++;
		return 0;
	}
	h1 = pki_hex_digit(c);
	h2 = s->pos + 1 < s->len ? pki_hex_digit((unsigned char)s->text[s->pos + 1]) : -1;
	if (h1 < 0 || h2 < 0)
		return sh_fail(sh, at, "bad escape \\%c in string", c);
	*out = (char)(h1 * 16 + h2);
	s->pos += 2;
	return 1;
}

/* "$x", "$[cmd]", "$(expr)" inside a string: the value's text. */
static int
interpolate(struct sh *sh, struct src *s, char **buf, size_t *len, size_t *cap)
{
	struct val v = { 0 };
	const char *t;
	size_t n;
	int c = src_peek(s);

	s->pos--;
	if (c == '[' || c == '(') {
		s->pos++;
		if (c == '[' ? sh_value(sh, s, &v) : sc_expr(sh, s, &v)) {
			val_free(&v);
			return -1;
		}
	} else if (sc_dollar(sh, s, &v)) {
		val_free(&v);
		return -1;
	}
	t = val_text(&v);
	n = strlen(t);
	if (*len + n + 2 > SC_MAXSTR) {
		val_free(&v);
		sc_set_fatal(sh);
		return sh_fail(sh, s->pos, "string too long (more than %d bytes)", SC_MAXSTR);
	}
	while (*len + n + 2 > *cap)
		*buf = realloc(*buf, *cap *= 2);
	memcpy(*buf + *len, t, n);
	*len += n;
	val_free(&v);
	return 0;
}

static int
read_string(struct sh *sh, struct src *s, struct val *out)
{
	size_t start = s->pos, cap = 64, len = 0;
	char *buf = malloc(cap);

	s->pos++;
	for (;;) {
		int c = src_peek(s), n = 1;
		char ch;

		if (c < 0) {
			free(buf);
			return sh_fail(sh, start, "unterminated string");
		}
		s->pos++;
		if (c == '"')
			break;
		ch = (char)c;
		if (c == '\\' && (n = read_escape(sh, s, &ch)) < 0) {
			free(buf);
			return -1;
		}
		if (c == '$' && s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
						     strchr("_[(", s->text[s->pos]))) {
			if (interpolate(sh, s, &buf, &len, &cap)) {
				free(buf);
				return -1;
			}
			continue;
		}
		if (len + 2 > cap)
			buf = realloc(buf, cap *= 2);
		if (len + 2 > SC_MAXSTR) {
			free(buf);
			sc_set_fatal(sh);
			return sh_fail(sh, start, "string too long (more than %d bytes)", SC_MAXSTR);
		}
		if (n)
			buf[len++] = ch;
	}
	buf[len] = '\0';
	val_free(out);
	out->t = V_STR;
	out->s = buf;
	return 0;
}

/* [ command ]: run it where we are and take what it returns. */
static int
substitute(struct sh *sh, struct src *s, struct val *out)
{
	const struct cdb_menu *saved = sh->cwd;
	size_t start = s->pos;
	int rc;

	if (sh->depth >= SH_MAXDEPTH)
		return sh_fail(sh, start, "too deeply nested");
	s->pos++;
	sh->depth++;
	sh->subst++;
	val_free(out);
	rc = sh_stmt(sh, s, out);
	sh->subst--;
	sh->depth--;
	sh->cwd = saved;
	if (rc)
		return -1;
	src_skip_space(s);
	if (src_peek(s) != ']')
		return sh_fail(sh, src_peek(s) < 0 ? start : s->pos,
			       src_peek(s) < 0 ? "missing ]" : "expected end of command");
	s->pos++;
	if (!out->t)
		val_nothing(out);
	return 0;
}

/* One value: "string", [substitution], or a bare word. */
int
sh_value(struct sh *sh, struct src *s, struct val *out)
{
	int c = src_peek(s);
	size_t start;

	if (c == '\\' && s->pos + 1 < s->len && strchr("\r\n", s->text[s->pos + 1])) {
		src_skip_space(s);	/* name=\ and the value on the next line, as export wraps */
		c = src_peek(s);
	}
	start = s->pos;
	if (c == '"')
		return read_string(sh, s, out);
	if (c == '[')
		return substitute(sh, s, out);
	if (c == '$')
		return sc_dollar(sh, s, out);
	if (c == '(')
		return sc_expr(sh, s, out);
	if (c == '{')
		return sc_array_literal(sh, s, out);
	while (s->pos < s->len) {
		c = (unsigned char)s->text[s->pos];
		if (c <= ' ' || c == ';' || c == ']' || c == ')' || c == '}' || c == '"' ||
		    c == '[' || c == '{' || c == 0x7f)
			break;
		s->pos++;
	}
	val_free(out);
	out->t = V_STR;
	out->s = strndup(s->text + start, s->pos - start);
	return 0;
}

static void
free_args(struct cmdctx *c)
{
	for (int i = 0; i < c->nargs; i++) {
		free(c->args[i].name);
		val_free(&c->args[i].v);
	}
	free(c->args);
	where_free(c->where);
}

static struct arg *
new_arg(struct cmdctx *c, size_t pos)
{
	struct arg *a;

	c->args = realloc(c->args, sizeof(*c->args) * (c->nargs + 1));
	a = &c->args[c->nargs++];
	memset(a, 0, sizeof(*a));
	a->pos = pos;
	return a;
}

/* A property that holds plain text (a script's source, an event). */
static int
text_prop(const struct cdb_menu *m, const char *name)
{
	const struct cdb_prop *p = cdb_prop_find(m, name);

	return p && p->ntypes == 1 && p->types[0] == T_STRING;
}

/* source={ ... } as RouterOS takes it: the text between the braces, unrun,
 * for a text property (an array literal means nothing there). */
static int
code_text(struct sh *sh, struct src *s, struct val *out)
{
	size_t at = s->pos;

	if (sc_skip_value(sh, s))
		return -1;
	if (s->pos < at + 2 || s->text[s->pos - 1] != '}')
		return sh_fail(sh, at, "missing }");
	val_free(out);
	out->t = V_STR;
	out->s = strndup(s->text + at + 1, s->pos - at - 2);
	return 0;
}

/* Arguments up to the end of the command. Substitutions inside them run in
 * the command's menu, as [find] in "set [find] ..." must. */
static int
read_args(struct cmdctx *c, int takes_where)
{
	struct src *s = c->src;
	struct sh *sh = c->sh;

	while (!src_at_end_of_cmd(s) || (sh->subst == 0 && src_peek(s) == ']')) {
		size_t pos = s->pos, save;
		struct arg *a;
		char *name;

		if (strchr("]})", src_peek(s)))
			return sh_fail(sh, pos, "unexpected %c", src_peek(s));
		if (src_peek(s) == '!') {
			s->pos++;
			a = new_arg(c, pos);
			a->name = read_name(s);
			a->unset = 1;
			if (!*a->name)
				return sh_fail(sh, pos, "syntax error");
			continue;
		}
		save = s->pos;
		name = read_name(s);
		if (*name && src_peek(s) == '=') {
			s->pos++;
			a = new_arg(c, pos);
			a->name = name;
			sh->cwd = c->m;
			if (src_peek(s) == '{' && text_prop(c->m, name)) {
				if (code_text(sh, s, &a->v))
					return -1;
			} else if (sh_value(sh, s, &a->v))
				return -1;
			continue;
		}
		if (takes_where && !strcmp(name, "where") && src_peek(s) != '=') {
			free(name);
			if (c->where)
				return sh_fail(sh, pos, "where given twice");
			sh->cwd = c->m;
			if (where_parse(sh, s, c->m, &c->where))
				return -1;
			continue;
		}
		free(name);
		s->pos = save;
		a = new_arg(c, pos);
		sh->cwd = c->m;
		if (sh_value(sh, s, &a->v))
			return -1;
		if (s->pos == save)
			return sh_fail(sh, pos, "syntax error");
		a->bare = a->v.t == V_STR && s->pos > save && s->text[save] != '"' &&
			  s->text[save] != '[';
	}
	return 0;
}

/* A menu's own commands (from the schema) come before the common ones, so a
 * menu may give "add" or "import" a meaning of its own. */
static int
dispatch(struct cmdctx *c)
{
	for (int i = 0; i < c->m->ncmds; i++) {
		if (strcmp(c->m->cmds[i], c->cmd))
			continue;
		for (size_t k = 0; k < sizeof(actions) / sizeof(actions[0]); k++)
			if (!strcmp(actions[k].name, c->m->actions[i]))
				return read_args(c, 0) || sh_enabled_args(c) ? -1 : actions[k].fn(c);
		return sh_fail(c->sh, c->cmdpos, "failure: %s is not available yet", c->cmd);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, c->cmd))
			continue;
		if (read_args(c, commands[i].where) || sh_enabled_args(c))
			return -1;
		return commands[i].fn(c);
	}
	if (strcmp(c->cmd, "quit"))	/* listed for the menu, but nothing runs it */
		return sh_fail(c->sh, c->cmdpos, "failure: %s is not available yet", c->cmd);
	c->sh->quit = 1;
	return 0;
}

static const char *
last_segment(const struct cdb_menu *m)
{
	return strrchr(m->path, '/') + 1;
}

/* Resolve one word in menu m: a submenu (returned in *kid) or a command. */
static int
resolve_word(struct sh *sh, size_t pos, const struct cdb_menu *m, const char *w,
	     const struct cdb_menu **kid, const char **cmd)
{
	int ncmd, idx;
	const char *const *cmds = menu_commands(m, &ncmd);
	const char **cands = calloc(m->nkids + ncmd + 1, sizeof(char *));
	int rc;

	for (int i = 0; i < m->nkids; i++)
		cands[i] = last_segment(m->kids[i]);
	for (int i = 0; i < ncmd; i++)
		cands[m->nkids + i] = cmds[i];
	rc = sh_match(sh, pos, "command", w, cands, m->nkids + ncmd, &idx);
	if (!rc && idx < m->nkids)
		*kid = m->kids[idx];
	else if (!rc)
		*cmd = cmds[idx - m->nkids];
	free(cands);
	return rc;
}

/* { ... } as a statement, or after a path: its statements run in that menu
 * and in a scope of their own. */
static int
block_stmt(struct sh *sh, struct src *s, const struct cdb_menu *m)
{
	const struct cdb_menu *cwd = sh->cwd;
	size_t at = s->pos;
	int rc;

	if (sc_skip_value(sh, s))
		return -1;
	sh->cwd = m;
	rc = sc_block(sh, s, at);
	sh->cwd = cwd;
	return rc;
}

static int run_all(struct sh *sh, struct src *s);

/* One statement. Leaves s at its end (before ';', newline or ']'). */
int
sh_stmt(struct sh *sh, struct src *s, struct val *ret)
{
	const struct cdb_menu *m = sh->cwd, *cwd = sh->cwd;
	struct cmdctx c = { .sh = sh, .src = s, .ret = ret };
	const char *cmd = NULL;
	int moved = 0, rc;

	if (src_at_end_of_cmd(s))
		return 0;
	if (src_peek(s) == ':')
		return sc_colon(sh, s, ret);
	if (src_peek(s) == '{')
		return block_stmt(sh, s, sh->cwd);
	if (src_peek(s) == '[' || src_peek(s) == '"')
		return sh_value(sh, s, ret);
	if (src_peek(s) == '$')
		return sc_call(sh, s, ret);
	if (src_peek(s) == '/') {
		while (m->parent)
			m = m->parent;
		moved = 1;
	}
	while (!cmd) {
		const struct cdb_menu *kid = NULL;
		size_t pos;
		char *w;

		while (src_peek(s) == '/')
			s->pos++;
		if (src_at_end_of_cmd(s) || src_peek(s) == '{')
			break;
		pos = s->pos;
		w = read_name(s);
		if (!*w) {
			free(w);
			return sh_fail(sh, pos, "syntax error");
		}
		if (!strcmp(w, "..")) {
			m = m->parent ? m->parent : m;
			moved = 1;
		} else if (resolve_word(sh, pos, m, w, &kid, &cmd)) {
			free(w);
			return -1;
		} else if (kid) {
			m = kid;
			moved = 1;
		} else
			c.cmdpos = pos;
		free(w);
		if (!cmd && src_peek(s) > ' ' && src_peek(s) != '/' && !src_at_end_of_cmd(s) &&
		    src_peek(s) != '{')
			return sh_fail(sh, s->pos, "syntax error");
	}
	if (!cmd && src_peek(s) == '{')
		return block_stmt(sh, s, m);
	if (!cmd) {
		if (moved)
			sh->cwd = m;
		return 0;
	}
	c.m = m;
	c.cmd = cmd;
	rc = dispatch(&c);
	free_args(&c);
	sh->cwd = cwd;
	return rc;
}

/* Run every statement of s (an imported file: one script, one scope).
 * Stops at ']' (the caller checks it). */
int
sh_run(struct sh *sh, struct src *s)
{
	int rc;

	sc_push(sh);
	rc = run_all(sh, s);
	sc_pop(sh);
	return rc;
}

static int
run_all(struct sh *sh, struct src *s)
{
	for (;;) {
		struct val v = { 0 };
		int c, rc;

		src_skip_space(s);
		c = src_peek(s);
		if (c < 0 || c == ']')
			return 0;
		if (c == ';' || c == '\n') {
			s->pos++;
			continue;
		}
		sc_line_start(sh);	/* each statement of a file has its own budget */
		rc = sh_stmt(sh, s, &v);
		val_free(&v);
		if (rc)
			return -1;
		if (sh->quit)
			return 0;
		if (!src_at_end_of_cmd(s))
			return sh_fail(sh, s->pos, "expected end of command");
		if (src_peek(s) == ']' || src_peek(s) == '}' || src_peek(s) == ')')
			return sh_fail(sh, s->pos, "unexpected %c", src_peek(s));
	}
}
