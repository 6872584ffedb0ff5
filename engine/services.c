/* services.c: /ip service. Each enabled service is a child process: the
 * console serving the RouterOS API or REST (rosh --serve NAME, which reads
 * its own /ip service row), or an sshd of its own for ssh. A commit that
 * changes a row restarts its process; one that disables it stops it
 * (SIGTERM, SIGKILL after a grace); a process that dies is started again
 * after a pause that grows while it keeps dying. Rosh has no telnet, ftp
 * or winbox: enabling one flags the item invalid and says so in /log. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "services.h"

#define MENU "/ip/service"
#define SVC_GRACE_MS 3000	/* SIGTERM to SIGKILL */
#define SVC_BACKOFF_MS 1000	/* first pause after a death, doubled up to ... */
#define SVC_BACKOFF_MAX_MS 60000
#define SVC_STABLE_MS 10000	/* a run this long forgets earlier deaths */
#define SVC_TICK_MS 250

struct svc {
	long long id;
	char name[16];
	char *want;			/* configuration to run with; NULL: stopped */
	char *ran;			/* configuration of the running child */
	char conf[512];			/* ssh: the sshd config */
	pid_t pid;
	int stopping;
	int fails;
	uint64_t kill_at, started, retry_at;
	int seen;
};

static struct {
	struct engine *e;
	struct svc *v;
	int n;
	int ticking;
} svcs;

static const char *const served[] = { "api", "api-ssl", "www", "www-ssl", NULL };

static int
one_of(const char *name, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(name, list[i]))
			return 1;
	return 0;
}

static struct svc *
svc_of(long long id, const char *name)
{
	struct svc *v;

	for (int i = 0; i < svcs.n; i++)
		if (svcs.v[i].id == id)
			return &svcs.v[i];
	if (!(v = realloc(svcs.v, sizeof(*v) * (svcs.n + 1))))
		return NULL;
	svcs.v = v;
	v = &svcs.v[svcs.n++];
	memset(v, 0, sizeof(*v));
	v->id = id;
	snprintf(v->name, sizeof(v->name), "%s", name);
	return v;
}

static void
exec_child(struct svc *v)
{
	struct engine *e = svcs.e;

	child_reset(2, -1);
	if (!strcmp(v->name, "ssh"))
		execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", v->conf, (char *)NULL);
	else
		execlp(scheduler_rosh(), scheduler_rosh(), "--db", e->db->path, "--socket",
		       e->sockpath, "--serve", v->name, (char *)NULL);
	dprintf(2, "roshd: can not run the %s service: %s\n", v->name, strerror(errno));
	_exit(127);
}

static void
start(struct svc *v)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_msg(LOG_ERR, "system", "service %s: can not fork: %s", v->name, strerror(errno));
		v->retry_at = loop_now() + SVC_BACKOFF_MS;
		return;
	}
	if (pid == 0)
		exec_child(v);
	v->pid = pid;
	v->stopping = 0;
	v->started = loop_now();
	free(v->ran);
	v->ran = strdup(v->want);
	log_msg(LOG_INFO, "system", "service %s started (pid %d)", v->name, (int)pid);
	rt_running(svcs.e, MENU, v->id, 1);
}

/* A child that ended: expected (stopping) or a death to retry after. */
static void
ended(struct svc *v, int status)
{
	uint64_t now = loop_now(), pause;

	if (!v->stopping) {
		if (now - v->started > SVC_STABLE_MS)
			v->fails = 0;
		pause = (uint64_t)SVC_BACKOFF_MS << (v->fails < 6 ? v->fails : 6);
		if (pause > SVC_BACKOFF_MAX_MS)
			pause = SVC_BACKOFF_MAX_MS;
		v->fails++;
		v->retry_at = now + pause;
		log_msg(LOG_ERR, "system", "service %s (pid %d) %s %d; starting it again in %llu s",
			v->name, (int)v->pid, WIFSIGNALED(status) ? "killed by signal" : "exited with",
			WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			(unsigned long long)pause / 1000);
	} else
		log_msg(LOG_INFO, "system", "service %s stopped", v->name);
	v->pid = 0;
	v->stopping = 0;
	rt_running(svcs.e, MENU, v->id, 0);
}

/* One service one step towards what it should be. */
static void
step(struct svc *v)
{
	uint64_t now = loop_now();
	int status;

	if (v->pid > 0 && waitpid(v->pid, &status, WNOHANG) == v->pid)
		ended(v, status);
	if (v->pid > 0 && v->stopping && now >= v->kill_at) {
		log_msg(LOG_WARN, "system", "service %s did not stop in %d s: killed", v->name,
			SVC_GRACE_MS / 1000);
		kill(v->pid, SIGKILL);
		v->kill_at = now + SVC_GRACE_MS;
	}
	if (v->pid > 0 && !v->stopping && (!v->want || strcmp(v->want, v->ran))) {
		kill(v->pid, SIGTERM);
		v->stopping = 1;
		v->kill_at = now + SVC_GRACE_MS;
		v->fails = 0;
		v->retry_at = 0;
	}
	if (v->pid <= 0 && v->want && now >= v->retry_at)
		start(v);
}

static void tick(void *ctx);

static void
steps(void)
{
	int busy = 0;

	for (int i = 0; i < svcs.n; i++) {
		step(&svcs.v[i]);
		busy |= svcs.v[i].pid > 0 || svcs.v[i].want;
	}
	/* children are watched by time, as the scheduler's are: no SIGCHLD */
	if (busy)
		loop_timer(svcs.e->loop, loop_now() + SVC_TICK_MS, tick, NULL);
	else
		loop_timer(svcs.e->loop, 0, tick, NULL);
}

static void
tick(void *ctx)
{
	(void)ctx;
	steps();
}

/* The invalid flag, logged when it comes on: why (NULL: the flag goes). */
static void
flag_invalid(const struct cdb_menu *m, const struct cdb_item *it, const char *why)
{
	const char *was = cdb_item_text(m, it, "invalid");
	struct cdb_kv kv = { "invalid", why ? "yes" : NULL };

	if (!why == !(was && !strcmp(was, "yes")))
		return;
	if (why)
		log_msg(LOG_ERR, "system", "service %s: %s; the item is flagged invalid",
			cdb_item_text(m, it, "name"), why);
	cdb_rt_put(svcs.e->db, MENU, it->id, &kv, 1);
}

/* What a served service's process depends on: its row. */
static char *
served_fingerprint(const struct cdb_menu *m, const struct cdb_item *it)
{
	static const char *const props[] = { "port", "address", "certificate", "tls-version",
					     "max-sessions", NULL };
	char *fp = strdup(""), *more;

	for (int i = 0; props[i] && fp; i++) {
		const char *v = cdb_item_text(m, it, props[i]);

		if (asprintf(&more, "%s%s=%s\n", fp, props[i], v ? v : "") < 0)
			more = NULL;
		free(fp);
		fp = more;
	}
	return fp;
}

/* The configuration one item wants its process to run with, NULL: none. */
static char *
wanted(struct svc *v, const struct cdb_menu *m, const struct cdb_item *it)
{
	int on = strcmp(cdb_item_text(m, it, "disabled"), "yes") != 0;
	char why[256], *fp = NULL;

	/* telnet, ftp, winbox: RouterOS has them, Rosh does not */
	if (!one_of(v->name, served) && strcmp(v->name, "ssh")) {
		snprintf(why, sizeof(why), "Rosh has no %s server: nothing listens on port %s",
			 v->name, cdb_item_text(m, it, "port"));
		flag_invalid(m, it, on ? why : NULL);
		return NULL;
	}
	if (!on || strcmp(v->name, "ssh")) {
		flag_invalid(m, it, NULL);
		return on ? served_fingerprint(m, it) : NULL;
	}
	if (sshd_prepare(svcs.e, m, it, v->conf, sizeof(v->conf), &fp, why, sizeof(why))) {
		flag_invalid(m, it, why);
		return NULL;
	}
	flag_invalid(m, it, NULL);
	return fp;
}

void
services_reconcile(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, MENU);
	struct cdb_item_list l;
	struct cdb_err err;
	int ssh_on = 0;

	svcs.e = e;
	if (!m)
		return;
	if (cdb_item_list(e->db, m, &l, &err)) {
		log_msg(LOG_ERR, "system", "can not read /ip service: %s", err.msg);
		return;
	}
	for (int i = 0; i < svcs.n; i++)
		svcs.v[i].seen = 0;
	for (int i = 0; i < l.n; i++) {
		const char *name = cdb_item_text(m, &l.items[i], "name");
		struct svc *v = svc_of(l.items[i].id, name ? name : "");

		if (!v)
			continue;
		v->seen = 1;
		free(v->want);
		v->want = wanted(v, m, &l.items[i]);
		ssh_on |= !strcmp(v->name, "ssh") && v->want;
	}
	cdb_item_list_free(&l);
	for (int i = 0; i < svcs.n; i++)
		if (!svcs.v[i].seen) {
			free(svcs.v[i].want);
			svcs.v[i].want = NULL;
		}
	sshd_aliases(e, ssh_on);
	steps();
}

/* The engine stops: every child gets SIGTERM, and SIGKILL after the grace. */
void
services_stop(void)
{
	uint64_t until = loop_now() + SVC_GRACE_MS;
	int left;

	for (int i = 0; i < svcs.n; i++)
		if (svcs.v[i].pid > 0)
			kill(svcs.v[i].pid, SIGTERM);
	do {
		left = 0;
		for (int i = 0; i < svcs.n; i++) {
			struct svc *v = &svcs.v[i];

			if (v->pid > 0 && waitpid(v->pid, NULL, WNOHANG) == v->pid)
				v->pid = 0;
			left += v->pid > 0;
		}
		if (left)
			usleep(20000);
	} while (left && loop_now() < until);
	for (int i = 0; i < svcs.n; i++) {
		if (svcs.v[i].pid > 0) {
			kill(svcs.v[i].pid, SIGKILL);
			waitpid(svcs.v[i].pid, NULL, 0);
		}
		free(svcs.v[i].want);
		free(svcs.v[i].ran);
	}
	if (svcs.e)
		sshd_aliases(svcs.e, 0);
	free(svcs.v);
	memset(&svcs, 0, sizeof(svcs));
}
