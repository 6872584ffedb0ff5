/* wrap.c: tls-auth and tls-crypt protection of control packets, byte for
 * byte as OpenVPN 2.6 lays them out:
 *   tls-auth:  op|sid | HMAC | pid(id,time) | acks... (HMAC over pid|op|sid|acks...)
 *   tls-crypt: op|sid | pid(id,time) | tag(32) | AES-256-CTR(acks...)
 *              tag = HMAC-SHA256(op|sid|pid|plaintext), IV = tag[0..16)
 * and the client side of tls-crypt-v2, which appends its WKc in clear to
 * P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1. */
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include "dc.h"
#include "packet.h"
#include "util.h"
#include "wrap.h"

#define HDR_LEN (1 + OVPN_SID_LEN)
#define CIPHER_KEY(k, i) ((k)->key + 128 * (i))
#define HMAC_KEY(k, i) ((k)->key + 128 * (i) + 64)

/* wolfCrypt type and output size of an OpenVPN --auth digest. */
static int md_type(int d, int *size)
{
	switch (d) {
	case DC_MD5: *size = 16; return WC_MD5;
	case DC_SHA1: *size = 20; return WC_SHA;
	case DC_SHA256: *size = 32; return WC_SHA256;
	case DC_SHA512: *size = 64; return WC_SHA512;
	default: return -1;
	}
}

/* HMAC over up to three pieces (the tls-auth input is re-ordered). */
static int hmac3(int type, const uint8_t *key, size_t klen, const uint8_t *a, size_t alen,
		 const uint8_t *b, size_t blen, const uint8_t *c, size_t clen, uint8_t *out)
{
	Hmac h;
	int rc = -1;

	if (wc_HmacInit(&h, NULL, INVALID_DEVID) != 0)
		return -1;
	if (wc_HmacSetKey(&h, type, key, (word32)klen) == 0 &&
	    wc_HmacUpdate(&h, a, (word32)alen) == 0 && wc_HmacUpdate(&h, b, (word32)blen) == 0 &&
	    wc_HmacUpdate(&h, c, (word32)clen) == 0 && wc_HmacFinal(&h, out) == 0)
		rc = 0;
	wc_HmacFree(&h);
	return rc;
}

static int aes256_ctr(const uint8_t *key, const uint8_t iv[16], const uint8_t *in, size_t len,
		      uint8_t *out)
{
	Aes aes;
	int rc = -1;

	if (!len)
		return 0;
	if (wc_AesInit(&aes, NULL, INVALID_DEVID) != 0)
		return -1;
	/* CTR uses the encryption key schedule in both directions */
	if (wc_AesSetKeyDirect(&aes, key, 32, iv, AES_ENCRYPTION) == 0 &&
	    wc_AesCtrEncrypt(&aes, out, in, (word32)len) == 0)
		rc = 0;
	wc_AesFree(&aes);
	return rc;
}

int wrap_static_key_parse(const char *text, uint8_t out[WRAP_KEY2_LEN])
{
	const char *b;
	size_t len;
	uint8_t tmp[WRAP_KEY2_LEN + 1];
	int n;

	if (ovpn_pem_body(text, "OpenVPN Static key V1", &b, &len) < 0)
		return -1;
	n = ovpn_hex_decode(b, len, tmp, sizeof(tmp));
	if (n != WRAP_KEY2_LEN) {
		ovpn_wipe(tmp, sizeof(tmp));
		return -1;
	}
	memcpy(out, tmp, WRAP_KEY2_LEN);
	ovpn_wipe(tmp, sizeof(tmp));
	return 0;
}

int wrap_v2_client_key_parse(const char *text, uint8_t kc[WRAP_KEY2_LEN], uint8_t *wkc,
			     size_t *wkc_len)
{
	uint8_t buf[WRAP_KEY2_LEN + WRAP_WKC_MAX + 4];
	const char *b;
	size_t len, wlen;
	int n, rc = -1;

	if (ovpn_pem_body(text, "OpenVPN tls-crypt-v2 client key", &b, &len) < 0)
		return -1;
	n = ovpn_b64_decode(b, len, buf, sizeof(buf));
	/* WKc = tag(32) | ciphertext (>= 256) | u16 length of the whole WKc */
	if (n < WRAP_KEY2_LEN + WRAP_TAG_LEN + WRAP_KEY2_LEN + 2)
		goto out;
	wlen = (size_t)n - WRAP_KEY2_LEN;
	if (wlen > WRAP_WKC_MAX || ovpn_get16(buf + n - 2) != wlen)
		goto out;
	memcpy(kc, buf, WRAP_KEY2_LEN);
	memcpy(wkc, buf + WRAP_KEY2_LEN, wlen);
	*wkc_len = wlen;
	rc = 0;
out:
	ovpn_wipe(buf, sizeof(buf));
	return rc;
}

int wrap_key_auth(struct wrap_key *k, const char *text, int direction, const int *digests,
		  int ndigests)
{
	int size;

	memset(k, 0, sizeof(*k));
	if (wrap_static_key_parse(text, k->key) < 0)
		return -1;
	k->mode = WRAP_AUTH;
	/* key_direction_state_init: 0 sends with key 0, 1 with key 1, none: key 0 both ways */
	k->out_key = direction == 1 ? 1 : 0;
	k->in_key = direction == 0 ? 1 : 0;
	for (int i = 0; i < ndigests && k->ndigests < WRAP_MAX_DIGESTS; i++)
		if (md_type(digests[i], &size) >= 0)
			k->digests[k->ndigests++] = digests[i];
	if (!k->ndigests)
		k->digests[k->ndigests++] = DC_SHA1;	/* OpenVPN's --auth default */
	return 0;
}

int wrap_key_crypt(struct wrap_key *k, const char *text, int server)
{
	memset(k, 0, sizeof(*k));
	if (wrap_static_key_parse(text, k->key) < 0)
		return -1;
	k->mode = WRAP_CRYPT;
	/* tls_crypt_init_key: the server is KEY_DIRECTION_NORMAL */
	k->out_key = server ? 0 : 1;
	k->in_key = server ? 1 : 0;
	return 0;
}

int wrap_key_crypt_v2_client(struct wrap_key *k, const char *text)
{
	memset(k, 0, sizeof(*k));
	if (wrap_v2_client_key_parse(text, k->key, k->wkc, &k->wkc_len) < 0)
		return -1;
	k->mode = WRAP_CRYPT;
	k->out_key = 1;		/* a client, KEY_DIRECTION_INVERSE */
	k->in_key = 0;
	return 0;
}

void wrap_init(struct wrap *w, const struct wrap_key *k)
{
	memset(w, 0, sizeof(*w));
	w->k = k;
	w->digest = k && k->mode == WRAP_AUTH && k->ndigests == 1 ? k->digests[0] : -1;
}

static int needs_wkc(const struct wrap *w, int op)
{
	return w->k && w->k->wkc_len &&
	       (op == P_CONTROL_HARD_RESET_CLIENT_V3 || op == P_CONTROL_WKC_V1);
}

size_t wrap_overhead(const struct wrap *w, int op)
{
	int size = 0;

	if (!w->k || w->k->mode == WRAP_NONE)
		return 0;
	if (w->k->mode == WRAP_CRYPT)
		return WRAP_PID_LEN + WRAP_TAG_LEN + (needs_wkc(w, op) ? w->k->wkc_len : 0);
	md_type(w->digest >= 0 ? w->digest : w->k->digests[0], &size);
	return WRAP_PID_LEN + (size_t)size;
}

/* The next replay id: the time is fixed at the first packet, ids count up. */
static int next_pid(struct wrap *w, uint8_t out[WRAP_PID_LEN], uint32_t now_s)
{
	if (!w->send_time)
		w->send_time = now_s ? now_s : 1;
	if (w->send_id == 0xFFFFFFFFu)
		return -1;
	w->send_id++;
	ovpn_put32(out, w->send_id);
	ovpn_put32(out + 4, w->send_time);
	return 0;
}

static ssize_t auth_encode(struct wrap *w, const uint8_t *plain, size_t len, uint8_t *out,
			   size_t cap, uint32_t now_s)
{
	int size, type = md_type(w->digest >= 0 ? w->digest : w->k->digests[0], &size);
	uint8_t *pid;

	if (type < 0 || len < HDR_LEN || cap < len + (size_t)size + WRAP_PID_LEN)
		return -1;
	memmove(out, plain, HDR_LEN);
	memmove(out + HDR_LEN + size + WRAP_PID_LEN, plain + HDR_LEN, len - HDR_LEN);
	pid = out + HDR_LEN + size;
	if (next_pid(w, pid, now_s) < 0)
		return -1;
	/* swap_hmac: the HMAC covers pid | op | sid | rest */
	if (hmac3(type, HMAC_KEY(w->k, w->k->out_key), (size_t)size, pid, WRAP_PID_LEN, out,
		  HDR_LEN, pid + WRAP_PID_LEN, len - HDR_LEN, out + HDR_LEN) < 0)
		return -1;
	return (ssize_t)(len + (size_t)size + WRAP_PID_LEN);
}

static ssize_t crypt_encode(struct wrap *w, const uint8_t *plain, size_t len, uint8_t *out,
			    size_t cap, uint32_t now_s)
{
	size_t wkc = needs_wkc(w, OVPN_OP(plain[0])) ? w->k->wkc_len : 0;
	size_t ct = HDR_LEN + WRAP_PID_LEN + WRAP_TAG_LEN;
	uint8_t *tag = out + HDR_LEN + WRAP_PID_LEN;

	if (len < HDR_LEN || cap < len + WRAP_PID_LEN + WRAP_TAG_LEN + wkc || out == plain)
		return -1;
	memcpy(out, plain, HDR_LEN);
	if (next_pid(w, out + HDR_LEN, now_s) < 0)
		return -1;
	if (hmac3(WC_SHA256, HMAC_KEY(w->k, w->k->out_key), 32, out, HDR_LEN + WRAP_PID_LEN,
		  plain + HDR_LEN, len - HDR_LEN, NULL, 0, tag) < 0)
		return -1;
	if (aes256_ctr(CIPHER_KEY(w->k, w->k->out_key), tag, plain + HDR_LEN, len - HDR_LEN,
		       out + ct) < 0)
		return -1;
	if (wkc)
		memcpy(out + ct + len - HDR_LEN, w->k->wkc, wkc);
	return (ssize_t)(ct + len - HDR_LEN + wkc);
}

ssize_t wrap_encode(struct wrap *w, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
		    uint32_t now_s)
{
	if (len < HDR_LEN)
		return -1;
	if (!w->k || w->k->mode == WRAP_NONE) {
		if (cap < len)
			return -1;
		memmove(out, plain, len);
		return (ssize_t)len;
	}
	if (w->k->mode == WRAP_AUTH)
		return auth_encode(w, plain, len, out, cap, now_s);
	return crypt_encode(w, plain, len, out, cap, now_s);
}

int wrap_replay_check(struct wrap_replay *r, uint32_t id, uint32_t time)
{
	uint32_t diff;

	if (id == 0)
		return -1;		/* packet_id_test: id 0 is never valid */
	if (!r->init || time > r->time) {
		r->init = 1;
		r->time = time;
		r->top = id;
		r->bits = 1;
		return 0;
	}
	if (time < r->time)
		return -1;
	if (id > r->top) {
		diff = id - r->top;
		r->bits = diff >= 64 ? 1 : (r->bits << diff) | 1;
		r->top = id;
		return 0;
	}
	diff = r->top - id;
	if (diff >= 64 || (r->bits >> diff & 1))
		return -1;
	r->bits |= (uint64_t)1 << diff;
	return 0;
}

/* Verify one tls-auth digest candidate; the plain length or -1. */
static ssize_t auth_try(struct wrap *w, int digest, const uint8_t *in, size_t len, uint8_t *out,
			size_t cap, uint8_t pidout[WRAP_PID_LEN])
{
	int size, type = md_type(digest, &size);
	uint8_t mac[64];
	const uint8_t *pid;
	size_t rest;

	if (type < 0 || len < HDR_LEN + (size_t)size + WRAP_PID_LEN)
		return -1;
	pid = in + HDR_LEN + size;
	rest = len - HDR_LEN - (size_t)size - WRAP_PID_LEN;
	if (cap < HDR_LEN + rest)
		return -1;
	if (hmac3(type, HMAC_KEY(w->k, w->k->in_key), (size_t)size, pid, WRAP_PID_LEN, in, HDR_LEN,
		  pid + WRAP_PID_LEN, rest, mac) < 0 ||
	    !ovpn_ct_equal(mac, in + HDR_LEN, (size_t)size))
		return -1;
	memcpy(pidout, pid, WRAP_PID_LEN);
	memmove(out, in, HDR_LEN);
	memmove(out + HDR_LEN, pid + WRAP_PID_LEN, rest);
	return (ssize_t)(HDR_LEN + rest);
}

static ssize_t auth_decode(struct wrap *w, const uint8_t *in, size_t len, uint8_t *out,
			   size_t cap, uint8_t pid[WRAP_PID_LEN])
{
	ssize_t n = -1;

	if (w->digest >= 0)
		return auth_try(w, w->digest, in, len, out, cap, pid);
	/* a server with several --auth digests locks onto the one that verifies */
	for (int i = 0; i < w->k->ndigests && n < 0; i++) {
		n = auth_try(w, w->k->digests[i], in, len, out, cap, pid);
		if (n >= 0)
			w->digest = w->k->digests[i];
	}
	return n;
}

static ssize_t crypt_decode(struct wrap *w, const uint8_t *in, size_t len, uint8_t *out,
			    size_t cap, uint8_t pid[WRAP_PID_LEN])
{
	const size_t ct = HDR_LEN + WRAP_PID_LEN + WRAP_TAG_LEN;
	const uint8_t *tag = in + HDR_LEN + WRAP_PID_LEN;
	uint8_t check[WRAP_TAG_LEN];
	size_t plen;
	int op;

	if (len < ct)
		return -1;
	op = OVPN_OP(in[0]);
	/* a WKc would need the tls-crypt-v2 server key, which we do not hold */
	if (op == P_CONTROL_HARD_RESET_CLIENT_V3 || op == P_CONTROL_WKC_V1)
		return -1;
	plen = len - ct;
	if (cap < HDR_LEN + plen || out == in)
		return -1;
	if (aes256_ctr(CIPHER_KEY(w->k, w->k->in_key), tag, in + ct, plen, out + HDR_LEN) < 0)
		return -1;
	if (hmac3(WC_SHA256, HMAC_KEY(w->k, w->k->in_key), 32, in, HDR_LEN + WRAP_PID_LEN,
		  out + HDR_LEN, plen, NULL, 0, check) < 0 ||
	    !ovpn_ct_equal(check, tag, WRAP_TAG_LEN)) {
		ovpn_wipe(out, HDR_LEN + plen);
		return -1;
	}
	memcpy(pid, in + HDR_LEN, WRAP_PID_LEN);
	memcpy(out, in, HDR_LEN);
	return (ssize_t)(HDR_LEN + plen);
}

ssize_t wrap_decode(struct wrap *w, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
		    int check_replay)
{
	ssize_t n;
	uint8_t pid[WRAP_PID_LEN];

	if (len < HDR_LEN)
		return -1;
	if (!w->k || w->k->mode == WRAP_NONE) {
		if (cap < len)
			return -1;
		memmove(out, in, len);
		return (ssize_t)len;
	}
	n = w->k->mode == WRAP_AUTH ? auth_decode(w, in, len, out, cap, pid)
				    : crypt_decode(w, in, len, out, cap, pid);
	if (n < 0 || !check_replay)
		return n;
	/* the packet authenticated, so its replay id is the sender's */
	if (wrap_replay_check(&w->replay, ovpn_get32(pid), ovpn_get32(pid + 4)) < 0)
		return -1;
	return n;
}
