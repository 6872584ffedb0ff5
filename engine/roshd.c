/* roshd.c: the tunnel engine. Opens the configuration database, runs what it
 * describes, and keeps running it in step with every commit. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "client.h"
#include "daemon.h"
#include "engine.h"
#include "filter.h"
#include "log.h"
#include "ip.h"
#include "net/netlink.h"
#include "net/tun.h"
#include "pki.h"
#include "radius.h"
#include "services.h"
#include "session_script.h"
#include "workers.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: roshd [--db PATH] [--socket PATH] [--daemon] "
		"[--pidfile PATH]\n             [--log-level error|warning|info|debug] "
		"[--resolv-conf PATH] [--rosh PATH]\n             [--workers N]\n       roshd --stop [--pidfile PATH]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\nThe Rosh engine: runs what the configuration says (OVPN servers and clients,\n"
	       "addresses, routes, NAT, DNS, the scheduler) and follows every commit.\n\n"
	       "  --db PATH          configuration database (default %s)\n"
	       "  --socket PATH      where consoles tell it of commits (default %s)\n"
	       "  --daemon           detach once the configuration is applied\n"
	       "  --pidfile PATH     write the process id there (default with --daemon\n"
	       "                     and --stop: roshd.pid beside the socket)\n"
	       "  --stop             stop the roshd the pid file names (SIGTERM, 10 s)\n"
	       "  --log-level L      error, warning, info (default) or debug\n"
	       "  --resolv-conf PATH the resolver file /ip dns writes (default /etc/resolv.conf)\n"
	       "  --rosh PATH        the console that runs scheduler scripts\n"
	       "  --workers N        threads for UDP servers' data packets (default one\n"
	       "                     per core it may run on; 1: all on the main loop)\n"
	       "  --version          print the version and exit\n"
	       "  -h, --help         print this and exit\n\n"
	       "Manual: roshd(8); RADIUS: rosh-radius(7); the console: rosh(1).\n",
	       cdb_default_path(), cdb_default_socket());
}

/* CAP_NET_ADMIN in the effective set, as tun and netlink need. */
static int
has_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return 0;
	return (d[CAP_NET_ADMIN / 32].effective >> (CAP_NET_ADMIN % 32)) & 1;
}

static int
parse_level(const char *s)
{
	static const char *names[] = { "error", "warning", "info", "debug" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static void
on_signal(void *ctx, uint32_t events)
{
	struct engine *e = ctx;
	struct signalfd_siginfo si;

	(void)events;
	if (read(e->sigfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGHUP) {
		/* systemd's ExecReload: apply the configuration anew */
		log_msg(LOG_INFO, "system", "reloading the configuration on SIGHUP");
		daemon_notify("RELOADING=1");
		e->data_version = cdb_data_version(e->db);
		reconcile(e);
		daemon_notify("READY=1");
		return;
	}
	log_msg(LOG_INFO, "system", "stopping on signal %u", si.ssi_signo);
	loop_stop(e->loop);
}

/* Watch SIGINT and SIGTERM through the loop, so a stop closes tunnels
 * cleanly (exit notification to every peer); SIGHUP re-applies. */
static int
signals(struct engine *e)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		return -1;
	e->sigfd = fd;
	return loop_add(e->loop, fd, EPOLLIN, on_signal, e);
}

/* Commits made by consoles that did not tell us: SQLite's data_version
 * changes whenever another connection commits. Checked every second. */
static void
poll_commits(void *ctx)
{
	struct engine *e = ctx;
	long long v = cdb_data_version(e->db);
	struct cdb_err err;

	/* a console that died in safe mode: revert its changes, then apply (a
	 * busy database: the lock is not waited for, the next second tries) */
	if (cdb_safe_reap(e->db, &err) > 0)
		reconcile(e);

	if (v >= 0 && v != e->data_version) {
		e->data_version = v;
		reconcile(e);
	}
	rt_counters(e);
	filter_tick(e);
	/* a burst of handshakes leaves freed memory scattered in the heap:
	 * give it back to the system between bursts */
	malloc_trim(0);
	loop_timer(e->loop, loop_now() + 1000, poll_commits, e);
}

struct args {
	const char *dbpath, *resolv, *pidfile;
	int level, daemonize, stop;
	int workers;			/* 0: one per core */
};

/* The cores this process may run on (taskset narrows them). */
static int
cores(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

/* The command line into a and e; -1 to exit 0 (help shown), 2 on misuse. */
static int
parse_args(int argc, char **argv, struct engine *e, struct args *a)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "daemon", no_argument, NULL, 'D' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "stop", no_argument, NULL, 'S' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "resolv-conf", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "rosh", required_argument, NULL, 'R' },
		{ "workers", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dbpath = optarg; break;
		case 's': e->sockpath = optarg; break;
		case 'D': a->daemonize = 1; break;
		case 'p': a->pidfile = optarg; break;
		case 'S': a->stop = 1; break;
		case 'r': a->resolv = optarg; break;
		case 'R': scheduler_set_rosh(optarg); break;
		case 'w':
			if ((a->workers = atoi(optarg)) < 1 || a->workers > 256)
				return 2;
			break;
		case 'l':
			if ((a->level = parse_level(optarg)) < 0)
				return 2;
			break;
		case 'h': help(); return -1;
		case 'V':
			printf("roshd %s (SQLite %s, wolfSSL %s)\n", PACKAGE_VERSION,
			       cdb_sqlite_version(), pki_version());
			return -1;
		default: return 2;
		}
	}
	return optind < argc ? 2 : 0;
}

/* --pidfile, or with --daemon and --stop roshd.pid beside the socket. */
static const char *
pidfile_path(const struct engine *e, const struct args *a)
{
	static char buf[4096];
	const char *slash = strrchr(e->sockpath, '/');

	if (a->pidfile || (!a->daemonize && !a->stop))
		return a->pidfile;
	snprintf(buf, sizeof(buf), "%.*sroshd.pid", slash ? (int)(slash - e->sockpath + 1) : 0,
		 e->sockpath);
	return buf;
}

/* The configuration, opened the engine's way. */
static int
open_config(struct engine *e, const char *dbpath)
{
	struct cdb_err err;

	if (cdb_open(dbpath ? dbpath : cdb_default_path(), &e->db, &err)) {
		fprintf(stderr, "roshd: %s\n", err.msg);
		return -1;
	}
	if (e->db->ro_why) {	/* a console may read such a database; the engine writes */
		fprintf(stderr, "roshd: failure: %s can not be written: %s\n", e->db->path,
			strerror(e->db->ro_why));
		cdb_close(e->db);
		e->db = NULL;
		return -1;
	}
	free(e->db->session);
	e->db->session = strdup("engine");
	/* The engine writes runtime state (sessions, interfaces, counters, log),
	 * which it rebuilds at every start: in WAL mode NORMAL still never
	 * corrupts, and it spares the event loop an fsync per flush. Its loop
	 * never waits for a console's lock: runtime writes wait in a queue. */
	cdb_set_sync(e->db, 0, NULL);
	cdb_set_busy_wait(e->db, 0);
	return 0;
}

/* Everything started is stopped, and nothing is left shown as running. */
static void
shut_down(struct engine *e)
{
	clients_stop_all(e);
	while (e->servers)
		server_stop(e->servers, "engine stopping");
	session_script_stop();
	radius_shutdown(e);	/* after the servers: their Stop records go first */
	services_stop();
	ip_close(e);
	rt_reset(e);
	scheduler_stop();
	rt_stop(e);
	control_close(e);
	workers_stop();	/* after the servers: they close their sockets on them */
	loop_free(e->loop);
	nl_close();
	cdb_close(e->db);
}

/* Every OVPN session holds its tun open: the soft limit of 1,024 files a
 * shell or systemd gives would stop a server near 1,000 clients, so take
 * what the hard limit allows. */
static void
raise_nofile(void)
{
	struct rlimit r;

	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

int
main(int argc, char **argv)
{
	struct engine e = { .ctl = -1, .sigfd = -1 };
	struct args a = { .resolv = "/etc/resolv.conf", .level = LOG_INFO };
	int rc;

	e.sockpath = cdb_default_socket();
	if ((rc = parse_args(argc, argv, &e, &a))) {
		if (rc > 0)
			usage(stderr);
		return rc > 0 ? rc : 0;
	}
	if (a.stop)
		return daemon_stop(pidfile_path(&e, &a), 10);
	if (!has_net_admin()) {
		fprintf(stderr, "roshd: needs CAP_NET_ADMIN to make interfaces and routes "
			"(run as root, or grant it: setcap cap_net_admin+ep roshd)\n");
		return 1;
	}
	raise_nofile();
	/* fork first: SQLite's locks do not pass to a child */
	/* the pid file before the socket: a second roshd must not take the
	 * first one's socket over */
	if (daemon_start(a.daemonize) ||
	    (pidfile_path(&e, &a) && daemon_pidfile(pidfile_path(&e, &a))))
		return 1;
	if (open_config(&e, a.dbpath))
		return 1;
	log_init(e.db, a.level);
	if (!(e.loop = loop_new()) || signals(&e) || nl_open() || tun_closer_start() ||
	    ip_open(&e, a.resolv)) {
		fprintf(stderr, "roshd: can not start: %s\n", strerror(errno));
		return 1;
	}
	/* from here the loop runs alone but while it waits (workers.c) */
	if (workers_start(e.loop, a.workers ? a.workers : cores())) {
		fprintf(stderr, "roshd: can not start workers: %s\n", strerror(errno));
		return 1;
	}
	if (control_open(&e)) {
		fprintf(stderr, "roshd: can not listen on %s: %s\n", e.sockpath, strerror(errno));
		return 1;
	}

	log_msg(LOG_INFO, "system", "roshd %s started on %s", PACKAGE_VERSION, e.db->path);
	rt_start(&e);
	rt_reset(&e);
	reconcile(&e);
	poll_commits(&e);
	daemon_ready();
	loop_run(e.loop);
	daemon_exit();
	shut_down(&e);
	return 0;
}
