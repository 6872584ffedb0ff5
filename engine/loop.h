/* loop.h: the engine's event loop: epoll for descriptors, a small timer list
 * for deadlines. Single-threaded; callbacks run to completion. */
#ifndef LOOP_H
#define LOOP_H

#include <stdint.h>

struct loop;
typedef void (*loop_fd_fn)(void *ctx, uint32_t events);
typedef void (*loop_timer_fn)(void *ctx);

struct loop *loop_new(void);
void loop_free(struct loop *l);
/* watch fd for events (EPOLLIN...); one registration per fd */
int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *ctx);
int loop_mod(struct loop *l, int fd, uint32_t events);
void loop_del(struct loop *l, int fd);
/* call fn(ctx) at or after when_ms (monotonic); one timer per ctx+fn pair,
 * setting it again moves it; 0 clears it */
void loop_timer(struct loop *l, uint64_t when_ms, loop_timer_fn fn, void *ctx);
/* Run enter() before the loop's work and leave() before each wait (both
 * NULL: nothing); loop_run() starts and ends entered. workers.c pauses the
 * data path's threads so. */
void loop_guard(struct loop *l, void (*enter)(void), void (*leave)(void));
void loop_run(struct loop *l);
void loop_stop(struct loop *l);
uint64_t loop_now(void);	/* monotonic milliseconds */

#endif
