/* filter.c: /ip firewall filter as the nftables table "ip rosh-filter".
 * Every rule is checked first (filter_rule.c); one the table can not
 * express is left out, marked invalid and logged with the reason, and the
 * rest is written with the address lists in one atomic batch, in item
 * order. The table is rewritten only when what it should hold changed;
 * with no rules there is no table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "ip.h"
#include "log.h"

#define MENU "/ip/firewall/filter"

static unsigned char *applied;	/* what was last written, as bytes */
static size_t napplied;
static int written;		/* the table exists as applied says */
static int nwritten;		/* rules in it */

/* Rules and sets as one byte string, to see whether anything changed. */
static unsigned char *
image(const struct filter_rule *r, int n, const struct nft_set_def *sets, int nsets, size_t *len)
{
	size_t size = sizeof(*r) * (size_t)n + 1;
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
	*len = size;
	return b;
}

static void
write_table(const struct filter_rule *r, int n, const struct nft_set_def *sets, int nsets)
{
	size_t len = 0;
	unsigned char *now = image(r, n, sets, nsets, &len);
	char err[256];
	int bad = -1, rc;

	if (!now || (written && len == napplied && !memcmp(now, applied, len))) {
		free(now);
		return;
	}
	rc = n ? nft_filter_replace(sets, nsets, r, n, &bad, err, sizeof(err)) :
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
	struct nft_set_def *defs;
	uint64_t next = UINT64_MAX;
	struct filter_rule *r;
	int n;

	r = rules(e, &lists, &n);
	address_lists_read(e, &lists, &s, &next);
	if ((defs = set_defs(&lists, &s)))
		write_table(r, n, defs, lists.n);
	loop_timer(e->loop, next == UINT64_MAX ? 0 : next, expired, e);
	for (int i = 0; defs && i < lists.n; i++)
		free(defs[i].ranges);
	free(defs);
	free(s.ranges);
	free(s.list_of);
	free(lists.names);
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
	free(applied);
	applied = NULL;
	napplied = 0;
	written = 0;
	nwritten = 0;
}
