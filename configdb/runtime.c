/* runtime.c: the queue of runtime writes (sessions, interfaces, running
 * flags, status columns, counters, /log). The engine writes from its event
 * loop, which must never wait for a console's lock: writes wait here, in
 * memory, a row's repeated writes folded into one, until cdb_rt_flush()
 * (runtime_sql.c turns each into SQL) finds the database free. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

#define RT_MAX_WAITING 65536	/* rows waiting at most while the database is busy */
#define RT_BUCKETS 4096		/* hash of waiting writes by menu and id */
#define RT_MAX_FRESH 4096	/* ids handed out and not written yet */

struct cdb_rtq {
	struct rt_op *ops;		/* in the order they were asked for */
	int n, cap;
	int live;			/* waiting writes other than /log lines */
	int nlog;			/* waiting /log lines */
	int log_scan;			/* no waiting /log line before this op */
	int barrier;			/* writes before it are not folded into */
	int head[RT_BUCKETS];		/* newest write of each bucket, or -1 */
	long long next_id;
	long long *fresh;		/* ids from cdb_rt_new_id not written yet */
	int nfresh;
	int refused;			/* writes refused since the last flush */
	char why[256];			/* the first of them */
	void (*notify)(void *ctx);
	void *ctx;
};

static struct cdb_rtq *
queue(struct cdb *c)
{
	struct cdb_rtq *q = c->conn->rtq;

	if (q)
		return q;
	if (!(q = calloc(1, sizeof(*q))))
		return NULL;
	for (int i = 0; i < RT_BUCKETS; i++)
		q->head[i] = -1;
	q->next_id = CDB_RT_ID_BASE;
	return c->conn->rtq = q;
}

static unsigned
bucket(const struct cdb_menu *m, long long id)
{
	unsigned long long h = ((unsigned long long)(uintptr_t)m * 31 + (unsigned long long)id) *
			       0x9E3779B97F4A7C15ULL;

	return (unsigned)(h >> 52) % RT_BUCKETS;
}

static int
refuse(struct cdb_rtq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A write that will not be queued; the next flush tells why. */
static int
refuse(struct cdb_rtq *q, const char *fmt, ...)
{
	va_list ap;

	if (q && !q->refused++) {
		va_start(ap, fmt);
		vsnprintf(q->why, sizeof(q->why), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void
op_free(struct rt_op *op)
{
	for (int i = 0; i < op->ncols; i++)
		free(op->cols[i].value);
	free(op->cols);
	op->cols = NULL;
	op->ncols = 0;
}

static void
kill_op(struct cdb_rtq *q, int i)
{
	struct rt_op *op = &q->ops[i];

	if (op->kind == RT_DEAD)
		return;
	if (op->kind == RT_LOG)
		q->nlog--;
	else
		q->live--;
	op_free(op);
	op->kind = RT_DEAD;
}

static void
link_op(struct cdb_rtq *q, int i)
{
	struct rt_op *op = &q->ops[i];
	unsigned b;

	op->next = -1;
	if (op->kind != RT_PUT && op->kind != RT_DEL)
		return;
	b = bucket(op->m, op->id);
	op->next = q->head[b];
	q->head[b] = i;
}

/* Drop the dead writes once they are most of the queue (a long busy spell
 * of log lines, rows made and gone). */
static void
compact(struct cdb_rtq *q)
{
	int k = 0, barrier = 0, scan = 0;

	if (q->n < 1024 || q->n < 2 * (q->live + q->nlog))
		return;
	for (int i = 0; i < q->n; i++) {
		barrier += i < q->barrier && q->ops[i].kind != RT_DEAD;
		scan += i < q->log_scan && q->ops[i].kind != RT_DEAD;
		if (q->ops[i].kind != RT_DEAD)
			q->ops[k++] = q->ops[i];
	}
	q->n = k;
	q->barrier = barrier;
	q->log_scan = scan;
	for (int i = 0; i < RT_BUCKETS; i++)
		q->head[i] = -1;
	for (int i = 0; i < q->n; i++)
		link_op(q, i);
}

/* A new write at the end of the queue; its index, or -1. */
static int
append(struct cdb_rtq *q, enum rt_kind kind, const struct cdb_menu *m, long long id)
{
	int was_empty = !q->live && !q->nlog;

	compact(q);
	if (q->n == q->cap) {
		int cap = q->cap ? q->cap * 2 : 64;
		struct rt_op *ops = realloc(q->ops, sizeof(*ops) * (size_t)cap);

		if (!ops)
			return -1;
		q->ops = ops;
		q->cap = cap;
	}
	q->ops[q->n] = (struct rt_op){ .kind = kind, .m = m, .id = id };
	link_op(q, q->n);
	if (kind == RT_LOG)
		q->nlog++;
	else
		q->live++;
	if (was_empty && q->notify)
		q->notify(q->ctx);
	return q->n++;
}

/* The newest put or delete of the row waiting after the barrier, or -1. */
static int
newest(struct cdb_rtq *q, const struct cdb_menu *m, long long id)
{
	for (int i = q->head[bucket(m, id)]; i >= q->barrier; i = q->ops[i].next) {
		const struct rt_op *op = &q->ops[i];

		if (op->kind != RT_DEAD && op->m == m && op->id == id)
			return i;
	}
	return -1;
}

/* Whether id was handed out and not written yet. */
static int
is_fresh(const struct cdb_rtq *q, long long id)
{
	for (int i = 0; i < q->nfresh; i++)
		if (q->fresh[i] == id)
			return 1;
	return 0;
}

/* Whether m takes dynamic rows of the engine's (a runtime list: the
 * sessions of /interface ovpn-server beside its static entries). */
static int
dynamic_list(const struct cdb_menu *m)
{
	return m->kind == M_LIST && (m->flags & (M_RUNTIME | M_DYNAMIC));
}

/* Whether id was handed out and not written yet; it no longer is after. */
static int
take_fresh(struct cdb_rtq *q, long long id)
{
	for (int i = 0; i < q->nfresh; i++)
		if (q->fresh[i] == id) {
			q->fresh[i] = q->fresh[--q->nfresh];
			return 1;
		}
	return 0;
}

long long
cdb_rt_new_id(struct cdb *c)
{
	struct cdb_rtq *q = queue(c);
	long long *more;

	if (!q)
		return -1;
	if (q->nfresh == RT_MAX_FRESH)	/* asked for and never used: forget the oldest */
		memmove(q->fresh, q->fresh + 1, sizeof(*q->fresh) * (size_t)--q->nfresh);
	if (!(more = realloc(q->fresh, sizeof(*more) * (size_t)(q->nfresh + 1))))
		return -1;
	q->fresh = more;
	q->fresh[q->nfresh++] = ++q->next_id;
	return q->next_id;
}

/* The column a runtime write may name in m: its stable name and property
 * index (-1 for the fixed columns), or NULL. */
static const char *
column(const struct cdb_menu *m, const char *name, int *prop, int any)
{
	*prop = cdb_prop_index(m, name);
	if (*prop >= 0 && (any || m->kind == M_VIEW || (m->props[*prop].flags & P_READONLY)))
		return m->props[*prop].name;
	*prop = -1;
	if (!strcmp(name, "running"))
		return "running";
	if (!strcmp(name, "dynamic") && m->kind == M_VIEW)
		return "dynamic";
	return NULL;
}

static int
set_col(struct rt_op *op, const char *name, int prop, const char *value)
{
	struct rt_col *more;
	char *v = value ? strdup(value) : NULL;

	for (int i = 0; i < op->ncols; i++)
		if (op->cols[i].name == name) {
			free(op->cols[i].value);
			op->cols[i].value = v;
			return 0;
		}
	if (!(more = realloc(op->cols, sizeof(*more) * (size_t)(op->ncols + 1)))) {
		free(v);
		return -1;
	}
	op->cols = more;
	op->cols[op->ncols++] = (struct rt_col){ name, prop, v };
	return 0;
}

static const struct cdb_menu *
rt_menu(struct cdb *c, struct cdb_rtq *q, const char *menu, long long id, int view_only)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, menu);

	if (!m || !m->table || (m->kind != M_VIEW && m->kind != M_LIST && m->kind != M_SINGLE) ||
	    (view_only && m->kind != M_VIEW) || id < 0 || (!id && m->kind == M_VIEW)) {
		refuse(q, "failure: %s holds no runtime rows", menu);
		return NULL;
	}
	return m;
}

int
cdb_rt_put(struct cdb *c, const char *menu, long long id, const struct cdb_kv *kv, int n)
{
	struct cdb_rtq *q = queue(c);
	const struct cdb_menu *m = q ? rt_menu(c, q, menu, id, 0) : NULL;
	int i, prop, any;

	if (!m)
		return -1;
	/* a new dynamic row of a list names all it has; later writes, its
	 * state, or anything of a row the engine made (ids from its range:
	 * the time a dynamic address-list entry has left) */
	any = dynamic_list(m) && id && (is_fresh(q, id) || id >= CDB_RT_ID_BASE);
	for (int k = 0; k < n; k++)
		if (!column(m, kv[k].name, &prop, any))
			return refuse(q, "failure: %s has no runtime property %s", menu, kv[k].name);
	i = id ? newest(q, m, id) : -1;
	if (i < 0 || q->ops[i].kind != RT_PUT) {
		if (q->live >= RT_MAX_WAITING)
			return refuse(q, "failure: too many runtime writes waiting");
		if ((i = append(q, RT_PUT, m, id)) < 0)
			return refuse(q, "failure: out of memory");
		q->ops[i].insert = (m->kind == M_VIEW || any) && take_fresh(q, id);
		if (!id)	/* later writes of single rows go after it */
			q->barrier = q->n;
	}
	for (int k = 0; k < n; k++) {
		const char *name = column(m, kv[k].name, &prop, any || q->ops[i].insert);

		if (set_col(&q->ops[i], name, prop, kv[k].value))
			return refuse(q, "failure: out of memory");
	}
	return 0;
}

int
cdb_rt_adopt(struct cdb *c, const char *menu, const struct cdb_kv *kv, int n)
{
	struct cdb_rtq *q = queue(c);
	const struct cdb_menu *m = q ? rt_menu(c, q, menu, 0, 0) : NULL;
	int i;

	if (!m || m->kind != M_LIST || !(m->flags & M_RUNTIME) || n < 1)
		return m ? refuse(q, "failure: %s adopts no items", menu) : -1;
	for (int k = 0; k < n; k++)
		if (cdb_prop_index(m, kv[k].name) < 0)
			return refuse(q, "failure: %s has no property %s", menu, kv[k].name);
	if (q->live >= RT_MAX_WAITING)
		return refuse(q, "failure: too many runtime writes waiting");
	if ((i = append(q, RT_ADOPT, m, 0)) < 0)
		return refuse(q, "failure: out of memory");
	for (int k = 0; k < n; k++) {
		int prop = cdb_prop_index(m, kv[k].name);

		if (set_col(&q->ops[i], m->props[prop].name, prop, kv[k].value))
			return refuse(q, "failure: out of memory");
	}
	return 0;
}

int
cdb_rt_running(struct cdb *c, const char *menu, long long id, int on)
{
	struct cdb_kv kv = { "running", on ? "yes" : "no" };

	return cdb_rt_put(c, menu, id, &kv, 1);
}

/* A row of a view goes. Writes of it still waiting go with it; a row that
 * never reached the database needs no delete at all. */
int
cdb_rt_del(struct cdb *c, const char *menu, long long id)
{
	struct cdb_rtq *q = queue(c);
	const struct cdb_menu *m = q ? rt_menu(c, q, menu, id, 0) : NULL;
	int unwritten, i;

	if (!m)
		return -1;
	if (m->kind != M_VIEW && !dynamic_list(m))
		return refuse(q, "failure: %s holds no dynamic rows", menu);
	unwritten = take_fresh(q, id);
	if ((i = newest(q, m, id)) >= 0 && q->ops[i].kind == RT_DEL)
		return 0;
	for (i = q->head[bucket(m, id)]; i >= q->barrier; i = q->ops[i].next)
		if (q->ops[i].kind == RT_PUT && q->ops[i].m == m && q->ops[i].id == id) {
			unwritten |= q->ops[i].insert;
			kill_op(q, i);
		}
	if (unwritten)
		return 0;
	if (q->live >= RT_MAX_WAITING)
		return refuse(q, "failure: too many runtime writes waiting");
	return append(q, RT_DEL, m, id) < 0 ? -1 : 0;
}

void
cdb_rt_reset(struct cdb *c)
{
	struct cdb_rtq *q = queue(c);

	if (!q || append(q, RT_RESET, NULL, 0) < 0)
		return;
	q->barrier = q->n;
	q->next_id = CDB_RT_ID_BASE;
	q->nfresh = 0;
}

int
cdb_rt_log(struct cdb *c, const char *topics, const char *message)
{
	struct cdb_rtq *q = queue(c);
	const struct cdb_menu *m = cdb_menu_find(c->cat, "/log");
	char when[32];
	int i;

	if (!q || !m || !m->table)
		return refuse(q, "failure: no /log menu");
	cdb_log_time(when, sizeof(when));
	if ((i = append(q, RT_LOG, m, 0)) < 0 || set_col(&q->ops[i], "time", -1, when) ||
	    set_col(&q->ops[i], "topics", -1, topics) || set_col(&q->ops[i], "message", -1, message))
		return refuse(q, "failure: out of memory");
	cdb_log_remote(c, topics, message);	/* a syslog server need not wait */
	/* a bound on lines waiting; each buffer keeps fewer than this */
	for (; q->nlog > CDB_LOG_QUEUE && q->log_scan < q->n; q->log_scan++)
		if (q->ops[q->log_scan].kind == RT_LOG)
			kill_op(q, q->log_scan);
	return 0;
}

int
cdb_rt_pending(struct cdb *c)
{
	struct cdb_rtq *q = c->conn->rtq;

	return q ? q->live + q->nlog : 0;
}

void
cdb_rt_notify(struct cdb *c, void (*fn)(void *ctx), void *ctx)
{
	struct cdb_rtq *q = queue(c);

	if (q) {
		q->notify = fn;
		q->ctx = ctx;
	}
}

/* Everything written: the queue starts empty (ids keep counting). */
static void
clear(struct cdb_rtq *q)
{
	for (int i = 0; i < q->n; i++)
		op_free(&q->ops[i]);
	q->n = q->live = q->nlog = q->log_scan = q->barrier = 0;
	q->refused = 0;
	q->why[0] = '\0';
	for (int i = 0; i < RT_BUCKETS; i++)
		q->head[i] = -1;
}

void
cdb_rt_free(struct cdb *c)
{
	struct cdb_rtq *q = c->conn ? c->conn->rtq : NULL;

	if (!q)
		return;
	clear(q);
	free(q->ops);
	free(q->fresh);
	free(q);
	c->conn->rtq = NULL;
}

static void
apply(const struct rt_op *op, struct cdb_item *it)
{
	for (int k = 0; k < op->ncols; k++) {
		const struct rt_col *col = &op->cols[k];

		if (col->prop < 0) {
			it->running = cdb_rt_truthy(col->value);
		} else if (col->prop < it->nv) {
			free(it->v[col->prop]);
			it->v[col->prop] = col->value ? strdup(col->value) : NULL;
		}
	}
}

void
cdb_rt_overlay(struct cdb *c, const struct cdb_menu *m, struct cdb_item_list *l)
{
	struct cdb_rtq *q = c->conn->rtq;

	if (!q || !q->live || m->kind == M_VIEW)
		return;
	for (int i = 0; i < q->n; i++) {
		const struct rt_op *op = &q->ops[i];
		int reset = op->kind == RT_RESET && (m->flags & M_RUNTIME);

		if (!reset && (op->kind != RT_PUT || op->m != m))
			continue;
		for (int k = 0; k < l->n; k++) {
			if (reset)
				l->items[k].running = 0;
			else if (!op->id || op->id == l->items[k].id)
				apply(op, &l->items[k]);
		}
	}
}

static int
busy(struct cdb_err *e)
{
	cdb_errf(e, "failure: database busy, try later");
	return 1;
}

/* BEGIN IMMEDIATE without waiting for a lock, whatever this connection's
 * own patience. SQLite's result. */
static int
begin_nowait(struct cdb *c)
{
	int rc;

	sqlite3_busy_timeout(c->conn->db, 0);
	rc = sqlite3_exec(c->conn->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(c->conn->db, c->conn->busy_ms);
	return rc;
}

/* Every waiting write, in order. A write the database refuses (not for a
 * lock) is dropped and counted; a lock means the whole flush waits. */
static int
write_all(struct cdb *c, struct cdb_rtq *q, int *failed, char *why, size_t whylen)
{
	int rc;

	for (int i = 0; i < q->n; i++) {
		if (q->ops[i].kind == RT_DEAD)
			continue;
		rc = cdb_rt_write(c, &q->ops[i]);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			return rc;
		if (rc != SQLITE_OK && !(*failed)++)
			snprintf(why, whylen, "%s", sqlite3_errmsg(c->conn->db));
	}
	if (q->nlog && (rc = cdb_log_trim(c)) != SQLITE_OK && !(*failed)++)
		snprintf(why, whylen, "%s", sqlite3_errmsg(c->conn->db));
	return SQLITE_OK;
}

int
cdb_rt_flush(struct cdb *c, struct cdb_err *e)
{
	struct cdb_rtq *q = c->conn->rtq;
	char why[256] = "";
	int failed = 0, rc;

	if (!q || (!q->live && !q->nlog && !q->refused))
		return 0;
	if (q->live || q->nlog) {
		if (c->depth > 0)
			return busy(e);
		if ((rc = begin_nowait(c)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
			return busy(e);
		if (rc != SQLITE_OK)
			return cdb_db_fail(c, e, "database");
		if (write_all(c, q, &failed, why, sizeof(why)) != SQLITE_OK ||
		    sqlite3_exec(c->conn->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(c->conn->db, "ROLLBACK", NULL, NULL, NULL);
			return busy(e);
		}
	}
	if (q->refused)
		cdb_errf(e, "%s (%d runtime writes refused)", q->why, q->refused);
	else if (failed)
		cdb_errf(e, "failure: runtime state: %s (%d writes dropped)", why, failed);
	rc = q->refused || failed ? -1 : 0;
	clear(q);
	return rc;
}
