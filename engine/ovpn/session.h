/* session.h: the OpenVPN protocol core. Bytes in, bytes and events out: no
 * sockets, no tun, no database, no clock of its own (the caller passes the
 * time in milliseconds), so the whole handshake runs in tests with two
 * sessions in memory, and every decoder can be fuzzed. */
#ifndef SESSION_H
#define SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "dc.h"

/* Compression, as OpenVPN 2.6 with allow-compression asym: we never
 * compress, we expand what the peer compressed when allowed to. A client
 * names the profile's setting; a server uses NO or ASYM. */
enum ovpn_comp {
	OVPN_COMP_NO,		/* client: no framing, stubs announced, compressed data
				 * dropped; server: a compressing client is told to use
				 * stub framing (2.6's compress migrate) */
	OVPN_COMP_LZO_STUB,	/* comp-lzo no: 0xFA framing, nothing expanded */
	OVPN_COMP_STUB,		/* compress / compress stub: 0xFB framing */
	OVPN_COMP_STUB_V2,	/* compress stub-v2 */
	OVPN_COMP_LZO,		/* comp-lzo [yes|adaptive], compress lzo: LZO expanded */
	OVPN_COMP_LZ4,		/* compress lz4: LZ4 expanded */
	OVPN_COMP_LZ4_V2,	/* compress lz4-v2 */
	OVPN_COMP_ASYM,		/* server: a compressing client is pushed the best
				 * algorithm it announces, and we expand it */
};

/* What a server or a client is configured with. Strings are PEM or OpenVPN
 * static key text as stored in the database; NULL when not used. */
struct ovpn_cfg {
	int server;			/* 1: we are the server */
	int tcp;			/* transport is TCP (no cookie handshake) */
	const char *cert_pem, *key_pem;	/* our certificate and key (server: required) */
	const char *ca_pem;		/* trusted authorities, concatenated PEM */
	const char *crl_pem;		/* their CRLs, concatenated PEM, or NULL */
	int verify_peer;		/* server: require and verify a client certificate;
					 * client: verify the server's chain */
	const char *verify_name;	/* client: name that must be in the server's CN or SAN */
	int tls12_only;			/* tls-version only-1.2 */
	int tls13_only;			/* client: tls-version only-1.3 (tls-version-min 1.3) */
	int verify_match;		/* client: how verify_name matches (enum tls_name_match) */
	int verify_usage;		/* client: TLS_USAGE_* bits the server's certificate needs */
	const char *verify_fingerprints;	/* client: SHA-256 pins, comma separated */
	const char *tls_auth_key;	/* static key text for tls-auth */
	int key_direction;		/* 0, 1, or -1 for none (tls-auth) */
	const char *tls_crypt_key;	/* static key text for tls-crypt */
	const char *tls_crypt_v2_key;	/* client: its tls-crypt-v2 client key text */
	enum dc_cipher ciphers[DC__CIPHERS];	/* allowed, in our order of preference */
	int nciphers;
	enum dc_digest digests[DC__DIGESTS];	/* allowed HMACs for CBC (server: any of;
						 * client: the first) */
	int ndigests;
	int reneg_sec;			/* 0: never */
	int hand_window;		/* seconds to finish a handshake (60) */
	int new_client_rate;		/* UDP server: first replies per 10 s (0: 100) */
	int mode_tap;			/* dev-type tap in the options string */
	int tun_mtu;			/* 1500 */
	const char *user, *pass;	/* client: credentials sent in key method 2 */
	int mssfix;			/* 0: MSSFIX_DEFAULT, -1: no clamping, else
					 * the datagram size SYNs are clamped for */
	const char *pull_filter;	/* client: "ACTION TEXT" entries, comma
					 * separated, applied to a PUSH_REPLY in
					 * order (pullfilter.c); NULL: none */
	enum ovpn_comp compression;	/* OVPN_COMP_NO unless set */
	int fragment;			/* UDP: --fragment's datagram limit (UDP
					 * payload bytes), 0 off; ignored on TCP */
};

/* What a session asks of its owner. ctx is the owner's pointer. */
struct ovpn_io {
	/* one protocol packet for the transport (the owner adds TCP framing) */
	void (*send)(void *ctx, const uint8_t *pkt, size_t len);
	/* one decrypted packet for the tun/tap interface */
	void (*tun)(void *ctx, const uint8_t *pkt, size_t len);
	/* server: the client's credentials arrived; answer with ovpn_sess_auth() */
	void (*auth)(void *ctx, const char *user, const char *pass, const char *peer_info,
		     const char *cert_cn);
	/* server: the client asked for its configuration; answer with
	 * ovpn_sess_push() (ifconfig, routes, dns, ping...) */
	void (*push_request)(void *ctx);
	/* client: the server's configuration arrived (PUSH_REPLY options, all
	 * continuations joined by ','), data keys are installed */
	void (*pushed)(void *ctx, const char *options);
	/* data channel keys are ready (first time and after renegotiation) */
	void (*up)(void *ctx, const char *cipher, const char *digest);
	/* the session ended: reason for the log (AUTH_FAILED, ping-restart, EXIT,
	 * TLS error ...); the owner frees it afterwards */
	void (*down)(void *ctx, const char *reason);
	/* a line for the log (level 0 error .. 3 debug) */
	void (*log)(void *ctx, int level, const char *msg);
};

struct ovpn_shared;	/* per server or client: TLS context, static keys, cookie secret */
struct ovpn_sess;	/* one peer */

struct ovpn_shared *ovpn_shared_new(const struct ovpn_cfg *cfg, char *err, size_t errlen);
void ovpn_shared_free(struct ovpn_shared *sh);

/* UDP servers keep no state for a new client until it has echoed our
 * session id (the OpenVPN 2.6 cookie handshake). For a datagram from a peer
 * with no session: returns 1 and fills reply (HARD_RESET_SERVER_V2) to send
 * back; 2 when it is a valid echo and a session should be made with
 * ovpn_sess_new() and given this same packet; 0 to drop it silently.
 * addr/addrlen identify the peer (its sockaddr bytes). */
int ovpn_server_initial(struct ovpn_shared *sh, const uint8_t *pkt, size_t len,
			const void *addr, size_t addrlen, uint64_t now_ms, uint8_t *reply,
			size_t *replylen);

struct ovpn_sess *ovpn_sess_new(struct ovpn_shared *sh, const struct ovpn_io *io, void *ctx,
				uint32_t peer_id, uint64_t now_ms);
void ovpn_sess_free(struct ovpn_sess *s);

/* A packet from the transport (one, after TCP deframing). */
void ovpn_sess_input(struct ovpn_sess *s, const uint8_t *pkt, size_t len, uint64_t now_ms);
/* A packet from tun/tap to encrypt and send; dropped while no key is up. */
void ovpn_sess_output(struct ovpn_sess *s, const uint8_t *pkt, size_t len, uint64_t now_ms);
/* TCP MSS clamping on the tunnel's traffic (on by default, as OpenVPN's
 * mssfix): off when a profile says change-tcp-mss=no. */
void ovpn_sess_set_mssfix(struct ovpn_sess *s, int on);
/* Timers: retransmits, keepalive pings, ping-restart, reneg-sec,
 * hand-window. Call when ovpn_sess_deadline() passes. */
void ovpn_sess_tick(struct ovpn_sess *s, uint64_t now_ms);
uint64_t ovpn_sess_deadline(const struct ovpn_sess *s);

/* server: the answer to io->auth. ok=0 sends AUTH_FAILED[,reason] and ends. */
void ovpn_sess_auth(struct ovpn_sess *s, int ok, const char *reason);
/* server: the answer to io->push_request: options without "PUSH_REPLY,"
 * (ifconfig, route, topology, dhcp-option, redirect-gateway...); the session
 * adds cipher, peer-id, key-derivation and protocol-flags itself, and splits
 * with push-continuation when it is longer than one message. */
void ovpn_sess_push(struct ovpn_sess *s, const char *options);
/* keepalive: send a ping when idle for ping_s, end after ping_restart_s of
 * silence (0 disables) */
void ovpn_sess_keepalive(struct ovpn_sess *s, int ping_s, int ping_restart_s);
/* start a renegotiation now (as reneg-sec does) */
void ovpn_sess_renegotiate(struct ovpn_sess *s, uint64_t now_ms);
/* tell the peer we leave (exit notification), then io->down follows */
void ovpn_sess_close(struct ovpn_sess *s, const char *reason, uint64_t now_ms);

/* Packets the peer compressed that were expanded, and those dropped
 * (compressed when not accepted, malformed, or larger than our MTU). */
void ovpn_sess_comp_stats(const struct ovpn_sess *s, uint64_t *expanded, uint64_t *dropped);

/* what print and /ppp active show */
const char *ovpn_sess_cipher(const struct ovpn_sess *s);
const char *ovpn_sess_digest(const struct ovpn_sess *s);

/* Added with the implementation: the reply buffer of ovpn_server_initial()
 * must hold at least this many bytes (a reset with one ack plus the largest
 * wrapping, tls-auth with SHA512); *replylen is only written. */
#define OVPN_REPLY_MAX 160

#endif
