/* xfer.c: move N bytes over TCP and check every one arrived intact.
 *   xfer -l PORT N        receive N bytes on PORT, verify, print "ok N"
 *   xfer -c HOST PORT N   connect and send N bytes
 * The bytes come from a fixed generator, so both ends agree without sharing
 * anything; the whole run is bounded by a 120 s alarm. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint8_t
byte_at(uint64_t i)
{
	uint64_t x = i * 0x9E3779B97F4A7C15ull;

	x ^= x >> 29;
	return (uint8_t)(x * 0xBF58476D1CE4E5B9ull >> 56);
}

static int
receive(int port, uint64_t n)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int ls = socket(AF_INET6, SOCK_STREAM, 0), on = 1, off = 0, fd;
	uint8_t buf[65536];
	uint64_t got = 0;

	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1) ||
	    (fd = accept(ls, NULL, NULL)) < 0) {
		perror("xfer: listen");
		return 1;
	}
	while (got < n) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != byte_at(got + i)) {
				fprintf(stderr, "xfer: byte %llu differs\n", (unsigned long long)(got + i));
				return 1;
			}
		got += r;
	}
	if (got != n) {
		fprintf(stderr, "xfer: got %llu of %llu bytes\n", (unsigned long long)got,
			(unsigned long long)n);
		return 1;
	}
	printf("ok %llu\n", (unsigned long long)got);
	return 0;
}

static int
send_all(const char *host, const char *port, uint64_t n)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	uint8_t buf[65536];
	uint64_t sent = 0;
	int fd;

	if (getaddrinfo(host, port, &hints, &ai) ||
	    (fd = socket(ai->ai_family, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("xfer: connect");
		return 1;
	}
	freeaddrinfo(ai);
	while (sent < n) {
		size_t k = n - sent < sizeof(buf) ? (size_t)(n - sent) : sizeof(buf);
		ssize_t w;

		for (size_t i = 0; i < k; i++)
			buf[i] = byte_at(sent + i);
		if ((w = write(fd, buf, k)) <= 0) {
			perror("xfer: write");
			return 1;
		}
		sent += (uint64_t)w;
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	alarm(120);
	if (argc == 4 && !strcmp(argv[1], "-l"))
		return receive(atoi(argv[2]), strtoull(argv[3], NULL, 10));
	if (argc == 5 && !strcmp(argv[1], "-c"))
		return send_all(argv[2], argv[3], strtoull(argv[4], NULL, 10));
	fprintf(stderr, "usage: xfer -l PORT N | xfer -c HOST PORT N\n");
	return 2;
}
