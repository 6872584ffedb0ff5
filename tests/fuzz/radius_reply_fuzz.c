/* radius_reply_fuzz.c: libFuzzer target for what roshd reads of RADIUS
 * packets itself: the attributes of an Access-Accept as radcli hands them
 * over (radius_grant_attr, and the Framed-Route and Mikrotik-Rate-Limit
 * values it checks), and a Disconnect or CoA request on /radius incoming
 * (radius_request_valid, radius_request_attrs).
 * Input: a RADIUS packet, header and attributes, as a server would send it.
 * What must hold: nothing is read or written out of bounds, the grant's
 * strings stay terminated inside their buffers, a request's names and rate
 * stay inside theirs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "radius_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

/* The attributes as radcli would list them: integers and addresses read
 * big-endian from four bytes, everything else as bytes. */
static void
grant(const uint8_t *a, size_t len)
{
	struct radius_grant g;
	char rate[128];

	memset(&g, 0, sizeof(g));
	while (len >= 2 && a[1] >= 2 && a[1] <= len) {
		size_t step = a[1], n = step - 2;
		const uint8_t *v = a + 2;
		unsigned id = a[0];
		uint32_t u = n == 4 ? (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3] : 0;

		if (id == 26 && n >= 6 && v[5] >= 2 && (size_t)v[5] <= n - 4) {
			/* Vendor-Specific: vendor (4 bytes), type, length, value */
			id = (unsigned)(v[2] << 8 | v[3]) << 16 | v[4];
			n = v[5] - 2u;
			v += 6;
		}
		radius_grant_attr(&g, id, v, n, u);
		a += step;
		len -= step;
	}
	check_text(g.pool, sizeof(g.pool));
	check_text(g.routes, sizeof(g.routes));
	check_text(g.reply, sizeof(g.reply));
	check_text(g.rate, sizeof(g.rate));
	if (g.class_len > sizeof(g.class_))
		abort();
	if (!radius_rate(g.rate, rate, sizeof(rate)))
		check_text(rate, sizeof(rate));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct radius_ask q;
	size_t len;

	if (size < 20)
		return 0;
	(void)radius_request_valid(data, size, "fuzz-secret");
	len = (size_t)data[2] << 8 | data[3];
	if (len < 20 || len > size)
		len = size;
	if (!radius_request_attrs(data + 20, len - 20, &q)) {
		check_text(q.user, sizeof(q.user));
		check_text(q.session, sizeof(q.session));
		check_text(q.rate, sizeof(q.rate));
	}
	grant(data + 20, len - 20);
	return 0;
}
