/* cpu_load.c: the load of each processor, as /system resource cpu and
 * cpu-load show it: the share of the time between two readings of
 * /proc/stat that the processor was busy. RouterOS shows the last second;
 * a console that read /proc/stat less than a second ago reuses that
 * reading, otherwise it waits a fifth of a second for a second one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"

#define MAXCPU 512

struct ticks {
	unsigned long long busy, irq, iowait, total;
};

struct sample {
	double when;			/* CLOCK_MONOTONIC seconds, 0: none */
	int n;				/* processors; [0] is the sum, [1 + k] is cpuk */
	int id[MAXCPU + 1];		/* the kernel's number of each */
	struct ticks t[MAXCPU + 1];
};

static struct sample last;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One "cpu" or "cpuN" line: user nice system idle iowait irq softirq steal. */
static int
parse_line(const char *line, int *id, struct ticks *t)
{
	unsigned long long v[8] = { 0 };
	char name[16];

	if (sscanf(line, "%15s %llu %llu %llu %llu %llu %llu %llu %llu", name, &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 5 || strncmp(name, "cpu", 3))
		return -1;
	*id = name[3] ? atoi(name + 3) : -1;
	t->irq = v[5] + v[6];
	t->iowait = v[4];
	t->busy = v[0] + v[1] + v[2] + t->irq + v[7];
	t->total = t->busy + v[3] + v[4];
	return 0;
}

static int
read_stat(struct sample *s)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -1;
	s->n = 0;
	while (fgets(line, sizeof(line), f) && s->n <= MAXCPU)
		if (!parse_line(line, &s->id[s->n], &s->t[s->n]))
			s->n++;
	fclose(f);
	s->when = now();
	return s->n ? 0 : -1;
}

static int
percent(unsigned long long part, unsigned long long whole)
{
	return whole ? (int)((part * 100 + whole / 2) / whole) : 0;
}

/* Fills out[k] for the first n slots ([0] the whole machine); returns the
 * number of processors plus one, or -1 when /proc/stat can not be read. */
int
cdb_cpu_load(struct cdb_cpu_load *out, int n)
{
	struct sample cur;
	int k;

	if (!last.when || now() - last.when > 1.0 || now() - last.when < 0.1) {
		if (read_stat(&last))
			return -1;
		nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	}
	if (read_stat(&cur))
		return -1;
	for (k = 0; k < cur.n && k < n; k++) {
		struct ticks d = cur.t[k], p = k < last.n ? last.t[k] : (struct ticks){ 0 };
		unsigned long long total = d.total - p.total;

		out[k].cpu = cur.id[k];
		out[k].load = percent(d.busy - p.busy, total);
		out[k].irq = percent(d.irq - p.irq, total);
		out[k].disk = percent(d.iowait - p.iowait, total);
	}
	last = cur;
	return cur.n;
}
