/* loop.c: epoll and timers. Timers are few (a handful per session) and kept
 * in an array scanned for the earliest; a heap can replace it when a
 * thousand sessions make the scan show in a profile. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

struct watch {
	int fd;
	loop_fd_fn fn;
	void *ctx;
};

struct timer {
	uint64_t when;
	loop_timer_fn fn;
	void *ctx;
};

struct loop {
	int ep;
	int stop;
	struct watch **watches;		/* indexed by fd */
	int nwatches;
	struct timer *timers;
	int ntimers, captimers;
	void (*enter)(void), (*leave)(void);
};

uint64_t
loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *
loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if ((l->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		free(l);
		return NULL;
	}
	return l;
}

void
loop_free(struct loop *l)
{
	if (!l)
		return;
	for (int i = 0; i < l->nwatches; i++)
		free(l->watches[i]);
	free(l->watches);
	free(l->timers);
	close(l->ep);
	free(l);
}

int
loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	struct watch *w;

	if (fd < 0)
		return -1;
	if (fd >= l->nwatches) {
		int n = fd + 64;

		l->watches = realloc(l->watches, sizeof(*l->watches) * n);
		memset(l->watches + l->nwatches, 0, sizeof(*l->watches) * (n - l->nwatches));
		l->nwatches = n;
	}
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev))
		return -1;
	w = calloc(1, sizeof(*w));
	*w = (struct watch){ fd, fn, ctx };
	free(l->watches[fd]);
	l->watches[fd] = w;
	return 0;
}

int
loop_mod(struct loop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev);
}

void
loop_del(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nwatches || !l->watches[fd])
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
	free(l->watches[fd]);
	l->watches[fd] = NULL;
}

void
loop_timer(struct loop *l, uint64_t when, loop_timer_fn fn, void *ctx)
{
	for (int i = 0; i < l->ntimers; i++) {
		if (l->timers[i].fn != fn || l->timers[i].ctx != ctx)
			continue;
		if (when)
			l->timers[i].when = when;
		else
			l->timers[i] = l->timers[--l->ntimers];
		return;
	}
	if (!when)
		return;
	if (l->ntimers == l->captimers) {
		l->captimers = l->captimers ? l->captimers * 2 : 64;
		l->timers = realloc(l->timers, sizeof(*l->timers) * l->captimers);
	}
	l->timers[l->ntimers++] = (struct timer){ when, fn, ctx };
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}

/* Run the timers that are due; return ms until the next one (-1: none). */
static int
run_timers(struct loop *l)
{
	uint64_t now = loop_now(), next = UINT64_MAX;

	for (int i = 0; i < l->ntimers;) {
		struct timer t = l->timers[i];

		if (t.when > now) {
			next = t.when < next ? t.when : next;
			i++;
			continue;
		}
		l->timers[i] = l->timers[--l->ntimers];
		t.fn(t.ctx);	/* may add or remove timers: rescan from the start */
		i = 0;
		now = loop_now();
		next = UINT64_MAX;
	}
	if (next == UINT64_MAX)
		return -1;
	return next - now > 60000 ? 60000 : (int)(next - now);
}

void
loop_guard(struct loop *l, void (*enter)(void), void (*leave)(void))
{
	l->enter = enter;
	l->leave = leave;
}

void
loop_run(struct loop *l)
{
	struct epoll_event evs[64];

	while (!l->stop) {
		int wait = run_timers(l), n;

		if (l->stop)
			break;
		if (l->leave)
			l->leave();
		n = epoll_wait(l->ep, evs, 64, wait);
		if (l->enter)
			l->enter();
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd < l->nwatches && l->watches[fd])
				l->watches[fd]->fn(l->watches[fd]->ctx, evs[i].events);
		}
	}
}
