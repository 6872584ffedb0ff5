/* configdb_test.c: the configuration database through its C API: seeds,
 * validation, references both ways, renames, journal, rollback, schema
 * migration, several writers at once without lost updates, and the runtime
 * queue (coalescing, a busy database keeping it). Where it must look at the
 * SQL itself, it goes through configdb/test_sql.c, linked into it alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "configdb.h"
#include "test_sql.h"

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
	return cdb_test_count(c, sql);
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
		CHECK(cdb_test_migrate(c, cat, &e) == 0, "migrate: %s", e.msg);
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

/* The value of property name of the item with this id in menu, as read by
 * c (into buf), or NULL when the item or the value is not there. */
static const char *
value_of(struct cdb *c, const char *menu, long long id, const char *name, char *buf,
	 size_t len)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, menu);
	struct cdb_item_list l;
	struct cdb_err e;
	const char *v = NULL;

	if (!m || cdb_item_list(c, m, &l, &e))
		return NULL;
	for (int i = 0; i < l.n; i++)
		if (l.items[i].id == id && (v = cdb_item_value(m, &l.items[i], cdb_prop_index(m, name))))
			snprintf(buf, len, "%s", v);
	cdb_item_list_free(&l);
	return v ? buf : NULL;
}

static int
rows(struct cdb *c, const char *menu)
{
	struct cdb_item_list l;
	struct cdb_err e;
	int n;

	if (cdb_item_list(c, cdb_menu_find(c->cat, menu), &l, &e))
		return -1;
	n = l.n;
	cdb_item_list_free(&l);
	return n;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* /log holds the line msg. */
static int
has_line(struct cdb *c, const char *msg)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM log WHERE message = '%s'", msg);
	return count(c, sql) == 1;
}

/* A row made and gone before a flush costs nothing; /log keeps a thousand;
 * a reset empties the runtime views and starts the ids again. */
static void
test_runtime_reset(struct cdb *c, struct cdb *other, long long act)
{
	long long id = cdb_rt_new_id(c);
	struct cdb_err e;
	char msg[32];

	cdb_rt_put(c, "/ppp/active", id, &(struct cdb_kv){ "name", "bob" }, 1);
	cdb_rt_del(c, "/ppp/active", id);
	CHECK(cdb_rt_pending(c) == 0, "a row made and gone still waits: %d", cdb_rt_pending(c));
	for (int i = 0; i < CDB_LOG_QUEUE + 5; i++) {
		snprintf(msg, sizeof(msg), "line %d", i);
		cdb_rt_log(c, "system,info", msg);
	}
	CHECK(cdb_rt_pending(c) == CDB_LOG_QUEUE, "log lines waiting: %d", cdb_rt_pending(c));
	CHECK(cdb_rt_flush(c, &e) == 0, "log flush: %s", e.msg);
	/* the memory action's memory-lines, 1000 by default */
	CHECK(rows(other, "/log") == 1000, "/log holds %d rows", rows(other, "/log"));
	snprintf(msg, sizeof(msg), "line %d", CDB_LOG_QUEUE + 4);
	CHECK(count(other, "SELECT COUNT(*) FROM log WHERE buffer = 'memory'") == 1000,
	      "the lines are not the memory buffer's");
	CHECK(has_line(other, msg), "newest line missing");
	cdb_rt_reset(c);
	CHECK(cdb_rt_new_id(c) == CDB_RT_ID_BASE + 1, "ids do not start again after a reset");
	CHECK(cdb_rt_flush(c, &e) == 0, "reset flush: %s", e.msg);
	CHECK(rows(other, "/ppp/active") == 0 && count(other, "SELECT COUNT(*) FROM rt_interface") == 0,
	      "runtime rows left after a reset (%lld)", (long long)act);
	CHECK(rows(other, "/log") == 1000, "a reset took /log");
}

static int woken;

static void
wake(void *ctx)
{
	(void)ctx;
	woken++;
}

/* Writes of one row fold into one; reads through the writer see them. */
static void
queue_rows(struct cdb *c, long long *act, long long *ifc, long long sched)
{
	struct cdb_kv active[] = { { "name", "alice" }, { "service", "ovpn" },
				   { "address", "10.0.0.2" }, { "uptime", "0s" }, { "running", "yes" } };
	struct cdb_kv iface[] = { { "name", "tun9" }, { "type", "ovpn-in" }, { "dynamic", "yes" },
				  { "running", "yes" }, { "rx-byte", "0" } };
	char buf[64];

	cdb_rt_notify(c, wake, NULL);
	*act = cdb_rt_new_id(c);
	*ifc = cdb_rt_new_id(c);
	CHECK(*act > CDB_RT_ID_BASE && *ifc > *act, "runtime ids %lld %lld", *act, *ifc);
	CHECK(cdb_rt_put(c, "/ppp/active", *act, active, 5) == 0, "put /ppp/active");
	CHECK(woken == 1, "no wake-up for the first write (%d)", woken);
	cdb_rt_put(c, "/ppp/active", *act, &(struct cdb_kv){ "uptime", "1s" }, 1);
	cdb_rt_put(c, "/ppp/active", *act, &(struct cdb_kv){ "uptime", "2s" }, 1);
	CHECK(cdb_rt_put(c, "/interface", *ifc, iface, 5) == 0, "put /interface");
	for (int i = 1; i <= 3; i++) {
		snprintf(buf, sizeof(buf), "%d", i * 1000);
		cdb_rt_put(c, "/interface", *ifc, &(struct cdb_kv){ "rx-byte", buf }, 1);
	}
	CHECK(cdb_rt_log(c, "system,info", "queued hello") == 0, "log");
	CHECK(cdb_rt_put(c, "/system/scheduler", sched, &(struct cdb_kv){ "run-count", "3" }, 1) == 0,
	      "put run-count");
	CHECK(cdb_rt_put(c, "/system/scheduler", sched, &(struct cdb_kv){ "name", "x" }, 1) == -1,
	      "a configuration property written as runtime state");
	CHECK(cdb_rt_pending(c) == 4, "writes not folded: %d waiting, want 4", cdb_rt_pending(c));
	CHECK(woken == 1, "woken again while the queue was not empty (%d)", woken);
	CHECK(value_of(c, "/system/scheduler", sched, "run-count", buf, sizeof(buf)) &&
	      !strcmp(buf, "3"), "the writer does not see its own queued run-count");
}

/* A console holding the write lock: the flush returns at once, the queue
 * stays; once the lock goes, one flush writes it all. */
static void
test_runtime_queue(void)
{
	struct cdb *c = open_db("r.db"), *other = open_db("r.db");
	long long act, ifc, sched;
	struct cdb_err e;
	char buf[64];
	double t0;
	int rc;

	CHECK(add(other, "/system/scheduler", "name=s1 on-event=x interval=1h", &e) == 0, "%s", e.msg);
	sched = cdb_item_by_key(other, cdb_menu_find(other->cat, "/system/scheduler"), "s1");
	queue_rows(c, &act, &ifc, sched);
	cdb_begin(other, &e);		/* a line begins reading; its first write locks */
	CHECK(cdb_write_lock(other, &e) == 0, "%s", e.msg);
	t0 = now_s();
	rc = cdb_rt_flush(c, &e);
	CHECK(rc == 1 && strstr(e.msg, "busy"), "flush under a lock: %d %s", rc, e.msg);
	CHECK(now_s() - t0 < 0.5, "the flush waited %.2f s for the lock", now_s() - t0);
	CHECK(cdb_rt_pending(c) == 4, "a busy flush lost the queue: %d", cdb_rt_pending(c));
	cdb_rollback(other);
	CHECK(value_of(other, "/ppp/active", act, "name", buf, sizeof(buf)) == NULL,
	      "written before the flush");
	rc = cdb_rt_flush(c, &e);
	CHECK(rc == -1 && strstr(e.msg, "1 runtime writes refused"), "refusal not told: %d %s",
	      rc, e.msg);
	CHECK(cdb_rt_pending(c) == 0, "queue not empty after the flush");
	CHECK(value_of(other, "/ppp/active", act, "uptime", buf, sizeof(buf)) && !strcmp(buf, "2s"),
	      "/ppp/active uptime: %s", buf);
	CHECK(value_of(other, "/interface", ifc, "rx-byte", buf, sizeof(buf)) && !strcmp(buf, "3000"),
	      "/interface rx-byte: %s", buf);
	CHECK(value_of(other, "/interface", ifc, "running", buf, sizeof(buf)) && !strcmp(buf, "yes"),
	      "/interface running: %s", buf);
	CHECK(value_of(other, "/system/scheduler", sched, "run-count", buf, sizeof(buf)) &&
	      !strcmp(buf, "3"), "run-count: %s", buf);
	CHECK(count(other, "SELECT COUNT(*) FROM log WHERE message = 'queued hello'") == 1,
	      "/log line not written");
	/* a later write updates the row; a delete takes it */
	cdb_rt_put(c, "/ppp/active", act, &(struct cdb_kv){ "uptime", "3s" }, 1);
	cdb_rt_del(c, "/interface", ifc);
	CHECK(cdb_rt_flush(c, &e) == 0, "second flush: %s", e.msg);
	CHECK(value_of(other, "/ppp/active", act, "uptime", buf, sizeof(buf)) && !strcmp(buf, "3s"),
	      "update after insert: %s", buf);
	CHECK(value_of(other, "/interface", ifc, "name", buf, sizeof(buf)) == NULL, "row not deleted");
	test_runtime_reset(c, other, act);
	cdb_close(other);
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
	test_runtime_queue();
	test_wire_names();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	fprintf(stderr, "configdb: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
