/* wrap.h: control-channel protection (ssl_pkt.c, tls_crypt.c): none,
 * tls-auth (HMAC, key-direction), tls-crypt (AES-256-CTR + HMAC-SHA256, SIV
 * style), the client side of tls-crypt-v2 (WKc appended), and the replay
 * window of the control channel's packet ids. */
#ifndef OVPN_WRAP_H
#define OVPN_WRAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum wrap_mode { WRAP_NONE, WRAP_AUTH, WRAP_CRYPT };

#define WRAP_KEY2_LEN 256	/* two keys of {cipher[64], hmac[64]} */
#define WRAP_WKC_MAX 1024	/* TLS_CRYPT_V2_MAX_WKC_LEN */
#define WRAP_MAX_DIGESTS 4
#define WRAP_PID_LEN 8		/* u32 id, u32 time */
#define WRAP_TAG_LEN 32		/* tls-crypt tag */
#define WRAP_EARLY_NEG_START 0x0f000000u	/* v3 clients: resets announce early negotiation */

/* Keys and settings shared by all sessions of one server or client. */
struct wrap_key {
	int mode;			/* enum wrap_mode */
	uint8_t key[WRAP_KEY2_LEN];
	int out_key, in_key;		/* which of the two keys sends and receives */
	int digests[WRAP_MAX_DIGESTS];	/* tls-auth HMACs (enum dc_digest) to try */
	int ndigests;
	uint8_t wkc[WRAP_WKC_MAX];	/* tls-crypt-v2 client: wrapped client key */
	size_t wkc_len;
};

/* The control channel's replay window over (time, id) pairs, as
 * packet_id.c does in backtrack mode: a new time starts a new sequence. */
struct wrap_replay {
	int init;
	uint32_t time, top;
	uint64_t bits;			/* bit i: id top - i seen */
};

/* One session's state: its send counter and receive window. */
struct wrap {
	const struct wrap_key *k;
	int digest;			/* tls-auth: HMAC in use, -1 until one authenticates */
	uint32_t send_id, send_time;
	struct wrap_replay replay;
};

/* "OpenVPN Static key V1" text into 256 bytes; 0 or -1. */
int wrap_static_key_parse(const char *text, uint8_t out[WRAP_KEY2_LEN]);
/* "OpenVPN tls-crypt-v2 client key" text into Kc and WKc; 0 or -1. */
int wrap_v2_client_key_parse(const char *text, uint8_t kc[WRAP_KEY2_LEN], uint8_t *wkc,
			     size_t *wkc_len);

/* tls-auth: direction 0, 1 or -1 (both ways with key 0). */
int wrap_key_auth(struct wrap_key *k, const char *text, int direction, const int *digests,
		  int ndigests);
/* tls-crypt: the server sends with key 0, the client with key 1. */
int wrap_key_crypt(struct wrap_key *k, const char *text, int server);
/* tls-crypt-v2 client. */
int wrap_key_crypt_v2_client(struct wrap_key *k, const char *text);

void wrap_init(struct wrap *w, const struct wrap_key *k);
/* Bytes the wrapping adds to a plain control packet (with the WKc for op). */
size_t wrap_overhead(const struct wrap *w, int op);

/* Protect a plain control packet (op|key, sid, rest). now_s is any clock in
 * seconds that does not go back; it stamps the replay id. */
ssize_t wrap_encode(struct wrap *w, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
		    uint32_t now_s);
/* Authenticate (and decrypt) a wrapped packet into its plain form; the
 * length or -1. check_replay 0 leaves the window untouched (the stateless
 * first look of a UDP server). */
ssize_t wrap_decode(struct wrap *w, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
		    int check_replay);

/* The window itself: 0 accepts and records, -1 refuses. */
int wrap_replay_check(struct wrap_replay *r, uint32_t id, uint32_t time);

#endif
