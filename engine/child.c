/* child.c: the first steps of every process roshd starts (scheduled
 * scripts, the services' servers, sshd, useradd): none of the engine's
 * signal mask, ignored SIGPIPE or descriptors, and standard input from
 * /dev/null. */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "engine.h"

void
child_reset(int out, int err)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	dup2(null, 0);
	dup2(out >= 0 ? out : null, 1);
	if (err >= 0)
		dup2(err, 2);
	for (int fd = 3; fd < 4096; fd++)
		close(fd);
}
