/* main.c: rosh, the console. Reads commands from -c, from standard input
 * when it is not a terminal, or interactively with line editing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <histedit.h>

#include "sh.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: rosh [--db PATH] [--socket PATH] [-c COMMAND] [--echo] [--keep-going]\n");
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

static char prompt_buf[300];
static struct sh *prompt_sh;

static char *
prompt(EditLine *el)
{
	(void)el;
	sh_prompt(prompt_sh, prompt_buf, sizeof(prompt_buf));
	return prompt_buf;
}

/* The interactive console: each line runs as its own batch. */
static int
interactive(struct sh *sh)
{
	EditLine *el = el_init("rosh", stdin, stdout, stderr);
	History *h = history_init();
	HistEvent ev;
	const char *line;
	int n;

	prompt_sh = sh;
	sh->keep_going = 1;
	history(h, &ev, H_SETSIZE, 1000);
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_HIST, history, h);
	while ((line = el_gets(el, &n)) && n > 0) {
		if (strspn(line, " \t\n") != strlen(line))
			history(h, &ev, H_ENTER, line);
		sh_run_text(sh, line, strlen(line));
		if (sh->quit)
			break;
		fflush(stdout);
	}
	history_end(h);
	el_end(el);
	return 0;
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

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "echo", no_argument, NULL, 'e' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "man-menus", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = NULL, *cmd = NULL;
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
		case 'h': usage(stdout); return 0;
		case 'm': return man_menus();
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (cdb_open(dbpath ? dbpath : cdb_default_path(), &sh.db, &e)) {
		fprintf(stderr, "rosh: %s\n", e.msg);
		return 1;
	}
	sh.cwd = cdb_menu_find(sh.db->cat, "/");
	if (!sh.sockpath)
		sh.sockpath = getenv("ROSH_SOCKET");
	if (!sh.sockpath)
		sh.sockpath = cdb_default_socket();
	if (cmd)
		rc = sh_run_text(&sh, cmd, strlen(cmd));
	else if (!isatty(STDIN_FILENO)) {
		size_t len;
		char *text = read_all(stdin, &len);

		rc = sh_run_text(&sh, text, len);
		free(text);
	} else
		rc = interactive(&sh);
	fflush(stdout);
	sh_free_numbers(&sh);
	cdb_close(sh.db);
	return rc;
}
