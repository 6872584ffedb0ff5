/* db.c: transactions. A console line or a batch is one; they nest as
 * savepoints. Opening the database is open.c's. */
#include <stdio.h>

#include <sqlite3.h>

#include "configdb.h"
#include "db_int.h"

int
cdb_exec(struct cdb *c, const char *sql, struct cdb_err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(c->conn->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	cdb_errf(e, "failure: database: %s", msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

/* Transactions nest: the outermost level is a real SQLite transaction, inner
 * levels are savepoints, so a batch can be one transaction and still recover
 * from one failed command inside it (:do ... on-error). */
static int
savepoint(struct cdb *c, const char *verb, struct cdb_err *e)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "%s s%d", verb, c->depth);
	return cdb_exec(c, sql, e);
}

int
cdb_begin(struct cdb *c, struct cdb_err *e)
{
	if (c->depth > 0) {
		c->depth++;
		return savepoint(c, "SAVEPOINT", e);
	}
	if (cdb_exec(c, "BEGIN IMMEDIATE", e))
		return -1;
	c->depth = 1;
	c->txn = 0;
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
	if (cdb_exec(c, "COMMIT", e)) {
		cdb_exec(c, "ROLLBACK", NULL);
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
	cdb_exec(c, "ROLLBACK", NULL);
}
