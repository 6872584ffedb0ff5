/* runtime_sql.c: one queued runtime write (runtime.c) as SQL. A view's new
 * row is inserted, other rows updated only where a value differs (a write
 * that changes nothing costs no page), "nothing runs" empties the runtime
 * views and clears the running flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

int
cdb_is_iface_view(const struct cdb_menu *m)
{
	return m->kind == M_VIEW && m->iface && !strcmp(m->iface, "all");
}

const char *
cdb_rt_table(const struct cdb_menu *m)
{
	return cdb_is_iface_view(m) ? "rt_interface" : m->table;
}

int
cdb_rt_truthy(const char *v)
{
	return v && (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"));
}

/* Bind one value the way its column stores it: INTEGER for integer
 * properties, 0/1 for the fixed running and dynamic columns and for a
 * view's yes/no properties, text otherwise. */
static void
bind_value(sqlite3_stmt *st, int i, const struct cdb_menu *m, const struct rt_col *col)
{
	const struct cdb_prop *p = col->prop >= 0 ? &m->props[col->prop] : NULL;
	int is_bool = !p || (m->kind == M_VIEW && p->ntypes == 1 && p->types[0] == T_BOOL &&
			     !(p->flags & P_LIST));

	if (is_bool)
		sqlite3_bind_int(st, i, cdb_rt_truthy(col->value));
	else if (!col->value)
		sqlite3_bind_null(st, i);
	else if (cdb_prop_is_int(p))
		sqlite3_bind_int64(st, i, strtoll(col->value, NULL, 10));
	else
		sqlite3_bind_text(st, i, col->value, -1, SQLITE_TRANSIENT);
}

static int
has_col(const struct rt_op *op, const char *name)
{
	for (int k = 0; k < op->ncols; k++)
		if (!strcmp(op->cols[k].name, name))
			return 1;
	return 0;
}

/* INSERT INTO t(id[, pos, dynamic], cols) VALUES(?1[, ?1, 1], ?2...)
 * ON CONFLICT(id) DO UPDATE SET col = excluded.col... */
static char *
insert_sql(const struct rt_op *op)
{
	struct cdb_buf b = { 0 }, vals = { 0 }, upd = { 0 };
	char *t = cdb_ident(cdb_rt_table(op->m));
	int generated = !cdb_is_iface_view(op->m);	/* a table of its own: pos, dynamic */

	cdb_buf_printf(&b, "INSERT INTO %s(id", t);
	cdb_buf_add(&vals, "?1", 2);
	if (generated) {
		cdb_buf_add(&b, ", pos", 5);
		cdb_buf_add(&vals, ", ?1", 4);
		if (!has_col(op, "dynamic")) {
			cdb_buf_add(&b, ", dynamic", 9);
			cdb_buf_add(&vals, ", 1", 3);
		}
	}
	for (int k = 0; k < op->ncols; k++) {
		char *q = cdb_ident(op->cols[k].name);

		cdb_buf_printf(&b, ", %s", q);
		cdb_buf_printf(&vals, ", ?%d", k + 2);
		cdb_buf_printf(&upd, "%s%s = excluded.%s", k ? ", " : "", q, q);
		free(q);
	}
	cdb_buf_printf(&b, ") VALUES(%s) ON CONFLICT(id) DO %s%s", vals.s,
		       upd.s ? "UPDATE SET " : "NOTHING", upd.s ? upd.s : "");
	free(vals.s);
	free(upd.s);
	free(t);
	return b.s;
}

/* UPDATE t SET col = ?2... WHERE [id = ?1 AND] (col IS NOT ?2 OR ...) */
static char *
update_sql(const struct rt_op *op)
{
	struct cdb_buf b = { 0 }, differs = { 0 };
	char *t = cdb_ident(cdb_rt_table(op->m));

	cdb_buf_printf(&b, "UPDATE %s SET ", t);
	for (int k = 0; k < op->ncols; k++) {
		char *q = cdb_ident(op->cols[k].name);

		cdb_buf_printf(&b, "%s%s = ?%d", k ? ", " : "", q, k + 2);
		cdb_buf_printf(&differs, "%s%s IS NOT ?%d", k ? " OR " : "", q, k + 2);
		free(q);
	}
	cdb_buf_printf(&b, " WHERE %s(%s)", op->id ? "id = ?1 AND " : "", differs.s);
	free(differs.s);
	free(t);
	return b.s;
}

/* INSERT INTO t(pos, cols) SELECT next pos, ?2... WHERE NOT EXISTS (an
 * item with the first column's value or the key's) */
static char *
adopt_sql(const struct rt_op *op)
{
	struct cdb_buf b = { 0 }, vals = { 0 };
	char *t = cdb_ident(op->m->table), *first = cdb_ident(op->cols[0].name);
	char *key = op->m->key ? cdb_ident(op->m->key) : NULL;
	int kcol = -1;

	cdb_buf_printf(&b, "INSERT INTO %s(pos", t);
	for (int k = 0; k < op->ncols; k++) {
		char *q = cdb_ident(op->cols[k].name);

		cdb_buf_printf(&b, ", %s", q);
		cdb_buf_printf(&vals, ", ?%d", k + 2);
		if (op->m->key && !strcmp(op->cols[k].name, op->m->key))
			kcol = k;
		free(q);
	}
	cdb_buf_printf(&b, ") SELECT COALESCE((SELECT MAX(pos) FROM %s), 0) + 1%s"
		       " WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s IS ?2", t, vals.s, t, first);
	if (kcol >= 0)
		cdb_buf_printf(&b, " OR %s IS ?%d", key, kcol + 2);
	cdb_buf_add(&b, ")", 1);
	free(vals.s);
	free(t);
	free(first);
	free(key);
	return b.s;
}

static int
run(struct cdb *c, const char *sql, const struct rt_op *op)
{
	sqlite3_stmt *st = sql ? cdb_prepare(c, sql, NULL) : NULL;
	int rc;

	if (!st)
		return sqlite3_errcode(c->conn->db) != SQLITE_OK ? sqlite3_errcode(c->conn->db) :
		       SQLITE_ERROR;
	if (op->id)
		sqlite3_bind_int64(st, 1, op->id);
	for (int k = 0; (op->kind == RT_PUT || op->kind == RT_ADOPT) && k < op->ncols; k++)
		bind_value(st, k + 2, op->m, &op->cols[k]);
	rc = sqlite3_step(st);
	cdb_finish(c, st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Nothing runs: the rows of runtime views go, running flags clear. */
static int
reset(struct cdb *c)
{
	int rc = SQLITE_OK;

	for (int i = 0; i < c->cat->nmenus && rc == SQLITE_OK; i++) {
		const struct cdb_menu *m = c->cat->menus[i];
		char *t, *sql = NULL;

		if (!(m->flags & (M_RUNTIME | M_DYNAMIC)) || !m->table)
			continue;
		t = cdb_ident(cdb_rt_table(m));
		if (m->kind == M_VIEW && asprintf(&sql, "DELETE FROM %s", t) < 0)
			sql = NULL;
		else if (m->kind == M_LIST &&
			 asprintf(&sql, "DELETE FROM %s WHERE dynamic = 1;"
				  " UPDATE %s SET running = 0 WHERE running != 0", t, t) < 0)
			sql = NULL;
		else if (m->kind == M_SINGLE &&
			 asprintf(&sql, "UPDATE %s SET running = 0 WHERE running != 0", t) < 0)
			sql = NULL;
		rc = sql ? sqlite3_exec(c->conn->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
		free(sql);
		free(t);
	}
	return rc;
}

int
cdb_rt_write(struct cdb *c, const struct rt_op *op)
{
	char *sql = NULL, *t;
	int rc;

	switch (op->kind) {
	case RT_PUT:
		if (!op->ncols && !op->insert)
			return SQLITE_OK;
		sql = op->insert ? insert_sql(op) : update_sql(op);
		break;
	case RT_ADOPT:
		sql = adopt_sql(op);
		break;
	case RT_DEL:
		t = cdb_ident(cdb_rt_table(op->m));
		/* a list keeps its configured items whatever the engine says */
		if (asprintf(&sql, "DELETE FROM %s WHERE id = ?1%s", t,
			     op->m->kind == M_LIST ? " AND dynamic = 1" : "") < 0)
			sql = NULL;
		free(t);
		break;
	case RT_LOG:
		return cdb_log_insert(c, op->cols[0].value, op->cols[1].value, op->cols[2].value);
	case RT_RESET:
		return reset(c);
	default:
		return SQLITE_OK;
	}
	rc = run(c, sql, op);
	free(sql);
	return rc;
}
