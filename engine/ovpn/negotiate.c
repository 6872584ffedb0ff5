/* negotiate.c: what the two ends agree on once TLS is up: the key method
 * 2 records, the data cipher (ssl_ncp.c), the push reply with what 2.6
 * adds to it (push.c prepare_push_reply; compression in compneg.c), the
 * control messages, and installing the data channel keys. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "peerinfo.h"
#include "pullfilter.h"
#include "session_int.h"
#include "util.h"

#define KM2_BUF 16384
#define NCP_FAILED "Data channel cipher negotiation failed (no shared cipher)"

static enum dc_digest first_digest(const struct ovpn_cfg *cfg)
{
	return cfg->ndigests > 0 ? cfg->digests[0] : DC_SHA1;
}

static void occ_params_for(struct ovpn_sess *s, struct occ_params *p)
{
	const struct ovpn_cfg *cfg = &s->sh->cfg;

	memset(p, 0, sizeof(*p));
	p->server = s->server;
	p->tcp = cfg->tcp;
	p->tap = cfg->mode_tap;
	p->tun_mtu = cfg->tun_mtu > 0 ? cfg->tun_mtu : 1500;
	p->cipher = s->cipher_set ? s->cipher : cfg->nciphers > 0 ? cfg->ciphers[0] : DC_AES_256_GCM;
	p->digest = s->cipher_set ? s->digest : first_digest(cfg);
	p->tls_auth = s->sh->wrap.mode == WRAP_AUTH;
	p->key_direction = p->tls_auth ? cfg->key_direction : -1;
	p->comp = s->comp != COMP_FRAME_NONE;
	p->frag = s->frag != 0;
}

int neg_write_km2(struct ovpn_sess *s, struct keystate *ks)
{
	uint8_t buf[KM2_BUF];
	struct occ_params op;
	char occ[KM2_OPTIONS_MAX];
	ssize_t n;
	int rc;

	occ_params_for(s, &op);
	if (occ_build(&op, occ, sizeof(occ)) < 0)
		ovpn_strlcpy(occ, s->sh->occ, sizeof(occ));
	/* a 2.6 server sends empty user, password and peer-info */
	if (s->server)
		n = km2_encode(0, &ks->local, occ, NULL, NULL, NULL, buf, sizeof(buf));
	else
		n = km2_encode(1, &ks->local, occ, s->sh->user, s->sh->pass, s->sh->peer_info, buf,
			       sizeof(buf));
	if (n < 0) {
		sess_end(s, "TLS Error: Key Method #2 write failed");
		return -1;
	}
	rc = tls_conn_write(ks->tls, buf, (size_t)n);
	ovpn_wipe(buf, sizeof(buf));
	if (rc < 0)
		sess_end(s, "TLS Error: %s", tls_conn_error(ks->tls));
	return rc;
}

static int cipher_allowed(const struct ovpn_cfg *cfg, int c)
{
	for (int i = 0; i < cfg->nciphers; i++)
		if ((int)cfg->ciphers[i] == c)
			return 1;
	return 0;
}

static int digest_allowed(const struct ovpn_cfg *cfg, int d)
{
	for (int i = 0; i < cfg->ndigests; i++)
		if ((int)cfg->digests[i] == d)
			return 1;
	return cfg->ndigests == 0 && d == DC_SHA1;
}

static const char *occ_of(const struct ovpn_sess *s)
{
	return s->remote_occ ? s->remote_occ : "";
}

/* The peer's options string, kept at its length (a session holds it for
 * its whole life). */
static int set_remote_occ(struct ovpn_sess *s, const char *options)
{
	char *o = strdup(options);

	if (!o)
		return -1;
	free(s->remote_occ);
	s->remote_occ = o;
	return 0;
}

/* ncp_get_best_cipher: our first cipher the client lists in IV_CIPHERS (or
 * the two GCMs for IV_NCP=2), else, without IV_CIPHERS, the cipher of its
 * options string ("poor man's NCP"). */
static int server_cipher(struct ovpn_sess *s)
{
	const struct ovpn_cfg *cfg = &s->sh->cfg;
	enum dc_cipher peer[64];
	char occ_c[64];
	int np = peerinfo_ciphers(s->peer_info, peer, 64), occ = -1;

	/* a client that lists its ciphers is not held to its options string */
	if (!strstr(s->peer_info, "IV_CIPHERS=") &&
	    occ_get(occ_of(s), "cipher", occ_c, sizeof(occ_c)) == 0)
		occ = !strcmp(occ_c, "[null-cipher]") ? DC_NONE : dc_cipher_by_name(occ_c);
	for (int i = 0; i < cfg->nciphers; i++) {
		for (int j = 0; j < np; j++)
			if (peer[j] == cfg->ciphers[i])
				return cfg->ciphers[i];
		if ((int)cfg->ciphers[i] == occ)
			return occ;
	}
	return -1;
}

/* --auth is not negotiated: the client's options string says what it
 * uses, and 2.6 clients default to SHA1. */
static enum dc_digest server_digest(struct ovpn_sess *s)
{
	const struct ovpn_cfg *cfg = &s->sh->cfg;
	char v[64];
	int d;

	if (dc_cipher_is_aead(s->cipher))
		return DC_MD_NONE;
	if (occ_get(occ_of(s), "auth", v, sizeof(v)) == 0) {
		d = !strcmp(v, "[null-digest]") ? -1 : dc_digest_by_name(v);
		if (d >= 0 && digest_allowed(cfg, d))
			return (enum dc_digest)d;
	}
	return digest_allowed(cfg, DC_SHA1) ? DC_SHA1 : first_digest(cfg);
}

static void server_first_key(struct ovpn_sess *s, struct keystate *ks, struct km2 *k)
{
	char cn[256], v[16];
	int c;

	s->peer_info = strdup(k->peer_info ? k->peer_info : "");
	s->user = strdup(k->user ? k->user : "");
	if (!s->peer_info || !s->user || set_remote_occ(s, k->options) < 0) {
		sess_end(s, "out of memory");
		return;
	}
	s->iv_proto = peerinfo_proto(s->peer_info);
	if (peerinfo_get(s->peer_info, "IV_MTU", v, sizeof(v)) == 0)
		s->iv_mtu = atoi(v);
	s->ekm = !!(s->iv_proto & IV_PROTO_TLS_KEY_EXPORT);
	s->cc_exit = !!(s->iv_proto & IV_PROTO_CC_EXIT_NOTIFY);
	s->use_peer_id = !!(s->iv_proto & IV_PROTO_DATA_V2);
	if (s->iv_proto & IV_PROTO_REQUEST_PUSH)
		s->push_wanted = 1;
	neg_comp_server(s);
	c = server_cipher(s);
	if (c < 0) {
		neg_auth_fail(s, NCP_FAILED);
		return;
	}
	s->cipher = (enum dc_cipher)c;
	s->digest = server_digest(s);
	s->cipher_set = 1;
	if (k->userpass_too_long) {
		neg_auth_fail(s, "Username or password is too long. Maximum length is 4096 bytes");
		return;
	}
	tls_conn_peer_cn(ks->tls, cn, sizeof(cn));
	s->auth = AUTH_WAIT;
	if (!s->io.auth) {
		s->auth = AUTH_OK;
		return;
	}
	/* the owner may answer with ovpn_sess_auth() before this returns */
	s->io.auth(s->ctx, s->user, k->pass ? k->pass : "", s->peer_info, cn);
}

int neg_read_km2(struct ovpn_sess *s, struct keystate *ks, const uint8_t *p, size_t len)
{
	struct km2 k;

	if (km2_decode(p, len, s->server, &k) < 0) {
		km2_clear(&k);
		sess_end(s, "TLS Error: malformed key method 2 record");
		return -1;
	}
	ks->remote = k.src;
	if (!s->server) {
		if (set_remote_occ(s, k.options) < 0) {
			km2_clear(&k);
			sess_end(s, "out of memory");
			return -1;
		}
	} else if (ks->key_id == 0) {
		server_first_key(s, ks, &k);
	} else if (s->auth == AUTH_OK && !strcmp(k.user ? k.user : "", s->user ? s->user : "")) {
		ks->authed = 1;	/* a renegotiation keeps the first login */
	} else {
		sess_end(s, "TLS Error: renegotiation with other credentials refused");
	}
	km2_clear(&k);
	return s->ended ? -1 : 0;
}

void neg_auth_fail(struct ovpn_sess *s, const char *reason)
{
	char msg[320], why[256];

	if (s->auth == AUTH_FAIL || s->ended)
		return;
	s->auth = AUTH_FAIL;
	ovpn_strlcpy(why, reason ? reason : "", sizeof(why));
	if (why[0])
		snprintf(msg, sizeof(msg), "AUTH_FAILED,%s", why);
	else
		snprintf(msg, sizeof(msg), "AUTH_FAILED");
	sess_log(s, 1, "authentication failed%s%s", why[0] ? ": " : "", why);
	if (ks_queue_text(&s->ks[0], msg) < 0) {
		sess_end(s, "%s", msg);
		return;
	}
	/* the message goes out once the key is active; end when it is acked */
	s->closing = 1;
	s->close_at = 0;
	ovpn_strlcpy(s->end_reason, msg, sizeof(s->end_reason));
}

/* Derive this key's data channel contexts. Done as soon as both records
 * are in, before our own record is acked, so that packets the peer seals
 * with the new key the moment it has it already open here. */
int neg_install_keys(struct ovpn_sess *s, struct keystate *ks)
{
	uint8_t block[KM2_KEYBLOCK];
	const struct km2_source *cli = s->server ? &ks->remote : &ks->local;
	const struct km2_source *srv = s->server ? &ks->local : &ks->remote;
	const uint8_t *csid = s->server ? s->rsid : s->sid, *ssid = s->server ? s->sid : s->rsid;
	struct km2_dir d;
	int rc = s->ekm ? tls_conn_export(ks->tls, KM2_EKM_LABEL, block, sizeof(block))
			: km2_prf_keys(cli, srv, csid, ssid, block);
	enum dc_digest dg = dc_cipher_is_aead(s->cipher) ? DC_MD_NONE : s->digest;

	if (rc == 0) {
		km2_split(block, s->server, &d);
		ks->seal = dc_new(s->cipher, dg, d.seal_cipher, d.seal_hmac, 1);
		ks->open = dc_new(s->cipher, dg, d.open_cipher, d.open_hmac, 0);
	}
	ovpn_wipe(block, sizeof(block));
	tls_conn_keys_done(ks->tls);
	ovpn_wipe(&ks->local, sizeof(ks->local));
	ovpn_wipe(&ks->remote, sizeof(ks->remote));
	if (rc != 0 || !ks->seal || !ks->open) {
		sess_end(s, "TLS Error: data channel key setup failed (%s)",
			 s->ekm ? "keying material exporter" : "TLS 1.0 PRF");
		return -1;
	}
	memset(&ks->replay, 0, sizeof(ks->replay));
	sess_log(s, 2, "Data Channel: cipher %s, digest %s, key id %d, keys from %s",
		 dc_cipher_name(s->cipher), dc_digest_name(dg), ks->key_id,
		 s->ekm ? "TLS EKM" : "TLS 1.0 PRF");
	return 0;
}

/* Both records are in and the peer may have this key. */
static int derive_ready(const struct ovpn_sess *s, const struct keystate *ks)
{
	if (!ks->km2_sent || !ks->km2_got || ks->seal || !s->cipher_set)
		return 0;
	if (s->server)
		return s->auth == AUTH_OK && (ks->key_id == 0 || ks->authed);
	return ks->key_id != 0 || s->pushed;
}

/* The key is up once it is active too: tell the owner. */
static int key_up(struct ovpn_sess *s, struct keystate *ks)
{
	enum dc_digest dg = dc_cipher_is_aead(s->cipher) ? DC_MD_NONE : s->digest;

	ks->state = KS_KEYS;
	ks->established = s->now;
	if (!s->server && ks->key_id == 0 && s->io.pushed)
		s->io.pushed(s->ctx, s->join.opts ? s->join.opts : "");
	if (s->io.up && !s->ended)
		s->io.up(s->ctx, dc_cipher_name(s->cipher), dc_digest_name(dg));
	return 1;
}

/* tls_peer_supports_ncp: IV_NCP >= 2 or an IV_CIPHERS list */
static int supports_ncp(const char *pi)
{
	char v[16];

	return strstr(pi, "IV_CIPHERS=") ||
	       (peerinfo_get(pi, "IV_NCP", v, sizeof(v)) == 0 && atoi(v) >= 2);
}

/* Append ",text" to a bounded list; -1 when it would not fit. */
static int list_add(char *list, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int list_add(char *list, size_t cap, const char *fmt, ...)
{
	size_t used = strlen(list);
	va_list ap;
	int n;

	if (used + 2 > cap)
		return -1;
	if (used)
		list[used++] = ',';
	va_start(ap, fmt);
	n = vsnprintf(list + used, cap - used, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= cap - used ? -1 : 0;
}

/* prepare_push_reply: the session's own options after the owner's. */
static int server_push(struct ovpn_sess *s)
{
	size_t cap = (s->push_opts ? strlen(s->push_opts) : 0) + 512;
	char *all = calloc(1, cap);
	struct push_msgs msgs;
	int rc = 0;

	if (!all)
		return -1;
	if (s->push_opts && s->push_opts[0])
		rc |= list_add(all, cap, "%s", s->push_opts);
	if (s->comp_push)
		rc |= list_add(all, cap, "%s", s->comp_push);
	if (s->use_peer_id)
		rc |= list_add(all, cap, "peer-id %u", s->peer_id);
	/* only NCP clients get the cipher pushed, as 2.6 does */
	if (supports_ncp(s->peer_info))
		rc |= list_add(all, cap, "cipher %s", dc_cipher_name(s->cipher));
	if (s->cc_exit)
		rc |= list_add(all, cap, "protocol-flags cc-exit%s", s->ekm ? " tls-ekm" : "");
	else if (s->ekm)
		rc |= list_add(all, cap, "key-derivation tls-ekm");
	if (s->iv_mtu > 0)
		rc |= list_add(all, cap, "tun-mtu %d",
			       s->sh->cfg.tun_mtu > 0 ? s->sh->cfg.tun_mtu : 1500);
	if (rc || push_split(all, &msgs) < 0) {
		sess_log(s, 0, "push options too long for a PUSH_REPLY");
		free(all);
		return -1;
	}
	for (int i = 0; i < msgs.n && rc == 0; i++)
		rc = ks_queue_text(&s->ks[0], msgs.m[i]);
	push_msgs_free(&msgs);
	free(all);
	return rc;
}

static int have_keys(const struct ovpn_sess *s)
{
	return s->ks[0].state == KS_KEYS || s->ks[1].seal;
}

static int server_step(struct ovpn_sess *s)
{
	int progress = 0;

	if (s->auth != AUTH_OK || !have_keys(s) || !s->push_wanted || s->closing)
		return progress;
	if (!s->push_asked && s->io.push_request) {
		s->push_asked = 1;
		s->io.push_request(s->ctx);	/* may answer with ovpn_sess_push() at once */
		progress = 1;
	}
	if ((s->push_opts || !s->io.push_request) &&
	    (!s->push_sent || s->now - s->push_sent_at >= PUSH_RESEND_MS)) {
		if (server_push(s) < 0) {
			sess_end(s, "PUSH_REPLY could not be built");
			return 0;
		}
		s->push_sent = 1;
		s->push_sent_at = s->now;
		s->push_wanted = 0;
		progress = 1;
	}
	return progress;
}

static int client_step(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0];

	if (ks->state != KS_ACTIVE)
		return 0;
	if (ks->key_id == 0 && !s->pushed) {
		/* send_push_request: at once, then every 5 s, up to hand-window */
		if (!s->push_deadline) {
			s->push_next = s->now;
			s->push_deadline = s->now + (uint64_t)s->sh->cfg.hand_window * 1000;
		}
		if (s->now >= s->push_next) {
			ks_queue_text(ks, "PUSH_REQUEST");
			s->push_next = s->now + PUSH_REQUEST_INTERVAL_MS;
			return 1;
		}
		return 0;
	}
	return 0;
}

int neg_step(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0];
	int progress = 0;

	if (s->ended)
		return 0;
	if (s->closing) {
		if (!s->close_at && ks->state >= KS_ACTIVE) {
			s->close_at = s->now + CLOSE_LINGER_MS;
			progress = 1;
		}
		if (s->close_at && ctl_all_sent(s)) {
			sess_end(s, "%s", s->end_reason);
			return 0;
		}
	}
	if (derive_ready(s, ks)) {
		if (neg_install_keys(s, ks) < 0)
			return 0;
		progress = 1;
	}
	if (ks->state == KS_ACTIVE && ks->seal)
		progress |= key_up(s, ks);
	if (!s->ended)
		progress |= s->server ? server_step(s) : client_step(s);
	return progress;
}

/* check_pull_client_ncp: a pushed cipher must be one we allow; without
 * one, the server's own (options string) cipher if we allow it. */
static int client_cipher(struct ovpn_sess *s, const char *opts)
{
	const struct ovpn_cfg *cfg = &s->sh->cfg;
	char v[64] = "";
	int c;

	if (push_opt_get(opts, "cipher", v, sizeof(v)) == 0) {
		c = dc_cipher_by_name(v);
		if (c < 0 || !cipher_allowed(cfg, c)) {
			sess_end(s, "OPTIONS ERROR: pushed cipher not allowed - %s", v);
			return -1;
		}
		return c;
	}
	if (occ_get(occ_of(s), "cipher", v, sizeof(v)) == 0) {
		c = dc_cipher_by_name(v);
		if (c >= 0 && cipher_allowed(cfg, c))
			return c;
	}
	sess_end(s, "OPTIONS ERROR: failed to negotiate cipher with server. Add the server's "
		    "cipher ('%s') to --data-ciphers", v);
	return -1;
}

static void client_flags(struct ovpn_sess *s, const char *opts)
{
	char v[128], *tok, *save = NULL;

	if (push_opt_get(opts, "key-derivation", v, sizeof(v)) == 0 && !strcmp(v, "tls-ekm"))
		s->ekm = 1;
	if (push_opt_get(opts, "protocol-flags", v, sizeof(v)) == 0) {
		for (tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (!strcmp(tok, "cc-exit"))
				s->cc_exit = 1;
			else if (!strcmp(tok, "tls-ekm"))
				s->ekm = 1;
		}
	}
	if (push_opt_get(opts, "peer-id", v, sizeof(v)) == 0) {
		s->use_peer_id = 1;
		s->peer_id = (uint32_t)strtoul(v, NULL, 10) & 0xFFFFFFu;
	}
	if (push_opt_get(opts, "ping", v, sizeof(v)) == 0)
		s->ping_s = atoi(v);
	if (push_opt_get(opts, "ping-restart", v, sizeof(v)) == 0)
		s->ping_restart_s = atoi(v);
	neg_comp_pushed(s, opts);
}

static void client_push_reply(struct ovpn_sess *s, const char *msg)
{
	char v[64], v2[256];
	int r, c, d;

	if (s->pushed)
		return;		/* a second reply changes nothing we use */
	r = push_join_add(&s->join, msg);
	if (r < 0) {
		sess_end(s, "malformed PUSH_REPLY");
		return;
	}
	if (r == 0)
		return;
	if (pull_filter_apply(s->join.opts, s->sh->cfg.pull_filter, v2, sizeof(v2))) {
		sess_end(s, "%s", v2);
		return;
	}
	c = client_cipher(s, s->join.opts);
	if (c < 0)
		return;
	s->cipher = (enum dc_cipher)c;
	s->digest = first_digest(&s->sh->cfg);
	if (push_opt_get(s->join.opts, "auth", v, sizeof(v)) == 0 &&
	    (d = dc_digest_by_name(v)) >= 0)
		s->digest = (enum dc_digest)d;
	s->cipher_set = 1;
	client_flags(s, s->join.opts);
	s->pushed = 1;
	sess_log(s, 2, "PUSH_REPLY received");
}

/* parse_incoming_control_channel_command */
void neg_message(struct ovpn_sess *s, const char *msg)
{
	sess_log(s, 3, "control message: %.200s", msg);
	if (s->server) {
		/* a request within 30 s of our reply is ignored, as 2.6 does */
		if (!strcmp(msg, "PUSH_REQUEST") &&
		    (!s->push_sent || s->now - s->push_sent_at >= PUSH_RESEND_MS))
			s->push_wanted = 1;
		else if (!strcmp(msg, "EXIT"))
			sess_end(s, "remote-exit (EXIT)");
		return;
	}
	if (!strncmp(msg, "PUSH_REPLY", 10))
		client_push_reply(s, msg);
	else if (!strncmp(msg, "AUTH_FAILED", 11))
		sess_end(s, "%s", msg);
	else if (!strncmp(msg, "RESTART", 7) || !strncmp(msg, "HALT", 4))
		sess_end(s, "server-pushed %s", msg);
	else if (!strcmp(msg, "EXIT"))
		sess_end(s, "remote-exit (EXIT)");
	else if (!strncmp(msg, "AUTH_PENDING", 12))
		s->push_deadline = s->now + (uint64_t)s->sh->cfg.hand_window * 1000;
	else if (!strncmp(msg, "INFO", 4))
		sess_log(s, 2, "%.200s", msg);
}
