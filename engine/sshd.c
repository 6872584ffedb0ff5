/* sshd.c: SSH into the console through OpenSSH, the way git servers do it.
 * roshd runs an sshd of its own (its own config, port and PID file; the
 * system's sshd is never touched). Every login runs as one system account,
 * rosh; sshd asks `rosh --authorized-keys LOGIN` which keys it may accept,
 * and each key line forces `rosh --user NAME`, so the key decides the Rosh
 * user. Each Rosh user with a key also gets a login name of its own: an
 * alias of the account (same uid), so `ssh admin@router` works.
 *
 * Where things live: host keys beside the database (DBDIR/ssh, kept across
 * restarts); the config, the PID file and a copy of rosh in
 * /run/rosh/ssh-HASH (one per database). sshd runs its AuthorizedKeysCommand
 * only from a root-owned file in folders nobody else may write, which a
 * build tree or the database's folder (shared with the account) is not. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <shadow.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "services.h"

#define ACCOUNT "rosh"
#define ALIAS_GECOS "Rosh SSH login"
#define RUN_BASE "/run/rosh"

int
run_wait(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		child_reset(2, -1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The service account: made on first use (a system account, unlocked
 * without a password, as sshd without PAM needs). */
static struct passwd *
account(char *why, size_t whylen)
{
	struct passwd *pw = getpwnam(ACCOUNT);
	struct spwd *sp;

	if (!pw) {
		char *add[] = { "/usr/sbin/useradd", "-r", "-U", "-M", "-d", "/", "-s", "/bin/sh",
				"-c", "Rosh SSH console", ACCOUNT, NULL };

		log_msg(LOG_INFO, "system", "ssh: making the service account %s", ACCOUNT);
		if (run_wait(add) || !(pw = getpwnam(ACCOUNT))) {
			snprintf(why, whylen, "can not make the service account %s (useradd)", ACCOUNT);
			return NULL;
		}
	}
	if ((sp = getspnam(ACCOUNT)) && sp->sp_pwdp && sp->sp_pwdp[0] == '!') {
		char *unlock[] = { "/usr/sbin/usermod", "-p", "*", ACCOUNT, NULL };

		if (run_wait(unlock))
			log_msg(LOG_WARN, "system", "ssh: can not unlock %s: sshd will refuse it",
				ACCOUNT);
	}
	return getpwnam(ACCOUNT);
}

static void
share_dir(const char *dir, gid_t gid)
{
	struct stat st;

	if (stat(dir, &st) || (st.st_gid == gid && (st.st_mode & 02070) == 02070))
		return;
	if (chown(dir, (uid_t)-1, gid) || chmod(dir, (st.st_mode & 07777) | 02070))
		log_msg(LOG_WARN, "system", "ssh: can not share %s with group %s: %s", dir,
			ACCOUNT, strerror(errno));
}

/* The folder of the database, shared with the account's group: the forced
 * console opens it as that account. SQLite gives its -wal and -shm files
 * the database's own mode and owner. */
static void
share_db(struct engine *e, gid_t gid)
{
	char buf[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 8];
	const char *sfx[] = { "", "-wal", "-shm" };
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", e->db->path);
	snprintf(dir, sizeof(dir), "%s", dirname(buf));
	share_dir(dir, gid);
	/* /file: imports and exports of an SSH session */
	snprintf(path, sizeof(path), "%s/files", dir);
	share_dir(path, gid);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", e->db->path, sfx[i]);
		if (!stat(path, &st) && (st.st_gid != gid || (st.st_mode & 060) != 060) &&
		    (chown(path, (uid_t)-1, gid) || chmod(path, (st.st_mode & 0777) | 060)))
			log_msg(LOG_WARN, "system", "ssh: can not share %s: %s", path, strerror(errno));
	}
	/* the console tells the engine of its commits here (else: within a second) */
	if (!stat(e->sockpath, &st) && (chown(e->sockpath, (uid_t)-1, gid) ||
					chmod(e->sockpath, (st.st_mode & 0777) | 060)))
		log_msg(LOG_DEBUG, "system", "ssh: socket %s not shared: %s", e->sockpath,
			strerror(errno));
}

/* A folder of root's that no one else may write, as sshd demands. */
static int
root_dir(const char *path, mode_t mode, char *why, size_t whylen)
{
	struct stat st;

	if (mkdir(path, mode) && errno != EEXIST) {
		snprintf(why, whylen, "can not make %s: %s", path, strerror(errno));
		return -1;
	}
	if (stat(path, &st) || st.st_uid != 0 || (st.st_mode & 022)) {
		if (chown(path, 0, 0) || chmod(path, mode)) {
			snprintf(why, whylen, "%s must be root's and not writable by others", path);
			return -1;
		}
	}
	return 0;
}

/* rosh copied where sshd accepts it: again whenever the original changed. */
static int
copy_rosh(const char *to, char *why, size_t whylen)
{
	const char *from = scheduler_rosh();
	struct stat a, b;
	char tmp[PATH_MAX + 16], buf[65536];
	int in, out = -1, rc = -1;
	ssize_t n;

	if (stat(from, &a)) {
		snprintf(why, whylen, "can not find the console %s: %s", from, strerror(errno));
		return -1;
	}
	if (!stat(to, &b) && a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
	    a.st_mtim.tv_nsec == b.st_mtim.tv_nsec)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.new", to);
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) >= 0)
		out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (out >= 0 && n == 0) {
		struct timespec t[2] = { a.st_atim, a.st_mtim };

		rc = futimens(out, t) || fchmod(out, 0755) || close(out) ? -1 : rename(tmp, to);
		out = -1;
	}
	if (rc)
		snprintf(why, whylen, "can not copy %s to %s: %s", from, to, strerror(errno));
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	return rc;
}

static int
host_keys(const char *dir, char *why, size_t whylen)
{
	static const char *const types[] = { "ed25519", "ecdsa", NULL };
	char path[PATH_MAX + 32];

	for (int i = 0; types[i]; i++) {
		char *gen[] = { "/usr/bin/ssh-keygen", "-q", "-t", (char *)types[i], "-N", "",
				"-C", "rosh", "-f", path, NULL };

		snprintf(path, sizeof(path), "%s/ssh_host_%s_key", dir, types[i]);
		if (!access(path, R_OK))
			continue;
		log_msg(LOG_INFO, "system", "ssh: making host key %s", path);
		if (run_wait(gen)) {
			snprintf(why, whylen, "ssh-keygen could not make %s", path);
			return -1;
		}
	}
	return 0;
}

/* Paths go into sshd's config and a shell command unquoted. */
static int
plain_path(const char *p)
{
	return !p[strcspn(p, " \t\r\n\"'\\%")];
}

static char *
config_text(struct engine *e, const struct cdb_menu *m, const struct cdb_item *it,
	    const char *keys, const char *run, const char *group)
{
	const char *port = cdb_item_text(m, it, "port"), *addr = cdb_item_text(m, it, "address");
	char *t = NULL, allow[2048] = "";

	/* the service's address list: who may connect, as sshd's user@host */
	for (const char *p = addr; p && *p;) {
		size_t n = strcspn(p, ",");

		if (strlen(allow) + n + 16 < sizeof(allow))
			snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), " *@%.*s",
				 (int)n, p);
		p += n + (p[n] == ',');
	}
	if (asprintf(&t, "# Written by roshd for /ip service ssh; rewritten at every change.\n"
		     "Port %s\nHostKey %s/ssh_host_ed25519_key\nHostKey %s/ssh_host_ecdsa_key\n"
		     "PidFile %s/sshd.pid\nAuthorizedKeysFile none\n"
		     "AuthorizedKeysCommand %s/rosh --db %s --socket %s --authorized-keys %%u\n"
		     "AuthorizedKeysCommandUser %s\nAllowGroups %s\n%s%s%s"
		     "PubkeyAuthentication yes\nPasswordAuthentication no\n"
		     "KbdInteractiveAuthentication no\nHostbasedAuthentication no\n"
		     "PermitRootLogin no\nUsePAM no\nAllowTcpForwarding no\n"
		     "AllowStreamLocalForwarding no\nAllowAgentForwarding no\nX11Forwarding no\n"
		     "PermitTunnel no\nGatewayPorts no\nPermitTTY yes\nPermitUserRC no\n"
		     "PermitUserEnvironment no\nPrintMotd no\nPrintLastLog no\n",
		     port, keys, keys, run, run, e->db->path, e->sockpath, ACCOUNT, group,
		     *allow ? "AllowUsers" : "", allow, *allow ? "\n" : "") < 0)
		return NULL;
	return t;
}

/* Write the config only when it changed (its text is the fingerprint). */
static int
write_config(const char *path, const char *text, char *why, size_t whylen)
{
	char tmp[PATH_MAX + 8], old[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(old, 1, sizeof(old) - 1, f) : 0;

	if (f)
		fclose(f);
	old[n] = '\0';
	if (f && !strcmp(old, text))
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if (!(f = fopen(tmp, "w")) || fputs(text, f) < 0 || fclose(f) || rename(tmp, path)) {
		snprintf(why, whylen, "can not write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* /run/rosh/ssh-HASH: a name per database, FNV-1a of its path. */
static void
run_dir(struct engine *e, char *out, size_t len)
{
	unsigned long long h = 14695981039346656037ULL;

	for (const char *p = e->db->path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(out, len, "%s/ssh-%016llx", RUN_BASE, h);
}

int
sshd_prepare(struct engine *e, const struct cdb_menu *m, const struct cdb_item *it,
	     char *conf, size_t conflen, char **fp, char *why, size_t whylen)
{
	char run[PATH_MAX], buf[PATH_MAX], keys[PATH_MAX + 8], rosh[PATH_MAX + 8];
	struct passwd *pw;
	struct group *gr;

	*fp = NULL;
	if (!plain_path(e->db->path) || !plain_path(e->sockpath)) {
		snprintf(why, whylen, "the database and socket paths may hold no spaces, quotes, "
			 "backslashes or %% (they go into sshd's config)");
		return -1;
	}
	if (access("/usr/sbin/sshd", X_OK)) {
		snprintf(why, whylen, "/usr/sbin/sshd is not installed (openssh-server)");
		return -1;
	}
	if (!(pw = account(why, whylen)))
		return -1;
	gr = getgrgid(pw->pw_gid);
	run_dir(e, run, sizeof(run));
	snprintf(buf, sizeof(buf), "%s", e->db->path);
	snprintf(keys, sizeof(keys), "%s/ssh", dirname(buf));
	snprintf(rosh, sizeof(rosh), "%s/rosh", run);
	snprintf(conf, conflen, "%s/sshd_config", run);
	/* sshd's privilege separation folder, missing where sshd never ran */
	if (root_dir("/run/sshd", 0755, why, whylen) || root_dir(RUN_BASE, 0755, why, whylen) ||
	    root_dir(run, 0755, why, whylen) || root_dir(keys, 0700, why, whylen) ||
	    copy_rosh(rosh, why, whylen) || host_keys(keys, why, whylen))
		return -1;
	share_db(e, pw->pw_gid);
	if (!(*fp = config_text(e, m, it, keys, run, gr ? gr->gr_name : ACCOUNT)))
		return snprintf(why, whylen, "out of memory"), -1;
	if (write_config(conf, *fp, why, whylen)) {
		free(*fp);
		*fp = NULL;
		return -1;
	}
	return 0;
}

/* A Rosh user name that can be a system login name. */
static int
login_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 31 || !strcmp(s, ACCOUNT) || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-.") == n;
}

/* The users that have keys: "name\n..." (each once), from /user ssh-keys. */
static char *
key_users(struct engine *e)
{
	const struct cdb_menu *m = cdb_menu_find(e->db->cat, "/user/ssh-keys");
	struct cdb_item_list l;
	struct cdb_err err;
	char *names = strdup("\n"), *more;

	if (!m || cdb_item_list(e->db, m, &l, &err))
		return names;
	for (int i = 0; i < l.n && names; i++) {
		const char *u = cdb_item_text(m, &l.items[i], "user");
		char pat[80];

		snprintf(pat, sizeof(pat), "\n%s\n", u ? u : "");
		if (!u || !login_name(u) || strstr(names, pat))
			continue;
		if (asprintf(&more, "%s%s\n", names, u) < 0)
			more = NULL;
		free(names);
		names = more;
	}
	cdb_item_list_free(&l);
	return names;
}

/* The aliases we made before: the account's uid under another name. */
static char *
our_aliases(uid_t uid)
{
	char *names = strdup("\n"), *more;
	struct passwd *pw;

	setpwent();
	while ((pw = getpwent()) && names) {
		if (pw->pw_uid != uid || !strcmp(pw->pw_name, ACCOUNT) ||
		    strcmp(pw->pw_gecos, ALIAS_GECOS))
			continue;
		if (asprintf(&more, "%s%s\n", names, pw->pw_name) < 0)
			more = NULL;
		free(names);
		names = more;
	}
	endpwent();
	return names;
}

static void
alias_add(const struct passwd *svc, const char *name)
{
	char uid[16], gid[16], *home = strdup(svc->pw_dir), *sh = strdup(svc->pw_shell);
	char *add[] = { "/usr/sbin/useradd", "-o", "-u", uid, "-g", gid, "-M", "-N", "-d", home,
			"-s", sh, "-c", ALIAS_GECOS, (char *)name, NULL };
	char *unlock[] = { "/usr/sbin/usermod", "-p", "*", (char *)name, NULL };

	snprintf(uid, sizeof(uid), "%u", (unsigned)svc->pw_uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned)svc->pw_gid);
	if (run_wait(add) || run_wait(unlock))
		log_msg(LOG_WARN, "system", "ssh: can not make login name %s", name);
	else
		log_msg(LOG_INFO, "system", "ssh: %s may log in as %s@ (an alias of %s)", name, name,
			ACCOUNT);
	free(home);
	free(sh);
}

static void
alias_del(const char *name)
{
	/* -f: a session of the shared uid may be running */
	char *del[] = { "/usr/sbin/userdel", "-f", (char *)name, NULL };

	if (run_wait(del))
		log_msg(LOG_WARN, "system", "ssh: can not remove login name %s", name);
	else
		log_msg(LOG_INFO, "system", "ssh: login name %s removed", name);
}

/* Users with keys get a login name each while the service is on; a name a
 * system account already has is left alone (that user logs in as rosh@).
 * A roshd that has not had the service on since it started leaves the
 * aliases alone: they may be another roshd's on this machine (a test's),
 * and one left by a killed roshd goes when the service is next on. */
void
sshd_aliases(struct engine *e, int on)
{
	static char *told;
	static int managing;
	struct passwd *p, svc;
	char *want, *have, *clash, *more, *save = NULL;

	if (!on && !managing)
		return;
	managing = on;
	p = getpwnam(ACCOUNT);
	clash = strdup("");
	if (!p || !clash) {
		free(clash);
		return;
	}
	svc = *p;
	svc.pw_dir = strdup(p->pw_dir);
	svc.pw_shell = strdup(p->pw_shell);
	want = on ? key_users(e) : strdup("\n");
	have = our_aliases(svc.pw_uid);
	for (char *n = have && want ? strtok_r(have, "\n", &save) : NULL; n;
	     n = strtok_r(NULL, "\n", &save)) {
		char pat[80];

		snprintf(pat, sizeof(pat), "\n%s\n", n);
		if (!strstr(want, pat))
			alias_del(n);
	}
	for (char *n = want ? strtok_r(want, "\n", &save) : NULL; n; n = strtok_r(NULL, "\n", &save)) {
		struct passwd *o = getpwnam(n);

		if (!o)
			alias_add(&svc, n);
		else if (o->pw_uid != svc.pw_uid && asprintf(&more, "%s %s", clash, n) >= 0) {
			free(clash);
			clash = more;
		}
	}
	if (*clash && (!told || strcmp(told, clash)))
		log_msg(LOG_WARN, "system", "ssh: a system account has the name of Rosh user(s)%s: "
			"they log in as %s@", clash, ACCOUNT);
	free(told);
	told = clash;
	free(want);
	free(have);
	free(svc.pw_dir);
	free(svc.pw_shell);
}
