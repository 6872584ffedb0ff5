/* db.c: open the configuration database, keep its tables in step with the
 * schema (create, migrate, seed), and run transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "configdb.h"
#include "db_int.h"

static const char *meta_sql =
	"CREATE TABLE IF NOT EXISTS cat_meta(k TEXT PRIMARY KEY, v TEXT);"
	"CREATE TABLE IF NOT EXISTS cat_menu(path TEXT PRIMARY KEY, kind TEXT,"
	" tbl TEXT, key TEXT, iface TEXT, help TEXT);"
	"CREATE TABLE IF NOT EXISTS cat_prop(menu TEXT, name TEXT, ord INTEGER,"
	" type TEXT, flags INTEGER, min INTEGER, max INTEGER, len INTEGER,"
	" vals TEXT, words TEXT, def TEXT, ref TEXT, help TEXT,"
	" PRIMARY KEY(menu, name));"
	"CREATE TABLE IF NOT EXISTS idseq(n INTEGER NOT NULL);"
	"INSERT INTO idseq SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM idseq);"
	"CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" txn INTEGER, time INTEGER, session TEXT, menu TEXT, item INTEGER,"
	" op TEXT, before TEXT, after TEXT, undone INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS journal_txn ON journal(txn);"
	"CREATE TABLE IF NOT EXISTS rt_interface(id INTEGER PRIMARY KEY, name TEXT,"
	" type TEXT, mtu INTEGER, \"actual-mtu\" INTEGER, \"mac-address\" TEXT,"
	" running INTEGER, dynamic INTEGER, \"rx-byte\" INTEGER, \"tx-byte\" INTEGER,"
	" \"rx-packet\" INTEGER, \"tx-packet\" INTEGER);";

static int exec_raw(struct cdb *c, const char *sql, struct cdb_err *e);

int
cdb_exec(struct cdb *c, const char *sql, struct cdb_err *e)
{
	/* inside a transaction, every exec writes */
	return cdb_write_lock(c, e) ? -1 : exec_raw(c, sql, e);
}

const char *
cdb_default_path(void)
{
	static char buf[4096];
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (geteuid() == 0)
		return "/var/lib/rosh/config.db";
	if (state && *state)
		snprintf(buf, sizeof(buf), "%s/rosh/config.db", state);
	else
		snprintf(buf, sizeof(buf), "%s/.local/state/rosh/config.db", home ? home : ".");
	return buf;
}

/* mkdir -p for the folder holding path (not path itself). */
static int
make_parent(const char *path)
{
	char *d = strdup(path), *p;

	for (p = d + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(d, 0700) && errno != EEXIST) {
			free(d);
			return -1;
		}
		*p = '/';
	}
	free(d);
	return 0;
}

static char *
file_dir(const char *dbpath)
{
	char *d, *slash;

	if (!(slash = strrchr(dbpath, '/')))
		return strdup("files");
	if (asprintf(&d, "%.*s/files", (int)(slash - dbpath), dbpath) < 0)
		return NULL;
	return d;
}

static char *
meta_get(struct cdb *c, const char *k)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(c->db, "SELECT v FROM cat_meta WHERE k=?", -1, &st, NULL))
		return NULL;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static int
meta_set(struct cdb *c, const char *k, const char *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO cat_meta VALUES(?,?)",
			       -1, &st, NULL))
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int
pragmas(struct cdb *c, struct cdb_err *e)
{
	sqlite3_busy_timeout(c->db, 10000);
	return cdb_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			"PRAGMA foreign_keys=ON;", e);
}

/* Load the catalog the database was last brought up to; if the program's
 * schema differs, migrate the tables inside one transaction first. */
static int
load_catalog(struct cdb *c, struct cdb_err *e)
{
	struct cdb_catalog *cat;
	char *hash;
	int rc = -1;

	if (cdb_catalog_parse(cdb_schema_text, "schema", &cat, e))
		return -1;
	c->txn_kind = "setup";	/* seeding built-in items is not the admin's to undo */
	if (cdb_exec(c, "BEGIN IMMEDIATE", e)) {
		c->txn_kind = NULL;
		cdb_catalog_free(cat);
		return -1;
	}
	hash = meta_get(c, "hash");
	if (hash && !strcmp(hash, cat->hash))
		rc = 0;
	else if (!cdb_migrate(c, cat, e) && !meta_set(c, "hash", cat->hash) &&
		 !meta_set(c, "schema", cdb_schema_text))
		rc = 0;
	free(hash);
	c->txn_kind = NULL;
	c->txn = 0;
	if (rc || cdb_exec(c, "COMMIT", e)) {
		cdb_exec(c, "ROLLBACK", NULL);
		cdb_catalog_free(cat);
		return -1;
	}
	c->cat = cat;
	return 0;
}

/* After the database was replaced (a backup loaded): bring its tables in
 * step with this program's catalog if the backup came from another schema. */
int
cdb_check_schema(struct cdb *c, struct cdb_err *e)
{
	char *hash;
	int rc = 0;

	if (cdb_exec(c, "BEGIN IMMEDIATE", e))
		return -1;
	cdb_flush_stmts(c);
	if (cdb_journal_init(c, e)) {	/* a backup from before undo */
		cdb_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	hash = meta_get(c, "hash");
	if (!hash || strcmp(hash, c->cat->hash))
		rc = cdb_migrate(c, c->cat, e) || meta_set(c, "hash", c->cat->hash) ||
		     meta_set(c, "schema", cdb_schema_text) ? -1 : 0;
	free(hash);
	if (rc || cdb_exec(c, "COMMIT", e)) {
		cdb_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	c->last_seq = cdb_journal_last(c);
	return 0;
}

int
cdb_open(const char *path, struct cdb **out, struct cdb_err *e)
{
	struct cdb *c = calloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	c->path = strdup(path);
	c->filedir = file_dir(path);
	c->session = strdup("system");
	if (make_parent(path)) {
		cdb_errf(e, "failure: cannot create folder for %s: %s", path, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		cdb_errf(e, "failure: cannot open %s: %s", path, sqlite3_errmsg(c->db));
		goto fail;
	}
	if (pragmas(c, e) || cdb_exec(c, meta_sql, e) || cdb_journal_init(c, e) ||
	    load_catalog(c, e) || cdb_safe_reap(c, e) < 0)
		goto fail;
	mkdir(c->filedir, 0700);
	c->last_seq = cdb_journal_last(c);
	*out = c;
	return 0;
fail:
	cdb_close(c);
	return -1;
}

void
cdb_close(struct cdb *c)
{
	if (!c)
		return;
	cdb_flush_stmts(c);
	sqlite3_close(c->db);
	cdb_catalog_free(c->cat);
	free(c->path);
	free(c->filedir);
	free(c->session);
	free(c->txn_label);
	free(c);
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
 * a busy database as long as cdb_set_wait says, then fails with busy_msg. */
static const char *busy_msg =
	"failure: configuration is being changed by another session, try again";

/* SQL as is (transaction control, or cdb_exec once locked); a busy
 * database is reported in words a person can act on. */
static int
exec_raw(struct cdb *c, const char *sql, struct cdb_err *e)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return cdb_errf(e, "%s", busy_msg);
	return cdb_errf(e, "failure: database: %s", sqlite3_errmsg(c->db));
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

void
cdb_set_wait(struct cdb *c, int ms)
{
	sqlite3_busy_timeout(c->db, ms);
}

/* A statement of this connection stepped and not yet reset: ending the
 * read under it would abort it. */
static int
reading(struct cdb *c)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(c->db, NULL); st; st = sqlite3_next_stmt(c->db, st))
		if (sqlite3_stmt_busy(st))
			return 1;
	return 0;
}

int
cdb_write_lock(struct cdb *c, struct cdb_err *e)
{
	if (c->depth <= 0 || c->writing)
		return 0;
	if (sqlite3_txn_state(c->db, NULL) == SQLITE_TXN_WRITE) {	/* SQLite upgraded it */
		c->writing = 1;
		return 0;
	}
	/* configdb reads its rows before it writes, so this should not be;
	 * if it is, SQLite upgrades the read in place */
	if (reading(c))
		return 0;
	if (!sqlite3_get_autocommit(c->db))
		exec_raw(c, "ROLLBACK", NULL);
	if (reopen(c, "BEGIN IMMEDIATE", e)) {
		struct cdb_err ignored;

		if (sqlite3_get_autocommit(c->db))	/* keep the levels the caller counts */
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

	if (c->depth <= 0 || sqlite3_get_autocommit(c->db))
		return 0;
	wrote = c->writing || sqlite3_txn_state(c->db, NULL) == SQLITE_TXN_WRITE;
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
