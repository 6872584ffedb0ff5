/* cmd_ovpn.c: .ovpn profiles in and out: export-client-configuration on a
 * server writes one for a road warrior; import-ovpn-configuration makes a
 * client interface (and its certificates) from one. The text format is the
 * business of ovpn_read.c and ovpn_write.c; this file maps it to and from
 * our menus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "files.h"
#include "ovpn_import.h"
#include "ovpn_profile.h"
#include "pki.h"

/* PEM of a certificate (or its key) named either as a /certificate item or
 * as a file in the store. */
static int
pem_of(struct cmdctx *c, struct arg *a, int key, char **pem)
{
	const struct cdb_menu *cm = cdb_menu_find(c->sh->db->cat, "/certificate");
	long long id = cdb_item_by_key(c->sh->db, cm, val_text(&a->v));
	size_t len;

	*pem = NULL;
	if (id > 0) {
		struct cdb_item it;
		struct cdb_err e;
		const char *v;

		if (cdb_item_get(c->sh->db, cm, id, &it, &e))
			return sh_fail(c->sh, a->pos, "%s", e.msg);
		v = cdb_item_text(cm, &it, key ? "key-pem" : "cert-pem");
		*pem = v ? strdup(v) : NULL;
		cdb_item_clear(&it);
		if (!*pem)
			return sh_fail(c->sh, a->pos, "failure: certificate %s has no %s",
				       val_text(&a->v), key ? "private key" : "signed certificate");
		return 0;
	}
	return files_read(c->sh, a->pos, val_text(&a->v), pem, &len);
}

/* The server's cipher set as data-ciphers (OpenVPN's names, from the
 * schema); Blowfish only when nothing better is allowed, since stock
 * clients need the legacy provider for it. */
static int
data_ciphers(const struct cdb_prop *cp, const char *set, char *out, size_t len)
{
	char *copy = strdup(set), *save = NULL, *w;
	int bf = 0, n = 0;

	out[0] = '\0';
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		const char *o = cdb_enum_wire(cp, w);

		if (!o || !strcmp(w, "null"))
			continue;
		if (!strcmp(w, "blowfish128")) {
			bf = 1;
			continue;
		}
		snprintf(out + strlen(out), len - strlen(out), "%s%s", n++ ? ":" : "", o);
	}
	free(copy);
	if (!n && bf)
		snprintf(out, len, "BF-CBC");
	return !n && bf;
}

static void
fill_export(const struct cdb_menu *m, const struct cdb_item *srv, const char *address,
	    const char *cn, struct ovpn_profile *p)
{
	const char *auth = cdb_item_text(m, srv, "auth"), *comma;
	const char *ta = cdb_item_text(m, srv, "tls-auth-key");
	const char *tc = cdb_item_text(m, srv, "tls-crypt-key");

	memset(p, 0, sizeof(*p));
	snprintf(p->remotes[0].host, sizeof(p->remotes[0].host), "%s", address);
	p->nremotes = 1;
	p->port = atoi(cdb_item_text(m, srv, "port"));
	snprintf(p->proto, sizeof(p->proto), "%s", cdb_item_text(m, srv, "protocol"));
	snprintf(p->dev, sizeof(p->dev), "%s",
		 strcmp(cdb_item_text(m, srv, "mode"), "ethernet") ? "tun" : "tap");
	data_ciphers(cdb_prop_find(m, "cipher"), cdb_item_text(m, srv, "cipher"), p->data_ciphers,
		     sizeof(p->data_ciphers));
	/* the first digest the server takes that is not null */
	while (auth && !strncmp(auth, "null", 4) && (comma = strchr(auth, ',')))
		auth = comma + 1;
	if (auth && strncmp(auth, "null", 4)) {
		char first[16];

		snprintf(first, sizeof(first), "%.*s", (int)strcspn(auth, ","), auth);
		snprintf(p->auth, sizeof(p->auth), "%s", cdb_enum_wire(cdb_prop_find(m, "auth"), first));
	}
	p->auth_user_pass = 1;
	snprintf(p->remote_cert_tls, sizeof(p->remote_cert_tls), "server");
	if (cn && *cn) {
		snprintf(p->verify_x509_name, sizeof(p->verify_x509_name), "%s", cn);
		snprintf(p->verify_x509_type, sizeof(p->verify_x509_type), "name");
	}
	snprintf(p->tls_version_min, sizeof(p->tls_version_min), "1.2");
	p->fragment = atoi(cdb_item_text(m, srv, "fragment"));	/* disabled: 0 */
	p->key_direction = -1;
	if (ta && *ta) {
		p->tls_auth = strdup(ta);
		p->key_direction = 1;
	}
	if (tc && *tc)
		p->tls_crypt = strdup(tc);
}

/* With key-passphrase the inline key travels encrypted (OpenVPN asks for the
 * passphrase); a key that is encrypted already stays as it is. */
static int
export_encrypt_key(struct cmdctx *c, struct arg *pass, char **key)
{
	char err[256], *out;

	if (strstr(*key, "ENCRYPTED"))
		return 0;
	if (pki_key_encrypt(*key, val_text(&pass->v), &out, err, sizeof(err)))
		return sh_fail(c->sh, pass->pos, "failure: %s", err);
	free(*key);
	*key = out;
	return 0;
}

/* The server named by server= (or the only one). */
static int
find_server(struct cmdctx *c, struct cdb_item *srv)
{
	struct arg *a = arg_find(c, "server");
	struct cdb_item_list l;
	struct cdb_err e;
	long long id = 0;

	if (a && (id = cdb_item_by_key(c->sh->db, c->m, val_text(&a->v))) <= 0)
		return sh_fail(c->sh, a->pos, "input does not match any value of server");
	if (!a) {
		if (cdb_item_list(c->sh->db, c->m, &l, &e))
			return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
		id = l.n == 1 ? l.items[0].id : 0;
		cdb_item_list_free(&l);
		if (!id)
			return sh_fail(c->sh, c->cmdpos, "missing value of server");
	}
	if (cdb_item_get(c->sh->db, c->m, id, srv, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	return 0;
}

/* The common name of the server's certificate, for verify-x509-name. */
static char *
server_cn(struct cmdctx *c, const struct cdb_item *srv)
{
	const struct cdb_menu *cm = cdb_menu_find(c->sh->db->cat, "/certificate");
	const char *name = cdb_item_text(c->m, srv, "certificate");
	long long id = name ? cdb_item_by_key(c->sh->db, cm, name) : 0;
	struct cdb_item it;
	struct cdb_err e;
	char *cn = NULL;

	if (id > 0 && !cdb_item_get(c->sh->db, cm, id, &it, &e)) {
		const char *v = cdb_item_text(cm, &it, "common-name");

		cn = v && *v ? strdup(v) : NULL;
		cdb_item_clear(&it);
	}
	return cn;
}

/* export-client-configuration server=S server-address=A ca-certificate=C
 *   client-certificate=N [client-cert-key=K] [key-passphrase=P] [file-name=F] */
int
cmd_ovpn_export(struct cmdctx *c)
{
	static const char *const names[] = { "server", "server-address", "ca-certificate",
		"client-certificate", "client-cert-key", "key-passphrase", "file-name", NULL };
	struct arg *addr = arg_find(c, "server-address"), *ca = arg_find(c, "ca-certificate");
	struct arg *crt = arg_find(c, "client-certificate"), *key = arg_find(c, "client-cert-key");
	struct arg *pass = arg_find(c, "key-passphrase"), *fname = arg_find(c, "file-name");
	struct cdb_item srv = { 0 };
	struct ovpn_profile p;
	char *cn = NULL, *text = NULL, *file = NULL;
	int rc = -1;

	if (sh_only_args(c, names, 0) || find_server(c, &srv))
		return -1;
	if (strcmp(cdb_item_text(c->m, &srv, "require-client-certificate"), "yes")) {
		sh_fail(c->sh, c->cmdpos, "failure: server %s must have require-client-certificate=yes "
			"to export a client configuration", cdb_item_text(c->m, &srv, "name"));
		goto out;
	}
	if (!addr || !ca || !crt) {
		sh_fail(c->sh, c->cmdpos, "missing value of %s",
			!addr ? "server-address" : !ca ? "ca-certificate" : "client-certificate");
		goto out;
	}
	cn = server_cn(c, &srv);
	fill_export(c->m, &srv, val_text(&addr->v), cn, &p);
	if (pem_of(c, ca, 0, &p.ca) || pem_of(c, crt, 0, &p.cert) ||
	    pem_of(c, key ? key : crt, 1, &p.key))
		goto done;
	if (!strstr(p.key, "PRIVATE KEY")) {
		sh_fail(c->sh, key ? key->pos : crt->pos, "failure: no private key in %s",
			val_text(key ? &key->v : &crt->v));
		goto done;
	}
	if (!strstr(p.cert, "CERTIFICATE") || !strstr(p.ca, "CERTIFICATE")) {
		sh_fail(c->sh, c->cmdpos, "failure: ca-certificate and client-certificate must "
			"hold certificates");
		goto done;
	}
	if (pass && *val_text(&pass->v) && export_encrypt_key(c, pass, &p.key))
		goto done;
	if (!(text = ovpn_write(&p))) {
		sh_fail(c->sh, c->cmdpos, "failure: these values can not be written in a .ovpn file");
		goto done;
	}
	if (fname)
		rc = asprintf(&file, "%s", val_text(&fname->v));
	else
		rc = asprintf(&file, "%s", val_text(&crt->v));
	if (rc < 0)
		goto done;
	if (strlen(file) > 4 && (!strcmp(file + strlen(file) - 4, ".crt") ||
				 !strcmp(file + strlen(file) - 4, ".pem")))
		file[strlen(file) - 4] = '\0';
	if (strlen(file) < 5 || strcmp(file + strlen(file) - 5, ".ovpn")) {
		char *full;

		rc = asprintf(&full, "%s.ovpn", file);
		free(file);
		file = rc < 0 ? NULL : full;
	}
	rc = file ? files_write(c->sh, c->cmdpos, file, text, strlen(text)) : -1;
	if (!rc)
		fprintf(c->sh->out, "  file: %s\n", file);
done:
	ovpn_profile_free(&p);
out:
	free(cn);
	free(text);
	free(file);
	cdb_item_clear(&srv);
	return rc;
}

/* The first cipher of the profile that we run: data-ciphers in order, then
 * cipher, then OpenVPN 2.6's default list. */
static const char *
pick_cipher(const struct cdb_prop *cp, const struct ovpn_profile *p)
{
	char list[600], *save = NULL, *w;

	/* with data-ciphers (offered in their order), cipher is the fallback */
	if (p->data_ciphers[0] && p->cipher[0] && strcasecmp(p->cipher, "none") &&
	    cdb_enum_by_wire(cp, p->cipher))
		return cdb_enum_by_wire(cp, p->cipher);
	snprintf(list, sizeof(list), "%s:%s", p->data_ciphers, p->cipher);
	if (!p->data_ciphers[0] && !p->cipher[0])
		snprintf(list, sizeof(list), "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305");
	for (w = strtok_r(list, ":", &save); w; w = strtok_r(NULL, ":", &save))
		if (cdb_enum_by_wire(cp, w) && strcasecmp(w, "none"))
			return cdb_enum_by_wire(cp, w);
	return NULL;
}

/* host:port:proto for every remote after the first */
static char *
backup_remotes(const struct ovpn_profile *p)
{
	char *out = calloc(1, 1100);
	size_t len = 0;

	for (int i = 1; i < p->nremotes && len < 1000; i++)
		len += snprintf(out + len, 1100 - len, "%s%s:%d:%s", i > 1 ? "," : "",
				p->remotes[i].host, p->remotes[i].port ? p->remotes[i].port : p->port,
				p->remotes[i].proto[0] ? p->remotes[i].proto : p->proto);
	return out;
}

/* Certificates of the profile into /certificate; the client's own name. */
static int
import_certs(struct cmdctx *c, const struct ovpn_profile *p, const char *base,
	     const char *pass, char **client)
{
	char want[300];
	int counts[3];

	*client = NULL;
	if (p->ca) {
		snprintf(want, sizeof(want), "%s-ca", base);
		if (sh_cert_import_text(c, (const unsigned char *)p->ca, strlen(p->ca), NULL, want,
					NULL, counts))
			return -1;
	}
	if (p->cert) {
		struct cdb_buf both = { 0 };
		int rc;

		cdb_buf_printf(&both, "%s\n%s", p->cert, p->key ? p->key : "");
		snprintf(want, sizeof(want), "%s", base);
		rc = sh_cert_import_text(c, (const unsigned char *)both.s, both.len, pass, want,
					 client, counts);
		free(both.s);
		if (rc)
			return -1;
		if (p->key && counts[1] + counts[2] == 0)
			return sh_fail(c->sh, c->cmdpos, "failure: the profile's key is not the key "
				       "of its certificate");
	}
	return 0;
}

/* The /certificate names of the profile's CA certificates, comma
 * separated, found by fingerprint (just imported, or there before when
 * skip-cert-import=yes). */
static int
ca_names(struct cmdctx *c, const char *ca, int skipping, char **out)
{
	const struct cdb_menu *cm = cdb_menu_find(c->sh->db->cat, "/certificate");
	struct pki_bundle b = { 0 };
	struct cdb_item_list l;
	struct cdb_buf names = { 0 };
	struct cdb_err e;
	char err[256];
	int rc = 0;

	*out = NULL;
	if (pki_import((const unsigned char *)ca, strlen(ca), NULL, &b, err, sizeof(err)))
		return sh_fail(c->sh, c->cmdpos, "failure: the profile's ca: %s", err);
	if (cdb_item_list(c->sh->db, cm, &l, &e)) {
		pki_bundle_free(&b);
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	}
	for (int i = 0; i < b.ncerts && !rc; i++) {
		struct pki_cert_info in;
		int k;

		if (pki_get_info(b.certs[i], &in, err, sizeof(err))) {
			rc = sh_fail(c->sh, c->cmdpos, "failure: the profile's ca: %s", err);
			break;
		}
		for (k = 0; k < l.n; k++) {
			const char *fp = cdb_item_text(cm, &l.items[k], "fingerprint");

			if (fp && !strcmp(fp, in.fingerprint))
				break;
		}
		if (k == l.n)
			rc = sh_fail(c->sh, c->cmdpos, "failure: the profile's CA %s is not in "
				     "/certificate%s", in.subject_cn, skipping ? ": with "
				     "skip-cert-import=yes it must be imported and trusted first" : "");
		else
			cdb_buf_printf(&names, "%s%s", names.len ? "," : "",
				       cdb_item_text(cm, &l.items[k], "name"));
	}
	cdb_item_list_free(&l);
	pki_bundle_free(&b);
	if (rc)
		free(names.s);
	else
		*out = names.s;
	return rc;
}

/* How the imported client checks its server: as strictly as stock OpenVPN
 * 2.6 with the same profile. A ca means the chain is verified, to that CA
 * only; verify-x509-name without a type is OpenVPN's subject; a profile
 * with neither ca nor peer-fingerprint is refused, as openvpn refuses it. */
static int
add_verify(struct cmdctx *c, const struct ovpn_profile *p, int skipping, struct cdb_kv *kv,
	   int *n, char **cas)
{
	static char usage[32];

	*cas = NULL;
	if (!p->ca && !p->peer_fingerprint[0])
		return sh_fail(c->sh, c->cmdpos, "failure: the profile has neither ca nor "
			       "peer-fingerprint, so nothing can check the server (stock OpenVPN "
			       "refuses it too)");
	if (p->ca && ca_names(c, p->ca, skipping, cas))
		return -1;
	if (p->ca) {
		kv[(*n)++] = (struct cdb_kv){ "verify-server-certificate", "yes" };
		kv[(*n)++] = (struct cdb_kv){ "server-ca", *cas };
	}
	if (p->peer_fingerprint[0])
		kv[(*n)++] = (struct cdb_kv){ "server-fingerprint", p->peer_fingerprint };
	if (p->verify_x509_name[0]) {
		kv[(*n)++] = (struct cdb_kv){ "verify-server-name", p->verify_x509_name };
		kv[(*n)++] = (struct cdb_kv){ "verify-server-name-type", p->verify_x509_type[0] ?
					      p->verify_x509_type : "subject" };
	} else {
		kv[(*n)++] = (struct cdb_kv){ "verify-server-name-type", "none" };
	}
	snprintf(usage, sizeof(usage), "%s%s%s", p->remote_cert_tls[0] ? "tls-server" : "",
		 p->remote_cert_tls[0] && p->ns_cert_type ? "," : "",
		 p->ns_cert_type ? "ns-server" : "");
	if (usage[0])
		kv[(*n)++] = (struct cdb_kv){ "verify-server-usage", usage };
	if (!strcmp(p->tls_version_min, "1.3"))
		kv[(*n)++] = (struct cdb_kv){ "tls-version", "only-1.3" };
	return 0;
}

static int
add_client(struct cmdctx *c, const struct ovpn_profile *p, const char *name,
	   const char *cert, struct arg *user, struct arg *pw, int skipping)
{
	struct cdb_kv kv[56];
	char port[16], *extra = backup_remotes(p), *cas = NULL;
	const char *proto = p->remotes[0].proto[0] ? p->remotes[0].proto : p->proto;
	struct ovpn_map map;
	const char *cipher = pick_cipher(cdb_prop_find(c->m, "cipher"), p), *auth = p->auth[0] ?
		cdb_enum_by_wire(cdb_prop_find(c->m, "auth"), p->auth) : NULL;
	struct cdb_err e;
	long long id;
	int n = 0, rc;

	snprintf(port, sizeof(port), "%d", p->remotes[0].port ? p->remotes[0].port : p->port);
	kv[n++] = (struct cdb_kv){ "name", name };
	kv[n++] = (struct cdb_kv){ "connect-to", p->remotes[0].host };
	kv[n++] = (struct cdb_kv){ "port", port };
	kv[n++] = (struct cdb_kv){ "protocol", proto };
	kv[n++] = (struct cdb_kv){ "mode", strcmp(p->dev, "tap") ? "ip" : "ethernet" };
	kv[n++] = (struct cdb_kv){ "disabled", "no" };
	if (cipher)
		kv[n++] = (struct cdb_kv){ "cipher", cipher };
	if (p->auth[0] && !auth) {
		free(extra);
		return sh_fail(c->sh, c->cmdpos, "failure: the profile's auth %s is not supported",
			       p->auth);
	}
	if (auth)
		kv[n++] = (struct cdb_kv){ "auth", auth };
	if (user)
		kv[n++] = (struct cdb_kv){ "user", val_text(&user->v) };
	if (pw)
		kv[n++] = (struct cdb_kv){ "password", val_text(&pw->v) };
	if (cert)
		kv[n++] = (struct cdb_kv){ "certificate", cert };
	if (p->tls_auth)
		kv[n++] = (struct cdb_kv){ "tls-auth-key", p->tls_auth };
	if (p->tls_auth && p->key_direction >= 0)
		kv[n++] = (struct cdb_kv){ "key-direction", p->key_direction ? "1" : "0" };
	if (p->tls_crypt)
		kv[n++] = (struct cdb_kv){ "tls-crypt-key", p->tls_crypt };
	if (p->tls_crypt_v2)
		kv[n++] = (struct cdb_kv){ "tls-crypt-v2-key", p->tls_crypt_v2 };
	if (p->route_nopull)
		kv[n++] = (struct cdb_kv){ "route-nopull", "yes" };
	if (p->redirect_gateway)
		kv[n++] = (struct cdb_kv){ "add-default-route", "yes" };
	if (add_verify(c, p, skipping, kv, &n, &cas)) {
		free(extra);
		return -1;
	}
	if (*extra)
		kv[n++] = (struct cdb_kv){ "backup-remotes", extra };
	if (p->compression[0])
		kv[n++] = (struct cdb_kv){ "compression", p->compression };
	if ((n = ovpn_import_kv(c, p, &map, kv, n, (int)(sizeof(kv) / sizeof(kv[0])), user != NULL,
				 pw != NULL)) < 0) {
		free(extra);
		return -1;
	}
	rc = cdb_item_add(c->sh->db, c->m, kv, n, 0, &id, &e);
	free(extra);
	free(cas);
	if (rc)
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	ovpn_import_notes(c, p, &map);
	return 0;
}

/* A free interface name: ovpn-import1, ovpn-import2 ... */
static char *
import_name(struct cmdctx *c)
{
	char *name = NULL;

	for (int k = 1; k < 10000; k++) {
		free(name);
		if (asprintf(&name, "ovpn-import%d", k) < 0)
			return NULL;
		if (cdb_item_by_key(c->sh->db, c->m, name) <= 0)
			return name;
	}
	free(name);
	return NULL;
}

/* import-ovpn-configuration file-name=F [ovpn-user=U] [ovpn-password=P]
 *   [key-passphrase=K] [skip-cert-import=yes|no] [name=N]
 * All or nothing: the command's transaction holds the certificates and the
 * interface, and a failure anywhere leaves neither. */
int
cmd_ovpn_import(struct cmdctx *c)
{
	static const char *const names[] = { "file-name", "ovpn-user", "ovpn-password",
		"key-passphrase", "skip-cert-import", "name", NULL };
	struct arg *file = arg_find(c, "file-name"), *skip = arg_find(c, "skip-cert-import");
	struct arg *pass = arg_find(c, "key-passphrase"), *nm = arg_find(c, "name");
	struct ovpn_profile p;
	struct ovpn_store st;
	char *text, *name = NULL, *cert = NULL, err[300];
	size_t len;
	int line = 0, rc = -1, skipping;

	if (sh_only_args(c, names, 0))
		return -1;
	if (!file)
		return sh_fail(c->sh, c->cmdpos, "missing value of file-name");
	skipping = skip && !strcmp(val_text(&skip->v), "yes");
	if (skip && !skipping && strcmp(val_text(&skip->v), "no"))
		return sh_fail(c->sh, skip->pos, "input does not match any value of skip-cert-import");
	if (files_read(c->sh, file->pos, val_text(&file->v), &text, &len))
		return -1;
	memset(&p, 0, sizeof(p));
	ovpn_store_init(&st, c, val_text(&file->v));
	if (ovpn_parse(text, len, ovpn_store_read, &st, &p, err, sizeof(err), &line)) {
		free(text);
		if (line)
			return sh_fail(c->sh, file->pos, "failure: %s line %d: %s",
				       val_text(&file->v), line, err);
		return sh_fail(c->sh, file->pos, "failure: %s: %s", val_text(&file->v), err);
	}
	free(text);
	name = nm ? strdup(val_text(&nm->v)) : import_name(c);
	if (!skipping && ovpn_import_pkcs12(&st, &p, pass ? val_text(&pass->v) : NULL))
		goto out;
	if (!skipping && import_certs(c, &p, name, pass ? val_text(&pass->v) : NULL, &cert))
		goto out;
	/* crl-verify: into /certificate crl, checked by every tunnel trusting its CA */
	if (p.crl && sh_crl_import_text(c, (const unsigned char *)p.crl, strlen(p.crl),
					val_text(&file->v)))
		goto out;
	rc = add_client(c, &p, name, cert, arg_find(c, "ovpn-user"), arg_find(c, "ovpn-password"),
			skipping);
	if (!rc)
		fprintf(c->sh->out, "  interface: %s\n", name);
out:
	free(name);
	free(cert);
	ovpn_profile_free(&p);
	return rc;
}
