/* radius_test.c: the pure parts of the RADIUS client: MS-CHAPv2 against the
 * vectors of RFC 2759 section 9.2, Framed-Route reading, terminate causes,
 * and the RFC 5176 request and response authenticators. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "radius_client.h"

static void
test_mschap2(void)
{
	static const uint8_t auth[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					  0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
	static const uint8_t peer[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					  0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };
	static const uint8_t want_hash[16] = { 0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
					       0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE };
	static const uint8_t want[24] = { 0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
					  0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
					  0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
	uint8_t hash[16], resp[24];
	char s[43];

	mschap2_nt_hash("clientPass", hash);
	CHECK(!memcmp(hash, want_hash, 16), "!memcmp(hash, want_hash, 16)");
	CHECK(mschap2_nt_response(auth, peer, "User", "clientPass", resp) == 0, "mschap2_nt_response(auth, peer, \"User\", \"clientPass\", resp) == 0");
	CHECK(!memcmp(resp, want, 24), "!memcmp(resp, want, 24)");
	CHECK(mschap2_nt_response(auth, peer, "DOMAIN\\User", "clientPass", resp) == 0, "mschap2_nt_response(auth, peer, \"DOMAIN\\\\User\", \"clientPass\", resp) == 0");
	CHECK(!memcmp(resp, want, 24), "!memcmp(resp, want, 24)");
	CHECK(mschap2_authenticator("clientPass", want, peer, auth, "User", s) == 0, "mschap2_authenticator(\"clientPass\", want, peer, auth, \"User\", s) == 0");
	CHECK(!strcmp(s, "S=407A5589115FD0D6209F510FE9C04566932CDA56"), "!strcmp(s, \"S=407A5589115FD0D6209F510FE9C04566932CDA56\")");
	CHECK(mschap2_nt_response(auth, peer, "User", "clientPasS", resp) == 0, "mschap2_nt_response(auth, peer, \"User\", \"clientPasS\", resp) == 0");
	CHECK(memcmp(resp, want, 24) != 0, "memcmp(resp, want, 24) != 0");
}

static void
test_routes(void)
{
	char r[64] = "";

	CHECK(radius_route_add(r, sizeof(r), "10.1.0.0/24 0.0.0.0 5", 21) == 0, "radius_route_add(r, sizeof(r), \"10.1.0.0/24 0.0.0.0 5\", 21) == 0");
	CHECK(!strcmp(r, "10.1.0.0/24 0.0.0.0 5"), "!strcmp(r, \"10.1.0.0/24 0.0.0.0 5\")");
	CHECK(radius_route_add(r, sizeof(r), "10.2.0.0/16", 11) == 0, "radius_route_add(r, sizeof(r), \"10.2.0.0/16\", 11) == 0");
	CHECK(!strcmp(r, "10.1.0.0/24 0.0.0.0 5,10.2.0.0/16"), "!strcmp(r, \"10.1.0.0/24 0.0.0.0 5,10.2.0.0/16\")");
	CHECK(radius_route_add(r, sizeof(r), "bogus", 5) == -1, "radius_route_add(r, sizeof(r), \"bogus\", 5) == -1");
	CHECK(radius_route_add(r, sizeof(r), "10.3.0.0/33", 11) == -1, "radius_route_add(r, sizeof(r), \"10.3.0.0/33\", 11) == -1");
	CHECK(radius_route_add(r, sizeof(r), "10.4.0.0/24,x", 13) == -1, "radius_route_add(r, sizeof(r), \"10.4.0.0/24,x\", 13) == -1");
	CHECK(radius_route_add(r, sizeof(r), "10.200.200.0/24 10.200.200.200 100", 34) == -1, "radius_route_add(r, sizeof(r), \"10.200.200.0/24 10.200.200.200 100\", 34) == -1");
	CHECK(!strcmp(r, "10.1.0.0/24 0.0.0.0 5,10.2.0.0/16"), "!strcmp(r, \"10.1.0.0/24 0.0.0.0 5,10.2.0.0/16\")");
}

static void
test_causes(void)
{
	CHECK(radius_terminate_cause("idle-timeout reached") == 4, "radius_terminate_cause(\"idle-timeout reached\") == 4");
	CHECK(radius_terminate_cause("session-timeout reached") == 5, "radius_terminate_cause(\"session-timeout reached\") == 5");
	CHECK(radius_terminate_cause("client exited") == 1, "radius_terminate_cause(\"client exited\") == 1");
	CHECK(radius_terminate_cause("ping-restart: no packet from the peer in 20 s") == 2, "radius_terminate_cause(\"ping-restart: no packet from the peer in 20 s\") == 2");
	CHECK(radius_terminate_cause("disconnected by RADIUS") == 6, "radius_terminate_cause(\"disconnected by RADIUS\") == 6");
	CHECK(radius_terminate_cause("user removed or disabled") == 6, "radius_terminate_cause(\"user removed or disabled\") == 6");
	CHECK(radius_terminate_cause("server disabled or removed") == 11, "radius_terminate_cause(\"server disabled or removed\") == 11");
	CHECK(radius_terminate_cause("limit-bytes-in reached") == 10, "radius_terminate_cause(\"limit-bytes-in reached\") == 10");
}

/* A Disconnect-Request of RFC 5176 signed by hand, then checked. */
static void
test_authenticators(void)
{
	uint8_t pkt[48] = { 40, 7, 0, 41 }, ans[20] = { 41, 7, 0, 20 }, req[16];

	memcpy(pkt + 20, "\x01\x07" "alice" "\x2c\x0d" "0000002a0000", 21);
	radius_response_sign(pkt, 41, (const uint8_t[16]){ 0 }, "s3cret");
	CHECK(radius_request_valid(pkt, 41, "s3cret") == 1, "radius_request_valid(pkt, 41, \"s3cret\") == 1");
	CHECK(radius_request_valid(pkt, 41, "other") == 0, "radius_request_valid(pkt, 41, \"other\") == 0");
	pkt[25] ^= 1;
	CHECK(radius_request_valid(pkt, 41, "s3cret") == 0, "radius_request_valid(pkt, 41, \"s3cret\") == 0");
	CHECK(radius_request_valid(pkt, 10, "s3cret") == 0, "radius_request_valid(pkt, 10, \"s3cret\") == 0");
	memcpy(req, pkt + 4, 16);
	radius_response_sign(ans, 20, req, "s3cret");
	CHECK(memcmp(ans + 4, req, 16) != 0, "memcmp(ans + 4, req, 16) != 0");
}

static void
test_rate(void)
{
	char r[32];

	CHECK(radius_rate("10M/20M", r, sizeof(r)) == 0 && !strcmp(r, "10M/20M"), "plain rate");
	CHECK(radius_rate("2M/4M 4M/8M 1M/2M 8/8 8", r, sizeof(r)) == 1 && !strcmp(r, "2M/4M"),
	      "bursts left out");
	CHECK(radius_rate("fast", r, sizeof(r)) == -1 && !r[0], "a rate that does not read");
	CHECK(radius_rate("", r, sizeof(r)) == -1, "empty");
}

#define S(x) (const uint8_t *)(x), sizeof(x) - 1

/* Access-Accept attributes as radcli hands them over. */
static void
test_grant(void)
{
	struct radius_grant g = { 0 };

	CHECK(radius_grant_attr(&g, 8, NULL, 0, 0xc0a84d32) == 0 && g.framed_ip == 0xc0a84d32,
	      "Framed-IP-Address");
	CHECK(radius_grant_attr(&g, 8, NULL, 0, 0xfffffffe) == 0 && g.framed_ip == 0,
	      "Framed-IP-Address 255.255.255.254 leaves the pool to choose");
	CHECK(radius_grant_attr(&g, 88, S("rad-pool"), 0) == 0 && !strcmp(g.pool, "rad-pool"),
	      "Framed-Pool");
	CHECK(radius_grant_attr(&g, 22, S("10.1.0.0/24 0.0.0.0 5"), 0) == 0 &&
	      radius_grant_attr(&g, 22, S("10.2.0.0/16"), 0) == 0 &&
	      !strcmp(g.routes, "10.1.0.0/24 0.0.0.0 5,10.2.0.0/16"), "Framed-Route twice");
	CHECK(radius_grant_attr(&g, 22, S("nonsense"), 0) == -1 &&
	      !strcmp(g.routes, "10.1.0.0/24 0.0.0.0 5,10.2.0.0/16"), "a bad Framed-Route skipped");
	CHECK(radius_grant_attr(&g, 27, NULL, 0, 600) == 0 && g.session_timeout == 600,
	      "Session-Timeout");
	CHECK(radius_grant_attr(&g, 28, NULL, 0, 60) == 0 && g.idle_timeout == 60, "Idle-Timeout");
	CHECK(radius_grant_attr(&g, 85, NULL, 0, 300) == 0 && g.interim == 300,
	      "Acct-Interim-Interval");
	CHECK(radius_grant_attr(&g, (14988u << 16) | 8, S("10M/20M"), 0) == 0 &&
	      !strcmp(g.rate, "10M/20M"), "Mikrotik-Rate-Limit");
	CHECK(radius_grant_attr(&g, 25, S("gold\0plan"), 0) == 0 && g.class_len == 9 &&
	      !memcmp(g.class_, "gold\0plan", 9), "Class kept as bytes");
	CHECK(radius_grant_attr(&g, 18, S("welcome"), 0) == 0 && !strcmp(g.reply, "welcome"),
	      "Reply-Message");
	CHECK(radius_grant_attr(&g, (311u << 16) | 16, S("key"), 0) == 0, "others left alone");
}

int
main(void)
{
	test_mschap2();
	test_routes();
	test_causes();
	test_authenticators();
	test_rate();
	test_grant();
	printf("radius: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
