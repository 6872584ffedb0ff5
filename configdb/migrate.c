/* migrate.c: bring the SQL tables in step with the catalog. New menus get
 * tables, changed menus are rebuilt keeping every column that still exists,
 * built-in items are seeded, and the catalog tables are refilled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

int
cdb_prop_is_int(const struct cdb_prop *p)
{
	return p->ntypes == 1 && p->types[0] == T_INT && !(p->flags & P_LIST);
}

/* CREATE TABLE text for a menu, under the given table name. */
static char *
table_sql(const struct cdb_menu *m, const char *tbl)
{
	struct cdb_buf b = { 0 };
	char *t = cdb_ident(tbl);

	cdb_buf_printf(&b, "CREATE TABLE %s(id INTEGER PRIMARY KEY, pos INTEGER,"
		       " builtin INTEGER NOT NULL DEFAULT 0,"
		       " dynamic INTEGER NOT NULL DEFAULT 0,"
		       " running INTEGER NOT NULL DEFAULT 0", t);
	for (int i = 0; i < m->nprops; i++) {
		char *col = cdb_ident(m->props[i].name);
		int uniq = m->key && !strcmp(m->key, m->props[i].name) && m->kind == M_LIST;

		cdb_buf_printf(&b, ", %s %s%s", col,
			       cdb_prop_is_int(&m->props[i]) ? "INTEGER" : "TEXT",
			       uniq ? " UNIQUE" : "");
		free(col);
	}
	cdb_buf_add(&b, ")", 1);
	free(t);
	return b.s;
}

/* The SQL that created a table, or NULL if there is none. */
static char *
existing_sql(struct cdb *c, const char *tbl, const char *type)
{
	sqlite3_stmt *st;
	char *sql = NULL;

	if (sqlite3_prepare_v2(c->conn->db, "SELECT sql FROM sqlite_master WHERE name=? AND type=?",
			       -1, &st, NULL))
		return NULL;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		sql = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return sql;
}

/* Column names of an existing table, as a comma list of quoted identifiers
 * that also exist in the menu (plus the fixed columns). */
static char *
common_columns(struct cdb *c, const struct cdb_menu *m)
{
	struct cdb_buf b = { 0 };
	sqlite3_stmt *st;
	char *q, *sql;

	q = cdb_ident(m->table);
	if (asprintf(&sql, "PRAGMA table_info(%s)", q) < 0)
		sql = NULL;
	free(q);
	if (!sql || sqlite3_prepare_v2(c->conn->db, sql, -1, &st, NULL)) {
		free(sql);
		return NULL;
	}
	free(sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 1);
		int fixed = !strcmp(col, "id") || !strcmp(col, "pos") || !strcmp(col, "builtin") ||
			    !strcmp(col, "dynamic") || !strcmp(col, "running");

		if (!fixed && cdb_prop_index(m, col) < 0)
			continue;
		q = cdb_ident(col);
		cdb_buf_printf(&b, "%s%s", b.len ? "," : "", q);
		free(q);
	}
	sqlite3_finalize(st);
	return b.s;
}

/* Rebuild a table whose definition changed, keeping the common columns. */
static int
rebuild(struct cdb *c, const struct cdb_menu *m, struct cdb_err *e)
{
	char *cols = common_columns(c, m), *tmp, *create, *qt, *qtmp, *sql;
	int rc;

	if (asprintf(&tmp, "%s__new", m->table) < 0)
		return cdb_errf(e, "failure: out of memory");
	create = table_sql(m, tmp);
	qt = cdb_ident(m->table);
	qtmp = cdb_ident(tmp);
	rc = asprintf(&sql, "%s; INSERT INTO %s(%s) SELECT %s FROM %s; DROP TABLE %s;"
		      " ALTER TABLE %s RENAME TO %s;", create, qtmp, cols, cols, qt, qt,
		      qtmp, qt);
	rc = rc < 0 ? -1 : cdb_exec(c, sql, e);
	free(sql);
	free(cols);
	free(tmp);
	free(create);
	free(qt);
	free(qtmp);
	return rc;
}

/* Adding at the end asks for the last position: keep it an index lookup. */
static int
pos_index(struct cdb *c, const struct cdb_menu *m, struct cdb_err *e)
{
	char *t = cdb_ident(m->table), *i, *sql;
	int rc;

	if (asprintf(&sql, "%s__pos", m->table) < 0) {
		free(t);
		return -1;
	}
	i = cdb_ident(sql);
	free(sql);
	rc = asprintf(&sql, "CREATE INDEX IF NOT EXISTS %s ON %s(pos)", i, t) < 0 ? -1 :
	     cdb_exec(c, sql, e);
	free(sql);
	free(i);
	free(t);
	return rc;
}

static int
log_index(struct cdb *c, const struct cdb_menu *m, struct cdb_err *e)
{
	char *t = cdb_ident(m->table), *sql;
	int rc = asprintf(&sql, "CREATE INDEX IF NOT EXISTS log__buffer ON %s(buffer, id)", t);

	rc = rc < 0 ? -1 : cdb_exec(c, sql, e);
	if (rc >= 0)
		free(sql);
	free(t);
	return rc;
}

static int
ensure_table(struct cdb *c, const struct cdb_menu *m, struct cdb_err *e)
{
	char *want = table_sql(m, m->table), *have = existing_sql(c, m->table, "table");
	int rc = 0;

	if (!have)
		rc = cdb_exec(c, want, e);
	else if (strcmp(have, want))
		rc = rebuild(c, m, e);
	if (!rc)
		rc = pos_index(c, m, e);
	if (!rc && !strcmp(m->path, "/log"))	/* each buffer is trimmed on its own */
		rc = log_index(c, m, e);
	free(want);
	free(have);
	return rc;
}

/* One SELECT of the interface view for an interface menu. */
static void
iface_select(struct cdb_buf *b, const struct cdb_menu *view, const struct cdb_menu *m)
{
	static const char *rt[] = { "running", "actual-mtu", "rx-byte", "tx-byte",
				    "rx-packet", "tx-packet", "rx-drop", "tx-drop",
				    "rx-error", "tx-error", "rx-bps", "tx-bps", "rx-pps",
				    "tx-pps", NULL };
	char *t = cdb_ident(m->table);

	cdb_buf_add(b, "SELECT c.id AS id", 17);
	for (int i = 0; i < view->nprops; i++) {
		const char *n = view->props[i].name;
		char *q = cdb_ident(n);
		int fromrt = 0;

		for (int k = 0; rt[k]; k++)
			fromrt |= !strcmp(rt[k], n);
		if (fromrt)
			cdb_buf_printf(b, ", r.%s AS %s", q, q);
		else if (!strcmp(n, "type"))
			cdb_buf_printf(b, ", '%s' AS type", m->iface);
		else if (!strcmp(n, "mtu") && cdb_prop_find(m, "max-mtu"))
			cdb_buf_printf(b, ", c.\"max-mtu\" AS mtu");
		else if (!strcmp(n, "dynamic"))
			cdb_buf_printf(b, ", 0 AS dynamic");
		else if (!strcmp(n, "mac-address") && cdb_prop_find(m, n))
			cdb_buf_printf(b, ", COALESCE(r.%s, c.%s) AS %s", q, q, q);
		else if (!strcmp(n, "mac-address"))
			cdb_buf_printf(b, ", r.%s AS %s", q, q);
		else if (cdb_prop_find(m, n) && cdb_prop_find(m, n)->def) {
			char *d = cdb_sql_quote(cdb_prop_find(m, n)->def);

			cdb_buf_printf(b, ", COALESCE(c.%s, %s) AS %s", q, d, q);
			free(d);
		} else if (cdb_prop_find(m, n))
			cdb_buf_printf(b, ", c.%s AS %s", q, q);
		else
			cdb_buf_printf(b, ", NULL AS %s", q);
		free(q);
	}
	/* a list's dynamic rows (sessions) are in rt_interface already */
	cdb_buf_printf(b, " FROM %s c LEFT JOIN rt_interface r ON r.name = c.name"
		       " AND r.dynamic = 0 WHERE c.dynamic = 0", t);
	free(t);
}

/* rt_interface of a database made before these columns: runtime state, so
 * a column is simply added. */
static int
rt_columns(struct cdb *c, struct cdb_err *e)
{
	static const char *cols[] = { "\"rx-drop\"", "\"tx-drop\"", "\"rx-error\"",
				      "\"tx-error\"", "kernel", "\"rx-bps\"", "\"tx-bps\"",
				      "\"rx-pps\"", "\"tx-pps\"", NULL };
	char sql[128];

	for (int i = 0; cols[i]; i++) {
		snprintf(sql, sizeof(sql), "SELECT %s FROM rt_interface LIMIT 0", cols[i]);
		if (cdb_exec(c, sql, NULL) == 0)
			continue;
		snprintf(sql, sizeof(sql), "ALTER TABLE rt_interface ADD COLUMN %s INTEGER", cols[i]);
		if (cdb_exec(c, sql, e))
			return -1;
	}
	return 0;
}

/* The /interface menu is a view: configured interfaces plus dynamic ones. */
static int
ensure_iface_view(struct cdb *c, const struct cdb_catalog *cat, const struct cdb_menu *view,
		  struct cdb_err *e)
{
	struct cdb_buf b = { 0 };
	char *q = cdb_ident(view->table);
	int rc;

	if (rt_columns(c, e))
		return -1;
	cdb_buf_printf(&b, "DROP VIEW IF EXISTS %s; DROP TABLE IF EXISTS %s;"
		       " CREATE VIEW %s AS ", q, q, q);
	for (int i = 0; i < cat->nmenus; i++) {
		const struct cdb_menu *m = cat->menus[i];

		if (m->kind != M_LIST || !m->iface)
			continue;
		iface_select(&b, view, m);
		cdb_buf_add(&b, " UNION ALL ", 11);
	}
	cdb_buf_add(&b, "SELECT id", 9);
	for (int i = 0; i < view->nprops; i++) {
		char *p = cdb_ident(view->props[i].name);
		int has = !strcmp(view->props[i].name, "comment") ||
			  !strcmp(view->props[i].name, "disabled");

		/* the kernel's own links are listed, but Rosh did not make them */
		if (!strcmp(view->props[i].name, "dynamic"))
			cdb_buf_printf(&b, ", CASE WHEN kernel = 1 THEN 0 ELSE dynamic END AS %s", p);
		else
			cdb_buf_printf(&b, ", %s%s AS %s", has ? "NULL" : "", has ? "" : p, p);
		free(p);
	}
	cdb_buf_add(&b, " FROM rt_interface WHERE dynamic = 1", 36);
	rc = cdb_exec(c, b.s, e);
	free(b.s);
	free(q);
	return rc;
}

int
cdb_seed_parse(const char *seed, struct cdb_kv **kv, char **buf)
{
	char *p, *save = NULL, *w;
	int n = 0;

	*buf = strdup(seed);
	*kv = NULL;
	for (w = strtok_r(*buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (!(p = strchr(w, '=')))
			continue;
		*p = '\0';
		*kv = realloc(*kv, sizeof(**kv) * (n + 1));
		(*kv)[n].name = w;
		(*kv)[n++].value = p + 1;
	}
	return n;
}

/* Menus added after databases existed take their built-in items' ids from
 * a range of their own below the engine's, so that the ids of everything
 * made after them stay what they were (scripts and tests name them). */
static long long
set_aside(const struct cdb_menu *m)
{
	if (!strcmp(m->path, "/system/logging"))
		return CDB_RT_ID_BASE - 0x100;
	if (!strcmp(m->path, "/system/logging/action"))
		return CDB_RT_ID_BASE - 0x80;
	return 0;
}

/* The item just added gets id to instead, and the id it took is given back. */
static int
move_id(struct cdb *c, const char *table, long long *id, long long to, struct cdb_err *e)
{
	char *sql;
	int rc;

	if (asprintf(&sql, "UPDATE %s SET id = %lld WHERE id = %lld;"
		     " UPDATE idseq SET n = n - 1 WHERE n = %lld;", table, to, *id, *id) < 0)
		return cdb_errf(e, "failure: out of memory");
	rc = cdb_exec(c, sql, e);
	free(sql);
	*id = to;
	return rc;
}

/* Whether a list has its built-in items already. */
static int
seeded(struct cdb *c, const struct cdb_menu *m)
{
	sqlite3_stmt *st;
	char *q = cdb_ident(m->table), *sql;
	int yes = 0;

	if (asprintf(&sql, "SELECT 1 FROM %s WHERE builtin = 1 LIMIT 1", q) < 0)
		sql = NULL;
	if (sql && !sqlite3_prepare_v2(c->conn->db, sql, -1, &st, NULL)) {
		yes = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	free(sql);
	free(q);
	return yes;
}

/* Create built-in items that are missing, and the row of single menus. A
 * list without a key (/system logging) is seeded once, when it has none:
 * nothing tells its seeds from the admin's items. */
static int
seed(struct cdb *c, const struct cdb_menu *m, struct cdb_err *e)
{
	char *q = cdb_ident(m->table), *sql;
	int rc = 0, keyless = m->kind == M_LIST && !m->key;
	int nseeds = keyless && seeded(c, m) ? 0 : m->nseeds;

	if (m->kind == M_SINGLE) {
		rc = asprintf(&sql, "INSERT OR IGNORE INTO %s(id) VALUES(1)", q) < 0 ? -1 :
		     cdb_exec(c, sql, e);
		free(sql);
	}
	for (int i = 0; i < nseeds && !rc; i++) {
		struct cdb_kv *kv;
		char *buf;
		int n = cdb_seed_parse(m->seeds[i], &kv, &buf);
		long long id;

		if (n > 0 && (keyless || cdb_item_by_key(c, m, kv[0].value) <= 0)) {
			rc = cdb_item_add(c, m, kv, n, 0, &id, e);
			if (!rc && set_aside(m))
				rc = move_id(c, q, &id, set_aside(m) + i, e);
			if (!rc && asprintf(&sql, "UPDATE %s SET builtin=1 WHERE id=%lld", q, id) > 0) {
				rc = cdb_exec(c, sql, e);
				free(sql);
			}
		}
		free(kv);
		free(buf);
	}
	free(q);
	return rc;
}

static void
fill_catalog_tables(struct cdb *c, const struct cdb_catalog *cat)
{
	static const char *kinds[] = { "dir", "list", "single", "view", "files" };
	sqlite3_stmt *sm, *sp;

	cdb_exec(c, "DELETE FROM cat_menu; DELETE FROM cat_prop;", NULL);
	sqlite3_prepare_v2(c->conn->db, "INSERT INTO cat_menu VALUES(?,?,?,?,?,?)", -1, &sm, NULL);
	sqlite3_prepare_v2(c->conn->db, "INSERT INTO cat_prop VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
			   -1, &sp, NULL);
	for (int i = 0; i < cat->nmenus; i++) {
		const struct cdb_menu *m = cat->menus[i];

		sqlite3_bind_text(sm, 1, m->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(sm, 2, kinds[m->kind], -1, SQLITE_STATIC);
		sqlite3_bind_text(sm, 3, m->table, -1, SQLITE_STATIC);
		sqlite3_bind_text(sm, 4, m->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(sm, 5, m->iface, -1, SQLITE_STATIC);
		sqlite3_bind_text(sm, 6, m->help, -1, SQLITE_STATIC);
		sqlite3_step(sm);
		sqlite3_reset(sm);
		for (int j = 0; j < m->nprops; j++) {
			const struct cdb_prop *p = &m->props[j];
			struct cdb_buf t = { 0 }, v = { 0 }, w = { 0 };

			for (int k = 0; k < p->ntypes; k++)
				cdb_buf_printf(&t, "%s%s", k ? "|" : "", cdb_base_name(p->types[k]));
			for (int k = 0; k < p->nvalues; k++)
				cdb_buf_printf(&v, "%s%s", k ? "," : "", p->values[k]);
			for (int k = 0; k < p->nwords; k++)
				cdb_buf_printf(&w, "%s%s", k ? "," : "", p->words[k]);
			sqlite3_bind_text(sp, 1, m->path, -1, SQLITE_STATIC);
			sqlite3_bind_text(sp, 2, p->name, -1, SQLITE_STATIC);
			sqlite3_bind_int(sp, 3, j);
			sqlite3_bind_text(sp, 4, t.s, -1, SQLITE_STATIC);
			sqlite3_bind_int(sp, 5, p->flags);
			sqlite3_bind_int64(sp, 6, p->min);
			sqlite3_bind_int64(sp, 7, p->max);
			sqlite3_bind_int(sp, 8, p->len);
			sqlite3_bind_text(sp, 9, v.s, -1, SQLITE_STATIC);
			sqlite3_bind_text(sp, 10, w.s, -1, SQLITE_STATIC);
			sqlite3_bind_text(sp, 11, p->def, -1, SQLITE_STATIC);
			sqlite3_bind_text(sp, 12, p->ref, -1, SQLITE_STATIC);
			sqlite3_bind_text(sp, 13, p->help, -1, SQLITE_STATIC);
			sqlite3_step(sp);
			sqlite3_reset(sp);
			free(t.s);
			free(v.s);
			free(w.s);
		}
	}
	sqlite3_finalize(sm);
	sqlite3_finalize(sp);
}

/* Whether m's built-in items may name items of a menu not seeded yet (a
 * user's group): those go first. */
static int
seed_waits(const struct cdb_catalog *cat, const struct cdb_menu *m, const char *done)
{
	for (int p = 0; p < m->nprops; p++) {
		const char *ref = m->props[p].ref;

		for (int j = 0; ref && j < cat->nmenus; j++)
			if (!strcmp(cat->menus[j]->path, ref) && cat->menus[j] != m &&
			    cat->menus[j]->nseeds && !done[j])
				return 1;
	}
	return 0;
}

static int
seed_all(struct cdb *c, const struct cdb_catalog *cat, struct cdb_err *e)
{
	char *done = calloc(cat->nmenus + 1, 1);
	int rc = 0, pass;

	for (pass = 0; pass < 2 && !rc; pass++)	/* the second ignores what waits (a cycle) */
		for (int again = 1; again && !rc;) {
			again = 0;
			for (int i = 0; i < cat->nmenus && !rc; i++) {
				const struct cdb_menu *m = cat->menus[i];

				if (done[i] || (!pass && seed_waits(cat, m, done)))
					continue;
				done[i] = again = 1;
				if (m->kind == M_LIST || m->kind == M_SINGLE)
					rc = seed(c, m, e);
			}
		}
	free(done);
	return rc;
}

int
cdb_migrate(struct cdb *c, const struct cdb_catalog *cat, struct cdb_err *e)
{
	struct cdb_catalog *old = c->cat;
	int rc = 0;

	cdb_flush_stmts(c);
	/* seeding goes through the item layer, which reads the new catalog */
	c->cat = (struct cdb_catalog *)cat;
	/* views over the tables go first: a table rebuilt under a view breaks it */
	for (int i = 0; i < cat->nmenus && !rc; i++)
		if (cat->menus[i]->kind == M_VIEW && cat->menus[i]->iface) {
			char *q = cdb_ident(cat->menus[i]->table), *sql;

			rc = asprintf(&sql, "DROP VIEW IF EXISTS %s", q) < 0 ? -1 : cdb_exec(c, sql, e);
			free(sql);
			free(q);
		}
	for (int i = 0; i < cat->nmenus && !rc; i++) {
		const struct cdb_menu *m = cat->menus[i];

		if (m->kind == M_VIEW && m->iface && !strcmp(m->iface, "all"))
			continue;
		if (m->table)
			rc = ensure_table(c, m, e);
	}
	for (int i = 0; i < cat->nmenus && !rc; i++) {
		const struct cdb_menu *m = cat->menus[i];

		if (m->kind == M_VIEW && m->iface && !strcmp(m->iface, "all"))
			rc = ensure_iface_view(c, cat, m, e);
	}
	if (!rc)
		rc = seed_all(c, cat, e);
	if (!rc)
		fill_catalog_tables(c, cat);
	c->cat = old;
	return rc;
}

/* Databases made before Rosh bounded its file have auto_vacuum off, and
 * SQLite switches it only by rewriting the file with VACUUM, outside any
 * transaction. A database busy for a moment, or a disk too full for the
 * copy, keeps working as it is and is switched at a later open. */
void
cdb_vacuum_mode(struct cdb *c)
{
	sqlite3_stmt *st;
	int mode = -1;

	if (sqlite3_prepare_v2(c->conn->db, "PRAGMA auto_vacuum", -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		mode = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (mode != 0 || c->depth > 0)
		return;
	cdb_flush_stmts(c);
	sqlite3_busy_timeout(c->conn->db, 200);
	sqlite3_exec(c->conn->db, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM;", NULL, NULL, NULL);
	sqlite3_busy_timeout(c->conn->db, c->conn->busy_ms);
}
