/* session.c: configdb's own records of logins for the front ends: the
 * /user active rows, a user's last login, and recent failures per address.
 * They are bookkeeping, not configuration: written outside the session's
 * policy, never journaled, never undone. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "db_int.h"

/* A statement on m's table: fmt has one %s for its name. */
static sqlite3_stmt *
table_stmt(struct cdb *c, const char *path, const char *fmt)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, path);
	sqlite3_stmt *st = NULL;
	char *t, *sql;

	if (!m || !m->table)
		return NULL;
	t = cdb_ident(m->table);
	if (asprintf(&sql, fmt, t) >= 0) {
		st = cdb_prepare(c, sql, NULL);
		free(sql);
	}
	free(t);
	return st;
}

static int
run(struct cdb *c, sqlite3_stmt *st)
{
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	if (st)
		cdb_finish(c, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Rows of sessions whose process is gone (killed, crashed) go. */
static void
prune(struct cdb *c)
{
	sqlite3_stmt *st = table_stmt(c, "/user/active", "SELECT id, pid FROM %s");
	long long dead[64];
	int n = 0;

	while (st && n < 64 && sqlite3_step(st) == SQLITE_ROW) {
		pid_t pid = (pid_t)sqlite3_column_int64(st, 1);

		if (pid > 0 && kill(pid, 0) < 0)
			dead[n++] = sqlite3_column_int64(st, 0);
	}
	if (st)
		cdb_finish(c, st);
	for (int i = 0; i < n; i++)
		cdb_active_remove(c, dead[i]);
}

long long
cdb_active_add(struct cdb *c, const char *name, const char *addr, const char *via,
	       const char *group)
{
	sqlite3_stmt *st;
	long long id = 0;
	char when[32];

	c->internal++;
	prune(c);
	cdb_log_time(when, sizeof(when));
	st = table_stmt(c, "/user/active", "INSERT INTO %s(\"when\", name, address, via,"
			" \"group\", pid) VALUES(?, ?, ?, ?, ?, ?)");
	if (st) {
		sqlite3_bind_text(st, 1, when, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, addr, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, via, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, group, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, getpid());
	}
	if (!run(c, st))
		id = sqlite3_last_insert_rowid(c->conn->db);
	c->internal--;
	return id;
}

void
cdb_active_remove(struct cdb *c, long long id)
{
	sqlite3_stmt *st;

	c->internal++;
	if ((st = table_stmt(c, "/user/active", "DELETE FROM %s WHERE id = ?")))
		sqlite3_bind_int64(st, 1, id);
	run(c, st);
	c->internal--;
}

void
cdb_user_seen(struct cdb *c, long long user)
{
	sqlite3_stmt *st;
	char when[32];

	c->internal++;
	cdb_log_time(when, sizeof(when));
	st = table_stmt(c, "/user", "UPDATE %s SET \"last-logged-in\" = ? WHERE id = ?");
	if (st) {
		sqlite3_bind_text(st, 1, when, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, user);
	}
	run(c, st);
	c->internal--;
}

/* Record a failed login from addr; the failures from it in the last
 * window seconds, this one included. */
int
cdb_login_failed(struct cdb *c, const char *addr, int window)
{
	long long now = (long long)time(NULL);
	sqlite3_stmt *st;
	int n = 0;

	c->internal++;
	if ((st = cdb_prepare(c, "DELETE FROM login_fail WHERE at < ?", NULL)))
		sqlite3_bind_int64(st, 1, now - 3600);
	run(c, st);
	if ((st = cdb_prepare(c, "INSERT INTO login_fail(addr, at) VALUES(?, ?)", NULL))) {
		sqlite3_bind_text(st, 1, addr, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
	}
	run(c, st);
	st = cdb_prepare(c, "SELECT COUNT(*) FROM login_fail WHERE addr = ? AND at >= ?", NULL);
	if (st) {
		sqlite3_bind_text(st, 1, addr, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now - window);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		cdb_finish(c, st);
	}
	c->internal--;
	return n;
}
