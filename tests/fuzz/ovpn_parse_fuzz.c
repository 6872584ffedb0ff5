/* ovpn_parse_fuzz.c: libFuzzer target for .ovpn profiles. Every input is
 * parsed with a file reader that always fails; a profile that parses is
 * written back, and what we write must parse again to the same profile. */
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
	       a->comp_stub == b->comp_stub && a->mtu == b->mtu;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ovpn_profile p, q;
	char err[256], *w;
	int line;

	if (ovpn_parse((const char *)data, size, no_files, NULL, &p, err, sizeof(err), &line))
		return 0;
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
	return 0;
}
