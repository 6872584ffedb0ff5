/* reset_flood.c: a test program, not the engine. It sends forged
 * P_CONTROL_HARD_RESET_CLIENT_V2 packets (no tls-auth: what anyone can
 * forge) from many source ports of one address, at a steady rate, for a
 * bounded time, and counts the first replies that come back.
 *
 *   reset_flood ADDR PORT RATE SECONDS [SOCKETS]
 *   reset_flood -t ADDR PORT CONNECTIONS SECONDS
 *
 * Prints "sent N replies M". With -t it opens that many TCP connections
 * that never say a word, holds them, and prints "opened N open M": how
 * many the server still kept at the end. Bounded: at most 20,000 packets a
 * second, 1,000 connections, 120 s, to ADDR only (the test's own
 * namespace). */
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

#define MAX_SOCKETS 256

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Replies waiting on every socket, read and counted. */
static long
drain(const int *fds, int n)
{
	unsigned char buf[2048];
	long got = 0;

	for (int i = 0; i < n; i++)
		while (recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			got++;
	return got;
}

/* Idle TCP connections: how many the server closes while we wait. */
static int
idle_tcp(struct sockaddr_in *to, int n, int secs)
{
	static int fds[1000];
	int opened = 0, open = 0;
	char c;

	if (n < 1 || n > 1000 || secs < 1 || secs > 120) {
		fprintf(stderr, "reset_flood -t: connections 1..1000, seconds 1..120\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] >= 0 && connect(fds[i], (struct sockaddr *)to, sizeof(*to)) == 0)
			opened++;
		usleep(2000);
	}
	sleep((unsigned)secs);
	for (int i = 0; i < n; i++) {
		ssize_t r = fds[i] < 0 ? 0 : recv(fds[i], &c, 1, MSG_DONTWAIT | MSG_PEEK);

		open += r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	printf("opened %d open %d\n", opened, open);
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

	if (argc == 6 && !strcmp(argv[1], "-t")) {
		if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1)
			return 2;
		to.sin_port = htons((unsigned short)atoi(argv[3]));
		return idle_tcp(&to, atoi(argv[4]), atoi(argv[5]));
	}
	if (argc < 5 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: reset_flood ADDR PORT RATE SECONDS [SOCKETS]\n");
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

			replies += drain(fds, nfds);
			if (wait > 0)
				usleep((useconds_t)(wait * 1e6));
		}
	}
	usleep(200000);
	replies += drain(fds, nfds);
	printf("sent %ld replies %ld\n", sent, replies);
	return 0;
}
