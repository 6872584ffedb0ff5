/* rest_req_fuzz.c: libFuzzer target for REST requests (rest_req.c): the
 * path, the URL's arguments and the JSON body become console statements
 * run against one database, and whatever arrives must end in a JSON answer
 * with an HTTP status, never in a crash or in code run from a value.
 * Input, as the HTTP server would hand it over once decoded:
 *   METHOD PATH[?KEY=VALUE&KEY=VALUE...]\n
 *   BODY
 * The database starts with a few items so that names, ids and queries
 * find something (seeds in tests/fuzz/rest_req_seeds/). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "rest.h"

#define SETUP "/ip pool add name=p1 ranges=10.0.0.2-10.0.0.9\n" \
	"/ppp profile add name=prof local-address=10.0.0.1 remote-address=p1\n" \
	"/ppp secret add name=u1 password=x profile=prof comment=first\n" \
	"/ppp secret add name=u2 password=y disabled=yes\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sh sh;
static char dir[] = "/tmp/rest_req_fuzz.XXXXXX";

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
	sh_run_text(&sh, SETUP, strlen(SETUP));
}

/* KEY=VALUE&... as the server's argument callback collects them. */
static void
url_args(char *q, struct val *args)
{
	char *save = NULL;

	val_array(args);
	for (char *kv = strtok_r(q, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		struct val v = { 0 };

		if (!eq || val_count(args) >= 64)
			continue;	/* "?x" alone narrows nothing */
		*eq = '\0';
		val_str(&v, eq + 1);
		val_push(args, kv, &v);
	}
}

static int
json_answer(const char *json, int status)
{
	return json && (status == 204 || json[0] == '{' || json[0] == '[' || json[0] == '\0') &&
	       status >= 200 && status < 600;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *path, *q, *json, none[1] = "";
	const char *nl, *body;
	struct val args = { 0 };
	size_t blen;
	int status = 0;

	if (!sh.db)
		setup();
	if (size > 65536 || !(nl = memchr(data, '\n', size)))
		return 0;
	line = strndup((const char *)data, (size_t)(nl - (const char *)data));
	body = nl + 1;
	blen = size - (size_t)(body - (const char *)data);
	path = strchr(line, ' ');
	if (!path || strlen(line) != (size_t)(nl - (const char *)data)) {
		free(line);	/* no method, or a NUL the server would not pass */
		return 0;
	}
	*path++ = '\0';
	if ((q = strchr(path, '?')))
		*q++ = '\0';
	url_args(q ? q : none, &args);
	sh.cwd = cdb_menu_find(sh.db->cat, "/");
	json = rest_handle(&sh, line, path, &args, blen ? body : NULL, blen, &status);
	if (!json_answer(json, status))
		abort();
	free(json);
	val_free(&args);
	free(line);
	return 0;
}
