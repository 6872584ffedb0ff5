/* tun_close.c: taking tun/tap interfaces down without stalling the event
 * loop. Closing a tun fd unregisters its interface, and the kernel waits
 * out an RCU grace period for each one (about 20 ms here), so at a few
 * hundred disconnects a second one-by-one closing can not keep up. A helper
 * thread takes fds from a pipe in batches, puts their interfaces in one
 * link group and deletes the group with a single RTM_DELLINK: one grace
 * period for the whole batch. Then closing the fds is cheap. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "tun.h"

#define BATCH_MAX	256
#define DOOMED_GROUP	0x726f7368u	/* "rosh": a link group no one else uses */

static int closer_pipe[2] = { -1, -1 };

/* One rtnetlink request on the thread's own socket; errors are ignored:
 * whatever is left is removed by close() anyway. */
static void
request(struct mnl_socket *nl, int type, int flags, int ifindex, int group)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	static unsigned seq;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_GROUP, group);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return;
	mnl_socket_recvfrom(nl, buf, sizeof(buf));
}

/* The interface behind a tun fd, or 0. */
static int
ifindex_of(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return 0;
	return (int)if_nametoindex(ifr.ifr_name);
}

static void
close_batch(struct mnl_socket *nl, const int *fds, int n)
{
	int marked = 0;

	for (int i = 0; nl && i < n; i++) {
		int idx = ifindex_of(fds[i]);

		if (idx > 0) {
			request(nl, RTM_NEWLINK, 0, idx, DOOMED_GROUP);
			marked++;
		}
	}
	if (marked)
		request(nl, RTM_DELLINK, 0, 0, DOOMED_GROUP);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static void *
closer(void *arg)
{
	struct mnl_socket *nl = arg;
	int fds[BATCH_MAX];
	ssize_t got;

	/* the first read blocks; the rest of the batch is what is already queued */
	while ((got = read(closer_pipe[0], fds, sizeof(int))) == sizeof(int)) {
		int n = 1;
		int fl = fcntl(closer_pipe[0], F_GETFL);

		fcntl(closer_pipe[0], F_SETFL, fl | O_NONBLOCK);
		got = read(closer_pipe[0], fds + 1, sizeof(fds) - sizeof(int));
		fcntl(closer_pipe[0], F_SETFL, fl);
		if (got > 0)
			n += (int)(got / (ssize_t)sizeof(int));	/* pipe writes of an int never split */
		close_batch(nl, fds, n);
	}
	if (nl)
		mnl_socket_close(nl);
	return NULL;
}

int
tun_closer_start(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	pthread_t t;

	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID)) {
		mnl_socket_close(nl);
		nl = NULL;	/* fds are still closed, one grace period each */
	}
	if (pipe2(closer_pipe, O_CLOEXEC))
		goto fail;
	if (pthread_create(&t, NULL, closer, nl)) {
		close(closer_pipe[0]);
		close(closer_pipe[1]);
		closer_pipe[0] = closer_pipe[1] = -1;
		goto fail;
	}
	pthread_detach(t);
	return 0;
fail:
	if (nl)
		mnl_socket_close(nl);
	return -1;
}

void
tun_close(int fd)
{
	if (fd < 0)
		return;
	if (closer_pipe[1] < 0 || write(closer_pipe[1], &fd, sizeof(fd)) != sizeof(fd))
		close(fd);
}
