/* hs_load.c: a load generator for OpenVPN servers, built on our own protocol
 * core (engine/ovpn) in the client role. It is a benchmark tool, not part of
 * the engine. Each connection has its own UDP socket (or TCP connection), so
 * the server sees a distinct peer; one thread, one epoll loop, no tun: the
 * data channel carries only the pings of --ping-rate.
 *
 * Two modes:
 *
 *   handshakes (default): keep -c K connections handshaking at once for
 *   -w warm-up + -d seconds. A handshake is complete when the server's
 *   PUSH_REPLY has arrived and the data channel keys are up; the connection
 *   is then closed (EXIT on the control channel, or OCC exit) and a fresh
 *   one, from a fresh source port, takes its place. Prints the completions
 *   inside the measured window per second, latencies, failures, the load
 *   generator's own CPU per handshake and, with --watch-pid, the server's
 *   (utime+stime+cutime+cstime from /proc/PID/stat over the same window).
 *
 *   --hold M: bring M connections up (at most K handshaking at once), print
 *   "ALL UP", keep them alive (keepalive pings) until SIGTERM/SIGINT, then
 *   close them all and exit. With --ping-rate R each session that is up
 *   also sends R ICMP echo requests a second through its data channel, from
 *   its pushed address to the server's tunnel address (route-gateway, or
 *   --ping-dst), and counts the replies it decrypts (hs_ping.c). SIGUSR1
 *   prints a TRAFFIC line of totals, SIGUSR2 doubles the rate, SIGHUP sets it
 *   back to R.
 *
 * Users: connection n authenticates as printf(user-fmt, base + n % users)
 * with password printf(pass-fmt, same number).
 *
 * hs_load [-t] -s ADDR -p PORT --ca F --cert F --key F [--verify-name N]
 *         [--cipher AES-256-GCM] [-c K] [-d SECONDS] [-w SECONDS] [--hold M]
 *         [--user-fmt user%04d] [--pass-fmt pass%04d] [--users U] [--base B]
 *         [--watch-pid PID] [--timeout SECONDS] [--max-fail N] [--sport P]
 *         [--ping-rate R] [--ping-size BYTES] [--ping-dst ADDR]
 *
 * Source ports are bound explicitly, round-robin from --sport (20000) up to
 * 60999 and around: see SPORT_LO.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hs_ping.h"
#include "read_file.h"
#include "session.h"

struct conn {
	int fd;
	struct ovpn_sess *s;
	int num;			/* user number */
	int pushed, up;			/* both: the handshake is complete */
	int complete;			/* counted */
	int closing;			/* ovpn_sess_close() called */
	int dead;			/* io->down came: free after the call returns */
	int handshaking;		/* counts against the concurrency */
	uint64_t started, close_at;
	char why[200];
	uint8_t *rbuf;			/* TCP reassembly */
	size_t rlen;
	int slot;			/* index in conns[] */
	/* traffic (--ping-rate) */
	uint32_t self, server;		/* pushed addresses, host order; 0: none */
	int pingable;			/* counted in npingable */
	uint16_t seq;
	uint64_t tx, rx;		/* echo requests sent, replies read */
};

static struct {
	const char *addr, *ca_path, *cert_path, *key_path;
	int port, tcp, conc, hold, users, base, watch_pid, max_fail;
	double dur, warm, timeout;
	const char *user_fmt, *pass_fmt, *verify_name;
	enum dc_cipher cipher;
	double ping_rate;		/* echo requests per second per session */
	int ping_size;			/* ICMP payload bytes */
	uint32_t ping_dst;		/* --ping-dst, host order; 0: the pushed gateway */
} opt = {
	.addr = "127.0.0.1", .port = 1194, .conc = 8, .users = 1, .dur = 10, .warm = 1,
	.timeout = 30, .max_fail = 1000, .user_fmt = "user%04d", .pass_fmt = "pass%04d",
	.ping_size = 56,
};

static char *ca_pem, *cert_pem, *key_pem;
static struct ovpn_shared **shared;	/* one per user: the credentials live there */
static struct conn **conns;
static int nconns, capconns, handshaking, ep;
static long next_num;
/* Source ports are handed out round-robin, so that a port comes back only
 * after every other one was used: a server that keeps a closed client's
 * state for a few seconds (OpenVPN's delayed exit: 5 s) would refuse a new
 * session from the same address and port, and the kernel's own choice
 * reuses ports far sooner. */
#define SPORT_LO 20000
#define SPORT_HI 60999
static int next_sport = SPORT_LO;	/* --sport: where this run starts */
static struct sockaddr_in srv;
static volatile sig_atomic_t stop, want_report, want_double, want_reset;

/* statistics */
static long completed, in_window, failed, timeouts, lost, started_total;
static double *lat;
static size_t nlat, caplat;
static int reasons_shown;
/* traffic: totals since the start, the worst round trip since the last report */
static struct pacer pace;
static long npingable;
static int rr;				/* round-robin cursor into conns[] */
static unsigned long long tx_pkts, rx_pkts, tx_bytes, rx_bytes, send_errs, rtt_sum_us, rtt_max_us;
static int no_target_said;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_report = 1;
	else if (sig == SIGUSR2)
		want_double = 1;
	else if (sig == SIGHUP)
		want_reset = 1;
	else
		stop = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path)
{
	char *buf = read_file(path);

	if (!buf) {
		fprintf(stderr, "hs_load: cannot read %s\n", path);
		exit(2);
	}
	return buf;
}

static double cpu_self_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* utime+stime+cutime+cstime of a process, in seconds; -1 when it is gone */
static double cpu_pid_s(int pid)
{
	char path[64], buf[2048], *p;
	unsigned long long v[4];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command name may hold spaces: fields count from the last ')' */
	if (!(p = strrchr(buf, ')')))
		return -1;
	/* after ')': state(3) ... utime is field 14, so 11 fields after state */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3]) != 4)
		return -1;
	return (double)(v[0] + v[1] + v[2] + v[3]) / (double)sysconf(_SC_CLK_TCK);
}

static long rss_pid_kb(int pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	fclose(f);
	return kb;
}

static struct ovpn_shared *shared_for(int num)
{
	int i = num - opt.base;
	char user[128], pass[128], err[256];
	struct ovpn_cfg cfg = { 0 };

	if (shared[i])
		return shared[i];
	snprintf(user, sizeof(user), opt.user_fmt, num);
	snprintf(pass, sizeof(pass), opt.pass_fmt, num);
	cfg.server = 0;
	cfg.tcp = opt.tcp;
	cfg.ca_pem = ca_pem;
	cfg.cert_pem = cert_pem;
	cfg.key_pem = key_pem;
	cfg.verify_peer = 1;
	cfg.verify_name = opt.verify_name;
	cfg.key_direction = -1;
	cfg.ciphers[0] = opt.cipher;
	cfg.nciphers = 1;
	cfg.digests[0] = DC_SHA1;
	cfg.ndigests = 1;
	cfg.hand_window = 60;
	cfg.tun_mtu = 1500;
	cfg.user = user;
	cfg.pass = pass;
	shared[i] = ovpn_shared_new(&cfg, err, sizeof(err));
	if (!shared[i]) {
		fprintf(stderr, "hs_load: client configuration: %s\n", err);
		exit(1);
	}
	return shared[i];
}

/* ---- the session's callbacks ---- */

static void io_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct conn *c = ctx;
	uint8_t buf[2 + 65535];

	if (c->fd < 0)
		return;
	if (!opt.tcp) {
		if (send(c->fd, pkt, len, MSG_DONTWAIT) < 0)
			send_errs++;
		return;
	}
	if (len > 65535)
		return;
	buf[0] = (uint8_t)(len >> 8);
	buf[1] = (uint8_t)len;
	memcpy(buf + 2, pkt, len);
	/* the socket stays blocking for writes: control traffic is small */
	for (size_t off = 0; off < len + 2;) {
		ssize_t n = send(c->fd, buf + off, len + 2 - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* a decrypted packet from the server: our echo replies are counted */
static void io_tun(void *ctx, const uint8_t *pkt, size_t len)
{
	struct conn *c = ctx;
	uint64_t sent, rtt;

	if (!c->self || !ping_reply(pkt, len, c->self, (uint16_t)c->num, &sent))
		return;
	c->rx++;
	rx_pkts++;
	rx_bytes += len;
	rtt = now_us() - sent;
	rtt_sum_us += rtt;
	if (rtt > rtt_max_us)
		rtt_max_us = rtt;
}

static void io_pushed(void *ctx, const char *opts)
{
	struct conn *c = ctx;
	uint32_t self, server;

	c->pushed = 1;
	if (!opt.ping_rate)
		return;
	if (ping_target(opts, &self, &server) < 0) {
		if (!no_target_said++)
			fprintf(stderr, "hs_load: no ifconfig and route-gateway pushed, no traffic: %s\n",
				opts);
		return;
	}
	c->self = self;
	c->server = opt.ping_dst ? opt.ping_dst : server;
}

static void io_up(void *ctx, const char *cipher, const char *digest)
{
	struct conn *c = ctx;

	(void)cipher;
	(void)digest;
	c->up = 1;
}

static void io_down(void *ctx, const char *reason)
{
	struct conn *c = ctx;

	c->dead = 1;
	snprintf(c->why, sizeof(c->why), "%s", reason ? reason : "?");
}

static void io_log(void *ctx, int level, const char *msg)
{
	struct conn *c = ctx;

	if (level <= 0 || getenv("HS_LOAD_DEBUG"))
		fprintf(stderr, "hs_load: conn %d (user %d): %s\n", c->slot, c->num, msg);
}

static const struct ovpn_io io = {
	.send = io_send,
	.tun = io_tun,
	.pushed = io_pushed,
	.up = io_up,
	.down = io_down,
	.log = io_log,
};

/* ---- connections ---- */

/* the earliest session deadline known (UINT64_MAX: none) and the last scan */
static uint64_t tmin = UINT64_MAX, last_scan;

static void note_deadline(const struct conn *c)
{
	uint64_t d = ovpn_sess_deadline(c->s);

	if (d && d < tmin)
		tmin = d;
	if (c->dead && c->started < tmin)
		tmin = c->started;	/* conn_after frees it at the next scan */
}


static int conn_start(uint64_t now)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN };
	int one = 1;

	if (!c)
		return -1;
	c->num = opt.base + (int)(next_num++ % opt.users);
	c->fd = socket(AF_INET, (opt.tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		fprintf(stderr, "hs_load: socket: %s\n", strerror(errno));
		free(c);
		return -1;
	}
	if (opt.tcp)
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (int tries = 0; tries <= SPORT_HI - SPORT_LO; tries++) {
		struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)next_sport) };

		if (++next_sport > SPORT_HI)
			next_sport = SPORT_LO;
		if (!bind(c->fd, (struct sockaddr *)&me, sizeof(me)))
			break;
		if (errno != EADDRINUSE) {
			fprintf(stderr, "hs_load: bind: %s\n", strerror(errno));
			break;
		}
	}
	if (connect(c->fd, (struct sockaddr *)&srv, sizeof(srv)) < 0) {
		if (reasons_shown++ < 5)
			fprintf(stderr, "hs_load: connect: %s\n", strerror(errno));
		close(c->fd);
		free(c);
		failed++;
		return -1;
	}
	if (!opt.tcp)
		fcntl(c->fd, F_SETFL, O_NONBLOCK);
	else
		c->rbuf = malloc(2 + 65535);
	if (nconns == capconns) {
		capconns = capconns ? capconns * 2 : 256;
		conns = realloc(conns, sizeof(*conns) * (size_t)capconns);
	}
	c->slot = nconns;
	conns[nconns++] = c;
	ev.data.ptr = c;
	epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	c->started = now;
	c->handshaking = 1;
	handshaking++;
	started_total++;
	c->s = ovpn_sess_new(shared_for(c->num), &io, c, 0, now);
	if (!c->s) {
		fprintf(stderr, "hs_load: no session\n");
		exit(1);
	}
	ovpn_sess_tick(c->s, now);
	note_deadline(c);
	return 0;
}

static void conn_free(struct conn *c)
{
	if (c->pingable) {
		c->pingable = 0;
		npingable--;
	}
	if (c->handshaking) {
		c->handshaking = 0;
		handshaking--;
	}
	if (c->fd >= 0) {
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	ovpn_sess_free(c->s);
	free(c->rbuf);
	conns[c->slot] = conns[--nconns];
	conns[c->slot]->slot = c->slot;
	free(c);
}

static void add_lat(double ms)
{
	if (nlat == caplat) {
		caplat = caplat ? caplat * 2 : 4096;
		lat = realloc(lat, sizeof(*lat) * caplat);
	}
	lat[nlat++] = ms;
}

/* After any call into the session: completion, death, closing. 1 when the
 * connection was freed. */
static int conn_after(struct conn *c, uint64_t now, double win_start, double win_end)
{
	if (!c->complete && c->pushed && c->up && !c->dead) {
		double t = now_s();

		c->complete = 1;
		c->handshaking = 0;
		handshaking--;
		completed++;
		if (t >= win_start && t < win_end) {
			in_window++;
			add_lat((double)(now - c->started));
		}
		if (!opt.hold) {
			c->closing = 1;
			c->close_at = now + 5000;
			ovpn_sess_close(c->s, "bench done", now);
		} else if (c->self) {
			c->pingable = 1;
			npingable++;
		}
	}
	if (c->dead) {
		if (!c->complete) {
			failed++;
			if (reasons_shown++ < 5)
				fprintf(stderr, "hs_load: user %d failed after %llu ms: %s\n", c->num,
					(unsigned long long)(now - c->started), c->why);
		} else if (opt.hold && !c->closing) {
			lost++;
			if (reasons_shown++ < 5)
				fprintf(stderr, "hs_load: user %d lost: %s\n", c->num, c->why);
		}
		conn_free(c);
		return 1;
	}
	if (c->closing && now >= c->close_at) {
		conn_free(c);
		return 1;
	}
	if (!c->complete && now - c->started > (uint64_t)(opt.timeout * 1000)) {
		timeouts++;
		if (reasons_shown++ < 5)
			fprintf(stderr, "hs_load: user %d: no handshake in %.0f s\n", c->num, opt.timeout);
		conn_free(c);
		return 1;
	}
	return 0;
}

/* Every connection: due timers, then conn_after; tmin is recomputed. */
static void scan_timers(uint64_t now, double win_start, double win_end)
{
	tmin = UINT64_MAX;
	last_scan = now;
	/* conn_after may move the last connection into slot i */
	for (int i = 0; i < nconns;) {
		struct conn *cn = conns[i];
		uint64_t d = ovpn_sess_deadline(cn->s);

		if (d && d <= now)
			ovpn_sess_tick(cn->s, now);
		if (conn_after(cn, now, win_start, win_end))
			continue;
		note_deadline(cn);
		i++;
	}
}

static void conn_read(struct conn *c, uint64_t now)
{
	uint8_t buf[65536];

	if (!opt.tcp) {
		for (int i = 0; i < 64 && !c->dead; i++) {
			ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return;
			if (n <= 0) {
				/* ECONNREFUSED: nothing listens (yet) */
				if (n < 0 && errno == ECONNREFUSED)
					continue;
				return;
			}
			ovpn_sess_input(c->s, buf, (size_t)n, now);
		}
		return;
	}
	ssize_t n = recv(c->fd, c->rbuf + c->rlen, 2 + 65535 - c->rlen, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		c->dead = 1;
		snprintf(c->why, sizeof(c->why), "tcp connection closed");
		return;
	}
	c->rlen += (size_t)n;
	size_t off = 0;

	while (c->rlen - off >= 2 && !c->dead) {
		size_t len = (size_t)c->rbuf[off] << 8 | c->rbuf[off + 1];

		if (c->rlen - off - 2 < len)
			break;
		if (len)
			ovpn_sess_input(c->s, c->rbuf + off + 2, len, now);
		off += 2 + len;
	}
	memmove(c->rbuf, c->rbuf + off, c->rlen - off);
	c->rlen -= off;
}

/* ---- traffic ---- */

/* The echo requests due now, one per session in turn. */
static void traffic_send(uint64_t now)
{
	uint8_t pkt[PING_HDR + PING_MAX];
	long due = pacer_due(&pace, now_s(), npingable);

	for (long k = 0; k < due && npingable > 0; k++) {
		struct conn *c = NULL;

		for (int tries = 0; tries < nconns && !c; tries++) {
			if (rr >= nconns)
				rr = 0;
			if (conns[rr]->pingable && !conns[rr]->closing && !conns[rr]->dead)
				c = conns[rr];
			rr++;
		}
		if (!c)
			return;
		size_t len = ping_build(pkt, sizeof(pkt), c->self, c->server, (uint16_t)c->num,
					c->seq++, (size_t)opt.ping_size, now_us());

		c->tx++;
		tx_pkts++;
		tx_bytes += len;
		ovpn_sess_output(c->s, pkt, len, now);
	}
}

/* Milliseconds until the pacer has a packet due (at least 1), or dflt. */
static int traffic_wait(int dflt)
{
	double need, ms;

	if (pace.rate <= 0 || npingable <= 0)
		return dflt;
	need = (1 - pace.tokens) / (pace.rate * (double)npingable);
	ms = need * 1000;
	if (ms < 1)
		ms = 1;
	return ms < dflt ? (int)ms : dflt;
}

/* One line of totals since the start (a script takes differences between
 * two of them): sessions up, those that have had a reply (passed) and those
 * that sent and never had one (silent), packets and bytes of the inner IP
 * packets each way, round trips, and our own CPU. */
static void traffic_report(double t)
{
	long up = 0, passed = 0, silent = 0;

	for (int i = 0; i < nconns; i++) {
		const struct conn *c = conns[i];

		if (!c->complete || c->closing || c->dead)
			continue;
		up++;
		if (c->rx)
			passed++;
		else if (c->tx)
			silent++;
	}
	printf("TRAFFIC t=%.3f rate=%g up=%ld passed=%ld silent=%ld sent=%llu recv=%llu "
	       "bytes_sent=%llu bytes_recv=%llu send_errors=%llu rtt_ms_sum=%.1f rtt_ms_max=%.1f "
	       "lost=%ld failed=%ld timeouts=%ld client_cpu_s=%.2f\n", t, pace.rate, up, passed,
	       silent, tx_pkts, rx_pkts, tx_bytes, rx_bytes, send_errs, (double)rtt_sum_us / 1000,
	       (double)rtt_max_us / 1000, lost, failed, timeouts, cpu_self_s());
	fflush(stdout);
	rtt_max_us = 0;
}

/* Say goodbye to every server session, -c at a time every 10 ms (a burst of
 * thousands of EXIT messages would overflow the server's socket buffer and
 * leave it holding sessions until ping-restart), then wait at most 3 s after
 * the last for the acks. */
static void close_all(void)
{
	uint64_t now = now_ms(), end = now + 3000;
	int pending = 1;

	while (nconns && (pending || now < end)) {
		struct epoll_event evs[256];
		int closed = 0, n;

		pending = 0;
		for (int i = 0; i < nconns; i++) {
			struct conn *c = conns[i];

			if (c->closing || c->dead)
				continue;
			if (closed == opt.conc) {
				pending = 1;
				break;
			}
			c->closing = 1;
			c->close_at = now + 3000;
			c->complete = 1;	/* not a failure now */
			if (c->handshaking) {
				c->handshaking = 0;
				handshaking--;
			}
			ovpn_sess_close(c->s, "bench done", now);
			closed++;
		}
		if (closed)
			end = now + 3000;
		n = epoll_wait(ep, evs, 256, 10);
		now = now_ms();
		for (int i = 0; i < n; i++)
			conn_read(evs[i].data.ptr, now);
		for (int i = 0; i < nconns;) {
			struct conn *cn = conns[i];
			uint64_t d = ovpn_sess_deadline(cn->s);

			if (d && d <= now)
				ovpn_sess_tick(cn->s, now);
			if (cn->dead || (cn->closing && now >= cn->close_at)) {
				conn_free(cn);
				continue;
			}
			i++;
		}
	}
	while (nconns)
		conn_free(conns[0]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	size_t i;

	if (!nlat)
		return 0;
	i = (size_t)(p * (double)(nlat - 1) + 0.5);
	return lat[i];
}

static void usage(void)
{
	fprintf(stderr, "usage: hs_load [-t] -s ADDR -p PORT --ca F --cert F --key F "
		"[--verify-name N] [--cipher C] [-c K] [-d S] [-w S] [--hold M] [--user-fmt F] "
		"[--pass-fmt F] [--users U] [--base B] [--watch-pid PID] [--timeout S] "
		"[--max-fail N] [--sport P] [--ping-rate R] [--ping-size B] [--ping-dst A]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca", 1, 0, 'A' }, { "cert", 1, 0, 'E' }, { "key", 1, 0, 'K' },
		{ "verify-name", 1, 0, 'n' }, { "cipher", 1, 0, 'C' }, { "hold", 1, 0, 'H' },
		{ "user-fmt", 1, 0, 'U' }, { "pass-fmt", 1, 0, 'P' }, { "users", 1, 0, 'u' },
		{ "base", 1, 0, 'b' }, { "watch-pid", 1, 0, 'W' }, { "timeout", 1, 0, 'T' },
		{ "max-fail", 1, 0, 'F' }, { "sport", 1, 0, 'S' }, { "ping-rate", 1, 0, 'r' },
		{ "ping-size", 1, 0, 'z' }, { "ping-dst", 1, 0, 'D' }, { 0, 0, 0, 0 }
	};
	const char *cipher = "AES-256-GCM";
	double t0, cpu_t0, win_start, win_end, cpu0 = 0, cpu1 = 0, srv0 = -1, srv1 = -1;
	int c, all_up_said = 0;
	double next_stats = 0;
	int stats = getenv("HS_LOAD_STATS") != NULL;

	while ((c = getopt_long(argc, argv, "ts:p:c:d:w:", opts, NULL)) != -1) {
		switch (c) {
		case 't': opt.tcp = 1; break;
		case 's': opt.addr = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 'c': opt.conc = atoi(optarg); break;
		case 'd': opt.dur = atof(optarg); break;
		case 'w': opt.warm = atof(optarg); break;
		case 'A': opt.ca_path = optarg; break;
		case 'E': opt.cert_path = optarg; break;
		case 'K': opt.key_path = optarg; break;
		case 'n': opt.verify_name = optarg; break;
		case 'C': cipher = optarg; break;
		case 'H': opt.hold = atoi(optarg); break;
		case 'U': opt.user_fmt = optarg; break;
		case 'P': opt.pass_fmt = optarg; break;
		case 'u': opt.users = atoi(optarg); break;
		case 'b': opt.base = atoi(optarg); break;
		case 'W': opt.watch_pid = atoi(optarg); break;
		case 'T': opt.timeout = atof(optarg); break;
		case 'F': opt.max_fail = atoi(optarg); break;
		case 'r': opt.ping_rate = atof(optarg); break;
		case 'z': opt.ping_size = atoi(optarg); break;
		case 'D': {
			struct in_addr a;

			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			opt.ping_dst = ntohl(a.s_addr);
			break;
		}
		case 'S':
			next_sport = atoi(optarg);
			if (next_sport < SPORT_LO || next_sport > SPORT_HI)
				usage();
			break;
		default: usage();
		}
	}
	if (!opt.ca_path || !opt.cert_path || !opt.key_path || opt.conc < 1 || opt.users < 1 ||
	    opt.dur <= 0 || opt.hold < 0 || opt.ping_rate < 0 || opt.ping_size < PING_MIN ||
	    opt.ping_size > PING_MAX)
		usage();
	if (opt.ping_rate > 0 && !opt.hold) {
		fprintf(stderr, "hs_load: --ping-rate needs --hold\n");
		return 2;
	}
	pace.rate = opt.ping_rate;
	if (dc_cipher_by_name(cipher) < 0) {
		fprintf(stderr, "hs_load: unknown cipher %s\n", cipher);
		return 2;
	}
	opt.cipher = (enum dc_cipher)dc_cipher_by_name(cipher);
	if (opt.hold && opt.users < opt.hold)
		opt.users = opt.hold;
	srv.sin_family = AF_INET;
	srv.sin_port = htons((uint16_t)opt.port);
	if (inet_pton(AF_INET, opt.addr, &srv.sin_addr) != 1)
		usage();
	ca_pem = slurp(opt.ca_path);
	cert_pem = slurp(opt.cert_path);
	key_pem = slurp(opt.key_path);
	shared = calloc((size_t)opt.users, sizeof(*shared));
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
	/* enough descriptors for the connections */
	{
		struct rlimit rl;

		if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	/* the credentials' contexts are made before the clock starts */
	for (int i = 0; i < opt.users && i < (opt.hold ? opt.hold : opt.conc * 4); i++)
		shared_for(opt.base + i);
	ep = epoll_create1(EPOLL_CLOEXEC);
	t0 = now_s();
	cpu_t0 = cpu_self_s();
	win_start = opt.hold ? t0 : t0 + opt.warm;
	win_end = opt.hold ? 1e18 : win_start + opt.dur;

	for (int loops = 0;; loops++) {
		uint64_t now = now_ms(), next = now + 100;
		double t = now_s();
		struct epoll_event evs[256];
		int n, timeout;

		if (!opt.hold) {
			if (t >= win_start && srv0 < 0 && cpu0 == 0) {
				cpu0 = cpu_self_s();
				srv0 = opt.watch_pid ? cpu_pid_s(opt.watch_pid) : -1;
				if (!opt.watch_pid)
					srv0 = 0;
			}
			if (t >= win_end || stop || failed + timeouts > opt.max_fail)
				break;
		} else {
			if (stop)
				break;
			if (!all_up_said && completed >= opt.hold) {
				printf("ALL UP %ld in %.2f s (failed %ld, timeouts %ld) client_cpu_s=%.2f\n",
				       completed, t - t0, failed, timeouts, cpu_self_s() - cpu_t0);
				fflush(stdout);
				all_up_said = 1;
			}
			if (failed + timeouts > opt.max_fail) {
				fprintf(stderr, "hs_load: too many failures, giving up\n");
				break;
			}
			if (want_double) {
				want_double = 0;
				pace.rate *= 2;
			}
			if (want_reset) {
				want_reset = 0;
				pace.rate = opt.ping_rate;
			}
			if (want_report) {
				want_report = 0;
				traffic_report(t - t0);
			}
			traffic_send(now);
		}
		if (stats && t >= next_stats) {
			fprintf(stderr, "hs_load: t=%.1f started=%ld completed=%ld handshaking=%d "
				"conns=%d failed=%ld timeouts=%ld\n", t - t0, started_total, completed,
				handshaking, nconns, failed, timeouts);
			next_stats = t + 1;
		}
		/* keep K handshakes going (in hold mode: until M are started) */
		while (handshaking < opt.conc &&
		       (!opt.hold || started_total - failed - timeouts < opt.hold)) {
			if (conn_start(now) < 0)
				break;
			/* the session may have ended already (no server): handled below */
		}
		/* the timers are scanned when the earliest one known is due, and
		 * at least every 100 ms (handshake timeouts, closing): a scan of
		 * every connection on each wake-up would cost more than the
		 * traffic itself with thousands of sessions */
		if (tmin < next)
			next = tmin;
		timeout = traffic_wait(next <= now ? 0 : (int)(next - now));
		n = epoll_wait(ep, evs, 256, timeout);
		now = now_ms();
		for (int i = 0; i < n; i++) {
			struct conn *cn = evs[i].data.ptr;

			conn_read(cn, now);
			if (!conn_after(cn, now, win_start, win_end))
				note_deadline(cn);
		}
		now = now_ms();
		if (now >= tmin || now >= last_scan + 100)
			scan_timers(now, win_start, win_end);
	}
	if (!opt.hold) {
		double t = now_s(), span = (t < win_end ? t : win_end) - win_start;

		cpu1 = cpu_self_s();
		srv1 = opt.watch_pid ? cpu_pid_s(opt.watch_pid) : 0;
		qsort(lat, nlat, sizeof(*lat), cmp_double);
		printf("handshakes=%ld seconds=%.2f rate=%.1f concurrency=%d failed=%ld timeouts=%ld "
		       "lat_ms_p50=%.0f lat_ms_p90=%.0f lat_ms_p99=%.0f lat_ms_max=%.0f "
		       "client_cpu_ms_per_hs=%.2f",
		       in_window, span, span > 0 ? (double)in_window / span : 0, opt.conc, failed,
		       timeouts, pct(0.5), pct(0.9), pct(0.99), nlat ? lat[nlat - 1] : 0,
		       in_window ? (cpu1 - cpu0) * 1000 / (double)in_window : 0);
		if (opt.watch_pid && srv0 >= 0 && srv1 >= 0)
			printf(" server_cpu_ms_per_hs=%.2f server_cpu_pct=%.0f server_rss_kb=%ld",
			       in_window ? (srv1 - srv0) * 1000 / (double)in_window : 0,
			       span > 0 ? (srv1 - srv0) * 100 / span : 0, rss_pid_kb(opt.watch_pid));
		else if (opt.watch_pid)
			printf(" server_gone=1");
		printf("\n");
		fflush(stdout);
	} else {
		if (opt.ping_rate > 0)
			traffic_report(now_s() - t0);
		printf("HOLD END up=%ld lost=%ld failed=%ld timeouts=%ld\n", completed - lost, lost,
		       failed, timeouts);
		fflush(stdout);
	}
	close_all();
	for (int i = 0; i < opt.users; i++)
		ovpn_shared_free(shared[i]);
	return 0;
}
