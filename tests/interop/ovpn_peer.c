/* ovpn_peer.c: a test program, not the engine. It runs one OpenVPN session
 * of the protocol core (engine/ovpn) over a UDP or TCP socket, as a server
 * (or with -C as a client), with a fake tun that answers ICMP echo requests
 * to the tunnel address by turning each request into its reply in place.
 * Every event goes to stdout as one line, for test-proto-openvpn.sh to read.
 *
 * ovpn_peer [-t] [-C] -l ADDR -p PORT --ca F --cert F --key F
 *           [--ciphers A:B] [--auth SHA1] [--tls-auth F DIR] [--tls-crypt F]
 *           [--tls-crypt-v2 F] [--reneg S] [--keepalive P R] [--user U --pass P]
 *           [--push OPTS] [--addr 10.99.0.1] [--verify-client] [--tls12]
 *           [--verify-name N] [--exit-after S] [--no-ekm] [--no-peer-id]
 *
 * --no-ekm and --no-peer-id reach into the session (session_int.h) to act
 * like a server that offers neither, as RouterOS does: the keys then come
 * from the TLS 1.0 PRF and the client sends P_DATA_V1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "read_file.h"
#include "session.h"
#include "session_int.h"

struct peer {
	int fd, tcp, client;
	struct ovpn_shared *sh;
	struct ovpn_sess *s;
	struct sockaddr_storage addr;	/* UDP: the peer */
	socklen_t addrlen;
	uint32_t tun_addr;		/* network order: the address we answer pings for */
	const char *user, *pass, *push;
	int ping_s, restart_s;
	int no_ekm, no_peer_id;
	int down;
	uint8_t rbuf[70000];		/* TCP stream reassembly */
	size_t rlen;
	long pings;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static char *slurp(const char *path)
{
	char *buf = read_file(path);

	if (!buf) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	return buf;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ---- the session's callbacks ---- */

static void io_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct peer *p = ctx;
	uint8_t buf[70000];

	if (!p->tcp) {
		sendto(p->fd, pkt, len, 0, (struct sockaddr *)&p->addr, p->addrlen);
		return;
	}
	if (len > 65535)
		return;
	buf[0] = (uint8_t)(len >> 8);
	buf[1] = (uint8_t)len;
	memcpy(buf + 2, pkt, len);
	for (size_t off = 0; off < len + 2;) {
		ssize_t n = write(p->fd, buf + off, len + 2 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An ICMP echo request to our address becomes its reply, in place. */
static void io_tun(void *ctx, const uint8_t *pkt, size_t len)
{
	struct peer *p = ctx;
	uint8_t buf[65536];
	size_t ihl;
	uint16_t c;

	if (len < 28 || len > sizeof(buf) || (pkt[0] >> 4) != 4)
		return;
	memcpy(buf, pkt, len);
	ihl = (size_t)(buf[0] & 15) * 4;
	if (ihl < 20 || len < ihl + 8 || buf[9] != 1 || buf[ihl] != 8 ||
	    memcmp(buf + 16, &p->tun_addr, 4))
		return;
	memcpy(buf + 16, buf + 12, 4);		/* destination: the sender */
	memcpy(buf + 12, &p->tun_addr, 4);	/* source: us */
	buf[8] = 64;
	buf[10] = buf[11] = 0;
	c = csum(buf, ihl);
	buf[10] = (uint8_t)(c >> 8);
	buf[11] = (uint8_t)c;
	buf[ihl] = 0;				/* echo reply */
	buf[ihl + 2] = buf[ihl + 3] = 0;
	c = csum(buf + ihl, len - ihl);
	buf[ihl + 2] = (uint8_t)(c >> 8);
	buf[ihl + 3] = (uint8_t)c;
	p->pings++;
	ovpn_sess_output(p->s, buf, len, now_ms());
}

static void io_auth(void *ctx, const char *user, const char *pass, const char *pi,
		    const char *cn)
{
	struct peer *p = ctx;
	int ok = (!p->user || !strcmp(user, p->user)) && (!p->pass || !strcmp(pass, p->pass));
	const char *proto = strstr(pi, "IV_PROTO=");

	say("AUTH user=%s pass=%s cn=%s %s proto=%.*s", user, pass, cn, ok ? "ok" : "refused",
	    proto ? (int)strcspn(proto + 9, "\n") : 1, proto ? proto + 9 : "-");
	/* the session decided these from the peer-info just before this call */
	if (p->no_ekm)
		p->s->ekm = 0;
	if (p->no_peer_id)
		p->s->use_peer_id = 0;
	ovpn_sess_auth(p->s, ok, ok ? NULL : "wrong user or password");
}

static void io_push_request(void *ctx)
{
	struct peer *p = ctx;

	say("PUSH_REQUEST");
	ovpn_sess_push(p->s, p->push);
}

static void io_pushed(void *ctx, const char *opts)
{
	(void)ctx;
	say("PUSHED %s", opts);
}

static void io_up(void *ctx, const char *cipher, const char *digest)
{
	(void)ctx;
	say("UP cipher=%s digest=%s", cipher, digest);
}

static void io_down(void *ctx, const char *reason)
{
	struct peer *p = ctx;

	say("DOWN %s (ping replies %ld)", reason, p->pings);
	p->down = 1;
}

static void io_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= 2 || getenv("OVPN_PEER_DEBUG"))
		say("LOG %d %s", level, msg);
}

static const struct ovpn_io io = {
	.send = io_send,
	.tun = io_tun,
	.auth = io_auth,
	.push_request = io_push_request,
	.pushed = io_pushed,
	.up = io_up,
	.down = io_down,
	.log = io_log,
};

/* ---- transport ---- */

static void new_session(struct peer *p)
{
	p->s = ovpn_sess_new(p->sh, &io, p, 1, now_ms());
	if (!p->s) {
		say("FATAL no session");
		exit(1);
	}
	if (p->ping_s || p->restart_s)
		ovpn_sess_keepalive(p->s, p->ping_s, p->restart_s);
}

static void udp_packet(struct peer *p, const uint8_t *pkt, size_t len,
		       const struct sockaddr_storage *from, socklen_t fromlen)
{
	uint8_t reply[OVPN_REPLY_MAX];
	size_t rlen = 0;
	int r;

	if (p->s) {
		if (fromlen == p->addrlen && !memcmp(from, &p->addr, fromlen))
			ovpn_sess_input(p->s, pkt, len, now_ms());
		return;
	}
	r = ovpn_server_initial(p->sh, pkt, len, from, fromlen, now_ms(), reply, &rlen);
	if (r == 1) {
		sendto(p->fd, reply, rlen, 0, (const struct sockaddr *)from, fromlen);
	} else if (r == 2) {
		memcpy(&p->addr, from, fromlen);
		p->addrlen = fromlen;
		say("SESSION from %s", inet_ntoa(((const struct sockaddr_in *)from)->sin_addr));
		new_session(p);
		ovpn_sess_input(p->s, pkt, len, now_ms());
	}
}

/* TCP: 16-bit big-endian length, then the packet; a read may hold several. */
static int tcp_read(struct peer *p)
{
	ssize_t n = read(p->fd, p->rbuf + p->rlen, sizeof(p->rbuf) - p->rlen);

	if (n <= 0)
		return -1;
	p->rlen += (size_t)n;
	while (p->rlen >= 2) {
		size_t len = (size_t)(p->rbuf[0] << 8 | p->rbuf[1]);

		if (p->rlen < 2 + len)
			break;
		if (!p->s && ovpn_server_initial(p->sh, p->rbuf + 2, len, NULL, 0, now_ms(), NULL,
						 NULL) == 2)
			new_session(p);
		if (p->s)
			ovpn_sess_input(p->s, p->rbuf + 2, len, now_ms());
		memmove(p->rbuf, p->rbuf + 2 + len, p->rlen - 2 - len);
		p->rlen -= 2 + len;
		if (p->down)
			return 0;
	}
	return 0;
}

static int open_socket(struct peer *p, const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, p->tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (p->client) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return -1;
		memcpy(&p->addr, &sa, sizeof(sa));
		p->addrlen = sizeof(sa);
		return fd;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	if (p->tcp) {
		int c;

		if (listen(fd, 1) < 0)
			return -1;
		say("LISTEN tcp %s:%d", addr, port);
		c = accept(fd, NULL, NULL);
		close(fd);
		if (c >= 0)
			setsockopt(c, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
		return c;
	}
	say("LISTEN udp %s:%d", addr, port);
	return fd;
}

static void loop(struct peer *p, uint64_t exit_at)
{
	while (!stop && !p->down) {
		uint64_t now = now_ms(), d = p->s ? ovpn_sess_deadline(p->s) : now + 1000;
		int timeout = d <= now ? 0 : d - now > 1000 ? 1000 : (int)(d - now);
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

		if (exit_at && now >= exit_at && p->s) {
			ovpn_sess_close(p->s, "exit-after", now);
			exit_at = 0;
			continue;
		}
		if (poll(&pfd, 1, timeout) > 0) {
			if (p->tcp) {
				if (tcp_read(p) < 0) {
					say("DOWN tcp connection closed (ping replies %ld)", p->pings);
					return;
				}
			} else {
				uint8_t buf[65536];
				struct sockaddr_storage from;
				socklen_t fl = sizeof(from);
				ssize_t n = recvfrom(p->fd, buf, sizeof(buf), 0,
						     (struct sockaddr *)&from, &fl);

				if (n > 0)
					udp_packet(p, buf, (size_t)n, &from, fl);
			}
		}
		if (p->s && ovpn_sess_deadline(p->s) <= now_ms())
			ovpn_sess_tick(p->s, now_ms());
	}
	if (stop && p->s && !p->down)
		ovpn_sess_close(p->s, "signal", now_ms());
}

static int parse_list(const char *list, int (*byname)(const char *), int *out, int max)
{
	char *copy = strdup(list), *save = NULL;
	int n = 0;

	for (char *t = strtok_r(copy, ":,", &save); t && n < max; t = strtok_r(NULL, ":,", &save)) {
		int v = byname(t);

		if (v < 0) {
			fprintf(stderr, "unknown name %s\n", t);
			exit(2);
		}
		out[n++] = v;
	}
	free(copy);
	return n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca", 1, 0, 'A' }, { "cert", 1, 0, 'E' }, { "key", 1, 0, 'K' },
		{ "ciphers", 1, 0, 'c' }, { "auth", 1, 0, 'a' }, { "tls-auth", 1, 0, 'T' },
		{ "tls-crypt", 1, 0, 'X' }, { "tls-crypt-v2", 1, 0, 'V' }, { "reneg", 1, 0, 'r' },
		{ "keepalive", 1, 0, 'k' }, { "user", 1, 0, 'u' }, { "pass", 1, 0, 'w' },
		{ "push", 1, 0, 'P' }, { "addr", 1, 0, 'd' }, { "verify-client", 0, 0, 'v' },
		{ "tls12", 0, 0, '2' }, { "verify-name", 1, 0, 'n' }, { "exit-after", 1, 0, 'x' },
		{ "no-ekm", 0, 0, 'e' }, { "no-peer-id", 0, 0, 'i' },
		{ 0, 0, 0, 0 }
	};
	struct ovpn_cfg cfg = { .key_direction = -1, .hand_window = 60, .tun_mtu = 1500 };
	struct peer p = { .push = "" };
	const char *listen_addr = "127.0.0.1", *tun = "10.99.0.1";
	int port = 1194, c, ciphers[DC__CIPHERS], digests[DC__DIGESTS], exit_after = 0;
	char err[256];

	cfg.server = 1;
	while ((c = getopt_long(argc, argv, "tCl:p:", opts, NULL)) != -1) {
		switch (c) {
		case 't': p.tcp = cfg.tcp = 1; break;
		case 'C': p.client = 1; cfg.server = 0; break;
		case 'l': listen_addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'A': cfg.ca_pem = slurp(optarg); break;
		case 'E': cfg.cert_pem = slurp(optarg); break;
		case 'K': cfg.key_pem = slurp(optarg); break;
		case 'c':
			cfg.nciphers = parse_list(optarg, dc_cipher_by_name, ciphers, DC__CIPHERS);
			for (int i = 0; i < cfg.nciphers; i++)
				cfg.ciphers[i] = (enum dc_cipher)ciphers[i];
			break;
		case 'a':
			cfg.ndigests = parse_list(optarg, dc_digest_by_name, digests, DC__DIGESTS);
			for (int i = 0; i < cfg.ndigests; i++)
				cfg.digests[i] = (enum dc_digest)digests[i];
			break;
		case 'T':
			cfg.tls_auth_key = slurp(optarg);
			if (optind < argc && argv[optind][0] != '-')
				cfg.key_direction = atoi(argv[optind++]);
			break;
		case 'X': cfg.tls_crypt_key = slurp(optarg); break;
		case 'V': cfg.tls_crypt_v2_key = slurp(optarg); break;
		case 'r': cfg.reneg_sec = atoi(optarg); break;
		case 'k':
			p.ping_s = atoi(optarg);
			if (optind < argc)
				p.restart_s = atoi(argv[optind++]);
			break;
		case 'u': p.user = cfg.user = optarg; break;
		case 'w': p.pass = cfg.pass = optarg; break;
		case 'P': p.push = optarg; break;
		case 'd': tun = optarg; break;
		case 'v': cfg.verify_peer = 1; break;
		case '2': cfg.tls12_only = 1; break;
		case 'n': cfg.verify_name = optarg; cfg.verify_peer = 1; break;
		case 'x': exit_after = atoi(optarg); break;
		case 'e': p.no_ekm = 1; break;
		case 'i': p.no_peer_id = 1; break;
		default: return 2;
		}
	}
	if (inet_pton(AF_INET, tun, &p.tun_addr) != 1)
		return 2;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	p.sh = ovpn_shared_new(&cfg, err, sizeof(err));
	if (!p.sh) {
		say("FATAL %s", err);
		return 1;
	}
	p.fd = open_socket(&p, listen_addr, port);
	if (p.fd < 0) {
		say("FATAL socket: %s", strerror(errno));
		return 1;
	}
	if (p.client) {
		new_session(&p);
		ovpn_sess_tick(p.s, now_ms());
	}
	loop(&p, exit_after ? now_ms() + (uint64_t)exit_after * 1000 : 0);
	ovpn_sess_free(p.s);
	ovpn_shared_free(p.sh);
	close(p.fd);
	return 0;
}
