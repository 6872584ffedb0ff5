/* computed.c: properties whose value is a fact of the running program or
 * machine (/system resource), declared `computed` in the schema and filled
 * when an item is read, never stored: an uptime written to the database
 * would be wrong a second later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "db_int.h"

/* A first line of a small file, without its newline; NULL if none. */
static char *
first_line(const char *path)
{
	char buf[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf[0] ? strdup(buf) : NULL;
}

/* Bytes as RouterOS prints memory: 1987.3MiB. */
static char *
mib(unsigned long long bytes)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.1fMiB", (double)bytes / (1024.0 * 1024.0));
	return strdup(buf);
}

static char *
number(long long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", n);
	return strdup(buf);
}

/* The board: the firmware's product name on a PC, the device tree's model
 * on a board computer, else what uname calls the machine. */
static char *
board_name(const struct utsname *u)
{
	char *s = first_line("/sys/class/dmi/id/product_name");

	if (!s)
		s = first_line("/proc/device-tree/model");
	return s ? s : strdup(u->machine);
}

/* The value of a computed property by its name; NULL for a name this
 * program does not compute (the schema and this table disagree). */
static char *
computed(const char *name)
{
	struct sysinfo si;
	struct utsname u;

	if (sysinfo(&si) || uname(&u))
		return NULL;
	if (!strcmp(name, "version"))
		return strdup(PACKAGE_VERSION);
	if (!strcmp(name, "uptime"))
		return cdb_fmt_time(si.uptime);
	if (!strcmp(name, "cpu-count"))
		return number(sysconf(_SC_NPROCESSORS_ONLN));
	if (!strcmp(name, "total-memory"))
		return mib((unsigned long long)si.totalram * si.mem_unit);
	if (!strcmp(name, "free-memory"))
		return mib((unsigned long long)si.freeram * si.mem_unit);
	if (!strcmp(name, "architecture-name"))
		return strdup(u.machine);
	if (!strcmp(name, "board-name"))
		return board_name(&u);
	return NULL;
}

void
cdb_computed_fill(const struct cdb_menu *m, struct cdb_item_list *l)
{
	for (int i = 0; i < m->nprops; i++) {
		if (!(m->props[i].flags & P_COMPUTED))
			continue;
		for (int j = 0; j < l->n; j++) {
			if (i >= l->items[j].nv)
				continue;
			free(l->items[j].v[i]);
			l->items[j].v[i] = computed(m->props[i].name);
		}
	}
}
