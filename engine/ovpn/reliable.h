/* reliable.h: the control channel's reliability layer (reliable.c): a send
 * window of 6 messages with per-message retransmit (2 s doubling, or early
 * after 3 acks of later messages), a receive window of 12 that puts
 * messages back in order, and the ack bookkeeping: ids still to ack and the
 * most recently acked ones, which 2.6 repeats in every packet. */
#ifndef OVPN_RELIABLE_H
#define OVPN_RELIABLE_H

#include <stddef.h>
#include <stdint.h>

#define REL_SEND_WIN 6		/* TLS_RELIABLE_N_SEND_BUFFERS */
#define REL_RECV_WIN 12		/* TLS_RELIABLE_N_REC_BUFFERS */
#define REL_ACKS 8		/* RELIABLE_ACK_SIZE */
#define REL_EARLY_ACKS 3	/* N_ACK_RETRANSMIT */
#define REL_TIMEOUT_MS 2000	/* tls-timeout */
#define REL_MSG_MAX 2048	/* largest message payload we accept */

/* 32 bytes, not 48: a session keeps 36 of them (two keys, both windows) */
struct rel_msg {
	uint8_t *buf;			/* payload (malloc'd) */
	uint64_t next_try;		/* ms; 0: send at once */
	uint32_t id;
	uint32_t timeout;		/* ms until the retry after next_try */
	uint16_t len;			/* at most REL_MSG_MAX */
	uint8_t op;
	uint8_t active;
	uint8_t n_acks;			/* acks seen for later messages (stops at 255) */
};

struct reliable {
	uint32_t send_next;		/* id the next queued message gets */
	struct rel_msg out[REL_SEND_WIN];
	uint32_t recv_next;		/* id of the next message to deliver */
	struct rel_msg in[REL_RECV_WIN];
	uint32_t ack[REL_ACKS];		/* received, not yet acked */
	int nack;
	uint32_t mru[REL_ACKS];		/* acked lately, newest first */
	int nmru;
};

void rel_init(struct reliable *r);
void rel_free(struct reliable *r);

/* Room in the send window (ids are sequential; the window counts from the
 * oldest unacked id). */
int rel_send_room(const struct reliable *r);
/* Queue one message; its id, or -1 when the window is full. */
int64_t rel_queue(struct reliable *r, uint8_t op, const uint8_t *payload, size_t len);
/* Skip an id as though it had been sent and acked (the UDP cookie path). */
void rel_skip_send(struct reliable *r);
int rel_send_empty(const struct reliable *r);
/* Acks from the peer: free acked messages, count acks of later ones. */
void rel_acked(struct reliable *r, const uint32_t *ids, int n);
/* The next message due at now (oldest first), with its backoff applied;
 * NULL when none is due. */
struct rel_msg *rel_due(struct reliable *r, uint64_t now);
/* Retransmit everything at once (a peer restarting the handshake). */
void rel_send_now(struct reliable *r);

/* A message from the peer: 1 stored, 0 a duplicate or old (still to be
 * acked), -1 outside the window or unstorable (not acked, as 2.6 does). */
int rel_receive(struct reliable *r, uint32_t id, uint8_t op, const uint8_t *payload, size_t len);
/* The next in-order message, or NULL. The caller frees m->buf via
 * rel_consume(). */
struct rel_msg *rel_peek(struct reliable *r);
void rel_consume(struct reliable *r, struct rel_msg *m);
/* Skip an expected receive id (the UDP cookie path). */
void rel_skip_recv(struct reliable *r);

void rel_ack_add(struct reliable *r, uint32_t id);
int rel_ack_pending(const struct reliable *r);
/* Fill ids with up to max acks: pending ones first, then recent ones. */
int rel_ack_take(struct reliable *r, uint32_t *ids, int max);

/* Earliest ms at which rel_due() returns something, or UINT64_MAX. */
uint64_t rel_deadline(const struct reliable *r);

#endif
