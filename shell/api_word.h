/* api_word.h: the RouterOS API's words and sentences on the wire: a length
 * in 1 to 5 bytes, then that many bytes; a sentence ends with an empty word.
 * Pure: no sockets, no allocation of any size a peer announces. */
#ifndef API_WORD_H
#define API_WORD_H

#include <stddef.h>

#define API_WORD_MAX	65536		/* longest word we accept */
#define API_SENT_WORDS	1000		/* most words in one sentence */
#define API_SENT_BYTES	(1 << 20)	/* most bytes in one sentence */

/* One sentence: words point into text, each NUL terminated (a word may
 * still hold NUL bytes of its own: len says how long it is). */
struct api_sentence {
	char **w;
	size_t *len;
	int n;
	char *text;
};

/* Encode len into out (5 bytes at most); returns how many bytes. */
size_t api_len_encode(size_t len, unsigned char out[5]);
/* Decode a length at buf: 1..5 bytes used, 0 when more bytes are needed,
 * -1 when the first byte is no length (0xF8 and above). */
int api_len_decode(const unsigned char *buf, size_t n, unsigned long *len);

/* Take one sentence from the front of buf (n bytes). 1 with *used bytes
 * consumed and s filled (s->n is 0 for an empty sentence, which clients
 * may send and which asks for nothing), 0 when the sentence is not
 * complete yet, -1 with
 * why set when the input breaks a rule (and the connection must close). */
int api_sentence_take(const unsigned char *buf, size_t n, size_t *used,
		      struct api_sentence *s, const char **why);
void api_sentence_free(struct api_sentence *s);

/* A growing output buffer of words. */
struct api_out {
	unsigned char *b;
	size_t len, cap;
};
void api_out_word(struct api_out *o, const char *w, size_t len);
void api_out_str(struct api_out *o, const char *w);
void api_out_attr(struct api_out *o, const char *name, const char *value);
void api_out_end(struct api_out *o);	/* the empty word */
void api_out_free(struct api_out *o);

#endif
