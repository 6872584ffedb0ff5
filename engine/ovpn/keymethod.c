/* keymethod.c: encode and decode the key-method-2 record and expand its
 * randomness into the 256-byte data-channel key block. */
#include <stdlib.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include "keymethod.h"
#include "packet.h"
#include "util.h"

#define KEY_METHOD_2 2
#define KEY_METHOD_MASK 0x0F	/* the high bits carry flags */

int km2_source_random(struct km2_source *s, int client)
{
	memset(s, 0, sizeof(*s));
	if (client && ovpn_rand(s->pre_master, sizeof(s->pre_master)) < 0)
		return -1;
	if (ovpn_rand(s->random1, sizeof(s->random1)) < 0 ||
	    ovpn_rand(s->random2, sizeof(s->random2)) < 0)
		return -1;
	return 0;
}

/* write_string / write_empty_string: NULL is the empty form (length 0). */
static int put_string(uint8_t *out, size_t cap, size_t *off, const char *s, size_t max)
{
	size_t len = s ? strlen(s) + 1 : 0;

	if (len > 0xFFFF || (max && len > max) || cap - *off < 2 + len)
		return -1;
	ovpn_put16(out + *off, (uint16_t)len);
	if (len)
		memcpy(out + *off + 2, s, len);
	*off += 2 + len;
	return 0;
}

static int put_bytes(uint8_t *out, size_t cap, size_t *off, const void *p, size_t len)
{
	if (cap - *off < len)
		return -1;
	memcpy(out + *off, p, len);
	*off += len;
	return 0;
}

ssize_t km2_encode(int client, const struct km2_source *src, const char *options,
		   const char *user, const char *pass, const char *peer_info, uint8_t *out,
		   size_t cap)
{
	static const uint8_t head[5] = { 0, 0, 0, 0, KEY_METHOD_2 };
	size_t off = 0;

	if (put_bytes(out, cap, &off, head, sizeof(head)) < 0)
		return -1;
	if (client && put_bytes(out, cap, &off, src->pre_master, KM2_PRE_MASTER) < 0)
		return -1;
	if (put_bytes(out, cap, &off, src->random1, KM2_RANDOM) < 0 ||
	    put_bytes(out, cap, &off, src->random2, KM2_RANDOM) < 0)
		return -1;
	/* the options string is always written, even when empty */
	if (put_string(out, cap, &off, options ? options : "", KM2_OPTIONS_MAX) < 0 ||
	    put_string(out, cap, &off, user, 0) < 0 || put_string(out, cap, &off, pass, 0) < 0 ||
	    put_string(out, cap, &off, peer_info, 0) < 0)
		return -1;
	return (ssize_t)off;
}

/* A u16-prefixed string into a fresh allocation (read_string_alloc): the
 * last byte is forced to NUL whatever the peer sent. 0 with *s NULL for
 * the empty form or an absent field, 1 for one too long (skipped), -1 when
 * the bytes run out. */
static int get_string(const uint8_t *p, size_t len, size_t *off, char **s, size_t max)
{
	size_t n;

	*s = NULL;
	if (*off == len)
		return 0;	/* absent: old peers may end the record early */
	if (len - *off < 2)
		return -1;
	n = ovpn_get16(p + *off);
	*off += 2;
	if (len - *off < n)
		return -1;
	if (max && n > max) {
		*off += n;
		return 1;
	}
	if (n) {
		*s = malloc(n);
		if (!*s)
			return -1;
		memcpy(*s, p + *off, n);
		(*s)[n - 1] = 0;
	}
	*off += n;
	return 0;
}

static int get_source(const uint8_t *p, size_t len, size_t *off, int from_client,
		      struct km2_source *s)
{
	size_t need = from_client ? KM2_CLIENT_SRC : KM2_SERVER_SRC;

	if (len - *off < need)
		return -1;
	if (from_client) {
		memcpy(s->pre_master, p + *off, KM2_PRE_MASTER);
		*off += KM2_PRE_MASTER;
	}
	memcpy(s->random1, p + *off, KM2_RANDOM);
	memcpy(s->random2, p + *off + KM2_RANDOM, KM2_RANDOM);
	*off += 2 * KM2_RANDOM;
	return 0;
}

int km2_decode(const uint8_t *p, size_t len, int from_client, struct km2 *k)
{
	size_t off = 5;
	char *opt = NULL;
	int ru, rp;

	memset(k, 0, sizeof(*k));
	if (!p || len < off || (p[4] & KEY_METHOD_MASK) != KEY_METHOD_2)
		return -1;
	if (get_source(p, len, &off, from_client, &k->src) < 0)
		return -1;
	/* the options string is required, but may be empty (length 0) */
	if (off == len || get_string(p, len, &off, &opt, KM2_OPTIONS_MAX) != 0)
		return -1;
	ovpn_strlcpy(k->options, opt ? opt : "", sizeof(k->options));
	free(opt);
	ru = get_string(p, len, &off, &k->user, KM2_USERPASS_MAX);
	rp = get_string(p, len, &off, &k->pass, KM2_USERPASS_MAX);
	if (ru < 0 || rp < 0)
		return -1;
	k->userpass_too_long = ru > 0 || rp > 0;
	if (get_string(p, len, &off, &k->peer_info, 0) < 0)
		return -1;
	return 0;
}

void km2_clear(struct km2 *k)
{
	if (k->pass)
		ovpn_wipe(k->pass, strlen(k->pass));
	free(k->user);
	free(k->pass);
	free(k->peer_info);
	ovpn_wipe(k, sizeof(*k));
}

/* P_hash (RFC 2246 section 5), XORed into out: A(0) = seed,
 * A(i) = HMAC(secret, A(i-1)), out ^= HMAC(secret, A(i) | seed)... */
static int p_hash_xor(int type, size_t mdlen, const uint8_t *secret, size_t slen,
		      const uint8_t *seed, size_t seedlen, uint8_t *out, size_t olen)
{
	uint8_t a[WC_MAX_DIGEST_SIZE], blk[WC_MAX_DIGEST_SIZE];
	Hmac h;
	int rc = -1;

	if (wc_HmacInit(&h, NULL, INVALID_DEVID) != 0)
		return -1;
	if (wc_HmacSetKey(&h, type, secret, (word32)slen) != 0 ||
	    wc_HmacUpdate(&h, seed, (word32)seedlen) != 0 || wc_HmacFinal(&h, a) != 0)
		goto out;
	for (size_t done = 0; done < olen; done += mdlen) {
		size_t n = olen - done < mdlen ? olen - done : mdlen;

		if (wc_HmacUpdate(&h, a, (word32)mdlen) != 0 ||
		    wc_HmacUpdate(&h, seed, (word32)seedlen) != 0 || wc_HmacFinal(&h, blk) != 0)
			goto out;
		for (size_t i = 0; i < n; i++)
			out[done + i] ^= blk[i];
		if (wc_HmacUpdate(&h, a, (word32)mdlen) != 0 || wc_HmacFinal(&h, a) != 0)
			goto out;
	}
	rc = 0;
out:
	wc_HmacFree(&h);
	ovpn_wipe(a, sizeof(a));
	ovpn_wipe(blk, sizeof(blk));
	return rc;
}

/* The TLS 1.0 PRF: P_MD5 over the first half of the secret XOR P_SHA1
 * over the second (halves overlap by a byte for odd lengths). Written
 * here because wolfSSL's wc_PRF_TLSv1 stops at 224 bytes of output and
 * the key block is 256. */
static int tls1_prf(const uint8_t *secret, size_t slen, const uint8_t *seed, size_t seedlen,
		    uint8_t *out, size_t olen)
{
	size_t half = (slen + 1) / 2;

	memset(out, 0, olen);
	if (p_hash_xor(WC_MD5, WC_MD5_DIGEST_SIZE, secret, half, seed, seedlen, out, olen) < 0 ||
	    p_hash_xor(WC_SHA, WC_SHA_DIGEST_SIZE, secret + slen - half, half, seed, seedlen,
		       out, olen) < 0) {
		ovpn_wipe(out, olen);
		return -1;
	}
	return 0;
}

/* openvpn_PRF: the seed is the label, the two randoms and optionally the
 * two session ids. */
static int prf(const uint8_t *secret, size_t slen, const char *label, const uint8_t *c_seed,
	       const uint8_t *s_seed, const uint8_t *c_sid, const uint8_t *s_sid, uint8_t *out,
	       size_t olen)
{
	uint8_t seed[32 + 2 * KM2_RANDOM + 2 * OVPN_SID_LEN];
	size_t llen = strlen(label), n;
	int rc;

	if (llen > 32)
		return -1;
	memcpy(seed, label, llen);
	memcpy(seed + llen, c_seed, KM2_RANDOM);
	memcpy(seed + llen + KM2_RANDOM, s_seed, KM2_RANDOM);
	n = llen + 2 * KM2_RANDOM;
	if (c_sid && s_sid) {
		memcpy(seed + n, c_sid, OVPN_SID_LEN);
		memcpy(seed + n + OVPN_SID_LEN, s_sid, OVPN_SID_LEN);
		n += 2 * OVPN_SID_LEN;
	}
	rc = tls1_prf(secret, slen, seed, n, out, olen);
	ovpn_wipe(seed, sizeof(seed));
	return rc;
}

int km2_prf_keys(const struct km2_source *client, const struct km2_source *server,
		 const uint8_t client_sid[8], const uint8_t server_sid[8],
		 uint8_t block[KM2_KEYBLOCK])
{
	uint8_t master[48];
	int rc;

	rc = prf(client->pre_master, KM2_PRE_MASTER, "OpenVPN master secret", client->random1,
		 server->random1, NULL, NULL, master, sizeof(master));
	if (rc == 0)
		rc = prf(master, sizeof(master), "OpenVPN key expansion", client->random2,
			 server->random2, client_sid, server_sid, block, KM2_KEYBLOCK);
	ovpn_wipe(master, sizeof(master));
	return rc;
}

void km2_split(const uint8_t block[KM2_KEYBLOCK], int server, struct km2_dir *d)
{
	const uint8_t *k0 = block, *k1 = block + 128;
	const uint8_t *seal = server ? k1 : k0, *open = server ? k0 : k1;

	d->seal_cipher = seal;
	d->seal_hmac = seal + 64;
	d->open_cipher = open;
	d->open_hmac = open + 64;
}
