/* stmt.c: a cache of prepared statements. Each command runs the same few
 * dozen statements over and over; compiling them once is most of what makes
 * a 10,000-line import fast. A statement in use when asked for again (a
 * query run from inside another one's loop) is prepared afresh. Handing out
 * a statement that writes is where a transaction takes its write lock. */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

#define CACHE_MAX 96

struct cdb_stmt {
	char *sql;
	sqlite3_stmt *st;
	int busy;
};

/* A statement that writes takes the transaction's write lock first (db.c). */
static int
locked(struct cdb *c, sqlite3_stmt *st, struct cdb_err *e)
{
	return sqlite3_stmt_readonly(st) ? 0 : cdb_write_lock(c, e);
}

sqlite3_stmt *
cdb_prepare(struct cdb *c, const char *sql, struct cdb_err *e)
{
	sqlite3_stmt *st;
	int free_slot = -1;

	for (int i = 0; i < c->conn->nstmts; i++) {
		struct cdb_stmt *s = &c->conn->stmts[i];

		if (!s->busy && !strcmp(s->sql, sql))
			return locked(c, s->st, e) ? NULL : (s->busy = 1, s->st);
	}
	if (sqlite3_prepare_v2(c->conn->db, sql, -1, &st, NULL) != SQLITE_OK) {
		cdb_db_fail(c, e, "database");
		return NULL;
	}
	if (locked(c, st, e)) {
		sqlite3_finalize(st);
		return NULL;
	}
	if (c->conn->nstmts < CACHE_MAX)
		free_slot = c->conn->nstmts++;
	if (free_slot >= 0) {
		if (!c->conn->stmts)
			c->conn->stmts = calloc(CACHE_MAX, sizeof(*c->conn->stmts));
		c->conn->stmts[free_slot] = (struct cdb_stmt){ strdup(sql), st, 1 };
	}
	return st;
}

/* Done with a statement from cdb_prepare: reset it for the next use, or
 * finalize it if it was not cached. */
void
cdb_finish(struct cdb *c, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < c->conn->nstmts; i++)
		if (c->conn->stmts[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			c->conn->stmts[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

/* Forget every cached statement (tables were rebuilt, or closing). */
void
cdb_flush_stmts(struct cdb *c)
{
	for (int i = 0; i < c->conn->nstmts; i++) {
		sqlite3_finalize(c->conn->stmts[i].st);
		free(c->conn->stmts[i].sql);
	}
	free(c->conn->stmts);
	c->conn->stmts = NULL;
	c->conn->nstmts = 0;
}
