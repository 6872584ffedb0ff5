/* ssh_login.c: SSH into the console the way git servers do it. One system
 * account runs every session; the key a client proved decides which Rosh
 * user it is, through the forced command each key line carries. Nothing
 * else is allowed: restrict takes away forwarding, agent, X11 and the
 * user's rc file, and pty alone is given back for an interactive console. */
#include <limits.h>
#include <signal.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "login.h"
#include "ssh_login.h"
#include "sshkey.h"

/* Words that go into the forced command inside single quotes, inside the
 * option's double quotes: nothing that could end either. */
static int
quotable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == '\'' || *s == '"' || *s == '\\' || *s == 0x7f)
			return 0;
	return 1;
}

/* Whether keys may be offered for this login: the service account, or an
 * alias of it (same uid) that roshd made for a Rosh user. */
static int
login_allowed(const char *login, int *all)
{
	struct passwd *svc = getpwnam(SSH_ACCOUNT), *pw;
	uid_t uid;

	if (!svc)
		return 0;
	uid = svc->pw_uid;
	*all = !strcmp(login, SSH_ACCOUNT);
	if (*all)
		return 1;
	pw = getpwnam(login);
	return pw && pw->pw_uid == uid;
}

static void
key_line(struct sh *sh, const char *self, const char *user, const char *text)
{
	struct sshkey_info k;
	char err[256];

	if (!quotable(user)) {
		fprintf(stderr, "rosh: user %s can not log in by SSH: its name holds quotes or "
			"backslashes\n", user);
		return;
	}
	if (sshkey_parse(text, &k, err, sizeof(err))) {
		fprintf(stderr, "rosh: a key of user %s is skipped: %s\n", user, err);
		return;
	}
	printf("command=\"'%s' --db '%s' --socket '%s' --user '%s'\",restrict,pty %s %s\n",
	       self, sh->db->path, sh->sockpath, user, k.type, k.blob64);
	sshkey_clear(&k);
}

int
sh_ssh_keys(struct sh *sh, const char *login)
{
	const struct cdb_menu *m = cdb_menu_find(sh->db->cat, "/user/ssh-keys");
	char self[PATH_MAX];
	struct cdb_item_list l;
	struct cdb_err e;
	ssize_t n;
	int all;

	if (!login_allowed(login, &all))
		return 0;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
		perror("rosh: /proc/self/exe");
		return 1;
	}
	self[n] = '\0';
	if (!quotable(self) || !quotable(sh->db->path) || !quotable(sh->sockpath)) {
		fprintf(stderr, "rosh: paths with quotes or backslashes can not go into a key line\n");
		return 1;
	}
	if (!m || cdb_item_list(sh->db, m, &l, &e)) {
		fprintf(stderr, "rosh: %s\n", m ? e.msg : "no /user ssh-keys menu");
		return 1;
	}
	for (int i = 0; i < l.n; i++) {
		const char *user = cdb_item_text(m, &l.items[i], "user");
		const char *key = cdb_item_text(m, &l.items[i], "key");

		if (user && key && (all || !strcmp(user, login)))
			key_line(sh, self, user, key);
	}
	cdb_item_list_free(&l);
	return 0;
}

/* The service's max-sessions: SSH sessions of anyone in /user active,
 * this one included, whose process still runs. */
static int
too_many(struct sh *sh, long long *max)
{
	const struct cdb_menu *sm = cdb_menu_find(sh->db->cat, "/ip/service");
	const struct cdb_menu *am = cdb_menu_find(sh->db->cat, "/user/active");
	long long id = sm ? cdb_item_by_key(sh->db, sm, "ssh") : 0, n = 0;
	struct cdb_item it = { 0 };
	struct cdb_item_list l;
	struct cdb_err e;

	*max = 0;
	if (id <= 0 || cdb_item_get(sh->db, sm, id, &it, &e))
		return 0;
	*max = atoll(cdb_item_text(sm, &it, "max-sessions") ? cdb_item_text(sm, &it, "max-sessions")
							    : "0");
	cdb_item_clear(&it);
	if (!am || *max <= 0 || cdb_item_list(sh->db, am, &l, &e))
		return 0;
	for (int i = 0; i < l.n; i++) {
		const char *via = cdb_item_text(am, &l.items[i], "via");
		const char *pid = cdb_item_text(am, &l.items[i], "pid");

		n += via && !strcmp(via, "ssh") && pid && (atol(pid) == (long)getpid() ||
							  !kill((pid_t)atol(pid), 0));
	}
	cdb_item_list_free(&l);
	return n > *max;
}

int
sh_ssh_login(struct sh *sh, const char *name, const char **cmd)
{
	const char *conn = getenv("SSH_CONNECTION");
	char addr[64] = "", *session;
	struct passwd *pw;
	long long max;
	int delay = 0;

	/* only sshd's forced command (or root) may say who proved what, and from where */
	if (geteuid() != 0 && (!(pw = getpwnam(SSH_ACCOUNT)) || pw->pw_uid != geteuid())) {
		fprintf(stderr, "rosh: --user is for roshd's sshd: it runs as %s or root\n",
			SSH_ACCOUNT);
		return 1;
	}
	if (conn)
		snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(conn, " "), conn);
	if (sh_login(sh, name, NULL, addr, "ssh", &delay)) {
		if (delay > 0)
			usleep((useconds_t)delay * 1000);
		fprintf(stderr, "%s\n", sh->err);
		return 1;
	}
	if (too_many(sh, &max)) {
		fprintf(stderr, "failure: too many SSH sessions (max-sessions=%lld)\n", max);
		sh_logout(sh);
		return 1;
	}
	if (asprintf(&session, "%s[%ld]", name, (long)getpid()) >= 0) {
		free(sh->db->session);
		sh->db->session = session;
	}
	/* the service account's home is not the user's: no history file there */
	setenv("ROSH_HISTORY", "/dev/null", 1);
	if (getenv("SSH_ORIGINAL_COMMAND"))
		*cmd = getenv("SSH_ORIGINAL_COMMAND");
	return 0;
}
