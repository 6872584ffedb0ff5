/* address_list.c: /ip firewall address-list as the filter table's sets:
 * the configured entries (an entry with a timeout counts from when roshd
 * first applied it, and leaves the set once it passed; a DNS name counts
 * as the addresses it resolves to, address_names.c), and the dynamic
 * entries of PPP sessions whose profile names an address-list, held here
 * for as long as the session lives (address_dynamic.c shows them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "ip.h"
#include "log.h"
#include "rule_match.h"

#define MENU "/ip/firewall/address-list"

struct seen {
	long long id;
	uint64_t first;			/* loop_now() when first applied */
};

struct session_entry {
	char list[64];
	uint32_t addr;
};

static struct seen *seen;
static int nseen;
static struct session_entry *dyn;
static int ndyn;

/* When the entry came in effect, remembered from the first time. */
static uint64_t
first_seen(long long id, uint64_t now)
{
	struct seen *more;

	for (int i = 0; i < nseen; i++)
		if (seen[i].id == id)
			return seen[i].first;
	if (!(more = realloc(seen, sizeof(*more) * (size_t)(nseen + 1))))
		return now;
	seen = more;
	seen[nseen++] = (struct seen){ id, now };
	return now;
}

static int
add_range(struct filter_sets *s, int list, struct nat_range r)
{
	struct nat_range *more;
	int *lists;

	if (list < 0 || !(lists = realloc(s->list_of, sizeof(*lists) * (size_t)(s->n + 1))))
		return -1;
	s->list_of = lists;
	if (!(more = realloc(s->ranges, sizeof(*more) * (size_t)(s->n + 1))))
		return -1;
	s->ranges = more;
	more[s->n] = r;
	lists[s->n++] = list;
	return 0;
}

/* An entry that names a host: its addresses, once the lookup answered. */
static const char *
by_name(const char *host, int list, struct filter_sets *s)
{
	uint32_t a[16];
	const char *why = NULL;
	int n = address_name_lookup(host, a, 16, &why);

	for (int i = 0; i < n; i++)
		if (add_range(s, list, (struct nat_range){ 1, a[i], a[i] }))
			return "out of memory";
	return n < 0 ? why : NULL;
}

/* One configured entry: NULL, or why it is left out. *next_ms is lowered
 * to when its timeout passes. */
static const char *
entry(const struct cdb_menu *m, const struct cdb_item *it, struct filter_lists *lists,
      struct filter_sets *s, uint64_t now, uint64_t *next_ms)
{
	const char *t = cdb_item_text(m, it, "timeout"), *a = cdb_item_text(m, it, "address");
	int list = filter_list_index(lists, cdb_item_text(m, it, "list"));
	struct nat_range r = { 0 };
	long long secs;

	if (t && !cdb_parse_time(t, &secs)) {
		uint64_t end = first_seen(it->id, now) + (uint64_t)secs * 1000;

		if (end <= now)
			return "its timeout passed";
		if (end < *next_ms)
			*next_ms = end;
	}
	if (rule_parse_addr_range(a, &r))
		return by_name(a, list, s);
	return add_range(s, list, r) ? "out of memory" : NULL;
}

void
address_lists_read(struct engine *e, struct filter_lists *lists, struct filter_sets *s,
		   uint64_t *next_ms)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct cdb_item_list items;
	struct cdb_err err;
	uint64_t now = loop_now();

	for (int i = 0; i < ndyn; i++)
		add_range(s, filter_list_index(lists, dyn[i].list),
			  (struct nat_range){ 1, dyn[i].addr, dyn[i].addr });
	if (!m || cdb_item_list(e->db, m, &items, &err))
		return;
	address_names_mark();
	for (int i = 0; i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];
		const char *was = cdb_item_text(m, it, "invalid"), *why = NULL;

		if (it->dynamic)	/* shown by address_dynamic.c, not configured */
			continue;
		if (strcmp(cdb_item_text(m, it, "disabled"), "yes"))
			why = entry(m, it, lists, s, now, next_ms);
		if (why && !(was && !strcmp(was, "yes")))
			log_msg(LOG_WARN, "firewall", "address-list entry %s %s left out: %s",
				cdb_item_text(m, it, "list"), cdb_item_text(m, it, "address"), why);
		ip_flag(e, MENU, it->id, "invalid", why != NULL);
	}
	cdb_item_list_free(&items);
	address_names_sweep();
}

static void
leave(struct engine *e, const char *list, uint32_t addr)
{
	for (int i = 0; i < ndyn; i++)
		if (dyn[i].addr == addr && !strcmp(dyn[i].list, list)) {
			dyn[i] = dyn[--ndyn];
			filter_apply_soon(e);
			return;
		}
}

void
address_list_session(struct engine *e, const char *list, uint32_t addr, char *held,
		     size_t heldlen)
{
	struct session_entry *more;

	if (!list) {
		if (held[0])
			leave(e, held, addr);
		held[0] = '\0';
		return;
	}
	if (!*list || !addr || strlen(list) >= sizeof(dyn[0].list) || strlen(list) >= heldlen ||
	    !(more = realloc(dyn, sizeof(*more) * (size_t)(ndyn + 1))))
		return;
	dyn = more;
	snprintf(dyn[ndyn].list, sizeof(dyn[ndyn].list), "%s", list);
	dyn[ndyn++].addr = addr;
	snprintf(held, heldlen, "%s", list);
	log_msg(LOG_INFO, "firewall", "%u.%u.%u.%u added to address list %s while its session lasts",
		addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255, list);
	filter_apply_soon(e);
}

void
address_list_sessions(void (*fn)(void *ctx, const char *list, uint32_t addr), void *ctx)
{
	for (int i = 0; i < ndyn; i++)
		fn(ctx, dyn[i].list, dyn[i].addr);
}

void
address_lists_forget(void)
{
	free(seen);
	seen = NULL;
	nseen = 0;
	free(dyn);
	dyn = NULL;
	ndyn = 0;
}
