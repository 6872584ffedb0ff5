/* ip.c: when the /ip menus are applied: after each commit, and shortly
 * after the kernel reports a link or an IPv4 address change (tunnels come
 * and go, an admin plugs a cable), so routes and addresses that wait for an
 * interface follow it without the tunnel code knowing about them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <sqlite3.h>

#include "ip.h"
#include "log.h"
#include "../configdb/db_int.h"

#define SETTLE_MS 20	/* events come in bursts: apply once after them */

static const char *resolv_path;
static int watch_fd = -1;
static int pending;		/* an apply is due: later events join it */

const struct nl_link *
ip_link_named(const struct nl_link *l, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(l[i].name, name))
			return &l[i];
	return NULL;
}

void
ip_flag(struct engine *e, const char *menu, long long id, const char *col, int on)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, menu);
	char *sql, *t, *c;
	sqlite3_stmt *st;
	int isrun = !strcmp(col, "running");

	if (!m || !m->table)
		return;
	t = cdb_ident(m->table);
	c = cdb_ident(col);
	/* "running" is the fixed 0/1 column, the others are bool properties */
	if (asprintf(&sql, "UPDATE %s SET %s = ?1 WHERE id = ?2 AND %s IS NOT ?1", t, c, c) < 0)
		sql = NULL;
	free(t);
	free(c);
	if (sql && sqlite3_prepare_v2(e->db->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (isrun)
			sqlite3_bind_int(st, 1, on);
		else if (on)
			sqlite3_bind_text(st, 1, "yes", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			log_msg(LOG_WARN, "system", "runtime flag %s: %s", col,
				sqlite3_errmsg(e->db->db));
		sqlite3_finalize(st);
	}
	free(sql);
}

/* Links, addresses and routes, in that order: a route's gateway is
 * reachable only once the address of its network is on an interface. */
static void
apply_links(struct engine *e)
{
	struct nl_link *l = NULL;
	int n = nl_links(&l), txn;

	if (n < 0) {
		log_msg(LOG_ERR, "system", "can not list interfaces: %s", nl_error());
		return;
	}
	/* one transaction for the flags; if a console holds the database too
	 * long, the kernel is still brought in step and the flags follow */
	txn = sqlite3_exec(e->db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	links_mirror(e, l, n);
	addr_apply(e, l, n);
	route_apply(e, l, n);
	if (txn)
		sqlite3_exec(e->db->db, "COMMIT", NULL, NULL, NULL);
	free(l);
}

static void
settled(void *ctx)
{
	pending = 0;
	apply_links(ctx);
}

static void
on_kernel_event(void *ctx, uint32_t events)
{
	struct engine *e = ctx;

	(void)events;
	/* not moved by later events, so a steady stream of them (a thousand
	 * tunnels coming up) still gets applied every SETTLE_MS */
	if (nl_watch_drain() > 0 && !pending) {
		pending = 1;
		loop_timer(e->loop, loop_now() + SETTLE_MS, settled, e);
	}
}

int
ip_open(struct engine *e, const char *resolv_conf)
{
	resolv_path = resolv_conf;
	if ((watch_fd = nl_watch_open()) < 0)
		return -1;
	return loop_add(e->loop, watch_fd, EPOLLIN, on_kernel_event, e);
}

void
ip_reconcile(struct engine *e)
{
	apply_links(e);
	nat_apply(e);
	dns_apply(e, resolv_path);
}

void
ip_dns_changed(struct engine *e)
{
	dns_apply(e, resolv_path);
}

/* The kernel keeps addresses, routes, NAT rules and the resolver file as
 * they are (they carry our mark: the next start takes them back); only the
 * flags go, as nothing reports them while the engine is stopped. */
void
ip_close(struct engine *e)
{
	static const char *sql =
		"BEGIN IMMEDIATE;"
		"UPDATE ip_address SET running = 0, invalid = NULL;"
		"UPDATE ip_route SET active = NULL, inactive = NULL;"
		"UPDATE ip_firewall_nat SET invalid = NULL;"
		"COMMIT;";

	if (watch_fd >= 0)
		loop_del(e->loop, watch_fd);
	loop_timer(e->loop, 0, settled, e);
	pending = 0;
	nl_watch_close();
	watch_fd = -1;
	links_forget();
	if (sqlite3_exec(e->db->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(e->db->db, "ROLLBACK", NULL, NULL, NULL);
}
