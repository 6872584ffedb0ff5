/* notify.c: talk to roshd on its socket: tell it a commit happened (best
 * effort: the engine also watches the journal itself, so a lost
 * notification only costs latency), ask it one line, see if it is there. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "configdb.h"

/* A connection to roshd's socket, or -1. */
static int
connect_engine(const char *sockpath)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (!sockpath || strlen(sockpath) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, sockpath, strlen(sockpath) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether a roshd listens on sockpath: connecting is enough (it reads
 * nothing from a connection that sends nothing). */
int
cdb_engine_alive(const char *sockpath)
{
	int fd = connect_engine(sockpath);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int
cdb_notify(const char *sockpath, long long seq)
{
	char msg[64];
	int fd, n, rc;

	if ((fd = connect_engine(sockpath)) < 0)
		return -1;
	n = snprintf(msg, sizeof(msg), "commit %lld\n", seq);
	rc = send(fd, msg, n, MSG_NOSIGNAL) == n ? 0 : -1;
	close(fd);
	return rc;
}

/* One request line to roshd and its one-line answer. -1 when the engine
 * does not answer (not running). */
int
cdb_request(const char *sockpath, const char *line, char *reply, size_t len)
{
	struct timeval tv = { 5, 0 };
	char msg[512];
	ssize_t n;
	int fd, rc = -1, mlen;

	/* one send: the engine may answer and close before a second one */
	mlen = snprintf(msg, sizeof(msg), "%s\n", line);
	if (len == 0 || mlen < 0 || mlen >= (int)sizeof(msg) || (fd = connect_engine(sockpath)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, msg, mlen, MSG_NOSIGNAL) == mlen && (n = recv(fd, reply, len - 1, 0)) > 0) {
		reply[n] = '\0';
		reply[strcspn(reply, "\n")] = '\0';
		rc = 0;
	}
	close(fd);
	return rc;
}

const char *
cdb_default_socket(void)
{
	static char buf[4096];
	const char *run = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0 || !run || !*run)
		return "/run/rosh/roshd.sock";
	snprintf(buf, sizeof(buf), "%s/rosh/roshd.sock", run);
	return buf;
}
