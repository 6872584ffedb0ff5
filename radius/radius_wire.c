/* radius_wire.c: the pure pieces of the RADIUS client: Framed-Route values read
 * into /ppp secret's route form, Acct-Terminate-Cause for an end, session ids,
 * and the authenticators of RFC 5176 requests and answers (radcli covers the
 * client side of RFC 2865/2866, not packets a server sends us). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/md5.h>

#include "configdb.h"
#include "radius_client.h"

int
radius_terminate_cause(const char *r)
{
	static const struct { const char *word; int cause; } map[] = {
		{ "idle-timeout", 4 }, { "session-timeout", 5 }, { "limit-bytes", 10 },
		{ "RADIUS", 6 }, { "removed", 6 }, { "disabled", 6 }, { "admin", 6 },
		{ "ping-restart", 2 }, { "connection", 2 }, { "transport", 2 },
		{ "stopping", 11 }, { "configuration changed", 11 },
	};

	if (!r)
		return 1;
	/* "server disabled or removed": the NAS going down, not the user */
	if (!strncmp(r, "server ", 7))
		return 11;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(r, map[i].word))
			return map[i].cause;
	return 1;	/* User-Request: the client said goodbye */
}

static int
ip4(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1;
}

/* "dst[/len] [gateway] [metric]", every part checked */
static int
route_ok(const char *v)
{
	char dst[32], gw[32], *slash, *end;
	long len = 32, metric = 0;
	int n = sscanf(v, "%31s %31s %ld", dst, gw, &metric);

	if (n < 1 || strchr(v, ',') || (n == 3 && (metric < 0 || metric > 65535)))
		return 0;
	if ((slash = strchr(dst, '/'))) {
		*slash = '\0';
		len = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || len < 0 || len > 32)
			return 0;
	}
	return ip4(dst) && (n < 2 || ip4(gw));
}

int
radius_route_add(char *routes, size_t size, const char *value, size_t len)
{
	char v[RADIUS_ATTR_MAX + 1];
	size_t have = strlen(routes);

	if (len >= sizeof(v))
		return -1;
	memcpy(v, value, len);
	v[len] = '\0';
	if (!route_ok(v) || have + (have > 0) + len + 1 > size)
		return -1;
	snprintf(routes + have, size - have, "%s%s", have ? "," : "", v);
	return 0;
}

void
radius_session_id(uint32_t n, char out[9])
{
	snprintf(out, 9, "%08x", n);
}

/* MD5(packet with auth in place of its authenticator, secret) */
static void
authenticator(const uint8_t *pkt, size_t len, const uint8_t auth[16], const char *secret,
	      uint8_t out[16])
{
	wc_Md5 md;

	wc_InitMd5(&md);
	wc_Md5Update(&md, pkt, 4);
	wc_Md5Update(&md, auth, 16);
	wc_Md5Update(&md, pkt + 20, (word32)(len - 20));
	wc_Md5Update(&md, (const uint8_t *)secret, (word32)strlen(secret));
	wc_Md5Final(&md, out);
}

/* RFC 5176 section 3.5: the request's authenticator is over sixteen zeros
 * in its place. The length field must match what arrived. */
int
radius_request_valid(const uint8_t *pkt, size_t len, const char *secret)
{
	static const uint8_t zero[16];
	uint8_t want[16], d = 0;

	if (len < 20 || len > 4096 || (size_t)(pkt[2] << 8 | pkt[3]) != len)
		return 0;
	authenticator(pkt, len, zero, secret, want);
	for (int i = 0; i < 16; i++)
		d |= want[i] ^ pkt[4 + i];
	return d == 0;
}

void
radius_response_sign(uint8_t *pkt, size_t len, const uint8_t req_auth[16], const char *secret)
{
	uint8_t out[16];

	authenticator(pkt, len, req_auth, secret, out);
	memcpy(pkt + 4, out, 16);
}

/* Mikrotik-Rate-Limit is "rx/tx [burst-rx/tx [threshold [time [priority
 * [min-rx/tx]]]]]"; the rate limiter here has the first field only. */
int
radius_rate(const char *v, char *out, size_t size)
{
	uint64_t rx, tx;
	size_t n = strcspn(v, " ");

	out[0] = '\0';
	if (n >= size)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	if (cdb_parse_rate(out, &rx, &tx)) {
		out[0] = '\0';
		return -1;
	}
	return v[n] ? 1 : 0;
}

static void
copy_text(char *out, size_t size, const uint8_t *v, size_t n)
{
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), v ? (const char *)v : "");
}

/* One attribute of an Access-Accept (id: vendor << 16 | type; v and n a
 * string's bytes, u an integer's or address's value) into g. -1 when it
 * is one we apply and its value does not read; others are left alone. */
int
radius_grant_attr(struct radius_grant *g, unsigned id, const uint8_t *v, size_t n, uint32_t u)
{
	switch (id) {
	case 8:		/* Framed-IP-Address: 255.255.255.254/255 mean "the NAS chooses" */
		g->framed_ip = u >= 0xfffffffe ? 0 : u;
		return 0;
	case 88:	/* Framed-Pool */
		if (!v || n == 0 || n >= sizeof(g->pool))
			return -1;
		copy_text(g->pool, sizeof(g->pool), v, n);
		return 0;
	case 22:	/* Framed-Route */
		return v ? radius_route_add(g->routes, sizeof(g->routes), (const char *)v, n) : -1;
	case 27: g->session_timeout = u; return 0;
	case 28: g->idle_timeout = u; return 0;
	case 85: g->interim = u; return 0;	/* Acct-Interim-Interval */
	case 18: copy_text(g->reply, sizeof(g->reply), v, n); return 0;	/* Reply-Message */
	case 25:	/* Class */
		if (!v || n > sizeof(g->class_))
			return -1;
		memcpy(g->class_, v, n);
		g->class_len = n;
		return 0;
	case (14988u << 16) | 3:	/* Mikrotik-Group */
		if (!v || n == 0 || n >= sizeof(g->group))
			return -1;
		copy_text(g->group, sizeof(g->group), v, n);
		return 0;
	case (14988u << 16) | 8:	/* Mikrotik-Rate-Limit */
		if (!v || n >= sizeof(g->rate))
			return -1;
		copy_text(g->rate, sizeof(g->rate), v, n);
		return 0;
	}
	return 0;
}

int
radius_request_attrs(const uint8_t *a, size_t len, struct radius_ask *q)
{
	memset(q, 0, sizeof(*q));
	while (len >= 2) {
		size_t n = a[1];

		if (n < 2 || n > len)
			return -1;
		if (a[0] == 1 && n - 2 < sizeof(q->user))
			q->names += snprintf(q->user, sizeof(q->user), "%.*s", (int)n - 2, a + 2) > 0;
		else if (a[0] == 44 && n - 2 < sizeof(q->session))
			q->names += snprintf(q->session, sizeof(q->session), "%.*s", (int)n - 2,
					     a + 2) > 0;
		else if (a[0] == 8 && n == 6) {
			q->ip = (uint32_t)a[2] << 24 | a[3] << 16 | a[4] << 8 | a[5];
			q->names++;
		} else if (a[0] == 26 && n >= 8 && !memcmp(a + 2, "\0\0\x3a\x8c", 4) && a[6] == 8 &&
			   a[7] == n - 6 && a[7] >= 2 && (size_t)a[7] - 2 < sizeof(q->rate)) {
			snprintf(q->rate, sizeof(q->rate), "%.*s", a[7] - 2, a + 8);
			q->has_rate = 1;
		}
		a += n;
		len -= n;
	}
	return len ? -1 : 0;
}
