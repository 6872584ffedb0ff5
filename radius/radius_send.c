/* radius_send.c: one request sent with radcli (roshd runs it in its worker
 * thread, the console at a login):
 * the servers in their /radius order, each with its own secret, source
 * address and timeout, until one answers. radcli builds, signs, sends and
 * checks the packets (RFC 2865/2866); this file chooses what goes in and
 * reads what came back. Nothing here touches the database. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <radcli/radcli.h>

#include "radius_client.h"

#define MS 311
#define MIKROTIK 14988

/* Only what we send or read: radcli wants names and types for each. */
static const char dictionary[] =
	"ATTRIBUTE User-Name 1 string\n"
	"ATTRIBUTE Password 2 string\n"
	"ATTRIBUTE NAS-IP-Address 4 ipv4addr\n"
	"ATTRIBUTE NAS-Port 5 integer\n"
	"ATTRIBUTE Service-Type 6 integer\n"
	"ATTRIBUTE Framed-Protocol 7 integer\n"
	"ATTRIBUTE Framed-IP-Address 8 ipv4addr\n"
	"ATTRIBUTE Reply-Message 18 string\n"
	"ATTRIBUTE Framed-Route 22 string\n"
	"ATTRIBUTE Class 25 string\n"
	"ATTRIBUTE Session-Timeout 27 integer\n"
	"ATTRIBUTE Idle-Timeout 28 integer\n"
	"ATTRIBUTE Called-Station-Id 30 string\n"
	"ATTRIBUTE Calling-Station-Id 31 string\n"
	"ATTRIBUTE NAS-Identifier 32 string\n"
	"ATTRIBUTE Acct-Status-Type 40 integer\n"
	"ATTRIBUTE Acct-Delay-Time 41 integer\n"
	"ATTRIBUTE Acct-Input-Octets 42 integer\n"
	"ATTRIBUTE Acct-Output-Octets 43 integer\n"
	"ATTRIBUTE Acct-Session-Id 44 string\n"
	"ATTRIBUTE Acct-Authentic 45 integer\n"
	"ATTRIBUTE Acct-Session-Time 46 integer\n"
	"ATTRIBUTE Acct-Input-Packets 47 integer\n"
	"ATTRIBUTE Acct-Output-Packets 48 integer\n"
	"ATTRIBUTE Acct-Terminate-Cause 49 integer\n"
	"ATTRIBUTE Acct-Input-Gigawords 52 integer\n"
	"ATTRIBUTE Acct-Output-Gigawords 53 integer\n"
	"ATTRIBUTE Event-Timestamp 55 date\n"
	"ATTRIBUTE NAS-Port-Type 61 integer\n"
	"ATTRIBUTE Acct-Interim-Interval 85 integer\n"
	"ATTRIBUTE Framed-Pool 88 string\n"
	"VENDOR Microsoft 311\n"
	"ATTRIBUTE MS-CHAP-Error 2 string Microsoft\n"
	"ATTRIBUTE MS-CHAP-Challenge 11 string Microsoft\n"
	"ATTRIBUTE MS-CHAP2-Response 25 string Microsoft\n"
	"ATTRIBUTE MS-CHAP2-Success 26 string Microsoft\n"
	"VENDOR Mikrotik 14988\n"
	"ATTRIBUTE Mikrotik-Group 3 string Mikrotik\n"
	"ATTRIBUTE Mikrotik-Rate-Limit 8 string Mikrotik\n";

/* A radcli handle that knows one server and nothing else. */
static rc_handle *
handle(const struct radius_server *s, const char *nas_id, char *why, size_t whylen)
{
	char auth[320], acct[320], tmo[16];
	rc_handle *rh = rc_new();

	if (!rh || !rc_config_init(rh)) {
		snprintf(why, whylen, "radcli: out of memory");
		return NULL;
	}
	snprintf(auth, sizeof(auth), "%s:%d:%s", s->address, s->auth_port, s->secret);
	snprintf(acct, sizeof(acct), "%s:%d:%s", s->address, s->acct_port, s->secret);
	snprintf(tmo, sizeof(tmo), "%d", s->timeout_s);
	if (rc_add_config(rh, "authserver", auth, "roshd", 0) ||
	    rc_add_config(rh, "acctserver", acct, "roshd", 0) ||
	    rc_add_config(rh, "radius_timeout", tmo, "roshd", 0) ||
	    rc_add_config(rh, "radius_retries", "0", "roshd", 0) ||
	    rc_add_config(rh, "radius_deadtime", "0", "roshd", 0) ||
	    rc_add_config(rh, "bindaddr", strcmp(s->src, "0.0.0.0") ? s->src : "*", "roshd", 0) ||
	    (nas_id[0] && rc_add_config(rh, "nas-identifier", nas_id, "roshd", 0)) ||
	    rc_apply_config(rh) ||
	    rc_read_dictionary_from_buffer(rh, dictionary, sizeof(dictionary) - 1)) {
		snprintf(why, whylen, "radcli does not take the settings of %s", s->address);
		rc_destroy(rh);
		return NULL;
	}
	return rh;
}

static int
add(rc_handle *rh, VALUE_PAIR **l, int attr, const void *v, int len, int vendor)
{
	return rc_avpair_add(rh, l, attr, v, len, vendor) ? 0 : -1;
}

static int
add_int(rc_handle *rh, VALUE_PAIR **l, int attr, uint32_t v)
{
	return add(rh, l, attr, &v, 0, 0);
}

/* What every request says of the session: a tunnel is Service-Type
 * Framed over PPP framing, a login to the router Login (RFC 2865 5.6). */
static int
common(rc_handle *rh, VALUE_PAIR **l, const struct radius_job *j)
{
	const struct radius_facts *f = &j->f;

	return add(rh, l, 1, j->user, -1, 0) || add(rh, l, 31, f->caller, -1, 0) ||
	       add(rh, l, 30, f->called, -1, 0) || add(rh, l, 44, f->session_id, -1, 0) ||
	       add_int(rh, l, 5, f->nas_port) || add_int(rh, l, 61, 5) ||
	       add_int(rh, l, 6, j->login ? 1 : 2) || (!j->login && add_int(rh, l, 7, 1));
}

/* What MS-CHAPv2 needs to check the server's MS-CHAP2-Success. */
struct chap {
	uint8_t auth[16], peer[16], nt[24];
};

static int
auth_attrs(rc_handle *rh, VALUE_PAIR **l, struct radius_job *j, struct chap *c)
{
	uint8_t resp[50] = { 0 };

	if (j->kind == RADIUS_AUTH_PAP)
		return add(rh, l, 2, j->pass, -1, 0);
	if (getrandom(c->auth, 16, 0) != 16 || getrandom(c->peer, 16, 0) != 16 ||
	    mschap2_nt_response(c->auth, c->peer, j->user, j->pass, c->nt))
		return -1;
	resp[0] = 1;	/* ident: one exchange per request */
	memcpy(resp + 2, c->peer, 16);
	memcpy(resp + 26, c->nt, 24);
	return add(rh, l, 11, c->auth, 16, MS) || add(rh, l, 25, resp, 50, MS);
}

static int
acct_attrs(rc_handle *rh, VALUE_PAIR **l, const struct radius_job *j)
{
	const struct radius_facts *f = &j->f;
	int r = add_int(rh, l, 40, (uint32_t)f->status) || add_int(rh, l, 45, 1) ||
		add_int(rh, l, 55, (uint32_t)time(NULL));

	if (f->framed_ip)
		r = r || add_int(rh, l, 8, f->framed_ip);
	if (f->class_len)
		r = r || add(rh, l, 25, f->class_, (int)f->class_len, 0);
	if (f->status == 1)
		return r;
	r = r || add_int(rh, l, 46, f->session_time) ||
	    add_int(rh, l, 42, (uint32_t)f->in_octets) ||
	    add_int(rh, l, 52, (uint32_t)(f->in_octets >> 32)) ||
	    add_int(rh, l, 43, (uint32_t)f->out_octets) ||
	    add_int(rh, l, 53, (uint32_t)(f->out_octets >> 32)) ||
	    add_int(rh, l, 47, (uint32_t)f->in_pkts) || add_int(rh, l, 48, (uint32_t)f->out_pkts);
	if (f->status == 2)
		r = r || add_int(rh, l, 49, (uint32_t)f->cause);
	return r;
}

static void
text(VALUE_PAIR *vp, char *out, size_t size)
{
	char *raw;
	unsigned n;

	if (!vp || rc_avpair_get_raw(vp, &raw, &n))
		return;
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), raw);
}

/* An MS-CHAP2-Success must prove the server knew the password too. */
static int
chap_success_ok(VALUE_PAIR *vp, const struct radius_job *j, const struct chap *c)
{
	char want[43], *raw;
	unsigned n;

	if (rc_avpair_get_raw(vp, &raw, &n) || n < 43 ||
	    mschap2_authenticator(j->pass, c->nt, c->peer, c->auth, j->user, want))
		return 0;
	return !memcmp(raw + 1, want, 42);
}

/* The Access-Accept's attributes into the grant (radius_wire.c reads each);
 * -1 when its MS-CHAP2-Success does not prove the password. */
static int
grant(VALUE_PAIR *recv, struct radius_job *j, const struct chap *c)
{
	int chap_ok = j->kind != RADIUS_AUTH_MSCHAP2;

	for (VALUE_PAIR *vp = recv; vp; vp = rc_avpair_next(vp)) {
		unsigned type, id, n = 0;
		uint32_t v = 0;
		char *raw = NULL;

		rc_avpair_get_attr(vp, &type, &id);
		if (type == PW_TYPE_STRING)
			rc_avpair_get_raw(vp, &raw, &n);
		else
			rc_avpair_get_uint32(vp, &v);
		if (id == ((MS << 16) | 26))
			chap_ok = chap_success_ok(vp, j, c);
		else if (radius_grant_attr(&j->grant, id, (const uint8_t *)raw, n, v))
			snprintf(j->why, sizeof(j->why), "attribute %u:%u not understood: skipped",
				 id >> 16, id & 0xffff);
	}
	return chap_ok ? 0 : -1;
}

static unsigned
since_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* One server: its radcli answer code, or ERROR_RC with why set. */
static int
one(struct radius_job *j, const struct radius_server *s, VALUE_PAIR **recv)
{
	char msg[PW_MAX_MSG_SIZE] = "";
	VALUE_PAIR *send = NULL;
	struct chap c;
	rc_handle *rh = handle(s, j->nas_id, j->why, sizeof(j->why));
	int rc = ERROR_RC;

	if (!rh)
		return ERROR_RC;
	if (common(rh, &send, j) ||
	    (j->kind == RADIUS_ACCT ? acct_attrs(rh, &send, j) : auth_attrs(rh, &send, j, &c)))
		snprintf(j->why, sizeof(j->why), "the request could not be built");
	else if (j->kind == RADIUS_ACCT)
		rc = rc_acct(rh, j->f.nas_port, send);
	else if ((rc = rc_auth(rh, j->f.nas_port, send, recv, msg)) == REJECT_RC)
		text(rc_avpair_get(*recv, 18, 0), j->grant.reply, sizeof(j->grant.reply));
	else if (rc == OK_RC && grant(*recv, j, &c)) {
		snprintf(j->why, sizeof(j->why), "MS-CHAP2-Success from %s does not prove the password",
			 s->address);
		rc = BADRESP_RC;
	}
	rc_avpair_free(send);
	rc_destroy(rh);
	memset(&c, 0, sizeof(c));
	return rc;
}

void
radius_send(struct radius_job *j)
{
	j->result = RADIUS_DOWN;
	for (int i = 0; i < j->nsrv; i++)
		j->tries[i] = (struct radius_try){ j->srv[i].id, -1, 0 };
	for (int i = 0; i < j->nsrv; i++) {
		VALUE_PAIR *recv = NULL;
		struct timespec t0;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		j->why[0] = '\0';
		memset(&j->grant, 0, sizeof(j->grant));
		rc = one(j, &j->srv[i], &recv);
		rc_avpair_free(recv);
		j->tries[i].rtt_ms = since_ms(&t0);
		j->tries[i].outcome = rc == OK_RC ? RADIUS_ACCEPT : rc == REJECT_RC ? RADIUS_REJECT :
				      rc == TIMEOUT_RC ? RADIUS_DOWN : RADIUS_ERROR;
		if (rc == OK_RC || rc == REJECT_RC) {
			j->result = j->tries[i].outcome;
			if (rc == REJECT_RC)
				snprintf(j->why, sizeof(j->why), "rejected by %s", j->srv[i].address);
			break;
		}
	}
	if (j->result == RADIUS_DOWN)
		snprintf(j->why, sizeof(j->why), "%s", j->nsrv ? "no RADIUS server answered" :
			 j->login ? "no RADIUS server for login in /radius" :
				    "no RADIUS server for ppp in /radius");
	memset(j->pass, 0, sizeof(j->pass));
}
