/* pool.c: address pools. The ranges live in the configuration; which
 * addresses are in use lives here, in a small open-addressing set, since
 * only the running engine knows it (sessions end with the process). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configdb.h"
#include "pool.h"

#define MAX_CHAIN 16	/* next-pool hops followed before giving up (cycles) */

static uint32_t *used;
static size_t cap, count;

static size_t
slot(uint32_t a)
{
	return (a * 2654435761u) & (cap - 1);
}

int
pool_in_use(uint32_t a)
{
	if (!cap)
		return 0;
	for (size_t i = slot(a); used[i]; i = (i + 1) & (cap - 1))
		if (used[i] == a)
			return 1;
	return 0;
}

static void
grow(void)
{
	uint32_t *old = used;
	size_t oldcap = cap;

	cap = cap ? cap * 2 : 1024;
	used = calloc(cap, sizeof(*used));
	count = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			pool_hold(old[i]);
	free(old);
}

int
pool_hold(uint32_t a)
{
	size_t i;

	if (!a || pool_in_use(a))
		return -1;
	if ((count + 1) * 2 > cap)
		grow();
	for (i = slot(a); used[i]; i = (i + 1) & (cap - 1))
		;
	used[i] = a;
	count++;
	return 0;
}

/* Removal from linear probing: re-place the entries after the hole. */
void
pool_give(uint32_t a)
{
	size_t i;

	if (!cap)
		return;
	for (i = slot(a); used[i] && used[i] != a; i = (i + 1) & (cap - 1))
		;
	if (!used[i])
		return;
	used[i] = 0;
	count--;
	for (i = (i + 1) & (cap - 1); used[i]; i = (i + 1) & (cap - 1)) {
		uint32_t v = used[i];

		used[i] = 0;
		count--;
		pool_hold(v);
	}
}

/* The first free address in "a-b,c,d/len" ranges. */
static int
take_from_ranges(const char *ranges, uint32_t *out)
{
	char *copy = strdup(ranges), *save = NULL, *r;
	int rc = -1;

	for (r = strtok_r(copy, ",", &save); r && rc; r = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(r, '-'), *slash = strchr(r, '/');
		uint32_t lo, hi;

		if (slash) {
			int len = atoi(slash + 1);

			*slash = '\0';
			if (cdb_parse_ip4(r, &lo) || len < 0 || len > 32)
				continue;
			hi = lo | (len ? ~(0xffffffffu << (32 - len)) : 0xffffffffu);
		} else if (dash) {
			*dash = '\0';
			if (cdb_parse_ip4(r, &lo) || cdb_parse_ip4(dash + 1, &hi))
				continue;
		} else if (cdb_parse_ip4(r, &lo))
			continue;
		else
			hi = lo;
		for (uint64_t a = lo; a <= hi && rc; a++)
			if (!pool_in_use((uint32_t)a) && (uint32_t)a) {
				*out = (uint32_t)a;
				rc = 0;
			}
	}
	free(copy);
	return rc;
}

int
pool_take(struct cdb *db, const char *name, uint32_t *addr, char from[64])
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/ip/pool");
	char cur[64];

	snprintf(cur, sizeof(cur), "%s", name);
	for (int hop = 0; hop < MAX_CHAIN; hop++) {
		long long id = cdb_item_by_key(db, m, cur);
		struct cdb_item it;
		struct cdb_err e;
		const char *ranges, *next;
		int rc;

		if (id <= 0 || cdb_item_get(db, m, id, &it, &e))
			return -1;
		ranges = cdb_item_text(m, &it, "ranges");
		next = cdb_item_text(m, &it, "next-pool");
		rc = ranges ? take_from_ranges(ranges, addr) : -1;
		if (!rc) {
			snprintf(from, 64, "%s", cur);
			pool_hold(*addr);
		}
		snprintf(cur, sizeof(cur), "%s", next ? next : "none");
		cdb_item_clear(&it);
		if (!rc)
			return 0;
		if (!strcmp(cur, "none"))
			return -1;
	}
	return -1;
}
