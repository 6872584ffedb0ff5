/* api_word.c: the RouterOS API's length-prefixed words and the sentences
 * they make (api_word.h). Every bound is checked before anything is kept. */
#include <stdlib.h>
#include <string.h>

#include "api_word.h"

size_t
api_len_encode(size_t len, unsigned char out[5])
{
	if (len < 0x80) {
		out[0] = (unsigned char)len;
		return 1;
	}
	if (len < 0x4000) {
		out[0] = (unsigned char)(0x80 | (len >> 8));
		out[1] = (unsigned char)len;
		return 2;
	}
	if (len < 0x200000) {
		out[0] = (unsigned char)(0xC0 | (len >> 16));
		out[1] = (unsigned char)(len >> 8);
		out[2] = (unsigned char)len;
		return 3;
	}
	if (len < 0x10000000) {
		out[0] = (unsigned char)(0xE0 | (len >> 24));
		out[1] = (unsigned char)(len >> 16);
		out[2] = (unsigned char)(len >> 8);
		out[3] = (unsigned char)len;
		return 4;
	}
	out[0] = 0xF0;
	out[1] = (unsigned char)(len >> 24);
	out[2] = (unsigned char)(len >> 16);
	out[3] = (unsigned char)(len >> 8);
	out[4] = (unsigned char)len;
	return 5;
}

int
api_len_decode(const unsigned char *buf, size_t n, unsigned long *len)
{
	int size;
	unsigned long v;

	if (n < 1)
		return 0;
	if (buf[0] < 0x80)
		size = 1, v = buf[0];
	else if (buf[0] < 0xC0)
		size = 2, v = buf[0] & 0x3F;
	else if (buf[0] < 0xE0)
		size = 3, v = buf[0] & 0x1F;
	else if (buf[0] < 0xF0)
		size = 4, v = buf[0] & 0x0F;
	else if (buf[0] == 0xF0)
		size = 5, v = 0;
	else
		return -1;	/* 0xF8.. are control bytes the API never sends us */
	if (n < (size_t)size)
		return 0;
	for (int i = 1; i < size; i++)
		v = (v << 8) | buf[i];
	*len = v;
	return size;
}

/* Where each word of the sentence at buf starts and how long it is; the
 * count of words (the last empty one not counted; 0 for an empty sentence,
 * with *end set), 0 when incomplete (*end left 0). */
static int
scan_sentence(const unsigned char *buf, size_t n, size_t *end, size_t *starts,
	      size_t *lens, const char **why)
{
	size_t pos = 0;
	int nw = 0;

	for (;;) {
		unsigned long len;
		int k = api_len_decode(buf + pos, n - pos, &len);

		if (k < 0)
			return *why = "bad word length", -1;
		if (k == 0)
			return 0;
		if (len > API_WORD_MAX)
			return *why = "word too long", -1;
		if (pos + k + len > API_SENT_BYTES)
			return *why = "sentence too long", -1;
		if (len == 0) {
			*end = pos + k;
			return nw;
		}
		if (nw == API_SENT_WORDS)
			return *why = "too many words", -1;
		if (n - pos - k < len)
			return 0;
		starts[nw] = pos + k;
		lens[nw++] = len;
		pos += k + len;
	}
}

int
api_sentence_take(const unsigned char *buf, size_t n, size_t *used,
		  struct api_sentence *s, const char **why)
{
	static size_t starts[API_SENT_WORDS], lens[API_SENT_WORDS];
	size_t end = 0, total = 0;
	int nw = scan_sentence(buf, n, &end, starts, lens, why);
	char *t;

	*s = (struct api_sentence){ 0 };
	if (nw < 0 || end == 0)
		return nw < 0 ? -1 : 0;
	*used = end;
	if (nw == 0)
		return 1;	/* an empty sentence: nothing to run */
	for (int i = 0; i < nw; i++)
		total += lens[i] + 1;
	s->w = malloc(nw * sizeof(*s->w));
	s->len = malloc(nw * sizeof(*s->len));
	s->text = t = malloc(total);
	s->n = nw;
	for (int i = 0; i < nw; i++) {
		memcpy(t, buf + starts[i], lens[i]);
		t[lens[i]] = '\0';
		s->w[i] = t;
		s->len[i] = lens[i];
		t += lens[i] + 1;
	}
	return 1;
}

void
api_sentence_free(struct api_sentence *s)
{
	free(s->w);
	free(s->len);
	free(s->text);
	*s = (struct api_sentence){ 0 };
}

void
api_out_word(struct api_out *o, const char *w, size_t len)
{
	unsigned char hdr[5];
	size_t k = api_len_encode(len, hdr);

	if (o->len + k + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;

		while (o->len + k + len + 1 > cap)
			cap *= 2;
		o->b = realloc(o->b, cap);
		o->cap = cap;
	}
	memcpy(o->b + o->len, hdr, k);
	memcpy(o->b + o->len + k, w, len);
	o->len += k + len;
}

void
api_out_str(struct api_out *o, const char *w)
{
	api_out_word(o, w, strlen(w));
}

void
api_out_attr(struct api_out *o, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	char *w = malloc(nl + vl + 3);

	w[0] = '=';
	memcpy(w + 1, name, nl);
	w[nl + 1] = '=';
	memcpy(w + nl + 2, value, vl);
	api_out_word(o, w, nl + vl + 2);
	free(w);
}

void
api_out_end(struct api_out *o)
{
	api_out_word(o, "", 0);
}

void
api_out_free(struct api_out *o)
{
	free(o->b);
	*o = (struct api_out){ 0 };
}
