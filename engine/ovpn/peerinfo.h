/* peerinfo.h: the two capability texts of key method 2: the options
 * consistency (OCC) string (options.c options_string) and the peer-info
 * KEY=VALUE lines (ssl.c push_peer_info). */
#ifndef OVPN_PEERINFO_H
#define OVPN_PEERINFO_H

#include <stddef.h>

#include "dc.h"

/* IV_PROTO bits of 2.6.14 (ssl.h) */
#define IV_PROTO_DATA_V2 (1u << 1)
#define IV_PROTO_REQUEST_PUSH (1u << 2)
#define IV_PROTO_TLS_KEY_EXPORT (1u << 3)
#define IV_PROTO_AUTH_PENDING_KW (1u << 4)
#define IV_PROTO_NCP_P2P (1u << 5)
#define IV_PROTO_DNS_OPTION (1u << 6)
#define IV_PROTO_CC_EXIT_NOTIFY (1u << 7)
#define IV_PROTO_AUTH_FAIL_TEMP (1u << 8)
#define IV_PROTO_DYN_TLS_CRYPT (1u << 9)

struct occ_params {
	int server, tcp, tap, tun_mtu;
	enum dc_cipher cipher;
	enum dc_digest digest;
	int tls_auth;			/* ",tls-auth" is announced */
	int key_direction;		/* 0, 1, -1: none */
	int comp;			/* ",comp-lzo": some compression framing is on */
	int frag;			/* ",mtu-dynamic": --fragment is on */
};

/* Our OCC string, e.g. "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto
 * UDPv4,cipher AES-256-GCM,auth [null-digest],keysize 256,key-method 2,
 * tls-server"; 0 or -1 when it does not fit. */
int occ_build(const struct occ_params *p, char *out, size_t cap);
/* The value of option name in an OCC string ("cipher" -> "AES-256-GCM");
 * 0 when found, -1 otherwise. */
int occ_get(const char *opts, const char *name, char *val, size_t cap);
/* 2.6 compress migrate looks for exactly ",comp-lzo," */
int occ_uses_comp(const char *opts);

/* The client's peer-info lines; comp_algs: LZO and LZ4 are offered
 * besides the stubs (we expand them, never compress). */
int peerinfo_build(const enum dc_cipher *ciphers, int n, int tun_mtu, int comp_algs, char *out,
		   size_t cap);
/* The value of KEY= in peer-info; 0 when found. */
int peerinfo_get(const char *pi, const char *key, char *val, size_t cap);
/* IV_PROTO as a number (0 when absent). */
unsigned peerinfo_proto(const char *pi);
/* The ciphers a client can do: IV_CIPHERS, else the two GCMs for IV_NCP>=2,
 * else none. Writes up to max into out; the count. */
int peerinfo_ciphers(const char *pi, enum dc_cipher *out, int max);

#endif
