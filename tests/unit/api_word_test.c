/* api_word_test.c: the RouterOS API's word lengths at every boundary, and
 * the sentence reader's refusals: a bad length byte, a word over the limit
 * (one announcing 2 GB is refused before any of it arrives), too many
 * words, and a half sentence that only asks for more. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "api_word.h"

static void
lengths(void)
{
	static const unsigned long cases[] = { 0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff,
					       0x200000, 0xfffffff, 0x10000000, 0x7fffffff };
	static const int sizes[] = { 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned char b[5];
		unsigned long back = 0;
		size_t n = api_len_encode(cases[i], b);

		CHECK((int)n == sizes[i], "length %lx takes %zu bytes", cases[i], n);
		CHECK(api_len_decode(b, n, &back) == (int)n && back == cases[i],
		      "length %lx reads back as %lx", cases[i], back);
		CHECK(n == 1 || api_len_decode(b, n - 1, &back) == 0, "short length %lx", cases[i]);
	}
	CHECK(api_len_decode((const unsigned char *)"\xf8", 1, &(unsigned long){ 0 }) == -1,
	      "0xF8 is no length");
}

static int
take(const void *buf, size_t n, struct api_sentence *s, const char **why)
{
	size_t used = 0;

	*s = (struct api_sentence){ 0 };
	return api_sentence_take(buf, n, &used, s, why);
}

static void
sentences(void)
{
	struct api_out o = { 0 };
	struct api_sentence s;
	const char *why = NULL;

	api_out_str(&o, "/login");
	api_out_attr(&o, "name", "admin");
	api_out_attr(&o, "password", "");
	api_out_end(&o);
	CHECK(take(o.b, o.len, &s, &why) == 1 && s.n == 3 && !strcmp(s.w[0], "/login") &&
	      !strcmp(s.w[2], "=password="), "a login sentence reads back");
	api_sentence_free(&s);
	for (size_t cut = 0; cut < o.len; cut++)
		CHECK(take(o.b, cut, &s, &why) == 0, "a half sentence (%zu bytes) asks for more", cut);
	CHECK(take("\xf0\x7f\xff\xff\xff", 5, &s, &why) == -1 && !strcmp(why, "word too long"),
	      "a word announcing 2 GB is refused at once");
	CHECK(take("\x00", 1, &s, &why) == 1 && s.n == 0, "an empty sentence asks for nothing");
	CHECK(take("\xff", 1, &s, &why) == -1, "a control byte is refused");
	api_out_free(&o);
	for (int i = 0; i <= API_SENT_WORDS; i++)
		api_out_str(&o, "x");
	api_out_end(&o);
	CHECK(take(o.b, o.len, &s, &why) == -1 && !strcmp(why, "too many words"),
	      "a sentence of %d words is refused", API_SENT_WORDS + 1);
	api_out_free(&o);
	for (int i = 0; i < 20; i++)
		{
		char *w = memset(malloc(API_WORD_MAX), 'a', API_WORD_MAX);

		api_out_word(&o, w, API_WORD_MAX);
		free(w);
	}
	CHECK(take(o.b, o.len, &s, &why) == -1 && !strcmp(why, "sentence too long"),
	      "a sentence over the byte limit is refused");
	api_out_free(&o);
}

int
main(void)
{
	lengths();
	sentences();
	printf("api_word_test: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
