/* packet.c: encode and decode control packets in their plain layout and
 * build data packet headers. Input is hostile: every length is checked
 * before it is read. */
#include <string.h>

#include "packet.h"

int ovpn_op_is_data(int op)
{
	return op == P_DATA_V1 || op == P_DATA_V2;
}

int ovpn_op_is_control(int op)
{
	/* key method 1 opcodes (1, 2) are refused as 2.6 does (P_FIRST_OPCODE 3) */
	return op >= P_CONTROL_SOFT_RESET_V1 && op <= P_CONTROL_WKC_V1 && !ovpn_op_is_data(op);
}

int ovpn_op_is_hard_reset(int op)
{
	return op == P_CONTROL_HARD_RESET_CLIENT_V2 || op == P_CONTROL_HARD_RESET_SERVER_V2 ||
	       op == P_CONTROL_HARD_RESET_CLIENT_V3;
}

int ovpn_sid_defined(const uint8_t sid[OVPN_SID_LEN])
{
	static const uint8_t zero[OVPN_SID_LEN];

	return memcmp(sid, zero, OVPN_SID_LEN) != 0;
}

size_t ovpn_ctl_overhead(int op, int nacks)
{
	size_t n = 1 + OVPN_SID_LEN + 1 + 4 * (size_t)nacks;

	if (nacks)
		n += OVPN_SID_LEN;
	if (op != P_ACK_V1)
		n += 4;
	return n;
}

/* The ack list: count, ids, and the peer's view of our session id. */
static int decode_acks(const uint8_t *p, size_t len, size_t *off, struct ovpn_ctl *c)
{
	if (*off >= len)
		return -1;
	c->nacks = p[(*off)++];
	if (c->nacks > OVPN_MAX_ACKS)
		return -1;
	if (len - *off < 4 * (size_t)c->nacks)
		return -1;
	for (int i = 0; i < c->nacks; i++, *off += 4)
		c->acks[i] = ovpn_get32(p + *off);
	if (!c->nacks)
		return 0;
	if (len - *off < OVPN_SID_LEN)
		return -1;
	memcpy(c->peer_sid, p + *off, OVPN_SID_LEN);
	*off += OVPN_SID_LEN;
	return 0;
}

int ovpn_ctl_decode(const uint8_t *p, size_t len, struct ovpn_ctl *c)
{
	size_t off = 1 + OVPN_SID_LEN;

	memset(c, 0, sizeof(*c));
	if (!p || len < off)
		return -1;
	c->op = OVPN_OP(p[0]);
	c->key_id = OVPN_KEY_ID(p[0]);
	if (!ovpn_op_is_control(c->op))
		return -1;
	memcpy(c->sid, p + 1, OVPN_SID_LEN);
	if (!ovpn_sid_defined(c->sid))
		return -1;
	if (decode_acks(p, len, &off, c) < 0)
		return -1;
	if (c->op != P_ACK_V1) {
		if (len - off < 4)
			return -1;
		c->msg_id = ovpn_get32(p + off);
		off += 4;
	}
	/* P_ACK_V1 carries no payload; trailing bytes are ignored as 2.6 does */
	c->payload = p + off;
	c->payload_len = c->op == P_ACK_V1 ? 0 : len - off;
	return 0;
}

ssize_t ovpn_ctl_encode(const struct ovpn_ctl *c, uint8_t *out, size_t cap)
{
	size_t plen = c->op == P_ACK_V1 ? 0 : c->payload_len;
	size_t need, off = 0;

	if (c->nacks > OVPN_MAX_ACKS || !ovpn_op_is_control(c->op) || c->key_id > 7)
		return -1;
	need = ovpn_ctl_overhead(c->op, c->nacks) + plen;
	if (need > cap)
		return -1;
	out[off++] = OVPN_HDR(c->op, c->key_id);
	memcpy(out + off, c->sid, OVPN_SID_LEN);
	off += OVPN_SID_LEN;
	out[off++] = c->nacks;
	for (int i = 0; i < c->nacks; i++, off += 4)
		ovpn_put32(out + off, c->acks[i]);
	if (c->nacks) {
		memcpy(out + off, c->peer_sid, OVPN_SID_LEN);
		off += OVPN_SID_LEN;
	}
	if (c->op != P_ACK_V1) {
		ovpn_put32(out + off, c->msg_id);
		off += 4;
	}
	if (plen)
		memcpy(out + off, c->payload, plen);
	return (ssize_t)(off + plen);
}

size_t ovpn_data_hdr(uint8_t *out, int v2, int key_id, uint32_t peer_id)
{
	if (!v2) {
		out[0] = OVPN_HDR(P_DATA_V1, key_id);
		return 1;
	}
	ovpn_put32(out, (uint32_t)OVPN_HDR(P_DATA_V2, key_id) << 24 | (peer_id & 0xFFFFFFu));
	return 4;
}
