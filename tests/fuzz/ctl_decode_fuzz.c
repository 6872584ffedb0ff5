/* ctl_decode_fuzz.c: libFuzzer target for the protocol core's decoders:
 * control packets plain, under tls-auth and under tls-crypt (both as raw
 * hostile input and as authenticated input wrapped here first, so the
 * fuzzer reaches what lies behind the MAC), the key-method-2 record, the
 * push reply parser, the peer-info and options-string readers, the
 * compression framing and the LZO/LZ4 expansion behind it, and a session (client, or server when the test
 * certificates are at hand) fed whole packets.
 * The first byte picks the decoder, or CTL_FUZZ_MODE=0..7 fixes it (to give
 * each decoder its own run).
 *   clang -fsanitize=fuzzer,address,undefined -Iengine/ovpn engine/ovpn/[a-z]*.c \
 *     tests/fuzz/ctl_decode_fuzz.c $(pkg-config --cflags --libs wolfssl) \
 *     -llzo2 -llz4 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataframe.h"
#include "keymethod.h"
#include "packet.h"
#include "peerinfo.h"
#include "push.h"
#include "session.h"
#include "wrap.h"

static struct wrap_key auth_srv, auth_cli, crypt_srv, crypt_cli;

static void static_key_text(char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "-----BEGIN OpenVPN Static key V1-----\n");

	for (int i = 0; i < 256; i++) {
		n += (size_t)snprintf(out + n, cap - n, "%02x%s", (i * 7 + 3) & 0xff,
				      i % 16 == 15 ? "\n" : "");
	}
	snprintf(out + n, cap - n, "-----END OpenVPN Static key V1-----\n");
}

static void init_keys(void)
{
	static int done;
	static const int digests[2] = { DC_SHA1, DC_SHA256 };
	char text[1024];

	if (done)
		return;
	done = 1;
	static_key_text(text, sizeof(text));
	if (wrap_key_auth(&auth_srv, text, 0, digests, 2) || wrap_key_auth(&auth_cli, text, 1, digests, 1) ||
	    wrap_key_crypt(&crypt_srv, text, 1) || wrap_key_crypt(&crypt_cli, text, 0))
		abort();
}

/* encode(decode(x)) gives x back: nothing is lost or invented */
static void plain(const uint8_t *p, size_t len)
{
	struct ovpn_ctl c;
	uint8_t out[4096];
	ssize_t n;

	if (ovpn_ctl_decode(p, len, &c) < 0)
		return;
	if (c.nacks > OVPN_MAX_ACKS || c.payload_len > len)
		abort();
	n = ovpn_ctl_encode(&c, out, sizeof(out));
	if (len <= sizeof(out) && (n < 0 || (size_t)n > len || memcmp(out, p, (size_t)n)))
		abort();
}

static void wrapped(const struct wrap_key *rx, const struct wrap_key *tx, const uint8_t *p,
		    size_t len)
{
	struct wrap wr, wt;
	uint8_t out[8192], back[8192];
	ssize_t n;

	wrap_init(&wr, rx);
	wrap_init(&wt, tx);
	/* hostile bytes as they come */
	n = wrap_decode(&wr, p, len, out, sizeof(out), 1);
	if (n >= 0)
		plain(out, (size_t)n);
	/* and the same bytes as an authenticated packet */
	if (len < 9 || len > 4000 || OVPN_OP(p[0]) == P_CONTROL_HARD_RESET_CLIENT_V3 ||
	    OVPN_OP(p[0]) == P_CONTROL_WKC_V1)
		return;	/* a WKc would need the tls-crypt-v2 server key */
	n = wrap_encode(&wt, p, len, out, sizeof(out), 1000);
	if (n < 0)
		return;
	n = wrap_decode(&wr, out, (size_t)n, back, sizeof(back), 1);
	if (n != (ssize_t)len || memcmp(back, p, len))
		abort();
	plain(back, (size_t)n);
}

static void km2(const uint8_t *p, size_t len)
{
	struct km2 k;

	if (len < 1)
		return;
	km2_decode(p + 1, len - 1, p[0] & 1, &k);
	if (k.user && strlen(k.user) >= KM2_USERPASS_MAX)
		abort();
	km2_clear(&k);
}

static char *text_of(const uint8_t *p, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, p, len);
	s[len] = 0;
	return s;
}

/* messages separated by NUL, as they come off the control channel */
static void push(const uint8_t *p, size_t len)
{
	char *s = text_of(p, len), *m = s, v[256];
	struct push_join j = { 0 };
	struct push_msgs msgs;

	while (m < s + len) {
		if (push_join_add(&j, m) != 0)
			break;
		m += strlen(m) + 1;
	}
	if (j.opts) {
		push_opt_get(j.opts, "cipher", v, sizeof(v));
		push_opt_has(j.opts, "comp-lzo");
		push_opt_get(j.opts, "protocol-flags", v, sizeof(v));
		if (push_split(j.opts, &msgs) == 0)
			push_msgs_free(&msgs);
	}
	push_join_free(&j);
	free(s);
}

static void texts(const uint8_t *p, size_t len)
{
	char *s = text_of(p, len), v[512];
	enum dc_cipher c[32];

	peerinfo_ciphers(s, c, 32);
	peerinfo_proto(s);
	peerinfo_get(s, "IV_MTU", v, sizeof(v));
	occ_get(s, "cipher", v, sizeof(v));
	occ_uses_comp(s);
	free(s);
}

/* The first byte picks the framing, the algorithms accepted and the
 * expansion cap; the rest is the payload. What comes out lies inside the
 * payload, or inside the cap of the work buffer (ASan sees any overrun:
 * the work buffer is allocated at exactly the cap). */
static void frames(const uint8_t *p, size_t len)
{
	uint8_t buf[4096], out[4100], *pkt, *work;
	size_t cap;
	ssize_t n;

	if (len < 1 || len > sizeof(buf))
		return;
	cap = (size_t)(p[0] >> 4) * 128 + 1;
	work = malloc(cap);
	if (!work)
		return;
	memcpy(buf, p + 1, len - 1);
	n = comp_frame_in((enum comp_frame)(p[0] & 3), (p[0] >> 2) & 3, buf, len - 1, work, cap,
			  &pkt);
	if (n >= 0 && pkt == work && (size_t)n > cap)
		abort();
	if (n >= 0 && pkt != work && (pkt < buf || pkt + n > buf + len - 1))
		abort();
	free(work);
	comp_frame_out((enum comp_frame)(p[0] & 3), p + 1, len - 1, out, sizeof(out));
}

static void session_send(void *ctx, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)pkt;
	(void)len;
}

static char *slurp(const char *dir, const char *name)
{
	char path[512];
	FILE *f;
	char *buf = calloc(1, 65536);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	if (fread(buf, 1, 65535, f) == 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The server role needs a certificate: the unit test's fixtures, found in
 * $CTL_FUZZ_CERTS or tests/ovpn_proto. Without them only the client role
 * is fuzzed. */
static struct ovpn_shared *shared_for(int server)
{
	static struct ovpn_shared *sh[2];
	static int tried[2];
	struct ovpn_cfg cfg = { .server = server, .key_direction = -1 };
	const char *dir = getenv("CTL_FUZZ_CERTS") ? getenv("CTL_FUZZ_CERTS") : "tests/ovpn_proto";
	char err[128];

	if (tried[server])
		return sh[server];
	tried[server] = 1;
	if (server) {
		cfg.cert_pem = slurp(dir, "server.crt");
		cfg.key_pem = slurp(dir, "server.key");
		if (!cfg.cert_pem || !cfg.key_pem) {
			free((char *)cfg.cert_pem);
			free((char *)cfg.key_pem);
			return NULL;
		}
	}
	sh[server] = ovpn_shared_new(&cfg, err, sizeof(err));
	free((char *)cfg.cert_pem);
	free((char *)cfg.key_pem);
	return sh[server];
}

/* a session fed packets: one byte picks the role, then u16 length and the
 * packet, repeated; the fuzzer plays the other end */
static void session(const uint8_t *p, size_t len)
{
	static const struct ovpn_io io = { .send = session_send };
	struct ovpn_shared *sh;
	struct ovpn_sess *s;
	uint64_t now = 100000;

	if (len < 1)
		return;
	sh = shared_for(p[0] & 1);
	if (!sh)
		sh = shared_for(0);
	p++;
	len--;
	s = sh ? ovpn_sess_new(sh, &io, NULL, 1, now) : NULL;
	if (!s)
		return;
	while (len >= 2) {
		size_t n = (size_t)(p[0] << 8 | p[1]);

		p += 2;
		len -= 2;
		if (n > len)
			n = len;
		ovpn_sess_input(s, p, n, now);
		ovpn_sess_tick(s, now += 700);
		p += n;
		len -= n;
	}
	ovpn_sess_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int mode = -2;

	if (mode == -2)
		mode = getenv("CTL_FUZZ_MODE") ? atoi(getenv("CTL_FUZZ_MODE")) % 8 : -1;
	if (size < 1)
		return 0;
	init_keys();
	switch (mode >= 0 ? mode : data[0] % 8) {
	case 0: plain(data + 1, size - 1); break;
	case 1: wrapped(&auth_srv, &auth_cli, data + 1, size - 1); break;
	case 2: wrapped(&crypt_cli, &crypt_srv, data + 1, size - 1); break;
	case 3: km2(data + 1, size - 1); break;
	case 4: push(data + 1, size - 1); break;
	case 5: texts(data + 1, size - 1); break;
	case 6: frames(data + 1, size - 1); break;
	case 7: session(data + 1, size - 1); break;
	}
	return 0;
}
