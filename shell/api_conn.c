/* api_conn.c: one API connection, in its own process: read sentences
 * (plain or through wolfSSL), require /login first, run each sentence, keep
 * streaming listens, and close on a broken sentence or when idle. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "api.h"
#include "api_conn.h"
#include "login.h"
#include "script.h"

#define POLL_MS		300	/* how often listens look for changes */
#define READ_CHUNK	16384

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int
conn_write(struct api_conn *c, const unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t k = c->ssl ? wolfSSL_write(c->ssl, b, (int)(n > 65536 ? 65536 : n)) :
			write(c->fd, b, n);

		if (k <= 0) {
			if (!c->ssl && k < 0 && errno == EINTR)
				continue;
			return -1;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
flush_out(struct api_conn *c, struct api_out *o)
{
	int rc = o->len ? conn_write(c, o->b, o->len) : 0;

	o->len = 0;
	return rc;
}

static void
fatal(struct api_conn *c, struct api_out *o, const char *why)
{
	api_out_str(o, "!fatal");
	api_out_str(o, why);
	api_out_end(o);
	flush_out(c, o);
}

/* The journal names the session's changes as the console does, "user[pid]",
 * with the service and address beside it. */
static void
name_session(struct api_conn *c)
{
	char *session;

	if (asprintf(&session, "%s[%ld] via %s from %s", c->user, (long)getpid(), c->service,
		     c->addr) < 0)
		return;
	free(c->sh->db->session);
	c->sh->db->session = session;
}

/* /login =name= =password=: 0 logged in, -1 refused (the trap is written). */
static int
login(struct api_conn *c, const struct api_sentence *s, struct api_out *o)
{
	const char *name = api_attr(s, "name"), *pw = api_attr(s, "password");
	int delay = 0;

	if (!name || !*name) {
		api_reply_trap(o, api_tag(s), "invalid user name or password (6)");
		return -1;
	}
	/* the session keeps the name; the sentence goes */
	free(c->user);
	c->user = strdup(name);
	if (sh_login(c->sh, c->user, pw ? pw : "", c->addr, c->service, &delay)) {
		if (delay > 0)
			usleep((useconds_t)(delay > 10000 ? 10000 : delay) * 1000);
		api_reply_trap(o, api_tag(s), c->sh->err[0] ? api_err(c->sh) :
			       "invalid user name or password (6)");
		return -1;
	}
	c->logged_in = 1;
	name_session(c);
	api_reply_done(o, api_tag(s), NULL);
	return 0;
}

/* One sentence: 0 go on, -1 close. */
static int
sentence(struct api_conn *c, struct api_sentence *s, struct api_out *o,
	 struct api_listens *ls)
{
	if (!strcmp(s->w[0], "/login")) {
		if (c->logged_in)
			api_reply_done(o, api_tag(s), NULL);
		else
			login(c, s, o);
	} else if (!c->logged_in) {
		fatal(c, o, "not logged in");
		return -1;
	} else if (!strcmp(s->w[0], "/quit")) {
		fatal(c, o, "session terminated on request");
		return -1;
	} else {
		api_cmd_run(c->sh, s, o, ls);
		api_listens_touch(ls);
	}
	return flush_out(c, o);
}

/* Read what is there: >0 bytes added, 0 closed, -1 error. */
static ssize_t
conn_read(struct api_conn *c, unsigned char *b, size_t n)
{
	if (c->ssl) {
		int k = wolfSSL_read(c->ssl, b, (int)n);

		if (k > 0)
			return k;
		k = wolfSSL_get_error(c->ssl, k);
		return k == WOLFSSL_ERROR_WANT_READ ? -2 : k == WOLFSSL_ERROR_ZERO_RETURN ? 0 : -1;
	}
	for (;;) {
		ssize_t k = read(c->fd, b, n);

		if (k >= 0 || errno != EINTR)
			return k;
	}
}

/* Run every whole sentence in the buffer: 0 go on, -1 close. */
static int
drain(struct api_conn *c, unsigned char *buf, size_t *have, struct api_out *o,
      struct api_listens *ls, long long *last)
{
	for (;;) {
		struct api_sentence s = { 0 };
		const char *why = NULL;
		size_t used = 0;
		int r = api_sentence_take(buf, *have, &used, &s, &why);

		if (r < 0) {
			fatal(c, o, why);
			return -1;
		}
		if (r == 0)
			return 0;
		memmove(buf, buf + used, *have - used);
		*have -= used;
		if (s.n == 0)
			continue;	/* an empty sentence: no command, no activity */
		*last = now_ms();
		r = sentence(c, &s, o, ls);
		api_sentence_free(&s);
		if (r)
			return -1;
	}
}

static int
idle_limit(const struct api_conn *c)
{
	return c->logged_in ? c->idle_ms : c->login_ms;
}

/* Wait for bytes, a poll tick, or the end: 1 readable, 0 tick, -1 close. */
static int
wait_input(struct api_conn *c, struct api_out *o, long long last, int listening)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	long long left = last + idle_limit(c) - now_ms();
	int r;

	if (c->ssl && wolfSSL_pending(c->ssl) > 0)
		return 1;
	if (left <= 0 || stopping) {
		fatal(c, o, stopping ? "server is shutting down" : "session timed out");
		return -1;
	}
	r = poll(&p, 1, (int)(listening && left > POLL_MS ? POLL_MS : left));
	if (r < 0 && errno != EINTR)
		return -1;
	return r > 0;
}

void
api_conn_run(struct api_conn *c)
{
	static unsigned char buf[API_SENT_BYTES + 16];
	struct api_listens *ls = api_listens_new();
	struct api_out o = { 0 };
	size_t have = 0;
	long long last = now_ms();

	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int r = wait_input(c, &o, last, api_listen_count(ls) > 0);
		ssize_t k;

		if (r < 0)
			break;
		if (api_listen_count(ls) > 0) {
			last = now_ms();	/* a listening client waits, it is not idle */
			api_listen_poll(ls, c->sh, &o);
			if (flush_out(c, &o))
				break;
		}
		if (r == 0)
			continue;
		k = conn_read(c, buf + have, sizeof(buf) - have);
		if (k == -2)
			continue;
		if (k > 0)
			have += (size_t)k;
		if (k <= 0 || drain(c, buf, &have, &o, ls, &last))
			break;
	}
	api_listens_free(ls);
	api_out_free(&o);
}
