/* packet.h: the OpenVPN packet layouts (ssl_pkt.h): opcode and key id,
 * session ids, the ack list and the control packet in its plain form, that
 * is after the tls-auth/tls-crypt wrapping has been taken off. */
#ifndef OVPN_PACKET_H
#define OVPN_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define P_CONTROL_HARD_RESET_CLIENT_V1 1	/* key method 1: refused */
#define P_CONTROL_HARD_RESET_SERVER_V1 2	/* key method 1: refused */
#define P_CONTROL_SOFT_RESET_V1 3
#define P_CONTROL_V1 4
#define P_ACK_V1 5
#define P_DATA_V1 6
#define P_CONTROL_HARD_RESET_CLIENT_V2 7
#define P_CONTROL_HARD_RESET_SERVER_V2 8
#define P_DATA_V2 9
#define P_CONTROL_HARD_RESET_CLIENT_V3 10
#define P_CONTROL_WKC_V1 11

#define OVPN_OP(b) ((uint8_t)(b) >> 3)
#define OVPN_KEY_ID(b) ((uint8_t)(b) & 7)
#define OVPN_HDR(op, key) ((uint8_t)(((op) << 3) | ((key) & 7)))

#define OVPN_SID_LEN 8
#define OVPN_MAX_ACKS 8		/* RELIABLE_ACK_SIZE */
#define OVPN_PEER_ID_NONE 0xFFFFFFu	/* MAX_PEER_ID: "no peer id" */

/* A control packet with the wrapping removed:
 * op|key, sid, ack count, acks, peer sid (only with acks), msg id (not in
 * P_ACK_V1), payload. */
struct ovpn_ctl {
	uint8_t op, key_id;
	uint8_t sid[OVPN_SID_LEN];	/* the sender's session id */
	uint8_t nacks;
	uint32_t acks[OVPN_MAX_ACKS];
	uint8_t peer_sid[OVPN_SID_LEN];	/* our id as the sender saw it; with acks only */
	uint32_t msg_id;		/* absent (0) in P_ACK_V1 */
	const uint8_t *payload;		/* points into the decoded buffer */
	size_t payload_len;
};

int ovpn_op_is_data(int op);
int ovpn_op_is_control(int op);	/* the control opcodes a 2.6 peer accepts (3..11) */
int ovpn_op_is_hard_reset(int op);
int ovpn_sid_defined(const uint8_t sid[OVPN_SID_LEN]);

/* Decode a plain control packet. 0 on success; -1 on any malformation:
 * short, bad opcode, more than 8 acks, zero session id, missing fields. */
int ovpn_ctl_decode(const uint8_t *p, size_t len, struct ovpn_ctl *c);

/* Encode c (payload copied from c->payload); the length, or -1 when it does
 * not fit in cap or c is invalid. */
ssize_t ovpn_ctl_encode(const struct ovpn_ctl *c, uint8_t *out, size_t cap);

/* Bytes of the plain header before the payload for n acks. */
size_t ovpn_ctl_overhead(int op, int nacks);

/* Data packet header: 1 byte (P_DATA_V1) or 4 (P_DATA_V2 with peer id). */
size_t ovpn_data_hdr(uint8_t *out, int v2, int key_id, uint32_t peer_id);

static inline uint32_t ovpn_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void ovpn_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t ovpn_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void ovpn_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#endif
