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
static _Thread_local void (*defer)(const char *tp, const char *msg);

void
log_thread_defer(void (*fn)(const char *tp, const char *msg))
{
	defer = fn;
}

void
log_store(const char *tp, const char *msg)
{
	if (logdb)
		cdb_rt_log(logdb, tp, msg);
}

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
	if (defer)
		defer(tp, msg);
	else
		log_store(tp, msg);
}
