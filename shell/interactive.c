/* interactive.c: the console for a person at a terminal, on libedit. Each
 * line runs as its own transaction (one undo unit). Keys: Tab completes,
 * ? lists what may follow, Ctrl-X toggles safe mode, Ctrl-C abandons the
 * line, Ctrl-D on an empty line leaves. History is kept per user in
 * $ROSH_HISTORY, else ~/.rosh_history, saved after every line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>

#include "console.h"
#include "cmd.h"

/* What the key functions reach through EL_CLIENTDATA. */
struct session {
	struct sh *sh;
	int abandoned;			/* Ctrl-C: do not run what el_gets returns */
	char prompt[300];
	char *more;			/* the lines of a block still open, or NULL */
	size_t morelen;
};

static struct session *
session_of(EditLine *el)
{
	void *p = NULL;

	el_get(el, EL_CLIENTDATA, &p);
	return p;
}

static char *
prompt(EditLine *el)
{
	struct session *s = session_of(el);

	if (s->more)
		return "... ";	/* a block goes on until its brackets close */
	sh_prompt(s->sh, s->prompt, sizeof(s->prompt));
	return s->prompt;
}

/* The words in columns under the line, as a second Tab shows them. */
static void
list_columns(FILE *f, const struct cand *v, int n)
{
	size_t w = 1;
	int per, col = 0;

	for (int i = 0; i < n; i++)
		if (strlen(v[i].word) + 2 > w)
			w = strlen(v[i].word) + 2;
	per = w < 80 ? (int)(80 / w) : 1;
	fputc('\n', f);
	for (int i = 0; i < n; i++) {
		fprintf(f, "%-*s", (int)w, v[i].word);
		if (++col == per || i == n - 1) {
			fputc('\n', f);
			col = 0;
		}
	}
}

static size_t
common_prefix(const struct cand *v, int n)
{
	size_t k = strlen(v[0].word);

	for (int i = 1; i < n; i++) {
		size_t j = 0;

		while (j < k && v[i].word[j] == v[0].word[j])
			j++;
		k = j;
	}
	return k;
}

static unsigned char
key_complete(EditLine *el, int ch)
{
	struct session *s = session_of(el);
	const LineInfo *li = el_line(el);
	struct ctx cx;
	struct cand *v;
	unsigned char rc = CC_REFRESH;
	int n;

	(void)ch;
	ctx_parse(s->sh, li->buffer, (size_t)(li->cursor - li->buffer), &cx);
	if ((n = cands_for(s->sh, &cx, &v)) == 0)
		return CC_REFRESH_BEEP;
	if (n == 1) {
		char buf[512];

		snprintf(buf, sizeof(buf), "%s%c", v[0].word + cx.wordlen, v[0].suffix);
		el_insertstr(el, buf);
	} else if (common_prefix(v, n) > cx.wordlen) {
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", (int)(common_prefix(v, n) - cx.wordlen),
			 v[0].word + cx.wordlen);
		el_insertstr(el, buf);
	} else {
		list_columns(stdout, v, n);
		rc = CC_REDISPLAY;
	}
	cands_free(v, n);
	return rc;
}

/* ? outside quotes: what may follow, one line each; inside quotes it is
 * just a question mark. */
static unsigned char
key_help(EditLine *el, int ch)
{
	struct session *s = session_of(el);
	const LineInfo *li = el_line(el);
	struct ctx cx;
	struct cand *v;
	int n;

	(void)ch;
	ctx_parse(s->sh, li->buffer, (size_t)(li->cursor - li->buffer), &cx);
	if (cx.quoted) {
		el_insertstr(el, "?");
		return CC_REFRESH;
	}
	n = cands_for(s->sh, &cx, &v);
	fputc('\n', stdout);
	if (cx.prop) {
		char type[256];

		help_type(cx.prop, type, sizeof(type));
		printf("%s -- %s\n  value: %s\n", cx.prop->name,
		       cx.prop->help ? cx.prop->help : "", type);
	} else if (!cx.cmd && !cx.bad && cx.m->help && !cx.wordlen)
		printf("%s -- %s\n", cx.m->parent ? cx.m->path : "/", cx.m->help);
	else if (cx.cmd && !cx.wordlen && help_command(cx.cmd))
		printf("%s -- %s\n", cx.cmd, help_command(cx.cmd));
	for (int i = 0; i < n; i++)
		printf("  %-28s %s\n", v[i].word, v[i].help ? v[i].help : "");
	if (cx.bad)
		printf("(nothing known follows what is typed)\n");
	else if (cx.cmd && !cx.prop && !cx.wordlen)
		printf("  <Enter>                      run the command\n");
	cands_free(v, n);
	return CC_REDISPLAY;
}

static unsigned char
key_safe(EditLine *el, int ch)
{
	struct session *s = session_of(el);
	char msg[600];

	(void)ch;
	sh_safe_toggle(s->sh, msg, sizeof(msg));
	printf("\n%s\n", msg);
	return CC_REDISPLAY;
}

static unsigned char
key_abandon(EditLine *el, int ch)
{
	struct session *s = session_of(el);

	(void)ch;
	s->abandoned = 1;
	return CC_NEWLINE;
}

static void
history_path(char *buf, size_t len)
{
	const char *env = getenv("ROSH_HISTORY"), *home = getenv("HOME");

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else
		snprintf(buf, len, "%s/.rosh_history", home && *home ? home : ".");
}

static void
bind_keys(EditLine *el)
{
	/* the wide call keeps our static names; the narrow one copies them and
	 * libedit never frees the copies */
	el_wset(el, EL_ADDFN, L"rosh-complete", L"Complete the word", key_complete);
	el_wset(el, EL_ADDFN, L"rosh-help", L"List what may follow", key_help);
	el_wset(el, EL_ADDFN, L"rosh-safe-mode", L"Toggle safe mode", key_safe);
	el_wset(el, EL_ADDFN, L"rosh-abandon", L"Abandon the line", key_abandon);
	el_set(el, EL_BIND, "^I", "rosh-complete", NULL);
	el_set(el, EL_BIND, "?", "rosh-help", NULL);
	el_set(el, EL_BIND, "^X", "rosh-safe-mode", NULL);
	el_set(el, EL_BIND, "^C", "rosh-abandon", NULL);
	/* Ctrl-C reaches us as a key, not as SIGINT */
	el_set(el, EL_SETTY, "-d", "-isig", NULL);
}

/* The loop. Returns 0 when the admin leaves. */
int
sh_interactive(struct sh *sh)
{
	EditLine *el = el_init("rosh", stdin, stdout, stderr);
	History *h = history_init();
	struct session s = { .sh = sh };
	char hist[4096];
	HistEvent ev;
	const char *line;
	int n;

	sh->keep_going = 1;
	if (sh->no_password)	/* as RouterOS warns a fresh router's admin */
		fprintf(sh->out, "%s has no password: anyone who reaches a service can log in as "
			"%s. Set one with /password.\n\n", sh->user, sh->user);
	history_path(hist, sizeof(hist));
	history(h, &ev, H_SETSIZE, 1000);
	history(h, &ev, H_SETUNIQUE, 1);
	history(h, &ev, H_LOAD, hist);
	el_set(el, EL_CLIENTDATA, &s);
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_SIGNAL, 1);
	el_set(el, EL_HIST, history, h);
	bind_keys(el);
	sh_editor_start();	/* edit ITEM PROPERTY opens its own line */
	while ((line = el_gets(el, &n)) && n > 0) {
		char *text;

		if (s.abandoned) {
			s.abandoned = 0;
			free(s.more);
			s.more = NULL;
			fputc('\n', stdout);
			continue;
		}
		if (!(text = realloc(s.more, s.morelen + strlen(line) + 1)))
			break;
		memcpy(text + s.morelen, line, strlen(line) + 1);
		s.more = text;
		s.morelen += strlen(line);
		if (sh_text_open(text, s.morelen) && s.morelen < (1u << 20))
			continue;
		s.more = NULL;
		s.morelen = 0;
		if (strspn(text, " \t\n") != strlen(text)) {
			char *kept = sh_redact(text, strlen(text));	/* no passwords on disk */

			history(h, &ev, H_ENTER, kept ? kept : "");
			history(h, &ev, H_SAVE, hist);
			free(kept);
		}
		sh_run_text(sh, text, strlen(text));
		free(text);
		if (sh->quit)
			break;
		fflush(stdout);
	}
	if (!line)
		fputc('\n', stdout);
	free(s.more);
	history_end(h);
	el_end(el);
	return 0;
}
