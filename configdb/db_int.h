/* db_int.h: what the configdb files share among themselves and nobody else. */
#ifndef DB_INT_H
#define DB_INT_H

#include "configdb.h"

int cdb_migrate(struct cdb *c, const struct cdb_catalog *cat, struct cdb_err *e);
/* Quote an SQL identifier: "name" (the caller frees). */
char *cdb_ident(const char *name);
char *cdb_sql_quote(const char *s);
/* Whether a property stores in an INTEGER column. */
int cdb_prop_is_int(const struct cdb_prop *p);
/* the menu a seed item line belongs to is parsed into kv pairs (caller frees) */
int cdb_seed_parse(const char *seed, struct cdb_kv **kv, char **buf);
long long cdb_next_id(struct cdb *c);
/* stmt.c */
typedef struct sqlite3_stmt sqlite3_stmt;
sqlite3_stmt *cdb_prepare(struct cdb *c, const char *sql, struct cdb_err *e);
void cdb_finish(struct cdb *c, sqlite3_stmt *st);
void cdb_flush_stmts(struct cdb *c);
/* Append text to a growing buffer. */
struct cdb_buf {
	char *s;
	size_t len, cap;
};
void cdb_buf_add(struct cdb_buf *b, const char *s, size_t n);
void cdb_buf_printf(struct cdb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
