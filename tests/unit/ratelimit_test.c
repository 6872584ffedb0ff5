/* ratelimit_test.c: the rate-limit policer lets the rate through on
 * average, a short burst at once, nothing more; no limit passes all; a
 * long pause does not bank more than the burst; the rx/tx text parses
 * as the console accepts it. */
#include <stdio.h>

#include "configdb.h"
#include "ppp/ratelimit.h"

#include "check.h"

/* Offer 1500-byte packets as fast as they come for `ms` milliseconds, one
 * per 0.1 ms; the bytes that pass. */
static unsigned long long
offer(struct rate_limit *r, uint64_t start, int ms)
{
	unsigned long long bytes = 0;

	for (int t = 0; t < ms * 10; t++)
		if (rate_allow(r, 1500, start + (uint64_t)t / 10))
			bytes += 1500;
	return bytes;
}

int
main(void)
{
	struct rate_limit r;
	unsigned long long got;
	uint64_t rx, tx;

	rate_init(&r, 2000000, 1000);
	got = offer(&r, 1000, 10000);	/* 10 s at 2 Mbit/s: 2.5 MB, plus one burst */
	CHECK(got >= 2400000 && got <= 2500000 + 25000 + 1500, "2 Mbit/s for 10 s passed %llu", got);
	rate_init(&r, 0, 0);
	CHECK(offer(&r, 0, 100) == 1000 * 1500ull, "no limit passes everything");
	rate_init(&r, 8000000, 0);
	offer(&r, 0, 1000);
	got = offer(&r, 60000, 1);	/* a minute idle banks only the 100 ms burst */
	CHECK(got <= 100000 + 1500, "after a pause only the burst: %llu", got);
	rate_init(&r, 1000, 0);		/* tiny rates still pass a few full packets */
	CHECK(rate_allow(&r, 1500, 0), "the minimum burst takes a full packet");

	CHECK(cdb_parse_rate("10M/20M", &rx, &tx) == 0 && rx == 10000000 && tx == 20000000, "10M/20M");
	CHECK(cdb_parse_rate("512k", &rx, &tx) == 0 && rx == 512000 && tx == 512000, "512k both ways");
	CHECK(cdb_parse_rate("1G/0", &rx, &tx) == 0 && rx == 1000000000 && tx == 0, "1G/0");
	CHECK(cdb_parse_rate("10X", &rx, &tx) < 0, "10X refused");
	CHECK(cdb_parse_rate("/5M", &rx, &tx) < 0, "no rx refused");
	CHECK(cdb_parse_rate("5M/", &rx, &tx) < 0, "no tx refused");
	CHECK(cdb_parse_rate("99999999999999999999", &rx, &tx) < 0, "overflow refused");
	printf("ratelimit_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
