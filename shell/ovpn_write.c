/* ovpn_write.c: writes struct ovpn_profile as a client profile stock
 * OpenVPN 2.6 reads as is, word by word under OpenVPN's own quoting rules,
 * so that what we write reads back (here and in openvpn) to the same
 * profile; a field that could not be written so is refused, never bent. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovpn_profile.h"

struct wline {				/* one line being written */
	char s[OVPN_LINE_MAX];
	size_t n;
	int bad;			/* too long, or holds what can not be written */
};

static void
wl_add(struct wline *l, int c)
{
	/* room is left for the line end, which counts in OpenVPN's limit */
	if (l->n + 1 < sizeof(l->s))
		l->s[l->n++] = (char)c;
	else
		l->bad = 1;
}

/* Add one word, quoted when OpenVPN would otherwise split or misread it.
 * Line ends and control characters other than blanks would not read back. */
static void
wl_word(struct wline *l, const char *w)
{
	const char *c;
	int quote = !*w || *w == '#' || *w == ';';

	for (c = w; *c; c++) {
		if (*c == '\n' || *c == '\r' || *c == 0x7f ||
		    ((unsigned char)*c < 0x20 && !ovpn_blank((unsigned char)*c)))
			l->bad = 1;
		if (ovpn_blank((unsigned char)*c) || *c == '"' || *c == '\'' || *c == '\\')
			quote = 1;
	}
	if (quote)
		wl_add(l, '"');
	for (c = w; *c; c++) {
		if (quote && (*c == '"' || *c == '\\'))
			wl_add(l, '\\');
		wl_add(l, *c);
	}
	if (quote)
		wl_add(l, '"');
}

/* A directive and its n words, on one line OpenVPN can read. */
static int
put_words(FILE *f, const char *name, const char *const *w, int n)
{
	struct wline l;
	int i;

	memset(&l, 0, sizeof(l));
	wl_word(&l, name);
	for (i = 0; i < n; i++) {
		wl_add(&l, ' ');
		wl_word(&l, w[i]);
	}
	if (l.bad)
		return -1;
	fprintf(f, "%.*s\n", (int)l.n, l.s);
	return 0;
}

/* A directive and its words (at most 4), NULL-terminated. */
static int
put_line(FILE *f, const char *name, ...)
{
	const char *w[4];
	va_list ap;
	int n = 0;

	va_start(ap, name);
	while (n < 4 && (w[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	return put_words(f, name, w, n);
}

/* An inline block; its text may not hold a tag that would end it early. */
static int
put_block(FILE *f, const char *tag, const char *text)
{
	size_t n;

	if (!text)
		return 0;
	if (strchr(text, '<'))
		return -1;
	n = strlen(text);
	fprintf(f, "<%s>\n%s%s</%s>\n", tag, text, n && text[n - 1] == '\n' ? "" : "\n",
		tag);
	return 0;
}

static int
put_remotes(FILE *f, const struct ovpn_profile *p)
{
	char port[16];
	int i, rc = 0;

	for (i = 0; i < p->nremotes && i < OVPN_MAX_REMOTES; i++) {
		const struct ovpn_remote *r = &p->remotes[i];

		snprintf(port, sizeof(port), "%d", r->port ? r->port :
			 p->port ? p->port : 1194);
		if (r->proto[0])
			rc |= put_line(f, "remote", r->host, port, r->proto, NULL);
		else if (r->port)
			rc |= put_line(f, "remote", r->host, port, NULL);
		else
			rc |= put_line(f, "remote", r->host, NULL);
	}
	return rc;
}

/* peer-fingerprint as a block, one a line, as OpenVPN reads several. */
static int
put_fingerprints(FILE *f, const char *list)
{
	if (!list[0])
		return 0;
	if (strpbrk(list, "<\n"))
		return -1;
	fputs("<peer-fingerprint>\n", f);
	for (const char *s = list; *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] == ','))
		fprintf(f, "%.*s\n", (int)strcspn(s, ","), s);
	fputs("</peer-fingerprint>\n", f);
	return 0;
}

static int
put_tls(FILE *f, const struct ovpn_profile *p)
{
	int rc = 0;

	if (p->remote_cert_tls[0])
		rc |= put_line(f, "remote-cert-tls", p->remote_cert_tls, NULL);
	if (p->ns_cert_type)
		rc |= put_line(f, "ns-cert-type", "server", NULL);
	rc |= put_fingerprints(f, p->peer_fingerprint);
	if (p->verify_x509_name[0])
		rc |= put_line(f, "verify-x509-name", p->verify_x509_name,
			       p->verify_x509_type[0] ? p->verify_x509_type : NULL, NULL);
	if (p->data_ciphers[0])
		rc |= put_line(f, "data-ciphers", p->data_ciphers, NULL);
	if (p->cipher[0])
		rc |= put_line(f, "cipher", p->cipher, NULL);
	if (p->auth[0])
		rc |= put_line(f, "auth", p->auth, NULL);
	if (p->tls_version_min[0])
		rc |= put_line(f, "tls-version-min", p->tls_version_min, NULL);
	return rc;
}

/* redirect-gateway flags are written as separate words. */
static int
put_redirect(FILE *f, const char *flags)
{
	char copy[sizeof(((struct ovpn_profile *)0)->redirect_flags)], *t, *save;
	const char *w[OVPN_ARGS_MAX];
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", flags);
	for (t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == OVPN_ARGS_MAX - 1)
			return -1;
		w[n++] = t;
	}
	return put_words(f, "redirect-gateway", w, n);
}

static int
put_options(FILE *f, const struct ovpn_profile *p)
{
	char num[16];
	int rc = 0;

	if (p->route_nopull)
		fputs("route-nopull\n", f);
	if (p->redirect_gateway)
		rc |= put_redirect(f, p->redirect_flags);
	/* comp_stub does not say which stub the profile had; comp-lzo no is the
	 * framing met most (RouterOS, providers), and servers push theirs */
	if (p->comp_stub)
		fputs("comp-lzo no\n", f);
	if (p->mtu) {
		snprintf(num, sizeof(num), "%d", p->mtu);
		rc |= put_line(f, "tun-mtu", num, NULL);
	}
	if (p->fragment) {
		snprintf(num, sizeof(num), "%d", p->fragment);
		rc |= put_line(f, "fragment", num, NULL);
	}
	return rc;
}

static int
put_blocks(FILE *f, const struct ovpn_profile *p)
{
	int rc = 0;

	rc |= put_block(f, "ca", p->ca);
	rc |= put_block(f, "cert", p->cert);
	rc |= put_block(f, "key", p->key);
	if (p->tls_auth && p->key_direction >= 0)
		fprintf(f, "key-direction %d\n", p->key_direction ? 1 : 0);
	rc |= put_block(f, "tls-auth", p->tls_auth);
	rc |= put_block(f, "tls-crypt", p->tls_crypt);
	rc |= put_block(f, "tls-crypt-v2", p->tls_crypt_v2);
	return rc;
}

static int
put_profile(FILE *f, const struct ovpn_profile *p)
{
	char num[16];
	int rc = 0;

	fputs("# OpenVPN client profile written by Rosh\nclient\n", f);
	rc |= put_line(f, "dev", strcmp(p->dev, "tap") ? "tun" : "tap", NULL);
	rc |= put_line(f, "proto", strcmp(p->proto, "tcp") ? "udp" : "tcp", NULL);
	if (p->port && p->port != 1194) {
		snprintf(num, sizeof(num), "%d", p->port);
		rc |= put_line(f, "port", num, NULL);
	}
	rc |= put_remotes(f, p);
	fputs("nobind\npersist-key\npersist-tun\n", f);
	if (p->auth_user_pass)
		fputs("auth-user-pass\n", f);
	rc |= put_tls(f, p);
	rc |= put_options(f, p);
	rc |= put_blocks(f, p);
	return rc;
}

/* NULL when out of memory, or when a field can not be written so that
 * OpenVPN reads it back (a line end in a value, a line over its limit, a
 * block text holding a tag): better no profile than a different one. */
char *
ovpn_write(const struct ovpn_profile *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	rc = put_profile(f, p);
	if (fclose(f) || rc) {
		if (text)
			explicit_bzero(text, len);
		free(text);
		return NULL;
	}
	return text;
}
