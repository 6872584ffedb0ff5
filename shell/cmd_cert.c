/* cmd_cert.c: the /certificate actions: sign, import, export-certificate,
 * revoke. The crypto is in pki/; this file moves PEM between it, the
 * database and the file store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "items.h"
#include "files.h"
#include "pki.h"

/* The one item a certificate action names (first unnamed or number=). */
static int
one_item(struct cmdctx *c, struct cdb_item *it)
{
	struct arg *a = arg_find(c, "number");
	struct cdb_err e;
	long long *ids;
	int n;

	if (!a)
		a = arg_find(c, "numbers");
	if (!a)
		a = arg_unnamed(c, 0);
	if (!a)
		return sh_fail(c->sh, c->cmdpos, "missing value of number");
	if (sh_items(c->sh, a->pos, c->m, &a->v, &ids, &n))
		return -1;
	if (n != 1) {
		free(ids);
		return sh_fail(c->sh, a->pos, "invalid internal item number");
	}
	if (cdb_item_get(c->sh->db, c->m, ids[0], it, &e)) {
		free(ids);
		return sh_fail(c->sh, a->pos, "%s", e.msg);
	}
	free(ids);
	return 0;
}

/* Facts of a signed or imported certificate, written back to its item. */
static int
store_facts(struct cmdctx *c, long long id, const char *cert, const char *key,
	    const char *ca_name, int issued)
{
	struct pki_cert_info in;
	char err[256];
	struct cdb_kv kv[16];
	int n = 0;

	if (pki_get_info(cert, &in, err, sizeof(err)))
		return sh_fail(c->sh, c->cmdpos, "failure: %s", err);
	kv[n++] = (struct cdb_kv){ "cert-pem", cert };
	if (key) {
		kv[n++] = (struct cdb_kv){ "key-pem", key };
		kv[n++] = (struct cdb_kv){ "private-key", "yes" };
	}
	kv[n++] = (struct cdb_kv){ "fingerprint", in.fingerprint };
	kv[n++] = (struct cdb_kv){ "serial-number", in.serial };
	kv[n++] = (struct cdb_kv){ "issuer", in.issuer };
	kv[n++] = (struct cdb_kv){ "invalid-before", in.not_before };
	kv[n++] = (struct cdb_kv){ "invalid-after", in.not_after };
	kv[n++] = (struct cdb_kv){ "authority", in.is_ca ? "yes" : "no" };
	kv[n++] = (struct cdb_kv){ "issued", issued ? "yes" : "no" };
	kv[n++] = (struct cdb_kv){ "expired", in.not_after_epoch < (long long)time(NULL) ?
					      "yes" : "no" };
	if (ca_name)
		kv[n++] = (struct cdb_kv){ "ca", ca_name };
	if (in.is_ca)
		kv[n++] = (struct cdb_kv){ "trusted", "yes" };
	return sh_set_system(c, id, kv, n);
}

static void
template_of(const struct cdb_menu *m, const struct cdb_item *it, struct pki_template *t)
{
	const char *days = cdb_item_text(m, it, "days-valid");

	memset(t, 0, sizeof(*t));
	t->common_name = cdb_item_text(m, it, "common-name");
	t->country = cdb_item_text(m, it, "country");
	t->state = cdb_item_text(m, it, "state");
	t->locality = cdb_item_text(m, it, "locality");
	t->organization = cdb_item_text(m, it, "organization");
	t->unit = cdb_item_text(m, it, "unit");
	t->subject_alt_name = cdb_item_text(m, it, "subject-alt-name");
	t->key_type = cdb_item_text(m, it, "key-type");
	t->key_size = cdb_item_text(m, it, "key-size");
	t->days_valid = days ? atoi(days) : 365;
	t->key_usage = cdb_item_text(m, it, "key-usage");
	/* unique enough per CA: seconds since 2020 in the high bits, item id low */
	t->serial = (((long long)time(NULL) - 1577836800LL) << 16) | (it->id & 0xffff);
}

/* A certificate signed by a CA signs nothing itself unless its key-usage
 * says key-cert-sign in so many words: the default usage (which makes a
 * self-signed root a CA) loses key-cert-sign and crl-sign. NULL when the
 * usage stands as given; else a copy the caller frees. */
static char *
issued_usage(const struct cdb_menu *m, const struct cdb_item *it)
{
	int k = cdb_prop_index(m, "key-usage");
	const char *use = cdb_item_text(m, it, "key-usage");
	char *out, *w, *save = NULL, *copy;
	size_t n = 0;

	if (k < 0 || it->v[k] || !use || !(copy = strdup(use)))
		return NULL;
	out = calloc(1, strlen(use) + 1);
	for (w = strtok_r(copy, ",", &save); w && out; w = strtok_r(NULL, ",", &save))
		if (strcmp(w, "key-cert-sign") && strcmp(w, "crl-sign"))
			n += (size_t)sprintf(out + n, "%s%s", n ? "," : "", w);
	free(copy);
	return out;
}

/* sign TEMPLATE name=NEW: RouterOS names the signed certificate anew. */
static int
rename_first(struct cmdctx *c, struct cdb_item *it, struct arg *name)
{
	struct cdb_kv kv = { "name", val_text(&name->v) };
	struct cdb_err e;
	long long id = it->id;

	if (cdb_item_set(c->sh->db, c->m, id, &kv, 1, &e))
		return sh_fail(c->sh, name->pos, "%s", e.msg);
	cdb_item_clear(it);
	if (cdb_item_get(c->sh->db, c->m, id, it, &e))
		return sh_fail(c->sh, name->pos, "%s", e.msg);
	return 0;
}

/* ca-crl-host: given on sign, or the one the CA was signed with. The
 * serial is the CA's; a self-signed CA's is its own, known before signing. */
static int
sign_crl_host(struct cmdctx *c, const struct cdb_item *ca, struct pki_template *t,
	      char *url, size_t len, const char **host)
{
	struct arg *a = arg_find(c, "ca-crl-host");
	char serial[40];

	*host = a ? val_text(&a->v) : ca ? cdb_item_text(c->m, ca, "ca-crl-host") : NULL;
	if (!*host || !**host)
		return 0;
	if (ca)
		snprintf(serial, sizeof(serial), "%s", cdb_item_text(c->m, ca, "serial-number"));
	else
		snprintf(serial, sizeof(serial), "%s%llX",
			 snprintf(NULL, 0, "%llX", t->serial) % 2 ? "0" : "", t->serial);
	if (sh_crl_url(*host, serial, url, len))
		return sh_fail(c->sh, a ? a->pos : c->cmdpos, "failure: ca-crl-host must be a host "
			       "name or an IP address");
	t->crl_url = url;
	return 0;
}

/* sign NAME [ca=CA] [name=NEW] [ca-crl-host=HOST]: make the key and the
 * certificate. */
int
cmd_cert_sign(struct cmdctx *c)
{
	static const char *const names[] = { "ca", "number", "numbers", "name", "ca-crl-host",
					     NULL };
	struct cdb_item it = { 0 }, ca = { 0 };
	struct arg *caarg = arg_find(c, "ca");
	struct pki_template t;
	char *key = NULL, *cert = NULL, *usage = NULL, err[256], url[300];
	const char *name, *host;
	int rc = -1;

	if (sh_only_args(c, names, 1) || one_item(c, &it))
		return -1;
	if (arg_find(c, "name") && rename_first(c, &it, arg_find(c, "name")))
		goto out;
	name = cdb_item_text(c->m, &it, "name");
	if (cdb_item_text(c->m, &it, "cert-pem")) {
		sh_fail(c->sh, c->cmdpos, "failure: certificate %s is already signed", name);
		goto out;
	}
	if (caarg) {
		long long caid = cdb_item_by_key(c->sh->db, c->m, val_text(&caarg->v));
		struct cdb_err e;

		if (caid <= 0 || cdb_item_get(c->sh->db, c->m, caid, &ca, &e)) {
			sh_fail(c->sh, caarg->pos, "input does not match any value of ca");
			goto out;
		}
		if (!cdb_item_text(c->m, &ca, "key-pem") ||
		    strcmp(cdb_item_text(c->m, &ca, "authority"), "yes")) {
			sh_fail(c->sh, caarg->pos, "failure: %s is no certificate authority with a "
				"private key", val_text(&caarg->v));
			goto out;
		}
	}
	template_of(c->m, &it, &t);
	if (sign_crl_host(c, caarg ? &ca : NULL, &t, url, sizeof(url), &host))
		goto out;
	if (caarg && (usage = issued_usage(c->m, &it)))
		t.key_usage = usage;
	else if (caarg && strstr(t.key_usage ? t.key_usage : "", "key-cert-sign"))
		fprintf(c->sh->out, "  note: %s may sign certificates itself (key-usage has "
			"key-cert-sign)\n", name);
	key = cdb_item_text(c->m, &it, "key-pem") ? strdup(cdb_item_text(c->m, &it, "key-pem")) : NULL;
	if ((!key && pki_make_key(t.key_type, t.key_size, &key, err, sizeof(err))) ||
	    pki_issue(&t, key, caarg ? cdb_item_text(c->m, &ca, "cert-pem") : NULL,
		      caarg ? cdb_item_text(c->m, &ca, "key-pem") : NULL, &cert, err, sizeof(err))) {
		sh_fail(c->sh, c->cmdpos, "failure: %s", err);
		goto out;
	}
	/* the item says what was signed: the narrowed usage, not the default */
	rc = usage ? sh_set_system(c, it.id, &(struct cdb_kv){ "key-usage", usage }, 1) : 0;
	/* a CA keeps its host for what it signs (RouterOS: sign CA ca-crl-host=) */
	if (!rc && !caarg && host && *host && strstr(t.key_usage ? t.key_usage : "", "key-cert-sign"))
		rc = sh_set_system(c, it.id, &(struct cdb_kv){ "ca-crl-host", host }, 1);
	if (!rc)
		rc = store_facts(c, it.id, cert, key, caarg ? val_text(&caarg->v) : name,
				 caarg != NULL);
	if (!rc)
		fprintf(c->sh->out, "  progress: done\n");
out:
	free(usage);
	free(key);
	free(cert);
	cdb_item_clear(&it);
	cdb_item_clear(&ca);
	return rc;
}

int
cmd_cert_revoke(struct cmdctx *c)
{
	static const char *const names[] = { "number", "numbers", NULL };
	struct cdb_item it = { 0 };
	int rc;

	if (sh_only_args(c, names, 1) || one_item(c, &it))
		return -1;
	if (strcmp(cdb_item_text(c->m, &it, "issued"), "yes"))
		rc = sh_fail(c->sh, c->cmdpos, "failure: only certificates issued by a local "
			     "authority can be revoked");
	else
		rc = sh_cert_revoke(c, &it);
	cdb_item_clear(&it);
	return rc;
}

/* export-certificate type=pkcs12: BASE.p12 holding the key, and the CA's
 * certificate when the CA is here too. */
static int
export_pkcs12(struct cmdctx *c, const struct cdb_item *it, const char *base, const char *pass)
{
	const char *cert = cdb_item_text(c->m, it, "cert-pem"), *key = cdb_item_text(c->m, it, "key-pem");
	const char *ca = NULL;
	long long caid = cdb_item_by_key(c->sh->db, c->m, cdb_item_text(c->m, it, "ca"));
	struct cdb_item cai = { 0 };
	struct cdb_err e;
	unsigned char *der = NULL;
	char *path = NULL, err[256];
	size_t len = 0;
	int rc;

	if (!key)
		return sh_fail(c->sh, c->cmdpos, "failure: %s has no private key to export",
			       cdb_item_text(c->m, it, "name"));
	if (!pass || !*pass)
		return sh_fail(c->sh, c->cmdpos, "failure: export-passphrase must be set to export a "
			       "private key");
	if (caid > 0 && caid != it->id && !cdb_item_get(c->sh->db, c->m, caid, &cai, &e))
		ca = cdb_item_text(c->m, &cai, "cert-pem");
	rc = pki_pkcs12(cert, key, ca, pass, &der, &len, err, sizeof(err));
	if (rc)
		sh_fail(c->sh, c->cmdpos, "failure: %s", err);
	else if (asprintf(&path, "%s.p12", base) > 0)
		rc = files_write(c->sh, c->cmdpos, path, (const char *)der, len);
	free(der);
	free(path);
	cdb_item_clear(&cai);
	return rc;
}

/* export-certificate NAME [export-passphrase=P] [type=pem|pkcs12]: files
 * cert_export_NAME.crt, and .key when a passphrase encrypts it; or
 * cert_export_NAME.p12. */
int
cmd_cert_export(struct cmdctx *c)
{
	static const char *const names[] = { "number", "numbers", "export-passphrase", "type",
					     "file-name", NULL };
	struct arg *pass = arg_find(c, "export-passphrase"), *type = arg_find(c, "type");
	struct arg *fname = arg_find(c, "file-name");
	struct cdb_item it = { 0 };
	const char *cert, *key, *name;
	char *base = NULL, *path = NULL, err[256];
	int rc = -1;

	if (sh_only_args(c, names, 1) || one_item(c, &it))
		return -1;
	name = cdb_item_text(c->m, &it, "name");
	cert = cdb_item_text(c->m, &it, "cert-pem");
	key = cdb_item_text(c->m, &it, "key-pem");
	if (!cert) {
		sh_fail(c->sh, c->cmdpos, "failure: certificate %s is not signed", name);
		goto out;
	}
	if (type && strcmp(val_text(&type->v), "pem") && strcmp(val_text(&type->v), "pkcs12")) {
		sh_fail(c->sh, type->pos, "input does not match any value of type");
		goto out;
	}
	if (pass && *val_text(&pass->v) && strlen(val_text(&pass->v)) < 8) {
		sh_fail(c->sh, pass->pos, "failure: export passphrase must be at least 8 characters");
		goto out;
	}
	if (fname)
		base = strdup(val_text(&fname->v));
	else if (asprintf(&base, "cert_export_%s", name) < 0)
		goto out;
	if (type && !strcmp(val_text(&type->v), "pkcs12")) {
		rc = export_pkcs12(c, &it, base, pass ? val_text(&pass->v) : NULL);
		goto out;
	}
	if (asprintf(&path, "%s.crt", base) < 0 ||
	    files_write(c->sh, c->cmdpos, path, cert, strlen(cert)))
		goto out;
	rc = 0;
	/* as RouterOS: the private key leaves only encrypted, with a passphrase */
	if (key && pass && *val_text(&pass->v)) {
		char *out = NULL;

		free(path);
		path = NULL;
		if (pki_key_encrypt(key, val_text(&pass->v), &out, err, sizeof(err))) {
			rc = sh_fail(c->sh, c->cmdpos, "failure: %s", err);
			goto out;
		}
		rc = asprintf(&path, "%s.key", base) < 0 ? -1 :
		     files_write(c->sh, c->cmdpos, path, out, strlen(out));
		free(out);
	}
out:
	free(base);
	free(path);
	cdb_item_clear(&it);
	return rc;
}

/* The item holding a certificate with this fingerprint, or 0. */
static long long
by_fingerprint(struct cmdctx *c, const char *fp)
{
	struct cdb_item_list l;
	struct cdb_err e;
	long long id = 0;

	if (cdb_item_list(c->sh->db, c->m, &l, &e))
		return 0;
	for (int i = 0; i < l.n && !id; i++) {
		const char *f = cdb_item_text(c->m, &l.items[i], "fingerprint");

		if (f && !strcmp(f, fp))
			id = l.items[i].id;
	}
	cdb_item_list_free(&l);
	return id;
}

/* A free name: the file's name, then NAME_1, NAME_2 ... */
static char *
free_name(struct cmdctx *c, const char *want)
{
	char *name = strdup(want);

	for (int k = 1; cdb_item_by_key(c->sh->db, c->m, name) > 0; k++) {
		free(name);
		if (asprintf(&name, "%s_%d", want, k) < 0)
			return NULL;
	}
	return name;
}

/* Add one imported certificate (or find it already there). */
static int
import_cert(struct cmdctx *c, const char *pem, const char *want, long long *id, int *added)
{
	struct pki_cert_info in;
	char err[256], *name;
	struct cdb_err e;
	int rc;

	*added = 0;
	if (pki_get_info(pem, &in, err, sizeof(err)))
		return sh_fail(c->sh, c->cmdpos, "failure: %s", err);
	if ((*id = by_fingerprint(c, in.fingerprint)) > 0)
		return 0;
	if (!(name = free_name(c, want)))
		return -1;
	{
		struct cdb_kv kv[] = {
			{ "name", name }, { "common-name", in.subject_cn },
			{ "key-type", in.key_type }, { "key-size", in.key_size },
		};

		c->sh->db->system = 1;
		rc = cdb_item_add(c->sh->db, c->m, kv, 4, 0, id, &e);
		c->sh->db->system = 0;
	}
	free(name);
	if (rc)
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	*added = 1;
	return store_facts(c, *id, pem, NULL, NULL, 0);
}

/* Give a key to the certificate (new or old) whose public key it is. */
static int
pair_key(struct cmdctx *c, const char *key, int *paired)
{
	struct cdb_item_list l;
	struct cdb_err e;
	int rc = 0;

	*paired = 0;
	if (cdb_item_list(c->sh->db, c->m, &l, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	for (int i = 0; i < l.n && !*paired; i++) {
		const char *cert = cdb_item_text(c->m, &l.items[i], "cert-pem");
		struct cdb_kv kv[] = { { "key-pem", key }, { "private-key", "yes" } };

		if (!cert || !pki_key_matches(cert, key))
			continue;
		*paired = 1;
		rc = sh_set_system(c, l.items[i].id, kv, 2);
	}
	cdb_item_list_free(&l);
	return rc;
}

/* Certificates and keys found in data go into /certificate (c->m may be any
 * menu). *first names the first certificate (added or already there). */
int
sh_cert_import_text(struct cmdctx *c, const unsigned char *data, size_t len,
		    const char *pass, const char *want, char **first, int counts[3])
{
	const struct cdb_menu *saved = c->m;
	struct pki_bundle b = { 0 };
	char err[256];
	int rc = -1;

	if (first)
		*first = NULL;
	memset(counts, 0, 3 * sizeof(int));
	if (pki_import(data, len, pass, &b, err, sizeof(err)))
		return sh_fail(c->sh, c->cmdpos, "failure: %s", err);
	c->m = cdb_menu_find(c->sh->db->cat, "/certificate");
	for (int i = 0; i < b.ncerts; i++) {
		long long id;
		int added;

		if (import_cert(c, b.certs[i], want, &id, &added))
			goto out;
		counts[0] += added;
		if (first && !*first) {
			struct cdb_item it;
			struct cdb_err e;

			if (!cdb_item_get(c->sh->db, c->m, id, &it, &e)) {
				*first = strdup(cdb_item_text(c->m, &it, "name"));
				cdb_item_clear(&it);
			}
		}
	}
	for (int i = 0; i < b.nkeys; i++) {
		int paired;

		if (pair_key(c, b.keys[i], &paired))
			goto out;
		counts[1] += paired;
		counts[2] += !paired;
	}
	rc = 0;
out:
	c->m = saved;
	pki_bundle_free(&b);
	return rc;
}

/* import file-name=NAME [passphrase=P] [name=N] */
int
cmd_cert_import(struct cmdctx *c)
{
	static const char *const names[] = { "file-name", "passphrase", "name", NULL };
	struct arg *file = arg_find(c, "file-name"), *pass = arg_find(c, "passphrase");
	struct arg *nm = arg_find(c, "name");
	char *text, *want;
	size_t len;
	int counts[3], rc;

	if (sh_only_args(c, names, 0))
		return -1;
	if (!file)
		return sh_fail(c->sh, c->cmdpos, "missing value of file-name");
	if (files_read(c->sh, file->pos, val_text(&file->v), &text, &len))
		return -1;
	/* a CRL file goes to /certificate crl (cmd_crl.c) */
	if (pki_crl_read((unsigned char *)text, len, &want, NULL, 0) == 0) {
		free(want);
		rc = sh_crl_import_text(c, (unsigned char *)text, len, val_text(&file->v));
		if (!rc)
			fprintf(c->sh->out, "             crls-imported: 1\n");
		free(text);
		return rc;
	}
	want = strdup(nm ? val_text(&nm->v) : val_text(&file->v));
	if (!nm && strrchr(want, '.'))
		*strrchr(want, '.') = '\0';
	rc = sh_cert_import_text(c, (unsigned char *)text, len, pass ? val_text(&pass->v) : NULL,
				 want, NULL, counts);
	if (!rc)
		fprintf(c->sh->out, "     certificates-imported: %d\n     private-keys-imported: %d\n"
			"            files-imported: 1\n       decryption-failures: 0\n"
			"  keys-with-no-certificate: %d\n", counts[0], counts[1], counts[2]);
	free(text);
	free(want);
	return rc;
}
