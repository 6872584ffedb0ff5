/* log.h: the engine's log: stderr and the /log menu. */
#ifndef ENGINE_LOG_H
#define ENGINE_LOG_H

enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

struct cdb;
void log_init(struct cdb *db, int level);
void log_msg(int level, const char *topics, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A thread other than the loop's hands its lines to fn, which has the
 * loop's thread log_store() them into /log; stderr gets them at once. */
void log_thread_defer(void (*fn)(const char *tp, const char *msg));
void log_store(const char *tp, const char *msg);

#endif
