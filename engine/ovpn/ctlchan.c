/* ctlchan.c: the control channel of one session: packets in (unwrap,
 * session ids, acks, reliability), the per-key state machine around the
 * TLS session (three-way handshake, TLS, key method 2, control messages),
 * and packets out. The states and their order follow ssl.c tls_process. */
#include <stdlib.h>
#include <string.h>

#include "session_int.h"
#include "util.h"

#define CTL_BUF 4096		/* largest control packet we take or make */

int ks_init(struct ovpn_sess *s, struct keystate *ks, uint8_t key_id, uint8_t initial_op)
{
	memset(ks, 0, sizeof(*ks));
	ks->key_id = key_id;
	ks->initial_op = initial_op;
	rel_init(&ks->rel);
	ks->tls = tls_conn_new(s->sh->tls);
	if (!ks->tls || km2_source_random(&ks->local, !s->server) < 0) {
		ks_free(ks);
		return -1;
	}
	ks->must_negotiate = s->now + (uint64_t)s->sh->cfg.hand_window * 1000;
	return 0;
}

static void outq_free(struct keystate *ks)
{
	while (ks->outq) {
		struct msgq *n = ks->outq->next;

		ovpn_wipe(ks->outq->data, ks->outq->len);
		free(ks->outq);
		ks->outq = n;
	}
}

/* Drop everything but the data channel keys of a retiring key. */
void ks_demote(struct keystate *ks)
{
	rel_free(&ks->rel);
	tls_conn_free(ks->tls);
	ks->tls = NULL;
	outq_free(ks);
	ovpn_wipe(&ks->local, sizeof(ks->local));
	ovpn_wipe(&ks->remote, sizeof(ks->remote));
}

void ks_free(struct keystate *ks)
{
	ks_demote(ks);
	dc_free(ks->seal);
	dc_free(ks->open);
	memset(ks, 0, sizeof(*ks));
}

int ks_queue_text(struct keystate *ks, const char *text)
{
	size_t len = strlen(text) + 1;	/* each message is sent with its NUL */
	struct msgq *m = malloc(sizeof(*m) + len), **tail = &ks->outq;

	if (!m)
		return -1;
	m->next = NULL;
	m->len = len;
	memcpy(m->data, text, len);
	while (*tail)
		tail = &(*tail)->next;
	*tail = m;
	return 0;
}

/* SoftEther servers drop packets with more than 4 acks; 2.6 clients send
 * no more to a server reached without wrapping or EKM (write_control_auth). */
static int ack_limit(const struct ovpn_sess *s, int max)
{
	if (!s->server && s->sh->wrap.mode == WRAP_NONE && !s->ekm && max > 4)
		return 4;
	return max;
}

static void send_ctl(struct ovpn_sess *s, struct keystate *ks, uint8_t op, uint32_t msg_id,
		     const uint8_t *payload, size_t len, int max_acks)
{
	uint8_t plain[CTL_BUF], out[CTL_BUF + WRAP_WKC_MAX + 128];
	struct ovpn_ctl c;
	ssize_t n;

	memset(&c, 0, sizeof(c));
	c.op = op;
	c.key_id = ks->key_id;
	memcpy(c.sid, s->sid, OVPN_SID_LEN);
	if (s->have_rsid) {
		c.nacks = (uint8_t)rel_ack_take(&ks->rel, c.acks, ack_limit(s, max_acks));
		memcpy(c.peer_sid, s->rsid, OVPN_SID_LEN);
	}
	c.msg_id = msg_id;
	c.payload = payload;
	c.payload_len = len;
	n = ovpn_ctl_encode(&c, plain, sizeof(plain));
	if (n > 0)
		n = wrap_encode(&s->wrap, plain, (size_t)n, out, sizeof(out), (uint32_t)(s->now / 1000));
	if (n <= 0) {
		sess_log(s, 0, "control packet could not be built (op %d)", op);
		return;
	}
	s->io.send(s->ctx, out, (size_t)n);
	s->last_send = s->now;
}

void ctl_flush(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0];
	struct rel_msg *m;

	if (ks->state == KS_NONE || s->ended)
		return;
	/* a v3 client must get its WKc to the server in message 1, even as a
	 * bare ack (tls_process: an empty P_CONTROL_WKC_V1 instead of P_ACK_V1) */
	if (rel_ack_pending(&ks->rel) && ks->resend_wkc && ks->rel.send_next == 1)
		rel_queue(&ks->rel, P_CONTROL_WKC_V1, NULL, 0);
	while ((m = rel_due(&ks->rel, s->now)))
		send_ctl(s, ks, m->op, m->id, m->buf, m->len, CTL_ACKS_PIGGYBACK);
	if (rel_ack_pending(&ks->rel) && s->have_rsid)
		send_ctl(s, ks, P_ACK_V1, 0, NULL, 0, REL_ACKS);
}

/* Bytes of TLS ciphertext that fit in one control packet. */
static size_t ctl_budget(struct ovpn_sess *s, int op)
{
	size_t over = ovpn_ctl_overhead(op, CTL_ACKS_PIGGYBACK) + wrap_overhead(&s->wrap, op) +
		      CTL_IP_OVERHEAD;

	return over + 16 < CTL_MTU ? CTL_MTU - over : 16;
}

/* TLS ciphertext into the send window, as much as it has room for. */
static int ks_pump(struct ovpn_sess *s, struct keystate *ks)
{
	uint8_t buf[CTL_MTU];
	int progress = 0;

	while (tls_conn_out_len(ks->tls) && rel_send_room(&ks->rel) > 0) {
		int op = ks->resend_wkc && ks->rel.send_next == 1 ? P_CONTROL_WKC_V1 : P_CONTROL_V1;
		size_t n = tls_conn_take(ks->tls, buf, ctl_budget(s, op));

		if (rel_queue(&ks->rel, (uint8_t)op, buf, n) < 0)
			break;
		progress = 1;
	}
	return progress;
}

/* The early negotiation TLVs of the server's reset (parse_early_negotiation_tlvs). */
static int early_neg(struct ovpn_sess *s, struct keystate *ks, const uint8_t *p, size_t len)
{
	while (len) {
		uint16_t type, l;

		if (len < 4)
			return -1;
		type = ovpn_get16(p);
		l = ovpn_get16(p + 2);
		p += 4;
		len -= 4;
		if (len < l || (type == 1 && l != 2))
			return -1;
		/* TLV_TYPE_EARLY_NEG_FLAGS, EARLY_NEG_FLAG_RESEND_WKC */
		if (type == 1 && (ovpn_get16(p) & 1) && s->sh->wrap.wkc_len)
			ks->resend_wkc = 1;
		p += l;
		len -= l;
	}
	return 0;
}

/* In-order messages: resets are consumed, the rest is TLS ciphertext. */
static int ks_consume(struct ovpn_sess *s, struct keystate *ks)
{
	struct rel_msg *m;
	int progress = 0;

	while ((m = rel_peek(&ks->rel))) {
		if (m->id == 0 && ovpn_op_is_hard_reset(m->op)) {
			if (!s->server && early_neg(s, ks, m->buf, m->len) < 0) {
				sess_end(s, "TLS Error: Early negotiation malformed packet");
				return 0;
			}
		} else if (m->op != P_CONTROL_SOFT_RESET_V1 && m->len &&
			   tls_conn_feed(ks->tls, m->buf, m->len) < 0) {
			sess_end(s, "TLS Error: too much TLS data queued");
			return 0;
		}
		rel_consume(&ks->rel, m);
		progress = 1;
	}
	return progress;
}

static int printable(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

/* Control messages: NUL-separated text, each dispatched alone. A chunk's
 * unterminated tail is dropped and so is a message with anything but
 * printable ASCII, as extract_command_buffer does. */
static void ks_messages(struct ovpn_sess *s, uint8_t *p, size_t len)
{
	while (len && !s->ended) {
		uint8_t *nul = memchr(p, 0, len);
		size_t l;

		if (!nul)
			return;
		l = (size_t)(nul - p);
		while (l && (p[l - 1] == '\n' || p[l - 1] == '\r'))
			p[--l] = 0;
		if (l && printable(p, l))
			neg_message(s, (const char *)p);
		else if (l)
			sess_log(s, 1, "control message with invalid characters dropped");
		len -= (size_t)(nul - p) + 1;
		p = nul + 1;
	}
}

/* Plaintext from TLS: first the peer's key method 2 record (one TLS
 * record: one read), then control messages. */
static int ks_read(struct ovpn_sess *s, struct keystate *ks)
{
	uint8_t buf[PT_READ_MAX];
	int progress = 0;
	ssize_t n;

	if (!ks->km2_got && !s->server && !ks->km2_sent)
		return 0;	/* the client speaks first */
	while (!s->ended && (n = tls_conn_read(ks->tls, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			sess_end(s, "TLS Error: %s", tls_conn_error(ks->tls));
			break;
		}
		progress = 1;
		if (ks->km2_got) {
			ks_messages(s, buf, (size_t)n);
			continue;
		}
		if (neg_read_km2(s, ks, buf, (size_t)n) < 0)
			break;
		ks->km2_got = 1;
	}
	ovpn_wipe(buf, sizeof(buf));
	return progress;
}

static int ks_tls(struct ovpn_sess *s, struct keystate *ks)
{
	int progress = 0, r;
	char desc[128];

	if (!tls_conn_established(ks->tls)) {
		r = tls_conn_handshake(ks->tls);
		if (r < 0) {
			sess_end(s, "TLS Error: %s", tls_conn_error(ks->tls));
			return 0;
		}
		if (r == 0)
			return 0;
		tls_conn_describe(ks->tls, desc, sizeof(desc));
		sess_log(s, 2, "Control Channel: %s (key %d)", desc, ks->key_id);
		progress = 1;
	}
	/* key_method_2_write: the client first, the server after reading */
	if (!ks->km2_sent && (!s->server || ks->km2_got)) {
		if (neg_write_km2(s, ks) < 0)
			return 0;
		ks->km2_sent = 1;
		progress = 1;
	}
	progress |= ks_read(s, ks);
	if (!ks->km2_sent && s->server && ks->km2_got && !s->ended) {
		if (neg_write_km2(s, ks) < 0)
			return 0;
		ks->km2_sent = 1;
		progress = 1;
	}
	return progress;
}

static int ks_flush_outq(struct ovpn_sess *s, struct keystate *ks)
{
	int progress = 0;

	while (ks->outq && !s->ended) {
		struct msgq *m = ks->outq;

		if (tls_conn_write(ks->tls, m->data, m->len) < 0) {
			sess_end(s, "TLS Error: %s", tls_conn_error(ks->tls));
			return 0;
		}
		ks->outq = m->next;
		ovpn_wipe(m->data, m->len);
		free(m);
		progress = 1;
	}
	return progress;
}

int ctl_step(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0];
	int progress = 0;

	if (ks->state == KS_NONE || s->ended)
		return 0;
	if (ks->state == KS_PRE_START && rel_send_empty(&ks->rel)) {
		ks->state = KS_START;	/* our reset was acked */
		progress = 1;
	}
	progress |= ks_consume(s, ks);
	if (ks->state >= KS_START && !s->ended)
		progress |= ks_tls(s, ks);
	/* active once our record is acked: nothing of it may still wait in TLS */
	if (ks->state == KS_START && ks->km2_sent && ks->km2_got && rel_send_empty(&ks->rel) &&
	    !tls_conn_out_len(ks->tls) && !s->ended) {
		ks->state = KS_ACTIVE;
		progress = 1;
	}
	if (ks->state >= KS_ACTIVE && !s->ended)
		progress |= ks_flush_outq(s, ks);
	if (ks->state >= KS_START && !s->ended)
		progress |= ks_pump(s, ks);
	return progress;
}

int ctl_all_sent(struct ovpn_sess *s)
{
	struct keystate *ks = &s->ks[0];

	return !ks->outq && (!ks->tls || !tls_conn_out_len(ks->tls)) && rel_send_empty(&ks->rel);
}

/* key_state_soft_reset: the primary key retires as lame duck and a new
 * key id starts with P_CONTROL_SOFT_RESET_V1. */
void ctl_renegotiate(struct ovpn_sess *s)
{
	uint8_t id = s->next_key_id;

	ks_free(&s->ks[1]);
	s->ks[1] = s->ks[0];
	ks_demote(&s->ks[1]);
	s->ks[1].expire = s->now + TRANSITION_WINDOW_MS;
	/* key ids count 1..7 and wrap to 1: 0 is only the first key */
	s->next_key_id = (uint8_t)(id == 7 ? 1 : id + 1);
	if (ks_init(s, &s->ks[0], id, P_CONTROL_SOFT_RESET_V1) < 0) {
		sess_end(s, "out of memory");
		return;
	}
	s->ks[0].state = KS_PRE_START;
	rel_queue(&s->ks[0].rel, P_CONTROL_SOFT_RESET_V1, NULL, 0);
	sess_log(s, 2, "renegotiating: key id %d", id);
}

/* A server's first packet from a peer: its hard reset, or (UDP) the echo
 * of our cookie session id, after which both resets count as exchanged. */
static int server_first(struct ovpn_sess *s, const struct ovpn_ctl *c)
{
	struct keystate *ks = &s->ks[0];
	int echo = !s->sh->cfg.tcp && (c->op == P_ACK_V1 || c->op == P_CONTROL_V1) &&
		   c->nacks && c->key_id == 0;

	if (c->op == P_CONTROL_HARD_RESET_CLIENT_V2 && c->key_id == 0 && c->msg_id == 0) {
		if (ks_init(s, ks, 0, P_CONTROL_HARD_RESET_SERVER_V2) < 0)
			return -1;
		ks->state = KS_PRE_START;
		rel_queue(&ks->rel, P_CONTROL_HARD_RESET_SERVER_V2, NULL, 0);
	} else if (echo) {
		/* session_skip_to_pre_start: ids 0 both ways are spent */
		memcpy(s->sid, c->peer_sid, OVPN_SID_LEN);
		if (ks_init(s, ks, 0, P_CONTROL_HARD_RESET_SERVER_V2) < 0)
			return -1;
		rel_skip_send(&ks->rel);
		rel_skip_recv(&ks->rel);
		s->wrap.send_id = 1;
		ks->state = KS_START;
	} else {
		return -1;
	}
	memcpy(s->rsid, c->sid, OVPN_SID_LEN);
	s->have_rsid = 1;
	s->started = 1;
	return 0;
}

/* A client that restarted from the same address starts over with a new
 * session id. With tls-auth or tls-crypt the reset proves it holds the
 * key, so this session ends and the owner's next look at the peer starts
 * a fresh one; without them a spoofed reset must not end a session, and
 * the old one ends by ping-restart instead. */
static void peer_restart(struct ovpn_sess *s, const struct ovpn_ctl *c)
{
	if (s->server && !s->sh->cfg.tcp && c->op == P_CONTROL_HARD_RESET_CLIENT_V2 &&
	    c->key_id == 0 && c->msg_id == 0 && s->sh->wrap.mode != WRAP_NONE) {
		sess_end(s, "the peer restarted (a new session id)");
		return;
	}
	sess_log(s, 3, "control packet from another session dropped");
}

/* Which session and key a packet belongs to; -1 to drop it. */
static int route(struct ovpn_sess *s, const struct ovpn_ctl *c)
{
	if ((c->op == P_CONTROL_HARD_RESET_CLIENT_V2 || c->op == P_CONTROL_HARD_RESET_CLIENT_V3) &&
	    !s->server)
		return -1;	/* client->client */
	if (c->op == P_CONTROL_HARD_RESET_SERVER_V2 && s->server)
		return -1;	/* server->server */
	if (s->server && !s->have_rsid)
		return server_first(s, c);
	if (!s->have_rsid) {
		if (c->op != P_CONTROL_HARD_RESET_SERVER_V2)
			return -1;
		memcpy(s->rsid, c->sid, OVPN_SID_LEN);
		s->have_rsid = 1;
	}
	if (memcmp(c->sid, s->rsid, OVPN_SID_LEN)) {
		peer_restart(s, c);
		return -1;
	}
	if (c->op == P_CONTROL_SOFT_RESET_V1 && c->key_id != s->ks[0].key_id) {
		if (s->ks[0].state != KS_KEYS || c->key_id != s->next_key_id) {
			sess_log(s, 2, "soft reset for key %d refused", c->key_id);
			return -1;
		}
		ctl_renegotiate(s);	/* the peer starts a renegotiation */
	}
	if (c->key_id != s->ks[0].key_id || s->ks[0].state == KS_NONE) {
		sess_log(s, 3, "control packet for key %d, expecting %d", c->key_id,
			 s->ks[0].key_id);
		return -1;
	}
	return 0;
}

void ctl_input(struct ovpn_sess *s, const uint8_t *pkt, size_t len)
{
	uint8_t plain[CTL_BUF];
	struct ovpn_ctl c;
	struct keystate *ks = &s->ks[0];
	ssize_t n;

	if (len > CTL_BUF + WRAP_WKC_MAX)
		return;
	n = wrap_decode(&s->wrap, pkt, len, plain, sizeof(plain), 1);
	if (n < 0 || ovpn_ctl_decode(plain, (size_t)n, &c) < 0) {
		sess_log(s, 3, "control packet failed authentication or decoding");
		return;
	}
	if (route(s, &c) < 0 || s->ended)
		return;
	/* acks name our session id as the peer knows it (reliable_ack_read) */
	if (c.nacks && memcmp(c.peer_sid, s->sid, OVPN_SID_LEN)) {
		sess_log(s, 3, "acks for another session id dropped");
		return;
	}
	rel_acked(&ks->rel, c.acks, c.nacks);
	if (c.op != P_ACK_V1 &&
	    rel_receive(&ks->rel, c.msg_id, c.op, c.payload, c.payload_len) >= 0)
		rel_ack_add(&ks->rel, c.msg_id);
	s->last_recv = s->now;
}
