/* ovpn_read.c: reads .ovpn client profiles into struct ovpn_profile. Lines
 * are split the way OpenVPN 2.6's options.c does it (parse_line,
 * read_config_file, check_inline_file), so a profile means here what it
 * means to openvpn; what we can not honour is refused with its line number
 * rather than dropped. This file holds the text, the lines, their words and
 * the inline blocks; ovpn_directives*.c run each directive (rosh-ovpn(7)
 * says what is honoured, ignored and refused) and ovpn_armor.c checks key and
 * certificate texts. A NUL byte ends its line, as for OpenVPN. Refused
 * here: control characters or invalid UTF-8, input over 1 MiB, lines of 256 bytes or more with their line end,
 * comments included (OpenVPN's limit; inline block lines are free), more
 * than 16 parameters, unclosed blocks (line of the opening tag), a close
 * tag of another block, a profile without remote, client or tls-client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovpn_read.h"

void
prof_wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

int
tbuf_add(struct tbuf *b, const char *s, size_t n)
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
			explicit_bzero(b->s, b->cap);
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

void
tbuf_free(struct tbuf *b)
{
	if (b->s) {
		explicit_bzero(b->s, b->cap);
		free(b->s);
	}
	memset(b, 0, sizeof(*b));
}

int
ovpn_blank(int c)
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

const char *
prof_not_text(const char *text, size_t len, int *bad)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, k;

	*bad = 1;
	while (i < len) {
		if (s[i] == '\n')
			++*bad;
		if (s[i] == 0) {	/* ends the line for OpenVPN: the rest is not read */
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if ((s[i] < 0x20 && !ovpn_blank(s[i])) || s[i] == 0x7f)
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
	const char *nl, *nul;

	if (ps->pos >= ps->len)
		return 0;
	*s = ps->text + ps->pos;
	nl = memchr(*s, '\n', ps->len - ps->pos);
	*n = nl ? (size_t)(nl - *s) : ps->len - ps->pos;
	ps->pos += *n + (nl ? 1 : 0);
	ps->rawlen = *n + (nl ? 1 : 0);
	if ((nul = memchr(*s, '\0', *n)))
		*n = (size_t)(nul - *s);	/* as OpenVPN reads a line: up to a NUL */
	if (*n && (*s)[*n - 1] == '\r')
		--*n;
	ps->lineno++;
	return 1;
}

static int
add_word(struct parser *ps, struct line *l, size_t *used, size_t start)
{
	if (l->argc == OVPN_ARGS_MAX)
		return fail(ps, l->lineno, "more than %d parameters on one line",
			    OVPN_ARGS_MAX);
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
	if (ovpn_blank(c))
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
	if ((st == PLAIN && !bs && ovpn_blank(c)) || (st == DQ && !bs && c == '"') ||
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
		if (bs && out && out != '\\' && out != '"' && !ovpn_blank(out))
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
		while (n && ovpn_blank((unsigned char)*s)) {
			s++;
			n--;
		}
		if (n >= cl && !memcmp(s, close, cl))
			return 0;
		if (n >= 2 && s[0] == '<' && s[1] == '/')
			return fail(ps, ps->lineno, "%.*s does not close <%s> opened on "
				    "line %d", (int)tag_len(s, n), s, tag, l->lineno);
		if (tbuf_add(&l->block, s, n) || tbuf_add(&l->block, "\n", 1))
			return fail(ps, ps->lineno, "out of memory");
	}
	return fail(ps, l->lineno, "<%s> is never closed: no %s follows", tag, close);
}

static int
comment_only(const char *s, size_t n)
{
	while (n && ovpn_blank((unsigned char)*s)) {
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

	if (ps->rawlen > OVPN_LINE_MAX)
		return fail(ps, ps->lineno, "line longer than %d characters (OpenVPN's "
			    "limit, comments included)", OVPN_LINE_MAX);
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
			rc = prof_dispatch(ps, l);
	}
	tbuf_free(&l->block);
	explicit_bzero(l, sizeof(*l));
	free(l);
	return rc;
}

int
prof_split(struct parser *ps, const char *s, size_t n, struct line *l)
{
	l->argc = 0;
	if (comment_only(s, n))
		return 0;
	if (tokenize(ps, s, n, l))
		return -1;
	if (l->argc && strlen(l->argv[0]) >= 3 && !strncmp(l->argv[0], "--", 2))
		l->argv[0] += 2;
	return 0;
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
	return prof_finish_net(ps);
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
	why = prof_not_text(ps->text, ps->len, &bad);
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
	p->mssfix = p->ping = p->ping_restart = p->reneg_sec = -1;
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
	tbuf_free(&ps->notes);
	prof_wipe_free(ps->extra);
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
	prof_wipe_free(p->ca);
	prof_wipe_free(p->cert);
	prof_wipe_free(p->key);
	prof_wipe_free(p->tls_auth);
	prof_wipe_free(p->tls_crypt);
	prof_wipe_free(p->tls_crypt_v2);
	free(p->crl);
	p->crl = NULL;
	p->ca = p->cert = p->key = NULL;
	p->tls_auth = p->tls_crypt = p->tls_crypt_v2 = NULL;
	prof_wipe_free(p->user);
	prof_wipe_free(p->pass);
	prof_wipe_free(p->proxy_user);
	prof_wipe_free(p->proxy_pass);
	p->user = p->pass = p->proxy_user = p->proxy_pass = NULL;
	if (p->pkcs12)
		explicit_bzero(p->pkcs12, p->pkcs12_len);
	free(p->pkcs12);
	p->pkcs12 = NULL;
	free(p->notes);
	p->notes = NULL;
}
