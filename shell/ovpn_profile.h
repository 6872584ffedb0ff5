/* ovpn_profile.h: .ovpn client profiles, read (ovpn_read.c and its
 * helpers) and written (ovpn_write.c). Pure: no database, no console; files
 * named by the profile are read through a callback so the caller keeps them
 * inside its file store. */
#ifndef OVPN_PROFILE_H
#define OVPN_PROFILE_H

#include <stddef.h>

#define OVPN_MAX_REMOTES 64	/* OpenVPN 2.6 takes 64 connection entries */
#define PKCS12_NAME 256

/* OpenVPN's line rules, which the reader enforces and the writer keeps to. */
#define OVPN_LINE_MAX	255		/* bytes of a line with its line end:
					 * OpenVPN's OPTION_LINE_SIZE less one */
#define OVPN_ARGS_MAX	16		/* OpenVPN's MAX_PARMS */
/* OpenVPN's space(): NUL counts, so the end of a line ends a word. */
int ovpn_blank(int c);

struct ovpn_remote {
	char host[256];
	int port;			/* 0: the profile's port */
	char proto[8];			/* "udp", "tcp" or "" for the profile's */
};

struct ovpn_profile {
	struct ovpn_remote remotes[OVPN_MAX_REMOTES];
	int nremotes;
	char proto[8];			/* "udp" (default) or "tcp"; udp4/udp6/tcp-client... map here */
	int port;			/* default 1194 */
	char dev[8];			/* "tun" (default) or "tap" */
	char cipher[64];		/* as written, e.g. "AES-256-CBC"; "" if absent */
	char data_ciphers[512];		/* colon list as written; "" if absent */
	char auth[32];			/* e.g. "SHA256"; "" if absent */
	int auth_user_pass;		/* auth-user-pass present */
	char *ca, *cert, *key;		/* PEM text (inline or from a file), NULL if absent */
	char *tls_auth;			/* OpenVPN static key text */
	int key_direction;		/* 0, 1, or -1 when not given */
	char *tls_crypt;
	char *tls_crypt_v2;
	char verify_x509_name[256];
	char verify_x509_type[16];	/* "subject", "name", "name-prefix" or "" */
	char remote_cert_tls[16];	/* "server" or "" */
	int ns_cert_type;		/* ns-cert-type server given */
	char peer_fingerprint[1024];	/* SHA-256 AB:CD:.. pins, comma separated; "" none */
	int route_nopull;
	int redirect_gateway;		/* redirect-gateway present */
	char redirect_flags[64];	/* its flags, e.g. "def1 bypass-dhcp" */
	char tls_version_min[16];	/* "1.2", "1.3" or "" */
	int comp_stub;			/* comp-lzo no / compress (stub): framing without compression */
	char compression[12];		/* the client's compression value (no, lzo-stub, stub,
					 * stub-v2, lzo, lz4, lz4-v2), "" when absent */
	int allow_comp_no;		/* allow-compression no: an algorithm is refused */
	int mtu;			/* tun-mtu, 0 when absent */
	char *crl;			/* crl-verify (file or inline): the CRL as PEM, NULL if absent */

	/* added for issue 11 (ovpn_directives_net.c) */
	int remote_random;		/* remote-random */
	char routes[1024];		/* route and route-ipv6 lines as net/len, comma separated */
	char pull_filter[1024];		/* "ACTION TEXT" entries, comma separated */
	char dns[512];			/* dhcp-option DNS servers, comma separated */
	int mssfix;			/* -1 absent, 0 off, else the datagram size */
	int fragment;			/* fragment: UDP payload limit, 0 absent */
	int ping, ping_restart;		/* seconds; -1 absent (keepalive sets both) */
	int reneg_sec;			/* -1 absent, 0 never */
	char proxy[256];		/* http-proxy host, "" none */
	int proxy_port;
	char *proxy_user, *proxy_pass;	/* from its auth file or inline block */
	char *user, *pass;		/* from auth-user-pass FILE or its block */
	char pkcs12_file[PKCS12_NAME];	/* pkcs12 FILE: read by the caller */
	int pkcs12_line;		/* its line, for the caller's errors */
	unsigned char *pkcs12;		/* inline <pkcs12>, decoded DER */
	size_t pkcs12_len;
	char *notes;			/* "line N: DIRECTIVE (why)\n" for each line
					 * accepted without effect */
};

/* Reads a file named in the profile (ca file.crt, tls-auth ta.key 1...):
 * returns malloc'd text and 0, or -1 with err set. Only the last component
 * of the path the profile names is passed: the file is looked up beside the
 * profile in the file store, wherever the profile's author kept it. */
typedef int (*ovpn_read_fn)(void *ctx, const char *name, char **text, char *err,
			    size_t errlen);

/* Parse a profile. On failure returns -1, sets err to a sentence and *line to
 * the 1-based line at fault (0 when none), and leaves *out empty. Accepts CRLF,
 * comments with # and ;, quoting with "" and '' and backslash escapes, inline
 * <ca> <cert> <key> <pkcs12> <tls-auth> <tls-crypt> <tls-crypt-v2>
 * <auth-user-pass> <http-proxy-user-pass> <connection> blocks. Directives
 * without effect here are accepted and listed in p->notes, one line each.
 * Refuses with the line number: directives that can not be honoured safely
 * (tls-verify, redirect-gateway ipv6, socks-proxy, ...; the
 * table is in rosh-ovpn(7)), a placeholder remote, unknown directives
 * (unless named by ignore-unknown-option or prefixed by setenv opt),
 * unclosed or malformed blocks, non-text input, files over 1 MiB. */
int ovpn_parse(const char *text, size_t len, ovpn_read_fn readf, void *ctx,
	       struct ovpn_profile *out, char *err, size_t errlen, int *line);
void ovpn_profile_free(struct ovpn_profile *p);

/* 1 when a remote's host is what a template leaves for the reader to fill
 * (your.server, my-server-1, <server>, x.x.x.x, the example names of RFC
 * 2606 and RFC 6761), not a server. */
int ovpn_placeholder(const char *host);

/* Write a client profile stock OpenVPN 2.6 reads as is: client, dev, proto,
 * remote(s), nobind, persist-key, persist-tun, auth-user-pass (if set),
 * remote-cert-tls, ns-cert-type, <peer-fingerprint>, verify-x509-name,
 * data-ciphers, cipher (for old peers),
 * auth, tls-version-min, tun-mtu, fragment, key-direction, inline blocks. Returns malloc'd text. */
char *ovpn_write(const struct ovpn_profile *p);

#endif
