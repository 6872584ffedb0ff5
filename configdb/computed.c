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

/* The processor's model as /proc/cpuinfo names it. */
static char *
cpu_model(void)
{
	char line[256], *v = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && !v && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (c && !strncmp(line, "model name", 10)) {
			c[strcspn(c, "\n")] = 0;
			v = strdup(c + 1 + strspn(c + 1, " \t"));
		}
	}
	if (f)
		fclose(f);
	return v;
}

static char *
pct(int n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d%%", n);
	return strdup(buf);
}

static char *
machine_load(void)
{
	struct cdb_cpu_load l;

	return cdb_cpu_load(&l, 1) > 0 ? pct(l.load) : NULL;
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
	if (!strcmp(name, "cpu"))
		return cpu_model();
	if (!strcmp(name, "cpu-load"))
		return machine_load();
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

static void
set_prop(const struct cdb_menu *m, struct cdb_item *it, const char *name, char *v)
{
	int i = cdb_prop_index(m, name);

	if (i >= 0 && i < it->nv && !it->v[i])
		it->v[i] = v;
	else
		free(v);
}

/* The items of a computed menu (/system resource cpu: one per processor,
 * ids from 1 in the kernel's order); id > 0 keeps that one only. */
int
cdb_computed_rows(const struct cdb_menu *m, long long id, struct cdb_item_list *l,
		  struct cdb_err *e)
{
	struct cdb_cpu_load cpu[513];
	int n = cdb_cpu_load(cpu, 513);

	memset(l, 0, sizeof(*l));
	if (n < 0)
		return cdb_errf(e, "failure: /proc/stat can not be read");
	l->items = calloc(n > 1 ? n - 1 : 1, sizeof(*l->items));
	for (int k = 1; k < n; k++) {
		struct cdb_item *it = &l->items[l->n];
		char name[24];

		if (id > 0 && id != k)
			continue;
		it->id = k;
		it->nv = m->nprops;
		it->v = calloc(m->nprops ? m->nprops : 1, sizeof(char *));
		snprintf(name, sizeof(name), "cpu%d", cpu[k].cpu);
		set_prop(m, it, "cpu", strdup(name));
		set_prop(m, it, "load", pct(cpu[k].load));
		set_prop(m, it, "irq", pct(cpu[k].irq));
		set_prop(m, it, "disk", pct(cpu[k].disk));
		l->n++;
	}
	return 0;
}
