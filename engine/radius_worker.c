/* radius_worker.c: the threads that wait on RADIUS servers so the loop never
 * does. The loop queues a job; a worker sends it (radius_radcli.c) and puts
 * it on the answered list, and a byte on a pipe wakes the loop, which hands
 * each answer to done(). Several workers take logins, so one dead server
 * does not hold every login up; accounting goes through the first alone, so
 * a session's records leave in the order they were made. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "radius.h"

#define WORKERS 4
#define STOP_GRACE_S 3		/* at exit, accounting still queued gets this long */

static struct {
	pthread_t th[WORKERS];
	int n;				/* threads running */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct radius_job *queue, *answered;
	int busy[WORKERS];		/* sending: not joined at exit */
	int stop;
	time_t deadline;
	int pipe[2];
	void (*done)(struct radius_job *);
	struct engine *eng;
} w = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .pipe = { -1, -1 } };

/* The first job this worker may take off the queue, or NULL. */
static struct radius_job *
take(int me)
{
	for (struct radius_job **jp = &w.queue; *jp; jp = &(*jp)->next)
		if (me == 0 || (*jp)->kind != RADIUS_ACCT) {
			struct radius_job *j = *jp;

			*jp = j->next;
			j->next = NULL;
			return j;
		}
	return NULL;
}

static void *
worker(void *arg)
{
	int me = (int)(intptr_t)arg;

	pthread_mutex_lock(&w.mu);
	for (;;) {
		struct radius_job *j, **tail;

		while (!w.stop && !(j = take(me)))
			pthread_cond_wait(&w.cv, &w.mu);
		/* stopping: accounting still queued is sent for a few seconds,
		 * logins are dropped */
		if (w.stop && !(me == 0 && time(NULL) < w.deadline && (j = take(0))))
			break;
		w.busy[me] = 1;
		pthread_mutex_unlock(&w.mu);
		radius_send(j);
		pthread_mutex_lock(&w.mu);
		w.busy[me] = 0;
		for (tail = &w.answered; *tail; tail = &(*tail)->next)
			;
		*tail = j;
		if (write(w.pipe[1], "", 1) < 0) {
			/* full: the loop has a byte to wake for already */
		}
	}
	pthread_mutex_unlock(&w.mu);
	return NULL;
}

static void
on_answer(void *ctx, uint32_t events)
{
	char buf[64];
	struct radius_job *list, *next;

	(void)ctx;
	(void)events;
	while (read(w.pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&w.mu);
	list = w.answered;
	w.answered = NULL;
	pthread_mutex_unlock(&w.mu);
	for (; list; list = next) {
		next = list->next;
		w.done(list);
	}
}

int
radius_worker_start(void (*done)(struct radius_job *), struct engine *e, char *why,
		    size_t whylen)
{
	if (w.n)
		return 0;
	if (pipe2(w.pipe, O_NONBLOCK | O_CLOEXEC)) {
		snprintf(why, whylen, "no pipe for the RADIUS workers");
		return -1;
	}
	w.done = done;
	w.eng = e;
	w.stop = 0;
	loop_add(e->loop, w.pipe[0], EPOLLIN, on_answer, NULL);
	for (; w.n < WORKERS; w.n++)
		if (pthread_create(&w.th[w.n], NULL, worker, (void *)(intptr_t)w.n))
			break;
	if (!w.n) {
		snprintf(why, whylen, "no thread for the RADIUS workers");
		return -1;
	}
	return 0;
}

void
radius_worker_submit(struct radius_job *j)
{
	struct radius_job **tail;

	pthread_mutex_lock(&w.mu);
	for (tail = &w.queue; *tail; tail = &(*tail)->next)
		;
	*tail = j;
	pthread_cond_broadcast(&w.cv);
	pthread_mutex_unlock(&w.mu);
}

/* At exit: accounting queued is sent (for STOP_GRACE_S, and a request
 * already out waits for its servers' timeouts), then the answers are
 * handed over one last time. A login still waiting on a server is left to
 * end with the process rather than hold the exit up. */
void
radius_worker_stop(void)
{
	int wait[WORKERS];

	if (!w.n)
		return;
	pthread_mutex_lock(&w.mu);
	w.stop = 1;
	w.deadline = time(NULL) + STOP_GRACE_S;
	for (int i = 0; i < w.n; i++)
		wait[i] = i == 0 || !w.busy[i];
	pthread_cond_broadcast(&w.cv);
	pthread_mutex_unlock(&w.mu);
	for (int i = 0; i < w.n; i++)
		if (wait[i])
			pthread_join(w.th[i], NULL);
	w.n = 0;
	on_answer(NULL, 0);
	pthread_mutex_lock(&w.mu);
	for (struct radius_job *j = w.queue, *next; j; j = next) {
		next = j->next;
		free(j);
	}
	w.queue = NULL;
	pthread_mutex_unlock(&w.mu);
	loop_del(w.eng->loop, w.pipe[0]);
}
