/* tunnel_cfg.h: what a server and a client read from the configuration
 * besides their own item's plain values (tunnel_cfg.c). */
#ifndef TUNNEL_CFG_H
#define TUNNEL_CFG_H

#include <stddef.h>

#include "configdb.h"
#include "ovpn/session.h"

/* What a tunnel's TLS is given from /certificate (each malloc'd or NULL). */
struct tunnel_tls {
	char *cert, *key;		/* its own, when one is named */
	char *cas;			/* the trust store: trusted CAs, not revoked, as PEM */
	char *crls;			/* the CRLs of those CAs (each verified with one), PEM */
};

/* mine names its own certificate, or is NULL or "none" for none; a named
 * one must be signed and have its key. 0, or -1 with err set (and t
 * holding nothing). */
int tunnel_tls_load(struct cdb *db, const char *mine, struct tunnel_tls *t, char *err,
		    size_t errlen);

/* The item's cipher and auth (one value or a list) into cfg's lists, in
 * their order, by the OpenVPN names the schema gives them; values the
 * protocol core does not have are left out. */
void tunnel_ciphers(const struct cdb_menu *m, const struct cdb_item *it, struct ovpn_cfg *cfg);

/* Everything a running tunnel depends on, as text: its item's values (not
 * the runtime ones), extra, its certificate and key and every trusted
 * authority, so that a change to any restarts it. Malloc'd. */
char *tunnel_fingerprint(struct cdb *db, const struct cdb_menu *m, const struct cdb_item *it,
			 const char *extra);

/* The data channel as /ppp active and monitor show it: the cipher, then the
 * digest when the cipher does not authenticate by itself ("AES-128-CBC SHA1",
 * "AES-256-GCM"). */
void tunnel_encoding(char *buf, size_t len, const char *cipher, const char *digest);

#endif
