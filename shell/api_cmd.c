/* api_cmd.c: one API sentence becomes one console statement run through
 * sh_eval(): the command word names the menu and verb, attribute words
 * become quoted arguments, and the value the statement returns becomes the
 * reply. A client's value is always quoted, so it can never run as code. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "print.h"
#include "script.h"

void
api_reply_end(struct api_out *o, const char *tag)
{
	if (tag) {
		char w[API_WORD_MAX + 8];

		snprintf(w, sizeof(w), ".tag=%s", tag);
		api_out_str(o, w);
	}
	api_out_end(o);
}

void
api_reply_trap(struct api_out *o, const char *tag, const char *msg)
{
	api_out_str(o, "!trap");
	api_out_attr(o, "message", msg);
	api_reply_end(o, tag);
	api_reply_done(o, tag, NULL);	/* as RouterOS: clients read to !done */
}

void
api_reply_done(struct api_out *o, const char *tag, const char *ret)
{
	api_out_str(o, "!done");
	if (ret)
		api_out_attr(o, "ret", ret);
	api_reply_end(o, tag);
}

static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p; ) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return 1;
		p += len + (e != NULL);
	}
	return 0;
}

/* Whether the session may be shown property name of m. */
static int
may_show(struct sh *sh, const struct cdb_menu *m, const char *name)
{
	const struct cdb_prop *p = cdb_prop_find(m, name);

	if (!p)		/* and RouterOS 6's enabled of a single server (print adds it) */
		return name[0] == '.' || (m->default_item && !strcmp(name, "enabled"));
	if (p->flags & P_HIDDEN || p->types[0] == T_PASSWORD)
		return 0;
	return !(p->flags & P_SENSITIVE) || cdb_may(sh->db, "sensitive");
}

void
api_reply_row(struct api_out *o, const char *tag, struct sh *sh,
	      const struct cdb_menu *m, const struct val *row, const char *proplist)
{
	api_out_str(o, "!re");
	for (int i = 0; row->t == V_ARRAY && i < row->nel; i++) {
		const char *k = row->keys ? row->keys[i] : NULL;

		if (!k || !may_show(sh, m, k) || (proplist && !in_list(proplist, k)))
			continue;
		api_out_attr(o, k, val_text((struct val *)&row->el[i]));
	}
	api_reply_end(o, tag);
}

const char *
api_tag(const struct api_sentence *s)
{
	for (int i = 1; i < s->n; i++)
		if (!strncmp(s->w[i], ".tag=", 5))
			return s->w[i] + 5;
	return NULL;
}

const char *
api_attr(const struct api_sentence *s, const char *name)
{
	size_t n = strlen(name);

	for (int i = 1; i < s->n; i++)
		if (s->w[i][0] == '=' && !strncmp(s->w[i] + 1, name, n) && s->w[i][n + 1] == '=')
			return s->w[i] + n + 2;
	return NULL;
}

int
api_name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return 0;
	return 1;
}

char *
api_quote(const char *v, size_t len)
{
	if (memchr(v, '\0', len))
		return NULL;
	return quote_value(v, 1);
}

int
api_command(struct sh *sh, const char *word, const struct cdb_menu **m, char *verb,
	    size_t vlen, const char **why)
{
	const char *slash = strrchr(word, '/');
	char path[256];
	size_t plen;

	*why = "no such command";
	if (word[0] != '/' || !slash || !api_name_ok(slash + 1) || strlen(slash + 1) >= vlen)
		return -1;
	plen = (size_t)(slash - word);
	if (plen >= sizeof(path))
		return -1;
	memcpy(path, word, plen);
	path[plen] = '\0';
	for (char *p = path + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '/')
			return -1;
	*m = cdb_menu_find(sh->db->cat, plen ? path : "/");
	if (!*m)
		return *why = "no such command prefix", -1;
	snprintf(verb, vlen, "%s", slash + 1);
	return 0;
}

/* The menu's path as the console writes it: "/ppp secret". */
static void
menu_words(struct cdb_buf *b, const struct cdb_menu *m)
{
	cdb_buf_add(b, "/", 1);
	for (const char *p = m->path + 1; *p; p++)
		cdb_buf_add(b, *p == '/' ? " " : p, 1);
}

const char *
api_err(struct sh *sh)
{
	char *p = strstr(sh->err, " (line ");

	if (p && strstr(p, " column ") && p[strlen(p) - 1] == ')')
		*p = '\0';
	return sh->err;
}

int
api_print_rows(struct sh *sh, const struct cdb_menu *m, const char *where, struct val *rows)
{
	struct cdb_buf b = { 0 };
	int rc;

	menu_words(&b, m);
	cdb_buf_printf(&b, " print as-value%s%s", where && *where ? " where " : "",
		       where ? where : "");
	rc = sh_eval(sh, b.s, b.len, rows);
	free(b.s);
	return rc;
}

/* .id as the console's numbers argument: "*1,*2" as it is, a name quoted. */
static char *
numbers(const char *v, size_t len)
{
	int ids = v[0] == '*';

	for (const char *p = v; *p && ids; p++)
		ids = isxdigit((unsigned char)*p) || *p == ',' || (*p == '*' && (p == v || p[-1] == ','));
	return ids ? strdup(v) : api_quote(v, len);
}

/* One =name=value word as an argument: " name=\"value\"" added to b, or
 * the items (*idarg) or the property get and unset name (*vname), which
 * the console takes by position. 0, or -1 with why. */
static int
add_arg(const char *w, size_t len, const char *verb, struct cdb_buf *b, char **idarg,
	char **vname, const char **why)
{
	const char *eq = strchr(w + 1, '=');
	char name[72], *q;
	size_t vlen;
	int ids;

	*why = "unknown parameter";
	if (w[0] != '=' || !eq || (size_t)(eq - w - 1) >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - w - 1), w + 1);
	if (!strcmp(name, ".proplist"))
		return 0;
	if (!api_name_ok(name))
		return -1;
	ids = !strcmp(name, ".id") || !strcmp(name, "numbers") || !strcmp(name, "number");
	vlen = len - (size_t)(eq + 1 - w);
	if (memchr(eq + 1, '\0', vlen))
		return *why = "invalid character NUL", -1;
	q = ids ? numbers(eq + 1, vlen) : api_quote(eq + 1, vlen);
	if (ids) {
		free(*idarg);
		*idarg = q;
	} else if (!strcmp(name, "value-name") && strcmp(verb, "add") && strcmp(verb, "set")) {
		free(*vname);
		*vname = q;
	} else {
		cdb_buf_printf(b, " %s=%s", name, q);
		free(q);
	}
	return 0;
}

/* Words after the command as arguments: 0, or -1 with why. */
static int
add_args(const struct api_sentence *s, const char *verb, struct cdb_buf *b, const char **why)
{
	char *idarg = NULL, *vname = NULL;
	int rc = 0;

	for (int i = 1; i < s->n && !rc; i++)
		if (strncmp(s->w[i], ".tag=", 5))
			rc = add_arg(s->w[i], s->len[i], verb, b, &idarg, &vname, why);
	/* positional: the items first, then the property get and unset name */
	if (!rc && (idarg || vname)) {
		char *rest = b->s ? strdup(b->s) : strdup("");

		b->len = 0;
		cdb_buf_printf(b, "%s%s%s%s", idarg ? " " : "", idarg ? idarg : "",
			       vname ? " " : "", vname ? vname : "");
		cdb_buf_add(b, rest, strlen(rest));
		free(rest);
	}
	free(idarg);
	free(vname);
	return rc;
}

static void
run_generic(struct sh *sh, const struct api_sentence *s, const struct cdb_menu *m,
	    const char *verb, struct api_out *o)
{
	struct cdb_buf stmt = { 0 }, args = { 0 };
	const char *why, *tag = api_tag(s);
	struct val ret;

	if (add_args(s, verb, &args, &why)) {
		free(args.s);
		api_reply_trap(o, tag, why);
		return;
	}
	menu_words(&stmt, m);
	if (strcmp(m->path, "/"))
		cdb_buf_add(&stmt, " ", 1);
	cdb_buf_add(&stmt, verb, strlen(verb));
	if (args.s)
		cdb_buf_add(&stmt, args.s, args.len);
	free(args.s);
	if (sh_eval(sh, stmt.s, stmt.len, &ret))
		api_reply_trap(o, tag, api_err(sh));
	else {
		const char *t = ret.t == V_NIL || ret.t == V_NOTHING ? "" : val_text(&ret);

		api_reply_done(o, tag, *t ? t : NULL);
		val_free(&ret);
	}
	free(stmt.s);
}

/* print's own words: 0, or -1 with the trap written. */
static int
print_words(const struct api_sentence *s, int *count, int *follow, struct api_out *o)
{
	static const char *const ignored[] = { "detail", "without-paging", "stats", "terse",
					       "show-sensitive", "brief", "proplist", ".proplist" };

	for (int i = 1; i < s->n; i++) {
		const char *w = s->w[i], *eq = strchr(w + 1, '=');
		size_t n = eq ? (size_t)(eq - w - 1) : 0;
		int ok = 0;

		if (w[0] != '=')
			continue;	/* .tag and queries */
		if (n == 10 && !strncmp(w + 1, "count-only", n))
			ok = *count = 1;
		else if ((n == 6 && !strncmp(w + 1, "follow", n)) ||
			 (n == 11 && !strncmp(w + 1, "follow-only", n)))
			ok = 1, *follow = n == 6 ? 1 : 2;
		for (size_t k = 0; !ok && k < sizeof(ignored) / sizeof(*ignored); k++)
			ok = strlen(ignored[k]) == n && !strncmp(w + 1, ignored[k], n);
		if (!ok) {
			api_reply_trap(o, api_tag(s), "unknown parameter");
			return -1;
		}
	}
	return 0;
}

static void
run_print(struct sh *sh, const struct api_sentence *s, const struct cdb_menu *m,
	  struct api_listens *ls, struct api_out *o)
{
	const char *why, *tag = api_tag(s), *pl = api_attr(s, ".proplist");
	int count = 0, follow = 0;
	char *where;
	struct val rows;

	if (print_words(s, &count, &follow, o))
		return;
	if (!(where = api_query_where(s, m, &why))) {
		api_reply_trap(o, tag, why);
		return;
	}
	if (follow)
		api_listen_start(ls, sh, m, tag, pl, where, follow == 1, o);
	else if (api_print_rows(sh, m, where, &rows))
		api_reply_trap(o, tag, api_err(sh));
	else {
		char n[24];

		for (int i = 0; !count && rows.t == V_ARRAY && i < rows.nel; i++)
			api_reply_row(o, tag, sh, m, &rows.el[i], pl);
		snprintf(n, sizeof(n), "%d", rows.t == V_ARRAY ? rows.nel : 0);
		api_reply_done(o, tag, count ? n : NULL);
		val_free(&rows);
	}
	free(where);
}

static void
run_listen(struct sh *sh, const struct api_sentence *s, const struct cdb_menu *m,
	   struct api_listens *ls, struct api_out *o)
{
	const char *why;
	char *where = api_query_where(s, m, &why);

	if (!where)
		api_reply_trap(o, api_tag(s), why);
	else
		api_listen_start(ls, sh, m, api_tag(s), api_attr(s, ".proplist"), where, 0, o);
	free(where);
}

void
api_cmd_run(struct sh *sh, const struct api_sentence *s, struct api_out *o,
	    struct api_listens *ls)
{
	const struct cdb_menu *m;
	const char *why, *tag = api_tag(s);
	char verb[72];

	if (!strcmp(s->w[0], "/cancel")) {
		const char *t = api_attr(s, "tag");

		if (t)
			api_listen_cancel(ls, t, o);
		api_reply_done(o, tag, NULL);
		return;
	}
	if (api_command(sh, s->w[0], &m, verb, sizeof(verb), &why)) {
		api_reply_trap(o, tag, why);
		return;
	}
	if (!strcmp(verb, "print") && m->table)
		run_print(sh, s, m, ls, o);
	else if (!strcmp(verb, "listen") && m->table)
		run_listen(sh, s, m, ls, o);
	else
		run_generic(sh, s, m, verb, o);
}
