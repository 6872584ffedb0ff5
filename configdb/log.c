/* log.c: the /log table: a row per message, the newest thousand kept. The
 * console's :log writes at once inside its line's transaction; the engine's
 * lines wait in the runtime queue (runtime.c) and come here when written. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "db_int.h"

void
cdb_log_time(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* A statement on the /log table: fmt has one %s for its name. */
static sqlite3_stmt *
log_stmt(struct cdb *c, const char *fmt)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, "/log");
	sqlite3_stmt *st;
	char *t, *sql;

	if (!m || !m->table)
		return NULL;
	t = cdb_ident(m->table);
	if (asprintf(&sql, fmt, t) < 0)
		sql = NULL;
	st = sql ? cdb_prepare(c, sql, NULL) : NULL;
	free(sql);
	free(t);
	return st;
}

static int
step(struct cdb *c, sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return sqlite3_errcode(c->conn->db) != SQLITE_OK ? sqlite3_errcode(c->conn->db) :
		       SQLITE_ERROR;
	rc = sqlite3_step(st);
	cdb_finish(c, st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int
cdb_log_insert(struct cdb *c, const char *time, const char *topics, const char *message)
{
	sqlite3_stmt *st = log_stmt(c, "INSERT INTO %s(time, topics, message) VALUES(?, ?, ?)");

	if (st) {
		sqlite3_bind_text(st, 1, time, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, topics, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, message, -1, SQLITE_STATIC);
	}
	return step(c, st);
}

int
cdb_log_trim(struct cdb *c)
{
	char fmt[96];

	snprintf(fmt, sizeof(fmt), "DELETE FROM %%1$s WHERE id <= (SELECT MAX(id) FROM %%1$s) - %d",
		 CDB_LOG_KEEP);
	return step(c, log_stmt(c, fmt));
}

int
cdb_log_add(struct cdb *c, const char *topics, const char *message, struct cdb_err *e)
{
	char when[32];
	int rc;

	cdb_log_time(when, sizeof(when));
	c->internal++;		/* a read-only user's messages are logged too */
	rc = cdb_log_insert(c, when, topics, message);
	if (rc == SQLITE_OK)
		cdb_log_trim(c);
	c->internal--;
	if (rc != SQLITE_OK)
		return cdb_errf(e, "failure: can not write the log: %s", sqlite3_errmsg(c->conn->db));
	return 0;
}
