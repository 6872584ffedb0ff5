/* backup.c: the whole database copied to or from another SQLite file with
 * SQLite's online backup, for /system backup save and load. */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

/* Other writers hold the lock for a moment at most: wait, but not forever. */
static int
copy_db(sqlite3 *from, sqlite3 *to)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc, tries = 0;

	if (!b)
		return -1;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > 500)
			break;
		sqlite3_sleep(10);
	}
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
cdb_backup_to(struct cdb *c, const char *path, struct cdb_err *e)
{
	sqlite3 *to = NULL;
	int rc = sqlite3_open(path, &to) == SQLITE_OK ? copy_db(c->conn->db, to) : -1;

	if (sqlite3_close(to) != SQLITE_OK)
		rc = -1;
	return rc ? cdb_errf(e, "failure: backup failed") : 0;
}

/* The Rosh version a backup was saved by ("" for 0.1, which did not say). */
static char *
saved_by(sqlite3 *from)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(from, "SELECT v FROM cat_meta WHERE k='version'", -1, &st, NULL))
		return strdup("");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v ? v : strdup("");
}

int
cdb_restore_from(struct cdb *c, const char *path, struct cdb_err *e)
{
	sqlite3 *from = NULL;
	char *v = NULL;
	int rc = sqlite3_open(path, &from) == SQLITE_OK ? 0 : -1;

	/* a newer Rosh's backup would lose what this one does not know */
	if (!rc && *(v = saved_by(from)) && cdb_version_cmp(v, PACKAGE_VERSION) > 0) {
		cdb_errf(e, "failure: the backup was saved by Rosh %s, newer than this %s",
			 v, PACKAGE_VERSION);
		free(v);
		sqlite3_close(from);
		return -1;
	}
	free(v);
	if (!rc)
		rc = copy_db(from, c->conn->db);
	sqlite3_close(from);
	cdb_flush_stmts(c);	/* every table was replaced */
	return rc ? cdb_errf(e, "failure: restore failed") : 0;
}
