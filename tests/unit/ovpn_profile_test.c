/* ovpn_profile_test.c: unit tests of the .ovpn reader and writer
 * (shell/ovpn_read.c and ovpn_write.c). Every fixture in tests/ovpn parses to
 * the fields we expect and survives parse(write(parse(x))) unchanged; every
 * one in tests/ovpn/bad (and a few generated here: binary, oversized) fails
 * at the expected line; and stock openvpn, when installed, loads what
 * ovpn_write produces. Run from the top directory or give the fixture
 * directory as argv[1]. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ovpn_profile.h"

static int npass, nfail;
static const char *dir = "tests/ovpn";
static char store[512];			/* tests/ovpn/files: the file store */

static void
check(int good, const char *what, const char *detail)
{
	if (good) {
		npass++;
		return;
	}
	nfail++;
	fprintf(stderr, "FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static void
eq_str(const char *ctx, const char *field, const char *got, const char *want)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s: got \"%s\", want \"%s\"", field,
		 got ? got : "(null)", want ? want : "(null)");
	check(got && want && !strcmp(got, want), ctx, msg);
}

static void
eq_int(const char *ctx, const char *field, int got, int want)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: got %d, want %d", field, got, want);
	check(got == want, ctx, msg);
}

/* The PEM text is there and starts and ends with the armor named. */
static void
has_pem(const char *ctx, const char *field, const char *pem, const char *label)
{
	char begin[96], end[96], msg[256];
	size_t n = pem ? strlen(pem) : 0, e;

	snprintf(begin, sizeof(begin), "-----BEGIN %s-----\n", label);
	snprintf(end, sizeof(end), "-----END %s-----\n", label);
	e = strlen(end);
	snprintf(msg, sizeof(msg), "%s is not a clean %s armor", field, label);
	check(pem && !strncmp(pem, begin, strlen(begin)) && n >= e &&
	      !strcmp(pem + n - e, end), ctx, msg);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		s = malloc((size_t)n + 1);
		if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
			free(s);
			s = NULL;
		}
		if (s) {
			s[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return s;
}

/* The read callback: names stay inside the store, as the console's do. */
static int
read_store(void *ctx, const char *name, char **text, char *err, size_t errlen)
{
	char path[1024];
	const char *p;
	size_t len;

	if (name[0] == '/') {
		snprintf(err, errlen, "an absolute path leaves the file store");
		return -1;
	}
	for (p = name; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2])) {
			snprintf(err, errlen, "the name leaves the file store");
			return -1;
		}
	snprintf(path, sizeof(path), "%s/%s", (const char *)ctx, name);
	*text = slurp(path, &len);
	if (!*text) {
		snprintf(err, errlen, "no such file in the file store");
		return -1;
	}
	return 0;
}

static int
parse_file(const char *name, struct ovpn_profile *p, char *err, size_t errlen, int *line)
{
	char path[1024], *text;
	size_t len = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = slurp(path, &len);
	if (!text) {
		snprintf(err, errlen, "can not read fixture %.400s", path);
		*line = -1;
		return -1;
	}
	rc = ovpn_parse(text, len, read_store, store, p, err, errlen, line);
	free(text);
	return rc;
}

static int
parse_str(const char *text, struct ovpn_profile *p, char *err, size_t errlen, int *line)
{
	return ovpn_parse(text, strlen(text), read_store, store, p, err, errlen, line);
}

/* ---- what each good fixture must give ---- */

static void
remote_is(const char *ctx, const struct ovpn_profile *p, int i, const char *host,
	  int port, const char *proto)
{
	char f[32];

	snprintf(f, sizeof(f), "remotes[%d].host", i);
	eq_str(ctx, f, p->remotes[i].host, host);
	snprintf(f, sizeof(f), "remotes[%d].port", i);
	eq_int(ctx, f, p->remotes[i].port, port);
	snprintf(f, sizeof(f), "remotes[%d].proto", i);
	eq_str(ctx, f, p->remotes[i].proto, proto);
}

static void
t_stock(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 1);
	remote_is(c, p, 0, "vpn.corp-org.internal", 1194, "");
	eq_str(c, "proto", p->proto, "udp");
	eq_str(c, "dev", p->dev, "tun");
	eq_str(c, "data_ciphers", p->data_ciphers,
	       "AES-256-GCM:AES-128-GCM:?CHACHA20-POLY1305:AES-256-CBC");
	eq_str(c, "cipher", p->cipher, "");
	eq_str(c, "remote_cert_tls", p->remote_cert_tls, "server");
	has_pem(c, "ca", p->ca, "CERTIFICATE");
	has_pem(c, "cert", p->cert, "CERTIFICATE");	/* the text dump is dropped */
	has_pem(c, "key", p->key, "PRIVATE KEY");
	has_pem(c, "tls_auth", p->tls_auth, "OpenVPN Static key V1");
	eq_int(c, "key_direction", p->key_direction, 1);
	eq_int(c, "comp_stub", p->comp_stub, 0);
}

static void
t_routeros(const char *c, const struct ovpn_profile *p)
{
	remote_is(c, p, 0, "198.51.100.7", 1194, "udp");
	eq_int(c, "mtu", p->mtu, 1500);
	eq_str(c, "cipher", p->cipher, "AES-256-GCM");
	eq_str(c, "data_ciphers", p->data_ciphers, "AES-256-GCM:AES-128-CBC");
	eq_str(c, "auth", p->auth, "SHA256");
	eq_int(c, "auth_user_pass", p->auth_user_pass, 1);
	eq_str(c, "verify_x509_name", p->verify_x509_name, "CN=ovpn-server1");
	eq_str(c, "verify_x509_type", p->verify_x509_type, "subject");
	has_pem(c, "key", p->key, "ENCRYPTED PRIVATE KEY");
	check(p->tls_auth == NULL, c, "no tls_auth");
	eq_int(c, "key_direction", p->key_direction, -1);
}

static void
t_provider(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 4);
	remote_is(c, p, 0, "203.0.113.10", 1194, "");
	remote_is(c, p, 2, "203.0.113.12", 443, "");
	remote_is(c, p, 3, "nl-ams-04.vpn.corp-net.internal", 1194, "");
	eq_str(c, "cipher", p->cipher, "AES-256-CBC");
	eq_str(c, "auth", p->auth, "SHA512");
	eq_int(c, "comp_stub", p->comp_stub, 1);
	eq_int(c, "mtu", p->mtu, 1500);
	eq_int(c, "auth_user_pass", p->auth_user_pass, 1);
	eq_str(c, "verify_x509_name", p->verify_x509_name, "CN=nl-ams-04.vpn.corp-net.internal");
	eq_str(c, "verify_x509_type", p->verify_x509_type, "");
	eq_int(c, "key_direction", p->key_direction, 1);
	has_pem(c, "tls_auth", p->tls_auth, "OpenVPN Static key V1");
	check(!p->cert && !p->key, c, "no client certificate");
}

static void
t_tls_crypt(const char *c, const struct ovpn_profile *p)
{
	remote_is(c, p, 0, "office.corp.internal", 51194, "");
	eq_str(c, "data_ciphers", p->data_ciphers, "AES-256-GCM:CHACHA20-POLY1305");
	eq_str(c, "tls_version_min", p->tls_version_min, "1.2");
	has_pem(c, "tls_crypt", p->tls_crypt, "OpenVPN Static key V1");
	check(p->key && strstr(p->key, "BEGIN EC PARAMETERS") &&
	      strstr(p->key, "BEGIN EC PRIVATE KEY"), c, "EC key with its parameters");
	check(!p->tls_auth, c, "no tls_auth");
}

static void
t_tls_crypt_v2(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 4);
	remote_is(c, p, 2, "as.corp.internal", 443, "tcp");
	eq_str(c, "tls_version_min", p->tls_version_min, "1.2");
	eq_int(c, "mtu", p->mtu, 1420);
	eq_str(c, "cipher", p->cipher, "AES-256-CBC");	/* from the fallback */
	has_pem(c, "tls_crypt_v2", p->tls_crypt_v2, "OpenVPN tls-crypt-v2 client key");
}

static void
t_multi(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 5);
	eq_int(c, "port", p->port, 1195);
	eq_str(c, "dev", p->dev, "tun");
	remote_is(c, p, 0, "gw1.corp-net.internal", 0, "");
	remote_is(c, p, 1, "gw2.corp-net.internal", 1196, "");
	remote_is(c, p, 2, "gw1.corp-net.internal", 443, "tcp");
	remote_is(c, p, 3, "2001:db8::10", 1194, "udp");
	remote_is(c, p, 4, "gw3.corp-net.internal", 8443, "tcp");
}

static void
t_tcp(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "proto", p->proto, "tcp");
	eq_int(c, "port", p->port, 443);
	remote_is(c, p, 0, "vpn.corp.internal", 0, "");
	eq_str(c, "cipher", p->cipher, "AES-128-GCM");
	eq_str(c, "auth", p->auth, "SHA1");
}

static void
t_crlf(const char *c, const struct ovpn_profile *p)
{
	remote_is(c, p, 0, "vpn.corp.internal", 1194, "");
	eq_int(c, "auth_user_pass", p->auth_user_pass, 1);
	eq_int(c, "key_direction", p->key_direction, 1);
	has_pem(c, "tls_auth", p->tls_auth, "OpenVPN Static key V1");
	has_pem(c, "ca", p->ca, "CERTIFICATE");
	check(!strchr(p->ca, '\r') && !strchr(p->tls_auth, '\r'), c, "no CR kept");
}

static void
t_comments(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 2);
	remote_is(c, p, 0, "vpn.corp.internal", 1194, "");
	remote_is(c, p, 1, "vpn#2.corp.internal", 1194, "");
	eq_str(c, "remote_cert_tls", p->remote_cert_tls, "server");
	eq_str(c, "cipher", p->cipher, "AES-256-GCM");
}

static void
t_quoted(const char *c, const struct ovpn_profile *p)
{
	remote_is(c, p, 0, "vpn.corp.internal", 1194, "udp");
	eq_str(c, "verify_x509_name", p->verify_x509_name,
	       "C=DE, O=Example \"Ltd\", CN=vpn.corp.internal");
	has_pem(c, "ca", p->ca, "CERTIFICATE");
	has_pem(c, "cert", p->cert, "CERTIFICATE");
	check(p->key && strstr(p->key, "EC PRIVATE KEY"), c, "key from 'laptop ec.key'");
	eq_int(c, "auth_user_pass", p->auth_user_pass, 1);
	/* a Windows path: its last component, beside the profile */
	eq_str(c, "user", p->user, "alice");
	eq_str(c, "pass", p->pass, "s3cret pass");
}

static void
t_comp_lzo_no(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "comp_stub", p->comp_stub, 1);
	eq_str(c, "compression", p->compression, "lzo-stub");
	eq_str(c, "cipher", p->cipher, "BF-CBC");
	eq_str(c, "remote_cert_tls", p->remote_cert_tls, "");
}

static void
t_setenv(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "tls_version_min", p->tls_version_min, "1.3");	/* setenv opt applies */
	eq_int(c, "key_direction", p->key_direction, 1);
	eq_int(c, "auth_user_pass", p->auth_user_pass, 1);
}

static void
t_tap(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "dev", p->dev, "tap");
	eq_int(c, "route_nopull", p->route_nopull, 1);
	check(p->key && strstr(p->key, "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,") &&
	      strstr(p->key, "\n\n"), c, "legacy encrypted key keeps its headers");
}

static void
t_verify(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "verify_x509_name", p->verify_x509_name, "vpn.corp.internal");
	eq_str(c, "verify_x509_type", p->verify_x509_type, "name");
	eq_int(c, "redirect_gateway", p->redirect_gateway, 1);
	eq_str(c, "redirect_flags", p->redirect_flags, "def1 bypass-dhcp");
	eq_str(c, "tls_version_min", p->tls_version_min, "1.3");
}

static void
t_compress(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "comp_stub", p->comp_stub, 1);
	eq_str(c, "compression", p->compression, "stub-v2");	/* the last line wins */
}

/* comp-lzo [yes], compress lz4 and lz4-v2: we expand what the server sends */
static void
t_comp_algorithm(const char *c, const struct ovpn_profile *p)
{
	const char *want = strstr(c, "lz4-v2") ? "lz4-v2" : strstr(c, "lz4") ? "lz4" : "lzo";

	eq_str(c, "compression", p->compression, want);
	eq_int(c, "comp_stub", p->comp_stub, 0);
}

static void
t_bom(const char *c, const struct ovpn_profile *p)
{
	remote_is(c, p, 0, "vpn.corp-jp.internal", 1194, "");
}

static void
t_easyrsa(const char *c, const struct ovpn_profile *p)
{
	has_pem(c, "cert", p->cert, "CERTIFICATE");
	check(p->cert && !strstr(p->cert, "Certificate:"), c, "text dump dropped");
}

/* The note of line n names the directive (the import's "ignored:" lines). */
static void
noted(const char *c, const struct ovpn_profile *p, int n, const char *what)
{
	char want[128];

	snprintf(want, sizeof(want), "line %d: %s", n, what);
	check(p->notes && strstr(p->notes, want), c, want);
}

static void
t_connections(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 3);
	remote_is(c, p, 0, "gw1.corp-net.internal", 1194, "");
	remote_is(c, p, 1, "gw2.corp-net.internal", 443, "tcp");
	remote_is(c, p, 2, "192.0.2.44", 1195, "udp");
	eq_int(c, "remote_random", p->remote_random, 1);
	eq_str(c, "user", p->user, "alice");
	eq_str(c, "pass", p->pass, "s3cret pass");
	eq_str(c, "data_ciphers", p->data_ciphers, "AES-256-GCM:CHACHA20-POLY1305:AES-128-GCM");
	eq_str(c, "cipher", p->cipher, "AES-256-CBC");
	check(p->tls_auth != NULL, c, "tls-auth from ta.key");
	eq_int(c, "key_direction", p->key_direction, 1);
	eq_str(c, "pull_filter", p->pull_filter,
	       "ignore route ,accept dhcp-option DNS,ignore dhcp-option");
	eq_str(c, "routes", p->routes, "10.20.0.0/16,172.16.5.1/32,2001:db8:5::/48");
	eq_str(c, "dns", p->dns, "10.20.0.53,10.20.0.54,fd00::53");
	eq_int(c, "ping", p->ping, 10);
	eq_int(c, "ping_restart", p->ping_restart, 60);
	eq_int(c, "reneg_sec", p->reneg_sec, 0);
	eq_int(c, "mssfix", p->mssfix, 1400);
	eq_int(c, "mtu", p->mtu, 1400);
	eq_int(c, "redirect_gateway", p->redirect_gateway, 1);
	noted(c, p, 5, "nobind (");
	noted(c, p, 8, "resolv-retry (");
	noted(c, p, 17, "connect-timeout (");
	noted(c, p, 23, "explicit-exit-notify (always");
	noted(c, p, 35, "route 192.168.0.0 (around the tunnel");
	noted(c, p, 37, "dhcp-option DOMAIN (");
	noted(c, p, 43, "redirect-gateway bypass-dhcp (");
	noted(c, p, 46, "script-security (scripts");
	noted(c, p, 47, "up (scripts");
	noted(c, p, 48, "block-outside-dns (Windows");
	noted(c, p, 49, "setenv (");
	check(p->notes && !strstr(p->notes, "line 9:"), c, "remote-random is not noted");
}

static void
t_proxy(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "proxy", p->proxy, "proxy.corp.internal");
	eq_int(c, "proxy_port", p->proxy_port, 3128);
	eq_str(c, "proxy_user", p->proxy_user, "proxyuser");
	eq_str(c, "proxy_pass", p->proxy_pass, "proxypass");
	noted(c, p, 6, "http-proxy-option (");
}

static void
t_inline_userpass(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "user", p->user, "bob");
	eq_str(c, "pass", p->pass, "hunter2");
	has_pem(c, "ca [inline]", p->ca, "CERTIFICATE");
	check(p->tls_auth != NULL, c, "tls-auth [inline] 1");
	eq_int(c, "key_direction", p->key_direction, 1);
}

static void
t_pkcs12_file(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "pkcs12_file", p->pkcs12_file, "client.p12");
}

static void
t_connection_block(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "nremotes", p->nremotes, 1);
	remote_is(c, p, 0, "vpn.corp.internal", 1194, "udp");
}

static void
t_up_script(const char *c, const struct ovpn_profile *p)
{
	noted(c, p, 4, "script-security (");
	noted(c, p, 5, "up (scripts");
	noted(c, p, 6, "down (scripts");
}

static void
t_peer_fp(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "peer_fingerprint", p->peer_fingerprint,
	       "6E:9A:1F:3B:0C:44:D2:7E:81:5A:90:2B:C3:4D:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:"
	       "B2:C3:D4:E5:F6,00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:"
	       "66:77:88:99:aa:bb:cc:dd:ee:ff");
	eq_int(c, "ns_cert_type", p->ns_cert_type, 1);
	eq_str(c, "remote_cert_tls", p->remote_cert_tls, "");
	check(p->ca == NULL, c, "no ca");
}

static void
t_subject(const char *c, const struct ovpn_profile *p)
{
	eq_str(c, "verify_x509_name", p->verify_x509_name,
	       "C=NL, O=Example VPN, CN=nl-ams-001.vpn.example");
	eq_str(c, "verify_x509_type", p->verify_x509_type, "");
	eq_str(c, "remote_cert_tls", p->remote_cert_tls, "server");
	eq_int(c, "ns_cert_type", p->ns_cert_type, 0);
	eq_str(c, "tls_version_min", p->tls_version_min, "1.2");
}

/* fragment N mtu counts the IPv4/UDP headers; bare mssfix stays the
 * default, which the engine then takes from fragment (OpenVPN's rule). */
static void
t_fragment(const char *c, const struct ovpn_profile *p)
{
	eq_int(c, "fragment", p->fragment, 1300 - 28);
	eq_int(c, "mssfix", p->mssfix, 1492);
	check(p->notes && strstr(p->notes, "line 5: fragment 1300 mtu"), c,
	      "the mtu form is said in the notes");
}

static const struct good {
	const char *file;
	void (*check)(const char *, const struct ovpn_profile *);
} goods[] = {
	{ "stock-client.ovpn", t_stock },
	{ "routeros-export.ovpn", t_routeros },
	{ "provider-tls-auth.ovpn", t_provider },
	{ "tls-crypt.ovpn", t_tls_crypt },
	{ "tls-crypt-v2.ovpn", t_tls_crypt_v2 },
	{ "multi-remote.ovpn", t_multi },
	{ "tcp-client.ovpn", t_tcp },
	{ "crlf.ovpn", t_crlf },
	{ "comments.ovpn", t_comments },
	{ "quoted-paths.ovpn", t_quoted },
	{ "comp-lzo-no.ovpn", t_comp_lzo_no },
	{ "setenv-opt.ovpn", t_setenv },
	{ "tap.ovpn", t_tap },
	{ "verify-x509.ovpn", t_verify },
	{ "compress-stub.ovpn", t_compress },
	{ "comp-lzo-yes.ovpn", t_comp_algorithm },
	{ "comp-lzo-bare.ovpn", t_comp_algorithm },
	{ "compress-lz4.ovpn", t_comp_algorithm },
	{ "compress-lz4-v2.ovpn", t_comp_algorithm },
	{ "bom-utf8.ovpn", t_bom },
	{ "easyrsa-inline.ovpn", t_easyrsa },
	{ "connections-full.ovpn", t_connections },
	{ "http-proxy-auth.ovpn", t_proxy },
	{ "inline-userpass.ovpn", t_inline_userpass },
	{ "pkcs12-file.ovpn", t_pkcs12_file },
	{ "connection-block.ovpn", t_connection_block },
	{ "up-script.ovpn", t_up_script },
	{ "peer-fingerprint.ovpn", t_peer_fp },
	{ "verify-x509-subject.ovpn", t_subject },
	{ "fragment.ovpn", t_fragment },
};

#define NGOOD (sizeof(goods) / sizeof(goods[0]))

/* ---- round trip ---- */

static int
same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Every field of a equals b's; names the first that differs. */
static const char *
profile_diff(const struct ovpn_profile *a, const struct ovpn_profile *b)
{
	int i;

	if (a->nremotes != b->nremotes)
		return "nremotes";
	for (i = 0; i < a->nremotes; i++)
		if (strcmp(a->remotes[i].host, b->remotes[i].host) ||
		    a->remotes[i].port != b->remotes[i].port ||
		    strcmp(a->remotes[i].proto, b->remotes[i].proto))
			return "remotes";
#define S(f) if (strcmp(a->f, b->f)) return #f
#define I(f) if (a->f != b->f) return #f
#define T(f) if (!same_text(a->f, b->f)) return #f
	S(proto); I(port); S(dev); S(cipher); S(data_ciphers); S(auth);
	I(auth_user_pass); T(ca); T(cert); T(key); T(tls_auth); I(key_direction);
	T(tls_crypt); T(tls_crypt_v2); S(verify_x509_name); S(verify_x509_type);
	S(remote_cert_tls); I(route_nopull); I(redirect_gateway); S(redirect_flags);
	S(tls_version_min); I(comp_stub); I(mtu); S(peer_fingerprint); I(ns_cert_type);
	I(fragment);
#undef S
#undef I
#undef T
	return NULL;
}

static void
round_trip(const char *c, const struct ovpn_profile *p)
{
	struct ovpn_profile q, r;
	char err[512], *w1, *w2 = NULL;
	int line, rc;

	w1 = ovpn_write(p);
	check(w1 != NULL, c, "ovpn_write");
	if (!w1)
		return;
	rc = ovpn_parse(w1, strlen(w1), NULL, NULL, &q, err, sizeof(err), &line);
	check(rc == 0, c, rc ? err : "written profile parses");
	if (rc == 0) {
		check(profile_diff(p, &q) == NULL, c, profile_diff(p, &q));
		w2 = ovpn_write(&q);
		check(w2 && !strcmp(w1, w2), c, "write(parse(write(x))) == write(x)");
		if (w2 && !ovpn_parse(w2, strlen(w2), NULL, NULL, &r, err, sizeof(err), &line))
			ovpn_profile_free(&r);
		ovpn_profile_free(&q);
	}
	free(w1);
	free(w2);
}

/* ---- bad fixtures ---- */

static const struct bad {
	const char *file;
	int line;
	const char *msg;		/* a piece of the error */
} bads[] = {
	{ "truncated-pem.ovpn", 26, "BEGIN CERTIFICATE has no END" },
	{ "unclosed-ca.ovpn", 5, "<ca> is never closed" },
	{ "mismatched-cert.ovpn", 54, "</cert> does not close <key> opened on line 25" },
	{ "allow-compression-no.ovpn", 5, "comp-lzo yes asks for compression, which "
					  "allow-compression no refuses" },
	{ "unknown-directive.ovpn", 5, "unknown or unsupported directive 'frobnicate'" },
	{ "file-outside-store.ovpn", 4, "missing-ca.crt: no such file" },
	{ "file-absolute.ovpn", 7, "missing.key: no such file" },
	{ "file-missing.ovpn", 4, "no-such-file.crt: no such file" },
	{ "fragment-tcp.ovpn", 5, "fragment needs proto udp, but remote vpn2.corp.internal uses tcp" },
	{ "socks-proxy.ovpn", 4, "SOCKS proxies are not supported" },
	{ "http-proxy.ovpn", 4, "http-proxy needs proto tcp" },
	{ "static-key-secret.ovpn", 3, "static-key mode" },
	{ "server-config.ovpn", 5, "not a client profile" },
	{ "tls-server.ovpn", 4, "not a client profile" },
	{ "proto-tcp-server.ovpn", 3, "server's configuration" },
	{ "no-remote.ovpn", 0, "no remote line" },
	{ "not-client.ovpn", 0, "neither client nor tls-client" },
	{ "ca-garbage.ovpn", 4, "<ca> holds no armor where a CERTIFICATE was expected" },
	{ "key-wrong-armor.ovpn", 45, "holds a CERTIFICATE block where" },
	{ "key-text-outside.ovpn", 45, "text outside the armor" },
	{ "tls-crypt-v2-server-key.ovpn", 5, "tls-crypt-v2 server key" },
	{ "static-key-short.ovpn", 4, "512 hex digits" },
	{ "stray-close.ovpn", 4, "never opened" },
	{ "unclosed-quote.ovpn", 4, "no closing quotation" },
	{ "bad-backslash.ovpn", 4, "bad backslash" },
	{ "placeholder-sample.ovpn", 3, "remote my-server-1 looks like a placeholder: put "
	  "the server's address" },
	{ "placeholder-your.ovpn", 4, "remote your.server looks like a placeholder" },
	{ "placeholder-connection.ovpn", 4, "remote x.x.x.x looks like a placeholder" },
	{ "userpass-missing.ovpn", 4, "nothere.txt: no such file" },
	{ "inline-missing.ovpn", 4, "ca [inline], but no <ca> block follows" },
	{ "connection-verb.ovpn", 5, "verb can not be inside <connection>" },
	{ "redirect-ipv6.ovpn", 4, "can not be honoured safely" },
	{ "tls-verify.ovpn", 4, "skipping it would accept servers" },
	{ "pull-filter-bad.ovpn", 4, "'drop' is not accept, ignore or reject" },
	{ "tls-auth-and-crypt.ovpn", 5, "tls-crypt and tls-auth (line 4) exclude" },
	{ "remote-bad-port.ovpn", 2, "bad port '99999'" },
	{ "dev-unknown-type.ovpn", 2, "add dev-type" },
	{ "remote-cert-tls-client.ovpn", 4, "checks clients" },
	{ "mode-server.ovpn", 1, "mode server" },
	{ "peer-fingerprint-short.ovpn", 3, "is not a SHA-256 fingerprint" },
};

#define NBAD (sizeof(bads) / sizeof(bads[0]))

static void
expect_fail(const char *c, int rc, const struct ovpn_profile *p, const char *err,
	    int line, int want_line, const char *want_msg)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "want failure at line %d with \"%s\"; got rc %d, "
		 "line %d, \"%s\"", want_line, want_msg, rc, line, err);
	check(rc == -1 && line == want_line && strstr(err, want_msg) &&
	      p->nremotes == 0 && !p->ca && !p->cert && !p->key, c, msg);
}

static void
test_bad_fixtures(void)
{
	struct ovpn_profile p;
	char err[512], c[300];
	size_t i;
	int line, rc;

	for (i = 0; i < NBAD; i++) {
		snprintf(c, sizeof(c), "bad/%s", bads[i].file);
		rc = parse_file(c, &p, err, sizeof(err), &line);
		expect_fail(c, rc, &p, err, line, bads[i].line, bads[i].msg);
		if (rc == 0)
			ovpn_profile_free(&p);
	}
}

/* Inputs made here rather than committed: binary data, NUL, sizes. */
static void
test_generated(void)
{
	struct ovpn_profile p;
	char err[512], *big;
	unsigned char bin[4096];
	size_t i, n;
	unsigned x = 12345;
	int line, rc;

	memcpy(bin, "client\ndev tun\n\x89PNG\r\n\x1a\n", 23);
	for (i = 23; i < sizeof(bin); i++) {
		x = x * 1103515245u + 12345u;
		bin[i] = (unsigned char)(x >> 16);
	}
	rc = ovpn_parse((char *)bin, sizeof(bin), read_store, store, &p, err, sizeof(err), &line);
	expect_fail("binary garbage", rc, &p, err, line, 3, "not UTF-8");

	{	/* OpenVPN reads a line up to a NUL: a NUL in a comment is harmless */
		static const char nul[] = "client\n# a\0b\nremote h 1194\0 x\x01\n";

		rc = ovpn_parse(nul, sizeof(nul) - 1, read_store, store, &p, err, sizeof(err), &line);
		eq_int("a NUL ends its line", "rc", rc, 0);
		eq_int("a NUL ends its line", "port", rc ? 0 : p.remotes[0].port, 1194);
		ovpn_profile_free(&p);
	}
	rc = parse_str("client\nremote a\x01 1194\n", &p, err, sizeof(err), &line);
	expect_fail("control byte", rc, &p, err, line, 2, "control character");

	n = 10u << 20;
	big = malloc(n);
	if (!big)
		return;
	memset(big, '#', n);
	for (i = 79; i < n; i += 80)
		big[i] = '\n';
	memcpy(big, "client\nremote vpn.corp.internal\n", 30);
	rc = ovpn_parse(big, n, read_store, store, &p, err, sizeof(err), &line);
	expect_fail("10 MiB", rc, &p, err, line, 0, "larger than 1 MiB");
	rc = ovpn_parse(big, 1u << 20, read_store, store, &p, err, sizeof(err), &line);
	check(rc == 0, "exactly 1 MiB of profile", err);
	if (!rc)
		ovpn_profile_free(&p);
	rc = ovpn_parse(big, (1u << 20) + 1, read_store, store, &p, err, sizeof(err), &line);
	expect_fail("1 MiB + 1", rc, &p, err, line, 0, "larger than 1 MiB");
	free(big);
}

/* ---- tokenizing and directive details, on small strings ---- */

static void
ok_str(const char *c, const char *text, struct ovpn_profile *p)
{
	char err[512];
	int line;

	check(parse_str(text, p, err, sizeof(err), &line) == 0, c, err);
}

static void
bad_str(const char *c, const char *text, int want_line, const char *want)
{
	struct ovpn_profile p;
	char err[512];
	int line, rc = parse_str(text, &p, err, sizeof(err), &line);

	expect_fail(c, rc, &p, err, line, want_line, want);
	if (!rc)
		ovpn_profile_free(&p);
}

static void
test_strings(void)
{
	struct ovpn_profile p;

	ok_str("escapes", "client\nremote a\\ b\\\\c\\\"d 1194\n", &p);
	eq_str("escapes", "host", p.remotes[0].host, "a b\\c\"d");
	ovpn_profile_free(&p);
	ok_str("single quotes keep backslashes", "client\nremote 'x\\y'\n", &p);
	eq_str("single quotes", "host", p.remotes[0].host, "x\\y");
	ovpn_profile_free(&p);
	ok_str("adjacent quoted words", "client\nremote \"a\"1194\n", &p);
	eq_int("adjacent quoted words", "port", p.remotes[0].port, 1194);
	ovpn_profile_free(&p);
	ok_str("comment after a word", "client\nremote h ;1194\nremote i #x\n", &p);
	eq_int("comment after a word", "port", p.remotes[0].port, 0);
	eq_int("comment after a word", "nremotes", p.nremotes, 2);
	ovpn_profile_free(&p);
	ok_str("no newline at the end", "client\r\nremote h 1\r\nproto tcp6", &p);
	eq_str("no newline at the end", "proto", p.proto, "tcp");
	ovpn_profile_free(&p);
	ok_str("ignore-unknown-option inline block",
	       "ignore-unknown-option foo\nclient\nremote h\n<foo>\nanything\n</foo>\n", &p);
	ovpn_profile_free(&p);
	ok_str("tls-auth direction beats key-direction",
	       "client\nremote h\ntls-auth ta.key 0\nkey-direction 1\n", &p);
	eq_int("tls-auth direction", "key_direction", p.key_direction, 0);
	ovpn_profile_free(&p);
	ok_str("dev-type names the type", "client\nremote h\ndev vpn0\ndev-type tap\n", &p);
	eq_str("dev-type", "dev", p.dev, "tap");
	ovpn_profile_free(&p);
	ok_str("tls-version-min 1.0 is raised", "client\nremote h\ntls-version-min 1.0\n", &p);
	eq_str("tls-version-min 1.0", "tls_version_min", p.tls_version_min, "");
	ovpn_profile_free(&p);
	ok_str("key-direction without tls-auth is dropped",
	       "client\nremote h\nkey-direction 1\n", &p);
	eq_int("key-direction alone", "key_direction", p.key_direction, -1);
	ovpn_profile_free(&p);

	bad_str("ignore-unknown-option is not retroactive",
		"client\nremote h\nfoo 1\nignore-unknown-option foo\n", 3, "'foo'");
	bad_str("too many parameters", "client\nremote a b c d e f g h i j k l m n o p q\n",
		2, "more than 16 parameters");
	{	/* 65 remotes: one more than OpenVPN 2.6 takes */
		static char many[8 + 65 * 9];

		strcpy(many, "client\n");
		for (int i = 0; i < 65; i++)
			strcat(many, "remote h\n");
		bad_str("65 remotes", many, 66, "more than 64 remote");
	}
	bad_str("trailing backslash", "client\nremote h\\\n", 2, "ends inside");
	bad_str("single quote", "client\nremote 'h\n", 2, "single quotation");
	bad_str("long line", "client\nremote hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
		"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
		"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
		"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\n",
		2, "longer than 255");
	bad_str("lone CR", "client\rremote h\n", 1, "carriage return");
	bad_str("tls-crypt-v2 with a static key",
		"client\nremote h\ntls-crypt-v2 ta.key\n", 3, "holds a OpenVPN Static key V1");
	bad_str("inline remote", "client\n<remote>\nh\n</remote>\n", 2, "can not be an inline");
	bad_str("setenv opt known and refused", "client\nremote h\nsetenv opt socks-proxy p 1080\n",
		3, "SOCKS proxies are not supported");
	bad_str("fragment too small", "client\nremote h\nfragment 500\n", 3,
		"fragment: '500' is not 576 to 65535");
	bad_str("fragment with a stray word", "client\nremote h\nfragment 1300 fixed\n", 3,
		"fragment: 'fixed' is not mtu");
	bad_str("GENERIC_CONFIG", "setenv GENERIC_CONFIG\n", 1, "GENERIC_CONFIG");
}

/* ovpn_parse with no read callback refuses file references with the line. */
static void
test_no_reader(void)
{
	struct ovpn_profile p;
	char err[512];
	int line;
	const char *t = "client\nremote h\nca ca.crt\n";
	int rc = ovpn_parse(t, strlen(t), NULL, NULL, &p, err, sizeof(err), &line);

	expect_fail("no reader", rc, &p, err, line, 3, "can not be read here");
}

/* ---- stock openvpn loads what we write ---- */

static int
loopback_socket(int type, int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static int
put_text(FILE *f, const char *text)
{
	int ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

static int
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f)
		chmod(path, 0600);	/* openvpn warns about readable secrets */
	return put_text(f, text);
}

/* Point the profile at a loopback port nobody answers on (a bound UDP socket
 * swallows datagrams; a bound, non-listening TCP socket refuses), so nothing
 * leaves the machine, and write it for openvpn. */
static int
write_for_openvpn(const char *tmp, size_t i, struct ovpn_profile *p, int uport, int tport)
{
	char path[1024], *text;
	int rc;

	p->nremotes = 1;
	memset(&p->remotes[0], 0, sizeof(p->remotes[0]));
	strcpy(p->remotes[0].host, "127.0.0.1");
	p->remotes[0].port = strcmp(p->proto, "tcp") ? uport : tport;
	text = ovpn_write(p);
	if (!text)
		return -1;
	snprintf(path, sizeof(path), "%s/%zu.ovpn", tmp, i);
	rc = write_text(path, text);
	free(text);
	return rc;
}

static void
check_log(const char *tmp, size_t i, const struct ovpn_profile *p)
{
	char path[1024], c[1200], *log;
	size_t len;
	int ok;

	snprintf(path, sizeof(path), "%s/%zu.log", tmp, i);
	snprintf(c, sizeof(c), "openvpn loads written %s (log %s)", goods[i].file, path);
	log = slurp(path, &len);
	if (!log) {
		check(0, c, "no log");
		return;
	}
	/* ca/cert/key load before the link comes up: a bad one stops openvpn
	 * with "Cannot load ..." and OpenSSL errors before any link line */
	ok = !strstr(log, "Options error") && !strstr(log, "Cannot load") &&
	     !strstr(log, "OpenSSL: error") && !strstr(log, "Exiting due to fatal error") &&
	     strstr(log, "Current Parameter Settings:") &&
	     (!p->ca || strstr(log, "ca_file = '[INLINE]'")) &&
	     (!p->cert || strstr(log, "cert_file = '[INLINE]'")) &&
	     (!p->key || strstr(log, "priv_key_file = '[INLINE]'")) &&
	     (!p->tls_auth || strstr(log, "tls_auth_file = '[INLINE]'")) &&
	     (!p->tls_crypt || strstr(log, "tls_crypt_file = '[INLINE]'")) &&
	     (!p->tls_crypt_v2 || strstr(log, "tls_crypt_v2_file = '[INLINE]'")) &&
	     strstr(log, "Control Channel MTU parms") &&
	     (strstr(log, "UDPv4 link remote: [AF_INET]127.0.0.1:") ||
	      strstr(log, "Attempting to establish TCP connection with [AF_INET]127.0.0.1:"));
	check(ok, c, ok ? NULL : "openvpn did not get as far as connecting");
	free(log);
}

static void
test_openvpn(struct ovpn_profile *parsed, const int *good_ok)
{
	char tmp[] = "/tmp/ovpn_profile_test.XXXXXX", cmd[16384], part[1024];
	size_t i;
	int ufd, tfd, uport = 0, tport = 0;

	if (system("command -v openvpn >/dev/null 2>&1") != 0) {
		fprintf(stderr, "skip: openvpn is not installed\n");
		return;
	}
	ufd = loopback_socket(SOCK_DGRAM, &uport);
	tfd = loopback_socket(SOCK_STREAM, &tport);
	if (ufd < 0 || tfd < 0 || !mkdtemp(tmp)) {
		check(0, "openvpn setup", "loopback sockets or temporary directory");
		return;
	}
	snprintf(part, sizeof(part), "%s/creds", tmp);
	write_text(part, "user\npassword\n");
	snprintf(part, sizeof(part), "%s/pass", tmp);
	write_text(part, "rosh-test\n");
	snprintf(cmd, sizeof(cmd), "cd %s || exit 1;", tmp);
	for (i = 0; i < NGOOD; i++) {
		if (!good_ok[i] || write_for_openvpn(tmp, i, &parsed[i], uport, tport))
			continue;
		snprintf(part, sizeof(part), " timeout -k 2 3 openvpn --config %zu.ovpn "
			 "--verb 4 --dev null --askpass pass%s >%zu.log 2>&1 &", i,
			 parsed[i].auth_user_pass ? " --auth-user-pass creds" : "", i);
		strncat(cmd, part, sizeof(cmd) - strlen(cmd) - 1);
	}
	strncat(cmd, " wait", sizeof(cmd) - strlen(cmd) - 1);
	if (system(cmd) == -1)
		check(0, "openvpn run", cmd);
	for (i = 0; i < NGOOD; i++)
		if (good_ok[i])
			check_log(tmp, i, &parsed[i]);
	close(ufd);
	close(tfd);
	if (!getenv("OVPN_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmp);
	}
}

static void
test_good_fixtures(void)
{
	static struct ovpn_profile parsed[NGOOD];
	int good_ok[NGOOD];
	char err[512], msg[700];
	size_t i;
	int line, rc;

	for (i = 0; i < NGOOD; i++) {
		rc = parse_file(goods[i].file, &parsed[i], err, sizeof(err), &line);
		snprintf(msg, sizeof(msg), "line %d: %s", line, err);
		check(rc == 0, goods[i].file, rc ? msg : NULL);
		good_ok[i] = rc == 0;
		if (rc)
			continue;
		goods[i].check(goods[i].file, &parsed[i]);
		round_trip(goods[i].file, &parsed[i]);
	}
	test_openvpn(parsed, good_ok);
	for (i = 0; i < NGOOD; i++)
		if (good_ok[i])
			ovpn_profile_free(&parsed[i]);
}

/* The general rule, on names no fixture has. */
static void
test_placeholders(void)
{
	static const char *const bad[] = { "your.server", "YOUR_SERVER_IP", "my-server-2",
		"<server>", "x.x.x.x", "XXX.XXX.XXX.XXX", "10.0.0.x", "vpn.example.com",
		"example.org", "gw.EXAMPLE", "host.invalid", "a.test", "server-ip",
		"yourvpnprovider.net", "{{ server }}", "$SERVER", "0.0.0.0", "server",
		"SERVER_ADDRESS", NULL };
	static const char *const good[] = { "vpn.corp.internal", "nl-ams-04.vpn.provider.net",
		"198.51.100.7", "2001:db8::10", "server1.myvpn.net", "examples.com",
		"testing.org", "my.vpn.net", "x1.y2.net", "sexy.example-vpn.com", "localhost",
		NULL };
	char msg[128];

	for (int i = 0; bad[i]; i++) {
		snprintf(msg, sizeof(msg), "%s is a placeholder", bad[i]);
		check(ovpn_placeholder(bad[i]), "placeholders", msg);
	}
	for (int i = 0; good[i]; i++) {
		snprintf(msg, sizeof(msg), "%s is a real name", good[i]);
		check(!ovpn_placeholder(good[i]), "placeholders", msg);
	}
}

/* An inline <pkcs12> is base64 of the DER, decoded as it stands. */
static void
test_pkcs12_inline(void)
{
	static const char b64[] = "ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8AESIzRFVmd4iZqrvM3e7/";
	char text[512], err[256];
	struct ovpn_profile p;
	int line;

	snprintf(text, sizeof(text), "client\nremote 198.51.100.7\n<pkcs12>\n%.32s\n%s\n"
		 "</pkcs12>\n", b64, b64 + 32);
	check(!parse_str(text, &p, err, sizeof(err), &line), "pkcs12 inline", err);
	eq_int("pkcs12 inline", "pkcs12_len", (int)p.pkcs12_len, 48);
	check(p.pkcs12 && p.pkcs12[0] == 0x00 && p.pkcs12[1] == 0x11 && p.pkcs12[47] == 0xff,
	      "pkcs12 inline", "decoded bytes");
	ovpn_profile_free(&p);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		dir = argv[1];
	snprintf(store, sizeof(store), "%s/files", dir);
	test_good_fixtures();
	test_bad_fixtures();
	test_generated();
	test_strings();
	test_no_reader();
	test_placeholders();
	test_pkcs12_inline();
	printf("ovpn_profile: %d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
