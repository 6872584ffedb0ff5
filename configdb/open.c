/* open.c: open the configuration database: the connection and its
 * settings, the tables every database has, the catalog the schema gives
 * (migrating the tables when the program's schema changed), and closing. */
#include <errno.h>
#include <fcntl.h>
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
	" \"rx-packet\" INTEGER, \"tx-packet\" INTEGER, \"rx-drop\" INTEGER,"
	" \"tx-drop\" INTEGER, \"rx-error\" INTEGER, \"tx-error\" INTEGER, kernel INTEGER,"
	" \"rx-bps\" INTEGER, \"tx-bps\" INTEGER, \"rx-pps\" INTEGER, \"tx-pps\" INTEGER);"
	"CREATE TABLE IF NOT EXISTS login_fail(addr TEXT, at INTEGER);";

/* The SQLite linked in, for --version. */
const char *
cdb_sqlite_version(void)
{
	return sqlite3_libversion();
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

	if (sqlite3_prepare_v2(c->conn->db, "SELECT v FROM cat_meta WHERE k=?", -1, &st, NULL))
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

	if (sqlite3_prepare_v2(c->conn->db, "INSERT OR REPLACE INTO cat_meta VALUES(?,?)",
			       -1, &st, NULL))
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

/* Pages in the file: 0 for a database just made. */
static long long
page_count(struct cdb *c)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(c->conn->db, "PRAGMA page_count", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

#define OPEN_WAIT_MS 10000	/* how long opening waits for another process's lock */

/* auto_vacuum goes first: it only takes in a database with no table yet
 * (older ones are switched by cdb_vacuum_mode, migrate.c). A database
 * opened read-only keeps the journal mode it has. */
static int
pragmas(struct cdb *c, struct cdb_err *e)
{
	cdb_set_busy_wait(c, OPEN_WAIT_MS);
	if (c->ro_why)
		return cdb_exec(c, "PRAGMA foreign_keys=ON;", e);
	/* on a database with tables it would wait for the write lock */
	if (!page_count(c) && cdb_exec(c, "PRAGMA auto_vacuum=INCREMENTAL;", e))
		return -1;
	return cdb_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			" PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=" CDB_WAL_LIMIT ";", e);
}

void
cdb_set_busy_wait(struct cdb *c, int ms)
{
	c->conn->busy_ms = ms;
	sqlite3_busy_timeout(c->conn->db, ms);
}

int
cdb_set_sync(struct cdb *c, int full, struct cdb_err *e)
{
	return cdb_exec(c, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", e);
}

long long
cdb_data_version(struct cdb *c)
{
	sqlite3_stmt *st = cdb_prepare(c, "PRAGMA data_version", NULL);
	long long v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	cdb_finish(c, st);
	return v;
}

/* What configdb's own tables (meta, journal, runtime) look like; bump it
 * when they change, so that opening takes the slow path once and fixes them. */
#define LAYOUT "2"

/* Whether the database was brought up to this catalog and layout already:
 * then opening writes nothing and waits for no other session's lock. */
static int
up_to_date(struct cdb *c, const struct cdb_catalog *cat)
{
	char *hash = meta_get(c, "hash"), *layout = meta_get(c, "layout");
	int yes = hash && layout && !strcmp(hash, cat->hash) && !strcmp(layout, LAYOUT);

	free(hash);
	free(layout);
	return yes;
}

/* Bring the database up to the catalog: configdb's tables, then the menus'
 * tables migrated inside one transaction. */
static int
set_up(struct cdb *c, struct cdb_catalog *cat, struct cdb_err *e)
{
	char *hash;
	int rc = -1;

	if (cdb_exec(c, meta_sql, e) || cdb_journal_init(c, e))
		return -1;
	c->txn_kind = "setup";	/* seeding built-in items is not the admin's to undo */
	if (cdb_exec(c, "BEGIN IMMEDIATE", e)) {
		c->txn_kind = NULL;
		return -1;
	}
	hash = meta_get(c, "hash");
	if (hash && !strcmp(hash, cat->hash))
		rc = meta_set(c, "layout", LAYOUT) || meta_set(c, "version", PACKAGE_VERSION);
	else if (!cdb_migrate(c, cat, e) && !meta_set(c, "hash", cat->hash) &&
		 !meta_set(c, "schema", cdb_schema_text) && !meta_set(c, "layout", LAYOUT) &&
		 !meta_set(c, "version", PACKAGE_VERSION))
		rc = 0;
	free(hash);
	c->txn_kind = NULL;
	c->txn = 0;
	if (rc || cdb_exec(c, "COMMIT", e)) {
		cdb_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

int
cdb_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
		if (ea == a && eb == b && (*a || *b))	/* neither a number nor a dot */
			return strcmp(a, b);
	}
	return 0;
}

/* A database written by a newer Rosh would lose what this one does not
 * know (migrating drops columns and tables it has no schema for): it is
 * refused before anything is written. A database without the mark comes
 * from 0.1, which did not write one. */
static int
refuse_newer(struct cdb *c, struct cdb_err *e)
{
	char *v = meta_get(c, "version");
	int newer = v && cdb_version_cmp(v, PACKAGE_VERSION) > 0;

	if (newer)
		cdb_errf(e, "failure: %s was written by Rosh %s, newer than this %s: open it "
			 "with Rosh %s or newer (the database is left as it is)", c->path, v,
			 PACKAGE_VERSION, v);
	free(v);
	return newer ? -1 : 0;
}

/* The catalog of this program's schema, the database brought up to it. */
static int
load_catalog(struct cdb *c, struct cdb_err *e)
{
	struct cdb_catalog *cat;

	if (refuse_newer(c, e) || cdb_catalog_parse(cdb_schema_text, "schema", &cat, e))
		return -1;
	if (!up_to_date(c, cat) && c->ro_why) {
		cdb_catalog_free(cat);
		return cdb_errf(e, "failure: %s must be brought up to this Rosh %s but can not be "
				"written: %s", c->path, PACKAGE_VERSION, cdb_unwritable_words(c->ro_why));
	}
	if (!up_to_date(c, cat) && set_up(c, cat, e)) {
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
	if (!rc)
		rc = meta_set(c, "layout", LAYOUT) || meta_set(c, "version", PACKAGE_VERSION);
	free(hash);
	if (rc || cdb_exec(c, "COMMIT", e)) {
		cdb_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	c->last_seq = cdb_journal_last(c);
	return 0;
}

/* SQLite's URI for path opened read-only; immutable when SQLite can not
 * keep its -shm file (a read-only file system, a full disk). */
static char *
ro_uri(const char *path, int immutable)
{
	struct cdb_buf b = { 0 };

	cdb_buf_add(&b, "file:", 5);
	for (const char *p = path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#')
			cdb_buf_printf(&b, "%%%02X", (unsigned char)*p);
		else
			cdb_buf_add(&b, p, 1);
	cdb_buf_printf(&b, "?mode=ro%s", immutable ? "&immutable=1" : "");
	return b.s;
}

/* Whether path's -wal holds changes not yet in the file: immutable would
 * not read them. */
static int
wal_pending(const char *path)
{
	char wal[4200];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return !stat(wal, &st) && st.st_size > 0;
}

/* The first read, which opens SQLite's WAL index. */
static int
probe(struct cdb *c)
{
	return sqlite3_exec(c->conn->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

/* The probe waits like every later statement: while another process
 * recovers or checkpoints the WAL, a first read is told "busy", and without
 * a wait a console started beside another one failed at once. */
static int
try_open(struct cdb *c, const char *name, int flags)
{
	if (sqlite3_open_v2(name, &c->conn->db, flags, NULL) == SQLITE_OK &&
	    sqlite3_busy_timeout(c->conn->db, OPEN_WAIT_MS) == SQLITE_OK && probe(c) == SQLITE_OK)
		return 0;
	return -1;
}

/* Read-only, for a console that can print what it can not change. */
static int
open_ro(struct cdb *c, const char *path, struct cdb_err *e)
{
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, rc = -1;

	for (int immutable = 0; immutable < 2 && rc; immutable++) {
		char *uri = ro_uri(path, immutable);

		if (immutable && wal_pending(path))
			break;
		sqlite3_close(c->conn->db);
		c->conn->db = NULL;
		rc = try_open(c, uri, flags);
		free(uri);
	}
	if (rc)
		return cdb_errf(e, "failure: can not open %s: %s", path,
				cdb_unwritable_words(c->ro_why));
	return 0;
}

/* Read-write when the file and its folder can be written, else read-only
 * with c->ro_why saying why. */
static int
open_conn(struct cdb *c, const char *path, struct cdb_err *e)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int why = cdb_file_unwritable(path), sys;

	if (why && access(path, F_OK))
		return cdb_errf(e, "failure: can not create %s: %s", path,
				cdb_unwritable_words(why));
	if (!why) {
		if (!try_open(c, path, flags))
			return 0;
		sys = sqlite3_system_errno(c->conn->db);
		if (!(why = cdb_file_unwritable(path)) && (sys == ENOSPC || sys == EDQUOT))
			why = ENOSPC;
		if (!why)
			return cdb_db_fail(c, e, "database");
	}
	c->ro_why = why;
	return open_ro(c, path, e);
}

/* A new database holds private keys and password hashes: it is made the
 * owner's alone before SQLite fills it (its -wal and -shm files take the
 * same mode). An existing one keeps the mode it has. */
static void
create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
}

int
cdb_open(const char *path, struct cdb **out, struct cdb_err *e)
{
	struct cdb *c = calloc(1, sizeof(*c));

	c->conn = calloc(1, sizeof(*c->conn));
	c->path = strdup(path);
	c->filedir = file_dir(path);
	c->session = strdup("system");
	if (make_parent(path)) {
		int why = errno;

		if (access(path, F_OK)) {	/* a database there can still be read */
			cdb_errf(e, "failure: can not create the folder for %s: %s", path,
				 strerror(why));
			goto fail;
		}
	}
	create_private(path);
	if (open_conn(c, path, e) || pragmas(c, e) || load_catalog(c, e))
		goto fail;
	if (!c->ro_why && cdb_safe_reap(c, e) < 0)
		goto fail;
	if (!c->ro_why) {
		cdb_vacuum_mode(c);
		mkdir(c->filedir, 0700);
	}
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
	cdb_rt_free(c);
	cdb_log_conf_free(c->conn ? c->conn->logconf : NULL);
	cdb_flush_stmts(c);
	sqlite3_close(c->conn->db);
	free(c->conn);
	cdb_catalog_free(c->cat);
	free(c->path);
	free(c->filedir);
	free(c->session);
	free(c->txn_label);
	free(c);
}

