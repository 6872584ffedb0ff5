/* daemon.c: roshd's manners as a service. --daemon detaches and the parent
 * returns only once the first configuration is applied; --pidfile names the
 * process for --stop; under systemd (Type=notify) READY=1 goes to
 * NOTIFY_SOCKET at the same moment. The notification is one datagram on a
 * unix socket, written here rather than through libsystemd: that is the
 * whole protocol, and roshd must run where systemd is not. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"

static int ready_fd = -1;		/* the waiting parent's pipe */
static const char *pid_path;		/* ours to remove at exit */

/* One datagram to systemd's NOTIFY_SOCKET, if it is set; '@' starts an
 * abstract socket name. */
void
daemon_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    (n = strlen(path)) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = 0;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	(void)sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
	close(fd);
}

/* The pid a pid file names, or -1 with why in err. */
static long
read_pid(const char *path, char *err, size_t errlen)
{
	char buf[32], *end;
	ssize_t n;
	long pid;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "no pid file %s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	pid = strtol(buf, &end, 10);
	if (n <= 0 || pid <= 1 || pid > INT_MAX || (*end && *end != '\n')) {
		snprintf(err, errlen, "%s holds no process id", path);
		return -1;
	}
	return pid;
}

/* Whether pid is a roshd now: a pid file outlives its process, and the
 * number may have gone to another program since. */
static int
is_roshd(long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	return !strcmp(comm, "roshd\n");
}

int
daemon_stop(const char *path, int wait_s)
{
	char err[256];
	long pid = read_pid(path, err, sizeof(err));

	if (pid < 0 || !is_roshd(pid)) {
		fprintf(stderr, "roshd: not running (%s)\n",
			pid < 0 ? err : "the pid file names no roshd");
		return 1;
	}
	if (kill((pid_t)pid, SIGTERM)) {
		fprintf(stderr, "roshd: can not stop %ld: %s\n", pid, strerror(errno));
		return 1;
	}
	/* stopping closes every tunnel with an exit notice: bounded wait */
	for (int i = 0; i < wait_s * 10; i++) {
		struct timespec t = { 0, 100 * 1000 * 1000 };

		if (!is_roshd(pid))
			return 0;
		nanosleep(&t, NULL);
	}
	fprintf(stderr, "roshd: %ld did not stop within %d s\n", pid, wait_s);
	return 1;
}

int
daemon_pidfile(const char *path)
{
	char err[256], buf[32];
	long old = read_pid(path, err, sizeof(err));
	int fd, n;

	char *dir = strdup(path), *slash = strrchr(dir, '/');

	if (old > 0 && old != getpid() && is_roshd(old)) {
		fprintf(stderr, "roshd: runs already (pid %ld, %s)\n", old, path);
		free(dir);
		return -1;
	}
	if (slash && slash != dir) {	/* /run/rosh, as the socket's */
		*slash = 0;
		(void)mkdir(dir, 0755);
	}
	free(dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		fprintf(stderr, "roshd: can not write %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	close(fd);
	pid_path = path;
	return 0;
}

/* Fork; the parent waits (bounded) for the child's ready byte and exits
 * with the child's outcome; the child goes on in a new session. */
static int
detach(int wait_s)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC) || (pid = fork()) < 0) {
		fprintf(stderr, "roshd: can not become a daemon: %s\n", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(p[1]);
		alarm((unsigned)wait_s);	/* a child stuck starting: give up */
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	ready_fd = p[1];
	if (setsid() < 0 || chdir("/"))
		return -1;
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		if (fd > 0)
			close(fd);
	}
	return 0;
}

int
daemon_start(int detach_me)
{
	return detach_me ? detach(60) : 0;
}

void
daemon_ready(void)
{
	daemon_notify("READY=1\nSTATUS=configuration applied");
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "1", 1);
		close(ready_fd);
		ready_fd = -1;
	}
}

void
daemon_exit(void)
{
	char err[256];

	daemon_notify("STOPPING=1");
	if (pid_path && read_pid(pid_path, err, sizeof(err)) == getpid())
		unlink(pid_path);
}
