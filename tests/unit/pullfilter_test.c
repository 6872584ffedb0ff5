/* pullfilter_test.c: the protocol library's parts of a profile's options:
 * pull_filter_apply (engine/ovpn/pullfilter.c) on pushed options, in the
 * filters' order, and mss_clamp_to (mssfix.c) with a profile's mssfix N. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "mssfix.h"
#include "pullfilter.h"

static void
filter(const char *opts, const char *filters, int want_rc, const char *want)
{
	char buf[512], why[256] = "";
	int rc;

	snprintf(buf, sizeof(buf), "%s", opts);
	rc = pull_filter_apply(buf, filters, why, sizeof(why));
	CHECK(rc == want_rc, "filters '%s' on '%s': rc %d (%s)", filters, opts, rc, why);
	if (!rc && want)
		CHECK(!strcmp(buf, want), "filters '%s' on '%s': got '%s', want '%s'", filters,
		      opts, buf, want);
	if (rc && want)
		CHECK(strstr(why, want) != NULL, "reason '%s' lacks '%s'", why, want);
}

static void
test_filters(void)
{
	const char *push = "route 10.77.0.0 255.255.255.0,route-gateway 192.168.77.1,"
		"dhcp-option DNS 10.8.0.53,dhcp-option DOMAIN lan,ping 2,ping-restart 10";

	filter(push, NULL, 0, push);
	filter(push, "", 0, push);
	filter(push, "ignore route", 0, "dhcp-option DNS 10.8.0.53,dhcp-option DOMAIN lan,"
	       "ping 2,ping-restart 10");
	/* "route " keeps route-gateway: prefixes, as OpenVPN compares them */
	filter(push, "ignore route ", 0, "route-gateway 192.168.77.1,dhcp-option DNS 10.8.0.53,"
	       "dhcp-option DOMAIN lan,ping 2,ping-restart 10");
	/* the first matching filter decides */
	filter(push, "accept dhcp-option DNS,ignore dhcp-option,ignore ping", 0,
	       "route 10.77.0.0 255.255.255.0,route-gateway 192.168.77.1,dhcp-option DNS 10.8.0.53");
	filter(push, "ignore dhcp-option,accept dhcp-option DNS", 0,
	       "route 10.77.0.0 255.255.255.0,route-gateway 192.168.77.1,ping 2,ping-restart 10");
	filter(push, "reject dhcp-option DOMAIN", -1, "dhcp-option DOMAIN lan");
	filter(push, "ignore route,reject route", 0, NULL);
	filter(push, "drop route", -1, "malformed");
	filter(push, "ignore", -1, "malformed");
	filter("", "ignore route", 0, "");
	filter("route 1.2.3.0 255.255.255.0", "ignore route", 0, "");
}

/* An IPv4 SYN with an MSS option of 1460. */
static size_t
syn(uint8_t *p)
{
	memset(p, 0, 64);
	p[0] = 0x45;
	p[3] = 44;			/* total length: 20 + 24 */
	p[9] = 6;			/* TCP */
	p[20 + 12] = 6 << 4;		/* data offset: 24 bytes */
	p[20 + 13] = 0x02;		/* SYN */
	p[40] = 2;			/* MSS option */
	p[41] = 4;
	p[42] = 1460 >> 8;
	p[43] = 1460 & 255;
	return 44;
}

static void
test_mss(void)
{
	uint8_t p[64];
	size_t n = syn(p);

	mss_clamp_to(p, n, 40, 1400);
	/* 1400 less the IPv4/UDP datagram (28), the tunnel (40), IP+TCP (40) */
	CHECK((p[42] << 8 | p[43]) == 1292, "mssfix 1400: mss %d", p[42] << 8 | p[43]);
	n = syn(p);
	mss_clamp(p, n, 40);
	CHECK((p[42] << 8 | p[43]) == MSSFIX_DEFAULT - 28 - 40 - 40, "default: mss %d",
	      p[42] << 8 | p[43]);
	n = syn(p);
	mss_clamp_to(p, n, 40, 2000);
	CHECK((p[42] << 8 | p[43]) == 1460, "a larger target leaves 1460: %d", p[42] << 8 | p[43]);
}

int
main(void)
{
	test_filters();
	test_mss();
	printf("pullfilter: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
