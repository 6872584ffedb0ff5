/* where.c: "where" expressions of print, find and export:
 *   name=x  port!=1194  name~"^cl"  distance<5  disabled  not dynamic
 * joined by and, or, not, with parentheses. Parsed once, matched per item. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "menu.h"
#include "items.h"
#include "ros6.h"

enum wop { W_AND, W_OR, W_NOT, W_TEST, W_CMP };
enum wcmp { C_EQ, C_NE, C_RE, C_LT, C_GT, C_LE, C_GE };

/* properties every item has besides its menu's own */
#define PSEUDO_ID	-1
#define PSEUDO_DYNAMIC	-2
#define PSEUDO_RUNNING	-3
#define PSEUDO_DEFAULT	-4

struct where {
	enum wop op;
	struct where *l, *r;
	int prop;			/* index in menu props, or PSEUDO_* */
	enum wcmp cmp;
	char *rhs;			/* canonical when it parsed as the type */
	regex_t re;
	int has_re;
};

static struct where *parse_or(struct sh *, struct src *, const struct cdb_menu *, int);

void
where_free(struct where *w)
{
	if (!w)
		return;
	where_free(w->l);
	where_free(w->r);
	free(w->rhs);
	if (w->has_re)
		regfree(&w->re);
	free(w);
}

static struct where *
node(enum wop op, struct where *l, struct where *r)
{
	struct where *w = calloc(1, sizeof(*w));

	w->op = op;
	w->l = l;
	w->r = r;
	return w;
}

static int
keyword(struct src *s, const char *kw)
{
	size_t n = strlen(kw);

	if (s->pos + n > s->len || strncmp(s->text + s->pos, kw, n))
		return 0;
	if (s->pos + n < s->len && (isalnum((unsigned char)s->text[s->pos + n]) ||
				    s->text[s->pos + n] == '-'))
		return 0;
	s->pos += n;
	return 1;
}

/* "or" or "||" next, left unread */
static int
at_or(struct src *s)
{
	size_t save = s->pos;
	int yes = keyword(s, "or") || !strncmp(s->text + s->pos, "||", 2);

	s->pos = save;
	return yes;
}

static int
end_of_expr(struct src *s)
{
	return src_at_end_of_cmd(s);
}

static int
pseudo(const char *name)
{
	if (!strcmp(name, ".id"))
		return PSEUDO_ID;
	if (!strcmp(name, "dynamic"))
		return PSEUDO_DYNAMIC;
	if (!strcmp(name, "running"))
		return PSEUDO_RUNNING;
	if (!strcmp(name, "default"))
		return PSEUDO_DEFAULT;
	return 0;
}

static int
read_op(struct src *s, enum wcmp *cmp)
{
	static const struct { const char *t; enum wcmp c; } ops[] = {
		{ "!=", C_NE }, { "<=", C_LE }, { ">=", C_GE }, { "=", C_EQ },
		{ "~", C_RE }, { "<", C_LT }, { ">", C_GT },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(s->text + s->pos, ops[i].t, strlen(ops[i].t)) &&
		    s->pos + strlen(ops[i].t) <= s->len) {
			s->pos += strlen(ops[i].t);
			*cmp = ops[i].c;
			return 1;
		}
	return 0;
}

/* The right-hand side, canonical for the property when it parses as one. */
static int
read_rhs(struct sh *sh, struct src *s, const struct cdb_menu *m, struct where *w, size_t at)
{
	struct val v = { 0 };
	char *canon = NULL;

	if (sh_value(sh, s, &v))
		return -1;
	if (w->cmp == C_RE) {
		w->rhs = strdup(val_text(&v));
		val_free(&v);
		if (regcomp(&w->re, w->rhs, REG_EXTENDED | REG_NOSUB))
			return -1;
		w->has_re = 1;
		return 0;
	}
	if (w->prop >= 0 && !cdb_value_parse(&m->props[w->prop], val_text(&v), &canon, NULL))
		w->rhs = canon;
	else if (w->prop >= 0 && w->cmp != C_EQ && w->cmp != C_NE) {
		struct cdb_err e;

		cdb_value_parse(&m->props[w->prop], val_text(&v), &canon, &e);
		val_free(&v);
		return sh_fail(sh, at, "%s", e.msg);
	}
	else if (w->prop < 0 && w->prop != PSEUDO_ID)
		w->rhs = strdup(!strcmp(val_text(&v), "yes") || !strcmp(val_text(&v), "true") ?
				"yes" : "no");
	else
		w->rhs = strdup(val_text(&v));
	val_free(&v);
	return 0;
}

static struct where *
parse_test(struct sh *sh, struct src *s, const struct cdb_menu *m, int depth)
{
	size_t pos = s->pos, start;
	struct where *w;
	char *name;
	const struct cdb_prop *p;
	int inverse;

	if (depth > SH_MAXDEPTH) {
		sh_fail(sh, pos, "too deeply nested");
		return NULL;
	}
	if (src_peek(s) == '(') {
		s->pos++;
		w = parse_or(sh, s, m, depth + 1);
		src_skip_space(s);
		if (w && src_peek(s) != ')') {
			where_free(w);
			sh_fail(sh, s->pos, "missing )");
			return NULL;
		}
		s->pos++;
		return w;
	}
	start = s->pos;
	while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
				   strchr("-_.", s->text[s->pos])))
		s->pos++;
	if (s->pos == start) {
		sh_fail(sh, pos, "syntax error");
		return NULL;
	}
	name = strndup(s->text + start, s->pos - start);
	if ((inverse = sh_enabled_prop(m, name))) {	/* RouterOS 6: not disabled */
		free(name);
		name = strdup("disabled");
	}
	w = node(W_TEST, NULL, NULL);
	if (!(w->prop = pseudo(name))) {
		if (match_prop(sh, pos, m, name, &p)) {
			free(name);
			where_free(w);
			return NULL;
		}
		w->prop = (int)(p - m->props);
		if ((p->flags & P_SENSITIVE) && !cdb_may(sh->db, "sensitive")) {
			sh_fail(sh, pos, "not enough permissions (9)");	/* no guessing secrets */
			free(name);
			where_free(w);
			return NULL;
		}
	}
	free(name);
	if (read_op(s, &w->cmp)) {
		w->op = W_CMP;
		if (read_rhs(sh, s, m, w, pos)) {
			if (!sh->failed)
				sh_fail(sh, pos, "bad regular expression");
			where_free(w);
			return NULL;
		}
	}
	return inverse ? node(W_NOT, w, NULL) : w;
}

static struct where *
parse_not(struct sh *sh, struct src *s, const struct cdb_menu *m, int depth)
{
	src_skip_space(s);
	if (keyword(s, "not") || (src_peek(s) == '!' && ++s->pos)) {
		struct where *w = parse_not(sh, s, m, depth + 1);

		return w ? node(W_NOT, w, NULL) : NULL;
	}
	return parse_test(sh, s, m, depth);
}

static struct where *
parse_and(struct sh *sh, struct src *s, const struct cdb_menu *m, int depth)
{
	struct where *l = parse_not(sh, s, m, depth);

	while (l) {
		struct where *r;

		src_skip_space(s);
		if (end_of_expr(s) || at_or(s))
			break;
		if (!keyword(s, "and") && !strncmp(s->text + s->pos, "&&", 2))
			s->pos += 2;
		if (!(r = parse_not(sh, s, m, depth))) {
			where_free(l);
			return NULL;
		}
		l = node(W_AND, l, r);
	}
	return l;
}

static struct where *
parse_or(struct sh *sh, struct src *s, const struct cdb_menu *m, int depth)
{
	struct where *l = parse_and(sh, s, m, depth);

	for (;;) {
		struct where *r;

		src_skip_space(s);
		if (!l || !at_or(s))
			break;
		if (!keyword(s, "or"))
			s->pos += 2;
		if (!(r = parse_and(sh, s, m, depth))) {
			where_free(l);
			return NULL;
		}
		l = node(W_OR, l, r);
	}
	return l;
}

int
where_parse(struct sh *sh, struct src *s, const struct cdb_menu *m, struct where **out)
{
	src_skip_space(s);
	if (end_of_expr(s))
		return sh_fail(sh, s->pos, "expected expression after where");
	*out = parse_or(sh, s, m, 0);
	return *out ? 0 : -1;
}

/* The item's value of w->prop as text, NULL when it has none. */
static const char *
item_value(const struct where *w, const struct cdb_menu *m, const struct cdb_item *it,
	   char *buf, size_t len)
{
	switch (w->prop) {
	case PSEUDO_ID:
		snprintf(buf, len, "*%llX", it->id);
		return buf;
	case PSEUDO_DYNAMIC:
		return it->dynamic ? "yes" : "no";
	case PSEUDO_RUNNING:
		return it->running ? "yes" : "no";
	case PSEUDO_DEFAULT:
		return it->builtin ? "yes" : "no";
	}
	return cdb_item_value(m, it, w->prop);
}

static int
compare(const struct where *w, const struct cdb_menu *m, const char *v)
{
	int c;

	switch (w->cmp) {
	case C_EQ:
		return v ? !strcmp(v, w->rhs) : !*w->rhs;
	case C_NE:
		return v ? !!strcmp(v, w->rhs) : !!*w->rhs;
	case C_RE:
		return v && regexec(&w->re, v, 0, NULL, 0) == 0;
	default:
		if (!v)
			return 0;
		c = w->prop >= 0 ? cdb_value_cmp(&m->props[w->prop], v, w->rhs) : strcmp(v, w->rhs);
		return w->cmp == C_LT ? c < 0 : w->cmp == C_GT ? c > 0 :
		       w->cmp == C_LE ? c <= 0 : c >= 0;
	}
}

int
where_match(struct sh *sh, const struct where *w, const struct cdb_menu *m,
	    const struct cdb_item *it)
{
	char buf[32];
	const char *v;

	switch (w->op) {
	case W_AND:
		return where_match(sh, w->l, m, it) && where_match(sh, w->r, m, it);
	case W_OR:
		return where_match(sh, w->l, m, it) || where_match(sh, w->r, m, it);
	case W_NOT:
		return !where_match(sh, w->l, m, it);
	case W_TEST:
		v = item_value(w, m, it, buf, sizeof(buf));
		return v && (!strcmp(v, "yes") || !strcmp(v, "true") ||
			     (w->prop >= 0 && m->props[w->prop].types[0] != T_BOOL && *v));
	case W_CMP:
		return compare(w, m, item_value(w, m, it, buf, sizeof(buf)));
	}
	return 0;
}
