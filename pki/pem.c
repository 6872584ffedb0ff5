/* pem.c: PEM blocks in files: found anywhere in the text, their RFC 1421
 * headers read (legacy encrypted keys), their base64 decoded; and DER
 * written back out as PEM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pki_int.h"

/* Splits the text between the BEGIN and END lines into headers (lines with
 * ':', up to a blank line) and base64. */
static void
pem_split(struct pem *b, const char *p, const char *end)
{
	const char *nl;

	b->hdr = b->hdr_end = NULL;
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	b->body = p;
	b->body_end = end;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!memchr(p, ':', (size_t)((nl ? nl : end) - p)))
		return;
	b->hdr = p;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		eol = eol ? eol : end;
		if (eol == p || (eol - p == 1 && *p == '\r'))
			break;
		p = eol + (eol < end);
	}
	b->hdr_end = p;
	b->body = p < end ? p + 1 : end;
}

static int
pem_label_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == ' '))
			return 0;
	return 1;
}

int
pem_next(const char **pos, const char *end, struct pem *b, char *err, size_t errlen)
{
	const char *p = memmem(*pos, (size_t)(end - *pos), "-----BEGIN ", 11), *q, *e;
	char endline[80];
	size_t n;

	if (!p)
		return 0;
	p += 11;
	for (q = p; q < end && *q != '\n' && *q != '-'; q++)
		;
	n = (size_t)(q - p);
	if (end - q < 5 || memcmp(q, "-----", 5) || n >= sizeof(b->label) || !pem_label_ok(p, n))
		return fail(err, errlen, "malformed PEM header line");
	memcpy(b->label, p, n);
	b->label[n] = '\0';
	for (q += 5; q < end && *q != '\n'; q++)
		;
	n = (size_t)snprintf(endline, sizeof(endline), "-----END %s-----", b->label);
	e = memmem(q, (size_t)(end - q), endline, n);
	if (!e)
		return fail(err, errlen, "truncated PEM block: %s has no END line", b->label);
	if (memmem(q, (size_t)(e - q), "-----BEGIN ", 11))
		return fail(err, errlen, "truncated PEM block: %s ends where another begins",
			    b->label);
	pem_split(b, q, e);
	*pos = e + n;
	return 1;
}

int
pem_header(const struct pem *b, const char *name, char *val, size_t vallen)
{
	size_t n = strlen(name);

	for (const char *p = b->hdr; p && p < b->hdr_end;) {
		const char *eol = memchr(p, '\n', (size_t)(b->hdr_end - p)), *v;

		eol = eol ? eol : b->hdr_end;
		if ((size_t)(eol - p) > n && !strncasecmp(p, name, n) && p[n] == ':') {
			for (v = p + n + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
				;
			while (eol > v && (eol[-1] == '\r' || eol[-1] == ' '))
				eol--;
			if ((size_t)(eol - v) >= vallen)
				return -1;
			memcpy(val, v, (size_t)(eol - v));
			val[eol - v] = '\0';
			return 0;
		}
		p = eol + 1;
	}
	return -1;
}

int
pem_encrypted(const struct pem *b)
{
	char v[64];

	return !pem_header(b, "Proc-Type", v, sizeof(v)) && strstr(v, "ENCRYPTED");
}

int
pem_body(const struct pem *b, struct buf *der, char *err, size_t errlen)
{
	if (b64_decode(b->body, b->body_end, der) || der->len == 0)
		return fail(err, errlen, "bad base64 in PEM block %s", b->label);
	return 0;
}

int
pem_out(const u8 *der, size_t len, int type, char **out, char *err, size_t errlen)
{
	size_t cap = (len + 2) / 3 * 4 + len / 48 + 160;
	char *p;
	int n;

	*out = NULL;
	if (len > BUF_MAX || !(p = malloc(cap + 1)))
		return fail(err, errlen, "out of memory");
	n = wc_DerToPem(der, (word32)len, (byte *)p, (word32)cap, type);
	if (n <= 0 || (size_t)n > cap) {
		explicit_bzero(p, cap);
		free(p);
		return fail(err, errlen, "PEM encoding failed (%s)", wolf_why(n));
	}
	p[n] = '\0';
	*out = p;
	return 0;
}

int
pem_first(const char *text, int (*want)(const char *), struct pem *b, struct buf *der,
	  char *err, size_t errlen)
{
	const char *pos = text, *end = text + strlen(text);
	int r;

	while ((r = pem_next(&pos, end, b, err, errlen)) > 0)
		if (want(b->label))
			return pem_body(b, der, err, errlen);
	return r < 0 ? -1 : 1;
}
