/* ovpn_directives.c: what each directive of a .ovpn profile does to
 * struct ovpn_profile, and the table of the core ones (client, remote,
 * proto, port, dev, ciphers, auth, the keys and certificates, the checks
 * of the server, compression, redirect-gateway, tun-mtu, mode, setenv,
 * ignore-unknown-option). ovpn_directives_net.c has the directives mapped
 * onto the Rosh extensions and <connection>; ovpn_directives_other.c those
 * accepted without effect (listed as notes) and those refused. The
 * complete table of what is mapped, ignored and refused, for users, is in
 * rosh-ovpn(7), "What import maps, ignores and refuses": keep it true.
 *
 * Refused here, with the line number: unclosed blocks (line of the opening
 * tag), a close tag of another block, text that is not the expected armor,
 * a BEGIN without END (its line), a remote that is a placeholder, dev
 * null, setenv GENERIC_CONFIG, unknown directives unless named by an
 * earlier ignore-unknown-option or written as setenv opt NAME. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovpn_read.h"
#include "pki.h"

static int
put(struct parser *ps, struct line *l, char *dst, size_t n, const char *src)
{
	if (!*src)
		return fail(ps, l->lineno, "%s: empty value", l->argv[0]);
	if (strlen(src) >= n)
		return fail(ps, l->lineno, "%s: value longer than %zu characters",
			    l->argv[0], n - 1);
	strcpy(dst, src);
	return 0;
}

static int
number(const char *s, long lo, long hi, int *v)
{
	long x = 0;

	if (!*s || strlen(s) > 6)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		x = x * 10 + (*s - '0');
	}
	if (x < lo || x > hi)
		return -1;
	*v = (int)x;
	return 0;
}

/* proto names of OpenVPN's socket.c: 0 and out set, 1 for a server proto,
 * -1 for an unknown one. */
static int
map_proto(const char *s, char out[8])
{
	static const char *const tails[] = { "", "4", "6", "-client", "4-client",
		"6-client", NULL };
	const char *const *t;

	if (!strncmp(s, "udp", 3) && (!s[3] || !strcmp(s + 3, "4") || !strcmp(s + 3, "6"))) {
		strcpy(out, "udp");
		return 0;
	}
	if (strncmp(s, "tcp", 3))
		return -1;
	for (t = tails; *t; t++)
		if (!strcmp(s + 3, *t)) {
			strcpy(out, "tcp");
			return 0;
		}
	if (!strcmp(s + 3, "-server") || !strcmp(s + 3, "4-server") ||
	    !strcmp(s + 3, "6-server"))
		return 1;
	return -1;
}

static int
set_proto(struct parser *ps, struct line *l, const char *s, char out[8])
{
	int r = map_proto(s, out);

	if (r > 0)
		return fail(ps, l->lineno, "proto %s listens for clients: this is a "
			    "server's configuration, not a client profile", s);
	if (r < 0)
		return fail(ps, l->lineno, "unknown protocol '%s' (udp, tcp, "
			    "tcp-client, udp4, udp6, tcp4, tcp6...)", s);
	return 0;
}

static int
do_client(struct parser *ps, struct line *l)
{
	(void)l;
	ps->client = 1;
	return 0;
}

static int
do_remote(struct parser *ps, struct line *l)
{
	struct ovpn_remote *r;

	if (ps->p->nremotes == OVPN_MAX_REMOTES)
		return fail(ps, l->lineno, "more than %d remote lines", OVPN_MAX_REMOTES);
	r = &ps->p->remotes[ps->p->nremotes];
	memset(r, 0, sizeof(*r));
	if (put(ps, l, r->host, sizeof(r->host), l->argv[1]))
		return -1;
	if (ovpn_placeholder(r->host))
		return fail(ps, l->lineno, "remote %s looks like a placeholder: put the "
			    "server's address", r->host);
	if (l->argc > 2 && number(l->argv[2], 1, 65535, &r->port))
		return fail(ps, l->lineno, "remote: bad port '%s'", l->argv[2]);
	if (l->argc > 3 && set_proto(ps, l, l->argv[3], r->proto))
		return -1;
	ps->p->nremotes++;
	return 0;
}

/* Inside a <connection> block proto and port are the block's own. */
static int
do_proto(struct parser *ps, struct line *l)
{
	return set_proto(ps, l, l->argv[1], ps->in_conn ? ps->conn_proto : ps->p->proto);
}

static int
do_port(struct parser *ps, struct line *l)
{
	if (number(l->argv[1], 1, 65535, ps->in_conn ? &ps->conn_port : &ps->p->port))
		return fail(ps, l->lineno, "%s: bad port '%s'", l->argv[0], l->argv[1]);
	return 0;
}

static int
do_dev(struct parser *ps, struct line *l)
{
	const char *d = l->argv[1];

	if (!strcmp(d, "null"))
		return fail(ps, l->lineno, "dev null carries no traffic; use dev tun or dev tap");
	ps->dev_line = l->lineno;
	if (!strncmp(d, "tun", 3) || !strncmp(d, "tap", 3))
		snprintf(ps->dev_guess, sizeof(ps->dev_guess), "%.3s", d);
	else
		ps->dev_guess[0] = '\0';
	return 0;
}

static int
do_dev_type(struct parser *ps, struct line *l)
{
	if (strcmp(l->argv[1], "tun") && strcmp(l->argv[1], "tap"))
		return fail(ps, l->lineno, "dev-type must be tun or tap, not '%s'", l->argv[1]);
	strcpy(ps->dev_type, l->argv[1]);
	return 0;
}

static int
do_cipher(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->p->cipher, sizeof(ps->p->cipher), l->argv[1]);
}

static int
do_data_ciphers(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->p->data_ciphers, sizeof(ps->p->data_ciphers), l->argv[1]);
}

static int
do_fallback(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->fallback, sizeof(ps->fallback), l->argv[1]);
}

static int
do_auth(struct parser *ps, struct line *l)
{
	return put(ps, l, ps->p->auth, sizeof(ps->p->auth), l->argv[1]);
}

/* A profile names files where its author kept them (/etc/openvpn/ca.crt,
 * C:\\Users\\me\\ta.key): only the last component is looked up, beside
 * the profile in the file store. */
int
prof_read_named(struct parser *ps, struct line *l, const char *path, char **text)
{
	char e[200] = "", what[PARM_MAX + 8];
	const char *why, *base = path, *s;
	int bad = 0;

	for (s = path; *s; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	if (!ps->readf)
		return fail(ps, l->lineno, "%s %s: files named by a profile can not be "
			    "read here; inline the file as <%s>", l->argv[0], path,
			    l->argv[0]);
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return fail(ps, l->lineno, "%s %s: names no file", l->argv[0], path);
	*text = NULL;
	if (ps->readf(ps->ctx, base, text, e, sizeof(e)) || !*text) {
		free(*text);
		*text = NULL;
		return fail(ps, l->lineno, "%s %s: %s", l->argv[0], path,
			    *e ? e : "can not be read");
	}
	snprintf(what, sizeof(what), "file %s", base);
	why = strlen(*text) > PROFILE_MAX ? "" : prof_not_text(*text, strlen(*text), &bad);
	if (!why)
		return 0;
	prof_wipe_free(*text);	/* refused: the caller has nothing to free */
	*text = NULL;
	if (!*why)
		return fail(ps, l->lineno, "%s is larger than 1 MiB", what);
	return fail(ps, l->lineno, "%s line %d: %s", what, bad, why);
}

/* Load the armor of ca, cert, key or tls-*, inline or from a file, into *dst. */
static int
load_armor(struct parser *ps, struct line *l, enum kind k, char **dst)
{
	char *raw = NULL, *norm = NULL;
	int rc;

	if (l->inl) {
		rc = prof_armor(ps, l, k, l->block.s ? l->block.s : "", &norm);
	} else {
		if (!strcasecmp(l->argv[1], "[inline]"))
			return prof_want_inline(ps, l);
		rc = prof_read_named(ps, l, l->argv[1], &raw);
		if (!rc)
			rc = prof_armor(ps, l, k, raw, &norm);
		prof_wipe_free(raw);
	}
	if (rc)
		return -1;
	prof_wipe_free(*dst);
	*dst = norm;
	return 0;
}

static int
do_ca(struct parser *ps, struct line *l)
{
	return load_armor(ps, l, K_CERTS, &ps->p->ca);
}

static int
do_cert(struct parser *ps, struct line *l)
{
	ps->cert_line = l->lineno;
	return load_armor(ps, l, K_CERTS, &ps->p->cert);
}

static int
do_key(struct parser *ps, struct line *l)
{
	ps->key_line = l->lineno;
	return load_armor(ps, l, K_KEY, &ps->p->key);
}

/* tls-auth, tls-crypt and tls-crypt-v2 exclude one another (OpenVPN's
 * options_postprocess says so in client mode). */
static int
tls_mode(struct parser *ps, struct line *l)
{
	if (ps->tlsmode && strcmp(ps->tlsmode, l->argv[0]))
		return fail(ps, l->lineno, "%s and %s (line %d) exclude one another",
			    l->argv[0], ps->tlsmode, ps->tlsmode_line);
	ps->tlsmode = strcmp(l->argv[0], "tls-auth") == 0 ? "tls-auth" :
		      strcmp(l->argv[0], "tls-crypt") == 0 ? "tls-crypt" : "tls-crypt-v2";
	ps->tlsmode_line = l->lineno;
	return 0;
}

static int
key_dir(struct parser *ps, struct line *l, const char *s, int *dir)
{
	if (strcmp(s, "0") && strcmp(s, "1"))
		return fail(ps, l->lineno, "key direction must be 0 or 1, not '%s'", s);
	*dir = s[0] - '0';
	return 0;
}

static int
do_tls_auth(struct parser *ps, struct line *l)
{
	if (tls_mode(ps, l) || load_armor(ps, l, K_STATIC, &ps->p->tls_auth))
		return -1;
	if (!l->inl)		/* the block of tls-auth [inline] 1 keeps its 1 */
		ps->ta_dir = -1;
	if (!l->inl && l->argc > 2)
		return key_dir(ps, l, l->argv[2], &ps->ta_dir);
	return 0;
}

static int
do_tls_crypt(struct parser *ps, struct line *l)
{
	if (tls_mode(ps, l))
		return -1;
	return load_armor(ps, l, K_STATIC, &ps->p->tls_crypt);
}

static int
do_tls_crypt_v2(struct parser *ps, struct line *l)
{
	if (l->argc > 2 && strcmp(l->argv[2], "force-cookie") &&
	    strcmp(l->argv[2], "allow-noncookie"))
		return fail(ps, l->lineno, "unsupported tls-crypt-v2 argument '%s'",
			    l->argv[2]);
	if (tls_mode(ps, l))
		return -1;
	return load_armor(ps, l, K_TCV2, &ps->p->tls_crypt_v2);
}

static int
do_key_direction(struct parser *ps, struct line *l)
{
	return key_dir(ps, l, l->argv[1], &ps->p->key_direction);
}

static int
do_verify_x509(struct parser *ps, struct line *l)
{
	struct ovpn_profile *p = ps->p;

	if (l->argc > 2 && strcmp(l->argv[2], "subject") && strcmp(l->argv[2], "name") &&
	    strcmp(l->argv[2], "name-prefix"))
		return fail(ps, l->lineno, "unknown X.509 name type '%s' (subject, name, "
			    "name-prefix)", l->argv[2]);
	if (put(ps, l, p->verify_x509_name, sizeof(p->verify_x509_name), l->argv[1]))
		return -1;
	snprintf(p->verify_x509_type, sizeof(p->verify_x509_type), "%s",
		 l->argc > 2 ? l->argv[2] : "");
	return 0;
}

/* remote-cert-tls and ns-cert-type: only "server" belongs in a client. */
static int
do_cert_tls(struct parser *ps, struct line *l)
{
	if (!strcmp(l->argv[1], "client"))
		return fail(ps, l->lineno, "%s client checks clients: this is a server's "
			    "configuration, not a client profile", l->argv[0]);
	if (strcmp(l->argv[1], "server"))
		return fail(ps, l->lineno, "%s must be server, not '%s'", l->argv[0],
			    l->argv[1]);
	if (!strcmp(l->argv[0], "remote-cert-tls"))
		strcpy(ps->p->remote_cert_tls, "server");
	else
		ps->p->ns_cert_type = 1;
	return 0;
}

/* One SHA-256 fingerprint as OpenVPN's parse_hash_fingerprint takes it:
 * 32 hex bytes joined by ':'. */
static int
fingerprint_ok(const char *s)
{
	int i;

	for (i = 0; i < 32; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return 0;
		if (s[2] != (i < 31 ? ':' : '\0'))
			return 0;
	}
	return 1;
}

/* peer-fingerprint FP, or a block of them one a line (# and ; comment
 * lines and blank lines skipped); several lines add up, as in 2.6. */
static int
do_peer_fp(struct parser *ps, struct line *l)
{
	char *text = strdup(l->inl ? (l->block.s ? l->block.s : "") : l->argv[1]);
	char *save = NULL, *w, *f = ps->p->peer_fingerprint;
	int rc = 0;

	if (!text)
		return fail(ps, l->lineno, "out of memory");
	for (w = strtok_r(text, "\n", &save); w && !rc; w = strtok_r(NULL, "\n", &save)) {
		while (*w == ' ' || *w == '\t' || *w == '\r')
			w++;
		w[strcspn(w, " \t\r")] = '\0';
		if (!*w || *w == '#' || *w == ';')
			continue;
		if (!fingerprint_ok(w))
			rc = fail(ps, l->lineno, "peer-fingerprint: '%.100s' is not a SHA-256 "
				  "fingerprint (32 hex bytes joined by ':')", w);
		else if (strlen(f) + strlen(w) + 2 > sizeof(ps->p->peer_fingerprint))
			rc = fail(ps, l->lineno, "peer-fingerprint: more fingerprints than we keep");
		else
			snprintf(f + strlen(f), sizeof(ps->p->peer_fingerprint) - strlen(f), "%s%s",
				 *f ? "," : "", w);
	}
	free(text);
	if (!rc && !*f)
		rc = fail(ps, l->lineno, "peer-fingerprint: no fingerprint");
	return rc;
}

static int
do_route_nopull(struct parser *ps, struct line *l)
{
	(void)l;
	ps->p->route_nopull = 1;
	return 0;
}

/* What each flag means here: the default route through the tunnel is
 * always def1's pair with a host route to the server. */
static int
redirect_flag(struct parser *ps, struct line *l, const char *f)
{
	if (!strcmp(f, "ipv6") || !strcmp(f, "!ipv4"))
		return fail(ps, l->lineno, "redirect-gateway %s can not be honoured "
			    "safely: IPv6 traffic is not routed through the tunnel here "
			    "and would go around it", f);
	if (!strcmp(f, "block-local"))
		return fail(ps, l->lineno, "redirect-gateway block-local can not be "
			    "honoured safely: the local network is not blocked here");
	if (strcmp(f, "def1"))
		return prof_note(ps, l->lineno, "redirect-gateway %s (%s)", f,
				 strncmp(f, "bypass", 6) ? "the route to the server "
				 "is kept anyway" : "Windows only: DHCP and DNS of "
				 "the local network are not routed away here");
	return 0;
}

static int
do_redirect(struct parser *ps, struct line *l)
{
	static const char *const flags[] = { "local", "autolocal", "def1",
		"bypass-dhcp", "bypass-dns", "block-local", "ipv6", "!ipv4", NULL };
	char *f = ps->p->redirect_flags;
	const char *const *t;
	int i;

	f[0] = '\0';
	for (i = 1; i < l->argc; i++) {
		for (t = flags; *t && strcmp(*t, l->argv[i]); t++)
			;
		if (!*t)
			return fail(ps, l->lineno, "unknown redirect-gateway flag '%s'",
				    l->argv[i]);
		if (redirect_flag(ps, l, *t))
			return -1;
		if (strlen(f) + strlen(*t) + 2 > sizeof(ps->p->redirect_flags))
			return fail(ps, l->lineno, "too many redirect-gateway flags");
		if (*f)
			strcat(f, " ");
		strcat(f, *t);
	}
	ps->p->redirect_gateway = 1;
	return 0;
}

/* OpenVPN's tls_version_parse: 1.0 to 1.3, or the highest with or-highest.
 * 1.0 and 1.1 leave the field empty: we never go below 1.2. */
static int
do_tls_min(struct parser *ps, struct line *l)
{
	const char *v = l->argv[1], *x = l->argc > 2 ? l->argv[2] : "";
	char *dst = ps->p->tls_version_min;

	if (!strcmp(v, "1.2") || !strcmp(v, "1.3"))
		strcpy(dst, v);
	else if (!strcmp(v, "1.0") || !strcmp(v, "1.1"))
		dst[0] = '\0';
	else if (!strcmp(x, "or-highest"))
		strcpy(dst, "1.3");
	else
		return fail(ps, l->lineno, "unknown tls-version-min '%s' (1.2 or 1.3)", v);
	return 0;
}

/* The profile's compression, as the client property names it; an
 * algorithm (not a stub) is refused after allow-compression no, as 2.6
 * refuses it. */
static int
set_comp(struct parser *ps, struct line *l, const char *value)
{
	int algorithm = !strcmp(value, "lzo") || !strncmp(value, "lz4", 3);

	if (algorithm && ps->p->allow_comp_no)
		return fail(ps, l->lineno, "%s%s%s asks for compression, which allow-compression "
			    "no refuses", l->argv[0], l->argc > 1 ? " " : "",
			    l->argc > 1 ? l->argv[1] : "");
	ps->p->comp_stub = !algorithm;
	strcpy(ps->p->compression, value);
	return 0;
}

static int
do_comp_lzo(struct parser *ps, struct line *l)
{
	const char *a = l->argc > 1 ? l->argv[1] : "adaptive";

	if (!strcmp(a, "no"))
		return set_comp(ps, l, "lzo-stub");
	if (!strcmp(a, "yes") || !strcmp(a, "adaptive"))
		return set_comp(ps, l, "lzo");
	return fail(ps, l->lineno, "bad comp-lzo option '%s' (yes, no or adaptive)", a);
}

static int
do_compress(struct parser *ps, struct line *l)
{
	static const char *const ok[] = { "stub", "stub-v2", "lzo", "lz4", "lz4-v2" };
	const char *a = l->argc > 1 ? l->argv[1] : "stub";

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(a, ok[i]))
			return set_comp(ps, l, a);
	if (!strcmp(a, "migrate"))
		return fail(ps, l->lineno, "compress migrate is a server option");
	return fail(ps, l->lineno, "bad compress option '%s'", a);
}

static int
do_allow_comp(struct parser *ps, struct line *l)
{
	const char *c = ps->p->compression;

	if (strcmp(l->argv[1], "no") && strcmp(l->argv[1], "asym") &&
	    strcmp(l->argv[1], "yes"))
		return fail(ps, l->lineno, "bad allow-compression '%s' (yes, no or asym)",
			    l->argv[1]);
	/* yes and asym alike: we never compress, whatever the profile allows */
	if (strcmp(l->argv[1], "no"))
		return 0;
	if (!strcmp(c, "lzo") || !strncmp(c, "lz4", 3))
		return fail(ps, l->lineno, "allow-compression no conflicts with the compression "
			    "the profile enabled (%s)", c);
	ps->p->allow_comp_no = 1;
	return 0;
}

static int
do_tun_mtu(struct parser *ps, struct line *l)
{
	if (number(l->argv[1], 68, 65535, &ps->p->mtu))
		return fail(ps, l->lineno, "tun-mtu must be 68 to 65535, not '%s'", l->argv[1]);
	return 0;
}

static int
do_mode(struct parser *ps, struct line *l)
{
	if (!strcmp(l->argv[1], "p2p"))
		return 0;
	if (!strcmp(l->argv[1], "server"))
		return fail(ps, l->lineno, "mode server: this is a server's configuration, "
			    "not a client profile");
	return fail(ps, l->lineno, "bad mode '%s'", l->argv[1]);
}

static int
do_ignore_unknown(struct parser *ps, struct line *l)
{
	const char *n;
	int i;

	for (i = 1; i < l->argc; i++) {
		if (ps->nignored == IGNORE_MAX)
			return fail(ps, l->lineno, "more than %d names in ignore-unknown-option",
				    IGNORE_MAX);
		n = l->argv[i];
		if (n[0] == '-' && n[1] == '-')
			n += 2;
		snprintf(ps->ignored[ps->nignored++], PARM_MAX, "%s", n);
	}
	return 0;
}

/* crl-verify FILE or an inline <crl-verify>: the CRL (PEM or DER) goes into
 * /certificate crl at import (cmd_ovpn.c), where every tunnel trusting its
 * CA then checks it. crl-verify DIR dir names one file per revoked serial,
 * which is no CRL we can import or check, so it is refused. */
static int
do_crl_verify(struct parser *ps, struct line *l)
{
	char *raw = NULL, *pem = NULL, e[200] = "";
	const char *text;
	int rc = 0;

	if (!l->inl && l->argc == 3)
		return fail(ps, l->lineno, "crl-verify %s %s: a directory of revoked serials can "
			    "not be imported; give one CRL file or an inline <crl-verify> block",
			    l->argv[1], l->argv[2]);
	if (!l->inl && !strcasecmp(l->argv[1], "[inline]"))
		return prof_want_inline(ps, l);
	if (!l->inl && prof_read_named(ps, l, l->argv[1], &raw))
		return -1;
	text = l->inl ? (l->block.s ? l->block.s : "") : raw;
	if (pki_crl_read((const unsigned char *)text, l->inl ? l->block.len : strlen(raw), &pem,
			 e, sizeof(e)))
		rc = fail(ps, l->lineno, "crl-verify: %s", e);
	prof_wipe_free(raw);
	if (!rc) {
		free(ps->p->crl);
		ps->p->crl = pem;
	}
	return rc;
}

static const struct directive directives[] = {
	{ "client", 0, 0, 0, do_client, NULL },
	{ "tls-client", 0, 0, 0, do_client, NULL },
	{ "remote", 1, 3, CONN, do_remote, NULL },
	{ "proto", 1, 1, CONN, do_proto, NULL },
	{ "port", 1, 1, CONN, do_port, NULL },
	{ "rport", 1, 1, CONN, do_port, NULL },
	{ "dev", 1, 1, 0, do_dev, NULL },
	{ "dev-type", 1, 1, 0, do_dev_type, NULL },
	{ "cipher", 1, 1, 0, do_cipher, NULL },
	{ "data-ciphers", 1, 1, 0, do_data_ciphers, NULL },
	{ "ncp-ciphers", 1, 1, 0, do_data_ciphers, NULL },
	{ "data-ciphers-fallback", 1, 1, 0, do_fallback, NULL },
	{ "auth", 1, 1, 0, do_auth, NULL },
	{ "ca", 1, 1, INL, do_ca, NULL },
	{ "cert", 1, 1, INL, do_cert, NULL },
	{ "key", 1, 1, INL, do_key, NULL },
	{ "tls-auth", 1, 2, INL, do_tls_auth, NULL },
	{ "tls-crypt", 1, 1, INL, do_tls_crypt, NULL },
	{ "tls-crypt-v2", 1, 2, INL, do_tls_crypt_v2, NULL },
	{ "key-direction", 1, 1, 0, do_key_direction, NULL },
	{ "verify-x509-name", 1, 2, 0, do_verify_x509, NULL },
	{ "remote-cert-tls", 1, 1, 0, do_cert_tls, NULL },
	{ "ns-cert-type", 1, 1, 0, do_cert_tls, NULL },
	{ "peer-fingerprint", 1, 1, INL, do_peer_fp, NULL },
	{ "route-nopull", 0, 0, 0, do_route_nopull, NULL },
	{ "redirect-gateway", ANY, 0, do_redirect, NULL },
	{ "tls-version-min", 1, 2, 0, do_tls_min, NULL },
	{ "comp-lzo", 0, 1, 0, do_comp_lzo, NULL },
	{ "compress", 0, 1, 0, do_compress, NULL },
	{ "allow-compression", 1, 1, 0, do_allow_comp, NULL },
	{ "tun-mtu", 1, 2, CONN, do_tun_mtu, NULL },
	{ "mode", 1, 1, 0, do_mode, NULL },
	{ "ignore-unknown-option", 1, OVPN_ARGS_MAX, 0, do_ignore_unknown, NULL },

	{ "remote-cert-ku", ANY, 0, NULL, NULL },
	{ "remote-cert-eku", ANY, 0, NULL, NULL },
	{ "tls-cipher", ANY, 0, NULL, NULL },
	{ "tls-ciphersuites", ANY, 0, NULL, NULL },
	{ "tls-groups", ANY, 0, NULL, NULL },
	{ "ecdh-curve", ANY, 0, NULL, NULL },
	{ "tls-version-max", ANY, 0, NULL, NULL },
	{ "comp-noadapt", ANY, 0, NULL, NULL },
	{ "crl-verify", 1, 2, INL, do_crl_verify, NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static const struct directive *
lookup_in(const struct directive *d, const char *name)
{
	size_t n;

	for (; d->name; d++) {
		n = strlen(d->name);
		if (d->name[n - 1] == '*' ? !strncmp(d->name, name, n - 1) :
		    !strcmp(d->name, name))
			return d;
	}
	return NULL;
}

static const struct directive *
lookup(const char *name)
{
	const struct directive *d = lookup_in(prof_net_directives, name);

	if (!d)
		d = lookup_in(prof_other_directives, name);
	return d ? d : lookup_in(directives, name);
}

static int
listed(struct parser *ps, const char *name)
{
	int i;

	for (i = 0; i < ps->nignored; i++)
		if (!strcmp(ps->ignored[i], name))
			return 1;
	return 0;
}

/* Run one directive. optional: it came from setenv opt, so an unknown name
 * is skipped (OpenVPN only warns there). */
/* "remote your public IP here": words a template left for the reader, as
 * one name. */
static int
placeholder_words(const struct line *l)
{
	char joined[PARM_MAX * 2] = "";

	for (int i = 1; i < l->argc; i++)
		snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s",
			 i > 1 ? " " : "", l->argv[i]);
	return ovpn_placeholder(joined);
}

static int
run(struct parser *ps, struct line *l, int optional)
{
	const struct directive *d = lookup(l->argv[0]);
	int nargs = l->argc - 1 + l->inl;

	if (!d) {
		if (optional || listed(ps, l->argv[0]))
			return prof_note(ps, l->lineno, "%s (unknown, skipped as the "
					 "profile asks)", l->argv[0]);
		return fail(ps, l->lineno, "unknown or unsupported directive '%s' (an "
			    "earlier ignore-unknown-option %s would skip it)",
			    l->argv[0], l->argv[0]);
	}
	if (d->why && !(d->flags & IGN))
		return fail(ps, l->lineno, "%s: %s", l->argv[0], d->why);
	if (ps->in_conn && !(d->flags & CONN))
		return fail(ps, l->lineno, "%s can not be inside <connection> (only "
			    "remote, proto, port, http-proxy and such are)", l->argv[0]);
	if (l->inl && !(d->flags & INL))
		return fail(ps, l->lineno, "%s can not be an inline <%s> block",
			    l->argv[0], l->argv[0]);
	if (nargs > d->max && !strcmp(l->argv[0], "remote") && placeholder_words(l))
		return fail(ps, l->lineno, "remote looks like a placeholder: put the server's "
			    "address");
	if (nargs < d->min || nargs > d->max)
		return fail(ps, l->lineno, "%s: %s parameters", l->argv[0],
			    nargs < d->min ? "missing" : "too many");
	if (!d->fn)
		return prof_note(ps, l->lineno, "%s (%s)", l->argv[0],
				 d->why ? d->why : "no effect here");
	return d->fn(ps, l);
}

/* setenv opt NAME... runs NAME as an optional directive; other setenv lines
 * only set variables for scripts, which we do not run. */
int
prof_dispatch(struct parser *ps, struct line *l)
{
	int i;

	if (strcmp(l->argv[0], "setenv"))
		return run(ps, l, 0);
	if (l->argc > 1 && !strcmp(l->argv[1], "GENERIC_CONFIG"))
		return fail(ps, l->lineno, "this is a GENERIC_CONFIG sample that can not "
			    "be used as it is");
	if (l->argc < 3 || strcmp(l->argv[1], "opt") || l->inl)
		return prof_note(ps, l->lineno, "setenv (a variable for scripts, "
				 "which are not run)");
	for (i = 2; i <= l->argc; i++)
		l->argv[i - 2] = l->argv[i];
	l->argc -= 2;
	if (!strcmp(l->argv[0], "setenv"))
		return 0;
	return run(ps, l, 1);
}

/* For the other files of the reader. */
int
prof_put(struct parser *ps, struct line *l, char *dst, size_t n, const char *src)
{
	return put(ps, l, dst, n, src);
}

int
prof_number(const char *s, long lo, long hi, int *v)
{
	return number(s, lo, hi, v);
}

int
prof_set_proto(struct parser *ps, struct line *l, const char *s, char out[8])
{
	return set_proto(ps, l, s, out);
}

int
prof_load_armor(struct parser *ps, struct line *l, enum kind k, char **dst)
{
	return load_armor(ps, l, k, dst);
}
