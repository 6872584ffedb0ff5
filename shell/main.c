/* main.c: rosh, the console. Reads commands from -c, from standard input
 * when it is not a terminal, or interactively with line editing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pwd.h>

#include "console.h"
#include "cmd.h"
#include "items.h"
#include "print.h"
#include "pki.h"
#include "login.h"
#include "api.h"
#include "ssh_login.h"
#include "rest.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: rosh [--db PATH] [--socket PATH] [-c COMMAND] [--echo] [--keep-going]\n"
		"       rosh [--db PATH] [--socket PATH] --serve api|api-ssl|www|www-ssl\n"
		"       rosh --user NAME | --authorized-keys LOGIN   (behind roshd's sshd)\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\nThe Rosh console: RouterOS-style commands over the configuration that roshd\n"
	       "runs. Without -c it reads commands from a terminal (with completion and ?\n"
	       "help) or from standard input.\n\n"
	       "  --db PATH        configuration database (default %s)\n"
	       "  --socket PATH    roshd's socket, told of each commit (default %s)\n"
	       "  -c COMMAND       run COMMAND (one or more lines) and exit\n"
	       "  --echo           print the prompt and each command read (transcripts)\n"
	       "  --keep-going     go on after a failing line\n"
	       "  --serve SERVICE  serve an /ip service (api, api-ssl, www, www-ssl) until SIGTERM\n"
	       "  --user NAME      an SSH session of user NAME (the forced command of its keys)\n"
	       "  --authorized-keys LOGIN  the key lines sshd may accept for LOGIN\n"
	       "  --version        print the version and exit\n"
	       "  -h, --help       print this and exit\n\n"
	       "Manual: rosh(1); the menus: rosh-menus(7), rosh-ovpn(7), rosh-ip(7),\n"
	       "rosh-firewall(7), rosh-ethernet(7), rosh-certificate(7); users and\n"
	       "policies: rosh-user(7); scripting: rosh-script(7); remote management:\n"
	       "rosh-api(7); the engine: roshd(8).\n",
	       cdb_default_path(), cdb_default_socket());
}

static char *
read_all(FILE *f, size_t *len)
{
	size_t cap = 65536;
	char *buf = malloc(cap);

	*len = 0;
	for (;;) {
		size_t n = fread(buf + *len, 1, cap - *len - 1, f);

		*len += n;
		if (n == 0)
			break;
		if (*len + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[*len] = '\0';
	return buf;
}

/* Who is at the console: $ROSH_USER, else admin for root (as on a router),
 * else the login name. The journal's session is "user[pid]". */
static const char *
console_user(void)
{
	const char *env = getenv("ROSH_USER");
	struct passwd *pw;

	if (env && *env)
		return env;
	if (geteuid() == 0)
		return "admin";
	pw = getpwuid(geteuid());
	return pw && pw->pw_name ? pw->pw_name : "admin";
}

/* The console logs in as its user, on the box: root is trusted (it owns
 * the database), so no password; the user's group must allow local. */
static int
console_login(struct sh *sh)
{
	char *session;

	if (sh_login(sh, console_user(), NULL, "", "console", NULL)) {
		fprintf(stderr, "rosh: %s\n", sh->err);
		return -1;
	}
	if (getenv("ROSH_POLICY"))	/* a scheduled script: its entry's policy, no more */
		cdb_set_policy(sh->db, sh->db->policy & cdb_policy_bits(getenv("ROSH_POLICY")));
	if (asprintf(&session, "%s[%ld]", sh->user, (long)getpid()) < 0)
		return -1;
	free(sh->db->session);
	sh->db->session = session;
	return 0;
}

/* --serve for REST, which runs in this console's session (the API forks a
 * session per connection and opens the database itself). */
static int
serve_rest(struct sh *sh, const char *service)
{
	if (!strcmp(service, "www") || !strcmp(service, "www-ssl"))
		return rest_serve(sh, service);
	fprintf(stderr, "rosh: --serve %s: no such service (api, api-ssl, www, www-ssl)\n", service);
	return 2;
}

/* The catalog alone, without a database, for the build's man page. */
static int
man_menus(void)
{
	struct cdb_catalog *cat;
	struct cdb_err e;

	if (cdb_catalog_parse(cdb_schema_text, "schema", &cat, &e)) {
		fprintf(stderr, "rosh: %s\n", e.msg);
		return 1;
	}
	sh_man_menus(stdout, cat);
	cdb_catalog_free(cat);
	return 0;
}

/* A logged-in console: -c, standard input, or a person at a terminal;
 * then the session ends. */
static int
run_console(struct sh *sh, const char *cmd)
{
	int rc;

	if (cmd)
		rc = sh_run_text(sh, cmd, strlen(cmd));
	else if (!isatty(STDIN_FILENO)) {
		size_t len;
		char *text = read_all(stdin, &len);

		rc = sh_run_text(sh, text, len);
		free(text);
	} else {
		sh->color = sh->interactive && sh_colour_ok(STDOUT_FILENO);
		rc = sh_interactive(sh);
	}
	sh_safe_end(sh);
	sh_logout(sh);
	fflush(stdout);
	sh_free_numbers(sh);
	cdb_close(sh->db);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "echo", no_argument, NULL, 'e' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "man-menus", no_argument, NULL, 'm' },
		{ "serve", required_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "authorized-keys", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = NULL, *cmd = NULL, *serve = NULL, *ssh_user = NULL, *keys_for = NULL;
	struct sh sh = { .out = stdout };
	struct cdb_err e;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 's': sh.sockpath = optarg; break;
		case 'c': cmd = optarg; break;
		case 'e': sh.echo = 1; break;
		case 'k': sh.keep_going = 1; break;
		case 'h': help(); return 0;
		case 'V': printf("rosh %s (SQLite %s, wolfSSL %s)\n", PACKAGE_VERSION, cdb_sqlite_version(),
				 pki_version()); return 0;
		case 'm': return man_menus();
		case 'S': serve = optarg; break;
		case 'u': ssh_user = optarg; break;
		case 'A': keys_for = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (serve && !strncmp(serve, "api", 3))
		return api_serve(dbpath ? dbpath : cdb_default_path(), sh.sockpath ? sh.sockpath :
				 getenv("ROSH_SOCKET") ? getenv("ROSH_SOCKET") : cdb_default_socket(), serve);
	if (cdb_open(dbpath ? dbpath : cdb_default_path(), &sh.db, &e)) {
		fprintf(stderr, "rosh: %s\n", e.msg);
		return 1;
	}
	cdb_set_busy_wait(sh.db, 5000);	/* then "try again", as a person at a console can */
	sh.cwd = cdb_menu_find(sh.db->cat, "/");
	if (!cmd && isatty(STDIN_FILENO))
		sh.interactive = isatty(STDOUT_FILENO);
	/* SSH logs in below, REST for each request */
	if (!ssh_user && !keys_for && !serve && console_login(&sh)) {
		cdb_close(sh.db);
		return 1;
	}
	if (!sh.sockpath)
		sh.sockpath = getenv("ROSH_SOCKET");
	if (!sh.sockpath)
		sh.sockpath = cdb_default_socket();
	if (serve) {
		rc = serve_rest(&sh, serve);
		cdb_close(sh.db);
		return rc;
	}
	if (keys_for || (ssh_user && sh_ssh_login(&sh, ssh_user, &cmd))) {
		rc = keys_for ? sh_ssh_keys(&sh, keys_for) : 1;
		cdb_close(sh.db);
		return rc;
	}
	return run_console(&sh, cmd);
}
