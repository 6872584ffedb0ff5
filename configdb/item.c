/* item.c: items of list and single menus. Validation by type, unique keys,
 * references kept both ways, order, and a journal entry for every change.
 * The caller holds the transaction. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

static int
prepare(struct cdb *c, sqlite3_stmt **st, struct cdb_err *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
prepare(struct cdb *c, sqlite3_stmt **st, struct cdb_err *e, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return cdb_errf(e, "failure: out of memory");
	*st = cdb_prepare(c, sql, e);
	free(sql);
	return *st ? 0 : -1;
}

void
cdb_item_clear(struct cdb_item *it)
{
	for (int i = 0; i < it->nv; i++)
		free(it->v[i]);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

void
cdb_item_list_free(struct cdb_item_list *l)
{
	for (int i = 0; i < l->n; i++)
		cdb_item_clear(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

const char *
cdb_item_value(const struct cdb_menu *m, const struct cdb_item *it, int i)
{
	if (i < it->nv && it->v[i])
		return it->v[i];
	return m->props[i].def;
}

/* SELECT id, builtin, dynamic, running, props... FROM the menu's table */
static char *
select_sql(const struct cdb_menu *m, const char *where)
{
	struct cdb_buf b = { 0 };
	char *t = cdb_ident(m->table);

	if (cdb_is_iface_view(m))
		cdb_buf_add(&b, "SELECT id, 0, COALESCE(dynamic,0), COALESCE(running,0)", 54);
	else
		cdb_buf_add(&b, "SELECT id, builtin, dynamic, running", 36);
	for (int i = 0; i < m->nprops; i++) {
		char *q = cdb_ident(m->props[i].name);

		cdb_buf_printf(&b, ", %s", q);
		free(q);
	}
	cdb_buf_printf(&b, " FROM %s %s ORDER BY %s", t, where ? where : "",
		       cdb_is_iface_view(m) ? "dynamic, id" : "pos, id");
	free(t);
	return b.s;
}

static void
row_to_item(sqlite3_stmt *st, const struct cdb_menu *m, struct cdb_item *it)
{
	it->id = sqlite3_column_int64(st, 0);
	it->builtin = sqlite3_column_int(st, 1);
	it->dynamic = sqlite3_column_int(st, 2);
	it->running = sqlite3_column_int(st, 3);
	it->nv = m->nprops;
	it->v = calloc(m->nprops ? m->nprops : 1, sizeof(char *));
	for (int i = 0; i < m->nprops; i++) {
		const unsigned char *s = sqlite3_column_text(st, 4 + i);
		const struct cdb_prop *p = &m->props[i];

		if (!s)
			continue;
		/* views store bools as 0/1 */
		if (p->ntypes == 1 && p->types[0] == T_BOOL && (!strcmp((char *)s, "0") ||
								  !strcmp((char *)s, "1")))
			it->v[i] = strdup(*s == '1' ? "yes" : "no");
		else
			it->v[i] = strdup((const char *)s);
	}
}

static int
query_items(struct cdb *c, const struct cdb_menu *m, const char *where, long long id,
	    struct cdb_item_list *out, struct cdb_err *e)
{
	sqlite3_stmt *st;
	char *sql = select_sql(m, where);
	int rc;

	memset(out, 0, sizeof(*out));
	if (m->flags & M_COMPUTED) {
		free(sql);
		return cdb_computed_rows(m, where ? id : 0, out, e);
	}
	rc = prepare(c, &st, e, "%s", sql);
	free(sql);
	if (rc)
		return -1;
	if (where)
		sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->items = realloc(out->items, sizeof(*out->items) * (out->n + 1));
		row_to_item(st, m, &out->items[out->n++]);
	}
	cdb_finish(c, st);
	if (rc != SQLITE_DONE) {
		cdb_item_list_free(out);
		return cdb_db_fail(c, e, "database");
	}
	cdb_rt_overlay(c, m, out);	/* the engine sees its own runtime writes */
	cdb_stale_hide(c, m, out);
	cdb_computed_fill(m, out);
	return 0;
}

int
cdb_item_list(struct cdb *c, const struct cdb_menu *m, struct cdb_item_list *out,
	      struct cdb_err *e)
{
	if (!m->table)
		return cdb_errf(e, "failure: %s holds no items", m->path);
	return query_items(c, m, NULL, 0, out, e);
}

int
cdb_item_get(struct cdb *c, const struct cdb_menu *m, long long id, struct cdb_item *out,
	     struct cdb_err *e)
{
	struct cdb_item_list l;

	if (!m->table)
		return cdb_errf(e, "failure: %s holds no items", m->path);
	if (query_items(c, m, "WHERE id = ?", id, &l, e))
		return -1;
	if (l.n != 1) {
		cdb_item_list_free(&l);
		return cdb_errf(e, "no such item");
	}
	*out = l.items[0];
	free(l.items);
	return 0;
}

long long
cdb_item_by_key(struct cdb *c, const struct cdb_menu *m, const char *key)
{
	sqlite3_stmt *st;
	char *t, *k;
	long long id = 0;

	if (!m->key || !m->table)
		return 0;
	t = cdb_ident(m->table);
	k = cdb_ident(m->key);
	if (!prepare(c, &st, NULL, "SELECT id FROM %s WHERE %s = ?", t, k)) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		cdb_finish(c, st);
	}
	free(t);
	free(k);
	return id;
}

long long
cdb_next_id(struct cdb *c)
{
	sqlite3_stmt *st;
	long long id = -1;
	int rc;

	/* a plain UPDATE then SELECT: RETURNING costs a temporary table each time */
	if (!(st = cdb_prepare(c, "UPDATE idseq SET n = n + 1", NULL)))
		return -1;
	rc = sqlite3_step(st);
	cdb_finish(c, st);
	if (rc != SQLITE_DONE || !(st = cdb_prepare(c, "SELECT n FROM idseq", NULL)))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	cdb_finish(c, st);
	/* the engine's rows have the ids above: never meet them */
	return id < CDB_RT_ID_BASE ? id : -1;
}

/* Whether a canonical value is a reference (not a word, not another type). */
static int
value_is_ref(const struct cdb_prop *p, const char *v)
{
	int hasref = 0;

	for (int k = 0; k < p->nwords; k++)
		if (!strcmp(v, p->words[k]))
			return 0;
	for (int k = 0; k < p->ntypes; k++) {
		char *tmp = NULL;

		if (p->types[k] == T_REF) {
			hasref = 1;
			continue;
		}
		if (!cdb_type_parse(p->types[k], p, v, &tmp, NULL)) {
			free(tmp);
			return 0;
		}
	}
	return hasref;
}

/* Check every referenced name exists; RouterOS words the miss this way. */
static int
check_refs(struct cdb *c, const struct cdb_prop *p, const char *v, struct cdb_err *e)
{
	const struct cdb_menu *target = cdb_menu_find(c->cat, p->ref);
	char *copy = strdup(v), *save = NULL, *w;
	int rc = 0;

	for (w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
		if (!value_is_ref(p, w))
			continue;
		/* an interface that is not there now (a bridge of a RouterOS export,
		 * a tunnel not yet up) is waited for: the engine flags the item I */
		if ((!target || cdb_item_by_key(c, target, w) <= 0) && !(p->flags & P_SOFTREF))
			rc = cdb_errf(e, "input does not match any value of %s", p->name);
	}
	free(copy);
	return rc;
}

/* Parse the given values into vals[] (indexed like m->props). */
static int
parse_kv(struct cdb *c, const struct cdb_menu *m, const struct cdb_kv *kv, int nkv,
	 char **vals, int *given, struct cdb_err *e)
{
	for (int i = 0; i < nkv; i++) {
		int k = cdb_prop_index(m, kv[i].name);
		const struct cdb_prop *p;

		if (e)
			e->arg = i;
		if (k < 0)
			return cdb_errf(e, "bad argument name %s", kv[i].name);
		p = &m->props[k];
		if ((p->flags & P_READONLY) && !c->system)
			return cdb_errf(e, "failure: %s is read-only", p->name);
		free(vals[k]);
		vals[k] = NULL;
		given[k] = 1;
		if (!kv[i].value)
			continue;
		if (cdb_value_parse(p, kv[i].value, &vals[k], e) ||
		    cdb_value_refused(p, vals[k], e))
			return -1;
		if (p->ref && check_refs(c, p, vals[k], e))
			return -1;
	}
	if (e)
		e->arg = -1;
	return 0;
}

/* A property declared network-of=P follows P (10.8.0.1/24 -> 10.8.0.0)
 * unless the command gave it a value of its own. */
static void
derive_networks(const struct cdb_menu *m, char **vals, int *given)
{
	for (int i = 0; i < m->nprops; i++) {
		int src = m->props[i].network_of ? cdb_prop_index(m, m->props[i].network_of) : -1;
		char *slash, buf[32];
		uint32_t ip;
		int len;

		if (src < 0 || given[i] || !given[src] || !vals[src] ||
		    !(slash = strchr(vals[src], '/')) || (size_t)(slash - vals[src]) >= sizeof(buf))
			continue;
		snprintf(buf, sizeof(buf), "%.*s", (int)(slash - vals[src]), vals[src]);
		len = atoi(slash + 1);
		if (cdb_parse_ip4(buf, &ip) || len < 0 || len > 32)
			continue;
		ip &= len ? 0xffffffffu << (32 - len) : 0;
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
			 (ip >> 8) & 255, ip & 255);
		free(vals[i]);
		vals[i] = strdup(buf);
		given[i] = 1;
	}
}

static int
check_required(const struct cdb_menu *m, char **vals, struct cdb_err *e)
{
	for (int i = 0; i < m->nprops; i++)
		if ((m->props[i].flags & P_REQUIRED) && (!vals[i] || !*vals[i]))
			return cdb_errf(e, "failure: %s must be set", m->props[i].name);
	return 0;
}

static int
check_unique(struct cdb *c, const struct cdb_menu *m, char **vals, long long self,
	     struct cdb_err *e)
{
	int k = m->key ? cdb_prop_index(m, m->key) : -1;
	long long other;

	if (k < 0 || !vals[k])
		return 0;
	other = cdb_item_by_key(c, m, vals[k]);
	if (other > 0 && other != self)
		return cdb_errf(e, "failure: already have such %s", m->key);
	/* interfaces share one name space whichever menu made them */
	for (int i = 0; m->iface && i < c->cat->nmenus; i++) {
		const struct cdb_menu *o = c->cat->menus[i];

		if (o != m && o->iface && o->kind == M_LIST && cdb_item_by_key(c, o, vals[k]) > 0)
			return cdb_errf(e, "failure: already have interface with such name");
	}
	return 0;
}

/* UPDATE or INSERT the given columns of one row. */
static int
write_row(struct cdb *c, const struct cdb_menu *m, long long id, long long pos, int insert,
	  char **vals, const int *given, struct cdb_err *e)
{
	struct cdb_buf b = { 0 }, q = { 0 };
	sqlite3_stmt *st;
	char *t = cdb_ident(m->table);
	int n = 0, rc;

	if (insert)
		cdb_buf_printf(&b, "INSERT INTO %s(id, pos", t);
	else
		cdb_buf_printf(&b, "UPDATE %s SET id = id", t);
	for (int i = 0; i < m->nprops; i++) {
		char *col;

		if (!given[i])
			continue;
		col = cdb_ident(m->props[i].name);
		if (insert) {
			cdb_buf_printf(&b, ", %s", col);
			cdb_buf_add(&q, ", ?", 3);
		} else
			cdb_buf_printf(&b, ", %s = ?", col);
		free(col);
	}
	if (insert)
		cdb_buf_printf(&b, ") VALUES(?, ?%s)", q.s ? q.s : "");
	else
		cdb_buf_printf(&b, " WHERE id = ?");
	rc = prepare(c, &st, e, "%s", b.s);
	free(b.s);
	free(q.s);
	free(t);
	if (rc)
		return -1;
	if (insert) {
		sqlite3_bind_int64(st, ++n, id);
		sqlite3_bind_int64(st, ++n, pos);
	}
	for (int i = 0; i < m->nprops; i++) {
		if (!given[i])
			continue;
		n++;
		if (!vals[i])
			sqlite3_bind_null(st, n);
		else
			sqlite3_bind_text(st, n, vals[i], -1, SQLITE_TRANSIENT);
	}
	if (!insert)
		sqlite3_bind_int64(st, ++n, id);
	rc = sqlite3_step(st);
	cdb_finish(c, st);
	if (rc != SQLITE_DONE)
		return cdb_db_fail(c, e, "database");
	return 0;
}

static void
free_vals(char **vals, int n)
{
	for (int i = 0; i < n; i++)
		free(vals[i]);
	free(vals);
}

static long long
pos_of(struct cdb *c, const struct cdb_menu *m, long long id, int last)
{
	sqlite3_stmt *st;
	char *t = cdb_ident(m->table);
	long long pos = last ? 1 : 0;
	int rc;

	if (last)
		rc = prepare(c, &st, NULL, "SELECT pos + 1 FROM %s ORDER BY pos DESC LIMIT 1", t);
	else
		rc = prepare(c, &st, NULL, "SELECT pos FROM %s WHERE id = ?", t);
	free(t);
	if (rc)
		return 0;
	if (!last)
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int64(st, 0);
	cdb_finish(c, st);
	return pos;
}

/* Make room at pos by moving every item at or after it one place on. */
static int
shift_from(struct cdb *c, const struct cdb_menu *m, long long pos, struct cdb_err *e)
{
	char *t = cdb_ident(m->table), *sql;
	int rc;

	rc = asprintf(&sql, "UPDATE %s SET pos = pos + 1 WHERE pos >= %lld", t, pos) < 0 ? -1 :
	     cdb_exec(c, sql, e);
	free(sql);
	free(t);
	return rc;
}

int
cdb_item_add(struct cdb *c, const struct cdb_menu *m, const struct cdb_kv *kv, int nkv,
	     long long before_id, long long *id, struct cdb_err *e)
{
	char **vals = calloc(m->nprops + 1, sizeof(char *));
	int *given = calloc(m->nprops + 1, sizeof(int));
	struct cdb_item after = { 0 };
	long long pos;
	int rc = -1;

	if (e)
		e->arg = -1;
	if (m->kind != M_LIST) {
		cdb_errf(e, "bad command name add");
		goto out;
	}
	/* the checks below read the newest state */
	if (cdb_policy_menu(c, m, e) || cdb_write_lock(c, e))
		goto out;
	if (parse_kv(c, m, kv, nkv, vals, given, e) || check_required(m, vals, e) ||
	    check_unique(c, m, vals, 0, e) || cdb_check_rules(c, m, vals, 0, e))
		goto out;
	derive_networks(m, vals, given);
	for (int i = 0; i < m->nprops; i++)
		given[i] |= vals[i] != NULL;
	if ((*id = cdb_next_id(c)) <= 0) {
		cdb_db_fail(c, e, "database");
		goto out;
	}
	pos = pos_of(c, m, 0, 1);
	if (before_id > 0) {
		pos = pos_of(c, m, before_id, 0);
		if (shift_from(c, m, pos, e))
			goto out;
	}
	if (write_row(c, m, *id, pos, 1, vals, given, e))
		goto out;
	after.id = *id;
	after.v = vals;
	after.nv = m->nprops;
	rc = cdb_journal_add(c, m, *id, "add", NULL, &after, e);
out:
	free_vals(vals, m->nprops);
	free(given);
	return rc;
}

/* Whether p names items of m: directly, or through the interface list that
 * every interface menu feeds. */
static int
refers_to(struct cdb *c, const struct cdb_prop *p, const struct cdb_menu *m)
{
	const struct cdb_menu *t;

	if (!strcmp(p->ref, m->path))
		return 1;
	t = cdb_menu_find(c->cat, p->ref);
	return m->iface && t && t->kind == M_VIEW && t->iface && !strcmp(t->iface, "all");
}

/* Properties declared fixed-when=P keep their value once P has one (a
 * certificate's template once it is signed; a property fixed when itself
 * is set, a service's name, never changes). */
static int
check_fixed(const struct cdb_menu *m, const struct cdb_item *before, char **vals,
	    const int *given, struct cdb_err *e)
{
	for (int i = 0; i < m->nprops; i++) {
		const struct cdb_prop *p = &m->props[i];
		int lock = p->fixed_when ? cdb_prop_index(m, p->fixed_when) : -1;
		const char *was = cdb_item_value(m, before, i), *now = vals[i] ? vals[i] : p->def;

		if (lock < 0 || !given[i] || !before->v[lock])
			continue;
		if ((was == NULL) != (now == NULL) || (was && strcmp(was, now)))
			return cdb_errf(e, lock == i ? "failure: can not change %s" :
					"failure: can not change %s after signing", p->name);
	}
	return 0;
}

/* A key was renamed: follow it in every property that refers to it. */
static int
rename_refs(struct cdb *c, const struct cdb_menu *m, const char *from, const char *to,
	    struct cdb_err *e)
{
	for (int i = 0; i < c->cat->nmenus; i++) {
		const struct cdb_menu *o = c->cat->menus[i];

		if (o->kind != M_LIST && o->kind != M_SINGLE)
			continue;
		for (int j = 0; j < o->nprops; j++) {
			const struct cdb_prop *p = &o->props[j];
			struct cdb_item_list l;

			if (!p->ref || !refers_to(c, p, m) || (p->flags & P_LIST))
				continue;
			if (cdb_item_list(c, o, &l, e))
				return -1;
			for (int k = 0; k < l.n; k++) {
				struct cdb_kv kv = { p->name, to };

				if (l.items[k].v[j] && !strcmp(l.items[k].v[j], from) &&
				    cdb_item_set(c, o, l.items[k].id, &kv, 1, e)) {
					cdb_item_list_free(&l);
					return -1;
				}
			}
			cdb_item_list_free(&l);
		}
	}
	return 0;
}

int
cdb_item_set(struct cdb *c, const struct cdb_menu *m, long long id, const struct cdb_kv *kv,
	     int nkv, struct cdb_err *e)
{
	struct cdb_item before, after = { 0 };
	char **vals;
	int *given, k = m->key ? cdb_prop_index(m, m->key) : -1, rc = -1;

	if (e)
		e->arg = -1;
	if (cdb_policy_menu(c, m, e) || cdb_write_lock(c, e) ||
	    cdb_item_get(c, m, id, &before, e))
		return -1;
	vals = calloc(m->nprops + 1, sizeof(char *));
	given = calloc(m->nprops + 1, sizeof(int));
	for (int i = 0; i < m->nprops; i++)
		vals[i] = before.v[i] ? strdup(before.v[i]) : NULL;
	if (m->kind == M_VIEW || before.dynamic) {
		cdb_errf(e, "failure: can not change dynamic item");
		goto out;
	}
	if (parse_kv(c, m, kv, nkv, vals, given, e) || check_required(m, vals, e) ||
	    check_unique(c, m, vals, id, e) || cdb_check_rules(c, m, vals, id, e))
		goto out;
	derive_networks(m, vals, given);
	if (check_fixed(m, &before, vals, given, e))
		goto out;
	if (k >= 0 && given[k] && before.builtin && strcmp(vals[k], before.v[k])) {
		cdb_errf(e, "failure: can not rename built-in item %s", before.v[k]);
		goto out;
	}
	if (write_row(c, m, id, 0, 0, vals, given, e))
		goto out;
	after.id = id;
	after.v = vals;
	after.nv = m->nprops;
	if (cdb_journal_add(c, m, id, "set", &before, &after, e))
		goto out;
	rc = 0;
	if (k >= 0 && given[k] && before.v[k] && strcmp(vals[k], before.v[k]))
		rc = rename_refs(c, m, before.v[k], vals[k], e);
out:
	free_vals(vals, m->nprops);
	free(given);
	cdb_item_clear(&before);
	return rc;
}

/* Whether value v (a list when list is set) names key. */
static int
names_key(const char *v, const char *key, int list)
{
	size_t n = strlen(key);

	if (!list)
		return !strcmp(v, key);
	for (const char *p = v; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/* Names of the items that refer to key through non-soft references. */
static int
users_of(struct cdb *c, const struct cdb_menu *m, const char *key, struct cdb_buf *who,
	 struct cdb_err *e)
{
	for (int i = 0; i < c->cat->nmenus; i++) {
		const struct cdb_menu *o = c->cat->menus[i];

		if (o->kind != M_LIST && o->kind != M_SINGLE)
			continue;
		for (int j = 0; j < o->nprops; j++) {
			const struct cdb_prop *p = &o->props[j];
			struct cdb_item_list l;

			if (!p->ref || strcmp(p->ref, m->path) || (p->flags & P_SOFTREF))
				continue;
			if (cdb_item_list(c, o, &l, e))
				return -1;
			for (int k = 0; k < l.n; k++) {
				const char *v = cdb_item_value(o, &l.items[k], j);
				int kk = o->key ? cdb_prop_index(o, o->key) : -1;
				if (!v || !names_key(v, key, p->flags & P_LIST))
					continue;
				cdb_buf_printf(who, "%s%s %s", who->len ? ", " : "", o->path,
					       kk >= 0 && l.items[k].v[kk] ? l.items[k].v[kk] : "item");
			}
			cdb_item_list_free(&l);
		}
	}
	return 0;
}

int
cdb_item_remove(struct cdb *c, const struct cdb_menu *m, long long id, struct cdb_err *e)
{
	struct cdb_item before;
	struct cdb_buf who = { 0 };
	int k = m->key ? cdb_prop_index(m, m->key) : -1, rc = -1;
	char *t, *sql;

	if (e)
		e->arg = -1;
	if (m->kind != M_LIST)
		return cdb_errf(e, "bad command name remove");
	if (cdb_policy_menu(c, m, e) || cdb_write_lock(c, e) ||
	    cdb_item_get(c, m, id, &before, e))
		return -1;
	if (before.builtin) {
		cdb_errf(e, "failure: can not remove built-in item %s",
			 k >= 0 ? before.v[k] : "");
		goto out;
	}
	if (before.dynamic) {	/* the engine's: it goes with what made it */
		cdb_errf(e, "failure: can not remove dynamic item");
		goto out;
	}
	if (k >= 0 && before.v[k] && users_of(c, m, before.v[k], &who, e))
		goto out;
	if (who.len) {
		cdb_errf(e, "failure: %s is in use by %s", before.v[k], who.s);
		goto out;
	}
	c->next_before = cdb_order_next(c, m, id);	/* for undo */
	t = cdb_ident(m->table);
	rc = asprintf(&sql, "DELETE FROM %s WHERE id = %lld", t, id) < 0 ? -1 :
	     cdb_exec(c, sql, e);
	free(sql);
	free(t);
	if (!rc)
		rc = cdb_journal_add(c, m, id, "remove", &before, NULL, e);
out:
	free(who.s);
	cdb_item_clear(&before);
	return rc;
}

int
cdb_item_move(struct cdb *c, const struct cdb_menu *m, long long id, long long before_id,
	      struct cdb_err *e)
{
	struct cdb_item it;
	char *t, *sql;
	long long pos;
	int rc;

	if (!(m->flags & M_ORDERED))
		return cdb_errf(e, "bad command name move");
	if (cdb_policy_menu(c, m, e) || cdb_write_lock(c, e) ||
	    cdb_item_get(c, m, id, &it, e))
		return -1;
	c->next_before = cdb_order_next(c, m, id);	/* for undo */
	pos = before_id > 0 ? pos_of(c, m, before_id, 0) : pos_of(c, m, 0, 1);
	if (before_id > 0 && shift_from(c, m, pos, e)) {
		cdb_item_clear(&it);
		return -1;
	}
	t = cdb_ident(m->table);
	rc = asprintf(&sql, "UPDATE %s SET pos = %lld WHERE id = %lld", t, pos, id) < 0 ? -1 :
	     cdb_exec(c, sql, e);
	free(sql);
	free(t);
	if (!rc)
		rc = cdb_journal_add(c, m, id, "move", &it, &it, e);
	cdb_item_clear(&it);
	return rc;
}

const char *
cdb_item_text(const struct cdb_menu *m, const struct cdb_item *it, const char *name)
{
	int i = cdb_prop_index(m, name);

	return i < 0 ? NULL : cdb_item_value(m, it, i);
}
