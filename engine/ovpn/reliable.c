/* reliable.c: send window, retransmits, receive reordering and acks, with
 * the semantics of OpenVPN 2.6's reliable.c. Ids compare with wraparound. */
#include <stdlib.h>
#include <string.h>

#include "reliable.h"

_Static_assert(REL_MSG_MAX <= UINT16_MAX, "rel_msg.len holds a message length");

/* a precedes b, allowing for wraparound (reliable_pid_min) */
static int id_before(uint32_t a, uint32_t b)
{
	return (uint32_t)(a - b) >= 0x80000000u;
}

void rel_init(struct reliable *r)
{
	memset(r, 0, sizeof(*r));
}

static void msg_clear(struct rel_msg *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

void rel_free(struct reliable *r)
{
	for (int i = 0; i < REL_SEND_WIN; i++)
		msg_clear(&r->out[i]);
	for (int i = 0; i < REL_RECV_WIN; i++)
		msg_clear(&r->in[i]);
	memset(r, 0, sizeof(*r));
}

int rel_send_room(const struct reliable *r)
{
	uint32_t oldest = r->send_next;
	int found = 0;

	for (int i = 0; i < REL_SEND_WIN; i++) {
		const struct rel_msg *m = &r->out[i];

		if (m->active && (!found || id_before(m->id, oldest))) {
			oldest = m->id;
			found = 1;
		}
	}
	return REL_SEND_WIN - (int)(r->send_next - oldest);
}

int64_t rel_queue(struct reliable *r, uint8_t op, const uint8_t *payload, size_t len)
{
	struct rel_msg *m = NULL;

	if (rel_send_room(r) <= 0 || len > REL_MSG_MAX)
		return -1;
	for (int i = 0; i < REL_SEND_WIN && !m; i++)
		if (!r->out[i].active)
			m = &r->out[i];
	if (!m)
		return -1;
	m->buf = malloc(len ? len : 1);
	if (!m->buf)
		return -1;
	if (len)
		memcpy(m->buf, payload, len);
	m->len = (uint16_t)len;
	m->active = 1;
	m->id = r->send_next++;
	m->op = op;
	m->next_try = 0;
	m->timeout = REL_TIMEOUT_MS;
	m->n_acks = 0;
	return m->id;
}

void rel_skip_send(struct reliable *r)
{
	r->send_next++;
}

int rel_send_empty(const struct reliable *r)
{
	for (int i = 0; i < REL_SEND_WIN; i++)
		if (r->out[i].active)
			return 0;
	return 1;
}

void rel_acked(struct reliable *r, const uint32_t *ids, int n)
{
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < REL_SEND_WIN; j++) {
			struct rel_msg *m = &r->out[j];

			if (!m->active)
				continue;
			if (m->id == ids[i])
				msg_clear(m);
			else if (id_before(m->id, ids[i]) && m->n_acks < UINT8_MAX)
				m->n_acks++;	/* a later message got through: this one may be lost */
		}
	}
}

struct rel_msg *rel_due(struct reliable *r, uint64_t now)
{
	struct rel_msg *best = NULL;

	for (int i = 0; i < REL_SEND_WIN; i++) {
		struct rel_msg *m = &r->out[i];

		if (m->active && (now >= m->next_try || m->n_acks >= REL_EARLY_ACKS) &&
		    (!best || id_before(m->id, best->id)))
			best = m;
	}
	if (!best)
		return NULL;
	best->next_try = now + best->timeout;	/* exponential backoff */
	if (best->timeout < 0x40000000u)
		best->timeout *= 2;
	best->n_acks = 0;
	return best;
}

void rel_send_now(struct reliable *r)
{
	for (int i = 0; i < REL_SEND_WIN; i++) {
		if (r->out[i].active) {
			r->out[i].next_try = 0;
			r->out[i].timeout = REL_TIMEOUT_MS;
		}
	}
}

int rel_receive(struct reliable *r, uint32_t id, uint8_t op, const uint8_t *payload, size_t len)
{
	struct rel_msg *free_slot = NULL;

	/* reliable_wont_break_sequentiality: never beyond the window */
	if (!id_before(id, r->recv_next + REL_RECV_WIN))
		return -1;
	if (id_before(id, r->recv_next))
		return 0;	/* seen and delivered: ack again, the ack was lost */
	for (int i = 0; i < REL_RECV_WIN; i++) {
		if (r->in[i].active && r->in[i].id == id)
			return 0;
		if (!r->in[i].active && !free_slot)
			free_slot = &r->in[i];
	}
	if (!free_slot || len > REL_MSG_MAX)
		return -1;
	free_slot->buf = malloc(len ? len : 1);
	if (!free_slot->buf)
		return -1;
	if (len)
		memcpy(free_slot->buf, payload, len);
	free_slot->len = (uint16_t)len;
	free_slot->id = id;
	free_slot->op = op;
	free_slot->active = 1;
	return 1;
}

struct rel_msg *rel_peek(struct reliable *r)
{
	for (int i = 0; i < REL_RECV_WIN; i++)
		if (r->in[i].active && r->in[i].id == r->recv_next)
			return &r->in[i];
	return NULL;
}

void rel_consume(struct reliable *r, struct rel_msg *m)
{
	r->recv_next = m->id + 1;
	msg_clear(m);
}

void rel_skip_recv(struct reliable *r)
{
	r->recv_next++;
}

void rel_ack_add(struct reliable *r, uint32_t id)
{
	for (int i = 0; i < r->nack; i++)
		if (r->ack[i] == id)
			return;
	if (r->nack < REL_ACKS)
		r->ack[r->nack++] = id;
}

int rel_ack_pending(const struct reliable *r)
{
	return r->nack;
}

/* Put id at the front of the recent list, once (copy_acks_to_mru). */
static void mru_push(struct reliable *r, uint32_t id)
{
	int at = r->nmru < REL_ACKS ? r->nmru : REL_ACKS - 1;

	for (int i = 0; i < r->nmru; i++) {
		if (r->mru[i] == id) {
			at = i;
			break;
		}
	}
	if (at == r->nmru)
		r->nmru++;
	memmove(r->mru + 1, r->mru, (size_t)at * sizeof(r->mru[0]));
	r->mru[0] = id;
}

int rel_ack_take(struct reliable *r, uint32_t *ids, int max)
{
	int n = r->nack < max ? r->nack : max;
	int total;

	/* newest pending first in the recent list, keeping their order */
	for (int i = n - 1; i >= 0; i--)
		mru_push(r, r->ack[i]);
	memmove(r->ack, r->ack + n, (size_t)(r->nack - n) * sizeof(r->ack[0]));
	r->nack -= n;
	total = r->nmru < max ? r->nmru : max;
	memcpy(ids, r->mru, (size_t)total * sizeof(ids[0]));
	return total;
}

uint64_t rel_deadline(const struct reliable *r)
{
	uint64_t t = UINT64_MAX;

	for (int i = 0; i < REL_SEND_WIN; i++) {
		const struct rel_msg *m = &r->out[i];

		if (!m->active)
			continue;
		if (m->n_acks >= REL_EARLY_ACKS)
			return 0;
		if (m->next_try < t)
			t = m->next_try;
	}
	return t;
}
