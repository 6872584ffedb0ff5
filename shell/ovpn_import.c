/* ovpn_import.c: the part of import-ovpn-configuration that goes beyond
 * RouterOS's /interface ovpn-client: files named by the profile read from
 * its folder of the file store, a pkcs12 bundle split into certificate,
 * key and CA, the Rosh-extension properties (data-ciphers, remote-random,
 * routes, pull-filter, dns-servers, mssfix, ping-interval, ping-restart,
 * reneg-sec, http-proxy, max-mtu), credentials from the profile, and the
 * list of lines accepted without effect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "files.h"
#include "ovpn_import.h"
#include "pki.h"

void
ovpn_store_init(struct ovpn_store *st, struct cmdctx *c, const char *profile)
{
	const char *slash = strrchr(profile, '/');

	st->c = c;
	st->profile = profile;
	snprintf(st->dir, sizeof(st->dir), "%.*s", slash ? (int)(slash - profile + 1) : 0,
		 profile);
}

int
ovpn_store_read(void *ctx, const char *name, char **text, char *err, size_t errlen)
{
	struct ovpn_store *st = ctx;
	char path[600];
	size_t len;
	const char *e;

	snprintf(path, sizeof(path), "%s%s", st->dir, name);
	if (files_read(st->c->sh, st->c->cmdpos, path, text, &len)) {
		e = st->c->sh->err;
		if (!strncmp(e, "failure: ", 9))
			e += 9;
		snprintf(err, errlen, "%s (put the file beside the profile in /file)", e);
		st->c->sh->failed = 0;
		return -1;
	}
	return 0;
}

static int
append_pem(char **dst, const char *pem)
{
	size_t a = *dst ? strlen(*dst) : 0;
	char *s = realloc(*dst, a + strlen(pem) + 1);

	if (!s)
		return -1;
	strcpy(s + a, pem);
	*dst = s;
	return 0;
}

/* The certificate whose key the bundle holds is ours; the others are the
 * CA chain, taken when the profile has no ca of its own. */
static int
split_bundle(struct cmdctx *c, struct pki_bundle *b, struct ovpn_profile *p)
{
	int mine = -1, want_ca = !p->ca;

	for (int i = 0; i < b->ncerts && b->nkeys && mine < 0; i++)
		if (pki_key_matches(b->certs[i], b->keys[0]))
			mine = i;
	if (mine < 0)
		return sh_fail(c->sh, c->cmdpos, "failure: the pkcs12 bundle holds no "
			       "certificate with its key");
	p->cert = strdup(b->certs[mine]);
	p->key = strdup(b->keys[0]);
	for (int i = 0; i < b->ncerts; i++)
		if (i != mine && want_ca && append_pem(&p->ca, b->certs[i]))
			return sh_fail(c->sh, c->cmdpos, "failure: out of memory");
	if (!p->cert || !p->key)
		return sh_fail(c->sh, c->cmdpos, "failure: out of memory");
	return 0;
}

int
ovpn_import_pkcs12(struct ovpn_store *st, struct ovpn_profile *p, const char *pass)
{
	struct cmdctx *c = st->c;
	struct pki_bundle b = { 0 };
	char *file = NULL, err[256], path[600];
	const unsigned char *data = p->pkcs12;
	size_t len = p->pkcs12_len;
	int rc;

	if (!data && !p->pkcs12_file[0])
		return 0;
	if (!data) {
		snprintf(path, sizeof(path), "%s%s", st->dir, p->pkcs12_file);
		if (files_read(c->sh, c->cmdpos, path, &file, &len)) {
			c->sh->failed = 0;
			return sh_fail(c->sh, c->cmdpos, "failure: %s line %d: pkcs12 %s: no such "
				       "file in the file store (put it beside the profile in /file)",
				       st->profile, p->pkcs12_line, path);
		}
		data = (const unsigned char *)file;
	}
	rc = pki_import(data, len, pass ? pass : "", &b, err, sizeof(err));
	if (file) {
		explicit_bzero(file, len);
		free(file);
	}
	if (rc)
		return sh_fail(c->sh, c->cmdpos, "failure: %s line %d: pkcs12: %s", st->profile,
			       p->pkcs12_line, err);
	rc = split_bundle(c, &b, p);
	pki_bundle_free(&b);
	return rc;
}

/* Only the ciphers we run are offered; the others are noted. */
static int
filter_ciphers(struct cmdctx *c, const struct ovpn_profile *p, struct ovpn_map *m)
{
	const struct cdb_prop *cp = cdb_prop_find(c->m, "cipher");
	char copy[600], *save = NULL, *w;

	snprintf(copy, sizeof(copy), "%s", p->data_ciphers);
	for (w = strtok_r(copy, ":", &save); w; w = strtok_r(NULL, ":", &save)) {
		const char *ours = cdb_enum_by_wire(cp, w);
		char *dst = ours ? m->data_ciphers : m->dropped;
		size_t n = ours ? sizeof(m->data_ciphers) : sizeof(m->dropped);

		snprintf(dst + strlen(dst), n - strlen(dst), "%s%s", *dst ? ":" : "",
			 ours ? cdb_enum_wire(cp, ours) : w);
	}
	if (p->data_ciphers[0] && !m->data_ciphers[0])
		return sh_fail(c->sh, c->cmdpos, "failure: none of the profile's data-ciphers "
			       "(%s) is available here", p->data_ciphers);
	return 0;
}

static int
put(struct cdb_kv *kv, int n, int max, const char *name, const char *value)
{
	if (n < 0 || n >= max)
		return -1;
	kv[n] = (struct cdb_kv){ name, value };
	return n + 1;
}

static int
put_num(struct cdb_kv *kv, int n, int max, const char *name, int v, char buf[16])
{
	if (v < 0)
		return n;
	snprintf(buf, 16, "%d", v);
	return put(kv, n, max, name, buf);
}

int
ovpn_import_kv(struct cmdctx *c, const struct ovpn_profile *p, struct ovpn_map *m,
	       struct cdb_kv *kv, int n, int max, int have_user, int have_pass)
{
	memset(m, 0, sizeof(*m));
	if (filter_ciphers(c, p, m))
		return -1;
	if (m->data_ciphers[0])
		n = put(kv, n, max, "data-ciphers", m->data_ciphers);
	if (p->remote_random)
		n = put(kv, n, max, "remote-random", "yes");
	if (p->routes[0])
		n = put(kv, n, max, "routes", p->routes);
	if (p->pull_filter[0])
		n = put(kv, n, max, "pull-filter", p->pull_filter);
	if (p->dns[0])
		n = put(kv, n, max, "dns-servers", p->dns);
	n = put_num(kv, n, max, "mssfix", p->mssfix, m->num[0]);
	n = put_num(kv, n, max, "ping-interval", p->ping, m->num[1]);
	n = put_num(kv, n, max, "ping-restart", p->ping_restart, m->num[2]);
	n = put_num(kv, n, max, "reneg-sec", p->reneg_sec, m->num[3]);
	n = put_num(kv, n, max, "max-mtu", p->mtu ? p->mtu : -1, m->num[4]);
	n = put_num(kv, n, max, "fragment", p->fragment ? p->fragment : -1, m->num[6]);
	if (p->proxy[0]) {
		n = put(kv, n, max, "http-proxy", p->proxy);
		n = put_num(kv, n, max, "http-proxy-port", p->proxy_port, m->num[5]);
	}
	if (p->proxy_user)
		n = put(kv, n, max, "http-proxy-user", p->proxy_user);
	if (p->proxy_pass)
		n = put(kv, n, max, "http-proxy-password", p->proxy_pass);
	if (p->user && !have_user)
		n = put(kv, n, max, "user", p->user);
	if (p->pass && !have_pass)
		n = put(kv, n, max, "password", p->pass);
	if (n < 0)
		return sh_fail(c->sh, c->cmdpos, "failure: the profile asks for too much at once");
	return n;
}

void
ovpn_import_notes(struct cmdctx *c, const struct ovpn_profile *p, const struct ovpn_map *m)
{
	const char *s = p->notes, *e;

	for (; s && *s; s = *e ? e + 1 : e) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		fprintf(c->sh->out, "  ignored: %.*s\n", (int)(e - s), s);
	}
	if (m->dropped[0])
		fprintf(c->sh->out, "  ignored: data-ciphers %s (not available here)\n",
			m->dropped);
}
