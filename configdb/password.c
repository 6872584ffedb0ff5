/* password.c: passwords kept as PBKDF2-SHA256 with a random salt, so the
 * database never holds one that can be read back, and guessing is slow. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/pwdbased.h>

#include "configdb.h"

#define PW_ITER 100000		/* about 40 ms here: slow for a guesser, quick for a login */
#define PW_SALT 16
#define PW_HASH 32
#define PW_TAG  "pbkdf2-sha256"

static void
to_hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int
from_hex(const char *s, unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (unsigned char)v;
	}
	return s[2 * n] == '\0' || s[2 * n] == '$' ? 0 : -1;
}

static int
derive(const char *pw, const unsigned char *salt, int iter, unsigned char *out)
{
	return wc_PBKDF2(out, (const unsigned char *)pw, (int)strlen(pw), salt, PW_SALT, iter,
			 PW_HASH, WC_SHA256) == 0 ? 0 : -1;
}

int
cdb_password_hash(const char *pw, char *out, size_t len)
{
	unsigned char salt[PW_SALT], h[PW_HASH];
	char hs[2 * PW_SALT + 1], hh[2 * PW_HASH + 1];

	if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt) ||
	    derive(pw, salt, PW_ITER, h))
		return -1;
	to_hex(salt, PW_SALT, hs);
	to_hex(h, PW_HASH, hh);
	return snprintf(out, len, "%s$%d$%s$%s", PW_TAG, PW_ITER, hs, hh) < (int)len ? 0 : -1;
}

/* 1 when pw matches the stored text, 0 when not; an empty stored text is
 * no password, which only the empty password matches. */
int
cdb_password_check(const char *stored, const char *pw)
{
	unsigned char salt[PW_SALT], want[PW_HASH], got[PW_HASH];
	unsigned diff = 0;
	int iter = 0, n = 0;

	if (!stored || !*stored)
		return pw && !*pw;
	if (!pw || sscanf(stored, PW_TAG "$%d$%n", &iter, &n) != 1 || iter < 1000 ||
	    iter > 10000000 || strlen(stored + n) != 2 * PW_SALT + 1 + 2 * PW_HASH ||
	    from_hex(stored + n, salt, PW_SALT) ||
	    from_hex(stored + n + 2 * PW_SALT + 1, want, PW_HASH) || derive(pw, salt, iter, got))
		return 0;
	for (int i = 0; i < PW_HASH; i++)	/* the same time whatever matches */
		diff |= (unsigned)(want[i] ^ got[i]);
	return diff == 0;
}
