/* address_dynamic.c: the entries nobody configured, shown as dynamic (D)
 * items of /ip firewall address-list as RouterOS shows them: a PPP
 * session's address while it lasts, and each address a rule's
 * add-src-to-address-list put in a dynamic set, read back from the kernel
 * once a second with the time it has left. Rows are kept sorted by list and
 * address and merged with what is wanted now, so a large list costs a sort,
 * not a search per entry; the time left of every row is written again at
 * most about a hundred rows a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

#define MENU "/ip/firewall/address-list"
#define REWRITES_PER_SEC 100

struct row {
	char list[64];
	uint32_t addr;
	long long left;		/* seconds shown, -1 none */
	long long id;		/* the runtime row, 0 when the write failed */
};

struct rows {
	struct row *r;
	int n, cap;
};

static struct rows shown;
static uint64_t refreshed;	/* loop_now() of the last rewrite of the times */

static int
by_key(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->list, y->list);

	return c ? c : x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void
add(struct rows *w, const char *list, uint32_t addr, long long left)
{
	struct row *more;

	if (strlen(list) >= sizeof(w->r[0].list))
		return;
	if (w->n == w->cap) {
		if (!(more = realloc(w->r, sizeof(*more) * (size_t)(w->cap * 2 + 16))))
			return;
		w->r = more;
		w->cap = w->cap * 2 + 16;
	}
	w->r[w->n] = (struct row){ .addr = addr, .left = left };
	snprintf(w->r[w->n].list, sizeof(w->r[0].list), "%s", list);
	w->n++;
}

static void
session(void *ctx, const char *list, uint32_t addr)
{
	add(ctx, list, addr, -1);
}

static void
kernel_entry(void *ctx, const char *list, const struct nft_dyn_entry *e)
{
	add(ctx, list, e->addr, e->left_ms ? (long long)((e->left_ms + 999) / 1000) : -1);
}

static void
put(struct engine *e, struct row *r, int fresh)
{
	char a[16], *t = r->left >= 0 ? cdb_fmt_time(r->left) : NULL;
	struct cdb_kv kv[] = { { "timeout", t }, { "list", r->list },
			       { "address", cdb_fmt_ip4(r->addr, a) } };

	if (fresh && (r->id = cdb_rt_new_id(e->db)) <= 0)
		r->id = 0;
	if (r->id > 0 && cdb_rt_put(e->db, MENU, r->id, kv, fresh ? 3 : 1))
		r->id = 0;
	free(t);
}

/* Rows wanted (sorted, no twice the same) against rows shown: new ones
 * written, gone ones removed, the time of the others when due. */
static void
merge(struct engine *e, struct rows *w, int due)
{
	struct rows out = { 0 };
	int i = 0, k = 0;

	while (i < w->n || k < shown.n) {
		int c = i == w->n ? 1 : k == shown.n ? -1 : by_key(&w->r[i], &shown.r[k]);

		if (c > 0) {		/* gone */
			if (shown.r[k].id > 0)
				cdb_rt_del(e->db, MENU, shown.r[k].id);
			k++;
			continue;
		}
		if (c < 0) {
			put(e, &w->r[i], 1);
		} else {
			w->r[i].id = shown.r[k].id;
			if (w->r[i].id && w->r[i].left != shown.r[k].left && (due || w->r[i].left >
									   shown.r[k].left))
				put(e, &w->r[i], 0);
			else
				w->r[i].left = shown.r[k].left;
			k++;
		}
		add(&out, w->r[i].list, w->r[i].addr, w->r[i].left);
		if (out.n)
			out.r[out.n - 1].id = w->r[i].id;
		i++;
	}
	free(shown.r);
	shown = out;
}

void
address_dynamic_show(struct engine *e, int kernel)
{
	struct rows w = { 0 };
	uint64_t now = loop_now();
	int m = 0, due;

	address_list_sessions(session, &w);
	if (kernel)
		nft_filter_dynamic(kernel_entry, &w);
	if (!w.n && !shown.n)
		return;
	qsort(w.r, (size_t)w.n, sizeof(*w.r), by_key);
	for (int i = 0; i < w.n; i++)	/* one row for an address twice in a list */
		if (!m || by_key(&w.r[m - 1], &w.r[i]))
			w.r[m++] = w.r[i];
	w.n = m;
	/* 900: the tick that comes a second later may come a little early */
	due = now - refreshed >= (uint64_t)(shown.n > 9 * REWRITES_PER_SEC / 10 ?
					    shown.n * 1000 / REWRITES_PER_SEC : 900);
	if (due)
		refreshed = now;
	merge(e, &w, due);
	free(w.r);
}

void
address_dynamic_forget(struct engine *e)
{
	for (int i = 0; i < shown.n; i++)
		if (shown.r[i].id > 0)
			cdb_rt_del(e->db, MENU, shown.r[i].id);
	free(shown.r);
	shown = (struct rows){ 0 };
}
