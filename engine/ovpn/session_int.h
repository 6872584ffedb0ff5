/* session_int.h: what the files behind session.h share: the key states
 * (one TLS session each, as OpenVPN's struct key_state), the session and
 * its shared configuration. session.c holds the API and timers, ctlchan.c
 * the control channel, negotiate.c key method 2, NCP and push, and
 * datapath.c the data channel. */
#ifndef OVPN_SESSION_INT_H
#define OVPN_SESSION_INT_H

#include <stdint.h>

#include "compress.h"
#include "cookie.h"
#include "dataframe.h"
#include "dc.h"
#include "fragment.h"
#include "keymethod.h"
#include "packet.h"
#include "push.h"
#include "reliable.h"
#include "session.h"
#include "tls.h"
#include "wrap.h"

#define CTL_MTU 1250		/* TLS_MTU_DEFAULT: a whole control packet */
#define CTL_IP_OVERHEAD 48	/* 2.6 budgets an IPv6+UDP header inside it */
#define CTL_ACKS_PIGGYBACK 4	/* CONTROL_SEND_ACK_MAX */
#define PT_READ_MAX 16640	/* one TLS record of plaintext, and then some */
#define PUSH_REQUEST_INTERVAL_MS 5000
#define PUSH_RESEND_MS 30000	/* a repeated PUSH_REQUEST is answered after this */
#define TRANSITION_WINDOW_MS (3600 * 1000ULL)	/* --transition-window */
#define CLOSE_LINGER_MS 3000	/* wait this long for an EXIT or AUTH_FAILED to be acked */
#define DATA_MAX 16384		/* largest tun packet we carry */
#define SEAL_SWITCH_MS 2000	/* a new key seals once the peer used it, or after this */
#define NEVER UINT64_MAX

enum ks_state {
	KS_NONE,		/* unused slot */
	KS_PRE_START,		/* our reset is out, not yet acked */
	KS_START,		/* three-way handshake done: TLS runs */
	KS_ACTIVE,		/* TLS up, key method 2 both ways, our record acked */
	KS_KEYS,		/* active with data channel keys: the key is up */
};

struct msgq {
	struct msgq *next;
	size_t len;
	uint8_t data[];		/* text with its NUL */
};

struct keystate {
	int state;		/* enum ks_state */
	uint8_t key_id;
	uint8_t initial_op;	/* hard or soft reset */
	struct reliable rel;
	struct tls_conn *tls;
	int km2_sent, km2_got;
	int authed;		/* the peer's credentials are accepted for this key */
	int resend_wkc;		/* v3 client: our message 1 carries the WKc */
	struct km2_source local, remote;
	struct msgq *outq;	/* control messages waiting for KS_ACTIVE */
	uint64_t must_negotiate;	/* ms; hand-window */
	uint64_t established;	/* ms; keys installed */
	uint64_t expire;	/* ms; lame duck end */
	struct dc_ctx *seal, *open;	/* derived as soon as both records are in */
	struct dc_replay replay;
	int peer_used;		/* a data packet opened with this key */
};

struct ovpn_shared {
	struct ovpn_cfg cfg;	/* strings below are our own copies */
	char *user, *pass, *verify_name;
	struct tls_ctx *tls;
	struct wrap_key wrap;
	int v2_client;		/* tls-crypt-v2: HARD_RESET_CLIENT_V3 */
	struct cookie cookie;
	char occ[KM2_OPTIONS_MAX];
	char peer_info[1024];
};

enum auth_state { AUTH_NONE, AUTH_WAIT, AUTH_OK, AUTH_FAIL };

struct ovpn_sess {
	struct ovpn_shared *sh;
	struct ovpn_io io;
	void *ctx;
	int server;
	uint64_t now;
	int started;			/* our first reset is queued (server: a valid first packet came) */
	uint64_t born;			/* ms; a server session waits hand-window for its first packet */
	uint8_t sid[OVPN_SID_LEN], rsid[OVPN_SID_LEN];
	int have_rsid;
	struct wrap wrap;
	struct keystate ks[2];		/* [0] primary, [1] lame duck */
	uint8_t next_key_id;

	/* what was negotiated */
	int cipher_set;
	enum dc_cipher cipher;
	enum dc_digest digest;
	int ekm, cc_exit, use_peer_id;
	uint32_t peer_id;		/* ours (server) or the pushed one (client) */
	enum comp_frame comp;
	unsigned comp_accept;		/* COMP_ACCEPT_ algorithms we expand */
	const char *comp_push;		/* server: what sets the client's framing */
	uint64_t comp_expanded, comp_dropped;
	int comp_told;			/* logged: 1 the first expansion, 2 the first
					 * drop, 4 the session's summary */
	unsigned frag;			/* --fragment: the peer's datagram limit, 0 off */
	unsigned frag_seq;		/* sequence number of the next packet cut */
	struct frag_rx *frag_rx;	/* pieces being put together (made at the first) */
	uint64_t frag_cut, frag_joined, frag_dropped;

	/* server */
	int auth;			/* enum auth_state */
	char *user;			/* first username, for renegotiations */
	char *peer_info;
	char *remote_occ;		/* the peer's options string ("" until its record) */
	unsigned iv_proto;
	int iv_mtu;
	int push_wanted, push_asked;
	char *push_opts;		/* from the owner */
	uint64_t push_sent_at;
	int push_sent;

	/* client */
	struct push_join join;
	int pushed;
	uint64_t push_next, push_deadline;

	/* timers */
	int ping_s, ping_restart_s, reneg_sec;
	uint64_t last_send, last_recv;

	/* ending */
	int depth;			/* API calls in progress (callbacks may re-enter) */
	int closing;			/* waiting for a last message to be acked */
	uint64_t close_at;
	int ended, down_called;
	char end_reason[256];
	int no_mssfix;			/* change-tcp-mss=no: leave SYNs alone */
	unsigned mss_target;		/* datagram size SYNs are clamped for */
};

/* session.c */
void sess_log(struct ovpn_sess *s, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sess_end(struct ovpn_sess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sess_run(struct ovpn_sess *s);

/* ctlchan.c */
int ks_init(struct ovpn_sess *s, struct keystate *ks, uint8_t key_id, uint8_t initial_op);
void ks_free(struct keystate *ks);
void ks_demote(struct keystate *ks);
int ks_queue_text(struct keystate *ks, const char *text);
void ctl_input(struct ovpn_sess *s, const uint8_t *pkt, size_t len);
int ctl_step(struct ovpn_sess *s);
void ctl_flush(struct ovpn_sess *s);
void ctl_renegotiate(struct ovpn_sess *s);
int ctl_all_sent(struct ovpn_sess *s);

/* compneg.c */
void neg_comp_init(struct ovpn_sess *s);
void neg_comp_server(struct ovpn_sess *s);
void neg_comp_pushed(struct ovpn_sess *s, const char *opts);
const char *comp_alg_name(unsigned accept);

/* negotiate.c */
int neg_write_km2(struct ovpn_sess *s, struct keystate *ks);
int neg_read_km2(struct ovpn_sess *s, struct keystate *ks, const uint8_t *p, size_t len);
void neg_message(struct ovpn_sess *s, const char *msg);
int neg_step(struct ovpn_sess *s);
void neg_auth_fail(struct ovpn_sess *s, const char *reason);
int neg_install_keys(struct ovpn_sess *s, struct keystate *ks);

/* datapath.c */
void data_input(struct ovpn_sess *s, const uint8_t *pkt, size_t len);
int data_send(struct ovpn_sess *s, const uint8_t *payload, size_t len);
/* Bytes the data channel adds to a packet with the cipher in use. */
size_t data_overhead(const struct ovpn_sess *s);
struct keystate *data_send_key(struct ovpn_sess *s);

#endif
