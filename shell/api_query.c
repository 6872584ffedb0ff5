/* api_query.c: print's query words, a little stack machine in RouterOS
 * (?name=x pushes a test, ?#| pops two and pushes their or, ...), turned
 * into the text of the console's where expression. Values are quoted;
 * names must be properties of the menu (or .id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define QDEPTH	64		/* entries on the stack */
#define QTEXT	65536		/* longest expression: ?#. and ?#& double it */

struct qstack {
	char *e[QDEPTH];
	int n;
};

static int
push(struct qstack *q, char *e, const char **why)
{
	if (!e)
		return -1;	/* why is set */
	if (strlen(e) > QTEXT || q->n == QDEPTH) {
		free(e);
		return *why = "query too complex", -1;
	}
	q->e[q->n++] = e;
	return 0;
}

static char *
joined(const char *fmt, const char *a, const char *b)
{
	char *s;

	if (strlen(a) + strlen(b) > QTEXT || asprintf(&s, fmt, a, b) < 0)
		return NULL;
	return s;
}

/* ?#| ?#& ?#! ?#. : each character one operation */
static int
operate(struct qstack *q, const char *ops, const char **why)
{
	*why = "query too complex";
	for (const char *c = ops; *c; c++) {
		char *a, *b;

		if (*c == '!' || *c == '.') {
			if (q->n < 1)
				return *why = "invalid query", -1;
			a = q->e[q->n - 1];
			if (*c == '!') {
				q->e[q->n - 1] = joined("(not %s%s)", a, "");
				free(a);
				if (!q->e[q->n - 1])
					return q->n--, *why = "query too complex", -1;
			} else if (push(q, strdup(a), why))
				return -1;
		} else if (*c == '|' || *c == '&') {
			if (q->n < 2)
				return *why = "invalid query", -1;
			b = q->e[--q->n];
			a = q->e[--q->n];
			if (push(q, joined(*c == '|' ? "(%s or %s)" : "(%s and %s)", a, b), why))
				return free(a), free(b), -1;
			free(a);
			free(b);
		} else
			return *why = "invalid query", -1;
	}
	return 0;
}

/* ?name=v ?<name=v ?>name=v ?name ?-name */
static char *
test(const char *w, size_t len, const struct cdb_menu *m, const char **why)
{
	char op = 0, name[72], *q, *out;
	const char *eq;

	*why = "query too complex";
	if (*w == '=')
		w++, len--;	/* ?=name=x, as librouteros writes it, is ?name=x */
	if (*w == '<' || *w == '>' || *w == '-')
		op = *w++, len--;
	eq = strchr(w, '=');
	snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - w) : (int)strlen(w), w);
	if (!api_name_ok(name) || (strcmp(name, ".id") && !cdb_prop_find(m, name)) ||
	    (eq ? (size_t)(eq - w) : strlen(w)) >= sizeof(name))
		return *why = "no such property", NULL;
	if (!eq || op == '-')
		return joined(op == '-' ? "(not %s~\"\"%s)" : "(%s~\"\"%s)", name, "");
	if (!(q = api_quote(eq + 1, len - (size_t)(eq + 1 - w))))
		return *why = "invalid character NUL", NULL;
	out = joined(op == '<' ? "(%s<%s)" : op == '>' ? "(%s>%s)" : "(%s=%s)", name, q);
	free(q);
	return out;
}

char *
api_query_where(const struct api_sentence *s, const struct cdb_menu *m, const char **why)
{
	struct qstack q = { .n = 0 };
	char *all = NULL;
	int rc = 0;

	for (int i = 1; i < s->n && !rc; i++) {
		const char *w = s->w[i];

		if (w[0] != '?')
			continue;
		if (w[1] == '#')
			rc = operate(&q, w + 2, why);
		else
			rc = push(&q, test(w + 1, s->len[i] - 1, m, why), why);
	}
	/* what is left on the stack must all hold */
	for (int i = 0; i < q.n && !rc; i++) {
		char *n = all ? joined("%s and %s", all, q.e[i]) : strdup(q.e[i]);

		free(all);
		if (!(all = n))
			rc = -1, *why = "query too complex";
	}
	for (int i = 0; i < q.n; i++)
		free(q.e[i]);
	if (rc) {
		free(all);
		return NULL;
	}
	return all ? all : strdup("");
}
