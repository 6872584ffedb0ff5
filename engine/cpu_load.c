/* cpu_load.c: /system resource cpu, each processor's load over the last
 * second as /proc/stat counts it, written by the engine once a second:
 * with the data path spread over workers (workers.c) the admin sees
 * whether every core carries its share. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

#define CPU_MAX 1024

struct cpu_prev {
	long long id;			/* its /system resource cpu row */
	unsigned long long busy, irq, total;
};

static struct cpu_prev cpus[CPU_MAX];

static void
put(struct engine *e, unsigned n, unsigned long long busy, unsigned long long irq,
    unsigned long long total)
{
	struct cpu_prev *c = &cpus[n];
	char name[16], load[8], irqs[8];
	unsigned long long dt = total - c->total;

	if (c->total && total > c->total && busy >= c->busy && irq >= c->irq) {
		if (!c->id)
			c->id = cdb_rt_new_id(e->db);
		snprintf(name, sizeof(name), "cpu%u", n);
		snprintf(load, sizeof(load), "%llu", (busy - c->busy) * 100 / dt);
		snprintf(irqs, sizeof(irqs), "%llu", (irq - c->irq) * 100 / dt);
		if (c->id > 0)
			cdb_rt_put(e->db, "/system/resource/cpu", c->id,
				   (struct cdb_kv[]){ { "cpu", name }, { "load", load },
						      { "irq", irqs } }, 3);
	}
	c->busy = busy;
	c->irq = irq;
	c->total = total;
}

void
cpu_load_tick(struct engine *e)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };
		unsigned n;

		/* "cpu" alone is the sum of them all */
		if (strncmp(line, "cpu", 3) || !isdigit((unsigned char)line[3]) ||
		    sscanf(line + 3, "%u %llu %llu %llu %llu %llu %llu %llu %llu", &n, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 5 || n >= CPU_MAX)
			continue;
		/* user nice system idle iowait irq softirq steal */
		put(e, n, v[0] + v[1] + v[2] + v[5] + v[6] + v[7], v[5] + v[6],
		    v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]);
	}
	fclose(f);
}
