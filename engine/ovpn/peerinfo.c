/* peerinfo.c: build and read the OCC options string and the peer-info
 * text exchanged in key method 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "peerinfo.h"
#include "util.h"

/* Bytes of a cipher's block and IV, as the OCC link-mtu sum uses them. */
static void cipher_sizes(enum dc_cipher c, int *block, int *iv)
{
	*block = 16;
	*iv = 16;
	if (c == DC_NONE) {
		*block = *iv = 0;
	} else if (c == DC_BF_CBC) {
		*block = *iv = 8;
	} else if (c == DC_CHACHA20_POLY1305) {
		*block = 1;
		*iv = 12;
	} else if (dc_cipher_is_aead(c)) {
		*iv = 12;
	}
}

static int digest_size(enum dc_digest d)
{
	static const int size[DC__DIGESTS] = { 0, 16, 20, 32, 64 };

	return d < DC__DIGESTS ? size[d] : 0;
}

/* calc_options_string_link_mtu: only cosmetic (2.6 compares nothing), but
 * it keeps peers from logging warnings. */
static int link_mtu(const struct occ_params *p)
{
	int block, iv, n = p->tun_mtu + (p->tap ? 14 : 0) + (p->comp ? 1 : 0) + (p->frag ? 4 : 0);

	cipher_sizes(p->cipher, &block, &iv);
	n += (p->tcp ? 2 : 0) + 1 + 4;	/* length, opcode, packet id */
	if (dc_cipher_is_aead(p->cipher))
		return n + 16 + iv + block;
	return n + block + iv + digest_size(p->digest);
}

int occ_build(const struct occ_params *p, char *out, size_t cap)
{
	int aead = dc_cipher_is_aead(p->cipher);
	const char *cname = p->cipher == DC_NONE ? "[null-cipher]" : dc_cipher_name(p->cipher);
	const char *dname = aead || p->digest == DC_MD_NONE ? "[null-digest]"
							    : dc_digest_name(p->digest);
	char keydir[16] = "";
	int n;

	if (p->key_direction == 0 || p->key_direction == 1)
		snprintf(keydir, sizeof(keydir), ",keydir %d", p->key_direction);
	n = snprintf(out, cap,
		     "V4,dev-type %s,link-mtu %d,tun-mtu %d,proto %s%s%s%s,cipher %s,auth %s,"
		     "keysize %d%s,key-method 2,%s",
		     p->tap ? "tap" : "tun", link_mtu(p), p->tun_mtu,
		     !p->tcp ? "UDPv4" : p->server ? "TCPv4_SERVER" : "TCPv4_CLIENT",
		     p->comp ? ",comp-lzo" : "", p->frag ? ",mtu-dynamic" : "", keydir, cname ? cname : "[null-cipher]",
		     dname ? dname : "[null-digest]",
		     p->cipher == DC_NONE ? 0 : dc_cipher_key_len(p->cipher) * 8,
		     p->tls_auth ? ",tls-auth" : "", p->server ? "tls-server" : "tls-client");
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int occ_get(const char *opts, const char *name, char *val, size_t cap)
{
	size_t nlen = strlen(name);
	const char *p = opts;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > nlen && !strncmp(p, name, nlen) && p[nlen] == ' ') {
			size_t vlen = len - nlen - 1;

			if (vlen >= cap)
				return -1;
			memcpy(val, p + nlen + 1, vlen);
			val[vlen] = 0;
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

int occ_uses_comp(const char *opts)
{
	return strstr(opts, ",comp-lzo,") != NULL;
}

int peerinfo_build(const enum dc_cipher *ciphers, int n, int tun_mtu, int comp_algs, char *out,
		   size_t cap)
{
	char list[256] = "";
	int gcm128 = 0, gcm256 = 0, len;
	unsigned proto = IV_PROTO_DATA_V2 | IV_PROTO_REQUEST_PUSH | IV_PROTO_TLS_KEY_EXPORT |
			 IV_PROTO_CC_EXIT_NOTIFY;

	for (int i = 0; i < n; i++) {
		const char *name = dc_cipher_name(ciphers[i]);
		size_t used = strlen(list);

		if (!name)
			continue;
		snprintf(list + used, sizeof(list) - used, "%s%s", used ? ":" : "", name);
		gcm128 |= ciphers[i] == DC_AES_128_GCM;
		gcm256 |= ciphers[i] == DC_AES_256_GCM;
	}
	/* IV_MTU is the largest tun-mtu we take (tun-mtu-max: tun-mtu + 100) */
	/* comp_generate_peer_info_string: the stubs always (IV_LZO_STUB when
	 * LZO is not offered), the algorithms when compression is configured */
	len = snprintf(out, cap,
		       "IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=%d\n%sIV_CIPHERS=%s\n"
		       "IV_PROTO=%u\n%sIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n",
		       tun_mtu + 100, gcm128 && gcm256 ? "IV_NCP=2\n" : "", list, proto,
		       comp_algs ? "IV_LZ4=1\nIV_LZ4v2=1\nIV_LZO=1\n" : "IV_LZO_STUB=1\n");
	return len < 0 || (size_t)len >= cap ? -1 : 0;
}

int peerinfo_get(const char *pi, const char *key, char *val, size_t cap)
{
	size_t klen = strlen(key);
	const char *p = pi;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = len - klen - 1;

			if (vlen >= cap)
				return -1;
			memcpy(val, p + klen + 1, vlen);
			val[vlen] = 0;
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

unsigned peerinfo_proto(const char *pi)
{
	char v[16];

	if (!pi || peerinfo_get(pi, "IV_PROTO", v, sizeof(v)) < 0)
		return 0;
	return (unsigned)strtoul(v, NULL, 10);
}

int peerinfo_ciphers(const char *pi, enum dc_cipher *out, int max)
{
	char list[1100], v[16], *tok, *save = NULL;	/* 2.6 allows 1024 */
	int n = 0;

	if (!pi)
		return 0;
	if (peerinfo_get(pi, "IV_CIPHERS", list, sizeof(list)) == 0) {
		for (tok = strtok_r(list, ":", &save); tok && n < max;
		     tok = strtok_r(NULL, ":", &save)) {
			int c = dc_cipher_by_name(tok);

			if (c >= 0)
				out[n++] = (enum dc_cipher)c;
		}
		return n;
	}
	/* tls_peer_ncp_list: IV_NCP=2 promises the two AES-GCM ciphers */
	if (peerinfo_get(pi, "IV_NCP", v, sizeof(v)) == 0 && atoi(v) >= 2 && max >= 2) {
		out[n++] = DC_AES_256_GCM;
		out[n++] = DC_AES_128_GCM;
	}
	return n;
}
