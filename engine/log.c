/* log.c: one line per event to stderr, and the same into /log (configdb
 * queues it with the engine's other runtime writes and keeps the newest
 * thousand rows). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "configdb.h"
#include "log.h"

static struct cdb *logdb;
static int loglevel = LOG_INFO;

void
log_init(struct cdb *db, int level)
{
	logdb = db;
	loglevel = level;
}

void
log_msg(int level, const char *topics, const char *fmt, ...)
{
	static const char *names[] = { "error", "warning", "info", "debug" };
	char msg[1024], when[32], tp[96];
	time_t now = time(NULL);
	va_list ap;

	if (level > loglevel)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
	snprintf(tp, sizeof(tp), "%s,%s", topics, names[level]);
	fprintf(stderr, "%s %s %s\n", when, tp, msg);
	if (logdb)
		cdb_rt_log(logdb, tp, msg);
}
