/* sshkey.c: /user ssh-keys. A key is parsed when it is added (typed or
 * imported from a file), so a key that OpenSSH would not take is refused
 * at once with the reason, and its type, size and comment are shown. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "files.h"
#include "pki.h"
#include "script.h"
#include "sshkey.h"

/* The SSH wire format's string (RFC 4251): 4-byte length, then bytes. */
struct rd {
	const uint8_t *p;
	size_t n;
};

static int
rd_string(struct rd *r, const uint8_t **s, size_t *len)
{
	uint32_t l;

	if (r->n < 4)
		return -1;
	l = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	if (l > r->n - 4)
		return -1;
	*s = r->p + 4;
	*len = l;
	r->p += 4 + l;
	r->n -= 4 + l;
	return 0;
}

static int
rd_is(const uint8_t *s, size_t len, const char *want)
{
	return len == strlen(want) && !memcmp(s, want, len);
}

static uint8_t *
b64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	uint8_t *out = malloc(n / 4 * 3 + 3);
	uint32_t acc = 0;
	int k = 0, pad = 0;

	if (!out || n % 4)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		int v = s[i] == '=' && i + 2 >= n ? 0 : pki_b64_value((unsigned char)s[i]);

		if (v < 0 || (pad && s[i] != '='))
			goto bad;
		pad += s[i] == '=';
		acc = acc << 6 | (uint32_t)v;
		if (++k == 4) {
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
			k = 0;
			acc = 0;
		}
	}
	*len = o - (size_t)pad;
	return out;
bad:
	free(out);
	return NULL;
}

/* RSA: e and n as mpints; the size is n's bit length. */
static int
rsa_bits(struct rd *r, int *bits)
{
	const uint8_t *e, *n;
	size_t el, nl;

	if (rd_string(r, &e, &el) || rd_string(r, &n, &nl) || !el || !nl)
		return -1;
	while (nl && !*n) {
		n++;
		nl--;
	}
	if (!nl || nl > 2048)
		return -1;
	*bits = (int)(nl - 1) * 8;
	for (uint8_t top = n[0]; top; top >>= 1)
		++*bits;
	return 0;
}

/* The blob's own fields, after its type string. */
static const char *
blob_check(const char *type, struct rd *r, int *bits)
{
	static const struct { const char *curve; size_t q; int bits; } curves[] = {
		{ "nistp256", 65, 256 }, { "nistp384", 97, 384 }, { "nistp521", 133, 521 },
	};
	const uint8_t *s, *q;
	size_t len, ql;

	if (!strcmp(type, "ssh-ed25519")) {
		*bits = 256;
		return rd_string(r, &s, &len) || len != 32 ? "bad ed25519 public key" : NULL;
	}
	if (!strcmp(type, "ssh-rsa")) {
		if (rsa_bits(r, bits))
			return "bad RSA public key";
		return *bits < 1024 ? "RSA key shorter than 1024 bits" : NULL;
	}
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
		if (strcmp(type + strlen("ecdsa-sha2-"), curves[i].curve))
			continue;
		*bits = curves[i].bits;
		if (rd_string(r, &s, &len) || !rd_is(s, len, curves[i].curve) ||
		    rd_string(r, &q, &ql) || ql != curves[i].q || q[0] != 4)
			return "bad ECDSA public key";
		return NULL;
	}
	return "unsupported key type";
}

static int
known_type(const char *t)
{
	static const char *const types[] = { "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
					     "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", NULL };

	for (int i = 0; types[i]; i++)
		if (!strcmp(t, types[i]))
			return 1;
	return 0;
}

/* The words of the key: type, blob, comment (the rest, trimmed). */
static int
split_key(const char *text, struct sshkey_info *k, char *err, size_t errlen)
{
	const char *p = text, *t, *b;
	size_t tl, bl, cl;

	while (*p == ' ' || *p == '\t')
		p++;
	t = p;
	p += tl = strcspn(p, " \t");
	if (tl < sizeof(k->type)) {
		memcpy(k->type, t, tl);
		k->type[tl] = '\0';
	}
	if (tl >= sizeof(k->type) || !known_type(k->type)) {
		if (memchr(t, '=', tl) || memchr(t, '"', tl) || memchr(t, ',', tl))
			snprintf(err, errlen, "failure: authorized_keys options (from=, command=...) "
				 "are not accepted: give the key alone");
		else
			snprintf(err, errlen, "failure: unsupported key type %.*s (ssh-ed25519, "
				 "ssh-rsa, ecdsa-sha2-nistp256/384/521)", (int)(tl > 40 ? 40 : tl), t);
		return -1;
	}
	p += strspn(p, " \t");
	b = p;
	p += bl = strcspn(p, " \t");
	p += strspn(p, " \t");
	cl = strlen(p);
	while (cl && isspace((unsigned char)p[cl - 1]))
		cl--;
	if (!bl) {
		snprintf(err, errlen, "failure: key has no base64 part");
		return -1;
	}
	k->blob64 = strndup(b, bl);
	k->comment = strndup(p, cl);
	return 0;
}

int
sshkey_parse(const char *text, struct sshkey_info *k, char *err, size_t errlen)
{
	const uint8_t *t;
	uint8_t *blob;
	size_t len, tlen;
	const char *why;
	struct rd r;

	memset(k, 0, sizeof(*k));
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			snprintf(err, errlen, "failure: key holds control characters");
			return -1;
		}
	if (strchr(text, '\n') && strchr(text, '\n')[strspn(strchr(text, '\n'), " \t\r\n")]) {
		snprintf(err, errlen, "failure: one key at a time");
		return -1;
	}
	if (split_key(text, k, err, errlen))
		return -1;
	if (!(blob = b64_decode(k->blob64, &len))) {
		snprintf(err, errlen, "failure: key is not valid base64");
		goto bad;
	}
	r.p = blob;
	r.n = len;
	why = rd_string(&r, &t, &tlen) || !rd_is(t, tlen, k->type) ?
	      "the key's blob is not of its stated type" : blob_check(k->type, &r, &k->bits);
	if (!why && r.n)
		why = "trailing data in the key";
	free(blob);
	if (!why)
		return 0;
	snprintf(err, errlen, "failure: %s", why);
bad:
	sshkey_clear(k);
	return -1;
}

void
sshkey_clear(struct sshkey_info *k)
{
	free(k->blob64);
	free(k->comment);
	k->blob64 = k->comment = NULL;
}

/* The key as stored: type, blob and comment, one space apart. */
static int
add_key(struct cmdctx *c, size_t pos, const char *user, const char *text, const char *comment,
	long long *id)
{
	struct sshkey_info k;
	char err[256], bits[16], *norm = NULL;
	struct cdb_kv kv[6];
	struct cdb_err e;
	int n = 0, rc;

	if (sshkey_parse(text, &k, err, sizeof(err)))
		return sh_fail(c->sh, pos, "%s", err);
	if (asprintf(&norm, "%s %s%s%s", k.type, k.blob64, *k.comment ? " " : "", k.comment) < 0) {
		sshkey_clear(&k);
		return sh_fail(c->sh, pos, "failure: out of memory");
	}
	snprintf(bits, sizeof(bits), "%d", k.bits);
	kv[n++] = (struct cdb_kv){ "user", user };
	kv[n++] = (struct cdb_kv){ "key", norm };
	kv[n++] = (struct cdb_kv){ "key-type", k.type };
	kv[n++] = (struct cdb_kv){ "bits", bits };
	kv[n++] = (struct cdb_kv){ "key-owner", *k.comment ? k.comment : NULL };
	if (comment)
		kv[n++] = (struct cdb_kv){ "comment", comment };
	/* the computed values are read-only for the admin, not for the action */
	c->sh->db->system = 1;
	rc = cdb_item_add(c->sh->db, c->m, kv, n, 0, id, &e);
	c->sh->db->system = 0;
	free(norm);
	sshkey_clear(&k);
	return rc ? sh_fail(c->sh, c->cmdpos, "%s", e.msg) : 0;
}

/* add user=NAME key="TYPE BASE64 [COMMENT]" [comment=TEXT] */
int
cmd_sshkey_add(struct cmdctx *c)
{
	static const char *const names[] = { "user", "key", "comment", NULL };
	struct arg *user = arg_find(c, "user"), *key = arg_find(c, "key");
	struct arg *comment = arg_find(c, "comment");
	long long id;

	if (sh_only_args(c, names, 0))
		return -1;
	if (!user || !key)
		return sh_fail(c->sh, c->cmdpos, "failure: %s must be set", !user ? "user" : "key");
	if (add_key(c, key->pos, val_text(&user->v), val_text(&key->v),
		    comment ? val_text(&comment->v) : NULL, &id))
		return -1;
	val_id(c->ret, id);
	return 0;
}

/* import public-key-file=FILE user=NAME: every key line of the file (an
 * authorized_keys or .pub file; blank and # lines skipped). */
int
cmd_sshkey_import(struct cmdctx *c)
{
	static const char *const names[] = { "public-key-file", "user", NULL };
	struct arg *file = arg_find(c, "public-key-file"), *user = arg_find(c, "user");
	char *text, *line, *save = NULL;
	size_t len;
	long long id;
	int n = 0, rc = 0;

	if (sh_only_args(c, names, 0))
		return -1;
	if (!file || !user)
		return sh_fail(c->sh, c->cmdpos, "failure: %s must be set",
			       !file ? "public-key-file" : "user");
	if (files_read(c->sh, file->pos, val_text(&file->v), &text, &len))
		return -1;
	if (strlen(text) != len) {
		free(text);
		return sh_fail(c->sh, file->pos, "failure: %s is not a public key file",
			       val_text(&file->v));
	}
	for (line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		if (!(rc = add_key(c, file->pos, val_text(&user->v), line, NULL, &id)))
			n++;
	}
	free(text);
	if (!rc && !n)
		return sh_fail(c->sh, file->pos, "failure: no public key in %s", val_text(&file->v));
	return rc;
}
