/* crl_test.c: unit tests of the revocation lists pki/crl.c makes and reads.
 * An RSA and an EC CA each revoke a certificate; the CRL must read back
 * (issuer, dates, number, count), verify with its CA and no other, list the
 * revoked certificate and not the other one, and, with Debian's openssl
 * command, parse as a v2 CRL and make `openssl verify -crl_check` refuse
 * the revoked certificate and accept the other. Without openssl those
 * checks are skipped and said so. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pki.h"
#include "check.h"

static char dir[64];
static int have_openssl;

static int
run(const char *fmt, ...)
{
	char cmd[2048], full[2300];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd %s && ( %s ) >/dev/null 2>&1", dir, cmd);
	st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
put(const char *name, const void *data, size_t len)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "wb");
	CHECK(f && fwrite(data, 1, len, f) == len, "cannot write %s", name);
	if (f)
		fclose(f);
}

/* A command's output in a file of the test directory, read back. */
static char *
output(const char *cmd)
{
	char p[256], *text;
	FILE *f;
	long n;

	run("%s > out.txt 2>&1", cmd);
	snprintf(p, sizeof(p), "%s/out.txt", dir);
	if (!(f = fopen(p, "rb")))
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (text && n > 0 && fread(text, 1, (size_t)n, f) != (size_t)n)
		text[0] = '\0';
	fclose(f);
	return text ? text : strdup("");
}

struct pki {
	char *ca_key, *ca, *bad_key, *bad, *good_key, *good;
	struct pki_cert_info bad_info;
};

static char *
make(const char *cn, const char *type, const char *size, const char *usage, long long serial,
     const char *ca, const char *ca_key, char **key)
{
	struct pki_template t = { 0 };
	char err[256] = "", *cert = NULL;

	t.common_name = cn;
	t.key_type = type;
	t.key_size = size;
	t.key_usage = usage;
	t.days_valid = 30;
	t.serial = serial;
	CHECK(pki_make_key(type, size, key, err, sizeof(err)) == 0 &&
	      pki_issue(&t, *key, ca, ca_key, &cert, err, sizeof(err)) == 0, "%s: %s", cn, err);
	return cert;
}

static void
make_pki(struct pki *p, const char *type, const char *size)
{
	char err[256];

	p->ca = make("CRL CA", type, size, "key-cert-sign,crl-sign", 1, NULL, NULL, &p->ca_key);
	/* a serial with the top bit set checks the INTEGER's sign byte */
	p->bad = make("revoked", type, size, "digital-signature,tls-client", 0x80ff, p->ca,
		      p->ca_key, &p->bad_key);
	p->good = make("kept", type, size, "digital-signature,tls-client", 0x1234, p->ca,
		       p->ca_key, &p->good_key);
	CHECK(p->bad && pki_get_info(p->bad, &p->bad_info, err, sizeof(err)) == 0, "info: %s", err);
}

static void
free_pki(struct pki *p)
{
	free(p->ca_key);
	free(p->ca);
	free(p->bad_key);
	free(p->bad);
	free(p->good_key);
	free(p->good);
}

static void
check_openssl(const struct pki *p, const char *crl, const char *what)
{
	char *text;

	put("ca.pem", p->ca, strlen(p->ca));
	put("bad.pem", p->bad, strlen(p->bad));
	put("good.pem", p->good, strlen(p->good));
	put("crl.pem", crl, strlen(crl));
	CHECK(run("openssl crl -in crl.pem -outform DER -out crl.der") == 0, "%s: to DER", what);
	text = output("openssl crl -inform DER -in crl.der -noout -text");
	CHECK(strstr(text, "Version 2") && strstr(text, "X509v3 CRL Number") &&
	      strstr(text, "Next Update") && strstr(text, "Serial Number: 80FF") &&
	      strstr(text, "X509v3 Authority Key Identifier"), "%s: openssl crl -text:\n%s",
	      what, text);
	free(text);
	CHECK(run("openssl crl -in crl.pem -CAfile ca.pem -noout") == 0, "%s: openssl verifies", what);
	CHECK(run("cat ca.pem crl.pem > chain.pem && openssl verify -crl_check -CAfile chain.pem "
		  "bad.pem") != 0, "%s: openssl refuses the revoked certificate", what);
	CHECK(run("openssl verify -crl_check -CAfile chain.pem good.pem") == 0,
	      "%s: openssl accepts the other", what);
}

static void
test_crl(const char *type, const char *size)
{
	struct pki p = { 0 }, other = { 0 };
	struct pki_revoked r = { 0 };
	struct pki_crl_info in;
	char err[256] = "", *crl = NULL, *empty = NULL, *again = NULL;
	long long now = (long long)time(NULL);

	make_pki(&p, type, size);
	make_pki(&other, type, size);
	r.serial = p.bad_info.serial;
	r.when = now - 60;
	CHECK(pki_crl_issue(p.ca, p.ca_key, &r, 1, 7, 30, &crl, err, sizeof(err)) == 0,
	      "%s CRL: %s", type, err);
	if (!crl)
		goto out;
	CHECK(!strncmp(crl, "-----BEGIN X509 CRL-----", 24), "%s: PEM label", type);
	CHECK(pki_crl_get_info(crl, &in, err, sizeof(err)) == 0 && in.number == 7 &&
	      in.nrevoked == 1 && !strcmp(in.issuer, "CN=CRL CA") &&
	      in.next_epoch - in.this_epoch >= 29 * 86400 && strlen(in.fingerprint) == 64,
	      "%s: info %s n=%lld r=%d issuer=%s", type, err, in.number, in.nrevoked, in.issuer);
	CHECK(pki_crl_verify(crl, p.ca, err, sizeof(err)) == 0, "%s: verifies: %s", type, err);
	CHECK(pki_crl_verify(crl, other.ca, err, sizeof(err)) != 0, "%s: other CA refused", type);
	CHECK(pki_crl_revokes(crl, p.ca, p.bad, err, sizeof(err)) == 1, "%s: lists it: %s", type,
	      err);
	CHECK(pki_crl_revokes(crl, p.ca, p.good, err, sizeof(err)) == 0, "%s: not the other: %s",
	      type, err);
	CHECK(pki_crl_issue(p.ca, p.ca_key, NULL, 0, 1, 30, &empty, err, sizeof(err)) == 0 &&
	      pki_crl_get_info(empty, &in, err, sizeof(err)) == 0 && in.nrevoked == 0 &&
	      pki_crl_revokes(empty, p.ca, p.bad, err, sizeof(err)) == 0, "%s: empty CRL: %s",
	      type, err);
	CHECK(pki_crl_issue(p.ca, other.ca_key, &r, 1, 2, 30, &again, err, sizeof(err)) != 0 &&
	      !again, "%s: another CA's key refused", type);
	if (have_openssl)
		check_openssl(&p, crl, type);
out:
	free(crl);
	free(empty);
	free_pki(&p);
	free_pki(&other);
}

/* DER in, PEM out; junk and truncations refused without a crash. */
static void
test_read(void)
{
	struct pki p = { 0 };
	char err[256] = "", *crl = NULL, *back = NULL, *der;
	size_t len;
	FILE *f;
	char fp[256];

	make_pki(&p, "ec", "prime256v1");
	CHECK(pki_crl_issue(p.ca, p.ca_key, NULL, 0, 3, 10, &crl, err, sizeof(err)) == 0, "%s", err);
	CHECK(pki_crl_read((const unsigned char *)"junk", 4, &back, err, sizeof(err)) != 0 &&
	      strstr(err, "no certificate revocation list"), "junk refused: %s", err);
	if (have_openssl && crl) {
		put("c.pem", crl, strlen(crl));
		run("openssl crl -in c.pem -outform DER -out c.der");
		snprintf(fp, sizeof(fp), "%s/c.der", dir);
		f = fopen(fp, "rb");
		der = calloc(1, 65536);
		len = f && der ? fread(der, 1, 65536, f) : 0;
		if (f)
			fclose(f);
		CHECK(len > 0 && pki_crl_read((unsigned char *)der, len, &back, err,
					      sizeof(err)) == 0 && back && !strcmp(back, crl),
		      "DER read back as the same PEM: %s", err);
		for (size_t cut = 1; der && cut < len; cut += 7) {
			char *x = NULL;

			CHECK(pki_crl_read((unsigned char *)der, cut, &x, err, sizeof(err)) != 0 && !x,
			      "truncated at %zu refused", cut);
		}
		free(der);
	}
	free(back);
	free(crl);
	free_pki(&p);
}

/* crl_url puts a CRL distribution point into what a CA signs. */
static void
test_dp(void)
{
	struct pki_template t = { 0 };
	char err[256] = "", *key = NULL, *ca_key = NULL, *ca, *cert = NULL, *text;

	ca = make("DP CA", "ec", "prime256v1", "key-cert-sign,crl-sign", 9, NULL, NULL, &ca_key);
	t.common_name = "dp";
	t.key_type = "ec";
	t.key_size = "prime256v1";
	t.key_usage = "digital-signature,tls-client";
	t.days_valid = 5;
	t.serial = 10;
	t.crl_url = "http://192.0.2.7/crl/09.crl";
	CHECK(pki_make_key("ec", "prime256v1", &key, err, sizeof(err)) == 0 &&
	      pki_issue(&t, key, ca, ca_key, &cert, err, sizeof(err)) == 0, "dp: %s", err);
	if (have_openssl && cert) {
		put("dp.pem", cert, strlen(cert));
		text = output("openssl x509 -in dp.pem -noout -text");
		CHECK(strstr(text, "X509v3 CRL Distribution Points") &&
		      strstr(text, "URI:http://192.0.2.7/crl/09.crl"), "dp in openssl:\n%s", text);
		free(text);
	}
	free(cert);
	cert = NULL;
	t.crl_url = "http://bad host/";
	CHECK(pki_issue(&t, key, ca, ca_key, &cert, err, sizeof(err)) != 0 && !cert &&
	      strstr(err, "blank"), "blank in the address refused: %s", err);
	free(key);
	free(ca_key);
	free(ca);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/crl_test.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	have_openssl = run("openssl version") == 0;
	if (!have_openssl)
		fprintf(stderr, "crl: no openssl command; interoperability checks skipped\n");
	test_crl("rsa", "2048");
	test_crl("ec", "prime256v1");
	test_read();
	test_dp();
	run("/bin/rm -rf %s", dir);
	printf("crl: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
