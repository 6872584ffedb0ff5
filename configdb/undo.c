/* undo.c: undo and redo over the journal. The unit is a transaction (one
 * console line, one import). Undo applies a transaction's entries backwards
 * from their "before" images, redo forwards from their "after" images, both
 * straight on the rows so that ids, order and every stored value come back
 * exactly; each is itself journalled, so the engine and history see it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

/* One journal entry as undo needs it. */
struct entry {
	long long item;			/* .id of the item */
	long long nb, na;		/* item that followed it before and after */
	char *menu, *op;
	char *before, *after;		/* JSON images, NULL when absent */
};

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

static void
entries_free(struct entry *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].menu);
		free(v[i].op);
		free(v[i].before);
		free(v[i].after);
	}
	free(v);
}

/* The entries of transaction txn in journal order. */
static int
entries_of(struct cdb *c, long long txn, struct entry **out, int *n, struct cdb_err *e)
{
	sqlite3_stmt *st = cdb_prepare(c, "SELECT item, COALESCE(nb,0), COALESCE(na,0), menu, op,"
				       " before, after FROM journal WHERE txn = ? ORDER BY seq", e);
	struct entry *v = NULL;
	int k = 0, rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, txn);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = realloc(v, sizeof(*v) * (k + 1));
		v[k].item = sqlite3_column_int64(st, 0);
		v[k].nb = sqlite3_column_int64(st, 1);
		v[k].na = sqlite3_column_int64(st, 2);
		v[k].menu = col_dup(st, 3);
		v[k].op = col_dup(st, 4);
		v[k].before = col_dup(st, 5);
		v[k].after = col_dup(st, 6);
		k++;
	}
	cdb_finish(c, st);
	*out = v;
	*n = k;
	if (rc != SQLITE_DONE) {
		entries_free(v, k);
		return cdb_db_fail(c, e, "journal");
	}
	return 0;
}

/* A JSON string at *p (after the opening quote) into out; the escapes
 * journal.c writes: \" \\ \uXXXX below 0x100. */
static char *
json_string(const char **p)
{
	struct cdb_buf b = { 0 };
	const char *s = *p;

	cdb_buf_add(&b, "", 0);
	while (*s && *s != '"') {
		if (*s == '\\' && s[1] == 'u' && strlen(s) >= 6) {
			char hex[5] = { s[2], s[3], s[4], s[5], 0 };
			char ch = (char)strtol(hex, NULL, 16);

			cdb_buf_add(&b, &ch, 1);
			s += 6;
			continue;
		}
		if (*s == '\\' && s[1])
			s++;
		cdb_buf_add(&b, s, 1);
		s++;
	}
	if (b.s == NULL)
		b.s = strdup("");
	*p = *s ? s + 1 : s;
	return b.s;
}

/* An item image of m from JSON; properties the schema no longer has are
 * dropped. The caller clears it. */
static void
json_item(const struct cdb_menu *m, long long id, const char *json, struct cdb_item *it)
{
	const char *p = json;

	memset(it, 0, sizeof(*it));
	it->id = id;
	it->nv = m->nprops;
	it->v = calloc(m->nprops + 1, sizeof(char *));
	while (p && (p = strchr(p, '"'))) {
		char *k, *v;
		int i;

		p++;
		k = json_string(&p);
		if (!(p = strchr(p, '"'))) {
			free(k);
			break;
		}
		p++;
		v = json_string(&p);
		if ((i = cdb_prop_index(m, k)) >= 0 && !it->v[i])
			it->v[i] = v;
		else
			free(v);
		free(k);
	}
}

static int
run_sql(struct cdb *c, struct cdb_err *e, sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	cdb_finish(c, st);
	if (rc != SQLITE_DONE)
		return cdb_db_fail(c, e, "database");
	return 0;
}

/* The position at which an item goes to be placed before next (at the end
 * when next is 0 or gone), making room there. */
static long long
make_room(struct cdb *c, const struct cdb_menu *m, long long next, struct cdb_err *e)
{
	char *t = cdb_ident(m->table), *sql = NULL;
	sqlite3_stmt *st;
	long long pos = 1;

	if (asprintf(&sql, next ? "SELECT pos FROM %s WHERE id = ?" :
		     "SELECT COALESCE(MAX(pos), 0) + 1 FROM %s WHERE ? = 0", t) >= 0 &&
	    (st = cdb_prepare(c, sql, e))) {
		sqlite3_bind_int64(st, 1, next);
		if (sqlite3_step(st) == SQLITE_ROW)
			pos = sqlite3_column_int64(st, 0);
		else
			next = -1;	/* it went away: the end */
		cdb_finish(c, st);
	}
	free(sql);
	if (next < 0) {
		free(t);
		return make_room(c, m, 0, e);
	}
	if (next > 0 && asprintf(&sql, "UPDATE %s SET pos = pos + 1 WHERE pos >= %lld", t, pos) >= 0) {
		cdb_exec(c, sql, e);
		free(sql);
	}
	free(t);
	return pos;
}

/* Write every property column of row id from it (INSERT at pos, or UPDATE). */
static int
put_row(struct cdb *c, const struct cdb_menu *m, const struct cdb_item *it, int insert,
	long long pos, struct cdb_err *e)
{
	struct cdb_buf b = { 0 };
	char *t = cdb_ident(m->table);
	sqlite3_stmt *st;
	int n = 0, rc;

	cdb_buf_printf(&b, insert ? "INSERT INTO %s(pos" : "UPDATE %s SET pos = pos", t);
	for (int i = 0; i < m->nprops; i++) {
		char *q = cdb_ident(m->props[i].name);

		cdb_buf_printf(&b, insert ? ", %s" : ", %s = ?", q);
		free(q);
	}
	if (insert) {
		cdb_buf_add(&b, ", id) VALUES(?", 14);
		for (int i = 0; i < m->nprops; i++)
			cdb_buf_add(&b, ", ?", 3);
		cdb_buf_add(&b, ", ?)", 4);
	} else
		cdb_buf_add(&b, " WHERE id = ?", 13);
	st = cdb_prepare(c, b.s, e);
	free(b.s);
	free(t);
	if (!st)
		return -1;
	if (insert)
		sqlite3_bind_int64(st, ++n, pos);
	for (int i = 0; i < m->nprops; i++)
		if (it->v[i])
			sqlite3_bind_text(st, ++n, it->v[i], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, ++n);
	sqlite3_bind_int64(st, ++n, it->id);
	rc = run_sql(c, e, st);
	return rc;
}

static int
delete_row(struct cdb *c, const struct cdb_menu *m, long long id, struct cdb_err *e)
{
	char *t = cdb_ident(m->table), *sql;
	int rc;

	c->next_before = cdb_order_next(c, m, id);
	rc = asprintf(&sql, "DELETE FROM %s WHERE id = %lld", t, id) < 0 ? -1 : cdb_exec(c, sql, e);
	free(sql);
	free(t);
	return rc;
}

static int
place_row(struct cdb *c, const struct cdb_menu *m, long long id, long long next,
	  struct cdb_err *e)
{
	char *t, *sql;
	long long pos;
	int rc;

	c->next_before = cdb_order_next(c, m, id);
	pos = make_room(c, m, next, e);
	t = cdb_ident(m->table);
	rc = asprintf(&sql, "UPDATE %s SET pos = %lld WHERE id = %lld", t, pos, id) < 0 ? -1 :
	     cdb_exec(c, sql, e);
	free(sql);
	free(t);
	return rc;
}

/* Bring one item from image "from" to image "to" (either may be NULL: the
 * item absent), placing it before next; journal it as the matching op. */
static int
apply(struct cdb *c, const struct entry *en, int forward, struct cdb_err *e)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, en->menu);
	const char *fj = forward ? en->before : en->after, *tj = forward ? en->after : en->before;
	long long next = forward ? en->na : en->nb;
	struct cdb_item from, to;
	const char *op;
	int rc;

	if (!m || !m->table)
		return cdb_errf(e, "failure: menu %s no longer exists", en->menu);
	json_item(m, en->item, fj ? fj : "", &from);
	json_item(m, en->item, tj ? tj : "", &to);
	if (!strcmp(en->op, "move")) {
		op = "move";
		rc = place_row(c, m, en->item, next, e);
	} else if (!tj) {
		op = "remove";
		rc = delete_row(c, m, en->item, e);
	} else if (!fj) {
		op = "add";
		rc = put_row(c, m, &to, 1, make_room(c, m, next, e), e);
	} else {
		op = "set";
		rc = put_row(c, m, &to, 0, 0, e);
	}
	if (!rc)
		rc = cdb_journal_add(c, m, en->item, op, fj ? &from : NULL, tj ? &to : NULL, e);
	cdb_item_clear(&from);
	cdb_item_clear(&to);
	return rc;
}

/* Apply the entries of txn backwards (undo, revert) or forwards (redo). */
static int
replay(struct cdb *c, long long txn, int forward, struct cdb_err *e)
{
	struct entry *v;
	int n, rc = 0;

	if (entries_of(c, txn, &v, &n, e))
		return -1;
	for (int i = 0; i < n && !rc; i++)
		rc = apply(c, &v[forward ? i : n - 1 - i], forward, e);
	entries_free(v, n);
	return rc;
}

int
cdb_txn_revert(struct cdb *c, long long txn, struct cdb_err *e)
{
	return cdb_write_lock(c, e) ? -1 : replay(c, txn, 0, e);
}

static long long
one_number(struct cdb *c, const char *sql, long long arg)
{
	sqlite3_stmt *st = cdb_prepare(c, sql, NULL);
	long long n = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	cdb_finish(c, st);
	return n;
}

/* The changes a redo may bring back: undone by an undo made after the last
 * new change (a new change forgets what was undone before it). */
#define REDOABLE \
	"t.kind = 'change' AND t.undone_by > (SELECT COALESCE(MAX(txn), 0) FROM txn_log" \
	" WHERE kind = 'change') AND (SELECT kind FROM txn_log u WHERE u.txn = t.undone_by) = 'undo'"

/* What a transaction did, in a few words: the line typed, else its changes;
 * an undo, redo or revert names the change it was about. */
static void
describe(struct cdb *c, long long txn, char *out, size_t len)
{
	sqlite3_stmt *st = cdb_prepare(c, "SELECT (SELECT what FROM txn_log WHERE txn = ?1),"
				       " (SELECT kind FROM txn_log WHERE txn = ?1),"
				       " (SELECT target FROM txn_log WHERE txn = ?1),"
				       " COUNT(*), MIN(op), MIN(menu), MIN(item) FROM journal"
				       " WHERE txn = ?1", NULL);
	char kind[16] = "", sub[200];
	long long target = 0;

	snprintf(out, len, "change %lld", txn);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, txn);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *what = (const char *)sqlite3_column_text(st, 0);
		int n = sqlite3_column_int(st, 3);

		if (sqlite3_column_text(st, 1))
			snprintf(kind, sizeof(kind), "%s", sqlite3_column_text(st, 1));
		target = sqlite3_column_int64(st, 2);
		if (what)
			snprintf(out, len, "%s", what);
		else if (n == 1)
			snprintf(out, len, "%s %s *%llX", sqlite3_column_text(st, 4),
				 sqlite3_column_text(st, 5),
				 (unsigned long long)sqlite3_column_int64(st, 6));
		else
			snprintf(out, len, "%d changes", n);
	}
	cdb_finish(c, st);
	if (*kind && strcmp(kind, "change") && !target) {
		snprintf(sub, sizeof(sub), "%s", out);
		snprintf(out, len, "%s: %s", kind, sub);
	} else if (*kind && strcmp(kind, "change") && target != txn) {
		describe(c, target, sub, sizeof(sub));
		snprintf(out, len, "%s of: %s", kind, sub);
	}
}

/* Undo (forward=0) or redo (forward=1) target, journalled as kind. */
static int
undo_redo(struct cdb *c, long long target, int forward, char *what, size_t len,
	  struct cdb_err *e)
{
	sqlite3_stmt *st;
	int rc;

	describe(c, target, what, len);
	c->txn_kind = forward ? "redo" : "undo";
	c->txn_target = target;
	rc = replay(c, target, forward, e);
	c->txn_kind = NULL;
	if (rc)
		return -1;
	st = cdb_prepare(c, "UPDATE txn_log SET undone_by = ? WHERE txn = ?", e);
	if (st) {
		if (forward)
			sqlite3_bind_null(st, 1);
		else
			sqlite3_bind_int64(st, 1, c->txn);
		sqlite3_bind_int64(st, 2, target);
	}
	if (run_sql(c, e, st))
		return -1;
	st = cdb_prepare(c, "UPDATE journal SET undone = ? WHERE txn = ?", e);
	if (st) {
		sqlite3_bind_int(st, 1, !forward);
		sqlite3_bind_int64(st, 2, target);
	}
	return run_sql(c, e, st);
}

int
cdb_undo(struct cdb *c, char *what, size_t len, struct cdb_err *e)
{
	long long t;

	if (cdb_write_lock(c, e))	/* what is undoable is read under the lock */
		return -1;
	t = one_number(c, "SELECT MAX(txn) FROM txn_log WHERE kind = 'change' AND"
		       " undone_by IS NULL AND ? = 0", 0);
	if (!t)
		return cdb_errf(e, "failure: nothing to undo");
	return undo_redo(c, t, 0, what, len, e);
}

int
cdb_redo(struct cdb *c, char *what, size_t len, struct cdb_err *e)
{
	long long t;

	if (cdb_write_lock(c, e))
		return -1;
	t = one_number(c, "SELECT t.txn FROM txn_log t WHERE " REDOABLE " AND ? = 0"
		       " ORDER BY t.undone_by DESC LIMIT 1", 0);
	if (!t)
		return cdb_errf(e, "failure: nothing to redo");
	return undo_redo(c, t, 1, what, len, e);
}

int
cdb_history(struct cdb *c, struct cdb_history **out, int *n, struct cdb_err *e)
{
	sqlite3_stmt *st = cdb_prepare(c, "SELECT t.txn, t.time, t.kind, COALESCE(t.session, ''),"
				       " t.kind = 'change' AND t.undone_by IS NULL, " REDOABLE ","
				       " t.safe, (SELECT COUNT(*) FROM journal j WHERE j.txn = t.txn)"
				       " FROM txn_log t ORDER BY t.txn", e);
	struct cdb_history *v = NULL;
	int k = 0, rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cdb_history *h;

		v = realloc(v, sizeof(*v) * (k + 1));
		h = &v[k++];
		memset(h, 0, sizeof(*h));
		h->txn = sqlite3_column_int64(st, 0);
		h->time = sqlite3_column_int64(st, 1);
		snprintf(h->kind, sizeof(h->kind), "%s", sqlite3_column_text(st, 2));
		snprintf(h->session, sizeof(h->session), "%s", sqlite3_column_text(st, 3));
		h->undoable = sqlite3_column_int(st, 4);
		h->redoable = sqlite3_column_int(st, 5);
		h->safe = sqlite3_column_int(st, 6);
		h->nchanges = sqlite3_column_int(st, 7);
	}
	cdb_finish(c, st);
	if (rc != SQLITE_DONE) {
		free(v);
		return cdb_db_fail(c, e, "journal");
	}
	for (int i = 0; i < k; i++)
		describe(c, v[i].txn, v[i].what, sizeof(v[i].what));
	*out = v;
	*n = k;
	return 0;
}
