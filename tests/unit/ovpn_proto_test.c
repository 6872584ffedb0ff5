/* ovpn_proto_test.c: the OpenVPN protocol core without a network: codec
 * vectors laid out by hand, the reliability layer under loss, duplication
 * and reordering, key method 2, the PRF against an independent
 * implementation, push splitting, and whole client/server sessions talking
 * in memory on a simulated clock (handshake, data, renegotiation,
 * keepalive, exit notification, AUTH_FAILED), with packets dropped.
 * Last line: "ovpn_proto: N passed, M failed"; exit status 1 on failure. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4.h>
#include <lzo/lzo1x.h>
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/kdf.h>

#include "read_file.h"
#include "cookie.h"
#include "dataframe.h"
#include "keymethod.h"
#include "packet.h"
#include "peerinfo.h"
#include "push.h"
#include "reliable.h"
#include "session.h"
#include "session_int.h"
#include "util.h"
#include "wrap.h"

static int passed, failed, verbose;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			passed++;                                               \
		} else {                                                        \
			failed++;                                               \
			fprintf(stderr, "FAIL %s:%d: ", __func__, __LINE__);    \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* ---- fixtures ---- */

static char *fixture_dir;

static char *slurp(const char *name)
{
	char path[512];
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	if (!(buf = read_file(path))) {
		fprintf(stderr, "cannot open fixture %s\n", path);
		exit(2);
	}
	return buf;
}

static void find_fixtures(void)
{
	static const char *tries[] = { "tests/ovpn_proto", "../tests/ovpn_proto", "ovpn_proto",
				       "../ovpn_proto", "../../tests/ovpn_proto" };
	char buf[600];

	if (getenv("OVPN_PROTO_DIR")) {
		fixture_dir = strdup(getenv("OVPN_PROTO_DIR"));
		return;
	}
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		snprintf(buf, sizeof(buf), "%s/ca.crt", tries[i]);
		if (access(buf, R_OK) == 0) {
			fixture_dir = strdup(tries[i]);
			return;
		}
	}
	/* relative to this source file, for builds run elsewhere */
	snprintf(buf, sizeof(buf), "%s", __FILE__);
	*strrchr(buf, '/') = 0;
	strcat(buf, "/../ovpn_proto");
	fixture_dir = strdup(buf);
}

static char *ca_pem, *srv_crt, *srv_key, *cli_crt, *cli_key, *strange_crt, *strange_key,
	*ta_key, *v2_cli_key;

static void load_fixtures(void)
{
	find_fixtures();
	ca_pem = slurp("ca.crt");
	srv_crt = slurp("server.crt");
	srv_key = slurp("server.key");
	cli_crt = slurp("client.crt");
	cli_key = slurp("client.key");
	strange_crt = slurp("stranger.crt");
	strange_key = slurp("stranger.key");
	ta_key = slurp("ta.key");
	v2_cli_key = slurp("v2-client.key");
}

static void free_fixtures(void)
{
	free(ca_pem);
	free(srv_crt);
	free(srv_key);
	free(cli_crt);
	free(cli_key);
	free(strange_crt);
	free(strange_key);
	free(ta_key);
	free(v2_cli_key);
	free(fixture_dir);
}

/* a small deterministic generator for loss and reordering */
static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* ---- independent crypto for the vectors ---- */

static void hmac(int type, const uint8_t *key, size_t klen, const uint8_t *a, size_t alen,
		 const uint8_t *b, size_t blen, uint8_t *out)
{
	Hmac h;

	wc_HmacInit(&h, NULL, INVALID_DEVID);
	wc_HmacSetKey(&h, type, key, (word32)klen);
	wc_HmacUpdate(&h, a, (word32)alen);
	if (blen)
		wc_HmacUpdate(&h, b, (word32)blen);
	wc_HmacFinal(&h, out);
	wc_HmacFree(&h);
}

static void ctr(const uint8_t *key, const uint8_t *iv, const uint8_t *in, size_t n, uint8_t *out)
{
	Aes aes;

	wc_AesInit(&aes, NULL, INVALID_DEVID);
	wc_AesSetKeyDirect(&aes, key, 32, iv, AES_ENCRYPTION);
	wc_AesCtrEncrypt(&aes, out, in, (word32)n);
	wc_AesFree(&aes);
}

/* P_hash of RFC 2246 section 5 */
static void p_hash(int type, size_t mdlen, const uint8_t *secret, size_t slen,
		   const uint8_t *seed, size_t seedlen, uint8_t *out, size_t olen)
{
	uint8_t a[64], block[64];
	size_t done = 0;

	hmac(type, secret, slen, seed, seedlen, NULL, 0, a);
	while (done < olen) {
		size_t n;

		hmac(type, secret, slen, a, mdlen, seed, seedlen, block);
		n = olen - done < mdlen ? olen - done : mdlen;
		memcpy(out + done, block, n);
		done += n;
		hmac(type, secret, slen, a, mdlen, NULL, 0, a);
	}
}

/* TLS 1.0 PRF: P_MD5(S1) xor P_SHA1(S2), the secret split in halves */
static void tls1_prf(const uint8_t *secret, size_t slen, const char *label,
		     const uint8_t *seed, size_t seedlen, uint8_t *out, size_t olen)
{
	size_t half = (slen + 1) / 2, llen = strlen(label);
	uint8_t full[256], md5[512], sha[512];

	memcpy(full, label, llen);
	memcpy(full + llen, seed, seedlen);
	p_hash(WC_MD5, 16, secret, half, full, llen + seedlen, md5, olen);
	p_hash(WC_SHA, 20, secret + slen - half, half, full, llen + seedlen, sha, olen);
	for (size_t i = 0; i < olen; i++)
		out[i] = md5[i] ^ sha[i];
}

/* ---- packet codec ---- */

static const uint8_t SID_A[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const uint8_t SID_B[8] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18 };

static void test_codec_vectors(void)
{
	/* P_CONTROL_HARD_RESET_CLIENT_V2, key 0, no acks, message id 0 */
	static const uint8_t reset[] = { 0x38, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
					 0x00, 0x00, 0x00, 0x00, 0x00 };
	/* P_CONTROL_HARD_RESET_SERVER_V2 acking id 0 of SID_A */
	static const uint8_t sreset[] = { 0x40, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18,
					  0x01, 0x00, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44,
					  0x55, 0x66, 0x77, 0x88, 0x00, 0x00, 0x00, 0x00 };
	/* P_ACK_V1, key 2, acks 1 and 0x01020304 */
	static const uint8_t ack[] = { 0x2a, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				       0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04,
				       0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18 };
	/* P_CONTROL_V1, key 1, one ack, message id 7, payload "abc" */
	static const uint8_t ctl[] = { 0x21, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				       0x01, 0x00, 0x00, 0x00, 0x05, 0xa1, 0xb2, 0xc3, 0xd4,
				       0xe5, 0xf6, 0x07, 0x18, 0x00, 0x00, 0x00, 0x07, 'a',
				       'b', 'c' };
	/* P_CONTROL_SOFT_RESET_V1, key 3, message id 0 */
	static const uint8_t soft[] = { 0x1b, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
					0x00, 0x00, 0x00, 0x00, 0x00 };
	struct ovpn_ctl c, e;
	uint8_t out[128];
	ssize_t n;

	CHECK(ovpn_ctl_decode(reset, sizeof(reset), &c) == 0, "reset decodes");
	CHECK(c.op == P_CONTROL_HARD_RESET_CLIENT_V2 && c.key_id == 0 && c.nacks == 0 &&
		      c.msg_id == 0 && c.payload_len == 0 && !memcmp(c.sid, SID_A, 8),
	      "reset fields");
	n = ovpn_ctl_encode(&c, out, sizeof(out));
	CHECK(n == sizeof(reset) && !memcmp(out, reset, sizeof(reset)), "reset re-encodes");

	memset(&e, 0, sizeof(e));
	e.op = P_CONTROL_HARD_RESET_SERVER_V2;
	memcpy(e.sid, SID_B, 8);
	e.nacks = 1;
	e.acks[0] = 0;
	memcpy(e.peer_sid, SID_A, 8);
	n = ovpn_ctl_encode(&e, out, sizeof(out));
	CHECK(n == sizeof(sreset) && !memcmp(out, sreset, sizeof(sreset)), "server reset vector");

	CHECK(ovpn_ctl_decode(ack, sizeof(ack), &c) == 0, "ack decodes");
	CHECK(c.op == P_ACK_V1 && c.key_id == 2 && c.nacks == 2 && c.acks[0] == 1 &&
		      c.acks[1] == 0x01020304 && !memcmp(c.peer_sid, SID_B, 8) &&
		      c.payload_len == 0,
	      "ack fields");
	n = ovpn_ctl_encode(&c, out, sizeof(out));
	CHECK(n == sizeof(ack) && !memcmp(out, ack, sizeof(ack)), "ack re-encodes");

	CHECK(ovpn_ctl_decode(ctl, sizeof(ctl), &c) == 0, "control decodes");
	CHECK(c.op == P_CONTROL_V1 && c.key_id == 1 && c.nacks == 1 && c.acks[0] == 5 &&
		      c.msg_id == 7 && c.payload_len == 3 && !memcmp(c.payload, "abc", 3),
	      "control fields");
	n = ovpn_ctl_encode(&c, out, sizeof(out));
	CHECK(n == sizeof(ctl) && !memcmp(out, ctl, sizeof(ctl)), "control re-encodes");

	CHECK(ovpn_ctl_decode(soft, sizeof(soft), &c) == 0 && c.op == P_CONTROL_SOFT_RESET_V1 &&
		      c.key_id == 3,
	      "soft reset");

	/* data headers: P_DATA_V1 key 2 = 0x32; P_DATA_V2 key 1 peer 0x0a0b0c */
	CHECK(ovpn_data_hdr(out, 0, 2, 0) == 1 && out[0] == 0x32, "P_DATA_V1 header");
	CHECK(ovpn_data_hdr(out, 1, 1, 0x0a0b0c) == 4 && out[0] == 0x49 && out[1] == 0x0a &&
		      out[2] == 0x0b && out[3] == 0x0c,
	      "P_DATA_V2 header");
}

static void test_codec_acks(void)
{
	for (int n = 0; n <= 8; n++) {
		struct ovpn_ctl c, d;
		uint8_t out[128];
		ssize_t len;

		memset(&c, 0, sizeof(c));
		c.op = P_CONTROL_V1;
		memcpy(c.sid, SID_A, 8);
		memcpy(c.peer_sid, SID_B, 8);
		c.nacks = (uint8_t)n;
		for (int i = 0; i < n; i++)
			c.acks[i] = (uint32_t)(1000 + i * 3);
		c.msg_id = 42;
		len = ovpn_ctl_encode(&c, out, sizeof(out));
		CHECK(len == (ssize_t)(9 + 1 + 4 * n + (n ? 8 : 0) + 4), "%d acks: length", n);
		CHECK(ovpn_ctl_decode(out, (size_t)len, &d) == 0 && d.nacks == n &&
			      d.msg_id == 42 && (n == 0 || d.acks[n - 1] == (uint32_t)(1000 + (n - 1) * 3)),
		      "%d acks: round trip", n);
		/* every truncation inside the header is refused */
		for (ssize_t cut = 0; cut < len; cut++)
			if (ovpn_ctl_decode(out, (size_t)cut, &d) == 0) {
				CHECK(0, "%d acks: %zd bytes accepted", n, cut);
				break;
			}
	}
	{
		/* nine acks: refused (RELIABLE_ACK_SIZE) */
		uint8_t p[9 + 1 + 36 + 8 + 4] = { 0x20 };

		memcpy(p + 1, SID_A, 8);
		p[9] = 9;
		struct ovpn_ctl d;
		CHECK(ovpn_ctl_decode(p, sizeof(p), &d) < 0, "nine acks refused");
		p[9] = 8;
		CHECK(ovpn_ctl_decode(p, sizeof(p) - 4, &d) == 0, "eight acks accepted");
	}
}

static void test_codec_malformed(void)
{
	uint8_t p[32];
	struct ovpn_ctl d;

	memset(p, 0, sizeof(p));
	memcpy(p + 1, SID_A, 8);
	for (int op = 0; op < 32; op++) {
		int want = op >= 3 && op <= 11 && op != 6 && op != 9;

		p[0] = (uint8_t)(op << 3);
		CHECK((ovpn_ctl_decode(p, 14, &d) == 0) == want, "opcode %d", op);
	}
	p[0] = 0x20;
	memset(p + 1, 0, 8);
	CHECK(ovpn_ctl_decode(p, 14, &d) < 0, "zero session id refused");
	CHECK(ovpn_ctl_decode(NULL, 0, &d) < 0, "NULL refused");
	/* random junk never crashes and never yields more acks than 8 */
	for (int i = 0; i < 20000; i++) {
		uint8_t junk[64];
		size_t len = rnd() % sizeof(junk);

		for (size_t j = 0; j < len; j++)
			junk[j] = (uint8_t)rnd();
		if (ovpn_ctl_decode(junk, len, &d) == 0 && (d.nacks > 8 || d.payload_len > len)) {
			CHECK(0, "junk decoded inconsistently");
			break;
		}
	}
	passed++;
}

/* ---- wrapping ---- */

static void wrap_pair(struct wrap_key *ks, struct wrap_key *kc, int mode)
{
	int digests[1] = { DC_SHA1 };

	if (mode == WRAP_AUTH) {
		CHECK(wrap_key_auth(ks, ta_key, 0, digests, 1) == 0, "tls-auth key parses");
		CHECK(wrap_key_auth(kc, ta_key, 1, digests, 1) == 0, "tls-auth key parses");
	} else {
		CHECK(wrap_key_crypt(ks, ta_key, 1) == 0, "tls-crypt key parses");
		CHECK(wrap_key_crypt(kc, ta_key, 0) == 0, "tls-crypt key parses");
	}
}

static void test_tls_auth(void)
{
	struct wrap_key ks, kc;
	struct wrap ws, wc;
	uint8_t plain[64], out[256], back[256], want[256], mac[20], key[256];
	ssize_t n, m;

	wrap_pair(&ks, &kc, WRAP_AUTH);
	wrap_init(&ws, &ks);
	wrap_init(&wc, &kc);
	/* a client reset: 0x38 | sid | 0 acks | id 0 */
	memset(plain, 0, sizeof(plain));
	plain[0] = 0x38;
	memcpy(plain + 1, SID_A, 8);
	n = wrap_encode(&wc, plain, 14, out, sizeof(out), 1700000000);
	CHECK(n == 14 + 20 + 8, "tls-auth length (SHA1)");
	/* by hand: key direction 1 sends with key 1's HMAC half, over
	 * pid | op | sid | rest with pid = id 1, time 1700000000 */
	wrap_static_key_parse(ta_key, key);
	memcpy(want, plain, 9);
	{
		uint8_t pid[8] = { 0, 0, 0, 1, 0x65, 0x53, 0xf1, 0x00 };
		uint8_t msg[8 + 14];

		memcpy(msg, pid, 8);
		memcpy(msg + 8, plain, 14);
		hmac(WC_SHA, key + 128 + 64, 20, msg, sizeof(msg), NULL, 0, mac);
		memcpy(want + 9, mac, 20);
		memcpy(want + 29, pid, 8);
		memcpy(want + 37, plain + 9, 5);
	}
	CHECK(n == 42 && !memcmp(out, want, 42), "tls-auth vector by hand");
	m = wrap_decode(&ws, out, (size_t)n, back, sizeof(back), 1);
	CHECK(m == 14 && !memcmp(back, plain, 14), "tls-auth unwraps");
	CHECK(wrap_decode(&ws, out, (size_t)n, back, sizeof(back), 1) < 0, "tls-auth replay refused");
	for (size_t i = 0; i < (size_t)n; i++) {
		out[i] ^= 0x40;
		if (wrap_decode(&ws, out, (size_t)n, back, sizeof(back), 0) >= 0)
			CHECK(0, "tls-auth flip at %zu accepted", i);
		out[i] ^= 0x40;
	}
	for (size_t cut = 0; cut < (size_t)n; cut++)
		if (wrap_decode(&ws, out, cut, back, sizeof(back), 0) >= 0)
			CHECK(0, "tls-auth truncated to %zu accepted", cut);
	/* the same direction does not verify its own packets */
	CHECK(wrap_decode(&wc, out, (size_t)n, back, sizeof(back), 0) < 0, "wrong direction refused");
	/* a server with several digests finds SHA256 */
	{
		int two[2] = { DC_SHA1, DC_SHA256 }, one[1] = { DC_SHA256 };
		struct wrap_key k2, k1;
		struct wrap w2, w1;

		wrap_key_auth(&k2, ta_key, 0, two, 2);
		wrap_key_auth(&k1, ta_key, 1, one, 1);
		wrap_init(&w2, &k2);
		wrap_init(&w1, &k1);
		n = wrap_encode(&w1, plain, 14, out, sizeof(out), 5);
		CHECK(n == 14 + 32 + 8 && wrap_decode(&w2, out, (size_t)n, back, sizeof(back), 1) == 14 &&
			      w2.digest == DC_SHA256,
		      "digest candidates");
	}
}

static void test_tls_crypt(void)
{
	struct wrap_key ks, kc;
	struct wrap ws, wc;
	uint8_t plain[64], out[256], back[256], want[256], key[256], tag[32];
	ssize_t n;

	wrap_pair(&ks, &kc, WRAP_CRYPT);
	wrap_init(&ws, &ks);
	wrap_init(&wc, &kc);
	/* a P_CONTROL_V1 from the server with one ack and a payload */
	memset(plain, 0, sizeof(plain));
	plain[0] = 0x20;
	memcpy(plain + 1, SID_B, 8);
	plain[9] = 1;
	memcpy(plain + 14, SID_A, 8);
	plain[25] = 3;
	memcpy(plain + 26, "hello", 5);
	n = wrap_encode(&ws, plain, 31, out, sizeof(out), 77);
	CHECK(n == 31 + 8 + 32, "tls-crypt length");
	/* by hand: the server sends with key 0: Ka = hmac half, Ke = cipher half */
	wrap_static_key_parse(ta_key, key);
	memcpy(want, plain, 9);
	{
		uint8_t pid[8] = { 0, 0, 0, 1, 0, 0, 0, 77 };

		memcpy(want + 9, pid, 8);
		hmac(WC_SHA256, key + 64, 32, want, 17, plain + 9, 22, tag);
		memcpy(want + 17, tag, 32);
		ctr(key, tag, plain + 9, 22, want + 49);
	}
	CHECK(!memcmp(out, want, (size_t)n), "tls-crypt vector by hand");
	CHECK(wrap_decode(&wc, out, (size_t)n, back, sizeof(back), 1) == 31 &&
		      !memcmp(back, plain, 31),
	      "tls-crypt unwraps");
	CHECK(wrap_decode(&wc, out, (size_t)n, back, sizeof(back), 1) < 0, "tls-crypt replay refused");
	for (size_t i = 0; i < (size_t)n; i++) {
		out[i] ^= 1;
		if (wrap_decode(&wc, out, (size_t)n, back, sizeof(back), 0) >= 0)
			CHECK(0, "tls-crypt flip at %zu accepted", i);
		out[i] ^= 1;
	}
	for (size_t cut = 0; cut < (size_t)n; cut++)
		if (wrap_decode(&wc, out, cut, back, sizeof(back), 0) >= 0)
			CHECK(0, "tls-crypt truncated to %zu accepted", cut);
	passed++;
}

static void test_tls_crypt_v2(void)
{
	struct wrap_key k;
	struct wrap w;
	uint8_t plain[14] = { 0x50 }, out[2048], kc[256], wkc[1024];
	size_t wlen;
	ssize_t n;

	CHECK(wrap_v2_client_key_parse(v2_cli_key, kc, wkc, &wlen) == 0 && wlen > 290 &&
		      ovpn_get16(wkc + wlen - 2) == wlen,
	      "tls-crypt-v2 client key");
	CHECK(wrap_key_crypt_v2_client(&k, v2_cli_key) == 0, "v2 wrap key");
	wrap_init(&w, &k);
	w.send_id = WRAP_EARLY_NEG_START;
	plain[0] = OVPN_HDR(P_CONTROL_HARD_RESET_CLIENT_V3, 0);
	memcpy(plain + 1, SID_A, 8);
	n = wrap_encode(&w, plain, sizeof(plain), out, sizeof(out), 9);
	CHECK(n == (ssize_t)(14 + 8 + 32 + wlen) && !memcmp(out + n - wlen, wkc, wlen) &&
		      ovpn_get32(out + 9) == 0x0f000001,
	      "v3 reset carries the WKc and the early-negotiation id");
	plain[0] = OVPN_HDR(P_CONTROL_V1, 0);
	n = wrap_encode(&w, plain, sizeof(plain), out, sizeof(out), 9);
	CHECK(n == 14 + 8 + 32, "P_CONTROL_V1 carries no WKc");
	CHECK(wrap_v2_client_key_parse(ta_key, kc, wkc, &wlen) < 0, "a static key is not a v2 key");
}

static void test_replay_window(void)
{
	struct wrap_replay r;

	memset(&r, 0, sizeof(r));
	CHECK(wrap_replay_check(&r, 0, 5) < 0, "id 0 refused");
	CHECK(wrap_replay_check(&r, 3, 5) == 0, "first");
	CHECK(wrap_replay_check(&r, 1, 5) == 0, "older, unseen");
	CHECK(wrap_replay_check(&r, 3, 5) < 0, "repeat refused");
	CHECK(wrap_replay_check(&r, 100, 5) == 0, "jump");
	CHECK(wrap_replay_check(&r, 36, 5) < 0, "64 behind refused");
	CHECK(wrap_replay_check(&r, 37, 5) == 0, "63 behind taken");
	CHECK(wrap_replay_check(&r, 1, 6) == 0, "new time restarts");
	CHECK(wrap_replay_check(&r, 200, 4) < 0, "older time refused");
}

/* ---- reliability ---- */

static void test_reliable_basics(void)
{
	struct reliable r;
	struct rel_msg *m;
	uint32_t ids[8];
	int n;

	rel_init(&r);
	for (int i = 0; i < 6; i++)
		CHECK(rel_queue(&r, P_CONTROL_V1, (const uint8_t *)"x", 1) == i, "queue %d", i);
	CHECK(rel_queue(&r, P_CONTROL_V1, NULL, 0) < 0 && rel_send_room(&r) == 0, "window of 6");
	/* first sends: all due at once, oldest first */
	for (int i = 0; i < 6; i++) {
		m = rel_due(&r, 1000);
		CHECK(m && m->id == (uint32_t)i, "due %d", i);
	}
	CHECK(!rel_due(&r, 1000), "nothing more due");
	CHECK(rel_deadline(&r) == 3000, "retry after 2 s");
	/* three acks of later messages resend id 0 early */
	ids[0] = 1;
	ids[1] = 2;
	rel_acked(&r, ids, 2);
	CHECK(!rel_due(&r, 1100), "two later acks: not yet");
	/* the same id twice in one list: freed once, no harm done */
	ids[0] = 3;
	ids[1] = 3;
	rel_acked(&r, ids, 2);
	m = rel_due(&r, 1200);
	CHECK(m && m->id == 0, "early resend after 3 acks");
	CHECK(!rel_due(&r, 1200), "one early resend only");
	CHECK(rel_send_room(&r) == 0, "room counts from the oldest unacked id");
	ids[0] = 0;
	rel_acked(&r, ids, 1);
	CHECK(rel_send_room(&r) == 4, "room after acks");
	/* doubling backoff: 2 s, 4 s, 8 s */
	m = rel_due(&r, 5000);
	CHECK(m && m->id == 4 && m->next_try == 9000, "backoff doubles (4 s)");
	m = rel_due(&r, 9000);
	CHECK(m && m->id == 4 && m->next_try == 17000, "backoff doubles (8 s)");
	rel_free(&r);

	/* acks: pending first, then the most recent ones again */
	rel_init(&r);
	rel_ack_add(&r, 5);
	rel_ack_add(&r, 6);
	rel_ack_add(&r, 6);
	n = rel_ack_take(&r, ids, 4);
	CHECK(n == 2 && ids[0] == 5 && ids[1] == 6, "pending acks, no duplicates");
	rel_ack_add(&r, 7);
	n = rel_ack_take(&r, ids, 4);
	CHECK(n == 3 && ids[0] == 7 && ids[1] == 5 && ids[2] == 6, "recent acks repeated");
	for (uint32_t i = 10; i < 30; i++)
		rel_ack_add(&r, i);
	CHECK(rel_ack_pending(&r) == 8, "at most 8 pending");
	n = rel_ack_take(&r, ids, 8);
	CHECK(n == 8 && ids[0] == 10 && ids[7] == 17, "eight at once");
	rel_free(&r);

	/* receive window: in order delivery, duplicates, too far ahead */
	rel_init(&r);
	CHECK(rel_receive(&r, 2, 4, (const uint8_t *)"c", 1) == 1, "out of order kept");
	CHECK(!rel_peek(&r), "not deliverable yet");
	CHECK(rel_receive(&r, 2, 4, (const uint8_t *)"c", 1) == 0, "duplicate");
	CHECK(rel_receive(&r, 12, 4, NULL, 0) < 0, "beyond 12 refused");
	CHECK(rel_receive(&r, 11, 4, NULL, 0) == 1, "11 taken");
	rel_receive(&r, 0, 4, (const uint8_t *)"a", 1);
	rel_receive(&r, 1, 4, (const uint8_t *)"b", 1);
	for (int i = 0; i < 3; i++) {
		m = rel_peek(&r);
		CHECK(m && m->id == (uint32_t)i && m->buf[0] == 'a' + i, "in order %d", i);
		rel_consume(&r, m);
	}
	CHECK(rel_receive(&r, 1, 4, NULL, 0) == 0, "old id: ack again");
	rel_free(&r);
}

/* Two windows over a channel that drops, duplicates and reorders: every
 * message arrives once, in order. */
static void test_reliable_lossy(void)
{
	struct reliable a, b;
	struct flight { uint32_t id; int ack; uint64_t at; } net[4096];
	int nnet = 0, next_msg = 0, delivered = 0, bad = 0;
	uint64_t now = 0;

	rel_init(&a);
	rel_init(&b);
	while (delivered < 300 && now < 2000000) {
		struct rel_msg *m;
		int i;

		while (next_msg < 300 && rel_send_room(&a) > 0) {
			uint8_t v = (uint8_t)next_msg;

			rel_queue(&a, P_CONTROL_V1, &v, 1);
			next_msg++;
		}
		while ((m = rel_due(&a, now)) && nnet < 4000) {
			int copies = rnd() % 10 == 0 ? 2 : 1;	/* duplication */

			for (int c = 0; c < copies; c++)
				if (rnd() % 100 >= 25)	/* 25 % loss */
					net[nnet++] = (struct flight){ m->id, 0, now + 5 + rnd() % 40 };
		}
		/* deliver what is due, in arrival order (which reorders) */
		for (i = 0; i < nnet;) {
			if (net[i].at > now) {
				i++;
				continue;
			}
			if (net[i].ack) {
				rel_acked(&a, &net[i].id, 1);
			} else {
				uint8_t v = (uint8_t)net[i].id;

				if (rel_receive(&b, net[i].id, P_CONTROL_V1, &v, 1) >= 0)
					rel_ack_add(&b, net[i].id);
			}
			net[i] = net[--nnet];
		}
		while ((m = rel_peek(&b))) {
			bad |= m->buf[0] != (uint8_t)delivered;
			delivered++;
			rel_consume(&b, m);
		}
		if (rel_ack_pending(&b)) {
			uint32_t ids[8];
			int n = rel_ack_take(&b, ids, 8);

			for (int k = 0; k < n && nnet < 4000; k++)
				if (rnd() % 100 >= 25)
					net[nnet++] = (struct flight){ ids[k], 1, now + 5 + rnd() % 40 };
		}
		now += 10;
	}
	CHECK(delivered == 300 && !bad, "300 messages in order over loss (%d delivered)", delivered);
	rel_free(&a);
	rel_free(&b);
}

/* ---- key method 2 ---- */

static void test_km2(void)
{
	struct km2_source cs, ss;
	struct km2 k;
	uint8_t buf[4096];
	ssize_t n;

	fill(cs.pre_master, 48, 1);
	fill(cs.random1, 32, 2);
	fill(cs.random2, 32, 3);
	fill(ss.random1, 32, 4);
	fill(ss.random2, 32, 5);
	n = km2_encode(1, &cs, "V4,dev-type tun", "alice", "secret", "IV_VER=2.6.14\n", buf,
		       sizeof(buf));
	CHECK(n == 4 + 1 + 112 + 2 + 16 + 2 + 6 + 2 + 7 + 2 + 15, "client record length");
	CHECK(!memcmp(buf, "\0\0\0\0\2", 5) && buf[117] == 0 && buf[118] == 16, "record layout");
	CHECK(km2_decode(buf, (size_t)n, 1, &k) == 0 && !memcmp(&k.src, &cs, sizeof(cs)) &&
		      !strcmp(k.options, "V4,dev-type tun") && !strcmp(k.user, "alice") &&
		      !strcmp(k.pass, "secret") && !strcmp(k.peer_info, "IV_VER=2.6.14\n"),
	      "client record round trip");
	km2_clear(&k);
	for (ssize_t cut = 0; cut < n; cut++) {
		int rc = km2_decode(buf, (size_t)cut, 1, &k);

		/* a record may end after the options string or a string, no earlier */
		if (rc == 0 && cut < 4 + 1 + 112 + 2 + 16) {
			CHECK(0, "record cut to %zd accepted", cut);
		}
		km2_clear(&k);
	}
	/* the server's 64-byte source and the empty forms 2.6 writes */
	n = km2_encode(0, &ss, "V4,x", NULL, NULL, NULL, buf, sizeof(buf));
	CHECK(n == 5 + 64 + 2 + 5 + 2 + 2 + 2, "server record length");
	CHECK(km2_decode(buf, (size_t)n, 0, &k) == 0 && !memcmp(k.src.random1, ss.random1, 32) &&
		      !k.user && !k.pass && !k.peer_info,
	      "empty strings (length 0)");
	km2_clear(&k);
	{
		/* the one-NUL form of an empty string */
		uint8_t r[5 + 64 + 2 + 1 + 3 + 3 + 3];
		size_t o = 0;

		memcpy(r, "\0\0\0\0\x02", 5);
		o = 5 + 64;
		memset(r + 5, 9, 64);
		r[o++] = 0, r[o++] = 1, r[o++] = 0;	/* options "" */
		r[o++] = 0, r[o++] = 1, r[o++] = 0;	/* user "" */
		r[o++] = 0, r[o++] = 1, r[o++] = 0;	/* pass "" */
		r[o++] = 0, r[o++] = 1, r[o++] = 0;	/* peer info "" */
		CHECK(km2_decode(r, o, 0, &k) == 0 && !strcmp(k.user, "") && !strcmp(k.pass, "") &&
			      !strcmp(k.options, ""),
		      "empty strings (one NUL)");
		km2_clear(&k);
		r[4] = 1;
		CHECK(km2_decode(r, o, 0, &k) < 0, "key method 1 refused");
		km2_clear(&k);
		r[4] = 0x22;	/* flags in the high bits */
		CHECK(km2_decode(r, o, 0, &k) == 0, "key method flags ignored");
		km2_clear(&k);
		/* a string without its NUL is cut at its last byte */
		r[4] = 2;
		r[o - 1] = 'x';
		CHECK(km2_decode(r, o, 0, &k) == 0 && !strcmp(k.peer_info, ""), "NUL forced");
		km2_clear(&k);
	}
	{
		/* options over 512 refused; user over 4096 flagged, not refused */
		static uint8_t big[8192];
		char *s = malloc(5000);

		memset(s, 'a', 4999);
		s[4999] = 0;
		s[600] = 0;
		n = km2_encode(0, &ss, s, NULL, NULL, NULL, big, sizeof(big));
		CHECK(n < 0, "options over 512 are not written");
		s[600] = 'a';
		n = km2_encode(1, &cs, "V4", s, "p", NULL, big, sizeof(big));
		CHECK(n > 0 && km2_decode(big, (size_t)n, 1, &k) == 0 && k.userpass_too_long &&
			      !k.user && !strcmp(k.pass, "p"),
		      "user over 4096 flagged");
		km2_clear(&k);
		free(s);
	}
}

static void test_prf(void)
{
	struct km2_source cs, ss;
	uint8_t block[256], master[48], want[256], seed[96];
	struct km2_dir d;

	fill(cs.pre_master, 48, 11);
	fill(cs.random1, 32, 22);
	fill(cs.random2, 32, 33);
	fill(ss.random1, 32, 44);
	fill(ss.random2, 32, 55);
	CHECK(km2_prf_keys(&cs, &ss, SID_A, SID_B, block) == 0, "PRF runs");
	memcpy(seed, cs.random1, 32);
	memcpy(seed + 32, ss.random1, 32);
	tls1_prf(cs.pre_master, 48, "OpenVPN master secret", seed, 64, master, 48);
	memcpy(seed, cs.random2, 32);
	memcpy(seed + 32, ss.random2, 32);
	memcpy(seed + 64, SID_A, 8);
	memcpy(seed + 72, SID_B, 8);
	tls1_prf(master, 48, "OpenVPN key expansion", seed, 80, want, 256);
	CHECK(!memcmp(block, want, 256), "PRF key block matches an independent TLS 1.0 PRF");
	{
		/* and this test's PRF agrees with wolfSSL's (which stops at 224 bytes) */
		uint8_t wolf[224], mine[224];

		tls1_prf(master, 48, "OpenVPN key expansion", seed, 80, mine, 224);
		CHECK(wc_PRF_TLSv1(wolf, 224, master, 48, (const byte *)"OpenVPN key expansion", 21,
				   seed, 80, NULL, INVALID_DEVID) == 0 &&
			      !memcmp(wolf, mine, 224),
		      "the test PRF matches wc_PRF_TLSv1");
	}
	km2_split(block, 0, &d);
	CHECK(d.seal_cipher == block && d.seal_hmac == block + 64 && d.open_cipher == block + 128 &&
		      d.open_hmac == block + 192,
	      "client seals with key 0");
	km2_split(block, 1, &d);
	CHECK(d.seal_cipher == block + 128 && d.open_cipher == block, "server seals with key 1");
}

/* ---- push ---- */

static void test_push(void)
{
	struct push_msgs m;
	struct push_join j = { 0 };
	char opts[8192] = "";
	int r = 0;

	for (int i = 0; i < 120; i++) {
		char route[64];

		snprintf(route, sizeof(route), "%sroute 10.%d.%d.0 255.255.255.0", i ? "," : "",
			 i / 10, i % 250);
		strcat(opts, route);
	}
	CHECK(push_split(opts, &m) == 0 && m.n > 3, "long push split (%d messages)", m.n);
	for (int i = 0; i < m.n; i++) {
		const char *tail = i < m.n - 1 ? ",push-continuation 2" : ",push-continuation 1";

		CHECK(strlen(m.m[i]) < 1024 && !strncmp(m.m[i], "PUSH_REPLY,", 11) &&
			      !strcmp(m.m[i] + strlen(m.m[i]) - strlen(tail), tail),
		      "message %d framing", i);
		r = push_join_add(&j, m.m[i]);
		CHECK(r == (i < m.n - 1 ? 0 : 1), "join state %d", i);
	}
	CHECK(j.opts && !strcmp(j.opts, opts), "joined list equals the original");
	push_msgs_free(&m);
	push_join_free(&j);

	CHECK(push_split("ifconfig 10.8.0.2 255.255.255.0,ping 10", &m) == 0 && m.n == 1 &&
		      !strcmp(m.m[0], "PUSH_REPLY,ifconfig 10.8.0.2 255.255.255.0,ping 10"),
	      "short push: one message, no continuation");
	push_msgs_free(&m);
	CHECK(push_split("", &m) == 0 && m.n == 1 && !strcmp(m.m[0], "PUSH_REPLY"), "empty push");
	CHECK(push_join_add(&j, "PUSH_REPLY") == 1 && j.opts && !j.opts[0], "empty reply joins");
	push_join_free(&j);
	push_msgs_free(&m);
	memset(opts, 'x', 2000);
	opts[2000] = 0;
	CHECK(push_split(opts, &m) < 0, "an option longer than a message is refused");
	CHECK(push_join_add(&j, "PUSH_REPLYX") < 0 && push_join_add(&j, "AUTH_FAILED") < 0,
	      "not a push reply");
	push_join_free(&j);
	CHECK(push_opt_get("a 1,peer-id 3,b,peer-id 9", "peer-id", opts, 16) == 0 &&
		      !strcmp(opts, "9"),
	      "last option wins");
	CHECK(push_opt_has("comp-lzo,x", "comp-lzo") && !push_opt_has("comp-lzox", "comp-lzo"),
	      "option names match whole");
}

static void test_texts(void)
{
	struct occ_params p = { .server = 1, .tun_mtu = 1500, .cipher = DC_AES_256_GCM,
				.digest = DC_SHA1, .key_direction = -1 };
	char s[512], v[64];
	enum dc_cipher c[8];

	CHECK(occ_build(&p, s, sizeof(s)) == 0 &&
		      !strcmp(s, "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,cipher "
				 "AES-256-GCM,auth [null-digest],keysize 256,key-method 2,tls-server"),
	      "OCC string as 2.6 writes it: %s", s);
	p.server = 0;
	p.tcp = 1;
	p.cipher = DC_AES_128_CBC;
	p.tls_auth = 1;
	p.key_direction = 1;
	occ_build(&p, s, sizeof(s));
	CHECK(strstr(s, ",proto TCPv4_CLIENT,keydir 1,cipher AES-128-CBC,auth SHA1,keysize 128,"
			"tls-auth,key-method 2,tls-client") != NULL,
	      "client OCC: %s", s);
	CHECK(occ_get(s, "cipher", v, sizeof(v)) == 0 && !strcmp(v, "AES-128-CBC"), "occ_get");
	CHECK(!occ_uses_comp(s) && occ_uses_comp("V4,comp-lzo,x"), "comp-lzo detection");
	c[0] = DC_AES_256_GCM;
	c[1] = DC_AES_128_GCM;
	c[2] = DC_CHACHA20_POLY1305;
	CHECK(peerinfo_build(c, 3, 1500, 0, s, sizeof(s)) == 0 &&
		      strstr(s, "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\n") &&
		      strstr(s, "IV_NCP=2\n") && strstr(s, "IV_PLAT=linux\n") &&
		      strstr(s, "IV_MTU=1600\n") && strstr(s, "IV_LZO_STUB=1\n") &&
		      strstr(s, "IV_COMP_STUBv2=1\n") && !strstr(s, "IV_LZ4"),
	      "peer info: %s", s);
	CHECK(peerinfo_build(c, 3, 1500, 1, s, sizeof(s)) == 0 && strstr(s, "IV_LZ4v2=1\n") &&
		      strstr(s, "IV_LZO=1\n") && !strstr(s, "IV_LZO_STUB"),
	      "peer info with compression: %s", s);
	peerinfo_build(c, 3, 1500, 0, s, sizeof(s));
	CHECK(peerinfo_proto(s) == (2 | 4 | 8 | 128), "IV_PROTO bits");
	CHECK(peerinfo_ciphers("IV_NCP=2\nIV_PROTO=2\n", c, 8) == 2 && c[0] == DC_AES_256_GCM,
	      "IV_NCP=2 means the GCMs");
	CHECK(peerinfo_ciphers("IV_CIPHERS=BF-CBC:AES-128-CBC:NOPE\n", c, 8) == 2 &&
		      c[1] == DC_AES_128_CBC,
	      "IV_CIPHERS list");
}

static void test_frames(void)
{
	uint8_t in[32], out[40], buf[40], work[64], *p;
	ssize_t n;

	fill(in, 20, 0x45);
	n = comp_frame_out(COMP_FRAME_V1, in, 20, out, sizeof(out));
	CHECK(n == 21 && out[0] == 0xFA &&
		      comp_frame_in(COMP_FRAME_V1, 0, out, 21, work, sizeof(work), &p) == 20 &&
		      p == out + 1 && !memcmp(p, in, 20),
	      "comp-lzo framing");
	n = comp_frame_out(COMP_FRAME_V1_SWAP, in, 20, out, sizeof(out));
	CHECK(n == 21 && out[0] == 0xFB && out[20] == in[0], "swap framing");
	CHECK(comp_frame_in(COMP_FRAME_V1_SWAP, 0, out, 21, work, sizeof(work), &p) == 20 &&
		      !memcmp(p, in, 20),
	      "swap unframes");
	n = comp_frame_out(COMP_FRAME_V2, in, 20, out, sizeof(out));
	CHECK(n == 20 && !memcmp(out, in, 20), "stub-v2 adds nothing");
	in[0] = 0x50;
	n = comp_frame_out(COMP_FRAME_V2, in, 20, out, sizeof(out));
	CHECK(n == 22 && out[0] == 0x50 && out[1] == 0 &&
		      comp_frame_in(COMP_FRAME_V2, 0, out, 22, work, sizeof(work), &p) == 20 &&
		      p == out + 2,
	      "stub-v2 escapes 0x50");
	fill(buf, sizeof(buf), 3);
	buf[0] = 0x66;
	CHECK(comp_frame_in(COMP_FRAME_V1, 0, buf, 10, work, sizeof(work), &p) ==
		      COMP_DROP_REFUSED,
	      "LZO data dropped when not accepted");
	buf[0] = 0x50;
	buf[1] = 1;
	CHECK(comp_frame_in(COMP_FRAME_V2, 0, buf, 10, work, sizeof(work), &p) ==
		      COMP_DROP_REFUSED,
	      "LZ4-v2 data dropped when not accepted");
	buf[1] = 2;
	CHECK(comp_frame_in(COMP_FRAME_V2, 3, buf, 10, work, sizeof(work), &p) == COMP_DROP_FRAME,
	      "v2 LZO (never sent by OpenVPN) dropped");
	buf[0] = 0x69;
	CHECK(comp_frame_in(COMP_FRAME_V1_SWAP, 3, buf, 1, work, sizeof(work), &p) ==
		      COMP_DROP_FRAME,
	      "a lone LZ4 byte dropped");
	buf[0] = 0x42;
	CHECK(comp_frame_in(COMP_FRAME_V1, 3, buf, 10, work, sizeof(work), &p) == COMP_DROP_FRAME,
	      "junk header dropped");
	CHECK(ovpn_is_ping(ovpn_ping_magic, 16) && !ovpn_is_ping(ovpn_ping_magic, 17), "ping magic");
	memcpy(buf, ovpn_occ_magic, 16);
	buf[16] = OCC_EXIT;
	CHECK(ovpn_occ_op(buf, 17) == OCC_EXIT && ovpn_occ_op(in, 20) < 0, "OCC magic");
}

static struct sockaddr_in6 v4mapped(uint32_t a, uint16_t port)
{
	struct sockaddr_in6 s = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	s.sin6_addr.s6_addr[10] = s.sin6_addr.s6_addr[11] = 0xff;
	a = htonl(a);
	memcpy(&s.sin6_addr.s6_addr[12], &a, 4);
	return s;
}

/* The first-reply allowance is per source: a flood from one address, over
 * any number of ports, leaves other addresses theirs; a network and all
 * sources together have larger ones. */
static void test_cookie_rate(void)
{
	static struct cookie c;		/* large: two tables of buckets */
	struct sockaddr_in6 a, b;
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0xc0a80005) };
	int ok = 1, n = 0;

	cookie_init(&c);
	c.seed = 1;	/* the same buckets each run */
	for (int i = 0; i < 100; i++) {
		a = v4mapped(0x0ae70002, (uint16_t)(1000 + i));	/* one address, many ports */
		ok &= cookie_rate_ok(&c, 5000 + (uint64_t)i, &a, sizeof(a));
	}
	a = v4mapped(0x0ae70002, 999);
	CHECK(ok && !cookie_rate_ok(&c, 6000, &a, sizeof(a)), "100 first replies per 10 s to one address");
	b = v4mapped(0x0ae70102, 1194);
	CHECK(cookie_rate_ok(&c, 6001, &b, sizeof(b)), "another address still answered");
	CHECK(cookie_rate_ok(&c, 15001, &a, sizeof(a)), "a new window");
	for (int i = 3; i < 250; i++) {		/* the rest of a /24 */
		a = v4mapped(0x0a000000u | (uint32_t)i, 1);
		for (int k = 0; k < 3; k++)
			n += cookie_rate_ok(&c, 30000, &a, sizeof(a));
	}
	CHECK(n == 100 * COOKIE_NET_SHARE, "a /24 gets %d sources' worth (%d)", COOKIE_NET_SHARE, n);
	n = 0;
	for (uint32_t i = 0; i < 20000; i++) {	/* sources everywhere */
		a = v4mapped(0x0b000000u + (i << 8), 1);
		n += cookie_rate_ok(&c, 30000, &a, sizeof(a));
	}
	CHECK(n + 100 * COOKIE_NET_SHARE == 100 * COOKIE_ALL_SHARE,
	      "all sources together get %d sources' worth (%d)", COOKIE_ALL_SHARE, n);
	CHECK(!cookie_rate_ok(&c, 30001, &v4, sizeof(v4)), "a plain sockaddr_in counts too");
	CHECK(cookie_rate_ok(&c, 40001, &v4, sizeof(v4)), "and is answered in the next window");
}

/* A compressible packet: an IPv4-looking header, then zeros and a pattern. */
static void comp_payload(uint8_t *p, size_t len)
{
	memset(p, 0, len);
	p[0] = 0x45;
	for (size_t i = len / 2; i < len; i++)
		p[i] = (uint8_t)(i / 64);
}

/* Frame compressed data as a peer would: v1 LZO (0x66 in front), v1 LZ4
 * (0x69 in the first byte's place, that byte at the end), v2 LZ4. */
static size_t comp_wire(enum comp_frame f, unsigned alg, const uint8_t *plain, size_t len,
			uint8_t *wire, size_t cap)
{
	uint8_t z[20000];
	lzo_uint zl = sizeof(z);
	static uint8_t wrk[LZO1X_1_15_MEM_COMPRESS];
	int n;

	if (alg == COMP_ACCEPT_LZO) {
		lzo1x_1_15_compress(plain, len, z, &zl, wrk);
		n = (int)zl;
	} else {
		n = LZ4_compress_default((const char *)plain, (char *)z, (int)len, (int)sizeof(z));
	}
	if (n <= 0 || (size_t)n + 2 > cap)
		return 0;
	if (f == COMP_FRAME_V2) {
		wire[0] = 0x50;
		wire[1] = 1;
		memcpy(wire + 2, z, (size_t)n);
		return (size_t)n + 2;
	}
	if (alg == COMP_ACCEPT_LZO) {
		wire[0] = 0x66;
		memcpy(wire + 1, z, (size_t)n);
		return (size_t)n + 1;
	}
	wire[0] = 0x69;
	memcpy(wire + 1, z + 1, (size_t)n - 1);
	wire[n] = z[0];
	return (size_t)n + 1;
}

/* What a peer compressed comes back whole; hostile data never expands
 * past the cap: truncated, trailing junk, too large, random bytes. */
static void test_expand(void)
{
	static const struct {
		enum comp_frame f;
		unsigned alg;
		const char *name;
	} k[] = { { COMP_FRAME_V1, COMP_ACCEPT_LZO, "LZO" },
		  { COMP_FRAME_V1_SWAP, COMP_ACCEPT_LZ4, "LZ4" },
		  { COMP_FRAME_V2, COMP_ACCEPT_LZ4, "LZ4-v2" } };
	uint8_t plain[4000], wire[4200], copy[4200], work[1600], *p;
	size_t wl;
	ssize_t n;

	lzo_init();
	comp_payload(plain, sizeof(plain));
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		wl = comp_wire(k[i].f, k[i].alg, plain, 1400, wire, sizeof(wire));
		memcpy(copy, wire, wl);
		n = comp_frame_in(k[i].f, k[i].alg, copy, wl, work, sizeof(work), &p);
		CHECK(wl > 0 && wl < 200 && n == 1400 && p == work && !memcmp(work, plain, 1400),
		      "%s: %zu bytes expand to %zd", k[i].name, wl, n);
		memcpy(copy, wire, wl);
		CHECK(comp_frame_in(k[i].f, k[i].alg ^ 3, copy, wl, work, sizeof(work), &p) ==
			      COMP_DROP_REFUSED,
		      "%s: refused when another algorithm was agreed", k[i].name);
		memcpy(copy, wire, wl);
		n = comp_frame_in(k[i].f, k[i].alg, copy, wl, work, 1399, &p);
		CHECK(n == COMP_DROP_BAD, "%s: one byte over the cap dropped (%zd)", k[i].name, n);
		wl = comp_wire(k[i].f, k[i].alg, plain, sizeof(plain), wire, sizeof(wire));
		memcpy(copy, wire, wl);
		n = comp_frame_in(k[i].f, k[i].alg, copy, wl, work, sizeof(work), &p);
		CHECK(n == COMP_DROP_BAD, "%s: 4000 bytes into 1600 dropped (%zd)", k[i].name, n);
		wl = comp_wire(k[i].f, k[i].alg, plain, 1400, wire, sizeof(wire));
		memcpy(copy, wire, wl);
		/* v1 LZ4 keeps a byte at the end: cut in the middle instead */
		if (k[i].f == COMP_FRAME_V1_SWAP)
			memmove(copy + wl / 2, copy + wl / 2 + 6, wl - wl / 2 - 6);
		n = comp_frame_in(k[i].f, k[i].alg, copy, wl - 6, work, sizeof(work), &p);
		CHECK(n == COMP_DROP_BAD || (n >= 0 && n <= (ssize_t)sizeof(work) && n != 1400),
		      "%s: truncated data (%zd)", k[i].name, n);
		for (int r = 0; r < 200; r++) {
			memcpy(copy, wire, 2);
			for (size_t j = 2; j < 300; j++)
				copy[j] = (uint8_t)((j * 131 + (size_t)r * 977) ^ (j >> 3) * r);
			n = comp_frame_in(k[i].f, k[i].alg, copy, 300, work, sizeof(work), &p);
			if (n > (ssize_t)sizeof(work) || (n >= 0 && p != work)) {
				CHECK(0, "%s: junk %d gave %zd", k[i].name, r, n);
				break;
			}
		}
	}
	memcpy(copy, "\x66\x11\x00\x00", 4);
	n = comp_frame_in(COMP_FRAME_V1, COMP_ACCEPT_LZO, copy, 4, work, sizeof(work), &p);
	CHECK(n == 0 || n == COMP_DROP_BAD, "LZO end marker alone (%zd)", n);
	wl = comp_wire(COMP_FRAME_V1, COMP_ACCEPT_LZO, plain, 1400, wire, sizeof(wire));
	wire[wl] = 0x77;
	CHECK(comp_frame_in(COMP_FRAME_V1, COMP_ACCEPT_LZO, wire, wl + 1, work, sizeof(work), &p) ==
		      COMP_DROP_BAD,
	      "LZO with junk after its end dropped");
	memcpy(copy, "\x50\x01", 2);
	CHECK(comp_frame_in(COMP_FRAME_V2, COMP_ACCEPT_LZ4, copy, 2, work, sizeof(work), &p) ==
		      COMP_DROP_BAD,
	      "LZ4-v2 header without data dropped");
}

static void test_cookie(void)
{
	struct cookie c;
	uint8_t sid[8], sid2[8], addr[16] = { 2, 0, 1, 2, 127, 0, 0, 1 };
	int ok = 1;

	cookie_init(&c);
	cookie_sid(&c, 100000, 60, 0, addr, sizeof(addr), SID_A, sid);
	cookie_sid(&c, 100000 + 5000, 60, 0, addr, sizeof(addr), SID_A, sid2);
	CHECK(!memcmp(sid, sid2, 8), "same slot, same id");
	CHECK(cookie_valid(&c, 100000 + 60000, 60, addr, sizeof(addr), SID_A, sid), "60 s later valid");
	CHECK(!cookie_valid(&c, 100000 + 200000, 60, addr, sizeof(addr), SID_A, sid), "200 s later stale");
	addr[7] = 2;
	CHECK(!cookie_valid(&c, 100000, 60, addr, sizeof(addr), SID_A, sid), "other address refused");
	test_cookie_rate();
}

/* ---- whole sessions in memory ---- */

struct qpkt {
	struct qpkt *next;
	uint64_t at;
	size_t len;
	uint8_t data[];
};

struct end {
	struct net *net;
	struct ovpn_sess *s;
	int is_server;
	struct qpkt *in;		/* packets on their way to this end */
	int ups, downs, auths, push_reqs, tuns, pushes;
	char down_reason[256], pushed[4096], user[64], pass[64], cn[64], cipher[32];
	int auth_answer;		/* 1 accept, 0 refuse, -1 answer later */
	int free_in_down;		/* the owner frees the session from io->down */
	uint32_t next_seq, got_seq, bad;	/* tunnel traffic bookkeeping */
	int sent_data;
};

struct net {
	struct end c, srv;
	struct ovpn_shared *shc, *shs;
	uint64_t now;
	int loss;			/* percent of packets dropped */
	int loss_data;			/* 1: data packets may be dropped too */
	uint64_t latency;
	uint64_t traffic_ms;		/* both ends send a tun packet this often, 0: none */
	uint64_t next_traffic;
	int cut;			/* drop everything */
	uint8_t addr[16];
	int server_reneg;
	int count_v1, count_v2;		/* data opcodes seen */
};

static void on_log(void *ctx, int level, const char *msg)
{
	struct end *e = ctx;

	if (verbose || (level == 0 && verbose))
		fprintf(stderr, "[%6llu %s] %d %s\n", (unsigned long long)e->net->now,
			e->is_server ? "srv" : "cli", level, msg);
}

static void on_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct end *e = ctx, *to = e->is_server ? &e->net->c : &e->net->srv;
	struct net *n = e->net;
	int data = ovpn_op_is_data(OVPN_OP(pkt[0]));
	struct qpkt *q, **tail;

	if (data)
		OVPN_OP(pkt[0]) == P_DATA_V1 ? n->count_v1++ : n->count_v2++;
	if (n->cut || ((data ? n->loss_data : 1) && (int)(rnd() % 100) < n->loss))
		return;
	q = malloc(sizeof(*q) + len);
	q->next = NULL;
	q->at = n->now + n->latency;
	q->len = len;
	memcpy(q->data, pkt, len);
	for (tail = &to->in; *tail; tail = &(*tail)->next)
		;
	*tail = q;
}

static void on_tun(void *ctx, const uint8_t *pkt, size_t len)
{
	struct end *e = ctx;
	uint32_t seq;

	e->tuns++;
	if (len != 100 || pkt[0] != 0x45) {
		e->bad++;
		return;
	}
	seq = ovpn_get32(pkt + 20);
	for (size_t i = 24; i < len; i++)
		if (pkt[i] != (uint8_t)(seq + i))
			e->bad++;
	e->got_seq = seq;
}

static void on_auth(void *ctx, const char *user, const char *pass, const char *pi, const char *cn)
{
	struct end *e = ctx;

	(void)pi;
	e->auths++;
	ovpn_strlcpy(e->user, user, sizeof(e->user));
	ovpn_strlcpy(e->pass, pass, sizeof(e->pass));
	ovpn_strlcpy(e->cn, cn, sizeof(e->cn));
	if (e->auth_answer >= 0)	/* answered from inside the callback */
		ovpn_sess_auth(e->s, e->auth_answer, "bad password");
}

static void on_push_request(void *ctx)
{
	struct end *e = ctx;

	e->push_reqs++;
	ovpn_sess_push(e->s, "route-gateway 10.8.0.1,topology subnet,ping 1,ping-restart 6,"
			     "ifconfig 10.8.0.2 255.255.255.0");
}

static void on_pushed(void *ctx, const char *opts)
{
	struct end *e = ctx;

	e->pushes++;
	ovpn_strlcpy(e->pushed, opts, sizeof(e->pushed));
}

static void on_up(void *ctx, const char *cipher, const char *digest)
{
	struct end *e = ctx;

	(void)digest;
	e->ups++;
	ovpn_strlcpy(e->cipher, cipher, sizeof(e->cipher));
}

static void on_down(void *ctx, const char *reason)
{
	struct end *e = ctx;

	e->downs++;
	ovpn_strlcpy(e->down_reason, reason, sizeof(e->down_reason));
	if (e->free_in_down) {
		ovpn_sess_free(e->s);
		e->s = NULL;
	}
}

static const struct ovpn_io test_io = {
	.send = on_send,
	.tun = on_tun,
	.auth = on_auth,
	.push_request = on_push_request,
	.pushed = on_pushed,
	.up = on_up,
	.down = on_down,
	.log = on_log,
};

struct setup {
	int tcp, wrap;			/* wrap: 0 none, 1 tls-auth, 2 tls-crypt */
	enum dc_cipher scipher[4], ccipher[4];
	int nsc, ncc;
	enum dc_digest digest;
	int tls12;
	int verify;			/* both ends verify certificates */
	const char *verify_name;
	const char *client_cert, *client_key;
	int reneg_sec;
	int hand_window;
	const char *user, *pass;
	enum ovpn_comp scomp, ccomp;
};

static void setup_defaults(struct setup *st)
{
	memset(st, 0, sizeof(*st));
	st->scipher[0] = DC_AES_256_GCM;
	st->scipher[1] = DC_AES_128_GCM;
	st->scipher[2] = DC_CHACHA20_POLY1305;
	st->scipher[3] = DC_AES_128_CBC;
	st->nsc = 4;
	st->ccipher[0] = DC_AES_256_GCM;
	st->ccipher[1] = DC_AES_128_GCM;
	st->ccipher[2] = DC_CHACHA20_POLY1305;
	st->ncc = 3;
	st->digest = DC_SHA1;
	st->verify = 1;
	st->verify_name = "vpn.example.com";
	st->client_cert = cli_crt;
	st->client_key = cli_key;
	st->user = "alice";
	st->pass = "wonderland";
}

static void fill_cfg(struct ovpn_cfg *cfg, const struct setup *st, int server)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->server = server;
	cfg->tcp = st->tcp;
	cfg->cert_pem = server ? srv_crt : st->client_cert;
	cfg->key_pem = server ? srv_key : st->client_key;
	cfg->ca_pem = ca_pem;
	cfg->verify_peer = st->verify;
	cfg->verify_name = server ? NULL : st->verify_name;
	cfg->tls12_only = st->tls12;
	if (st->wrap == 1) {
		cfg->tls_auth_key = ta_key;
		cfg->key_direction = server ? 0 : 1;
	} else {
		cfg->key_direction = -1;
	}
	if (st->wrap == 2)
		cfg->tls_crypt_key = ta_key;
	cfg->nciphers = server ? st->nsc : st->ncc;
	memcpy(cfg->ciphers, server ? st->scipher : st->ccipher,
	       sizeof(enum dc_cipher) * (size_t)cfg->nciphers);
	cfg->digests[0] = st->digest;
	cfg->ndigests = 1;
	cfg->reneg_sec = server ? st->reneg_sec : 0;
	cfg->hand_window = st->hand_window ? st->hand_window : 60;
	cfg->tun_mtu = 1500;
	cfg->user = server ? NULL : st->user;
	cfg->pass = server ? NULL : st->pass;
	cfg->compression = server ? st->scomp : st->ccomp;
}

static int net_init(struct net *n, const struct setup *st)
{
	struct ovpn_cfg cs, cc;
	char err[256];

	memset(n, 0, sizeof(*n));
	n->c.net = n->srv.net = n;
	n->srv.is_server = 1;
	n->srv.auth_answer = 1;
	n->c.auth_answer = 1;
	n->latency = 10;
	n->now = 1000000;
	memcpy(n->addr, "\x02\x00\x04\xd2\x7f\x00\x00\x01", 8);
	fill_cfg(&cs, st, 1);
	fill_cfg(&cc, st, 0);
	n->shs = ovpn_shared_new(&cs, err, sizeof(err));
	CHECK(n->shs != NULL, "server config: %s", err);
	n->shc = ovpn_shared_new(&cc, err, sizeof(err));
	CHECK(n->shc != NULL, "client config: %s", err);
	if (!n->shs || !n->shc)
		return -1;
	n->c.s = ovpn_sess_new(n->shc, &test_io, &n->c, 0, n->now);
	return n->c.s ? 0 : -1;
}

static void queue_free(struct qpkt **q)
{
	while (*q) {
		struct qpkt *x = (*q)->next;

		free(*q);
		*q = x;
	}
}

static void net_free(struct net *n)
{
	ovpn_sess_free(n->c.s);
	ovpn_sess_free(n->srv.s);
	queue_free(&n->c.in);
	queue_free(&n->srv.in);
	ovpn_shared_free(n->shc);
	ovpn_shared_free(n->shs);
}

/* A packet for the server: its session, or the stateless first look. */
static void server_receive(struct net *n, const uint8_t *p, size_t len)
{
	uint8_t reply[OVPN_REPLY_MAX];
	size_t rlen = 0;
	int r;

	if (n->srv.s) {
		ovpn_sess_input(n->srv.s, p, len, n->now);
		return;
	}
	if (n->srv.downs)
		return;		/* the test's server takes one client */
	r = ovpn_server_initial(n->shs, p, len, n->addr, sizeof(n->addr), n->now, reply, &rlen);
	if (r == 1) {
		on_send(&n->srv, reply, rlen);
	} else if (r == 2) {
		n->srv.s = ovpn_sess_new(n->shs, &test_io, &n->srv, 7, n->now);
		if (n->srv.s)
			ovpn_sess_input(n->srv.s, p, len, n->now);
	}
}

static void send_traffic(struct end *e)
{
	uint8_t pkt[100];

	if (!e->s || e->downs)
		return;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	ovpn_put32(pkt + 20, ++e->next_seq);
	for (size_t i = 24; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(e->next_seq + i);
	ovpn_sess_output(e->s, pkt, sizeof(pkt), e->net->now);
	e->sent_data++;
}

static int deliver(struct net *n, struct end *e)
{
	int any = 0;

	while (e->in && e->in->at <= n->now) {
		struct qpkt *q = e->in;

		e->in = q->next;
		if (e == &n->srv)
			server_receive(n, q->data, q->len);
		else if (e->s)
			ovpn_sess_input(e->s, q->data, q->len, n->now);
		free(q);
		any = 1;
	}
	return any;
}

static uint64_t next_event(struct net *n, uint64_t until)
{
	uint64_t t = until;
	struct end *ends[2] = { &n->c, &n->srv };

	for (int i = 0; i < 2; i++) {
		if (ends[i]->in && ends[i]->in->at < t)
			t = ends[i]->in->at;
		if (ends[i]->s && ovpn_sess_deadline(ends[i]->s) < t)
			t = ovpn_sess_deadline(ends[i]->s);
	}
	if (n->traffic_ms && n->next_traffic < t)
		t = n->next_traffic;
	return t;
}

typedef int (*done_fn)(struct net *n);

/* Run the simulated clock until done() or for ms milliseconds. */
static int run(struct net *n, uint64_t ms, done_fn done)
{
	uint64_t until = n->now + ms;

	while (n->now < until) {
		struct end *ends[2] = { &n->c, &n->srv };
		uint64_t t;

		deliver(n, &n->srv);
		deliver(n, &n->c);
		for (int i = 0; i < 2; i++)
			if (ends[i]->s && ovpn_sess_deadline(ends[i]->s) <= n->now)
				ovpn_sess_tick(ends[i]->s, n->now);
		if (n->traffic_ms && n->now >= n->next_traffic) {
			send_traffic(&n->c);
			send_traffic(&n->srv);
			n->next_traffic = n->now + n->traffic_ms;
		}
		if (done && done(n))
			return 1;
		t = next_event(n, until);
		n->now = t > n->now ? t : n->now + 1;
	}
	return done ? done(n) : 0;
}

static int both_up(struct net *n)
{
	return n->c.ups > 0 && n->srv.ups > 0 && n->c.pushes > 0;
}

static int client_down(struct net *n)
{
	return n->c.downs > 0;
}

static int server_down(struct net *n)
{
	return n->srv.downs > 0;
}

static int both_down(struct net *n)
{
	return n->c.downs > 0 && n->srv.downs > 0;
}

/* Data both ways after the handshake: every packet arrives intact. */
static void check_data(struct net *n, const char *what)
{
	uint32_t c0 = n->c.next_seq, s0 = n->srv.next_seq;

	for (int i = 0; i < 20; i++) {
		send_traffic(&n->c);
		send_traffic(&n->srv);
		run(n, 50, NULL);
	}
	run(n, 200, NULL);
	CHECK(n->srv.got_seq == c0 + 20 && n->c.got_seq == s0 + 20 && !n->c.bad && !n->srv.bad,
	      "%s: data both ways (%u/%u)", what, n->srv.got_seq - c0, n->c.got_seq - s0);
}

static void test_handshake(const char *what, struct setup *st, int loss)
{
	struct net n;

	if (net_init(&n, st) < 0) {
		net_free(&n);
		return;
	}
	n.loss = loss;
	n.loss_data = 0;
	CHECK(run(&n, 120000, both_up), "%s: up (client %d/%s, server %d/%s)", what, n.c.ups,
	      n.c.down_reason, n.srv.ups, n.srv.down_reason);
	CHECK(n.srv.auths == 1 && !strcmp(n.srv.user, st->user ? st->user : "") &&
		      !strcmp(n.srv.pass, st->pass ? st->pass : ""),
	      "%s: credentials reach the auth callback", what);
	CHECK(!st->verify || !strcmp(n.srv.cn, "client1"), "%s: client CN %s", what, n.srv.cn);
	CHECK(strstr(n.c.pushed, "ifconfig 10.8.0.2 255.255.255.0") != NULL, "%s: pushed %s", what,
	      n.c.pushed);
	CHECK(!strcmp(n.c.cipher, n.srv.cipher) && n.c.s &&
		      !strcmp(ovpn_sess_cipher(n.c.s), n.c.cipher),
	      "%s: one cipher (%s/%s)", what, n.c.cipher, n.srv.cipher);
	n.loss = 0;
	check_data(&n, what);
	net_free(&n);
}

static void test_handshakes(void)
{
	struct setup st;

	setup_defaults(&st);
	test_handshake("udp, AES-256-GCM, 20% loss", &st, 20);

	setup_defaults(&st);
	st.wrap = 1;
	st.scipher[0] = DC_AES_128_CBC;
	st.ccipher[0] = DC_AES_128_CBC;
	st.ncc = 1;
	test_handshake("udp, tls-auth, AES-128-CBC/SHA1, 20% loss", &st, 20);

	setup_defaults(&st);
	st.wrap = 2;
	st.tcp = 1;
	st.ccipher[0] = DC_CHACHA20_POLY1305;
	st.ncc = 1;
	test_handshake("tcp, tls-crypt, CHACHA20-POLY1305", &st, 0);

	setup_defaults(&st);
	st.wrap = 2;
	st.tls12 = 1;
	st.digest = DC_SHA256;
	st.scipher[0] = DC_AES_256_CBC;
	st.ccipher[0] = DC_AES_256_CBC;
	st.ncc = 1;
	test_handshake("udp, tls-crypt, TLS 1.2, AES-256-CBC/SHA256, 30% loss", &st, 30);

	setup_defaults(&st);
	st.verify = 0;
	st.client_cert = NULL;
	st.client_key = NULL;
	st.user = "bob";
	st.pass = "";
	test_handshake("udp, no client certificate, empty password", &st, 10);

	setup_defaults(&st);
	st.scipher[0] = DC_BF_CBC;
	st.ccipher[0] = DC_BF_CBC;
	st.ncc = 1;
	st.digest = DC_MD5;
	test_handshake("udp, BF-CBC/MD5", &st, 0);

	setup_defaults(&st);
	st.scipher[0] = DC_NONE;
	st.ccipher[0] = DC_NONE;
	st.ncc = 1;
	st.digest = DC_SHA512;
	test_handshake("udp, cipher none/SHA512", &st, 0);
}

/* A RouterOS-like client (IV_PROTO=2: DATA_V2 only, no IV_CIPHERS, no
 * EKM, no cc-exit) or, without IV_PROTO, a 2.3-like one. */
static void test_legacy(int routeros)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	st.scipher[0] = DC_AES_128_CBC;
	st.ccipher[0] = DC_AES_128_CBC;
	st.ncc = 1;
	if (net_init(&n, &st) < 0)
		goto out;
	ovpn_strlcpy(n.shc->peer_info, routeros ? "IV_PROTO=2\n" : "IV_VER=2.3.18\nIV_PLAT=linux\n",
		     sizeof(n.shc->peer_info));
	n.loss = 15;
	CHECK(run(&n, 120000, both_up), "legacy: up (%s/%s)", n.c.down_reason, n.srv.down_reason);
	CHECK(!strstr(n.c.pushed, "cipher") && !strstr(n.c.pushed, "tls-ekm") &&
		      !strstr(n.c.pushed, "cc-exit") &&
		      !strstr(n.c.pushed, "peer-id 7") == !routeros,
	      "legacy: nothing pushed it cannot take: %s", n.c.pushed);
	CHECK(n.c.s && !n.c.s->ekm && !n.srv.s->ekm, "legacy: keys from the TLS 1.0 PRF");
	CHECK(!strcmp(n.c.cipher, "AES-128-CBC"), "legacy: cipher from the options string");
	n.loss = 0;
	check_data(&n, "legacy");
	CHECK(routeros ? n.count_v1 == 0 && n.count_v2 > 0 : n.count_v1 > 0 && n.count_v2 == 0,
	      "legacy: P_DATA_V%d only", routeros ? 2 : 1);
	/* without cc-exit the exit notification is OCC_EXIT on the data channel */
	ovpn_sess_close(n.c.s, "bye", n.now);
	CHECK(run(&n, 5000, both_down) && strstr(n.srv.down_reason, "OCC"),
	      "legacy: OCC exit reaches the server (%s)", n.srv.down_reason);
out:
	net_free(&n);
}

static void test_legacy_routeros(void)
{
	test_legacy(1);
}

static void test_legacy_23(void)
{
	test_legacy(0);
}

static int reneg_done(struct net *n)
{
	return n->c.ups >= 5 && n->srv.ups >= 5;
}

static void test_renegotiation(void)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	st.wrap = 2;
	st.reneg_sec = 5;
	if (net_init(&n, &st) < 0)
		goto out;
	n.loss = 20;
	n.loss_data = 0;	/* control packets drop; every data packet must arrive */
	CHECK(run(&n, 60000, both_up), "reneg: up");
	n.traffic_ms = 20;
	n.next_traffic = n.now;
	CHECK(run(&n, 60000, reneg_done), "reneg: four renegotiations (%d/%d ups, %s %s)", n.c.ups,
	      n.srv.ups, n.c.down_reason, n.srv.down_reason);
	n.traffic_ms = 0;
	run(&n, 1000, NULL);
	CHECK(n.srv.tuns == n.c.sent_data && n.c.tuns == n.srv.sent_data && !n.c.bad && !n.srv.bad,
	      "reneg: no data lost across key changes (%d/%d, %d/%d)", n.srv.tuns, n.c.sent_data,
	      n.c.tuns, n.srv.sent_data);
	CHECK(n.c.s && n.c.s->ks[0].key_id >= 4 && n.c.downs == 0 && n.srv.downs == 0,
	      "reneg: key id %d, no downs", n.c.s ? n.c.s->ks[0].key_id : -1);
	/* the client starts one too */
	ovpn_sess_renegotiate(n.c.s, n.now);
	{
		int before = n.c.ups;

		n.loss = 0;
		n.traffic_ms = 20;
		run(&n, 3000, NULL);
		CHECK(n.c.ups == before + 1 && n.c.downs == 0, "client-initiated renegotiation");
	}
out:
	net_free(&n);
}

static void test_keepalive(void)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	CHECK(run(&n, 60000, both_up), "keepalive: up");
	ovpn_sess_keepalive(n.srv.s, 1, 6);
	CHECK(strstr(n.c.pushed, "ping 1") && n.c.s->ping_s == 1 && n.c.s->ping_restart_s == 6,
	      "keepalive: pushed ping settings applied");
	run(&n, 20000, NULL);
	CHECK(n.c.downs == 0 && n.srv.downs == 0 && n.c.tuns == 0 && n.srv.tuns == 0,
	      "keepalive: idle 20 s: pings keep it up and never reach the tunnel");
	n.cut = 1;
	CHECK(run(&n, 10000, both_down) && strstr(n.c.down_reason, "ping-restart") &&
		      strstr(n.srv.down_reason, "ping-restart"),
	      "keepalive: link cut: ping-restart (%s / %s)", n.c.down_reason, n.srv.down_reason);
out:
	net_free(&n);
}

static void test_exit(void)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	n.loss = 20;
	CHECK(run(&n, 60000, both_up), "exit: up");
	CHECK(strstr(n.c.pushed, "protocol-flags cc-exit tls-ekm") != NULL, "exit: cc-exit pushed");
	n.c.free_in_down = 1;	/* the owner frees the session from its down callback */
	ovpn_sess_close(n.c.s, "user quit", n.now);
	CHECK(run(&n, 20000, both_down), "exit: both ends down");
	CHECK(!strcmp(n.c.down_reason, "user quit") && strstr(n.srv.down_reason, "EXIT"),
	      "exit: reasons %s / %s", n.c.down_reason, n.srv.down_reason);
	CHECK(n.c.s == NULL, "exit: freed from the callback");
	net_free(&n);

	/* the server leaves: the client hears EXIT */
	if (net_init(&n, &st) < 0)
		goto out;
	CHECK(run(&n, 60000, both_up), "exit: up again");
	ovpn_sess_close(n.srv.s, "server shutdown", n.now);
	CHECK(run(&n, 10000, both_down) && strstr(n.c.down_reason, "EXIT"),
	      "exit: client hears the server leave (%s)", n.c.down_reason);
out:
	net_free(&n);
}

static void test_auth_failed(void)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	n.srv.auth_answer = 0;
	n.loss = 20;
	CHECK(run(&n, 60000, both_down), "auth failed: both down");
	CHECK(!strcmp(n.c.down_reason, "AUTH_FAILED,bad password") && n.c.ups == 0 &&
		      n.srv.ups == 0 && strstr(n.srv.down_reason, "AUTH_FAILED"),
	      "auth failed: %s / %s", n.c.down_reason, n.srv.down_reason);
	net_free(&n);

	/* no shared cipher: AUTH_FAILED with 2.6's reason */
	setup_defaults(&st);
	st.scipher[0] = DC_AES_256_GCM;
	st.nsc = 1;
	st.ccipher[0] = DC_AES_128_CBC;
	st.ncc = 1;
	if (net_init(&n, &st) < 0)
		goto out;
	CHECK(run(&n, 60000, both_down) &&
		      !strcmp(n.c.down_reason, "AUTH_FAILED,Data channel cipher negotiation failed "
					       "(no shared cipher)") &&
		      n.srv.auths == 0,
	      "no shared cipher: %s", n.c.down_reason);
	net_free(&n);

	/* an answer that comes later */
	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	n.srv.auth_answer = -1;
	run(&n, 5000, NULL);
	CHECK(n.srv.auths == 1 && n.c.ups == 0 && n.srv.ups == 0, "deferred auth: waiting");
	ovpn_sess_auth(n.srv.s, 1, NULL);
	CHECK(run(&n, 30000, both_up), "deferred auth: up after the answer");
out:
	net_free(&n);
}

static void test_tls_failures(void)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	st.verify_name = "other.example.com";
	if (net_init(&n, &st) < 0)
		goto out;
	CHECK(run(&n, 70000, client_down) && strstr(n.c.down_reason, "does not name"),
	      "verify-name mismatch: %s", n.c.down_reason);
	net_free(&n);

	setup_defaults(&st);
	st.client_cert = strange_crt;
	st.client_key = strange_key;
	if (net_init(&n, &st) < 0)
		goto out;
	CHECK(run(&n, 70000, server_down) && strstr(n.srv.down_reason, "TLS Error") &&
		      n.srv.auths == 0,
	      "client certificate from another CA refused: %s", n.srv.down_reason);
	net_free(&n);

	setup_defaults(&st);
	st.hand_window = 10;
	if (net_init(&n, &st) < 0)
		goto out;
	n.cut = 1;
	CHECK(run(&n, 30000, client_down) && strstr(n.c.down_reason, "within 10 seconds") &&
		      n.now < 1000000 + 12000,
	      "hand-window: %s", n.c.down_reason);
out:
	net_free(&n);
}

/* Take a line out of the client's peer-info, as an older client lacks it. */
static void drop_iv(struct net *n, const char *line)
{
	char *p = strstr(n->shc->peer_info, line);

	if (p)
		memmove(p, p + strlen(line), strlen(p + strlen(line)) + 1);
}

static void test_compression(int stubv2)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	/* a client configured with comp-lzo (its options string says so) */
	n.c.s->comp = COMP_FRAME_V1;
	if (!stubv2)
		drop_iv(&n, "IV_COMP_STUBv2=1\n");
	CHECK(run(&n, 60000, both_up), "compression: up");
	CHECK(strstr(n.c.pushed, stubv2 ? "compress stub-v2" : "comp-lzo no") != NULL,
	      "compression: migrate pushed: %s", n.c.pushed);
	CHECK(n.c.s->comp == (stubv2 ? COMP_FRAME_V2 : COMP_FRAME_V1) &&
		      n.srv.s->comp == n.c.s->comp,
	      "compression: both frame alike");
	check_data(&n, stubv2 ? "stub-v2 framing" : "comp-lzo framing");
out:
	net_free(&n);
}

/* One traffic packet from the server as a compressing peer sends it. */
static void server_sends_compressed(struct net *n, unsigned alg)
{
	uint8_t pkt[100], wire[200];
	enum comp_frame f = n->srv.s->comp;
	size_t wl;

	pkt[0] = 0x45;
	memset(pkt + 1, 0, sizeof(pkt) - 1);
	ovpn_put32(pkt + 20, ++n->srv.next_seq);
	for (size_t i = 24; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(n->srv.next_seq + i);
	wl = comp_wire(f, alg, pkt, sizeof(pkt), wire, sizeof(wire));
	/* our framing would mark it uncompressed: send the frame as it is */
	n->srv.s->comp = COMP_FRAME_NONE;
	CHECK(wl > 0 && data_send(n->srv.s, wire, wl) == 0, "compressed packet sent");
	n->srv.s->comp = f;
	run(n, 200, NULL);
}

/* allow-compression asym: the server pushes the best algorithm the client
 * announces and both expand it; a client with a stub drops it. */
static void test_compression_asym(void)
{
	static const struct {
		enum ovpn_comp ccomp;
		const char *drop, *push;
		unsigned alg;
	} k[] = { { OVPN_COMP_LZO, "", "compress lz4-v2", COMP_ACCEPT_LZ4 },
		  { OVPN_COMP_LZ4, "IV_LZ4v2=1\n", "compress lz4", COMP_ACCEPT_LZ4 },
		  { OVPN_COMP_LZ4_V2, "IV_LZ4=1\nIV_LZ4v2=1\n", "comp-lzo yes", COMP_ACCEPT_LZO },
		  { OVPN_COMP_LZO_STUB, "", "compress stub-v2", 0 } };
	struct setup st;
	struct net n;
	uint64_t x, d;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		setup_defaults(&st);
		st.scomp = OVPN_COMP_ASYM;
		st.ccomp = k[i].ccomp;
		if (net_init(&n, &st) < 0)
			break;
		drop_iv(&n, k[i].drop);
		CHECK(run(&n, 60000, both_up) && strstr(n.c.pushed, k[i].push),
		      "asym %zu: pushed %s", i, n.c.pushed);
		CHECK(n.c.s->comp == n.srv.s->comp && n.c.s->comp_accept == k[i].alg &&
			      n.srv.s->comp_accept == k[i].alg,
		      "asym %zu: both frame alike and expand %u", i, k[i].alg);
		check_data(&n, k[i].push);
		server_sends_compressed(&n, k[i].alg ? k[i].alg : COMP_ACCEPT_LZ4);
		ovpn_sess_comp_stats(n.c.s, &x, &d);
		if (k[i].alg)
			CHECK(x == 1 && d == 0 && n.c.got_seq == n.srv.next_seq && !n.c.bad,
			      "asym %zu: the compressed packet arrives whole (%llu, %llu)", i,
			      (unsigned long long)x, (unsigned long long)d);
		else
			CHECK(x == 0 && d == 1 && n.c.got_seq != n.srv.next_seq,
			      "asym %zu: a stub client drops compressed data", i);
		net_free(&n);
	}
}

static void test_compression_stubv2(void)
{
	test_compression(1);
}

static void test_compression_lzo(void)
{
	test_compression(0);
}

static void test_server_initial(void)
{
	struct setup st;
	struct net n;
	uint8_t reset[14] = { 0x38 }, reply[OVPN_REPLY_MAX], reply2[OVPN_REPLY_MAX], ack[26];
	size_t rlen = 0, rlen2 = 0;
	struct ovpn_ctl c;

	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	memcpy(reset + 1, SID_A, 8);
	CHECK(ovpn_server_initial(n.shs, reset, 14, n.addr, 16, n.now, reply, &rlen) == 1,
	      "reset: reply");
	CHECK(ovpn_server_initial(n.shs, reset, 14, n.addr, 16, n.now + 1000, reply2, &rlen2) == 1 &&
		      rlen == rlen2 && !memcmp(reply, reply2, rlen),
	      "a repeated reset gets the same reply");
	CHECK(ovpn_ctl_decode(reply, rlen, &c) == 0 && c.op == P_CONTROL_HARD_RESET_SERVER_V2 &&
		      c.nacks == 1 && c.acks[0] == 0 && !memcmp(c.peer_sid, SID_A, 8) &&
		      c.msg_id == 0,
	      "reply layout");
	/* P_ACK_V1 echoing the cookie */
	ack[0] = 0x28;
	memcpy(ack + 1, SID_A, 8);
	ack[9] = 1;
	memset(ack + 10, 0, 4);
	memcpy(ack + 14, c.sid, 8);
	CHECK(ovpn_server_initial(n.shs, ack, 22, n.addr, 16, n.now + 2000, NULL, NULL) == 2,
	      "cookie echo accepted");
	ack[20] ^= 1;
	CHECK(ovpn_server_initial(n.shs, ack, 22, n.addr, 16, n.now + 2000, NULL, NULL) == 0,
	      "wrong cookie refused");
	ack[20] ^= 1;
	/* a late packet of an ended session: valid cookie, later packet ids */
	memset(ack + 10, 0, 3);
	ack[13] = 2;
	CHECK(ovpn_server_initial(n.shs, ack, 22, n.addr, 16, n.now + 2000, NULL, NULL) == 0,
	      "an ack of a later packet does not make a session");
	ack[13] = 0;
	{
		uint8_t ctl[26];

		memcpy(ctl, ack, 22);
		ctl[0] = 0x20;	/* P_CONTROL_V1, key 0 */
		memset(ctl + 22, 0, 4);
		ctl[25] = 3;
		CHECK(ovpn_server_initial(n.shs, ctl, 26, n.addr, 16, n.now + 2000, NULL, NULL) == 0,
		      "a retransmitted later control packet (EXIT) does not make a session");
		ctl[25] = 1;
		CHECK(ovpn_server_initial(n.shs, ctl, 26, n.addr, 16, n.now + 2000, NULL, NULL) == 2,
		      "the client's first control packet is accepted");
	}
	n.addr[7] = 9;
	CHECK(ovpn_server_initial(n.shs, ack, 22, n.addr, 16, n.now + 2000, NULL, NULL) == 0,
	      "cookie from another address refused");
	reset[0] = 0x39;
	CHECK(ovpn_server_initial(n.shs, reset, 14, n.addr, 16, n.now, reply, &rlen) == 0,
	      "key id 1 refused");
	reset[0] = 0x48;
	CHECK(ovpn_server_initial(n.shs, reset, 14, n.addr, 16, n.now, reply, &rlen) == 0,
	      "data refused");
	reset[0] = 0x38;
	for (size_t cut = 0; cut < 14; cut++)
		CHECK(ovpn_server_initial(n.shs, reset, cut, n.addr, 16, n.now, reply, &rlen) == 0,
		      "truncated to %zu refused", cut);
out:
	net_free(&n);
}

/* A client restarting from the same address: with tls-crypt the old
 * server session gives way; the next reset then gets a fresh one. */
static void test_peer_restart(void)
{
	struct setup st;
	struct net n;

	setup_defaults(&st);
	st.wrap = 2;
	if (net_init(&n, &st) < 0)
		goto out;
	CHECK(run(&n, 60000, both_up), "restart: up");
	ovpn_sess_free(n.c.s);
	queue_free(&n.c.in);
	memset(&n.c, 0, sizeof(n.c));
	n.c.net = &n;
	n.c.auth_answer = 1;
	n.c.s = ovpn_sess_new(n.shc, &test_io, &n.c, 0, n.now);
	CHECK(run(&n, 10000, server_down) && strstr(n.srv.down_reason, "restarted"),
	      "restart: the old server session ends (%s)", n.srv.down_reason);
	ovpn_sess_free(n.srv.s);
	n.srv.s = NULL;
	n.srv.downs = 0;
	n.srv.ups = 0;
	CHECK(run(&n, 60000, both_up), "restart: a new session comes up");
out:
	net_free(&n);
}

static void test_v2_client(void)
{
	struct ovpn_cfg cfg;
	struct setup st;
	struct net n;
	struct ovpn_shared *sh;
	char err[128];
	uint8_t kc[256], wkc[1024];
	size_t wlen;

	setup_defaults(&st);
	if (net_init(&n, &st) < 0)
		goto out;
	fill_cfg(&cfg, &st, 0);
	cfg.tls_crypt_v2_key = v2_cli_key;
	sh = ovpn_shared_new(&cfg, err, sizeof(err));
	CHECK(sh != NULL, "v2 client config: %s", err);
	ovpn_sess_free(n.c.s);
	ovpn_shared_free(n.shc);
	n.shc = sh;
	n.c.s = ovpn_sess_new(sh, &test_io, &n.c, 0, n.now);
	ovpn_sess_tick(n.c.s, n.now);
	wrap_v2_client_key_parse(v2_cli_key, kc, wkc, &wlen);
	CHECK(n.srv.in && OVPN_OP(n.srv.in->data[0]) == P_CONTROL_HARD_RESET_CLIENT_V3 &&
		      n.srv.in->len == 14 + 8 + 32 + wlen &&
		      !memcmp(n.srv.in->data + n.srv.in->len - wlen, wkc, wlen) &&
		      ovpn_get32(n.srv.in->data + 9) == 0x0f000001,
	      "v3 reset with WKc and early negotiation");
	cfg.server = 1;
	cfg.cert_pem = srv_crt;
	cfg.key_pem = srv_key;
	CHECK(ovpn_shared_new(&cfg, err, sizeof(err)) == NULL && strstr(err, "client side"),
	      "no tls-crypt-v2 server: %s", err);
out:
	net_free(&n);
}

static void test_config_errors(void)
{
	struct ovpn_cfg cfg;
	struct setup st;
	char err[256];

	setup_defaults(&st);
	fill_cfg(&cfg, &st, 1);
	cfg.cert_pem = NULL;
	CHECK(!ovpn_shared_new(&cfg, err, sizeof(err)) && err[0], "server without certificate: %s",
	      err);
	fill_cfg(&cfg, &st, 1);
	cfg.key_pem = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
	CHECK(!ovpn_shared_new(&cfg, err, sizeof(err)) && strstr(err, "private key"),
	      "a key that does not parse: %s", err);
	fill_cfg(&cfg, &st, 0);
	cfg.ca_pem = "garbage";
	CHECK(!ovpn_shared_new(&cfg, err, sizeof(err)) && strstr(err, "CA"), "bad CA: %s", err);
	fill_cfg(&cfg, &st, 0);
	cfg.tls_auth_key = "not a key";
	CHECK(!ovpn_shared_new(&cfg, err, sizeof(err)) && strstr(err, "key"), "bad static key: %s",
	      err);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "codec_vectors", test_codec_vectors },
	{ "codec_acks", test_codec_acks },
	{ "codec_malformed", test_codec_malformed },
	{ "tls_auth", test_tls_auth },
	{ "tls_crypt", test_tls_crypt },
	{ "tls_crypt_v2", test_tls_crypt_v2 },
	{ "replay_window", test_replay_window },
	{ "reliable_basics", test_reliable_basics },
	{ "reliable_lossy", test_reliable_lossy },
	{ "km2", test_km2 },
	{ "prf", test_prf },
	{ "push", test_push },
	{ "texts", test_texts },
	{ "frames", test_frames },
	{ "cookie", test_cookie },
	{ "server_initial", test_server_initial },
	{ "config_errors", test_config_errors },
	{ "handshakes", test_handshakes },
	{ "legacy_routeros", test_legacy_routeros },
	{ "legacy_23", test_legacy_23 },
	{ "renegotiation", test_renegotiation },
	{ "keepalive", test_keepalive },
	{ "exit", test_exit },
	{ "auth_failed", test_auth_failed },
	{ "tls_failures", test_tls_failures },
	{ "compression_stubv2", test_compression_stubv2 },
	{ "compression_lzo", test_compression_lzo },
	{ "compression_asym", test_compression_asym },
	{ "expand", test_expand },
	{ "v2_client", test_v2_client },
	{ "peer_restart", test_peer_restart },
};

/* ovpn_proto_test [-v] [NAME...]: all tests, or those whose name contains NAME */
int main(int argc, char **argv)
{
	int first = 1;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		first = 2;
	}
	load_fixtures();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int run_it = first >= argc;

		for (int a = first; a < argc && !run_it; a++)
			run_it = strstr(tests[i].name, argv[a]) != NULL;
		if (run_it)
			tests[i].fn();
	}
	free_fixtures();
	printf("ovpn_proto: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
