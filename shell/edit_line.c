/* edit_line.c: the editor behind "edit ITEM PROPERTY": the value on one
 * line of libedit, the cursor at its end, Enter to keep it, Ctrl-C to
 * leave it as it was. A value of several lines (a script's source) is
 * shown with each line break as \n and each backslash as \\, and read
 * back the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <histedit.h>

#include "console.h"
#include "cmd.h"

static int cancelled;
static char edit_prompt[80];

static char *
prompt(EditLine *el)
{
	(void)el;
	return edit_prompt;
}

static unsigned char
key_cancel(EditLine *el, int ch)
{
	(void)el;
	(void)ch;
	cancelled = 1;
	return CC_EOF;
}

/* Line breaks and backslashes as two characters each. */
static char *
flatten(const char *v)
{
	char *o = malloc(strlen(v) * 2 + 1), *w = o;

	for (; *v; v++) {
		if (*v == '\n' || *v == '\\') {
			*w++ = '\\';
			*w++ = *v == '\n' ? 'n' : '\\';
		} else if (*v != '\r')
			*w++ = *v;
	}
	*w = '\0';
	return o;
}

static char *
unflatten(const char *v, size_t len)
{
	char *o = malloc(len + 1), *w = o;

	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\\' && i + 1 < len && (v[i + 1] == 'n' || v[i + 1] == '\\')) {
			*w++ = v[++i] == 'n' ? '\n' : '\\';
		} else if (v[i] != '\n' && v[i] != '\r')
			*w++ = v[i];
	}
	*w = '\0';
	return o;
}

static int
edit_value(struct sh *sh, const char *name, const char *old, char **out)
{
	EditLine *el = el_init("rosh-edit", stdin, stdout, stderr);
	char *flat = flatten(old);
	const char *line;
	int n;

	if (!el) {
		free(flat);
		return sh_fail(sh, 0, "failure: the line editor can not start");
	}
	snprintf(edit_prompt, sizeof(edit_prompt), "%s: ", name);
	cancelled = 0;
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_EDITOR, "emacs");
	/* the wide call keeps our static names (the narrow one leaks copies) */
	el_wset(el, EL_ADDFN, L"rosh-edit-cancel", L"Leave the value as it was", key_cancel);
	el_set(el, EL_BIND, "^C", "rosh-edit-cancel", NULL);
	el_set(el, EL_SETTY, "-d", "-isig", NULL);
	el_push(el, flat);
	free(flat);
	line = el_gets(el, &n);
	if (!line || n <= 0 || cancelled) {
		el_end(el);
		fputs(cancelled ? "\n(left as it was)\n" : "\n", stdout);
		return 1;
	}
	*out = unflatten(line, (size_t)n);
	el_end(el);
	return 0;
}

/* interactive.c calls this once the console is a person's. */
void
sh_editor_start(void)
{
	sh_value_editor = edit_value;
}
