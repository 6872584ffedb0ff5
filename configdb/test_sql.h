/* test_sql.h: for configdb's own unit test only, linked into it alone (never
 * into libconfigdb): the few looks at SQL a test of the storage needs. */
#ifndef CONFIGDB_TEST_SQL_H
#define CONFIGDB_TEST_SQL_H

#include "configdb.h"

/* The first column of the first row of a query, or -1. */
long long cdb_test_count(struct cdb *c, const char *sql);
/* Bring the tables in step with another catalog (a changed schema). */
int cdb_test_migrate(struct cdb *c, const struct cdb_catalog *cat, struct cdb_err *e);

#endif
