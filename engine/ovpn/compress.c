/* compress.c: the two decompressors behind the compression framing,
 * Debian's liblzo2 and liblz4, used only in their bounds-checked forms:
 * lzo1x_decompress_safe and LZ4_decompress_safe stop at the output
 * capacity and at the end of the input, whatever the peer sent. */
#include <lz4.h>
#include <lzo/lzo1x.h>

#include "compress.h"

/* lzo_init checks the library against its header; once is enough, and a
 * second call from a racing thread does the same harmless check again. */
static int
lzo_ready(void)
{
	static int state;	/* 0 unknown, 1 ready, -1 unusable */

	if (!state)
		state = lzo_init() == LZO_E_OK ? 1 : -1;
	return state > 0;
}

ssize_t
ovpn_lzo_expand(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	lzo_uint n = cap;

	if (!len || !lzo_ready())
		return -1;
	/* LZO_E_INPUT_NOT_CONSUMED is refused too: the packet had junk after
	 * its end marker */
	if (lzo1x_decompress_safe(in, len, out, &n, NULL) != LZO_E_OK || n > cap)
		return -1;
	return (ssize_t)n;
}

ssize_t
ovpn_lz4_expand(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	int n;

	if (!len || len > (size_t)LZ4_MAX_INPUT_SIZE || cap > (size_t)LZ4_MAX_INPUT_SIZE)
		return -1;
	n = LZ4_decompress_safe((const char *)in, (char *)out, (int)len, (int)cap);
	/* an empty result is refused as OpenVPN refuses it */
	return n > 0 && (size_t)n <= cap ? n : -1;
}
