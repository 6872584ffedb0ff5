/* dns.c: /ip dns servers and dynamic-servers written to the system
 * resolver file, only when set-system-resolver=yes. The file is replaced
 * atomically (temporary file, then rename); the one that was there first
 * is kept beside it as PATH.rosh-orig and put back when the setting goes
 * to no, even across a restart of the engine. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ip.h"
#include "log.h"

#define MENU "/ip/dns"
#define HEADER "# Written by roshd from /ip dns (set-system-resolver=yes): changes here are lost.\n"
#define MAX_FILE 65536

static int warned_remote;

/* The whole of a small file, or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	size_t n;

	if (!f)
		return NULL;
	s = malloc(MAX_FILE + 1);
	n = s ? fread(s, 1, MAX_FILE, f) : 0;
	fclose(f);
	if (s)
		s[n] = '\0';
	return s;
}

static int
write_atomic(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.rosh-tmp", path) >= (int)sizeof(tmp) ||
	    !(f = fopen(tmp, "w")))
		return -1;
	rc = fputs(text, f) < 0;
	rc |= fflush(f) != 0 || fsync(fileno(f)) != 0;
	rc |= fclose(f) != 0;
	if (rc || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* nameserver lines for a comma list, skipping those already written. */
static void
servers(struct cdb_buf *b, const char *list)
{
	char *copy = list ? strdup(list) : NULL, *save = NULL;

	for (char *s = copy ? strtok_r(copy, ",", &save) : NULL; s; s = strtok_r(NULL, ",", &save)) {
		char line[128];

		snprintf(line, sizeof(line), "nameserver %s\n", s);
		if (!b->s || !strstr(b->s, line))
			cdb_buf_add(b, line, strlen(line));
	}
	free(copy);
}

static void
install(const char *path, const char *text)
{
	char orig[4096];
	char *now = slurp(path);

	snprintf(orig, sizeof(orig), "%s.rosh-orig", path);
	if (now && !strcmp(now, text)) {
		free(now);
		return;
	}
	/* keep the admin's file once, before our first write */
	if (now && strncmp(now, HEADER, strlen(HEADER)) && access(orig, F_OK) &&
	    write_atomic(orig, now))
		log_msg(LOG_ERR, "dns", "can not keep %s as %s: %s", path, orig, strerror(errno));
	else if (write_atomic(path, text))
		log_msg(LOG_ERR, "dns", "can not write %s: %s", path, strerror(errno));
	else
		log_msg(LOG_INFO, "dns", "system resolver %s updated", path);
	free(now);
}

/* Switched off: put the kept original back, or remove our own file. */
static void
restore(const char *path)
{
	char orig[4096];
	char *now = slurp(path);

	snprintf(orig, sizeof(orig), "%s.rosh-orig", path);
	if (!access(orig, F_OK)) {
		if (rename(orig, path))
			log_msg(LOG_ERR, "dns", "can not restore %s: %s", path, strerror(errno));
		else
			log_msg(LOG_INFO, "dns", "system resolver %s restored", path);
	} else if (now && !strncmp(now, HEADER, strlen(HEADER))) {
		unlink(path);
	}
	free(now);
}

void
dns_apply(struct engine *e, const char *path)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct cdb_item_list items;
	struct cdb_buf b = { 0 };
	struct cdb_err err;
	const struct cdb_item *it;

	if (!m || !path || cdb_item_list(e->db, m, &items, &err))
		return;
	if (items.n < 1) {
		cdb_item_list_free(&items);
		return;
	}
	it = &items.items[0];
	if (!strcmp(cdb_item_text(m, it, "allow-remote-requests"), "yes")) {
		if (!warned_remote++)
			log_msg(LOG_ERR, "dns", "allow-remote-requests=yes refused: roshd runs no"
				" DNS resolver, remote requests are not answered");
	} else
		warned_remote = 0;
	if (!strcmp(cdb_item_text(m, it, "set-system-resolver"), "yes")) {
		cdb_buf_add(&b, HEADER, strlen(HEADER));
		servers(&b, cdb_item_text(m, it, "servers"));
		servers(&b, cdb_item_text(m, it, "dynamic-servers"));
		install(path, b.s);
	} else
		restore(path);
	free(b.s);
	cdb_item_list_free(&items);
}
