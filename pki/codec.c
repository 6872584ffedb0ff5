/* codec.c: the one text codec of the tree: hex digits, base64 both ways, and
 * how a line reads to PEM framing. Plain libc, so that whatever links pki
 * can use it without the crypto (the console's string escapes, the .ovpn
 * reader's armor checks, the engine's proxy credentials). */
#include <stdlib.h>
#include <string.h>

#include "pki_int.h"

/* ---- hex ---- */

int
pki_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
pki_hex_decode(const char *s, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = pki_hex_digit(s[2 * i]), lo = hi < 0 ? -1 : pki_hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (u8)(hi << 4 | lo);
	}
	return s[2 * n] ? -1 : 0;
}

void
pki_hex_encode(const unsigned char *v, size_t n, int upper, char *out, size_t outlen)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < outlen; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * i] = '\0';
}

/* ---- base64 ---- */

static const char b64_digits[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
pki_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int
b64_decode(const char *s, const char *e, struct buf *out)
{
	unsigned long acc = 0;
	int n = 0, pad = 0;

	for (; s < e; s++) {
		int c = (u8)*s, v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=' && n % 4 >= 2 && pad < 2) {
			pad++;
			n++;
			continue;
		}
		if (pad || (v = pki_b64_value(c)) < 0)
			return -1;
		acc = (acc << 6) | (unsigned long)v;
		if (++n % 4 == 0)
			for (int k = 2; k >= 0; k--)
				buf_byte(out, (u8)(acc >> (8 * k)));
	}
	if (n % 4)
		return -1;
	if (pad) {
		/* The padded group: shift the held bits into place. */
		acc <<= 6 * pad;
		for (int k = 2; k >= pad; k--)
			buf_byte(out, (u8)(acc >> (8 * k)));
	}
	return out->bad ? -1 : 0;
}

char *
pki_b64_encode(const void *data, size_t len)
{
	const u8 *in = data;
	char *out, *o;

	if (len > BUF_MAX || !(out = malloc((len + 2) / 3 * 4 + 1)))
		return NULL;
	o = out;
	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16 |
				  (i + 1 < len ? (unsigned long)in[i + 1] << 8 : 0) |
				  (i + 2 < len ? in[i + 2] : 0);

		*o++ = b64_digits[v >> 18 & 63];
		*o++ = b64_digits[v >> 12 & 63];
		*o++ = i + 1 < len ? b64_digits[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? b64_digits[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* ---- PEM lines and labels ---- */

int
pki_pem_mark(const char *t, size_t n, const char **label, size_t *labellen)
{
	if (n > 16 && !strncmp(t, "-----BEGIN ", 11) && !strncmp(t + n - 5, "-----", 5)) {
		*label = t + 11;
		*labellen = n - 16;
		return PKI_PEM_BEGIN;
	}
	if (n > 14 && !strncmp(t, "-----END ", 9) && !strncmp(t + n - 5, "-----", 5)) {
		*label = t + 9;
		*labellen = n - 14;
		return PKI_PEM_END;
	}
	return PKI_PEM_NONE;
}

int
pki_pem_is_cert(const char *l)
{
	return !strcmp(l, "CERTIFICATE") || !strcmp(l, "X509 CERTIFICATE") ||
	       !strcmp(l, "TRUSTED CERTIFICATE");
}

int
pki_pem_is_key(const char *l)
{
	return !strcmp(l, "PRIVATE KEY") || !strcmp(l, "RSA PRIVATE KEY") ||
	       !strcmp(l, "EC PRIVATE KEY") || !strcmp(l, "ENCRYPTED PRIVATE KEY");
}
