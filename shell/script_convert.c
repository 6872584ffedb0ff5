/* script_convert.c: the commands that make or recode values rather than
 * steer a script: :convert between byte encodings, :rndnum and :rndstr,
 * :timestamp. Values are C strings here, so a decoded zero byte is an
 * error (to=byte-array keeps such bytes as numbers). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "script.h"
#include "pki.h"

struct bytes {
	unsigned char *p;
	size_t n;
};

static const char *const formats[] = { "raw", "hex", "base32", "base64", "rot13", "url",
				       "byte-array", NULL };
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int
format(struct sh *sh, struct src *s, const struct sarg *a, char *out, size_t len)
{
	struct val v = { 0 };
	int rc = 0;

	snprintf(out, len, "raw");
	if (!a)
		return 0;
	if (sc_eval(sh, s, a, &v))
		return -1;
	snprintf(out, len, "%s", val_text(&v));
	val_free(&v);
	for (int i = 0; formats[i]; i++)
		if (!strcmp(formats[i], out))
			return 0;
	rc = sh_fail(sh, a->vpos, "%s: expected raw, hex, base32, base64, rot13, url or "
		     "byte-array", a->name);
	return rc;
}

static int
unhex(const char *t, struct bytes *b)
{
	size_t n = strlen(t);

	if (n % 2)
		return -1;
	b->n = n / 2;
	return pki_hex_decode(t, b->p, b->n);
}

/* base64 or base32 digits to bytes, '=' padding optional. */
static int
undigits(const char *t, int bits, struct bytes *b)
{
	unsigned long acc = 0;
	int have = 0;

	for (; *t && *t != '='; t++) {
		const char *at = bits == 5 ? strchr(b32, toupper((unsigned char)*t)) : NULL;
		int d = bits == 6 ? pki_b64_value((unsigned char)*t) : at ? (int)(at - b32) : -1;

		if (d < 0)
			return -1;
		acc = (acc << bits) | (unsigned)d;
		have += bits;
		if (have >= 8) {
			have -= 8;
			b->p[b->n++] = (acc >> have) & 0xff;
		}
	}
	while (*t == '=')
		t++;
	return *t ? -1 : 0;
}

static int
unurl(const char *t, struct bytes *b)
{
	for (; *t; t++) {
		if (*t == '%') {
			int hi = pki_hex_digit((unsigned char)t[1]);
			int lo = hi < 0 ? -1 : pki_hex_digit((unsigned char)t[2]);

			if (lo < 0)
				return -1;
			b->p[b->n++] = (unsigned char)(hi << 4 | lo);
			t += 2;
		} else
			b->p[b->n++] = *t == '+' ? ' ' : (unsigned char)*t;
	}
	return 0;
}

static void
rot13(struct bytes *b)
{
	for (size_t i = 0; i < b->n; i++) {
		int c = b->p[i];

		if (isalpha(c))
			b->p[i] = (unsigned char)((c & 32) | (((c & 31) - 1 + 13) % 26 + 1) | 64);
	}
}

/* The value's bytes, decoded from its encoding. */
static int
decode(struct sh *sh, size_t pos, const char *from, struct val *v, struct bytes *b)
{
	const char *t = val_text(v);
	int rc = 0;

	if (!strcmp(from, "byte-array")) {
		b->p = malloc(val_count(v) + 1);
		for (int i = 0; i < val_count(v) && !rc; i++) {
			struct val e = { 0 };

			val_elem(v, i, &e);
			rc = val_as(&e, V_NUM) || e.n < 0 || e.n > 255;
			b->p[b->n++] = (unsigned char)e.n;
			val_free(&e);
		}
		return rc ? sh_fail(sh, pos, "from=byte-array: expected numbers 0 to 255") : 0;
	}
	b->p = malloc(strlen(t) + 1);
	if (!strcmp(from, "hex"))
		rc = unhex(t, b);
	else if (!strcmp(from, "base64") || !strcmp(from, "base32"))
		rc = undigits(t, from[4] == '6' ? 6 : 5, b);
	else if (!strcmp(from, "url"))
		rc = unurl(t, b);
	else {
		b->n = strlen(t);
		memcpy(b->p, t, b->n);
		if (!strcmp(from, "rot13"))
			rot13(b);
	}
	return rc ? sh_fail(sh, pos, "the value is not %s", from) : 0;
}

static char *
enc_base32(const struct bytes *b)
{
	char *o = malloc((b->n + 4) / 5 * 8 + 1), *p = o;
	unsigned long acc = 0;
	int have = 0;

	for (size_t i = 0; i < b->n; i++) {
		acc = (acc << 8) | b->p[i];
		for (have += 8; have >= 5; have -= 5)
			*p++ = b32[(acc >> (have - 5)) & 31];
	}
	if (have)
		*p++ = b32[(acc << (5 - have)) & 31];
	while ((p - o) % 8)
		*p++ = '=';
	*p = '\0';
	return o;
}

static char *
enc_url(const struct bytes *b)
{
	char *o = malloc(b->n * 3 + 1), *p = o;

	for (size_t i = 0; i < b->n; i++) {
		int c = b->p[i];

		if (isalnum(c) || strchr("-_.~", c))
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02X", c);
	}
	*p = '\0';
	return o;
}

/* The bytes in the wanted encoding. */
static int
encode(struct sh *sh, size_t pos, const char *to, struct bytes *b, struct val *out)
{
	char *o;

	if (!strcmp(to, "byte-array")) {
		val_array(out);
		for (size_t i = 0; i < b->n; i++) {
			struct val e = { 0 };

			val_num(&e, b->p[i]);
			if (val_push(out, NULL, &e))
				return sh_fail(sh, pos, "array too big");
		}
		return 0;
	}
	if (!strcmp(to, "hex")) {
		o = malloc(b->n * 2 + 1);
		pki_hex_encode(b->p, b->n, 0, o, b->n * 2 + 1);
	} else if (!strcmp(to, "base64"))
		o = pki_b64_encode(b->p, b->n);
	else if (!strcmp(to, "base32"))
		o = enc_base32(b);
	else if (!strcmp(to, "url"))
		o = enc_url(b);
	else {
		if (memchr(b->p, 0, b->n))
			return sh_fail(sh, pos, "the result holds a zero byte: use to=byte-array");
		if (!strcmp(to, "rot13"))
			rot13(b);
		o = strndup((char *)b->p, b->n);
	}
	val_str(out, o);
	free(o);
	return 0;
}

/* :convert VALUE [from=F] [to=F] [transform=reverse|lc|uc] */
int
sc_convert(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	const struct sarg *a = sc_positional(args, 0), *t = sc_named(args, "transform");
	struct val v = { 0 }, tr = { 0 };
	struct bytes b = { 0 };
	char from[16], to[16];
	int rc;

	if (!a)
		a = sc_named(args, "value");
	if (sc_only(sh, args, (const char *const[]){ "from", "to", "transform", "value", NULL }, 1))
		return -1;
	if (!a)
		return sh_fail(sh, pos, "missing value to convert");
	rc = format(sh, s, sc_named(args, "from"), from, sizeof(from)) ||
	     format(sh, s, sc_named(args, "to"), to, sizeof(to)) || sc_eval(sh, s, a, &v) ||
	     (t && sc_eval(sh, s, t, &tr)) || decode(sh, a->vpos, from, &v, &b);
	for (size_t i = 0; !rc && t && i < b.n; i++) {
		const char *w = val_text(&tr);

		if (!strcmp(w, "reverse")) {
			if (i < b.n / 2) {
				unsigned char c = b.p[i];

				b.p[i] = b.p[b.n - 1 - i];
				b.p[b.n - 1 - i] = c;
			}
		} else if (!strcmp(w, "lc") || !strcmp(w, "uc"))
			b.p[i] = (unsigned char)(w[0] == 'l' ? tolower(b.p[i]) : toupper(b.p[i]));
		else
			rc = sh_fail(sh, t->vpos, "transform: expected reverse, lc or uc");
	}
	if (!rc)
		rc = encode(sh, a->vpos, to, &b, out);
	free(b.p);
	val_free(&v);
	val_free(&tr);
	return rc ? -1 : 0;
}

static int
num_arg(struct sh *sh, struct src *s, const struct sarg *a, long long dflt, long long *n)
{
	struct val v = { 0 };
	int rc = 0;

	*n = dflt;
	if (!a)
		return 0;
	if (sc_eval(sh, s, a, &v) || val_as(&v, V_NUM))
		rc = sh->failed ? -1 : sh_fail(sh, a->vpos, "%s: expected a number", a->name);
	else
		*n = v.n;
	val_free(&v);
	return rc;
}

static unsigned long long
random64(void)
{
	unsigned long long r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned long long)time(NULL) * 6364136223846793005ULL + (uintptr_t)&r;
	return r;
}

/* :rndnum from=A to=B: a number from A to B, both included. */
int
sc_rndnum(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	long long from, to;
	unsigned long long span;

	if (sc_only(sh, args, (const char *const[]){ "from", "to", NULL }, 0) ||
	    num_arg(sh, s, sc_named(args, "from"), 0, &from) ||
	    num_arg(sh, s, sc_named(args, "to"), 0, &to))
		return -1;
	if (!sc_named(args, "from") || !sc_named(args, "to"))
		return sh_fail(sh, pos, "expected from= and to=");
	if (to < from)
		return sh_fail(sh, pos, "to is less than from");
	span = (unsigned long long)to - (unsigned long long)from + 1;
	val_num(out, (long long)((unsigned long long)from + (span ? random64() % span :
							     random64())));
	return 0;
}

/* :rndstr [from=CHARS] [length=N]: N characters (16) drawn from CHARS. */
int
sc_rndstr(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	const struct sarg *f = sc_named(args, "from");
	struct val chars = { 0 };
	long long len;
	const char *set;
	char *o;
	size_t n;

	if (sc_only(sh, args, (const char *const[]){ "from", "length", NULL }, 0) ||
	    num_arg(sh, s, sc_named(args, "length"), 16, &len) || (f && sc_eval(sh, s, f, &chars)))
		return val_free(&chars), -1;
	set = f ? val_text(&chars) : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	n = strlen(set);
	if (!n || len < 0 || len > SC_MAXSTR) {
		val_free(&chars);
		return sh_fail(sh, pos, n ? "length: out of range" : "from: no characters");
	}
	o = malloc((size_t)len + 1);
	for (long long i = 0; i < len; i++)
		o[i] = set[random64() % n];
	o[len] = '\0';
	val_str(out, o);
	free(o);
	val_free(&chars);
	return 0;
}

/* :timestamp: the time since the epoch, as a time value. */
int
sc_timestamp(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	struct timespec ts;

	(void)s;
	(void)pos;
	if (sc_only(sh, args, (const char *const[]){ NULL }, 0))
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	val_time(out, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	return 0;
}
