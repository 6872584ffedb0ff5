/* configdb_test.c: the configuration database through its C API: seeds,
 * validation, references both ways, renames, journal, rollback, schema
 * migration, and several writers at once without lost updates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "configdb.h"
#include "db_int.h"

#include "check.h"

static char dir[64];

static struct cdb *
open_db(const char *name)
{
	struct cdb *c;
	struct cdb_err e;
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (cdb_open(path, &c, &e)) {
		fprintf(stderr, "open %s: %s\n", path, e.msg);
		exit(1);
	}
	return c;
}

static int
add(struct cdb *c, const char *menu, const char *args, struct cdb_err *e)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, menu);
	struct cdb_kv *kv;
	char *buf;
	int n = cdb_seed_parse(args, &kv, &buf), rc;
	long long id;

	cdb_begin(c, e);
	rc = cdb_item_add(c, m, kv, n, 0, &id, e);
	if (rc)
		cdb_rollback(c);
	else
		cdb_commit(c, e);
	free(kv);
	free(buf);
	return rc;
}

static long long
count(struct cdb *c, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_seeds_and_refs(void)
{
	struct cdb *c = open_db("a.db");
	const struct cdb_menu *prof = cdb_menu_find(c->cat, "/ppp/profile");
	const struct cdb_menu *pool = cdb_menu_find(c->cat, "/ip/pool");
	struct cdb_err e;
	long long id;

	CHECK(cdb_item_by_key(c, prof, "default") > 0, "built-in default profile missing");
	CHECK(add(c, "/ip/pool", "name=p1 ranges=10.0.0.2-10.0.0.9", &e) == 0, "%s", e.msg);
	CHECK(add(c, "/ppp/profile", "name=pr local-address=10.0.0.1 remote-address=p1", &e) == 0,
	      "%s", e.msg);
	CHECK(add(c, "/ppp/secret", "name=u1 profile=nope", &e) == -1 &&
	      !strcmp(e.msg, "input does not match any value of profile"), "missing ref: %s", e.msg);
	CHECK(add(c, "/ppp/secret", "name=u1 profile=pr password=x", &e) == 0, "%s", e.msg);
	CHECK(add(c, "/ppp/secret", "name=u1", &e) == -1 &&
	      !strcmp(e.msg, "failure: already have such name"), "dup: %s", e.msg);

	id = cdb_item_by_key(c, pool, "p1");
	cdb_begin(c, &e);
	CHECK(cdb_item_remove(c, pool, id, &e) == -1 && strstr(e.msg, "/ppp/profile pr"),
	      "in use: %s", e.msg);
	cdb_rollback(c);

	/* a rename follows into the items that refer to it */
	cdb_begin(c, &e);
	CHECK(cdb_item_set(c, pool, id, &(struct cdb_kv){ "name", "p2" }, 1, &e) == 0, "%s", e.msg);
	cdb_commit(c, &e);
	CHECK(count(c, "SELECT COUNT(*) FROM ppp_profile WHERE \"remote-address\"='p2'") == 1,
	      "rename not followed");

	/* the built-in profile stays */
	cdb_begin(c, &e);
	CHECK(cdb_item_remove(c, prof, cdb_item_by_key(c, prof, "default"), &e) == -1,
	      "removed built-in");
	cdb_rollback(c);

	/* the journal holds before and after of the set */
	CHECK(count(c, "SELECT COUNT(*) FROM journal WHERE op='set' AND menu='/ip/pool' AND "
		       "json_extract(before,'$.name')='p1' AND json_extract(after,'$.name')='p2'") == 1,
	      "journal lacks the rename");

	/* rollback leaves nothing behind */
	cdb_begin(c, &e);
	cdb_item_add(c, pool, &(struct cdb_kv){ "name", "gone" }, 1, 0, &id, &e);
	cdb_rollback(c);
	CHECK(cdb_item_by_key(c, pool, "gone") == 0, "rolled back item is there");
	cdb_close(c);
}

/* Reopen with a changed schema: a property added, one dropped, data kept. */
static void
test_migration(void)
{
	struct cdb *c = open_db("m.db");
	struct cdb_catalog *cat;
	struct cdb_err e;
	char *text;
	int rc;

	CHECK(add(c, "/ip/pool", "name=keep ranges=10.1.0.2-10.1.0.9 comment=hello", &e) == 0,
	      "%s", e.msg);
	if (asprintf(&text, "%s\nmenu /ip/pool2 list key=name\nprop name string\n",
		     cdb_schema_text) < 0)
		return;
	/* the pool menu loses next-pool and gains size */
	char *p = strstr(text, "prop next-pool");
	if (p)
		memcpy(p, "prop size-xx  ", 14);
	if ((p = strstr(text, "columns=name,ranges,next-pool")))
		memcpy(p, "columns=name,ranges,name     ", 29);
	rc = cdb_catalog_parse(text, "test", &cat, &e);
	CHECK(rc == 0, "modified schema: %s", e.msg);
	if (!rc) {
		cdb_begin(c, &e);
		CHECK(cdb_migrate(c, cat, &e) == 0, "migrate: %s", e.msg);
		cdb_commit(c, &e);
		CHECK(count(c, "SELECT COUNT(*) FROM ip_pool WHERE name='keep' AND "
			       "ranges='10.1.0.2-10.1.0.9' AND comment='hello'") == 1, "data lost");
		CHECK(count(c, "SELECT COUNT(*) FROM pragma_table_info('ip_pool') WHERE "
			       "name='size-xx'") == 1, "new column missing");
		CHECK(count(c, "SELECT COUNT(*) FROM pragma_table_info('ip_pool') WHERE "
			       "name='next-pool'") == 0, "dropped column still there");
		CHECK(count(c, "SELECT COUNT(*) FROM sqlite_master WHERE name='ip_pool2'") == 1,
		      "new menu has no table");
		cdb_catalog_free(cat);
	}
	free(text);
	cdb_close(c);
}

/* Writers in several processes: every add lands, none is lost. */
static void
test_concurrency(void)
{
	enum { WRITERS = 4, EACH = 40 };
	struct cdb *c = open_db("w.db");
	int status, ok = 1;

	cdb_close(c);
	for (int w = 0; w < WRITERS; w++) {
		if (fork() == 0) {
			struct cdb *cc = open_db("w.db");
			struct cdb_err e;
			char args[64];
			int bad = 0;

			for (int i = 0; i < EACH; i++) {
				snprintf(args, sizeof(args), "name=w%d-%d", w, i);
				bad |= add(cc, "/ppp/secret", args, &e) != 0;
			}
			cdb_close(cc);
			_exit(bad);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		wait(&status);
		ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	c = open_db("w.db");
	CHECK(ok, "a writer failed");
	CHECK(count(c, "SELECT COUNT(*) FROM ppp_secret") == WRITERS * EACH,
	      "lost updates: %lld of %d", count(c, "SELECT COUNT(*) FROM ppp_secret"),
	      WRITERS * EACH);
	CHECK(count(c, "SELECT COUNT(DISTINCT id) FROM ppp_secret") == WRITERS * EACH,
	      "ids not unique");
	cdb_close(c);
}

/* A value's name on the wire comes from the schema, and the console sees
 * only ours; an item's property by name is its value or the default. */
static void
test_wire_names(void)
{
	struct cdb *c = open_db("wire.db");
	const struct cdb_menu *m = cdb_menu_find(c->cat, "/interface/ovpn-client");
	const struct cdb_prop *cp = cdb_prop_find(m, "cipher"), *ap = cdb_prop_find(m, "auth");
	const struct cdb_prop *mode = cdb_prop_find(m, "mode");
	struct cdb_catalog *cat;
	struct cdb_err e;
	char *v[64] = { 0 };
	struct cdb_item it = { .v = v, .nv = m->nprops };

	CHECK(!strcmp(cp->values[7], "blowfish128"), "value with its wire name: %s", cp->values[7]);
	CHECK(!strcmp(cdb_enum_wire(cp, "blowfish128"), "BF-CBC"), "wire name of blowfish128");
	CHECK(!strcmp(cdb_enum_wire(ap, "null"), "none"), "wire name of null");
	CHECK(!cdb_enum_wire(cp, "des") && !cdb_enum_wire(mode, "ip"), "no wire name");
	CHECK(!strcmp(cdb_enum_by_wire(cp, "aes-256-gcm"), "aes256-gcm"), "back, any case");
	CHECK(!cdb_enum_by_wire(cp, "AES-256-CFB"), "an unknown wire name");
	CHECK(cdb_catalog_parse("menu /t list\nprop c enum values=a:A,:B\n", "t", &cat, &e),
	      "an empty value before the colon is refused");
	CHECK(cdb_catalog_parse("menu /t list\nprop c enum values=a:\n", "t", &cat, &e),
	      "an empty wire name is refused");
	v[cdb_prop_index(m, "cipher")] = (char *)"aes128-gcm";
	CHECK(!strcmp(cdb_item_text(m, &it, "cipher"), "aes128-gcm"), "the item's value");
	CHECK(!strcmp(cdb_item_text(m, &it, "auth"), "sha1"), "the default");
	CHECK(!cdb_item_text(m, &it, "user") && !cdb_item_text(m, &it, "no-such"), "unset, none");
	cdb_close(c);
}

int
main(void)
{
	char cmd[128];

	snprintf(dir, sizeof(dir), "/tmp/configdb_test.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_seeds_and_refs();
	test_migration();
	test_concurrency();
	test_wire_names();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	fprintf(stderr, "configdb: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
