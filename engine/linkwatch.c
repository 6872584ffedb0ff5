/* linkwatch.c: the kernel's own interfaces (ethernet, veth, bridges...)
 * listed in /interface as dynamic items, so /ip address, /ip route and NAT
 * rules can name them. Tunnels (kind tun) and names Rosh configures itself
 * are left to their owners. The rows are runtime state in rt_interface. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ip.h"
#include "log.h"
#include "../configdb/db_int.h"

struct mirrored {
	char name[16];
	long long row;			/* its rt_interface id */
	unsigned flags;
	int mtu;
};

static struct mirrored *rows;
static int nrows;

/* A name some part of Rosh owns: a configured interface, or a row another
 * part of the engine wrote (a tunnel). */
static int
owned_elsewhere(struct engine *e, const char *name)
{
	sqlite3_stmt *st;
	int owned = 0;

	for (int i = 0; i < e->db->cat->nmenus && !owned; i++) {
		const struct cdb_menu *m = e->db->cat->menus[i];

		owned = m->kind == M_LIST && m->iface && cdb_item_by_key(e->db, m, name) > 0;
	}
	if (owned || sqlite3_prepare_v2(e->db->db, "SELECT id FROM rt_interface WHERE name = ?",
					-1, &st, NULL) != SQLITE_OK)
		return owned;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (!owned && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);

		owned = 1;
		for (int i = 0; i < nrows; i++)
			if (rows[i].row == id)
				owned = 0;
	}
	sqlite3_finalize(st);
	return owned;
}

static const char *
link_type(const struct nl_link *l)
{
	if (l->flags & IFF_LOOPBACK)
		return "loopback";
	if (l->kind[0])
		return l->kind;
	return l->has_mac ? "ether" : "unknown";
}

static void
row_sql(struct engine *e, const char *sql, const struct nl_link *l, long long id)
{
	sqlite3_stmt *st;
	char mac[18] = "";

	if (sqlite3_prepare_v2(e->db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (l && l->has_mac)
		snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", l->mac[0], l->mac[1],
			 l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	sqlite3_bind_int64(st, 1, id);
	if (l) {
		sqlite3_bind_text(st, 2, l->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, link_type(l), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, l->mtu);
		sqlite3_bind_int(st, 5, (l->flags & IFF_UP) && (l->flags & IFF_RUNNING));
		if (mac[0])
			sqlite3_bind_text(st, 6, mac, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		log_msg(LOG_WARN, "system", "interface list: %s", sqlite3_errmsg(e->db->db));
	sqlite3_finalize(st);
}

static void
forget_gone(struct engine *e, const struct nl_link *l, int n)
{
	for (int i = 0; i < nrows;) {
		const struct nl_link *k = ip_link_named(l, n, rows[i].name);

		if (k && !owned_elsewhere(e, k->name)) {
			i++;
			continue;
		}
		row_sql(e, "DELETE FROM rt_interface WHERE id = ?1", NULL, rows[i].row);
		rows[i] = rows[--nrows];
	}
}

static void
add_new(struct engine *e, const struct nl_link *l)
{
	long long id = cdb_next_id(e->db);
	struct mirrored *more;

	if (id <= 0 || !(more = realloc(rows, sizeof(*rows) * (size_t)(nrows + 1))))
		return;
	rows = more;
	row_sql(e, "INSERT INTO rt_interface(id, name, type, mtu, \"actual-mtu\", running,"
		" \"mac-address\", dynamic, \"rx-byte\", \"tx-byte\", \"rx-packet\", \"tx-packet\")"
		" VALUES(?1, ?2, ?3, ?4, ?4, ?5, ?6, 1, 0, 0, 0, 0)", l, id);
	rows[nrows] = (struct mirrored){ .row = id, .flags = l->flags, .mtu = l->mtu };
	snprintf(rows[nrows].name, sizeof(rows[nrows].name), "%s", l->name);
	nrows++;
}

/* Called inside the caller's transaction. */
void
links_mirror(struct engine *e, const struct nl_link *l, int n)
{
	forget_gone(e, l, n);
	for (int i = 0; i < n; i++) {
		struct mirrored *m = NULL;

		if (!strcmp(l[i].kind, "tun"))
			continue;
		for (int k = 0; k < nrows; k++)
			if (!strcmp(rows[k].name, l[i].name))
				m = &rows[k];
		if (!m) {
			if (!owned_elsewhere(e, l[i].name))
				add_new(e, &l[i]);
		} else if (m->flags != l[i].flags || m->mtu != l[i].mtu) {
			row_sql(e, "UPDATE rt_interface SET name = ?2, type = ?3, mtu = ?4,"
				" \"actual-mtu\" = ?4, running = ?5, \"mac-address\" = ?6"
				" WHERE id = ?1", &l[i], m->row);
			m->flags = l[i].flags;
			m->mtu = l[i].mtu;
		}
	}
}

/* rt_reset() empties rt_interface when the engine stops. */
void
links_forget(void)
{
	free(rows);
	rows = NULL;
	nrows = 0;
}
