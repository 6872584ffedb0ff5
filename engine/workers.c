/* workers.c: the data path's threads. Each worker has its own epoll, a
 * UDP socket per server (SO_REUSEPORT: the kernel keeps one client on one
 * socket) and the tun of every peer it owns. The control thread holds
 * every worker's mutex except while its loop waits (loop_guard), and a
 * worker holds its own while it handles a wake-up: so the control thread
 * always runs alone, as it did before workers, and a worker only ever
 * meets other workers, each on peers of its own. What a worker must not do
 * (handshakes, the log, ending a session) it queues for the control
 * thread, which an eventfd wakes. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "workers.h"

#define LATER_MAX 8192		/* queued for the control thread, then dropped */

struct wwatch {
	worker_fn fn;
	void *ctx;
};

struct worker {
	pthread_t th;
	int idx, ep;
	pthread_mutex_t mu;
	atomic_int want;		/* the control thread waits for mu */
	atomic_int wants;		/* this worker waits for mu, events in hand */
	unsigned gen;			/* bumped by every unwatch (under mu) */
	struct wwatch **watches;	/* indexed by fd */
	int nwatches;
};

struct later {
	struct later *next;
	worker_later_fn fn;
	void *ctx;
	size_t len;
	unsigned char data[];
};

static struct {
	struct worker *w;
	int n;
	atomic_int stop;
	int stopfd;			/* readable once stopping: every worker wakes */
	struct loop *control;
	pthread_mutex_t mu;		/* the queue below */
	struct later *head, **tail;
	int count;
	int efd;			/* wakes the control thread */
} ws = { .mu = PTHREAD_MUTEX_INITIALIZER, .stopfd = -1, .efd = -1 };

static _Thread_local int self = -1;

int
workers_count(void)
{
	return ws.n;
}

int
worker_self(void)
{
	return self;
}

/* The control thread's turn: every worker between two wake-ups. A worker
 * with events in hand goes first, as each gives way to the control thread:
 * a busy loop (a storm of handshakes) does not starve the data path, nor
 * a flood of data the loop. */
static void
pause_all(void)
{
	for (int i = 0; i < ws.n; i++) {
		while (atomic_load(&ws.w[i].wants))
			sched_yield();
		atomic_fetch_add(&ws.w[i].want, 1);
		pthread_mutex_lock(&ws.w[i].mu);
		atomic_fetch_sub(&ws.w[i].want, 1);
	}
}

static void
resume_all(void)
{
	for (int i = ws.n - 1; i >= 0; i--)
		pthread_mutex_unlock(&ws.w[i].mu);
}

static void
dispatch(struct worker *w, const struct epoll_event *ev)
{
	int fd = ev->data.fd;

	if (fd >= 0 && fd < w->nwatches && w->watches[fd])
		w->watches[fd]->fn(w->watches[fd]->ctx, ev->events);
}

static void
log_now(void *ctx, const void *data, size_t len)
{
	const char *tp = data;
	size_t a = strnlen(tp, len);

	(void)ctx;
	if (a < len)
		log_store(tp, tp + a + 1);
}

/* A worker's log line goes to stderr at once, to /log from the control
 * thread (configdb is not shared between threads). */
static void
log_later(const char *tp, const char *msg)
{
	size_t a = strlen(tp) + 1, b = strlen(msg) + 1;
	char buf[1200];

	if (a + b > sizeof(buf))
		return;
	memcpy(buf, tp, a);
	memcpy(buf + a, msg, b);
	worker_defer(log_now, NULL, buf, a + b);
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[64];
	char name[16];

	self = w->idx;
	snprintf(name, sizeof(name), "roshd-dp%d", w->idx);
	pthread_setname_np(pthread_self(), name);	/* for top -H and bench/cores.sh */
	log_thread_defer(log_later);
	pthread_mutex_lock(&w->mu);
	while (!atomic_load(&ws.stop)) {
		unsigned seen = w->gen;
		int n;

		pthread_mutex_unlock(&w->mu);
		/* an unlocked mutex is no turn given: let the waiting control
		 * thread take it before this worker does again */
		while (atomic_load(&w->want))
			sched_yield();
		n = epoll_wait(w->ep, evs, 64, -1);
		atomic_store(&w->wants, 1);
		pthread_mutex_lock(&w->mu);
		atomic_store(&w->wants, 0);
		/* a watch removed since the wait may be among these events;
		 * they are level-triggered: the live ones come back */
		if (n <= 0 || w->gen != seen)
			continue;
		for (int i = 0; i < n; i++)
			dispatch(w, &evs[i]);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* The queue, one item at a time: an item may make workers_forget() drop
 * the ones after it. */
static void
on_later(void *ctx, uint32_t events)
{
	uint64_t v;

	(void)ctx;
	(void)events;
	if (read(ws.efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	for (;;) {
		struct later *l;

		pthread_mutex_lock(&ws.mu);
		if ((l = ws.head) && !(ws.head = l->next))
			ws.tail = &ws.head;
		ws.count -= !!l;
		pthread_mutex_unlock(&ws.mu);
		if (!l)
			break;
		l->fn(l->ctx, l->data, l->len);
		free(l);
	}
}

void
worker_defer(worker_later_fn fn, void *ctx, const void *data, size_t len)
{
	struct later *l;
	uint64_t one = 1;
	int first;

	pthread_mutex_lock(&ws.mu);
	if (ws.count >= LATER_MAX || !(l = malloc(sizeof(*l) + len))) {
		pthread_mutex_unlock(&ws.mu);
		return;		/* as a full socket buffer drops */
	}
	*l = (struct later){ NULL, fn, ctx, len };
	memcpy(l->data, data, len);
	first = !ws.head;
	*ws.tail = l;
	ws.tail = &l->next;
	ws.count++;
	pthread_mutex_unlock(&ws.mu);
	if (first && write(ws.efd, &one, sizeof(one)) < 0)
		return;	/* the counter is full: the control thread is awake anyway */
}

void
workers_forget(void *ctx)
{
	pthread_mutex_lock(&ws.mu);
	ws.tail = &ws.head;
	for (struct later **lp = &ws.head; *lp;) {
		struct later *l = *lp;

		if (l->ctx == ctx) {
			*lp = l->next;
			ws.count--;
			free(l);
			continue;
		}
		lp = &l->next;
		ws.tail = &l->next;
	}
	pthread_mutex_unlock(&ws.mu);
}

int
worker_watch(int idx, int fd, worker_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	struct worker *w;
	struct wwatch *wt;

	if (idx < 0 || idx >= ws.n || fd < 0)
		return -1;
	w = &ws.w[idx];
	if (fd >= w->nwatches) {
		int n = fd + 64;
		struct wwatch **nw = realloc(w->watches, sizeof(*nw) * n);

		if (!nw)
			return -1;
		memset(nw + w->nwatches, 0, sizeof(*nw) * (n - w->nwatches));
		w->watches = nw;
		w->nwatches = n;
	}
	if (!(wt = malloc(sizeof(*wt))))
		return -1;
	*wt = (struct wwatch){ fn, ctx };
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev)) {
		free(wt);
		return -1;
	}
	free(w->watches[fd]);
	w->watches[fd] = wt;
	return 0;
}

void
worker_unwatch(int idx, int fd)
{
	struct worker *w;

	if (idx < 0 || idx >= ws.n)
		return;
	w = &ws.w[idx];
	if (fd < 0 || fd >= w->nwatches || !w->watches[fd])
		return;
	epoll_ctl(w->ep, EPOLL_CTL_DEL, fd, NULL);
	free(w->watches[fd]);
	w->watches[fd] = NULL;
	w->gen++;
}

static int
worker_init(struct worker *w, int idx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = ws.stopfd };

	w->idx = idx;
	pthread_mutex_init(&w->mu, NULL);
	if ((w->ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	return epoll_ctl(w->ep, EPOLL_CTL_ADD, ws.stopfd, &ev);
}

int
workers_start(struct loop *control, int n)
{
	if (n < 2)
		return 0;
	ws.tail = &ws.head;
	ws.control = control;
	if ((ws.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (ws.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    loop_add(control, ws.efd, EPOLLIN, on_later, NULL) ||
	    !(ws.w = calloc((size_t)n, sizeof(*ws.w))))
		return -1;
	for (int i = 0; i < n; i++) {
		if (worker_init(&ws.w[i], i))
			return -1;
		pthread_mutex_lock(&ws.w[i].mu);	/* paused from the start */
		ws.n = i + 1;
		if ((errno = pthread_create(&ws.w[i].th, NULL, run, &ws.w[i]))) {
			pthread_mutex_unlock(&ws.w[i].mu);
			ws.n = i;
			return -1;
		}
	}
	loop_guard(control, pause_all, resume_all);
	log_msg(LOG_INFO, "system", "data path on %d worker threads", n);
	return 0;
}

void
workers_stop(void)
{
	uint64_t one = 1;
	int n = ws.n;

	if (!n)
		return;
	atomic_store(&ws.stop, 1);
	if (write(ws.stopfd, &one, sizeof(one)) < 0)
		log_msg(LOG_WARN, "system", "workers: %s", strerror(errno));
	loop_guard(ws.control, NULL, NULL);
	resume_all();
	for (int i = 0; i < n; i++)
		pthread_join(ws.w[i].th, NULL);
	ws.n = 0;
	workers_forget(NULL);
	while (ws.head)
		workers_forget(ws.head->ctx);
	loop_del(ws.control, ws.efd);
	for (int i = 0; i < n; i++) {
		for (int fd = 0; fd < ws.w[i].nwatches; fd++)
			free(ws.w[i].watches[fd]);
		free(ws.w[i].watches);
		close(ws.w[i].ep);
		pthread_mutex_destroy(&ws.w[i].mu);
	}
	free(ws.w);
	ws.w = NULL;
	close(ws.efd);
	close(ws.stopfd);
}
