/* console_fuzz.c: libFuzzer target for the console language, scripting
 * included (seeds in tests/fuzz/console_seeds/). Each input runs as a batch
 * against one database; every statement commits or rolls back, so the
 * database stays consistent however hostile the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "script.h"

static struct sh sh;
static char dir[] = "/tmp/console_fuzz.XXXXXX";

/* libFuzzer leaves through exit(): take the database along */
static void
cleanup(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s: can not remove %s\n", __FILE__, dir);
}

static void
setup(void)
{
	char path[64];
	struct cdb_err e;

	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/config.db", dir);
	if (cdb_open(path, &sh.db, &e))
		abort();
	sh.out = fopen("/dev/null", "w");
	sh.keep_going = 1;
	sh.cwd = cdb_menu_find(sh.db->cat, "/");
	sc_set_limits(&sh, 0, 20000);	/* no :delay, short loops: keep it fast */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sh.db)
		setup();
	if (size > 65536)
		return 0;
	sh.cwd = cdb_menu_find(sh.db->cat, "/");
	sh_run_text(&sh, (const char *)data, size);
	return 0;
}
