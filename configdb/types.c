/* types.c: typed property values: input text to canonical text, and ordering. */
#include "configdb.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

/* How well a failed parse understood the input. With several alternatives the
 * admin sees the error of the one that came closest, not merely the last. */
enum { R_GENERIC, R_NOMATCH, R_SPECIFIC };

typedef int parse_fn(const struct cdb_prop *p, const char *in, char **out,
		     struct cdb_err *e, int *rank);

int cdb_errf(struct cdb_err *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const base_names[T__COUNT] = {
	[T_STRING] = "string",		[T_INT] = "int",
	[T_BOOL] = "bool",		[T_ENUM] = "enum",
	[T_TIME] = "time",		[T_IP4] = "ip4",
	[T_IP4PREFIX] = "ip4-prefix",	[T_IP4RANGE] = "ip4-range",
	[T_IP6] = "ip6",		[T_IP6PREFIX] = "ip6-prefix",
	[T_MAC] = "mac",		[T_HOST] = "host",
	[T_REF] = "ref",		[T_RATE] = "rate",
	[T_ROUTES] = "routes",		[T_DATE] = "date",
	[T_PASSWORD] = "password",	[T_PORT] = "port", [T_VRF] = "vrf",
};

/* The name used in schema files, or NULL for a value outside the enum. */
const char *cdb_base_name(enum cdb_base t)
{
	if ((int)t < 0 || t >= T__COUNT)
		return NULL;
	return base_names[t];
}

/* ---- small helpers ----
 * Our own ASCII classes: <ctype.h> follows the locale and is undefined for
 * negative chars, and everything but strings is strict ASCII (cdb_is_digit in
 * db_int.h, shared with types_time.c). */

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* configdb knows nothing of the other parts, pki's codec included: its
 * MAC addresses read their hex digits here. */
static int hex_val(int c)
{
	if (cdb_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const char *pname(const struct cdb_prop *p)
{
	return p && p->name ? p->name : "value";
}

/* Hand back a copy of s in *out. */
static int give(char **out, const char *s, struct cdb_err *e)
{
	*out = strdup(s);
	return *out ? 0 : cdb_errf(e, "failure: out of memory");
}

/* The generic refusal, saying what the type expected. */
static int expected(const struct cdb_prop *p, struct cdb_err *e, const char *what)
{
	return cdb_errf(e, "invalid value for argument %s: expected %s", pname(p), what);
}

/* Find in among list: an exact match wins, else a unique prefix. Returns the
 * index, -1 when nothing matches (or in is empty), -2 when ambiguous. */
static int match_prefix(char *const *list, int n, const char *in)
{
	size_t len = strlen(in);
	int found = -1, i;

	if (len == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(list[i], in) == 0)
			return i;
	for (i = 0; i < n; i++) {
		if (strncmp(list[i], in, len) != 0)
			continue;
		if (found >= 0)
			return -2;
		found = i;
	}
	return found;
}

/* "ambiguous value of P, more than one possible value matches input: a, b"
 * naming the values the input could be. */
static int ambiguous(const struct cdb_prop *p, char *const *list, int n, const char *in,
		     struct cdb_err *e)
{
	char cands[300] = "";
	size_t len = strlen(in), used = 0;

	for (int i = 0; i < n; i++) {
		if (strncmp(list[i], in, len) != 0)
			continue;
		if (used + strlen(list[i]) + 6 >= sizeof(cands)) {
			snprintf(cands + used, sizeof(cands) - used, ", ...");
			break;
		}
		used += snprintf(cands + used, sizeof(cands) - used, "%s%s", used ? ", " : "",
				 list[i]);
	}
	return cdb_errf(e, "ambiguous value of %s, more than one possible value matches "
			"input: %s", pname(p), cands);
}

/* A small decimal such as a prefix length: 1 to 3 digits, at most max. */
static int parse_small(const char *s, int max, int *v)
{
	int n = 0, digits = 0;

	for (; cdb_is_digit(*s) && digits < 4; s++, digits++)
		n = n * 10 + (*s - '0');
	if (*s != '\0' || digits == 0 || digits > 3 || n > max)
		return -1;
	*v = n;
	return 0;
}

/* ---- IPv4 ---- */

/* Strict dotted quad. Leading zeros are read as decimal, never octal. */
int cdb_parse_ip4(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	int part, digits, n;

	for (part = 0; part < 4; part++) {
		if (part > 0 && *s++ != '.')
			return -1;
		for (n = 0, digits = 0; cdb_is_digit(*s) && digits < 4; s++, digits++)
			n = n * 10 + (*s - '0');
		if (digits == 0 || digits > 3 || n > 255)
			return -1;
		v = v << 8 | (uint32_t)n;
	}
	if (*s != '\0')
		return -1;
	*ip = v;
	return 0;
}

static void fmt_ip4(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(ip >> 24), (unsigned)(ip >> 16 & 255),
		 (unsigned)(ip >> 8 & 255), (unsigned)(ip & 255));
}

static uint32_t ip4_mask(int len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* "a.b.c.d/len" or a bare address (len -1). */
static int split_ip4(const char *s, uint32_t *ip, int *len)
{
	const char *slash = strchr(s, '/');
	char buf[16];
	size_t n;

	*len = -1;
	if (slash == NULL)
		return cdb_parse_ip4(s, ip);
	n = (size_t)(slash - s);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (cdb_parse_ip4(buf, ip) != 0)
		return -1;
	return parse_small(slash + 1, 32, len);
}

/* "a-b": both ends, any order (the caller checks it). */
static int split_ip4_range(const char *s, uint32_t *a, uint32_t *b)
{
	const char *dash = strchr(s, '-');
	char buf[16];
	size_t n;

	if (dash == NULL)
		return -1;
	n = (size_t)(dash - s);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (cdb_parse_ip4(buf, a) != 0)
		return -1;
	return cdb_parse_ip4(dash + 1, b);
}

char *
cdb_fmt_ip4(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

/* "10.0.0.1/24" into address and length; the length is required. */
int cdb_parse_ip4prefix(const char *s, uint32_t *a, int *len)
{
	char ip[32];
	const char *slash = s ? strchr(s, '/') : NULL;
	char *end;
	long n;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -1;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	n = strtol(slash + 1, &end, 10);
	if (*end || n < 0 || n > 32 || cdb_parse_ip4(ip, a))
		return -1;
	*len = (int)n;
	return 0;
}

/* ---- IPv6 ---- */

/* "addr/len" or a bare address (len -1); inet_pton does the address. */
static int split_ip6(const char *s, struct in6_addr *a, int *len)
{
	const char *slash = strchr(s, '/');
	char buf[64];
	size_t n;

	*len = -1;
	if (slash == NULL)
		return inet_pton(AF_INET6, s, a) == 1 ? 0 : -1;
	n = (size_t)(slash - s);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	return parse_small(slash + 1, 128, len);
}

/* ---- one parser per base type ---- */

static int parse_string(const struct cdb_prop *p, const char *in, char **out,
			struct cdb_err *e, int *rank)
{
	(void)p;
	(void)rank;
	return give(out, in, e);
}

/* Optional '-', then digits only; strtoll alone would accept " +1x". */
static int int_syntax(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '\0')
		return -1;
	for (; *s; s++)
		if (!cdb_is_digit(*s))
			return -1;
	return 0;
}

static int parse_int(const struct cdb_prop *p, const char *in, char **out,
		     struct cdb_err *e, int *rank)
{
	long long v, min = -0x7fffffffffffffffLL - 1, max = 0x7fffffffffffffffLL;
	char buf[32];

	if (int_syntax(in) != 0)
		return expected(p, e, "integer");
	if (p && (p->flags & P_RANGE)) {
		min = p->min;
		max = p->max;
	}
	errno = 0;
	v = strtoll(in, NULL, 10);
	if (errno == ERANGE || v < min || v > max) {
		*rank = R_SPECIFIC;
		return cdb_errf(e, "value of %s out of range (%lld..%lld)", pname(p), min, max);
	}
	snprintf(buf, sizeof(buf), "%lld", v);
	return give(out, buf, e);
}

static int parse_bool(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	(void)rank;
	if (strcmp(in, "yes") == 0 || strcmp(in, "true") == 0)
		return give(out, "yes", e);
	if (strcmp(in, "no") == 0 || strcmp(in, "false") == 0)
		return give(out, "no", e);
	return expected(p, e, "yes or no");
}

static int parse_enum(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	int i = p ? match_prefix(p->values, p->nvalues, in) : -1;

	for (int k = 0; p && k < p->naliases && (i < 0 || strcmp(p->values[i], in)); k++)
		if (!strcmp(p->aliases[k], in))	/* an older name, RouterOS 6's */
			return give(out, p->alias_of[k], e);
	if (i >= 0)
		return give(out, p->values[i], e);
	if (i == -2) {
		*rank = R_SPECIFIC;
		return ambiguous(p, p->values, p->nvalues, in, e);
	}
	*rank = R_NOMATCH;
	return cdb_errf(e, "input does not match any value of %s", pname(p));
}

static int parse_time(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	long long secs;

	if (cdb_parse_time(in, &secs) != 0)
		return expected(p, e, "time interval");
	if (p && (p->flags & P_RANGE) && (secs < p->min || secs > p->max)) {
		char *lo = cdb_fmt_time(p->min), *hi = cdb_fmt_time(p->max);

		*rank = R_SPECIFIC;
		cdb_errf(e, "value of %s out of range (%s..%s)", pname(p), lo ? lo : "",
			 hi ? hi : "");
		free(lo);
		free(hi);
		return -1;
	}
	*out = cdb_fmt_time(secs);
	return *out ? 0 : cdb_errf(e, "failure: out of memory");
}

static int parse_ip4(const struct cdb_prop *p, const char *in, char **out,
		     struct cdb_err *e, int *rank)
{
	uint32_t ip;
	char buf[16];

	(void)rank;
	if (cdb_parse_ip4(in, &ip) != 0)
		return expected(p, e, "IPv4 address");
	fmt_ip4(ip, buf);
	return give(out, buf, e);
}

/* The address keeps its host bits, as RouterOS keeps 192.168.1.1/24. */
static int parse_ip4prefix(const struct cdb_prop *p, const char *in, char **out,
			   struct cdb_err *e, int *rank)
{
	uint32_t ip;
	int len;
	char a[16], buf[32];

	(void)rank;
	if (split_ip4(in, &ip, &len) != 0)
		return expected(p, e, "IPv4 prefix");
	fmt_ip4(p && (p->flags & P_NETWORK) ? ip & ip4_mask(len < 0 ? 32 : len) : ip, a);
	snprintf(buf, sizeof(buf), "%s/%d", a, len < 0 ? 32 : len);
	return give(out, buf, e);
}

/* A range names addresses, so a prefix here means its network. */
static int parse_ip4range(const struct cdb_prop *p, const char *in, char **out,
			  struct cdb_err *e, int *rank)
{
	uint32_t a, b;
	int len;
	char sa[16], sb[16], buf[40];

	if (split_ip4_range(in, &a, &b) == 0) {
		if (a > b) {
			*rank = R_SPECIFIC;
			return cdb_errf(e, "invalid value for argument %s: range start "
					"after end", pname(p));
		}
		fmt_ip4(a, sa);
		fmt_ip4(b, sb);
		snprintf(buf, sizeof(buf), "%s-%s", sa, sb);
		return give(out, buf, e);
	}
	if (split_ip4(in, &a, &len) != 0)
		return expected(p, e, "IPv4 range");
	if (len < 0) {
		fmt_ip4(a, buf);
		return give(out, buf, e);
	}
	fmt_ip4(a & ip4_mask(len), sa);
	snprintf(buf, sizeof(buf), "%s/%d", sa, len);
	return give(out, buf, e);
}

static int parse_ip6(const struct cdb_prop *p, const char *in, char **out,
		     struct cdb_err *e, int *rank)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN];

	(void)rank;
	if (inet_pton(AF_INET6, in, &a) != 1)
		return expected(p, e, "IPv6 address");
	inet_ntop(AF_INET6, &a, buf, sizeof(buf));
	return give(out, buf, e);
}

static int parse_ip6prefix(const struct cdb_prop *p, const char *in, char **out,
			   struct cdb_err *e, int *rank)
{
	struct in6_addr a;
	int len;
	char addr[INET6_ADDRSTRLEN], buf[INET6_ADDRSTRLEN + 16];

	(void)rank;
	if (split_ip6(in, &a, &len) != 0)
		return expected(p, e, "IPv6 prefix");
	inet_ntop(AF_INET6, &a, addr, sizeof(addr));
	snprintf(buf, sizeof(buf), "%s/%d", addr, len < 0 ? 128 : len);
	return give(out, buf, e);
}

/* Six hex pairs with ':' or '-' between them (the same one throughout), or
 * twelve hex digits in a row. */
static int read_mac(const char *s, unsigned char m[6])
{
	size_t n = strlen(s), step = n == 17 ? 3 : 2;
	int i, hi, lo;

	if (n != 17 && n != 12)
		return -1;
	if (n == 17 && s[2] != ':' && s[2] != '-')
		return -1;
	for (i = 0; i < 6; i++) {
		const char *q = s + (size_t)i * step;

		hi = hex_val(q[0]);
		lo = hex_val(q[1]);
		if (hi < 0 || lo < 0 || (n == 17 && i < 5 && q[2] != s[2]))
			return -1;
		m[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int parse_mac(const struct cdb_prop *p, const char *in, char **out,
		     struct cdb_err *e, int *rank)
{
	unsigned char m[6];
	char buf[18];

	(void)rank;
	if (read_mac(in, m) != 0)
		return expected(p, e, "MAC address");
	snprintf(buf, sizeof(buf), "%02X:%02X:%02X:%02X:%02X:%02X",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return give(out, buf, e);
}

static int parse_date(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	char buf[16];

	(void)rank;
	if (cdb_parse_date(in, buf, sizeof(buf)))
		return expected(p, e, "date (YYYY-MM-DD)");
	return give(out, buf, e);
}

/* One rate in bits per second: digits with an optional k, M or G. */
static int read_bps(const char *s, const char **end, uint64_t *bps)
{
	uint64_t v = 0, mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > UINT64_MAX / 10 / 1000000000ull)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s == 'k' || *s == 'K')
		mult = 1000, s++;
	else if (*s == 'M')
		mult = 1000000, s++;
	else if (*s == 'G')
		mult = 1000000000, s++;
	*bps = v * mult;
	*end = s;
	return 0;
}

int cdb_parse_rate(const char *s, uint64_t *rx, uint64_t *tx)
{
	const char *end;

	if (read_bps(s, &end, rx) != 0)
		return -1;
	*tx = *rx;
	if (*end == '/' && read_bps(end + 1, &end, tx) != 0)
		return -1;
	return *end == '\0' ? 0 : -1;
}

/* rate-limit: "rx[/tx]" as RouterOS writes it (10M/20M); the burst fields
 * RouterOS also knows are not implemented, so they are refused. */
static int parse_rate(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	uint64_t rx, tx;

	(void)rank;
	if (*in == '\0')
		return give(out, in, e);	/* no limit */
	if (strchr(in, ' '))
		return cdb_errf(e, "invalid value for argument %s: burst rates are not supported, "
			    "give rx/tx only", pname(p));
	if (cdb_parse_rate(in, &rx, &tx) != 0)
		return expected(p, e, "rate as rx/tx, such as 10M/20M");
	return give(out, in, e);
}

/* push-routes: checked by types_route.c, which the engine reads them with. */
static int parse_routes(const struct cdb_prop *p, const char *in, char **out,
			struct cdb_err *e, int *rank)
{
	char why[200];

	/* too long: the length check that follows says so in its words */
	if (p && p->len && strlen(in) > (size_t)p->len)
		return give(out, in, e);
	if (cdb_parse_push_routes(in, why, sizeof(why)) != 0) {
		*rank = R_SPECIFIC;
		return cdb_errf(e, "invalid value for argument %s: %s", pname(p), why);
	}
	return give(out, in, e);
}

/* One DNS label of [A-Za-z0-9-], 1..63 long, no '-' at either end. Returns
 * its length or -1; *alpha is set when it holds a letter. */
static int dns_label(const char *s, int *alpha)
{
	int n;

	for (n = 0; s[n] != '\0' && s[n] != '.'; n++) {
		if (is_alpha(s[n]))
			*alpha = 1;
		else if (!cdb_is_digit(s[n]) && s[n] != '-')
			return -1;
	}
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return -1;
	return n;
}

/* A host name needs a letter somewhere, so a mistyped "1.2.3" is no name. */
static int is_dns_name(const char *s)
{
	size_t total = strlen(s);
	int alpha = 0, n;

	if (total == 0 || total > 253)
		return 0;
	for (;;) {
		n = dns_label(s, &alpha);
		if (n < 0)
			return 0;
		s += n;
		if (*s == '\0')
			return alpha;
		s++;
	}
}

static int parse_host(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	uint32_t ip;
	struct in6_addr a6;
	char buf[INET6_ADDRSTRLEN];

	(void)rank;
	if (cdb_parse_ip4(in, &ip) == 0) {
		fmt_ip4(ip, buf);
		return give(out, buf, e);
	}
	if (inet_pton(AF_INET6, in, &a6) == 1) {
		inet_ntop(AF_INET6, &a6, buf, sizeof(buf));
		return give(out, buf, e);
	}
	if (!is_dns_name(in))
		return expected(p, e, "address or host name");
	return give(out, in, e);
}

/* Syntax only: whether the item exists is the item layer's business. */
static int parse_ref(const struct cdb_prop *p, const char *in, char **out,
		     struct cdb_err *e, int *rank)
{
	const unsigned char *s;

	(void)rank;
	if (*in == '\0' || strlen(in) > 255)
		return expected(p, e, "name");
	for (s = (const unsigned char *)in; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return expected(p, e, "name");
	return give(out, in, e);
}

/* A password is kept as its hash; empty stays empty (no password). */
static int parse_password(const struct cdb_prop *p, const char *in, char **out,
			  struct cdb_err *e, int *rank)
{
	char h[160];

	(void)rank;
	if (*in && (strlen(in) > 255 || cdb_password_hash(in, h, sizeof(h))))
		return cdb_errf(e, "invalid value for argument %s: at most 255 characters", pname(p));
	return give(out, *in ? h : "", e);
}

static parse_fn *const parsers[T__COUNT] = {
	[T_STRING] = parse_string,	[T_INT] = parse_int,
	[T_BOOL] = parse_bool,		[T_ENUM] = parse_enum,
	[T_TIME] = parse_time,		[T_IP4] = parse_ip4,
	[T_IP4PREFIX] = parse_ip4prefix, [T_IP4RANGE] = parse_ip4range,
	[T_IP6] = parse_ip6,		[T_IP6PREFIX] = parse_ip6prefix,
	[T_MAC] = parse_mac,		[T_HOST] = parse_host,
	[T_REF] = parse_ref,		[T_RATE] = parse_rate,
	[T_ROUTES] = parse_routes,	[T_DATE] = parse_date,
	[T_PASSWORD] = parse_password,	[T_PORT] = cdb_type_port, [T_VRF] = cdb_type_vrf,
};

static int parse_base(enum cdb_base t, const struct cdb_prop *p, const char *in,
		      char **out, struct cdb_err *e, int *rank)
{
	*out = NULL;
	*rank = R_GENERIC;
	if ((int)t < 0 || t >= T__COUNT)
		return cdb_errf(e, "invalid type for argument %s", pname(p));
	return parsers[t](p, in, out, e, rank);
}

int cdb_type_parse(enum cdb_base t, const struct cdb_prop *p, const char *in,
		   char **out, struct cdb_err *e)
{
	int rank;

	return parse_base(t, p, in, out, e, &rank);
}

/* ---- whole values: words, alternatives, lists ---- */

/* Try p's types in order; the first to accept wins. On failure keep the error
 * that understood the input best; with several types a merely generic one
 * cannot say which type was meant, so it names none. */
static int parse_alts(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	struct cdb_err tmp, best;
	int i, r, best_rank = -1, n = p->ntypes > 0 ? p->ntypes : 1;

	for (i = 0; i < n && i < CDB_MAXALT; i++) {
		enum cdb_base t = p->ntypes > 0 ? p->types[i] : T_STRING;

		if (parse_base(t, p, in, out, &tmp, &r) == 0)
			return 0;
		if (r > best_rank) {
			best = tmp;
			best_rank = r;
		}
	}
	*rank = best_rank;
	if (n > 1 && best_rank == R_GENERIC)
		return cdb_errf(e, "invalid value for argument %s", pname(p));
	/* Only the text: e->arg belongs to the caller. */
	if (e)
		memcpy(e->msg, best.msg, sizeof(e->msg));
	return -1;
}

/* An enum list is a set: each value at most once. */
static int is_set(const struct cdb_prop *p)
{
	int i;

	for (i = 0; i < p->ntypes && i < CDB_MAXALT; i++)
		if (p->types[i] == T_ENUM)
			return 1;
	return 0;
}

/* Parse list element k (len bytes at s) into parts[k]. */
static int list_elem(const struct cdb_prop *p, const char *s, size_t len, char **parts,
		     int k, struct cdb_err *e, int *rank)
{
	char *elem;
	int rc, j;

	if (len == 0)
		return cdb_errf(e, "invalid value for argument %s: empty list element",
				pname(p));
	elem = strndup(s, len);
	if (elem == NULL)
		return cdb_errf(e, "failure: out of memory");
	rc = parse_alts(p, elem, &parts[k], e, rank);
	free(elem);
	for (j = 0; rc == 0 && j < k && is_set(p); j++) {
		if (strcmp(parts[j], parts[k]) == 0) {
			*rank = R_SPECIFIC;
			rc = cdb_errf(e, "value %s given twice for %s", parts[k], pname(p));
		}
	}
	return rc;
}

static int join_parts(char **parts, int n, char **out, struct cdb_err *e)
{
	size_t total = 0, off = 0, len;
	int i;

	for (i = 0; i < n; i++)
		total += strlen(parts[i]) + 1;
	*out = malloc(total);
	if (*out == NULL)
		return cdb_errf(e, "failure: out of memory");
	for (i = 0; i < n; i++) {
		len = strlen(parts[i]);
		memcpy(*out + off, parts[i], len);
		off += len;
		(*out)[off++] = i + 1 < n ? ',' : '\0';
	}
	return 0;
}

static void free_parts(char **parts, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}

/* Comma separated elements, each parsed like a single value. An empty list is
 * valid here; whether the property may be empty is the caller's question. */
static int parse_list(const struct cdb_prop *p, const char *in, char **out,
		      struct cdb_err *e, int *rank)
{
	const char *s, *end;
	char **parts;
	int n = 1, k, rc = 0;

	if (*in == '\0')
		return give(out, "", e);
	for (s = in; *s; s++)
		n += *s == ',';
	parts = calloc((size_t)n, sizeof(*parts));
	if (parts == NULL)
		return cdb_errf(e, "failure: out of memory");
	for (s = in, k = 0; rc == 0 && k < n; k++, s = end + 1) {
		end = strchr(s, ',');
		if (end == NULL)
			end = s + strlen(s);
		rc = list_elem(p, s, (size_t)(end - s), parts, k, e, rank);
	}
	if (rc == 0)
		rc = join_parts(parts, n, out, e);
	free_parts(parts, n);
	return rc;
}

/* A word typed in part ("dis" for disabled) counts only when the type itself
 * refused the input: a ref named "n" must stay "n", not become "none". */
static int word_fallback(const struct cdb_prop *p, const char *in, char **out,
			 struct cdb_err *e, int rank)
{
	int w = match_prefix(p->words, p->nwords, in);

	if (w >= 0)
		return give(out, p->words[w], e);
	if (w == -2 && rank < R_SPECIFIC)
		return ambiguous(p, p->words, p->nwords, in, e);
	return -1;
}

static int check_len(const struct cdb_prop *p, char **out, struct cdb_err *e)
{
	if (p->len <= 0 || strlen(*out) <= (size_t)p->len)
		return 0;
	free(*out);
	*out = NULL;
	return cdb_errf(e, "value of %s too long (max %d)", pname(p), p->len);
}

/* Input text to canonical text: a literal word, else the list or the single
 * value of p's types. The length limit counts bytes of the canonical text;
 * schema words are exempt, being the schema's own spelling. */
int cdb_value_parse(const struct cdb_prop *p, const char *in, char **out,
		    struct cdb_err *e)
{
	int i, rank = R_GENERIC, rc;

	*out = NULL;
	if (p == NULL || in == NULL)
		return cdb_errf(e, "invalid value for argument %s", pname(p));
	for (i = 0; i < p->nwords; i++)
		if (strcmp(in, p->words[i]) == 0)
			return give(out, p->words[i], e);
	if (p->flags & P_LIST)
		rc = parse_list(p, in, out, e, &rank);
	else
		rc = parse_alts(p, in, out, e, &rank);
	if (rc != 0)
		return word_fallback(p, in, out, e, rank);
	return check_len(p, out, e);
}

static int refused_one(const struct cdb_prop *p, const char *v, size_t len)
{
	for (int i = 0; i < p->nrefuse; i++) {
		if (!strcmp(p->refuse[i], "*") && len &&
		    (!p->def || strlen(p->def) != len || strncmp(p->def, v, len)))
			return 1;
		if (strlen(p->refuse[i]) == len && !strncmp(p->refuse[i], v, len))
			return 1;
	}
	return 0;
}

int cdb_value_refused(const struct cdb_prop *p, const char *canon, struct cdb_err *e)
{
	const char *s = canon, *end;

	if (!p || !p->nrefuse || !canon)
		return 0;
	if (!(p->flags & P_LIST))	/* "*" is for single values */
		return refused_one(p, canon, strlen(canon)) ?
			cdb_errf(e, "%s=%s is not supported: %s", p->name, canon, p->refuse_why) : 0;
	for (; *s; s = *end ? end + 1 : end) {
		end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		if (refused_one(p, s, (size_t)(end - s)))
			return cdb_errf(e, "%s=%.*s is not supported: %s", p->name,
					(int)(end - s), s, p->refuse_why);
	}
	return 0;
}

/* ---- ordering ---- */

/* What a value sorts by: numbers, then IPv4, then IPv6, then text. */
enum { K_NUM, K_IP4, K_IP6, K_TEXT };

struct sort_key {
	int cls;			/* K_* */
	long long num;			/* K_NUM: integer or seconds */
	uint32_t lo, hi;		/* K_IP4: address as written, last address */
	struct in6_addr a6;		/* K_IP6: address */
	int len6;			/* K_IP6: prefix length */
};

static int ip4_key(const char *s, struct sort_key *k)
{
	int len;

	k->cls = K_IP4;
	if (split_ip4_range(s, &k->lo, &k->hi) == 0)
		return 0;
	if (split_ip4(s, &k->lo, &len) != 0)
		return -1;
	k->hi = len < 0 ? k->lo : k->lo | ~ip4_mask(len);
	return 0;
}

static int ip6_key(const char *s, struct sort_key *k)
{
	k->cls = K_IP6;
	if (split_ip6(s, &k->a6, &k->len6) != 0)
		return -1;
	if (k->len6 < 0)
		k->len6 = 128;
	return 0;
}

/* The key of s read as type t, 0 when s is one. */
static int key_as(enum cdb_base t, const char *s, struct sort_key *k)
{
	k->cls = K_NUM;
	switch (t) {
	case T_INT:
		if (int_syntax(s) != 0)
			return -1;
		errno = 0;
		k->num = strtoll(s, NULL, 10);
		return errno == ERANGE ? -1 : 0;
	case T_TIME:
		return cdb_parse_time(s, &k->num);
	case T_IP4: case T_IP4PREFIX: case T_IP4RANGE:
		return ip4_key(s, k);
	case T_IP6: case T_IP6PREFIX:
		return ip6_key(s, k);
	case T_HOST:
		return ip4_key(s, k) == 0 || ip6_key(s, k) == 0 ? 0 : -1;
	default:
		return -1;
	}
}

/* A list sorts by its first element, so only that is read. */
static void key_of(const struct cdb_prop *p, const char *v, struct sort_key *k)
{
	char buf[64];
	size_t n = strcspn(v, ",");
	int i;

	k->cls = K_TEXT;
	if (p == NULL || n >= sizeof(buf))
		return;
	memcpy(buf, v, n);
	buf[n] = '\0';
	for (i = 0; i < p->ntypes && i < CDB_MAXALT; i++)
		if (key_as(p->types[i], buf, k) == 0)
			return;
	k->cls = K_TEXT;
}

#define CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

static int key_cmp(const struct sort_key *a, const struct sort_key *b)
{
	int c;

	if (a->cls != b->cls)
		return CMP(a->cls, b->cls);
	switch (a->cls) {
	case K_NUM:
		return CMP(a->num, b->num);
	case K_IP4:
		return a->lo != b->lo ? CMP(a->lo, b->lo) : CMP(a->hi, b->hi);
	case K_IP6:
		c = memcmp(&a->a6, &b->a6, sizeof(a->a6));
		return c != 0 ? CMP(c, 0) : CMP(a->len6, b->len6);
	default:
		return 0;
	}
}

/* -1, 0 or 1. Unset sorts first; values that read as p's type sort before
 * words and anything else; ties fall back to bytes so the order is total. */
int cdb_value_cmp(const struct cdb_prop *p, const char *a, const char *b)
{
	struct sort_key ka, kb;
	int c;

	if (a == NULL || b == NULL)
		return CMP(a != NULL, b != NULL);
	key_of(p, a, &ka);
	key_of(p, b, &kb);
	c = key_cmp(&ka, &kb);
	if (c != 0)
		return c;
	c = strcmp(a, b);
	return CMP(c, 0);
}
