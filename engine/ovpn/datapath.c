/* datapath.c: data packets of one session: choose the key (the newest
 * installed one seals; any live key id opens, so packets in flight across a
 * renegotiation still arrive), the P_DATA_V1/V2 header, compression framing,
 * replay check, and the in-band ping and OCC messages that never reach the
 * tunnel. */
#include <string.h>

#include "mssfix.h"
#include "peerinfo.h"
#include "session_int.h"

#define DATA_OVERHEAD 256	/* header, tag/HMAC, IV, padding */

/* The newest key seals once the peer has shown it holds it, or after a
 * grace period; until then the retiring key does, so nothing sent across a
 * renegotiation meets a peer that cannot open it yet. */
struct keystate *data_send_key(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0], *lame = &s->ks[1];
	int lame_ok = lame->seal && s->now < lame->expire;

	if (ks->state == KS_KEYS && ks->seal &&
	    (!lame_ok || ks->peer_used || s->now >= ks->established + SEAL_SWITCH_MS))
		return ks;
	return lame_ok ? lame : NULL;
}

static struct keystate *open_key(struct ovpn_sess *s, int key_id)
{
	for (int i = 0; i < 2; i++) {
		struct keystate *ks = &s->ks[i];

		if (ks->open && ks->key_id == key_id && (i == 0 || s->now < ks->expire))
			return ks;
	}
	return NULL;
}

/* What sealing adds: header, tag or HMAC, IV, padding. */
static size_t seal_overhead(const struct ovpn_sess *s)
{
	enum dc_digest dg = dc_cipher_is_aead(s->cipher) ? DC_MD_NONE : s->digest;

	return dc_overhead(s->cipher, dg, s->use_peer_id ? 4 : 1);
}

size_t data_overhead(const struct ovpn_sess *s)
{
	return seal_overhead(s) + (s->comp != COMP_FRAME_NONE ? 1 : 0) + (s->frag ? FRAG_HDR : 0);
}

/* Seal and send one payload as it is. */
static int seal_send(struct ovpn_sess *s, struct keystate *ks, const uint8_t *payload,
		     size_t len)
{
	uint8_t out[FRAG_HDR + DATA_MAX + 2 + DATA_OVERHEAD], hdr[4];
	size_t hl = ovpn_data_hdr(hdr, s->use_peer_id, ks->key_id,
				  s->use_peer_id ? s->peer_id : OVPN_PEER_ID_NONE);
	ssize_t n = dc_seal(ks->seal, hdr, hl, payload, len, out, sizeof(out));

	if (n == -2) {
		/* packet ids used up: a new key before any reuse */
		if (ks == &s->ks[0])
			ctl_renegotiate(s);
		return -1;
	}
	if (n < 0)
		return -1;
	s->io.send(s->ctx, out, (size_t)n);
	s->last_send = s->now;
	return 0;
}

/* --fragment: the payload with its header, in pieces when it would make
 * a datagram over the peer's limit; each piece is sealed on its own. */
static int frag_send(struct ovpn_sess *s, struct keystate *ks, const uint8_t *payload,
		     size_t len)
{
	uint8_t piece[FRAG_HDR + DATA_MAX + 2];
	size_t over = seal_overhead(s) + FRAG_HDR, n;
	struct frag_tx t;

	if (s->frag <= over || frag_tx_start(&t, s->frag_seq, payload, len, s->frag - over) < 0) {
		s->frag_dropped++;
		return -1;
	}
	if (t.piece) {
		s->frag_seq++;
		s->frag_cut++;
	}
	while ((n = frag_tx_next(&t, piece)))
		if (seal_send(s, ks, piece, n) < 0)
			return -1;
	return 0;
}

/* Frame (compression stub), seal and send one payload: tunnel traffic,
 * ping or OCC alike, as encrypt_sign treats them. 0, or -1 when no key is
 * up or sealing failed. */
int data_send(struct ovpn_sess *s, const uint8_t *payload, size_t len)
{
	uint8_t framed[DATA_MAX + 2];
	struct keystate *ks = data_send_key(s);
	ssize_t n;

	if (!ks || len > DATA_MAX)
		return -1;
	if (s->comp != COMP_FRAME_NONE) {
		n = comp_frame_out(s->comp, payload, len, framed, sizeof(framed));
		if (n < 0)
			return -1;
		payload = framed;	/* the common case (no framing) copies nothing */
		len = (size_t)n;
	}
	return s->frag ? frag_send(s, ks, payload, len) : seal_send(s, ks, payload, len);
}

/* OCC_REQUEST gets our options string back (OCC_REPLY); OCC_EXIT ends. */
static void occ_input(struct ovpn_sess *s, int op)
{
	uint8_t reply[OVPN_MAGIC_LEN + 1 + KM2_OPTIONS_MAX];
	size_t olen = strlen(s->sh->occ) + 1;

	if (op == OCC_EXIT) {
		sess_end(s, "remote-exit (OCC exit notification)");
		return;
	}
	if (op != OCC_REQUEST)
		return;
	memcpy(reply, ovpn_occ_magic, OVPN_MAGIC_LEN);
	reply[OVPN_MAGIC_LEN] = OCC_REPLY;
	memcpy(reply + OVPN_MAGIC_LEN + 1, s->sh->occ, olen);
	data_send(s, reply, OVPN_MAGIC_LEN + 1 + olen);
}

/* The largest packet we expand into: our MTU with tun-mtu-max's slack (as
 * IV_MTU announces) and an Ethernet header, never more than we carry. */
static size_t expand_cap(const struct ovpn_sess *s)
{
	size_t cap = (size_t)s->sh->cfg.tun_mtu + 100 + (s->sh->cfg.mode_tap ? 14 : 0);

	return cap < DATA_MAX ? cap : DATA_MAX;
}

/* Count what the compression layer did; say it once per session in the
 * log: that the peer compresses, or why a packet was dropped. */
static void comp_note(struct ovpn_sess *s, ssize_t n, int expanded)
{
	static const char *const why[] = { "", "an unknown compression header",
					    "compressed data this session does not accept",
					    "malformed or oversized compressed data" };

	if (n >= 0 && !expanded)
		return;
	if (n >= 0) {
		s->comp_expanded++;
		if (!(s->comp_told & 1))
			sess_log(s, 2, "the peer compresses (%s): expanding what it sends; we send "
				 "uncompressed", comp_alg_name(s->comp_accept));
		s->comp_told |= 1;
		return;
	}
	s->comp_dropped++;
	if (!(s->comp_told & 2) && -n < (ssize_t)(sizeof(why) / sizeof(why[0])))
		sess_log(s, 1, "packet dropped: %s (further drops are counted)", why[-n]);
	s->comp_told |= 2;
}

/* --fragment: a whole payload once its last piece is here; 0 until then
 * or when the piece is dropped (counted, and said once). */
static ssize_t frag_input(struct ovpn_sess *s, uint8_t *pkt, size_t len, uint8_t **whole)
{
	ssize_t n = frag_rx_input(&s->frag_rx, expand_cap(s) + 2, pkt, len, s->now, whole);

	if (n > 0 && *whole != pkt + FRAG_HDR)
		s->frag_joined++;
	if (n >= 0)
		return n;
	if (!s->frag_dropped++)
		sess_log(s, 1, "fragment: a piece dropped: %s (further drops are counted)",
			 n == FRAG_DROP_NOMEM ? "out of memory" : "a header or size no peer sends");
	return 0;
}

void data_input(struct ovpn_sess *s, const uint8_t *pkt, size_t len)
{
	uint8_t out[DATA_MAX + DATA_OVERHEAD], work[DATA_MAX], *p;
	int op = OVPN_OP(pkt[0]);
	size_t hl = op == P_DATA_V2 ? 4 : 1;
	struct keystate *ks = open_key(s, OVPN_KEY_ID(pkt[0]));
	uint32_t pid;
	ssize_t n;
	int occ;

	if (!ks || len < hl)
		return;
	n = dc_open(ks->open, pkt, len, hl, out, sizeof(out), &pid);
	if (n < 0 || dc_replay_check(&ks->replay, pid, s->now / 1000) < 0)
		return;
	s->last_recv = s->now;
	ks->peer_used = 1;
	p = out;
	if (s->frag && (n = frag_input(s, out, (size_t)n, &p)) <= 0)
		return;
	n = comp_frame_in(s->comp, s->comp_accept, p, (size_t)n, work, expand_cap(s), &p);
	comp_note(s, n, p == work);
	if (n < 0)
		return;
	if (ovpn_is_ping(p, (size_t)n))
		return;
	occ = ovpn_occ_op(p, (size_t)n);
	if (occ >= 0) {
		occ_input(s, occ);
		return;
	}
	if (n && s->io.tun) {
		if (!s->no_mssfix)
			mss_clamp_to(p, (size_t)n, data_overhead(s), s->mss_target);
		s->io.tun(s->ctx, p, (size_t)n);
	}
}
