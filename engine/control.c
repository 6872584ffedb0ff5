/* control.c: roshd's Unix socket. Consoles send "commit SEQ" after each
 * commit, and requests that are not configuration ("active-remove *ID").
 * One short line in, one line out, then the connection closes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"

static void
make_dir_of(const char *path)
{
	char *d = strdup(path), *slash = strrchr(d, '/');

	if (slash && slash != d) {
		*slash = '\0';
		mkdir(d, 0755);
	}
	free(d);
}

/* active-remove *ID: end the session behind that /ppp active row. */
static const char *
active_remove(struct engine *e, const char *arg)
{
	long long id = arg[0] == '*' ? strtoll(arg + 1, NULL, 16) : -1;

	for (struct server *s = e->servers; s; s = s->next)
		for (struct peer *p = s->peers; p; p = p->next)
			if (p->active_id == id) {
				peer_end(p, "removed by the administrator");
				return "ok";
			}
	return "error no such item";
}

static void
on_client(struct engine *e, int fd)
{
	char line[256], *nl;
	const char *reply = "error bad request";
	ssize_t n = recv(fd, line, sizeof(line) - 1, 0);

	if (n <= 0)
		return;
	line[n] = '\0';
	if ((nl = strchr(line, '\n')))
		*nl = '\0';
	if (!strncmp(line, "commit ", 7)) {
		reconcile(e);
		reply = "ok";
	} else if (!strncmp(line, "active-remove ", 14)) {
		reply = active_remove(e, line + 14);
	}
	rt_flush(e);	/* the console reads what it asked for once we answer */
	if (send(fd, reply, strlen(reply), MSG_NOSIGNAL) < 0 || send(fd, "\n", 1, MSG_NOSIGNAL) < 0)
		log_msg(LOG_DEBUG, "system", "control reply lost: %s", strerror(errno));
}

static void
on_accept(void *ctx, uint32_t events)
{
	struct engine *e = ctx;
	int fd;

	(void)events;
	while ((fd = accept4(e->ctl, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		struct timeval tv = { 0, 200000 };

		/* a client that connects and says nothing can not hold the engine */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		on_client(e, fd);
		close(fd);
	}
}

int
control_open(struct engine *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(e->sockpath) >= sizeof(sa.sun_path))
		return -1;
	make_dir_of(e->sockpath);
	strcpy(sa.sun_path, e->sockpath);
	unlink(e->sockpath);
	e->ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (e->ctl < 0 || bind(e->ctl, (struct sockaddr *)&sa, sizeof(sa)) || listen(e->ctl, 16))
		return -1;
	return loop_add(e->loop, e->ctl, EPOLLIN, on_accept, e);
}

void
control_close(struct engine *e)
{
	if (e->ctl >= 0) {
		loop_del(e->loop, e->ctl);
		close(e->ctl);
		unlink(e->sockpath);
	}
}
