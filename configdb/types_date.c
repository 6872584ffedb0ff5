/* types_date.c: a day as schedulers write it: YYYY-MM-DD, or RouterOS 6's
 * mmm/dd/yyyy (jan/01/2000), kept in the first form. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "configdb.h"

int
cdb_parse_date(const char *in, char *out, size_t outlen)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 0, m = 0, d = 0, n = 0;
	char mon[4] = "";
	const char *at;

	if (sscanf(in, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && !in[n] && n == 10)
		;
	else if (sscanf(in, "%3[a-zA-Z]/%2d/%4d%n", mon, &d, &y, &n) == 3 && !in[n] &&
		 n == 11) {
		for (int i = 0; mon[i]; i++)
			mon[i] = (char)tolower((unsigned char)mon[i]);
		at = strstr(months, mon);
		m = at && (at - months) % 3 == 0 ? (int)(at - months) / 3 + 1 : 0;
	} else
		return -1;
	if (y < 1970 || y > 2099 || m < 1 || m > 12 || d < 1 || d > days[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return -1;
	snprintf(out, outlen, "%04d-%02d-%02d", y % 10000, m, d);
	return 0;
}
