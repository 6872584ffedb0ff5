/* test_sql.c: what configdb_test needs from inside configdb (test_sql.h). */
#include <sqlite3.h>

#include "db_int.h"
#include "test_sql.h"

long long
cdb_test_count(struct cdb *c, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(c->conn->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
cdb_test_migrate(struct cdb *c, const struct cdb_catalog *cat, struct cdb_err *e)
{
	return cdb_migrate(c, cat, e);
}
