/* runtime.c: what is running, written where the console reads it: /ppp
 * active rows, the interfaces behind /interface, running flags and
 * counters. None of it is journalled: it is state, not configuration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "engine.h"
#include "log.h"
#include "../configdb/db_int.h"

static int
exec(struct engine *e, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(e->db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	log_msg(LOG_WARN, "system", "runtime table: %s", msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

/* Nothing runs when the engine starts or stops. */
void
rt_reset(struct engine *e)
{
	struct cdb_buf b = { 0 };

	cdb_buf_printf(&b, "BEGIN IMMEDIATE; DELETE FROM ppp_active; DELETE FROM rt_interface;");
	for (int i = 0; i < e->db->cat->nmenus; i++) {
		const struct cdb_menu *m = e->db->cat->menus[i];

		if (m->kind == M_LIST && (m->flags & M_RUNTIME))
			cdb_buf_printf(&b, "UPDATE %s SET running = 0;", m->table);
	}
	cdb_buf_add(&b, "COMMIT;", 7);
	if (exec(e, b.s))
		exec(e, "ROLLBACK");
	free(b.s);
}

/* A new id from the same sequence the console uses, in a transaction of
 * its own so two writers never take the same one. */
static long long
new_id(struct engine *e)
{
	long long id = -1;

	if (exec(e, "BEGIN IMMEDIATE"))
		return -1;
	id = cdb_next_id(e->db);
	exec(e, id > 0 ? "COMMIT" : "ROLLBACK");
	return id;
}

static char *
ip_text(uint32_t a, char *buf)
{
	sprintf(buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

long long
rt_active_add(struct engine *e, struct peer *p)
{
	sqlite3_stmt *st;
	long long id = new_id(e);
	char addr[16];

	if (id <= 0 || sqlite3_prepare_v2(e->db->db, "INSERT INTO ppp_active(id, pos, dynamic,"
					  " running, name, service, \"caller-id\", address, uptime,"
					  " encoding) VALUES(?, ?, 1, 1, ?, 'ovpn', ?, ?, '0s', ?)",
					  -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, p->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->caller, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ip_text(p->remote, addr), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, p->encoding, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		id = -1;
	sqlite3_finalize(st);
	return id;
}

static void
del_row(struct engine *e, const char *table, long long id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = %lld", table, id);
	exec(e, sql);
}

void
rt_active_del(struct engine *e, long long id)
{
	if (id > 0)
		del_row(e, "ppp_active", id);
}

long long
rt_iface_add(struct engine *e, const char *name, const char *type, int mtu, int dynamic)
{
	sqlite3_stmt *st;
	long long id = new_id(e);

	if (id <= 0 || sqlite3_prepare_v2(e->db->db, "INSERT INTO rt_interface(id, name, type,"
					  " mtu, \"actual-mtu\", running, dynamic, \"rx-byte\","
					  " \"tx-byte\", \"rx-packet\", \"tx-packet\")"
					  " VALUES(?, ?, ?, ?, ?, 1, ?, 0, 0, 0, 0)", -1, &st,
					  NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, mtu);
	sqlite3_bind_int(st, 5, mtu);
	sqlite3_bind_int(st, 6, dynamic);
	if (sqlite3_step(st) != SQLITE_DONE)
		id = -1;
	sqlite3_finalize(st);
	return id;
}

void
rt_iface_del(struct engine *e, long long id)
{
	if (id > 0)
		del_row(e, "rt_interface", id);
}

void
rt_running(struct engine *e, const char *menu, long long id, int running)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, menu);
	char sql[160];

	if (!m || !m->table)
		return;
	snprintf(sql, sizeof(sql), "UPDATE %s SET running = %d WHERE id = %lld", m->table,
		 running, id);
	exec(e, sql);
}

/* The statement rt_iface_count() runs; the caller finalizes it. NULL on
 * error, which rt_iface_count() takes as "nothing to write". */
sqlite3_stmt *
rt_iface_count_stmt(struct engine *e)
{
	sqlite3_stmt *st = NULL;

	sqlite3_prepare_v2(e->db->db, "UPDATE rt_interface SET \"rx-byte\" = ?, \"tx-byte\" = ?,"
			   " \"rx-packet\" = ?, \"tx-packet\" = ? WHERE id = ?", -1, &st, NULL);
	return st;
}

/* One interface's counters, for /interface print. */
void
rt_iface_count(sqlite3_stmt *st, long long id, uint64_t rxb, uint64_t txb, uint64_t rxp,
	       uint64_t txp)
{
	if (!st || id <= 0)
		return;
	sqlite3_bind_int64(st, 1, (long long)rxb);
	sqlite3_bind_int64(st, 2, (long long)txb);
	sqlite3_bind_int64(st, 3, (long long)rxp);
	sqlite3_bind_int64(st, 4, (long long)txp);
	sqlite3_bind_int64(st, 5, id);
	sqlite3_step(st);
	sqlite3_reset(st);
}

/* Uptime and traffic of every session, once a second, in one transaction. */
void
rt_counters(struct engine *e)
{
	sqlite3_stmt *up = NULL, *ifc = NULL;
	uint64_t now = (uint64_t)time(NULL);
	int any = 0;

	for (struct server *s = e->servers; s && !any; s = s->next)
		any = s->peers != NULL;
	if (!any || exec(e, "BEGIN IMMEDIATE"))
		return;
	sqlite3_prepare_v2(e->db->db, "UPDATE ppp_active SET uptime = ? WHERE id = ?", -1, &up, NULL);
	ifc = rt_iface_count_stmt(e);
	for (struct server *s = e->servers; s; s = s->next)
		for (struct peer *p = s->peers; p; p = p->next) {
			char *t;

			if (p->active_id > 0 && up && (t = cdb_fmt_time((long long)(now - p->since)))) {
				sqlite3_bind_text(up, 1, t, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(up, 2, p->active_id);
				sqlite3_step(up);
				sqlite3_reset(up);
				free(t);
			}
			rt_iface_count(ifc, p->iface_id, p->pump.rx_bytes, p->pump.tx_bytes,
				       p->pump.rx_pkts, p->pump.tx_pkts);
		}
	sqlite3_finalize(up);
	sqlite3_finalize(ifc);
	exec(e, "COMMIT");
}
