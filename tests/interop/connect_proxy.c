/* connect_proxy.c: a minimal HTTP CONNECT proxy for the interop tests, not
 * for use elsewhere. Each connection gets a child that reads the request
 * header (bounded), checks Basic credentials when -a is given (407
 * otherwise), connects to the target, answers 200 and relays bytes both
 * ways. -g answers with garbage instead, to test that the client refuses
 * a malformed reply. -x is no proxy at all but a server that reads the
 * first packet of a connection and closes it (an OpenVPN server dying in
 * the handshake). One line per request goes to stdout.
 *
 * connect_proxy [-a USER:PASSWORD] [-g] [-x] ADDRESS PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define HDR_MAX 4096

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
encode64(const char *in, char *out)
{
	size_t n = strlen(in), o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)in[i] << 16 |
			     (i + 1 < n ? (unsigned char)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? (unsigned char)in[i + 2] : 0);

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

static int
dial(const char *target)
{
	char host[300], *colon;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int fd;

	snprintf(host, sizeof(host), "%s", target);
	if (!(colon = strrchr(host, ':')))
		return -1;
	*colon = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static void
relay(int a, int b)
{
	struct pollfd p[2] = { { a, POLLIN, 0 }, { b, POLLIN, 0 } };
	char buf[65536];

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if ((n = read(p[i].fd, buf, sizeof(buf))) <= 0)
				return;
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(p[1 - i].fd, buf + off, n - off);

				if (w <= 0)
					return;
				off += w;
			}
		}
	}
}

static void
reply(int fd, const char *text)
{
	if (write(fd, text, strlen(text)) < 0)
		perror("write");
}

static void
serve(int fd, const char *auth, int garbage, int close_first)
{
	char hdr[HDR_MAX + 1] = "", target[300], want[700];
	size_t len = 0;
	int up;

	if (close_first) {
		ssize_t n = read(fd, hdr, HDR_MAX);

		printf("CLOSED after %zd bytes\n", n);
		fflush(stdout);
		return;
	}
	while (len < HDR_MAX && !strstr(hdr, "\r\n\r\n")) {
		ssize_t n = read(fd, hdr + len, HDR_MAX - len);

		if (n <= 0)
			return;
		len += (size_t)n;
		hdr[len] = '\0';
	}
	if (sscanf(hdr, "CONNECT %299s HTTP/1.", target) != 1) {
		reply(fd, "HTTP/1.0 400 Bad Request\r\n\r\n");
		return;
	}
	printf("CONNECT %s\n", target);
	fflush(stdout);
	if (garbage) {
		reply(fd, "SSH-2.0-not-a-proxy\r\n\r\n");
		return;
	}
	if (auth) {
		char enc[600];

		encode64(auth, enc);
		snprintf(want, sizeof(want), "Proxy-Authorization: Basic %s\r\n", enc);
		if (!strstr(hdr, want)) {
			printf("REFUSED %s: no or wrong credentials\n", target);
			fflush(stdout);
			reply(fd, "HTTP/1.0 407 Proxy Authentication Required\r\n"
				  "Proxy-Authenticate: Basic realm=\"test\"\r\n\r\n");
			return;
		}
	}
	if ((up = dial(target)) < 0) {
		reply(fd, "HTTP/1.0 502 Bad Gateway\r\n\r\n");
		return;
	}
	reply(fd, "HTTP/1.0 200 Connection established\r\n\r\n");
	relay(fd, up);
	close(up);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *auth = NULL;
	int c, garbage = 0, close_first = 0, one = 1, lfd;

	while ((c = getopt(argc, argv, "a:gx")) != -1) {
		if (c == 'a' && strlen(optarg) < 400)
			auth = optarg;
		else if (c == 'a')
			return 2;
		else if (c == 'g')
			garbage = 1;
		else if (c == 'x')
			close_first = 1;
		else
			return 2;
	}
	if (argc - optind != 2 || inet_pton(AF_INET, argv[optind], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: connect_proxy [-a USER:PASSWORD] [-g] [-x] ADDRESS PORT\n");
		return 2;
	}
	sa.sin_port = htons((uint16_t)atoi(argv[optind + 1]));
	signal(SIGCHLD, SIG_IGN);	/* children are reaped by the kernel */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 16)) {
		perror("connect_proxy");
		return 1;
	}
	printf("LISTEN %s:%s\n", argv[optind], argv[optind + 1]);
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		if (fork() == 0) {
			/* the test stops the proxy by its PID: its children go with it */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			close(lfd);
			serve(fd, auth, garbage, close_first);
			_exit(0);
		}
		close(fd);
	}
}
