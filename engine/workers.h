/* workers.h: the threads that carry UDP servers' data packets, one per
 * core (workers.c). The control thread (the loop, configuration, every
 * handshake) runs only while every worker is paused between two wake-ups,
 * so the code it runs needs no locks; workers run between the control
 * thread's wake-ups, each on its own peers only. */
#ifndef WORKERS_H
#define WORKERS_H

#include <stddef.h>
#include <stdint.h>

struct loop;

/* Start n workers (n < 2: none, the data path stays on the loop). The
 * caller holds them paused from then on, but while the loop waits. 0, or -1
 * with errno set. */
int workers_start(struct loop *control, int n);
/* The control thread's last word: the workers end and are joined. */
void workers_stop(void);
/* How many there are (0: none). */
int workers_count(void);
/* This thread's worker index, or -1 on the control thread. */
int worker_self(void);

/* A descriptor a worker watches; fn runs on that worker. Control thread
 * only; a removed one is never called again, even for an event that
 * worker had already taken. */
typedef void (*worker_fn)(void *ctx, uint32_t events);
int worker_watch(int idx, int fd, worker_fn fn, void *ctx);
void worker_unwatch(int idx, int fd);

/* From a worker: have fn(ctx, data, len) run on the control thread, data
 * copied; dropped without memory. workers_forget() drops what is queued
 * for ctx (control thread: ctx is going away). */
typedef void (*worker_later_fn)(void *ctx, const void *data, size_t len);
void worker_defer(worker_later_fn fn, void *ctx, const void *data, size_t len);
void workers_forget(void *ctx);

#endif
