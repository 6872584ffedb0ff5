/* ovpn_parse_fuzz.c: libFuzzer target for .ovpn profiles and their
 * directives. Every input is parsed twice: with a file reader that always
 * fails, and with one that serves the bytes after the input's first NUL as
 * every file the profile names (ca, tls-auth, auth-user-pass, crl-verify,
 * pkcs12...), so the directives that read files are reached too. A profile
 * that parses keeps its bounds and is written back, and what we write must
 * parse again to the same profile; one that does not parse leaves nothing
 * behind. Seeds in tests/fuzz/ovpn_parse_seeds/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovpn_profile.h"

static int
no_files(void *ctx, const char *name, char **text, char *err, size_t errlen)
{
	(void)ctx;
	(void)name;
	*text = NULL;
	snprintf(err, errlen, "no file store in the fuzzer");
	return -1;
}

struct files {
	const char *text;	/* what every named file holds, or NULL */
	size_t len;
};

/* Only the file's own name reaches the reader, never a path. */
static int
input_files(void *ctx, const char *name, char **text, char *err, size_t errlen)
{
	const struct files *f = ctx;

	if (!*name || strchr(name, '/') || strchr(name, '\\'))
		abort();
	if (!f->text)
		return no_files(ctx, name, text, err, errlen);
	*text = strndup(f->text, f->len);
	return *text ? 0 : -1;
}

static int
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The fields ovpn_write carries; a difference is a writer or parser bug. */
static int
equal(const struct ovpn_profile *a, const struct ovpn_profile *b)
{
	int i;

	if (a->nremotes != b->nremotes)
		return 0;
	for (i = 0; i < a->nremotes; i++)
		if (strcmp(a->remotes[i].host, b->remotes[i].host) ||
		    a->remotes[i].port != b->remotes[i].port ||
		    strcmp(a->remotes[i].proto, b->remotes[i].proto))
			return 0;
	return !strcmp(a->proto, b->proto) && a->port == b->port &&
	       !strcmp(a->dev, b->dev) && !strcmp(a->cipher, b->cipher) &&
	       !strcmp(a->data_ciphers, b->data_ciphers) && !strcmp(a->auth, b->auth) &&
	       a->auth_user_pass == b->auth_user_pass && same(a->ca, b->ca) &&
	       same(a->cert, b->cert) && same(a->key, b->key) &&
	       same(a->tls_auth, b->tls_auth) && a->key_direction == b->key_direction &&
	       same(a->tls_crypt, b->tls_crypt) && same(a->tls_crypt_v2, b->tls_crypt_v2) &&
	       !strcmp(a->verify_x509_name, b->verify_x509_name) &&
	       !strcmp(a->verify_x509_type, b->verify_x509_type) &&
	       !strcmp(a->remote_cert_tls, b->remote_cert_tls) &&
	       a->route_nopull == b->route_nopull &&
	       a->redirect_gateway == b->redirect_gateway &&
	       !strcmp(a->redirect_flags, b->redirect_flags) &&
	       !strcmp(a->tls_version_min, b->tls_version_min) &&
	       a->comp_stub == b->comp_stub && a->mtu == b->mtu &&
	       a->ns_cert_type == b->ns_cert_type &&
	       !strcmp(a->peer_fingerprint, b->peer_fingerprint);
}

/* What a parse hands back stays inside its own limits. */
static void
bounded(const struct ovpn_profile *p)
{
	if (p->nremotes < 0 || p->nremotes > OVPN_MAX_REMOTES || p->port < 0 ||
	    p->port > 65535 || p->key_direction < -1 || p->key_direction > 1 ||
	    (p->pkcs12 && !p->pkcs12_len) || (p->notes && !strchr(p->notes, '\n')))
		abort();
	for (int i = 0; i < p->nremotes; i++)
		if (!p->remotes[i].host[0] || p->remotes[i].port < 0 || p->remotes[i].port > 65535)
			abort();
}

/* A failed parse says why and leaves the profile empty. */
static void
refused(const struct ovpn_profile *p, const char *err)
{
	if (!err[0] || p->ca || p->cert || p->key || p->tls_auth || p->tls_crypt ||
	    p->tls_crypt_v2 || p->crl || p->user || p->pass || p->pkcs12 || p->notes ||
	    p->nremotes)
		abort();
}

static void
one(const char *text, size_t len, ovpn_read_fn readf, void *ctx)
{
	struct ovpn_profile p, q;
	char err[256], *w;
	int line;

	if (ovpn_parse(text, len, readf, ctx, &p, err, sizeof(err), &line)) {
		refused(&p, err);
		return;
	}
	bounded(&p);
	w = ovpn_write(&p);
	if (w) {
		if (ovpn_parse(w, strlen(w), no_files, NULL, &q, err, sizeof(err), &line) ||
		    !equal(&p, &q)) {
			fprintf(stderr, "written profile does not read back: line %d: %s\n%s",
				line, err, w);
			abort();
		}
		ovpn_profile_free(&q);
		free(w);
	}
	ovpn_profile_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nul = memchr(data, 0, size);
	struct files f = { 0 };

	one(text, size, no_files, NULL);
	if (nul) {
		f.text = nul + 1;
		f.len = size - (size_t)(nul + 1 - text);
		one(text, (size_t)(nul - text), input_files, &f);
	}
	return 0;
}
