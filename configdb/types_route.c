/* types_route.c: the routes an OpenVPN server pushes (push-routes), as
 * RouterOS writes them: "network [netmask] [gateway] [metric]", or
 * "network/len [gateway] [metric]", comma separated. The console checks a
 * value with this and the engine reads it with it, so a value the engine
 * would misread (a /33, a netmask with holes) never gets in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configdb.h"
#include "db_int.h"

#define ROUTE_WORDS 4

static int
fail(char *why, size_t wlen, const char *msg, const char *word)
{
	snprintf(why, wlen, "%s '%s'", msg, word);
	return -1;
}

/* A netmask is ones then zeros. */
static int
is_mask(uint32_t m)
{
	return (m & (~m >> 1)) == 0;
}

/* "addr/len" with len 0..32: the address and the mask. */
static int
net_slash(char *w, struct cdb_push_route *r, char *why, size_t wlen)
{
	char *slash = strchr(w, '/'), *end;
	long len;

	*slash = '\0';
	len = strtol(slash + 1, &end, 10);
	if (!cdb_is_digit((unsigned char)slash[1]) || *end || len > 32) {
		*slash = '/';
		return fail(why, wlen, "prefix length must be 0 to 32 in", w);
	}
	if (cdb_parse_ip4(w, &r->net)) {
		*slash = '/';
		return fail(why, wlen, "expected an IPv4 network, not", w);
	}
	r->mask = len ? 0xffffffffu << (32 - len) : 0;
	return 0;
}

int
cdb_parse_push_route(const char *s, struct cdb_push_route *r, char *why, size_t wlen)
{
	char copy[128], *w[ROUTE_WORDS + 1], *save = NULL, *end;
	int n = 0, k = 1, slash;

	memset(r, 0, sizeof(*r));
	r->mask = 0xffffffffu;
	r->metric = -1;
	if (snprintf(copy, sizeof(copy), "%s", s) >= (int)sizeof(copy))
		return fail(why, wlen, "route too long:", s);
	for (char *t = strtok_r(copy, " \t", &save); t && n <= ROUTE_WORDS;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n == 0 || n > ROUTE_WORDS)
		return fail(why, wlen, "expected network [netmask] [gateway] [metric], not", s);
	slash = strchr(w[0], '/') != NULL;
	if (slash) {
		if (net_slash(w[0], r, why, wlen))
			return -1;
	} else if (cdb_parse_ip4(w[0], &r->net)) {
		return fail(why, wlen, "expected an IPv4 network, not", w[0]);
	} else if (n > 1 && cdb_parse_ip4(w[k++], &r->mask) == 0 && !is_mask(r->mask)) {
		return fail(why, wlen, "not a netmask:", w[1]);
	} else if (n > 1 && cdb_parse_ip4(w[1], &r->mask)) {
		return fail(why, wlen, "expected a netmask, not", w[1]);
	}
	if (k < n && cdb_parse_ip4(w[k++], &r->gw))
		return fail(why, wlen, "expected a gateway address, not", w[k - 1]);
	r->has_gw = k > (slash ? 1 : 2);
	if (k < n) {
		r->metric = strtol(w[k], &end, 10);
		if (!cdb_is_digit((unsigned char)w[k][0]) || *end || r->metric > 65535)
			return fail(why, wlen, "metric must be 0 to 65535, not", w[k]);
		k++;
	}
	if (k < n)
		return fail(why, wlen, "too many words in", s);
	return 0;
}

int
cdb_parse_push_routes(const char *s, char *why, size_t wlen)
{
	char copy[1401], *save = NULL;
	struct cdb_push_route r;

	if (snprintf(copy, sizeof(copy), "%s", s) >= (int)sizeof(copy))
		return fail(why, wlen, "longer than 1400 characters:", "push-routes");
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (cdb_parse_push_route(t, &r, why, wlen))
			return -1;
	return 0;
}
