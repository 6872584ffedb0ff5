/* session.c: the API of session.h: shared configuration, a UDP server's
 * stateless first reply, session life, timers (retransmits, hand-window,
 * reneg-sec, keepalive, lame duck expiry) and the one place where io->down
 * is called: last, when the outermost API call returns, so that an owner
 * may free the session from its down callback. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mssfix.h"
#include "peerinfo.h"
#include "session_int.h"
#include "util.h"

static const enum dc_cipher default_ciphers[] = { DC_AES_256_GCM, DC_AES_128_GCM,
						  DC_CHACHA20_POLY1305 };

void sess_log(struct ovpn_sess *s, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!s->io.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->io.log(s->ctx, level, msg);
}

/* What the compression and fragment layers did, once, when the session
 * ends or its owner closes it (an owner may free it before the end comes). */
static void data_summary(struct ovpn_sess *s)
{
	if (s->comp_told & 4)
		return;
	s->comp_told |= 4;
	if (s->comp_expanded || s->comp_dropped)
		sess_log(s, 2, "compression: %llu packets expanded, %llu dropped",
			 (unsigned long long)s->comp_expanded,
			 (unsigned long long)s->comp_dropped);
	if (s->frag_cut || s->frag_joined || s->frag_dropped)
		sess_log(s, 2, "fragment: %llu packets sent in pieces, %llu put back together, "
			 "%llu pieces dropped", (unsigned long long)s->frag_cut,
			 (unsigned long long)s->frag_joined, (unsigned long long)s->frag_dropped);
}

void sess_end(struct ovpn_sess *s, const char *fmt, ...)
{
	char reason[sizeof(s->end_reason)];
	va_list ap;

	if (s->ended)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	memcpy(s->end_reason, reason, sizeof(reason));
	s->ended = 1;
	data_summary(s);
	sess_log(s, 1, "session ends: %s", reason);
}

void sess_run(struct ovpn_sess *s)
{
	/* steps feed each other (a message queued, TLS data, a state change);
	 * the bound only guards against a bug spinning forever */
	for (int i = 0; i < 64 && !s->ended; i++)
		if (!(ctl_step(s) | neg_step(s)))
			break;
	ctl_flush(s);
}

/* ---- shared configuration ---- */

static int shared_wrap(struct ovpn_shared *sh, const struct ovpn_cfg *cfg, char *err,
		       size_t errlen)
{
	int rc = 0;

	if (cfg->tls_crypt_v2_key && *cfg->tls_crypt_v2_key) {
		if (cfg->server) {
			snprintf(err, errlen, "tls-crypt-v2 is supported on the client side only");
			return -1;
		}
		rc = wrap_key_crypt_v2_client(&sh->wrap, cfg->tls_crypt_v2_key);
		sh->v2_client = 1;
	} else if (cfg->tls_crypt_key && *cfg->tls_crypt_key) {
		rc = wrap_key_crypt(&sh->wrap, cfg->tls_crypt_key, cfg->server);
	} else if (cfg->tls_auth_key && *cfg->tls_auth_key) {
		int digests[DC__DIGESTS], n = 0;

		for (int i = 0; i < cfg->ndigests && i < DC__DIGESTS; i++)
			digests[n++] = cfg->digests[i];
		rc = wrap_key_auth(&sh->wrap, cfg->tls_auth_key, cfg->key_direction, digests, n);
	}
	if (rc < 0)
		snprintf(err, errlen, "the control channel key is not a valid OpenVPN key");
	return rc;
}

static int shared_cfg(struct ovpn_shared *sh, const struct ovpn_cfg *cfg)
{
	sh->cfg = *cfg;
	if (sh->cfg.nciphers <= 0 || sh->cfg.nciphers > DC__CIPHERS) {
		memcpy(sh->cfg.ciphers, default_ciphers, sizeof(default_ciphers));
		sh->cfg.nciphers = 3;
	}
	if (sh->cfg.ndigests < 0 || sh->cfg.ndigests > DC__DIGESTS)
		sh->cfg.ndigests = 0;
	if (sh->cfg.hand_window <= 0)
		sh->cfg.hand_window = 60;
	if (sh->cfg.tun_mtu <= 0)
		sh->cfg.tun_mtu = 1500;
	/* the PEM and key texts are read once, here; keep no pointers to them */
	sh->cfg.cert_pem = sh->cfg.key_pem = sh->cfg.ca_pem = sh->cfg.crl_pem = NULL;
	sh->cfg.tls_auth_key = sh->cfg.tls_crypt_key = sh->cfg.tls_crypt_v2_key = NULL;
	sh->cfg.verify_fingerprints = NULL;
	sh->user = cfg->user ? strdup(cfg->user) : NULL;
	sh->pass = cfg->pass ? strdup(cfg->pass) : NULL;
	sh->verify_name = cfg->verify_name ? strdup(cfg->verify_name) : NULL;
	sh->cfg.user = sh->user;
	sh->cfg.pass = sh->pass;
	sh->cfg.verify_name = sh->verify_name;
	return (cfg->user && !sh->user) || (cfg->pass && !sh->pass) ||
			       (cfg->verify_name && !sh->verify_name)
		       ? -1
		       : 0;
}

static void shared_texts(struct ovpn_shared *sh)
{
	const struct ovpn_cfg *cfg = &sh->cfg;
	struct occ_params p = {
		.server = cfg->server,
		.tcp = cfg->tcp,
		.tap = cfg->mode_tap,
		.tun_mtu = cfg->tun_mtu,
		.cipher = cfg->ciphers[0],
		.digest = cfg->ndigests > 0 ? cfg->digests[0] : DC_SHA1,
		.tls_auth = sh->wrap.mode == WRAP_AUTH,
		.key_direction = sh->wrap.mode == WRAP_AUTH ? cfg->key_direction : -1,
		.frag = !cfg->tcp && cfg->fragment > 0,
	};

	occ_build(&p, sh->occ, sizeof(sh->occ));
	if (!cfg->server)
		peerinfo_build(cfg->ciphers, cfg->nciphers, cfg->tun_mtu,
			       cfg->compression >= OVPN_COMP_LZO, sh->peer_info,
			       sizeof(sh->peer_info));
}

struct ovpn_shared *ovpn_shared_new(const struct ovpn_cfg *cfg, char *err, size_t errlen)
{
	struct ovpn_shared *sh = calloc(1, sizeof(*sh));
	struct tls_ctx_cfg tc = {
		.server = cfg->server,
		.cert_pem = cfg->cert_pem,
		.key_pem = cfg->key_pem,
		.ca_pem = cfg->ca_pem,
		.crl_pem = cfg->crl_pem,
		.verify_peer = cfg->verify_peer,
		.verify_name = cfg->verify_name,
		.tls12_only = cfg->tls12_only,
		.rules = { .match = (enum tls_name_match)cfg->verify_match,
			   .usage = cfg->verify_usage,
			   .fingerprints = cfg->verify_fingerprints,
			   .tls13_only = cfg->tls13_only },
	};

	if (!sh || shared_cfg(sh, cfg) < 0) {
		snprintf(err, errlen, "out of memory");
		ovpn_shared_free(sh);
		return NULL;
	}
	sh->tls = tls_ctx_new(&tc, err, errlen);
	if (!sh->tls || shared_wrap(sh, cfg, err, errlen) < 0) {
		ovpn_shared_free(sh);
		return NULL;
	}
	if (cfg->server && cookie_init(&sh->cookie) < 0) {
		snprintf(err, errlen, "no randomness for the cookie key");
		ovpn_shared_free(sh);
		return NULL;
	}
	if (cfg->server && cfg->new_client_rate > 0)
		sh->cookie.rate_max = cfg->new_client_rate;
	shared_texts(sh);
	return sh;
}

void ovpn_shared_free(struct ovpn_shared *sh)
{
	if (!sh)
		return;
	tls_ctx_free(sh->tls);
	if (sh->pass)
		ovpn_wipe(sh->pass, strlen(sh->pass));
	free(sh->user);
	free(sh->pass);
	free(sh->verify_name);
	ovpn_wipe(sh, sizeof(*sh));
	free(sh);
}

/* ---- a UDP server's first look at a peer ---- */

static int initial_reply(struct ovpn_shared *sh, struct wrap *w, const struct ovpn_ctl *in,
			 const void *addr, size_t addrlen, uint64_t now_ms, uint8_t *reply,
			 size_t *replylen)
{
	uint8_t plain[64];
	struct ovpn_ctl c;
	ssize_t n;

	memset(&c, 0, sizeof(c));
	c.op = P_CONTROL_HARD_RESET_SERVER_V2;
	if (cookie_sid(&sh->cookie, now_ms, sh->cfg.hand_window, 0, addr, addrlen, in->sid, c.sid))
		return 0;
	c.nacks = 1;		/* acks the client's id 0; ours is id 0 too */
	c.acks[0] = 0;
	memcpy(c.peer_sid, in->sid, OVPN_SID_LEN);
	n = ovpn_ctl_encode(&c, plain, sizeof(plain));
	/* reset_packet_id_send: the reply's replay id is 1 */
	w->send_id = 0;
	if (n > 0)
		n = wrap_encode(w, plain, (size_t)n, reply, OVPN_REPLY_MAX, (uint32_t)(now_ms / 1000));
	if (n <= 0)
		return 0;
	*replylen = (size_t)n;
	return 1;
}

int ovpn_server_initial(struct ovpn_shared *sh, const uint8_t *pkt, size_t len,
			const void *addr, size_t addrlen, uint64_t now_ms, uint8_t *reply,
			size_t *replylen)
{
	uint8_t plain[4096];
	struct ovpn_ctl c;
	struct wrap w;
	ssize_t n;

	if (!sh || !sh->cfg.server || !pkt || len < 1 + OVPN_SID_LEN || len > sizeof(plain) ||
	    OVPN_KEY_ID(pkt[0]) != 0)
		return 0;
	wrap_init(&w, &sh->wrap);
	n = wrap_decode(&w, pkt, len, plain, sizeof(plain), 0);
	if (n < 0 || ovpn_ctl_decode(plain, (size_t)n, &c) < 0)
		return 0;
	if (c.op == P_CONTROL_HARD_RESET_CLIENT_V2) {
		if (sh->cfg.tcp)
			return 2;
		if (!reply || !replylen || !cookie_rate_ok(&sh->cookie, now_ms, addr, addrlen))
			return 0;
		return initial_reply(sh, &w, &c, addr, addrlen, now_ms, reply, replylen);
	}
	/* an echo of our cookie in the ack list (check_session_id_hmac), from
	 * the client's first exchange only: acking our reset (packet 0), and
	 * for a control packet being its first (packet 1). A late packet of a
	 * session that has ended, an EXIT retransmitted say, carries a valid
	 * cookie too and must not bring that session back. */
	if (sh->cfg.tcp || (c.op != P_CONTROL_V1 && c.op != P_ACK_V1) || !c.nacks)
		return 0;
	if (c.op == P_CONTROL_V1 && c.msg_id != 1)
		return 0;
	for (int i = 0; i < c.nacks; i++)
		if (c.acks[i] != 0)
			return 0;
	return cookie_valid(&sh->cookie, now_ms, sh->cfg.hand_window, addr, addrlen, c.sid,
			    c.peer_sid)
		       ? 2
		       : 0;
}

/* ---- session life ---- */

struct ovpn_sess *ovpn_sess_new(struct ovpn_shared *sh, const struct ovpn_io *io, void *ctx,
				uint32_t peer_id, uint64_t now_ms)
{
	struct ovpn_sess *s;

	if (!sh || !io || !io->send)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->sh = sh;
	s->io = *io;
	s->ctx = ctx;
	s->server = sh->cfg.server;
	s->now = now_ms;
	s->peer_id = peer_id & 0xFFFFFFu;
	s->next_key_id = 1;
	s->reneg_sec = sh->cfg.reneg_sec;
	s->no_mssfix = sh->cfg.mssfix < 0;
	s->mss_target = sh->cfg.mssfix > 0 ? (unsigned)sh->cfg.mssfix : MSSFIX_DEFAULT;
	s->frag = !sh->cfg.tcp && sh->cfg.fragment > 0 ? (unsigned)sh->cfg.fragment : 0;
	/* OpenVPN: mssfix takes its default from fragment */
	if (s->frag && s->mss_target == MSSFIX_DEFAULT)
		s->mss_target = s->frag;
	s->last_send = s->last_recv = s->born = now_ms;
	neg_comp_init(s);
	wrap_init(&s->wrap, &sh->wrap);
	if (sh->v2_client)
		s->wrap.send_id = WRAP_EARLY_NEG_START;
	do {
		if (ovpn_rand(s->sid, sizeof(s->sid)) < 0) {
			free(s);
			return NULL;
		}
	} while (!ovpn_sid_defined(s->sid));
	return s;
}

void ovpn_sess_free(struct ovpn_sess *s)
{
	if (!s)
		return;
	ks_free(&s->ks[0]);
	ks_free(&s->ks[1]);
	push_join_free(&s->join);
	free(s->user);
	free(s->peer_info);
	free(s->remote_occ);
	free(s->push_opts);
	frag_rx_free(s->frag_rx);
	ovpn_wipe(s, sizeof(*s));
	free(s);
}

/* Every API call is bracketed: callbacks may re-enter, and io->down goes
 * out only when the outermost call returns. */
static int enter(struct ovpn_sess *s, uint64_t now)
{
	if (!s || s->down_called)
		return -1;
	s->depth++;
	if (now > s->now)
		s->now = now;
	return 0;
}

static void leave(struct ovpn_sess *s)
{
	if (--s->depth > 0 || !s->ended || s->down_called)
		return;
	s->down_called = 1;
	if (s->io.down)
		s->io.down(s->ctx, s->end_reason);	/* s may be gone after this */
}

static void client_start(struct ovpn_sess *s)
{
	uint8_t op = s->sh->v2_client ? P_CONTROL_HARD_RESET_CLIENT_V3
				      : P_CONTROL_HARD_RESET_CLIENT_V2;

	s->started = 1;
	if (ks_init(s, &s->ks[0], 0, op) < 0) {
		sess_end(s, "out of memory");
		return;
	}
	s->ks[0].state = KS_PRE_START;
	rel_queue(&s->ks[0].rel, op, NULL, 0);
}

void ovpn_sess_input(struct ovpn_sess *s, const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	if (enter(s, now_ms) < 0)
		return;
	if (!s->ended && pkt && len) {
		if (ovpn_op_is_data(OVPN_OP(pkt[0]))) {
			data_input(s, pkt, len);
		} else {
			if (!s->server && !s->started)
				client_start(s);
			ctl_input(s, pkt, len);
			sess_run(s);
		}
	}
	leave(s);
}

void ovpn_sess_output(struct ovpn_sess *s, const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	if (enter(s, now_ms) < 0)
		return;
	if (!s->ended && pkt && len) {
		if (!s->no_mssfix && mss_is_syn(pkt, len) && len <= 120) {
			uint8_t syn[120];

			memcpy(syn, pkt, len);
			mss_clamp_to(syn, len, data_overhead(s), s->mss_target);
			data_send(s, syn, len);
		} else {
			data_send(s, pkt, len);
		}
	}
	leave(s);
}

void ovpn_sess_set_mssfix(struct ovpn_sess *s, int on)
{
	if (s)
		s->no_mssfix = !on;
}

static int waiting_handshake(const struct ovpn_sess *s)
{
	const struct keystate *ks = &s->ks[0];

	if (ks->state == KS_PRE_START || ks->state == KS_START)
		return 1;
	/* a server's first key also waits for the owner's auth answer */
	return s->server && ks->key_id == 0 && ks->state == KS_ACTIVE && s->auth == AUTH_WAIT;
}

static void keepalive(struct ovpn_sess *s)
{
	if (s->ping_restart_s > 0 && s->now - s->last_recv >= (uint64_t)s->ping_restart_s * 1000) {
		sess_end(s, "ping-restart: no packet from the peer in %d s", s->ping_restart_s);
		return;
	}
	if (s->ping_s > 0 && data_send_key(s) &&
	    s->now - s->last_send >= (uint64_t)s->ping_s * 1000)
		data_send(s, ovpn_ping_magic, OVPN_MAGIC_LEN);
}

static void timers(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0];

	if (!s->server && !s->started)
		client_start(s);
	if (s->server && !s->started &&
	    s->now >= s->born + (uint64_t)s->sh->cfg.hand_window * 1000) {
		sess_end(s, "no valid first packet from the peer");
		return;
	}
	if (waiting_handshake(s) && s->now >= ks->must_negotiate) {
		sess_end(s, "TLS Error: TLS key negotiation failed to occur within %d seconds "
			    "(check your network connectivity)", s->sh->cfg.hand_window);
		return;
	}
	if (s->ks[1].state != KS_NONE && s->now >= s->ks[1].expire)
		ks_free(&s->ks[1]);
	if (ks->state == KS_KEYS && s->reneg_sec > 0 && !s->closing &&
	    s->now >= ks->established + (uint64_t)s->reneg_sec * 1000)
		ctl_renegotiate(s);
	if (!s->server && !s->pushed && s->push_deadline && s->now >= s->push_deadline) {
		sess_end(s, "no-push-reply: no reply from the server to push requests");
		return;
	}
	if (s->closing && s->close_at && s->now >= s->close_at) {
		sess_end(s, "%s", s->end_reason);
		return;
	}
	keepalive(s);
}

void ovpn_sess_tick(struct ovpn_sess *s, uint64_t now_ms)
{
	if (enter(s, now_ms) < 0)
		return;
	if (!s->ended)
		timers(s);
	if (!s->ended)
		sess_run(s);
	leave(s);
}

static void earliest(uint64_t *t, uint64_t v)
{
	if (v < *t)
		*t = v;
}

uint64_t ovpn_sess_deadline(const struct ovpn_sess *s)
{
	const struct keystate *ks;
	uint64_t t = NEVER;

	if (!s || s->ended || s->down_called)
		return NEVER;
	ks = &s->ks[0];
	if (!s->server && !s->started)
		return s->now;
	if (s->server && !s->started)
		earliest(&t, s->born + (uint64_t)s->sh->cfg.hand_window * 1000);
	if (ks->state != KS_NONE)
		earliest(&t, rel_deadline(&ks->rel));
	if (waiting_handshake(s))
		earliest(&t, ks->must_negotiate);
	if (s->ks[1].state != KS_NONE)
		earliest(&t, s->ks[1].expire);
	if (ks->state == KS_KEYS && s->reneg_sec > 0 && !s->closing)
		earliest(&t, ks->established + (uint64_t)s->reneg_sec * 1000);
	if (!s->server && !s->pushed && s->push_deadline) {
		earliest(&t, s->push_deadline);
		if (ks->state == KS_ACTIVE)
			earliest(&t, s->push_next);
	}
	if (s->ping_s > 0 && (ks->state == KS_KEYS || s->ks[1].seal))
		earliest(&t, s->last_send + (uint64_t)s->ping_s * 1000);
	if (s->ping_restart_s > 0)
		earliest(&t, s->last_recv + (uint64_t)s->ping_restart_s * 1000);
	if (s->closing && s->close_at)
		earliest(&t, s->close_at);
	return t;
}

/* ---- the owner's answers and commands ---- */

void ovpn_sess_auth(struct ovpn_sess *s, int ok, const char *reason)
{
	if (enter(s, 0) < 0)
		return;
	if (!s->ended && s->server && s->auth == AUTH_WAIT) {
		if (ok)
			s->auth = AUTH_OK;
		else
			neg_auth_fail(s, reason);
		if (s->depth == 1)
			sess_run(s);
	}
	leave(s);
}

void ovpn_sess_push(struct ovpn_sess *s, const char *options)
{
	char *copy;

	if (enter(s, 0) < 0)
		return;
	copy = strdup(options ? options : "");
	if (copy) {
		free(s->push_opts);
		s->push_opts = copy;
		if (s->depth == 1 && !s->ended)
			sess_run(s);
	}
	leave(s);
}

void ovpn_sess_keepalive(struct ovpn_sess *s, int ping_s, int ping_restart_s)
{
	if (!s)
		return;
	s->ping_s = ping_s > 0 ? ping_s : 0;
	s->ping_restart_s = ping_restart_s > 0 ? ping_restart_s : 0;
}

void ovpn_sess_renegotiate(struct ovpn_sess *s, uint64_t now_ms)
{
	if (enter(s, now_ms) < 0)
		return;
	if (!s->ended && !s->closing && s->ks[0].state == KS_KEYS) {
		ctl_renegotiate(s);
		sess_run(s);
	}
	leave(s);
}

void ovpn_sess_close(struct ovpn_sess *s, const char *reason, uint64_t now_ms)
{
	static const uint8_t occ_exit[OVPN_MAGIC_LEN + 1] = {
		0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef, 0x7a, 0x81,
		0x2d, 0x56, 0xb8, 0xd3, 0xaf, 0xc5, 0x45, 0x9c, OCC_EXIT
	};

	if (enter(s, now_ms) < 0)
		return;
	if (!s->ended && !s->closing) {
		reason = reason ? reason : "closed";
		data_summary(s);
		if (s->cc_exit && s->ks[0].state >= KS_ACTIVE && ks_queue_text(&s->ks[0], "EXIT") == 0) {
			/* the EXIT message is reliable: end once it is acked */
			snprintf(s->end_reason, sizeof(s->end_reason), "%s", reason);
			s->closing = 1;
			s->close_at = s->now + CLOSE_LINGER_MS;
			sess_run(s);
		} else {
			/* OCC exit rides the data channel unacked: send it twice */
			data_send(s, occ_exit, sizeof(occ_exit));
			data_send(s, occ_exit, sizeof(occ_exit));
			sess_end(s, "%s", reason);
		}
	}
	leave(s);
}

const char *ovpn_sess_cipher(const struct ovpn_sess *s)
{
	return s && s->cipher_set ? dc_cipher_name(s->cipher) : "";
}

const char *ovpn_sess_digest(const struct ovpn_sess *s)
{
	if (!s || !s->cipher_set)
		return "";
	return dc_digest_name(dc_cipher_is_aead(s->cipher) ? DC_MD_NONE : s->digest);
}

void ovpn_sess_comp_stats(const struct ovpn_sess *s, uint64_t *expanded, uint64_t *dropped)
{
	*expanded = s ? s->comp_expanded : 0;
	*dropped = s ? s->comp_dropped : 0;
}
