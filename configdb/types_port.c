/* types_port.c: the port type of firewall and NAT rules, a port "80" or a
 * range "1000-2000" (0..65535); with the list attribute, several of them
 * comma separated. The engine reads the values with its own parser
 * (engine/rule_match.c), which accepts the same text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configdb.h"
#include "db_int.h"

static int
port_number(const char *s, const char **end, int *v)
{
	long n = 0;
	const char *q = s;

	while (cdb_is_digit((unsigned char)*q) && n <= 65535)
		n = n * 10 + (*q++ - '0');
	if (q == s || n > 65535 || q - s > 5)
		return -1;
	*v = (int)n;
	*end = q;
	return 0;
}

int
cdb_parse_port_range(const char *s, int *lo, int *hi)
{
	const char *end;

	if (port_number(s, &end, lo))
		return -1;
	*hi = *lo;
	if (*end == '-' && port_number(end + 1, &end, hi))
		return -1;
	return *end || *lo > *hi ? -1 : 0;
}

int
cdb_type_port(const struct cdb_prop *p, const char *in, char **out, struct cdb_err *e,
	      int *rank)
{
	int lo, hi;
	char buf[16];

	(void)rank;
	if (cdb_parse_port_range(in, &lo, &hi))
		return cdb_errf(e, "invalid value for argument %s: expected port or port range "
				"(0..65535), not %s", p && p->name ? p->name : "value", in);
	if (lo == hi)
		snprintf(buf, sizeof(buf), "%d", lo);
	else
		snprintf(buf, sizeof(buf), "%d-%d", lo, hi);
	*out = strdup(buf);
	return *out ? 0 : cdb_errf(e, "failure: out of memory");
}
