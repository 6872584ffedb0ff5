/* ovpn_armor.c: the texts of ca, cert, key, tls-auth, tls-crypt and
 * tls-crypt-v2 in a profile, inline or from a file, checked line by line
 * against the armor each must hold (PEM certificates, one PEM private key,
 * an OpenVPN static key, a tls-crypt-v2 client key), so that a wrong or
 * truncated block is refused at its line. The PEM lines, labels and digits
 * are read by pki's codec; what OpenVPN tolerates around them is decided
 * here. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ovpn_read.h"
#include "pki.h"

struct armor {				/* state of one armor check */
	struct parser *ps;
	enum kind kind;
	const char *what;		/* "<ca>" or "file ca.crt" */
	int base;			/* line of the text's first line */
	int inl;			/* 0: errors name base and the file line */
	int begin;			/* line index of the open BEGIN, -1 if none */
	char label[64];
	int blocks, hex, body;
	struct tbuf out;
};

static int armor_fail(struct armor *a, int idx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Refuse at line idx of the armor text: its own line when inline, else the
 * directive's line with the line inside the file. */
static int
armor_fail(struct armor *a, int idx, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (a->inl)
		return fail(a->ps, a->base + idx, "%s: %s", a->what, msg);
	return fail(a->ps, a->base, "%s line %d: %s", a->what, idx + 1, msg);
}

/* A <key> may also hold what OpenVPN's TLS library reads beside pki's
 * private keys: DSA keys, and the EC PARAMETERS `openssl ecparam -genkey`
 * puts before an EC key. */
static int
label_ok(enum kind k, const char *l)
{
	if (k == K_CERTS)
		return pki_pem_is_cert(l);
	if (k == K_KEY)
		return pki_pem_is_key(l) || !strcmp(l, "DSA PRIVATE KEY") ||
		       !strcmp(l, "EC PARAMETERS");
	return !strcmp(l, k == K_STATIC ? "OpenVPN Static key V1" :
		       "OpenVPN tls-crypt-v2 client key");
}

static const char *
kind_wants(enum kind k)
{
	return k == K_CERTS ? "a CERTIFICATE" : k == K_KEY ? "a PRIVATE KEY" :
	       k == K_STATIC ? "an OpenVPN Static key V1" :
	       "an OpenVPN tls-crypt-v2 client key";
}

static int
armor_begin(struct armor *a, int idx, const char *label, size_t n)
{
	if (n >= sizeof(a->label))
		return armor_fail(a, idx, "armor label too long");
	memcpy(a->label, label, n);
	a->label[n] = '\0';
	if (a->kind == K_TCV2 && !strcmp(a->label, "OpenVPN tls-crypt-v2 server key"))
		return armor_fail(a, idx, "this is the tls-crypt-v2 server key; "
				  "a client needs its own client key");
	if (!label_ok(a->kind, a->label))
		return armor_fail(a, idx, "holds a %s block where %s was expected",
				  a->label, kind_wants(a->kind));
	if (a->kind == K_KEY && strcmp(a->label, "EC PARAMETERS") && a->blocks)
		return armor_fail(a, idx, "holds more than one private key");
	a->begin = idx;
	a->hex = a->body = 0;
	return 0;
}

static int
armor_end(struct armor *a, int idx, const char *label, size_t n)
{
	if (n != strlen(a->label) || memcmp(label, a->label, n))
		return armor_fail(a, idx, "END does not match BEGIN %s", a->label);
	if (a->kind == K_STATIC && a->hex != 512)
		return armor_fail(a, idx, "the static key does not hold 256 bytes "
				  "(512 hex digits)");
	if (a->kind != K_KEY || strcmp(a->label, "EC PARAMETERS"))
		a->blocks++;
	a->begin = -1;
	return 0;
}

static int
body_char(enum kind k, int c)
{
	if (k == K_STATIC)
		return pki_hex_digit(c) >= 0;
	return pki_b64_value(c) >= 0 || c == '=';
}

/* A line between BEGIN and END: base64 (hex for static keys), or the
 * "Name: value" headers and blank line of legacy encrypted PEM keys. */
static int
armor_body(struct armor *a, int idx, const char *t, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	if (!a->body && a->kind == K_KEY && memchr(t, ':', n))
		return 0;
	for (i = 0; i < n; i++) {
		if (!body_char(a->kind, (unsigned char)t[i]))
			return armor_fail(a, idx, "%s", a->kind == K_STATIC ?
					  "a non-hex character inside the static key" :
					  "text that is not base64 inside the armor");
	}
	a->hex += (int)n;
	a->body = 1;
	return 0;
}

static int
armor_outside(struct armor *a, int idx, const char *t, size_t n)
{
	/* easy-rsa puts the `openssl x509 -text` dump before the PEM of a
	 * certificate and OpenSSL skips it, so certificates may carry text; keys
	 * may carry only the # comments that `openvpn --genkey` writes. */
	if (!n || a->kind == K_CERTS || t[0] == '#')
		return 0;
	if (!strncmp(t, "-----", 5))
		return armor_fail(a, idx, "a malformed armor line");
	return armor_fail(a, idx, "text outside the armor where %s was expected",
			  kind_wants(a->kind));
}

static int
armor_line(struct armor *a, int idx, const char *t, size_t n)
{
	const char *label;
	size_t ll;
	int mark = pki_pem_mark(t, n, &label, &ll), rc;

	if (a->begin >= 0 && mark == PKI_PEM_BEGIN)
		return armor_fail(a, a->begin, "BEGIN %s has no END (truncated?)",
				  a->label);
	if (a->begin < 0 && mark == PKI_PEM_END)
		return armor_fail(a, idx, "END without BEGIN");
	if (mark == PKI_PEM_BEGIN)
		rc = armor_begin(a, idx, label, ll);
	else if (mark == PKI_PEM_END)
		rc = armor_end(a, idx, label, ll);
	else if (a->begin >= 0)
		rc = armor_body(a, idx, t, n);
	else
		return armor_outside(a, idx, t, n);
	if (!rc && (tbuf_add(&a->out, t, n) || tbuf_add(&a->out, "\n", 1)))
		return fail(a->ps, a->base, "out of memory");
	return rc;
}

/* Check text holds the armor kind asks for and hand back only the armor,
 * each line trimmed. */
static int
armor_check(struct armor *a, const char *text, char **out)
{
	const char *s = text, *e;
	size_t n;
	int idx = 0;

	a->begin = -1;
	for (; *s; s = *e ? e + 1 : e, idx++) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		n = (size_t)(e - s);
		while (n && ovpn_blank((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n && ovpn_blank((unsigned char)s[n - 1]))
			n--;
		if (armor_line(a, idx, s, n))
			return -1;
	}
	if (a->begin >= 0)
		return armor_fail(a, a->begin, "BEGIN %s has no END (truncated?)", a->label);
	/* inline text starts the line after its tag: point at the tag */
	if (!a->blocks)
		return fail(a->ps, a->base - a->inl, "%s holds no armor where %s "
			    "was expected", a->what, kind_wants(a->kind));
	if (a->kind != K_CERTS && a->blocks > 1)
		return fail(a->ps, a->base - a->inl, "%s holds more than one key",
			    a->what);
	*out = a->out.s;
	a->out.s = NULL;
	return 0;
}

int
prof_armor(struct parser *ps, struct line *l, enum kind k, const char *text, char **out)
{
	struct armor a;
	char what[PARM_MAX + 8];
	int rc;

	memset(&a, 0, sizeof(a));
	a.ps = ps;
	a.kind = k;
	a.inl = l->inl;
	a.base = l->inl ? l->lineno + 1 : l->lineno;
	a.what = what;
	if (l->inl)
		snprintf(what, sizeof(what), "<%s>", l->argv[0]);
	else
		snprintf(what, sizeof(what), "file %s", l->argv[1]);
	rc = armor_check(&a, text, out);
	tbuf_free(&a.out);
	return rc;
}
