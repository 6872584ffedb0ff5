/* journal.c: the change journal. Every add, set, remove and move records the
 * item before and after as JSON, and the item that followed it before and
 * after (so undo puts it back in its place); the engine reconciles from it,
 * and history, undo and safe mode read it. Each transaction also gets a row
 * in txn_log: what kind it is, who made it, whether it was undone. Only the
 * newest changes (/system journal keep-changes) are kept: compact() drops
 * the older ones and gives their pages back to the file system. */
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

/* txn_log: one row per transaction that changed something. undone_by is the
 * undo (or safe-mode revert) transaction that took it back. */
static const char *init_sql =
	"CREATE TABLE IF NOT EXISTS txn_log(txn INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	" time INTEGER, session TEXT, target INTEGER, undone_by INTEGER,"
	" safe INTEGER NOT NULL DEFAULT 0, what TEXT);"
	"CREATE TABLE IF NOT EXISTS safe_mode(one INTEGER PRIMARY KEY CHECK(one = 1),"
	" pid INTEGER, start TEXT, user TEXT, session TEXT, seq INTEGER, since INTEGER);";

int
cdb_journal_init(struct cdb *c, struct cdb_err *e)
{
	sqlite3_stmt *st;

	if (cdb_exec(c, init_sql, e))
		return -1;
	/* databases from before undo lack the order columns */
	if (sqlite3_prepare_v2(c->conn->db, "SELECT nb, na FROM journal LIMIT 0", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	return cdb_exec(c, "ALTER TABLE journal ADD COLUMN nb INTEGER;"
			"ALTER TABLE journal ADD COLUMN na INTEGER;", e);
}

long long
cdb_order_next(struct cdb *c, const struct cdb_menu *m, long long id)
{
	sqlite3_stmt *st;
	char *t, *sql;
	long long next = 0;

	if (m->kind != M_LIST || !m->table)
		return 0;
	t = cdb_ident(m->table);
	/* a range on the pos index from the item's own place: no table scan */
	if (asprintf(&sql, "SELECT b.id FROM %s a, %s b WHERE a.id = ?1 AND b.pos >= a.pos AND"
		     " NOT (b.pos = a.pos AND b.id <= a.id) ORDER BY b.pos, b.id LIMIT 1", t, t) < 0)
		sql = NULL;
	free(t);
	if (sql && (st = cdb_prepare(c, sql, NULL))) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			next = sqlite3_column_int64(st, 0);
		cdb_finish(c, st);
	}
	free(sql);
	return next;
}

/* Compacting runs once per this many transactions, so that its reads cost
 * a change next to nothing. */
#define COMPACT_EVERY 64

/* /system journal keep-changes, or its default. */
static long long
keep_changes(struct cdb *c)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, "/system/journal");
	const struct cdb_prop *p = m ? cdb_prop_find(m, "keep-changes") : NULL;
	sqlite3_stmt *st;
	long long n = p && p->def ? atoll(p->def) : 1000;
	char *t, *sql;

	if (!p || !m->table)
		return n;
	t = cdb_ident(m->table);
	if (asprintf(&sql, "SELECT \"keep-changes\" FROM %s WHERE id = 1", t) < 0)
		sql = NULL;
	free(t);
	if (sql && (st = cdb_prepare(c, sql, NULL))) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			n = sqlite3_column_int64(st, 0);
		cdb_finish(c, st);
	}
	free(sql);
	return n > 0 ? n : 1;
}

/* The oldest transaction to keep: that of the keep-th newest change, or
 * the first that safe mode may still revert if older. 0 keeps everything. */
static long long
oldest_kept(struct cdb *c, long long keep)
{
	sqlite3_stmt *st = cdb_prepare(c, "SELECT (SELECT txn FROM txn_log WHERE kind = 'change'"
				       " ORDER BY txn DESC LIMIT 1 OFFSET ?1 - 1),"
				       " (SELECT MIN(j.txn) FROM journal j, safe_mode s"
				       " WHERE j.seq > s.seq)", NULL);
	long long cut = 0, safe = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, keep);
	if (sqlite3_step(st) == SQLITE_ROW) {
		cut = sqlite3_column_int64(st, 0);
		safe = sqlite3_column_int64(st, 1);
	}
	cdb_finish(c, st);
	return safe && safe < cut ? safe : cut;
}

/* Drop what is older than the changes kept, and return the freed pages. */
static int
compact(struct cdb *c, struct cdb_err *e)
{
	long long cut = oldest_kept(c, keep_changes(c));
	sqlite3_stmt *st;
	int rc = 0;

	if (cut <= 1)
		return 0;
	for (int i = 0; i < 2 && !rc; i++) {
		st = cdb_prepare(c, i ? "DELETE FROM txn_log WHERE txn < ?" :
				 "DELETE FROM journal WHERE txn < ?", e);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, cut);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		cdb_finish(c, st);
	}
	if (rc)
		return cdb_db_fail(c, e, "journal");
	return cdb_exec(c, "PRAGMA incremental_vacuum", e);
}

/* The transaction's row in txn_log, written with its first change. */
static int
log_txn(struct cdb *c, struct cdb_err *e)
{
	sqlite3_stmt *st = cdb_prepare(c, "INSERT INTO txn_log(txn,kind,time,session,target,safe,what)"
				       " VALUES(?,?,?,?,?,?,?)", e);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->txn);
	sqlite3_bind_text(st, 2, c->txn_kind ? c->txn_kind : "change", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (long long)time(NULL));
	sqlite3_bind_text(st, 4, c->session, -1, SQLITE_STATIC);
	if (c->txn_kind)
		sqlite3_bind_int64(st, 5, c->txn_target);
	/* undo and redo in safe mode are reverted with the rest; reverts never */
	sqlite3_bind_int(st, 6, c->safe && (!c->txn_kind || strcmp(c->txn_kind, "revert")));
	if (c->txn_label && !c->txn_kind)
		sqlite3_bind_text(st, 7, c->txn_label, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	cdb_finish(c, st);
	if (rc != SQLITE_DONE)
		return cdb_db_fail(c, e, "journal");
	/* not while an undo, redo or revert reads the entries it replays */
	return c->txn % COMPACT_EVERY || c->txn_kind ? 0 : compact(c, e);
}

int
cdb_journal_add(struct cdb *c, const struct cdb_menu *m, long long item, const char *op,
		const struct cdb_item *before, const struct cdb_item *after,
		struct cdb_err *e)
{
	sqlite3_stmt *st;
	char *bj = item_json(m, before), *aj = item_json(m, after);
	long long na = after ? cdb_order_next(c, m, item) : 0, nb = c->next_before;
	int rc;

	c->next_before = 0;
	if (!strcmp(op, "add"))
		nb = 0;
	if (!strcmp(op, "set"))
		nb = na;
	if (!c->txn) {
		c->txn = next_txn(c);
		if (log_txn(c, e)) {
			free(bj);
			free(aj);
			return -1;
		}
	}
	st = cdb_prepare(c, "INSERT INTO journal(txn,time,session,menu,item,op,before,after,nb,na)"
			 " VALUES(?,?,?,?,?,?,?,?,?,?)", e);
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
		sqlite3_bind_int64(st, 9, nb);
		sqlite3_bind_int64(st, 10, na);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	cdb_finish(c, st);
	free(bj);
	free(aj);
	if (rc != SQLITE_OK)
		return cdb_db_fail(c, e, "journal");
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
