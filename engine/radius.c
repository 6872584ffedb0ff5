/* radius.c: the loop's side of RADIUS. A login of a user not in /ppp secret
 * is handed to the workers with the /radius servers as they are now; the
 * answer comes back here, is counted for /radius monitor and given to the
 * peer (peer_radius_answer). Sessions RADIUS let in are accounted: Start,
 * Interim-Update on a timer, Stop with the reason they ended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "log.h"
#include "radius.h"

/* A RADIUS session's state beside its peer. */
struct radius_sess {
	struct radius_job *pending;	/* the login asked, until it is answered */
	int accounting;			/* Start sent: Stop is due */
	uint32_t interim_s;
	uint64_t up_ms;
	char session_id[9];
	char ended[80];			/* why it ended, for Acct-Terminate-Cause */
	uint8_t class_[RADIUS_ATTR_MAX];
	size_t class_len;
};

/* /radius monitor's counters, per server item. */
struct counters {
	long long id;
	unsigned long long pending, requests, accepts, rejects, timeouts, bad;
	unsigned rtt_ms;
};

static struct engine *
eng_of(struct peer *p)
{
	return p->srv->eng;
}

/* Logins waiting for an answer at most: beyond, RADIUS is not keeping up
 * (or is down, each waiting out its timeouts) and more would only queue. */
#define WAITING_MAX 256
static unsigned waiting;

static struct counters count[64];
static int ncount;
static uint32_t next_session;

static struct counters *
counters(long long id)
{
	for (int i = 0; i < ncount; i++)
		if (count[i].id == id)
			return &count[i];
	if (ncount == (int)(sizeof(count) / sizeof(count[0])))
		return NULL;
	count[ncount] = (struct counters){ .id = id };
	return &count[ncount++];
}

static void
show(struct engine *e, const struct counters *c)
{
	char v[6][24], rtt[24];
	struct cdb_kv kv[7];
	const unsigned long long n[6] = { c->pending, c->requests, c->accepts, c->rejects,
					  c->timeouts, c->bad };
	static const char *const name[6] = { "pending", "requests", "accepts", "rejects",
					     "timeouts", "bad-replies" };

	for (int i = 0; i < 6; i++) {
		snprintf(v[i], sizeof(v[i]), "%llu", n[i]);
		kv[i] = (struct cdb_kv){ name[i], v[i] };
	}
	snprintf(rtt, sizeof(rtt), "%ums", c->rtt_ms);
	kv[6] = (struct cdb_kv){ "last-request-rtt", c->requests ? rtt : NULL };
	cdb_rt_put(e->db, "/radius", c->id, kv, 7);
}

/* The single settings item of menu (such as /ppp aaa), 0 or -1. */
static int
single(struct engine *e, const char *menu, const struct cdb_menu **m, struct cdb_item *it)
{
	struct cdb_err err;

	*m = cdb_menu_find(e->db->cat, menu);
	return *m && !cdb_item_get(e->db, *m, 1, it, &err) ? 0 : -1;
}

/* /ppp aaa's prop is yes. */
static int
aaa_is(struct engine *e, const char *prop)
{
	const struct cdb_menu *m;
	struct cdb_item it = { 0 };
	int yes = 0;

	if (!single(e, "/ppp/aaa", &m, &it)) {
		yes = !strcmp(cdb_item_text(m, &it, prop), "yes");
		cdb_item_clear(&it);
	}
	return yes;
}

int
radius_enabled(struct engine *e)
{
	return aaa_is(e, "use-radius");
}

static uint32_t
aaa_interim(struct engine *e)
{
	const struct cdb_menu *m;
	struct cdb_item it = { 0 };
	long long s = 0;

	if (!single(e, "/ppp/aaa", &m, &it)) {
		cdb_parse_time(cdb_item_text(m, &it, "interim-update"), &s);
		cdb_item_clear(&it);
	}
	return s > 0 && s < 0x7fffffff ? (uint32_t)s : 0;
}

/* A job with the servers and the NAS as the configuration says now. */
static struct radius_job *
job_new(struct engine *e, enum radius_kind kind)
{
	struct radius_job *j = calloc(1, sizeof(*j));
	char skipped[200];

	if (!j)
		return NULL;
	j->kind = kind;
	radius_job_config(e->db, "ppp", j, skipped, sizeof(skipped));
	if (*skipped)
		log_msg(LOG_WARN, "radius", "server %s skipped: its secret is empty or has a colon",
			skipped);
	return j;
}

static void
submit(struct engine *e, struct radius_job *j)
{
	struct counters *c = j->nsrv ? counters(j->srv[0].id) : NULL;

	if (c) {
		c->pending++;
		show(e, c);
	}
	radius_worker_submit(j);
}

/* The session's facts as a request tells them. */
static void
facts(struct peer *p, struct radius_job *j, int status)
{
	struct radius_sess *r = p->radius;
	struct radius_facts *f = &j->f;

	snprintf(j->user, sizeof(j->user), "%s", p->user);
	snprintf(f->caller, sizeof(f->caller), "%s", p->caller);
	snprintf(f->called, sizeof(f->called), "%s", p->srv->name);
	memcpy(f->session_id, r->session_id, sizeof(f->session_id));
	f->status = status;
	f->nas_port = p->peer_id;
	f->framed_ip = p->remote;
	f->session_time = (uint32_t)((loop_now() - r->up_ms) / 1000);
	f->in_octets = p->pump.rx_bytes;
	f->in_pkts = p->pump.rx_pkts;
	f->out_octets = p->pump.tx_bytes;
	f->out_pkts = p->pump.tx_pkts;
	f->cause = radius_terminate_cause(r->ended);
	memcpy(f->class_, r->class_, r->class_len);
	f->class_len = r->class_len;
}

static void
count_answer(struct engine *e, const struct radius_job *j)
{
	struct counters *c;

	if (j->nsrv && (c = counters(j->srv[0].id)) && c->pending) {
		c->pending--;
		show(e, c);
	}
	for (int i = 0; i < j->nsrv; i++) {
		if (j->tries[i].outcome < 0 || !(c = counters(j->tries[i].id)))
			continue;
		c->requests++;
		c->accepts += j->tries[i].outcome == RADIUS_ACCEPT;
		c->rejects += j->tries[i].outcome == RADIUS_REJECT;
		c->timeouts += j->tries[i].outcome == RADIUS_DOWN;
		c->bad += j->tries[i].outcome == RADIUS_ERROR;
		if (j->tries[i].outcome == RADIUS_ACCEPT || j->tries[i].outcome == RADIUS_REJECT)
			c->rtt_ms = j->tries[i].rtt_ms;
		show(e, c);
	}
}

static struct engine *engine;

static void
done(struct radius_job *j)
{
	struct peer *p = j->owner;

	count_answer(engine, j);
	waiting -= j->kind != RADIUS_ACCT;
	if (j->kind == RADIUS_ACCT) {
		if (j->result != RADIUS_ACCEPT)
			log_msg(LOG_WARN, "radius,account", "accounting of %s (session %s) not "
				"taken: %s", j->user, j->f.session_id, j->why);
	} else if (p) {
		p->radius->pending = NULL;
		if (j->result == RADIUS_ACCEPT) {
			memcpy(p->radius->class_, j->grant.class_, j->grant.class_len);
			p->radius->class_len = j->grant.class_len;
		}
		peer_radius_answer(p, j->result, &j->grant, j->why);
	}
	memset(j, 0, sizeof(*j));
	free(j);
}

static struct radius_sess *
sess(struct peer *p)
{
	if (!p->radius && (p->radius = calloc(1, sizeof(*p->radius))))
		radius_session_id(++next_session ^ (uint32_t)time(NULL) << 12,
				  p->radius->session_id);
	return p->radius;
}

/* The server's user-auth-method is mschap2. */
static int
mschap2(struct engine *e, struct peer *p)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/interface/ovpn-server/server");
	struct cdb_item it = { 0 };
	struct cdb_err err;
	int yes = 0;

	if (m && !cdb_item_get(e->db, m, p->srv->id, &it, &err)) {
		yes = !strcmp(cdb_item_text(m, &it, "user-auth-method"), "mschap2");
		cdb_item_clear(&it);
	}
	return yes;
}

int
radius_login(struct engine *e, struct peer *p, const char *user, const char *pass, char *why,
	     size_t whylen)
{
	struct radius_job *j;
	char err[160];

	(void)user;
	if (radius_worker_start(done, e, err, sizeof(err))) {
		snprintf(why, whylen, "RADIUS unusable: %s", err);
		return -1;
	}
	engine = e;
	if (waiting >= WAITING_MAX) {
		snprintf(why, whylen, "%u logins already wait for RADIUS", waiting);
		return -1;
	}
	if (!sess(p) || !(j = job_new(e, mschap2(e, p) ? RADIUS_AUTH_MSCHAP2 : RADIUS_AUTH_PAP))) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (!j->nsrv) {
		free(j);
		snprintf(why, whylen, "use-radius=yes, and no /radius server for ppp is enabled");
		return -1;
	}
	facts(p, j, 0);
	snprintf(j->pass, sizeof(j->pass), "%s", pass ? pass : "");
	j->owner = p;
	p->radius->pending = j;
	waiting++;
	submit(e, j);
	return 0;
}

static void
acct_send(struct peer *p, int status)
{
	struct radius_job *j = job_new(eng_of(p), RADIUS_ACCT);

	if (!j)
		return;
	if (!j->nsrv) {
		free(j);
		return;
	}
	facts(p, j, status);
	submit(eng_of(p), j);
}

static void
interim(void *ctx)
{
	struct peer *p = ctx;

	if (!p->radius || !p->radius->accounting)
		return;
	acct_send(p, 3);
	loop_timer(eng_of(p)->loop, loop_now() + p->radius->interim_s * 1000ull, interim, p);
}

void
radius_acct_start(struct peer *p, uint32_t interim_s)
{
	struct radius_sess *r = p->radius;

	if (!r)
		return;
	r->up_ms = loop_now();
	if (!aaa_is(eng_of(p), "accounting"))
		return;
	r->accounting = 1;
	r->interim_s = interim_s ? interim_s : aaa_interim(eng_of(p));
	acct_send(p, 1);
	if (r->interim_s)
		loop_timer(eng_of(p)->loop, loop_now() + r->interim_s * 1000ull, interim, p);
}

void
radius_ended(struct peer *p, const char *reason)
{
	if (p->radius && !p->radius->ended[0])
		snprintf(p->radius->ended, sizeof(p->radius->ended), "%s", reason ? reason : "");
}

void
radius_acct_stop(struct peer *p)
{
	if (!p->radius || !p->radius->accounting)
		return;
	p->radius->accounting = 0;
	loop_timer(eng_of(p)->loop, 0, interim, p);
	acct_send(p, 2);
}

/* The peer goes: an answer still on its way finds no owner. */
void
radius_free_session(struct peer *p)
{
	if (!p->radius)
		return;
	radius_acct_stop(p);
	if (p->radius->pending)
		p->radius->pending->owner = NULL;
	free(p->radius);
	p->radius = NULL;
}

int
radius_peer_session(const struct peer *p, char out[9])
{
	if (!p->radius)
		return 0;
	memcpy(out, p->radius->session_id, 9);
	return 1;
}

/* The CoA and Disconnect port, and counters of servers that went away. */
void
radius_reconcile(struct engine *e)
{
	engine = e;
	radius_incoming_reconcile(e);
}

void
radius_shutdown(struct engine *e)
{
	radius_incoming_close(e);
	radius_worker_stop();
}
