/* script_json.c: :serialize to=json and :deserialize from=json, and the
 * same writer and reader for REST. A keyed array is an object, a list an
 * array; numbers without a fraction are numbers, other numbers stay text
 * (the language has no fractions); the reader is bounded in depth and size
 * like every other script value. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

#define JSON_MAXDEPTH 64

void
json_put_string(struct cdb_buf *b, const char *t)
{
	cdb_buf_add(b, "\"", 1);
	while (*t) {
		size_t n = 0;

		/* runs of plain bytes at once: answers are mostly those */
		while (t[n] && t[n] != '"' && t[n] != '\\' && (unsigned char)t[n] >= 0x20)
			n++;
		if (n) {
			cdb_buf_add(b, t, n);
			t += n;
			continue;
		}
		if (*t == '"' || *t == '\\')
			cdb_buf_printf(b, "\\%c", *t);
		else if (*t == '\n')
			cdb_buf_printf(b, "\\n");
		else if (*t == '\r')
			cdb_buf_printf(b, "\\r");
		else if (*t == '\t')
			cdb_buf_printf(b, "\\t");
		else
			cdb_buf_printf(b, "\\u%04x", (unsigned char)*t);
		t++;
	}
	cdb_buf_add(b, "\"", 1);
}

/* strings: every scalar as a JSON string, as RouterOS's REST answers. */
void
json_put_value(struct cdb_buf *b, struct val *v, int strings)
{
	if (v->t == V_ARRAY || v->t == V_IDS) {
		int keyed = v->t == V_ARRAY && v->keys;

		cdb_buf_printf(b, keyed ? "{" : "[");
		for (int i = 0; i < val_count(v); i++) {
			struct val e = { 0 };

			if (i)
				cdb_buf_add(b, ",", 1);
			if (keyed) {
				json_put_string(b, v->keys[i]);
				cdb_buf_add(b, ":", 1);
			}
			if (v->t == V_ARRAY) {	/* no copy of what is only read */
				json_put_value(b, &v->el[i], strings);
				continue;
			}
			val_elem(v, i, &e);
			json_put_value(b, &e, strings);
			val_free(&e);
		}
		cdb_buf_printf(b, keyed ? "}" : "]");
	} else if (v->t == V_NUM && !strings)
		cdb_buf_printf(b, "%lld", v->n);
	else if (v->t == V_BOOL && !strings)
		cdb_buf_printf(b, v->n ? "true" : "false");
	else if ((v->t == V_NIL || v->t == V_NOTHING) && !strings)
		cdb_buf_printf(b, "null");
	else
		json_put_string(b, val_text(v));
}

/* The value and the format of :serialize / :deserialize. */
static int
arguments(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, const char *fmt,
	  struct val *v, int *plain)
{
	const struct sarg *a = sc_named(args, "value"), *f = sc_named(args, fmt);
	const struct sarg *o = sc_named(args, "options");
	struct val w = { 0 };
	int rc = 0;

	if (!a)
		a = sc_positional(args, 0);
	if (sc_only(sh, args, (const char *const[]){ "value", fmt, "options", NULL }, 1))
		return -1;
	if (!a || !f)
		return sh_fail(sh, pos, "expected value= and %s=json", fmt);
	if (sc_eval(sh, s, f, &w))
		return -1;
	if (strcmp(val_text(&w), "json"))
		rc = sh_fail(sh, f->vpos, "%s=%s is not supported: only json", fmt, val_text(&w));
	if (!rc && o && !sc_eval(sh, s, o, &w))
		*plain = strstr(val_text(&w), "no-string-conversion") != NULL;
	val_free(&w);
	return rc || sh->failed || sc_eval(sh, s, a, v) ? -1 : 0;
}

/* :serialize value=V to=json */
int
sc_serialize(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	struct val v = { 0 };
	struct cdb_buf b = { 0 };
	int plain = 0;

	if (arguments(sh, s, pos, args, "to", &v, &plain))
		return val_free(&v), -1;
	json_put_value(&b, &v, 0);
	val_free(&v);
	if (b.len > SC_MAXSTR) {
		free(b.s);
		return sh_fail(sh, pos, "string too long");
	}
	val_str(out, b.s ? b.s : "");
	free(b.s);
	return 0;
}

struct reader {
	const char *p, *end, *start;
	int plain;
	const char *err;
};

static void
skip(struct reader *r)
{
	while (r->p < r->end && strchr(" \t\r\n", *r->p))
		r->p++;
}

static int json_value(struct reader *r, struct val *out, int depth);

/* UTF-8 of a \uXXXX escape (and its low surrogate). */
static int
unicode(struct reader *r, struct cdb_buf *b)
{
	unsigned cp = 0;

	for (int pass = 0; pass < 2; pass++) {
		unsigned u = 0;

		if (r->end - r->p < 4)
			return -1;
		for (int i = 0; i < 4; i++) {
			int d = isxdigit((unsigned char)r->p[i]) ? (r->p[i] | 32) : -1;

			if (d < 0)
				return -1;
			u = u << 4 | (unsigned)(d <= '9' ? d - '0' : d - 'a' + 10);
		}
		r->p += 4;
		if (pass == 1)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (u - 0xdc00);
		else
			cp = u;
		if (pass == 1 && (u < 0xdc00 || u > 0xdfff))
			return -1;
		if (pass == 1 || cp < 0xd800 || cp > 0xdbff)
			break;
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return -1;
		r->p += 2;
	}
	if (!cp || (cp >= 0xdc00 && cp <= 0xdfff))
		return -1;
	if (cp < 0x80)
		cdb_buf_printf(b, "%c", cp);
	else if (cp < 0x800)
		cdb_buf_printf(b, "%c%c", 0xc0 | cp >> 6, 0x80 | (cp & 63));
	else if (cp < 0x10000)
		cdb_buf_printf(b, "%c%c%c", 0xe0 | cp >> 12, 0x80 | (cp >> 6 & 63), 0x80 | (cp & 63));
	else
		cdb_buf_printf(b, "%c%c%c%c", 0xf0 | cp >> 18, 0x80 | (cp >> 12 & 63),
			       0x80 | (cp >> 6 & 63), 0x80 | (cp & 63));
	return 0;
}

static int
json_string(struct reader *r, char **out)
{
	struct cdb_buf b = { 0 };

	for (r->p++; r->p < r->end && *r->p != '"'; ) {
		char c = *r->p++;

		if ((unsigned char)c < 0x20)
			goto bad;
		if (c != '\\') {
			cdb_buf_printf(&b, "%c", c);
			continue;
		}
		if (r->p >= r->end)
			goto bad;
		c = *r->p++;
		if (c == 'u') {
			if (unicode(r, &b))
				goto bad;
		} else if (strchr("\"\\/", c))
			cdb_buf_printf(&b, "%c", c);
		else if (strchr("bfnrt", c))
			cdb_buf_printf(&b, "%c", "\b\f\n\r\t"[strchr("bfnrt", c) - "bfnrt"]);
		else
			goto bad;
	}
	if (r->p >= r->end || b.len > SC_MAXSTR)
		goto bad;
	r->p++;
	*out = b.s ? b.s : strdup("");
	return 0;
bad:
	free(b.s);
	r->err = "bad string";
	return -1;
}

/* An object or an array: elements into a list or keyed array. */
static int
json_members(struct reader *r, struct val *out, int depth, int object)
{
	char close = object ? '}' : ']';

	val_array(out);
	r->p++;
	skip(r);
	if (r->p < r->end && *r->p == close)
		return r->p++, 0;
	for (;;) {
		struct val e = { 0 };
		char *key = NULL;

		skip(r);
		if (object) {
			if (r->p >= r->end || *r->p != '"' || json_string(r, &key))
				return r->err = r->err ? r->err : "expected a key", -1;
			skip(r);
			if (r->p >= r->end || *r->p++ != ':')
				return free(key), r->err = "expected :", -1;
		}
		if (json_value(r, &e, depth + 1) || val_push(out, key, &e)) {
			val_free(&e);
			free(key);
			return r->err = r->err ? r->err : "array too big", -1;
		}
		free(key);
		skip(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close)
			return r->p++, 0;
		return r->err = object ? "expected , or }" : "expected , or ]", -1;
	}
}

static int
json_scalar(struct reader *r, struct val *out)
{
	static const char *const words[] = { "true", "false", "null" };
	const char *from = r->p;
	char *text;

	for (int i = 0; i < 3; i++)
		if ((size_t)(r->end - r->p) >= strlen(words[i]) &&
		    !strncmp(r->p, words[i], strlen(words[i]))) {
			r->p += strlen(words[i]);
			if (i < 2)
				val_bool(out, i == 0);
			else
				val_free(out);
			return 0;
		}
	while (r->p < r->end && strchr("+-0123456789.eE", *r->p))
		r->p++;
	if (r->p == from)
		return r->err = "unexpected character", -1;
	text = strndup(from, r->p - from);
	val_str(out, text);
	if (strspn(text, "-0123456789") != strlen(text) || val_as(out, V_NUM))
		val_str(out, text);	/* a fraction stays text */
	free(text);
	return 0;
}

static int
json_value(struct reader *r, struct val *out, int depth)
{
	char *text;

	if (depth > JSON_MAXDEPTH)
		return r->err = "too deeply nested", -1;
	skip(r);
	if (r->p >= r->end)
		return r->err = "unexpected end", -1;
	if (*r->p == '{' || *r->p == '[')
		return json_members(r, out, depth, *r->p == '{');
	if (*r->p != '"')
		return json_scalar(r, out);
	if (json_string(r, &text))
		return -1;
	val_str(out, text);
	free(text);
	if (!r->plain)
		val_type_word(out);	/* "1.2.3.4" reads as an ip, as a bare word would */
	return 0;
}

int
json_parse(const char *text, size_t len, int plain, struct val *out, char *err, size_t errlen)
{
	struct reader r = { .p = text, .start = text, .end = text + len, .plain = plain };
	int rc = json_value(&r, out, 0);

	if (!rc) {
		skip(&r);
		if (r.p != r.end)
			rc = -1, r.err = "text after the value";
	}
	if (rc) {
		val_free(out);
		snprintf(err, errlen, "can not read json: %s at character %td", r.err,
			 r.p - r.start + 1);
	}
	return rc ? -1 : 0;
}

/* :deserialize value=TEXT from=json [options=json.no-string-conversion] */
int
sc_deserialize(struct sh *sh, struct src *s, size_t pos, const struct sargs *args,
	       struct val *out)
{
	struct val v = { 0 };
	char err[128];
	const char *t;
	int plain = 0, rc;

	if (arguments(sh, s, pos, args, "from", &v, &plain))
		return val_free(&v), -1;
	t = val_text(&v);
	rc = json_parse(t, strlen(t), plain, out, err, sizeof(err));
	if (rc)
		sh_fail(sh, pos, "%s", err);
	val_free(&v);
	return rc;
}
