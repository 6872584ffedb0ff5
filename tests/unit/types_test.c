/* types_test.c: unit tests of configdb/types.c, with properties built by hand. */
#include "configdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int npass, nfail;

static void result(int good, const char *what, const char *in, const char *got,
		   const char *want)
{
	if (good) {
		npass++;
		return;
	}
	nfail++;
	fprintf(stderr, "FAIL %s \"%s\": got \"%s\", want \"%s\"\n", what, in,
		got ? got : "(null)", want ? want : "(null)");
}

/* in is accepted by p and becomes want. */
static void ok(const struct cdb_prop *p, const char *in, const char *want)
{
	struct cdb_err e = { "", -1 };
	char *out = NULL;
	int rc = cdb_value_parse(p, in, &out, &e);

	result(rc == 0 && out && strcmp(out, want) == 0, p->name, in,
	       rc == 0 ? out : e.msg, want);
	free(out);
}

/* in is refused by p with exactly msg, and nothing is handed back. */
static void bad(const struct cdb_prop *p, const char *in, const char *msg)
{
	struct cdb_err e = { "", -1 };
	char *out = (char *)"sentinel";
	int rc = cdb_value_parse(p, in, &out, &e);

	result(rc == -1 && out == NULL && strcmp(e.msg, msg) == 0, p->name, in,
	       rc == 0 ? out : e.msg, msg);
	if (rc == 0)
		free(out);
}

static void order(const struct cdb_prop *p, const char *a, const char *b, int want)
{
	char what[128];
	int got = cdb_value_cmp(p, a, b), back = cdb_value_cmp(p, b, a);
	int norm = got < 0 ? -1 : got > 0;

	snprintf(what, sizeof(what), "cmp %s vs %s", a ? a : "NULL", b ? b : "NULL");
	result(norm == want && (back < 0 ? -1 : back > 0) == -want, p->name, what,
	       norm < 0 ? "<" : norm > 0 ? ">" : "=", want < 0 ? "<" : want > 0 ? ">" : "=");
}

/* Both directions: the text parses to secs, and secs prints as canon. */
static void time_both(const char *in, long long secs, const char *canon)
{
	long long got = -1;
	char *txt;
	char gs[32], ws[32];

	snprintf(gs, sizeof(gs), "%lld", got);
	snprintf(ws, sizeof(ws), "%lld", secs);
	if (cdb_parse_time(in, &got) == 0)
		snprintf(gs, sizeof(gs), "%lld", got);
	result(got == secs, "parse_time", in, gs, ws);
	txt = cdb_fmt_time(secs);
	result(txt && strcmp(txt, canon) == 0, "fmt_time", ws, txt, canon);
	if (txt)
		cdb_parse_time(txt, &got);
	snprintf(gs, sizeof(gs), "%lld", got);
	result(got == secs, "time round trip", canon, gs, ws);
	free(txt);
}

static void ip4_parse(const char *in, int good, uint32_t want)
{
	uint32_t ip = 0;
	int rc = cdb_parse_ip4(in, &ip);

	result(good ? rc == 0 && ip == want : rc == -1, "parse_ip4", in,
	       rc == 0 ? "accepted" : "refused", good ? "accepted" : "refused");
}

static char *cipher_vals[] = { "md5", "sha1", "sha256", "sha512", "null" };
static char *mode_vals[] = { "ip", "ip6", "ethernet" };
static char *auto_vals[] = { "auto", "manual" };
static char *max_vals[] = { "max" };
static char *w_disabled[] = { "disabled" };
static char *w_none[] = { "none" };
static char *w_nn[] = { "none", "never" };

static struct cdb_prop p_comment = { .name = "comment", .ntypes = 1, .types = { T_STRING }, .len = 27 };
static struct cdb_prop p_text = { .name = "text", .ntypes = 1, .types = { T_STRING } };
static struct cdb_prop p_mtu = { .name = "mtu", .ntypes = 1, .types = { T_INT }, .flags = P_RANGE,
	.min = 68, .max = 65535, .words = w_disabled, .nwords = 1 };
static struct cdb_prop p_int = { .name = "count", .ntypes = 1, .types = { T_INT } };
static struct cdb_prop p_bool = { .name = "use-peer-dns", .ntypes = 1, .types = { T_BOOL } };
static struct cdb_prop p_auth = { .name = "auth", .ntypes = 1, .types = { T_ENUM }, .flags = P_LIST,
	.values = cipher_vals, .nvalues = 5 };
static struct cdb_prop p_mode = { .name = "mode", .ntypes = 1, .types = { T_ENUM },
	.values = mode_vals, .nvalues = 3 };
static struct cdb_prop p_time = { .name = "keepalive-timeout", .ntypes = 1, .types = { T_TIME },
	.words = w_disabled, .nwords = 1 };
static struct cdb_prop p_ip4 = { .name = "local-address", .ntypes = 1, .types = { T_IP4 } };
static struct cdb_prop p_pfx = { .name = "address", .ntypes = 1, .types = { T_IP4PREFIX } };
static struct cdb_prop p_ranges = { .name = "ranges", .ntypes = 1, .types = { T_IP4RANGE },
	.flags = P_LIST, .len = 29 };
static struct cdb_prop p_ip6 = { .name = "gateway6", .ntypes = 1, .types = { T_IP6 } };
static struct cdb_prop p_ip6pfx = { .name = "address6", .ntypes = 1, .types = { T_IP6PREFIX } };
static struct cdb_prop p_mac = { .name = "mac-address", .ntypes = 1, .types = { T_MAC } };
static struct cdb_prop p_host = { .name = "connect-to", .ntypes = 1, .types = { T_HOST } };
static struct cdb_prop p_ref = { .name = "next-pool", .ntypes = 1, .types = { T_REF },
	.words = w_none, .nwords = 1 };
static struct cdb_prop p_ipauto = { .name = "remote", .ntypes = 2, .types = { T_IP4, T_ENUM },
	.values = auto_vals, .nvalues = 2 };
static struct cdb_prop p_intip = { .name = "target", .ntypes = 2, .types = { T_INT, T_IP4 } };
static struct cdb_prop p_intmax = { .name = "limit", .ntypes = 2, .types = { T_INT, T_ENUM },
	.flags = P_RANGE, .min = 1, .max = 10, .values = max_vals, .nvalues = 1 };
static struct cdb_prop p_nn = { .name = "expire", .ntypes = 1, .types = { T_TIME },
	.words = w_nn, .nwords = 2 };
static struct cdb_prop p_dns = { .name = "dns", .ntypes = 1, .types = { T_IP4 }, .flags = P_LIST,
	.words = w_none, .nwords = 1 };

static void test_string_int_bool(void)
{
	ok(&p_comment, "", "");
	ok(&p_comment, "hello world", "hello world");
	ok(&p_comment, "xxxxxxxxxxxxxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxxxxxxxxxxxxx");
	bad(&p_comment, "xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "value of comment too long (max 27)");
	ok(&p_text, "caf\xc3\xa9 \xff,=\"x\"", "caf\xc3\xa9 \xff,=\"x\"");

	ok(&p_mtu, "1500", "1500");
	ok(&p_mtu, "68", "68");
	ok(&p_mtu, "65535", "65535");
	ok(&p_mtu, "01500", "1500");
	bad(&p_mtu, "67", "value of mtu out of range (68..65535)");
	bad(&p_mtu, "65536", "value of mtu out of range (68..65535)");
	bad(&p_mtu, "-1", "value of mtu out of range (68..65535)");
	bad(&p_mtu, "99999999999999999999", "value of mtu out of range (68..65535)");
	ok(&p_mtu, "disabled", "disabled");
	ok(&p_mtu, "dis", "disabled");
	bad(&p_mtu, "x", "invalid value for argument mtu: expected integer");
	bad(&p_mtu, "", "invalid value for argument mtu: expected integer");
	bad(&p_mtu, "15 00", "invalid value for argument mtu: expected integer");
	bad(&p_mtu, "+1500", "invalid value for argument mtu: expected integer");
	bad(&p_mtu, "0x10", "invalid value for argument mtu: expected integer");
	ok(&p_int, "-42", "-42");
	ok(&p_int, "-0", "0");
	ok(&p_int, "9223372036854775807", "9223372036854775807");
	ok(&p_int, "-9223372036854775808", "-9223372036854775808");
	bad(&p_int, "9223372036854775808",
	    "value of count out of range (-9223372036854775808..9223372036854775807)");
	bad(&p_int, "-", "invalid value for argument count: expected integer");

	ok(&p_bool, "yes", "yes");
	ok(&p_bool, "no", "no");
	ok(&p_bool, "true", "yes");
	ok(&p_bool, "false", "no");
	bad(&p_bool, "Yes", "invalid value for argument use-peer-dns: expected yes or no");
	bad(&p_bool, "1", "invalid value for argument use-peer-dns: expected yes or no");
}

static void test_enum(void)
{
	ok(&p_mode, "ip", "ip");
	ok(&p_mode, "ip6", "ip6");
	ok(&p_mode, "eth", "ethernet");
	bad(&p_mode, "i", "ambiguous value of mode, more than one possible value matches input: ip, ip6");
	bad(&p_mode, "tun", "input does not match any value of mode");
	bad(&p_mode, "", "input does not match any value of mode");
	bad(&p_mode, "IP", "input does not match any value of mode");

	ok(&p_auth, "sha1", "sha1");
	ok(&p_auth, "md,sha256,nu", "md5,sha256,null");
	ok(&p_auth, "", "");
	bad(&p_auth, "sha", "ambiguous value of auth, more than one possible value matches input: sha1, sha256, sha512");
	bad(&p_auth, "md5,sha1,md5", "value md5 given twice for auth");
	bad(&p_auth, "md5,md", "value md5 given twice for auth");
	bad(&p_auth, "md5,des", "input does not match any value of auth");
	bad(&p_auth, "md5,", "invalid value for argument auth: empty list element");
	bad(&p_auth, ",md5", "invalid value for argument auth: empty list element");
}

static void test_time(void)
{
	ok(&p_time, "1w2d3h4m5s", "1w2d3h4m5s");
	ok(&p_time, "90", "1m30s");
	ok(&p_time, "0", "0s");
	ok(&p_time, "00:01:30", "1m30s");
	ok(&p_time, "1d00:01:30", "1d1m30s");
	ok(&p_time, "1d", "1d");
	ok(&p_time, "7d", "1w");
	ok(&p_time, "30s", "30s");
	ok(&p_time, "1m30s", "1m30s");
	ok(&p_time, "500ms", "0s");
	ok(&p_time, "1s1500ms", "2s");
	ok(&p_time, "24h", "1d");
	ok(&p_time, "disabled", "disabled");
	ok(&p_time, "d", "disabled");
	bad(&p_time, "1x", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "5s1m", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "1s1s", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "1m30", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "00:60:00", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "1h00:01:00", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "-5s", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "5220w", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "99999999999999999999s", "invalid value for argument keepalive-timeout: expected time interval");
	bad(&p_time, "", "invalid value for argument keepalive-timeout: expected time interval");
	ok(&p_nn, "nev", "never");
	bad(&p_nn, "n", "ambiguous value of expire, more than one possible value matches input: none, never");

	time_both("0s", 0, "0s");
	time_both("1w2d3h4m5s", 788645, "1w2d3h4m5s");
	time_both("3600", 3600, "1h");
	time_both("01:00:01", 3601, "1h1s");
	time_both("1d00:00:00", 86400, "1d");
	time_both("5200w", 5200LL * 604800, "5200w");
}

static void test_ip4(void)
{
	ip4_parse("10.0.0.1", 1, 0x0a000001u);
	ip4_parse("255.255.255.255", 1, 0xffffffffu);
	ip4_parse("010.000.000.001", 1, 0x0a000001u);
	ip4_parse("256.0.0.1", 0, 0);
	ip4_parse("1.2.3", 0, 0);
	ip4_parse("1.2.3.4.5", 0, 0);
	ip4_parse("1.2.3.4 ", 0, 0);
	ip4_parse(" 1.2.3.4", 0, 0);
	ip4_parse("1..2.3", 0, 0);
	ip4_parse("0001.2.3.4", 0, 0);

	ok(&p_ip4, "192.168.88.1", "192.168.88.1");
	ok(&p_ip4, "192.168.088.001", "192.168.88.1");
	bad(&p_ip4, "192.168.88", "invalid value for argument local-address: expected IPv4 address");
	bad(&p_ip4, "10.0.0.1/24", "invalid value for argument local-address: expected IPv4 address");

	ok(&p_pfx, "192.168.1.1/24", "192.168.1.1/24");
	ok(&p_pfx, "10.0.0.1", "10.0.0.1/32");
	ok(&p_pfx, "0.0.0.0/0", "0.0.0.0/0");
	bad(&p_pfx, "10.0.0.0/33", "invalid value for argument address: expected IPv4 prefix");
	bad(&p_pfx, "10.0.0.0/", "invalid value for argument address: expected IPv4 prefix");
	bad(&p_pfx, "10.0.0.0/2x", "invalid value for argument address: expected IPv4 prefix");

	ok(&p_ranges, "10.0.0.2-10.0.0.254", "10.0.0.2-10.0.0.254");
	ok(&p_ranges, "10.0.0.5", "10.0.0.5");
	ok(&p_ranges, "10.1.2.3/24", "10.1.2.0/24");
	ok(&p_ranges, "10.0.0.1,10.0.1.0/24", "10.0.0.1,10.0.1.0/24");
	ok(&p_ranges, "", "");
	bad(&p_ranges, "10.0.0.9-10.0.0.1", "invalid value for argument ranges: range start after end");
	bad(&p_ranges, "10.0.0.1-", "invalid value for argument ranges: expected IPv4 range");
	bad(&p_ranges, "10.0.0.1,x", "invalid value for argument ranges: expected IPv4 range");
	ok(&p_ranges, "10.0.0.1-10.0.0.2,10.0.0.3/32", "10.0.0.1-10.0.0.2,10.0.0.3/32");
	bad(&p_ranges, "10.0.0.1-10.0.0.2,10.0.0.30/32", "value of ranges too long (max 29)");

	ok(&p_dns, "8.8.8.8,1.1.1.1", "8.8.8.8,1.1.1.1");
	ok(&p_dns, "8.8.8.8,8.8.8.8", "8.8.8.8,8.8.8.8");
	ok(&p_dns, "none", "none");
	ok(&p_dns, "no", "none");
}

static void test_ip6_mac_host(void)
{
	ok(&p_ip6, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
	ok(&p_ip6, "::", "::");
	ok(&p_ip6, "2001:DB8::A", "2001:db8::a");
	ok(&p_ip6, "fe80:0:0:0:1:0:0:1", "fe80::1:0:0:1");
	ok(&p_ip6, "::ffff:10.0.0.1", "::ffff:10.0.0.1");
	bad(&p_ip6, "2001:db8::1::2", "invalid value for argument gateway6: expected IPv6 address");
	bad(&p_ip6, "fe80::1%eth0", "invalid value for argument gateway6: expected IPv6 address");
	bad(&p_ip6, "10.0.0.1", "invalid value for argument gateway6: expected IPv6 address");

	ok(&p_ip6pfx, "2001:db8:0::/64", "2001:db8::/64");
	ok(&p_ip6pfx, "2001:db8::1", "2001:db8::1/128");
	ok(&p_ip6pfx, "::/0", "::/0");
	bad(&p_ip6pfx, "2001:db8::/129", "invalid value for argument address6: expected IPv6 prefix");
	bad(&p_ip6pfx, "2001:db8::/-1", "invalid value for argument address6: expected IPv6 prefix");

	ok(&p_mac, "00:11:22:aa:bb:cc", "00:11:22:AA:BB:CC");
	ok(&p_mac, "00-11-22-aa-bb-cc", "00:11:22:AA:BB:CC");
	ok(&p_mac, "001122aabbcc", "00:11:22:AA:BB:CC");
	bad(&p_mac, "00:11-22:aa:bb:cc", "invalid value for argument mac-address: expected MAC address");
	bad(&p_mac, "00:11:22:aa:bb", "invalid value for argument mac-address: expected MAC address");
	bad(&p_mac, "00:11:22:aa:bb:cg", "invalid value for argument mac-address: expected MAC address");
	bad(&p_mac, "0:11:22:aa:bb:cc0", "invalid value for argument mac-address: expected MAC address");

	ok(&p_host, "vpn.example.com", "vpn.example.com");
	ok(&p_host, "010.0.0.1", "10.0.0.1");
	ok(&p_host, "2001:DB8::1", "2001:db8::1");
	ok(&p_host, "router1", "router1");
	ok(&p_host, "1a.2.3", "1a.2.3");
	bad(&p_host, "1.2.3", "invalid value for argument connect-to: expected address or host name");
	bad(&p_host, "-bad.example.com", "invalid value for argument connect-to: expected address or host name");
	bad(&p_host, "bad-.example.com", "invalid value for argument connect-to: expected address or host name");
	bad(&p_host, "a..b", "invalid value for argument connect-to: expected address or host name");
	bad(&p_host, "under_score.com", "invalid value for argument connect-to: expected address or host name");
	bad(&p_host, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.com",
	    "invalid value for argument connect-to: expected address or host name");
}

static void test_ref_alts(void)
{
	ok(&p_ref, "pool1", "pool1");
	ok(&p_ref, "none", "none");
	ok(&p_ref, "n", "n");
	ok(&p_ref, "my pool", "my pool");
	bad(&p_ref, "", "invalid value for argument next-pool: expected name");
	bad(&p_ref, "a\tb", "invalid value for argument next-pool: expected name");

	ok(&p_ipauto, "10.0.0.1", "10.0.0.1");
	ok(&p_ipauto, "au", "auto");
	bad(&p_ipauto, "x", "input does not match any value of remote");
	bad(&p_intip, "x", "invalid value for argument target");
	ok(&p_intip, "7", "7");
	ok(&p_intip, "7.0.0.7", "7.0.0.7");
	ok(&p_intmax, "m", "max");
	ok(&p_intmax, "10", "10");
	bad(&p_intmax, "11", "value of limit out of range (1..10)");
}

static void test_cdb_type_parse(void)
{
	struct cdb_err e = { "", -1 };
	char *out = NULL;

	result(cdb_type_parse(T_IP4PREFIX, &p_ip4, "1.2.3.4", &out, &e) == 0 &&
	       strcmp(out, "1.2.3.4/32") == 0, "type_parse", "1.2.3.4", out, "1.2.3.4/32");
	free(out);
	result(cdb_type_parse(T_INT, &p_mtu, "disabled", &out, NULL) == -1 && out == NULL,
	       "type_parse", "disabled", out, "(null)");
	result(strcmp(cdb_base_name(T_IP4RANGE), "ip4-range") == 0 &&
	       strcmp(cdb_base_name(T_REF), "ref") == 0 && cdb_base_name(T__COUNT) == NULL,
	       "base_name", "ip4-range", cdb_base_name(T_IP4RANGE), "ip4-range");
	result(cdb_errf(NULL, "x %d", 1) == -1, "errf", "NULL", "", "");
	/* The kv index at fault is the caller's; parsing must not disturb it. */
	e.arg = 3;
	result(cdb_value_parse(&p_intip, "x", &out, &e) == -1 && e.arg == 3, "arg kept",
	       "x", e.msg, "arg 3");
	e.arg = 5;
	result(cdb_value_parse(&p_auth, "md5,md5", &out, &e) == -1 && e.arg == 5, "arg kept",
	       "md5,md5", e.msg, "arg 5");
}

static void test_cmp(void)
{
	order(&p_int, "9", "10", -1);
	order(&p_int, "-5", "3", -1);
	order(&p_int, "42", "42", 0);
	order(&p_int, NULL, "1", -1);
	order(&p_int, NULL, NULL, 0);
	order(&p_mtu, "1500", "disabled", -1);
	order(&p_time, "59s", "1m", -1);
	order(&p_time, "1d", "23h59m59s", 1);
	order(&p_time, "2w", "1w6d", 1);
	order(&p_ip4, "10.0.0.9", "10.0.0.10", -1);
	order(&p_ip4, "9.255.255.255", "10.0.0.0", -1);
	order(&p_pfx, "10.0.0.1/24", "10.0.0.2/32", -1);
	order(&p_ranges, "10.0.0.2-10.0.0.9", "10.0.0.10", -1);
	order(&p_ranges, "10.0.0.0/24", "10.0.0.0/16", -1);
	order(&p_ranges, "10.0.0.100,1.1.1.1", "10.0.0.20", 1);
	order(&p_ip6, "2001:db8::9", "2001:db8::10", -1);
	order(&p_ip6pfx, "2001:db8::/48", "2001:db8::/64", -1);
	order(&p_host, "10.0.0.1", "a.example", -1);
	order(&p_host, "10.0.0.2", "2001:db8::1", -1);
	order(&p_comment, "apple", "banana", -1);
	order(&p_comment, "B", "a", -1);
	order(&p_mac, "00:11:22:AA:BB:CC", "00:11:22:AA:BB:CD", -1);
}

static void check(int cond, const char *what)
{
	result(cond, "push-routes", what, cond ? "as expected" : "wrong", "as expected");
}

static struct cdb_prop p_routes = { .name = "push-routes", .ntypes = 1, .types = { T_ROUTES },
				     .len = 1400 };

/* push-routes: what the engine pushes must be what the admin meant */
static void test_routes(void)
{
	struct cdb_push_route r;
	char why[200];

	ok(&p_routes, "", "");
	ok(&p_routes, "192.168.102.0 255.255.255.0 192.168.77.1 9,10.5.8.20",
	   "192.168.102.0 255.255.255.0 192.168.77.1 9,10.5.8.20");
	ok(&p_routes, "10.0.0.0/8 192.168.77.1", "10.0.0.0/8 192.168.77.1");
	ok(&p_routes, "0.0.0.0/0", "0.0.0.0/0");
	bad(&p_routes, "10.0.0.0/33",
	    "invalid value for argument push-routes: prefix length must be 0 to 32 in '10.0.0.0/33'");
	bad(&p_routes, "10.0.0.0/-1",
	    "invalid value for argument push-routes: prefix length must be 0 to 32 in '10.0.0.0/-1'");
	bad(&p_routes, "10.0.0.0 255.0.255.0",
	    "invalid value for argument push-routes: not a netmask: '255.0.255.0'");
	bad(&p_routes, "10.0.0.0 255.255.0.0 10.1.1.1 70000",
	    "invalid value for argument push-routes: metric must be 0 to 65535, not '70000'");
	bad(&p_routes, "10.0.0.0 255.255.0.0 gw",
	    "invalid value for argument push-routes: expected a gateway address, not 'gw'");
	bad(&p_routes, "10.0.0.0 255.255.0.0 10.1.1.1 1 2",
	    "invalid value for argument push-routes: expected network [netmask] [gateway] "
	    "[metric], not '10.0.0.0 255.255.0.0 10.1.1.1 1 2'");
	bad(&p_routes, "10.0.0.0/8 10.1.1.1 1 2",
	    "invalid value for argument push-routes: too many words in '10.0.0.0/8 10.1.1.1 1 2'");
	bad(&p_routes, "net", "invalid value for argument push-routes: expected an IPv4 network, "
	    "not 'net'");
	check(cdb_parse_push_route("10.1.0.0/16 192.168.77.1 5", &r, why, sizeof(why)) == 0 &&
	      r.net == 0x0a010000 && r.mask == 0xffff0000 && r.has_gw && r.gw == 0xc0a84d01 &&
	      r.metric == 5, "route /16 with gateway and metric");
	check(cdb_parse_push_route("10.5.8.20", &r, why, sizeof(why)) == 0 &&
	      r.mask == 0xffffffff && !r.has_gw && r.metric == -1, "host route");
	check(cdb_parse_push_route("10.0.0.0/0", &r, why, sizeof(why)) == 0 && r.mask == 0,
	      "a /0 has no shift");
	check(cdb_parse_push_route("10.0.0.0 255.255.255.0", &r, why, sizeof(why)) == 0 &&
	      !r.has_gw, "network and netmask only");
}

int main(void)
{
	test_routes();
	test_string_int_bool();
	test_enum();
	test_time();
	test_ip4();
	test_ip6_mac_host();
	test_ref_alts();
	test_cdb_type_parse();
	test_cmp();
	fprintf(stderr, "types: %d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
