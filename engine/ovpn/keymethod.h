/* keymethod.h: the key-method-2 record (ssl.c key_method_2_write/_read)
 * and the data-channel key block it leads to: the legacy TLS 1.0 PRF
 * expansion or the RFC 5705 exporter ("key-derivation tls-ekm"). */
#ifndef OVPN_KEYMETHOD_H
#define OVPN_KEYMETHOD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KM2_PRE_MASTER 48
#define KM2_RANDOM 32
#define KM2_CLIENT_SRC (KM2_PRE_MASTER + 2 * KM2_RANDOM)	/* 112 bytes */
#define KM2_SERVER_SRC (2 * KM2_RANDOM)				/* 64 bytes */
#define KM2_OPTIONS_MAX 512	/* TLS_OPTIONS_LEN, with the NUL */
#define KM2_USERPASS_MAX 4096	/* USER_PASS_LEN of Debian's 2.6 (PKCS#11 build) */
#define KM2_KEYBLOCK 256
#define KM2_EKM_LABEL "EXPORTER-OpenVPN-datakeys"

struct km2_source {
	uint8_t pre_master[KM2_PRE_MASTER];	/* client only */
	uint8_t random1[KM2_RANDOM];
	uint8_t random2[KM2_RANDOM];
};

/* A decoded record. Strings are NUL-terminated copies; user, pass and
 * peer_info are NULL when the peer sent none (length 0 or absent). */
struct km2 {
	struct km2_source src;
	char options[KM2_OPTIONS_MAX];
	char *user, *pass, *peer_info;
	int userpass_too_long;		/* over KM2_USERPASS_MAX: refuse as 2.6 does */
};

/* Fresh randomness for our side; 0 or -1. */
int km2_source_random(struct km2_source *s, int client);

/* Our record: u32 0, u8 2, key source (112 bytes from a client, 64 from a
 * server), options, user, password, peer-info; strings are u16 length
 * (with the NUL) then bytes, and absent ones are written as length 0. */
ssize_t km2_encode(int client, const struct km2_source *src, const char *options,
		   const char *user, const char *pass, const char *peer_info, uint8_t *out,
		   size_t cap);

/* The peer's record; from_client says which key source to expect.
 * 0 on success, -1 when malformed. k is filled even on failure; free it
 * with km2_clear(). */
int km2_decode(const uint8_t *p, size_t len, int from_client, struct km2 *k);
void km2_clear(struct km2 *k);

/* Legacy key expansion (generate_key_expansion_openvpn_prf):
 * master = PRF(pre_master, "OpenVPN master secret", c.random1 | s.random1)
 * block  = PRF(master, "OpenVPN key expansion", c.random2 | s.random2 | c.sid | s.sid)
 * with the TLS 1.0 PRF (P_MD5 xor P_SHA1). 0 or -1. */
int km2_prf_keys(const struct km2_source *client, const struct km2_source *server,
		 const uint8_t client_sid[8], const uint8_t server_sid[8],
		 uint8_t block[KM2_KEYBLOCK]);

/* The halves of a key block for one side: key 0 {cipher, hmac} carries
 * client-to-server traffic, key 1 server-to-client. */
struct km2_dir {
	const uint8_t *seal_cipher, *seal_hmac;
	const uint8_t *open_cipher, *open_hmac;
};
void km2_split(const uint8_t block[KM2_KEYBLOCK], int server, struct km2_dir *d);

#endif
