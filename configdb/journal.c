/* journal.c: the change journal. Every add, set, remove and move records the
 * item before and after as JSON; the engine reconciles from it, and history,
 * undo and safe mode read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db_int.h"

static void
json_str(struct cdb_buf *b, const char *s)
{
	cdb_buf_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			cdb_buf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			cdb_buf_printf(b, "\\u%04x", ch);
		else
			cdb_buf_add(b, s, 1);
	}
	cdb_buf_add(b, "\"", 1);
}

/* {"name":"x","ranges":"..."}: only the values that are set. */
static char *
item_json(const struct cdb_menu *m, const struct cdb_item *it)
{
	struct cdb_buf b = { 0 };
	int first = 1;

	if (!it)
		return NULL;
	cdb_buf_add(&b, "{", 1);
	for (int i = 0; i < m->nprops && i < it->nv; i++) {
		if (!it->v[i])
			continue;
		if (!first)
			cdb_buf_add(&b, ",", 1);
		first = 0;
		json_str(&b, m->props[i].name);
		cdb_buf_add(&b, ":", 1);
		json_str(&b, it->v[i]);
	}
	cdb_buf_add(&b, "}", 1);
	return b.s;
}

static long long
next_txn(struct cdb *c)
{
	sqlite3_stmt *st;
	long long n = 1;

	if ((st = cdb_prepare(c, "SELECT txn + 1 FROM journal ORDER BY seq DESC LIMIT 1", NULL)) &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	cdb_finish(c, st);
	return n;
}

int
cdb_journal_add(struct cdb *c, const struct cdb_menu *m, long long item, const char *op,
		const struct cdb_item *before, const struct cdb_item *after,
		struct cdb_err *e)
{
	sqlite3_stmt *st;
	char *bj = item_json(m, before), *aj = item_json(m, after);
	int rc;

	if (!c->txn)
		c->txn = next_txn(c);
	st = cdb_prepare(c, "INSERT INTO journal(txn,time,session,menu,item,op,before,after)"
			 " VALUES(?,?,?,?,?,?,?,?)", e);
	rc = st ? SQLITE_OK : SQLITE_ERROR;
	if (st) {
		sqlite3_bind_int64(st, 1, c->txn);
		sqlite3_bind_int64(st, 2, (long long)time(NULL));
		sqlite3_bind_text(st, 3, c->session, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m->path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, item);
		sqlite3_bind_text(st, 6, op, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, bj, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, aj, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	cdb_finish(c, st);
	free(bj);
	free(aj);
	if (rc != SQLITE_OK)
		return cdb_errf(e, "failure: journal: %s", sqlite3_errmsg(c->db));
	return 0;
}

long long
cdb_journal_last(struct cdb *c)
{
	sqlite3_stmt *st;
	long long n = 0;

	if ((st = cdb_prepare(c, "SELECT seq FROM journal ORDER BY seq DESC LIMIT 1", NULL)) &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	cdb_finish(c, st);
	return n;
}
