/* client_verify.c: how an /interface ovpn-client checks its server, read
 * from its item. RouterOS's verify-server-certificate (a chain to a trusted
 * CA and connect-to in the CN or a SAN), and the Rosh extensions a profile
 * imported from stock OpenVPN needs to be checked as strictly as openvpn
 * would check it: verify-server-name and verify-server-name-type
 * (verify-x509-name), verify-server-usage (remote-cert-tls, ns-cert-type),
 * server-fingerprint (peer-fingerprint), server-ca (the chain must lead to
 * these CAs, not to any trusted one: the profile's ca) and tls-version
 * only-1.3 (tls-version-min 1.3). Settings that can not work together are
 * refused here, with the reason, before anything starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "ovpn/tls.h"

#define SLOT_CAS 10		/* c->strings slots this file fills (client.h) */
#define SLOT_FPS 11
#define SLOT_NAME 12

static const char *const match_names[] = { "host", "name", "name-prefix", "subject" };

static int
has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *s = list; s && *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] == ',')) {
		if (!strncmp(s, w, n) && (s[n] == ',' || !s[n]))
			return 1;
	}
	return 0;
}

/* The PEM of each server-ca, which must be trusted and not revoked. */
static int
pinned_cas(struct client *c, const char *list, char *err, size_t errlen)
{
	const struct cdb_menu *cm = cdb_menu_find(c->eng->db->cat, "/certificate");
	char *copy = strdup(list), *save = NULL, *w;
	struct cdb_buf b = { 0 };
	int rc = 0;

	for (w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
		long long id = cdb_item_by_key(c->eng->db, cm, w);
		struct cdb_item it;
		struct cdb_err ce;
		const char *pem;

		if (id <= 0 || cdb_item_get(c->eng->db, cm, id, &it, &ce)) {
			snprintf(err, errlen, "server-ca %s is not in /certificate", w);
			rc = -1;
			break;
		}
		pem = cdb_item_text(cm, &it, "cert-pem");
		if (!pem || strcmp(cdb_item_text(cm, &it, "trusted"), "yes") ||
		    !strcmp(cdb_item_text(cm, &it, "revoked"), "yes")) {
			snprintf(err, errlen, "server-ca %s is not a trusted certificate in "
				 "/certificate", w);
			rc = -1;
		} else {
			cdb_buf_printf(&b, "%s\n", pem);
		}
		cdb_item_clear(&it);
	}
	free(copy);
	if (rc) {
		free(b.s);
		return -1;
	}
	c->strings[SLOT_CAS] = b.s;
	c->cfg.ca_pem = b.s;
	return 0;
}

/* What needs what: a name or usage check needs something to trust (the
 * chain or a fingerprint), server-ca needs the chain checked. */
static int
combination(int verify, const char *fps, const char *name, const char *type, const char *usage,
	    const char *cas, char *err, size_t errlen)
{
	const char *lone = NULL;

	if (name && *name && !strcmp(type, "none"))
		lone = "verify-server-name is set, but verify-server-name-type=none checks no name";
	else if (!(name && *name) && strcmp(type, "host") && strcmp(type, "none"))
		snprintf(err, errlen, "verify-server-name-type=%s needs verify-server-name", type);
	else if (strcmp(cas, "none") && !verify)
		lone = "server-ca needs verify-server-certificate=yes";
	else if (!verify && !(fps && *fps) && ((name && *name) || strcmp(usage, "none")))
		lone = "verify-server-name and verify-server-usage need verify-server-certificate=yes "
		       "or server-fingerprint";
	else
		return 0;
	if (lone)
		snprintf(err, errlen, "%s", lone);
	return -1;
}

int
client_verify_cfg(struct client *c, const struct cdb_menu *m, const struct cdb_item *it,
		  char *err, size_t errlen)
{
	const char *name = cdb_item_text(m, it, "verify-server-name");
	const char *type = cdb_item_text(m, it, "verify-server-name-type");
	const char *usage = cdb_item_text(m, it, "verify-server-usage");
	const char *fps = cdb_item_text(m, it, "server-fingerprint");
	const char *cas = cdb_item_text(m, it, "server-ca");
	int verify = c->cfg.verify_peer;
	uint8_t parsed[TLS_FP_MAX][32];

	if (combination(verify, fps, name, type, usage, cas, err, errlen))
		return -1;
	if (fps && *fps && tls_parse_fingerprints(fps, parsed, TLS_FP_MAX, err, errlen) < 0)
		return -1;
	if (strcmp(cas, "none") && pinned_cas(c, cas, err, errlen))
		return -1;
	c->cfg.verify_match = TLS_NAME_HOST;
	for (int i = 0; i < 4; i++)
		if (!strcmp(type, match_names[i]))
			c->cfg.verify_match = i;
	c->cfg.verify_usage = (has_word(usage, "tls-server") ? TLS_USAGE_SERVER : 0) |
			      (has_word(usage, "ns-server") ? TLS_USAGE_NS_SERVER : 0);
	c->strings[SLOT_FPS] = fps && *fps ? strdup(fps) : NULL;
	c->cfg.verify_fingerprints = c->strings[SLOT_FPS];
	c->strings[SLOT_NAME] = name && *name ? strdup(name) : NULL;
	/* with fingerprints alone, connect-to is checked only when named */
	c->name_check = strcmp(type, "none") && (verify || c->strings[SLOT_NAME]);
	c->cfg.tls13_only = !strcmp(cdb_item_text(m, it, "tls-version"), "only-1.3");
	return 0;
}

const char *
client_verify_name(const struct client *c, const char *host)
{
	if (!c->name_check)
		return NULL;
	return c->strings[SLOT_NAME] ? c->strings[SLOT_NAME] : host;
}
