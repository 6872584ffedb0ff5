/* compress.h: expanding what a peer compressed (LZO as comp-lzo and
 * compress lzo send it, LZ4 as compress lz4 and lz4-v2 do), never more
 * than the caller's buffer holds. We never compress (2.6's
 * allow-compression asym), so there is no compressor here. */
#ifndef OVPN_COMPRESS_H
#define OVPN_COMPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The algorithms a session takes from its peer, as a bit set. */
#define COMP_ACCEPT_LZO 1u
#define COMP_ACCEPT_LZ4 2u

/* Expand one packet of in into out (at most cap bytes): its length, or -1
 * when the data is malformed, truncated or would expand past cap. */
ssize_t ovpn_lzo_expand(const uint8_t *in, size_t len, uint8_t *out, size_t cap);
ssize_t ovpn_lz4_expand(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#endif
