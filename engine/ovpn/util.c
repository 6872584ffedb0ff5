/* util.c: randomness, constant-time comparison and the PEM/hex/base64
 * readers used for OpenVPN static keys and tls-crypt-v2 client keys.
 * These readers are the one copy of pki/'s codec the tree keeps on
 * purpose: engine/ovpn/ may include only libc and wolfSSL, and its API
 * takes the key files' text so the core is tested and fuzzed alone. */
#include <stdio.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "util.h"

int ovpn_rand(void *buf, size_t len)
{
	/* wolfSSL keeps one locked global generator for this call */
	if (len > 0x7fffffff)
		return -1;
	return wolfSSL_RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

int ovpn_ct_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

void ovpn_wipe(void *p, size_t len)
{
	volatile uint8_t *v = p;

	while (len--)
		*v++ = 0;
}

int ovpn_pem_body(const char *text, const char *label, const char **begin, size_t *len)
{
	char marker[96];
	const char *b, *e;

	if (!text || strlen(label) > 60)
		return -1;
	snprintf(marker, sizeof(marker), "-----BEGIN %s-----", label);
	b = strstr(text, marker);
	if (!b)
		return -1;
	b += strlen(marker);
	snprintf(marker, sizeof(marker), "-----END %s-----", label);
	e = strstr(b, marker);
	if (!e)
		return -1;
	*begin = b;
	*len = (size_t)(e - b);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int ovpn_hex_decode(const char *in, size_t inlen, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (size_t i = 0; i < inlen; i++) {
		int v;

		if (is_space(in[i]))
			continue;
		v = hexval(in[i]);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int ovpn_b64_decode(const char *in, size_t inlen, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	size_t n = 0;

	for (size_t i = 0; i < inlen; i++) {
		int v;

		if (is_space(in[i]))
			continue;
		if (in[i] == '=') {
			pad++;
			continue;
		}
		v = b64val(in[i]);
		if (v < 0 || pad)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return pad > 2 ? -1 : (int)n;
}

char *ovpn_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n;

	if (!cap)
		return dst;
	n = src ? strnlen(src, cap - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = 0;
	return dst;
}
