/* ovpn_profile.h: .ovpn client profiles, read (ovpn_read.c and its
 * helpers) and written (ovpn_write.c). Pure: no database, no console; files
 * named by the profile are read through a callback so the caller keeps them
 * inside its file store. */
#ifndef OVPN_PROFILE_H
#define OVPN_PROFILE_H

#include <stddef.h>

#define OVPN_MAX_REMOTES 16

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
	int mtu;			/* tun-mtu, 0 when absent */
};

/* Reads a file named in the profile (ca file.crt, tls-auth ta.key 1...):
 * returns malloc'd text and 0, or -1 with err set. */
typedef int (*ovpn_read_fn)(void *ctx, const char *name, char **text, char *err,
			    size_t errlen);

/* Parse a profile. On failure returns -1, sets err to a sentence and *line to
 * the 1-based line at fault (0 when none), and leaves *out empty. Accepts CRLF,
 * comments with # and ;, quoting with "" and '' and backslash escapes, inline
 * <ca> <cert> <key> <tls-auth> <tls-crypt> <tls-crypt-v2> blocks. Refuses with
 * the line number: directives that change behaviour we can not provide
 * (comp-lzo yes/adaptive, compress lzo/lz4, fragment, socks-proxy, ...),
 * unknown directives (unless named by ignore-unknown-option or prefixed by
 * setenv opt), unclosed or malformed blocks, non-text input, files over 1 MiB. */
int ovpn_parse(const char *text, size_t len, ovpn_read_fn readf, void *ctx,
	       struct ovpn_profile *out, char *err, size_t errlen, int *line);
void ovpn_profile_free(struct ovpn_profile *p);

/* Write a client profile stock OpenVPN 2.6 reads as is: client, dev, proto,
 * remote(s), nobind, persist-key, persist-tun, auth-user-pass (if set),
 * remote-cert-tls, ns-cert-type, <peer-fingerprint>, verify-x509-name,
 * data-ciphers, cipher (for old peers),
 * auth, tls-version-min, key-direction, inline blocks. Returns malloc'd text. */
char *ovpn_write(const struct ovpn_profile *p);

#endif
