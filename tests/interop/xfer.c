/* xfer.c: move N bytes over TCP and check every one arrived intact.
 *   xfer -l PORT N        receive N bytes on PORT, verify, print "ok N"
 *   xfer -c HOST PORT N   connect and send N bytes
 *   xfer -a PORT N        as -l, and print who connected: "ok N from ADDR PORT"
 *                         (the NAT tests see the address a packet arrived from)
 * The bytes come from a fixed generator, so both ends agree without sharing
 * anything; the whole run is bounded by a 120 s alarm. With XFER_ZEROS set
 * (at both ends) they are zeros but for every 1024th, which carries its
 * block number: a compressing tunnel peer really compresses them, and a
 * block out of place still fails the check. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int zeros;

static uint8_t
byte_at(uint64_t i)
{
	uint64_t x = i * 0x9E3779B97F4A7C15ull;

	if (zeros)
		return i % 1024 ? 0 : (uint8_t)(i / 1024 + 1);
	x ^= x >> 29;
	return (uint8_t)(x * 0xBF58476D1CE4E5B9ull >> 56);
}

/* The peer's address as text: IPv4 for a v4-mapped one. */
static void
peer_text(const struct sockaddr_in6 *p, char *out, size_t len)
{
	if (IN6_IS_ADDR_V4MAPPED(&p->sin6_addr))
		inet_ntop(AF_INET, &p->sin6_addr.s6_addr[12], out, (socklen_t)len);
	else
		inet_ntop(AF_INET6, &p->sin6_addr, out, (socklen_t)len);
}

static int
receive(int port, uint64_t n, int show_peer)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port) }, peer;
	socklen_t plen = sizeof(peer);
	char ptext[INET6_ADDRSTRLEN];
	int ls = socket(AF_INET6, SOCK_STREAM, 0), on = 1, off = 0, fd;
	uint8_t buf[65536];
	uint64_t got = 0;

	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1) ||
	    (fd = accept(ls, (struct sockaddr *)&peer, &plen)) < 0) {
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
	if (show_peer) {
		peer_text(&peer, ptext, sizeof(ptext));
		printf("ok %llu from %s %u\n", (unsigned long long)got, ptext, ntohs(peer.sin6_port));
	} else
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
	zeros = getenv("XFER_ZEROS") != NULL;
	if (argc == 4 && !strcmp(argv[1], "-l"))
		return receive(atoi(argv[2]), strtoull(argv[3], NULL, 10), 0);
	if (argc == 4 && !strcmp(argv[1], "-a"))
		return receive(atoi(argv[2]), strtoull(argv[3], NULL, 10), 1);
	if (argc == 5 && !strcmp(argv[1], "-c"))
		return send_all(argv[2], argv[3], strtoull(argv[4], NULL, 10));
	fprintf(stderr, "usage: xfer -l PORT N | xfer -a PORT N | xfer -c HOST PORT N\n");
	return 2;
}
