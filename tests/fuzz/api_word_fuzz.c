/* api_word_fuzz.c: libFuzzer target for the RouterOS API's sentence reader:
 * any bytes, taken sentence by sentence as a connection would, must end in
 * a sentence, "need more", or a refusal, never a read or an allocation
 * beyond the bounds; each sentence taken is encoded again and must read
 * back the same. */
#include <stdlib.h>
#include <string.h>

#include "api_word.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void
roundtrip(const struct api_sentence *s)
{
	struct api_out o = { 0 };
	struct api_sentence t = { 0 };
	const char *why = NULL;
	size_t used = 0;

	for (int i = 0; i < s->n; i++)
		api_out_word(&o, s->w[i], s->len[i]);
	api_out_end(&o);
	if (api_sentence_take(o.b, o.len, &used, &t, &why) != 1 || used != o.len || t.n != s->n)
		abort();
	for (int i = 0; i < s->n; i++)
		if (t.len[i] != s->len[i] || memcmp(t.w[i], s->w[i], s->len[i]))
			abort();
	api_sentence_free(&t);
	api_out_free(&o);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	size_t pos = 0;

	while (pos < size) {
		struct api_sentence s = { 0 };
		const char *why = NULL;
		size_t used = 0;
		int r = api_sentence_take(data + pos, size - pos, &used, &s, &why);

		if (r <= 0)
			break;
		if (used == 0 || used > size - pos || s.n < 0 || s.n > API_SENT_WORDS)
			abort();
		roundtrip(&s);
		api_sentence_free(&s);
		pos += used;
	}
	return 0;
}
