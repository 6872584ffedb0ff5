/* check.h: the unit tests' one assertion. CHECK(cond, printf-args) counts
 * a pass or reports the failure with its place; the test's main prints the
 * totals and exits non-zero when anything failed. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { passed++; } else { failed++; \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

#endif
