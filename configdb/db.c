/* db.c: transactions. A console line or a batch is one; they nest as
 * savepoints. Opening the database is open.c's. */
#include <stdio.h>

#include <sqlite3.h>

#include "configdb.h"
#include "db_int.h"

static int exec_raw(struct cdb *c, const char *sql, struct cdb_err *e);

int
cdb_exec(struct cdb *c, const char *sql, struct cdb_err *e)
{
	/* inside a transaction, every exec writes */
	return cdb_write_lock(c, e) ? -1 : exec_raw(c, sql, e);
}


/* Transactions nest: the outermost level is a real SQLite transaction, inner
 * levels are savepoints, so a batch can be one transaction and still recover
 * from one failed command inside it (:do ... on-error).
 *
 * Locks. The outermost level begins DEFERRED: reading takes no write lock,
 * so a console line that only reads never stops another session. The first
 * write (cdb_write_lock, called by cdb_prepare and cdb_exec and by each
 * write operation before it reads what it will change) ends the read and
 * begins again with BEGIN IMMEDIATE, re-creating the open savepoints, which
 * hold nothing yet. So what a line read before its first write may be the
 * state just before another session's commit (as on RouterOS), while its
 * writes are one atomic transaction on the newest state. A writer waits for
 * a busy database as long as cdb_set_busy_wait says, then fails naming the
 * holder (dbfail.c). */
/* SQL as is (transaction control, or cdb_exec once locked); a busy
 * database is reported in words a person can act on. */
static int
exec_raw(struct cdb *c, const char *sql, struct cdb_err *e)
{
	if (sqlite3_exec(c->conn->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return cdb_db_fail(c, e, "database");
}

static int
savepoint(struct cdb *c, const char *verb, struct cdb_err *e)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "%s s%d", verb, c->depth);
	return exec_raw(c, sql, e);
}

/* BEGIN (verb) again at every open level. */
static int
reopen(struct cdb *c, const char *verb, struct cdb_err *e)
{
	char sql[64];

	if (exec_raw(c, verb, e))
		return -1;
	for (int i = 2; i <= c->depth; i++) {
		snprintf(sql, sizeof(sql), "SAVEPOINT s%d", i);
		if (exec_raw(c, sql, e))
			return -1;
	}
	return 0;
}

int
cdb_begin(struct cdb *c, struct cdb_err *e)
{
	if (c->depth > 0) {
		c->depth++;
		return savepoint(c, "SAVEPOINT", e);
	}
	if (exec_raw(c, "BEGIN", e))
		return -1;
	c->depth = 1;
	c->txn = 0;
	c->writing = 0;
	return 0;
}

int
cdb_commit(struct cdb *c, struct cdb_err *e)
{
	if (c->depth <= 0)
		return 0;
	if (c->depth > 1) {
		savepoint(c, "RELEASE", NULL);
		c->depth--;
		return 0;
	}
	c->depth = 0;
	c->writing = 0;
	if (exec_raw(c, "COMMIT", e)) {
		exec_raw(c, "ROLLBACK", NULL);
		return -1;
	}
	c->txn = 0;
	c->last_seq = cdb_journal_last(c);
	return 0;
}

/* Undo the innermost level. */
void
cdb_rollback(struct cdb *c)
{
	if (c->depth <= 0)
		return;
	if (c->depth > 1) {
		savepoint(c, "ROLLBACK TO", NULL);
		savepoint(c, "RELEASE", NULL);
		c->depth--;
		return;
	}
	c->depth = 0;
	c->txn = 0;
	c->writing = 0;
	exec_raw(c, "ROLLBACK", NULL);
}


/* A statement of this connection stepped and not yet reset: ending the
 * read under it would abort it. */
static int
reading(struct cdb *c)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(c->conn->db, NULL); st; st = sqlite3_next_stmt(c->conn->db, st))
		if (sqlite3_stmt_busy(st))
			return 1;
	return 0;
}

int
cdb_write_lock(struct cdb *c, struct cdb_err *e)
{
	if (cdb_policy_write(c, e))	/* every change passes here */
		return -1;
	if (c->depth <= 0 || c->writing)
		return 0;
	if (c->ro_why)
		return cdb_errf(e, "failure: can not change the configuration: %s is open read-only"
				" (%s)", c->path, cdb_unwritable_words(c->ro_why));
	if (sqlite3_txn_state(c->conn->db, NULL) == SQLITE_TXN_WRITE) {	/* SQLite upgraded it */
		c->writing = 1;
		return 0;
	}
	/* configdb reads its rows before it writes, so this should not be;
	 * if it is, SQLite upgrades the read in place */
	if (reading(c))
		return 0;
	if (!sqlite3_get_autocommit(c->conn->db))
		exec_raw(c, "ROLLBACK", NULL);
	if (reopen(c, "BEGIN IMMEDIATE", e)) {
		struct cdb_err ignored;

		if (sqlite3_get_autocommit(c->conn->db))	/* keep the levels the caller counts */
			reopen(c, "BEGIN", &ignored);
		return -1;
	}
	c->writing = 1;
	return 0;
}

int
cdb_unlock(struct cdb *c, struct cdb_err *e)
{
	int wrote;

	if (c->depth <= 0 || sqlite3_get_autocommit(c->conn->db))
		return 0;
	wrote = c->writing || sqlite3_txn_state(c->conn->db, NULL) == SQLITE_TXN_WRITE;
	c->writing = 0;
	c->txn = 0;
	if (!wrote)
		exec_raw(c, "ROLLBACK", NULL);	/* a read: nothing is lost */
	else if (exec_raw(c, "COMMIT", e)) {
		exec_raw(c, "ROLLBACK", NULL);
		reopen(c, "BEGIN", NULL);
		return -1;
	} else
		c->last_seq = cdb_journal_last(c);
	/* DEFERRED: nothing is read, nothing is held until the next statement */
	if (reopen(c, "BEGIN", e))
		return -1;
	return wrote;
}
