/* buf.c: text that grows (cdb_buf), and the quoting that builds SQL text
 * out of names and values. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

void
cdb_buf_add(struct cdb_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
cdb_buf_printf(struct cdb_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	cdb_buf_add(b, s, n);
	free(s);
}

char *
cdb_ident(const char *name)
{
	struct cdb_buf b = { 0 };

	cdb_buf_add(&b, "\"", 1);
	for (; *name; name++) {
		cdb_buf_add(&b, name, 1);
		if (*name == '"')
			cdb_buf_add(&b, name, 1);
	}
	cdb_buf_add(&b, "\"", 1);
	return b.s;
}

/* 'text' as an SQL string literal */
char *
cdb_sql_quote(const char *s)
{
	struct cdb_buf b = { 0 };

	cdb_buf_add(&b, "'", 1);
	for (; *s; s++) {
		cdb_buf_add(&b, s, 1);
		if (*s == '\'')
			cdb_buf_add(&b, s, 1);
	}
	cdb_buf_add(&b, "'", 1);
	return b.s;
}
