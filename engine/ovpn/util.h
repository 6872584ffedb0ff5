/* util.h: small helpers the protocol files share: randomness, constant-time
 * comparison, wiping secrets, and the text decoders for key files. */
#ifndef OVPN_UTIL_H
#define OVPN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Cryptographic random bytes; 0 on success, -1 on failure. */
int ovpn_rand(void *buf, size_t len);
/* 1 when equal; the time taken depends only on len. */
int ovpn_ct_equal(const void *a, const void *b, size_t len);
void ovpn_wipe(void *p, size_t len);

/* The bytes between "-----BEGIN <label>-----" and "-----END <label>-----"
 * of text: *begin and *len, or -1 when the markers are missing. */
int ovpn_pem_body(const char *text, const char *label, const char **begin, size_t *len);
/* Hex digits (whitespace ignored) into out; the byte count or -1. */
int ovpn_hex_decode(const char *in, size_t inlen, uint8_t *out, size_t cap);
/* Base64 (whitespace ignored) into out; the byte count or -1. */
int ovpn_b64_decode(const char *in, size_t inlen, uint8_t *out, size_t cap);

/* Copy at most cap-1 bytes and terminate; returns dst. */
char *ovpn_strlcpy(char *dst, const char *src, size_t cap);

#endif
