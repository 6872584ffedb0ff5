/* session_script.c: /ppp profile on-up and on-down. A script runs as the
 * scheduler's do, a console child (rosh -c TEXT), so it does what it would
 * typed at the console and the event loop never waits for it: the session
 * goes on whatever the script does. The session's variables are set as
 * locals before the script's text, the way RouterOS gives them. A child
 * has a time limit; what it prints goes to /log, and so does its failure. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "session_script.h"

#define SCRIPT_TIMEOUT_MS 30000	/* a script running longer is killed */
#define SCRIPT_MAX 16		/* children at once; more are refused */
#define SCRIPT_OUT_KEEP 400	/* bytes of a child's output logged */

struct child {
	pid_t pid;			/* 0: free slot */
	int fd;				/* its stdout and stderr */
	uint64_t deadline;
	char what[96];			/* "on-up of alice" */
	char out[SCRIPT_OUT_KEEP + 1];
	size_t outlen;
};

static struct {
	struct loop *loop;
	struct child kids[SCRIPT_MAX];
} run;

/* A string literal of the console's language: quotes, backslashes and $
 * escaped; control characters (a user name may hold any) become '?'. */
static void
literal(struct cdb_buf *b, const char *s)
{
	cdb_buf_add(b, "\"", 1);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\' || ch == '$')
			cdb_buf_add(b, "\\", 1);
		if (ch < 0x20 || ch == 0x7f)
			ch = '?';
		cdb_buf_add(b, (const char *)&ch, 1);
	}
	cdb_buf_add(b, "\"", 1);
}

/* The variables take the first line, so the script's own lines keep their
 * numbers less one (renumbered() gives them back in its error). */
static void
local(struct cdb_buf *b, const char *name, const char *value)
{
	cdb_buf_printf(b, ":local \"%s\" ", name);
	literal(b, value ? value : "");
	cdb_buf_add(b, "; ", 2);
}

/* The console's "(line N column M)" at the end of an error, N counted in
 * the script as written. */
static void
renumbered(struct child *k)
{
	char *at = strstr(k->out, "(line "), *next;
	int line, col, n;

	while (at && (next = strstr(at + 1, "(line ")))
		at = next;
	if (!at || sscanf(at, "(line %d column %d)%n", &line, &col, &n) != 2 || line < 2 ||
	    at[n] != '\0')
		return;
	snprintf(at, sizeof(k->out) - (size_t)(at - k->out), "(line %d column %d)", line - 1, col);
	k->outlen = strlen(k->out);
}

/* The profile's event text, or NULL when it has none. A /system script's
 * name stands for its source, as in the scheduler's on-event. */
static char *
event_text(struct engine *e, const char *profile, const char *event)
{
	const struct cdb_menu *pm = cdb_menu_find(e->db->cat, "/ppp/profile");
	const struct cdb_menu *sm = cdb_menu_find(e->db->cat, "/system/script");
	struct cdb_item it = { 0 };
	struct cdb_err err;
	long long id = pm && profile ? cdb_item_by_key(e->db, pm, profile) : 0;
	const char *v;
	char *text = NULL;

	if (id <= 0 || cdb_item_get(e->db, pm, id, &it, &err))
		return NULL;
	if ((v = cdb_item_text(pm, &it, event)) && *v)
		text = strdup(v);
	cdb_item_clear(&it);
	id = text && sm ? cdb_item_by_key(e->db, sm, text) : 0;
	if (id > 0 && !cdb_item_get(e->db, sm, id, &it, &err)) {
		v = cdb_item_text(sm, &it, "source");
		free(text);
		text = strdup(v ? v : "");
		cdb_item_clear(&it);
	}
	return text;
}

static void tick(void *ctx);

static void
drain(struct child *k)
{
	char buf[512];
	ssize_t n;

	while (k->fd >= 0 && (n = read(k->fd, buf, sizeof(buf))) > 0) {
		size_t m = (size_t)n;

		if (m > SCRIPT_OUT_KEEP - k->outlen)
			m = SCRIPT_OUT_KEEP - k->outlen;
		memcpy(k->out + k->outlen, buf, m);
		k->outlen += m;
	}
	k->out[k->outlen] = '\0';
	for (char *nl; (nl = strchr(k->out, '\n'));)
		*nl = ' ';
}

/* One child's end: its output and, when it failed, why. */
static void
ended(struct child *k, int status)
{
	drain(k);
	while (k->outlen && k->out[k->outlen - 1] == ' ')
		k->out[--k->outlen] = '\0';
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		if (k->outlen)
			log_msg(LOG_INFO, "ppp,script", "%s: %s", k->what, k->out);
	} else {
		renumbered(k);
		log_msg(LOG_WARN, "ppp,script", "%s failed: %s", k->what,
			k->outlen ? k->out : "no message");
	}
	close(k->fd);
	memset(k, 0, sizeof(*k));
}

static int
reap(int wait_all)
{
	int left = 0;

	for (int i = 0; i < SCRIPT_MAX; i++) {
		struct child *k = &run.kids[i];
		int status;
		pid_t r;

		if (k->pid <= 0)
			continue;
		drain(k);
		r = waitpid(k->pid, &status, WNOHANG);
		if (r == 0 && (wait_all || loop_now() > k->deadline)) {
			kill(k->pid, SIGKILL);
			r = waitpid(k->pid, &status, 0);
			log_msg(LOG_WARN, "ppp,script", "%s killed: it ran too long", k->what);
		}
		if (r == k->pid || r < 0)
			ended(k, r < 0 ? 0 : status);
		else
			left++;
	}
	return left;
}

static void
tick(void *ctx)
{
	(void)ctx;
	if (reap(0))
		loop_timer(run.loop, loop_now() + 100, tick, NULL);
}

/* The console on text, its output back to us through a pipe. */
static int
spawn(struct engine *e, struct child *k, const char *text)
{
	const char *rosh = scheduler_rosh();
	int fds[2];

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	if ((k->pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (k->pid == 0) {
		sigset_t none;
		int null = open("/dev/null", O_RDONLY);

		/* a script does not outlive the engine that bounds its time */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		for (int fd = 3; fd < 4096; fd++)
			close(fd);
		execlp(rosh, rosh, "--db", e->db->path, "--socket", e->sockpath, "-c", text,
		       (char *)NULL);
		dprintf(2, "can not run %s: %s\n", rosh, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	k->fd = fds[0];
	k->deadline = loop_now() + SCRIPT_TIMEOUT_MS;
	return 0;
}

static struct child *
free_slot(void)
{
	for (int i = 0; i < SCRIPT_MAX; i++)
		if (run.kids[i].pid <= 0)
			return &run.kids[i];
	return NULL;
}

void
session_script_run(struct engine *e, const char *profile, const char *event,
		   const struct session_vars *v)
{
	char *text = event_text(e, profile, event);
	struct cdb_buf b = { 0 };
	struct child *k;

	if (!text || !*text) {
		free(text);
		return;
	}
	run.loop = e->loop;
	if (!(k = free_slot())) {
		log_msg(LOG_WARN, "ppp,script", "%s of %s not run: %d scripts are running", event,
			v->user, SCRIPT_MAX);
		free(text);
		return;
	}
	local(&b, "user", v->user);
	local(&b, "local-address", v->local);
	local(&b, "remote-address", v->remote);
	local(&b, "caller-id", v->caller);
	local(&b, "called-id", v->called);
	local(&b, "interface", v->iface);
	cdb_buf_printf(&b, "\n%s", text);
	free(text);
	snprintf(k->what, sizeof(k->what), "%s of %s", event, v->user);
	if (b.s && spawn(e, k, b.s))
		log_msg(LOG_ERR, "ppp,script", "%s: can not start the console: %s", k->what,
			strerror(errno));
	else
		loop_timer(run.loop, loop_now() + 100, tick, NULL);
	free(b.s);
}

/* Scripts started as the engine stops (on-down of its sessions) get up to
 * two seconds to finish before they are killed. */
void
session_script_stop(void)
{
	for (int i = 0; i < 20 && reap(0); i++)
		usleep(100000);
	reap(1);
	if (run.loop)
		loop_timer(run.loop, 0, tick, NULL);
}
