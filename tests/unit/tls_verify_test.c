/* tls_verify_test.c: the client's checks of a server certificate beyond
 * its chain (engine/ovpn/tls_verify.c) on the certificates of
 * tests/tls_verify, made by its make.sh: the subject as OpenVPN (OpenSSL)
 * prints it, against openssl's own print in expected.txt; the last CN for
 * name and name-prefix; the usages of remote-cert-tls and ns-cert-type
 * server; SHA-256 fingerprints, against openssl's in expected.txt. Run from
 * the top directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_verify.h"
#include "unit/check.h"

#define DIR "tests/tls_verify/"

struct expect {
	char file[64], subject[512], fp[128];
};

static struct expect ex[16];
static int nex;

static void
load_expected(void)
{
	FILE *f = fopen(DIR "expected.txt", "r");
	char line[1024];

	CHECK(f != NULL, "open " DIR "expected.txt");
	while (f && nex < 16 && fgets(line, sizeof(line), f)) {
		char *a = strtok(line, "\t\n"), *b = strtok(NULL, "\t\n"), *c = strtok(NULL, "\t\n");

		if (!a || !b || !c)
			continue;
		snprintf(ex[nex].file, sizeof(ex[nex].file), "%s", a);
		snprintf(ex[nex].subject, sizeof(ex[nex].subject), "%s", b);
		snprintf(ex[nex].fp, sizeof(ex[nex].fp), "%s", c);
		nex++;
	}
	if (f)
		fclose(f);
	CHECK(nex == 7, "expected.txt lists 7 certificates, not %d", nex);
}

static WOLFSSL_X509 *
cert(const char *name)
{
	char path[256];
	WOLFSSL_X509 *x;

	snprintf(path, sizeof(path), DIR "%s", name);
	x = wolfSSL_X509_load_certificate_file(path, WOLFSSL_FILETYPE_PEM);
	CHECK(x != NULL, "load %s", path);
	return x;
}

/* run one check: want 0 (pass) or -1 with why holding piece */
static void
expect(const char *file, const char *name, enum tls_name_match m, int usage, const char *fps,
       int want, const char *piece)
{
	struct tls_peer_rules r = { .match = m, .usage = usage };
	uint8_t parsed[TLS_FP_MAX][32];
	char why[256] = "", err[256] = "";
	WOLFSSL_X509 *x = cert(file);
	int n = 0, rc;

	if (!x)
		return;
	if (fps)
		n = tls_parse_fingerprints(fps, parsed, TLS_FP_MAX, err, sizeof(err));
	CHECK(n >= 0, "%s: fingerprints %s: %s", file, fps, err);
	rc = tls_peer_check(x, name, &r, (const uint8_t (*)[32])parsed, n, why, sizeof(why));
	CHECK(rc == want, "%s name '%s' match %d usage %d: got %d (%s), want %d", file,
	      name ? name : "", m, usage, rc, why, want);
	if (piece)
		CHECK(strstr(why, piece) != NULL, "%s: reason '%s' lacks '%s'", file, why, piece);
	wolfSSL_X509_free(x);
}

static void
test_names(void)
{
	char wrong[600];

	for (int i = 0; i < nex; i++) {
		expect(ex[i].file, ex[i].subject, TLS_NAME_SUBJECT, 0, NULL, 0, NULL);
		snprintf(wrong, sizeof(wrong), "%s, CN=x", ex[i].subject);
		expect(ex[i].file, wrong, TLS_NAME_SUBJECT, 0, NULL, -1, "does not match");
	}
	/* the last CN counts, exactly, as in OpenVPN */
	expect("multi.crt", "nl-ams-001.vpn.example", TLS_NAME_CN, 0, NULL, 0, NULL);
	expect("multi.crt", "first.example", TLS_NAME_CN, 0, NULL, -1,
	       "name 'nl-ams-001.vpn.example' does not match verify-server-name 'first.example' (name)");
	expect("multi.crt", "NL-AMS-001.vpn.example", TLS_NAME_CN, 0, NULL, -1, "(name)");
	expect("multi.crt", "nl-ams-001.vpn.example.evil", TLS_NAME_CN, 0, NULL, -1, NULL);
	expect("multi.crt", "nl-ams-", TLS_NAME_PREFIX, 0, NULL, 0, NULL);
	expect("multi.crt", "first", TLS_NAME_PREFIX, 0, NULL, -1, "(name-prefix)");
	expect("utf8.crt", "zürich.vpn.example", TLS_NAME_CN, 0, NULL, 0, NULL);
	expect("utf8.crt", "zurich.vpn.example", TLS_NAME_CN, 0, NULL, -1, NULL);
	expect("bare.crt", "bare.vpn.example", TLS_NAME_HOST, 0, NULL, 0, NULL);
	expect("bare.crt", "BARE.vpn.example", TLS_NAME_HOST, 0, NULL, 0, NULL);
	expect("bare.crt", "other.vpn.example", TLS_NAME_HOST, 0, NULL, -1, "does not name");
}

static void
test_usage(void)
{
	static const struct {
		const char *file;
		int tls, ns;
	} u[] = {
		{ "multi.crt", 0, 0 }, { "utf8.crt", 0, 0 }, { "ns-only.crt", -1, 0 },
		{ "ns-client.crt", -1, -1 }, { "ku-certsign.crt", 0, -1 }, { "bare.crt", -1, 0 },
		{ "eku-client.crt", -1, -1 },
	};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		expect(u[i].file, NULL, TLS_NAME_HOST, TLS_USAGE_SERVER, NULL, u[i].tls,
		       u[i].tls ? "remote-cert-tls server" : NULL);
		expect(u[i].file, NULL, TLS_NAME_HOST, TLS_USAGE_NS_SERVER, NULL, u[i].ns,
		       u[i].ns ? "ns-cert-type server" : NULL);
	}
	expect("eku-client.crt", NULL, TLS_NAME_HOST, TLS_USAGE_SERVER, NULL, -1,
	       "lacks TLS Web Server Authentication");
	expect("ns-only.crt", NULL, TLS_NAME_HOST, TLS_USAGE_SERVER, NULL, -1,
	       "has no key usage extension");
}

static void
lower_nocolon(const char *in, char *out)
{
	for (; *in; in++)
		if (*in != ':')
			*out++ = (char)(*in >= 'A' && *in <= 'F' ? *in + 32 : *in);
	*out = '\0';
}

static void
test_fingerprints(void)
{
	char list[600], flat[80], err[256];
	uint8_t p[TLS_FP_MAX][32];

	for (int i = 0; i < nex; i++) {
		int o = (i + 1) % nex;

		expect(ex[i].file, NULL, TLS_NAME_HOST, 0, ex[i].fp, 0, NULL);
		lower_nocolon(ex[i].fp, flat);
		snprintf(list, sizeof(list), "%s,%s", ex[o].fp, flat);
		expect(ex[i].file, NULL, TLS_NAME_HOST, 0, list, 0, NULL);
		expect(ex[i].file, NULL, TLS_NAME_HOST, 0, ex[o].fp, -1, ex[i].fp);
	}
	CHECK(tls_parse_fingerprints("12:34", p, TLS_FP_MAX, err, sizeof(err)) == -1 &&
	      strstr(err, "is not a SHA-256 fingerprint"), "short fingerprint: %s", err);
	snprintf(list, sizeof(list), "%.94sZZ", ex[0].fp);
	CHECK(tls_parse_fingerprints(list, p, TLS_FP_MAX, err, sizeof(err)) == -1, "non-hex");
	snprintf(list, sizeof(list), "%s00", ex[0].fp);
	CHECK(tls_parse_fingerprints(list, p, TLS_FP_MAX, err, sizeof(err)) == -1, "33 bytes");
	list[0] = '\0';
	for (int i = 0; i < TLS_FP_MAX + 1; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? "," : "",
			 flat);
	CHECK(tls_parse_fingerprints(list, p, TLS_FP_MAX, err, sizeof(err)) == -1 &&
	      strstr(err, "more than"), "too many: %s", err);
}

int
main(void)
{
	wolfSSL_Init();
	load_expected();
	test_names();
	test_usage();
	test_fingerprints();
	wolfSSL_Cleanup();
	printf("tls_verify: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
