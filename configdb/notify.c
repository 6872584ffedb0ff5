/* notify.c: tell roshd that a commit happened. Best effort: the engine also
 * watches the journal itself, so a lost notification only costs latency. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "configdb.h"

int
cdb_notify(const char *sockpath, long long seq)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[64];
	int fd, n, rc = -1;

	if (!sockpath || strlen(sockpath) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, sockpath);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	n = snprintf(msg, sizeof(msg), "commit %lld\n", seq);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(fd, msg, n, MSG_NOSIGNAL) == n)
		rc = 0;
	close(fd);
	return rc;
}
