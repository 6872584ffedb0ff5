/* syslog.c: a log line to a remote action's syslog server over UDP, as
 * RouterOS's remote logging sends it: RFC 3164 (BSD) lines when bsd-syslog
 * is yes, RFC 5424 ones when no. A datagram that can not go is dropped: the
 * log must never stop the console or the engine. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "db_int.h"

/* An IPv4 or IPv6 text into ss; its length, or 0 for none (0.0.0.0, ::). */
static socklen_t
sockaddr_of(const char *ip, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return v4->sin_addr.s_addr ? sizeof(*v4) : 0;
	}
	if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		return IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr) ? 0 : sizeof(*v6);
	}
	return 0;
}

/* The action's socket, bound to src-address when one is set. */
static int
sock_for(struct cdb_log_action *a, int family)
{
	struct sockaddr_storage src;
	socklen_t len = sockaddr_of(a->src, 0, &src);

	if (a->fd >= 0)
		return a->fd;
	a->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd >= 0 && len && src.ss_family == family &&
	    bind(a->fd, (struct sockaddr *)&src, len)) {
		close(a->fd);
		a->fd = -1;
	}
	return a->fd;
}

/* syslog's severity from RouterOS's topics. */
static int
severity(const char *topics)
{
	if (cdb_log_match("critical", topics))
		return 2;
	if (cdb_log_match("error", topics))
		return 3;
	if (cdb_log_match("warning", topics))
		return 4;
	if (cdb_log_match("debug", topics))
		return 7;
	return 6;
}

/* RFC 5424's timestamp: 2026-12-06T08:07:04.123456+01:00 */
static void
stamp5424(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;
	char zone[8];

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
	if (strlen(zone) == 5)	/* +0100 becomes +01:00 */
		snprintf(strchr(buf, 'Z'), 7, "%.3s:%.2s", zone, zone + 3);
}

void
cdb_syslog_send(struct cdb_log_action *a, const char *host, const char *topics,
		const char *message)
{
	struct sockaddr_storage to;
	socklen_t tolen = sockaddr_of(a->host, a->port, &to);
	char line[2048], when[48], name[64];
	int pri = a->facility * 8 + severity(topics), fd, n;
	time_t now = time(NULL);
	struct tm tm;

	if (!tolen || (fd = sock_for(a, to.ss_family)) < 0)
		return;
	/* a HOSTNAME field has no spaces */
	snprintf(name, sizeof(name), "%s", *host ? host : "rosh");
	for (char *p = name; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			*p = '-';
	if (a->bsd) {
		localtime_r(&now, &tm);
		strftime(when, sizeof(when), "%b %e %H:%M:%S", &tm);
		n = snprintf(line, 1024, "<%d>%s %s rosh: %s %s%s%s", pri, when, name, topics,
			     a->prefix ? a->prefix : "", a->prefix ? " " : "", message);
	} else {
		stamp5424(when, sizeof(when));
		n = snprintf(line, sizeof(line), "<%d>1 %s %s rosh %ld - - %s %s%s%s", pri, when,
			     name, (long)getpid(), topics, a->prefix ? a->prefix : "",
			     a->prefix ? " " : "", message);
	}
	if (n > 0)
		sendto(fd, line, strlen(line), 0, (struct sockaddr *)&to, tolen);
}
