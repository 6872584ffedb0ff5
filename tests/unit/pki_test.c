/* pki_test.c: unit tests of the certificate library pki/. Builds a small PKI
 * (RSA CA, EC server, RSA client), checks what pki_get_info reads back,
 * and checks interoperability both ways with Debian's openssl command:
 * openssl must accept what we write, and we must read what openssl writes.
 * Without openssl those checks are skipped and said so. */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/pkcs12.h>
#include <wolfssl/wolfcrypt/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pki.h"
#include "check.h"

static int have_openssl;
static char dir[64];



static char *
path(const char *name)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void
put(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(path(name), "wb");

	if (!f || fwrite(data, 1, len, f) != len)
		CHECK(0, "cannot write %s", name);
	if (f)
		fclose(f);
}

static void
put_text(const char *name, const char *text)
{
	put(name, text, strlen(text));
}

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static unsigned char *
get(const char *name, size_t *len)
{
	FILE *f = fopen(path(name), "rb");
	unsigned char *p = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) && fread(p, 1, (size_t)n, f) == (size_t)n) {
		p[n] = '\0';
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

/* A shell command run in the test directory; its exit status. */
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

/* A command's stdout and stderr together, in a malloc'd string. */
static char *
output(const char *fmt, ...)
{
	char cmd[2048], full[2300];
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd %s && ( %s ) 2>&1", dir, cmd);
	if (!out || !(p = popen(full, "r"))) {
		free(out);
		return strdup("");
	}
	for (size_t n; (n = fread(out + len, 1, cap - len - 1, p)) > 0;) {
		len += n;
		if (cap - len < 1024) {
			char *bigger = realloc(out, cap *= 2);

			if (!bigger)
				break;
			out = bigger;
		}
	}
	out[len] = '\0';
	pclose(p);
	return out;
}

static void
has(const char *text, const char *want, const char *what)
{
	CHECK(strstr(text, want) != NULL, "%s: `%s' not in output:\n%s", what, want, text);
}

static struct pki_template
tpl(const char *cn, const char *type, const char *size, const char *usage, int days)
{
	struct pki_template t;

	memset(&t, 0, sizeof(t));
	t.common_name = cn;
	t.key_type = type;
	t.key_size = size;
	t.key_usage = usage;
	t.days_valid = days;
	t.serial = 1;
	return t;
}

/* The PKI the tests share. */
static char *ca_key, *ca_pem, *srv_key, *srv_pem, *cli_key, *cli_pem;

static void
test_keys(void)
{
	static const char *const specs[][2] = {
		{ "rsa", "1024" }, { "rsa", "2048" }, { "rsa", "4096" }, { "ec", "prime256v1" },
		{ "ec", "secp384r1" }, { "ec", "secp521r1" }, { NULL, NULL },
	};
	char err[256], *key;

	for (int i = 0; i < 7; i++) {
		const char *t = specs[i][0], *s = specs[i][1];
		struct pki_template tp = tpl("self", t, s, "key-cert-sign,crl-sign", 30);
		struct pki_cert_info in;
		char *cert = NULL;

		key = NULL;
		CHECK(pki_make_key(t, s, &key, err, sizeof(err)) == 0 && key &&
		      !strncmp(key, "-----BEGIN PRIVATE KEY-----\n", 28), "make_key %s %s: %s",
		      t, s, err);
		if (!key)
			continue;
		CHECK(pki_issue(&tp, key, NULL, NULL, &cert, err, sizeof(err)) == 0,
		      "self-signed %s %s: %s", t, s, err);
		if (cert && pki_get_info(cert, &in, err, sizeof(err)) == 0) {
			CHECK(!strcmp(in.key_type, t ? t : "rsa") &&
			      !strcmp(in.key_size, s ? s : "2048") && in.self_signed && in.is_ca,
			      "info of %s %s: %s %s", t, s, in.key_type, in.key_size);
			CHECK(pki_verify(cert, cert, err, sizeof(err)) == 0, "self verify %s", s);
		}
		if (cert && have_openssl) {
			put_text("k.pem", key);
			put_text("c.pem", cert);
			CHECK(run("openssl pkey -in k.pem -check -noout") == 0, "openssl pkey %s", s);
			CHECK(run("openssl verify -x509_strict -CAfile c.pem c.pem") == 0,
			      "openssl verify self-signed %s", s);
		}
		free(cert);
		free(key);
	}
	key = (char *)"x";
	CHECK(pki_make_key("rsa", "8192", &key, err, sizeof(err)) == -1 && !key &&
	      strstr(err, "8192"), "rsa 8192 refused: %s", err);
	CHECK(pki_make_key("ec", "2048", &key, err, sizeof(err)) == -1 && strstr(err, "ec"),
	      "ec 2048 refused: %s", err);
	CHECK(pki_make_key("dsa", "2048", &key, err, sizeof(err)) == -1 && strstr(err, "dsa"),
	      "dsa refused: %s", err);
}

static void
make_pki(void)
{
	struct pki_template ca = tpl("Test CA", "rsa", "2048", "key-cert-sign,crl-sign", 3650);
	struct pki_template srv = tpl("vpn.example.com", "ec", "prime256v1",
				      "digital-signature,key-encipherment,tls-server", 825);
	struct pki_template cli = tpl("client1", "rsa", "2048", "digital-signature,tls-client",
				      30);
	char err[256] = "";

	ca.organization = "Example Ltd";
	ca.country = "LV";
	srv.subject_alt_name = "DNS:vpn.example.com,IP:192.0.2.1";
	srv.country = "LV";
	srv.state = "Riga";
	srv.locality = "Riga";
	srv.organization = "Example, Ltd";
	srv.unit = "IT";
	srv.serial = 0x1234567890LL;
	cli.serial = 0x80;
	CHECK(pki_make_key(ca.key_type, ca.key_size, &ca_key, err, sizeof(err)) == 0 &&
	      pki_issue(&ca, ca_key, NULL, NULL, &ca_pem, err, sizeof(err)) == 0, "CA: %s", err);
	CHECK(pki_make_key(srv.key_type, srv.key_size, &srv_key, err, sizeof(err)) == 0 &&
	      pki_issue(&srv, srv_key, ca_pem, ca_key, &srv_pem, err, sizeof(err)) == 0,
	      "server: %s", err);
	CHECK(pki_make_key(cli.key_type, cli.key_size, &cli_key, err, sizeof(err)) == 0 &&
	      pki_issue(&cli, cli_key, ca_pem, ca_key, &cli_pem, err, sizeof(err)) == 0,
	      "client: %s", err);
}

static void
test_info(void)
{
	struct pki_cert_info ca, srv, cli;
	char err[256];
	long long now = (long long)time(NULL);

	memset(&ca, 0, sizeof(ca));
	CHECK(pki_get_info(ca_pem, &ca, err, sizeof(err)) == 0, "info CA: %s", err);
	CHECK(pki_get_info(srv_pem, &srv, err, sizeof(err)) == 0, "info server: %s", err);
	CHECK(pki_get_info(cli_pem, &cli, err, sizeof(err)) == 0, "info client: %s", err);
	CHECK(!strcmp(ca.subject_cn, "Test CA") && ca.is_ca && ca.self_signed &&
	      !strcmp(ca.key_type, "rsa") && !strcmp(ca.key_size, "2048") && !ca.san[0],
	      "CA facts: %s %d %d %s %s", ca.subject_cn, ca.is_ca, ca.self_signed, ca.key_type,
	      ca.key_size);
	CHECK(!strcmp(ca.subject, "C=LV,O=Example Ltd,CN=Test CA"), "CA subject %s", ca.subject);
	CHECK(!strcmp(ca.issuer, ca.subject), "CA issuer %s", ca.issuer);
	CHECK(!strcmp(ca.serial, "01"), "CA serial %s", ca.serial);
	CHECK(!strcmp(srv.subject_cn, "vpn.example.com") && !srv.is_ca && !srv.self_signed &&
	      !strcmp(srv.key_type, "ec") && !strcmp(srv.key_size, "prime256v1"),
	      "server facts: %s %d %d %s %s", srv.subject_cn, srv.is_ca, srv.self_signed,
	      srv.key_type, srv.key_size);
	CHECK(!strcmp(srv.subject,
		      "C=LV,ST=Riga,L=Riga,O=Example\\, Ltd,OU=IT,CN=vpn.example.com"),
	      "server subject %s", srv.subject);
	CHECK(!strcmp(srv.issuer, ca.subject), "server issuer %s", srv.issuer);
	CHECK(!strcmp(srv.san, "DNS:vpn.example.com,IP:192.0.2.1"), "server san %s", srv.san);
	CHECK(!strcmp(srv.serial, "1234567890"), "server serial %s", srv.serial);
	CHECK(!strcmp(cli.serial, "80"), "client serial %s (as openssl -serial shows it)",
	      cli.serial);
	CHECK(srv.not_after_epoch - srv.not_before_epoch == 825LL * 86400 + 3600,
	      "server validity %lld s", srv.not_after_epoch - srv.not_before_epoch);
	CHECK(srv.not_before_epoch >= now - 3600 - 5 && srv.not_before_epoch <= now - 3600 + 5,
	      "server not before %lld, now %lld", srv.not_before_epoch, now);
	CHECK(strlen(srv.not_before) == 19 && srv.not_before[4] == '-' &&
	      srv.not_before[10] == ' ', "not_before text %s", srv.not_before);
	{
		time_t t = (time_t)srv.not_after_epoch;
		struct tm tm;
		char want[32];

		gmtime_r(&t, &tm);
		strftime(want, sizeof(want), "%Y-%m-%d %H:%M:%S", &tm);
		CHECK(!strcmp(want, srv.not_after), "not_after %s vs %s", srv.not_after, want);
	}
	CHECK(strlen(srv.fingerprint) == 64 && strspn(srv.fingerprint, "0123456789abcdef") == 64,
	      "fingerprint %s", srv.fingerprint);
	CHECK(!strcmp(cli.key_type, "rsa") && !cli.is_ca, "client facts");
	if (have_openssl) {
		char *fp, want[100] = "", *p = want;

		put_text("server.pem", srv_pem);
		fp = output("openssl x509 -in server.pem -noout -fingerprint -sha256");
		for (const char *s = strchr(fp, '=') ? strchr(fp, '=') + 1 : ""; *s > ' '; s++)
			if (*s != ':' && p < want + 98)
				*p++ = (char)(*s >= 'A' && *s <= 'F' ? *s + 32 : *s);
		*p = '\0';
		CHECK(!strcmp(want, srv.fingerprint), "fingerprint %s vs openssl %s",
		      srv.fingerprint, want);
		free(fp);
	}
	CHECK(pki_get_info("junk", &srv, err, sizeof(err)) == -1 && err[0], "info of junk");
}

static void
test_verify(void)
{
	struct pki_template ca2 = tpl("Test CA", "rsa", "2048", "key-cert-sign,crl-sign", 10);
	struct pki_template other = tpl("Other CA", "ec", "prime256v1", "key-cert-sign", 10);
	char err[256], *k2 = NULL, *c2 = NULL, *k3 = NULL, *c3 = NULL;

	ca2.organization = "Example Ltd";
	ca2.country = "LV";
	CHECK(pki_verify(srv_pem, ca_pem, err, sizeof(err)) == 0, "server verifies: %s", err);
	CHECK(pki_verify(cli_pem, ca_pem, err, sizeof(err)) == 0, "client verifies: %s", err);
	CHECK(pki_verify(ca_pem, ca_pem, err, sizeof(err)) == 0, "CA verifies itself: %s", err);
	CHECK(pki_verify(srv_pem, cli_pem, err, sizeof(err)) == -1, "client is no issuer");
	/* Same subject, other key: only the signature can tell. */
	pki_make_key("rsa", "2048", &k2, err, sizeof(err));
	CHECK(pki_issue(&ca2, k2, NULL, NULL, &c2, err, sizeof(err)) == 0, "CA twin: %s", err);
	CHECK(c2 && pki_verify(srv_pem, c2, err, sizeof(err)) == -1 && strstr(err, "signature"),
	      "twin CA refused: %s", err);
	pki_make_key("ec", "prime256v1", &k3, err, sizeof(err));
	CHECK(pki_issue(&other, k3, NULL, NULL, &c3, err, sizeof(err)) == 0, "other CA: %s", err);
	CHECK(c3 && pki_verify(srv_pem, c3, err, sizeof(err)) == -1 && strstr(err, "issuer"),
	      "other CA refused: %s", err);
	CHECK(pki_key_matches(srv_pem, srv_key) == 1, "server key matches");
	CHECK(pki_key_matches(cli_pem, cli_key) == 1, "client key matches");
	CHECK(pki_key_matches(ca_pem, ca_key) == 1, "CA key matches");
	CHECK(pki_key_matches(srv_pem, cli_key) == 0, "client key is not the server's");
	CHECK(pki_key_matches(cli_pem, ca_key) == 0, "CA key is not the client's");
	CHECK(pki_key_matches(srv_pem, k3) == 0, "other EC key is not the server's");
	CHECK(pki_key_matches("junk", srv_key) == 0 && pki_key_matches(srv_pem, "junk") == 0,
	      "junk matches nothing");
	/* A CA key that is not the CA's, and a CA that is none. */
	{
		struct pki_template t = tpl("x", "rsa", "1024", "tls-client", 1);
		char *out = NULL;

		CHECK(pki_issue(&t, cli_key, ca_pem, k2, &out, err, sizeof(err)) == -1 && !out &&
		      strstr(err, "does not belong"), "wrong CA key refused: %s", err);
		CHECK(pki_issue(&t, cli_key, srv_pem, srv_key, &out, err, sizeof(err)) == -1 &&
		      strstr(err, "authority"), "non-CA refused: %s", err);
		CHECK(pki_issue(&t, cli_key, ca_pem, NULL, &out, err, sizeof(err)) == -1,
		      "CA without key refused");
		/* An EC CA signing an RSA certificate. */
		CHECK(pki_issue(&t, cli_key, c3, k3, &out, err, sizeof(err)) == 0 &&
		      pki_verify(out, c3, err, sizeof(err)) == 0, "EC CA signs RSA: %s", err);
		free(out);
	}
	free(k2);
	free(c2);
	free(k3);
	free(c3);
}

static void
bad_tpl(struct pki_template *t, const char *want)
{
	char err[256] = "", *out = (char *)"x";

	CHECK(pki_issue(t, srv_key, NULL, NULL, &out, err, sizeof(err)) == -1 && !out &&
	      strstr(err, want), "template refused with `%s': got `%s'", want, err);
}

static void
test_template_errors(void)
{
	struct pki_template t = tpl("x", "ec", "prime256v1", "tls-server", 10);
	char err[256], *out = NULL;

	t.key_usage = "tls-server,bogus";
	bad_tpl(&t, "bogus");
	t.key_usage = "tls-server";
	t.subject_alt_name = "DNS:ok.example,FTP:x";
	bad_tpl(&t, "FTP:x");
	t.subject_alt_name = "IP:300.1.1.1";
	bad_tpl(&t, "300.1.1.1");
	t.subject_alt_name = "DNS:a,,DNS:b";
	bad_tpl(&t, "empty");
	t.subject_alt_name = NULL;
	t.country = "LVA";
	bad_tpl(&t, "country");
	t.country = NULL;
	t.days_valid = 0;
	bad_tpl(&t, "days-valid");
	t.days_valid = 3000000;
	bad_tpl(&t, "9999");
	t.days_valid = 10;
	t.serial = 0;
	bad_tpl(&t, "serial");
	t.serial = 7;
	t.common_name = "0123456789012345678901234567890123456789012345678901234567890123456789";
	bad_tpl(&t, "common-name");
	t.common_name = NULL;
	bad_tpl(&t, "subject");
	t.common_name = "x";
	CHECK(pki_issue(&t, "junk", NULL, NULL, &out, err, sizeof(err)) == -1 && !out,
	      "junk key refused");
	/* IPv6 and e-mail names, and a year past 2049 (GeneralizedTime). */
	t.subject_alt_name = "DNS:*.example.org, IP:2001:db8::1, email:admin@example.org";
	t.days_valid = 36500;
	CHECK(pki_issue(&t, srv_key, NULL, NULL, &out, err, sizeof(err)) == 0, "v6 SAN: %s", err);
	if (out) {
		struct pki_cert_info in;

		CHECK(pki_get_info(out, &in, err, sizeof(err)) == 0 &&
		      !strcmp(in.san, "DNS:*.example.org,IP:2001:db8::1,email:admin@example.org") &&
		      in.not_after_epoch - in.not_before_epoch == 36500LL * 86400 + 3600,
		      "v6 SAN info: %s", in.san);
		if (have_openssl) {
			char *text;

			put_text("v6.pem", out);
			text = output("openssl x509 -in v6.pem -noout -text");
			has(text, "IP Address:2001:DB8:0:0:0:0:0:1", "v6 SAN");
			has(text, "email:admin@example.org", "email SAN");
			free(text);
		}
		free(out);
	}
}

/* The CA's Subject Key Identifier as openssl prints it. */
static void
next_line_after(const char *text, const char *label, char *out, size_t outlen)
{
	const char *p = strstr(text, label);
	size_t n = 0;

	out[0] = '\0';
	if (!p || !(p = strchr(p, '\n')))
		return;
	for (p++; *p == ' '; p++)
		;
	if (!strncmp(p, "keyid:", 6))
		p += 6;
	while (p[n] && p[n] != '\n' && n + 1 < outlen)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void
test_openssl_reads_ours(void)
{
	char *ca, *srv, *cli, ski[128], aki[128];

	put_text("ca.pem", ca_pem);
	put_text("server.pem", srv_pem);
	put_text("client.pem", cli_pem);
	put_text("server.key", srv_key);
	srv = output("openssl verify -x509_strict -purpose sslserver -CAfile ca.pem server.pem");
	has(srv, "server.pem: OK", "openssl verify server");
	free(srv);
	cli = output("openssl verify -x509_strict -purpose sslclient -CAfile ca.pem client.pem");
	has(cli, "client.pem: OK", "openssl verify client");
	free(cli);
	CHECK(run("openssl verify -CAfile server.pem client.pem") != 0, "wrong CA fails");
	ca = output("openssl x509 -in ca.pem -noout -text");
	srv = output("openssl x509 -in server.pem -noout -text");
	cli = output("openssl x509 -in client.pem -noout -text");
	has(ca, "X509v3 Basic Constraints: critical", "CA text");
	has(ca, "CA:TRUE", "CA text");
	has(ca, "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign", "CA text");
	has(ca, "Public-Key: (2048 bit)", "CA text");
	has(srv, "TLS Web Server Authentication", "server text");
	has(srv, "DNS:vpn.example.com, IP Address:192.0.2.1", "server text");
	has(srv, "Digital Signature, Key Encipherment", "server text");
	has(srv, "sha256WithRSAEncryption", "server text (signed by RSA CA)");
	has(srv, "ASN1 OID: prime256v1", "server text");
	has(srv, "Serial Number: 78187493520 (0x1234567890)", "server text");
	CHECK(strstr(srv, "CA:TRUE") == NULL, "server is no CA");
	has(cli, "TLS Web Client Authentication", "client text");
	has(cli, "Serial Number: 128 (0x80)", "client text");
	next_line_after(ca, "X509v3 Subject Key Identifier:", ski, sizeof(ski));
	next_line_after(srv, "X509v3 Authority Key Identifier:", aki, sizeof(aki));
	CHECK(ski[0] && !strcmp(ski, aki), "server AKI `%s' is CA SKI `%s'", aki, ski);
	CHECK(run("openssl x509 -in server.pem -noout -checkend %d", 824 * 86400) == 0 &&
	      run("openssl x509 -in server.pem -noout -checkend %d", 826 * 86400) != 0,
	      "server valid for 825 days");
	CHECK(run("openssl x509 -in client.pem -noout -checkend %d", 29 * 86400) == 0 &&
	      run("openssl x509 -in client.pem -noout -checkend %d", 31 * 86400) != 0,
	      "client valid for 30 days");
	free(ca);
	free(srv);
	free(cli);
}

static void
test_encrypt(void)
{
	struct pki_bundle b;
	char err[256], *enc = NULL;

	CHECK(pki_key_encrypt(srv_key, "secret", &enc, err, sizeof(err)) == 0 && enc &&
	      !strncmp(enc, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 38), "encrypt: %s", err);
	free(enc);
	CHECK(pki_key_encrypt(srv_key, "", &enc, err, sizeof(err)) == -1 && !enc,
	      "empty passphrase refused");
	CHECK(pki_key_encrypt(srv_key, "secret", &enc, err, sizeof(err)) == 0, "encrypt again");
	if (!enc)
		return;
	CHECK(pki_import((const unsigned char *)enc, strlen(enc), "secret", &b, err,
			 sizeof(err)) == 0 && b.nkeys == 1 && b.ncerts == 0 &&
	      !strcmp(b.keys[0], srv_key), "import encrypted key: %s", err);
	pki_bundle_free(&b);
	CHECK(pki_import((const unsigned char *)enc, strlen(enc), "wrong", &b, err,
			 sizeof(err)) == -1 && strstr(err, "wrong passphrase") && !b.nkeys,
	      "wrong passphrase: %s", err);
	CHECK(pki_import((const unsigned char *)enc, strlen(enc), NULL, &b, err,
			 sizeof(err)) == -1 && strstr(err, "passphrase"), "no passphrase: %s", err);
	CHECK(pki_key_matches(srv_pem, enc) == 0, "an encrypted key matches nothing");
	if (have_openssl) {
		char *text;

		put_text("k.pem", enc);
		CHECK(run("openssl pkey -in k.pem -passin pass:secret -noout") == 0,
		      "openssl opens our encrypted key");
		CHECK(run("openssl pkey -in k.pem -passin pass:wrong -noout") != 0,
		      "openssl refuses the wrong passphrase");
		text = output("openssl asn1parse -in k.pem");
		has(text, "PBES2", "key encryption");
		has(text, "hmacWithSHA256", "key encryption");
		has(text, "aes-256-cbc", "key encryption");
		free(text);
	}
	free(enc);
}

/* Our PKCS#12 read back by us and by wolfSSL's own parser. */
static void
p12_read_back(const unsigned char *der, size_t len, const char *pass)
{
	struct pki_bundle b;
	char err[256];
	WC_PKCS12 *p12 = wc_PKCS12_new();
	byte *key = NULL, *cert = NULL;
	word32 keysz = 0, certsz = 0;
	WC_DerCertList *ca = NULL;

	CHECK(pki_import(der, len, pass, &b, err, sizeof(err)) == 0 && b.ncerts == 2 &&
	      b.nkeys == 1 && !strcmp(b.certs[0], srv_pem) && !strcmp(b.certs[1], ca_pem) &&
	      !strcmp(b.keys[0], srv_key), "our PKCS#12 back (pass `%s'): %s", pass, err);
	pki_bundle_free(&b);
	CHECK(p12 && wc_d2i_PKCS12(der, (word32)len, p12) == 0 &&
	      wc_PKCS12_parse(p12, pass, &key, &keysz, &cert, &certsz, &ca) == 0 && key && cert &&
	      ca, "wolfSSL reads our PKCS#12 (pass `%s')", pass);
	free(key);
	free(cert);
	while (ca) {
		WC_DerCertList *next = ca->next;

		free(ca->buffer);	/* wolfSSL's XMALLOC is malloc here */
		free(ca);
		ca = next;
	}
	wc_PKCS12_free(p12);
}

static void
test_pkcs12_out(void)
{
	unsigned char *der = NULL;
	size_t len = 0;
	char err[256];
	struct pki_bundle b;

	CHECK(pki_pkcs12(srv_pem, srv_key, ca_pem, "secret", &der, &len, err, sizeof(err)) == 0 &&
	      der && len > 500, "pkcs12: %s", err);
	free(der);
	CHECK(pki_pkcs12(srv_pem, cli_key, ca_pem, "secret", &der, &len, err, sizeof(err)) == -1 &&
	      !der && strstr(err, "does not belong"), "pkcs12 with a foreign key: %s", err);
	CHECK(pki_pkcs12(srv_pem, srv_key, ca_pem, "secret", &der, &len, err, sizeof(err)) == 0,
	      "pkcs12 again");
	if (!der)
		return;
	p12_read_back(der, len, "secret");
	/* The same file in BER, with an indefinite outer length. */
	if (len > 4 && der[1] == 0x82) {
		unsigned char *ber = malloc(len);

		ber[0] = 0x30;
		ber[1] = 0x80;
		memcpy(ber + 2, der + 4, len - 4);
		ber[len - 2] = ber[len - 1] = 0;
		CHECK(pki_import(ber, len, "secret", &b, err, sizeof(err)) == 0 && b.ncerts == 2 &&
		      b.nkeys == 1, "BER PKCS#12: %s", err);
		pki_bundle_free(&b);
		free(ber);
	}
	CHECK(pki_import(der, len, "wrong", &b, err, sizeof(err)) == -1 &&
	      strstr(err, "wrong passphrase"), "p12 wrong passphrase: %s", err);
	CHECK(pki_import(der, len, NULL, &b, err, sizeof(err)) == -1 && strstr(err, "passphrase"),
	      "p12 without passphrase: %s", err);
	/* Every truncation fails cleanly. */
	for (size_t cut = 0; cut < len; cut += len / 40 + 1)
		CHECK(pki_import(der, cut, "secret", &b, err, sizeof(err)) == -1 && !b.ncerts,
		      "truncated p12 at %zu accepted", cut);
	if (have_openssl) {
		char *info;

		put("x.p12", der, len);
		info = output("openssl pkcs12 -in x.p12 -passin pass:secret -nokeys -info");
		has(info, "MAC: sha256", "openssl pkcs12 -info");
		has(info, "PBES2, PBKDF2, AES-256-CBC", "openssl pkcs12 -info");
		has(info, "PRF hmacWithSHA256", "openssl pkcs12 -info");
		has(info, "subject=C = LV, ST = Riga, L = Riga, O = \"Example, Ltd\", OU = IT, "
			  "CN = vpn.example.com", "openssl pkcs12 -info");
		has(info, "subject=C = LV, O = Example Ltd, CN = Test CA", "openssl pkcs12 -info");
		CHECK(strstr(info, "error") == NULL && strstr(info, "Error") == NULL,
		      "openssl pkcs12 -info is clean:\n%s", info);
		free(info);
		CHECK(run("openssl pkcs12 -in x.p12 -passin pass:secret -nodes -out x.out") == 0 &&
		      run("openssl pkey -in x.out -noout") == 0, "openssl pkcs12 gets the key");
		CHECK(run("openssl pkcs12 -in x.p12 -passin pass:wrong -nokeys") != 0,
		      "openssl: wrong pass");
	}
	free(der);
	/* No passphrase, as export-certificate without export-passphrase asks. */
	CHECK(pki_pkcs12(srv_pem, srv_key, ca_pem, "", &der, &len, err, sizeof(err)) == 0 && der,
	      "pkcs12 with an empty passphrase: %s", err);
	if (!der)
		return;
	p12_read_back(der, len, "");
	CHECK(pki_import(der, len, NULL, &b, err, sizeof(err)) == 0 && b.nkeys == 1,
	      "empty-passphrase p12 without passphrase: %s", err);
	pki_bundle_free(&b);
	if (have_openssl) {
		put("e.p12", der, len);
		CHECK(run("openssl pkcs12 -in e.p12 -passin pass: -nodes -info") == 0,
		      "openssl opens the empty-passphrase p12");
	}
	free(der);
}

/* Imports file and expects ncerts/nkeys; every key must belong to cert. */
static void
import_ok(const char *file, const char *pass, int ncerts, int nkeys, const char *cert)
{
	struct pki_bundle b;
	unsigned char *data;
	size_t len;
	char err[256] = "";
	int rc;

	if (!(data = get(file, &len))) {
		CHECK(0, "openssl did not make %s", file);
		return;
	}
	rc = pki_import(data, len, pass, &b, err, sizeof(err));
	CHECK(rc == 0 && b.ncerts == ncerts && b.nkeys == nkeys, "import %s: rc %d, %d certs, "
	      "%d keys: %s", file, rc, b.ncerts, b.nkeys, err);
	for (int i = 0; rc == 0 && cert && i < b.nkeys; i++)
		CHECK(pki_key_matches(cert, b.keys[i]) == 1, "key %d of %s fits its certificate",
		      i, file);
	for (int i = 0; rc == 0 && i < b.ncerts; i++) {
		struct pki_cert_info in;

		CHECK(pki_get_info(b.certs[i], &in, err, sizeof(err)) == 0, "info of cert %d of %s: "
		      "%s", i, file, err);
	}
	pki_bundle_free(&b);
	if (rc == 0 && pass && *pass) {
		CHECK(pki_import(data, len, "wrong-pass", &b, err, sizeof(err)) == -1 &&
		      strstr(err, "wrong passphrase"), "%s with a wrong passphrase: %s", file, err);
		pki_bundle_free(&b);
		CHECK(pki_import(data, len, NULL, &b, err, sizeof(err)) == -1 &&
		      strstr(err, "passphrase"), "%s without passphrase: %s", file, err);
		pki_bundle_free(&b);
	}
	free(data);
}

static void
test_we_read_openssl(void)
{
	static const char *const make[] = {
		"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out o_rsa8.pem",
		"openssl rsa -in o_rsa8.pem -traditional -out o_rsa1.pem",
		"openssl ecparam -name secp384r1 -genkey -out o_ec1.pem",
		"openssl pkey -in o_ec1.pem -out o_ec8.pem",
		"openssl pkey -in o_ec1.pem -outform der -out o_ec.der",
		"openssl ec -in o_ec1.pem -no_public -out o_ecnopub.pem",
		"openssl rsa -in o_rsa8.pem -traditional -aes256 -passout pass:secret -out o_leg.pem",
		"openssl rsa -in o_rsa8.pem -traditional -des3 -passout pass:secret -out o_leg3.pem",
		"openssl ec -in o_ec1.pem -aes128 -passout pass:secret -out o_ecleg.pem",
		"openssl pkcs8 -topk8 -in o_rsa8.pem -passout pass:secret -out o_enc8.pem",
		"openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in o_ec8.pem -passout pass:secret "
		"-out o_enc8v1.pem",
		"openssl pkcs8 -topk8 -v2 aes128 -v2prf hmacWithSHA1 -in o_rsa8.pem "
		"-passout pass:secret -out o_enc8sha1.pem",
		"openssl pkcs8 -topk8 -v2 des3 -in o_rsa8.pem -passout pass:secret -outform der "
		"-out o_enc8.der",
		"openssl req -x509 -key o_rsa8.pem -subj '/CN=openssl test/O=Org, Inc.' -days 10 "
		"-addext subjectAltName=DNS:a.example,IP:2001:db8::1,email:x@example.com "
		"-out o_cert.pem",
		"openssl req -x509 -key o_ec1.pem -subj /CN=ec -days 10 -out o_eccert.pem",
		"openssl x509 -in o_cert.pem -outform der -out o_cert.der",
		"openssl pkcs12 -export -in o_cert.pem -inkey o_rsa8.pem -passout pass:secret "
		"-out o_def.p12",
		"openssl pkcs12 -export -legacy -in o_cert.pem -inkey o_rsa8.pem -passout pass:secret "
		"-out o_leg.p12",
		"openssl pkcs12 -export -in o_cert.pem -inkey o_rsa8.pem -passout pass: -out o_nopass.p12",
		"openssl pkcs12 -export -in o_eccert.pem -inkey o_ec8.pem -certfile ca.pem "
		"-passout pass:secret -out o_ec.p12",
		"openssl pkcs12 -export -nokeys -in o_cert.pem -passout pass:secret -out o_certs.p12",
		"openssl pkcs12 -export -in o_cert.pem -inkey o_rsa8.pem -passout pass:secret -nomac "
		"-out o_nomac.p12",
		"cat o_cert.pem o_rsa8.pem ca.pem > o_bundle.pem",
		NULL,
	};
	char *cert = NULL, *eccert = NULL, err[256];
	size_t len;
	struct pki_cert_info in;

	for (int i = 0; make[i]; i++)
		CHECK(run("%s", make[i]) == 0, "openssl: %s", make[i]);
	cert = (char *)get("o_cert.pem", &len);
	eccert = (char *)get("o_eccert.pem", &len);
	if (!cert || !eccert) {
		CHECK(0, "openssl made no certificates");
		free(cert);
		free(eccert);
		return;
	}
	CHECK(pki_get_info(cert, &in, err, sizeof(err)) == 0 &&
	      !strcmp(in.subject, "CN=openssl test,O=Org\\, Inc.") &&
	      !strcmp(in.subject_cn, "openssl test") &&
	      !strcmp(in.san, "DNS:a.example,IP:2001:db8::1,email:x@example.com") &&
	      in.self_signed && in.is_ca, "openssl cert info: %s / %s: %s", in.subject, in.san, err);
	import_ok("o_rsa8.pem", NULL, 0, 1, cert);
	import_ok("o_rsa1.pem", NULL, 0, 1, cert);
	import_ok("o_ec1.pem", NULL, 0, 1, eccert);
	import_ok("o_ec8.pem", NULL, 0, 1, eccert);
	import_ok("o_ec.der", NULL, 0, 1, eccert);
	import_ok("o_ecnopub.pem", NULL, 0, 1, eccert);
	import_ok("o_leg.pem", "secret", 0, 1, cert);
	import_ok("o_leg3.pem", "secret", 0, 1, cert);
	import_ok("o_ecleg.pem", "secret", 0, 1, eccert);
	import_ok("o_enc8.pem", "secret", 0, 1, cert);
	import_ok("o_enc8v1.pem", "secret", 0, 1, eccert);
	import_ok("o_enc8sha1.pem", "secret", 0, 1, cert);
	import_ok("o_enc8.der", "secret", 0, 1, cert);
	import_ok("o_cert.pem", NULL, 1, 0, NULL);
	import_ok("o_cert.der", NULL, 1, 0, NULL);
	import_ok("o_def.p12", "secret", 1, 1, cert);
	import_ok("o_leg.p12", "secret", 1, 1, cert);
	import_ok("o_nopass.p12", NULL, 1, 1, cert);
	import_ok("o_nopass.p12", "", 1, 1, cert);
	import_ok("o_ec.p12", "secret", 2, 1, eccert);
	import_ok("o_certs.p12", "secret", 1, 0, NULL);
	import_ok("o_nomac.p12", "secret", 1, 1, cert);
	import_ok("o_bundle.pem", NULL, 2, 1, cert);
	free(cert);
	free(eccert);
}

static void
refused(const void *data, size_t len, const char *pass, const char *want, const char *what)
{
	struct pki_bundle b;
	char err[256] = "";

	CHECK(pki_import(data, len, pass, &b, err, sizeof(err)) == -1 && !b.ncerts && !b.nkeys &&
	      !b.certs && !b.keys && err[0] && (!want || strstr(err, want)),
	      "%s refused with `%s': got `%s'", what, want ? want : "an error", err);
}

static void
test_hostile(void)
{
	size_t half = strlen(ca_pem) / 2, len = strlen(ca_pem);
	unsigned char junk[4096];
	char *p, *bad = strdup(ca_pem);
	struct pki_bundle b;
	char err[256];

	refused(ca_pem, half, NULL, "truncated", "truncated PEM");
	refused(ca_pem, len - 10, NULL, "truncated", "PEM cut in its END line");
	srand(7);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	junk[0] = 0x30;
	refused(junk, sizeof(junk), "x", NULL, "garbage starting like DER");
	junk[0] = 0x17;
	refused(junk, sizeof(junk), "x", "not a PEM", "garbage");
	refused("", 0, NULL, "empty", "empty file");
	refused("hello\n", 6, NULL, "not a PEM", "text");
	refused("-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n", 58, NULL,
		"X.509", "short junk certificate");
	refused("-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n", 58, NULL,
		"private key", "junk key");
	refused("-----BEGIN CERTIFICATE REQUEST-----\nQUJD\n-----END CERTIFICATE REQUEST-----\n",
		74, NULL, "no certificate", "only a request");
	if ((p = strchr(bad + 40, 'A')))
		*p = '*';
	refused(bad, len, NULL, "base64", "bad base64");
	free(bad);
	bad = malloc((16u << 20) + 1);
	if (bad) {
		memset(bad, 'A', (16u << 20) + 1);
		refused(bad, (16u << 20) + 1, NULL, "16 MiB", "huge file");
		free(bad);
	}
	/* Every cut of a PEM chain: a clean refusal or a clean prefix. */
	{
		char *chain = malloc(strlen(srv_pem) + strlen(srv_key) + 1);

		strcpy(chain, srv_pem);
		strcat(chain, srv_key);
		for (size_t cut = 0; cut <= strlen(chain); cut += 7) {
			int rc = pki_import((unsigned char *)chain, cut, NULL, &b, err, sizeof(err));

			CHECK(rc == -1 || b.ncerts + b.nkeys >= 1, "cut %zu", cut);
			pki_bundle_free(&b);
		}
		free(chain);
	}
}

static void
test_refuse_encrypted_inputs(void)
{
	char err[256], *enc = NULL, *out = NULL;
	struct pki_template t = tpl("x", "ec", "prime256v1", "tls-server", 10);

	pki_key_encrypt(srv_key, "secret", &enc, err, sizeof(err));
	CHECK(enc && pki_issue(&t, enc, NULL, NULL, &out, err, sizeof(err)) == -1 &&
	      strstr(err, "encrypted"), "encrypted key refused for signing: %s", err);
	free(enc);
}

/* The text codec the whole tree shares: hex, base64, PEM lines. */
static void
test_codec(void)
{
	unsigned char b[4];
	char hex[16], *e;
	const char *label;
	size_t n;

	CHECK(pki_hex_digit('7') == 7 && pki_hex_digit('a') == 10 && pki_hex_digit('F') == 15 &&
	      pki_hex_digit('g') == -1 && pki_hex_digit('@') == -1, "hex digits");
	CHECK(pki_hex_decode("00fFa5", b, 3) == 0 && b[0] == 0 && b[1] == 0xff && b[2] == 0xa5,
	      "hex decode");
	CHECK(pki_hex_decode("00ff", b, 1) == -1 && pki_hex_decode("0g", b, 1) == -1,
	      "hex decode refuses extra or bad digits");
	pki_hex_encode((const unsigned char *)"\x01\xab", 2, 1, hex, sizeof(hex));
	CHECK(!strcmp(hex, "01AB"), "hex encode upper: %s", hex);
	pki_hex_encode((const unsigned char *)"\x01\xab", 2, 0, hex, 4);
	CHECK(!strcmp(hex, "01"), "hex encode stops where out ends: %s", hex);
	for (int i = 0; i < 4; i++) {
		static const char *const in[] = { "", "f", "fo", "pu:secret" };
		static const char *const want[] = { "", "Zg==", "Zm8=", "cHU6c2VjcmV0" };

		e = pki_b64_encode(in[i], strlen(in[i]));
		CHECK(e && !strcmp(e, want[i]), "base64 of `%s': %s", in[i], e ? e : "NULL");
		free(e);
	}
	CHECK(pki_b64_value('A') == 0 && pki_b64_value('/') == 63 && pki_b64_value('=') == -1,
	      "base64 digits");
	CHECK(pki_pem_mark("-----BEGIN X509 CRL-----", 24, &label, &n) == PKI_PEM_BEGIN &&
	      n == 8 && !strncmp(label, "X509 CRL", n), "PEM BEGIN line");
	CHECK(pki_pem_mark("-----END X509 CRL-----", 22, &label, &n) == PKI_PEM_END && n == 8,
	      "PEM END line");
	CHECK(pki_pem_mark("-----BEGIN -----", 16, &label, &n) == PKI_PEM_NONE &&
	      pki_pem_mark("MIIB", 4, &label, &n) == PKI_PEM_NONE, "not PEM lines");
	CHECK(pki_pem_is_cert("TRUSTED CERTIFICATE") && !pki_pem_is_cert("PRIVATE KEY") &&
	      pki_pem_is_key("EC PRIVATE KEY") && !pki_pem_is_key("EC PARAMETERS"), "PEM labels");
}

/* Sealed backups: what goes in comes out with the password, nothing
 * comes out with another password or a changed byte. */
static void
test_seal(void)
{
	static const unsigned char plain[] = "SQLite format 3\0 and the rest";
	unsigned char *sealed = NULL, *back = NULL;
	size_t slen = 0, blen = 0;

	CHECK(pki_seal("TESTSEAL", "pw", plain, sizeof(plain), &sealed, &slen) == 0 &&
	      slen == 8 + 16 + 12 + sizeof(plain) + 16 && !memcmp(sealed, "TESTSEAL", 8),
	      "seal");
	if (!sealed)
		return;
	CHECK(pki_unseal("pw", sealed, slen, &back, &blen) == 0 && blen == sizeof(plain) &&
	      !memcmp(back, plain, blen), "unseal");
	free(back);
	CHECK(pki_unseal("wrong", sealed, slen, &back, &blen) == -1, "unseal: wrong password");
	sealed[slen / 2] ^= 1;
	CHECK(pki_unseal("pw", sealed, slen, &back, &blen) == -1, "unseal: damaged");
	sealed[0] ^= 1;
	sealed[slen / 2] ^= 1;
	CHECK(pki_unseal("pw", sealed, slen, &back, &blen) == -1, "unseal: header authenticated");
	CHECK(pki_unseal("pw", sealed, 20, &back, &blen) == -1, "unseal: short");
	free(sealed);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pki_test.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	have_openssl = run("openssl version") == 0;
	if (!have_openssl)
		fprintf(stderr, "pki: no openssl command; interoperability checks skipped\n");
	test_codec();
	test_seal();
	test_keys();
	make_pki();
	if (ca_pem && srv_pem && cli_pem) {
		test_info();
		test_verify();
		test_template_errors();
		if (have_openssl)
			test_openssl_reads_ours();
		test_encrypt();
		test_pkcs12_out();
		if (have_openssl)
			test_we_read_openssl();
		test_hostile();
		test_refuse_encrypted_inputs();
	}
	free(ca_key);
	free(ca_pem);
	free(srv_key);
	free(srv_pem);
	free(cli_key);
	free(cli_pem);
	run("/bin/rm -rf %s", dir);
	printf("pki: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
