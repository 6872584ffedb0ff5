/* reset_flood.c: a test program, not the engine. It sends forged
 * P_CONTROL_HARD_RESET_CLIENT_V2 packets (no tls-auth: what anyone can
 * forge) from many source ports of one address, at a steady rate, for a
 * bounded time, and counts the first replies that come back.
 *
 *   reset_flood ADDR PORT RATE SECONDS [SOCKETS]
 *   reset_flood -t ADDR PORT CONNECTIONS SECONDS [SLOW [CHURN]]
 *
 * Prints "sent N replies M". With -t it opens that many TCP connections
 * and holds them: the first SLOW of them trickle a packet that never ends,
 * one byte a second (slowloris), the others never say a word; meanwhile
 * CHURN connections a second each send a forged reset and close at once.
 * It prints "opened N open M churned K": M is how many of the held ones the
 * server still kept at the end. Bounded: at most 20,000 packets or 1,000
 * new connections a second, 1,000 held connections, 120 s, to ADDR only
 * (the test's own namespace). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKETS 1000

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Replies waiting on count sockets from the next in turn (all of them
 * when count is n), read and counted: a slice at a time keeps the cost of
 * a thousand sockets off the sending loop. */
static long
drain(const int *fds, int n, int count)
{
	static int next;
	unsigned char buf[2048];
	long got = 0;

	for (int k = 0; k < count && k < n; k++, next = (next + 1) % n)
		while (recv(fds[next % n], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			got++;
	return got;
}

/* One TCP connection to the server, blocking or not. */
static int
tcp_to(const struct sockaddr_in *to, int nonblock)
{
	int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd >= 0 && connect(fd, (const struct sockaddr *)to, sizeof(*to)) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connections that come, send a forged reset (as over TCP: a length
 * first) and go: the one made a tick ago is written to and closed. */
static long
churn(const struct sockaddr_in *to, int *prev)
{
	static const unsigned char reset[16] = { 0, 14, 7 << 3, 1, 2, 3, 4, 5, 6, 7, 8 };

	if (*prev >= 0) {
		/* refused or reset by the server: counted all the same */
		send(*prev, reset, sizeof(reset), MSG_NOSIGNAL | MSG_DONTWAIT);
		close(*prev);
	}
	*prev = tcp_to(to, 1);
	return *prev >= 0;
}

/* Held TCP connections, SLOW of them trickling, CHURN a second coming and
 * going; how many held ones the server closes while we wait. */
static int
flood_tcp(struct sockaddr_in *to, int n, int secs, int slow, int rate)
{
	static int fds[1000];
	static const unsigned char head[2] = { 0x05, 0xdc };	/* a 1,500-byte packet */
	int opened = 0, open = 0, prev = -1;
	long churned = 0, ticks = 0;
	double start, next_churn;
	char c;

	if (n < 1 || n > 1000 || secs < 1 || secs > 120 || slow < 0 || slow > n || rate < 0 ||
	    rate > 1000) {
		fprintf(stderr, "reset_flood -t: connections 1..1000, seconds 1..120, "
			"slow 0..connections, churn 0..1000\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		fds[i] = tcp_to(to, 0);
		opened += fds[i] >= 0;
		if (fds[i] >= 0 && i < slow)
			send(fds[i], head, sizeof(head), MSG_NOSIGNAL | MSG_DONTWAIT);
		usleep(2000);
	}
	start = next_churn = now();
	while (now() - start < secs) {
		while (rate && next_churn <= now()) {
			churned += churn(to, &prev);
			next_churn += 1.0 / rate;
		}
		/* every 10 ms one in a hundred of the slow ones: a byte a second each */
		for (int i = (int)(ticks % 100); i < slow; i += 100)
			if (fds[i] >= 0)
				send(fds[i], "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		ticks++;
		usleep(10000);
	}
	if (prev >= 0)
		close(prev);
	for (int i = 0; i < n; i++) {
		ssize_t r = fds[i] < 0 ? 0 : recv(fds[i], &c, 1, MSG_DONTWAIT | MSG_PEEK);

		open += r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	printf("opened %d open %d churned %ld\n", opened, open, churned);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fds[MAX_SOCKETS], nfds, rate, secs;
	unsigned char pkt[14] = { 7 << 3 };	/* opcode 7, key id 0; no acks; id 0 */
	long sent = 0, replies = 0;
	double start, next;

	if (argc >= 6 && argc <= 8 && !strcmp(argv[1], "-t")) {
		if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1)
			return 2;
		to.sin_port = htons((unsigned short)atoi(argv[3]));
		return flood_tcp(&to, atoi(argv[4]), atoi(argv[5]), argc > 6 ? atoi(argv[6]) : 0,
				 argc > 7 ? atoi(argv[7]) : 0);
	}
	if (argc < 5 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: reset_flood ADDR PORT RATE SECONDS [SOCKETS]\n"
			"       reset_flood -t ADDR PORT CONNECTIONS SECONDS [SLOW [CHURN]]\n");
		return 2;
	}
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	rate = atoi(argv[3]);
	secs = atoi(argv[4]);
	nfds = argc > 5 ? atoi(argv[5]) : 64;
	if (rate < 1 || rate > 20000 || secs < 1 || secs > 120 || nfds < 1 || nfds > MAX_SOCKETS) {
		fprintf(stderr, "reset_flood: rate 1..20000, seconds 1..120, sockets 1..%d\n",
			MAX_SOCKETS);
		return 2;
	}
	for (int i = 0; i < nfds; i++)
		if ((fds[i] = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
		    connect(fds[i], (struct sockaddr *)&to, sizeof(to)) < 0) {
			perror("reset_flood: socket");
			return 1;
		}
	start = next = now();
	while (now() - start < secs) {
		/* a new session id each time, as from a new client */
		for (int k = 1; k <= 8; k++)
			pkt[k] = (unsigned char)rand();
		if (send(fds[sent % nfds], pkt, sizeof(pkt), 0) == sizeof(pkt))
			sent++;
		next += 1.0 / rate;
		if (sent % 64 == 0) {
			double wait = next - now();

			replies += drain(fds, nfds, 64);
			if (wait > 0)
				usleep((useconds_t)(wait * 1e6));
		}
	}
	usleep(200000);
	replies += drain(fds, nfds, nfds);
	printf("sent %ld replies %ld\n", sent, replies);
	return 0;
}
