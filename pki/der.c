/* der.c: the ground the rest of pki/ stands on: a growing byte buffer that
 * is also the DER writer, and the DER reader every untrusted file is walked
 * with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pki_int.h"

/* ---- a growing byte buffer, also the DER writer ---- */

void
buf_free(struct buf *b)
{
	if (b->p) {
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof(*b));
}

int
buf_room(struct buf *b, size_t n)
{
	size_t cap;
	u8 *p;

	if (b->bad || n > BUF_MAX - b->len) {
		b->bad = 1;
		return -1;
	}
	if (b->len + n <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	/* realloc would leave a copy of secrets behind; move by hand. */
	if (!(p = malloc(cap))) {
		b->bad = 1;
		return -1;
	}
	if (b->p) {
		memcpy(p, b->p, b->len);
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
buf_add(struct buf *b, const void *d, size_t n)
{
	if (n && !buf_room(b, n)) {
		memcpy(b->p + b->len, d, n);
		b->len += n;
	}
}

void
buf_byte(struct buf *b, u8 c)
{
	buf_add(b, &c, 1);
}

/* A DER length: short form below 128, else 0x8N and N bytes. */
static void
buf_derlen(struct buf *b, size_t n)
{
	u8 tmp[5];
	int k = 0;

	if (n < 0x80) {
		buf_byte(b, (u8)n);
		return;
	}
	for (size_t v = n; v; v >>= 8)
		k++;
	tmp[0] = (u8)(0x80 | k);
	for (int i = 0; i < k; i++)
		tmp[1 + i] = (u8)(n >> (8 * (k - 1 - i)));
	buf_add(b, tmp, (size_t)k + 1);
}

void
buf_tlv(struct buf *b, u8 tag, const void *d, size_t n)
{
	buf_byte(b, tag);
	buf_derlen(b, n);
	buf_add(b, d, n);
}

void
buf_wrap(struct buf *b, u8 tag, struct buf *inner)
{
	if (inner->bad)
		b->bad = 1;
	buf_tlv(b, tag, inner->p, inner->len);
	buf_free(inner);
}

/* A non-negative INTEGER, with a leading 0 when the top bit is set. */
void
buf_int(struct buf *b, unsigned long v)
{
	u8 tmp[9];
	int k = 0;

	do {
		tmp[8 - k++] = (u8)v;
		v >>= 8;
	} while (v);
	if (tmp[9 - k] & 0x80)
		tmp[8 - k++] = 0;
	buf_tlv(b, 0x02, tmp + 9 - k, (size_t)k);
}

void
buf_oid(struct buf *b, const u8 *oid, size_t n)
{
	buf_tlv(b, 0x06, oid, n);
}

/* ---- a DER reader: definite lengths, low tag numbers, all bounds checked ---- */

int
der_get(struct der *d, struct tlv *t)
{
	const u8 *p = d->p;
	size_t len, n;

	if (d->end - p < 2)
		return -1;
	t->start = p;
	t->tag = *p++;
	if ((t->tag & 0x1f) == 0x1f)
		return -1;
	len = *p++;
	if (len & 0x80) {
		n = len & 0x7f;
		if (n == 0 || n > 4 || (size_t)(d->end - p) < n)
			return -1;
		for (len = 0; n--;)
			len = (len << 8) | *p++;
	}
	if (len > (size_t)(d->end - p))
		return -1;
	t->v = p;
	t->len = len;
	t->total = (size_t)(p + len - t->start);
	d->p = p + len;
	return 0;
}

int
der_take(struct der *d, u8 tag, struct tlv *t)
{
	return der_get(d, t) || t->tag != tag ? -1 : 0;
}

struct der
der_in(const struct tlv *t)
{
	/* an absent part (v NULL) reads as empty: NULL + 0 is undefined in C */
	return t->v ? (struct der){ t->v, t->v + t->len } : (struct der){ t->v, t->v };
}

int
der_done(const struct der *d)
{
	return d->p >= d->end;
}

int
der_peek(const struct der *d)
{
	return d->p < d->end ? *d->p : -1;
}

int
oid_eq(const struct tlv *t, const u8 *oid, size_t n)
{
	return t->tag == 0x06 && t->len == n && !memcmp(t->v, oid, n);
}

int
der_small(const struct tlv *t, long *v)
{
	size_t i = 0;

	*v = 0;
	if (t->tag != 0x02 || t->len == 0 || (t->v[0] & 0x80))
		return -1;
	while (i < t->len - 1 && t->v[i] == 0)
		i++;
	if (t->len - i > 4 || (t->len - i == 4 && (t->v[i] & 0x80)))
		return -1;
	for (; i < t->len; i++)
		*v = (*v << 8) | t->v[i];
	return 0;
}

void
oid_text(const struct tlv *t, char *out, size_t outlen)
{
	unsigned long v = 0;
	size_t n = 0;
	int first = 1;

	out[0] = '\0';
	for (size_t i = 0; i < t->len && n + 24 < outlen; i++) {
		v = (v << 7) | (t->v[i] & 0x7f);
		if (t->v[i] & 0x80)
			continue;
		if (first)
			n += (size_t)snprintf(out + n, outlen - n, "%lu.%lu", v < 80 ? v / 40 : 2,
					      v < 80 ? v % 40 : v - 80);
		else
			n += (size_t)snprintf(out + n, outlen - n, ".%lu", v);
		first = 0;
		v = 0;
	}
}
