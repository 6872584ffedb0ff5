/* log.c: one line per event to stderr, and the same into the log table that
 * /log print shows, keeping the newest thousand rows. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include <sqlite3.h>

#include "configdb.h"
#include "log.h"

#define LOG_KEEP_TEXT "1000"	/* rows /log keeps */

static struct cdb *logdb;
static int loglevel = LOG_INFO;

void
log_init(struct cdb *db, int level)
{
	logdb = db;
	loglevel = level;
}

static void
log_store(const char *when, const char *topics, const char *msg)
{
	sqlite3_stmt *st;

	if (!logdb || sqlite3_prepare_v2(logdb->db, "INSERT INTO log(time, topics, message)"
					 " VALUES(?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, when, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, topics, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, msg, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
	sqlite3_exec(logdb->db, "DELETE FROM log WHERE id <= (SELECT MAX(id) FROM log) - "
		     LOG_KEEP_TEXT, NULL, NULL, NULL);
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
	log_store(when, tp, msg);
}
