/* safemode.c: safe mode. One session at a time holds it; the holder is a row
 * in the database (pid, the process's start time so a reused pid is not
 * mistaken for it, user, journal seq at the start). Whoever opens the
 * database next, and the engine every second, reverts the changes of a
 * holder whose process is gone, in one transaction of its own. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db_int.h"

/* Field 22 of /proc/PID/stat (start time in clock ticks since boot); "" for
 * a process that is gone or a zombie (killed, not yet reaped by its parent). */
static void
proc_start(long long pid, char *out, size_t len)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(out, len, "?");
	snprintf(path, sizeof(path), "/proc/%lld/stat", pid);
	if (!(f = fopen(path, "r")))
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command name may hold spaces and parentheses: fields follow the last ')' */
	if (!(p = strrchr(buf, ')')))
		return;
	if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X')) {
		snprintf(out, len, "gone");
		return;
	}
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		snprintf(out, len, "%.*s", (int)strcspn(p + 1, " "), p + 1);
}

static int
holder_alive(const struct cdb_safe_holder *h)
{
	char now[32];

	if (h->pid <= 0 || (kill((pid_t)h->pid, 0) && errno != EPERM))
		return 0;
	proc_start(h->pid, now, sizeof(now));
	return strcmp(now, "gone") && !strcmp(now, h->start);
}

int
cdb_safe_holder(struct cdb *c, struct cdb_safe_holder *h)
{
	sqlite3_stmt *st = cdb_prepare(c, "SELECT pid, start, user, seq, since FROM safe_mode", NULL);
	int found = 0;

	memset(h, 0, sizeof(*h));
	if (!st)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		h->pid = sqlite3_column_int64(st, 0);
		snprintf(h->start, sizeof(h->start), "%s", sqlite3_column_text(st, 1));
		snprintf(h->user, sizeof(h->user), "%s", sqlite3_column_text(st, 2));
		h->seq = sqlite3_column_int64(st, 3);
		h->since = sqlite3_column_int64(st, 4);
		found = 1;
	}
	cdb_finish(c, st);
	return found;
}

/* After reverting txn (of kind) in safe mode: it is no longer in effect, and
 * what an undo took back is in effect again, what a redo brought back is not. */
static int
mark_reverted(struct cdb *c, long long txn, const char *kind, long long target,
	      struct cdb_err *e)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "UPDATE txn_log SET undone_by = %lld WHERE txn = %lld",
		 c->txn, txn);
	if (cdb_exec(c, sql, e))
		return -1;
	if (!strcmp(kind, "undo"))
		snprintf(sql, sizeof(sql), "UPDATE txn_log SET undone_by = NULL WHERE txn = %lld",
			 target);
	else if (!strcmp(kind, "redo"))
		snprintf(sql, sizeof(sql), "UPDATE txn_log SET undone_by = %lld WHERE txn = %lld",
			 c->txn, target);
	else
		return 0;
	return cdb_exec(c, sql, e);
}

/* Revert, newest first, the changes (and undos and redos) the holder made in
 * safe mode that are still in effect, and release safe mode. Inside a
 * transaction. The number reverted, or -1. */
static int
revert_holder(struct cdb *c, struct cdb_err *e)
{
	sqlite3_stmt *st = cdb_prepare(c, "SELECT t.txn, t.kind, COALESCE(t.target, 0) FROM"
				       " txn_log t, safe_mode s WHERE t.safe = 1 AND"
				       " t.undone_by IS NULL AND t.session = s.session AND t.txn IN"
				       " (SELECT txn FROM journal WHERE seq > s.seq) ORDER BY t.txn DESC", e);
	struct { long long txn, target; char kind[16]; } *v = NULL;
	int n = 0, rc = 0;

	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		v = realloc(v, sizeof(*v) * (n + 1));
		v[n].txn = sqlite3_column_int64(st, 0);
		snprintf(v[n].kind, sizeof(v[n].kind), "%s", sqlite3_column_text(st, 1));
		v[n].target = sqlite3_column_int64(st, 2);
		n++;
	}
	cdb_finish(c, st);
	c->txn_kind = "revert";
	for (int i = 0; i < n && !rc; i++) {
		c->txn_target = v[i].txn;
		rc = cdb_txn_revert(c, v[i].txn, e) ||
		     mark_reverted(c, v[i].txn, v[i].kind, v[i].target, e);
	}
	c->txn_kind = NULL;
	free(v);
	if (!rc)
		rc = cdb_exec(c, "DELETE FROM safe_mode", e);
	return rc ? -1 : n;
}

int
cdb_safe_enter(struct cdb *c, const char *user, struct cdb_err *e)
{
	struct cdb_safe_holder h;
	sqlite3_stmt *st;
	char start[32];

	if (cdb_write_lock(c, e))	/* two sessions must not both see it free */
		return -1;
	if (cdb_safe_holder(c, &h)) {
		if (h.pid == (long long)getpid())
			return cdb_errf(e, "failure: already in safe mode");
		if (holder_alive(&h))
			return cdb_errf(e, "failure: safe mode is held by %s (pid %lld)", h.user, h.pid);
		if (revert_holder(c, e) < 0)
			return -1;
	}
	proc_start(getpid(), start, sizeof(start));
	if (!(st = cdb_prepare(c, "INSERT INTO safe_mode(one,pid,start,user,session,seq,since)"
			       " VALUES(1,?,?,?,?,?,?)", e)))
		return -1;
	sqlite3_bind_int64(st, 1, (long long)getpid());
	sqlite3_bind_text(st, 2, start, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, c->session, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, cdb_journal_last(c));
	sqlite3_bind_int64(st, 6, (long long)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE) {
		cdb_finish(c, st);
		return cdb_db_fail(c, e, "database");
	}
	cdb_finish(c, st);
	c->safe = 1;
	return 0;
}

int
cdb_safe_leave(struct cdb *c, int keep, struct cdb_err *e)
{
	struct cdb_safe_holder h;

	if (cdb_write_lock(c, e))
		return -1;
	if (!cdb_safe_holder(c, &h) || h.pid != (long long)getpid())
		return cdb_errf(e, "failure: not in safe mode");
	c->safe = 0;
	if (!keep)
		return revert_holder(c, e) < 0 ? -1 : 0;
	return cdb_exec(c, "DELETE FROM safe_mode", e);
}

int
cdb_safe_reap(struct cdb *c, struct cdb_err *e)
{
	struct cdb_safe_holder h;
	int n;

	if (c->depth > 0 || !cdb_safe_holder(c, &h) || holder_alive(&h))
		return 0;
	if (cdb_begin(c, e) || cdb_write_lock(c, e)) {
		cdb_rollback(c);
		return -1;
	}
	/* another process may have reaped it between the look and the lock */
	if (!cdb_safe_holder(c, &h) || holder_alive(&h)) {
		cdb_rollback(c);
		return 0;
	}
	if ((n = revert_holder(c, e)) < 0) {
		cdb_rollback(c);
		return -1;
	}
	if (cdb_commit(c, e))
		return -1;
	return 1;
}
