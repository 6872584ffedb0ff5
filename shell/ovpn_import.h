/* ovpn_import.h: what import-ovpn-configuration does beyond RouterOS's
 * own properties (ovpn_import.c), called from cmd_ovpn.c. */
#ifndef OVPN_IMPORT_H
#define OVPN_IMPORT_H

#include "cmd.h"
#include "ovpn_profile.h"

/* Values of the Rosh-extension properties, kept for the cdb_kv that point
 * into them. */
struct ovpn_map {
	char num[7][16];
	char data_ciphers[512];
	char dropped[512];		/* data-ciphers we do not run */
};

/* The ovpn_read_fn of an import: ctx is a struct ovpn_store. Names are
 * looked up in the profile's own folder of the file store. */
struct ovpn_store {
	struct cmdctx *c;
	const char *profile;		/* its name in the store */
	char dir[256];			/* "" or "folder/" */
};
void ovpn_store_init(struct ovpn_store *st, struct cmdctx *c, const char *profile);
int ovpn_store_read(void *ctx, const char *name, char **text, char *err, size_t errlen);

/* pkcs12 (inline or a file beside the profile) into p->cert, p->key and,
 * when the profile has no ca, p->ca. */
int ovpn_import_pkcs12(struct ovpn_store *st, struct ovpn_profile *p, const char *pass);

/* Add to kv (from kv[n], at most max) what the profile asks beyond
 * RouterOS's properties; user and password from the profile unless given
 * on the command line. Returns the new count, or -1 (sh_fail done). */
int ovpn_import_kv(struct cmdctx *c, const struct ovpn_profile *p, struct ovpn_map *m,
		   struct cdb_kv *kv, int n, int max, int have_user, int have_pass);

/* The lines accepted without effect, one "  ignored: line N: ..." each. */
void ovpn_import_notes(struct cmdctx *c, const struct ovpn_profile *p,
		       const struct ovpn_map *m);

#endif
