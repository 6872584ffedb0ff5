/* ovpn_profile.c: reads .ovpn client profiles into struct ovpn_profile and
 * writes them back as profiles stock OpenVPN 2.6 reads. Lines are split the
 * way OpenVPN 2.6's options.c does it (parse_line, read_config_file,
 * check_inline_file), so a profile means here what it means to openvpn; what
 * we can not honour is refused with its line number rather than dropped.
 *
 * Directive table (the code's table `directives` below is the authority):
 *
 *   honoured (fill the struct)
 *     client, tls-client     a client profile; one of them is required
 *     remote H [PORT [PROTO]] up to OVPN_MAX_REMOTES
 *     proto, port, rport     proto udp/udp4/udp6 -> "udp"; tcp/tcp4/tcp6 and
 *                            their -client forms -> "tcp"
 *     dev, dev-type          tun, tap, tun0, tap3...; another name needs dev-type
 *     cipher, data-ciphers (ncp-ciphers), data-ciphers-fallback (into cipher
 *                            when no cipher is given), auth
 *     auth-user-pass [FILE]  sets the flag; the file (or inline block) is NOT
 *                            read: user and password come from the console
 *                            (ovpn-user=, ovpn-password=), never from a profile
 *     ca, cert, key, tls-auth [DIR], tls-crypt, tls-crypt-v2: inline blocks or
 *                            files read through the callback; the text must be
 *                            the expected PEM or static-key armor
 *     key-direction 0|1      kept only with tls-auth: OpenVPN ignores it for
 *                            tls-crypt, so we do not carry it there
 *     verify-x509-name N [subject|name|name-prefix], remote-cert-tls server,
 *     ns-cert-type server (checked, nothing stored), route-nopull,
 *     redirect-gateway [flags], tls-version-min 1.2|1.3 [or-highest] (1.0 and
 *     1.1 are accepted and left empty: our floor is 1.2 anyway), tun-mtu,
 *     comp-lzo no / compress / compress stub / compress stub-v2 -> comp_stub,
 *     allow-compression, mode p2p, setenv, ignore-unknown-option
 *
 *   accepted and ignored (harmless on a router, or handled elsewhere)
 *     verb mute persist-key persist-tun nobind resolv-retry mute-replay-warnings
 *     auth-nocache pull float explicit-exit-notify reneg-sec ping ping-restart
 *     ping-timer-rem keepalive connect-retry connect-retry-max connect-timeout
 *     server-poll-timeout hand-window tls-timeout sndbuf rcvbuf txqueuelen
 *     fast-io route-delay route-method remote-cert-ku remote-cert-eku
 *     remote-random script-security tls-cipher tls-ciphersuites tls-groups
 *     ecdh-curve tls-version-max push-peer-info pull-filter auth-retry
 *     management* block-outside-dns register-dns dhcp-option route route-ipv6
 *     user group lport bind mssfix tun-mtu-extra tun-ipv6 comp-noadapt topology
 *     setenv NAME VALUE; setenv opt NAME... when NAME is unknown (a known NAME
 *     is applied, as OpenVPN does)
 *
 *   refused, with the line number
 *     comp-lzo yes|adaptive and bare comp-lzo (adaptive), compress lzo|lz4|
 *     lz4-v2|migrate: we carry no compressor, only the framing stubs
 *     fragment; socks-proxy, http-proxy* (not yet); pkcs12 (import the .p12
 *     through /certificate import); secret (static-key mode); server,
 *     server-ipv6, server-bridge, mode server, tls-server, dh, push,
 *     client-config-dir, ifconfig-pool, remote-cert-tls client, ns-cert-type
 *     client (not a client profile); up, down, route-up, route-pre-down,
 *     ipchange, tls-verify, auth-user-pass-verify, client-connect,
 *     client-disconnect, learn-address, plugin (we run no scripts from
 *     profiles); config (no includes); <connection> blocks; crl-verify and
 *     peer-fingerprint (not yet); management-external-key/-cert; dev null;
 *     setenv GENERIC_CONFIG; unknown directives unless named by an earlier
 *     ignore-unknown-option or written as setenv opt NAME
 *     unclosed blocks (line of the opening tag), a close tag of another block,
 *     text that is not the expected armor, a BEGIN without END (its line),
 *     NUL bytes, control characters or invalid UTF-8, input over 1 MiB,
 *     lines of 256 bytes or more with their line end, comments included
 *     (OpenVPN's limit; inline block lines are free), more than 16
 *     parameters, a profile without remote, client or tls-client. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovpn_profile.h"

#define PROFILE_MAX	(1u << 20)	/* largest profile or file it names */
#define LINE_MAX_LEN	255		/* bytes of a line with its line end:
					 * OpenVPN's OPTION_LINE_SIZE less one */
#define PARM_MAX	256		/* OpenVPN's OPTION_PARM_SIZE, NUL included */
#define ARGS_MAX	16		/* OpenVPN's MAX_PARMS */
#define IGNORE_MAX	64		/* names kept from ignore-unknown-option */

struct buf {				/* growing text */
	char *s;
	size_t len, cap;
};

struct line {				/* one directive, split into words */
	char *argv[ARGS_MAX + 1];
	int argc;
	int lineno;			/* line of the directive or opening tag */
	int inl;			/* it is an inline block; body in block */
	struct buf block;
	char store[LINE_MAX_LEN + ARGS_MAX + 2];
};

struct parser {
	const char *text;		/* the profile, len bytes, not NUL-ended */
	size_t len, pos;		/* pos: start of the next line */
	int lineno;			/* line last read */
	size_t rawlen;			/* its bytes, line end included */
	ovpn_read_fn readf;		/* reads files the profile names; may be NULL */
	void *ctx;
	struct ovpn_profile *p;		/* being filled */
	char *err;			/* the caller's message buffer */
	size_t errlen;
	int errline;			/* line at fault, 0 for the whole profile */
	char ignored[IGNORE_MAX][PARM_MAX]; /* from ignore-unknown-option */
	int nignored;
	int client;			/* client or tls-client seen */
	int dev_line;			/* line of dev, 0 if none */
	char dev_guess[8];		/* from the dev name: "tun", "tap" or "" */
	char dev_type[8];		/* from dev-type */
	int ta_dir;			/* direction given on the tls-auth line */
	char fallback[64];		/* data-ciphers-fallback */
	int cert_line, key_line;
	int tlsmode_line;		/* line of tls-auth/tls-crypt/tls-crypt-v2 */
	const char *tlsmode;		/* which of the three */
};

enum kind { K_CERTS, K_KEY, K_STATIC, K_TCV2 };	/* what a block must hold */

static int fail(struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the message and line of a refusal; returns -1 for the caller to pass on. */
static int
fail(struct parser *ps, int line, const char *fmt, ...)
{
	va_list ap;

	if (ps->err && ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	ps->errline = line;
	return -1;
}

/* Secrets (keys, static keys) are wiped before their memory goes back. */
static void
wipe(void *v, size_t n)
{
	volatile unsigned char *c = v;

	while (n--)
		*c++ = 0;
}

static void
wipe_free(char *s)
{
	if (s) {
		wipe(s, strlen(s));
		free(s);
	}
}

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	char *ns;
	size_t cap;

	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		ns = malloc(cap);
		if (!ns)
			return -1;
		if (b->s) {
			memcpy(ns, b->s, b->len);
			wipe(b->s, b->cap);
			free(b->s);
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static void
buf_free(struct buf *b)
{
	if (b->s) {
		wipe(b->s, b->cap);
		free(b->s);
	}
	memset(b, 0, sizeof(*b));
}

/* OpenVPN's space(): NUL counts, so the end of a line ends a word. */
static int
blank(int c)
{
	return c == 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t want, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		want = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		want = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		want = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;			/* no surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < want || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < want; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return want;
}

/* Refuse what is not text: NUL, control characters other than blanks, and
 * byte sequences that are not UTF-8. Sets *bad to the 1-based line. */
static const char *
not_text(const char *text, size_t len, int *bad)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, k;

	*bad = 1;
	while (i < len) {
		if (s[i] == '\n')
			++*bad;
		if (s[i] == 0)
			return "a NUL byte: this is not a text profile";
		if ((s[i] < 0x20 && !blank(s[i])) || s[i] == 0x7f)
			return "a control character: this is not a text profile";
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_len(s + i, len - i);
		if (!k)
			return "bytes that are not UTF-8 text (binary data?)";
		i += k;
	}
	return NULL;
}

/* Next line of the profile, without its LF and a CR before it. */
static int
next_line(struct parser *ps, const char **s, size_t *n)
{
	const char *nl;

	if (ps->pos >= ps->len)
		return 0;
	*s = ps->text + ps->pos;
	nl = memchr(*s, '\n', ps->len - ps->pos);
	*n = nl ? (size_t)(nl - *s) : ps->len - ps->pos;
	ps->pos += *n + (nl ? 1 : 0);
	ps->rawlen = *n + (nl ? 1 : 0);
	if (*n && (*s)[*n - 1] == '\r')
		--*n;
	ps->lineno++;
	return 1;
}

static int
add_word(struct parser *ps, struct line *l, size_t *used, size_t start)
{
	if (l->argc == ARGS_MAX)
		return fail(ps, l->lineno, "more than %d parameters on one line",
			    ARGS_MAX);
	l->store[(*used)++] = '\0';
	l->argv[l->argc++] = l->store + start;
	l->argv[l->argc] = NULL;
	return 0;
}

enum tstate { START, PLAIN, DQ, SQ };

static int
tok_end(struct parser *ps, struct line *l, enum tstate st)
{
	if (st == DQ)
		return fail(ps, l->lineno, "no closing quotation (\")");
	if (st == SQ)
		return fail(ps, l->lineno, "no closing single quotation (')");
	if (st != START)
		return fail(ps, l->lineno, "the line ends inside a parameter");
	return 0;
}

/* One character in the START state: a word, a quote or a comment begins.
 * Returns the character to keep (0 for none), or -1 for a comment. */
static int
tok_start(enum tstate *st, int c, int bs)
{
	if (blank(c))
		return 0;
	if (c == '#' || c == ';')
		return -1;
	if (!bs && c == '"')
		*st = DQ;
	else if (!bs && c == '\'')
		*st = SQ;
	else
		*st = PLAIN;
	return *st == PLAIN ? c : 0;
}

/* One character inside a word: sets *done when it ends the word. */
static int
tok_inside(enum tstate st, int c, int bs, int *done)
{
	if ((st == PLAIN && !bs && blank(c)) || (st == DQ && !bs && c == '"') ||
	    (st == SQ && c == '\''))
		*done = 1;
	return *done ? 0 : c;
}

/* Split one line into words as OpenVPN's parse_line does: blanks separate,
 * "..." and '...' quote, a backslash escapes a backslash, a double quote or
 * a blank (anything else is an error) except inside '...', and # or ; at
 * the start of a word begins a comment. */
static int
tokenize(struct parser *ps, const char *s, size_t n, struct line *l)
{
	enum tstate st = START;
	size_t i, used = 0, start = 0;
	int bs = 0, c, out, done;

	l->argc = 0;
	l->argv[0] = NULL;
	for (i = 0; i <= n; i++) {
		c = i < n ? (unsigned char)s[i] : 0;
		if (!bs && c == '\\' && st != SQ) {
			bs = 1;
			continue;
		}
		done = 0;
		if (st == START) {
			start = used;
			out = tok_start(&st, c, bs);
			if (out < 0)
				break;
		} else
			out = tok_inside(st, c, bs, &done);
		if (done) {
			if (add_word(ps, l, &used, start))
				return -1;
			st = START;
		}
		if (bs && out && out != '\\' && out != '"' && !blank(out))
			return fail(ps, l->lineno, "bad backslash: write \\\\ for a "
				    "backslash, \\\" for a quote, \\ before a blank");
		bs = 0;
		if (out) {
			if (used - start >= PARM_MAX - 1 || used + 2 >= sizeof(l->store))
				return fail(ps, l->lineno,
					    "a parameter is longer than %d characters",
					    PARM_MAX - 1);
			l->store[used++] = (char)out;
		}
	}
	return tok_end(ps, l, st);
}

/* Length of the tag at s: up to its '>', or the whole line. */
static size_t
tag_len(const char *s, size_t n)
{
	const char *gt = memchr(s, '>', n);

	return gt ? (size_t)(gt - s) + 1 : n;
}

/* Collect the body of an inline block up to its close tag. OpenVPN ends a
 * block at the first line that starts with the close tag; a close tag of
 * another block there is a mistake we point at instead of swallowing. */
static int
read_block(struct parser *ps, struct line *l, const char *tag)
{
	char close[PARM_MAX + 4];
	const char *s;
	size_t n, cl;

	snprintf(close, sizeof(close), "</%s>", tag);
	cl = strlen(close);
	while (next_line(ps, &s, &n)) {
		while (n && blank((unsigned char)*s)) {
			s++;
			n--;
		}
		if (n >= cl && !memcmp(s, close, cl))
			return 0;
		if (n >= 2 && s[0] == '<' && s[1] == '/')
			return fail(ps, ps->lineno, "%.*s does not close <%s> opened on "
				    "line %d", (int)tag_len(s, n), s, tag, l->lineno);
		if (buf_add(&l->block, s, n) || buf_add(&l->block, "\n", 1))
			return fail(ps, ps->lineno, "out of memory");
	}
	return fail(ps, l->lineno, "<%s> is never closed: no %s follows", tag, close);
}

/* ---- armor: the PEM and static-key text of ca, cert, key, tls-* ---- */

struct armor {				/* state of one armor check */
	struct parser *ps;
	enum kind kind;
	const char *what;		/* "<ca>" or "file ca.crt" */
	int base;			/* line of the text's first line */
	int inl;			/* 0: errors name base and the file line */
	int begin;			/* line index of the open BEGIN, -1 if none */
	char label[64];
	int blocks, hex, body;
	struct buf out;
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

static int
label_ok(enum kind k, const char *l)
{
	static const char *const certs[] = { "CERTIFICATE", "X509 CERTIFICATE",
		"TRUSTED CERTIFICATE", NULL };
	static const char *const keys[] = { "PRIVATE KEY", "RSA PRIVATE KEY",
		"EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY",
		"EC PARAMETERS", NULL };
	static const char *const st[] = { "OpenVPN Static key V1", NULL };
	static const char *const v2[] = { "OpenVPN tls-crypt-v2 client key", NULL };
	const char *const *t = k == K_CERTS ? certs : k == K_KEY ? keys :
			       k == K_STATIC ? st : v2;

	for (; *t; t++)
		if (!strcmp(*t, l))
			return 1;
	return 0;
}

static const char *
kind_wants(enum kind k)
{
	return k == K_CERTS ? "a CERTIFICATE" : k == K_KEY ? "a PRIVATE KEY" :
	       k == K_STATIC ? "an OpenVPN Static key V1" :
	       "an OpenVPN tls-crypt-v2 client key";
}

static int
armor_begin(struct armor *a, int idx, const char *t, size_t n)
{
	if (n - 16 >= sizeof(a->label))
		return armor_fail(a, idx, "armor label too long");
	memcpy(a->label, t + 11, n - 16);
	a->label[n - 16] = '\0';
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
armor_end(struct armor *a, int idx, const char *t, size_t n)
{
	size_t ll = strlen(a->label);

	if (n != ll + 14 || memcmp(t + 9, a->label, ll))
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
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		       (c >= 'A' && c <= 'F');
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
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
	int isbegin = n > 16 && !strncmp(t, "-----BEGIN ", 11) &&
		      !strncmp(t + n - 5, "-----", 5);
	int isend = n > 14 && !strncmp(t, "-----END ", 9) &&
		    !strncmp(t + n - 5, "-----", 5);
	int rc;

	if (a->begin >= 0 && isbegin)
		return armor_fail(a, a->begin, "BEGIN %s has no END (truncated?)",
				  a->label);
	if (a->begin < 0 && isend)
		return armor_fail(a, idx, "END without BEGIN");
	if (isbegin)
		rc = armor_begin(a, idx, t, n);
	else if (isend)
		rc = armor_end(a, idx, t, n);
	else if (a->begin >= 0)
		rc = armor_body(a, idx, t, n);
	else
		return armor_outside(a, idx, t, n);
	if (!rc && (buf_add(&a->out, t, n) || buf_add(&a->out, "\n", 1)))
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
		while (n && blank((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n && blank((unsigned char)s[n - 1]))
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

/* ---- directives ---- */

typedef int (*handler)(struct parser *, struct line *);

static int
put(struct parser *ps, struct line *l, char *dst, size_t n, const char *src)
{
	if (!*src)
		return fail(ps, l->lineno, "%s: empty value", l->argv[0]);
	if (strlen(src) >= n)
		return fail(ps, l->lineno, "%s: value longer than %zu characters",
			    l->argv[0], n - 1);
	strcpy(dst, src);
	return 0;
}

static int
number(const char *s, long lo, long hi, int *v)
{
	long x = 0;

	if (!*s || strlen(s) > 6)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		x = x * 10 + (*s - '0');
	}
	if (x < lo || x > hi)
		return -1;
	*v = (int)x;
	return 0;
}

/* proto names of OpenVPN's socket.c: 0 and out set, 1 for a server proto,
 * -1 for an unknown one. */
static int
map_proto(const char *s, char out[8])
{
	static const char *const tails[] = { "", "4", "6", "-client", "4-client",
		"6-client", NULL };
	const char *const *t;

	if (!strncmp(s, "udp", 3) && (!s[3] || !strcmp(s + 3, "4") || !strcmp(s + 3, "6"))) {
		strcpy(out, "udp");
		return 0;
	}
	if (strncmp(s, "tcp", 3))
		return -1;
	for (t = tails; *t; t++)
		if (!strcmp(s + 3, *t)) {
			strcpy(out, "tcp");
			return 0;
		}
	if (!strcmp(s + 3, "-server") || !strcmp(s + 3, "4-server") ||
	    !strcmp(s + 3, "6-server"))
		return 1;
	return -1;
}

static int
set_proto(struct parser *ps, struct line *l, const char *s, char out[8])
{
	int r = map_proto(s, out);

	if (r > 0)
		return fail(ps, l->lineno, "proto %s listens for clients: this is a "
			    "server's configuration, not a client profile", s);
	if (r < 0)
		return fail(ps, l->lineno, "unknown protocol '%s' (udp, tcp, "
			    "tcp-client, udp4, udp6, tcp4, tcp6...)", s);
	return 0;
}

static int
do_client(struct parser *ps, struct line *l)
{
	(void)l;
	ps->client = 1;
	return 0;
}

static int
do_remote(struct parser *ps, struct line *l)
{
	struct ovpn_remote *r;

	if (ps->p->nremotes == OVPN_MAX_REMOTES)
		return fail(ps, l->lineno, "more than %d remote lines", OVPN_MAX_REMOTES);
	r = &ps->p->remotes[ps->p->nremotes];
	memset(r, 0, sizeof(*r));
	if (put(ps, l, r->host, sizeof(r->host), l->argv[1]))
		return -1;
	if (l->argc > 2 && number(l->argv[2], 1, 65535, &r->port))
		return fail(ps, l->lineno, "remote: bad port '%s'", l->argv[2]);
	if (l->argc > 3 && set_proto(ps, l, l->argv[3], r->proto))
		return -1;
	ps->p->nremotes++;
	return 0;
}

static int
do_proto(struct parser *ps, struct line *l)
{
	return set_proto(ps, l, l->argv[1], ps->p->proto);
}

static int
do_port(struct parser *ps, struct line *l)
{
	if (number(l->argv[1], 1, 65535, &ps->p->port))
		return fail(ps, l->lineno, "%s: bad port '%s'", l->argv[0], l->argv[1]);
	return 0;
}

static int
do_dev(struct parser *ps, struct line *l)
{
	const char *d = l->argv[1];

	if (!strcmp(d, "null"))
		return fail(ps, l->lineno, "dev null carries no traffic; use dev tun or dev tap");
	ps->dev_line = l->lineno;
	if (!strncmp(d, "tun", 3) || !strncmp(d, "tap", 3))
		snprintf(ps->dev_guess, sizeof(ps->dev_guess), "%.3s", d);
	else
		ps->dev_guess[0] = '\0';
	return 0;
}

static int
do_dev_type(struct parser *ps, struct line *l)
{
	if (strcmp(l->argv[1], "tun") && strcmp(l->argv[1], "tap"))
		return fail(ps, l->lineno, "dev-type must be tun or tap, not '%s'", l->argv[1]);
	strcpy(ps->dev_type, l->argv[1]);
	return 0;
}

static int
do_cipher(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->p->cipher, sizeof(ps->p->cipher), l->argv[1]);
}

static int
do_data_ciphers(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->p->data_ciphers, sizeof(ps->p->data_ciphers), l->argv[1]);
}

static int
do_fallback(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->fallback, sizeof(ps->fallback), l->argv[1]);
}

static int
do_auth(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->p->auth, sizeof(ps->p->auth), l->argv[1]);
}

/* The flag only: a credentials file or block is not read (see the table). */
static int
do_auth_user_pass(struct parser *ps, struct line *l)
{
	ps->p->auth_user_pass = 1;
	buf_free(&l->block);
	return 0;
}

static int
read_named(struct parser *ps, struct line *l, char **text)
{
	char e[200] = "", what[PARM_MAX + 8];
	const char *why;
	int bad;

	if (!ps->readf)
		return fail(ps, l->lineno, "%s %s: files named by a profile can not be "
			    "read here; inline the file as <%s>", l->argv[0], l->argv[1],
			    l->argv[0]);
	*text = NULL;
	if (ps->readf(ps->ctx, l->argv[1], text, e, sizeof(e)) || !*text) {
		free(*text);
		*text = NULL;
		return fail(ps, l->lineno, "%s %s: %s", l->argv[0], l->argv[1],
			    *e ? e : "can not be read");
	}
	snprintf(what, sizeof(what), "file %s", l->argv[1]);
	if (strlen(*text) > PROFILE_MAX)
		return fail(ps, l->lineno, "%s is larger than 1 MiB", what);
	why = not_text(*text, strlen(*text), &bad);
	if (why)
		return fail(ps, l->lineno, "%s line %d: %s", what, bad, why);
	return 0;
}

/* Load the armor of ca, cert, key or tls-*, inline or from a file, into *dst. */
static int
load_armor(struct parser *ps, struct line *l, enum kind k, char **dst)
{
	struct armor a;
	char what[PARM_MAX + 8], *raw = NULL, *norm = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	a.ps = ps;
	a.kind = k;
	a.inl = l->inl;
	a.base = l->inl ? l->lineno + 1 : l->lineno;
	a.what = what;
	if (l->inl) {
		snprintf(what, sizeof(what), "<%s>", l->argv[0]);
		rc = armor_check(&a, l->block.s ? l->block.s : "", &norm);
	} else {
		snprintf(what, sizeof(what), "file %s", l->argv[1]);
		rc = read_named(ps, l, &raw);
		if (!rc)
			rc = armor_check(&a, raw, &norm);
		wipe_free(raw);
	}
	buf_free(&a.out);
	if (rc)
		return -1;
	wipe_free(*dst);
	*dst = norm;
	return 0;
}

static int
do_ca(struct parser *ps, struct line *l)
{
	return load_armor(ps, l, K_CERTS, &ps->p->ca);
}

static int
do_cert(struct parser *ps, struct line *l)
{
	ps->cert_line = l->lineno;
	return load_armor(ps, l, K_CERTS, &ps->p->cert);
}

static int
do_key(struct parser *ps, struct line *l)
{
	ps->key_line = l->lineno;
	return load_armor(ps, l, K_KEY, &ps->p->key);
}

/* tls-auth, tls-crypt and tls-crypt-v2 exclude one another (OpenVPN's
 * options_postprocess says so in client mode). */
static int
tls_mode(struct parser *ps, struct line *l)
{
	if (ps->tlsmode && strcmp(ps->tlsmode, l->argv[0]))
		return fail(ps, l->lineno, "%s and %s (line %d) exclude one another",
			    l->argv[0], ps->tlsmode, ps->tlsmode_line);
	ps->tlsmode = strcmp(l->argv[0], "tls-auth") == 0 ? "tls-auth" :
		      strcmp(l->argv[0], "tls-crypt") == 0 ? "tls-crypt" : "tls-crypt-v2";
	ps->tlsmode_line = l->lineno;
	return 0;
}

static int
key_dir(struct parser *ps, struct line *l, const char *s, int *dir)
{
	if (strcmp(s, "0") && strcmp(s, "1"))
		return fail(ps, l->lineno, "key direction must be 0 or 1, not '%s'", s);
	*dir = s[0] - '0';
	return 0;
}

static int
do_tls_auth(struct parser *ps, struct line *l)
{
	if (tls_mode(ps, l) || load_armor(ps, l, K_STATIC, &ps->p->tls_auth))
		return -1;
	ps->ta_dir = -1;
	if (!l->inl && l->argc > 2)
		return key_dir(ps, l, l->argv[2], &ps->ta_dir);
	return 0;
}

static int
do_tls_crypt(struct parser *ps, struct line *l)
{
	if (tls_mode(ps, l))
		return -1;
	return load_armor(ps, l, K_STATIC, &ps->p->tls_crypt);
}

static int
do_tls_crypt_v2(struct parser *ps, struct line *l)
{
	if (l->argc > 2 && strcmp(l->argv[2], "force-cookie") &&
	    strcmp(l->argv[2], "allow-noncookie"))
		return fail(ps, l->lineno, "unsupported tls-crypt-v2 argument '%s'",
			    l->argv[2]);
	if (tls_mode(ps, l))
		return -1;
	return load_armor(ps, l, K_TCV2, &ps->p->tls_crypt_v2);
}

static int
do_key_direction(struct parser *ps, struct line *l)
{
	return key_dir(ps, l, l->argv[1], &ps->p->key_direction);
}

static int
do_verify_x509(struct parser *ps, struct line *l)
{
	struct ovpn_profile *p = ps->p;

	if (l->argc > 2 && strcmp(l->argv[2], "subject") && strcmp(l->argv[2], "name") &&
	    strcmp(l->argv[2], "name-prefix"))
		return fail(ps, l->lineno, "unknown X.509 name type '%s' (subject, name, "
			    "name-prefix)", l->argv[2]);
	if (put(ps, l, p->verify_x509_name, sizeof(p->verify_x509_name), l->argv[1]))
		return -1;
	snprintf(p->verify_x509_type, sizeof(p->verify_x509_type), "%s",
		 l->argc > 2 ? l->argv[2] : "");
	return 0;
}

/* remote-cert-tls and ns-cert-type: only "server" belongs in a client. */
static int
do_cert_tls(struct parser *ps, struct line *l)
{
	if (!strcmp(l->argv[1], "client"))
		return fail(ps, l->lineno, "%s client checks clients: this is a server's "
			    "configuration, not a client profile", l->argv[0]);
	if (strcmp(l->argv[1], "server"))
		return fail(ps, l->lineno, "%s must be server, not '%s'", l->argv[0],
			    l->argv[1]);
	if (!strcmp(l->argv[0], "remote-cert-tls"))
		strcpy(ps->p->remote_cert_tls, "server");
	return 0;
}

static int
do_route_nopull(struct parser *ps, struct line *l)
{
	(void)l;
	ps->p->route_nopull = 1;
	return 0;
}

static int
do_redirect(struct parser *ps, struct line *l)
{
	static const char *const flags[] = { "local", "autolocal", "def1",
		"bypass-dhcp", "bypass-dns", "block-local", "ipv6", "!ipv4", NULL };
	char *f = ps->p->redirect_flags;
	const char *const *t;
	int i;

	f[0] = '\0';
	for (i = 1; i < l->argc; i++) {
		for (t = flags; *t && strcmp(*t, l->argv[i]); t++)
			;
		if (!*t)
			return fail(ps, l->lineno, "unknown redirect-gateway flag '%s'",
				    l->argv[i]);
		if (strlen(f) + strlen(*t) + 2 > sizeof(ps->p->redirect_flags))
			return fail(ps, l->lineno, "too many redirect-gateway flags");
		if (*f)
			strcat(f, " ");
		strcat(f, *t);
	}
	ps->p->redirect_gateway = 1;
	return 0;
}

/* OpenVPN's tls_version_parse: 1.0 to 1.3, or the highest with or-highest.
 * 1.0 and 1.1 leave the field empty: we never go below 1.2. */
static int
do_tls_min(struct parser *ps, struct line *l)
{
	const char *v = l->argv[1], *x = l->argc > 2 ? l->argv[2] : "";
	char *dst = ps->p->tls_version_min;

	if (!strcmp(v, "1.2") || !strcmp(v, "1.3"))
		strcpy(dst, v);
	else if (!strcmp(v, "1.0") || !strcmp(v, "1.1"))
		dst[0] = '\0';
	else if (!strcmp(x, "or-highest"))
		strcpy(dst, "1.3");
	else
		return fail(ps, l->lineno, "unknown tls-version-min '%s' (1.2 or 1.3)", v);
	return 0;
}

static int
do_comp_lzo(struct parser *ps, struct line *l)
{
	if (l->argc > 1 && !strcmp(l->argv[1], "no")) {
		ps->p->comp_stub = 1;
		return 0;
	}
	if (l->argc == 1 || !strcmp(l->argv[1], "yes") || !strcmp(l->argv[1], "adaptive"))
		return fail(ps, l->lineno, "%s%s asks for LZO compression, which is not "
			    "supported: use comp-lzo no (framing only) on both ends",
			    l->argc == 1 ? "comp-lzo (adaptive)" : "comp-lzo ",
			    l->argc == 1 ? "" : l->argv[1]);
	return fail(ps, l->lineno, "bad comp-lzo option '%s' (yes, no or adaptive)",
		    l->argv[1]);
}

static int
do_compress(struct parser *ps, struct line *l)
{
	const char *a = l->argc > 1 ? l->argv[1] : "stub";

	if (!strcmp(a, "stub") || !strcmp(a, "stub-v2")) {
		ps->p->comp_stub = 1;
		return 0;
	}
	if (!strcmp(a, "lzo") || !strcmp(a, "lz4") || !strcmp(a, "lz4-v2"))
		return fail(ps, l->lineno, "compress %s is not supported: we carry no "
			    "compressor; use compress stub-v2 or remove the line", a);
	if (!strcmp(a, "migrate"))
		return fail(ps, l->lineno, "compress migrate is a server option");
	return fail(ps, l->lineno, "bad compress option '%s'", a);
}

static int
do_allow_comp(struct parser *ps, struct line *l)
{
	if (strcmp(l->argv[1], "no") && strcmp(l->argv[1], "asym") &&
	    strcmp(l->argv[1], "yes"))
		return fail(ps, l->lineno, "bad allow-compression '%s' (yes, no or asym)",
			    l->argv[1]);
	return 0;
}

static int
do_tun_mtu(struct parser *ps, struct line *l)
{
	if (number(l->argv[1], 68, 65535, &ps->p->mtu))
		return fail(ps, l->lineno, "tun-mtu must be 68 to 65535, not '%s'", l->argv[1]);
	return 0;
}

static int
do_mode(struct parser *ps, struct line *l)
{
	if (!strcmp(l->argv[1], "p2p"))
		return 0;
	if (!strcmp(l->argv[1], "server"))
		return fail(ps, l->lineno, "mode server: this is a server's configuration, "
			    "not a client profile");
	return fail(ps, l->lineno, "bad mode '%s'", l->argv[1]);
}

static int
do_ignore_unknown(struct parser *ps, struct line *l)
{
	const char *n;
	int i;

	for (i = 1; i < l->argc; i++) {
		if (ps->nignored == IGNORE_MAX)
			return fail(ps, l->lineno, "more than %d names in ignore-unknown-option",
				    IGNORE_MAX);
		n = l->argv[i];
		if (n[0] == '-' && n[1] == '-')
			n += 2;
		snprintf(ps->ignored[ps->nignored++], PARM_MAX, "%s", n);
	}
	return 0;
}

#define INL	1			/* may be an inline <block> */

struct directive {
	const char *name;		/* a trailing * matches any tail */
	int min, max;			/* parameters; an inline body counts as one */
	int flags;
	handler fn;			/* NULL: ignored, or refused with why */
	const char *why;
};

#define NOTCLIENT "this is a server's configuration, not a client profile"
#define SCRIPT "runs a script or plugin; Rosh does not run programs named by " \
	"a profile (remove the line; DNS from the server is applied with use-peer-dns)"
#define PROXY "proxies are not supported yet"
#define ANY 0, ARGS_MAX

static const struct directive directives[] = {
	{ "client", 0, 0, 0, do_client, NULL },
	{ "tls-client", 0, 0, 0, do_client, NULL },
	{ "remote", 1, 3, 0, do_remote, NULL },
	{ "proto", 1, 1, 0, do_proto, NULL },
	{ "port", 1, 1, 0, do_port, NULL },
	{ "rport", 1, 1, 0, do_port, NULL },
	{ "dev", 1, 1, 0, do_dev, NULL },
	{ "dev-type", 1, 1, 0, do_dev_type, NULL },
	{ "cipher", 1, 1, 0, do_cipher, NULL },
	{ "data-ciphers", 1, 1, 0, do_data_ciphers, NULL },
	{ "ncp-ciphers", 1, 1, 0, do_data_ciphers, NULL },
	{ "data-ciphers-fallback", 1, 1, 0, do_fallback, NULL },
	{ "auth", 1, 1, 0, do_auth, NULL },
	{ "auth-user-pass", 0, 1, INL, do_auth_user_pass, NULL },
	{ "ca", 1, 1, INL, do_ca, NULL },
	{ "cert", 1, 1, INL, do_cert, NULL },
	{ "key", 1, 1, INL, do_key, NULL },
	{ "tls-auth", 1, 2, INL, do_tls_auth, NULL },
	{ "tls-crypt", 1, 1, INL, do_tls_crypt, NULL },
	{ "tls-crypt-v2", 1, 2, INL, do_tls_crypt_v2, NULL },
	{ "key-direction", 1, 1, 0, do_key_direction, NULL },
	{ "verify-x509-name", 1, 2, 0, do_verify_x509, NULL },
	{ "remote-cert-tls", 1, 1, 0, do_cert_tls, NULL },
	{ "ns-cert-type", 1, 1, 0, do_cert_tls, NULL },
	{ "route-nopull", 0, 0, 0, do_route_nopull, NULL },
	{ "redirect-gateway", ANY, 0, do_redirect, NULL },
	{ "tls-version-min", 1, 2, 0, do_tls_min, NULL },
	{ "comp-lzo", 0, 1, 0, do_comp_lzo, NULL },
	{ "compress", 0, 1, 0, do_compress, NULL },
	{ "allow-compression", 1, 1, 0, do_allow_comp, NULL },
	{ "tun-mtu", 1, 2, 0, do_tun_mtu, NULL },
	{ "mode", 1, 1, 0, do_mode, NULL },
	{ "ignore-unknown-option", 1, ARGS_MAX, 0, do_ignore_unknown, NULL },

	{ "verb", ANY, 0, NULL, NULL },
	{ "mute", ANY, 0, NULL, NULL },
	{ "persist-key", ANY, 0, NULL, NULL },
	{ "persist-tun", ANY, 0, NULL, NULL },
	{ "nobind", ANY, 0, NULL, NULL },
	{ "resolv-retry", ANY, 0, NULL, NULL },
	{ "mute-replay-warnings", ANY, 0, NULL, NULL },
	{ "auth-nocache", ANY, 0, NULL, NULL },
	{ "pull", ANY, 0, NULL, NULL },
	{ "float", ANY, 0, NULL, NULL },
	{ "explicit-exit-notify", ANY, 0, NULL, NULL },
	{ "reneg-sec", ANY, 0, NULL, NULL },
	{ "ping", ANY, 0, NULL, NULL },
	{ "ping-restart", ANY, 0, NULL, NULL },
	{ "ping-timer-rem", ANY, 0, NULL, NULL },
	{ "keepalive", ANY, 0, NULL, NULL },
	{ "connect-retry", ANY, 0, NULL, NULL },
	{ "connect-retry-max", ANY, 0, NULL, NULL },
	{ "connect-timeout", ANY, 0, NULL, NULL },
	{ "server-poll-timeout", ANY, 0, NULL, NULL },
	{ "hand-window", ANY, 0, NULL, NULL },
	{ "tls-timeout", ANY, 0, NULL, NULL },
	{ "sndbuf", ANY, 0, NULL, NULL },
	{ "rcvbuf", ANY, 0, NULL, NULL },
	{ "txqueuelen", ANY, 0, NULL, NULL },
	{ "fast-io", ANY, 0, NULL, NULL },
	{ "route-delay", ANY, 0, NULL, NULL },
	{ "route-method", ANY, 0, NULL, NULL },
	{ "remote-cert-ku", ANY, 0, NULL, NULL },
	{ "remote-cert-eku", ANY, 0, NULL, NULL },
	{ "remote-random", ANY, 0, NULL, NULL },
	{ "script-security", ANY, 0, NULL, NULL },
	{ "tls-cipher", ANY, 0, NULL, NULL },
	{ "tls-ciphersuites", ANY, 0, NULL, NULL },
	{ "tls-groups", ANY, 0, NULL, NULL },
	{ "ecdh-curve", ANY, 0, NULL, NULL },
	{ "tls-version-max", ANY, 0, NULL, NULL },
	{ "push-peer-info", ANY, 0, NULL, NULL },
	{ "pull-filter", ANY, 0, NULL, NULL },
	{ "auth-retry", ANY, 0, NULL, NULL },
	{ "block-outside-dns", ANY, 0, NULL, NULL },
	{ "register-dns", ANY, 0, NULL, NULL },
	{ "dhcp-option", ANY, 0, NULL, NULL },
	{ "route", ANY, 0, NULL, NULL },
	{ "route-ipv6", ANY, 0, NULL, NULL },
	{ "user", ANY, 0, NULL, NULL },
	{ "group", ANY, 0, NULL, NULL },
	{ "lport", ANY, 0, NULL, NULL },
	{ "bind", ANY, 0, NULL, NULL },
	{ "mssfix", ANY, 0, NULL, NULL },
	{ "tun-mtu-extra", ANY, 0, NULL, NULL },
	{ "tun-ipv6", ANY, 0, NULL, NULL },
	{ "comp-noadapt", ANY, 0, NULL, NULL },
	{ "topology", ANY, 0, NULL, NULL },

	{ "management-external-key", ANY, 0, NULL, "the key is held by a "
	  "management client; put the key in the profile" },
	{ "management-external-cert", ANY, 0, NULL, "the certificate is held by a "
	  "management client; put the certificate in the profile" },
	{ "management*", ANY, 0, NULL, NULL },
	{ "fragment", ANY, 0, NULL, "not supported: we do not fragment the data "
	  "channel (lower tun-mtu instead; MSS is clamped anyway)" },
	{ "socks-proxy", ANY, 0, NULL, PROXY },
	{ "http-proxy*", ANY, 0, NULL, PROXY },
	{ "pkcs12", ANY, 0, NULL, "not read from profiles: import the .p12 file "
	  "through /certificate import instead" },
	{ "secret", ANY, 0, NULL, "static-key mode is not supported, only TLS "
	  "mode" },
	{ "server", ANY, 0, NULL, NOTCLIENT },
	{ "server-ipv6", ANY, 0, NULL, NOTCLIENT },
	{ "server-bridge", ANY, 0, NULL, NOTCLIENT },
	{ "tls-server", ANY, 0, NULL, NOTCLIENT },
	{ "dh", ANY, 0, NULL, NOTCLIENT },
	{ "push", ANY, 0, NULL, NOTCLIENT },
	{ "client-config-dir", ANY, 0, NULL, NOTCLIENT },
	{ "ifconfig-pool", ANY, 0, NULL, NOTCLIENT },
	{ "up", ANY, 0, NULL, SCRIPT },
	{ "down", ANY, 0, NULL, SCRIPT },
	{ "route-up", ANY, 0, NULL, SCRIPT },
	{ "route-pre-down", ANY, 0, NULL, SCRIPT },
	{ "ipchange", ANY, 0, NULL, SCRIPT },
	{ "tls-verify", ANY, 0, NULL, SCRIPT },
	{ "auth-user-pass-verify", ANY, 0, NULL, SCRIPT },
	{ "client-connect", ANY, 0, NULL, SCRIPT },
	{ "client-disconnect", ANY, 0, NULL, SCRIPT },
	{ "learn-address", ANY, 0, NULL, SCRIPT },
	{ "plugin", ANY, 0, NULL, SCRIPT },
	{ "config", ANY, 0, NULL, "includes are not followed: paste the included "
	  "lines into the profile" },
	{ "connection", ANY, 0, NULL, "<connection> blocks are not supported: "
	  "list the servers with remote lines" },
	{ "crl-verify", ANY, 0, NULL, "not supported yet" },
	{ "peer-fingerprint", ANY, 0, NULL, "not supported yet; use ca" },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static const struct directive *
lookup(const char *name)
{
	const struct directive *d;
	size_t n;

	for (d = directives; d->name; d++) {
		n = strlen(d->name);
		if (d->name[n - 1] == '*' ? !strncmp(d->name, name, n - 1) :
		    !strcmp(d->name, name))
			return d;
	}
	return NULL;
}

static int
listed(struct parser *ps, const char *name)
{
	int i;

	for (i = 0; i < ps->nignored; i++)
		if (!strcmp(ps->ignored[i], name))
			return 1;
	return 0;
}

/* Run one directive. optional: it came from setenv opt, so an unknown name
 * is skipped (OpenVPN only warns there). */
static int
run(struct parser *ps, struct line *l, int optional)
{
	const struct directive *d = lookup(l->argv[0]);
	int nargs = l->argc - 1 + l->inl;

	if (!d) {
		if (optional || listed(ps, l->argv[0]))
			return 0;
		return fail(ps, l->lineno, "unknown or unsupported directive '%s' (an "
			    "earlier ignore-unknown-option %s would skip it)",
			    l->argv[0], l->argv[0]);
	}
	if (d->why)
		return fail(ps, l->lineno, "%s: %s", l->argv[0], d->why);
	if (l->inl && !(d->flags & INL))
		return fail(ps, l->lineno, "%s can not be an inline <%s> block",
			    l->argv[0], l->argv[0]);
	if (nargs < d->min || nargs > d->max)
		return fail(ps, l->lineno, "%s: %s parameters", l->argv[0],
			    nargs < d->min ? "missing" : "too many");
	return d->fn ? d->fn(ps, l) : 0;
}

/* setenv opt NAME... runs NAME as an optional directive; other setenv lines
 * only set variables for scripts, which we do not run. */
static int
dispatch(struct parser *ps, struct line *l)
{
	int i;

	if (strcmp(l->argv[0], "setenv"))
		return run(ps, l, 0);
	if (l->argc > 1 && !strcmp(l->argv[1], "GENERIC_CONFIG"))
		return fail(ps, l->lineno, "this is a GENERIC_CONFIG sample that can not "
			    "be used as it is");
	if (l->argc < 3 || strcmp(l->argv[1], "opt") || l->inl)
		return 0;
	for (i = 2; i <= l->argc; i++)
		l->argv[i - 2] = l->argv[i];
	l->argc -= 2;
	if (!strcmp(l->argv[0], "setenv"))
		return 0;
	return run(ps, l, 1);
}

static int
comment_only(const char *s, size_t n)
{
	while (n && blank((unsigned char)*s)) {
		s++;
		n--;
	}
	return !n || *s == '#' || *s == ';';
}

/* A lone <tag> opens an inline block (OpenVPN's check_inline_file): its
 * text stands for the directive's file parameter. */
static int
take_block(struct parser *ps, struct line *l)
{
	char *a = l->argv[0];
	size_t n = strlen(a);

	if (l->argc != 1 || n <= 2 || a[0] != '<' || a[n - 1] != '>')
		return 0;
	a[n - 1] = '\0';
	l->argv[0] = ++a;
	l->inl = 1;
	if (a[0] == '/')
		return fail(ps, l->lineno, "<%s> closes a block that was never opened", a);
	return read_block(ps, l, a);
}

/* Read one directive (and its inline block, if it opens one) and run it. */
static int
do_line(struct parser *ps, const char *s, size_t n)
{
	struct line *l;
	int rc;

	if (ps->rawlen > LINE_MAX_LEN)
		return fail(ps, ps->lineno, "line longer than %d characters (OpenVPN's "
			    "limit, comments included)", LINE_MAX_LEN);
	if (comment_only(s, n))
		return 0;
	if (memchr(s, '\r', n))
		return fail(ps, ps->lineno, "a carriage return inside a line (old Mac "
			    "line endings?)");
	l = calloc(1, sizeof(*l));
	if (!l)
		return fail(ps, ps->lineno, "out of memory");
	l->lineno = ps->lineno;
	rc = tokenize(ps, s, n, l);
	if (!rc && l->argc) {
		/* OpenVPN drops a leading -- before it looks for a block */
		if (strlen(l->argv[0]) >= 3 && !strncmp(l->argv[0], "--", 2))
			l->argv[0] += 2;
		rc = take_block(ps, l);
		if (!rc)
			rc = dispatch(ps, l);
	}
	buf_free(&l->block);
	wipe(l, sizeof(*l));
	free(l);
	return rc;
}

/* Checks that need the whole profile, and fields set from several lines. */
static int
finish(struct parser *ps)
{
	struct ovpn_profile *p = ps->p;

	if (!p->nremotes)
		return fail(ps, 0, "the profile names no server: it has no remote line");
	if (!ps->client)
		return fail(ps, 0, "not a client profile: neither client nor tls-client");
	if (ps->dev_type[0])
		strcpy(p->dev, ps->dev_type);
	else if (ps->dev_line && !ps->dev_guess[0])
		return fail(ps, ps->dev_line, "the dev name does not tell tun from tap: "
			    "add dev-type tun or dev-type tap");
	else if (ps->dev_line)
		strcpy(p->dev, ps->dev_guess);
	if (p->cert && !p->key)
		return fail(ps, ps->cert_line, "cert without key");
	if (p->key && !p->cert)
		return fail(ps, ps->key_line, "key without cert");
	if (!p->cipher[0])
		strcpy(p->cipher, ps->fallback);
	if (p->tls_auth && ps->ta_dir >= 0)
		p->key_direction = ps->ta_dir;
	if (!p->tls_auth)
		p->key_direction = -1;
	return 0;
}

static int
parse_all(struct parser *ps)
{
	const char *s;
	size_t n;
	const char *why;
	int bad;

	if (ps->len > PROFILE_MAX)
		return fail(ps, 0, "the profile is larger than 1 MiB");
	why = not_text(ps->text, ps->len, &bad);
	if (why)
		return fail(ps, bad, "%s", why);
	if (ps->len >= 3 && !memcmp(ps->text, "\xef\xbb\xbf", 3))
		ps->pos = 3;			/* a UTF-8 byte order mark */
	while (next_line(ps, &s, &n))
		if (do_line(ps, s, n))
			return -1;
	return finish(ps);
}

/* What a profile means where it says nothing: OpenVPN's defaults. */
static void
defaults(struct ovpn_profile *p)
{
	strcpy(p->proto, "udp");
	strcpy(p->dev, "tun");
	p->port = 1194;
	p->key_direction = -1;
}

int
ovpn_parse(const char *text, size_t len, ovpn_read_fn readf, void *ctx,
	   struct ovpn_profile *out, char *err, size_t errlen, int *line)
{
	struct parser *ps;
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (line)
		*line = 0;
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	ps->text = text ? text : "";
	ps->len = text ? len : 0;
	ps->readf = readf;
	ps->ctx = ctx;
	ps->p = out;
	ps->err = err;
	ps->errlen = errlen;
	ps->ta_dir = -1;
	defaults(out);
	rc = parse_all(ps);
	if (rc) {
		if (line)
			*line = ps->errline;
		ovpn_profile_free(out);
		memset(out, 0, sizeof(*out));
	}
	free(ps);
	return rc;
}

void
ovpn_profile_free(struct ovpn_profile *p)
{
	if (!p)
		return;
	wipe_free(p->ca);
	wipe_free(p->cert);
	wipe_free(p->key);
	wipe_free(p->tls_auth);
	wipe_free(p->tls_crypt);
	wipe_free(p->tls_crypt_v2);
	p->ca = p->cert = p->key = NULL;
	p->tls_auth = p->tls_crypt = p->tls_crypt_v2 = NULL;
}

/* ---- writing ---- */

struct wline {				/* one line being written */
	char s[LINE_MAX_LEN];
	size_t n;
	int bad;			/* too long, or holds what can not be written */
};

static void
wl_add(struct wline *l, int c)
{
	/* room is left for the line end, which counts in OpenVPN's limit */
	if (l->n + 1 < sizeof(l->s))
		l->s[l->n++] = (char)c;
	else
		l->bad = 1;
}

/* Add one word, quoted when OpenVPN would otherwise split or misread it.
 * Line ends and control characters other than blanks would not read back. */
static void
wl_word(struct wline *l, const char *w)
{
	const char *c;
	int quote = !*w || *w == '#' || *w == ';';

	for (c = w; *c; c++) {
		if (*c == '\n' || *c == '\r' || *c == 0x7f ||
		    ((unsigned char)*c < 0x20 && !blank((unsigned char)*c)))
			l->bad = 1;
		if (blank((unsigned char)*c) || *c == '"' || *c == '\'' || *c == '\\')
			quote = 1;
	}
	if (quote)
		wl_add(l, '"');
	for (c = w; *c; c++) {
		if (quote && (*c == '"' || *c == '\\'))
			wl_add(l, '\\');
		wl_add(l, *c);
	}
	if (quote)
		wl_add(l, '"');
}

/* A directive and its n words, on one line OpenVPN can read. */
static int
put_words(FILE *f, const char *name, const char *const *w, int n)
{
	struct wline l;
	int i;

	memset(&l, 0, sizeof(l));
	wl_word(&l, name);
	for (i = 0; i < n; i++) {
		wl_add(&l, ' ');
		wl_word(&l, w[i]);
	}
	if (l.bad)
		return -1;
	fprintf(f, "%.*s\n", (int)l.n, l.s);
	return 0;
}

/* A directive and its words (at most 4), NULL-terminated. */
static int
put_line(FILE *f, const char *name, ...)
{
	const char *w[4];
	va_list ap;
	int n = 0;

	va_start(ap, name);
	while (n < 4 && (w[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	return put_words(f, name, w, n);
}

/* An inline block; its text may not hold a tag that would end it early. */
static int
put_block(FILE *f, const char *tag, const char *text)
{
	size_t n;

	if (!text)
		return 0;
	if (strchr(text, '<'))
		return -1;
	n = strlen(text);
	fprintf(f, "<%s>\n%s%s</%s>\n", tag, text, n && text[n - 1] == '\n' ? "" : "\n",
		tag);
	return 0;
}

static int
put_remotes(FILE *f, const struct ovpn_profile *p)
{
	char port[16];
	int i, rc = 0;

	for (i = 0; i < p->nremotes && i < OVPN_MAX_REMOTES; i++) {
		const struct ovpn_remote *r = &p->remotes[i];

		snprintf(port, sizeof(port), "%d", r->port ? r->port :
			 p->port ? p->port : 1194);
		if (r->proto[0])
			rc |= put_line(f, "remote", r->host, port, r->proto, NULL);
		else if (r->port)
			rc |= put_line(f, "remote", r->host, port, NULL);
		else
			rc |= put_line(f, "remote", r->host, NULL);
	}
	return rc;
}

static int
put_tls(FILE *f, const struct ovpn_profile *p)
{
	int rc = 0;

	if (p->remote_cert_tls[0])
		rc |= put_line(f, "remote-cert-tls", p->remote_cert_tls, NULL);
	if (p->verify_x509_name[0])
		rc |= put_line(f, "verify-x509-name", p->verify_x509_name,
			       p->verify_x509_type[0] ? p->verify_x509_type : NULL, NULL);
	if (p->data_ciphers[0])
		rc |= put_line(f, "data-ciphers", p->data_ciphers, NULL);
	if (p->cipher[0])
		rc |= put_line(f, "cipher", p->cipher, NULL);
	if (p->auth[0])
		rc |= put_line(f, "auth", p->auth, NULL);
	if (p->tls_version_min[0])
		rc |= put_line(f, "tls-version-min", p->tls_version_min, NULL);
	return rc;
}

/* redirect-gateway flags are written as separate words. */
static int
put_redirect(FILE *f, const char *flags)
{
	char copy[sizeof(((struct ovpn_profile *)0)->redirect_flags)], *t, *save;
	const char *w[ARGS_MAX];
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", flags);
	for (t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == ARGS_MAX - 1)
			return -1;
		w[n++] = t;
	}
	return put_words(f, "redirect-gateway", w, n);
}

static int
put_options(FILE *f, const struct ovpn_profile *p)
{
	char num[16];
	int rc = 0;

	if (p->route_nopull)
		fputs("route-nopull\n", f);
	if (p->redirect_gateway)
		rc |= put_redirect(f, p->redirect_flags);
	/* comp_stub does not say which stub the profile had; comp-lzo no is the
	 * framing met most (RouterOS, providers), and servers push theirs */
	if (p->comp_stub)
		fputs("comp-lzo no\n", f);
	if (p->mtu) {
		snprintf(num, sizeof(num), "%d", p->mtu);
		rc |= put_line(f, "tun-mtu", num, NULL);
	}
	return rc;
}

static int
put_blocks(FILE *f, const struct ovpn_profile *p)
{
	int rc = 0;

	rc |= put_block(f, "ca", p->ca);
	rc |= put_block(f, "cert", p->cert);
	rc |= put_block(f, "key", p->key);
	if (p->tls_auth && p->key_direction >= 0)
		fprintf(f, "key-direction %d\n", p->key_direction ? 1 : 0);
	rc |= put_block(f, "tls-auth", p->tls_auth);
	rc |= put_block(f, "tls-crypt", p->tls_crypt);
	rc |= put_block(f, "tls-crypt-v2", p->tls_crypt_v2);
	return rc;
}

static int
put_profile(FILE *f, const struct ovpn_profile *p)
{
	char num[16];
	int rc = 0;

	fputs("# OpenVPN client profile written by Rosh\nclient\n", f);
	rc |= put_line(f, "dev", strcmp(p->dev, "tap") ? "tun" : "tap", NULL);
	rc |= put_line(f, "proto", strcmp(p->proto, "tcp") ? "udp" : "tcp", NULL);
	if (p->port && p->port != 1194) {
		snprintf(num, sizeof(num), "%d", p->port);
		rc |= put_line(f, "port", num, NULL);
	}
	rc |= put_remotes(f, p);
	fputs("nobind\npersist-key\npersist-tun\n", f);
	if (p->auth_user_pass)
		fputs("auth-user-pass\n", f);
	rc |= put_tls(f, p);
	rc |= put_options(f, p);
	rc |= put_blocks(f, p);
	return rc;
}

/* NULL when out of memory, or when a field can not be written so that
 * OpenVPN reads it back (a line end in a value, a line over its limit, a
 * block text holding a tag): better no profile than a different one. */
char *
ovpn_write(const struct ovpn_profile *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	rc = put_profile(f, p);
	if (fclose(f) || rc) {
		if (text)
			wipe(text, len);
		free(text);
		return NULL;
	}
	return text;
}
