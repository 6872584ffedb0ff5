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
	struct tbuf notes;		/* lines accepted without effect */
	int in_conn;			/* inside a <connection> block */
	char conn_proto[8];		/* its proto and port */
	int conn_port;
	int pkcs12_line;
	int proxy_line;			/* line of http-proxy */
	int frag_line;			/* line of fragment */
	char *extra;			/* extra-certs, appended to cert */
	int want_line[8];		/* ca [inline]...: the block must come */
};

typedef int (*handler)(struct parser *, struct line *);

#define INL	1			/* may be an inline <block> */
#define CONN	2			/* may be inside a <connection> block */
#define IGN	4			/* accepted without effect: why says why */
#define ANY 0, OVPN_ARGS_MAX

struct directive {
	const char *name;		/* a trailing * matches any tail */
	int min, max;			/* parameters; an inline body counts as one */
	int flags;
	handler fn;			/* NULL: ignored, or refused with why */
	const char *why;		/* refused: why; with IGN, why it is ignored */
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

/* Split one line of a block into l (0 words for a blank or comment line). */
int prof_split(struct parser *ps, const char *s, size_t n, struct line *l);

/* ovpn_directives.c: run one directive (setenv opt NAME as NAME). */
int prof_dispatch(struct parser *ps, struct line *l);
int prof_put(struct parser *ps, struct line *l, char *dst, size_t n, const char *src);
int prof_number(const char *s, long lo, long hi, int *v);
int prof_set_proto(struct parser *ps, struct line *l, const char *s, char out[8]);
/* Read the file a directive names (its last path component, beside the
 * profile): malloc'd text in *text. */
int prof_read_named(struct parser *ps, struct line *l, const char *path, char **text);
int prof_load_armor(struct parser *ps, struct line *l, enum kind k, char **dst);

/* ovpn_directives_net.c: the directives mapped onto the Rosh extensions
 * (connection blocks, routes, pull-filter, DNS, timers, proxy, credentials,
 * pkcs12), and what only the whole profile can check. */
extern const struct directive prof_net_directives[];
int prof_note(struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ca [inline], tls-auth [inline] 1...: the <ca> block stands for it. */
int prof_want_inline(struct parser *ps, struct line *l);
int prof_finish_net(struct parser *ps);

/* ovpn_directives_other.c: what is accepted without effect (listed in the
 * import's output) and what is refused, with why. */
extern const struct directive prof_other_directives[];

/* ovpn_armor.c: check that text (inline, or the file l names) holds the
 * armor k asks for; *out gets only the armor, each line trimmed. */
int prof_armor(struct parser *ps, struct line *l, enum kind k, const char *text, char **out);

#endif
