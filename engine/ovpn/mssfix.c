/* mssfix.c: what OpenVPN's --mssfix does by default, on both ends. A TCP
 * connection through the tunnel would otherwise pick its segment size from
 * the 1500-byte tun MTU, and every sealed full-size packet would be larger
 * than the path and leave as two IP fragments. Clamping the MSS in the SYN
 * keeps each sealed packet one datagram, which also lets bursts of them go
 * out in one send (UDP segmentation offload refuses to fragment). */
#include <string.h>

#include "mssfix.h"

static size_t
tcp_offset(const uint8_t *p, size_t len)
{
	if (len >= 20 && (p[0] >> 4) == 4 && p[9] == 6 && !(((p[6] & 0x1f) << 8 | p[7])))
		return (size_t)(p[0] & 15) * 4;
	if (len >= 40 && (p[0] >> 4) == 6 && p[6] == 6)
		return 40;
	return 0;
}

int
mss_is_syn(const uint8_t *p, size_t len)
{
	size_t t = tcp_offset(p, len);

	return t >= 20 && t + 20 <= len && (p[t + 13] & 0x02);
}

/* One's-complement update of a checksum for a 16-bit word changed from
 * old to new (RFC 1624). */
static void
csum_fix(uint8_t *c, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~((c[0] << 8) | c[1]) + (uint16_t)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	c[0] = sum >> 8;
	c[1] = sum & 255;
}

void
mss_clamp(uint8_t *p, size_t len, size_t overhead)
{
	mss_clamp_to(p, len, overhead, MSSFIX_DEFAULT);
}

void
mss_clamp_to(uint8_t *p, size_t len, size_t overhead, unsigned target)
{
	size_t t = tcp_offset(p, len), hl, i;
	size_t inner = (p[0] >> 4) == 4 ? 40 : 60;	/* the tunneled IP + TCP headers */
	size_t outer = 20 + 8;				/* the datagram's IPv4 + UDP */
	unsigned max;

	if (!mss_is_syn(p, len) || target < outer + overhead + inner + 536)
		return;
	max = (unsigned)(target - outer - overhead - inner);
	hl = (size_t)(p[t + 12] >> 4) * 4;
	if (hl < 20 || t + hl > len)
		return;
	for (i = t + 20; i < t + hl;) {
		uint8_t kind = p[i];

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= t + hl || p[i + 1] < 2 || i + p[i + 1] > t + hl)
			break;
		if (kind == 2 && p[i + 1] == 4) {
			uint16_t mss = (uint16_t)(p[i + 2] << 8 | p[i + 3]);

			if (mss > max) {
				p[i + 2] = max >> 8;
				p[i + 3] = max & 255;
				csum_fix(p + t + 16, mss, (uint16_t)max);
			}
			return;
		}
		i += p[i + 1];
	}
}
