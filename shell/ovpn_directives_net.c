/* ovpn_directives_net.c: the directives of a .ovpn profile that map onto
 * the Rosh extensions of /interface ovpn-client (routes, pull-filter,
 * dns-servers, mssfix, ping-interval, ping-restart, reneg-sec,
 * remote-random) and onto what the import reads beside the profile
 * (auth-user-pass and http-proxy credentials, pkcs12, extra-certs),
 * <connection> blocks, the placeholder check of remote, and the notes
 * listing what is accepted without effect. rosh-ovpn(7) has the table of
 * every directive. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovpn_read.h"
#include "pki.h"

int
prof_note(struct parser *ps, int line, const char *fmt, ...)
{
	char msg[400];
	int n;
	va_list ap;

	n = snprintf(msg, sizeof(msg), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (tbuf_add(&ps->notes, msg, strlen(msg)) || tbuf_add(&ps->notes, "\n", 1))
		return fail(ps, line, "out of memory");
	return 0;
}

/* ---- placeholders ---- */

/* Names RFC 2606 and RFC 6761 keep for examples and tests. */
static int
reserved_name(const char *h)
{
	static const char *const tlds[] = { "example", "invalid", "test", NULL };
	static const char *const slds[] = { "example.com", "example.net", "example.org",
		NULL };
	const char *last = strrchr(h, '.'), *const *t;
	size_t n = strlen(h), k;

	last = last ? last + 1 : h;
	for (t = tlds; *t; t++)
		if (!strcmp(last, *t))
			return 1;
	for (t = slds; *t; t++) {
		k = strlen(*t);
		if (n >= k && !strcmp(h + n - k, *t) && (n == k || h[n - k - 1] == '.'))
			return 1;
	}
	return 0;
}

/* Words a template leaves for the reader to fill: your..., my server,
 * server ip/address/name, and a bare host, server or address. */
static int
template_words(const char *h)
{
	char copy[256], *w, *save = NULL, prev[64] = "";
	int words = 0, hit = 0;

	snprintf(copy, sizeof(copy), "%s", h);
	for (w = strtok_r(copy, ".-_ ", &save); w && !hit; w = strtok_r(NULL, ".-_ ", &save)) {
		words++;
		hit = !strncmp(w, "your", 4) || !strncmp(w, "myserver", 8) ||
		      (!strcmp(prev, "my") && !strncmp(w, "server", 6)) ||
		      (!strcmp(prev, "server") && (!strcmp(w, "ip") || !strcmp(w, "address") ||
						   !strcmp(w, "addr") || !strcmp(w, "name") ||
						   !strcmp(w, "host") || !strcmp(w, "hostname"))) ||
		      !strcmp(w, "serverip") || !strcmp(w, "changeme") ||
		      !strcmp(w, "placeholder");
		snprintf(prev, sizeof(prev), "%s", w);
	}
	return hit || (words == 1 && (!strcmp(h, "server") || !strcmp(h, "host") ||
				      !strcmp(h, "hostname") || !strcmp(h, "address") ||
				      !strcmp(h, "ip") || !strcmp(h, "vpnserver")));
}

/* x.x.x.x, 1.2.3.xxx, 0.0.0.0: four dotted parts of digits or x's with a
 * letter among them, or the unspecified address. */
static int
dotted_x(const char *h)
{
	int parts = 1, letters = 0;

	if (!strcmp(h, "0.0.0.0"))
		return 1;
	for (; *h; h++) {
		if (*h == '.')
			parts++;
		else if (*h == 'x')
			letters++;
		else if (*h < '0' || *h > '9')
			return 0;
	}
	return parts == 4 && letters;
}

int
ovpn_placeholder(const char *host)
{
	char h[256];
	size_t i, n;

	if (strpbrk(host, "<>{}[]$%"))
		return 1;
	for (i = 0; host[i] && i < sizeof(h) - 1; i++)
		h[i] = (char)(host[i] >= 'A' && host[i] <= 'Z' ? host[i] + 32 : host[i]);
	h[i] = '\0';
	n = strlen(h);
	while (n && h[n - 1] == '.')
		h[--n] = '\0';
	return reserved_name(h) || template_words(h) || dotted_x(h);
}

/* ---- <connection> ---- */

/* Each block is one remote with its own proto and port; the directives in
 * it are run as the profile's (those without CONN are refused there). */
static int
do_connection(struct parser *ps, struct line *l)
{
	const char *s = l->block.s ? l->block.s : "", *e;
	struct ovpn_remote *r;
	struct line *sub;
	int before = ps->p->nremotes, idx = 0, rc = 0;

	if (!l->inl)
		return fail(ps, l->lineno, "connection: write it as a <connection> block");
	if (!(sub = calloc(1, sizeof(*sub))))
		return fail(ps, l->lineno, "out of memory");
	ps->in_conn = 1;
	ps->conn_proto[0] = '\0';
	ps->conn_port = 0;
	for (; *s && !rc; s = *e ? e + 1 : e, idx++) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		memset(sub, 0, sizeof(*sub));
		sub->lineno = l->lineno + 1 + idx;
		rc = prof_split(ps, s, (size_t)(e - s), sub);
		if (!rc && sub->argc)
			rc = prof_dispatch(ps, sub);
	}
	ps->in_conn = 0;
	free(sub);
	if (rc)
		return -1;
	if (ps->p->nremotes != before + 1)
		return fail(ps, l->lineno, "<connection> must hold one remote line, not %d",
			    ps->p->nremotes - before);
	r = &ps->p->remotes[before];
	if (!r->port)
		r->port = ps->conn_port;
	if (!r->proto[0])
		strcpy(r->proto, ps->conn_proto);
	return 0;
}

static int
do_remote_random(struct parser *ps, struct line *l)
{
	(void)l;
	ps->p->remote_random = 1;
	return 0;
}

/* ---- routes, filters, DNS ---- */

static int
append(struct parser *ps, struct line *l, char *dst, size_t n, const char *text)
{
	if (strlen(dst) + strlen(text) + 2 > n)
		return fail(ps, l->lineno, "%s: too many for one profile", l->argv[0]);
	if (*dst)
		strcat(dst, ",");
	strcat(dst, text);
	return 0;
}

static int
mask_len(const char *s)
{
	unsigned a, b, c, d, m;
	int len = 0;
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 ||
	    c > 255 || d > 255)
		return -1;
	m = a << 24 | b << 16 | c << 8 | d;
	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	return len < 32 && (m << len) ? -1 : len;
}

static int
is_ip4(const char *s)
{
	unsigned a, b, c, d;
	char tail;

	return strspn(s, "0123456789.") == strlen(s) &&
	       sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a < 256 &&
	       b < 256 && c < 256 && d < 256;
}

/* route NET [MASK [GATEWAY [METRIC]]]: through the tunnel (vpn_gateway);
 * routes to the local gateway (net_gateway, remote_host) stay as they
 * are here, since the way to the server is kept anyway. */
static int
do_route(struct parser *ps, struct line *l)
{
	const char *gw = l->argc > 3 ? l->argv[3] : "vpn_gateway";
	char text[64];
	int len = 32;

	if (!strcmp(gw, "net_gateway") || !strcmp(l->argv[1], "remote_host"))
		return prof_note(ps, l->lineno, "route %s (around the tunnel: add it to "
				 "/ip route if it is needed)", l->argv[1]);
	if (!is_ip4(l->argv[1]))
		return fail(ps, l->lineno, "route %s: put the network's address (names "
			    "and keywords other than net_gateway are not supported)",
			    l->argv[1]);
	if (l->argc > 2 && strcmp(l->argv[2], "default") &&
	    (len = mask_len(l->argv[2])) < 0)
		return fail(ps, l->lineno, "route: bad netmask '%s'", l->argv[2]);
	if (strcmp(gw, "vpn_gateway") && strcmp(gw, "default") && !is_ip4(gw))
		return fail(ps, l->lineno, "route: bad gateway '%s'", gw);
	if (l->argc > 3 && strcmp(gw, "vpn_gateway") && strcmp(gw, "default"))
		prof_note(ps, l->lineno, "route gateway %s (routed through the tunnel)", gw);
	snprintf(text, sizeof(text), "%s/%d", l->argv[1], len);
	return append(ps, l, ps->p->routes, sizeof(ps->p->routes), text);
}

/* route-ipv6 NET/LEN [GATEWAY [METRIC]]: through the tunnel. */
static int
do_route6(struct parser *ps, struct line *l)
{
	const char *n = l->argv[1], *slash = strchr(n, '/');
	int len = 128;

	if (strspn(n, "0123456789abcdefABCDEF:./") != strlen(n) || !strchr(n, ':') ||
	    (slash && prof_number(slash + 1, 0, 128, &len)))
		return fail(ps, l->lineno, "route-ipv6 %s: put the network as address/length", n);
	if (l->argc > 2)
		prof_note(ps, l->lineno, "route-ipv6 gateway %s (routed through the tunnel)",
			  l->argv[2]);
	return append(ps, l, ps->p->routes, sizeof(ps->p->routes), n);
}

static int
do_pull_filter(struct parser *ps, struct line *l)
{
	char text[PARM_MAX + 16];

	if (strcmp(l->argv[1], "accept") && strcmp(l->argv[1], "ignore") &&
	    strcmp(l->argv[1], "reject"))
		return fail(ps, l->lineno, "pull-filter: '%s' is not accept, ignore or "
			    "reject", l->argv[1]);
	if (strchr(l->argv[2], ',') || !*l->argv[2])
		return fail(ps, l->lineno, "pull-filter: the text must be one option, "
			    "without a comma");
	snprintf(text, sizeof(text), "%s %s", l->argv[1], l->argv[2]);
	return append(ps, l, ps->p->pull_filter, sizeof(ps->p->pull_filter), text);
}

static int
add_dns(struct parser *ps, struct line *l, const char *addr)
{
	unsigned char b[16];

	if (inet_pton(AF_INET, addr, b) != 1 && inet_pton(AF_INET6, addr, b) != 1)
		return fail(ps, l->lineno, "%s: '%s' is not an address", l->argv[0], addr);
	return append(ps, l, ps->p->dns, sizeof(ps->p->dns), addr);
}

/* dhcp-option DNS|DNS6 ADDR is mapped; the rest only feeds the stock
 * client's scripts and Windows adapter. */
static int
do_dhcp_option(struct parser *ps, struct line *l)
{
	if ((!strcmp(l->argv[1], "DNS") || !strcmp(l->argv[1], "DNS6")) && l->argc == 3)
		return add_dns(ps, l, l->argv[2]);
	return prof_note(ps, l->lineno, "dhcp-option %s (only DNS servers are taken "
			 "from a profile)", l->argv[1]);
}

/* OpenVPN 2.6's dns server N address A [A...]; other dns options noted. */
static int
do_dns(struct parser *ps, struct line *l)
{
	int i;

	if (l->argc < 5 || strcmp(l->argv[1], "server") || strcmp(l->argv[3], "address"))
		return prof_note(ps, l->lineno, "dns %s (only server addresses are "
				 "taken)", l->argv[1]);
	for (i = 4; i < l->argc; i++) {
		char a[PARM_MAX];

		snprintf(a, sizeof(a), "%s", l->argv[i][0] == '[' ? l->argv[i] + 1 :
			 l->argv[i]);
		if (l->argv[i][0] == '[' && strchr(a, ']'))	/* [addr]:port */
			*strchr(a, ']') = '\0';
		else if (strchr(a, ':') && strchr(a, ':') == strrchr(a, ':'))
			*strchr(a, ':') = '\0';		/* v4:port */
		if (add_dns(ps, l, a))
			return -1;
	}
	return 0;
}

/* ---- timers and sizes ---- */

static int
seconds(struct parser *ps, struct line *l, const char *s, int *v)
{
	if (prof_number(s, 0, 86400, v))
		return fail(ps, l->lineno, "%s: '%s' is not 0 to 86400 seconds", l->argv[0], s);
	return 0;
}

/* keepalive N M: on a client, ping N and ping-restart M. */
static int
do_keepalive(struct parser *ps, struct line *l)
{
	if (seconds(ps, l, l->argv[1], &ps->p->ping) ||
	    seconds(ps, l, l->argv[2], &ps->p->ping_restart))
		return -1;
	if (ps->p->ping_restart && ps->p->ping_restart < 2 * ps->p->ping)
		return fail(ps, l->lineno, "keepalive: the restart time must be at least "
			    "twice the ping time");
	return 0;
}

static int
do_ping(struct parser *ps, struct line *l)
{
	return seconds(ps, l, l->argv[1], !strcmp(l->argv[0], "ping") ? &ps->p->ping :
		       &ps->p->ping_restart);
}

static int
do_reneg(struct parser *ps, struct line *l)
{
	if (prof_number(l->argv[1], 0, 604800, &ps->p->reneg_sec))
		return fail(ps, l->lineno, "reneg-sec: '%s' is not 0 to 604800 seconds",
			    l->argv[1]);
	if (l->argc > 2)
		prof_note(ps, l->lineno, "reneg-sec %s (the server's range is not used by "
			  "a client)", l->argv[2]);
	return 0;
}

/* mssfix [N [mtu|fixed]]: N is the datagram size, 0 turns clamping off;
 * bare mssfix is OpenVPN's default, 1492. */
static int
do_mssfix(struct parser *ps, struct line *l)
{
	if (l->argc == 1) {
		ps->p->mssfix = 1492;
		return 0;
	}
	if (prof_number(l->argv[1], 0, 65535, &ps->p->mssfix) ||
	    (ps->p->mssfix && ps->p->mssfix < 576))
		return fail(ps, l->lineno, "mssfix: '%s' is not 0 or 576 to 65535", l->argv[1]);
	if (l->argc > 2)
		prof_note(ps, l->lineno, "mssfix %s (sizes count the IPv4/UDP datagram)",
			  l->argv[2]);
	return 0;
}

/* fragment N [mtu]: N bounds the UDP payload; with mtu it counts the
 * IPv4 and UDP headers too (28 bytes). */
static int
do_fragment(struct parser *ps, struct line *l)
{
	int n, ip = l->argc > 2 ? 28 : 0;

	if (l->argc > 2 && strcmp(l->argv[2], "mtu"))
		return fail(ps, l->lineno, "fragment: '%s' is not mtu", l->argv[2]);
	if (prof_number(l->argv[1], 576 + ip, 65535, &n))
		return fail(ps, l->lineno, "fragment: '%s' is not %d to 65535", l->argv[1], 576 + ip);
	ps->p->fragment = n - ip;
	ps->frag_line = l->lineno;
	if (ip)
		prof_note(ps, l->lineno, "fragment %s mtu: %d bytes of UDP payload (IPv4 headers "
			  "taken off)", l->argv[1], n - ip);
	return 0;
}

/* ---- credentials ---- */

/* First line user, second password (OpenVPN's auth-user-pass file). */
static int
user_pass(struct parser *ps, struct line *l, const char *text, char **user, char **pass)
{
	size_t n = strcspn(text, "\r\n");
	const char *p2 = text + n;

	while (*p2 == '\r' || *p2 == '\n')
		p2++;
	if (!n)
		return fail(ps, l->lineno, "%s: the first line (the user name) is empty",
			    l->argv[0]);
	prof_wipe_free(*user);
	prof_wipe_free(*pass);
	*user = strndup(text, n);
	*pass = strndup(p2, strcspn(p2, "\r\n"));
	if (!*user || !*pass)
		return fail(ps, l->lineno, "out of memory");
	if (!**pass) {
		free(*pass);
		*pass = NULL;
	}
	return 0;
}

/* auth-user-pass [FILE | <auth-user-pass>]: the flag, and the user and
 * password when the profile holds them. */
static int
do_auth_user_pass(struct parser *ps, struct line *l)
{
	char *text = NULL;
	int rc;

	ps->p->auth_user_pass = 1;
	if (l->inl)
		return user_pass(ps, l, l->block.s ? l->block.s : "", &ps->p->user,
				 &ps->p->pass);
	if (l->argc < 2 || !strcmp(l->argv[1], "stdin"))
		return 0;
	if (prof_read_named(ps, l, l->argv[1], &text))
		return -1;
	rc = user_pass(ps, l, text, &ps->p->user, &ps->p->pass);
	prof_wipe_free(text);
	return rc;
}

/* http-proxy HOST PORT [AUTHFILE|auto|auto-nct] [basic|none]. */
static int
do_http_proxy(struct parser *ps, struct line *l)
{
	struct ovpn_profile *p = ps->p;
	char *text = NULL;
	int port = 8080, rc;

	if (l->argc > 2 && prof_number(l->argv[2], 1, 65535, &port))
		return fail(ps, l->lineno, "http-proxy: bad port '%s'", l->argv[2]);
	if (p->proxy[0] && (strcmp(p->proxy, l->argv[1]) || p->proxy_port != port))
		return fail(ps, l->lineno, "http-proxy: a second proxy (%s) can not be "
			    "honoured: one client has one proxy", l->argv[1]);
	if (prof_put(ps, l, p->proxy, sizeof(p->proxy), l->argv[1]))
		return -1;
	p->proxy_port = port;
	ps->proxy_line = l->lineno;
	if (l->argc > 4 && strcmp(l->argv[4], "basic") && strcmp(l->argv[4], "none"))
		return fail(ps, l->lineno, "http-proxy: %s authentication is not supported, "
			    "only basic", l->argv[4]);
	if (l->argc < 4 || !strcmp(l->argv[3], "stdin"))
		return 0;
	if (!strncmp(l->argv[3], "auto", 4))
		return fail(ps, l->lineno, "http-proxy %s asks for the proxy's password "
			    "interactively: put user and password in a file named there",
			    l->argv[3]);
	if (prof_read_named(ps, l, l->argv[3], &text))
		return -1;
	rc = user_pass(ps, l, text, &p->proxy_user, &p->proxy_pass);
	prof_wipe_free(text);
	return rc;
}

static int
do_proxy_user_pass(struct parser *ps, struct line *l)
{
	if (!l->inl)
		return fail(ps, l->lineno, "http-proxy-user-pass: write it as a block");
	return user_pass(ps, l, l->block.s ? l->block.s : "", &ps->p->proxy_user,
			 &ps->p->proxy_pass);
}

/* pkcs12: an inline block is base64 of the DER; a file is read by the
 * caller, which knows it is binary. */
static int
do_pkcs12(struct parser *ps, struct line *l)
{
	const char *s;
	unsigned acc = 0;
	int bits = 0, v;
	size_t n = 0;

	ps->pkcs12_line = ps->p->pkcs12_line = l->lineno;
	if (!l->inl) {
		const char *base = l->argv[1], *t;

		if (!strcasecmp(base, "[inline]"))
			return prof_want_inline(ps, l);
		for (t = base; *t; t++)
			if (*t == '/' || *t == '\\')
				base = t + 1;
		return prof_put(ps, l, ps->p->pkcs12_file, sizeof(ps->p->pkcs12_file), base);
	}
	s = l->block.s ? l->block.s : "";
	free(ps->p->pkcs12);
	if (!(ps->p->pkcs12 = malloc(strlen(s) / 4 * 3 + 3)))
		return fail(ps, l->lineno, "out of memory");
	for (; *s && *s != '='; s++) {
		if (ovpn_blank((unsigned char)*s))
			continue;
		if ((v = pki_b64_value((unsigned char)*s)) < 0)
			return fail(ps, l->lineno, "<pkcs12> holds text that is not base64");
		acc = acc << 6 | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			ps->p->pkcs12[n++] = (unsigned char)(acc >> bits);
		}
	}
	ps->p->pkcs12_len = n;
	if (n < 32)
		return fail(ps, l->lineno, "<pkcs12> is empty or truncated");
	return 0;
}

static int
do_extra_certs(struct parser *ps, struct line *l)
{
	return prof_load_armor(ps, l, K_CERTS, &ps->extra);
}

static int
do_explicit_exit(struct parser *ps, struct line *l)
{
	return prof_note(ps, l->lineno, "%s (always done: the client tells the server "
			 "when it stops)", l->argv[0]);
}

/* ---- [inline] and the whole profile ---- */

static const char *const inline_names[] = { "ca", "cert", "key", "tls-auth", "tls-crypt",
	"tls-crypt-v2", "pkcs12", "extra-certs" };

int
prof_want_inline(struct parser *ps, struct line *l)
{
	for (int i = 0; i < 8; i++)
		if (!strcmp(l->argv[0], inline_names[i]) && !ps->want_line[i])
			ps->want_line[i] = l->lineno;
	return 0;
}

static int
inline_missing(struct parser *ps)
{
	const struct ovpn_profile *p = ps->p;
	const void *have[8] = { p->ca, p->cert, p->key, p->tls_auth, p->tls_crypt,
		p->tls_crypt_v2, p->pkcs12, ps->extra };

	for (int i = 0; i < 8; i++)
		if (ps->want_line[i] && !have[i])
			return fail(ps, ps->want_line[i], "%s [inline], but no <%s> block "
				    "follows", inline_names[i], inline_names[i]);
	return 0;
}

int
prof_finish_net(struct parser *ps)
{
	struct ovpn_profile *p = ps->p;

	if (inline_missing(ps))
		return -1;
	if ((p->pkcs12 || p->pkcs12_file[0]) && (p->cert || p->key))
		return fail(ps, ps->pkcs12_line, "pkcs12 and cert/key exclude one another");
	if (ps->extra && p->cert) {
		char *both = malloc(strlen(p->cert) + strlen(ps->extra) + 1);

		if (!both)
			return fail(ps, 0, "out of memory");
		strcpy(both, p->cert);
		strcat(both, ps->extra);
		prof_wipe_free(p->cert);
		p->cert = both;
	}
	for (int i = 0; i < p->nremotes; i++) {
		int tcp = !strcmp(p->remotes[i].proto[0] ? p->remotes[i].proto : p->proto, "tcp");

		if (p->proxy[0] && !tcp)
			return fail(ps, ps->proxy_line, "http-proxy needs proto tcp, but "
				    "remote %s uses udp", p->remotes[i].host);
		if (p->fragment && tcp)
			return fail(ps, ps->frag_line, "fragment needs proto udp, but remote %s "
				    "uses tcp (OpenVPN refuses it too)", p->remotes[i].host);
	}
	p->notes = ps->notes.s;
	ps->notes.s = NULL;
	return 0;
}

const struct directive prof_net_directives[] = {
	{ "connection", 1, 1, INL, do_connection, NULL },
	{ "remote-random", 0, 0, 0, do_remote_random, NULL },
	{ "route", 1, 4, 0, do_route, NULL },
	{ "route-ipv6", 1, 3, 0, do_route6, NULL },
	{ "pull-filter", 2, 2, 0, do_pull_filter, NULL },
	{ "dhcp-option", 1, 2, 0, do_dhcp_option, NULL },
	{ "dns", 1, OVPN_ARGS_MAX, 0, do_dns, NULL },
	{ "keepalive", 2, 2, 0, do_keepalive, NULL },
	{ "ping", 1, 1, 0, do_ping, NULL },
	{ "ping-restart", 1, 1, 0, do_ping, NULL },
	{ "reneg-sec", 1, 2, 0, do_reneg, NULL },
	{ "mssfix", 0, 2, CONN, do_mssfix, NULL },
	{ "fragment", 1, 2, CONN, do_fragment, NULL },
	{ "auth-user-pass", 0, 1, INL, do_auth_user_pass, NULL },
	{ "http-proxy", 1, 4, CONN, do_http_proxy, NULL },
	{ "http-proxy-user-pass", 1, 1, INL | CONN, do_proxy_user_pass, NULL },
	{ "pkcs12", 1, 1, INL, do_pkcs12, NULL },
	{ "extra-certs", 1, 1, INL, do_extra_certs, NULL },
	{ "explicit-exit-notify", 0, 1, CONN, do_explicit_exit, NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};
