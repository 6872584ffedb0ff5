/* ovpn_read.h: what the three files of the .ovpn reader share: the reader's
 * state, one directive as read, and the calls between them. ovpn_read.c
 * splits the text into lines, words and inline blocks; ovpn_directives.c
 * runs each directive; ovpn_armor.c checks the key and certificate texts. */
#ifndef OVPN_READ_H
#define OVPN_READ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "ovpn_profile.h"

#define PROFILE_MAX	(1u << 20)	/* largest profile or file it names */
#define PARM_MAX	256		/* OpenVPN's OPTION_PARM_SIZE, NUL included */
#define IGNORE_MAX	64		/* names kept from ignore-unknown-option */

struct tbuf {				/* growing text */
	char *s;
	size_t len, cap;
};

struct line {				/* one directive, split into words */
	char *argv[OVPN_ARGS_MAX + 1];
	int argc;
	int lineno;			/* line of the directive or opening tag */
	int inl;			/* it is an inline block; body in block */
	struct tbuf block;
	char store[OVPN_LINE_MAX + OVPN_ARGS_MAX + 2];
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

static inline int fail(struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the message and line of a refusal; returns -1 for the caller to pass on. */
static inline int
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

/* ovpn_read.c */

/* Secrets (keys, static keys) are wiped before their memory goes back. */
void prof_wipe_free(char *s);
int tbuf_add(struct tbuf *b, const char *s, size_t n);
void tbuf_free(struct tbuf *b);
/* Refuse what is not text: NUL, control characters other than blanks, and
 * byte sequences that are not UTF-8. Sets *bad to the 1-based line. */
const char *prof_not_text(const char *text, size_t len, int *bad);

/* ovpn_directives.c: run one directive (setenv opt NAME as NAME). */
int prof_dispatch(struct parser *ps, struct line *l);

/* ovpn_armor.c: check that text (inline, or the file l names) holds the
 * armor k asks for; *out gets only the armor, each line trimmed. */
int prof_armor(struct parser *ps, struct line *l, enum kind k, const char *text, char **out);

#endif
