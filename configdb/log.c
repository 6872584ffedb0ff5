/* log.c: the /log table: a row per message and memory action it goes to
 * (/system logging, log_route.c), each action's buffer trimmed to its
 * memory-lines. The console's :log writes at once inside its line's
 * transaction; the engine's lines wait in the runtime queue (runtime.c) and
 * come here when written. Remote actions get their copy at once. */
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
	struct cdb_log_conf *lc = cdb_log_conf(c);
	int rc = SQLITE_OK;

	cdb_log_route(lc, topics);
	for (int i = 0; i < lc->nact && rc == SQLITE_OK; i++) {
		struct cdb_log_action *a = &lc->act[i];
		sqlite3_stmt *st;
		char *msg = NULL;

		if (!a->marked || a->remote)
			continue;
		if (a->prefix && asprintf(&msg, "%s %s", a->prefix, message) < 0)
			msg = NULL;
		st = log_stmt(c, "INSERT INTO %s(time, topics, message, buffer) VALUES(?, ?, ?, ?)");
		if (st) {
			sqlite3_bind_text(st, 1, time, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, topics, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, msg ? msg : message, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, a->name, -1, SQLITE_STATIC);
		}
		rc = step(c, st);
		free(msg);
	}
	return rc;
}

/* One buffer down to its newest lines (NULL: the lines logged before
 * buffers were, kept as many as /log held then). */
static int
trim_buffer(struct cdb *c, const char *buffer, int lines)
{
	sqlite3_stmt *st = log_stmt(c, "DELETE FROM %1$s WHERE buffer IS ?1 AND id <= (SELECT id"
				    " FROM %1$s WHERE buffer IS ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)");

	if (st) {
		if (buffer)
			sqlite3_bind_text(st, 1, buffer, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, lines);
	}
	return step(c, st);
}

int
cdb_log_trim(struct cdb *c)
{
	struct cdb_log_conf *lc = cdb_log_conf(c);
	int rc = trim_buffer(c, NULL, CDB_LOG_KEEP);

	for (int i = 0; i < lc->nact && rc == SQLITE_OK; i++)
		if (!lc->act[i].remote)
			rc = trim_buffer(c, lc->act[i].name, lc->act[i].lines);
	return rc;
}

void
cdb_log_remote(struct cdb *c, const char *topics, const char *message)
{
	struct cdb_log_conf *lc = cdb_log_conf(c);

	cdb_log_route(lc, topics);
	for (int i = 0; i < lc->nact; i++)
		if (lc->act[i].marked && lc->act[i].remote)
			cdb_syslog_send(&lc->act[i], lc->host, topics, message);
}

int
cdb_log_add(struct cdb *c, const char *topics, const char *message, struct cdb_err *e)
{
	char when[32];
	int rc;

	cdb_log_remote(c, topics, message);
	if (c->ro_why)
		return cdb_errf(e, "failure: can not write the log: %s is open read-only (%s)",
				c->path, cdb_unwritable_words(c->ro_why));
	cdb_log_time(when, sizeof(when));
	c->internal++;		/* a read-only user's messages are logged too */
	rc = cdb_log_insert(c, when, topics, message);
	if (rc == SQLITE_OK)
		rc = cdb_log_trim(c);
	c->internal--;
	if (rc != SQLITE_OK)
		return cdb_db_fail(c, e, "log");
	return 0;
}
