/* login_radius.c: the login of a name /user lacks, asked of the /radius
 * servers for login when /user aaa use-radius=yes, as RouterOS does: PAP,
 * Service-Type Login, the group from the Access-Accept's Mikrotik-Group or
 * else /user aaa default-group. With accounting=yes the session is told to
 * the servers: Start once every check of the login passed, Stop at logout. The front end waits for the
 * answer (each API connection is a process of its own; REST waits too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "login.h"
#include "radius_client.h"

/* A RADIUS login's accounting, from Start to Stop. */
struct login_acct {
	char user[64], caller[64], session[9];
	time_t up;
	int started;			/* Start sent: Stop is due */
};

static int
aaa(struct sh *sh, const char *prop, char *out, size_t size)
{
	const struct cdb_menu *m = cdb_menu_find(sh->db->cat, "/user/aaa");
	struct cdb_item it = { 0 };
	struct cdb_err e;

	out[0] = '\0';
	if (!m || cdb_item_get(sh->db, m, 1, &it, &e))
		return -1;
	snprintf(out, size, "%s", cdb_item_text(m, &it, prop) ? cdb_item_text(m, &it, prop) : "");
	cdb_item_clear(&it);
	return 0;
}

static int
aaa_yes(struct sh *sh, const char *prop)
{
	char v[8];

	return !aaa(sh, prop, v, sizeof(v)) && !strcmp(v, "yes");
}

/* group is one of the comma-separated names of list */
static int
listed(const char *list, const char *group)
{
	size_t n = strlen(group);

	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strcspn(p, ",") == n && !strncmp(p, group, n))
			return 1;
	return 0;
}

static void
job_facts(struct sh *sh, struct radius_job *j, const struct login_acct *a)
{
	char skipped[200];

	j->login = 1;
	snprintf(j->user, sizeof(j->user), "%s", a->user);
	snprintf(j->f.caller, sizeof(j->f.caller), "%s", a->caller);
	snprintf(j->f.session_id, sizeof(j->f.session_id), "%s", a->session);
	radius_job_config(sh->db, "login", j, skipped, sizeof(skipped));
	snprintf(j->f.called, sizeof(j->f.called), "%.63s", j->nas_id);
}

static void
account(struct sh *sh, const struct login_acct *a, int status)
{
	struct radius_job j = { .kind = RADIUS_ACCT };
	char msg[300];

	job_facts(sh, &j, a);
	j.f.status = status;
	if (status == 2) {
		j.f.session_time = (uint32_t)(time(NULL) - a->up);
		j.f.cause = 1;	/* User-Request: the client logged out */
	}
	radius_send(&j);
	if (j.result != RADIUS_ACCEPT) {
		snprintf(msg, sizeof(msg), "accounting %s of login %s not delivered: %s",
			 status == 1 ? "start" : "stop", a->user, j.why);
		cdb_log_add(sh->db, "radius,warning", msg, NULL);
	}
}

int
sh_login_radius(struct sh *sh, const char *name, const char *password, const char *addr,
		char *group, size_t grouplen, char *why, size_t whylen)
{
	struct radius_job j = { .kind = RADIUS_AUTH_PAP };
	struct login_acct a = { .up = time(NULL) };
	char excluded[512];

	if (!password || !*password || !aaa_yes(sh, "use-radius"))
		return 1;
	snprintf(a.user, sizeof(a.user), "%s", name);
	snprintf(a.caller, sizeof(a.caller), "%s", *addr ? addr : "local");
	radius_session_id((uint32_t)getpid() ^ (uint32_t)a.up, a.session);
	job_facts(sh, &j, &a);
	snprintf(j.pass, sizeof(j.pass), "%s", password);
	radius_send(&j);
	if (j.result != RADIUS_ACCEPT) {
		snprintf(why, whylen, "RADIUS: %s", j.why);
		return -1;
	}
	if (*j.grant.group)
		snprintf(group, grouplen, "%s", j.grant.group);
	else
		aaa(sh, "default-group", group, grouplen);
	if (!aaa(sh, "exclude-groups", excluded, sizeof(excluded)) && listed(excluded, group)) {
		snprintf(why, whylen, "RADIUS gave group %s, which /user aaa exclude-groups names",
			 group);
		return -1;
	}
	if (aaa_yes(sh, "accounting") && (sh->radius = malloc(sizeof(a))))
		*sh->radius = a;
	return 0;
}

void
sh_login_radius_start(struct sh *sh)
{
	if (!sh->radius || sh->radius->started)
		return;
	account(sh, sh->radius, 1);
	sh->radius->started = 1;
}

void
sh_logout_radius(struct sh *sh)
{
	if (!sh->radius)
		return;
	if (sh->radius->started)
		account(sh, sh->radius, 2);
	free(sh->radius);
	sh->radius = NULL;
}
