/* pool_test.c: address pools: ranges in order, no address twice, next-pool
 * when one runs out, addresses given back are taken again, and a next-pool
 * cycle ends instead of looping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "configdb.h"
#include "ppp/pool.h"

#include "check.h"

static void
add_pool(struct cdb *c, const char *name, const char *ranges, const char *next)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, "/ip/pool");
	struct cdb_kv kv[] = { { "name", name }, { "ranges", ranges }, { "next-pool", next } };
	struct cdb_err e;
	long long id;

	cdb_begin(c, &e);
	if (cdb_item_add(c, m, kv, next ? 3 : 2, 0, &id, &e))
		fprintf(stderr, "add %s: %s\n", name, e.msg);
	cdb_commit(c, &e);
}

int
main(void)
{
	char dir[] = "/tmp/pool_test.XXXXXX", path[64], from[64], cmd[96];
	struct cdb *c;
	struct cdb_err e;
	uint32_t a, first, seen[8];
	int n = 0;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/config.db", dir);
	if (cdb_open(path, &c, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	add_pool(c, "overflow", "10.9.0.1-10.9.0.2", NULL);
	add_pool(c, "small", "10.0.0.1-10.0.0.2,10.0.1.0/31", "overflow");
	add_pool(c, "pong", "10.8.0.2", NULL);
	add_pool(c, "ping", "10.8.0.1", "pong");
	{	/* a cycle: pong's next is ping */
		const struct cdb_menu *m = cdb_menu_find(c->cat, "/ip/pool");
		struct cdb_kv kv = { "next-pool", "ping" };

		cdb_begin(c, &e);
		cdb_item_set(c, m, cdb_item_by_key(c, m, "pong"), &kv, 1, &e);
		cdb_commit(c, &e);
	}

	CHECK(pool_take(c, "small", &first, from) == 0 && first == 0x0a000001 &&
	      !strcmp(from, "small"), "first address %08x from %s", first, from);
	seen[n++] = first;
	while (n < 6 && pool_take(c, "small", &a, from) == 0)
		seen[n++] = a;
	CHECK(n == 6, "took %d addresses from small+overflow, want 6", n);
	CHECK(seen[2] == 0x0a000100 && seen[3] == 0x0a000101, "prefix range: %08x %08x",
	      seen[2], seen[3]);
	CHECK(seen[4] == 0x0a090001 && seen[5] == 0x0a090002 && !strcmp(from, "overflow"),
	      "next-pool not used: %08x from %s", seen[5], from);
	CHECK(pool_take(c, "small", &a, from) == -1, "exhausted pools still gave %08x", a);
	pool_give(seen[1]);
	CHECK(pool_take(c, "small", &a, from) == 0 && a == seen[1], "given back address not reused");
	CHECK(pool_in_use(seen[0]) && pool_in_use(seen[5]), "in-use set lost addresses");
	CHECK(pool_hold(seen[0]) == -1, "an address held twice");
	CHECK(pool_take(c, "ping", &a, from) == 0 && pool_take(c, "ping", &a, from) == 0 &&
	      pool_take(c, "ping", &a, from) == -1, "a next-pool cycle did not end");
	CHECK(pool_take(c, "nosuch", &a, from) == -1, "a missing pool gave an address");
	for (uint32_t i = 1; i <= 3000; i++)	/* grow the set past its first size */
		pool_hold(0x0b000000 + i);
	CHECK(pool_in_use(0x0b000001) && pool_in_use(0x0b000bb8) && pool_in_use(seen[0]),
	      "set lost addresses while growing");
	for (uint32_t i = 1; i <= 3000; i += 2)
		pool_give(0x0b000000 + i);
	CHECK(!pool_in_use(0x0b000001) && pool_in_use(0x0b000002) && pool_in_use(0x0b000bb8),
	      "removal broke the set");
	cdb_close(c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	fprintf(stderr, "pool: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
