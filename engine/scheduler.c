/* scheduler.c: /system scheduler. Due entries run as a child process, the
 * console itself (rosh --db DB -c SOURCE), so a script does exactly what it
 * would do typed at the console, and a hostile one can not stall the event
 * loop: each child has a time limit and is killed past it. The engine keeps
 * run-count and next-run up to date (runtime state, not journalled). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"

#define SCHED_TIMEOUT_MS 60000	/* a run longer than this is killed */
#define SCHED_MAX_RUNNING 8	/* children at once */
#define SCHED_ERR_KEEP 400	/* bytes of a child's error output logged */

/* What the engine knows of one entry: when it runs next, and its child. */
struct entry {
	long long id;
	char *fingerprint;		/* start-date, start-time, interval, disabled, as last seen */
	time_t due;			/* wall clock; 0 when it will not run again */
	pid_t pid;			/* running child, or 0 */
	uint64_t deadline;		/* monotonic ms when the child is killed */
	int errfd;			/* child's stderr, -1 */
	char err[SCHED_ERR_KEEP + 1];
	size_t errlen;
	int seen;
};

static struct {
	struct engine *e;
	char *rosh;			/* the console program */
	struct entry *entries;
	int n;
} sched;

static const struct cdb_menu *
menu(void)
{
	return cdb_menu_find(sched.e->db->cat, "/system/scheduler");
}

/* The console beside this program (a build tree), in ../bin (installed), or
 * on PATH. */
static char *
find_rosh(const char *given)
{
	char self[PATH_MAX], path[PATH_MAX + 16], *slash;
	ssize_t n;

	if (given)
		return strdup(given);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/rosh", self);
			if (!access(path, X_OK))
				return strdup(path);
			snprintf(path, sizeof(path), "%s/../bin/rosh", self);
			if (!access(path, X_OK))
				return strdup(path);
		}
	}
	return strdup("rosh");
}

static struct entry *
entry_of(long long id)
{
	for (int i = 0; i < sched.n; i++)
		if (sched.entries[i].id == id)
			return &sched.entries[i];
	sched.entries = realloc(sched.entries, sizeof(*sched.entries) * (sched.n + 1));
	memset(&sched.entries[sched.n], 0, sizeof(struct entry));
	sched.entries[sched.n].id = id;
	sched.entries[sched.n].errfd = -1;
	return &sched.entries[sched.n++];
}

static long long
secs_of(const char *t)
{
	long long s = 0;

	return t && !cdb_parse_time(t, &s) ? s : 0;
}

/* Local midnight of a start-date (YYYY-MM-DD), or of today without one. */
static time_t
midnight(const char *date, time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	if (date && *date && sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon--;
	}
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The first run of an entry seen now (first at engine start or changed):
 * start-date and start-time, or the next one after it by interval. A day
 * that has passed without an interval runs nothing; a time of day that has
 * passed today runs tomorrow. */
static time_t
first_due(const char *date, const char *start, long long interval, time_t now, int at_startup)
{
	int dated = date && *date;
	time_t at;

	if (!start || !strcmp(start, "startup"))
		return at_startup ? now : interval ? now + interval : 0;
	at = midnight(date, now) + secs_of(start);
	if (at >= now)
		return at;
	if (!interval)
		return dated ? 0 : at + 86400;
	return at + ((now - at) / interval + 1) * interval;
}

/* next-run and run-count are runtime columns: the engine's to write. The
 * count read with the item already holds the engine's own waiting writes. */
static void
record(const struct cdb_menu *m, const struct cdb_item *it, struct entry *en, int ran)
{
	const char *had = cdb_item_text(m, it, "run-count");
	char next[32], count[24];
	struct cdb_kv kv[] = { { "next-run", NULL }, { "run-count", count } };
	struct tm tm;

	if (en->due) {
		localtime_r(&en->due, &tm);
		strftime(next, sizeof(next), "%Y-%m-%d %H:%M:%S", &tm);
		kv[0].value = next;
	}
	snprintf(count, sizeof(count), "%lld", (had ? atoll(had) : 0) + ran);
	if (cdb_rt_put(sched.e->db, m->path, en->id, kv, ran ? 2 : 1))
		log_msg(LOG_WARN, "script", "scheduler: can not record a run of *%llX", en->id);
}

/* The text to run: a /system script's source when on-event names one. */
static char *
source_of(const char *on_event)
{
	const struct cdb_menu *sm = cdb_menu_find(sched.e->db->cat, "/system/script");
	struct cdb_item it = { 0 };
	struct cdb_err err;
	long long id = sm && on_event ? cdb_item_by_key(sched.e->db, sm, on_event) : 0;
	char *text;

	if (id <= 0 || cdb_item_get(sched.e->db, sm, id, &it, &err))
		return strdup(on_event ? on_event : "");
	text = strdup(cdb_item_text(sm, &it, "source") ? cdb_item_text(sm, &it, "source") : "");
	cdb_item_clear(&it);
	return text;
}

static int
running_children(void)
{
	int k = 0;

	for (int i = 0; i < sched.n; i++)
		k += sched.entries[i].pid > 0;
	return k;
}

/* Start the console on the entry's text; its stderr comes back to us. */
static int
spawn(struct entry *en, const char *name, const char *text, const char *policy)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		child_reset(-1, fds[1]);	/* its errors come back to us */
		setenv("ROSH_POLICY", policy, 1);	/* the entry's policy, no more */
		execlp(sched.rosh, sched.rosh, "--db", sched.e->db->path, "--socket",
		       sched.e->sockpath, "-c", text, (char *)NULL);
		dprintf(2, "can not run %s: %s\n", sched.rosh, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	en->pid = pid;
	en->errfd = fds[0];
	en->errlen = 0;
	en->deadline = loop_now() + SCHED_TIMEOUT_MS;
	log_msg(LOG_DEBUG, "script", "scheduler: %s started (pid %d)", name, (int)pid);
	return 0;
}

static void
drain(struct entry *en)
{
	char buf[512];
	ssize_t n;

	while (en->errfd >= 0 && (n = read(en->errfd, buf, sizeof(buf))) > 0) {
		size_t k = (size_t)n;

		if (k > SCHED_ERR_KEEP - en->errlen)
			k = SCHED_ERR_KEEP - en->errlen;
		memcpy(en->err + en->errlen, buf, k);
		en->errlen += k;
	}
	en->err[en->errlen] = '\0';
}

/* Children that ended or ran out of time. */
static void
reap(void)
{
	for (int i = 0; i < sched.n; i++) {
		struct entry *en = &sched.entries[i];
		int status;
		pid_t r;

		if (en->pid <= 0)
			continue;
		drain(en);
		if ((r = waitpid(en->pid, &status, WNOHANG)) == 0 && loop_now() > en->deadline) {
			kill(en->pid, SIGKILL);
			r = waitpid(en->pid, &status, 0);
			log_msg(LOG_WARN, "script", "scheduler: entry *%llX killed after %d s",
				en->id, SCHED_TIMEOUT_MS / 1000);
		} else if (r == en->pid && (!WIFEXITED(status) || WEXITSTATUS(status))) {
			char *nl;

			drain(en);
			while ((nl = strchr(en->err, '\n')))
				*nl = ' ';
			log_msg(LOG_WARN, "script", "scheduler: entry *%llX failed: %s", en->id,
				en->errlen ? en->err : "no message");
		}
		if (r == en->pid || r < 0) {
			en->pid = 0;
			close(en->errfd);
			en->errfd = -1;
		}
	}
}

/* Bring one entry in step with its item, and run it when due. */
static void
consider(const struct cdb_menu *m, const struct cdb_item *it, time_t now, int at_startup)
{
	struct entry *en = entry_of(it->id);
	const char *start = cdb_item_text(m, it, "start-time"), *name = cdb_item_text(m, it, "name");
	const char *date = cdb_item_text(m, it, "start-date");
	long long interval = secs_of(cdb_item_text(m, it, "interval"));
	int disabled = !strcmp(cdb_item_text(m, it, "disabled"), "yes");
	char *fp = NULL;

	en->seen = 1;
	if (asprintf(&fp, "%s %s %lld %d", date ? date : "", start ? start : "", interval,
		     disabled) < 0)
		return;
	if (!en->fingerprint || strcmp(fp, en->fingerprint)) {
		free(en->fingerprint);
		en->fingerprint = fp;
		en->due = disabled ? 0 : first_due(date, start, interval, now, at_startup);
		record(m, it, en, 0);
	} else
		free(fp);
	if (!en->due || en->due > now || en->pid > 0 || running_children() >= SCHED_MAX_RUNNING)
		return;
	{
		char *text = source_of(cdb_item_text(m, it, "on-event"));

		if (spawn(en, name ? name : "", text, cdb_item_text(m, it, "policy")))
			log_msg(LOG_ERR, "script", "scheduler: can not start %s: %s",
				sched.rosh, strerror(errno));
		free(text);
	}
	en->due = interval ? en->due + ((now - en->due) / interval + 1) * interval : 0;
	record(m, it, en, 1);
}

static void tick(void *ctx);

/* The next moment something is due or a child needs looking at. */
static void
arm(void)
{
	time_t now = time(NULL), next = 0;
	uint64_t wait;

	for (int i = 0; i < sched.n; i++)
		if (sched.entries[i].due && (!next || sched.entries[i].due < next))
			next = sched.entries[i].due;
	wait = running_children() ? 200 : next ? (uint64_t)(next > now ? next - now : 0) * 1000 : 0;
	if (!wait && !next && !running_children()) {
		loop_timer(sched.e->loop, 0, tick, sched.e);
		return;
	}
	if (wait > 60000)
		wait = 60000;	/* the wall clock may jump */
	loop_timer(sched.e->loop, loop_now() + (wait ? wait : 10), tick, sched.e);
}

void
scheduler_run(struct engine *e)
{
	const struct cdb_menu *m;
	struct cdb_item_list l;
	struct cdb_err err;
	time_t now = time(NULL);
	int at_startup = sched.e == NULL;

	if (at_startup) {
		sched.e = e;
		if (!sched.rosh)
			sched.rosh = find_rosh(NULL);
	}
	if (!(m = menu()))
		return;
	reap();
	if (cdb_item_list(e->db, m, &l, &err)) {
		log_msg(LOG_ERR, "script", "scheduler: can not read entries: %s", err.msg);
		return;
	}
	for (int i = 0; i < sched.n; i++)
		sched.entries[i].seen = 0;
	for (int i = 0; i < l.n; i++)
		consider(m, &l.items[i], now, at_startup);
	cdb_item_list_free(&l);
	for (int i = 0; i < sched.n; i++) {
		if (sched.entries[i].seen)
			continue;
		sched.entries[i].due = 0;	/* removed: forget it once its child ends */
		if (sched.entries[i].pid <= 0) {
			free(sched.entries[i].fingerprint);
			sched.entries[i--] = sched.entries[--sched.n];
		}
	}
	arm();
}

static void
tick(void *ctx)
{
	scheduler_run(ctx);
}

void
scheduler_set_rosh(const char *path)
{
	free(sched.rosh);
	sched.rosh = find_rosh(path);
}

/* The console children run: also the profiles' scripts' (session_script.c). */
const char *
scheduler_rosh(void)
{
	if (!sched.rosh)
		sched.rosh = find_rosh(NULL);
	return sched.rosh;
}

/* The engine stops: children get a moment, then are killed. */
void
scheduler_stop(void)
{
	for (int i = 0; i < sched.n; i++) {
		struct entry *en = &sched.entries[i];

		if (en->pid > 0) {
			kill(en->pid, SIGTERM);
			waitpid(en->pid, NULL, 0);
			close(en->errfd);
		}
		free(en->fingerprint);
	}
	free(sched.entries);
	free(sched.rosh);
	memset(&sched, 0, sizeof(sched));
}
