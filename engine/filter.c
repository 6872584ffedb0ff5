/* filter.c: /ip firewall filter as the nftables table "ip rosh-filter".
 * Every rule is checked first (filter_rule.c); one the table can not
 * express is left out, marked invalid and logged with the reason, and the
 * rest is written with the address lists in one atomic batch, in item
 * order. The table is rewritten only when what it should hold changed;
 * with no rules there is no table. The entries rules added to the
 * dynamic sets are read back first and written again with the time they
 * have left (one added between the two is lost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "filter_time.h"
#include "ip.h"
#include "log.h"

#define MENU "/ip/firewall/filter"

/* The entries of the kernel's dynamic sets, read before a rewrite. */
struct kept {
	struct nft_dyn_def *d;
	int n;
};

static unsigned char *applied;	/* what was last written, as bytes */
static size_t napplied;
static int written;		/* the table exists as applied says */
static int nwritten;		/* rules in it */
static int dynamic_sets;	/* dynamic sets in it */

/* Rules and sets as one byte string, to see whether anything changed. */
static unsigned char *
image(const struct filter_rule *r, int n, const struct nft_set_def *sets, int nsets,
      const struct kept *k, size_t *len)
{
	size_t size = sizeof(*r) * (size_t)n + 1 + sizeof(k->d[0].name) * (size_t)k->n;
	unsigned char *b, *p;

	for (int i = 0; i < nsets; i++)
		size += sizeof(sets[i].name) + sizeof(int) + sizeof(struct nat_range) * (size_t)sets[i].n;
	if (!(b = p = calloc(1, size)))
		return NULL;
	if (n)		/* no rules may come as NULL, which memcpy must not see */
		memcpy(p, r, sizeof(*r) * (size_t)n);
	p += sizeof(*r) * (size_t)n;
	for (int i = 0; i < nsets; i++) {
		memcpy(p, sets[i].name, sizeof(sets[i].name));
		p += sizeof(sets[i].name);
		memcpy(p, &sets[i].n, sizeof(int));
		p += sizeof(int);
		if (sets[i].n)
			memcpy(p, sets[i].ranges, sizeof(struct nat_range) * (size_t)sets[i].n);
		p += sizeof(struct nat_range) * (size_t)sets[i].n;
	}
	for (int i = 0; i < k->n; i++) {	/* which sets, not what the kernel put in */
		memcpy(p, k->d[i].name, sizeof(k->d[i].name));
		p += sizeof(k->d[i].name);
	}
	*len = size;
	return b;
}

static void
write_table(const struct filter_rule *r, int n, const struct nft_set_def *sets, int nsets,
	    const struct kept *k)
{
	size_t len = 0;
	unsigned char *now = image(r, n, sets, nsets, k, &len);
	char err[256];
	int bad = -1, rc;

	if (!now || (written && len == napplied && !memcmp(now, applied, len))) {
		free(now);
		return;
	}
	rc = n ? nft_filter_replace(sets, nsets, k->d, k->n, r, n, &bad, err, sizeof(err)) :
		 nft_filter_remove(err, sizeof(err));
	if (rc) {
		log_msg(LOG_ERR, "firewall", "filter rules not applied, the previous ones stay: %s",
			err);
		if (bad >= 0)
			log_msg(LOG_ERR, "firewall", "the kernel refused a rule of chain %s",
				r[bad].chain);
		free(now);
		return;
	}
	if (n || written)
		log_msg(LOG_INFO, "firewall", "filter rules applied (%d in table ip %s, %d address lists)",
			n, NFT_TABLE_FILTER, nsets);
	dynamic_sets = n ? k->n : 0;
	free(applied);
	applied = now;
	napplied = len;
	written = 1;
	nwritten = n;
}

/* One set per list name the rules or entries gave, with its ranges. */
static struct nft_set_def *
set_defs(const struct filter_lists *lists, const struct filter_sets *s)
{
	struct nft_set_def *d = calloc((size_t)(lists->n ? lists->n : 1), sizeof(*d));

	for (int i = 0; d && i < lists->n; i++) {
		filter_list_set_name(i, d[i].name);
		d[i].ranges = malloc(sizeof(struct nat_range) * (size_t)(s->n ? s->n : 1));
		for (int k = 0; d[i].ranges && k < s->n; k++)
			if (s->list_of[k] == i)
				d[i].ranges[d[i].n++] = s->ranges[k];
	}
	return d;
}

static void
kept_free(struct kept *k)
{
	for (int i = 0; i < k->n; i++)
		free(k->d[i].e);
	free(k->d);
	k->d = NULL;
	k->n = 0;
}

static void
expired(void *ctx)
{
	filter_apply(ctx);
}

static void
soon(void *ctx)
{
	filter_apply(ctx);
}

void
filter_apply_soon(struct engine *e)
{
	loop_timer(e->loop, loop_now() + 20, soon, e);
}

static void
keep(void *ctx, const char *list, const struct nft_dyn_entry *e)
{
	struct kept *k = ctx;
	struct nft_dyn_def *d = NULL, *more;
	struct nft_dyn_entry *es;

	for (int i = 0; i < k->n && !d; i++)
		if (!strcmp(k->d[i].list, list))
			d = &k->d[i];
	if (!d) {
		if (!(more = realloc(k->d, sizeof(*more) * (size_t)(k->n + 1))))
			return;
		k->d = more;
		d = &k->d[k->n++];
		memset(d, 0, sizeof(*d));
		snprintf(d->list, sizeof(d->list), "%s", list);
	}
	if (d->n >= NFT_DYN_SET_SIZE || !(es = realloc(d->e, sizeof(*es) * (size_t)(d->n + 1))))
		return;
	d->e = es;
	d->e[d->n++] = *e;
}

/* One dynamic set for each list the rules add to, or the kernel still has
 * entries of (they stay until their time is up, as on RouterOS), holding
 * those entries; its name after the list's index. */
static void
dynamic_defs(struct filter_lists *lists, struct kept *k)
{
	struct nft_dyn_def *all;
	int i, m = 0;

	nft_filter_dynamic(keep, k);	/* also those of the table a previous roshd left */
	for (i = 0; i < k->n; i++) {
		int li = filter_list_index(lists, k->d[i].list);

		if (li >= 0)
			lists->dynamic[li] = 1;
	}
	if (!(all = calloc((size_t)lists->n + 1, sizeof(*all))))
		return;
	for (i = 0; i < lists->n; i++) {
		if (!lists->dynamic[i])
			continue;
		filter_list_dset_name(i, all[m].name);
		snprintf(all[m].list, sizeof(all[m].list), "%s", lists->names[i]);
		for (int j = 0; j < k->n; j++)
			if (!strcmp(k->d[j].list, lists->names[i])) {
				all[m].e = k->d[j].e;
				all[m].n = k->d[j].n;
				k->d[j].e = NULL;
			}
		m++;
	}
	kept_free(k);
	k->d = all;
	k->n = m;
}

/* The enabled rules, expanded; the invalid flag of each item. */
static struct filter_rule *
rules(struct engine *e, struct filter_lists *lists, int *n)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct filter_rule *r = NULL;
	struct cdb_item_list items;
	struct cdb_err err;

	*n = 0;
	if (!m || cdb_item_list(e->db, m, &items, &err))
		return NULL;
	for (int i = 0; i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		const char *was = cdb_item_text(m, it, "invalid"), *why = NULL;

		if (strcmp(cdb_item_text(m, it, "disabled"), "yes"))
			why = filter_rule_expand(m, it, lists, &r, n);
		if (why && !(was && !strcmp(was, "yes")))
			log_msg(LOG_ERR, "firewall", "filter rule %d (*%llX) left out: %s", i,
				(unsigned long long)it->id, why);
		ip_flag(e, MENU, it->id, "invalid", why != NULL);
	}
	cdb_item_list_free(&items);
	return r;
}

void
filter_apply(struct engine *e)
{
	struct filter_lists lists = { 0 };
	struct filter_sets s = { 0 };
	struct nft_set_def *defs = NULL;
	struct kept k = { 0 };
	uint64_t next = UINT64_MAX;
	struct filter_rule *r;
	int n;

	filter_time_offsets_changed();
	r = rules(e, &lists, &n);
	address_lists_read(e, &lists, &s, &next);
	dynamic_defs(&lists, &k);
	if (filter_rules_dynamic(&lists, &r, &n))
		log_msg(LOG_ERR, "firewall", "filter rules not applied: out of memory");
	else if ((defs = set_defs(&lists, &s)))
		write_table(r, n, defs, lists.n, &k);
	loop_timer(e->loop, next == UINT64_MAX ? 0 : next, expired, e);
	for (int i = 0; defs && i < lists.n; i++)
		free(defs[i].ranges);
	free(defs);
	kept_free(&k);
	free(s.ranges);
	free(s.list_of);
	free(lists.names);
	free(lists.dynamic);
	free(r);
}

struct count {
	long long item;
	uint64_t bytes, packets;
};

struct counts {
	struct count *c;
	int n, cap;
};

static void
add_count(void *ctx, long long item, uint64_t bytes, uint64_t packets)
{
	struct counts *cs = ctx;
	struct count *more;

	for (int i = 0; i < cs->n; i++)
		if (cs->c[i].item == item) {
			cs->c[i].bytes += bytes;
			cs->c[i].packets += packets;
			return;
		}
	if (cs->n == cs->cap) {
		if (!(more = realloc(cs->c, sizeof(*more) * (size_t)(cs->cap * 2 + 8))))
			return;
		cs->c = more;
		cs->cap = cs->cap * 2 + 8;
	}
	cs->c[cs->n++] = (struct count){ item, bytes, packets };
}

static void
counters(struct engine *e)
{
	struct counts cs = { 0 };
	char b[24], p[24];
	struct cdb_kv kv[] = { { "bytes", b }, { "packets", p } };

	if (!written || !nwritten || nft_filter_counters(add_count, &cs)) {
		free(cs.c);
		return;
	}
	for (int i = 0; i < cs.n; i++) {
		snprintf(b, sizeof(b), "%llu", (unsigned long long)cs.c[i].bytes);
		snprintf(p, sizeof(p), "%llu", (unsigned long long)cs.c[i].packets);
		cdb_rt_put(e->db, MENU, cs.c[i].item, kv, 2);
	}
	free(cs.c);
}

void
filter_tick(struct engine *e)
{
	address_names_poll(e);
	counters(e);
	if (filter_time_offsets_changed())	/* daylight saving time began or ended */
		filter_apply(e);
	address_dynamic_show(e, written && dynamic_sets);
}

/* The kernel keeps the table (the next start takes it back); the flags go. */
void
filter_close(struct engine *e)
{
	static const struct cdb_kv inv[] = { { "invalid", NULL } };

	loop_timer(e->loop, 0, expired, e);
	loop_timer(e->loop, 0, soon, e);
	cdb_rt_put(e->db, MENU, 0, inv, 1);
	cdb_rt_put(e->db, "/ip/firewall/address-list", 0, inv, 1);
	address_lists_forget();
	address_dynamic_forget(e);
	free(applied);
	applied = NULL;
	napplied = 0;
	written = 0;
	nwritten = 0;
	dynamic_sets = 0;
}
