/* tunnel_cfg.c: what servers and clients read from the configuration
 * beyond their own item: their certificate and the trust store from
 * /certificate, the cipher and digest lists by the OpenVPN names the schema
 * gives our values, and the fingerprint that decides whether a commit
 * restarts a tunnel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pki.h"
#include "tunnel_cfg.h"

/* 1 when one of the certificates in the PEM text cas signed the CRL. */
static int
crl_signed_by_one(const char *crl, const char *cas)
{
	static const char end[] = "-----END CERTIFICATE-----";
	const char *p = cas, *e;
	int ok = 0;

	while (!ok && (p = strstr(p, "-----BEGIN CERTIFICATE-----")) && (e = strstr(p, end))) {
		char *one = strndup(p, (size_t)(e - p) + sizeof(end) - 1);

		ok = one && !pki_crl_verify(crl, one, NULL, 0);
		free(one);
		p = e + sizeof(end) - 1;
	}
	return ok;
}

/* The CRLs in /certificate crl that one of the trusted CAs signed: a
 * CRL nobody here can vouch for would fail the TLS setup, and proves
 * nothing anyway. */
static char *
trusted_crls(struct cdb *db, const char *cas)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/certificate/crl");
	struct cdb_buf out = { 0 };
	struct cdb_item_list l;
	struct cdb_err e;

	if (!m || cdb_item_list(db, m, &l, &e))
		return NULL;
	for (int i = 0; i < l.n; i++) {
		const char *crl = cdb_item_text(m, &l.items[i], "crl-pem");

		if (crl && crl_signed_by_one(crl, cas))
			cdb_buf_printf(&out, "%s\n", crl);
	}
	cdb_item_list_free(&l);
	return out.s;
}

int
tunnel_tls_load(struct cdb *db, const char *mine, struct tunnel_tls *t, char *err,
		size_t errlen)
{
	const struct cdb_menu *cm = cdb_menu_find(db->cat, "/certificate");
	struct cdb_buf cas = { 0 };
	struct cdb_item_list l;
	struct cdb_err ce;
	int want = mine && strcmp(mine, "none");

	memset(t, 0, sizeof(*t));
	if (cdb_item_list(db, cm, &l, &ce)) {
		snprintf(err, errlen, "%.200s", ce.msg);
		return -1;
	}
	for (int i = 0; i < l.n; i++) {
		const struct cdb_item *it = &l.items[i];
		const char *pem = cdb_item_text(cm, it, "cert-pem");
		const char *key = cdb_item_text(cm, it, "key-pem");

		if (want && pem && key && !strcmp(cdb_item_text(cm, it, "name"), mine)) {
			t->cert = strdup(pem);
			t->key = strdup(key);
		}
		if (pem && !strcmp(cdb_item_text(cm, it, "trusted"), "yes") &&
		    !strcmp(cdb_item_text(cm, it, "revoked"), "no"))
			cdb_buf_printf(&cas, "%s\n", pem);
	}
	cdb_item_list_free(&l);
	t->cas = cas.s;
	t->crls = cas.s ? trusted_crls(db, cas.s) : NULL;
	if (want && !t->cert) {
		snprintf(err, errlen, "certificate %s is not signed or has no private key", mine);
		free(t->cas);
		free(t->crls);
		t->cas = t->crls = NULL;
		return -1;
	}
	return 0;
}

/* "aes256-gcm,aes128-cbc": each value's OpenVPN name, then the core's. */
static int
map_list(const struct cdb_menu *m, const struct cdb_item *it, const char *name, int *out,
	 int max, int (*byname)(const char *))
{
	const struct cdb_prop *p = cdb_prop_find(m, name);
	const char *v = cdb_item_text(m, it, name);
	char buf[512], *save = NULL, *w;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", v ? v : "");
	for (w = strtok_r(buf, ",", &save); p && w && n < max; w = strtok_r(NULL, ",", &save)) {
		const char *wire = cdb_enum_wire(p, w);
		int k = wire ? byname(wire) : -1;

		if (k >= 0)
			out[n++] = k;
	}
	return n;
}

void
tunnel_ciphers(const struct cdb_menu *m, const struct cdb_item *it, struct ovpn_cfg *cfg)
{
	int c[DC__CIPHERS], d[DC__DIGESTS];

	cfg->nciphers = map_list(m, it, "cipher", c, DC__CIPHERS, dc_cipher_by_name);
	for (int i = 0; i < cfg->nciphers; i++)
		cfg->ciphers[i] = (enum dc_cipher)c[i];
	cfg->ndigests = map_list(m, it, "auth", d, DC__DIGESTS, dc_digest_by_name);
	for (int i = 0; i < cfg->ndigests; i++)
		cfg->digests[i] = (enum dc_digest)d[i];
}

/* Its certificate and key (mine) and every trusted authority, so a
 * re-signed certificate or a new CA restarts the tunnel. */
static void
fingerprint_certs(struct cdb *db, const char *mine, struct cdb_buf *b)
{
	const struct cdb_menu *cm = cdb_menu_find(db->cat, "/certificate");
	struct cdb_item_list l;
	struct cdb_err err;

	if (!cm || cdb_item_list(db, cm, &l, &err))
		return;
	for (int i = 0; i < l.n; i++) {
		const char *name = cdb_item_text(cm, &l.items[i], "name");
		const char *pem = cdb_item_text(cm, &l.items[i], "cert-pem");
		const char *key = cdb_item_text(cm, &l.items[i], "key-pem");
		const char *trusted = cdb_item_text(cm, &l.items[i], "trusted");
		const char *revoked = cdb_item_text(cm, &l.items[i], "revoked");
		int is_mine = mine && name && !strcmp(mine, name);

		if (is_mine || (trusted && !strcmp(trusted, "yes")))
			cdb_buf_printf(b, "cert %s %s %s %s\n", name, pem ? pem : "",
				       is_mine && key ? key : "", revoked ? revoked : "");
	}
	cdb_item_list_free(&l);
	/* a new CRL (a revocation) restarts the tunnel: the peers connect
	 * again and the revoked one is refused */
	cm = cdb_menu_find(db->cat, "/certificate/crl");
	if (!cm || cdb_item_list(db, cm, &l, &err))
		return;
	for (int i = 0; i < l.n; i++) {
		const char *fp = cdb_item_text(cm, &l.items[i], "fingerprint");

		cdb_buf_printf(b, "crl %s\n", fp ? fp : "");
	}
	cdb_item_list_free(&l);
}

char *
tunnel_fingerprint(struct cdb *db, const struct cdb_menu *m, const struct cdb_item *it,
		   const char *extra)
{
	struct cdb_buf b = { 0 };

	for (int i = 0; i < m->nprops; i++) {
		const char *v = cdb_item_value(m, it, i);

		if (!(m->props[i].flags & P_READONLY))
			cdb_buf_printf(&b, "%s=%s\n", m->props[i].name, v ? v : "");
	}
	cdb_buf_printf(&b, "%s", extra ? extra : "");
	fingerprint_certs(db, cdb_item_text(m, it, "certificate"), &b);
	return b.s ? b.s : strdup("");
}

void
tunnel_encoding(char *buf, size_t len, const char *cipher, const char *digest)
{
	int aead = strstr(cipher, "GCM") || strstr(cipher, "CHACHA");
	int hmac = !aead && digest && strcmp(digest, "none");

	snprintf(buf, len, "%s%s%s", cipher, hmac ? " " : "", hmac ? digest : "");
}
