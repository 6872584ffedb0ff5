/* help.c: one-line descriptions for ? help and the help command: the
 * commands (menus and properties describe themselves in the schema) and
 * the value types. */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "cmd.h"
#include "menu.h"

static const struct {
	const char *name;
	const char *help;
} commands[] = {
	{ "add", "Create a new item" },
	{ "comment", "Set the comment of items" },
	{ "disable", "Disable items" },
	{ "enable", "Enable items" },
	{ "export", "Print the configuration as commands that rebuild it" },
	{ "find", "Ids of the items that match a condition" },
	{ "get", "Value of one property of an item" },
	{ "import", "Run a script from the file store" },
	{ "move", "Change the order of items" },
	{ "print", "Show items" },
	{ "remove", "Delete items" },
	{ "reset", "Set every property back to its default" },
	{ "set", "Change properties of items" },
	{ "unset", "Clear properties back to their default" },
	{ "quit", "Leave the console" },
	{ "undo", "Take back the last change (a whole line or import)" },
	{ "redo", "Make again the change undo took back" },
	{ "safe-mode", "Toggle safe mode: changes are reverted if the session is lost" },
	{ "sign", "Sign a certificate template with a CA or itself" },
	{ "export-certificate", "Write a certificate (and key) to the file store" },
	{ "revoke", "Mark a certificate revoked" },
	{ "export-client-configuration", "Write a .ovpn file for a client of this server" },
	{ "import-ovpn-configuration", "Make a client from a .ovpn file" },
	{ "monitor", "Show the live state of a tunnel" },
	{ "monitor-traffic", "Show the packets and bits per second of interfaces" },
	{ "save", "Save a backup of the whole router to the file store" },
	{ "load", "Replace the configuration with a saved backup" },
	{ "edit", "Change one value of an item in the line editor" },
	{ "help", "List the menus and commands here, a line each" },
	{ "run", "Run the script" },
	{ "password", "Change your own password" },
};

const char *
help_command(const char *cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd))
			return commands[i].help;
	return NULL;
}

static const char *const type_words[T__COUNT] = {
	[T_STRING] = "text", [T_INT] = "integer", [T_BOOL] = "yes | no",
	[T_ENUM] = "one of the values", [T_TIME] = "time, e.g. 1m30s",
	[T_IP4] = "IPv4 address", [T_IP4PREFIX] = "IPv4 prefix, A.B.C.D/N",
	[T_IP4RANGE] = "IPv4 range, A.B.C.D-E.F.G.H", [T_IP6] = "IPv6 address",
	[T_IP6PREFIX] = "IPv6 prefix", [T_MAC] = "MAC address",
	[T_HOST] = "address or DNS name", [T_REF] = "name of an item",
	[T_RATE] = "bits per second as rx/tx, e.g. 10M/20M",
	[T_ROUTES] = "routes: network [netmask] [gateway] [metric], comma separated",
	[T_DATE] = "date, YYYY-MM-DD (or mmm/dd/yyyy)",
};

/* "integer 1..65535" or "IPv4 address | none", for the value after NAME=. */
void
help_type(const struct cdb_prop *p, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < p->ntypes && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%s", i ? " | " : "", type_words[p->types[i]]);
	if ((p->flags & P_RANGE) && at < len)
		at += snprintf(buf + at, len - at, " %lld..%lld", p->min, p->max);
	if (p->len && at < len)
		at += snprintf(buf + at, len - at, ", at most %d characters", p->len);
	for (int i = 0; i < p->nwords && at < len; i++)
		at += snprintf(buf + at, len - at, " | %s", p->words[i]);
	if ((p->flags & P_LIST) && at < len)
		snprintf(buf + at, len - at, " (a comma separated list)");
}

/* help: what ? shows before anything is typed, as lines: the menus below
 * this one, then its commands, each with its line of help. */
int
cmd_help(struct cmdctx *c)
{
	const struct cdb_menu *m = c->m;
	const char *const *cmds;
	int n, w = 0;

	if (c->nargs)
		return sh_fail(c->sh, c->args[0].pos, "expected end of command");
	cmds = menu_commands(m, &n);
	for (int i = 0; i < m->nkids; i++)
		if ((int)strlen(strrchr(m->kids[i]->path, '/') + 1) > w)
			w = (int)strlen(strrchr(m->kids[i]->path, '/') + 1);
	for (int i = 0; i < n; i++)
		if ((int)strlen(cmds[i]) > w)
			w = (int)strlen(cmds[i]);
	if (m->help)
		fprintf(c->sh->out, "%s\n\n", m->help);
	for (int i = 0; i < m->nkids; i++)
		fprintf(c->sh->out, "  %-*s  %s\n", w, strrchr(m->kids[i]->path, '/') + 1,
			m->kids[i]->help ? m->kids[i]->help : "(menu)");
	for (int i = 0; i < n; i++) {
		const char *h = help_command(cmds[i]);

		fprintf(c->sh->out, "  %-*s  %s\n", w, cmds[i], h ? h : "");
	}
	return 0;
}
