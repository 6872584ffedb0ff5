/* login.c: logging a session in, for every front end (login.h): the one
 * place that checks who may come in, from where and by which service. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "login.h"

#define FAIL_WINDOW 60		/* seconds over which failures from one address count */
#define FAIL_FREE   3		/* failures answered at once; later ones wait */
#define FAIL_MAX_MS 8000

/* The policy word a service needs. */
static const char *
service_word(const char *via)
{
	if (!strcmp(via, "console"))
		return "local";
	if (!strncmp(via, "api", 3))
		return "api";
	if (!strncmp(via, "www", 3))
		return "rest-api";
	return via;		/* ssh */
}

/* addr (text, "::ffff:a.b.c.d" as IPv4) inside the prefix "net/len"? */
static int
in_prefix(const char *addr, const char *pfx, size_t plen)
{
	unsigned char a[16], n[16];
	char net[64];
	int fam, len, bits;
	const char *slash;

	if (plen >= sizeof(net))
		return 0;
	memcpy(net, pfx, plen);
	net[plen] = '\0';
	if (!strncmp(addr, "::ffff:", 7) && strchr(addr, '.'))
		addr += 7;
	fam = strchr(net, ':') ? AF_INET6 : AF_INET;
	bits = fam == AF_INET ? 32 : 128;
	len = (slash = strchr(net, '/')) ? atoi(slash + 1) : bits;
	if (slash)
		net[slash - net] = '\0';
	if (len < 0 || len > bits || inet_pton(fam, net, n) != 1 || inet_pton(fam, addr, a) != 1)
		return 0;
	for (int i = 0; i < len; i++)
		if (((a[i / 8] ^ n[i / 8]) >> (7 - i % 8)) & 1)
			return 0;
	return 1;
}

int
sh_address_allowed(const char *list, const char *addr)
{
	if (!list || !*list || !*addr)	/* no list, or on the box itself */
		return 1;
	while (*list) {
		size_t n = strcspn(list, ",");

		if (in_prefix(addr, list, n))
			return 1;
		list += n + (list[n] == ',');
	}
	return 0;
}

/* A failed login: logged with its reason, counted against the address; the
 * client hears only that the name or password was wrong. */
static int
refuse(struct sh *sh, const char *name, const char *addr, const char *via, const char *why,
       int *delay_ms)
{
	char msg[400];
	int n = cdb_login_failed(sh->db, *addr ? addr : "local", FAIL_WINDOW);

	snprintf(msg, sizeof(msg), "login failure for user %s from %s via %s (%s)", name,
		 *addr ? addr : "the box", via, why);
	cdb_log_add(sh->db, "system,error,critical", msg, NULL);
	if (delay_ms)
		*delay_ms = n <= FAIL_FREE ? 0 : n - FAIL_FREE >= 6 ? FAIL_MAX_MS :
			    250 << (n - FAIL_FREE - 1);
	sh->err_placed = 1;
	if (!strcmp(via, "console"))	/* the box's own admin may know why */
		snprintf(sh->err, sizeof(sh->err), "login failure for user %s: %s", name, why);
	else
		snprintf(sh->err, sizeof(sh->err), "invalid user name or password (6)");
	return -1;
}

static const char *
text(const struct cdb_menu *m, const struct cdb_item *it, const char *name)
{
	const char *v = cdb_item_text(m, it, name);

	return v ? v : "";
}

/* The policy bits of the group named group; -1 when there is none. */
static int
group_bits(struct sh *sh, const char *group, unsigned *bits)
{
	const struct cdb_menu *gm = cdb_menu_find(sh->db->cat, "/user/group");
	struct cdb_item g = { 0 };
	struct cdb_err e;
	long long gid = gm ? cdb_item_by_key(sh->db, gm, group) : 0;

	if (gid <= 0 || cdb_item_get(sh->db, gm, gid, &g, &e))
		return -1;
	*bits = cdb_policy_bits(text(gm, &g, "policy"));
	cdb_item_clear(&g);
	return 0;
}

/* The user's item and its group's policy bits; -1 when there is no such
 * user or group. */
static int
find_user(struct sh *sh, const char *name, struct cdb_item *u, unsigned *bits)
{
	const struct cdb_menu *um = cdb_menu_find(sh->db->cat, "/user");
	struct cdb_err e;
	long long id;

	if (!um || (id = cdb_item_by_key(sh->db, um, name)) <= 0 ||
	    cdb_item_get(sh->db, um, id, u, &e))
		return -1;
	return group_bits(sh, text(um, u, "group"), bits);
}

/* A name /user lacks: RADIUS may know it (login_radius.c). NULL when it
 * let the name in, with its group's bits; else why not. */
static const char *
from_radius(struct sh *sh, const char *name, const char *password, const char *addr,
	    char *group, size_t grouplen, unsigned *bits)
{
	static char why[200];
	int rc = sh_login_radius(sh, name, password, addr, group, grouplen, why, sizeof(why));

	if (rc == 1)
		return "no such user";
	if (rc == 0 && group_bits(sh, group, bits)) {
		sh_logout_radius(sh);
		snprintf(why, sizeof(why), "RADIUS gave group %s, which /user group lacks", group);
		rc = -1;
	}
	return rc ? why : NULL;
}

/* Sessions worth a line in /log and last-logged-in: remote ones and a
 * person at the console; not each `rosh -c` a script or the scheduler
 * runs, nor each REST request whose password REST's cache already vouched
 * for (password NULL). REST has no sessions, so no /user active row. */
static int
recorded(const struct sh *sh, const char *via, const char *password)
{
	if (!strncmp(via, "www", 3))
		return password != NULL;
	return strcmp(via, "console") || sh->interactive;
}

int
sh_login(struct sh *sh, const char *name, const char *password, const char *addr,
	 const char *via, int *delay_ms)
{
	const struct cdb_menu *um = cdb_menu_find(sh->db->cat, "/user");
	struct cdb_item u = { 0 };
	const char *word = service_word(via), *why = NULL;
	unsigned bits = 0;
	char msg[300], group[64] = "";
	int local = 1;

	if (delay_ms)
		*delay_ms = 0;
	if (!addr)
		addr = "";
	if (find_user(sh, name, &u, &bits)) {
		local = 0;
		why = from_radius(sh, name, password, addr, group, sizeof(group), &bits);
	} else if (password && !cdb_password_check(text(um, &u, "password"), password))
		why = "wrong password";
	else if (!strcmp(text(um, &u, "disabled"), "yes"))
		why = "user disabled";
	else if (!sh_address_allowed(text(um, &u, "address"), addr))
		why = "address not allowed";
	if (!why && (cdb_policy_bit(word, strlen(word)) < 0 ||
		     !(bits >> cdb_policy_bit(word, strlen(word)) & 1)))
		why = "group may not log in by this service";
	if (why) {
		sh_logout_radius(sh);
		cdb_item_clear(&u);
		return refuse(sh, name, addr, via, why, delay_ms);
	}
	sh_login_radius_start(sh);
	free(sh->login_name);
	sh->user = sh->login_name = strdup(name);
	sh->no_password = local && !*text(um, &u, "password");
	cdb_set_policy(sh->db, bits);
	if (recorded(sh, via, password)) {
		if (strncmp(via, "www", 3))
			sh->active_id = cdb_active_add(sh->db, name, addr, via,
						       local ? text(um, &u, "group") : group);
		if (local)
			cdb_user_seen(sh->db, u.id);
		snprintf(msg, sizeof(msg), "user %s logged in from %s via %s%s", name,
			 *addr ? addr : "the box", via, local ? "" : " (RADIUS)");
		cdb_log_add(sh->db, "system,info,account", msg, NULL);
	}
	cdb_item_clear(&u);
	return 0;
}

void
sh_logout(struct sh *sh)
{
	sh_logout_radius(sh);
	if (sh->active_id > 0)
		cdb_active_remove(sh->db, sh->active_id);
	sh->active_id = 0;
	if (sh->user == sh->login_name)
		sh->user = NULL;
	free(sh->login_name);
	sh->login_name = NULL;
}

int
sh_may(struct sh *sh, const char *word)
{
	return cdb_may(sh->db, word);
}
