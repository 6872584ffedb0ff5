/* client_options.c: the /interface ovpn-client properties that carry what
 * an imported .ovpn profile asks for beyond RouterOS's own (all Rosh
 * extensions): the data-ciphers offered and their order, remote-random,
 * static routes through the tunnel, DNS servers, mssfix, the keepalive
 * timers, reneg-sec and pull-filter. Each is checked here, before anything
 * runs, so a value we can not honour keeps the client from starting. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "log.h"

static int
num(const struct cdb_menu *m, const struct cdb_item *it, const char *prop)
{
	const char *v = cdb_item_text(m, it, prop);

	return v && *v ? atoi(v) : 0;
}

/* data-ciphers: offered in this order; the cipher property stays last, for
 * servers that do not negotiate (OpenVPN's data-ciphers-fallback). */
static int
data_ciphers(struct client *c, const char *list, char *err, size_t errlen)
{
	enum dc_cipher fallback = c->cfg.ciphers[0];
	char copy[600], *save = NULL, *w;
	int n = 0, have = 0;

	snprintf(copy, sizeof(copy), "%s", list);
	for (w = strtok_r(copy, ":", &save); w; w = strtok_r(NULL, ":", &save)) {
		int k = dc_cipher_by_name(w);

		if (k < 0) {
			snprintf(err, errlen, "data-ciphers: %s is not a cipher we run", w);
			return -1;
		}
		if (n == DC__CIPHERS)
			break;
		c->cfg.ciphers[n++] = (enum dc_cipher)k;
		have |= k == (int)fallback;
	}
	if (!have && n < DC__CIPHERS)
		c->cfg.ciphers[n++] = fallback;
	c->cfg.nciphers = n;
	return 0;
}

/* Fisher-Yates over the remotes: remote-random picks the first at random
 * and tries the others in a random order, as OpenVPN does at start. */
static void
shuffle(struct client *c)
{
	for (int i = c->nremotes - 1; i > 0; i--) {
		int j = (int)(random() % (i + 1));
		struct client_remote t = c->remotes[i];

		c->remotes[i] = c->remotes[j];
		c->remotes[j] = t;
	}
}

static int
route6(struct client *c, const char *net, long len)
{
	struct client_route6 *r = &c->sroutes6[c->nsroutes6];

	if (c->nsroutes6 == CLIENT_ROUTES6 || len < 0 || len > 128 ||
	    inet_pton(AF_INET6, net, r->dst) != 1)
		return -1;
	r->len = (int)len;
	for (int b = (int)len; b < 128; b++)	/* the network, not a host in it */
		r->dst[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
	c->nsroutes6++;
	return 0;
}

/* routes: net/len (IPv4 or IPv6), comma separated, through the tunnel. */
static int
static_routes(struct client *c, const char *list, char *err, size_t errlen)
{
	char copy[1100], *save = NULL, *w, *slash;
	struct in_addr a;

	snprintf(copy, sizeof(copy), "%s", list);
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		struct client_route *r = &c->sroutes[c->nsroutes];
		char *end = NULL;
		long len = strchr(w, ':') ? 128 : 32;

		if ((slash = strchr(w, '/'))) {
			*slash = '\0';
			len = strtol(slash + 1, &end, 10);
		}
		if (slash && (!*(slash + 1) || *end)) {
			snprintf(err, errlen, "routes: '%s' is not net/len", w);
			return -1;
		}
		if (strchr(w, ':')) {
			if (route6(c, w, len)) {
				snprintf(err, errlen, "routes: '%s' is not an IPv6 net/len (or too "
					 "many)", w);
				return -1;
			}
			continue;
		}
		if (c->nsroutes == CLIENT_SROUTES || inet_pton(AF_INET, w, &a) != 1 ||
		    len < 0 || len > 32) {
			snprintf(err, errlen, "routes: '%s' is not net/len (or too many)", w);
			return -1;
		}
		memset(r, 0, sizeof(*r));
		r->len = (int)len;
		r->dst = ntohl(a.s_addr) & (len ? 0xffffffffu << (32 - len) : 0);
		c->nsroutes++;
	}
	return 0;
}

static int
dns_servers(struct client *c, const char *list, char *err, size_t errlen)
{
	char copy[600], *save = NULL, *w;
	unsigned char b[16];

	snprintf(copy, sizeof(copy), "%s", list);
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (c->nsdns == CLIENT_DNS || (inet_pton(AF_INET, w, b) != 1 &&
					       inet_pton(AF_INET6, w, b) != 1)) {
			snprintf(err, errlen, "dns-servers: '%s' is not an address (or too many)", w);
			return -1;
		}
		snprintf(c->sdns[c->nsdns++], sizeof(c->sdns[0]), "%s", w);
	}
	return 0;
}

int
client_options(struct client *c, const struct cdb_menu *m, const struct cdb_item *it,
	       char *err, size_t errlen)
{
	const char *dc = cdb_item_text(m, it, "data-ciphers");
	const char *pf = cdb_item_text(m, it, "pull-filter");
	const char *mss = cdb_item_text(m, it, "mssfix");
	const char *reneg = cdb_item_text(m, it, "reneg-sec");

	if (dc && *dc && data_ciphers(c, dc, err, errlen))
		return -1;
	if (!strcmp(cdb_item_text(m, it, "remote-random"), "yes"))
		shuffle(c);
	c->nsroutes = c->nsroutes6 = c->nsdns = 0;
	if (static_routes(c, cdb_item_text(m, it, "routes") ? cdb_item_text(m, it, "routes") : "",
			  err, errlen) ||
	    dns_servers(c, cdb_item_text(m, it, "dns-servers") ?
			cdb_item_text(m, it, "dns-servers") : "", err, errlen))
		return -1;
	/* mssfix 0 turns clamping off, as OpenVPN's --mssfix 0 */
	c->cfg.mssfix = mss && *mss ? (atoi(mss) ? atoi(mss) : -1) : 0;
	c->cfg.fragment = num(m, it, "fragment");	/* disabled: 0 */
	if (reneg && *reneg)
		c->cfg.reneg_sec = atoi(reneg);
	c->ping_s = num(m, it, "ping-interval");
	c->ping_restart_s = num(m, it, "ping-restart");
	if (pf && *pf) {
		c->strings[9] = strdup(pf);
		c->cfg.pull_filter = c->strings[9];
	}
	return 0;
}
