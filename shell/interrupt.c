/* interrupt.c: how a command that repeats until stopped (print interval=
 * and follow, monitor, monitor-traffic) learns to stop: Ctrl-C, or q or
 * Ctrl-D typed at a terminal. SIGINT is caught only while one runs, so
 * elsewhere Ctrl-C keeps its meaning for the line editor. */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

static volatile sig_atomic_t stop;
static struct sigaction old;

static void
on_interrupt(int sig)
{
	(void)sig;
	stop = 1;
}

void
sh_stop_catch(void)
{
	struct sigaction sa = { .sa_handler = on_interrupt };

	stop = 0;
	sigaction(SIGINT, &sa, &old);
}

void
sh_stop_release(void)
{
	sigaction(SIGINT, &old, NULL);
}

/* Wait ms, or less when stopped; 1 when the command should end. Input that
 * is not a terminal is a script's, not a person's keys: it is left alone. */
int
sh_wait_or_stop(int ms)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	if (!isatty(STDIN_FILENO)) {
		usleep((useconds_t)ms * 1000);
		return stop;
	}
	if (poll(&p, 1, ms) > 0 && !stop) {
		char k[64];
		ssize_t n = read(STDIN_FILENO, k, sizeof(k));

		if (n <= 0 || memchr(k, 'q', (size_t)n) || memchr(k, 3, (size_t)n) ||
		    memchr(k, 4, (size_t)n))
			stop = 1;
	}
	return stop;
}
