/* cmd_crl.c: revocation: /certificate revoke, the CRLs of the router's own
 * authorities (issued again at every revocation, kept in /certificate crl
 * and published as CA.crl in the file store) and CRLs imported from files
 * and profiles. The CRLs themselves are made and checked in pki/crl.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "files.h"
#include "items.h"
#include "pki.h"

/* A CRL we issue is good until the CA itself ends (pki_crl_issue never
 * lets it outlive the CA): the router issues it again at every
 * revocation, and a CRL that expired would lock out every peer. */
#define CRL_DAYS 36500

static void
time_text(long long t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, len, "%s", "");
}

static long long
time_parse(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return (long long)time(NULL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm);
}

/* The CRL address written into what a CA signs: http://HOST/crl/SERIAL.crl
 * with the CA's serial, as RouterOS writes it for ca-crl-host. An IPv6
 * address goes in brackets. 0, or -1 when HOST is no host name or address. */
int
sh_crl_url(const char *host, const char *serial, char *out, size_t len)
{
	size_t n = strlen(host);

	if (n == 0 || n > 253 || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"0123456789.-:") != n)
		return -1;
	snprintf(out, len, strchr(host, ':') ? "http://[%s]/crl/%s.crl" : "http://%s/crl/%s.crl",
		 host, serial);
	return 0;
}

/* The /certificate crl item of this CA (by name) or issuer, or 0. */
static long long
crl_item_of(struct cmdctx *c, const struct cdb_menu *cm, const char *ca, const char *issuer)
{
	struct cdb_item_list l;
	struct cdb_err e;
	long long id = 0;

	if (cdb_item_list(c->sh->db, cm, &l, &e))
		return 0;
	for (int i = 0; i < l.n && !id; i++) {
		const char *a = cdb_item_text(cm, &l.items[i], "ca");
		const char *is = cdb_item_text(cm, &l.items[i], "issuer");

		if ((ca && a && !strcmp(a, ca)) || (issuer && is && !strcmp(is, issuer)))
			id = l.items[i].id;
	}
	cdb_item_list_free(&l);
	return id;
}

/* The CRL into /certificate crl (a new item, or the CA's old one
 * replaced) and the L flag on the CA. */
static int
crl_store(struct cmdctx *c, long long ca_id, const char *ca, const char *pem, const char *url)
{
	const struct cdb_menu *saved = c->m;
	struct pki_crl_info in;
	char num[24], cnt[16], err[256];
	struct cdb_err e;
	long long id;
	int rc;

	if (pki_crl_get_info(pem, &in, err, sizeof(err)))
		return sh_fail(c->sh, c->cmdpos, "failure: %s", err);
	snprintf(num, sizeof(num), "%lld", in.number < 0 ? 0 : in.number);
	snprintf(cnt, sizeof(cnt), "%d", in.nrevoked);
	{
		struct cdb_kv kv[] = {
			{ "ca", ca }, { "url", url }, { "issuer", in.issuer },
			{ "this-update", in.this_update },
			{ "next-update", *in.next_update ? in.next_update : NULL },
			{ "crl-number", in.number < 0 ? NULL : num }, { "revoked-count", cnt },
			{ "fingerprint", in.fingerprint }, { "crl-pem", pem },
		};
		int n = sizeof(kv) / sizeof(kv[0]);

		c->m = cdb_menu_find(c->sh->db->cat, "/certificate/crl");
		id = crl_item_of(c, c->m, ca, in.issuer);
		if (id > 0) {
			rc = sh_set_system(c, id, kv, n);
		} else {
			c->sh->db->system = 1;
			rc = cdb_item_add(c->sh->db, c->m, kv, n, 0, &id, &e);
			c->sh->db->system = 0;
			if (rc)
				sh_fail(c->sh, c->cmdpos, "%s", e.msg);
		}
	}
	c->m = cdb_menu_find(c->sh->db->cat, "/certificate");
	if (!rc)
		rc = sh_set_system(c, ca_id, &(struct cdb_kv){ "crl", "yes" }, 1);
	c->m = saved;
	return rc;
}

/* Serials and times of what this CA issued and revoked; n entries, the
 * strings pointing into l. */
static struct pki_revoked *
revoked_by(const struct cdb_menu *m, const struct cdb_item_list *l, const char *ca, int *n)
{
	struct pki_revoked *r = calloc((size_t)l->n + 1, sizeof(*r));

	*n = 0;
	for (int i = 0; r && i < l->n; i++) {
		const struct cdb_item *it = &l->items[i];
		const char *by = cdb_item_text(m, it, "ca"), *name = cdb_item_text(m, it, "name");

		if (!by || strcmp(by, ca) || !strcmp(name, ca) ||
		    strcmp(cdb_item_text(m, it, "revoked"), "yes") ||
		    !cdb_item_text(m, it, "serial-number"))
			continue;
		r[*n].serial = cdb_item_text(m, it, "serial-number");
		r[(*n)++].when = time_parse(cdb_item_text(m, it, "revoked-time"));
	}
	return r;
}

/* The CA's CRL issued again: every certificate it revoked, the next number. */
static int
crl_reissue(struct cmdctx *c, const struct cdb_item *ca)
{
	const struct cdb_menu *cm = cdb_menu_find(c->sh->db->cat, "/certificate");
	const struct cdb_menu *crlm = cdb_menu_find(c->sh->db->cat, "/certificate/crl");
	const char *name = cdb_item_text(cm, ca, "name");
	struct cdb_item_list l;
	struct cdb_item old = { 0 };
	struct pki_revoked *r;
	struct cdb_err e;
	long long oid = crl_item_of(c, crlm, name, NULL), number = 1;
	const char *host = cdb_item_text(cm, ca, "ca-crl-host");
	char *pem = NULL, *file = NULL, err[256], url[300] = "";
	int n, rc = -1;

	if (oid > 0 && !cdb_item_get(c->sh->db, crlm, oid, &old, &e)) {
		const char *v = cdb_item_text(crlm, &old, "crl-number");

		number = (v ? atoll(v) : 0) + 1;
		cdb_item_clear(&old);
	}
	if (host && sh_crl_url(host, cdb_item_text(cm, ca, "serial-number"), url, sizeof(url)))
		url[0] = '\0';
	if (cdb_item_list(c->sh->db, cm, &l, &e))
		return sh_fail(c->sh, c->cmdpos, "%s", e.msg);
	if (!(r = revoked_by(cm, &l, name, &n)))
		sh_fail(c->sh, c->cmdpos, "failure: out of memory");
	else if (pki_crl_issue(cdb_item_text(cm, ca, "cert-pem"), cdb_item_text(cm, ca, "key-pem"),
			       r, n, number, CRL_DAYS, &pem, err, sizeof(err)))
		sh_fail(c->sh, c->cmdpos, "failure: the CRL of %s: %s", name, err);
	else if (!crl_store(c, ca->id, name, pem, *url ? url : NULL) && asprintf(&file, "%s.crl", name) > 0)
		rc = files_write(c->sh, c->cmdpos, file, pem, strlen(pem));
	free(file);
	free(pem);
	free(r);
	cdb_item_list_free(&l);
	return rc;
}

/* revoke NAME (cmd_cert.c found it): marks it revoked (R, revoked-time)
 * and issues its CA's CRL again, when the CA's key is here. */
int
sh_cert_revoke(struct cmdctx *c, const struct cdb_item *it)
{
	struct cdb_kv kv[2] = { { "revoked", "yes" }, { "revoked-time", NULL } };
	struct cdb_item ca = { 0 };
	struct cdb_err e;
	long long caid;
	char when[32];
	int rc;

	time_text((long long)time(NULL), when, sizeof(when));
	kv[1].value = when;
	if (strcmp(cdb_item_text(c->m, it, "revoked"), "yes") && sh_set_system(c, it->id, kv, 2))
		return -1;
	caid = cdb_item_by_key(c->sh->db, c->m, cdb_item_text(c->m, it, "ca"));
	if (caid <= 0 || cdb_item_get(c->sh->db, c->m, caid, &ca, &e) ||
	    !cdb_item_text(c->m, &ca, "key-pem")) {
		fprintf(c->sh->out, "  note: no CRL issued: the key of authority %s is not here\n",
			cdb_item_text(c->m, it, "ca"));
		cdb_item_clear(&ca);
		return 0;
	}
	rc = crl_reissue(c, &ca);
	cdb_item_clear(&ca);
	return rc;
}

/* The certificate here that signed the CRL: its item, 0 when none. */
static long long
crl_signer(struct cmdctx *c, const char *pem, char *name, size_t len)
{
	const struct cdb_menu *cm = cdb_menu_find(c->sh->db->cat, "/certificate");
	struct cdb_item_list l;
	struct cdb_err e;
	long long id = 0;

	if (cdb_item_list(c->sh->db, cm, &l, &e))
		return 0;
	for (int i = 0; i < l.n && !id; i++) {
		const char *cert = cdb_item_text(cm, &l.items[i], "cert-pem");

		if (cert && !strcmp(cdb_item_text(cm, &l.items[i], "authority"), "yes") &&
		    !pki_crl_verify(pem, cert, NULL, 0)) {
			id = l.items[i].id;
			snprintf(name, len, "%s", cdb_item_text(cm, &l.items[i], "name"));
		}
	}
	cdb_item_list_free(&l);
	return id;
}

/* A CRL from a file or a profile into /certificate crl. Its authority
 * must be here already (it is what proves the CRL); url says where it came
 * from. */
int
sh_crl_import_text(struct cmdctx *c, const unsigned char *data, size_t len, const char *url)
{
	struct pki_crl_info in;
	char *pem = NULL, err[256], ca[128] = "";
	long long id;
	int rc = -1;

	if (pki_crl_read(data, len, &pem, err, sizeof(err)) ||
	    pki_crl_get_info(pem, &in, err, sizeof(err))) {
		free(pem);
		return sh_fail(c->sh, c->cmdpos, "failure: %s", err);
	}
	if ((id = crl_signer(c, pem, ca, sizeof(ca))) <= 0)
		sh_fail(c->sh, c->cmdpos, "failure: the CRL of %s is signed by no authority in "
			"/certificate; import its CA certificate first", in.issuer);
	else if (in.next_epoch && in.next_epoch < (long long)time(NULL))
		sh_fail(c->sh, c->cmdpos, "failure: the CRL of %s expired at %s (next-update)",
			in.issuer, in.next_update);
	else
		rc = crl_store(c, id, ca, pem, url);
	free(pem);
	return rc;
}

/* /certificate crl add: RouterOS downloads the CRL from url=; we do not. */
int
cmd_crl_add(struct cmdctx *c)
{
	return sh_fail(c->sh, c->cmdpos, "failure: CRLs are not downloaded here; import a CRL "
		       "file with /certificate import file-name=FILE (revoke issues the "
		       "router's own)");
}
